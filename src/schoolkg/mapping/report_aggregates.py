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
  the summary once more as one literal, ``skg:summaryDigest`` (a denormalised cache: its school,
  document, earliest ``skg:inspectedOrIssued`` and the links' keys, space-separated, so
  ``schoolkg analyse`` reads one row per report instead of one per finding, link or property;
  :mod:`schoolkg.analysis.graphs`);
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
from collections.abc import Set as AbstractSet
from datetime import date
from sys import intern
from typing import Any, NamedTuple, Protocol

from pyoxigraph import Literal, NamedNode

from schoolkg import iris
from schoolkg.mapping.multimap import MultiMap
from schoolkg.mapping.school_aggregates import SchoolFacts
from schoolkg.mapping.terms import lit
from schoolkg.vocab import DCT, PROV, RDF, SKG, SKOS, XSD

__all__ = ["PRACTICE_POLARITY_PREFIX", "WATCHED", "ReportFacts", "Summary", "feature_keys", "summary_digest"]

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
_LINKED_STEPS = frozenset({SKG.before.value, SKG.after.value, SKG.direction.value, SKG.area.value, SKG.grade.value})
"""Predicates of :data:`_STEP` whose IRI objects :class:`SchoolFacts` indexes (``links``)."""
_STEP_LINKS = {_STEP[p]: p for p in _LINKED_STEPS}
_DAY_STEP = DCT.date.value
"""The predicate of :data:`_STEP` whose literals :class:`SchoolFacts` indexes (``dates``, ``other_dates``)."""
WATCHED = frozenset({_TYPE, _CLOSE, _STARTED, _ISSUED, *_STEP})
"""The predicates :meth:`ReportFacts.add` reads."""
NO_JUDGEMENTS = "none"
"""The ``skg:improvementDigest`` of an improvement without its earlier or later judgement."""
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")

Triple = tuple[NamedNode, NamedNode, Any]


class Summary(NamedTuple):
    """One ``skg:ReportSummary``: its IRI, school, document, dates under both rules (sorted) and pairs (sorted)."""

    node: str
    school: str
    doc: str
    inspected: list[Literal]
    issued: list[Literal]
    pairs: list[tuple[str, str]]


Pair = tuple[str, str]
"""A practice and a polarity (their IRIs)."""


class Linked(Protocol):
    """The links :class:`schoolkg.mapping.aggregates` indexes (subject -> objects) of what is not a
    finding: inspections' sources, improvements' subjects."""

    @property
    def sources(self) -> Mapping[str, AbstractSet[str]]: ...
    @property
    def abouts(self) -> Mapping[str, AbstractSet[str]]: ...


class FindingSums(Protocol):
    """What the findings say, summed per document, subject and pair (:class:`schoolkg.mapping.aggregates`)."""

    @property
    def named_docs(self) -> Mapping[tuple[str, str], set[Pair]]:
        """Per (subject as named, source document), the pairs of its findings that are not recommendations."""
        ...

    @property
    def pair_findings(self) -> Mapping[Pair, int]:
        """Per pair, how many findings with a source report it (recommendations too)."""
        ...

    @property
    def pair_docs(self) -> Mapping[Pair, set[str]]:
        """Per pair, the sources of those findings."""
        ...


class ReportFacts:
    """What the ``reports`` graph needs beyond the shared index, read as the quads go by (:meth:`add`)."""

    def __init__(self, schools: SchoolFacts) -> None:
        self.schools = schools
        """The school summaries' index, fed the same statements: it holds the IRI links and the
        date literals of an improvement and its judgements, which :attr:`step` then leaves out."""
        self.close: MultiMap[str] = MultiMap()
        self.recommendations: set[str] = set()
        self.inspections: set[str] = set()
        self.started: MultiMap[Literal] = MultiMap()
        self.issued: MultiMap[Literal] = MultiMap()
        self.improvements: set[str] = set()
        self.step: dict[str, MultiMap[str]] = {name: MultiMap() for name in _STEP.values()}

    def add(self, s: str, p: str, o: Any) -> None:
        """Note one statement of a named subject (``s`` its IRI's interned string; ``p`` in :data:`WATCHED`;
        aggregate graphs left out by the caller): name links, recommendations, inspections and dates."""
        step = _STEP.get(p)
        if step is not None:
            if not (isinstance(o, NamedNode) if p in _LINKED_STEPS else p == _DAY_STEP and isinstance(o, Literal)):
                self.step[step].add(s, intern(o.value))
        elif p == _TYPE:
            if o.value == _REC:
                self.recommendations.add(s)
            elif o.value == _INSPECTION:
                self.inspections.add(s)
            elif o.value == _IMPROVEMENT:
                self.improvements.add(s)
        elif isinstance(o, Literal):
            if p != _CLOSE:
                (self.started if p == _STARTED else self.issued).add(s, o)
        elif p == _CLOSE and isinstance(o, NamedNode):
            self.close.add(s, intern(o.value))

    def summaries(self, sums: FindingSums, facts: Linked) -> list[Summary]:
        """The report summaries, sorted by (school, document): each school resolved through ``skos:closeMatch?``."""
        merged: dict[tuple[str, str], set[Pair]] = defaultdict(set)
        for (named, doc), pairs in sums.named_docs.items():
            for school in {named} | self.close.get(named, set()):
                merged[(school, doc)] |= pairs
        given = self._sourced(facts)
        out: list[Summary] = []
        minted: dict[str, tuple[str, str]] = {}
        for (school, doc), pairs in sorted(merged.items()):
            node = iris.report_summary_iri(school, doc)
            if minted.setdefault(node, (school, doc)) != (school, doc):
                raise ValueError(f"two report summaries would share the IRI {node}")
            inspected = sorted(self._inspected_or_issued(doc), key=str)
            issued = sorted(self._issued_or_inspected(doc, given), key=str)
            out.append(Summary(node, school, doc, inspected, issued, sorted(pairs)))
        return out

    def triples(self, sums: FindingSums, facts: Linked, summaries: list[Summary] | None = None) -> Iterator[Triple]:
        """The ``reports`` graph's statements (its provenance added by the caller)."""
        for r in self.summaries(sums, facts) if summaries is None else summaries:
            node = NamedNode(r.node)
            yield (node, RDF.type, SKG.ReportSummary)
            yield (node, SKG.summarySchool, NamedNode(r.school))
            yield (node, SKG.summaryDocument, NamedNode(r.doc))
            for d in r.inspected:
                yield (node, SKG.inspectedOrIssued, d)
            for d in r.issued:
                yield (node, SKG.issuedOrInspected, d)
            links = [iris.practice_polarity_iri(p, pol) for p, pol in r.pairs]
            for link in links:
                yield (node, SKG.reportedPracticePolarity, NamedNode(link))
            yield (node, SKG.summaryDigest, lit(summary_digest(r.school, r.doc, r.inspected, links)))
        for imp in sorted(self.improvements):
            digest = self.improvement_digest(imp, facts.abouts)
            if digest is not None:
                yield (NamedNode(imp), SKG.improvementDigest, lit(digest))
        for p, pol in sorted(sums.pair_findings):
            node = NamedNode(iris.practice_polarity_iri(p, pol))
            yield (node, RDF.type, SKG.PracticePolarity)
            yield (node, SKG.ofPractice, NamedNode(p))
            yield (node, SKG.withPolarity, NamedNode(pol))
            yield (node, SKG.polarFindingCount, lit(sums.pair_findings[(p, pol)]))
            yield (node, SKG.polarSourceCount, lit(len(sums.pair_docs[(p, pol)])))

    def improvement_digest(self, imp: str, abouts: Mapping[str, AbstractSet[str]]) -> str | None:
        """``skg:improvementDigest`` of ``imp``: its subject, the area, date and grade of its earlier judgement,
        the date and grade of its later one, its direction and change, as they are stated (their
        IRIs or lexical forms), space-separated, ``-`` for one not stated; :data:`NO_JUDGEMENTS`
        when either judgement is not stated; None (no digest) when a value is stated twice or holds
        a space or is ``-``, so a reader falls back to the statements themselves."""

        def one(name: str, node: str) -> str | None:
            return one_of(self._step(name, node))

        def one_of(values: AbstractSet[str]) -> str | None:
            if not values:
                return "-"
            if len(values) > 1:
                return None
            (value,) = values
            return value if value != "-" and value.split() == [value] else None

        before, after = self._step("before", imp), self._step("after", imp)
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

    def _step(self, name: str, node: str) -> AbstractSet[str]:
        """The lexical forms or IRIs of ``node``'s statements of the predicate :data:`_STEP` names ``name``."""
        values: AbstractSet[str] = self.step[name].get(node, frozenset())
        linked = _STEP_LINKS.get(name)
        if linked is not None:
            values = values | self.schools.links[linked].get(node, frozenset())
        elif name == "date":
            literals = self.schools.other_dates.get(node, frozenset())
            values = values | self.schools.dates[_DAY_STEP].get(node, frozenset()) | {v.value for v in literals}
        return values

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

    def _issued_or_inspected(self, doc: str, given: Mapping[str, AbstractSet[str]]) -> set[Literal]:
        """``COALESCE(?issued, xsd:date(?started))``, the inspections being the ones sourced by ``doc``."""
        issued = self.issued.get(doc, set())
        if issued:
            return set(issued)
        starts = (_cast_date(s) for insp in given.get(doc, ()) for s in self.started.get(insp, ()))
        return {d for d in starts if d is not None}


def summary_digest(school: str, doc: str, inspected: Iterable[Literal], links: Iterable[str]) -> str:
    """The ``skg:summaryDigest`` of a summary: its school and document IRIs, the smallest lexical form
    of its ``skg:inspectedOrIssued`` dates (``-`` for none) and its :func:`feature_keys`, space-separated.

    >>> summary_digest("http://x/s", "http://x/d", [Literal("2019-02-01"), Literal("2018-05-03")],
    ...                [iris.practice_polarity_iri(iris.PRACTICE_BASE + "a", "x#strength")])
    'http://x/s http://x/d 2018-05-03 a/strength'
    >>> summary_digest("http://x/s", "http://x/d", [], [])
    'http://x/s http://x/d -'
    """
    days = [d.value for d in inspected]
    head = f"{school} {doc} {min(days) if days else '-'}"
    keys = feature_keys(links)
    return f"{head} {keys}" if keys else head


def feature_keys(links: Iterable[str]) -> str:
    """The keys of a summary's ``skg:reportedPracticePolarity`` IRIs in its ``skg:summaryDigest``: the IRIs
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
