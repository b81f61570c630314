"""Which kind of Ofsted document a text is: its format key, framework and inspection type.

The keys are those of tests/fixtures/reports/SCHEMA.md. A format is decided from the document's
own structure and wording (letter or report, the headings and the judgement-table labels each
framework used), with the inspection date to tell apart frameworks whose layouts are alike.

>>> detect_format("Short inspection of Hill Primary School\\nDear Mrs Lee\\nThis school continues to be good.")
'short-2015'
>>> detect_format("Hill Academy\\nReport card\\nInclusion\\tStrong standard\\nSafeguarding standards\\tMet")
'report-card'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["FORMATS", "Format", "detect_format", "framework_of", "inspection_type_of"]


@dataclass(frozen=True)
class Format:
    """A document format: its key, the framework it belongs to and the inspection type it reports."""

    key: str
    framework: str
    inspection_type: str
    label: str


FORMATS: dict[str, Format] = {
    f.key: f
    for f in (
        Format("s5-2005", "ofsted-2005", "section 5", "section 5 inspection report, 2005-2009 framework"),
        Format("s5-2009", "ofsted-2009", "section 5", "section 5 inspection report, 2009-2012 framework"),
        Format("s5-2012", "ofsted-2012", "section 5", "section 5 inspection report, 2012-2015 framework"),
        Format("s5-2015", "cif-2015", "section 5", "section 5 inspection report, common inspection framework"),
        Format("short-2015", "cif-2015", "short", "short inspection letter of a good school, 2015-2019"),
        Format("eif-full", "eif-2019", "section 5", "graded inspection report, education inspection framework"),
        Format("eif-ungraded", "eif-2019", "section 8", "ungraded inspection letter or report, 2019-2025"),
        Format("monitoring", "monitoring", "monitoring", "monitoring inspection letter"),
        Format("report-card", "renewed-2025", "report card", "report card, renewed framework from November 2025"),
        Format("survey-letter", "survey", "survey", "survey or good-practice visit letter to one school"),
        Format("survey-report", "survey", "survey", "thematic survey report"),
        Format("la-inspection", "la-inspection", "la", "inspection of a local authority's school improvement"),
    )
}


def framework_of(key: str | None) -> str | None:
    """The framework key of a format key (None for None)."""
    return FORMATS[key].framework if key in FORMATS else None


def inspection_type_of(key: str | None) -> str | None:
    """The inspection type a format reports ('section 5', 'short', 'monitoring', ...)."""
    return FORMATS[key].inspection_type if key in FORMATS else None


def _has(pattern: str, text: str) -> bool:
    """Whether a lower-case ``pattern`` occurs in ``text`` (already lower case; see :func:`detect_format`)."""
    return re.search(pattern, text, re.MULTILINE) is not None


def _any(text: str, *phrases: str) -> bool:
    """Whether one of the (lower-case) phrases occurs in ``text``: a substring test, much faster than a regex."""
    return any(p in text for p in phrases)


_LETTER = r"^\s*Dear\s+(?:Mr|Mrs|Ms|Miss|Dr|Sir|Madam|Headteacher|Principal|Reverend|Father|Sister|Professor)\b"
_LA_TITLE = re.compile(
    r"\b(?:[Ii]nspection|[Rr]eview) of (?:the )?(?:[A-Z][\w ,&'-]{0,60}?\s)?"
    r"(?:[Ll]ocal\s+(?:[Ee]ducation\s+)?[Aa]uthority|LEA)\b"
)


def detect_format(text: str, date: str | None = None) -> str | None:
    """The format key of a document's text (the first pages are enough), or None when unknown.

    ``date`` (ISO) is the inspection or publication date when known; it separates the section 5
    frameworks (2005, 2009, 2012, 2015, 2019) when the wording alone does not.
    """
    original = text[:12000]
    head = original.lower()  # every phrase below is lower case
    letter = "dear " in head[:6000] and re.search(_LETTER, original[:6000], re.MULTILINE | re.IGNORECASE) is not None
    top = head[:4000]
    if ("report card" in top and _has(r"^\s*(?:ofsted )?report card\b", top)) or (
        _any(head, "strong standard", "expected standard", "needs attention", "urgent improvement")
        and _any(head, "safeguarding standards", "evaluation area")
    ):
        return "report-card"
    if (_any(top, "inspection of", "review of") and _LA_TITLE.search(original[:4000])) or (
        "arrangements" in head[:3000]
        and _has(r"\blocal authority(?:'s|’s| school improvement)\b[^.\n]{0,60}\barrangements\b", head[:3000])
        and not _any(head, "unique reference number", "urn")
    ):
        return "la-inspection"
    if "monitoring" in top and (
        _has(r"monitoring (?:inspection|visit)s? (?:of|at|to|for)\b|^[^\n]{0,60}\bmonitoring inspection\b", top)
        or (letter and "monitoring inspection" in head[:3000])
    ):
        return "monitoring"
    if (
        _any(top, "subject survey", "survey inspection", "survey visit", "survey of", "survey report", "this survey")
        or _any(top, "good practice visit", "good practice survey")
        or ("thematic" in top and _has(r"\bthematic\b", top))
        or ("hmi " in head[:3000] and _has(r"\bhmi \d{3,}\b", head[:3000]))
    ) and not (
        ("inspection of" in top and _has(r"^\s*(?:short|ungraded) inspection of\b", top))
        or "section 5 of the education act" in top
    ):
        return "survey-letter" if letter else "survey-report"
    if ("short inspection of" in head and _has(r"^\s*short inspection of\b", head)) or (
        letter and "short inspection" in top and "what is it like to attend" not in head
    ):
        return "short-2015"
    eif = _any(head, "what is it like to attend this school", "what does the school do well") or _any(
        head[:3000], "the quality of education", "behaviour and attitudes"
    )
    ungraded = _any(
        head[:6000], "ungraded inspection", "section 8 inspection", "continues to be good", "continues to be a good",
        "inspection of a good school", "inspection of an outstanding school",
        "continues to be outstanding", "continues to be an outstanding", "could be judged outstanding",
        "could be judged as outstanding", "may not be as good", "may not be as strong",
    ) and not (
        "overall effectiveness" in head[:3000] and _has(r"^\s*overall effectiveness\s", head[:3000])
    )  # fmt: skip
    if ungraded and (eif or letter or (date and date >= "2019-09-01")):
        return "eif-ungraded" if eif or not date or date >= "2019-09-01" else "short-2015"
    if eif:
        return "eif-full"
    return _section5(head, date)


_SECTION5_MARKERS = {
    "s5-2015": ("quality of teaching, learning and assessment", "personal development, behaviour and welfare",
                "overall effectiveness at previous inspection", "outcomes for pupils", "16 to 19 study programmes"),
    "s5-2012": ("behaviour and safety of pupils", "achievement of pupils", "it is not good because"),
    "s5-2009": ("how good is the school", "capacity for sustained improvement", "outcomes for individuals and groups",
                "how effective is the provision", "1 is outstanding, 2 is good"),
    "s5-2005": ("key for inspection grades", "achievement and standards", "personal development and well-being",
                "personal development and wellbeing", "curriculum and other activities",
                "capacity to make any necessary improvements"),
}  # fmt: skip
_SECTION5_2012 = re.compile(
    r"(?:this|previous) inspection:\s*(?:outstanding|good|satisfactory|requires improvement|inadequate)\b"
)
_SECTION5_FROM = (("2019-09-01", "eif-full"), ("2015-09-01", "s5-2015"), ("2012-09-01", "s5-2012"),
                  ("2009-09-01", "s5-2009"), ("2005-09-01", "s5-2005"))  # fmt: skip


def _by_date(date: str | None) -> str | None:
    return next((key for start, key in _SECTION5_FROM if date and date >= start), None)


def _section5(head: str, date: str | None) -> str | None:
    """Which section 5 framework a report belongs to: the one whose judgement labels it uses most
    (the inspection date breaks ties), else its date alone."""
    scores = {key: sum(m in head for m in marks) for key, marks in _SECTION5_MARKERS.items()}
    for cue in ("this inspection:", "previous inspection:"):
        at = head.find(cue)
        if at >= 0 and _SECTION5_2012.match(head, at):
            scores["s5-2012"] += 1
    best = max(scores.values())
    if best == 0:
        return _by_date(date) if date and "inspection" in head else None
    tied = [key for key, n in scores.items() if n == best]
    dated = _by_date(date)
    return dated if dated in tied else tied[0]
