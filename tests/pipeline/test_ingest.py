"""`schoolkg ingest`: adds a table's graph atomically; a bad table leaves the store unchanged."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from conftest import FIXTURES
from schoolkg.cli import app
from schoolkg.store.embedded import EmbeddedStore

FIX = FIXTURES / "tables"


def _ingest(store: Path, *args: str):
    return CliRunner().invoke(app, ["ingest", *args, "--store", str(store), "--nquads", str(store.parent / "g.nq")])


def test_ingest_then_bad_ingest_keeps_store(tmp_path: Path) -> None:
    store = tmp_path / "store"
    ok = _ingest(store, str(FIX / "school-list-sample.csv"), str(FIX / "eic-sample.csv"))
    assert ok.exit_code == 0, ok.output
    assert "table-school-list-sample: 3 rows" in ok.stdout
    before = EmbeddedStore(store).dump_nquads()
    derived = b"/graph/derived/programme-areas" in before
    assert derived is False  # Liverpool and Birmingham are not in the EiC sample (Knowsley, Sandwell, Bolton)
    bad = tmp_path / "bad.csv"
    bad.write_text("URN,LinkURN,LinkName,LinkType\n1234,100001,X,Successor\n")
    fail = _ingest(store, str(FIX / "links-sample.csv"), str(bad))
    assert fail.exit_code == 2
    assert fail.stderr == f"error: {bad}:2: URN: not a 6-digit URN: '1234'\n"
    assert EmbeddedStore(store).dump_nquads() == before


def test_ingest_skip_reports_rows(tmp_path: Path) -> None:
    bad = tmp_path / "links.csv"
    bad.write_text("URN,LinkURN,LinkName,LinkType\n1234,100001,X,Successor\n100002,100003,Y,Predecessor\n")
    result = _ingest(tmp_path / "store", str(bad), "--on-error", "skip")
    assert result.exit_code == 0, result.output
    assert f"skipped: {bad}:2: URN: not a 6-digit URN: '1234'" in result.stderr
    assert "table-links: 1 rows" in result.stdout


def test_ingest_recomputes_the_aggregates_as_a_cold_build_does(tmp_path: Path) -> None:
    """A table added by ingest (judgements, successions) gives the aggregate graphs, the per-school
    summaries of …/graph/aggregates/schools included, of a build with the table from the start."""
    from conftest import corpus_subset
    from schoolkg.iris import GRAPH_AGGREGATES
    from schoolkg.pipeline import run_build

    docs = ["000_0f96bd9ccbaf7c80.txt", "001_67ec0e20a0eb81e3.txt"]
    added = "oxfordshire-outcomes-2017-12-31.csv"
    part = corpus_subset(tmp_path / "part", docs, ["eic-local-authorities.csv"])
    whole = corpus_subset(tmp_path / "whole", docs, ["eic-local-authorities.csv", added])
    run_build(part, tmp_path / "inc" / "store", tmp_path / "inc" / "g.nq", validate=False, jobs=1)
    before = _aggregates(tmp_path / "inc" / "store", GRAPH_AGGREGATES)
    result = _ingest(tmp_path / "inc" / "store", str(whole / "tables" / added), "--no-validate")
    assert result.exit_code == 0, result.output
    run_build(whole, tmp_path / "cold" / "store", tmp_path / "cold" / "g.nq", validate=False, jobs=1)
    after, cold = (_aggregates(tmp_path / d / "store", GRAPH_AGGREGATES) for d in ("inc", "cold"))
    assert after == cold and after != before
    schools = [q for q in after if "/aggregates/schools>" in q]
    assert any("lastJudgementDate" in q for q in schools) and any("summaryOf" in q for q in schools)


def _aggregates(store: Path, prefix: str) -> list[str]:
    lines = EmbeddedStore(store).dump_nquads().decode().splitlines()
    return sorted(line for line in lines if line.rsplit(" ", 2)[-2].startswith(f"<{prefix}"))
