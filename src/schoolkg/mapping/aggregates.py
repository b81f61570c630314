"""Precomputed, dated aggregate graphs that the heavy catalogue queries read (issue 19).

:func:`write_aggregates` reads a build's parts (sorted N-Quads files) and writes seven named graphs
under ``…/graph/aggregates/``; :func:`aggregate_quads` returns them for quads in memory or a
store's ``quads_for_pattern(None, None, None)``:

- ``cooccurrence``: one :class:`skg:PracticePairCount` per pair of practices and context
  kind (``document``: the findings' source; ``subject``: what they are about) with the
  number of contexts holding both, as ``queries/practice-cooccurrence.rq`` counts them;
- ``documents``: per document its finding, judgement, observation and participation counts, and
  its IRI's rank among them (a sort key that ORDER BY compares without reading the IRIs);
- ``subjects``: per subject the sorted labels of its strength and weakness practices;
- ``schools``: per school its judgement dates and establishment dates, per subject and area its
  latest judgements, per subject and programme its first participation
  (:mod:`schoolkg.mapping.school_aggregates`), and its context in one literal
  (:mod:`schoolkg.mapping.context_aggregates`);
- ``reports``: per school and report its dates and practices with polarity, and per practice and
  polarity its finding and source counts (:mod:`schoolkg.mapping.report_aggregates`);
- ``practices``: per judgement area, the improved and not-improved schools and the practices
  reported of them, and the practices reported between consecutive inspections, counted from the
  ``reports`` graph's summaries; and per programme, area and participation timing the pairs of
  inspections and how they turned out (:mod:`schoolkg.mapping.practice_aggregates`);
- ``attainment``: per measure and lag, the dated reports with results before and after them and
  their mean change, and the same per practice and polarity reported, counted from the
  ``reports`` graph's summaries and the results (:mod:`schoolkg.mapping.attainment_aggregates`).

Each graph says it ``prov:wasGeneratedBy`` the build's :class:`skg:AggregateComputation`
(dated with ``skg:dataAsOf``, the newest date in the data, so builds stay reproducible)
and ``prov:wasDerivedFrom`` the graphs it read. Existing aggregate graphs are not read.

Memory (issue 18 item 2): findings are most of a corpus's subjects, and the aggregates need of
each only its practices, sources, subjects, polarities and whether it is a recommendation. Read
from sorted parts, a finding's statements come together and are summed per document, subject and
(practice, polarity) when they end (:class:`_FindingSums`); only the subjects other aggregates
look up by IRI (judgements, improvements, inspections, documents, schools) are indexed, in
:class:`~schoolkg.mapping.multimap.MultiMap` s of interned strings, and the quads are made as
they are written. docs/benchmarks.md, "Aggregates streamed (agg26)", has the figures.
"""

from __future__ import annotations

import re
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from itertools import chain, combinations
from pathlib import Path
from sys import intern
from typing import Any

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, parse

from schoolkg import iris
from schoolkg.mapping.attainment_aggregates import Results, attainment_summaries
from schoolkg.mapping.context_aggregates import WANTED as _CONTEXT_WANTED
from schoolkg.mapping.context_aggregates import ContextFacts
from schoolkg.mapping.multimap import MultiMap
from schoolkg.mapping.nquads import write_sorted
from schoolkg.mapping.practice_aggregates import practice_summaries
from schoolkg.mapping.report_aggregates import WATCHED as _REPORT_WANTED
from schoolkg.mapping.report_aggregates import Pair, ReportFacts
from schoolkg.mapping.school_aggregates import WANTED as _SCHOOL_WANTED
from schoolkg.mapping.school_aggregates import SchoolFacts, school_summaries
from schoolkg.mapping.terms import lit
from schoolkg.vocab import DCT, PROV, RDF, RDFS, SKG, SKOS

__all__ = ["AGGREGATE_GRAPHS", "aggregate_quads", "iter_aggregate_quads", "write_aggregates"]

AGGREGATE_GRAPHS = ("cooccurrence", "documents", "subjects", "schools", "reports", "practices", "attainment")
"""The aggregate graphs a build writes (``iris.aggregate_graph(name)``)."""

_TYPE, _PRACTICE, _SOURCE, _ABOUT = RDF.type.value, SKG.practice.value, SKG.source.value, SKG.about.value
_POLARITY, _PREF = SKG.polarity.value, SKOS.prefLabel.value
_FINDING, _REC = SKG.Finding.value, SKG.Recommendation.value
_DATES = {DCT.issued.value, DCT.date.value}
_COUNTED = {
    SKG.Finding.value: SKG.findingCount,
    SKG.Judgement.value: SKG.judgementCount,
    SKG.Observation.value: SKG.observationCount,
    SKG.Participation.value: SKG.participationCount,
}
_POLARITIES = {SKG.strength.value: SKG.strengthSummary, SKG.weakness.value: SKG.weaknessSummary}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_LINKED = (_PRACTICE, _SOURCE, _ABOUT, _POLARITY)
_FOLDED = frozenset({_TYPE, *_LINKED})
"""The predicates whose statements of a finding :class:`_FindingSums` sums (a finding's other
statements are indexed as any subject's)."""
_OTHER_KINDS = frozenset(
    {*_COUNTED, SKG.Document.value, SKG.School.value, SKG.Improvement.value, SKG.LocalAuthority.value}
    | {SKG.Inspection.value}
) - {_FINDING}
"""Classes some aggregate reads its members of: a finding that is one of them too is indexed, not summed."""
_WANTED = frozenset({_PREF, *_DATES, *_FOLDED} | _SCHOOL_WANTED | _REPORT_WANTED | _CONTEXT_WANTED)

CHUNK_QUADS = 50_000
"""Aggregate quads :func:`write_aggregates` sorts in memory at a time (a few tens of MB with their lines;
the build's own chunk, four times this, held ~250 MB at the aggregate step's end)."""

Triple = tuple[NamedNode, NamedNode, Any]
Read = Callable[[], Iterable[Any]]
"""Gives the quads of a graph, afresh at each call."""


def aggregate_quads(quads: Iterable[Any]) -> list[Quad]:
    """The aggregate graphs of the graph in ``quads`` (read once; other aggregates ignored), as a list.

    A list or tuple may be read twice (see :func:`iter_aggregate_quads`).

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
    return list(iter_aggregate_quads(quads))


def iter_aggregate_quads(quads: Iterable[Any]) -> Iterator[Quad]:
    """The aggregate graphs of the graph in ``quads``, made as they are written (other aggregates ignored).

    A sequence (list, tuple) is read once where each finding's statements are consecutive (as in
    sorted N-Quads), else twice; any other iterable is read once, every finding indexed by its IRI.
    """
    if isinstance(quads, Sequence):
        return _aggregates(lambda: quads)
    return _quads(_Facts(quads, fold=False))


def write_aggregates(paths: Sequence[Path], out: Path) -> int:
    """Write the aggregate graphs of the N-Quads files ``paths`` (a build's parts and its derived
    graph) to ``out`` as sorted N-Quads; return the lines written.

    The files are read one after another. A file sorted by subject, as a build's parts are, gives
    each finding's statements together: each is summed where it ends and never held, so memory
    grows with documents and schools, not with findings. Should a finding's statements be found
    apart (not the case in a build), the files are read again and every finding held by its IRI;
    the bytes are the same either way (those of ``to_nquads(aggregate_quads(all quads))``).
    """

    def read() -> Iterator[Any]:
        for path in paths:
            yield from parse(path=str(path), format=RdfFormat.N_QUADS)

    return write_sorted(_aggregates(read), out, chunk=CHUNK_QUADS)


def _aggregates(read: Read) -> Iterator[Quad]:
    facts = _Facts(read(), fold=True)
    if not facts.folds_hold():
        facts = _Facts(read(), fold=False)
    return _quads(facts)


def _quads(facts: _Facts) -> Iterator[Quad]:
    reports, sums = facts.reports, facts.sums
    yield from _provenance("cooccurrence", facts, _cooccurrence(sums))
    yield from _provenance("documents", facts, _documents(facts))
    yield from _provenance("subjects", facts, _subjects(facts))
    yield from _provenance("schools", facts, chain(school_summaries(facts.schools), facts.context.triples()))
    summaries = reports.summaries(sums, facts)
    yield from _provenance("reports", facts, reports.triples(sums, facts, summaries))
    yield from _provenance("practices", facts, practice_summaries(facts.schools, summaries, sorted(sums.pair_findings)))
    report_triples = _Again(lambda: reports.triples(sums, facts, summaries))  # read again, never listed
    yield from _provenance("attainment", facts, attainment_summaries(facts.results, facts.schools, report_triples))


class _Again:
    """An iterable made anew by ``make`` at each iteration (a generator's statements read twice, not held)."""

    def __init__(self, make: Callable[[], Iterable[Any]]) -> None:
        self._make = make

    def __iter__(self) -> Iterator[Any]:
        return iter(self._make())


class _FindingSums:
    """What the aggregates need of the findings, summed per document, subject and pair as each
    finding is complete (:meth:`add`): never per finding."""

    def __init__(self) -> None:
        self.doc_practices: dict[str, set[str]] = defaultdict(set)
        """Per source document, the practices of its findings (co-occurrence by document)."""
        self.subject_practices: dict[str, set[str]] = defaultdict(set)
        """Per subject, the practices of the findings about it (co-occurrence by subject)."""
        self.doc_findings: Counter[str] = Counter()
        """Per source document, its findings."""
        self.polar_practices: dict[tuple[str, str], set[str]] = defaultdict(set)
        """Per (subject, strength or weakness), the practices of the findings about it so."""
        self.named_docs: dict[tuple[str, str], set[Pair]] = defaultdict(set)
        """Per (subject as named, source), the pairs of the findings that are not recommendations."""
        self.pair_findings: Counter[Pair] = Counter()
        """Per (practice, polarity), the findings with a source that report it."""
        self.pair_docs: dict[Pair, set[str]] = defaultdict(set)
        """Per (practice, polarity), the sources of those findings."""

    def add(
        self,
        practices: AbstractSet[str],
        sources: AbstractSet[str],
        abouts: AbstractSet[str],
        polarities: AbstractSet[str],
        recommendation: bool,
    ) -> None:
        """Sum one finding: its practices, sources, subjects and polarities (IRIs), and whether it
        is a recommendation. Each finding is added once."""
        for doc in sources:
            self.doc_findings[doc] += 1
        if practices:
            for doc in sources:
                self.doc_practices[doc] |= practices
            for subject in abouts:
                self.subject_practices[subject] |= practices
        for pol in polarities:
            if pol in _POLARITIES:
                for subject in abouts:
                    self.polar_practices[(subject, pol)] |= practices
        pairs = {(p, pol) for p in practices for pol in polarities}
        if sources:
            for pair in pairs:
                self.pair_findings[pair] += 1
                self.pair_docs[pair] |= sources
        if recommendation:
            return
        for named in abouts:
            for doc in sources:
                self.named_docs[(named, doc)] |= pairs


class _Facts:
    """What the aggregates need, indexed in one pass.

    With ``fold``, a named subject's statements that come together (as sorted N-Quads give them)
    are read as a group, and a group that types its subject a finding (and nothing an aggregate
    indexes by subject) is summed into :attr:`sums` at once instead of indexed; the hashes of those
    subjects, and of every other group with a statement :data:`_FOLDED` names, are kept, so that
    :meth:`folds_hold` can tell whether a summed finding had statements elsewhere. Without
    ``fold`` every statement is indexed and the findings are summed at the end.
    """

    def __init__(self, quads: Iterable[Any], fold: bool) -> None:
        self.types: dict[str, set[str]] = defaultdict(set)
        self.practices: MultiMap[str] = MultiMap()
        self.sources: MultiMap[str] = MultiMap()
        self.polarity: MultiMap[str] = MultiMap()
        self.labels: dict[str, set[str]] = defaultdict(set)
        self.graphs: set[str] = set()
        self.newest = ""
        self.schools = SchoolFacts()
        self.abouts = self.schools.links[_ABOUT]
        """The ``skg:about`` links, which the school summaries index as this does (IRIs both)."""
        self.reports = ReportFacts(self.schools)
        self.context = ContextFacts()
        """The schools' context values (``skg:contextDigest``)."""
        self.sums = _FindingSums()
        self.folded = array("q")
        """Hashes of the IRIs of the findings summed as their group ended."""
        self.grouped = array("q")
        """Hashes of the other groups' subjects that have a statement :data:`_FOLDED` names."""
        self.results = Results()
        """The results' measures, periods and values (the ``attainment`` graph's input)."""
        self._links = {_PRACTICE: self.practices, _SOURCE: self.sources, _POLARITY: self.polarity}
        self._read(self.results.watch(quads), fold)
        self._sum_indexed()

    def folds_hold(self) -> bool:
        """Whether no finding summed as its group ended has a statement :data:`_FOLDED` names in another group."""
        if not self.folded:
            return True
        import numpy as np  # here, not at import: the build's other steps and the CLI's start do not need it

        folded = np.frombuffer(self.folded, dtype=np.int64).copy()
        folded.sort()
        if folded.size > 1 and bool((folded[1:] == folded[:-1]).any()):
            return False
        grouped = np.frombuffer(self.grouped, dtype=np.int64)
        at = np.searchsorted(folded, grouped).clip(0, folded.size - 1)
        return not bool((folded[at] == grouped).any())

    def _read(self, quads: Iterable[Any], fold: bool) -> None:
        wanted, agg, dates, pref = _WANTED, iris.GRAPH_AGGREGATES, _DATES, _PREF
        subject = ""
        group: list[tuple[str, Any, str]] = []
        for q in quads:
            p = q.predicate.value
            if p not in wanted:
                continue
            g = q.graph_name
            graph = g.value if isinstance(g, NamedNode) else ""
            if graph.startswith(agg):
                continue
            s, o = q.subject, q.object
            if p in dates:
                if isinstance(o, Literal) and _DATE.match(o.value) and o.value[:10] > self.newest:
                    self.newest = o.value[:10]
            elif p == pref:
                if isinstance(s, NamedNode) and isinstance(o, Literal):
                    self.labels[intern(s.value)].add(o.value)
                continue
            if not isinstance(s, NamedNode):
                continue
            if not fold:
                self._index(intern(s.value), p, o, graph)
                continue
            value = s.value
            if value != subject:
                if group:
                    self._group(subject, group)
                    group = []
                subject = value
            group.append((p, o, graph))
        if group:
            self._group(subject, group)

    def _group(self, subject: str, group: list[tuple[str, Any, str]]) -> None:
        """Sum or index the statements of one named subject that came together."""
        finding = other = recommendation = linked = False
        for p, o, _ in group:
            if p in _FOLDED:
                linked = True
                if p == _TYPE:
                    if o.value == _FINDING and isinstance(o, NamedNode):
                        finding = True
                    elif o.value in _OTHER_KINDS:
                        other = True
                    elif o.value == _REC:
                        recommendation = True
        s = intern(subject)
        if not finding or other:
            if linked:
                self.grouped.append(hash(s))
            for p, o, graph in group:
                self._index(s, p, o, graph)
            return
        self.folded.append(hash(s))
        links: dict[str, set[str]] = {p: set() for p in _LINKED}
        for p, o, graph in group:
            if p == _TYPE:
                if o.value == _FINDING and isinstance(o, NamedNode):
                    self.graphs.add(graph)
            elif p in links:
                if isinstance(o, NamedNode):
                    links[p].add(intern(o.value))
            else:
                self._index(s, p, o, graph)
        self.sums.add(links[_PRACTICE], links[_SOURCE], links[_ABOUT], links[_POLARITY], recommendation)

    def _index(self, s: str, p: str, o: Any, graph: str) -> None:
        """Index one statement of the named subject ``s`` (an interned IRI)."""
        if p in _SCHOOL_WANTED:
            self.schools.add(s, p, o)
        if p in _REPORT_WANTED:
            self.reports.add(s, p, o)
        if p in _CONTEXT_WANTED:
            self.context.add(s, p, o)
        if p not in _FOLDED or p == _ABOUT or not isinstance(o, NamedNode):
            return
        if p == _TYPE:
            if o.value in _COUNTED or o.value == SKG.Document.value:
                self.types[o.value].add(s)
                self.graphs.add(graph)
            return
        self._links[p].add(s, intern(o.value))

    def _sum_indexed(self) -> None:
        """Sum the findings that were indexed (all of them without ``fold``)."""
        recommendations = self.reports.recommendations
        none: frozenset[str] = frozenset()
        for f in self.types.get(_FINDING, ()):
            self.sums.add(
                self.practices.get(f, none),
                self.sources.get(f, none),
                self.abouts.get(f, none),
                self.polarity.get(f, none),
                f in recommendations,
            )

    def findings_indexed(self) -> int:
        """How many findings were indexed rather than summed as their group ended."""
        return len(self.types.get(_FINDING, ()))


def _cooccurrence(sums: _FindingSums) -> Iterator[Triple]:
    counts: Counter[tuple[str, str, str]] = Counter()
    for kind, by_context in (("document", sums.doc_practices), ("subject", sums.subject_practices)):
        for practices in by_context.values():
            for a, b in combinations(sorted(practices), 2):
                counts[(kind, a, b)] += 1
    for (kind, a, b), n in sorted(counts.items()):
        node = NamedNode(iris.practice_pair_iri(kind, a, b))
        yield (node, RDF.type, SKG.PracticePairCount)
        yield (node, SKG.contextKind, lit(kind))
        yield (node, SKG.practiceA, NamedNode(a))
        yield (node, SKG.practiceB, NamedNode(b))
        yield (node, SKG.contextCount, lit(n))


def _documents(facts: _Facts) -> Iterator[Triple]:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for cls in _COUNTED:
        if cls == _FINDING:
            for doc, n in facts.sums.doc_findings.items():
                counts[doc][cls] += n
            continue
        for item in facts.types[cls]:
            for doc in facts.sources.get(item, ()):
                counts[doc][cls] += 1
    for rank, doc in enumerate(sorted(facts.types[SKG.Document.value]), 1):
        node = NamedNode(doc)
        for cls, prop in _COUNTED.items():
            yield (node, prop, lit(counts[doc][cls]))
        yield (node, SKG.documentRank, lit(rank))  # IRIs in code point order, as ORDER BY sorts them


def _subjects(facts: _Facts) -> Iterator[Triple]:
    for (subject, pol), practices in sorted(facts.sums.polar_practices.items()):
        names = {label for p in practices for label in facts.labels.get(p, ())}
        if names:
            yield (NamedNode(subject), _POLARITIES[pol], lit(" | ".join(sorted(names))))


def _provenance(name: str, facts: _Facts, triples: Iterable[Triple]) -> Iterator[Quad]:
    graph = NamedNode(iris.aggregate_graph(name))
    act = NamedNode(iris.AGGREGATES_ACTIVITY)
    sources = [NamedNode(g) for g in sorted(facts.graphs) if g]
    meta: list[Triple] = [
        (graph, PROV.wasGeneratedBy, act),
        (act, RDF.type, SKG.AggregateComputation),
        (act, RDFS.label, lit("schoolkg build: precomputed aggregates")),
    ]
    if facts.newest:
        meta.append((act, SKG.dataAsOf, lit(facts.newest, "date")))
    meta += [(graph, PROV.wasDerivedFrom, g) for g in sources] + [(act, PROV.used, g) for g in sources]
    for s, p, o in meta:
        yield Quad(s, p, o, graph)
    for s, p, o in triples:
        yield Quad(s, p, o, graph)
