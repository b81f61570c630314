"""Read PDF documents: the text layer of each page (PDFium through pypdfium2, or pypdf), then
:func:`schoolkg.ingest.layout.layout_text` (running headers, footers, page numbers, wrapping and
hyphenation). bench/bench_pdf.py compares the two readers; PDFium is the default (see
docs/extraction.md, "PDF readers")."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from pathlib import Path

from schoolkg.errors import InputError
from schoolkg.ingest.layout import layout_text

__all__ = ["DEFAULT_READER", "PAGE_READERS", "pdf_pages", "pdf_text"]


def _pdfium_pages(data: bytes, path: Path) -> list[str]:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as err:
        if "password" in str(err).lower():
            raise InputError("encrypted PDF: cannot read without its password", path=path) from None
        raise InputError(f"damaged or truncated PDF: {_pdfium_reason(err)}", path=path) from None
    pages = []
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            textpage = page.get_textpage()
            text = _mark_cells(textpage, textpage.get_text_range())
            # PDFium marks a hyphen it found at a line end with U+FFFE and drops the line break.
            pages.append(text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufffe", "-\n"))
            textpage.close()
            page.close()
    except pdfium.PdfiumError as err:
        raise InputError(f"damaged or truncated PDF: {_pdfium_reason(err)}", path=path) from None
    finally:
        pdf.close()
    return pages


CELL_GAP = 1.5
"""A space wider than this many font sizes separates two cells of a table row (written as a tab)."""


def _mark_cells(textpage, text: str) -> str:  # type: ignore[no-untyped-def]
    """``text`` with each space that spans a gap wider than :data:`CELL_GAP` ems made a tab.

    Table rows ("Overall effectiveness | Good", "Unique reference number | 120993") then stay
    rows: the layout step never joins a line holding a tab to its neighbours.
    """
    import pypdfium2.raw as pdfium_c

    if textpage.count_chars() != len(text):
        return text  # characters outside the BMP: indices and offsets differ; leave the text as it is
    out = list(text)
    for i in range(1, len(text) - 1):
        if text[i] != " " or text[i - 1] in " \r\n" or text[i + 1] in " \r\n":
            continue
        left, right = textpage.get_charbox(i - 1), textpage.get_charbox(i + 1)
        size = pdfium_c.FPDFText_GetFontSize(textpage.raw, i - 1) or 10.0
        if right[0] - left[2] > CELL_GAP * size and abs(right[1] - left[1]) < size:
            out[i] = "\t"
    return "".join(out)


def _pdfium_reason(err: Exception) -> str:
    """'Failed to load document (PDFium: Data format error).' -> 'data format error'."""
    text = str(err)
    if "PDFium:" in text:
        text = text.split("PDFium:", 1)[1]
    return text.strip(" ().").lower() or "unreadable"


def _pypdf_pages(data: bytes, path: Path) -> list[str]:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    # pypdf logs its repairs ("EOF marker not found") on stderr; damage is reported as one error instead.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    # pypdf raises its own errors for most damage, but plain ones for some truncations.
    damage = (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError, RecursionError)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            _decrypt(reader, path)
        return [page.extract_text() or "" for page in reader.pages]
    except InputError:
        raise
    except damage as err:
        raise InputError(f"damaged or truncated PDF: {err}", path=path) from None


def _decrypt(reader, path: Path) -> None:  # type: ignore[no-untyped-def]
    """Open a PDF encrypted with an empty user password, else refuse it."""
    from pypdf.errors import PyPdfError

    try:
        ok = reader.decrypt("")
    except (PyPdfError, NotImplementedError, ValueError) as err:
        raise InputError(f"encrypted PDF: cannot decrypt ({err})", path=path) from None
    if not ok:
        raise InputError("encrypted PDF: cannot read without its password", path=path)


PAGE_READERS: dict[str, Callable[[bytes, Path], list[str]]] = {"pdfium": _pdfium_pages, "pypdf": _pypdf_pages}
"""Reader name -> function giving the raw text of each page."""
DEFAULT_READER = "pdfium"


def pdf_pages(data: bytes, path: Path, reader: str = DEFAULT_READER) -> list[str]:
    """The raw text of each page of the PDF held in ``data``; InputError for an encrypted or damaged file."""
    if not data.lstrip()[:5] == b"%PDF-":
        raise InputError("not a PDF file (no %PDF- header)", path=path)
    return PAGE_READERS[reader](data, path)


def pdf_text(data: bytes, path: Path, reader: str = DEFAULT_READER) -> str:
    """Reading text of a PDF held in ``data``; InputError for an encrypted, damaged or textless file."""
    text = layout_text(pdf_pages(data, path, reader))
    if not text.strip():
        raise InputError("PDF has no extractable text (scanned images?)", path=path)
    return text
