"""Set a synthetic report's blocks as a PDF the way word processors export them (a small own writer).

Realism the reader has to cope with (tests/fixtures/reports/SCHEMA.md): a running header from
page 2 and "Page n of N" footers, typographic ligatures in the text layer (the glyphs /fi and /fl
for "fi" and "fl" in body text, which readers give back as U+FB01 and U+FB02, as MS Word exports
do), end-of-line hyphenation of long words, and label/value tables. The fonts are the standard
Helvetica and Helvetica-Bold (not embedded) in WinAnsi encoding, with two codes remapped to the
ligature glyphs; the widths below are their Adobe font metrics (per WinAnsi code from 32).

Why not reportlab: bench/bench_synth_pdf.py measured reportlab (Vera TTF embedded, so ligatures
can be drawn) at about 60 ms and 44 KiB a report against about 3 ms and 4 KiB here, and a 60k-report
benchmark corpus needs the speed; this writer needs no dependency.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from schoolkg.synth.reports import Block

__all__ = ["layout_pages", "render_pdf"]

_W, _H = 595.0, 842.0  # A4 in points
_MARGIN = 64.0
_SIZE = {"h1": 17.0, "h2": 13.0, "h3": 11.0, "p": 10.0, "bullets": 10.0, "table": 10.0, "small": 8.5, "lines": 10.0}
_VOWELS = set("aeiouy")
_FI, _FL = "\x01", "\x02"  # the codes remapped to the ligature glyphs
_LIGATURE_WIDTH = {"F1": 500, "F2": 611}  # fi and fl in Helvetica / Helvetica-Bold

_HELVETICA = (
    278,
    278,
    355,
    556,
    556,
    889,
    667,
    191,
    333,
    333,
    389,
    584,
    278,
    333,
    278,
    278,
    556,
    556,
    556,
    556,
    556,
    556,
    556,
    556,
    556,
    556,
    278,
    278,
    584,
    584,
    584,
    556,
    1015,
    667,
    667,
    722,
    722,
    667,
    611,
    778,
    722,
    278,
    500,
    667,
    556,
    833,
    722,
    778,
    667,
    778,
    722,
    667,
    611,
    722,
    667,
    944,
    667,
    667,
    611,
    278,
    278,
    278,
    469,
    556,
    333,
    556,
    556,
    500,
    556,
    556,
    278,
    556,
    556,
    222,
    222,
    500,
    222,
    833,
    556,
    556,
    556,
    556,
    333,
    500,
    278,
    556,
    500,
    722,
    500,
    500,
    500,
    334,
    260,
    334,
    584,
    350,
    556,
    350,
    222,
    556,
    333,
    1000,
    556,
    556,
    333,
    1000,
    667,
    333,
    1000,
    350,
    611,
    350,
    350,
    222,
    222,
    333,
    333,
    350,
    556,
    1000,
    333,
    1000,
    500,
    333,
    944,
    350,
    500,
    667,
    278,
    333,
    556,
    556,
    556,
    556,
    260,
    556,
    333,
    737,
    370,
    556,
    584,
    333,
    737,
    333,
    400,
    584,
    333,
    333,
    333,
    556,
    537,
    278,
    333,
    333,
    365,
    556,
    834,
    834,
    834,
    611,
    667,
    667,
    667,
    667,
    667,
    667,
    1000,
    722,
    667,
    667,
    667,
    667,
    278,
    278,
    278,
    278,
    722,
    722,
    778,
    778,
    778,
    778,
    778,
    584,
    778,
    722,
    722,
    722,
    722,
    667,
    667,
    611,
    556,
    556,
    556,
    556,
    556,
    556,
    889,
    500,
    556,
    556,
    556,
    556,
    278,
    278,
    278,
    278,
    556,
    556,
    556,
    556,
    556,
    556,
    556,
    584,
    611,
    556,
    556,
    556,
    556,
    500,
    556,
    500,
)
_HELVETICA_BOLD = (
    278,
    333,
    474,
    556,
    556,
    889,
    722,
    238,
    333,
    333,
    389,
    584,
    278,
    333,
    278,
    278,
    556,
    556,
    556,
    556,
    556,
    556,
    556,
    556,
    556,
    556,
    333,
    333,
    584,
    584,
    584,
    611,
    975,
    722,
    722,
    722,
    722,
    667,
    611,
    778,
    722,
    278,
    556,
    722,
    611,
    833,
    722,
    778,
    667,
    778,
    722,
    667,
    611,
    722,
    667,
    944,
    667,
    667,
    611,
    333,
    278,
    333,
    584,
    556,
    333,
    556,
    611,
    556,
    611,
    556,
    333,
    611,
    611,
    278,
    278,
    556,
    278,
    889,
    611,
    611,
    611,
    611,
    389,
    556,
    333,
    611,
    556,
    778,
    556,
    556,
    500,
    389,
    280,
    389,
    584,
    350,
    556,
    350,
    278,
    556,
    500,
    1000,
    556,
    556,
    333,
    1000,
    667,
    333,
    1000,
    350,
    611,
    350,
    350,
    278,
    278,
    500,
    500,
    350,
    556,
    1000,
    333,
    1000,
    556,
    333,
    944,
    350,
    500,
    667,
    278,
    333,
    556,
    556,
    556,
    556,
    280,
    556,
    333,
    737,
    370,
    556,
    584,
    333,
    737,
    333,
    400,
    584,
    333,
    333,
    333,
    611,
    556,
    278,
    333,
    333,
    365,
    556,
    834,
    834,
    834,
    611,
    722,
    722,
    722,
    722,
    722,
    722,
    1000,
    722,
    667,
    667,
    667,
    667,
    278,
    278,
    278,
    278,
    722,
    722,
    778,
    778,
    778,
    778,
    778,
    584,
    778,
    722,
    722,
    722,
    722,
    667,
    667,
    611,
    556,
    556,
    556,
    556,
    556,
    556,
    889,
    556,
    556,
    556,
    556,
    556,
    278,
    278,
    278,
    278,
    611,
    611,
    611,
    611,
    611,
    611,
    611,
    584,
    611,
    611,
    611,
    611,
    611,
    556,
    611,
    556,
)


def _table(font: str) -> tuple[int, ...]:
    return _HELVETICA if font == "F1" else _HELVETICA_BOLD


@lru_cache(maxsize=65536)
def _width(word: str, font: str, size: float) -> float:
    """Width of word in points (characters outside WinAnsi count as a bullet's width)."""
    widths = _table(font)
    total = 0
    for code in word.encode("cp1252", "replace"):
        total += _LIGATURE_WIDTH[font] if code in (1, 2) else widths[code - 32] if code >= 32 else 0
    return total * size / 1000


def _ligatures(text: str) -> str:
    return text.replace("fi", _FI).replace("fl", _FL)


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
    space = _width(" ", font, size)
    lines: list[str] = []
    line: list[str] = []
    used = 0.0
    for word in text.split():
        w = _width(word, font, size)
        if not line or used + space + w <= width:
            used += (space if line else 0.0) + w
            line.append(word)
            continue
        cut = _split_point(word.rstrip(".,;:").replace(_FI, "fi").replace(_FL, "fl"))
        if cut and _FI not in word and _FL not in word:
            head = _width(word[:cut] + "-", font, size)
            if used + space + head <= width:
                lines.append(" ".join([*line, word[:cut] + "-"]))
                line, used = [word[cut:]], _width(word[cut:], font, size)
                continue
        lines.append(" ".join(line))
        line, used = [word], w
    if line:
        lines.append(" ".join(line))
    return lines


def _pdf_string(text: str) -> bytes:
    raw = text.encode("cp1252", "replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


Op = tuple[float, float, str, float, str]
"""One piece of text set on a page: x, y, font, size, text."""


def layout_pages(
    blocks: list[Block],
    regular: str = "F1",
    bold: str = "F2",
    wrap: Callable[[str, str, float, float], list[str]] | None = None,
    width_of: Callable[[str, str, float], float] | None = None,
    ligatures: Callable[[str], str] | None = None,
) -> list[list[Op]]:
    """``blocks`` set on A4 pages: per page, the text pieces to draw (empty pages dropped).

    The fonts and the measuring, wrapping and ligature functions are this writer's own by
    default; bench/bench_synth_pdf.py passes reportlab's, so both writers set the same layout.
    """
    wrap, width_of, ligatures = wrap or _wrap, width_of or _width, ligatures or _ligatures
    width = _W - 2 * _MARGIN
    pages: list[list[Op]] = [[]]
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
            for line in wrap(b.items[0], bold, size, width):
                put(_MARGIN, bold, size, line, lead)
            y -= size * 0.3
        elif b.kind == "lines":
            for line in b.items:
                put(_MARGIN, regular, size, line, lead)
            y -= size * 0.6
        elif b.kind in ("p", "small"):
            if b.items:
                for line in wrap(ligatures(" ".join(b.items)), regular, size, width):
                    put(_MARGIN, regular, size, line, lead)
                y -= size * 0.8
        elif b.kind == "bullets":
            for item in b.items:
                for i, line in enumerate(wrap(ligatures(item), regular, size, width - 14)):
                    if i == 0:
                        need(lead)
                        pages[-1].append((_MARGIN, y - lead, regular, size, "•"))
                    put(_MARGIN + 14, regular, size, line, lead)
            y -= size * 0.8
        elif b.kind == "table":
            split = max(width_of(label, bold, size) for label, _ in b.rows) + 3 * size
            split = min(split, width * 0.62)
            for label, value in b.rows:
                need(lead)
                pages[-1].append((_MARGIN + split, y - lead, regular, size, value))
                put(_MARGIN, bold, size, label, lead)
            y -= size * 0.8
    return [p for p in pages if p]


def render_pdf(title: str, header: str, blocks: list[Block]) -> bytes:
    """The PDF bytes of a report: ``blocks`` set on A4 pages with ``header`` running from page 2."""
    pages = layout_pages(blocks)
    streams = []
    for n, ops in enumerate(pages, start=1):
        out = [b"BT"]
        if n > 1:
            out.append(b"/F1 8 Tf 1 0 0 1 %.2f %.2f Tm %s Tj" % (_MARGIN, _H - _MARGIN + 10, _pdf_string(header)))
        for x, yy, font, size, text in ops:
            out.append(b"/%s %.1f Tf 1 0 0 1 %.2f %.2f Tm %s Tj" % (font.encode(), size, x, yy, _pdf_string(text)))
        footer = f"Page {n} of {len(pages)}"
        x = _W - _MARGIN - _width(footer, "F1", 8)
        out.append(b"/F1 8 Tf 1 0 0 1 %.2f %.2f Tm %s Tj" % (x, _MARGIN - 10, _pdf_string(footer)))
        out.append(b"ET")
        streams.append(zlib.compress(b"\n".join(out)))
    return _assemble(title, streams)


def _assemble(title: str, streams: list[bytes]) -> bytes:
    """A PDF file of one content stream per page: catalog, pages, two fonts, an info dictionary."""
    enc = b"<< /Type /Encoding /BaseEncoding /WinAnsiEncoding /Differences [1 /fi /fl] >>"
    objs: dict[int, bytes] = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding 5 0 R >>",
        4: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding 5 0 R >>",
        5: enc,
        6: b"<< /Title %s /Author (Ofsted) /Producer (schoolkg synth) >>" % _pdf_string(title),
    }
    kids = []
    for i, data in enumerate(streams):
        content, page = 7 + 2 * i, 8 + 2 * i
        objs[content] = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream"
        objs[page] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> "
            b"/Contents %d 0 R >>" % (int(_W), int(_H), content)
        )
        kids.append(page)
    objs[2] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for num in sorted(objs):
        offsets[num] = len(out)
        out += b"%d 0 obj\n" % num + objs[num] + b"\nendobj\n"
    xref = len(out)
    size = max(objs) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    out += b"".join(b"%010d 00000 n \n" % offsets[n] for n in range(1, size))
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)
