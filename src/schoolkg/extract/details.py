"""Label/value fields of a report's front page and "School details" / "Information about this
school" tables ("Unique reference number 120993", "Local authority\\tNorfolk"), and the dates
Ofsted writes ("4–5 May 2016", "30 April – 1 May 2014", "7 and 8 February 2023").

A field's value is the rest of its cell (after a tab, a colon or a space), else the next line,
for the layouts real PDFs, HTML pages and copied text give.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["FIELDS", "Field", "find_dates", "find_fields", "first_date", "parse_date_range"]

# key -> label pattern (matched at the start of a line or cell, case-insensitive)
FIELDS = {
    "urn": r"unique reference number|urn",
    "la": r"local authority|local education authority|lea|la",
    "inspection_number": r"inspection number",
    "inspection_dates": r"inspection dates?|inspection date\(s\)|dates? of inspection|date of inspection",
    "school_type": r"type of school|school type",
    "category": r"school category|category of school",
    "age_range": r"age range of pupils|age range",
    "address": r"school address|address",
    "postcode": r"postcode",
    "previous_date": r"date of (?:the )?(?:previous|last) (?:school |full |graded |section 5 )?inspection",
    "previous_grade": r"previous inspection grade|overall effectiveness at (?:the )?previous inspection"
    r"|previous full inspection|previous graded inspection",
    "trust": r"trust|academy trust|name of (?:academy )?trust",
    "headteacher": r"headteacher|head teacher|principal|headmaster|headmistress|head of school"
    r"|executive headteacher|acting headteacher|interim headteacher",
    "telephone": r"telephone number|telephone",
    "appropriate_authority": r"appropriate authority",
    "chair": r"chair(?: of (?:the )?(?:governing body|governors|trust|board|trustees|management committee))?",
    "gender": r"gender of pupils",
    "roll": r"number of pupils on the school roll|number on roll(?: \(?school\)?)?|number of pupils",
    "website": r"website",
}
_LABEL = re.compile(
    r"(?P<label>" + "|".join(f"(?P<{k}>{v})" for k, v in FIELDS.items()) + r")(?=$|[\t:]|\s)", re.IGNORECASE
)
# the first word of every label: a line or cell is tried only when it starts with one of them
_FIRST_WORDS = frozenset(w.split("|")[0] for v in FIELDS.values() for w in re.findall(r"(?:^|\|)([a-z]+)", v)) | {
    w for v in FIELDS.values() for w in re.findall(r"(?:^|\||\(\?:)([a-z]+)", v)
}


def _label_matches(text: str) -> Iterator[re.Match[str]]:
    """Matches of a label at the start of a line or cell, in reading order."""
    pos = 0
    n = len(text)
    while pos < n:
        end = text.find("\n", pos)
        end = n if end < 0 else end
        cell = pos
        while cell < end:
            word_end = cell
            while word_end < end and text[word_end].isalpha():
                word_end += 1
            if text[cell:word_end].lower() in _FIRST_WORDS:
                m = _LABEL.match(text, cell, end)
                if m:
                    yield m
            tab = text.find("\t", cell, end)
            cell = end if tab < 0 else tab + 1
        pos = end + 1


_ANY_LABEL = re.compile(r"\s(?:" + "|".join(v for k, v in FIELDS.items() if k not in ("la", "urn")) + r")\b\s*:?",
                        re.IGNORECASE)  # fmt: skip


@dataclass(frozen=True)
class Field:
    """One field's value and where it stands in the text."""

    key: str
    value: str
    start: int
    end: int


def find_fields(text: str) -> dict[str, Field]:
    """The first value of each known field in ``text``.

    >>> f = find_fields("Unique reference number\\t120993\\nLocal authority\\nNorfolk\\nInspection number 10041352")
    >>> f["urn"].value, f["la"].value, f["inspection_number"].value
    ('120993', 'Norfolk', '10041352')
    >>> find_fields("Type of school Secondary School address Castle Road")["school_type"].value
    'Secondary'
    """
    out: dict[str, Field] = {}
    for m in _label_matches(text):
        key = next(k for k in FIELDS if m.group(k))
        if key in out:
            continue
        line_end = text.find("\n", m.end())
        line_end = len(text) if line_end < 0 else line_end
        cell_end = text.find("\t", m.end(), line_end)
        tabbed = cell_end >= 0 and text[m.end() : cell_end].strip(" :") == ""
        if tabbed:  # label cell, value in the next cell
            start = cell_end + 1
            end = text.find("\t", start, line_end)
            end = line_end if end < 0 else end
        else:
            start = m.end()
            end = line_end if cell_end < 0 else cell_end
        value = text[start:end]
        lead = len(value) - len(value.lstrip(" :\t"))
        value = value.strip(" :\t")
        start += lead
        if not value and not tabbed:  # value on the next line (label and value cells one a line)
            nxt = text.find("\n", line_end + 1)
            nxt = len(text) if nxt < 0 else nxt
            candidate = text[line_end + 1 : nxt]
            if candidate.strip() and not _LABEL.match(candidate.lstrip()):
                start = line_end + 1
                value = candidate.split("\t")[0].strip()
        if not value:
            continue
        cut = _ANY_LABEL.search(value)
        if cut and not tabbed:  # "Secondary School address Castle Road": another label follows
            value = value[: cut.start()].strip()
        if value:
            out[key] = Field(key, value, start, start + len(value))
    return out


_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_MONTH_RE = rf"(?:{_MONTHS}|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)"
_DATE_RANGE = re.compile(
    rf"\b(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+(?P<m1>{_MONTH_RE})\.?(?:\s+(?P<y1>(?:19|20)\d\d))?)?"
    rf"(?:\s*(?:[-–—]|to|and|&)\s*(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?)?\s+(?P<m2>{_MONTH_RE})\.?,?\s+(?P<y2>(?:19|20)\d\d)\b",
    re.IGNORECASE,
)
_MONTH_YEAR = re.compile(rf"\b(?P<m>{_MONTHS})\s+(?P<y>(?:19|20)\d\d)\b", re.IGNORECASE)


def _month(name: str) -> int:
    return next(i for i, m in enumerate(_MONTHS.split("|"), 1) if m.startswith(name.lower()[:3]))


def parse_date_range(text: str) -> tuple[str, str, int, int] | None:
    """The first full date or date range in ``text``: (start ISO, end ISO, start, end offsets).

    >>> parse_date_range("Inspection dates 30 April – 1 May 2014")[:2]
    ('2014-04-30', '2014-05-01')
    >>> parse_date_range("visit on 7 and 8 February 2023")[:2], parse_date_range("on 19 June 2018")[:2]
    (('2023-02-07', '2023-02-08'), ('2018-06-19', '2018-06-19'))
    """
    for m in _DATE_RANGE.finditer(text):
        y2, m2 = int(m.group("y2")), _month(m.group("m2"))
        d1 = int(m.group("d1"))
        m1 = _month(m.group("m1")) if m.group("m1") else m2
        y1 = int(m.group("y1")) if m.group("y1") else (y2 - 1 if m1 > m2 else y2)
        d2 = int(m.group("d2")) if m.group("d2") else (d1 if not m.group("m1") else None)
        if d2 is None:  # "30 April 2014" alone, or "30 April – 1 May 2014" read as one date each side
            d2, m1, y1 = d1, m2, y2
        if not (1 <= d1 <= 31 and 1 <= d2 <= 31):
            continue
        return f"{y1}-{m1:02d}-{d1:02d}", f"{y2}-{m2:02d}-{d2:02d}", m.start(), m.end()
    return None


def first_date(text: str) -> str | None:
    """The first full date ('19 June 2018', the first day of a range) in ``text``, as ISO."""
    found = parse_date_range(text)
    return found[0] if found else None


def find_dates(text: str) -> list[tuple[str, int, int]]:
    """Every full date in ``text`` (first day of a range) with its offsets."""
    out: list[tuple[str, int, int]] = []
    pos = 0
    while True:
        found = parse_date_range(text[pos:])
        if not found:
            return out
        out.append((found[0], pos + found[2], pos + found[3]))
        pos += found[3]


def month_year(text: str) -> str | None:
    """A month and year ('June 2012') as 'YYYY-MM', the first in ``text``."""
    m = _MONTH_YEAR.search(text)
    return f"{m.group('y')}-{_month(m.group('m')):02d}" if m else None
