"""Local authorities in a programme (``programme-las``): EiC phases and clusters, BIP with its funding."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pyoxigraph import NamedNode, Quad

from schoolkg import iris
from schoolkg.errors import InputError
from schoolkg.mapping.tables import TableContext, register
from schoolkg.mapping.tables.cells import parse_int
from schoolkg.mapping.tables.nodes import Sink, table_quads
from schoolkg.mapping.tables.rows import each_row
from schoolkg.mapping.terms import lit
from schoolkg.vocab import RDF, SKG

__all__ = ["ProgrammeLas", "programme_key", "start_of"]

Rows = Iterator[tuple[int, dict[str, str]]]

_PROGRAMMES = {
    ("excellence in cities", "excellence cluster"): "excellence-clusters",
    ("excellence in cities", ""): "eic",
    ("excellence in cities", "whole-authority partnership"): "eic",
    ("behaviour improvement programme", ""): "bip",
}


def programme_key(programme: str, strand: str) -> str:
    """The programme individual's key for a row's programme and strand.

    >>> programme_key("Excellence in Cities", "Excellence Cluster")
    'excellence-clusters'
    """
    key = _PROGRAMMES.get((programme.strip().lower(), strand.strip().lower()))
    if key is None:
        raise InputError(f"unknown programme {programme!r} (strand {strand!r})", field="programme")
    return key


def start_of(raw: str) -> tuple[str | None, str | None]:
    """(xsd:date of the first day, or None; the year when only a year is given, or None).

    >>> start_of("1999-09"), start_of("2001"), start_of("")
    (('1999-09-01', None), (None, '2001'), (None, None))
    """
    if not raw:
        return None, None
    if re.fullmatch(r"(19|20)\d\d-(0[1-9]|1[0-2])", raw):
        return f"{raw}-01", None
    if re.fullmatch(r"(19|20)\d\d", raw):
        return None, raw
    raise InputError(f"not a start month (YYYY-MM) or year: {raw!r}", field="start")


@register("programme-las")
class ProgrammeLas:
    """Each row: an LA taking part in a programme (phase, start); BIP rows also carry 2003-04 funding."""

    kind = "programme-las"
    columns = ("la_name", "programme", "phase", "source")

    def quads(self, rows: Rows, ctx: TableContext) -> Iterator[Quad]:
        sink = Sink(ctx)
        yield from table_quads(sink)

        def row_quads(_line: int, row: dict[str, str]) -> Iterator[Quad]:
            key = programme_key(row["programme"], row.get("strand", ""))
            prog = NamedNode(iris.PROGRAMME_BASE + key)
            la, out = sink.la(row["la_name"], "la_name")
            yield from out
            phase = row["phase"]
            if phase and phase not in ("1", "2", "3"):
                raise InputError(f"not a phase 1-3: {phase!r}", field="phase")
            date, year = start_of(row.get("start", ""))
            part = NamedNode(iris.participation_iri(la.value, prog.value, ctx.table_id))
            yield sink.q(part, RDF.type, SKG.Participation)
            yield sink.q(part, SKG.participant, la)
            yield sink.q(part, SKG.programme, prog)
            yield sink.q(part, SKG.source, sink.table)
            if phase:
                yield sink.q(part, SKG.phase, lit(phase))
            if date:
                yield sink.q(part, SKG.startDate, lit(date, "date"))
            if year:
                yield sink.q(part, SKG.period, lit(year))
            if "amount_2003_04_gbp" in row:
                amount = parse_int(row["amount_2003_04_gbp"], "amount_2003_04_gbp")
                if amount is not None:
                    measure, out = sink.measure(
                        "amount_2003_04_gbp", "Behaviour Improvement Programme allocation (pounds)", "bip-allocation"
                    )
                    yield from out
                    slug = la.value.rsplit("/", 1)[-1]
                    yield from sink.observation(la, measure, str(amount), SKG.pounds, "2003-04", f"{slug}-bip-2003-04")

        yield from each_row(rows, ctx, row_quads)
