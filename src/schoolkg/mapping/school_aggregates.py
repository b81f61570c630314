"""The per-school inspection summaries of the aggregate graph ``…/graph/aggregates/schools`` (issue 19).

The catalogue queries that read every school's judgements, dates and participations read these
instead (docs/benchmarks.md, "School aggregates (school22)"). :func:`school_summaries` reads a
graph's quads once and returns the triples:

- on each school some source describes (a ``skg:School`` with an LA, flagged for linking, or
  with a judgement about it; ``queries/schools-not-inspected.rq``): ``skg:datedJudgementCount``
  (its judgements with a date, 0 if none), ``skg:lastJudgementDate`` (the newest of their dates),
  ``skg:establishmentEnd`` (the earliest of its close dates and of the dates of successions
  from it) and ``skg:latestOpenDate`` (the latest of its open dates). The dates are data, never
  compared with today: the query compares them with its own as-of date;
- a :class:`skg:SchoolAreaSummary` per subject and judgement area
  (``queries/la-programmes-latest-grades.rq``): ``skg:latestJudgementDate`` and every
  ``skg:latestJudgement`` of that area dated then;
- a :class:`skg:SchoolProgrammeSummary` per subject and programme or strand
  (``queries/improvement-by-programme.rq``): ``skg:firstStartDate``, the earliest start of a
  dated participation of the subject or of an establishment it replaced
  (``skg:predecessor``, transitively) in the programme or one of its strands (``skg:strandOf``,
  transitively);
- on each improvement (``queries/improved-schools.rq``, ``declined-schools.rq``,
  ``improvement-by-programme.rq``): its subject (``skg:summaryOf``, the ``skg:about`` of the
  improvement: read from the improvements alone, not from every finding's), the area of its
  earlier judgement (``skg:summaryArea``) and both judgements' grades and dates
  (``skg:beforeGrade``, ``skg:beforeDate``, ``skg:afterGrade``, ``skg:afterDate``);
- and on the graph itself ``skg:latestJudgementDate``: the newest judgement date in the data;
- a :class:`skg:NameKey` per name (every ``schema:name``, and the ``rdfs:label`` of each local
  authority; ``queries/improved-schools.rq``, ``declined-schools.rq``,
  ``la-programmes-latest-grades.rq``): ``skg:keyedName`` and ``skg:nameRank``, the name's rank
  among them all in the order ORDER BY sorts them (:func:`name_sort_key`), so that the queries
  sort by an integer and not by strings read from the store at each comparison. A school with
  several names has a row per name in those queries, each sorted by its own name's rank, as
  before. Only string literals (``xsd:string`` and language-tagged) are ranked: the mapping writes
  no other; a name of another datatype gets no key and the queries sort it by itself, first.

Dates are read as the mapping writes them (``xsd:date`` literals); other literals are ignored.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterator, Mapping
from collections.abc import Set as AbstractSet
from sys import intern
from typing import Any

from pyoxigraph import Literal, NamedNode

from schoolkg import iris
from schoolkg.mapping.multimap import MultiMap
from schoolkg.mapping.terms import lit
from schoolkg.vocab import DCT, RDF, RDFS, SCHEMA, SKG, XSD

__all__ = ["SchoolFacts", "first_starts", "name_key_iri", "name_sort_key", "school_summaries"]

_XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"
_TRUE = lit(True)
_TYPE, _ABOUT, _AREA, _DATE = RDF.type.value, SKG.about.value, SKG.area.value, DCT.date.value
_LA, _NEEDS, _CLOSE, _OPEN = SKG.localAuthority.value, SKG.needsLinking.value, SKG.closeDate.value, SKG.openDate.value
_FROM, _PRED, _STRAND = SKG.fromSchool.value, SKG.predecessor.value, SKG.strandOf.value
_BEFORE, _AFTER, _GRADE = SKG.before.value, SKG.after.value, SKG.grade.value
_PARTICIPANT, _PROGRAMME, _START = SKG.participant.value, SKG.programme.value, SKG.startDate.value
_SCHOOL, _JUDGEMENT, _PARTICIPATION = SKG.School.value, SKG.Judgement.value, SKG.Participation.value
_IMPROVEMENT, _LA_CLASS, _DIRECTION = SKG.Improvement.value, SKG.LocalAuthority.value, SKG.direction.value
_NAME, _LABEL = SCHEMA.name.value, RDFS.label.value
_KINDS = {_SCHOOL, _JUDGEMENT, _PARTICIPATION, _IMPROVEMENT, _LA_CLASS}
_LINKS = {_ABOUT, _AREA, _LA, _FROM, _PRED, _STRAND, _PARTICIPANT, _PROGRAMME, _BEFORE, _AFTER, _GRADE, _DIRECTION}
_DATES = {_DATE, _CLOSE, _OPEN, _START}
WANTED = frozenset({_TYPE, _NEEDS, _NAME, _LABEL} | _LINKS | _DATES)
"""The predicates :class:`SchoolFacts` reads."""

Triple = tuple[NamedNode, NamedNode, Any]


class SchoolFacts:
    """What the school summaries need, indexed from quads as they come (:meth:`add`).

    IRIs are held as interned strings and a subject's values in a :class:`MultiMap` (no set for one value).
    """

    def __init__(self) -> None:
        self.kinds: dict[str, set[str]] = defaultdict(set)
        self.links: dict[str, MultiMap[str]] = {p: MultiMap() for p in _LINKS}
        self.dates: dict[str, MultiMap[str]] = {p: MultiMap() for p in _DATES}
        self.needs_linking: set[str] = set()
        self.dated: set[str] = set()
        """Subjects with a ``dcterms:date`` of any kind (a judgement with one is counted)."""
        self.other_dates: MultiMap[Literal] = MultiMap()
        """The ``dcterms:date`` values that are not ``xsd:date`` literals, per subject."""
        self.names: set[Literal] = set()
        """Every ``schema:name`` literal."""
        self.labels: MultiMap[Literal] = MultiMap()
        """The ``rdfs:label`` literals per subject (those of local authorities are ranked)."""

    def add(self, s: str, p: str, o: Any) -> None:
        """Index one statement (``p`` in :data:`WANTED`, ``s`` an IRI's interned string)."""
        if p == _TYPE:
            if o.value in _KINDS:
                self.kinds[o.value].add(s)
        elif p in _LINKS:
            if isinstance(o, NamedNode):
                self.links[p].add(s, intern(o.value))
        elif p == _NEEDS:
            if o == _TRUE:
                self.needs_linking.add(s)
        elif isinstance(o, Literal):
            if p == _NAME:
                self.names.add(o)
            elif p == _LABEL:
                self.labels.add(s, o)
            elif o.datatype.value == _XSD_DATE:
                if p == _DATE:
                    self.dated.add(s)
                self.dates[p].add(s, intern(o.value))
            elif p == _DATE:
                self.dated.add(s)
                self.other_dates.add(s, o)


def school_summaries(facts: SchoolFacts) -> Iterator[Triple]:
    """The triples of ``…/graph/aggregates/schools`` (see the module's docstring), sorted by subject."""
    graph = NamedNode(iris.aggregate_graph("schools"))
    judgements = facts.kinds[_JUDGEMENT]
    dates = facts.dates[_DATE]
    about = facts.links[_ABOUT]
    newest = max((d for j in judgements for d in dates.get(j, ())), default="")
    if newest:
        yield (graph, SKG.latestJudgementDate, lit(newest, "date"))
    yield from _per_school(facts)
    yield from _per_area(facts, judgements, about, dates)
    yield from _per_programme(facts)
    yield from _per_improvement(facts)
    yield from _name_keys(facts)


def name_sort_key(name: Literal) -> tuple[str, int, str] | None:
    """Where ``name`` sorts among names under SPARQL ORDER BY as oxigraph orders string literals:
    by the text in code point order, a language-tagged literal before the plain one of the same
    text and by its tag (lower case) among tagged ones; None for a literal of another datatype
    (numbers, dates, custom types sort by other rules).

    >>> sorted(["b", "a"], key=lambda t: name_sort_key(Literal(t)))
    ['a', 'b']
    >>> name_sort_key(Literal("a", language="en")) < name_sort_key(Literal("a"))
    True
    >>> name_sort_key(lit(3)) is None
    True
    """
    if name.language:
        return (name.value, 0, name.language.lower())
    if name.datatype == XSD.string:
        return (name.value, 1, "")
    return None


def name_key_iri(name: Literal) -> str:
    """IRI of the sort key of a name (a digest of the literal: one node per distinct name).

    >>> name_key_iri(Literal("Hill School"))
    'https://w3id.org/schoolkg/id/aggregate/name-key/ee5265fcebc92fc343e5'
    >>> name_key_iri(Literal("Hill School", language="en")) != name_key_iri(Literal("Hill School"))
    True
    """
    return f"{iris.ID}aggregate/name-key/{hashlib.sha1(str(name).encode()).hexdigest()[:20]}"


def _name_keys(facts: SchoolFacts) -> Iterator[Triple]:
    names = set(facts.names)
    for la in facts.kinds[_LA_CLASS]:
        names |= facts.labels.get(la, set())
    keyed = sorted((k, str(n), n) for n in names if (k := name_sort_key(n)) is not None)
    minted: dict[str, Literal] = {}
    rank, previous = 0, None
    for key, _, name in keyed:
        if key != previous:
            rank, previous = rank + 1, key
        node = NamedNode(name_key_iri(name))
        if minted.setdefault(node.value, name) != name:
            raise ValueError(f"two names would share the sort key IRI {node.value}")
        yield from [(node, RDF.type, SKG.NameKey), (node, SKG.keyedName, name), (node, SKG.nameRank, lit(rank))]


def _per_school(facts: SchoolFacts) -> Iterator[Triple]:
    dates, about = facts.dates[_DATE], facts.links[_ABOUT]
    judged: dict[str, set[str]] = defaultdict(set)
    for j in facts.kinds[_JUDGEMENT]:
        for s in about.get(j, ()):
            judged[s].add(j)
    ends: dict[str, set[str]] = defaultdict(set)
    for s, values in facts.dates[_CLOSE].items():
        ends[s] |= values
    for succession, froms in facts.links[_FROM].items():
        for s in froms:
            ends[s] |= dates.get(succession, set())
    for s in sorted(facts.kinds[_SCHOOL]):
        if not (s in judged or s in facts.needs_linking or facts.links[_LA].get(s)):
            continue
        node = NamedNode(s)
        counted = [j for j in judged.get(s, ()) if j in facts.dated]
        yield (node, SKG.datedJudgementCount, lit(len(counted)))
        last = max((d for j in counted for d in dates.get(j, ())), default="")
        if last:
            yield (node, SKG.lastJudgementDate, lit(last, "date"))
        if ends.get(s):
            yield (node, SKG.establishmentEnd, lit(min(ends[s]), "date"))
        if facts.dates[_OPEN].get(s):
            yield (node, SKG.latestOpenDate, lit(max(facts.dates[_OPEN][s]), "date"))


def _per_area(
    facts: SchoolFacts,
    judgements: set[str],
    about: Mapping[str, AbstractSet[str]],
    dates: Mapping[str, AbstractSet[str]],
) -> Iterator[Triple]:
    latest: dict[tuple[str, str], tuple[str, set[str]]] = {}
    for j in judgements:
        for s in about.get(j, ()):
            for area in facts.links[_AREA].get(j, ()):
                for d in dates.get(j, ()):
                    key = (s, area)
                    best = latest.get(key)
                    if best is None or d > best[0]:
                        latest[key] = (d, {j})
                    elif d == best[0]:
                        best[1].add(j)
    for (s, area), (d, js) in sorted(latest.items()):
        node = NamedNode(iris.school_summary_iri(s, "area", area))
        yield from [
            (node, RDF.type, SKG.SchoolAreaSummary),
            (node, SKG.summaryOf, NamedNode(s)),
            (node, SKG.summaryArea, NamedNode(area)),
            (node, SKG.latestJudgementDate, lit(d, "date")),
        ]
        yield from [(node, SKG.latestJudgement, NamedNode(j)) for j in sorted(js)]


def _per_programme(facts: SchoolFacts) -> Iterator[Triple]:
    for (s, programme), start in sorted(first_starts(facts).items()):
        node = NamedNode(iris.school_summary_iri(s, "programme", programme))
        yield from [
            (node, RDF.type, SKG.SchoolProgrammeSummary),
            (node, SKG.summaryOf, NamedNode(s)),
            (node, SKG.summaryProgramme, NamedNode(programme)),
            (node, SKG.firstStartDate, lit(start, "date")),
        ]


def first_starts(facts: SchoolFacts) -> dict[tuple[str, str], str]:
    """Per (subject, programme or strand), the ``skg:firstStartDate`` of its
    :class:`skg:SchoolProgrammeSummary` (see the module's docstring)."""
    strand_of, predecessor = facts.links[_STRAND], facts.links[_PRED]
    successors: dict[str, set[str]] = defaultdict(set)
    for s, olds in predecessor.items():
        for old in olds:
            successors[old].add(s)
    first: dict[tuple[str, str], str] = {}
    for p in facts.kinds[_PARTICIPATION]:
        starts = facts.dates[_START].get(p)
        if not starts:
            continue
        start = min(starts)
        for who in facts.links[_PARTICIPANT].get(p, ()):
            for strand in facts.links[_PROGRAMME].get(p, ()):
                for programme in _closure(strand, strand_of):
                    for s in _closure(who, successors):
                        key = (s, programme)
                        if key not in first or start < first[key]:
                            first[key] = start
    return first


def _per_improvement(facts: SchoolFacts) -> Iterator[Triple]:
    links, dates = facts.links, facts.dates[_DATE]
    for i in sorted(facts.kinds[_IMPROVEMENT]):
        node = NamedNode(i)
        yield from [(node, SKG.summaryOf, NamedNode(s)) for s in sorted(links[_ABOUT].get(i, ()))]
        for j1 in sorted(links[_BEFORE].get(i, ())):
            yield from [(node, SKG.summaryArea, NamedNode(a)) for a in sorted(links[_AREA].get(j1, ()))]
            yield from [(node, SKG.beforeGrade, NamedNode(g)) for g in sorted(links[_GRADE].get(j1, ()))]
            yield from [(node, SKG.beforeDate, lit(d, "date")) for d in sorted(dates.get(j1, ()))]
        for j2 in sorted(links[_AFTER].get(i, ())):
            yield from [(node, SKG.afterGrade, NamedNode(g)) for g in sorted(links[_GRADE].get(j2, ()))]
            yield from [(node, SKG.afterDate, lit(d, "date")) for d in sorted(dates.get(j2, ()))]


def _closure(start: str, edges: Mapping[str, AbstractSet[str]]) -> set[str]:
    """``start`` and every node reached from it along ``edges`` (a path ``*``).

    >>> sorted(_closure("a", {"a": {"b"}, "b": {"c", "a"}}))
    ['a', 'b', 'c']
    """
    seen, todo = {start}, [start]
    while todo:
        for nxt in edges.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen
