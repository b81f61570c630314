/* schoolkg's results table for YASR (replaces the vendored "table" plugin).

   Safe by construction: every value goes into the page with textContent, never as markup, and
   an IRI becomes a link (a.href, set through the DOM) only when it is http(s) — so a label,
   literal or IRI holding quotes, tags or javascript: cannot run anything.

   Readable: numbers, dates and booleans show as values (numbers right-aligned), language tags
   and other datatypes as a small suffix, IRIs as their label (rdfs:label, skos:prefLabel,
   schema:name, dcterms:title, looked up from the same endpoint) or else a prefixed name (the
   query's PREFIXes and the project's), the full IRI in the tooltip. Sort by a column header,
   filter with the box, 500 rows at a time. Works offline: it only talks to this endpoint. */
(function () {
  "use strict";

  var XSD = "http://www.w3.org/2001/XMLSchema#";
  var NUMERIC = ["integer", "decimal", "double", "float", "int", "long", "short", "byte",
    "nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger",
    "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte"].map(function (t) { return XSD + t; });
  var PLAIN = [XSD + "string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"];
  var AS_VALUE = [XSD + "boolean", XSD + "date", XSD + "dateTime", XSD + "gYear", XSD + "gYearMonth", XSD + "time"];
  var LABELS = ["http://www.w3.org/2000/01/rdf-schema#label", "http://www.w3.org/2004/02/skos/core#prefLabel",
    "https://schema.org/name", "http://purl.org/dc/terms/title"];
  var SAFE_IRI = /^[^<>"{}|^`\\\u0000-\u0020]+$/;
  var PAGE = 500;
  var MAX_LOOKUP = 400;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function shorten(iri, prefixes) {
    var best = null;
    Object.keys(prefixes).forEach(function (p) {
      var ns = prefixes[p];
      if (ns && iri.indexOf(ns) === 0 && (!best || ns.length > prefixes[best].length)) { best = p; }
    });
    if (best === null) { return null; }
    var local = iri.slice(prefixes[best].length);
    return /^[A-Za-z0-9_][A-Za-z0-9_.\-]*$/.test(local) || local === "" ? best + ":" + local : null;
  }

  function termText(term, prefixes) {
    if (!term) { return ""; }
    if (term.type === "uri") { return shorten(term.value, prefixes) || term.value; }
    if (term.type === "bnode") { return "_:" + term.value; }
    if (term.type === "triple" && term.value) {
      var t = term.value;
      return "<< " + [t.subject, t.predicate, t.object].map(function (x) { return termText(x, prefixes); }).join(" ") + " >>";
    }
    return term.value;
  }

  function SafeTable(yasr) {
    this.yasr = yasr;
    this.priority = 10;
    this.label = "Table";
    this.shown = PAGE;
    this.sortBy = null;
    this.filter = "";
    this.labels = {};
  }

  SafeTable.prototype.canHandleResults = function () {
    var r = this.yasr.results;
    return !!r && !!r.getVariables && !!r.getVariables() && r.getVariables().length > 0;
  };

  SafeTable.prototype.getIcon = function () { return el("span", "skg-icon", "\u25a6"); };

  SafeTable.prototype.download = function (name) {
    var results = this.yasr.results;
    return {
      getData: function () { return results.asCsv(); },
      contentType: "text/csv",
      title: "Download result",
      filename: (name || "queryResults") + ".csv"
    };
  };

  SafeTable.prototype.prefixes = function () {
    var out = {};
    var own = window.schoolkgPrefixes || {};
    Object.keys(own).forEach(function (p) { out[p] = own[p]; });
    var fromQuery = (this.yasr.getPrefixes && this.yasr.getPrefixes()) || {};
    Object.keys(fromQuery).forEach(function (p) { out[p] = fromQuery[p]; });
    return out;
  };

  SafeTable.prototype.cell = function (term, prefixes) {
    var td = el("td");
    if (!term) { return td; }
    if (term.type === "uri") {
      var label = this.labels[term.value];
      var shown = label || shorten(term.value, prefixes) || term.value;
      var link = el(/^https?:\/\//i.test(term.value) ? "a" : "span", "skg-iri", shown);
      if (link.tagName === "A") {
        link.href = term.value;
        link.target = "_blank";
        link.rel = "noopener noreferrer";
      }
      link.title = label ? (shorten(term.value, prefixes) || term.value) + "\n" + term.value : term.value;
      td.appendChild(link);
      return td;
    }
    if (term.type === "literal" || term.type === "typed-literal") {
      var dt = term.datatype || "";
      td.appendChild(document.createTextNode(term.value));
      if (NUMERIC.indexOf(dt) >= 0) {
        td.className = "skg-num";
        td.title = shorten(dt, prefixes) || dt;
      } else if (term["xml:lang"]) {
        td.appendChild(el("span", "skg-tag", "@" + term["xml:lang"]));
      } else if (dt && AS_VALUE.indexOf(dt) >= 0) {
        td.className = "skg-value";
        td.title = shorten(dt, prefixes) || dt;
      } else if (dt && PLAIN.indexOf(dt) < 0) {
        td.appendChild(el("span", "skg-tag", " ^^" + (shorten(dt, prefixes) || dt)));
      }
      return td;
    }
    td.textContent = termText(term, prefixes);
    return td;
  };

  SafeTable.prototype.rows = function (vars, prefixes) {
    var self = this;
    var rows = this.yasr.results.getBindings() || [];
    if (this.filter) {
      var needle = this.filter.toLowerCase();
      rows = rows.filter(function (row) {
        return vars.some(function (v) {
          var term = row[v];
          var text = term ? (self.labels[term.value] || "") + " " + termText(term, prefixes) + " " + term.value : "";
          return text.toLowerCase().indexOf(needle) >= 0;
        });
      });
    }
    if (this.sortBy) {
      var key = this.sortBy.v, dir = this.sortBy.dir;
      rows = rows.slice().sort(function (a, b) {
        var x = a[key], y = b[key];
        if (!x || !y) { return x ? -1 : (y ? 1 : 0); }  // unbound last
        var nx = NUMERIC.indexOf(x.datatype) >= 0 ? parseFloat(x.value) : NaN;
        var ny = NUMERIC.indexOf(y.datatype) >= 0 ? parseFloat(y.value) : NaN;
        if (!isNaN(nx) && !isNaN(ny)) { return (nx - ny) * dir; }
        var tx = self.labels[x.value] || termText(x, prefixes), ty = self.labels[y.value] || termText(y, prefixes);
        return tx.localeCompare(ty) * dir;
      });
    }
    return rows;
  };

  SafeTable.prototype.draw = function () {
    var self = this;
    var vars = this.yasr.results.getVariables();
    var prefixes = this.prefixes();
    var rows = this.rows(vars, prefixes);
    var box = el("div", "skg-results");
    var bar = el("div", "skg-bar");
    var search = el("input", "skg-filter");
    search.type = "search";
    search.placeholder = "Filter rows";
    search.value = this.filter;
    search.addEventListener("input", function () {
      self.filter = search.value;
      self.shown = PAGE;
      self.redraw(true);
    });
    bar.appendChild(search);
    var total = (this.yasr.results.getBindings() || []).length;
    bar.appendChild(el("span", "skg-count", rows.length === total ? total + " rows" : rows.length + " of " + total + " rows"));
    box.appendChild(bar);
    var table = el("table", "skg-table");
    var head = el("tr");
    vars.forEach(function (v) {
      var mark = self.sortBy && self.sortBy.v === v ? (self.sortBy.dir > 0 ? " \u25b2" : " \u25bc") : "";
      var th = el("th", null, v + mark);
      th.title = "Sort by " + v;
      th.addEventListener("click", function () {
        self.sortBy = { v: v, dir: self.sortBy && self.sortBy.v === v ? -self.sortBy.dir : 1 };
        self.redraw(false);
      });
      head.appendChild(th);
    });
    var thead = el("thead");
    thead.appendChild(head);
    table.appendChild(thead);
    var tbody = el("tbody");
    rows.slice(0, this.shown).forEach(function (row) {
      var tr = el("tr");
      vars.forEach(function (v) { tr.appendChild(self.cell(row[v], prefixes)); });
      tbody.appendChild(tr);
    });
    table.appendChild(tbody);
    box.appendChild(table);
    if (rows.length > this.shown) {
      var more = el("button", "skg-more", "Show " + Math.min(PAGE, rows.length - this.shown) + " more of " + (rows.length - this.shown));
      more.type = "button";
      more.addEventListener("click", function () { self.shown += PAGE; self.redraw(false); });
      box.appendChild(more);
    }
    this.yasr.resultsEl.appendChild(box);
    this.box = box;
    this.lookupLabels(rows.slice(0, this.shown), vars);
  };

  SafeTable.prototype.redraw = function (keepFocus) {
    if (this.box && this.box.parentNode) { this.box.parentNode.removeChild(this.box); }
    this.draw();
    if (keepFocus) {
      var input = this.box.querySelector(".skg-filter");
      input.focus();
      input.setSelectionRange(input.value.length, input.value.length);
    }
  };

  SafeTable.prototype.lookupLabels = function (rows, vars) {
    var self = this;
    var endpoint = window.schoolkgEndpoint;
    if (!endpoint || !window.fetch) { return; }
    var wanted = [];
    rows.forEach(function (row) {
      vars.forEach(function (v) {
        var t = row[v];
        if (t && t.type === "uri" && !(t.value in self.labels) && SAFE_IRI.test(t.value) &&
            wanted.indexOf(t.value) < 0 && wanted.length < MAX_LOOKUP) {
          wanted.push(t.value);
        }
      });
    });
    if (!wanted.length) { return; }
    wanted.forEach(function (iri) { self.labels[iri] = null; });  // asked once
    var query = "SELECT ?s (SAMPLE(?l) AS ?label) WHERE { VALUES ?s { " +
      wanted.map(function (iri) { return "<" + iri + ">"; }).join(" ") + " } VALUES ?p { " +
      LABELS.map(function (iri) { return "<" + iri + ">"; }).join(" ") + " } ?s ?p ?l } GROUP BY ?s";
    var body = new URLSearchParams();
    body.set("query", query);
    fetch(endpoint, { method: "POST", body: body, headers: { Accept: "application/sparql-results+json" } })
      .then(function (resp) { return resp.ok ? resp.json() : null; })
      .then(function (doc) {
        if (!doc || !doc.results) { return; }
        var found = 0;
        doc.results.bindings.forEach(function (b) {
          if (b.s && b.label) { self.labels[b.s.value] = b.label.value; found += 1; }
        });
        if (found && self.box && self.box.parentNode) { self.redraw(false); }
      })
      .catch(function () { /* labels are a nicety: the table stands without them */ });
  };

  window.SchoolkgResultsTable = SafeTable;
})();
