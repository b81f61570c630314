"""The dev-gold throughput pass of bench/bench_extract.py runs and counts what it read (no timing asserted)."""

from __future__ import annotations

import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT))  # bench/ is the checkout's harness, not part of the package

from bench.bench_extract import dev_pass  # noqa: E402


def test_dev_pass_reads_every_dev_document() -> None:
    result = dev_pass(passes=1)
    gold = len(list((ROOT / "tests/fixtures/reports/dev").glob("*.gold.json")))
    assert result["docs"] == gold
    assert 0 < result["pdfs"] < gold
    assert result["extract_best"] > 0 and result["pdf_best"] > 0
