"""The ``reports`` aggregate graph (issue 19): what each report says of each school, dated.

The temporal and cross-sectional practice queries (``practices-before-attainment-change``,
``practices-before-improvement``, ``practices-improved-vs-not``) all read every finding, resolve
its subject through ``skos:closeMatch?`` and look up its report's date; ``practices-by-polarity``
counts every finding. This graph holds that work done once per build:

- one :class:`skg:ReportSummary` per (school, source document) of the findings that are not
  recommendations, the school being the finding's subject or a register school it is
  ``skos:closeMatch`` to (as ``?named skos:closeMatch? ?s`` matches), with the report's dates under
  both rules the queries use (``skg:inspectedOrIssued``: the start of ``<doc>/inspection``, else
  the issue date; ``skg:issuedOrInspected``: the issue date, else the start of an inspection whose
  source the document is), one ``skg:reportedPracticePolarity`` link per practice and polarity, and
  the same links once more as one literal, ``skg:reportedFeatureKeys`` (a denormalised cache: the
  links' keys, sorted and space-separated, so ``schoolkg analyse`` reads one row per report
  instead of one per finding or link; :mod:`schoolkg.analysis.graphs`);
- one :class:`skg:PracticePolarity` per practice and polarity (a few hundred), shared by the
  summaries' links, with the number of findings (recommendations included) and of their sources;
- on each ``skg:Improvement``, ``skg:improvementDigest``: its subject, area, dates and grades (of its
  two judgements), direction and change in one literal (:meth:`ReportFacts.improvement_digest`), so
  ``schoolkg analyse`` reads one row per improvement instead of nine scans, five of them over
  every judgement (issue 19). It sits here rather than with the schools graph's per-improvement
  summaries only because this module computes it; it says nothing about reports.

Why this shape: a link per reported pair is one triple per (report, practice, polarity) where a node
per pair would be five, and a query reads a report's school and dates once, not once per pair;
the pair nodes are few, so joining them to practices and labels costs nothing.

:class:`ReportFacts` watches the one pass :func:`schoolkg.mapping.aggregates.aggregate_quads`
makes and keeps only what that pass does not: name links, recommendations, inspections and dates.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from typing import Any, Protocol

from pyoxigraph import Literal, NamedNode

from schoolkg import iris
from schoolkg.mapping.terms import lit
from schoolkg.vocab import DCT, PROV, RDF, SKG, SKOS, XSD

__all__ = ["PRACTICE_POLARITY_PREFIX", "ReportFacts", "feature_keys"]

PRACTICE_POLARITY_PREFIX = iris.practice_polarity_iri(iris.PRACTICE_BASE + "x", "x").rsplit("/", 2)[0] + "/"
"""What every ``skg:PracticePolarity`` IRI starts with (``…/aggregate/practice-polarity/``)."""

_CLOSE, _STARTED, _ISSUED, _TYPE = SKOS.closeMatch.value, PROV.startedAtTime.value, DCT.issued.value, RDF.type.value
_REC, _INSPECTION, _IMPROVEMENT = SKG.Recommendation.value, SKG.Inspection.value, SKG.Improvement.value
_STEP = {  # what an improvement's digest is made of: its own links and its judgements' (skg:improvementDigest)
    SKG.before.value: "before",
    SKG.after.value: "after",
    SKG.direction.value: "direction",
    SKG.change.value: "change",
    SKG.area.value: "area",
    SKG.grade.value: "grade",
    DCT.date.value: "date",
}
_WATCHED = frozenset({_TYPE, _CLOSE, _STARTED, _ISSUED, *_STEP})
NO_JUDGEMENTS = "none"
"""The ``skg:improvementDigest`` of an improvement without its earlier or later judgement."""
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")

Triple = tuple[NamedNode, NamedNode, Any]


class Linked(Protocol):
    """The findings' links :class:`schoolkg.mapping.aggregates` already indexes (subject -> objects)."""

    @property
    def types(self) -> Mapping[str, set[str]]: ...
    @property
    def practices(self) -> Mapping[str, set[str]]: ...
    @property
    def sources(self) -> Mapping[str, set[str]]: ...
    @property
    def abouts(self) -> Mapping[str, set[str]]: ...
    @property
    def polarity(self) -> Mapping[str, set[str]]: ...


class ReportFacts:
    """What the ``reports`` graph needs beyond the shared index, read as the quads go by."""

    def __init__(self) -> None:
        self.close: dict[str, set[str]] = defaultdict(set)
        self.recommendations: set[str] = set()
        self.inspections: set[str] = set()
        self.started: dict[str, set[Literal]] = defaultdict(set)
        self.issued: dict[str, set[Literal]] = defaultdict(set)
        self.improvements: set[str] = set()
        self.step: dict[str, dict[str, set[str]]] = {name: defaultdict(set) for name in _STEP.values()}

    def watch(self, quads: Iterable[Any]) -> Iterator[Any]:
        """Yield ``quads`` unchanged, noting name links, recommendations, inspections and dates
        (aggregate graphs skipped, as the shared index skips them)."""
        for q in quads:
            yield q
            p = q.predicate.value
            if p not in _WATCHED:
                continue
            s, o = q.subject, q.object
            if not isinstance(s, NamedNode):
                continue
            if isinstance(q.graph_name, NamedNode) and q.graph_name.value.startswith(iris.GRAPH_AGGREGATES):
                continue
            step = _STEP.get(p)
            if step is not None:
                self.step[step][s.value].add(o.value)
                continue
            if p == _TYPE:
                if o.value == _REC:
                    self.recommendations.add(s.value)
                elif o.value == _INSPECTION:
                    self.inspections.add(s.value)
                elif o.value == _IMPROVEMENT:
                    self.improvements.add(s.value)
            elif isinstance(o, Literal):
                if p != _CLOSE:
                    (self.started if p == _STARTED else self.issued)[s.value].add(o)
            elif p == _CLOSE and isinstance(o, NamedNode):
                self.close[s.value].add(o.value)

    def triples(self, facts: Linked) -> list[Triple]:
        """The ``reports`` graph's statements (its provenance added by the caller)."""
        findings = facts.types.get(SKG.Finding.value, set())
        summaries: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
        counted: dict[tuple[str, str], set[str]] = defaultdict(set)
        sources: dict[tuple[str, str], set[str]] = defaultdict(set)
        for f in findings:
            docs = facts.sources.get(f, set())
            pairs = {(p, pol) for p in facts.practices.get(f, ()) for pol in facts.polarity.get(f, ())}
            if docs:
                for pair in pairs:
                    counted[pair].add(f)
                    sources[pair] |= docs
            if f in self.recommendations:
                continue
            for named in facts.abouts.get(f, ()):
                for school in {named} | self.close.get(named, set()):
                    for doc in docs:
                        summaries[(school, doc)] |= pairs
        given = self._sourced(facts)
        out: list[Triple] = []
        minted: dict[str, tuple[str, str]] = {}
        for (school, doc), pairs in sorted(summaries.items()):
            node = NamedNode(iris.report_summary_iri(school, doc))
            if minted.setdefault(node.value, (school, doc)) != (school, doc):
                raise ValueError(f"two report summaries would share the IRI {node.value}")
            out += [
                (node, RDF.type, SKG.ReportSummary),
                (node, SKG.summarySchool, NamedNode(school)),
                (node, SKG.summaryDocument, NamedNode(doc)),
            ]
            out += [(node, SKG.inspectedOrIssued, d) for d in sorted(self._inspected_or_issued(doc), key=str)]
            out += [(node, SKG.issuedOrInspected, d) for d in sorted(self._issued_or_inspected(doc, given), key=str)]
            links = [iris.practice_polarity_iri(p, pol) for p, pol in sorted(pairs)]
            out += [(node, SKG.reportedPracticePolarity, NamedNode(link)) for link in links]
            out.append((node, SKG.reportedFeatureKeys, lit(feature_keys(links))))
        for imp in sorted(self.improvements):
            digest = self.improvement_digest(imp, facts.abouts)
            if digest is not None:
                out.append((NamedNode(imp), SKG.improvementDigest, lit(digest)))
        for p, pol in sorted(counted):
            node = NamedNode(iris.practice_polarity_iri(p, pol))
            out += [
                (node, RDF.type, SKG.PracticePolarity),
                (node, SKG.ofPractice, NamedNode(p)),
                (node, SKG.withPolarity, NamedNode(pol)),
                (node, SKG.polarFindingCount, lit(len(counted[(p, pol)]))),
                (node, SKG.polarSourceCount, lit(len(sources[(p, pol)]))),
            ]
        return out

    def improvement_digest(self, imp: str, abouts: Mapping[str, set[str]]) -> str | None:
        """``skg:improvementDigest`` of ``imp``: its subject, the area, date and grade of its earlier judgement,
        the date and grade of its later one, its direction and change, as they are stated (their
        IRIs or lexical forms), space-separated, ``-`` for one not stated; :data:`NO_JUDGEMENTS`
        when either judgement is not stated; None (no digest) when a value is stated twice or holds
        a space or is ``-``, so a reader falls back to the statements themselves."""
        step = self.step

        def one(name: str, node: str) -> str | None:
            return one_of(step[name].get(node, set()))

        def one_of(values: set[str]) -> str | None:
            if not values:
                return "-"
            if len(values) > 1:
                return None
            (value,) = values
            return value if value != "-" and value.split() == [value] else None

        before, after = step["before"].get(imp, set()), step["after"].get(imp, set())
        if len(before) > 1 or len(after) > 1:
            return None
        if not before or not after:
            return NO_JUDGEMENTS
        j1, j2 = next(iter(before)), next(iter(after))
        tokens = [
            one_of(abouts.get(imp, set())),
            one("area", j1),
            one("date", j1),
            one("date", j2),
            one("grade", j1),
            one("grade", j2),
            one("direction", imp),
            one("change", imp),
        ]
        if any(t is None for t in tokens):
            return None
        return " ".join(t for t in tokens if t is not None)

    def _sourced(self, facts: Linked) -> dict[str, set[str]]:
        """Per document, the inspections whose source it is."""
        given: dict[str, set[str]] = defaultdict(set)
        for insp in self.inspections:
            for doc in facts.sources.get(insp, ()):
                given[doc].add(insp)
        return given

    def _inspected_or_issued(self, doc: str) -> set[Literal]:
        """``COALESCE(xsd:date(SUBSTR(STR(?started), 1, 10)), xsd:date(?issued))`` over every
        combination of ``<doc>/inspection``'s starts and the document's issue dates (OPTIONALs)."""
        starts = [_day(s.value[:10]) for s in self.started.get(f"{doc}/inspection", ())] or [None]
        issues = [_cast_date(i) for i in self.issued.get(doc, ())] or [None]
        return {d for s in starts for i in issues if (d := s if s is not None else i) is not None}

    def _issued_or_inspected(self, doc: str, given: Mapping[str, set[str]]) -> set[Literal]:
        """``COALESCE(?issued, xsd:date(?started))``, the inspections being the ones sourced by ``doc``."""
        issued = self.issued.get(doc, set())
        if issued:
            return set(issued)
        starts = (_cast_date(s) for insp in given.get(doc, ()) for s in self.started.get(insp, ()))
        return {d for d in starts if d is not None}


def feature_keys(links: Iterable[str]) -> str:
    """The ``skg:reportedFeatureKeys`` of a summary: its ``skg:reportedPracticePolarity`` IRIs
    without :data:`PRACTICE_POLARITY_PREFIX`, sorted, space-separated ("" for none).

    >>> feature_keys([iris.practice_polarity_iri(iris.PRACTICE_BASE + "b", "x#weakness"),
    ...               iris.practice_polarity_iri(iris.PRACTICE_BASE + "a", "x#strength")])
    'a/strength b/weakness'
    """
    keys = []
    for link in links:
        if not link.startswith(PRACTICE_POLARITY_PREFIX):
            raise ValueError(f"not a practice-polarity IRI: {link}")
        keys.append(link[len(PRACTICE_POLARITY_PREFIX) :])
    return " ".join(sorted(keys))


def _day(text: str) -> Literal | None:
    """``xsd:date(text)`` for a plain ``YYYY-MM-DD`` (None where the cast fails)."""
    if not _DAY.fullmatch(text):
        return None
    try:
        date.fromisoformat(text)
    except ValueError:
        return None
    return Literal(text, datatype=XSD.date)


def _cast_date(value: Literal) -> Literal | None:
    """``xsd:date(value)`` for the forms the mapping writes: an xsd:date or string ``YYYY-MM-DD``,
    an xsd:dateTime without a time zone (its day); None for anything else."""
    if value.datatype == XSD.dateTime:
        text = value.value
        return _day(text[:10]) if re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?", text) else None
    if value.datatype in (XSD.date, XSD.string):
        return _day(value.value)
    return None
