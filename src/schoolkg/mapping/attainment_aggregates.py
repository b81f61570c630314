"""The ``attainment`` aggregate graph (issue 19): ``practices-before-attainment-change`` per measure and lag.

The query joins every dated report's practice links (``…/graph/aggregates/reports``) with the
school's results in the year before the report and ``lag`` years after it, and groups them per
practice and polarity. With results present that join is the whole cost (65,805 rows and 1.16
CPU-s at 2,000 schools with KS2), and no grain coarser than a report keeps the answer. So this
graph holds the query's own groups for *every* measure and lag that has rows; the query reads
the ones its two parameters name. A measure or lag with no rows gives none in the old text and
no node here, so every binding is covered.

- one :class:`skg:AttainmentChangeBaseline` per (measure, lag): ``skg:changeReports`` (the
  old text's ``?allReports``: every dated report with results in both years) and
  ``skg:meanChange`` (its ``?allMean``);
- one :class:`skg:AttainmentChangeCount` per (measure, lag, practice, polarity):
  ``skg:changeReports`` (the distinct (school, report) rows of the practice), ``skg:meanChange``
  (their mean change) and ``skg:changeWindows`` (the distinct windows, sorted, joined by ", ").

The counts and means are computed by the embedded engine with the old text's own sub-selects
(:data:`BASELINE`, :data:`BY_PRACTICE`), over an in-memory store holding the triples they read
(the report summaries and practice links of schools with results, the results' measure, period,
value and subject), so dates, academic years, periods and arithmetic follow SPARQL exactly. The
query multiplies the report count by its label rows, as the old one counted them. Results are
read from observations that are IRIs (blank-node observations are not), and measures that are
IRIs (the parameter is one). No date is compared with today.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad, QuerySolutions, Store

from schoolkg import iris
from schoolkg.mapping.school_aggregates import SchoolFacts
from schoolkg.mapping.terms import lit
from schoolkg.vocab import RDF, SKG, XSD

__all__ = ["BASELINE", "BY_PRACTICE", "Results", "attainment_summaries"]

Triple = tuple[NamedNode, NamedNode, Any]

_MEASURE, _PERIOD, _VALUE, _ABOUT = SKG.measure.value, SKG.period.value, SKG.value.value, SKG.about.value
_RESULT_PREDICATES = {_MEASURE: SKG.measure, _PERIOD: SKG.period, _VALUE: SKG.value}
_REPORT_PREDICATES = {
    SKG.summarySchool,
    SKG.summaryDocument,
    SKG.inspectedOrIssued,
    SKG.reportedPracticePolarity,
}

_DAY = re.compile(r"(\d{4})-(\d{2})-\d{2}")

_PREFIXES = """PREFIX skg: <https://w3id.org/schoolkg/ontology#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
_REPORTS = """{ SELECT DISTINCT %s ?s ?doc ?y WHERE {
          ?r a skg:ReportSummary ; skg:summarySchool ?s ; skg:summaryDocument ?doc ; skg:inspectedOrIssued ?t .
          BIND(YEAR(?t) - IF(MONTH(?t) < 9, 1, 0) AS ?y)
      } }
      BIND(CONCAT(STR(?y - 1), "/", SUBSTR(STR(?y), 3, 2)) AS ?pre)
      { SELECT ?s ?pre ?measure ?v1 WHERE {
          ?o1 skg:measure ?measure ; skg:about ?s ; skg:period ?pre ; skg:value ?v1 } }
      { SELECT ?s ?measure ?p2 ?v2 WHERE {
          ?o2 skg:measure ?measure ; skg:about ?s ; skg:period ?p2 ; skg:value ?v2 } }
      BIND(xsd:integer(SUBSTR(?p2, 1, 4)) - ?y AS ?lag)
      FILTER(?lag >= 0 && STRLEN(?p2) = 7)"""
BASELINE = (
    _PREFIXES
    + """SELECT ?measure ?lag (COUNT(*) AS ?n) (AVG(?c) AS ?mean) WHERE {
      """
    + _REPORTS % ""
    + """
      BIND(?v2 - ?v1 AS ?c)
} GROUP BY ?measure ?lag"""
)
"""The old text's first sub-select (``?allReports``, ``?allMean`` per measure and lag)."""
BY_PRACTICE = (
    _PREFIXES
    + """SELECT ?measure ?lag ?practice ?polarity (COUNT(*) AS ?n) (AVG(?change) AS ?mean)
       (GROUP_CONCAT(DISTINCT ?win; separator="\\n") AS ?windows) WHERE {
  { SELECT DISTINCT ?s ?doc ?practice ?polarity ?measure ?lag ?change ?win WHERE {
      """
    + _REPORTS % "?r"
    + """
      BIND(?v2 - ?v1 AS ?change)
      BIND(CONCAT(?pre, " -> ", ?p2) AS ?win)
      ?r skg:reportedPracticePolarity ?pp .
      ?pp skg:ofPractice ?practice ; skg:withPolarity ?polarity .
  } }
} GROUP BY ?measure ?lag ?practice ?polarity"""
)
"""The old text's second sub-select, grouped per measure, lag, practice and polarity (the
windows' separator is a line break here, so that they can be split and sorted; a period holding
one would be split too, and sorted as two)."""


class Results:
    """The results' measure, period and value per observation, noted from quads as they pass
    (:meth:`watch`); their subjects are read from :class:`SchoolFacts` (``skg:about``)."""

    def __init__(self) -> None:
        self.values: dict[str, dict[str, set[Any]]] = defaultdict(lambda: defaultdict(set))

    def watch(self, quads: Iterable[Any]) -> Iterator[Any]:
        """Yield ``quads`` unchanged, noting ``skg:measure`` (IRIs), ``skg:period`` and
        ``skg:value`` of IRI subjects (aggregate graphs skipped, as the shared index skips them)."""
        for q in quads:
            yield q
            p = q.predicate.value
            if p not in _RESULT_PREDICATES or not isinstance(q.subject, NamedNode):
                continue
            if isinstance(q.graph_name, NamedNode) and q.graph_name.value.startswith(iris.GRAPH_AGGREGATES):
                continue
            if p == _MEASURE and not isinstance(q.object, NamedNode):
                continue
            self.values[q.subject.value][p].add(q.object)


def attainment_summaries(results: Results, schools: SchoolFacts, reports: Iterable[Triple]) -> list[Triple]:
    """The triples of ``…/graph/aggregates/attainment`` (see the module's docstring), sorted.

    ``reports`` is the ``reports`` graph's statements (:meth:`ReportFacts.triples`), an iterable
    read three times (a list, or one that makes them anew each time).
    """
    abouts = schools.links[_ABOUT]
    observed = [o for o, props in results.values.items() if _MEASURE in props and o in abouts]
    if not observed:
        return []
    with_results = {school for o in observed for school in abouts[o]}
    engine = Store()
    engine.extend(
        Quad(NamedNode(o), pred, term, DefaultGraph())
        for o in observed
        for pred, term in [(SKG.about, NamedNode(school)) for school in abouts[o]]
        + [(_RESULT_PREDICATES[p], v) for p, vs in results.values[o].items() for v in vs]
    )
    periods: dict[str, set[str]] = defaultdict(set)  # per school, the text of its results' periods
    for o in observed:
        texts = {v.value for v in results.values[o].get(_PERIOD, ()) if isinstance(v, Literal)}
        for school in abouts[o]:
            periods[school] |= texts
    schools_of: dict[str, set[str]] = defaultdict(set)
    dates: dict[str, set[Any]] = defaultdict(set)
    for s, p, o in reports:
        if p == SKG.summarySchool and o.value in with_results:
            schools_of[s.value].add(o.value)
        elif p == SKG.inspectedOrIssued:
            dates[s.value].add(o)
    kept = {  # only reports whose year before t has results (the others give no rows)
        r for r, named in schools_of.items() if any(_may_have(periods[school], dates.get(r, ())) for school in named)
    }
    polar = {o.value for s, p, o in reports if p == SKG.reportedPracticePolarity and s.value in kept}
    of_polar = {SKG.ofPractice, SKG.withPolarity}
    engine.extend(  # streamed, not listed
        Quad(s, p, o, DefaultGraph())
        for s, p, o in reports
        if (s.value in kept and (p in _REPORT_PREDICATES or p == RDF.type)) or (s.value in polar and p in of_polar)
    )
    out: list[Triple] = []
    for row in _select(engine, BASELINE):
        measure, lag = row["measure"], row["lag"]
        if not isinstance(measure, NamedNode) or not isinstance(lag, Literal):
            continue
        node = NamedNode(_node_iri("attainment-baseline", measure.value, lag.value))
        out += [
            (node, RDF.type, SKG.AttainmentChangeBaseline),
            (node, SKG.changeMeasure, measure),
            (node, SKG.changeLag, lag),
            (node, SKG.changeReports, row["n"]),
        ]
        if row["mean"] is not None:
            out.append((node, SKG.meanChange, row["mean"]))
    for row in _select(engine, BY_PRACTICE):
        measure, lag, practice, polarity = row["measure"], row["lag"], row["practice"], row["polarity"]
        if not isinstance(measure, NamedNode) or not isinstance(lag, Literal):
            continue
        node = NamedNode(_node_iri("attainment-change", measure.value, lag.value, str(practice), str(polarity)))
        windows = ", ".join(sorted(set(row["windows"].value.split("\n"))))
        out += [
            (node, RDF.type, SKG.AttainmentChangeCount),
            (node, SKG.changeMeasure, measure),
            (node, SKG.changeLag, lag),
            (node, SKG.changePractice, practice),
            (node, SKG.changePolarity, polarity),
            (node, SKG.changeReports, row["n"]),
            (node, SKG.changeWindows, lit(windows)),
        ]
        if row["mean"] is not None:
            out.append((node, SKG.meanChange, row["mean"]))
    return sorted(out, key=lambda t: (t[0].value, t[1].value, str(t[2])))


def _may_have(periods: set[str], dates: Iterable[Any]) -> bool:
    """Whether a report dated ``dates`` can have results of the year before it among ``periods``:
    for a plain ``xsd:date`` (all the mapping writes), the academic year string ``pre`` the
    queries derive; any other date is kept (the engine decides).

    >>> _may_have({"2016/17"}, [lit("2017-10-05", "date")]), _may_have({"2016/17"}, [lit("2018-10-05", "date")])
    (True, False)
    >>> _may_have(set(), [lit("2017-10-05T00:00:00", "dateTime")])
    True
    """
    for t in dates:
        m = _DAY.fullmatch(t.value) if isinstance(t, Literal) and t.datatype == XSD.date else None
        if m is None:
            return True
        y = int(m[1]) - (1 if int(m[2]) < 9 else 0)
        if f"{y - 1}/{str(y)[2:4]}" in periods:
            return True
    return False


def _select(engine: Store, sparql: str) -> list[dict[str, Any]]:
    result = engine.query(sparql)
    assert isinstance(result, QuerySolutions)
    names = [v.value for v in result.variables]
    return [{n: row[n] for n in names} for row in result]


def _node_iri(kind: str, *parts: str) -> str:
    """A node IRI per group: readable head, and a digest of the exact terms so that groups
    whose measures or practices slug alike do not share one.

    >>> _node_iri("attainment-baseline", "https://w3id.org/schoolkg/id/measure/ptrwm-exp", "1")[-40:]
    'attainment-baseline/ptrwm-exp/1/91c34800'
    """
    digest = hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:8]
    head = iris.slug(parts[0].rsplit("/", 1)[-1].rsplit("#", 1)[-1])
    return f"{iris.ID}aggregate/{kind}/{head}/{iris.slug(parts[1])}/{digest}"
