"""Planted-truth validation of the association statistics, on profiles simulated in memory.

10 planted effects among 150 practices and 20,000 subjects. Tolerance: the mean false discovery
proportion over 8 seeds may exceed the nominal 0.05 by at most 0.05 (its standard error over 8
seeds is about 0.02 when ~10 of 150 hypotheses are true, so 0.10 is ~2.5 standard errors above).
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import fisher_exact

from schoolkg.analysis.adjusted import adjusted_effects
from schoolkg.analysis.association import associate, bh_q, fisher_p, odds_ratio
from schoolkg.errors import ConfigError
from schoolkg.synth.model import simulate

N_SUBJECTS, N_PRACTICES, N_EFFECTS, FDR, TOLERANCE = 20_000, 150, 10, 0.05, 0.05
SEEDS = range(8)
NAMES = [f"p{i:03d}" for i in range(N_PRACTICES)]


def _planted(seed: int) -> dict[int, float]:
    rng = np.random.default_rng(1000 + seed)
    idx = rng.choice(N_PRACTICES, N_EFFECTS, replace=False)
    return dict(zip(idx.tolist(), rng.choice([0.6, 1.5, 1.8, 2.0, 2.5], N_EFFECTS).tolist(), strict=True))


def _score(found: set[str], planted: dict[int, float]) -> tuple[int, float]:
    truth = {NAMES[i] for i in planted}
    return len(found & truth), len(found - truth) / max(1, len(found))


@pytest.mark.parametrize("method", ["marginal", "adjusted"])
def test_planted_effects_found_with_fdr_control(method: str) -> None:
    # marginal 2x2 tests are valid for "is this practice associated" only when practices are
    # independent; the adjusted model must hold its FDR with correlated practices as well
    correlation = 0.0 if method == "marginal" else 0.3
    recalls, fdps = [], []
    for seed in SEEDS:
        planted = _planted(seed)
        s = simulate(N_SUBJECTS, N_PRACTICES, planted, seed=seed, correlation=correlation)
        if method == "marginal":
            r = associate(s.x, s.y, NAMES, fdr=FDR, pairs=False)
            found = set(r.feature[r.discovery])
        else:
            r = adjusted_effects(s.x, s.y, NAMES, fdr=FDR)
            found = set(r.feature[r.adj_discovery])
        recall, fdp = _score(found, planted)
        recalls.append(recall)
        fdps.append(fdp)
    assert min(recalls) >= 9, recalls
    assert np.mean(fdps) <= FDR + TOLERANCE, fdps


def test_marginal_tests_flag_neighbours_of_planted_practices_when_practices_correlate() -> None:
    # the reason the adjusted model exists: with correlated practices most marginal
    # "discoveries" are innocent neighbours of a planted practice
    planted = _planted(0)
    s = simulate(N_SUBJECTS, N_PRACTICES, planted, seed=0, correlation=0.3)
    r = associate(s.x, s.y, NAMES, fdr=FDR, pairs=False)
    _, fdp = _score(set(r.feature[r.discovery]), planted)
    assert fdp > 0.3


@pytest.mark.parametrize("method", ["marginal", "adjusted"])
def test_null_data_gives_few_discoveries(method: str) -> None:
    # under the global null BH controls the family-wise error at FDR: P(any discovery) <= 0.05,
    # so over 10 seeds more than 2 seeds with a discovery would happen with probability < 0.012
    with_any, total = 0, 0
    for seed in range(10):
        s = simulate(N_SUBJECTS // 2, N_PRACTICES, {}, seed=50 + seed, correlation=0.3)
        if method == "marginal":
            found = associate(s.x, s.y, NAMES, fdr=FDR, pairs=False).discovery.sum()
        else:
            found = adjusted_effects(s.x, s.y, NAMES, fdr=FDR).adj_discovery.sum()
        with_any += found > 0
        total += int(found)
    assert with_any <= 2 and total <= 4, (with_any, total)


def test_fisher_matches_scipy() -> None:
    rng = np.random.default_rng(3)
    cells = rng.integers(0, 60, (4, 300))
    cells[:, :10] = 0  # empty rows and columns
    mine = fisher_p(*cells)
    ref = np.array([fisher_exact([[a, b], [c, d]]).pvalue for a, b, c, d in cells.T])
    np.testing.assert_allclose(mine, ref, rtol=1e-9, atol=1e-12)


def test_fisher_on_national_sized_tables_equals_the_formula_cell_by_cell() -> None:
    """Tables of 25,000 schools (pairs of practices): the looked-up gammaln gives the p-values of the
    formula evaluated cell by cell (to the rounding of a sum in another order), and scipy's within 1e-9
    (issue 19)."""
    from scipy.special import gammaln

    rng = np.random.default_rng(5)
    n = 25_000
    exposed = rng.integers(10, 3_000, 40)
    improved = rng.integers(5_000, 12_000, 40)
    a = np.array([rng.hypergeometric(i, n - i, e) for i, e in zip(improved, exposed, strict=True)])
    a[:5] = np.minimum(exposed[:5], improved[:5])  # extreme tables
    cells = a, exposed - a, improved - a, n - exposed - improved + a
    mine = fisher_p(*cells)

    def lchoose(m: np.ndarray, k: np.ndarray) -> np.ndarray:
        return gammaln(m + 1) - gammaln(k + 1) - gammaln(m - k + 1)

    for i in range(40):
        ai, bi, ci, di = (int(v[i]) for v in cells)
        r, c, t = ai + bi, ai + ci, ai + bi + ci + di
        k = np.arange(max(0, r + c - t), min(r, c) + 1)
        lp = lchoose(r, k) + lchoose(t - r, c - k) - lchoose(t, c)
        obs = lchoose(r, ai) + lchoose(t - r, c - ai) - lchoose(t, c)
        expected = min(np.where(lp <= obs + np.log1p(1e-7), np.exp(lp), 0.0).sum(), 1.0)
        assert mine[i] == pytest.approx(expected, rel=1e-13, abs=1e-300), i
        assert mine[i] == pytest.approx(fisher_exact([[ai, bi], [ci, di]]).pvalue, rel=1e-9, abs=1e-300)


def test_hand_checked_odds_ratio() -> None:
    # (10.5 * 40.5) / (20.5 * 30.5) = 425.25 / 625.25; se = sqrt(1/10.5 + 1/20.5 + 1/30.5 + 1/40.5)
    or_, lo, hi = odds_ratio(10, 20, 30, 40)
    assert or_ == pytest.approx(425.25 / 625.25)
    se = np.sqrt(1 / 10.5 + 1 / 20.5 + 1 / 30.5 + 1 / 40.5)
    assert (lo, hi) == pytest.approx((or_ * np.exp(-1.959964 * se), or_ * np.exp(1.959964 * se)))


def test_table_counts_and_pairs() -> None:
    x = np.array([[1, 1], [1, 1], [1, 0], [0, 1], [0, 0], [0, 0]])
    y = np.array([1, 1, 0, 1, 0, 0], dtype=bool)
    r = associate(x, y, ["a", "b"], min_support=1, pairs=True)
    pair = r[r.kind == "pair"].iloc[0]
    assert (pair.improved_exposed, pair.other_exposed, pair.improved_unexposed, pair.other_unexposed) == (2, 0, 1, 3)
    a = r[(r.kind == "practice") & (r.feature == "a")].iloc[0]
    assert (a.improved_exposed, a.other_exposed, a.confidence) == (2, 1, pytest.approx(2 / 3))
    assert a.lift == pytest.approx((2 / 3) / 0.5)


def test_bad_fdr_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="--fdr"):
        associate(np.zeros((3, 1)), np.zeros(3), ["a"], fdr=1.5)


def test_bh_q_and_hypergeometric_tail_equal_scipy_stats() -> None:
    from scipy.stats import false_discovery_control, hypergeom

    from schoolkg.analysis.cooccurrence import hypergeom_sf

    rng = np.random.default_rng(4)
    p = np.round(rng.random(500) ** 3, 4)  # ties
    np.testing.assert_array_equal(bh_q(p), false_discovery_control(p, method="bh"))
    n = 5_000
    a, b = rng.integers(0, n + 1, 400), rng.integers(0, n + 1, 400)
    k = (a * b // n) + rng.integers(-40, 40, 400)
    np.testing.assert_array_equal(hypergeom_sf(k, n, a, b), hypergeom.sf(k, n, a, b))
