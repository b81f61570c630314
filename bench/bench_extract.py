"""Documents per second of `extract_document` on a generated corpus of report-like texts (one core).

Run: python bench/bench_extract.py [N]   (writes the "Extraction" section of docs/benchmarks.md)
"""

from __future__ import annotations

import hashlib
import random
import re
import sys
import time
from pathlib import Path

from schoolkg.extract.document import extract_document
from schoolkg.extract.run import load_resources
from schoolkg.ingest.documents import describe, read_document

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


def main(n: int = 500) -> float:
    thesaurus, gazetteer = load_resources()
    texts = corpus(n)
    docs = [
        describe(f"bench-{i}", f"bench-{i}.txt", t, hashlib.sha256(t.encode()).hexdigest()) for i, t in enumerate(texts)
    ]
    t0 = time.perf_counter()
    items = sum(len(extract_document(d, thesaurus, gazetteer).findings) for d in docs)
    seconds = time.perf_counter() - t0
    rate = n / seconds
    kb = sum(map(len, texts)) / n / 1000
    section = (
        f"{HEADING}\n\n`python bench/bench_extract.py {n}`: {n} generated report-like texts of {kb:.1f} kB on average, "
        f"already read (segmentation and extraction timed) on one core: **{rate:.0f} documents/second** "
        f"({seconds:.2f} s, {items} findings). Start-up (loading the thesaurus and gazetteer) is not counted.\n"
    )
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
    return rate


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
