"""Find graded judgements in the wordings of the 2005-2019 frameworks and report front pages.

'The quality of provision to promote equalities is good.', 'Overall effectiveness: Good',
'Overall effectiveness This inspection: Good 2', 'Leadership and management Grade: 2',
'This school requires improvement.', 'This is a good school.', 'The school continues to be good.'
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from schoolkg.model import Sentence

__all__ = ["AREAS", "GRADES", "find_judgements"]

# grade word -> (grade value on Ofsted's 4-point scale or None, canonical label)
GRADES: dict[str, tuple[int | None, str]] = {
    "outstanding": (1, "outstanding"),
    "good": (2, "good"),
    "satisfactory": (3, "satisfactory"),
    "requires improvement": (3, "requires improvement"),
    "inadequate": (4, "inadequate"),
    "effective": (None, "effective"),
    "ineffective": (None, "ineffective"),
    "not effective": (None, "ineffective"),
}
# phrase in text -> judgement area
AREAS = {
    "overall effectiveness": "overall effectiveness",
    "effectiveness of leadership and management": "leadership and management",
    "leadership and management": "leadership and management",
    "quality of teaching": "quality of teaching",
    "quality of teaching, learning and assessment": "quality of teaching",
    "behaviour and safety": "behaviour and safety",
    "personal development, behaviour and welfare": "personal development",
    "behaviour and attitudes": "behaviour and safety",
    "personal development": "personal development",
    "achievement of pupils": "achievement",
    "outcomes for pupils": "achievement",
    "quality of education": "quality of teaching",
    "early years provision": "early years provision",
    "sixth form provision": "sixth form provision",
    "quality of provision to promote equality": "equality provision",
    "quality of provision to promote equalities": "equality provision",
    "overall effectiveness of the school": "overall effectiveness",
    "effectiveness of the early years foundation stage": "early years provision",
    "early years": "early years provision",
    "the quality of teaching and learning": "quality of teaching",
    "quality of teaching and learning": "quality of teaching",
    "behaviour and safety of pupils": "behaviour and safety",
    "achievement of pupils at the school": "achievement",
    "pupils' achievement": "achievement",
    "achievement and standards": "achievement",
    "the quality of provision": "quality of teaching",
    "16 to 19 study programmes": "sixth form provision",
    "sixth-form provision": "sixth form provision",
}
# Numeric grades of the 2005-2012 reports ('Grade: 2'); 3 was 'satisfactory' until September 2012.
NUMERIC = {1: "outstanding", 2: "good", 3: "satisfactory", 4: "inadequate"}
_GRADE = "|".join(sorted((re.escape(g) for g in GRADES), key=len, reverse=True))
_AREA = "|".join(sorted((re.escape(a) for a in AREAS), key=len, reverse=True))
_AREA_IS = re.compile(
    rf"\b(?P<area>{_AREA})\b(?: (?:of|in|at) the school)?\s*(?:is|are|was|were|has been judged(?: to be)?|"
    rf"remains|continues to be|:|-|–)?\s*(?:this inspection:?\s*)?['‘\"“]?"
    rf"(?:(?P<grade>{_GRADE})\b(?:\s+(?P<num>[1-4])\b)?|grade:?\s*(?P<digit>[1-4])\b)",
    re.IGNORECASE,
)
# Every pattern below needs a grade word or a numeric grade: sentences without one are skipped
# (a plain substring test, much cheaper than a case-insensitive regex scan).
_GRADE_CUES = (*GRADES, "grade", "special measures")
_PREVIOUS = re.compile(r"\bprevious inspection:?\s*$", re.IGNORECASE)
_OVERALL_GRADE = r"outstanding|good|satisfactory|requires improvement|inadequate"
_OVERALL = re.compile(
    rf"\b(?:this|the) (?:school|academy) (?:(?:is|continues to be|remains)(?: an?)?\s*)?['‘\"“]?"
    rf"(?P<grade>{_OVERALL_GRADE})\b(?!\s+(?:at|in|for|with|to|and)\b)|"
    rf"\bthis is an? (?P<grade2>outstanding|good|satisfactory|inadequate) (?:school|academy)\b|"
    rf"\b(?:this|the) (?:school|academy) (?:requires|is in need of|needs) (?P<sm>special measures)\b",
    re.IGNORECASE,
)


_AUTHORITY = re.compile(
    rf"\b(?:the )?(?:local )?authority(?:'s arrangements[^.]{{0,60}})? (?:was|is|has been) "
    rf"(?:graded|judged) (?:as being |as |to be )?['‘\"“]?(?P<grade>{_GRADE})\b",
    re.IGNORECASE,
)


def find_judgements(sentence: Sentence, date: str | None = None) -> Iterator[tuple[str, int | None, str, int, int]]:
    """Yield (area, grade, grade label, start, end) for each graded judgement in ``sentence``.

    ``date`` (ISO) decides what a numeric grade 3 means: 'satisfactory' before September 2012,
    'requires improvement' from then on.

    >>> s = Sentence(10, 64, "The quality of provision to promote equalities is good.")
    >>> list(find_judgements(s))
    [('equality provision', 2, 'good', 10, 64)]
    >>> t = "Overall effectiveness This inspection: Requires improvement 3 Previous inspection: Good 2"
    >>> [j[:3] for j in find_judgements(Sentence(0, len(t), t))]
    [('overall effectiveness', 3, 'requires improvement')]
    >>> [j[:3] for j in find_judgements(Sentence(0, 24, "This school requires improvement."))]
    [('overall effectiveness', 3, 'requires improvement')]
    """
    text = sentence.text
    lower = text.lower()
    if not any(cue in lower for cue in _GRADE_CUES):
        return
    seen: set[str] = set()
    for m in _AREA_IS.finditer(text):
        if _PREVIOUS.search(text[max(0, m.start() - 40) : m.start()]):
            continue
        area = AREAS[m.group("area").lower()]
        grade: int | None
        if m.group("digit"):
            grade = int(m.group("digit"))
            label = "requires improvement" if grade == 3 and date and date >= "2012-09-01" else NUMERIC[grade]
        else:
            grade, label = GRADES[m.group("grade").lower()]
        if area in seen:
            continue
        seen.add(area)
        yield area, grade, label, sentence.start, sentence.end
    if "overall effectiveness" not in seen:
        for m in _OVERALL.finditer(text):
            word = (m.group("grade") or m.group("grade2") or "").lower()
            grade, label = (4, "inadequate") if m.group("sm") else GRADES.get(word, (None, ""))
            if label:
                yield "overall effectiveness", grade, label, sentence.start, sentence.end
                break
    for m in _AUTHORITY.finditer(sentence.text):
        grade, label = GRADES[m.group("grade").lower()]
        yield "school improvement arrangements", grade, label, sentence.start, sentence.end
