"""Read PDF documents with pypdf: page text without running headers, footers and page numbers."""

from __future__ import annotations

import logging
import re
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from schoolkg.errors import InputError

if TYPE_CHECKING:
    from pypdf import PdfReader

__all__ = ["pdf_text", "strip_page_furniture", "unwrap_lines"]

_PAGE_NUMBER = re.compile(r"^\s*(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?\s*$", re.IGNORECASE)
_EDGE = 3  # lines at the top and bottom of a page that may be a header or footer


def _shape(line: str) -> str:
    """A line with digits masked, so 'Page 3 of 9' and 'Page 4 of 9' compare equal."""
    return re.sub(r"\d+", "#", line.strip().lower())


def strip_page_furniture(pages: list[str]) -> str:
    """Join page texts, dropping page numbers and lines repeated at the edges of most pages.

    >>> pages = ["Report title\\nBody one.\\nPage 1 of 2", "Report title\\nBody two.\\nPage 2 of 2"]
    >>> strip_page_furniture(pages)
    'Body one.\\n\\nBody two.'
    """
    split = [[ln for ln in p.splitlines() if ln.strip()] for p in pages]
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
            if _PAGE_NUMBER.match(ln) or (at_edge and _shape(ln) in repeated):
                continue
            keep.append(ln.rstrip())
        if keep:
            out.append(unwrap_lines("\n".join(keep)))
    return "\n\n".join(out)


_BULLET_START = re.compile(r"^\s*(?:[-•*–]\s|\(?\d{1,2}[.)]\s|\(?[a-z][.)]\s)")


def unwrap_lines(page: str) -> str:
    """Join lines a PDF wrapped inside a paragraph; keep short lines (headings, table rows) apart.

    A line is joined to the next when the next does not open a bullet and either starts in
    lower case, or the line fills most of the page's width and ends in a lower-case word or comma.

    >>> unwrap_lines("Title\\nThe headteacher provides strong leadership and a clear\\nvision. Next.\\n- Item")
    'Title\\nThe headteacher provides strong leadership and a clear vision. Next.\\n- Item'
    """
    lines = page.split("\n")
    width = max((len(ln) for ln in lines), default=0)
    out: list[str] = []
    last = ""  # the previous physical line
    for ln in lines:
        prev = out[-1] if out else ""
        if (
            prev
            and ln.strip()
            and not _BULLET_START.match(ln)
            and (ln.lstrip()[:1].islower() or (len(last) >= 0.7 * width and re.search(r"[a-z,]$", last.rstrip())))
        ):
            out[-1] = prev.rstrip() + " " + ln.strip()
        else:
            out.append(ln)
        last = ln
    return "\n".join(out)


def pdf_text(data: bytes, path: Path) -> str:
    """Text of a PDF held in ``data``; InputError for an encrypted, damaged or textless file."""
    import io

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    # pypdf logs its repairs ("EOF marker not found") on stderr; damage is reported as one error instead.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    # pypdf raises its own errors for most damage, but plain ones for some truncations.
    damage = (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError, RecursionError)
    if not data.lstrip()[:5] == b"%PDF-":
        raise InputError("not a PDF file (no %PDF- header)", path=path)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            _decrypt(reader, path)
        pages = [page.extract_text() or "" for page in reader.pages]
    except InputError:
        raise
    except damage as err:
        raise InputError(f"damaged or truncated PDF: {err}", path=path) from None
    text = strip_page_furniture(pages)
    if not text.strip():
        raise InputError("PDF has no extractable text (scanned images?)", path=path)
    return text


def _decrypt(reader: PdfReader, path: Path) -> None:
    """Open a PDF encrypted with an empty user password, else refuse it."""
    from pypdf.errors import PyPdfError

    try:
        ok = reader.decrypt("")
    except (PyPdfError, NotImplementedError, ValueError) as err:
        raise InputError(f"encrypted PDF: cannot decrypt ({err})", path=path) from None
    if not ok:
        raise InputError("encrypted PDF: cannot read without its password", path=path)
