"""Run a SPARQL query on a store and render the results as a table, CSV, TSV or JSON."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass

import pyoxigraph

__all__ = ["Table", "render", "to_table"]

XSD = "http://www.w3.org/2001/XMLSchema#"
_NUMERIC = {f"{XSD}{t}" for t in ("integer", "decimal", "double", "float", "nonNegativeInteger", "long", "int")}


@dataclass(frozen=True)
class Table:
    """Column names and rows of plain Python values (str, int, float, bool or None)."""

    columns: list[str]
    rows: list[list[object]]


def _plain(term: object) -> object:
    if term is None:
        return None
    if isinstance(term, pyoxigraph.Literal):
        dt = term.datatype.value
        if dt in _NUMERIC:
            return int(term.value) if "." not in term.value and "e" not in term.value.lower() else float(term.value)
        if dt == f"{XSD}boolean":
            return term.value == "true"
        return term.value
    return getattr(term, "value", str(term))


def to_table(results: object) -> Table:
    """Turn pyoxigraph query results (SELECT, ASK or CONSTRUCT) into a Table."""
    if isinstance(results, pyoxigraph.QuerySolutions):
        cols = [v.value for v in results.variables]
        return Table(cols, [[_plain(sol[c]) for c in cols] for sol in results])
    if isinstance(results, pyoxigraph.QueryBoolean):
        return Table(["result"], [[bool(results)]])
    return Table(
        ["subject", "predicate", "object"],
        [[_plain(t.subject), _plain(t.predicate), _plain(t.object)] for t in results],
    )


def render(table: Table, fmt: str) -> str:
    """Render as 'csv', 'tsv' or 'json' (a list of objects); 'table' is drawn by the CLI."""
    if fmt in ("csv", "tsv"):
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(table.columns)
        for row in table.rows:
            writer.writerow(["" if v is None else v for v in row])
        return buf.getvalue()
    if fmt == "json":
        return (
            json.dumps([dict(zip(table.columns, r, strict=True)) for r in table.rows], indent=2, ensure_ascii=False)
            + "\n"
        )
    raise ValueError(f"unknown format {fmt!r}")
