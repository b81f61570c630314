"""Documents per second of `extract_document` on a generated corpus of report-like texts (one core).

Run: python bench/bench_extract.py [N]   (writes the "Extraction" section of docs/benchmarks.md)

`python bench/bench_extract.py --dev [--against OTHER/src [--label NAME]] [--rounds R]` times the 27 dev gold
documents (tests/fixtures/reports/dev) instead: text extraction (segmentation + `extract_document`
from already-read text, every cache cleared before each pass, so no sentence is seen twice) and,
separately, reading the PDFs (`read_document`). With ``--against`` the same measurement runs in a
child process importing the other checkout's ``src`` (e.g. main), interleaved round by round, so
old and new share the machine's load; it writes "## Extraction throughput (issue 14)".
"""

from __future__ import annotations

import hashlib
import os
import platform
import random
import re
import statistics
import sys
import time
from pathlib import Path

from schoolkg.extract.document import extract_document
from schoolkg.extract.lexicon import load_lexicon
from schoolkg.ingest.documents import describe, read_document
from schoolkg.ingest.segment import segment_document

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [
    ROOT / "tests/fixtures/extraction/documents/ashbrook-primary-2013.txt",
    *sorted((ROOT / "corpus/documents").glob("*.txt")),
]
HEADING = "## Extraction (issue 4)"
DEV_HEADING = "## Extraction throughput (issue 14)"
DEV = ROOT / "tests/fixtures/reports/dev"


def corpus(n: int, seed: int = 4) -> list[str]:
    """``n`` report-like texts of about 6 kB, shuffled paragraphs of the seed documents under a report front page."""
    rng = random.Random(seed)
    paras = [p for src in SOURCES for p in read_document(src).text.split("\n\n") if len(p) > 80]
    front = read_document(SOURCES[0]).text.split("Summary of key findings")[0]
    out = []
    for i in range(n):
        body = []
        while sum(map(len, body)) < 6000:
            body.append(rng.choice(paras))
        out.append(front.replace("Ashbrook", f"School{i}") + "\n\nKey findings\n\n" + "\n\n".join(body))
    return out


def _machine() -> str:
    cpu = next(
        (ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines() if "model name" in ln),
        platform.processor() or "unknown CPU",
    )
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def main(n: int = 500, reps: int = 3) -> float:
    thesaurus, gazetteer = load_lexicon()
    texts = corpus(n)
    docs = [
        describe(f"bench-{i}", f"bench-{i}.txt", t, hashlib.sha256(t.encode()).hexdigest()) for i, t in enumerate(texts)
    ]
    load = os.getloadavg()[0]
    rates, items = [], 0
    for _ in range(reps):
        t0 = time.perf_counter()
        items = sum(len(extract_document(segment_document(d), thesaurus, gazetteer).findings) for d in docs)
        rates.append(n / (time.perf_counter() - t0))
    rate = statistics.median(rates)
    kb = sum(map(len, texts)) / n / 1000
    runs = ", ".join(f"{r:.0f}" for r in rates)
    section = (
        f"{HEADING}\n\n`taskset -c 1 python bench/bench_extract.py {n}` on {_machine()} (shared: load average "
        f"{load:.1f} at the start): {n} generated report-like texts of {kb:.1f} kB on average, already read "
        f"(segmentation and extraction timed) on one core, {reps} runs ({runs} documents/second): "
        f"**median {rate:.0f} documents/second** ({items} findings per run). Start-up (loading the thesaurus and "
        f"gazetteer) is not counted. Before the issue-4 speed work (commit 5d59e7b) the same measurement gave "
        f"29-37 documents/second.\n"
    )
    path = ROOT / "docs" / "benchmarks.md"
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    if HEADING in old:
        old = (
            re.sub(rf"{re.escape(HEADING)}\n.*?(?=\n## |\n<!-- |\Z)", section.rstrip("\n"), old, flags=re.S).rstrip(
                "\n"
            )
            + "\n"
        )
    else:
        old = old.rstrip("\n") + "\n\n" + section
    path.write_text(old, encoding="utf-8")
    print(section)
    return rate


def _clear_caches() -> None:
    """Clear every per-text cache of the extractor (the lexicon and gazetteer loaders stay)."""
    for name, mod in list(sys.modules.items()):
        if not name.startswith("schoolkg.") or mod is None:
            continue
        for value in list(vars(mod).values()):
            # the type, not the value: an rdflib Namespace answers every attribute with a URIRef
            if hasattr(type(value), "cache_clear") and not getattr(value, "__name__", "").startswith("load_"):
                value.cache_clear()


def dev_pass(passes: int = 5) -> dict[str, float]:
    """Time the dev documents in this process: per pass, CPU seconds of segmenting and extracting all of
    them from text (caches cleared first), of reading the PDFs, and of reading, segmenting and extracting
    the PDFs (caches cleared first); the best pass of each is kept."""
    from schoolkg.extract.scoring import load_report_gold

    thesaurus, gazetteer = load_lexicon()
    paths = [p for p, _g in load_report_gold(DEV)]
    docs = [read_document(p, p.parent) for p in paths]
    pdfs = [p for p in paths if p.suffix == ".pdf"]
    extract_s, pdf_s, pdf_full_s = [], [], []
    for _ in range(passes):
        _clear_caches()
        t0 = time.process_time()
        for d in docs:
            extract_document(segment_document(d), thesaurus, gazetteer)
        extract_s.append(time.process_time() - t0)
    for _ in range(max(1, passes // 2)):
        t0 = time.process_time()
        for p in pdfs:
            read_document(p, p.parent)
        pdf_s.append(time.process_time() - t0)
    for _ in range(max(1, passes // 2)):
        _clear_caches()
        t0 = time.process_time()
        for p in pdfs:
            extract_document(segment_document(read_document(p, p.parent)), thesaurus, gazetteer)
        pdf_full_s.append(time.process_time() - t0)
    return {
        "docs": len(docs),
        "pdfs": len(pdfs),
        "kb": sum(len(d.text) for d in docs) / len(docs) / 1000,
        "extract_best": min(extract_s),
        "extract_median": statistics.median(extract_s),
        "pdf_best": min(pdf_s),
        "pdf_full_best": min(pdf_full_s),
    }


def dev_main(against: str | None, rounds: int = 3, passes: int = 5, label: str | None = None) -> str:
    """Interleave this checkout and ``against`` (another checkout's src) for ``rounds`` rounds."""
    import json
    import subprocess

    load = os.getloadavg()
    runs: dict[str, list[dict[str, float]]] = {"new": [], "old": []}
    for _ in range(rounds):
        runs["new"].append(dev_pass(passes))
        if against:
            env = {**os.environ, "PYTHONPATH": against}
            child = [sys.executable, __file__, "--dev-child", str(passes)]
            out = subprocess.run(child, env=env, capture_output=True, text=True, check=True)
            runs["old"].append(json.loads(out.stdout.strip().splitlines()[-1]))
    load_end = os.getloadavg()

    def rates(rs: list[dict[str, float]], key: str, n: str) -> str:
        vals = sorted(r[n] / r[key] for r in rs)
        return f"{statistics.median(vals):.0f} (runs {', '.join(f'{v:.0f}' for v in vals)})"

    new = runs["new"][0]
    lines = [
        DEV_HEADING,
        "",
        f"`python bench/bench_extract.py --dev{' --against ' + against if against else ''}` on {_machine()}, "
        f"shared machine (load average {load[0]:.1f} at the start, {load_end[0]:.1f} at the end; CPU time of this "
        f"process, so other engineers' jobs slow it less than wall time would). {new['docs']:.0f} dev gold documents "
        f"({new['kb']:.1f} kB of text on average), every cache cleared before each pass, best of {passes} passes per "
        f"round, median of {rounds} rounds; the PDF column reads the {new['pdfs']:.0f} dev PDFs (text layer, layout, "
        "normalisation) with `read_document`; the last column reads, segments and extracts them.",
        "",
        "| extractor | text documents / CPU-second (segment + extract) | PDF documents / CPU-second (read) "
        "| PDF documents / CPU-second (read + segment + extract) |",
        "| --- | --- | --- | --- |",
        f"| this checkout | {rates(runs['new'], 'extract_best', 'docs')} | {rates(runs['new'], 'pdf_best', 'pdfs')} "
        f"| {rates(runs['new'], 'pdf_full_best', 'pdfs')} |",
    ]
    if against:
        lines.append(
            f"| {label or '`' + against + '`'} | {rates(runs['old'], 'extract_best', 'docs')} "
            f"| {rates(runs['old'], 'pdf_best', 'pdfs')} | {rates(runs['old'], 'pdf_full_best', 'pdfs')} |"
        )
    section = "\n".join(lines) + "\n"
    path = ROOT / "docs" / "benchmarks.md"
    old = path.read_text(encoding="utf-8")
    if DEV_HEADING in old:
        old = re.sub(rf"{re.escape(DEV_HEADING)}\n.*?(?=\n## |\n<!-- |\Z)", section.rstrip("\n"), old, flags=re.S)
        old = old.rstrip("\n") + "\n"
    else:
        old = old.rstrip("\n") + "\n\n" + section
    path.write_text(old, encoding="utf-8")
    print(section)
    return section


if __name__ == "__main__":
    if {"-h", "--help"} & set(sys.argv[1:]):
        print(__doc__)
        sys.exit(0)
    if "--dev-child" in sys.argv:
        import json

        print(json.dumps(dev_pass(int(sys.argv[sys.argv.index("--dev-child") + 1]))))
    elif "--dev" in sys.argv:
        args = sys.argv
        other = args[args.index("--against") + 1] if "--against" in args else None
        n_rounds = int(args[args.index("--rounds") + 1]) if "--rounds" in args else 3
        name = args[args.index("--label") + 1] if "--label" in args else None
        dev_main(other, n_rounds, label=name)
    elif len(sys.argv) > 1 and not sys.argv[1].isdigit():
        sys.exit(f"bench_extract: unknown argument {sys.argv[1]!r} (see --help)")
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
