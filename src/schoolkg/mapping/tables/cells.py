"""Typed cells: parse one table cell or raise InputError naming its column.

Every parser takes the raw string and the column name, returns a plain value (or None for a
cell that says "no value"), and raises :class:`InputError` with ``field`` set to the column; the
row loop adds file and line with :func:`schoolkg.errors.input_context`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from pyoxigraph import NamedNode

from schoolkg.errors import InputError

__all__ = [
    "MISSING",
    "SUPPRESSED",
    "Column",
    "parse_date",
    "parse_decimal",
    "parse_grade",
    "parse_int",
    "parse_percent",
    "parse_quintile",
    "parse_urn",
    "reason",
    "register_date",
    "require_columns",
    "text",
]

MISSING = frozenset({"", "NULL", "NA", "N/A", "n/a"})
"""Cells that mean "no value"."""

SUPPRESSED = frozenset({"SUPP", "NE", "NA", "NP", "NEW", "LOWCOV", "x", "X", "..", ":", "-", "DNS", "NULL", ""})
"""Markers of suppressed or not-applicable figures in DfE tables."""

_GRADE_WORDS = {
    "outstanding": 1,
    "good": 2,
    "satisfactory": 3,
    "requires improvement": 3,
    "inadequate": 4,
    "serious weaknesses": 4,
    "special measures": 4,
}
_NO_JUDGEMENT = frozenset({"8", "9", "NULL", "", "NA", "Not judged", "not applicable"})
_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d")


def parse_urn(raw: str, field: str = "URN") -> str:
    """A six-digit URN.

    >>> parse_urn("123166")
    '123166'
    >>> parse_urn("12316")
    Traceback (most recent call last):
    schoolkg.errors.InputError: URN: not a 6-digit URN: '12316'
    """
    if not (raw.isdigit() and len(raw) == 6):
        raise InputError(f"not a 6-digit URN: {raw!r}", field=field)
    return raw


def parse_date(raw: str, field: str) -> str | None:
    """An ISO date from dd/mm/yyyy, dd-mm-yyyy or yyyy-mm-dd; None for an empty/NULL cell.

    >>> parse_date("20/02/2013", "Inspection start date"), parse_date("01-01-2022", "d")
    ('2013-02-20', '2022-01-01')
    >>> parse_date("31/02/2013", "Inspection start date")
    Traceback (most recent call last):
    schoolkg.errors.InputError: Inspection start date: not a date (dd/mm/yyyy, dd-mm-yyyy or yyyy-mm-dd): '31/02/2013'
    """
    if raw in MISSING:
        return None
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(raw, fmt).date().isoformat()
        except ValueError:
            continue
    raise InputError(f"not a date (dd/mm/yyyy, dd-mm-yyyy or yyyy-mm-dd): {raw!r}", field=field)


def parse_grade(raw: str, field: str) -> int | None:
    """An Ofsted grade 1-4 from a digit or a word; None for 9/8/NULL (no judgement).

    >>> parse_grade("2", "Overall effectiveness"), parse_grade("Requires improvement", "rating")
    (2, 3)
    >>> parse_grade("9", "Early years") is None
    True
    >>> parse_grade("7", "Overall effectiveness")
    Traceback (most recent call last):
    schoolkg.errors.InputError: Overall effectiveness: not an Ofsted grade (1-4, a word, or 8/9/NULL for none): '7'
    """
    if raw in _NO_JUDGEMENT:
        return None
    if raw in ("1", "2", "3", "4"):
        return int(raw)
    word = _GRADE_WORDS.get(raw.strip().lower())
    if word is None:
        raise InputError(
            f"not an Ofsted grade (1-4, a word, or 8/9/NULL for none): {raw!r}",
            field=field,
        )
    return word


def parse_int(raw: str, field: str) -> int | None:
    """A whole number (thousands commas allowed); None for an empty/NULL cell.

    >>> parse_int("1,442,000", "amount")
    1442000
    """
    if raw in MISSING:
        return None
    text = raw.replace(",", "")
    if not re.fullmatch(r"-?\d+", text):
        raise InputError(f"not a whole number: {raw!r}", field=field)
    return int(text)


def parse_quintile(raw: str, field: str) -> int | None:
    """An IDACI quintile 1-5; None for an empty/NULL cell."""
    value = parse_int(raw, field)
    if value is not None and not 1 <= value <= 5:
        raise InputError(f"not a quintile 1-5: {raw!r}", field=field)
    return value


def parse_decimal(raw: str, field: str) -> str | None:
    """A decimal as a canonical string; None for a suppressed or not-applicable marker.

    >>> parse_decimal("-1.2", "READPROG"), parse_decimal("SUPP", "READPROG")
    ('-1.2', None)
    """
    if raw in SUPPRESSED:
        return None
    if not re.fullmatch(r"-?\d+(\.\d+)?", raw):
        raise InputError(f"not a number or a suppression marker: {raw!r}", field=field)
    return raw


def parse_percent(raw: str, field: str) -> str | None:
    """A percentage 0-100 (with or without '%'); None for a suppressed marker.

    >>> parse_percent("56%", "PTRWM_EXP"), parse_percent("LOWCOV", "PTRWM_EXP")
    ('56', None)
    >>> parse_percent("156%", "PTRWM_EXP")
    Traceback (most recent call last):
    schoolkg.errors.InputError: PTRWM_EXP: percentage out of range 0-100: '156%'
    """
    value = parse_decimal(raw[:-1] if raw.endswith("%") else raw, field)
    if value is not None and not 0 <= float(value) <= 100:
        raise InputError(f"percentage out of range 0-100: {raw!r}", field=field)
    return value


def register_date(raw: str, field: str) -> str | None:
    """A GIAS or Ofsted open/close date; None for an empty cell or the register's 01-01-1900
    placeholder ("date not known").

    >>> register_date("01-09-2016", "OpenDate"), register_date("01-01-1900", "OpenDate")
    ('2016-09-01', None)
    """
    value = parse_date(raw, field)
    return None if value is None or value < "1901-01-01" else value


def reason(raw: str, _field: str) -> str | None:
    """An open/close reason; None for an empty cell, 'Not applicable' or 'Unknown'."""
    return None if raw in MISSING or raw in ("Not applicable", "Not recorded", "Unknown") else raw


@dataclass(frozen=True)
class Column:
    """One column of a table: its header, how to parse a cell, and what it becomes.

    ``prop`` is the property IRI the value is written with (on the row's subject) and
    ``datatype`` the XSD datatype of the literal (None for a plain string).
    """

    header: str
    prop: NamedNode
    parse: Callable[[str, str], object]
    datatype: str | None = None

    def read(self, row: dict[str, str]) -> object:
        """The parsed value of this column in ``row`` (None if the cell says no value)."""
        return self.parse(row.get(self.header, ""), self.header)


def require_columns(header: list[str], needed: tuple[str, ...] | list[str]) -> None:
    """Raise InputError naming the first column of ``needed`` that ``header`` lacks."""
    have = set(header)
    for col in needed:
        if col not in have:
            raise InputError(f"missing column {col!r}", field="header", line=1)


def text(raw: str, _field: str) -> str | None:
    """A non-empty string, or None for an empty/NULL cell."""
    return None if raw in MISSING else raw
