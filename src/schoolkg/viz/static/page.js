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
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
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
  function show(item) { if (item) { info.textContent = item.info || item.label || ""; } }
  network.on("click", function (p) {
    if (p.nodes.length) { show(nodes.get(p.nodes[0])); } else if (p.edges.length) { show(edges.get(p.edges[0])); }
  });
  network.on("hoverNode", function (p) { show(nodes.get(p.node)); });
  network.on("hoverEdge", function (p) { show(edges.get(p.edge)); });

  var search = document.getElementById("search");
  var matches = document.getElementById("matches");
  search.addEventListener("input", function () {
    var q = search.value.trim().toLowerCase();
    if (!q) { network.unselectAll(); matches.textContent = ""; return; }
    var ids = nodeView.getIds({ filter: function (n) { return String(n.label || "").toLowerCase().indexOf(q) >= 0; } });
    matches.textContent = ids.length === 1 ? "1 match" : ids.length + " matches";
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

  document.getElementById("toggle").addEventListener("click", function (ev) {
    var collapsed = document.body.classList.toggle("collapsed");
    ev.currentTarget.setAttribute("aria-expanded", String(!collapsed));
  });
})();
