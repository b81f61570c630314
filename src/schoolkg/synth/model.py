"""Draw practice profiles with correlated practices and improvement outcomes with planted odds ratios."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.special import expit, logit
from scipy.stats import norm

from schoolkg.errors import ConfigError

__all__ = ["SynthProfiles", "simulate"]


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
