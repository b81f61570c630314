"""Page text to reading text: running headers, footers and page numbers dropped, the lines a
page wrapped inside a paragraph joined, end-of-line hyphenation undone.

Used for PDFs (a page per PDF page) and for text copied from a PDF viewer (pages cut at the
page-number lines it carries). docs/extraction.md ("Text normalisation") states the rules.
"""

from __future__ import annotations

import re
from collections import Counter

from schoolkg.ingest.text import normalise_text
from schoolkg.ingest.words import COMMON, WORD, zipf

__all__ = ["dehyphenate", "is_hard_wrapped", "layout_text", "split_pages", "strip_page_furniture", "unwrap_lines"]

_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-–—]\s*)?(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?(?:\s*[-–—])?\s*$", re.IGNORECASE
)
_PAGE_OF = re.compile(r"\b(?:page\s+)?\d{1,4}\s+of\s+\d{1,4}\s*$", re.IGNORECASE)
_EDGE = 3  # lines at the top and bottom of a page that may be a header or footer
_BULLET_START = re.compile(r"^\s*(?:[-•*–▪●◦]\s|\(?\d{1,2}[.)]\s|\(?[a-z][.)]\s)")
_HYPHEN_END = re.compile(r"([A-Za-z][A-Za-z']*)-$")
_WORD_START = re.compile(r"[A-Za-z0-9][A-Za-z']*")
# Endings that are words of their own but, after a hyphen at a line end, the end of a cut word.
_SUFFIXES = frozenset(
    {"able", "ably", "al", "ally", "ed", "er", "ers", "es", "est", "ful", "hood", "ing", "ings", "ity", "ive"}
    | {"less", "ly", "ment", "ments", "ness", "ship", "ships", "tion", "tions", "ward", "wards", "wise"}
)
# Prefixes that British English writes solid ("underachieving", "outperform") unless the word is rare.
_SOLID_PREFIXES = frozenset({"under", "over", "out", "up", "down"})
_SOLID = 1.8


def _shape(line: str) -> str:
    """A line with digits masked, so 'Page 3 of 9' and 'Page 4 of 9' compare equal."""
    return re.sub(r"\d+", "#", " ".join(line.split()).lower())


def _is_page_number(line: str, index: int, n_lines: int) -> bool:
    """A page number or 'Page 3 of 9' line, or a footer ending in 'Page 3 of 9', at a page edge."""
    if not (index < _EDGE or index >= n_lines - _EDGE):
        return False
    if len(line) <= 160 and _PAGE_OF.search(line):
        return True
    bare = line.strip().strip("-–— ").isdigit()  # a bare "7" only as a page's first or last line
    return bool(_PAGE_NUMBER.match(line)) and (not bare or index in (0, n_lines - 1))


def strip_page_furniture(pages: list[str]) -> list[list[str]]:
    """Each page's lines without page numbers and without lines repeated at the edges of most pages.

    A line counts as furniture only among the first or last three lines of a page: a page
    number ("Page 3", "Page 3 of 9", "3 of 9", a footer ending in "Page 3 of 9"; a bare "7" only as
    the first or last line), or a line whose
    shape (digits masked) stands at the edge of at least half the pages (and two).

    >>> strip_page_furniture(["Report title\\nBody one.\\n12\\nPage 1 of 2", "Report title\\nBody two.\\nPage 2 of 2"])
    [['Body one.', '12'], ['Body two.']]
    """
    split = [[ln.rstrip(" \t") for ln in p.splitlines() if ln.strip()] for p in pages]
    edges: Counter[str] = Counter()
    for lines in split:
        edges.update({_shape(ln) for ln in lines[:_EDGE] + lines[-_EDGE:]})
    min_repeats = max(2, (len(pages) + 1) // 2)
    repeated = {s for s, k in edges.items() if k >= min_repeats} if len(pages) > 1 else set()
    out = []
    for lines in split:
        keep = []
        for i, ln in enumerate(lines):
            at_edge = i < _EDGE or i >= len(lines) - _EDGE
            if _is_page_number(ln, i, len(lines)) or (at_edge and _shape(ln) in repeated):
                continue
            keep.append(ln)
        out.append(keep)
    return out


def split_pages(text: str) -> list[str]:
    """Cut text copied from a PDF viewer into pages: at form feeds, else after each line that is a
    page number ("3 of 11", "Page 3", or a footer ending in "Page 3 of 11").

    >>> split_pages("One.\\nPage 1 of 2\\nHead\\nTwo.\\n2 of 2")
    ['One.\\nPage 1 of 2', 'Head\\nTwo.\\n2 of 2']
    """
    if "\f" in text:
        return [p for p in text.split("\f") if p.strip()]
    pages, current = [], []
    for line in text.split("\n"):
        current.append(line)
        s = line.strip()
        if s and (_PAGE_NUMBER.match(s) and re.search(r"\d", s) and not s.isdigit() or _PAGE_OF.search(s)):
            pages.append("\n".join(current))
            current = []
    if any(ln.strip() for ln in current):
        pages.append("\n".join(current))
    return pages


def is_hard_wrapped(text: str) -> bool:
    """Whether a text file keeps a PDF's line breaks inside paragraphs (most lines of one width
    carry on into the next), as text copied from a PDF viewer does.

    >>> is_hard_wrapped("Leaders raised the quality of teaching in\\nevery class and pupils now make\\ngood progress.")
    True
    >>> is_hard_wrapped("One paragraph a line, as typed.\\n\\nAnother paragraph.")
    False
    """
    lines = [ln.rstrip() for ln in text.split("\n")]
    lengths = sorted(len(ln) for ln in lines if ln.strip())
    if len(lengths) < 3:
        return False
    width = lengths[int(len(lengths) * 0.9)]
    if width > 140:
        return False
    full = [(a, b) for a, b in zip(lines, lines[1:], strict=False) if len(a) >= 0.6 * width]
    carried = sum(1 for a, b in full if b.strip() and re.search(r"[a-z,;-]$", a))
    # a report of many short lines (headings, list items, table rows) has few full lines, but most of
    # them still run on into the next when it was copied from a PDF
    return carried >= 0.25 * len(lengths) or (carried >= 5 and carried >= 0.4 * len(full))


def _join_hyphenated(head: str, tail: str, vocabulary: Counter[str]) -> str:
    """How 'head-' at a line end and 'tail' at the next line's start are written in one line.

    The document's own spelling decides first ("well-being" or "wellbeing" elsewhere in it);
    then a joined form that is a word, unless both halves are common words and the joined form
    is rare ("small-group", "over-generous", "full-time"; not "approach-able", "pool-ing"), or
    the head is a prefix written solid (under, over, out, up, down) and the joined form is not
    rare; a capitalised or numeric tail keeps its hyphen ("non-English", "Year-6"); anything
    else was a word cut by hyphenation and is joined.
    """
    if head.isupper() and tail.isupper() and len(head) > 1:
        head, tail = head.lower(), tail.lower()  # a word in capitals ("ASSESS-" / "MENT")
    if not tail[:1].islower():
        return "-"
    joined, hyphened = vocabulary[(head + tail).lower()], vocabulary[f"{head}-{tail}".lower()]
    if joined != hyphened:
        return "" if joined > hyphened else "-"
    whole = zipf(head + tail)
    if tail.endswith("s") and len(tail) > 3:
        whole = max(whole, zipf(head + tail[:-1]))  # a plural is rarer than its word ("lunchtimes")
    if head.lower() in _SOLID_PREFIXES and whole >= _SOLID:
        return ""
    compound = min(zipf(head), zipf(tail)) >= COMMON and len(head) > 2 and tail.lower() not in _SUFFIXES
    if whole >= WORD and not (whole < COMMON and compound):
        return ""
    if zipf(head) >= COMMON and zipf(tail) >= COMMON and len(head) > 1:
        return "-"
    return ""


def dehyphenate(head: str, tail: str, vocabulary: Counter[str] | None = None) -> str:
    """Join a line ending in a hyphen to the next line, undoing hyphenation where it was added.

    >>> dehyphenate("work is fre-", "quently not matched"), dehyphenate("in small-", "group sessions")
    ('work is frequently not matched', 'in small-group sessions')
    >>> dehyphenate("pupils in", "Year 6")
    'pupils in Year 6'
    """
    m = _HYPHEN_END.search(head)
    t = _WORD_START.match(tail)
    if not (m and t):
        return head + " " + tail
    glue = _join_hyphenated(m.group(1), t.group(0), vocabulary or Counter())
    return head[:-1] + glue + tail if glue == "" else head + tail


def _vocabulary(text: str) -> Counter[str]:
    """Words and hyphenated words written inside a line (not at a line end) in ``text``."""
    return Counter(m.group(0).lower() for m in re.finditer(r"[A-Za-z][a-z']*(?:-[a-z][a-z']*)*(?![\w-])", text))


def unwrap_lines(lines: list[str], vocabulary: Counter[str] | None = None) -> list[str]:
    """Join the lines a page wrapped inside a paragraph; keep short lines (headings, table rows) apart.

    A line is joined to the next when neither is a table row (holds a tab between cells), the
    next does not open a bullet and either starts in lower case, or the line ends in a hyphen,
    or it fills most of the page's width and ends in a lower-case word or comma.
    An end-of-line hyphen is undone by :func:`dehyphenate`.

    >>> unwrap_lines(["Title", "The headteacher provides strong leadership and a clear", "vision. Next.", "- Item"])
    ['Title', 'The headteacher provides strong leadership and a clear vision. Next.', '- Item']
    """
    lengths = sorted(len(ln) for ln in lines if ln.strip())
    width = lengths[int(len(lengths) * 0.9)] if lengths else 0
    out: list[str] = []
    last = ""  # the previous physical line
    for ln in lines:
        prev = out[-1] if out else ""
        stripped = last.rstrip()
        if _HYPHEN_END.search(stripped) and re.match(r"\s*-[a-z]", ln):
            ln = ln.lstrip()[1:]  # the hyphen repeated at the start of the next line ("after-" / "-school")
        if (
            prev
            and ln.strip()
            and "\t" not in ln
            and "\t" not in last
            and not _BULLET_START.match(ln)
            and (
                ln.lstrip()[:1].islower()
                or (_HYPHEN_END.search(stripped) and len(stripped) >= 0.6 * width)
                or (len(last) >= 0.7 * width and re.search(r"[a-z,]$", stripped))
            )
        ):
            if _HYPHEN_END.search(prev.rstrip()):
                out[-1] = dehyphenate(prev.rstrip(), ln.strip(), vocabulary)
            else:
                out[-1] = prev.rstrip() + " " + ln.strip()
        else:
            out.append(ln)
        last = ln
    return out


def layout_text(pages: list[str]) -> str:
    """Reading text of a paginated document: furniture dropped, paragraphs unwrapped, pages
    joined by a blank line (a paragraph a page break cut in two is joined back).

    >>> layout_text(["Head\\nTeachers plan well and their lessons are mostly well-\\n1", "Head\\norganised.\\n2"])
    'Teachers plan well and their lessons are mostly well-organised.'
    """
    kept = strip_page_furniture([normalise_text(p) for p in pages])
    vocabulary = _vocabulary("\n".join("\n".join(p) for p in kept))
    lines: list[str] = []
    for page in kept:
        if not page:
            continue
        if lines and lines[-1] and _carries_over(lines[-1], page[0]):
            lines.extend(page)  # the paragraph goes on across the page break
        else:
            if lines:
                lines.append("")
            lines.extend(page)
    return "\n".join(unwrap_lines(lines, vocabulary))


def _carries_over(last: str, first: str) -> bool:
    """Whether a page's first line continues the paragraph of the previous page's last line."""
    if _BULLET_START.match(first) or "\t" in first or "\t" in last:
        return False
    return bool(_HYPHEN_END.search(last.rstrip())) or (
        bool(re.search(r"[a-z,]$", last.rstrip())) and first.lstrip()[:1].islower()
    )
