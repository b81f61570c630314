"""Find schools, local authorities and programmes named in a document."""

from __future__ import annotations

import re
from collections import Counter

from schoolkg.extract.gazetteer import Gazetteer
from schoolkg.model import Entity

__all__ = ["find_main_school", "find_schools", "main_local_authority"]

_TYPE = (
    r"(?:Primary|Junior|Infants?|Nursery|First|Middle|Secondary|High|Grammar|Community|Special|"
    r"Technology|Comprehensive|Church of England|C of E|CE|Catholic|Roman Catholic|RC|Methodist)"
)
_NAME_WORD = r"(?:St\.?|Saint|[A-Z][\w'’\-]*|of|and|the|upon|on|de|la)"
SCHOOL = re.compile(
    rf"\b((?:{_NAME_WORD}\s){{0,6}}?(?:[A-Z][\w'’\-]*\s)(?:{_TYPE}\s){{0,3}}"
    rf"(?:School|Academy|College|Infant School|Junior School))\b"
)
URN = re.compile(r"\b(?:Unique reference number|URN)\s*:?\s*(\d{6})\b", re.IGNORECASE)
LAESTAB = re.compile(
    r"\b(?:LAESTAB|DfE (?:establishment )?number|DfES number|LA ?/ ?establishment number|DCSF number)"
    r"\s*:?\s*(\d{3})\s*/?\s*(\d{4})\b",
    re.IGNORECASE,
)
_LA_FIELD = re.compile(r"\b(?:Local authority|LA|Local education authority|LEA)\s*:?[ \t]+([^\n]{3,60})")
POSTCODE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})\b")
_ROLE_WORDS = {
    "Dear",
    "Mr",
    "Mrs",
    "Ms",
    "Miss",
    "Dr",
    "Headteacher",
    "Headmaster",
    "Headmistress",
    "Principal",
    "Head",
    "Executive",
    "Chair",
    "Governors",
}
_GENERIC_START = {"The", "A", "An", "This", "Each", "Every", "Their", "Our", "Your", "Other", "All"}


def find_schools(text: str) -> list[tuple[str, int, int]]:
    """Return (name, start, end) for each school name in ``text``.

    >>> find_schools("Dear Mrs Turner Headteacher Blenheim Primary School Blenheim Chase")
    [('Blenheim Primary School', 28, 51)]
    """
    out = []
    for m in SCHOOL.finditer(text):
        words = m.group(1).split()
        cut = max((i + 1 for i, w in enumerate(words) if w in _ROLE_WORDS), default=0)
        cut = max([cut] + [i + 1 for i, w in enumerate(words[:-1]) if w.islower() and words[i + 1] in _GENERIC_START])
        words = words[cut:]
        while words and words[0] in _GENERIC_START:
            words = words[1:]
        if len(words) < 2 or words[0][0].islower():
            continue
        name = " ".join(words)
        start = m.start(1) + m.group(1).index(words[0])
        out.append((name, start, start + len(name)))
    return out


def find_main_school(text: str, gazetteer: Gazetteer) -> Entity | None:
    """The school a letter or report is addressed to or about, with its URN, town and LA."""
    head = text[:4000]
    schools = find_schools(head)
    if not schools:
        return None
    counts = Counter(name.lower() for name, _, _ in find_schools(text))
    name, _, end = max(schools, key=lambda s: (counts[s[0].lower()], -s[1]))
    urn_m = URN.search(text)
    estab = LAESTAB.search(text)
    town, la = _address(text, end, gazetteer)
    if la is None:
        la = _la_field(text, gazetteer)
    return Entity(
        id="school-1",
        type="School",
        name=name,
        urn=urn_m.group(1) if urn_m else None,
        local_authority=la,
        town=town,
        laestab=estab.group(1) + estab.group(2) if estab else None,
    )


def _la_field(text: str, gazetteer: Gazetteer) -> str | None:
    """The authority printed in a report's front-page table ('Local authority  Northshire')."""
    for m in _LA_FIELD.finditer(text[:6000]):
        for la, s, _e in gazetteer.find_las(m.group(1)):
            if s == 0:
                return la.name
    return None


def _address(text: str, name_end: int, gazetteer: Gazetteer) -> tuple[str | None, str | None]:
    """Town and LA from the address that follows a school's name, ended by a postcode."""
    tail = text[name_end : name_end + 160]
    pc = POSTCODE.search(tail)
    if not pc:
        return None, None
    words = re.findall(r"[A-Za-z][\w'’\-]*", tail[: pc.start()])
    if not words:
        return None, None
    county = gazetteer.la_for_town(words[-1])
    if county is not None and len(words) >= 2:
        town = words[-2]
        return town, (gazetteer.la_for_town(town) or county).name
    town = words[-1]
    la = gazetteer.la_for_town(town)
    return town, la.name if la else None


def main_local_authority(text: str, gazetteer: Gazetteer) -> str | None:
    """The authority a council report is from: named in an e-mail domain, else the most named LA."""
    for m in re.finditer(r"@([a-z\-]+)\.gov\.uk", text.lower()):
        la = gazetteer.la_for_town(m.group(1).replace("-", " "))
        if la:
            return la.name
    counts = Counter(la.name for la, _, _ in gazetteer.find_las(text))
    return counts.most_common(1)[0][0] if counts else None
