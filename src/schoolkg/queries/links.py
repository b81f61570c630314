"""Read the name-linking outcome (the ``…/graph/derived/name-links`` graph) back from a store."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from schoolkg.store.base import Store, select
from schoolkg.vocab import SPARQL_PREFIXES

__all__ = ["IdentityReport", "LinkedSchool", "identity_report", "read_report"]

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


_LINKED = """
SELECT ?s ?name ?to ?toUrn ?toName ?cand ?score ?date
       (GROUP_CONCAT(DISTINCT ?todayUrn; separator=" ") AS ?today) WHERE {
  ?s skg:linkStatus "linked" ; schema:name ?name ; skos:closeMatch ?to .
  ?c skg:linkFor ?s ; skg:resolvedTo ?to ; skg:candidate ?cand ; skg:matchScore ?score .
  OPTIONAL { ?c skg:atDate ?date }
  OPTIONAL { ?to skg:urn ?toUrn }
  OPTIONAL { ?to schema:name ?toName }
  OPTIONAL { ?to skg:successor* ?now . FILTER NOT EXISTS { ?now skg:successor ?later } ?now skg:urn ?todayUrn }
} GROUP BY ?s ?name ?to ?toUrn ?toName ?cand ?score ?date ORDER BY ?name
"""

_COUNTS = """
SELECT
  (SUM(IF(?k = "same", 1, 0)) AS ?same) (SUM(IF(?k = "close", 1, 0)) AS ?close)
  (SUM(IF(?k = "succ", 1, 0)) AS ?succ) (SUM(IF(?k = "dated", 1, 0)) AS ?dated)
WHERE {
  { SELECT DISTINCT ?x ("same" AS ?k) WHERE {
      ?x owl:sameAs ?gov FILTER(STRSTARTS(STR(?gov), "http://education.data.gov.uk/")) } }
  UNION { SELECT DISTINCT ?x ("close" AS ?k) WHERE { ?x skg:linkStatus "linked" ; skos:closeMatch ?y } }
  UNION { SELECT DISTINCT ?x ("succ" AS ?k) WHERE { ?x a skg:Succession } }
  UNION { SELECT DISTINCT ?x ("dated" AS ?k) WHERE { ?x a skg:Succession ; dcterms:date ?d } }
}
"""


@dataclass(frozen=True)
class LinkedSchool:
    """A school known by name, linked (skos:closeMatch) to the establishment of its source's date."""

    iri: str
    name: str
    school: str
    urn: str
    school_name: str
    candidate: str
    score: float
    date: str
    today: tuple[str, ...]


@dataclass(frozen=True)
class IdentityReport:
    """What ``schoolkg link --report`` shows: statuses, counts, and each linked school's chain."""

    statuses: dict[str, list[tuple[str, str, list[tuple[str, str, float]]]]]
    linked: list[LinkedSchool]
    same_as: int
    close_match: int
    successions: int
    dated_successions: int


def identity_report(store: Store) -> IdentityReport:
    """The name-linking outcome with the identity links: exact-URN owl:sameAs, name-match
    skos:closeMatch resolved to the establishment of the source's date, and the successions
    (GIAS links) a query follows to today's URN."""

    def text(row: Any, key: str) -> str:
        return row[key].value if row[key] is not None else ""

    linked = [
        LinkedSchool(
            text(r, "s"),
            text(r, "name"),
            text(r, "to"),
            text(r, "toUrn"),
            text(r, "toName"),
            text(r, "cand"),
            float(text(r, "score") or 0),
            text(r, "date"),
            tuple(text(r, "today").split()),
        )
        for r in select(store, SPARQL_PREFIXES + _LINKED)
    ]
    counts = next(iter(select(store, SPARQL_PREFIXES + _COUNTS)))

    def n(key: str) -> int:
        return int(counts[key].value) if counts[key] is not None else 0

    return IdentityReport(read_report(store), linked, n("same"), n("close"), n("succ"), n("dated"))
