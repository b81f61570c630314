"""GIAS establishment extracts (``establishments``) and the GIAS links register (``links``)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from pyoxigraph import NamedNode, Quad

from schoolkg.errors import InputError
from schoolkg.ingest.tables import EXTRA
from schoolkg.mapping.tables import TableContext, register
from schoolkg.mapping.tables.cells import (
    Column,
    parse_date,
    parse_grade,
    parse_int,
    parse_urn,
    reason,
    register_date,
    text,
)
from schoolkg.mapping.tables.judgements import judgement_quads
from schoolkg.mapping.tables.nodes import Sink, succession_quads, table_quads
from schoolkg.mapping.tables.outcomes import UrnOnce
from schoolkg.mapping.tables.rows import each_row
from schoolkg.mapping.terms import lit
from schoolkg.vocab import SKG

__all__ = ["DATED", "Establishments", "Links", "link_direction", "linked_urns"]

Rows = Iterator[tuple[int, dict[str, str]]]

DATED = (
    Column("OpenDate", SKG.openDate, register_date, "date"),
    Column("CloseDate", SKG.closeDate, register_date, "date"),
    Column("ReasonEstablishmentOpened (name)", SKG.openReason, reason),
    Column("ReasonEstablishmentClosed (name)", SKG.closeReason, reason),
)
"""The GIAS columns that date an establishment (issue 17: memberships only while open)."""

_SCHOOL = (
    Column("TypeOfEstablishment (name)", SKG.establishmentType, text),
    Column("EstablishmentStatus (name)", SKG.establishmentStatus, text),
    Column("PhaseOfEducation (name)", SKG.phaseOfEducation, text),
    Column("NumberOfPupils", SKG.numberOfPupils, parse_int, "integer"),
    Column("Town", SKG.town, text),
    *DATED,
)


_CONCERN = {"Serious Weaknesses": "SWK", "Special Measures": "SM"}
_LINK = re.compile(r"\b(Predecessor|Successor)\b[^0-9\t]*?(\d{6})")


def linked_urns(cell: str) -> list[tuple[str, str]]:
    """(relation, URN) pairs named in a GIAS 'Linked establishments' cell.

    >>> linked_urns("Predecessor 116220 Old School\\tSuccessor - merged 140123 New Academy")
    [('Predecessor', '116220'), ('Successor', '140123')]
    """
    return [(m.group(1), m.group(2)) for m in _LINK.finditer(cell)]


@register("establishments")
class Establishments:
    """GIAS 'all establishment data': schools, their LA, type, status, phase and last Ofsted grade."""

    kind = "establishments"
    extra_cells = True  # GIAS spills "Linked establishments" lists past the header
    columns = (
        "URN",
        "LA (code)",
        "LA (name)",
        "EstablishmentNumber",
        "EstablishmentName",
        "EstablishmentStatus (name)",
    )

    def quads(self, rows: Rows, ctx: TableContext) -> Iterator[Quad]:
        sink = Sink(ctx)
        yield from table_quads(sink)
        urns = UrnOnce()

        def row_quads(line: int, row: dict[str, str]) -> Iterator[Quad]:
            urn = parse_urn(row["URN"])
            urns.check(urn, line)
            school, out = sink.school(urn, row["EstablishmentName"])
            yield from out
            la, out = sink.la(row["LA (name)"], "LA (name)")
            yield from out
            yield sink.q(school, SKG.localAuthority, la)
            code, number = row["LA (code)"], row["EstablishmentNumber"]
            if code.isdigit() and number.isdigit():
                yield sink.q(school, SKG.laestab, lit(code + number.zfill(4)))
            for col in _SCHOOL:
                value = col.read(row)
                if value is not None:
                    yield sink.q(school, col.prop, lit(value, col.datatype) if col.datatype else lit(value))
            rating = row.get("OfstedRating (name)", "")
            date = parse_date(row.get("OfstedLastInsp", ""), "OfstedLastInsp")
            grade = parse_grade(rating, "OfstedRating (name)")
            if grade is not None:
                if date is None:
                    raise InputError("an Ofsted rating without a date", field="OfstedLastInsp")
                j, out = judgement_quads(sink, school, SKG.overallEffectiveness, grade, date)
                yield from out
                if rating in _CONCERN:
                    yield sink.q(j, SKG.categoryOfConcern, lit(_CONCERN[rating]))
            cell = row.get("Linked establishments", "") + "\t" + row.get(EXTRA, "")
            for relation, other_urn in linked_urns(cell):
                other, out = sink.school(other_urn)
                yield from out
                yield from _link(sink, school, relation, other)

        yield from each_row(rows, ctx, row_quads)


def link_direction(link_type: str) -> str | None:
    """'Predecessor' or 'Successor' for a GIAS LinkType (what LinkURN is to URN), else None.

    >>> link_direction("Predecessor - merged"), link_direction("Result of Amalgamation"), link_direction("Other")
    ('Predecessor', 'Successor', None)
    """
    if link_type.startswith("Predecessor"):
        return "Predecessor"
    if link_type.startswith("Successor") or link_type == "Result of Amalgamation":
        return "Successor"
    return None


def _link(
    sink: Sink,
    school: NamedNode,
    relation: str,
    other: NamedNode,
    link_type: str | None = None,
    date: str | None = None,
) -> Iterator[Quad]:
    """The plain predecessor/successor triples and the dated :func:`succession_quads` node.

    A GIAS row's date is its URN's side of the link: a successor's row dates the day it opened,
    a predecessor's the day it closed (the successor opened the next day).
    """
    if relation == "Predecessor":
        old, new, opened = other, school, date
    else:
        old, new = school, other
        opened = (dt.date.fromisoformat(date) + dt.timedelta(days=1)).isoformat() if date else None
    yield from succession_quads(sink, old, new, link_type, opened)


def _from_predecessor(link_type: str) -> str:
    """A GIAS LinkType as the predecessor's row words it (the successor's row is the reverse).

    >>> _from_predecessor("Successor - merged"), _from_predecessor("Result of Amalgamation")
    ('Predecessor - merged', 'Predecessor - amalgamated')
    """
    if link_type == "Result of Amalgamation":
        return "Predecessor - amalgamated"
    return "Predecessor" + link_type[len("Successor") :] if link_type.startswith("Successor") else link_type


@register("links")
class Links:
    """GIAS links: predecessor and successor establishments (academy conversions, mergers, splits).

    Link types that are not a succession (sixth-form links, 'Other', capacity changes) are
    read and type-checked but not written.
    """

    kind = "links"
    columns = ("URN", "LinkURN", "LinkName", "LinkType")

    def quads(self, rows: Rows, ctx: TableContext) -> Iterator[Quad]:
        sink = Sink(ctx)
        yield from table_quads(sink)

        def row_quads(_line: int, row: dict[str, str]) -> Iterator[Quad]:
            school, out = sink.school(parse_urn(row["URN"]))
            yield from out
            other, out = sink.school(parse_urn(row["LinkURN"], "LinkURN"), text(row["LinkName"], "LinkName"))
            yield from out
            date = register_date(row.get("LinkEstablishedDate", ""), "LinkEstablishedDate")
            relation = link_direction(row["LinkType"])
            if relation:
                link_type = row["LinkType"] if relation == "Predecessor" else _from_predecessor(row["LinkType"])
                yield from _link(sink, school, relation, other, link_type, date)

        yield from each_row(rows, ctx, row_quads)
