"""Which programme or strand a passage of a survey is about (issue 14 item 7).

A survey of a programme discusses its strands one passage at a time: "The Learning support units
(LSUs) are usually effective ... In the best schools, parents and external agencies are fully
involved in the work of the unit. ... However, in a small minority of schools the provision is
inadequate." Only the first sentence names the strand; the rest of the passage is still about it.
So a sentence's programme is the one it names, else the one its passage last named (until the
paragraph ends, a heading starts a new section, or the sentence turns to another kind of body,
such as the local authorities), else the one its list intro or section heading names, else the
programme in the document's title.
"""

from __future__ import annotations

import re

from schoolkg.extract.gazetteer import Gazetteer, Programme
from schoolkg.model import Sentence

__all__ = ["ProgrammeContext"]

# A sentence about another kind of body than the strand's schools ends the strand's passage.
_OTHER_BODY = re.compile(
    r"^(?:[\w’',]+ ){0,3}?(?:local authorities|the local authority|las|the la|the department|the dfes|"
    r"the government|ofsted|inspectors)\b",
    re.IGNORECASE,
)


class ProgrammeContext:
    """The programme or strand each sentence of one document is about, read in order."""

    def __init__(self, gazetteer: Gazetteer, text: str, default: Programme | None = None) -> None:
        self.gazetteer, self.text, self.default = gazetteer, text, default
        self._cache: dict[str, Programme | None] = {}
        self._carried: Programme | None = None
        self._carried_section: str | None = None
        self._last_end = -1

    def _first(self, text: str) -> Programme | None:
        if text not in self._cache:
            found = next(iter(self.gazetteer.find_programmes(text)), None) if text else None
            self._cache[text] = found[0] if found else None
        return self._cache[text]

    def _new_paragraph(self, sent: Sentence) -> bool:
        """A line break after a finished sentence (not a page break inside one)."""
        gap = self.text[self._last_end : sent.start]
        before = self.text[max(self._last_end - 3, 0) : self._last_end].rstrip()
        return "\n" in gap and before[-1:] in ".!?:;" and sent.text[:1].isupper()

    def of(self, sent: Sentence, named_in: list[tuple[Programme, int, int]] | None = None) -> Programme | None:
        """The programme ``sent`` is about; call it for the sentences of a document in reading order.

        ``named_in`` is what ``find_programmes`` gives for ``sent.text``, when the caller has it.
        """
        if self._last_end >= 0 and (sent.section != self._carried_section or self._new_paragraph(sent)):
            self._carried = None  # a new paragraph or section ends the passage
        self._last_end = max(self._last_end, sent.end)
        self._carried_section = sent.section
        if named_in is not None and sent.text not in self._cache:
            self._cache[sent.text] = named_in[0][0] if named_in and sent.text else None
        named = self._first(sent.text)
        if named is not None:
            self._carried = named
            return named
        if _OTHER_BODY.match(sent.text.strip()):
            self._carried = None
        return self._carried or self._first(sent.intro) or self._first(sent.section) or self.default
