"""Split normalised text into sentences and list items, each with its section and list intro.

A *section* is the nearest heading above a sentence ("Areas for development"); an *intro*
is the sentence ending in a colon or dash that opens the list a sentence belongs to
("When the practice was weaker the following features were apparent:"). Both set the
polarity context of what is found in the sentence.
"""

from __future__ import annotations

import re

from schoolkg.model import Document, SegmentedDocument, Sentence

__all__ = ["content_start", "running_headers", "segment", "segment_document"]

_TRANSCRIPTION = re.compile(r"^\s*Transcription:\s*$", re.MULTILINE)
_BULLET = re.compile(r"^(?:[-•*–!]\s+|\(?[0-9]{1,2}(?:\.[0-9]{1,2})?[.)]\s+|[0-9]{1,2}\.[0-9]{1,2}\s+|\(?[a-z][.)]\s+)")
_SENT_END = re.compile(r"(?<=[.!?:;])(?<![Gg]rade:)\s+(?=[\"'‘“(]?[A-Z0-9])|(?<=!)(?=\s?[A-Z])|(?<=:)\s+(?=[a-z])")
_INLINE_PARA = re.compile(r"(?<=[.!?a-z])\s+(\d{1,2})\.\s+(?=[A-Z])")
_HEADING_STOP = re.compile(r"[.,;]$")
_HEADING_VERB = re.compile(r"\b(is|are|was|were|has|have|will|should)\b")
_INLINE_VERB = re.compile(r"\b(is|are|was|were|has|have|had)\b")
_CLOSED = re.compile(r"[.!?;,]$")
_LINE = re.compile(r"[^\n]+")
_NUMBERED = re.compile(r"^(?:-\s+)?\d+\.\d+\s")  # a numbered paragraph ("3.2 ...")
_HEADER_CANDIDATE = re.compile(
    r"(?:^|(?<=[\s.!]))(?=[A-Z][A-Za-z ]* \d)([A-Z][A-Za-z]+(?: [A-Za-z]+){0,4}) (\d{1,3})(?=\s|$)"
)


def content_start(text: str) -> int:
    """Offset where a document's own text begins, after any scraped preamble.

    Scraped pages put lists of "Similar documents" before a "Transcription:" line; nothing
    before that line belongs to the document.

    >>> content_start("Title\\nSimilar documents\\nA\\nTranscription:\\nBody")
    41
    """
    if "Transcription:" not in text:
        return 0
    m = _TRANSCRIPTION.search(text)
    return m.end() + 1 if m and m.end() < len(text) else 0


def running_headers(text: str) -> re.Pattern[str] | None:
    """Find a page header repeated with page numbers ("Excellence in cities 7") in scraped text.

    >>> header = running_headers("Report 1 a. Report 2 b. Report 3 c.")
    >>> bool(header.search("x Report 9 y")), running_headers("No headers here.")
    (True, None)
    """
    counts: dict[str, set[str]] = {}
    # the lookahead only skips, in one pass, capitalised words with no number after their run of words
    for m in _HEADER_CANDIDATE.finditer(text):
        counts.setdefault(m.group(1), set()).add(m.group(2))
    best = max(counts.items(), key=lambda kv: len(kv[1]), default=None)
    if not best or len(best[1]) < 3:
        return None
    return re.compile(rf"(?:^|(?<=\s)){re.escape(best[0])} \d{{1,3}}(?=\s|$)")


def _is_heading(line: str) -> bool:
    words = line.split()
    if not words or len(line) > 90 or _HEADING_STOP.search(line) or line.endswith(":"):
        return False
    if len(words) > 12 or line[0].islower():
        return False
    return not _HEADING_VERB.search(line.lower()) or line.isupper()


def _spans(text: str, start: int, end: int, header: re.Pattern[str] | None = None) -> list[tuple[int, int, bool]]:
    """Sentence spans of text[start:end] (absolute offsets), bullets and markers removed.

    The flag says whether the span opens a new paragraph or bullet (which closes a list).
    """
    out: list[tuple[int, int, bool]] = []
    chunk = text[start:end]
    cuts: dict[int, bool] = {0: True}
    skips: list[tuple[int, int]] = []
    if header is not None:
        for m in header.finditer(chunk):
            cuts[m.start()] = cuts.get(m.start(), False)
            cuts[m.end()] = False
            skips.append((m.start(), m.end()))
    for m in _SENT_END.finditer(chunk):
        cuts.setdefault(m.end(), chunk[m.start() - 1 : m.start()] == "!" if m.start() else False)
    for m in _INLINE_PARA.finditer(chunk):
        cuts[m.start() + 1] = True
    ordered = sorted(cuts) + [len(chunk)]
    for a, b in zip(ordered, ordered[1:], strict=False):
        if (a, b) in skips:
            continue
        piece = chunk[a:b]
        lead = len(piece) - len(piece.lstrip())
        piece = piece.strip()
        if not piece:
            continue
        s = start + a + lead
        bullet = _BULLET.match(piece)
        while bullet and bullet.end() < len(piece):
            s += bullet.end()
            piece = piece[bullet.end() :]
            bullet = _BULLET.match(piece)
        e = s + len(piece.rstrip())
        if e > s:
            out.append((s, e, cuts[a]))
    return out


def segment_document(doc: Document) -> SegmentedDocument:
    """Cut ``doc`` into sentences once, for every extractor to read.

    >>> seg = segment_document(Document("d", "d.txt", "Menu\\nTranscription:\\nLeaders are ambitious.", "0" * 64))
    >>> seg.body_start, [s.text for s in seg.sentences]
    (20, ['Leaders are ambitious.'])
    """
    start = content_start(doc.text)
    return SegmentedDocument(doc, start, tuple(segment(doc.text, start)))


def segment(text: str, start: int | None = None) -> list[Sentence]:
    """Return the sentences and list items of ``text`` in reading order.

    ``start`` is where the document's own text begins (default: :func:`content_start`).

    >>> for s in segment("Areas for development\\n\\n- Improve tracking of progress.\\n"):
    ...     print(s.start, s.end, repr(s.text), s.section)
    25 54 'Improve tracking of progress.' Areas for development
    """
    out: list[Sentence] = []
    section, intro = "", ""
    pos = content_start(text) if start is None else start
    header = running_headers(text[pos:])
    for line_match in _LINE.finditer(text[pos:]):
        ls, le = pos + line_match.start(), pos + line_match.end()
        line = text[ls:le].strip()
        if not line:
            continue
        bullet = _BULLET.match(line)
        if _is_heading(line) and not bullet:
            section, intro = line, ""
            continue
        if _NUMBERED.match(line) or not (bullet or (_opens_list(intro) and _continues(line, header))):
            intro = ""  # a new paragraph closes any open list, unless it carries on a run-on list
        spans = _spans(text, ls, le, header)
        for i, (s, e, new_para) in enumerate(spans):
            sent = text[s:e]
            next_para = i + 1 < len(spans) and spans[i + 1][2]
            if next_para and _is_inline_heading(sent):
                section, intro = sent, ""
                continue
            if new_para and i > 0:
                intro = ""
            out.append(Sentence(s, e, sent, section, intro))
            following = text[e : e + 3].lstrip()[:1]
            if _opens_list(sent) and (following.islower() or not following or "\n" in text[e : e + 2]):
                intro = sent
            elif sent.endswith(":"):
                intro = ""
    return out


def _continues(line: str, header: re.Pattern[str] | None) -> bool:
    """Whether a line without a bullet carries on the list the previous line opened.

    A PDF's list items run on as lines of their own (capitalised or not); a scraped page of
    running text carries on a list only when it goes on in lower case after the page header.

    >>> _continues("their work has not been integrated", None), _continues("The plan is clear.", None)
    (True, True)
    >>> _continues("Excellence in cities 2 The plan is long. It is long.", re.compile("Excellence in cities [0-9]+"))
    False
    """
    if header is not None and (m := header.match(line)):
        return line[m.end() :].lstrip()[:1].islower()
    return len(_SENT_END.findall(line)) <= 1 or line[:1].islower()


def _is_inline_heading(sentence: str) -> bool:
    words = sentence.split()
    return (
        0 < len(words) <= 12
        and sentence[0].isupper()
        and not _CLOSED.search(sentence)
        and not _INLINE_VERB.search(sentence)
    )


_INCLUDE_END = re.compile(r"\b(include|included|includes)$")


def _opens_list(sentence: str) -> bool:
    return bool(sentence) and (sentence.endswith((":", "–", "—")) or bool(_INCLUDE_END.search(sentence)))
