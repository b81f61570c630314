/* schoolkg graph page: builds the vis-network from the JSON in #graph-data.
   All text from the data is written with textContent (never innerHTML), and tooltips are DOM
   elements, so a label or quote holding markup shows as text. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var state = window.schoolkgViz = { ready: false, hidden: { kind: {}, theme: {}, polarity: {} } };
  var hidden = state.hidden;
  var small = data.nodes.length <= data.tooltipLimit;

  function tip(text) {
    var el = document.createElement("div");
    el.textContent = text;
    return el;
  }
  if (small) {
    data.nodes.forEach(function (n) { if (n.info) { n.title = tip(n.info); } });
    data.edges.forEach(function (e) { if (e.info) { e.title = tip(e.info); } });
  }
  var aggregated = !!data.clusters;
  var nodes = new vis.DataSet(aggregated ? data.clusters : data.nodes);
  var edges = new vis.DataSet(aggregated ? data.clusterEdges : data.edges);
  var byId = {}, members = {}, touching = {}, superEdges = {}, opened = state.opened = {};
  if (aggregated) {
    data.clusterEdges.forEach(function (e) {
      (superEdges[e.from] = superEdges[e.from] || []).push(e.id);
      (superEdges[e.to] = superEdges[e.to] || []).push(e.id);
    });
    data.nodes.forEach(function (n) { byId[n.id] = n; (members[n.cluster] = members[n.cluster] || []).push(n); });
    data.edges.forEach(function (e) {
      var a = byId[e.from].cluster, b = byId[e.to].cluster;
      (touching[a] = touching[a] || []).push(e);
      if (b !== a) { (touching[b] = touching[b] || []).push(e); }
    });
  }
  /* Open a cluster: replace its super-node by its members and the edges among open nodes. */
  /* vis-network redraws the whole canvas on every data change when physics is off; block that
     during a batch of changes and draw once at the end. */
  function batch(fn) {
    var network = state.network;
    if (network) { network.body.emitter.emit("_blockRedraw"); }
    try { fn(); } finally {
      if (network) { network.body.emitter.emit("_allowRedraw"); network.redraw(); }
    }
  }
  function openCluster(k) { batch(function () { openOne(k); }); }
  function openOne(k) {
    if (!aggregated || opened[k]) { return; }
    opened[k] = true;
    nodes.remove("c" + k);
    edges.remove(superEdges["c" + k] || []);  /* by id: no scan of every edge drawn so far */
    nodes.add(members[k] || []);
    edges.add((touching[k] || []).filter(function (e) {
      return opened[byId[e.from].cluster] && opened[byId[e.to].cluster];
    }));
  }
  /* Close it again: its members and their edges go, the super-node and its edges to closed clusters return. */
  var superById = {};
  if (aggregated) { data.clusters.forEach(function (c) { superById[c.id] = c; }); }
  var clusterEdgeById = {};
  if (aggregated) { data.clusterEdges.forEach(function (e) { clusterEdgeById[e.id] = e; }); }
  function closeCluster(k) { batch(function () { closeOne(k); }); }
  function closeOne(k) {
    if (!aggregated || !opened[k]) { return; }
    delete opened[k];
    edges.remove((touching[k] || []).map(function (e) { return e.id; }));
    nodes.remove((members[k] || []).map(function (n) { return n.id; }));
    nodes.add(superById["c" + k]);
    edges.add((superEdges["c" + k] || []).map(function (id) { return clusterEdgeById[id]; }).filter(function (e) {
      var other = e.from === "c" + k ? e.to : e.from;
      return !opened[superById[other].cluster];
    }));
  }
  state.openCluster = openCluster;
  state.closeCluster = closeCluster;
  state.clusterMembers = members;
  function visible(item) {
    return !hidden.kind[item.kind || ""] && !hidden.theme[item.theme || ""] && !hidden.polarity[item.polarity || ""];
  }
  var nodeView = new vis.DataView(nodes, { filter: visible });
  var edgeView = new vis.DataView(edges, { filter: function (e) { return !hidden.polarity[e.polarity || ""]; } });
  var container = document.getElementById("network");
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, data.options);
  state.network = network;
  state.nodes = nodes;
  state.edges = edges;
  network.once("afterDrawing", function () {
    state.ready = true;
    document.body.setAttribute("data-ready", "1");
  });

  var info = document.getElementById("info");
  function show(item) { if (item) { info.textContent = item.info || item.name || item.label || ""; } }
  network.on("click", function (p) {
    var first = p.nodes.length ? nodes.get(p.nodes[0]) : null;
    if (first && first.super) { show(first); openCluster(first.cluster); return; }
    if (p.nodes.length) { show(nodes.get(p.nodes[0])); } else if (p.edges.length) { show(edges.get(p.edges[0])); }
  });
  network.on("hoverNode", function (p) { show(nodes.get(p.node)); });
  network.on("hoverEdge", function (p) { show(edges.get(p.edge)); });

  var search = document.getElementById("search");
  var matches = document.getElementById("matches");
  search.addEventListener("input", function () {
    var q = search.value.trim().toLowerCase();
    if (!q) { network.unselectAll(); matches.textContent = ""; return; }
    var hit = function (n) { return !n.super && String(n.name || n.label || "").toLowerCase().indexOf(q) >= 0; };
    if (aggregated) {
      var found = data.nodes.filter(function (n) { return hit(n) && visible(n); });
      batch(function () { found.slice(0, 3).forEach(function (n) { openOne(n.cluster); }); });
    }
    var ids = nodeView.getIds({ filter: hit });
    var total = aggregated ? found.length : ids.length;
    if (aggregated && found.length && ids.indexOf(found[0].id) > 0) {
      ids.splice(ids.indexOf(found[0].id), 1);
      ids.unshift(found[0].id);
    }
    matches.textContent = total === 1 ? "1 match" : total + " matches";
    if (!ids.length) { network.unselectAll(); return; }
    network.selectNodes(ids.slice(0, 500), false);
    network.focus(ids[0], { scale: Math.max(network.getScale(), 0.8), animation: false });
    show(nodes.get(ids[0]));
  });

  var filters = document.getElementById("filters");
  [["kind", "Node type"], ["theme", "Theme"], ["polarity", "Polarity"]].forEach(function (facet) {
    var key = facet[0], counts = {};
    data.nodes.concat(key === "polarity" ? data.edges : []).forEach(function (x) {
      if (x[key]) { counts[x[key]] = (counts[x[key]] || 0) + 1; }
    });
    var values = Object.keys(counts).sort();
    if (!values.length) { return; }
    var box = document.createElement("fieldset");
    box.id = "filter-" + key;
    var legend = document.createElement("legend");
    legend.textContent = facet[1];
    box.appendChild(legend);
    values.forEach(function (value) {
      var label = document.createElement("label");
      var input = document.createElement("input");
      input.type = "checkbox";
      input.checked = true;
      input.value = value;
      input.addEventListener("change", function () {
        if (input.checked) { delete hidden[key][value]; } else { hidden[key][value] = true; }
        nodeView.refresh();
        edgeView.refresh();
      });
      label.appendChild(input);
      label.appendChild(document.createTextNode(" " + value + " (" + counts[value] + ")"));
      box.appendChild(label);
    });
    filters.appendChild(box);
  });

  var collapse = document.getElementById("collapse");
  if (aggregated && collapse) {
    collapse.hidden = false;
    collapse.addEventListener("click", function () {
      batch(function () { Object.keys(opened).forEach(function (k) { closeOne(Number(k)); }); });
    });
  }

  document.getElementById("toggle").addEventListener("click", function (ev) {
    var collapsed = document.body.classList.toggle("collapsed");
    ev.currentTarget.setAttribute("aria-expanded", String(!collapsed));
  });
})();
