"""Adjusted odds ratios: one logistic regression of improvement on all practices at once.

Practices co-occur (a school with strong leadership often also tracks pupils well), so a
practice that does nothing can look associated with improvement because its neighbours do.
The marginal 2x2 tables of :mod:`schoolkg.analysis.association` cannot tell these apart; this
model estimates each practice's odds ratio holding the others fixed (Newton-Raphson on the
log-likelihood with a tiny ridge for stability, Wald intervals and tests, Benjamini-Hochberg q).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.special import expit, ndtr

from schoolkg.analysis.association import Z95, bh_q
from schoolkg.errors import ConfigError

__all__ = ["ADJUSTED_COLUMNS", "adjusted_effects", "fit_logistic"]

ADJUSTED_COLUMNS = [
    "feature",
    "exposed",
    "adj_odds_ratio",
    "adj_ci_low",
    "adj_ci_high",
    "adj_p",
    "adj_q",
    "adj_discovery",
]


def fit_logistic(
    x: np.ndarray, y: np.ndarray, *, ridge: float = 1e-6, max_iter: int = 50, tol: float = 1e-8
) -> tuple[np.ndarray, np.ndarray, bool]:
    """Fit ``logit P(y) = b0 + x @ b`` by Newton-Raphson; return coefficients, standard errors, converged.

    The intercept is the first coefficient. Standard errors come from the inverse of the
    observed information at the optimum.

    Examples
    --------
    >>> x = np.array([[0.0], [0.0], [0.0], [0.0], [1.0], [1.0], [1.0], [1.0]])
    >>> y = np.array([0, 0, 0, 1, 1, 1, 1, 0])
    >>> beta, se, ok = fit_logistic(x, y)
    >>> round(float(np.exp(beta[1])), 3), round(float(se[1]), 3), ok
    (9.0, 1.633, True)
    """
    design = np.hstack([np.ones((len(y), 1)), np.asarray(x, dtype=float)])
    y = np.asarray(y, dtype=float)
    beta = np.zeros(design.shape[1])
    penalty = ridge * np.eye(design.shape[1])
    penalty[0, 0] = 0.0
    converged = False
    for _ in range(max_iter):
        mu = expit(design @ beta)
        w = mu * (1 - mu)
        info = (design * w[:, None]).T @ design + penalty
        grad = design.T @ (y - mu) - penalty @ beta
        step = np.linalg.solve(info, grad)
        beta += step
        if np.max(np.abs(step)) < tol:
            converged = True
            break
    mu = expit(design @ beta)
    info = (design * (mu * (1 - mu))[:, None]).T @ design + penalty
    se = np.sqrt(np.diag(np.linalg.inv(info)))
    return beta, se, converged


def adjusted_effects(
    x: sparse.spmatrix | np.ndarray,
    y: np.ndarray,
    features: Sequence[str],
    *,
    min_support: int = 10,
    fdr: float = 0.05,
) -> pd.DataFrame:
    """Odds ratio of each feature adjusted for all the others, with 95% Wald interval, p and BH q.

    Features held by fewer than ``min_support`` subjects (or lacked by fewer) are left out of
    the model. Raises ConfigError when there are too few subjects to fit one.
    """
    x = sparse.csc_matrix(x)
    y = np.asarray(y, dtype=bool)
    n = len(y)
    exposed = np.asarray((x != 0).sum(axis=0)).ravel()
    keep = np.flatnonzero((exposed >= min_support) & (n - exposed >= min_support))
    if len(keep) == 0 or n <= len(keep) + 1 or y.all() or not y.any():
        raise ConfigError(f"too few subjects ({n}) or outcomes to fit an adjusted model on {len(keep)} practices")
    beta, se, converged = fit_logistic((x[:, keep] != 0).toarray().astype(float), y)
    b, s = beta[1:], se[1:]
    p = 2 * ndtr(-np.abs(b / s))  # = scipy.stats.norm.sf
    q = bh_q(p)
    return pd.DataFrame(
        {
            "feature": [features[int(i)] for i in keep],
            "exposed": exposed[keep],
            "adj_odds_ratio": _exp(b),
            "adj_ci_low": _exp(b - Z95 * s),
            "adj_ci_high": _exp(b + Z95 * s),
            "adj_p": p,
            "adj_q": q,
            "adj_discovery": (q <= fdr) & converged,
        }
    )[ADJUSTED_COLUMNS]


def _exp(v: np.ndarray) -> np.ndarray:
    """exp without overflow warnings (a separated practice gives a huge standard error)."""
    return np.exp(np.clip(v, -700, 700))
