"""Read the name-linking outcome (the ``…/graph/derived/name-links`` graph) back from a store."""

from __future__ import annotations

from schoolkg.store.base import Store, select
from schoolkg.vocab import SPARQL_PREFIXES

__all__ = ["read_report"]

_REPORT = """
SELECT ?s ?name ?status ?cand ?cname ?score ?rank WHERE {
  ?s skg:linkStatus ?status ; schema:name ?name .
  OPTIONAL { ?c skg:linkFor ?s ; skg:candidate ?cand ; skg:matchScore ?score ; skg:candidateRank ?rank .
             OPTIONAL { ?cand schema:name ?cname } }
} ORDER BY ?status ?name ?rank
"""


def read_report(store: Store) -> dict[str, list[tuple[str, str, list[tuple[str, str, float]]]]]:
    """{status: [(school IRI, name, [(candidate IRI, candidate name, score), ...])]} from a store."""
    out: dict[str, dict[str, tuple[str, str, list[tuple[str, str, float]]]]] = {}
    for row in select(store, SPARQL_PREFIXES + _REPORT):
        s, name, status = row["s"].value, row["name"].value, row["status"].value
        entry = out.setdefault(status, {}).setdefault(s, (s, name, []))
        if row["score"] is not None:
            cname = row["cname"].value if row["cname"] is not None else ""
            item = (row["cand"].value, cname, float(row["score"].value))
            if item not in entry[2]:
                entry[2].append(item)
    return {k: list(v.values()) for k, v in out.items()}
