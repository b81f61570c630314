"""Key Stage 2 performance tables (``performance``), their column definitions (``ks2-meta``) and LA codes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from pyoxigraph import NamedNode, Quad

from schoolkg import iris
from schoolkg.errors import InputError
from schoolkg.ingest.tables import open_table
from schoolkg.mapping.tables import TableContext, register
from schoolkg.mapping.tables.cells import parse_decimal, parse_int, parse_percent, parse_urn, text
from schoolkg.mapping.tables.nodes import Sink, table_quads
from schoolkg.mapping.tables.outcomes import UrnOnce
from schoolkg.mapping.tables.rows import each_row
from schoolkg.mapping.terms import lit
from schoolkg.vocab import SKG

__all__ = ["MEASURES", "Ks2Meta", "LaCodes", "Performance", "academic_year", "read_labels"]

Rows = Iterator[tuple[int, dict[str, str]]]

MEASURES: tuple[tuple[str, NamedNode], ...] = (
    ("TELIG", SKG.count),
    ("PTFSM6CLA1A", SKG.percent),
    ("PTRWM_EXP", SKG.percent),
    ("PTRWM_HIGH", SKG.percent),
    ("READPROG", SKG.score),
    ("WRITPROG", SKG.score),
    ("MATPROG", SKG.score),
)
"""The KS2 fields read as observations, with their units (the rest of the ~300 are left out)."""

_PARSE = {SKG.count: parse_int, SKG.percent: parse_percent, SKG.score: parse_decimal}
_GROUPS = {"4": "England (all schools)", "5": "England (state-funded schools)"}


def academic_year(name: str) -> str:
    """The academic year a KS2 file covers, from its name.

    >>> academic_year("ks2-2016-17-hampshire-850.csv")
    '2016/17'
    """
    m = re.search(r"(20\d\d)-(\d\d)(?!\d)", name)
    if not m:
        raise InputError("cannot tell the academic year from the file name (expected ks2-YYYY-YY-...)")
    return f"{m.group(1)}/{m.group(2)}"


def read_labels(table: Path, year: str) -> dict[str, str]:
    """Field name -> label from the year's ``ks2-meta/ks2-meta-YYYY-YYYY.csv`` beside ``table``."""
    first = int(year[:4])
    name = f"ks2-meta-{first}-{first + 1}.csv"
    for folder in (table.parent / "ks2-meta", table.parent, table.parent.parent / "ks2-meta"):
        if (folder / name).is_file():
            _header, rows, _sha = open_table(folder / name)
            return {_field_name(r): r["Label/Description"] for _line, r in rows}
    raise InputError(f"no column definitions {name} in ks2-meta/ beside the table", field="header", line=1)


def _field_name(row: dict[str, str]) -> str:
    """The field name of a ks2-meta row (headed 'FieldName' or 'Field Name' depending on the year)."""
    return row.get("FieldName") or row.get("Field Name") or ""


@register("performance")
class Performance:
    """KS2 results: one observation per school (or LA, or England) and measure, labelled from ks2-meta."""

    kind = "performance"
    columns = ("RECTYPE", "LEA", "URN", "SCHNAME", "TOWN", "TELIG", "PTRWM_EXP")

    def quads(self, rows: Rows, ctx: TableContext) -> Iterator[Quad]:
        sink = Sink(ctx)
        year = academic_year(Path(ctx.path).name)
        labels = read_labels(ctx.file, year)
        yield from table_quads(sink)
        measures: dict[str, NamedNode] = {}
        for field, _unit in MEASURES:
            measures[field], out = sink.measure(field, labels.get(field, field))
            yield from out
        urns = UrnOnce()

        def row_quads(line: int, row: dict[str, str]) -> Iterator[Quad]:
            rectype = row["RECTYPE"]
            subject: NamedNode | None = None
            if rectype in ("1", "2"):
                urn = parse_urn(row["URN"])
                urns.check(urn, line)
                subject, out = sink.school(urn, row["SCHNAME"])
                yield from out
                la, out = sink.la(row["LEA"], "LEA")
                yield from out
                yield sink.q(subject, SKG.localAuthority, la)
                town = text(row["TOWN"], "TOWN")
                if town:
                    yield sink.q(subject, SKG.town, lit(town))
                key = urn
            elif rectype == "3":
                subject, out = sink.la(row["LEA"], "LEA")
                yield from out
                key = f"la-{row['LEA']}"
            elif rectype in _GROUPS:
                key = f"england-{rectype}"
            else:
                raise InputError(f"unknown record type {rectype!r} (1-5)", field="RECTYPE")
            for field, unit in MEASURES:
                value = _PARSE[unit](row.get(field, ""), field)
                if value is None:
                    continue
                obs_key = f"{key}-{field}-{year}"
                yield from sink.observation(subject, measures[field], str(value), unit, year, obs_key)
                if subject is None:
                    obs = NamedNode(iris.figure_iri(sink.ctx.table_id, obs_key))
                    yield sink.q(obs, SKG.comparisonGroup, lit(_GROUPS[rectype]))

        yield from each_row(rows, ctx, row_quads)


@register("ks2-meta")
class Ks2Meta:
    """KS2 column definitions: the measures schoolkg reads, with their labels."""

    kind = "ks2-meta"
    columns = ("Column", "Label/Description")

    def quads(self, rows: Rows, ctx: TableContext) -> Iterator[Quad]:
        sink = Sink(ctx)
        yield from table_quads(sink)
        wanted = dict(MEASURES)

        def row_quads(_line: int, row: dict[str, str]) -> Iterator[Quad]:
            if _field_name(row) in wanted:
                yield from sink.measure(_field_name(row), row["Label/Description"])[1]

        yield from each_row(rows, ctx, row_quads)


@register("la-codes")
class LaCodes:
    """DfE local authority codes: each LA with its three-digit code."""

    kind = "la-codes"
    columns = ("LEA", "LA Name", "REGION", "REGION NAME")

    def quads(self, rows: Rows, ctx: TableContext) -> Iterator[Quad]:
        sink = Sink(ctx)
        yield from table_quads(sink)

        def row_quads(_line: int, row: dict[str, str]) -> Iterator[Quad]:
            if not (row["LEA"].isdigit() and len(row["LEA"]) == 3):
                raise InputError(f"not a 3-digit LA code: {row['LEA']!r}", field="LEA")
            yield from sink.la(row["LA Name"], "LA Name")[1]

        yield from each_row(rows, ctx, row_quads)
