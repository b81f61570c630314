"""Draw the triples of a CONSTRUCT or DESCRIBE query as a graph of labelled resources."""

from __future__ import annotations

from collections import defaultdict

import networkx as nx
import pyoxigraph

from schoolkg.errors import QueryError
from schoolkg.store.base import Store
from schoolkg.viz.read import prefixed, read_labels, short


def query_graph(store: Store, sparql: str) -> nx.MultiDiGraph:
    """The triples a CONSTRUCT (or DESCRIBE) query returns, as a graph of labelled resources."""
    results = store.query(sparql)
    if isinstance(results, pyoxigraph.QuerySolutions | pyoxigraph.QueryBoolean):
        raise QueryError("a --query view needs a CONSTRUCT or DESCRIBE query (this one is SELECT or ASK)")
    g = nx.MultiDiGraph()
    literals: dict[str, list[str]] = defaultdict(list)
    edges = []
    for t in results:
        s, p, o = _value(t.subject), t.predicate, t.object
        if isinstance(o, pyoxigraph.Literal):
            literals[s].append(f"{short(p.value)}: {o.value}")
        else:
            edges.append((s, short(p.value), _value(o)))
        g.add_node(s)
    for s, p, o in edges:
        g.add_edge(s, o, label=p)
    names = read_labels(store, {n for n in g if not n.startswith("_:") and "://" in n})
    for n, data in g.nodes(data=True):
        label, kind = names.get(n, (prefixed(n) if "://" in n else n, "resource"))
        data.update(label=label, kind=kind, info="\n".join([f"{kind}: {label}", n, *literals.get(n, [])]))
    for s, o, data in g.edges(data=True):
        data["info"] = f"{g.nodes[s]['label']} {data['label']} {g.nodes[o]['label']}"
    return g


def _value(term: pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Triple) -> str:
    """An IRI or blank node label; an RDF-star triple term as its N-Triples text."""
    return str(term) if isinstance(term, pyoxigraph.Triple) else term.value
