"""The attainment design (issue 17): practices of the report of inspection t -> change of KS2 after t.

A planted practice -> attainment effect written by ``schoolkg synth --ks2-effects`` is recovered
through the store; a null run gives no discovery; the window is explicit and dates are respected.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from schoolkg.analysis.attainment import analyse_attainment
from schoolkg.analysis.designs import ATTAINMENT_DESIGN, build_attainment_episodes
from schoolkg.analysis.graphs import AnalysisData, read_analysis_data
from schoolkg.analysis.improvement import ObservationRecord
from schoolkg.analysis.report import analyse_to_folder
from schoolkg.analysis.summary import attainment_summary
from schoolkg.errors import ConfigError
from schoolkg.store.embedded import EmbeddedStore, install_store
from schoolkg.synth.graph import thesaurus_practices, write_synth

PLANTED = {3: 6.0, 20: -5.0, 40: 5.0}
M = "https://w3id.org/schoolkg/id/measure/ptrwm-exp"


def _store(out: Path, effects: dict[int, float]) -> EmbeddedStore:
    path, _ = write_synth(out, 900, 5, {}, ks2=effects)
    install_store(path, out / "store")
    return EmbeddedStore(out / "store")


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    return _store(tmp_path_factory.mktemp("ks2-planted"), PLANTED)


@pytest.fixture(scope="module")
def null(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    return _store(tmp_path_factory.mktemp("ks2-null"), {})


def _feature(i: int) -> str:
    iri, _, pol = thesaurus_practices()[i]
    return f"{iri.rsplit('/', 1)[-1]}:{pol}"


def test_the_design_recovers_the_planted_attainment_effects(planted: EmbeddedStore) -> None:
    result = analyse_attainment(read_analysis_data(planted))
    assert result is not None and result.design == ATTAINMENT_DESIGN
    assert result.episodes.windows == {"2016/17 -> 2018/19": len(result.episodes.subjects)}
    found = result.effects[result.effects.discovery]
    by_feature = dict(zip(result.effects.feature, result.effects.effect, strict=True))
    for i, points in PLANTED.items():
        assert _feature(i) in set(found.feature), f"planted {_feature(i)} not found"
        assert abs(by_feature[_feature(i)] - points) < 2.0
    assert len(found) <= len(PLANTED) + 1  # at most one false discovery at FDR 0.05
    assert (result.effects.design == ATTAINMENT_DESIGN).all()
    base = result.covariates.set_index("covariate").loc["baseline_attainment"]
    assert base.effect < 0 and base.p < 1e-6  # regression to the mean is held fixed, not ignored


def test_a_null_run_gives_no_discovery(null: EmbeddedStore) -> None:
    result = analyse_attainment(read_analysis_data(null))
    assert result is not None and len(result.effects) > 20
    assert int(result.effects.discovery.sum()) == 0


def test_report_and_json_name_the_attainment_design(planted: EmbeddedStore, tmp_path: Path) -> None:
    result, files = analyse_to_folder(planted, tmp_path, improvement="grade", pairs=False)
    md = files["report.md"].read_text(encoding="utf-8")
    assert f"## Attainment change after the inspection (design: {ATTAINMENT_DESIGN})" in md
    payload = json.loads(files["analysis.json"].read_text(encoding="utf-8"))
    att = payload["attainment"]
    assert att["design"] == ATTAINMENT_DESIGN and ATTAINMENT_DESIGN in payload["designs"]
    assert att["windows"] == {"2016/17 -> 2018/19": att["n"]}
    assert all(row["design"] == ATTAINMENT_DESIGN for row in att["practices"] + att["covariates"])
    assert "attainment.csv" in files
    line = attainment_summary(result)  # what `schoolkg analyse` prints under its table
    assert line is not None and line.startswith(f"attainment ({ATTAINMENT_DESIGN}): {att['n']:,} schools")
    assert "at q <= 0.05" in line


def _obs(subject: str, period: str, value: float) -> ObservationRecord:
    return ObservationRecord(f"o-{subject}-{period}", subject, None, M, period, value, "t")


def test_dates_decide_the_window_and_the_latest_usable_report_is_taken() -> None:
    obs = [_obs("s", "2016/17", 50), _obs("s", "2017/18", 55), _obs("s", "2018/19", 61)]
    findings = [("s", "pr/a", "strength", "early"), ("s", "pr/b", "strength", "late"), ("s", "pr/c", "weakness", "too")]
    dates = {"early": "2017-10-02", "late": "2018-05-14", "too": "2019-03-01"}  # "too": no results after it
    ep = build_attainment_episodes(AnalysisData(findings=findings, observations=obs, document_dates=dates))
    assert ep.documents == ["late"] and ep.features == ["b:strength"]
    assert ep.before.tolist() == [50.0] and ep.after.tolist() == [61.0]
    ep0 = build_attainment_episodes(AnalysisData(findings=findings, observations=obs, document_dates=dates), lag=0)
    assert ep0.documents == ["too"] and ep0.windows == {"2017/18 -> 2018/19": 1}
    with pytest.raises(ConfigError, match="lag"):
        build_attainment_episodes(AnalysisData(), lag=-1)


def test_no_results_around_a_report_gives_no_attainment_result() -> None:
    data = AnalysisData(
        findings=[("s", "pr/a", "strength", "d")],
        document_dates={"d": "2012-01-10"},
        observations=[_obs("s", "2016/17", 50), _obs("s", "2018/19", 60)],
    )
    assert analyse_attainment(data) is None
    assert np.size(build_attainment_episodes(data).change) == 0


def test_the_catalogue_query_agrees_with_the_design(planted: EmbeddedStore) -> None:
    from schoolkg.queries.catalogue import get_query
    from schoolkg.store.table import to_table

    table = to_table(planted.query(get_query("practices-before-attainment-change").bound({})))
    rows = {
        f"{r[0].rsplit('/', 1)[-1]}:{r[2].rsplit('#', 1)[-1]}": dict(zip(table.columns, r, strict=True))
        for r in table.rows
    }
    ep = build_attainment_episodes(read_analysis_data(planted))
    assert {r["allReports"] for r in rows.values()} == {len(ep.subjects)}
    assert {r["window"] for r in rows.values()} == {"2016/17 -> 2018/19"}
    exposed = dict(zip(ep.features, np.asarray(ep.matrix.sum(axis=0)).ravel().tolist(), strict=True))
    assert {f: r["reports"] for f, r in rows.items()} == exposed
    for i, points in PLANTED.items():
        assert abs(rows[_feature(i)]["difference"] - points) < 3.0  # unadjusted, so looser than the model
    assert to_table(planted.query(get_query("practices-before-attainment-change").bound({"lag": "2"}))).rows == []


def _across(successions: list[tuple[str, str, str | None]], obs: list[ObservationRecord]) -> list[str]:
    data = AnalysisData(
        findings=[("old", "pr/a", "strength", "d")],
        document_dates={"d": "2017-10-02"},
        observations=obs,
        successions=successions,
    )
    return build_attainment_episodes(data).evidence


def test_results_are_followed_across_a_change_of_urn() -> None:
    before, after = _obs("old", "2016/17", 50), _obs("new", "2018/19", 58)
    (line,) = _across([("old", "new", "2018-04-01")], [before, after])
    assert line.startswith("PTRWM_EXP 50 (2016/17) -> 58 (2018/19)") and "2018/19 from new" in line
    assert _across([("old", "new", None)], [before, after])  # an undated succession counts
    assert _across([], [before, after]) == []  # nothing links the two URNs
    assert _across([("old", "new", "2019-10-01")], [before, after]) == []  # replaced only after that year
    amalgamated = [("old", "new", "2018-04-01"), ("old", "other", "2018-04-01")]
    assert _across(amalgamated, [before, after, _obs("other", "2018/19", 70)]) == []  # whose results? neither
    # the report of the academy, results of the school it replaced before it
    data = AnalysisData(
        findings=[("new", "pr/a", "strength", "d")],
        document_dates={"d": "2017-10-02"},
        observations=[_obs("old", "2016/17", 50), _obs("new", "2018/19", 61)],
        successions=[("old", "new", "2017-04-01")],
    )
    ep = build_attainment_episodes(data)
    assert ep.change.tolist() == [11.0] and "2016/17 from old" in ep.evidence[0]
    assert ep.notes and "1 of 1 school(s) followed across a change of URN" in ep.notes[0]


def test_successions_are_read_from_the_store(tmp_path: Path) -> None:
    skg, school = "https://w3id.org/schoolkg/ontology#", "https://w3id.org/schoolkg/id/school/"
    node = "https://w3id.org/schoolkg/id/succession/1-2"
    g = "<https://w3id.org/schoolkg/graph/t>"
    lines = [
        f"<{node}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{skg}Succession> {g} .",
        f"<{node}> <{skg}fromSchool> <{school}1> {g} .",
        f"<{node}> <{skg}toSchool> <{school}2> {g} .",
        f'<{node}> <http://purl.org/dc/terms/date> "2016-09-01"^^<http://www.w3.org/2001/XMLSchema#date> {g} .',
    ]
    (tmp_path / "g.nq").write_text("\n".join(lines) + "\n", encoding="utf-8")
    install_store(tmp_path / "g.nq", tmp_path / "store")
    data = read_analysis_data(EmbeddedStore(tmp_path / "store"))
    assert data.successions == [(f"{school}1", f"{school}2", "2016-09-01")]
