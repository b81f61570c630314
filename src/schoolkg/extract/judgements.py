"""Find the judgements of an inspection document, each with its area, scale and label, and the
previous inspection's judgements the document states.

Where each framework prints them: judgement tables ("Overall effectiveness | Requires
improvement", "Behaviour and safety of pupils | Good | 2", "Inclusion | Strong standard",
"Safeguarding standards | Met"), 2005-2012 grade lines ("Achievement and standards Grade: 2",
"The school's capacity for sustained improvement 1"), summary sentences ("This is a good
school."), the safeguarding sentence, Her Majesty's Chief Inspector's opinion (special measures,
serious weaknesses, notice to improve), an ungraded or short inspection's outcome ("The school
continues to be good"), a monitoring letter's outcome ("taking effective action"), and the
previous inspection ("Previous inspection: Good 2", "Overall effectiveness at previous inspection
Good", "Previous full inspection Good (12 and 13 October 2021)", "since the school was judged to
be good in June 2012"). Report-card labels stay on the report-card scale (never forced onto 1-4).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from schoolkg.extract.details import parse_date_range

__all__ = ["AREAS", "SCALES", "Found", "find_judgements", "four_point_scale", "grade_of"]

# scale key -> labels in order (best first); the keys of tests/fixtures/reports/SCHEMA.md
SCALES: dict[str, tuple[str, ...]] = {
    "four-point-2005": ("outstanding", "good", "satisfactory", "inadequate"),
    "four-point": ("outstanding", "good", "requires improvement", "inadequate"),
    "report-card": ("exceptional", "strong standard", "expected standard", "needs attention", "urgent improvement"),
    "safeguarding": ("met", "not met", "effective", "not effective"),
    "ungraded-outcome": (
        "continues to be outstanding", "may be outstanding", "continues to be good", "may not be as good",
        "may be inadequate",
    ),
    "monitoring-outcome": ("taking effective action", "not taking effective action"),
    "category-of-concern": ("special measures", "serious weaknesses", "notice to improve"),
    "la-effectiveness": ("effective", "ineffective"),
}  # fmt: skip

# phrase (lower case) -> area key
AREAS: dict[str, str] = {
    "overall effectiveness": "overall effectiveness",
    "overall effectiveness of the school": "overall effectiveness",
    "overall effectiveness: how good is the school?": "overall effectiveness",
    "overall effectiveness: how effective, efficient and inclusive is the provision": "overall effectiveness",
    "the capacity to make any necessary improvements": "capacity to improve",
    "the school's capacity for sustained improvement": "capacity to improve",
    "capacity for sustained improvement": "capacity to improve",
    "capacity to improve": "capacity to improve",
    "achievement and standards": "achievement",
    "achievement of pupils": "achievement",
    "pupils' achievement": "achievement",
    "achievement": "achievement",
    "outcomes for pupils": "outcomes for pupils",
    "outcomes for individuals and groups of pupils": "outcomes for pupils",
    "teaching and learning": "quality of teaching",
    "quality of teaching": "quality of teaching",
    "the quality of teaching": "quality of teaching",
    "quality of teaching and learning": "quality of teaching",
    "quality of teaching, learning and assessment": "quality of teaching",
    "the quality of education": "quality of education",
    "quality of education": "quality of education",
    "curriculum and other activities": "curriculum",
    "the extent to which the curriculum meets pupils' needs": "curriculum",
    "care, guidance and support": "care guidance and support",
    "the effectiveness of care, guidance and support": "care guidance and support",
    "personal development and well-being": "personal development and well-being",
    "personal development and wellbeing": "personal development and well-being",
    "behaviour and safety of pupils": "behaviour and safety",
    "behaviour and safety": "behaviour and safety",
    "personal development, behaviour and welfare": "personal development behaviour and welfare",
    "behaviour and attitudes": "behaviour and attitudes",
    "personal development": "personal development",
    "leadership and management": "leadership and management",
    "effectiveness of leadership and management": "leadership and management",
    "the effectiveness of leadership and management": "leadership and management",
    "the effectiveness of leadership and management in embedding ambition and driving improvement":
        "leadership and management",
    "early years provision": "early years",
    "effectiveness of the early years provision": "early years",
    "the effectiveness of the foundation stage": "early years",
    "effectiveness of the foundation stage": "early years",
    "overall effectiveness of the early years foundation stage": "early years",
    "the effectiveness of the early years foundation stage": "early years",
    "early years": "early years",
    "effectiveness of the sixth form": "sixth form",
    "overall effectiveness of the sixth form": "sixth form",
    "sixth form provision": "sixth form",
    "sixth-form provision": "sixth form",
    "16 to 19 study programmes": "sixth form",
    "16 to 19 provision": "sixth form",
    "post-16 provision": "sixth form",
    "sixth form": "sixth form",
    "inclusion": "inclusion",
    "curriculum and teaching": "curriculum and teaching",
    "attendance and behaviour": "attendance and behaviour",
    "leadership and governance": "leadership and governance",
    "safeguarding": "safeguarding",
    "safeguarding standards": "safeguarding",
    "the effectiveness of safeguarding procedures": "safeguarding",
    "effectiveness of safeguarding": "safeguarding",
}  # fmt: skip

_FOUR = {"outstanding": 1, "good": 2, "satisfactory": 3, "requires improvement": 3, "inadequate": 4}
_LABEL_WORDS = {
    "outstanding": "outstanding", "good": "good", "satisfactory": "satisfactory", "inadequate": "inadequate",
    "requires improvement": "requires improvement", "require improvement": "requires improvement",
    "exceptional": "exceptional", "strong standard": "strong standard", "expected standard": "expected standard",
    "needs attention": "needs attention", "urgent improvement": "urgent improvement",
    "met": "met", "not met": "not met", "effective": "effective", "not effective": "not effective",
    "ineffective": "not effective",
}  # fmt: skip
_LABEL = "|".join(sorted((re.escape(w) for w in _LABEL_WORDS), key=len, reverse=True))
_AREA = "|".join(sorted((re.escape(a).replace("'", "['’]") for a in AREAS), key=len, reverse=True))
_NUMERIC = {1: "outstanding", 2: "good", 3: "satisfactory", 4: "inadequate"}


@dataclass(frozen=True)
class Found:
    """A judgement as read: area, scale, label, grade (1-4 on the four-point scales), offsets,
    whether it is the previous inspection's, and the date stated with it (ISO) if any."""

    area: str
    scale: str
    label: str | None
    grade: int | None
    start: int
    end: int
    previous: bool = False
    date: str | None = None


def four_point_scale(label: str, date: str | None, fmt: str | None) -> str:
    """'four-point-2005' (satisfactory, before September 2012) or 'four-point' (requires improvement).

    >>> four_point_scale("good", "2010-06-09", None), four_point_scale("good", "2016-05-04", None)
    ('four-point-2005', 'four-point')
    """
    if label == "satisfactory" or fmt in ("s5-2005", "s5-2009"):
        return "four-point-2005"
    if label == "requires improvement" or fmt in ("s5-2012", "s5-2015", "eif-full", "short-2015", "eif-ungraded"):
        return "four-point"
    return "four-point-2005" if date and date < "2012-09-01" else "four-point"


def grade_of(label: str | None) -> int | None:
    """The 1-4 grade of a four-point label (None for other scales)."""
    return _FOUR.get(label or "")


def _scale(label: str, area: str, date: str | None, fmt: str | None) -> str:
    if label in ("exceptional", "strong standard", "expected standard", "needs attention", "urgent improvement"):
        return "report-card"
    if label in ("met", "not met", "effective", "not effective"):
        return "safeguarding"
    return four_point_scale(label, date, fmt)


_ROW = re.compile(
    rf"^[ \t•*-]*(?P<area>{_AREA})(?:\s+is|\s+are)?[ \t]*(?::[ \t]*|\t|[ \t]+)(?:grade:?[ \t]*)?"
    rf"(?:(?P<label>{_LABEL})(?:[ \t]+(?P<num>[1-4]))?|(?P<digit>[1-4]))[ \t.]*"
    rf"(?:\((?P<when>[^)]*\d{{4}})\))?[ \t]*$",
    re.IGNORECASE,
)
# a grade line of the 2005-2012 reports: area, words, then the grade (and a second column's grade)
_GRADE_LINE = re.compile(
    rf"^[ \t]*(?P<area>{_AREA})(?P<rest>[^\n]{{0,170}}?)(?:[ \t]+grade:?|\t|\?|[ \t]{{2,}}|[ \t])[ \t]*"
    rf"(?P<digit>[1-4])(?:[ \t]+(?:[1-4]|NA|n/a))*[ \t]*$",
    re.IGNORECASE,
)
_NOT_GRADE_BEFORE = re.compile(r"\b(?:stages?|years?|levels?|groups?|phases?|classes|class|parts?|key)$", re.I)
_PROSE = re.compile(  # a heading or opening sentence: "The quality of teaching requires improvement"
    rf"^[ \t•*-]*(?:the\s+)?(?P<area>{_AREA})(?: of (?:the )?(?:school|academy|pupils|students))?\s+"
    rf"(?:is|are|remains?|has been judged(?: to be)?|continues? to be)\s+['‘\"“]?(?P<label>{_LABEL})\b"
    rf"(?![-\w]|\s+(?:at|in|for|with|to|and|but|when|because)\b)",
    re.IGNORECASE,
)
_SUMMARY = re.compile(
    r"\bthis is an? (?P<a>outstanding|good|satisfactory|inadequate) (?:school|academy|college)\b"
    r"|\b(?:this|the) (?:school|academy|college) (?:is )?"
    r"(?P<b>requires improvement|is inadequate|is good|is outstanding|is satisfactory)\b(?! at| in| for| to)"
    r"|\bthis is a (?:school|academy) that (?P<c>requires improvement)\b",
    re.IGNORECASE,
)
_THIS_INSPECTION = re.compile(rf"^[ \t]*this inspection:?[ \t]*(?P<label>{_LABEL})(?:[ \t]+[1-4])?[ \t]*$", re.I)
_SAFEGUARDING = re.compile(
    r"\b(?:the )?(?:arrangements for safeguarding(?: pupils| learners| students)?|safeguarding arrangements"
    r"|safeguarding) (?:is|are) (?P<neg>not )?effective\b",
    re.IGNORECASE,
)
_OPINION = re.compile(
    r"\bis of the opinion that (?:this|the) (?:school|academy|college) requires (?P<what>special measures"
    r"|significant improvement)\b|\b(?:is|has been) (?:therefore )?given a notice to improve\b",
    re.IGNORECASE,
)
_CATEGORY_STATED = re.compile(
    r"\b(?:subject to|placed in|placed into|put into|went into|made subject to|requir(?:es|ed|ing|e)|in|removal of|"
    r"removed from)"
    r" (?P<sm>special measures)\b"
    r"|\b(?:judged to have|having|has|had|with|designated as having|because of) (?P<swk>serious weaknesses)\b"
    r"|\b(?:given|issued with|served with|received) a (?P<nti>notice to improve)\b",
    re.IGNORECASE,
)
_UNGRADED = (
    (re.compile(r"\bcontinues to be (?:an? )?outstanding(?: school)?\b", re.I), "continues to be outstanding"),
    (re.compile(r"\b(?:could|might|may|would) be judged (?:as |to be )?outstanding\b|\bmay be outstanding\b", re.I),
     "may be outstanding"),
    (re.compile(r"\bcontinues to be (?:an? )?good(?: school)?\b", re.I), "continues to be good"),
    (re.compile(r"\bmay not be as (?:good|strong)\b|\bmay not (?:now )?be (?:judged )?(?:as )?good\b"
                r"|\b(?:would|might|could) not be judged (?:as )?good\b", re.I), "may not be as good"),
    (re.compile(r"\b(?:may|could|might) be (?:judged )?(?:as )?inadequate\b", re.I), "may be inadequate"),
)  # fmt: skip
_MONITORING = re.compile(r"\b(?:is|are) (?P<neg>not )?taking effective action\b", re.IGNORECASE)
# The previous grade as a table row or a front-page line: at a line or cell start, after "Overall
# effectiveness" (the 2012-2015 front page copied as one line: "Overall effectiveness Previous
# inspection: Good 2 This inspection: ..."), or anywhere with its colon.
_PREVIOUS_ROW = re.compile(
    rf"(?:(?:^|\t|(?<=effectiveness) )[ \t]*(?:overall effectiveness (?:at|in) (?:the |its )?(?:previous|last)"
    rf"(?: section 5| full| graded)? inspection|previous inspection grade|grade at (?:the )?previous inspection"
    rf"|previous full inspection|previous graded inspection|previous inspection|last inspection)[ \t]*:?"
    rf"|\bprevious (?:full |graded )?inspection(?: grade)?:)[ \t]*"
    rf"(?P<label>{_LABEL})(?:[ \t]+(?:\(?grade )?[1-4]\)?)?[ \t]*(?:\((?P<when>[^)]*)\))?",
    re.IGNORECASE,
)
_PREVIOUS_CUE = re.compile(
    r"\b(?:(?:previous|last|most recent)(?: graded| full| section 5| routine| standard)? inspection|"
    r"last inspect(?:ion|ed)|when it was last|since the school"
    r"|since we judged|since (?:its|the) (?:previous|last)|at (?:its|the) (?:previous|last)|was last inspected"
    r"|(?:was|were|been) previously inspected|previously (?:judged|graded|rated|found)|"
    r"predecessor school|became subject|following the (?:section 5 )?inspection|the school's (?:graded|section 5)"
    r" inspection|at its (?:most recent |last )?(?:section 5|graded|full) inspection)\b",
    re.IGNORECASE,
)
# A past verdict: "was judged (to be) good", "we judged the school to be good", "was rated as requires
# improvement", "was graded outstanding", "was found to require improvement" -- not a present one
# ("the school is judged good", "may be judged outstanding").
_PREVIOUS_GRADE = re.compile(
    r"(?<!\bis )(?<!\bare )(?<!\bbe )(?<!\bnow )\b(?:(?:judged|graded|rated)(?: (?:overall )?(?:the school|it))?"
    r" (?:overall )?(?:to be |as |as being |to have been |to )?|found(?: (?:the school|it))? to (?:be |have been )?)"
    r"(?:an? )?['‘\"“]?"
    r"(?P<label>outstanding|good|satisfactory|inadequate|requir(?:es|ing|e) improvement)\b",
    re.IGNORECASE,
)
# What a clause before the verdict may be about instead of the school: an area's previous grade
# ("At the last inspection, teaching was judged to require improvement") is not overall effectiveness.
_OTHER_AREA = re.compile(
    r"\b(?:teaching|leadership|leaders|management|behaviour|achievement|outcomes|attainment|progress|provision|"
    r"curriculum|governance|attendance|safety|pupils|students|children|learners|sixth form|early years|"
    r"quality of education|personal development|care|standards|capacity)\b",
    re.IGNORECASE,
)
_SCHOOL_WORD = re.compile(
    r"\b(?:school|college|academy|it|overall effectiveness|overall|provider|unit|centre|pru)\b", re.IGNORECASE
)
_AUTHORITY = re.compile(
    r"\b(?:the )?(?:local )?authority(?:'s arrangements[^.]{0,60})? (?:was|is|has been|are) "
    r"(?:graded|judged) (?:as being |as |to be )?['‘\"“]?(?P<label>effective|ineffective|not effective)\b"
    r"|\barrangements for supporting school improvement are (?P<label2>effective|ineffective|not effective)\b",
    re.IGNORECASE,
)
_EQUALITY = re.compile(
    rf"\bthe quality of provision to promote equalit(?:y|ies) is (?P<label>{_LABEL})\b", re.IGNORECASE
)
_SCHOOL_FORMATS = ("s5-2005", "s5-2009", "s5-2012", "s5-2015", "eif-full")
_LETTER_FORMATS = ("short-2015", "eif-ungraded")


def _any(text: str, phrases: tuple[str, ...]) -> bool:
    return any(p in text for p in phrases)


def _label(word: str) -> str:
    return _LABEL_WORDS[" ".join(word.lower().split())]


def _sentence(text: str, start: int, end: int, lo: int, hi: int) -> tuple[int, int]:
    """The sentence of text[lo:hi] around [start, end)."""
    a = max(text.rfind(". ", lo, start), text.rfind("\n", lo, start))
    a = lo if a < 0 else a + 1
    while a < start and text[a] in " \t":
        a += 1
    b = text.find(". ", end, hi)
    b = hi if b < 0 else b + 1
    return a, b


def _dated(text: str) -> str | None:
    found = parse_date_range(text)
    return found[0] if found else None


def find_judgements(text: str, start: int, fmt: str | None, date: str | None) -> list[Found]:
    """Every judgement of the document ``text[start:]`` (offsets into ``text``), in reading order.

    One judgement per area (the first stated; the two ungraded outcomes a letter may give are
    both kept), and one previous judgement per area.

    >>> t = "Overall effectiveness\\tInadequate\\nOverall effectiveness at previous inspection\\tGood"
    >>> for j in find_judgements(t, 0, "s5-2015", "2018-01-23"):
    ...     print(j.area, j.scale, j.label, j.grade, j.previous)
    overall effectiveness four-point inadequate 4 False
    overall effectiveness four-point good 2 True
    >>> t = "Inclusion\\tStrong standard\\nSafeguarding standards\\tNot met"
    >>> [(j.area, j.scale, j.label) for j in find_judgements(t, 0, "report-card", "2026-01-20")]
    [('inclusion', 'report-card', 'strong standard'), ('safeguarding', 'safeguarding', 'not met')]
    """
    out: list[Found] = []
    seen: set[tuple[str, bool, str]] = set()

    def add(
        area: str, scale: str, label: str | None, s: int, e: int, previous: bool = False, when: str | None = None
    ) -> None:
        key = (area, previous, label or "" if area == "ungraded outcome" else "")
        if key in seen:
            return
        seen.add(key)
        grade = grade_of(label) if scale.startswith("four-point") else None
        out.append(Found(area, scale, label, grade, s, e, previous, when))

    if fmt in ("survey-letter", "survey-report"):
        # A survey grades the subject it looks at, not the school (SCHEMA.md): no judgements, but for the
        # one survey judgement the ontology models, Ofsted's 2008-09 survey of promoting equality.
        for m in _EQUALITY.finditer(text, start):
            label = _label(m.group("label"))
            a, b = _sentence(text, m.start(), m.end(), text.rfind("\n", 0, m.start()) + 1, len(text))
            add("equality provision", four_point_scale(label, date, fmt), label, a, b)
            break
        return out
    allowed = _FORMAT_AREAS.get(fmt or "")
    lines = [(start + m.start(), start + m.end()) for m in re.finditer(r"[^\n]+", text[start:])]
    skip = False
    for i, (ls, le) in enumerate(lines):
        if skip:
            skip = False
            continue
        if (
            i + 1 < len(lines)
            and _LONE_GRADE.match(text[lines[i + 1][0] : lines[i + 1][1]])
            and _AREA_START.match(text[ls:le])
        ):  # a table cell wrapped: the grade on the line below its label
            le, skip = lines[i + 1][1], True
        line = text[ls:le].replace("\n", "\t")
        lower = line.lower()
        if not any(c in lower for c in _LINE_CUES) and not _DIGIT_END.search(line):
            continue  # most prose lines: no grade word, no cue, no grade number
        for j in _line_judgements(text, line, ls, le, fmt, date):
            if allowed is None or j[0] in allowed or j[0] in _ANY_FORMAT or (len(j) > 5 and j[5]):
                add(*j)
    out.sort(key=lambda j: (j.start, j.previous))
    return out


_GRADE_CUES = (*_LABEL_WORDS, "require")
# a line holds a judgement only if it holds one of these (or ends in a grade number)
_LINE_CUES = (
    "outstanding", "good", "satisfactory", "inadequate", "improvement", "exceptional", "standard", "attention",
    "met", "effective", "judged", "special measures", "serious weaknesses", "notice to", "continues to be",
)  # fmt: skip
_SUMMARY_CUES = ("requires improvement", "is inadequate", "is good", "is outstanding", "is satisfactory")
_DIGIT_END = re.compile(r"[1-4][ \t]*$")
_LONE_GRADE = re.compile(rf"^[ \t]*(?:grade:?[ \t]*)?(?:[1-4]|{_LABEL})(?:[ \t]+[1-4])?[ \t]*$", re.IGNORECASE)
_AREA_START = re.compile(rf"^[ \t•*-]*(?:{_AREA})\b", re.IGNORECASE)
_ANY_FORMAT = {"category of concern", "ungraded outcome", "monitoring outcome", "school improvement arrangements"}
# the areas each framework grades (others named in its text are sub-judgements or other frameworks' words)
_FORMAT_AREAS = {
    "s5-2005": {"overall effectiveness", "capacity to improve", "achievement", "personal development and well-being",
                "quality of teaching", "curriculum", "care guidance and support", "leadership and management",
                "early years", "sixth form"},
    "s5-2009": {"overall effectiveness", "capacity to improve", "outcomes for pupils", "quality of teaching",
                "curriculum", "care guidance and support", "leadership and management", "safeguarding",
                "early years", "sixth form"},
    "s5-2012": {"overall effectiveness", "achievement", "quality of teaching", "behaviour and safety",
                "leadership and management", "early years", "sixth form"},
    "s5-2015": {"overall effectiveness", "leadership and management", "quality of teaching",
                "personal development behaviour and welfare", "outcomes for pupils", "early years", "sixth form",
                "safeguarding"},
    "eif-full": {"overall effectiveness", "quality of education", "behaviour and attitudes", "personal development",
                 "leadership and management", "early years", "sixth form", "safeguarding"},
    "report-card": {"inclusion", "curriculum and teaching", "achievement", "attendance and behaviour",
                    "personal development and well-being", "early years", "sixth form", "leadership and governance",
                    "safeguarding"},
    "short-2015": {"safeguarding"},
    "eif-ungraded": {"safeguarding"},
    "monitoring": set(),
}  # fmt: skip


def _line_judgements(text: str, line: str, ls: int, le: int, fmt: str | None, date: str | None) -> Iterator[tuple]:
    """(area, scale, label, start, end[, previous, date]) for each judgement one line states."""
    lower = line.lower()

    def sent(m: re.Match[str]) -> tuple[int, int]:
        return _sentence(text, ls + m.start(), ls + m.end(), ls, le)

    graded = any(w in lower for w in _GRADE_CUES)
    for m in _PREVIOUS_ROW.finditer(line) if "previous" in lower or "last inspection" in lower else ():
        label = _label(m.group("label"))
        yield ("overall effectiveness", _scale(label, "overall effectiveness", None, None), label,
               ls + m.start(), ls + m.end(), True, _dated(m.group("when") or ""))  # fmt: skip
    if "effective" in lower and (fmt == "la-inspection" or "authority" in lower):
        for m in _AUTHORITY.finditer(line):
            word = (m.group("label") or m.group("label2")).lower()
            label = "effective" if word == "effective" else "ineffective"
            yield (
                "school improvement arrangements",
                "la-effectiveness",
                label,
                *sent(m),
            )
    if fmt == "la-inspection":
        return
    starts_with_area = _AREA_START.match(line) is not None
    row = _ROW.match(line) if starts_with_area else None
    if row and not _PREVIOUS_ROW.search(line):
        area = AREAS[_area_key(row.group("area"))]
        label = _label(row.group("label")) if row.group("label") else _numeric(int(row.group("digit")), date, fmt)
        scale = _scale(label, area, date, fmt)
        if not (area == "safeguarding" and scale.startswith("four-point") and row.group("label")):
            yield area, scale, label, ls + row.start("area"), le
    elif starts_with_area and (fmt in ("s5-2005", "s5-2009", None) or (fmt in _SCHOOL_FORMATS and "grade" in lower)):
        g = _GRADE_LINE.match(line)
        if g and not _NOT_GRADE_BEFORE.search(line[: g.start("digit")].rstrip(" \t:")):
            area = AREAS[_area_key(g.group("area"))]
            label = _numeric(int(g.group("digit")), date, fmt)
            yield area, four_point_scale(label, date, fmt), label, ls + g.start("area"), le
    this = _THIS_INSPECTION.match(line) if "this inspection" in lower else None
    if this:
        m = this
        label = _label(m.group("label"))
        yield (
            "overall effectiveness",
            _scale(label, "", date, fmt),
            label,
            ls + m.start("label") - len("This inspection: "),
            le,
        )
    if graded and (fmt in _SCHOOL_FORMATS or fmt is None):
        for m in _SUMMARY.finditer(line) if "this is a" in lower or _any(lower, _SUMMARY_CUES) else ():
            word = (m.group("a") or m.group("b") or m.group("c")).lower().removeprefix("is ")
            label = _label(word)
            yield (
                "overall effectiveness",
                four_point_scale(label, date, fmt),
                label,
                *sent(m),
            )
        for m in _PROSE.finditer(line) if starts_with_area or lower.lstrip(" \t•*-").startswith("the ") else ():
            area = AREAS[_area_key(m.group("area"))]
            label = _label(m.group("label"))
            if area == "safeguarding" or _PREVIOUS_CUE.search(line[max(0, m.start() - 80) : m.end() + 40]):
                continue
            yield area, _scale(label, area, date, fmt), label, *sent(m)
    for m in _SAFEGUARDING.finditer(line) if "safeguarding" in lower and "effective" in lower else ():
        label = "not effective" if m.group("neg") else "effective"
        yield "safeguarding", "safeguarding", label, *sent(m)
    if fmt != "monitoring" and ("opinion" in lower or "notice to improve" in lower):
        for m in _OPINION.finditer(line):
            what = (m.group("what") or "notice to improve").lower()
            if what == "significant improvement":
                what = "notice to improve" if "notice to improve" in text.lower() else "serious weaknesses"
            yield (
                "category of concern",
                "category-of-concern",
                what,
                *sent(m),
            )
    if fmt in _LETTER_FORMATS and ("continue" in lower or " be " in lower):
        for pattern, label in _UNGRADED:
            for m in pattern.finditer(line):
                yield (
                    "ungraded outcome",
                    "ungraded-outcome",
                    label,
                    *sent(m),
                )
    if fmt == "monitoring" and "effective action" in lower:
        for m in _MONITORING.finditer(line):
            label = "not taking effective action" if m.group("neg") else "taking effective action"
            yield (
                "monitoring outcome",
                "monitoring-outcome",
                label,
                *sent(m),
            )
    if _any(lower, _PAST_VERDICT_CUES):
        yield from _previous_in_prose(text, line, ls, le, fmt)


_PAST_VERDICT_CUES = (
    "judged", "rated", "graded", "found", "special measures", "serious weaknesses", "notice to",
)  # fmt: skip


def _previous_in_prose(text: str, line: str, ls: int, le: int, fmt: str | None) -> Iterator[tuple]:
    """The previous inspection's grade or category as a sentence states it."""
    for cue in _PREVIOUS_CUE.finditer(line):
        s, e = _sentence(text, ls + cue.start(), ls + cue.end(), ls, le)
        sentence = text[s:e]
        when = _dated(text[ls + cue.start() : e]) or _dated(sentence)  # a date after the cue is its date
        g = _PREVIOUS_GRADE.search(sentence)
        if g and not _about_other_area(sentence, g.start()):
            label = _label(re.sub(r"^requir\w*", "requires", g.group("label").lower()))
            yield "overall effectiveness", four_point_scale(label, when, None), label, s, e, True, when
        c = _CATEGORY_STATED.search(sentence)
        if c:
            what = (
                "special measures" if c.group("sm") else "serious weaknesses" if c.group("swk") else "notice to improve"
            )
            yield "category of concern", "category-of-concern", what, s, e, True, when
    if fmt == "monitoring":
        for c in _CATEGORY_STATED.finditer(line):
            what = (
                "special measures" if c.group("sm") else "serious weaknesses" if c.group("swk") else "notice to improve"
            )
            s, e = _sentence(text, ls + c.start(), ls + c.end(), ls, le)
            yield "category of concern", "category-of-concern", what, s, e, True, _dated(text[s:e])


def _about_other_area(sentence: str, at: int) -> bool:
    """Whether the clause before a past verdict at ``at`` names an area, not the school.

    >>> _about_other_area("At the last inspection, teaching was judged to require improvement.", 47)
    True
    >>> _about_other_area("At the previous inspection, the school's overall effectiveness was judged good.", 62)
    False
    """
    before = sentence[:at]
    clause = re.split(r"[,;:()]", before)[-1]
    after = sentence[at : at + 40]
    if re.match(r"\w+ (?:overall )?(?:the school|it)\b", after, re.IGNORECASE):
        return False  # "we judged the school to be good"
    return bool(_OTHER_AREA.search(clause)) and not _SCHOOL_WORD.search(clause)


def _category(m: re.Match[str]) -> str:
    return "special measures" if m.group("sm") else "serious weaknesses" if m.group("swk") else "notice to improve"


def _area_key(phrase: str) -> str:
    return " ".join(phrase.lower().replace("’", "'").split())


def _numeric(digit: int, date: str | None, fmt: str | None = None) -> str:
    """Label of a numeric grade: 3 is 'satisfactory' before September 2012 (and in the 2005 and 2009
    frameworks' reports), 'requires improvement' after."""
    if digit == 3 and fmt not in ("s5-2005", "s5-2009") and date and date >= "2012-09-01":
        return "requires improvement"
    return _NUMERIC[digit]
