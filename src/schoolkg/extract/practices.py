"""Find practices named in sentences and decide whether each is reported as a strength or weakness."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from schoolkg.extract.thesaurus import Concept, Thesaurus
from schoolkg.model import Sentence

__all__ = ["context_polarity", "find_practices", "local_negation", "quote_span"]

# Section headings and list intros that set the polarity of what follows.
_WEAK_CONTEXT = re.compile(
    r"\b(weak|weaker|weakness(?:es)?|limiting factors|less impact|not (?:been )?as effective|"
    r"inadequate|unsatisfactory|areas? (?:for|of) (?:development|improvement)|"
    r"areas identified for improvement|to improve|should (?:do )?to improve|should:|"
    r"what (?:the school|leaders) (?:should|need to) do|next steps|barriers?|"
    r"does not play|not (?:sufficiently|fully)|hinder|conspired|recommendations?|"
    r"should(?: \w+)?:|should ensure)\b",
    re.IGNORECASE,
)
_STRONG_CONTEXT = re.compile(
    r"\b(good practice|features of success|successful features|success|most effective|"
    r"best practice|strengths?|better practice|used successfully|effective practice|"
    r"what works|key strengths|outstanding features)\b",
    re.IGNORECASE,
)
# Words that, shortly before a practice, say it is missing or poor.
_NEGATION = re.compile(
    r"\b(no|not|never|lack(?:s|ing)?(?: of)?|insufficient(?:ly)?|inadequate(?:ly)?|limited|poor(?:ly)?|"
    r"weak|unsystematic|haphazard|inconsistent|ineffective|unsatisfactory|too little|too few|"
    r"little|neither|nor|absence of|without|less|fail(?:s|ed)? to|non-existent|narrow|unsuccessful)\b",
    re.IGNORECASE,
)
_CONTRAST = re.compile(r"\b(but|however|although|though|whereas|while)\b", re.IGNORECASE)
MAX_QUOTE = 320


def context_polarity(sentence: Sentence) -> str | None:
    """'weakness' or 'strength' when the sentence's list intro or section sets one, else None.

    >>> context_polarity(Sentence(0, 5, "x", section="Areas for development"))
    'weakness'
    >>> context_polarity(Sentence(0, 5, "x", intro="Successful features included:"))
    'strength'
    """
    return _cue_polarity(sentence.intro, sentence.section)


@lru_cache(maxsize=4096)
def _cue_polarity(intro: str, section: str) -> str | None:
    """Polarity set by a list intro, else by a section heading (cached: a section holds many sentences)."""
    for cue in (intro, section):
        if not cue:
            continue
        if _WEAK_CONTEXT.search(cue):
            return "weakness"
        if _STRONG_CONTEXT.search(cue):
            return "strength"
    return None


def local_negation(text: str, start: int) -> bool:
    """True when a negating or hedging word stands shortly before offset ``start`` in the clause.

    >>> local_negation("there is insufficient monitoring and evaluation", 21)
    True
    >>> local_negation("leaders, but not teachers, use rigorous monitoring", 37)
    False
    """
    clause_start = max(
        (m.end() for m in re.finditer(r"[,;:]|\b(?:and|but|however|whereas|while)\b", text[:start])),
        default=0,
    )
    window = text[max(clause_start, start - 60) : start]
    return bool(_NEGATION.search(window))


def _verb_negation(text: str, end: int) -> bool:
    """A negation right after the practice: 'monitoring is not rigorous', 'are weak'."""
    after = text[end : end + 50]
    after = re.split(r"[,;:.]|\b(?:but|however|whereas)\b", after, maxsplit=1)[0]
    return bool(
        re.match(
            r"\s+(?:\w+\s+){0,3}?(?:is|are|was|were|has|have|had|does|do)\s+(?:\w+\s+)?"
            r"(?:not|weak|poor|limited|inadequate|unsatisfactory|insufficient|ineffective|less)\b",
            after,
            re.IGNORECASE,
        )
    )


def quote_span(sentence: Sentence, start: int, end: int) -> tuple[int, int]:
    """Absolute span to quote for a match at [start, end): the sentence, or a clause when it is long."""
    if sentence.end - sentence.start <= MAX_QUOTE:
        return sentence.start, sentence.end
    text, off = sentence.text, sentence.start
    rel_s, rel_e = start - off, end - off
    left = max(0, rel_s - MAX_QUOTE // 2)
    right = min(len(text), rel_e + MAX_QUOTE // 2)
    while left > 0 and not text[left - 1].isspace():
        left += 1
    while right < len(text) and not text[right].isspace():
        right -= 1
    left = min(left, rel_s)
    right = max(right, rel_e)
    return off + left, off + right


def find_practices(sentence: Sentence, thesaurus: Thesaurus) -> Iterator[tuple[Concept, str, int, int, int, int]]:
    """Yield (concept, polarity, match start, match end, quote start, quote end) in ``sentence``.

    Polarity: a weakness concept is a weakness; a strength concept is a weakness when a
    negation stands before it or after it in its clause, or when the section or list says
    weaknesses follow; otherwise a strength.
    """
    context = context_polarity(sentence)
    seen: set[str] = set()
    for concept, rs, re_ in thesaurus.matches(sentence.text):
        if concept.iri in seen:
            continue
        seen.add(concept.iri)
        if concept.polarity == "weakness" or local_negation(sentence.text, rs) or _verb_negation(sentence.text, re_):
            polarity = "weakness"
        elif context is not None:
            polarity = context
        else:
            polarity = "strength"
        s, e = sentence.start + rs, sentence.start + re_
        qs, qe = quote_span(sentence, s, e)
        yield concept, polarity, s, e, qs, qe
