"""Counts of what the graph holds."""

from __future__ import annotations

from schoolkg.store.base import Store
from schoolkg.store.table import to_table
from schoolkg.vocab import SPARQL_PREFIXES

__all__ = ["COUNTED", "graph_stats"]

COUNTED = {
    "schools": "?x a skg:School",
    "local authorities": "?x a skg:LocalAuthority",
    "partnerships": "?x a skg:Partnership",
    "programmes": "?x a/rdfs:subClassOf* skg:Programme",
    "practices": "?x a skos:Concept ; skg:polarity []",
    "documents": "?x a skg:Document",
    "findings": "?x a skg:Finding",
    "participations": "?x a skg:Participation",
    "judgements": "?x a skg:Judgement",
    "observations": "?x a skg:Observation",
    "improvements": "?x a skg:Improvement",
}


def graph_stats(store: Store) -> dict[str, int]:
    """Number of distinct things of each kind in the store, and of quads."""
    parts = [
        f"{{ SELECT (COUNT(DISTINCT ?x{i}) AS ?c{i}) WHERE {{ {pattern.replace('?x', f'?x{i}')} }} }}"
        for i, pattern in enumerate(COUNTED.values())
    ]
    sparql = SPARQL_PREFIXES + f"SELECT {' '.join(f'?c{i}' for i in range(len(parts)))} WHERE {{ {' '.join(parts)} }}"
    table = to_table(store.query(sparql))
    out = dict(zip(COUNTED, (int(v or 0) for v in table.rows[0]), strict=True))
    quads = to_table(store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"))
    out["quads"] = int(quads.rows[0][0] or 0)
    return out
