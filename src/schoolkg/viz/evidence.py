"""The evidence view: documents -> findings -> practices, every edge with its quote."""

from __future__ import annotations

import networkx as nx

from schoolkg.store.base import Store
from schoolkg.viz.read import add_finding, read_findings, read_practices, short


def evidence_graph(store: Store) -> nx.DiGraph:
    """Documents → findings → practices; every edge carries the quote and its source.

    Findings are drawn as dots without a label (their quote shows on hover and click), so the
    documents and practices read at the opening zoom.
    """
    g = nx.DiGraph(layers={"document": 0, "finding": 1, "practice": 2}, unlabelled={"finding"})
    practices = read_practices(store)
    for f in read_findings(store):
        doc = str(f["doc"])
        if doc not in g:
            title = str(f["doctitle"] or short(doc))
            g.add_node(doc, label=title, kind="document", info=f"document: {title}\n{doc}")
        add_finding(g, f, doc, practices)
    return g
