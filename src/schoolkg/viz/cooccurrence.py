"""The co-occurrence view: practices linked when found together (numbers from analysis)."""

from __future__ import annotations

from collections import Counter, defaultdict

import networkx as nx

from schoolkg import iris
from schoolkg.analysis.cooccurrence import basket_matrix
from schoolkg.analysis.cooccurrence import cooccurrence_graph as analysis_cooccurrence
from schoolkg.errors import ConfigError
from schoolkg.store.base import Store
from schoolkg.viz.read import read_findings, read_practices, select_rows, short


def cooccurrence_graph(store: Store, *, basket: str = "subject", min_count: int = 2, seed: int = 1) -> nx.Graph:
    """Practices linked when found together, with the numbers of :mod:`schoolkg.analysis.cooccurrence`.

    Two practices co-occur when findings of both share a subject (``basket="subject"``: what the
    findings are about, a school, an LA, or the document itself for a survey that names no
    school) or a source document (``basket="document"``). The edge ``weight`` and ``count`` are
    the number of such baskets (pairs in fewer than ``min_count`` are dropped), with the pair's
    co-occurrence ``lift``: the same counts as ``queries/practice-cooccurrence.rq`` (context =
    basket). When the graph holds an analysis run (``schoolkg analyse``), edges are instead the
    analysed pairs weighted by their *improvement lift* (the pair's association with improvement,
    ``skg:lift`` of its ``skg:Association``), with ``measure="improvement lift"``.
    Communities (Louvain, ``seed``) colour the nodes.
    """
    if basket not in ("subject", "document"):
        raise ConfigError(f"unknown basket {basket!r}; use subject or document")
    practices = read_practices(store)
    freq: Counter[str] = Counter()
    baskets: dict[str, set[str]] = defaultdict(set)
    for f in read_findings(store):
        c = str(f["c"])
        freq[c] += 1
        baskets[str(f["s"] if basket == "subject" else f["doc"])].add(c)
    g = nx.Graph()
    for c, n in freq.items():
        meta = practices.get(c, {"label": short(c), "theme": "", "def": ""})
        g.add_node(c, label=meta["label"], kind="practice", theme=meta["theme"], size=n, info="")
    lifts = _analysis_lifts(store)
    if lifts:
        for (a, b), (lift, count) in lifts.items():
            if a in g and b in g:
                g.add_edge(a, b, weight=lift, count=count, label="", measure="improvement lift")
    else:
        x, items, _ = basket_matrix(baskets)
        pairs = analysis_cooccurrence(x, items, min_count=min_count, min_lift=0.0)
        for a, b, data in pairs.edges(data=True):
            g.add_edge(a, b, weight=data["count"], count=data["count"], lift=data["lift"], label="", measure="count")
    communities = nx.community.louvain_communities(g, weight="weight", seed=seed) if g.number_of_edges() else []
    for i, members in enumerate(sorted(communities, key=lambda m: (-len(m), min(m)))):
        for c in members:
            g.nodes[c]["community"] = i
    for c, data in g.nodes(data=True):
        data.setdefault("community", -1)
        data["info"] = (
            f"practice: {data['label']}\ntheme: {data['theme']}\nfindings: {data['size']}\n"
            f"community: {data['community'] + 1}\nco-occurs with {g.degree(c)} practices"
        )
    for a, b, data in g.edges(data=True):
        data["info"] = f"{g.nodes[a]['label']} + {g.nodes[b]['label']}: {data['measure']} {data['weight']:g}"
    return g


def _analysis_lifts(store: Store) -> dict[tuple[str, str], tuple[float, float]]:
    """Pairs of practices with a lift in the analysis graph (``skg:Association`` with two exposures).

    The count is the number of subjects exposed to both (cells a + b of its 2x2 table); when the
    analysis ran more than once, the largest lift is kept.
    """
    rows = select_rows(
        store,
        f"""SELECT ?a ?b (MAX(?l) AS ?lift) (MAX(?n) AS ?count) WHERE {{
          GRAPH <{iris.GRAPH_ANALYSIS}> {{ ?r a skg:Association ; skg:exposure ?a, ?b ; skg:lift ?l .
            OPTIONAL {{ ?r skg:exposedImprovedCount ?ei ; skg:exposedOtherCount ?eo BIND(?ei + ?eo AS ?n) }} }}
          FILTER(STR(?a) < STR(?b)) }} GROUP BY ?a ?b""",
    )
    return {(str(r["a"]), str(r["b"])): (float(r["lift"]), float(r["count"] or 0)) for r in rows}
