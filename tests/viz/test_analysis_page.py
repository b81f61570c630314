"""The analysis page: a pure renderer of the analysis dict, its adapter, and `schoolkg analyse` writing it."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
from typer.testing import CliRunner

from schoolkg.analysis.run import analyse_matrix
from schoolkg.cli import app
from schoolkg.viz.analysis_page import FOREST_ROWS, analysis_dict, render_analysis_page
from schoolkg.viz.site import write_site

REMOTE = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.I)
PAYLOAD = "<img src=x onerror=alert(1)>"


def _practice(label: str, or_: float, low: float, high: float, **extra: object) -> dict:
    return {
        "iri": f"https://w3id.org/schoolkg/practice/{label.lower().replace(' ', '-')}",
        "label": label,
        "design": "matched",
        "n_with": 40,
        "n_without": 60,
        "or": or_,
        "ci_low": low,
        "ci_high": high,
        "p": 0.01,
        "q": 0.03,
        **extra,
    }


FULL = {
    "designs": {"matched": "Schools matched on baseline grade and phase (Mantel-Haenszel)."},
    "practices": [
        _practice(
            "Learning mentors",
            2.5,
            1.4,
            4.4,
            adjusted_or=2.1,
            adjusted_ci_low=1.1,
            adjusted_ci_high=3.9,
            adjusted_p=0.02,
            adjusted_q=0.04,
            mh_or=2.2,
            mh_ci_low=1.2,
            mh_ci_high=4.0,
            quotes=[
                {
                    "text": "Learning mentors work well with pupils at risk.",
                    "source": "Ofsted report, 2009 (character 10)",
                    "document": "https://w3id.org/schoolkg/id/document/1",
                }
            ],
        ),
        _practice(
            "Weak tracking", 0.4, 0.2, 0.8, adjusted_or=None, adjusted_ci_low=None, adjusted_ci_high=None, mh_or=None
        ),
    ],
    "by_baseline": [
        {"baseline_grade": "satisfactory", "n": 50, "improved": 20, "share": 0.4},
        {"baseline_grade": "inadequate", "n": 10, "improved": 7, "share": 0.7},
    ],
    "covariates": ["baseline grade", "phase"],
    "model": {"improvement": "overall effectiveness grade rose", "unit": "school", "subjects": 100},
}


def test_full_dict_draws_every_part_offline() -> None:
    page = render_analysis_page(FULL)
    assert page.count("<svg") >= 4  # forest, baseline, network, legend swatches
    assert "<script" not in page and not REMOTE.search(page) and "<link" not in page
    assert "Schools matched on baseline grade and phase" in page  # the design is stated
    assert "baseline grade, phase" in page
    forest = page[page.index('id="forest"') : page.index('id="baseline"')]
    assert forest.count("<circle") >= 2  # one unadjusted estimate per practice
    assert forest.count('fill="#fff"') == 1  # one adjusted square: only Learning mentors has one
    assert "2.50 (1.40 to 4.40)" in forest and "0.40 (0.20 to 0.80)" in forest
    baseline = page[page.index('id="baseline"') : page.index('id="network"')]
    assert "40% of 50" in baseline and "70% of 10" in baseline
    assert "Learning mentors work well with pupils at risk.</blockquote>" not in page  # citation follows
    assert "Learning mentors work well with pupils at risk.<cite>Ofsted report, 2009 (character 10)" in page


def test_missing_optional_fields_still_render() -> None:
    bare = {"practices": [{"label": "Mentoring", "or": 1.5, "ci_low": None, "ci_high": None}]}
    page = render_analysis_page(bare)
    assert "Mentoring" in page and "1.50" in page
    assert "No baseline grades" in page and "No quote recorded" in page
    assert "No practice was tested" in render_analysis_page({})


def test_text_is_escaped() -> None:
    data = {"practices": [_practice(PAYLOAD, 1.2, 0.9, 1.6, quotes=[{"text": PAYLOAD, "source": PAYLOAD}])]}
    page = render_analysis_page(data)
    assert PAYLOAD not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def test_many_practices_keep_the_forest_short() -> None:
    many = {"practices": [_practice(f"P{i}", 1 + i / 100, 0.9, 1.5 + i / 100) for i in range(FOREST_ROWS + 10)]}
    page = render_analysis_page(many)
    forest = page[page.index('id="forest"') : page.index("<details>")]
    assert forest.count("<circle") == FOREST_ROWS + 1  # the rows, plus the key's swatch
    assert f"P{FOREST_ROWS + 9}</td>" in page  # every practice is in the table


def test_adapter_builds_the_dict_from_todays_result() -> None:
    rng = np.random.default_rng(1)
    x = rng.random((200, 4)) < 0.4
    y = (x[:, 0] & (rng.random(200) < 0.8)) | (rng.random(200) < 0.2)
    result = analyse_matrix(x, y, ["mentoring:strength", "tracking:weakness", "b:strength", "c:strength"])
    quotes = {"mentoring:strength": [{"text": "Mentors help.", "source": "report", "document": "d"}]}
    data = analysis_dict(result, quotes)
    by_feature = {p["feature"]: p for p in data["practices"]}
    mentoring = by_feature["mentoring:strength"]
    assert mentoring["label"] == "mentoring (strength)"
    assert mentoring["iri"] == "https://w3id.org/schoolkg/practice/mentoring"
    assert mentoring["n_with"] + mentoring["n_without"] == 200
    assert mentoring["or"] > 1 and mentoring["ci_low"] <= mentoring["or"] <= mentoring["ci_high"]
    assert mentoring["adjusted_or"] is not None and mentoring["mh_or"] is None
    assert mentoring["quotes"][0]["text"] == "Mentors help."
    assert set(data["designs"]) == {"marginal", "adjusted"}
    assert "Mentors help." in render_analysis_page(data)


def test_analyse_writes_the_page(built, tmp_path: Path) -> None:
    import gc

    thresholds = gc.get_threshold()
    res = CliRunner().invoke(
        app, ["analyse", "--store", str(built.dir / "store"), "--out", str(tmp_path), "--no-pairs"]
    )
    assert res.exit_code == 0, res.output
    assert gc.get_threshold() == thresholds  # the command's collector thresholds are the run's only
    page = (tmp_path / "analysis.html").read_text(encoding="utf-8")
    assert "Which practices go with improvement" in page and "<script" not in page
    assert str(tmp_path / "analysis.html") in res.output.replace("\n", "")


def test_index_links_the_analysis_page(built, tmp_path: Path) -> None:
    (tmp_path / "analysis").mkdir()
    (tmp_path / "analysis" / "analysis.html").write_text(render_analysis_page(FULL), encoding="utf-8")
    write_site(built.store, tmp_path / "html", ["evidence"])
    assert 'href="../analysis/analysis.html"' in (tmp_path / "html" / "index.html").read_text(encoding="utf-8")
    write_site(built.store, tmp_path / "other" / "html", ["evidence"])
    assert "analysis.html" not in (tmp_path / "other" / "html" / "index.html").read_text(encoding="utf-8")


def test_analyse_draws_the_analysis_json_when_the_run_wrote_one(built, tmp_path: Path, monkeypatch) -> None:
    import json

    import schoolkg.analysis.report as report
    from schoolkg.pipeline import run_analysis

    real = report.analyse_to_folder

    def writes_json(store, out, **options):
        result, files = real(store, out, **options)
        (out / "analysis.json").write_text(json.dumps(FULL), encoding="utf-8")
        return result, {**files, "analysis.json": out / "analysis.json"}

    monkeypatch.setattr(report, "analyse_to_folder", writes_json)
    _, files = run_analysis(built.store, tmp_path, pairs=False)
    page = files["analysis.html"].read_text(encoding="utf-8")
    assert "Schools matched on baseline grade and phase" in page and "70% of 10" in page
