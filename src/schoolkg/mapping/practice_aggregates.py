"""The ``practices`` aggregate graph (issue 19): the practice queries' counts per judgement area.

``practices-improved-vs-not`` and ``practices-before-improvement`` read every (report, practice,
polarity) link of the ``reports`` graph (213k at 3M quads) and every improvement, and group them
by practice in the area they are given. Reading the links is most of their cost, and a grain per
school or per improvement would still be ~100k rows; so this graph holds their groups, counted
for every judgement area that an improvement's earlier judgement has. That covers every binding
of their one parameter: for an area no improvement has, both the old texts and these counts give
no rows. The ratios, the share filter, the labels and the order stay in the queries.

- one :class:`skg:AreaImprovementCount` per area: ``skg:improvedSchools`` (schools with an
  improvement in the area that improved) and ``skg:notImprovedSchools`` (the others with one);
- one :class:`skg:AreaPracticeCount` per area and practice reported of one of those schools (any
  report, any polarity, name links resolved and recommendations left out, as the ``reports``
  graph resolves them): ``skg:improvedWith``, ``skg:notImprovedWith``;
- one :class:`skg:AreaPracticePairs` per area, practice and polarity: of the improvements in the
  area whose school had the practice reported so in a report dated (``skg:issuedOrInspected``)
  from the earlier judgement's date up to the day before the later one's, ``skg:pairCount``,
  ``skg:improvedPairCount``, and the earliest and latest such report date (``skg:firstReported``,
  ``skg:lastReported``).

- one :class:`skg:ProgrammeImprovementCount` per programme or strand with a
  :class:`skg:SchoolProgrammeSummary`, area and participation timing (``improvement-by-programme``):
  the old text's rows (improvement x subject x direction x earlier date x area, with the subject's
  first start in the programme) counted as it counts them: ``skg:countedPairs`` and
  ``skg:countedSchools`` (distinct), ``skg:improvedPairs``, ``skg:stablePairs``,
  ``skg:declinedPairs`` (rows); and per area one without ``skg:countProgramme``: the rows of a
  programme no school took part in (all "never"). The typing of the programme stays in the query.

Inputs: the improvements' links and dates as :class:`SchoolFacts` indexes them, and the triples
of the ``reports`` graph (its summaries' schools, dates and practice links): this graph is
derived from that one, so the two agree by construction. Dates compare as SPARQL compares them:
plain ``xsd:date`` literals (all the mapping writes) as text, any other pair by asking the
embedded engine (:func:`_engine_compare`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date
from functools import lru_cache
from typing import Any

from pyoxigraph import Literal, NamedNode, QuerySolutions, Store

from schoolkg import iris
from schoolkg.mapping.report_aggregates import Pair, Summary
from schoolkg.mapping.school_aggregates import SchoolFacts, first_starts
from schoolkg.mapping.terms import lit
from schoolkg.vocab import DCT, RDF, SKG, XSD

__all__ = ["practice_summaries"]

Triple = tuple[NamedNode, NamedNode, Any]

_ABOUT, _AREA, _BEFORE, _AFTER = SKG.about.value, SKG.area.value, SKG.before.value, SKG.after.value
_DIRECTION, _IMPROVED, _DATE = SKG.direction.value, SKG.improved.value, DCT.date.value
_STABLE, _DECLINED = SKG.stable.value, SKG.declined.value
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")

Reports = dict[str, list[tuple[set[Literal], set[str]]]]
"""Per school, each of its report summaries' dates and practice-polarity nodes."""


def practice_summaries(schools: SchoolFacts, reports: Iterable[Summary], pairs: Iterable[Pair]) -> Iterator[Triple]:
    """The triples of ``…/graph/aggregates/practices`` (see the module's docstring), sorted.

    ``reports`` is the ``reports`` graph's summaries (:meth:`ReportFacts.summaries`), ``pairs`` the
    practice and polarity of each of its ``skg:PracticePolarity`` nodes.
    """
    of_practice: dict[str, set[str]] = defaultdict(set)
    with_polarity: dict[str, set[str]] = defaultdict(set)
    for pr, pol in pairs:
        node = iris.practice_polarity_iri(pr, pol)
        of_practice[node].add(pr)
        with_polarity[node].add(pol)
    by_school: Reports = defaultdict(list)
    for r in reports:
        links = {iris.practice_polarity_iri(pr, pol) for pr, pol in r.pairs}
        by_school[r.school].append((set(r.issued), links))
    practices = {pp: set(prs) for pp, prs in of_practice.items()}
    polar = {pp: {(pr, pol) for pr in prs for pol in with_polarity.get(pp, ())} for pp, prs in of_practice.items()}
    yield from _improved_vs_not(schools, by_school, practices)
    yield from _before_improvement(schools, by_school, polar)
    yield from _by_programme(schools)


_TIMINGS = ("before the earlier inspection", "only later")


def _by_programme(schools: SchoolFacts) -> Iterator[Triple]:
    """``improvement-by-programme``'s groups per (programme, area, participation): the old text's
    rows (programme x improvement x subject x direction x earlier date x area, the subject's first
    start in the programme optional) counted as it counts them, for every programme or strand with
    a :class:`skg:SchoolProgrammeSummary`; and per area the rows of a programme without one (all
    "never"), with no ``skg:countProgramme``."""
    links, dates = schools.links, schools.dates[_DATE]
    first = first_starts(schools)
    by_school: dict[str, dict[str, str]] = defaultdict(dict)
    for (s, programme), start in first.items():
        by_school[s][programme] = start
    programmes = sorted({programme for _, programme in first})
    groups: dict[tuple[str, str, str | None], _Group] = {}

    def count(key: tuple[str, str, str | None], i: str, s: str, direction: str) -> None:
        group = groups.get(key)
        if group is None:
            group = groups[key] = _Group()
        if group.last != i:  # improvements come in order: a new one is a distinct pair
            group.last, group.pairs = i, group.pairs + 1
        group.subjects.add(s)
        group.directions[direction] += 1

    for i in sorted(schools.kinds[SKG.Improvement.value]):
        befores = {d for j1 in links[_BEFORE].get(i, ()) for d in dates.get(j1, ())}
        areas = {a for j1 in links[_BEFORE].get(i, ()) for a in links[_AREA].get(j1, ())}
        directions = links[_DIRECTION].get(i, ())
        for s in links[_ABOUT].get(i, ()):
            starts = by_school.get(s, {})
            for direction in directions:
                for before in befores:
                    for area in areas:
                        count(("", area, "never"), i, s, direction)
                        for programme in programmes:
                            begun = starts.get(programme)
                            when = "never" if begun is None else _timing(begun, before)
                            count((programme, area, when), i, s, direction)
    for (programme, area, timing), group in sorted(groups.items(), key=lambda kv: str(kv[0])):
        dirs = group.directions
        part = "/" + _key(programme) if programme else ""
        slug = iris.slug(timing or "unknown")
        node = NamedNode(f"{iris.ID}aggregate/programme-improvement/{_key(area)}{part}/{slug}")
        yield (node, RDF.type, SKG.ProgrammeImprovementCount)
        if programme:
            yield (node, SKG.countProgramme, NamedNode(programme))
        yield (node, SKG.countArea, NamedNode(area))
        if timing is not None:
            yield (node, SKG.participationTiming, lit(timing))
        yield from [
            (node, SKG.countedPairs, lit(group.pairs)),
            (node, SKG.countedSchools, lit(len(group.subjects))),
            (node, SKG.improvedPairs, lit(dirs.get(_IMPROVED, 0))),
            (node, SKG.stablePairs, lit(dirs.get(_STABLE, 0))),
            (node, SKG.declinedPairs, lit(dirs.get(_DECLINED, 0))),
        ]


class _Group:
    """One (programme, area, participation) group: its distinct pairs (counted as they come, in
    order), distinct subjects and rows per direction."""

    __slots__ = ("directions", "last", "pairs", "subjects")

    def __init__(self) -> None:
        self.last = ""
        self.pairs = 0
        self.subjects: set[str] = set()
        self.directions: dict[str, int] = defaultdict(int)


@lru_cache(maxsize=65536)
def _timing(start: str, before: str) -> str | None:
    """``IF(?first <= ?before, "before the earlier inspection", "only later")`` for two ``xsd:date``
    texts; None where SPARQL's comparison is an error (the old text left the participation unbound)."""
    a, b = _date(start), _date(before)
    x, y = _plain_day(a), _plain_day(b)
    if x is not None and y is not None:
        return _TIMINGS[0] if x <= y else _TIMINGS[1]
    result = _engine().query(f"SELECT ?t WHERE {{ BIND(IF({a} <= {b}, {_TIMINGS[0]!r}, {_TIMINGS[1]!r}) AS ?t) }}")
    assert isinstance(result, QuerySolutions)
    value = next(iter(result))["t"]
    return None if value is None else str(value.value)


def _improved_vs_not(schools: SchoolFacts, by_school: Reports, practices: dict[str, set[str]]) -> Iterator[Triple]:
    """``practices-improved-vs-not``'s two groups: per (area, school) whether any improvement
    improved (``MAX(IF(?dir = skg:improved, 1, 0))``), then per area and per (area, practice)."""
    links = schools.links
    imp: dict[tuple[str, str], int] = {}
    for i in schools.kinds[SKG.Improvement.value]:
        dirs = links[_DIRECTION].get(i)
        if not dirs:
            continue
        up = 1 if _IMPROVED in dirs else 0
        for s in links[_ABOUT].get(i, ()):
            for j in links[_BEFORE].get(i, ()):
                for area in links[_AREA].get(j, ()):
                    imp[(area, s)] = max(imp.get((area, s), 0), up)
    per_area: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    per_practice: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for (area, s), up in imp.items():
        per_area[area][1 - up] += 1
        reported = {pr for _, pps in by_school.get(s, ()) for pp in pps for pr in practices.get(pp, ())}
        for pr in reported:
            per_practice[(area, pr)][1 - up] += 1
    for area, (yes, no) in sorted(per_area.items()):
        node = NamedNode(f"{iris.ID}aggregate/area-improvement/{_key(area)}")
        yield from [
            (node, RDF.type, SKG.AreaImprovementCount),
            (node, SKG.countArea, NamedNode(area)),
            (node, SKG.improvedSchools, lit(yes)),
            (node, SKG.notImprovedSchools, lit(no)),
        ]
    for (area, pr), (yes, no) in sorted(per_practice.items()):
        node = NamedNode(f"{iris.ID}aggregate/area-practice/{_key(area)}/{_key(pr)}")
        yield from [
            (node, RDF.type, SKG.AreaPracticeCount),
            (node, SKG.countArea, NamedNode(area)),
            (node, SKG.countPractice, NamedNode(pr)),
            (node, SKG.improvedWith, lit(yes)),
            (node, SKG.notImprovedWith, lit(no)),
        ]


def _before_improvement(
    schools: SchoolFacts, by_school: Reports, polar: dict[str, set[tuple[str, str]]]
) -> Iterator[Triple]:
    """``practices-before-improvement``'s groups per (area, practice, polarity): the improvements
    with a report of their school dated in [t1, t2) reporting the pair, those that improved, and
    the dates of those reports (MIN and MAX as SPARQL orders them)."""
    links = schools.links
    pairs: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    improved: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    dates: dict[tuple[str, str, str], set[Literal]] = defaultdict(set)
    for i in schools.kinds[SKG.Improvement.value]:
        dirs = links[_DIRECTION].get(i)
        if not dirs:
            continue
        up = _IMPROVED in dirs
        windows = [
            (area, t1, t2)
            for j1 in links[_BEFORE].get(i, ())
            for area in links[_AREA].get(j1, ())
            for t1 in _dates(schools, j1)
            for j2 in links[_AFTER].get(i, ())
            for t2 in _dates(schools, j2)
        ]
        if not windows:
            continue
        for s in links[_ABOUT].get(i, ()):
            for days, pps in by_school.get(s, ()):
                found = {pair for pp in pps for pair in polar.get(pp, ())}
                for area, t1, t2 in windows:
                    inside = [d for d in days if _at_least(d, t1) and _before(d, t2)]
                    if not inside:
                        continue
                    for pr, pol in found:
                        key = (area, pr, pol)
                        pairs[key].add(i)
                        if up:
                            improved[key].add(i)
                        dates[key].update(inside)
    for key in sorted(pairs):
        area, pr, pol = key
        first, last = _min_max(dates[key])
        node = NamedNode(f"{iris.ID}aggregate/area-practice-pairs/{_key(area)}/{_key(pr)}/{_key(pol)}")
        yield from [
            (node, RDF.type, SKG.AreaPracticePairs),
            (node, SKG.countArea, NamedNode(area)),
            (node, SKG.countPractice, NamedNode(pr)),
            (node, SKG.countPolarity, NamedNode(pol)),
            (node, SKG.pairCount, lit(len(pairs[key]))),
            (node, SKG.improvedPairCount, lit(len(improved[key]))),
            (node, SKG.firstReported, first),
            (node, SKG.lastReported, last),
        ]


def _key(iri: str) -> str:
    """A path segment for an IRI: its slugged local part (``…/id/`` stripped), so that nodes of
    different areas, practices or polarities get different IRIs.

    >>> _key("https://w3id.org/schoolkg/ontology#overallEffectiveness"), _key(iris.PRACTICE_BASE + "a-b")
    ('ontology-overalleffectiveness', 'practice-a-b')
    """
    local = iri.split("/schoolkg/", 1)[-1] if "/schoolkg/" in iri else iri
    return iris.slug(local.replace("#", "/").replace("/id/", "/"))


def _dates(schools: SchoolFacts, subject: str) -> list[Literal]:
    """Every ``dcterms:date`` of ``subject`` as a literal (``?j dcterms:date ?t``)."""
    out = [_date(d) for d in schools.dates[_DATE].get(subject, ())]
    return out + sorted(schools.other_dates.get(subject, ()), key=str)


@lru_cache(maxsize=65536)
def _date(text: str) -> Literal:
    return Literal(text, datatype=XSD.date)


@lru_cache(maxsize=65536)
def _plain_day(term: Literal) -> str | None:
    """The text of a valid ``xsd:date`` literal without a time zone, which compares as text."""
    if term.datatype != XSD.date or not _DAY.fullmatch(term.value):
        return None
    try:
        date.fromisoformat(term.value)
    except ValueError:
        return None
    return term.value


def _at_least(a: Literal, b: Literal) -> bool:
    """SPARQL's ``a >= b`` in a FILTER (an error counts as false)."""
    x, y = _plain_day(a), _plain_day(b)
    if x is not None and y is not None:
        return x >= y
    return _engine_compare(a, ">=", b)


def _before(a: Literal, b: Literal) -> bool:
    """SPARQL's ``a < b`` in a FILTER (an error counts as false)."""
    x, y = _plain_day(a), _plain_day(b)
    if x is not None and y is not None:
        return x < y
    return _engine_compare(a, "<", b)


@lru_cache(maxsize=1)
def _engine() -> Store:
    """An empty in-memory store that evaluates the comparisons Python does not (made on first use)."""
    return Store()


@lru_cache(maxsize=4096)
def _engine_compare(a: Literal, op: str, b: Literal) -> bool:
    """``a op b`` as the embedded engine evaluates it in a FILTER, for pairs that are not two
    plain dates (an xsd:dateTime, a time zone, a string: none of which the mapping writes).

    >>> _engine_compare(lit("2010-01-01", "date"), "<", lit("2010-01-01T00:00:00", "dateTime"))
    False
    >>> _engine_compare(lit("b"), ">=", lit("a"))
    True
    """
    return bool(_engine().query(f"ASK {{ FILTER({a} {op} {b}) }}"))


def _min_max(values: set[Literal]) -> tuple[Literal, Literal]:
    """``MIN`` and ``MAX`` of the values as SPARQL orders them (text order for plain dates)."""
    days = {v: _plain_day(v) for v in values}
    if all(d is not None for d in days.values()):
        ordered = sorted(values, key=lambda v: days[v] or "")
        return ordered[0], ordered[-1]
    rows = "\n".join(str(v) for v in sorted(values, key=str))
    q = f"SELECT (MIN(?v) AS ?a) (MAX(?v) AS ?b) WHERE {{ VALUES ?v {{ {rows} }} }}"
    result = _engine().query(q)
    assert isinstance(result, QuerySolutions)
    solution = next(iter(result))
    return solution["a"], solution["b"]
