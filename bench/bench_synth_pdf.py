"""A small own PDF writer (schoolkg.synth.pdf) versus reportlab, for the synthetic reports (issue 18).

Both set the same blocks with running headers, page numbers, ligatures and hyphenation:
``schoolkg.synth.pdf`` writes base-14 Helvetica with two codes remapped to the /fi and /fl
glyphs (no embedded font); the reportlab version (below, as first written) embeds Bitstream Vera
(shipped with reportlab) to draw U+FB01/FB02. Both are read back with the project's PDF reader
(pypdfium2) and pypdf (which keeps ligatures as U+FB0x; PDFium decomposes them).

Run: PYTHONPATH=src python bench/bench_synth_pdf.py [--docs 200]
"""

from __future__ import annotations

import argparse
import io
import os
import re
import time
from functools import lru_cache
from pathlib import Path

from schoolkg.ingest.pdf import pdf_pages, pdf_text
from schoolkg.synth.pdf import layout_pages, render_pdf
from schoolkg.synth.reports import Block, _header, report_blocks, simulate_reports

# --- the reportlab implementation, as it was first written for schoolkg.synth.pdf (kept for the comparison) ---
_W, _H = 595.27, 841.89
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


def _rl_ligatures(text: str) -> str:
    return _LIGATURE.sub(lambda m: "\ufb01" if m.group() == "fi" else "\ufb02", text)


def _rl_split_point(word: str) -> int:
    """Where to hyphenate a long word (after a vowel followed by a consonant, near the middle), or 0."""
    if len(word) < 10 or not word.isalpha():
        return 0
    mid = len(word) // 2
    for d in range(0, mid - 3):
        for i in (mid - d, mid + d):
            if 3 <= i <= len(word) - 4 and word[i - 1].lower() in _VOWELS and word[i].lower() not in _VOWELS:
                return i
    return 0


@lru_cache(maxsize=65536)
def _width(word: str, font: str, size: float) -> float:
    """Width of one word (words repeat across reports: reportlab's pure-Python TTF widths are slow)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return float(stringWidth(word, font, size))


def _rl_wrap(text: str, font: str, size: float, width: float) -> list[str]:
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
        cut = _rl_split_point(word.rstrip(".,;:"))
        if cut:
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


def reportlab_pdf(title: str, header: str, blocks: list[Block]) -> bytes:
    """The PDF bytes of a report: ``blocks`` set on A4 pages with ``header`` running from page 2."""
    from reportlab.pdfgen.canvas import Canvas

    regular, bold = _fonts()
    pages = layout_pages(blocks, regular, bold, _rl_wrap, _width, _rl_ligatures)  # the same layout
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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=200)
    args = ap.parse_args()
    pop = simulate_reports(args.docs, 3)
    blocks = [report_blocks(s) for s in pop.schools]
    tmp = Path("/tmp/bench_synth_pdf")
    tmp.mkdir(exist_ok=True)
    for name, make in (
        ("own writer (schoolkg.synth.pdf)", lambda s, b: render_pdf(s.name, _header(s), b)),
        ("reportlab (Vera embedded)", lambda s, b: reportlab_pdf(s.name, _header(s), b)),
    ):
        t = time.perf_counter()
        data = [make(s, b) for s, b in zip(pop.schools, blocks, strict=True)]
        dt = time.perf_counter() - t
        path = tmp / f"{name.split()[0]}.pdf"
        path.write_bytes(data[0])
        text = pdf_text(data[0], path)
        ligatures = sum(c in "\ufb01\ufb02" for d in data[:20] for c in "".join(pdf_pages(d, path, "pypdf")))
        size = sum(map(len, data)) / len(data)
        print(
            f"{name}: {args.docs / dt:.0f} documents/s ({1000 * dt / args.docs:.1f} ms each), {size / 1024:.1f} KiB "
            f"each; read back: {len(text):,} characters, school name found: {pop.schools[0].name in text}, "
            f"ligatures in the text layer of 20 (pypdf): {ligatures}"
        )
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
