"""Baseline and context (issue 17 item 2): planted truth with regression to the mean and a confounder.

The population of :func:`schoolkg.synth.model.simulate_histories`: improvement depends on the
baseline grade (grade 1 never improves) and on deprivation; 5 practices are driven by
deprivation and 5 by the baseline grade without any effect of their own. Fixed seeds; 8,000
schools and 60 practices (events per variable > 30).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.contingency_tables import StratifiedTable

from schoolkg.analysis.association import associate
from schoolkg.analysis.context import context_effects, mantel_haenszel
from schoolkg.analysis.designs import build_episodes
from schoolkg.analysis.graphs import AnalysisData
from schoolkg.analysis.improvement import OVERALL, ImprovementRecord
from schoolkg.synth.model import SynthHistories, simulate_histories

N, P, FDR = 8_000, 60, 0.05
NAMES = [f"p{i:02d}" for i in range(P)]
PLANTED = {0: 2.0, 1: 0.5, 2: 1.8, 3: 2.5}


def _context(s: SynthHistories) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "baseline": s.baseline,
            "idaci": s.idaci.astype(float),
            "pupils": s.pupils.astype(float),
            "phase": np.where(s.secondary, "Secondary", "Primary"),
            "academy": s.academy,
            "years": s.years,
        }
    )


def _spurious(s: SynthHistories) -> set[str]:
    return {NAMES[i] for i in np.flatnonzero(s.confounded | s.baseline_linked)}


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_null_with_baseline_dependent_improvement_gives_no_adjusted_discoveries(seed: int) -> None:
    s = simulate_histories(N, P, {}, seed=seed)
    practices, _, model = context_effects(s.x, s.y, NAMES, _context(s), fdr=FDR)
    assert model["discoveries_declared"]
    assert int(practices.adj_discovery.sum()) == 0
    # the design matters: the marginal 2x2 tests flag the confounded practices
    marginal = associate(s.x, s.y, NAMES, fdr=FDR, pairs=False)
    assert len(set(marginal.feature[marginal.discovery]) & _spurious(s)) >= 3


@pytest.mark.parametrize("seed", [21, 22])
def test_confounded_run_recovers_true_effects_and_not_the_confounded(seed: int) -> None:
    s = simulate_histories(N, P, PLANTED, seed=seed)
    practices, covariates, _ = context_effects(s.x, s.y, NAMES, _context(s), fdr=FDR)
    found = set(practices.feature[practices.adj_discovery])
    assert {NAMES[i] for i in PLANTED} <= found
    assert not found & _spurious(s)
    est = practices.set_index("feature").adj_odds_ratio
    for i, odds in PLANTED.items():
        assert abs(np.log(est[NAMES[i]]) - np.log(odds)) < 0.35, (NAMES[i], est[NAMES[i]], odds)
    cov = covariates.set_index("covariate").odds_ratio
    assert cov["baseline_4"] > cov["baseline_3"] > 1.0  # regression to the mean, recovered
    assert np.log(cov["idaci"]) == pytest.approx(-0.3, abs=0.12)  # DEPRIVATION_LOGODDS


def test_mantel_haenszel_matches_statsmodels_per_stratum_tables() -> None:
    s = simulate_histories(3_000, 5, {0: 2.0}, seed=5)
    got = mantel_haenszel(s.x, s.y, s.baseline, NAMES[:5])
    x = s.x.toarray().astype(bool)
    tables = []
    for g in (2, 3, 4):
        m = s.baseline == g
        e, yy = x[m, 0], s.y[m]
        tables.append(np.array([[(e & yy).sum(), (e & ~yy).sum()], [(~e & yy).sum(), (~e & ~yy).sum()]], float))
    ref = StratifiedTable(tables)
    assert got.mh_odds_ratio[0] == pytest.approx(ref.oddsratio_pooled, rel=1e-12)
    assert (got.mh_ci_low[0], got.mh_ci_high[0]) == pytest.approx(ref.oddsratio_pooled_confint(), rel=1e-12)


def test_baseline_one_is_left_out_of_the_model() -> None:
    s = simulate_histories(3_000, 10, {}, seed=6)
    _, _, model = context_effects(s.x, s.y, NAMES[:10], _context(s), min_support=5)
    assert model["excluded_baseline_1"] == int((s.baseline == 1).sum()) > 0
    assert "baseline_1" not in model["covariates"]


def test_too_few_events_per_variable_declares_no_adjusted_discovery() -> None:
    s = simulate_histories(300, P, {0: 5.0}, seed=7)
    practices, _, model = context_effects(s.x, s.y, NAMES, _context(s), min_support=5)
    assert not model["discoveries_declared"] and "events per variable" in model["warning"]
    assert not practices.adj_discovery.any()


def _history_data() -> AnalysisData:
    r = ImprovementRecord
    return AnalysisData(
        findings=[
            ("s1", "pr/a", "strength", "d-t"),
            ("s1", "pr/b", "weakness", "d-next"),
            ("s1", "pr/c", "strength", "d-old"),
            ("s2", "pr/a", "strength", "d-undated"),
        ],
        improvements=[
            r("i1", "s1", OVERALL, "2012-01-10", "2015-03-01", "improved", 1.0, 3, 2),
            r("i0", "s1", OVERALL, "2008-05-01", "2012-01-10", "declined", -1.0, 2, 3),
            r("i2", "s2", OVERALL, "2013-01-10", "2016-03-01", "stable", 0.0, 2, 2),
        ],
        document_dates={"d-t": "2012-01-12", "d-next": "2015-02-20", "d-old": "2008-05-01"},
    )


def test_temporal_design_takes_the_report_of_t_for_the_latest_step() -> None:
    ep = build_episodes(_history_data(), "temporal")
    assert ep.subjects == ["s1"] and ep.features == ["a:strength"]
    assert ep.baseline.tolist() == [3] and ep.improved.tolist() == [True]
    days = (dt.date(2015, 3, 1) - dt.date(2012, 1, 10)).days
    assert ep.years[0] == pytest.approx(days / 365.25)
    assert any("without an inspection or issue date" in n for n in ep.notes)


def test_cross_sectional_design_takes_the_report_of_t_plus_1() -> None:
    ep = build_episodes(_history_data(), "cross-sectional")
    assert ep.subjects == ["s1"] and ep.features == ["b:weakness"]
    assert "Not independent" in ep.description


def test_window_is_explicit() -> None:
    ep = build_episodes(_history_data(), "temporal", window_days=1)
    assert ep.subjects == ["s1"] and ep.features == ["c:strength"]  # only the 2008 step has its report on the day
    assert ep.baseline.tolist() == [2]


def test_sparse_newton_fit_equals_statsmodels_logit() -> None:
    import warnings

    import statsmodels.api as sm
    from scipy import sparse

    from schoolkg.analysis.context import logit_newton

    s = simulate_histories(4_000, 30, PLANTED, seed=8)
    covs = _context(s)[["idaci", "pupils", "years"]].to_numpy(dtype=float)
    exog = sparse.hstack([np.ones((len(s.y), 1)), s.x.astype(float), covs], format="csr")
    beta, se = logit_newton(exog, s.y.astype(float))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = sm.Logit(s.y.astype(float), exog.toarray(), check_rank=False).fit(method="newton", maxiter=100, disp=0)
    np.testing.assert_allclose(beta, ref.params, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(se, ref.bse, rtol=1e-9)


def test_sparse_newton_fit_refuses_perfect_separation() -> None:
    from scipy import sparse

    from schoolkg.analysis.context import logit_newton

    x = np.array([0.0, 0, 0, 0, 1, 1, 1, 1])
    exog = sparse.csr_matrix(np.column_stack([np.ones(8), x]))
    with pytest.raises(ArithmeticError):
        logit_newton(exog, x.copy())


def test_mantel_haenszel_equals_statsmodels_for_every_feature_and_empty_rows() -> None:
    s = simulate_histories(2_000, 12, {0: 2.0}, seed=9)
    x = s.x.toarray().astype(bool)
    x[s.baseline == 3, 1] = True  # a stratum without unexposed schools for feature 1
    x[:, 2] = False  # a feature nobody has: no stratum left
    got = mantel_haenszel(x.astype(np.int64), s.y, s.baseline, NAMES[:12])
    for j in range(12):
        tables = []
        for g in np.unique(s.baseline):
            m = s.baseline == g
            if not 0 < s.y[m].sum() < m.sum():
                continue
            e, yy = x[m, j], s.y[m]
            t = np.array([[(e & yy).sum(), (e & ~yy).sum()], [(~e & yy).sum(), (~e & ~yy).sum()]], float)
            if t[0].sum() > 0 and t[1].sum() > 0:
                tables.append(t)
        if not tables:
            assert np.isnan(got.mh_odds_ratio[j]) and np.isnan(got.mh_p[j])
            continue
        ref = StratifiedTable(tables)
        assert got.mh_odds_ratio[j] == ref.oddsratio_pooled
        assert (got.mh_ci_low[j], got.mh_ci_high[j]) == tuple(ref.oddsratio_pooled_confint())
        assert got.mh_p[j] == ref.test_null_odds().pvalue
