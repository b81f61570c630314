"""The document readers, one per file suffix: each returns the raw text of a file.

The built-in readers (plain text, HTML through :mod:`schoolkg.ingest.html`, PDF through
:mod:`schoolkg.ingest.pdf`) are registered here with :func:`register`, the call an addition uses.

>>> sorted(READERS)
['.htm', '.html', '.md', '.pdf', '.text', '.txt', '.xhtml']
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from schoolkg.ingest.html import html_text
from schoolkg.ingest.pdf import pdf_text
from schoolkg.ingest.text import decode_bytes

__all__ = ["READERS", "Reader", "register"]

Reader = Callable[[Path], str]
READERS: dict[str, Reader] = {}
"""File suffix (lower case, with the dot) -> reader."""


def register(*suffixes: str) -> Callable[[Reader], Reader]:
    """Register a reader returning the raw text of files with these suffixes."""

    def add(func: Reader) -> Reader:
        for suffix in suffixes:
            READERS[suffix] = func
        return func

    return add


@register(".txt", ".text", ".md")
def _read_text(path: Path) -> str:
    return decode_bytes(path.read_bytes(), path)


@register(".html", ".htm", ".xhtml")
def _read_html(path: Path) -> str:
    return html_text(decode_bytes(path.read_bytes(), path), path)


@register(".pdf")
def _read_pdf(path: Path) -> str:
    return pdf_text(path.read_bytes(), path)
