"""A query's results as a plain table of Python values: what every reader of a store works with."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph

from schoolkg.store.base import QueryResults
from schoolkg.vocab import PREFIXES, XSD

__all__ = ["Table", "Value", "to_table"]

Value = str | int | float | bool | None
"""A cell: a literal as a Python value (numbers and booleans typed), an IRI or blank node as its string."""

_NUMERIC = {PREFIXES["xsd"] + t for t in ("integer", "decimal", "double", "float", "nonNegativeInteger", "long", "int")}


@dataclass(frozen=True)
class Table:
    """Column names and rows of plain Python values (str, int, float, bool or None)."""

    columns: list[str]
    rows: list[list[Value]]


def _plain(term: object) -> Value:
    if term is None:
        return None
    if isinstance(term, pyoxigraph.Literal):
        dt = term.datatype.value
        if dt in _NUMERIC:
            return int(term.value) if "." not in term.value and "e" not in term.value.lower() else float(term.value)
        if dt == XSD.boolean.value:
            return term.value == "true"
        return term.value
    value = getattr(term, "value", None)
    return value if isinstance(value, str) else str(term)


def to_table(results: QueryResults) -> Table:
    """Turn pyoxigraph query results (SELECT, ASK or CONSTRUCT) into a Table."""
    if isinstance(results, pyoxigraph.QuerySolutions):
        cols = [v.value for v in results.variables]
        # a solution iterates its values in the order of the variables: faster than by name
        return Table(cols, [[_plain(term) for term in sol] for sol in results])
    if isinstance(results, pyoxigraph.QueryBoolean):
        return Table(["result"], [[bool(results)]])
    return Table(
        ["subject", "predicate", "object"],
        [[_plain(t.subject), _plain(t.predicate), _plain(t.object)] for t in results],
    )
