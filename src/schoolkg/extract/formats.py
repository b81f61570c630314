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
    return re.search(pattern, text, re.IGNORECASE | re.MULTILINE) is not None


_LETTER = r"^\s*Dear\s+(?:Mr|Mrs|Ms|Miss|Dr|Sir|Madam|Headteacher|Principal|Reverend|Father|Sister|Professor)\b"
_REPORT_CARD = r"\b(?:strong standard|expected standard|needs attention|urgent improvement)\b"


def detect_format(text: str, date: str | None = None) -> str | None:
    """The format key of a document's text (the first pages are enough), or None when unknown.

    ``date`` (ISO) is the inspection or publication date when known; it separates the section 5
    frameworks (2005, 2009, 2012, 2015, 2019) when the wording alone does not.
    """
    head = text[:12000]
    letter = _has(_LETTER, head)
    if _has(r"^\s*(?:Ofsted )?report card\b", head) or (
        _has(_REPORT_CARD, head) and _has(r"\bsafeguarding standards\b|\bevaluation areas?\b", head)
    ):
        return "report-card"
    if _has(r"\b(?:inspection|review) of (?:the )?[A-Z][\w ,&'-]*?(?:local (?:education )?authority|LEA)\b", head) or (
        _has(r"\blocal authority(?:'s| school improvement)\b[^.\n]{0,60}\barrangements\b", head[:3000])
        and not _has(r"unique reference number|\bURN\b", head)
    ):
        return "la-inspection"
    if _has(
        r"monitoring (?:inspection|visit)s? (?:of|at|to|for)\b|^[^\n]{0,60}\bmonitoring inspection\b", head[:4000]
    ) or (letter and _has(r"\bmonitoring inspection\b", head[:3000])):
        return "monitoring"
    survey = (
        r"\bsubject survey\b|\bsurvey (?:inspection|visit|of|report)\b|\bgood practice (?:visit|survey)\b|\bthematic\b"
    )
    if (_has(survey, head[:4000]) or _has(r"\bHMI \d{3,}\b", head[:3000])) and not _has(
        r"^\s*(?:short|ungraded) inspection of\b|\bsection 5 of the education act\b", head[:4000]
    ):
        return "survey-letter" if letter else "survey-report"
    if _has(r"^\s*short inspection of\b", head) or (
        letter and _has(r"\bshort inspection\b", head[:4000]) and not _has(r"\bwhat is it like to attend\b", head)
    ):
        return "short-2015"
    eif = _has(r"\bwhat is it like to attend this school\b|\bwhat does the school do well\b", head) or _has(
        r"\bthe quality of education\b|\bbehaviour and attitudes\b", head[:3000]
    )
    ungraded = _has(
        r"\bungraded inspection\b|\bsection 8 inspection\b|\bcontinues to be (?:a )?(?:good|outstanding)\b"
        r"|\bcould be judged (?:as )?outstanding\b|\bmay not be as (?:good|strong)\b",
        head[:6000],
    ) and not _has(r"^\s*overall effectiveness\s", head[:3000])
    if ungraded and (eif or letter or (date and date >= "2019-09-01")):
        return "eif-ungraded" if eif or not date or date >= "2019-09-01" else "short-2015"
    if eif:
        return "eif-full"
    return _section5(head, date)


_SECTION5_MARKERS = {
    "s5-2015": (r"\bquality of teaching, learning and assessment\b", r"\bpersonal development, behaviour and welfare\b",
                r"\boverall effectiveness at previous inspection\b", r"\boutcomes for pupils\b",
                r"\b16 to 19 study programmes\b"),
    "s5-2012": (r"\bthis inspection:\s*(?:outstanding|good|requires improvement|inadequate)\b",
                r"\bbehaviour and safety of pupils\b", r"\bachievement of pupils\b", r"\bit is not good because\b",
                r"\bprevious inspection:\s*(?:outstanding|good|satisfactory|requires improvement|inadequate)\b"),
    "s5-2009": (r"\bhow good is the school\b", r"\bcapacity for sustained improvement\b",
                r"\boutcomes for individuals and groups\b", r"\bhow effective is the provision\b",
                r"\b1 is outstanding, 2 is good\b"),
    "s5-2005": (r"\bkey for inspection grades\b", r"\bachievement and standards\b",
                r"\bpersonal development and well-?being\b", r"\bcurriculum and other activities\b",
                r"\bcapacity to make any necessary improvements\b"),
}  # fmt: skip
_SECTION5_FROM = (("2019-09-01", "eif-full"), ("2015-09-01", "s5-2015"), ("2012-09-01", "s5-2012"),
                  ("2009-09-01", "s5-2009"), ("2005-09-01", "s5-2005"))  # fmt: skip


def _by_date(date: str | None) -> str | None:
    return next((key for start, key in _SECTION5_FROM if date and date >= start), None)


def _section5(head: str, date: str | None) -> str | None:
    """Which section 5 framework a report belongs to: the one whose judgement labels it uses most
    (the inspection date breaks ties), else its date alone."""
    scores = {key: sum(_has(m, head) for m in marks) for key, marks in _SECTION5_MARKERS.items()}
    best = max(scores.values())
    if best == 0:
        return _by_date(date) if date and _has(r"\binspection\b", head) else None
    tied = [key for key, n in scores.items() if n == best]
    dated = _by_date(date)
    return dated if dated in tied else tied[0]
