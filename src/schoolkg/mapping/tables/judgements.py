"""Quads for graded judgements and for the change between two of them (shared by outcome mappers)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from pyoxigraph import NamedNode, Quad

from schoolkg import iris
from schoolkg.mapping.tables.nodes import Sink
from schoolkg.mapping.terms import lit
from schoolkg.vocab import DCT, RDF, SKG

__all__ = ["direction", "grade_term", "improvement_quads", "judgement_quads"]

_RI_FROM = "2012-09-01"
_GRADES = {1: SKG.outstanding, 2: SKG.good, 4: SKG.inadequate}


def grade_term(value: int, date: str) -> NamedNode:
    """The grade individual for a 1-4 value on a date (3 is satisfactory before September 2012).

    >>> grade_term(3, "2011-05-01").value.rsplit("#")[1], grade_term(3, "2013-05-01").value.rsplit("#")[1]
    ('satisfactory', 'requiresImprovement')
    """
    if value == 3:
        return SKG.satisfactory if date < _RI_FROM else SKG.requiresImprovement
    return _GRADES[value]


def direction(change: int) -> NamedNode:
    """skg:improved, skg:stable or skg:declined for a change (earlier minus later grade)."""
    return SKG.improved if change > 0 else SKG.declined if change < 0 else SKG.stable


def judgement_quads(
    sink: Sink,
    school: NamedNode,
    area: NamedNode,
    grade: int,
    date: str,
    inspection: NamedNode | None = None,
) -> tuple[NamedNode, list[Quad]]:
    """A dated Ofsted judgement of one area of a school, read from this table."""
    area_name = area.value.rsplit("#", 1)[-1]
    j = NamedNode(iris.judgement_iri(sink.ctx.table_id, school.value, area_name, date))
    out = [
        sink.q(j, RDF.type, SKG.Judgement),
        sink.q(j, SKG.about, school),
        sink.q(j, SKG.area, area),
        sink.q(j, SKG.grade, grade_term(grade, date)),
        sink.q(j, DCT.date, lit(date, "date")),
        sink.q(j, SKG.source, sink.table),
    ]
    if inspection is not None:
        out.append(sink.q(j, SKG.inspection, inspection))
    return j, out


def improvement_quads(
    sink: Sink,
    school: NamedNode,
    before: tuple[NamedNode, int, str],
    after: tuple[NamedNode, int, str],
) -> Iterator[Quad]:
    """The change from an earlier (judgement, grade, date) to a later one of the same area."""
    (j1, g1, d1), (j2, g2, d2) = before, after
    change = g1 - g2
    imp = NamedNode(iris.improvement_iri(j1.value, j2.value))
    yield sink.q(imp, RDF.type, SKG.Improvement)
    yield sink.q(imp, SKG.about, school)
    yield sink.q(imp, SKG.before, j1)
    yield sink.q(imp, SKG.after, j2)
    yield sink.q(imp, SKG.direction, direction(change))
    yield sink.q(imp, SKG.change, lit(f"{change}.0", "decimal"))
    days = (dt.date.fromisoformat(d2) - dt.date.fromisoformat(d1)).days
    yield sink.q(imp, SKG.intervalDays, lit(days))
    yield sink.q(imp, SKG.source, sink.table)
