"""Documents per second of `extract_document` on a generated corpus of report-like texts (one core).

Run: python bench/bench_extract.py [N]   (writes the "Extraction" section of docs/benchmarks.md)
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


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
