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
"""A space wider than this many font sizes, and much wider than the line's other spaces, separates
two cells of a table row (written as a tab)."""
_ROW_SPACES = 12  # a line with more spaces than this is prose, never a table row


def _mark_cells(textpage, text: str) -> str:  # type: ignore[no-untyped-def]
    """``text`` with each space between two table cells made a tab.

    A cell gap is wider than :data:`CELL_GAP` ems and more than 2.5 times the line's other word
    spaces (a justified line widens all its spaces alike). Table rows ("Overall effectiveness |
    Good", "Unique reference number | 120993") then stay rows: the layout step never joins a line
    holding a tab to its neighbours.
    """
    import ctypes

    import pypdfium2.raw as pdfium_c

    if textpage.count_chars() != len(text):
        return text  # characters outside the BMP: indices and offsets differ; leave the text as it is
    raw = textpage.raw
    box = [ctypes.c_double() for _ in range(4)]
    refs = [ctypes.byref(b) for b in box]

    def left_right(i: int) -> tuple[float, float, float]:
        pdfium_c.FPDFText_GetCharBox(raw, i, *refs)
        return box[0].value, box[1].value, box[3].value  # left, right, bottom

    out = list(text)
    line_start = 0
    for line_end in [*(i for i, c in enumerate(text) if c == "\n"), len(text)]:
        spaces = [
            i
            for i in range(line_start + 1, line_end - 1)
            if text[i] == " " and text[i - 1] not in " \r" and text[i + 1] not in " \r\n"
        ]
        line_start = line_end + 1
        if not spaces or len(spaces) > _ROW_SPACES:
            continue
        # a cell's value starts with a capital, a digit or a bracket; other spaces show the line's usual width
        candidates = [i for i in spaces if not text[i + 1].islower()]
        if not candidates:
            continue
        size = pdfium_c.FPDFText_GetFontSize(raw, spaces[0] - 1) or 10.0

        def gap(i: int, size: float = size) -> float:
            _l1, right, bottom1 = left_right(i - 1)
            left, _r2, bottom2 = left_right(i + 1)
            return left - right if abs(bottom1 - bottom2) < size else 0.0

        plain = [i for i in spaces if text[i + 1].islower()][:2]
        usual = max([gap(i) for i in plain] + [0.3 * size]) if plain else 0.3 * size
        widths = {i: gap(i) for i in candidates}
        if not plain and len(candidates) > 2:
            usual = max(usual, sorted(widths.values())[len(widths) // 2])  # all capitals: the median space
        for i, width in widths.items():
            if width > CELL_GAP * size and width > 2.5 * usual:
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
