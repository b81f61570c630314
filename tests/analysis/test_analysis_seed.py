"""The analysis on the default build (the seeds): too small to conclude, and the EiC gap inconsistency."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from schoolkg.analysis.consistency import check_store
from schoolkg.analysis.graphs import read_analysis_data
from schoolkg.analysis.run import analyse
from schoolkg.cli import app


def test_gap_on_seeds_is_too_small(built) -> None:
    result = analyse(read_analysis_data(built.store), improvement="gap")
    assert not result.conclusive
    assert result.notes[-1].startswith("Too few documents to conclude anything: 1 labelled")
    assert "gap 10.4 (2003) -> 7.6 (2005)" in result.evidence[0]


def test_check_finds_the_eic_gap_stated_as_78_but_figures_give_76(built) -> None:
    found = check_store(built.store)
    assert len(found) >= 1
    row = found.iloc[0]
    assert (row.kind, row.stated, row.recomputed) == ("gap", 7.8, 7.6)
    assert row.difference == pytest.approx(0.2)
    assert "7.8 percentage points" in row.stated_quote and "57.2" in row.source_quote


def test_check_cli_strict_exits_1(built) -> None:
    res = CliRunner().invoke(app, ["check", "--store", str(built.dir / "store"), "--strict"])
    assert res.exit_code == 1
    assert "gap stated 7.8, recomputed 7.6 (difference +0.2)" in res.output


def test_unknown_improvement_is_config_error(built, tmp_path) -> None:
    res = CliRunner().invoke(
        app, ["analyse", "--store", str(built.dir / "store"), "--improvement", "vibes", "--out", str(tmp_path)]
    )
    assert res.exit_code == 2
    assert res.stderr.startswith("error: unknown improvement definition 'vibes'; known: attainment, gap, grade")
