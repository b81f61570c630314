"""Precomputed, dated aggregate graphs that the heavy catalogue queries read (issue 19).

:func:`aggregate_quads` makes one pass over a graph's quads (a build's list, or a store's
``quads_for_pattern(None, None, None)``) and returns seven named graphs under
``…/graph/aggregates/``:

- ``cooccurrence``: one :class:`skg:PracticePairCount` per pair of practices and context
  kind (``document``: the findings' source; ``subject``: what they are about) with the
  number of contexts holding both, as ``queries/practice-cooccurrence.rq`` counts them;
- ``documents``: per document its finding, judgement, observation and participation counts, and
  its IRI's rank among them (a sort key that ORDER BY compares without reading the IRIs);
- ``subjects``: per subject the sorted labels of its strength and weakness practices;
- ``schools``: per school its judgement dates and establishment dates, per subject and area its
  latest judgements, per subject and programme its first participation
  (:mod:`schoolkg.mapping.school_aggregates`);
- ``reports``: per school and report its dates and practices with polarity, and per practice and
  polarity its finding and source counts (:mod:`schoolkg.mapping.report_aggregates`);
- ``practices``: per judgement area, the improved and not-improved schools and the practices
  reported of them, and the practices reported between consecutive inspections, counted from the
  ``reports`` graph's summaries (:mod:`schoolkg.mapping.practice_aggregates`);
- ``attainment``: per measure and lag, the dated reports with results before and after them and
  their mean change, and the same per practice and polarity reported, counted from the
  ``reports`` graph's summaries and the results (:mod:`schoolkg.mapping.attainment_aggregates`).

Each graph says it ``prov:wasGeneratedBy`` the build's :class:`skg:AggregateComputation`
(dated with ``skg:dataAsOf``, the newest date in the data, so builds stay reproducible)
and ``prov:wasDerivedFrom`` the graphs it read. Existing aggregate graphs are not read.
"""

from __future__ import annotations

import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import combinations
from typing import Any

from pyoxigraph import Literal, NamedNode, Quad

from schoolkg import iris
from schoolkg.mapping.attainment_aggregates import Results, attainment_summaries
from schoolkg.mapping.practice_aggregates import practice_summaries
from schoolkg.mapping.report_aggregates import ReportFacts
from schoolkg.mapping.school_aggregates import WANTED as _SCHOOL_WANTED
from schoolkg.mapping.school_aggregates import SchoolFacts, school_summaries
from schoolkg.mapping.terms import lit
from schoolkg.vocab import DCT, PROV, RDF, RDFS, SKG, SKOS

__all__ = ["AGGREGATE_GRAPHS", "aggregate_quads"]

AGGREGATE_GRAPHS = ("cooccurrence", "documents", "subjects", "schools", "reports", "practices", "attainment")
"""The aggregate graphs a build writes (``iris.aggregate_graph(name)``)."""

_TYPE, _PRACTICE, _SOURCE, _ABOUT = RDF.type.value, SKG.practice.value, SKG.source.value, SKG.about.value
_POLARITY, _PREF = SKG.polarity.value, SKOS.prefLabel.value
_DATES = {DCT.issued.value, DCT.date.value}
_COUNTED = {
    SKG.Finding.value: SKG.findingCount,
    SKG.Judgement.value: SKG.judgementCount,
    SKG.Observation.value: SKG.observationCount,
    SKG.Participation.value: SKG.participationCount,
}
_POLARITIES = {SKG.strength.value: SKG.strengthSummary, SKG.weakness.value: SKG.weaknessSummary}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def aggregate_quads(quads: Iterable[Any]) -> list[Quad]:
    """The aggregate graphs of the graph in ``quads`` (read once; other aggregates ignored).

    Examples
    --------
    >>> from schoolkg.vocab import SKG, SKOS, RDF
    >>> g, doc = NamedNode("http://x/g"), NamedNode("http://x/doc")
    >>> p = [NamedNode(iris.PRACTICE_BASE + n) for n in ("a", "b")]
    >>> data = [Quad(doc, RDF.type, SKG.Document, g)]
    >>> for i, practice in enumerate(p):
    ...     f = NamedNode(f"http://x/f{i}")
    ...     data += [Quad(f, RDF.type, SKG.Finding, g), Quad(f, SKG.practice, practice, g),
    ...              Quad(f, SKG.source, doc, g), Quad(practice, SKOS.prefLabel, Literal(f"p{i}"), g)]
    >>> out = aggregate_quads(data)
    >>> sorted(q.object.value for q in out if q.predicate == SKG.contextCount)
    ['1']
    >>> [q.object.value for q in out if q.predicate == SKG.findingCount]
    ['2']
    """
    reports, results = ReportFacts(), Results()
    facts = _Facts(results.watch(reports.watch(quads)))
    out: list[Quad] = []
    out += _provenance("cooccurrence", facts, _cooccurrence(facts))
    out += _provenance("documents", facts, _documents(facts))
    out += _provenance("subjects", facts, _subjects(facts))
    out += _provenance("schools", facts, school_summaries(facts.schools))
    report_triples = reports.triples(facts)
    out += _provenance("reports", facts, report_triples)
    out += _provenance("practices", facts, practice_summaries(facts.schools, report_triples))
    out += _provenance("attainment", facts, attainment_summaries(results, facts.schools, report_triples))
    return out


class _Facts:
    """What the aggregates need, indexed in one pass."""

    def __init__(self, quads: Iterable[Any]) -> None:
        self.types: dict[str, set[str]] = defaultdict(set)
        self.practices: dict[str, set[str]] = defaultdict(set)
        self.sources: dict[str, set[str]] = defaultdict(set)
        self.abouts: dict[str, set[str]] = defaultdict(set)
        self.polarity: dict[str, set[str]] = defaultdict(set)
        self.labels: dict[str, set[str]] = defaultdict(set)
        self.graphs: set[str] = set()
        self.newest = ""
        self.schools = SchoolFacts()
        wanted = {_TYPE, _PRACTICE, _SOURCE, _ABOUT, _POLARITY, _PREF} | _DATES
        for q in quads:
            p = q.predicate.value
            if p not in wanted and p not in _SCHOOL_WANTED:
                continue
            graph = q.graph_name.value if isinstance(q.graph_name, NamedNode) else ""
            if graph.startswith(iris.GRAPH_AGGREGATES):
                continue
            s, o = q.subject, q.object
            if p in _SCHOOL_WANTED and isinstance(s, NamedNode):
                self.schools.add(s, p, o)
            if p not in wanted:
                continue
            if p in _DATES:
                if isinstance(o, Literal) and _DATE.match(o.value) and o.value[:10] > self.newest:
                    self.newest = o.value[:10]
                continue
            if p == _PREF:
                if isinstance(s, NamedNode) and isinstance(o, Literal):
                    self.labels[s.value].add(o.value)
                continue
            if not isinstance(s, NamedNode) or not isinstance(o, NamedNode):
                continue
            # one str per IRI, shared by every index (at 60,000 documents each finding's IRI was
            # otherwise held five times over)
            if p == _TYPE:
                if o.value in _COUNTED or o.value == SKG.Document.value:
                    self.types[o.value].add(sys.intern(s.value))
                    self.graphs.add(graph)
                continue
            {_PRACTICE: self.practices, _SOURCE: self.sources, _ABOUT: self.abouts, _POLARITY: self.polarity}[p][
                sys.intern(s.value)
            ].add(sys.intern(o.value))

    def findings(self) -> set[str]:
        return self.types[SKG.Finding.value]


def _cooccurrence(facts: _Facts) -> list[tuple[NamedNode, NamedNode, Any]]:
    counts: Counter[tuple[str, str, str]] = Counter()
    for kind, links in (("document", facts.sources), ("subject", facts.abouts)):
        by_context: dict[str, set[str]] = defaultdict(set)
        for f in facts.findings():
            for practice in facts.practices.get(f, ()):
                for ctx in links.get(f, ()):
                    by_context[ctx].add(practice)
        for practices in by_context.values():
            for a, b in combinations(sorted(practices), 2):
                counts[(kind, a, b)] += 1
    out: list[tuple[NamedNode, NamedNode, Any]] = []
    for (kind, a, b), n in sorted(counts.items()):
        node = NamedNode(iris.practice_pair_iri(kind, a, b))
        out += [
            (node, RDF.type, SKG.PracticePairCount),
            (node, SKG.contextKind, lit(kind)),
            (node, SKG.practiceA, NamedNode(a)),
            (node, SKG.practiceB, NamedNode(b)),
            (node, SKG.contextCount, lit(n)),
        ]
    return out


def _documents(facts: _Facts) -> list[tuple[NamedNode, NamedNode, Any]]:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for cls in _COUNTED:
        for item in facts.types[cls]:
            for doc in facts.sources.get(item, ()):
                counts[doc][cls] += 1
    out: list[tuple[NamedNode, NamedNode, Any]] = []
    for rank, doc in enumerate(sorted(facts.types[SKG.Document.value]), 1):
        node = NamedNode(doc)
        out += [(node, prop, lit(counts[doc][cls])) for cls, prop in _COUNTED.items()]
        out.append((node, SKG.documentRank, lit(rank)))  # IRIs in code point order, as ORDER BY sorts them
    return out


def _subjects(facts: _Facts) -> list[tuple[NamedNode, NamedNode, Any]]:
    labels: dict[tuple[str, str], set[str]] = defaultdict(set)
    for f in facts.findings():
        for pol in facts.polarity.get(f, ()):
            if pol not in _POLARITIES:
                continue
            names = {label for p in facts.practices.get(f, ()) for label in facts.labels.get(p, ())}
            for subject in facts.abouts.get(f, ()):
                labels[(subject, pol)] |= names
    return [
        (NamedNode(subject), _POLARITIES[pol], lit(" | ".join(sorted(names))))
        for (subject, pol), names in sorted(labels.items())
        if names
    ]


def _provenance(name: str, facts: _Facts, triples: list[tuple[NamedNode, NamedNode, Any]]) -> list[Quad]:
    graph = NamedNode(iris.aggregate_graph(name))
    act = NamedNode(iris.AGGREGATES_ACTIVITY)
    sources = [NamedNode(g) for g in sorted(facts.graphs) if g]
    meta: list[tuple[NamedNode, NamedNode, Any]] = [
        (graph, PROV.wasGeneratedBy, act),
        (act, RDF.type, SKG.AggregateComputation),
        (act, RDFS.label, lit("schoolkg build: precomputed aggregates")),
    ]
    if facts.newest:
        meta.append((act, SKG.dataAsOf, lit(facts.newest, "date")))
    meta += [(graph, PROV.wasDerivedFrom, g) for g in sources] + [(act, PROV.used, g) for g in sources]
    return [Quad(s, p, o, graph) for s, p, o in meta + triples]
