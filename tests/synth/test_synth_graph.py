"""The synthetic graph: N-Quads in the modelling patterns, loadable, analysable; the analysis graph passes SHACL."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from schoolkg.cli import app
from schoolkg.store.embedded import EmbeddedStore
from schoolkg.validate.report import validate_nquads

N = 400


@pytest.fixture(scope="module")
def synth_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth")
    (out / "effects.csv").write_text("practice,odds_ratio\nstrategic-leadership,4.0\n")
    res = CliRunner().invoke(
        app,
        [
            "synth",
            "--schools",
            str(N),
            "--seed",
            "3",
            "--effects",
            str(out / "effects.csv"),
            "--out",
            str(out),
            "--store",
            str(out / "store"),
        ],
    )
    assert res.exit_code == 0, res.output
    res = CliRunner().invoke(
        app, ["analyse", "--store", str(out / "store"), "--out", str(out / "analysis"), "--min-support", "10"]
    )
    assert res.exit_code == 0, res.output
    return out


# SHACL by the engine the build uses (shapes compiled to SPARQL); that it reports what pyshacl
# reports is tested on a graph breaking every constraint kind (tests/validate/test_compiled.py):
# pyshacl on these graphs took 80 s of the suite


def test_synth_graph_passes_shacl_and_quotes_match(synth_run: Path) -> None:
    report = validate_nquads((synth_run / "synth.nq").read_bytes())
    assert report.shacl.conforms, report.shacl.summary()
    assert report.quote_mismatches == ()


def test_synth_graph_has_one_improvement_per_school(synth_run: Path) -> None:
    res = EmbeddedStore(synth_run / "store").query(
        "PREFIX skg: <https://w3id.org/schoolkg/ontology#> SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE "
        "{ ?i a skg:Improvement ; skg:about ?s ; skg:before/skg:area skg:overallEffectiveness }"
    )
    assert int(next(iter(res))["n"].value) == N


def test_analysis_of_synth_finds_the_planted_practice_within_baseline_grades(synth_run: Path) -> None:
    # 400 schools are too few for the full context model (events per variable < 10: no adjusted
    # discovery is declared), but the Mantel-Haenszel odds ratio within baseline grades sees OR 4
    adjusted = pd.read_csv(synth_run / "analysis" / "adjusted.csv").set_index("feature")
    row = adjusted.loc["strategic-leadership:strength"]
    assert row.mh_ci_low > 1.0 and row.adj_odds_ratio > 1.0
    assert not adjusted.adj_discovery.any()


def test_analysis_graph_passes_shacl(synth_run: Path) -> None:
    nq = (synth_run / "analysis" / "analysis.nq").read_bytes()
    assert b"https://w3id.org/schoolkg/graph/analysis" in nq
    report = validate_nquads(nq).shacl
    assert report.conforms, report.summary()


def test_analysis_report_says_what_was_compared(synth_run: Path) -> None:
    md = (synth_run / "analysis" / "report.md").read_text()
    assert f"{N} with both a label and findings" in md
    assert (synth_run / "analysis" / "forest.png").stat().st_size > 1000


def test_bad_effects_file_is_one_line_error(tmp_path: Path) -> None:
    bad = tmp_path / "e.csv"
    bad.write_text("practice,odds_ratio\nno-such-practice,2\n")
    res = CliRunner().invoke(app, ["synth", "--schools", "5", "--effects", str(bad), "--out", str(tmp_path)])
    assert res.exit_code == 2
    assert res.stderr == f"error: {bad}:2: practice: not a thesaurus practice: 'no-such-practice'\n"
