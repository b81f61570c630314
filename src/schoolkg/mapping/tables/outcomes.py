"""Ofsted inspection outcome tables: official statistics, management information, national ratings.

Three layouts, three kinds:

- ``ofsted-outcomes``: Ofsted's official statistics (one row per school, current and previous
  inspection with dates and every key judgement; e.g. Oxfordshire at 31 December 2017);
- ``ofsted-outcomes-mi``: management information joined to GIAS (latest and previous overall
  effectiveness with publication dates; e.g. Warwickshire at 31 August 2020). Any model output
  columns such a file carries (``bad_out_chance``, ``good_out_chance``) are never read;
- ``ofsted-ratings``: the national GIAS rating table, grades without dates, read as observations.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator

from pyoxigraph import NamedNode, Quad

from schoolkg import iris
from schoolkg.errors import InputError
from schoolkg.mapping.tables import TableContext, register
from schoolkg.mapping.tables.cells import (
    MISSING,
    Column,
    parse_date,
    parse_grade,
    parse_int,
    parse_percent,
    parse_quintile,
    parse_urn,
    reason,
    register_date,
    text,
)
from schoolkg.mapping.tables.judgements import improvement_quads, judgement_quads
from schoolkg.mapping.tables.nodes import Sink, column_quads, succession_quads, table_quads
from schoolkg.mapping.tables.rows import each_row
from schoolkg.mapping.terms import OFSTED, lit
from schoolkg.vocab import DCT, PROV, RDF, SKG

__all__ = ["KEY_JUDGEMENTS", "MiOutcomes", "OfficialOutcomes", "RatingsTable", "UrnOnce"]

Rows = Iterator[tuple[int, dict[str, str]]]

KEY_JUDGEMENTS: tuple[tuple[str, NamedNode], ...] = (
    ("Overall effectiveness", SKG.overallEffectiveness),
    ("Outcomes for pupils", SKG.achievement),
    ("Quality of teaching, learning and assessment", SKG.qualityOfTeaching),
    ("Effectiveness of leadership and management", SKG.leadershipAndManagement),
    ("Personal development, behaviour and welfare", SKG.personalDevelopment),
    ("Early years provision (where applicable)", SKG.earlyYears),
    ("16 - 19 study programmes", SKG.sixthForm),
)
"""Column of the current inspection -> judgement area (the previous one is 'Previous ' + column)."""


def previous(column: str) -> str:
    """The header of the previous inspection's column.

    >>> previous("Overall effectiveness")
    'Previous overall effectiveness'
    """
    return "Previous " + column[0].lower() + column[1:]


class UrnOnce:
    """Checks that each URN appears on one row only."""

    def __init__(self) -> None:
        self.first: dict[str, int] = {}

    def check(self, urn: str, line: int, field: str = "URN") -> None:
        """Raise InputError if ``urn`` was already seen on an earlier line."""
        if urn in self.first:
            raise InputError(f"duplicate URN {urn!r} (first on line {self.first[urn]})", field=field)
        self.first[urn] = line


_OFFICIAL_SCHOOL = (
    Column("LAESTAB", SKG.laestab, text),
    Column("Phase of education", SKG.phaseOfEducation, text),
    Column("Type of education", SKG.establishmentType, text),
    Column("Total number of pupils", SKG.numberOfPupils, parse_int, "integer"),
    Column("Deprivation index", SKG.idaciQuintile, parse_quintile, "integer"),
    Column("Provider open date - QA", SKG.openDate, register_date, "date"),
    Column("Provider closed date - QA", SKG.closeDate, register_date, "date"),
    Column("Provider open reason - QA", SKG.openReason, reason),
    Column("Provider closed reason - QA", SKG.closeReason, reason),
)


class _SchoolRows:
    """Mapper base for tables with one row per school: table node, URNs unique, rows in order."""

    def quads(self, rows: Rows, ctx: TableContext) -> Iterator[Quad]:
        sink = Sink(ctx)
        yield from table_quads(sink)
        urns = UrnOnce()
        yield from each_row(rows, ctx, lambda line, row: self._row(sink, urns, line, row))

    def _row(self, sink: Sink, urns: UrnOnce, line: int, row: dict[str, str]) -> Iterator[Quad]:
        raise NotImplementedError


@register("ofsted-outcomes")
class OfficialOutcomes(_SchoolRows):
    """Ofsted official statistics: current and previous inspections with all key judgements."""

    kind = "ofsted-outcomes"
    columns = (
        "URN",
        "School name",
        "Local authority",
        "Phase of education",
        "Deprivation index",
        "Inspection number",
        "Inspection start date",
        "Publication date",
        "Overall effectiveness",
        "Previous inspection number",
        "Previous inspection start date",
        "Previous overall effectiveness",
    )

    def _row(self, sink: Sink, urns: UrnOnce, line: int, row: dict[str, str]) -> Iterator[Quad]:
        urn = parse_urn(row["URN"])
        urns.check(urn, line)
        school, out = sink.school(urn, row["School name"])
        yield from out
        la, out = sink.la(row["Local authority"], "Local authority")
        yield from out
        yield sink.q(school, SKG.localAuthority, la)
        yield from column_quads(sink, school, _OFFICIAL_SCHOOL, row)
        raw = row.get("Predecessor URN", "")
        if raw not in MISSING:
            pred = parse_urn(raw, "Predecessor URN")
            old, out = sink.school(pred)
            yield from out
            opened = register_date(row.get("Provider open date - QA", ""), "Provider open date - QA")
            kind = reason(row.get("Provider open reason - QA", ""), "Provider open reason - QA")
            yield from succession_quads(sink, old, school, kind, opened)
        now = yield from self._inspection(sink, school, row, "")
        before = yield from self._inspection(sink, school, row, "Previous ")
        for area in now.keys() & before.keys():
            yield from improvement_quads(sink, school, before[area], now[area])

    def _inspection(
        self, sink: Sink, school: NamedNode, row: dict[str, str], prefix: str
    ) -> Generator[Quad, None, dict[NamedNode, tuple[NamedNode, int, str]]]:
        """Yield one inspection's quads; return {area: (judgement, grade, date)} for improvements."""

        def col(name: str) -> str:
            return previous(name) if prefix else name

        number = text(row.get(col("Inspection number"), ""), "")
        date = parse_date(row.get(col("Inspection start date"), ""), col("Inspection start date"))
        grades = {area: parse_grade(row.get(col(c), ""), col(c)) for c, area in KEY_JUDGEMENTS if col(c) in row}
        graded = {a: g for a, g in grades.items() if g is not None}
        if not graded:
            return {}
        if date is None:
            raise InputError("a grade without an inspection start date", field=col("Inspection start date"))
        insp = None
        if number:
            insp = NamedNode(iris.inspection_iri(number))
            yield sink.q(insp, RDF.type, SKG.Inspection)
            yield sink.q(insp, DCT.identifier, lit(number))
            yield sink.q(insp, SKG.inspected, school)
            yield sink.q(insp, SKG.inspectorate, OFSTED)
            yield sink.q(insp, PROV.startedAtTime, lit(f"{date}T00:00:00", "dateTime"))
            published = parse_date(row.get(col("Publication date"), ""), col("Publication date"))
            if published:
                yield sink.q(insp, DCT.issued, lit(published, "date"))
            kind = text(row.get("Inspection type", ""), "") if not prefix else None
            if kind:
                yield sink.q(insp, SKG.inspectionType, lit(kind))
        done = {}
        for area, grade in graded.items():
            j, out = judgement_quads(sink, school, area, grade, date, insp)
            yield from out
            if area == SKG.overallEffectiveness:
                concern = text(row.get(col("Category of concern"), ""), "")
                if concern:
                    yield sink.q(j, SKG.categoryOfConcern, lit(concern))
            done[area] = (j, grade, date)
        return done


_MI_SCHOOL = (
    Column("LAESTAB", SKG.laestab, text),
    Column("Ofstedphase", SKG.phaseOfEducation, text),
    Column("Typeofeducation", SKG.establishmentType, text),
    Column("num_pupils", SKG.numberOfPupils, parse_int, "integer"),
    Column("IDACI", SKG.idaciQuintile, parse_quintile, "integer"),
)


@register("ofsted-outcomes-mi")
class MiOutcomes(_SchoolRows):
    """Ofsted management information: latest and previous overall effectiveness, by publication date."""

    kind = "ofsted-outcomes-mi"
    columns = (
        "URN",
        "Schoolname",
        "Ofstedphase",
        "Localauthority",
        "Publicationdate",
        "Overalleffectiveness",
        "Previouspublicationdate",
        "Previousfullinspectionoveralleffectiveness",
    )

    def _row(self, sink: Sink, urns: UrnOnce, line: int, row: dict[str, str]) -> Iterator[Quad]:
        urn = parse_urn(row["URN"])
        urns.check(urn, line)
        school, out = sink.school(urn, row["Schoolname"])
        yield from out
        la, out = sink.la(row["Localauthority"], "Localauthority")
        yield from out
        yield sink.q(school, SKG.localAuthority, la)
        yield from column_quads(sink, school, _MI_SCHOOL, row)
        pair = []
        for gcol, dcol in (
            ("Previousfullinspectionoveralleffectiveness", "Previouspublicationdate"),
            ("Overalleffectiveness", "Publicationdate"),
        ):
            grade, date = parse_grade(row[gcol], gcol), parse_date(row[dcol], dcol)
            if grade is None:
                continue
            if date is None:
                raise InputError("a grade without a publication date", field=dcol)
            j, out = judgement_quads(sink, school, SKG.overallEffectiveness, grade, date)
            yield from out
            pair.append((j, grade, date))
        if len(pair) == 2:
            yield from improvement_quads(sink, school, pair[0], pair[1])


RATING_PERIOD = "2024"


@register("ofsted-ratings")
class RatingsTable:
    """National GIAS rating table: the rating (no date) and FSM share as observations."""

    kind = "ofsted-ratings"
    columns = ("unique_reference_number", "authority_code", "rating", "percent_free_school_meals")

    def quads(self, rows: Rows, ctx: TableContext) -> Iterator[Quad]:
        sink = Sink(ctx)
        yield from table_quads(sink)
        rating, out = sink.measure(
            "rating",
            "Ofsted overall effectiveness grade recorded in GIAS (1 outstanding - 4 inadequate)",
            "ofsted-rating",
        )
        yield from out
        fsm, out = sink.measure("percent_free_school_meals", "Percentage of pupils eligible for free school meals")
        yield from out
        urns = UrnOnce()

        def row_quads(line: int, row: dict[str, str]) -> Iterator[Quad]:
            urn = parse_urn(row["unique_reference_number"], "unique_reference_number")
            urns.check(urn, line, "unique_reference_number")
            school, out = sink.school(urn)
            yield from out
            la, out = sink.la(row["authority_code"], "authority_code")
            yield from out
            yield sink.q(school, SKG.localAuthority, la)
            yield sink.q(school, SKG.phaseOfEducation, lit("Primary"))
            pupils = parse_int(row.get("pupil_number", ""), "pupil_number")
            if pupils is not None:
                yield sink.q(school, SKG.numberOfPupils, lit(pupils))
            grade = parse_grade(row["rating"], "rating")
            if grade is not None:
                yield from sink.observation(school, rating, str(grade), SKG.score, RATING_PERIOD, f"{urn}-rating")
            share = parse_percent(row["percent_free_school_meals"], "percent_free_school_meals")
            if share is not None:
                yield from sink.observation(school, fsm, share, SKG.percent, RATING_PERIOD, f"{urn}-fsm")

        yield from each_row(rows, ctx, row_quads)
