"""Read what the analysis needs from the store (SPARQL) into plain records; the only store reader here."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from schoolkg.analysis.improvement import ImprovementRecord, ObservationRecord
from schoolkg.store.base import Store, select
from schoolkg.vocab import SPARQL_PREFIXES

__all__ = ["AnalysisData", "read_analysis_data"]


FINDINGS = """SELECT ?s ?p ?pol ?doc WHERE {
  ?f a skg:Finding ; skg:about ?s ; skg:practice ?p ; skg:polarity ?pol ; skg:source ?doc }"""

IMPROVEMENTS = """SELECT ?imp ?s ?area ?d1 ?d2 ?dir ?change WHERE {
  ?imp a skg:Improvement ; skg:about ?s ; skg:before ?j1 ; skg:after ?j2 ; skg:direction ?dir .
  OPTIONAL { ?imp skg:change ?change } OPTIONAL { ?j1 skg:area ?area }
  OPTIONAL { ?j1 dcterms:date ?d1 } OPTIONAL { ?j2 dcterms:date ?d2 } }"""

OBSERVATIONS = """SELECT ?o ?s ?group ?m ?period ?value ?src WHERE {
  ?o a skg:Observation ; skg:measure ?m ; skg:period ?period ; skg:value ?value ; skg:source ?src .
  OPTIONAL { ?o skg:about ?s } OPTIONAL { ?o skg:comparisonGroup ?group } }"""

PRACTICES = """SELECT ?p ?label ?pol WHERE {
  ?p a skos:Concept ; skos:prefLabel ?label . OPTIONAL { ?p skg:polarity ?pol } }"""

GRAPHS = """SELECT DISTINCT ?g WHERE {
  VALUES ?t { skg:Finding skg:Improvement skg:Observation } GRAPH ?g { ?x a ?t } }"""


@dataclass
class AnalysisData:
    """Plain records read from the graph: findings, improvements, observations, practice labels."""

    findings: list[tuple[str, str, str, str]] = field(default_factory=list)
    improvements: list[ImprovementRecord] = field(default_factory=list)
    observations: list[ObservationRecord] = field(default_factory=list)
    practice_labels: dict[str, str] = field(default_factory=dict)
    graphs: list[str] = field(default_factory=list)

    def finding_triples(self, unit: str = "subject") -> list[tuple[str, str, str]]:
        """``(unit, practice, polarity)`` where unit is the finding's subject or its source document."""
        if unit == "document":
            return [(doc, p, pol) for _, p, pol, doc in self.findings]
        return [(s, p, pol) for s, p, pol, _ in self.findings]


def read_analysis_data(store: Store) -> AnalysisData:
    """Run the analysis queries on ``store`` and return plain records."""
    data = AnalysisData()
    data.findings = [(s, p, pol, doc) for s, p, pol, doc in _rows(store, FINDINGS, 4)]
    for imp, s, area, d1, d2, direction, change in _rows(store, IMPROVEMENTS, 7):
        data.improvements.append(
            ImprovementRecord(
                imp,
                s,
                area or "",
                d1 or "",
                d2 or "",
                (direction or "").rsplit("#", 1)[-1],
                None if change is None else float(change),
            )
        )
    for o, s, group, m, period, value, src in _rows(store, OBSERVATIONS, 7):
        data.observations.append(ObservationRecord(o, s, group, m, period, float(value), src))
    for p, label, _ in _rows(store, PRACTICES, 3):
        data.practice_labels[p.rstrip("/").rsplit("/", 1)[-1]] = label
    data.graphs = sorted(g for (g,) in _rows(store, GRAPHS, 1))
    return data


def _rows(store: Store, body: str, width: int) -> list[tuple[Any, ...]]:
    results = select(store, SPARQL_PREFIXES + body)
    names = [v.value for v in results.variables]
    out = []
    for sol in results:
        out.append(tuple(None if (term := sol[n]) is None else term.value for n in names[:width]))
    return out
