"""PDF readers compared on the same PDFs: text fidelity (snippets found) and pages per second.

Readers: every entry of ``schoolkg.ingest.pdf.PAGE_READERS`` (PDFium through pypdfium2, pypdf),
each followed by the same layout step (furniture, unwrapping, hyphenation, normalisation), plus
pdfminer.six when it is installed (raw text only, for reference). PDFs:

- the dev gold PDFs (tests/fixtures/reports/dev): fidelity = share of the gold's snippets
  (findings, figures, judgements) found in the reading text, folded as the scorer folds;
- tests/fixtures/extraction/documents/*.pdf: share of the fixture gold's quotes found;
- generated PDFs: the seed documents typeset here with reportlab (justified and hyphenated
  paragraphs, ligatures in the text layer, a running header, "Page n of N" footers, a
  two-column page): share of the source's sentences found.

Run: python bench/bench_pdf.py [REPEATS]   (writes the "PDF readers" section of docs/benchmarks.md)
"""

from __future__ import annotations

import json
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from schoolkg.extract.scoring import _Folded, fold, load_report_gold
from schoolkg.ingest.layout import layout_text
from schoolkg.ingest.pdf import PAGE_READERS

ROOT = Path(__file__).resolve().parents[1]
HEADING = "## PDF readers (issue 14)"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
SEEDS = sorted((ROOT / "corpus/documents").glob("*.txt"))
LIGATURES = (("ffi", "\ufb03"), ("ffl", "\ufb04"), ("ff", "\ufb00"), ("fi", "\ufb01"), ("fl", "\ufb02"))


def _sentences(text: str) -> list[str]:
    """Sentences of 40-300 characters of a source text (what a generated PDF must give back)."""
    out = []
    for para in text.split("\n"):
        for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", para.strip()):
            if 40 <= len(s) <= 300 and not re.search(r"\d{2,}", s):
                out.append(s)
    return out


def generate_pdfs(folder: Path) -> list[tuple[Path, list[str]]]:
    """Typeset each seed document as a report-like PDF; return (path, sentences to find)."""
    from reportlab import rl_config
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import BaseDocTemplate, Frame, NextPageTemplate, PageTemplate, Paragraph
    from reportlab.platypus.flowables import PageBreak

    rl_config.invariant = 1
    pdfmetrics.registerFont(TTFont("DejaVu", FONT))
    body = ParagraphStyle(
        "b", fontName="DejaVu", fontSize=10, leading=13, spaceAfter=6, alignment=4, hyphenationLang="en_GB"
    )
    out = []
    for src in SEEDS:
        text = src.read_text(encoding="utf-8")
        paras = [p.strip() for p in text.split("\n") if len(p.strip()) > 60][:60]
        if not paras:
            continue
        path = folder / (src.stem + ".pdf")
        title = f"Report: {src.stem[:3]}, 4-5 May 2016"

        def furniture(canvas, doc, title=title):  # type: ignore[no-untyped-def]
            canvas.setFont("DejaVu", 8)
            canvas.drawString(20 * mm, A4[1] - 12 * mm, title)
            canvas.drawRightString(A4[0] - 20 * mm, 10 * mm, f"Page {doc.page}")

        one = Frame(20 * mm, 20 * mm, 170 * mm, 250 * mm, id="one")
        left = Frame(20 * mm, 20 * mm, 82 * mm, 250 * mm, id="left")
        right = Frame(108 * mm, 20 * mm, 82 * mm, 250 * mm, id="right")
        doc = BaseDocTemplate(str(path), pagesize=A4)
        doc.addPageTemplates(
            [PageTemplate("one", [one], onPage=furniture), PageTemplate("two", [left, right], onPage=furniture)]
        )
        story: list = []
        for i, p in enumerate(paras):
            typeset = p
            for plain, lig in LIGATURES:
                typeset = typeset.replace(plain, lig)
            story.append(Paragraph(typeset.replace("&", "&amp;").replace("<", "&lt;"), body))
            if i == len(paras) // 2:  # the second half goes in two columns
                story += [NextPageTemplate("two"), PageBreak()]
        doc.build(story)
        out.append((path, [s for p in paras for s in _sentences(p)]))
    return out


def _gold_snippets(gold: dict) -> list[str]:
    items = gold.get("findings", []) + gold.get("figures", []) + gold.get("judgements", [])
    return [i["snippet"] for i in items if i.get("snippet")]


def _fixture_quotes(pdf: Path) -> list[str]:
    gold = ROOT / "tests/fixtures/extraction/gold" / (pdf.stem + ".jsonl")
    if not gold.exists():
        return []
    doc = json.loads(gold.read_text(encoding="utf-8").splitlines()[0])
    return [f["quote"] for f in doc.get("findings", []) if len(f["quote"]) > 20]


def _pdfminer_pages(data: bytes, path: Path) -> list[str]:
    import io

    from pdfminer.high_level import extract_text

    return extract_text(io.BytesIO(data)).split("\f")


def readers() -> dict:
    """The readers to compare (pdfminer.six only when installed)."""
    out = dict(PAGE_READERS)
    try:
        import pdfminer  # noqa: F401

        out["pdfminer.six"] = _pdfminer_pages
    except ImportError:
        pass
    return out


def found(snippets: list[str], text: str) -> int:
    """How many snippets occur in ``text`` (folded as the scorer folds)."""
    doc = _Folded.of(text)
    return sum(1 for s in snippets if fold(s)[0].strip() in doc.folded)


def main(repeats: int = 3) -> dict:
    dev = load_report_gold(ROOT / "tests/fixtures/reports/dev")
    fixtures = sorted((ROOT / "tests/fixtures/extraction/documents").glob("*.pdf"))
    sets: dict[str, list[tuple[Path, list[str]]]] = {
        "dev gold PDFs": [(p, _gold_snippets(g)) for p, g in dev if p.suffix == ".pdf"],
        "fixture PDFs": [(p, _fixture_quotes(p)) for p in fixtures],
    }
    tmp = tempfile.TemporaryDirectory()
    sets["generated PDFs"] = generate_pdfs(Path(tmp.name))
    results: dict[str, dict] = {}
    for name, reader in readers().items():
        row: dict = {"sets": {}}
        pages_total, seconds = 0, []
        for set_name, items in sets.items():
            hit = total = 0
            for path, snippets in items:
                pages = reader(path.read_bytes(), path)
                text = layout_text(pages)
                hit += found(snippets, text)
                total += len(snippets)
            row["sets"][set_name] = (hit, total)
        blobs = [(p, p.read_bytes()) for items in sets.values() for p, _ in items]
        for _ in range(repeats):
            t0 = time.perf_counter()
            pages_total = sum(len(reader(data, p)) for p, data in blobs)
            seconds.append(time.perf_counter() - t0)
        row["pages"] = pages_total
        row["pages_per_s"] = pages_total / statistics.median(seconds)
        t0 = time.perf_counter()
        for p, data in blobs:
            layout_text(reader(data, p))
        row["docs_per_s"] = len(blobs) / (time.perf_counter() - t0)
        row["docs"] = len(blobs)
        results[name] = row
    tmp.cleanup()
    _write(results, repeats)
    return results


def _write(results: dict, repeats: int) -> None:
    set_names = list(next(iter(results.values()))["sets"])
    head = "| reader | " + " | ".join(f"{s} (found / snippets)" for s in set_names) + " | pages/s | PDF documents/s |"
    lines = [
        HEADING,
        "",
        f"`python bench/bench_pdf.py {repeats}` (one process, shared 2-core machine): the same PDFs through each "
        "reader's page text and then the same layout step. Fidelity is the share of known snippets found in the "
        "reading text; pages/s times the page text alone (median of the runs), documents/s the whole "
        "`pdf_text` path (reader + layout + normalisation). pdfminer.six is raw text only (no layout step "
        "difference), for reference.",
        "",
        head,
        "|" + " --- |" * (len(set_names) + 3),
    ]
    for name, row in results.items():
        cells = [f"{h}/{t} ({h / t:.1%})" if t else "-" for h, t in row["sets"].values()]
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {row['pages_per_s']:.0f} | {row['docs_per_s']:.1f} |")
    section = "\n".join(lines) + "\n"
    path = ROOT / "docs" / "benchmarks.md"
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    if HEADING in old:
        old = (
            re.sub(rf"{re.escape(HEADING)}\n.*?(?=\n## |\Z)", section.rstrip("\n"), old, flags=re.S).rstrip("\n") + "\n"
        )
    else:
        old = old.rstrip("\n") + "\n\n" + section
    path.write_text(old, encoding="utf-8")
    print(section)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
