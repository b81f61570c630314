"""What to fetch: school URNs from arguments, a list file or an Ofsted outcomes table (fetch stage).

An outcomes or management-information table gives each school's URN (its ``URN`` column, or
the URN at the end of its ``Web Link``) and, where it has them, the number, start date and
publication date of the latest and previous inspections; those are kept so the manifest can
say which inspection a downloaded report belongs to.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from schoolkg.errors import InputError

__all__ = [
    "KnownInspection",
    "Target",
    "merge_targets",
    "parse_date",
    "parse_urn",
    "parse_targets_text",
    "read_targets",
    "targets_from_args",
    "urn_from_web_link",
]

_URN = re.compile(r"\d{6}")
_NULLS = {"", "null", "na", "n/a", "none", "-"}
_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d %B %Y", "%d %b %Y")

# Web Link shapes seen in Ofsted tables and the redirects GOV.UK kept for them (docs/fetch.md):
#   http://www.ofsted.gov.uk/inspection-reports/find-inspection-report/provider/ELS/123166
#   https://reports.ofsted.gov.uk/provider/21/123166
#   http://www.ofsted.gov.uk/oxedu_providers/full/(urn)/136338
_WEB_LINK_URN = (
    re.compile(r"/provider/(?:ELS|\d+)/(\d{6})(?:[/?#]|$)", re.I),
    re.compile(r"/oxedu_providers/full/\(urn\)/(\d{6})(?:[/?#]|$)", re.I),
)

# Table columns, by their name lowercased with everything but letters and digits removed, so that
# "Inspection start date" (official statistics) and "Publicationdate" (an R export) both match.
_CURRENT = ("inspectionnumber", ("inspectionstartdate", "inspectiondate"), "publicationdate", "inspectionenddate")
_PREVIOUS = (
    "previousinspectionnumber",
    ("previousinspectionstartdate",),
    "previouspublicationdate",
    "previousinspectionenddate",
)


@dataclass(frozen=True)
class KnownInspection:
    """An inspection a table names for a school: its number and dates where the table has them."""

    number: str | None = None
    start: date | None = None
    published: date | None = None
    end: date | None = None


@dataclass(frozen=True)
class Target:
    """A school to fetch reports for, where it was named, and the inspections its row names."""

    urn: str
    where: str
    inspections: tuple[KnownInspection, ...] = ()


def parse_urn(text: str, field: str = "URN") -> str:
    """``text`` as a six-digit URN, or an InputError naming ``field``.

    >>> parse_urn(" 123166 ")
    '123166'
    >>> parse_urn("12a456")
    Traceback (most recent call last):
    ...
    schoolkg.errors.InputError: URN: not a 6-digit URN: '12a456'
    """
    value = text.strip()
    if not _URN.fullmatch(value):
        raise InputError(f"not a 6-digit URN: {value!r}", field=field)
    return value


def urn_from_web_link(url: str) -> str | None:
    """The URN at the end of an Ofsted provider link, old or new address scheme; None if none.

    >>> urn_from_web_link("http://www.ofsted.gov.uk/inspection-reports/find-inspection-report/provider/ELS/123166")
    '123166'
    >>> urn_from_web_link("https://reports.ofsted.gov.uk/provider/23/137535")
    '137535'
    >>> urn_from_web_link("https://www.gov.uk/") is None
    True
    """
    for pattern in _WEB_LINK_URN:
        m = pattern.search(url.strip())
        if m:
            return m.group(1)
    return None


def parse_date(text: str, field: str) -> date | None:
    """A table or page date (dd/mm/yyyy, ISO, or "7 June 2023"); None for an empty or NULL cell.

    >>> parse_date("11/12/2013", "Publication date")
    datetime.date(2013, 12, 11)
    >>> parse_date("NULL", "Publication date") is None
    True
    """
    value = " ".join(text.split())
    if value.lower() in _NULLS:
        return None
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise InputError(f"not a date: {value!r} (use dd/mm/yyyy or yyyy-mm-dd)", field=field)


def targets_from_args(values: Sequence[str]) -> list[Target]:
    """URNs given on the command line (or Web Links), each checked; errors name the argument.

    >>> [t.urn for t in targets_from_args(["123166", "https://reports.ofsted.gov.uk/provider/21/142350"])]
    ['123166', '142350']
    """
    out = []
    for i, value in enumerate(values, 1):
        where = f"argument {i}"
        urn = urn_from_web_link(value) if "/" in value else None
        try:
            out.append(Target(urn or parse_urn(value), where))
        except InputError as err:
            err.path = where
            raise
    return out


def read_targets(path: Path) -> list[Target]:
    """The targets in a file: a CSV/TSV table with a URN or Web Link column, or one URN a line."""
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise InputError(f"cannot read: {err.strerror or err}", path=path) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")  # Windows-1252 is common in government downloads
    return parse_targets_text(text, str(path))


def parse_targets_text(text: str, name: str) -> list[Target]:
    """Targets in ``text`` (the contents of file ``name``); see ``read_targets``.

    >>> [t.urn for t in parse_targets_text("# schools\\n123166\\n\\n142350\\n", "urns.txt")]
    ['123166', '142350']
    >>> t = parse_targets_text("URN,Inspection number,Publication date\\n123166,ITS426502,11/12/2013\\n", "t.csv")
    >>> t[0].where, t[0].inspections
    ('t.csv:2', (KnownInspection(number='ITS426502', start=None, published=datetime.date(2013, 12, 11), end=None),))
    """
    lines = text.splitlines()
    first = next((ln for ln in lines if ln.strip() and not ln.lstrip().startswith("#")), "")
    delimiter = "\t" if "\t" in first and "," not in first else ","
    header = [_key(c) for c in next(csv.reader([first], delimiter=delimiter), [])]
    if len(header) > 1 or header[:1] in (["urn"], ["weblink"]):
        return _table_targets(text, name, delimiter)
    out = []
    for n, line in enumerate(lines, 1):
        value = line.split("#", 1)[0].strip()
        if value:
            try:
                out.append(Target(urn_from_web_link(value) or parse_urn(value), f"{name}:{n}"))
            except InputError as err:
                err.path, err.line = name, n
                raise
    return out


def merge_targets(targets: Iterable[Target]) -> list[Target]:
    """One target per URN, in first-seen order, with the inspections every mention gave.

    >>> merge_targets([Target("123166", "a"), Target("142350", "b"), Target("123166", "c")])
    [Target(urn='123166', where='a', inspections=()), Target(urn='142350', where='b', inspections=())]
    """
    seen: dict[str, Target] = {}
    for t in targets:
        if t.urn in seen:
            old = seen[t.urn]
            extra = tuple(i for i in t.inspections if i not in old.inspections)
            seen[t.urn] = Target(old.urn, old.where, old.inspections + extra)
        else:
            seen[t.urn] = t
    return list(seen.values())


def _key(column: str) -> str:
    return re.sub(r"[^a-z0-9]", "", column.lower())


def _table_targets(text: str, name: str, delimiter: str) -> list[Target]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
        while not "".join(header).strip() or header[0].lstrip().startswith("#"):
            header = next(reader)
    except StopIteration:
        raise InputError("empty table", path=name) from None
    keys = [_key(c) for c in header]
    col = {k: i for i, k in reversed(list(enumerate(keys)))}  # the first column of a name wins
    if "urn" not in col and "weblink" not in col:
        raise InputError(f"no URN or Web Link column (header: {', '.join(header[:8])})", path=name, line=1)
    out = []
    try:
        for row in reader:
            line = reader.line_num
            if not "".join(row).strip():
                continue
            out.append(_row_target(row, header, col, f"{name}:{line}", name, line))
    except csv.Error as err:
        raise InputError(f"not a readable CSV row: {err}", path=name, line=reader.line_num) from None
    return out


def _row_target(row: list[str], header: list[str], col: dict[str, int], where: str, name: str, line: int) -> Target:
    def cell(key: str) -> tuple[str, str]:
        i = col.get(key)
        return ("", key) if i is None or i >= len(row) else (row[i].strip(), header[i].strip())

    try:
        urn_text, urn_field = cell("urn")
        link, link_field = cell("weblink")
        link_urn = urn_from_web_link(link) if link and link.lower() not in _NULLS else None
        if link and link.lower() not in _NULLS and link_urn is None:
            raise InputError(f"no URN in the link {link!r}", field=link_field)
        if urn_text and urn_text.lower() not in _NULLS:
            urn = parse_urn(urn_text, urn_field)
            if link_urn is not None and link_urn != urn:
                raise InputError(f"the link names URN {link_urn}, the URN column {urn}", field=link_field)
        elif link_urn is not None:
            urn = link_urn
        else:
            raise InputError("no URN in the row", field=urn_field if "urn" in col else link_field)
        inspections = tuple(i for i in (_inspection(cell, _CURRENT), _inspection(cell, _PREVIOUS)) if i is not None)
    except InputError as err:
        err.path, err.line = name, line
        raise
    return Target(urn, where, inspections)


def _inspection(cell, keys: tuple[str, tuple[str, ...], str, str]) -> KnownInspection | None:  # type: ignore[no-untyped-def]
    number_key, start_keys, published_key, end_key = keys
    number, _ = cell(number_key)
    start = None
    for key in start_keys:
        text, field = cell(key)
        if text:
            start = parse_date(text, field)
            break
    published = parse_date(*cell(published_key))
    end = parse_date(*cell(end_key))
    number_value = number if number.lower() not in _NULLS else None
    if number_value is None and start is None and published is None:
        return None
    return KnownInspection(number_value, start, published, end)
