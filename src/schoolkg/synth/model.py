"""Draw practice profiles with correlated practices and improvement outcomes with planted odds ratios."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.special import expit, logit
from scipy.stats import norm

from schoolkg.errors import ConfigError, InputError

__all__ = [
    "odds_ratio_of",
    "BASELINE_LOGODDS",
    "DEPRIVATION_LOGODDS",
    "SynthHistories",
    "SynthProfiles",
    "simulate",
    "simulate_histories",
    "simulate_ks2",
    "points_of",
    "KS2_YEARS",
]


@dataclass(frozen=True)
class SynthProfiles:
    """A simulated population: who has which practice, who improved, and the planted truth.

    Attributes
    ----------
    x : scipy.sparse.csr_matrix of int8, shape (subjects, practices)
    y : numpy.ndarray of bool, shape (subjects,)
    odds_ratios : numpy.ndarray of float, shape (practices,)
        The planted odds ratio of each practice (1.0 = no effect).
    groups : numpy.ndarray of int, shape (practices,)
        The theme each practice belongs to (practices of a theme are correlated).
    prevalence : numpy.ndarray of float, shape (practices,)
    """

    x: sparse.csr_matrix
    y: np.ndarray
    odds_ratios: np.ndarray
    groups: np.ndarray
    prevalence: np.ndarray

    @property
    def planted(self) -> np.ndarray:
        """Boolean mask of the practices with a planted effect."""
        return self.odds_ratios != 1.0


def simulate(
    n_subjects: int,
    n_practices: int,
    effects: Mapping[int, float],
    *,
    seed: int,
    correlation: float = 0.3,
    n_groups: int = 9,
    prevalence: tuple[float, float] = (0.05, 0.3),
    base_rate: float = 0.35,
) -> SynthProfiles:
    """Simulate practice profiles and improvement for ``n_subjects`` subjects.

    Each practice belongs to one of ``n_groups`` themes; a subject's practices are a latent
    Gaussian threshold model: practice j is present when
    ``sqrt(rho) * z_theme + sqrt(1 - rho) * e_j > Phi^-1(1 - prevalence_j)``, so practices of a
    theme co-occur (tetrachoric correlation ``rho``) and practices of different themes do not.
    Improvement is Bernoulli with ``logit P = b0 + sum_j log(OR_j) x_j``; ``b0`` is set so a
    subject with no effective practice improves with probability ``base_rate``.

    Parameters
    ----------
    effects : mapping of practice index to odds ratio
        The planted effects; every other practice has odds ratio 1.

    Examples
    --------
    >>> s = simulate(2000, 20, {3: 3.0}, seed=1)
    >>> s.x.shape, int(s.planted.sum()), round(float(s.y.mean()), 2)
    ((2000, 20), 1, 0.4)
    """
    if n_subjects < 1 or n_practices < 1:
        raise ConfigError("need at least one subject and one practice")
    if not 0 <= correlation < 1:
        raise ConfigError(f"correlation must be in [0, 1), not {correlation}")
    bad = [k for k, v in effects.items() if not 0 <= k < n_practices or v <= 0]
    if bad:
        raise ConfigError(f"effects for unknown practices or with odds ratio <= 0: {bad}")
    rng = np.random.default_rng(seed)
    groups = rng.integers(0, n_groups, n_practices)
    prev = rng.uniform(*prevalence, n_practices)
    z = rng.standard_normal((n_subjects, n_groups), dtype=np.float32)
    e = rng.standard_normal((n_subjects, n_practices), dtype=np.float32)
    latent = np.sqrt(correlation) * z[:, groups] + np.sqrt(1 - correlation) * e
    present = latent > norm.ppf(1 - prev).astype(np.float32)
    ors = np.ones(n_practices)
    for k, v in effects.items():
        ors[k] = v
    eta = logit(base_rate) + present @ np.log(ors)
    y = rng.random(n_subjects) < expit(eta)
    return SynthProfiles(sparse.csr_matrix(present, dtype=np.int8), y, ors, groups, prev)


@dataclass(frozen=True)
class SynthHistories(SynthProfiles):
    """A simulated population with dated inspection histories, context and a planted truth.

    Each school has an inspection *t* (grade ``baseline``) whose report names the practices
    ``x``, and a next inspection *t+1* (grade ``after``, ``years`` later) whose report names
    ``x_next``. ``y`` is True when the grade improved from *t* to *t+1*. Improvement depends on
    the baseline grade (regression to the mean: a grade 1 school cannot improve, a grade 4 one
    usually does), on deprivation (``idaci`` quintile, 5 = most deprived) and on the planted
    practice effects only. Practices in ``confounded`` are driven by deprivation, practices in
    ``baseline_linked`` by the baseline grade, and neither has an effect of its own unless
    planted: their marginal association with improvement is confounding.

    Attributes (besides :class:`SynthProfiles`')
    --------------------------------------------
    x_next : scipy.sparse.csr_matrix of int8 -- practices named in the report of inspection t+1
    baseline, after : numpy.ndarray of int -- grades 1 (outstanding) to 4 (inadequate) at t and t+1
    idaci : numpy.ndarray of int -- deprivation quintile 1 (least) to 5 (most deprived)
    secondary, academy : numpy.ndarray of bool -- phase and academy status
    pupils : numpy.ndarray of int -- pupils on roll
    years : numpy.ndarray of float -- years between inspection t and t+1
    confounded, baseline_linked : numpy.ndarray of bool, shape (practices,)
    """

    x_next: sparse.csr_matrix = field(default_factory=lambda: sparse.csr_matrix((0, 0), dtype=np.int8))
    baseline: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    after: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    idaci: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    secondary: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    academy: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    pupils: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    years: np.ndarray = field(default_factory=lambda: np.zeros(0))
    confounded: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    baseline_linked: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))


# log-odds of improving by baseline grade (regression to the mean); grade 1 cannot improve
BASELINE_LOGODDS = {2: -1.2, 3: 0.4, 4: 1.4}
DEPRIVATION_LOGODDS = -0.3  # per IDACI quintile above the middle: deprived schools improve less


def simulate_histories(
    n_subjects: int,
    n_practices: int,
    effects: Mapping[int, float],
    *,
    seed: int,
    correlation: float = 0.3,
    n_groups: int = 9,
    prevalence: tuple[float, float] = (0.05, 0.3),
    n_confounded: int = 5,
    n_baseline_linked: int = 5,
    confounding: float = 0.5,
    persistence: float = 0.6,
) -> SynthHistories:
    """Simulate two dated inspections per school with baseline-dependent improvement and a confounder.

    Deprivation (IDACI quintile, uniform) worsens the baseline grade and lowers the odds of
    improving (``DEPRIVATION_LOGODDS`` per quintile); the baseline grade sets the odds of
    improving (``BASELINE_LOGODDS``; grade 1 never improves) and how soon the school is
    inspected again. ``n_confounded`` practices without a planted effect are more common in
    less deprived schools (latent shift ``-confounding`` per quintile) and ``n_baseline_linked``
    ones more common in weaker schools (``+confounding`` per grade): both are associated with
    improvement without causing it. Improvement is Bernoulli with
    ``logit P = BASELINE_LOGODDS[g] + DEPRIVATION_LOGODDS * (idaci - 3) + sum log(OR_j) x_j``.
    The report at *t+1* keeps each practice of *t* with probability ``persistence`` and draws
    the rest afresh with the new grade.

    Examples
    --------
    >>> s = simulate_histories(4000, 30, {0: 3.0}, seed=1)
    >>> s.x.shape, int(s.confounded.sum()), bool(s.y[s.baseline == 1].any())
    ((4000, 30), 5, False)
    >>> bool(s.y[s.baseline == 4].mean() > s.y[s.baseline == 2].mean())
    True
    """
    if n_subjects < 1 or n_practices < 1:
        raise ConfigError("need at least one subject and one practice")
    if not 0 <= correlation < 1:
        raise ConfigError(f"correlation must be in [0, 1), not {correlation}")
    bad = [k for k, v in effects.items() if not 0 <= k < n_practices or v <= 0]
    if bad:
        raise ConfigError(f"effects for unknown practices or with odds ratio <= 0: {bad}")
    rng = np.random.default_rng(seed)
    groups = rng.integers(0, n_groups, n_practices)
    prev = rng.uniform(*prevalence, n_practices)
    free = rng.permutation([j for j in range(n_practices) if j not in effects])
    confounded = np.zeros(n_practices, dtype=bool)
    linked = np.zeros(n_practices, dtype=bool)
    confounded[free[:n_confounded]] = True
    linked[free[n_confounded : n_confounded + n_baseline_linked]] = True
    idaci = rng.integers(1, 6, n_subjects)
    latent_grade = 0.35 * (idaci - 3) + rng.standard_normal(n_subjects)
    baseline = 1 + np.searchsorted(np.array([-1.0, 0.55, 1.4]), latent_grade)
    secondary = rng.random(n_subjects) < 0.2
    academy = rng.random(n_subjects) < np.where(secondary, 0.6, 0.3)
    pupils = np.round(np.exp(np.where(secondary, np.log(1000), np.log(260)) + 0.35 * rng.standard_normal(n_subjects)))
    gap_mean = np.array([0.0, 5.0, 3.5, 2.5, 1.5])[baseline]
    years = np.clip(gap_mean + 0.5 * rng.standard_normal(n_subjects), 0.8, 8.0).round(2)
    threshold = norm.ppf(1 - prev)

    def draw(grade: np.ndarray) -> np.ndarray:
        z = rng.standard_normal((n_subjects, n_groups))
        e = rng.standard_normal((n_subjects, n_practices))
        latent = np.sqrt(correlation) * z[:, groups] + np.sqrt(1 - correlation) * e
        latent[:, confounded] -= confounding * (idaci - 3)[:, None]
        latent[:, linked] += confounding * (grade - 2.3)[:, None]
        return latent > threshold

    present = draw(baseline)
    ors = np.ones(n_practices)
    for k, v in effects.items():
        ors[k] = v
    base = np.array([-np.inf, -np.inf, *[BASELINE_LOGODDS[g] for g in (2, 3, 4)]])[baseline]
    eta = base + DEPRIVATION_LOGODDS * (idaci - 3) + present @ np.log(ors)
    y = rng.random(n_subjects) < expit(eta)
    declines = (~y) & (rng.random(n_subjects) < 0.25)
    after = np.where(y, baseline - 1, np.minimum(4, baseline + declines))
    fresh = draw(after)
    keep = rng.random((n_subjects, n_practices)) < persistence
    present_next = np.where(keep, present, fresh)
    return SynthHistories(
        sparse.csr_matrix(present, dtype=np.int8),
        y,
        ors,
        groups,
        prev,
        x_next=sparse.csr_matrix(present_next, dtype=np.int8),
        baseline=baseline.astype(np.int64),
        after=after.astype(np.int64),
        idaci=idaci.astype(np.int64),
        secondary=secondary,
        academy=academy,
        pupils=pupils.astype(np.int64),
        years=years,
        confounded=confounded,
        baseline_linked=linked,
    )


def odds_ratio_of(row: Mapping[str, str]) -> float:
    """The ``odds_ratio`` of one row of an effects file: a positive number, else a one-line error.

    >>> odds_ratio_of({"odds_ratio": "2.5"})
    2.5
    """
    try:
        value = float(row["odds_ratio"])
    except ValueError:
        raise InputError(f"not a number: {row['odds_ratio']!r}", field="odds_ratio") from None
    if value <= 0:
        raise InputError("an odds ratio must be positive", field="odds_ratio")
    return value


KS2_YEARS = ("2016/17", "2017/18", "2018/19")
"""The results years :func:`simulate_ks2` writes (those of the shared KS2 tables)."""


def simulate_ks2(hist: SynthHistories, effects: Mapping[int, float], *, seed: int) -> np.ndarray:
    """KS2 per cent meeting the expected standard (RWM) in :data:`KS2_YEARS`, one row per school.

    Inspection *t* falls in 2017/18. A school has a lasting level
    ``65 - 4 (idaci - 3) - 6 (grade_t - 2) + 8 u`` and each cohort adds noise (sd 6), so a school
    above its level in 2016/17 tends to fall back (regression to the mean). In 2018/19, after *t*,
    the level moves by ``-1.5 (idaci - 3)`` (deprivation confounds any practice more common in less
    deprived schools) plus ``effects[j]`` points for each practice *j* named in the report of *t*.
    Values are whole per cents in 0-100; secondary schools have no KS2 results (NaN).

    >>> h = simulate_histories(3000, 10, {}, seed=1)
    >>> v = simulate_ks2(h, {0: 8.0}, seed=1)
    >>> v.shape, bool(np.isnan(v[h.secondary]).all())
    ((3000, 3), True)
    >>> x0 = h.x.toarray()[:, 0].astype(bool) & ~h.secondary
    >>> bool((v[x0, 2] - v[x0, 0]).mean() - (v[~x0 & ~h.secondary, 2] - v[~x0 & ~h.secondary, 0]).mean() > 5)
    True
    """
    bad = [k for k in effects if not 0 <= k < hist.x.shape[1]]
    if bad:
        raise ConfigError(f"KS2 effects for unknown practices: {bad}")
    rng = np.random.default_rng(seed + 104729)
    n = hist.x.shape[0]
    dev = (hist.idaci - 3).astype(float)
    level = 65 - 4 * dev - 6 * (hist.baseline - 2) + 8 * rng.standard_normal(n)
    points = np.zeros(hist.x.shape[1])
    for k, v in effects.items():
        points[k] = v
    shift = -1.5 * dev + hist.x.toarray() @ points
    out = np.column_stack(
        [
            level + 6 * rng.standard_normal(n),
            level + 6 * rng.standard_normal(n),
            level + shift + 6 * rng.standard_normal(n),
        ]
    )
    out = np.clip(np.round(out), 0, 100)
    out[hist.secondary] = np.nan
    return out


def points_of(row: Mapping[str, str]) -> float:
    """The ``points`` of one row of a KS2 effects file (a change in percentage points), else a one-line error.

    >>> points_of({"points": "-4"})
    -4.0
    """
    try:
        value = float(row["points"])
    except ValueError:
        raise InputError(f"not a number: {row['points']!r}", field="points") from None
    if not np.isfinite(value) or abs(value) > 50:
        raise InputError("a KS2 effect must be a finite change of at most 50 percentage points", field="points")
    return value
