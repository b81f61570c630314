"""Find graded judgements: 'The quality of provision to promote equalities is good.'"""

from __future__ import annotations

import re
from collections.abc import Iterator

from schoolkg.model import Sentence

__all__ = ["AREAS", "GRADES", "find_judgements"]

# grade word -> (grade value on Ofsted's 4-point scale or None, canonical label)
GRADES = {
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
}
_GRADE = "|".join(sorted((re.escape(g) for g in GRADES), key=len, reverse=True))
_AREA = "|".join(sorted((re.escape(a) for a in AREAS), key=len, reverse=True))
_AREA_IS = re.compile(
    rf"\b(?P<area>{_AREA})\b(?: (?:of|in|at) the school)?\s*(?:is|are|was|has been judged(?: to be)?|"
    rf":|-|–)?\s*['‘\"“]?(?P<grade>{_GRADE})\b",
    re.IGNORECASE,
)
_AUTHORITY = re.compile(
    rf"\b(?:the )?(?:local )?authority(?:'s arrangements[^.]{{0,60}})? (?:was|is|has been) "
    rf"(?:graded|judged) (?:as being |as |to be )?['‘\"“]?(?P<grade>{_GRADE})\b",
    re.IGNORECASE,
)


def find_judgements(sentence: Sentence) -> Iterator[tuple[str, int | None, str, int, int]]:
    """Yield (area, grade, grade label, start, end) for each graded judgement in ``sentence``.

    >>> s = Sentence(10, 64, "The quality of provision to promote equalities is good.")
    >>> list(find_judgements(s))
    [('equality provision', 2, 'good', 10, 64)]
    """
    for m in _AREA_IS.finditer(sentence.text):
        grade, label = GRADES[m.group("grade").lower()]
        yield AREAS[m.group("area").lower()], grade, label, sentence.start, sentence.end
    for m in _AUTHORITY.finditer(sentence.text):
        grade, label = GRADES[m.group("grade").lower()]
        yield "school improvement arrangements", grade, label, sentence.start, sentence.end
