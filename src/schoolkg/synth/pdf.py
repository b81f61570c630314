"""Set a synthetic report's blocks as a PDF the way word processors export them (reportlab canvas).

Realism the reader has to cope with (tests/fixtures/reports/SCHEMA.md): a running header from
page 2 and "Page n of N" footers, typographic ligatures in the text layer (U+FB01, U+FB02 for
"fi" and "fl" in body text, as MS Word exports give), end-of-line hyphenation of long words,
and label/value tables. The font is Bitstream Vera, which ships with reportlab (it has the
ligature glyphs), so no system font is needed.
"""

from __future__ import annotations

import io
import os
import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from schoolkg.synth.reports import Block

__all__ = ["render_pdf"]

_W, _H = 595.27, 841.89  # A4 in points
_MARGIN = 64.0
_SIZE = {"h1": 17.0, "h2": 13.0, "h3": 11.0, "p": 10.0, "bullets": 10.0, "table": 10.0, "small": 8.5, "lines": 10.0}
_LIGATURE = re.compile(r"f[il]")
_VOWELS = set("aeiouy")


@lru_cache(maxsize=1)
def _fonts() -> tuple[str, str]:
    import reportlab
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    base = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
    pdfmetrics.registerFont(TTFont("SynthVera", os.path.join(base, "Vera.ttf")))
    pdfmetrics.registerFont(TTFont("SynthVeraBd", os.path.join(base, "VeraBd.ttf")))
    return "SynthVera", "SynthVeraBd"


def _ligatures(text: str) -> str:
    return _LIGATURE.sub(lambda m: "\ufb01" if m.group() == "fi" else "\ufb02", text)


def _split_point(word: str) -> int:
    """Where to hyphenate a long word (after a vowel followed by a consonant, near the middle), or 0."""
    if len(word) < 10 or not word.isalpha():
        return 0
    mid = len(word) // 2
    for d in range(0, mid - 3):
        for i in (mid - d, mid + d):
            if 3 <= i <= len(word) - 4 and word[i - 1].lower() in _VOWELS and word[i].lower() not in _VOWELS:
                return i
    return 0


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines: list[str] = []
    line = ""
    for word in text.split():
        trial = f"{line} {word}" if line else word
        if stringWidth(trial, font, size) <= width:
            line = trial
            continue
        cut = _split_point(word.rstrip(".,;:"))
        if cut and line:
            head = f"{line} {word[:cut]}-"
            if stringWidth(head, font, size) <= width:
                lines.append(head)
                line = word[cut:]
                continue
        if line:
            lines.append(line)
        line = word
    if line:
        lines.append(line)
    return lines


def render_pdf(title: str, header: str, blocks: list[Block]) -> bytes:
    """The PDF bytes of a report: ``blocks`` set on A4 pages with ``header`` running from page 2."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen.canvas import Canvas

    regular, bold = _fonts()
    width = _W - 2 * _MARGIN
    pages: list[list[tuple[float, float, str, float, str]]] = [[]]  # (x, y, font, size, text)
    y = _H - _MARGIN

    def need(height: float) -> None:
        nonlocal y
        if y - height < _MARGIN + 20:
            pages.append([])
            y = _H - _MARGIN - 18

    def put(x: float, font: str, size: float, text: str, lead: float) -> None:
        nonlocal y
        need(lead)
        y -= lead
        pages[-1].append((x, y, font, size, text))

    for b in blocks:
        size = _SIZE.get(b.kind, 10.0)
        lead = size * 1.4
        if b.kind == "page":
            if pages[-1]:
                pages.append([])
                y = _H - _MARGIN - 18
        elif b.kind in ("h1", "h2", "h3"):
            need(lead * 3)
            y -= size * 0.6
            for line in _wrap(b.items[0], bold, size, width):
                put(_MARGIN, bold, size, line, lead)
            y -= size * 0.3
        elif b.kind == "lines":
            for line in b.items:
                put(_MARGIN, regular, size, line, lead)
            y -= size * 0.6
        elif b.kind in ("p", "small"):
            if b.items:
                for line in _wrap(_ligatures(" ".join(b.items)), regular, size, width):
                    put(_MARGIN, regular, size, line, lead)
                y -= size * 0.8
        elif b.kind == "bullets":
            for item in b.items:
                for i, line in enumerate(_wrap(_ligatures(item), regular, size, width - 14)):
                    if i == 0:
                        need(lead)
                        pages[-1].append((_MARGIN, y - lead, regular, size, "•"))
                    put(_MARGIN + 14, regular, size, line, lead)
            y -= size * 0.8
        elif b.kind == "table":
            split = max(stringWidth(label, bold, size) for label, _ in b.rows) + 3 * size
            split = min(split, width * 0.62)
            for label, value in b.rows:
                need(lead)
                pages[-1].append((_MARGIN + split, y - lead, regular, size, value))
                put(_MARGIN, bold, size, label, lead)
            y -= size * 0.8
    pages = [p for p in pages if p]
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(_W, _H), invariant=True, pageCompression=1)
    c.setTitle(title)
    c.setAuthor("Ofsted")
    for n, ops in enumerate(pages, start=1):
        if n > 1:
            c.setFont(regular, 8)
            c.drawString(_MARGIN, _H - _MARGIN + 10, header)
        for x, yy, font, size, text in ops:
            c.setFont(font, size)
            c.drawString(x, yy, text)
        c.setFont(regular, 8)
        c.drawRightString(_W - _MARGIN, _MARGIN - 10, f"Page {n} of {len(pages)}")
        c.showPage()
    c.save()
    return buf.getvalue()
