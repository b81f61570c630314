"""Baseline and context: Mantel-Haenszel odds ratios within baseline grades, and a logistic model
of improvement on the practices together with baseline grade, deprivation, phase, size, academy
status and the years between inspections.

Why these tools. Improvement from a grade is mostly regression to the mean (a grade 1 school
cannot improve, a grade 4 one usually does), and weaker or more deprived schools are reported
with different practices, so a marginal 2x2 table confounds a practice with its school's starting
point. The Mantel-Haenszel odds ratio (``statsmodels.stats.contingency_tables.StratifiedTable``,
Robins-Breslow-Greenland interval) compares schools with and without a practice *within* each
baseline grade. The model (``statsmodels`` ``Logit``, Newton, Wald intervals; no adjusted discovery is declared
below :data:`MIN_EVENTS_PER_VARIABLE`) also holds
deprivation and the other covariates and practices fixed; its practice p-values get
Benjamini-Hochberg q-values (covariates are not hypotheses and are left out of the family).
When the maximum-likelihood fit fails or separates (a practice seen only in schools that all
improved: infinite estimate), the same model is refitted with a small ridge penalty
(:func:`schoolkg.analysis.adjusted.fit_logistic`), which keeps separated estimates finite with
wide intervals; the model record says which fit was used. Firth's penalty would be the textbook
choice there but no maintained Python implementation is available.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.special import chdtr, ndtr, ndtri

from schoolkg.analysis.adjusted import ADJUSTED_COLUMNS, fit_logistic
from schoolkg.analysis.association import Z95, bh_q
from schoolkg.errors import ConfigError

__all__ = ["CONTEXT_COLUMNS", "COVARIATE_COLUMNS", "context_design", "context_effects", "mantel_haenszel"]

CONTEXT_COLUMNS = [*ADJUSTED_COLUMNS, "mh_odds_ratio", "mh_ci_low", "mh_ci_high", "mh_p"]
COVARIATE_COLUMNS = ["covariate", "description", "odds_ratio", "ci_low", "ci_high", "p"]
REFERENCE_GRADE = 2
MIN_EVENTS_PER_VARIABLE = 10
"""Fewest outcomes of the rarer kind per model parameter before adjusted discoveries are declared
(the usual rule of thumb: below it maximum-likelihood logistic estimates are biased away from 1
and Wald intervals too narrow)."""


def mantel_haenszel(
    x: sparse.spmatrix | np.ndarray, y: np.ndarray, strata: np.ndarray, features: Sequence[str]
) -> pd.DataFrame:
    """Mantel-Haenszel odds ratio of each feature across ``strata`` (e.g. baseline grades), 95% CI and p.

    Strata where every subject improved or none did carry no information and are dropped; a
    feature with no informative stratum gets NaN. The p-value is the Mantel-Haenszel test of a
    common odds ratio of 1.

    Examples
    --------
    >>> x = np.array([[1], [1], [0], [0], [1], [0], [1], [0]])
    >>> y = np.array([1, 0, 0, 0, 1, 1, 0, 0], dtype=bool)
    >>> r = mantel_haenszel(x, y, np.array([2, 2, 2, 2, 3, 3, 3, 3]), ["a"])
    >>> round(float(r.mh_odds_ratio[0]), 3)  # (1*2/4 + 1*1/4) / (0 + 1*1/4)
    3.0
    """
    x = sparse.csc_matrix(x, dtype=np.int64)
    y = np.asarray(y, dtype=bool)
    strata = np.asarray(strata)
    levels = [s for s in np.unique(strata) if 0 < y[strata == s].sum() < (strata == s).sum()]
    k = x.shape[1]
    cells = np.zeros((4, len(levels), k))  # a, b, c, d of each stratum's table, per feature
    for i, s in enumerate(levels):
        m = strata == s
        exposed = np.asarray(x[m].sum(axis=0)).ravel()
        a = np.asarray(x[m].T @ y[m].astype(np.int64)).ravel()
        n, n_y = int(m.sum()), int(y[m].sum())
        cells[:, i] = a, exposed - a, n_y - a, n - exposed - (n_y - a)
    est, lo, hi, p = _pooled(*cells)
    return pd.DataFrame({"feature": list(features), "mh_odds_ratio": est, "mh_ci_low": lo, "mh_ci_high": hi, "mh_p": p})


def _pooled(a: np.ndarray, b: np.ndarray, c: np.ndarray, d: np.ndarray) -> tuple[np.ndarray, ...]:
    """Mantel-Haenszel pooled odds ratio, its Robins-Breslow-Greenland 95% interval and the
    Mantel-Haenszel test of a common odds ratio of 1 (no continuity correction), for each column
    of the strata x features cells: ``statsmodels`` ``StratifiedTable`` (``oddsratio_pooled``,
    ``oddsratio_pooled_confint``, ``test_null_odds``) vectorised over features, term for term.
    A stratum whose exposed or unexposed row is empty is left out of that feature's sums; a
    feature with no stratum left gets NaN everywhere."""
    apb, apc, bpd, cpd = a + b, a + c, b + d, c + d
    use = (apb > 0) & (cpd > 0)
    n = np.where(use, a + b + c + d, 1.0)
    ad, bc, apd = a * d, b * c, a + d
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        adns = np.sum(np.where(use, ad / n, 0.0), axis=0)
        bcns = np.sum(np.where(use, bc / n, 0.0), axis=0)
        est = adns / bcns
        var = np.sum(np.where(use, apd * ad / n**2, 0.0), axis=0) / adns**2
        mid = np.sum(np.where(use, apd * bc / n**2 + (1 - apd / n) * ad / n, 0.0), axis=0)
        var = var + mid / (adns * bcns)
        var = var + np.sum(np.where(use, (1 - apd / n) * bc / n, 0.0), axis=0) / bcns**2
        se = np.sqrt(var / 2)
        log_or = np.log(est)
        interval = np.isfinite(est) & (est > 0)
        z = -ndtri(0.025)  # as statsmodels computes it (one ulp from Z95)
        lo = np.where(interval, np.exp(log_or - z * se), np.nan)
        hi = np.where(interval, np.exp(log_or + z * se), np.nan)
        stat = np.abs(np.sum(np.where(use, a - apb * apc / n, 0.0), axis=0)) ** 2
        denom = np.sum(np.where(use, apb * apc * bpd * cpd / (n**2 * (n - 1)), 0.0), axis=0)
        p = 1 - chdtr(1, stat / denom)
    none = ~use.any(axis=0)
    est, p = np.where(none, np.nan, est), np.where(none, np.nan, p)
    return est, np.where(none, np.nan, lo), np.where(none, np.nan, hi), p


def context_design(context: pd.DataFrame) -> tuple[np.ndarray, list[tuple[str, str]]]:
    """Numeric covariate columns from a per-subject context frame, with a name and description each.

    ``context`` has the columns ``baseline`` (grade 1-4), ``idaci`` (quintile, NaN unknown),
    ``pupils`` (NaN unknown), ``phase`` (str or None), ``academy`` (bool or None), ``years``.
    Baseline grade enters as indicators against grade 2; deprivation as the quintile (linear,
    centred at 3); size as log pupils (centred); phase as secondary / other against primary;
    unknown values as their own indicator (the value itself set to the centre). A column that
    does not vary is left out.

    >>> ctx = pd.DataFrame({"baseline": [2, 3, 4, 3], "idaci": [1, 5, np.nan, 3], "pupils": [200, 900, 300, np.nan],
    ...                     "phase": ["Primary", "Secondary", "Primary", None], "academy": [True, False, None, False],
    ...                     "years": [3.0, 2.5, 1.5, 2.0]})
    >>> [name for name, _ in context_design(ctx)[1]]  # doctest: +NORMALIZE_WHITESPACE
    ['baseline_3', 'baseline_4', 'idaci', 'idaci_unknown', 'log_pupils', 'pupils_unknown', 'secondary',
     'phase_unknown', 'academy', 'academy_unknown', 'years_between']
    """
    cols: list[np.ndarray] = []
    names: list[tuple[str, str]] = []

    def add(name: str, desc: str, values: Any) -> None:
        v = np.asarray(values, dtype=float)
        if len(v) and np.nanstd(v) > 0:
            cols.append(v)
            names.append((name, desc))

    base = context["baseline"].to_numpy()
    for g in (1, 3, 4):
        add(f"baseline_{g}", f"baseline grade {g} (vs grade {REFERENCE_GRADE})", base == g)
    idaci = context["idaci"].to_numpy(dtype=float)
    add(
        "idaci", "IDACI deprivation quintile (per quintile, 5 = most deprived)", np.where(np.isnan(idaci), 0, idaci - 3)
    )
    add("idaci_unknown", "deprivation not given", np.isnan(idaci))
    pupils = context["pupils"].to_numpy(dtype=float)
    logp = np.log(np.where(pupils > 0, pupils, np.nan))
    centre = np.nanmedian(logp) if np.isfinite(logp).any() else 0.0
    add("log_pupils", "pupils on roll (log, per e-fold)", np.where(np.isnan(logp), 0, logp - centre))
    add("pupils_unknown", "pupils on roll not given", np.isnan(logp))
    phase = context["phase"].astype("string").str.lower()
    known = phase.notna().to_numpy()
    add("secondary", "secondary phase (vs primary)", (phase.str.contains("secondary", na=False)).to_numpy())
    other = known & ~phase.str.contains("primary|secondary", na=False).to_numpy()
    add("phase_other", "another phase (special, nursery, all-through; vs primary)", other)
    add("phase_unknown", "phase not given", ~known)
    academy = context["academy"]
    add("academy", "academy or free school", academy.fillna(False).astype(bool).to_numpy())
    add("academy_unknown", "establishment type not given", academy.isna().to_numpy())
    years = context["years"].to_numpy(dtype=float)
    add("years_between", "years between inspection t and t+1", np.where(np.isnan(years), np.nanmean(years), years))
    matrix = np.column_stack(cols) if cols else np.zeros((len(context), 0))
    return matrix, names


def context_effects(
    x: sparse.spmatrix | np.ndarray,
    y: np.ndarray,
    features: Sequence[str],
    context: pd.DataFrame,
    *,
    min_support: int = 10,
    fdr: float = 0.05,
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Any]]:
    """Adjusted odds ratios of practices given baseline and context; MH odds ratios within baseline grades.

    Subjects whose baseline grade is 1 cannot improve and are left out. Returns the practice
    table (:data:`CONTEXT_COLUMNS`, BH q over the practices), the covariate table
    (:data:`COVARIATE_COLUMNS`) and a description of the fitted model. Raises ConfigError when
    there are too few subjects or outcomes to fit a model.
    """
    x = sparse.csr_matrix(x, dtype=np.int8)
    y = np.asarray(y, dtype=bool)
    base = context["baseline"].to_numpy()
    rows = np.flatnonzero(base != 1)
    x, y, context = x[rows], y[rows], context.iloc[rows].reset_index(drop=True)
    n = len(y)
    exposed = np.asarray((x != 0).sum(axis=0)).ravel()
    keep = np.flatnonzero((exposed >= min_support) & (n - exposed >= min_support))
    covs, cov_names = context_design(context)
    if len(keep) == 0 or n <= len(keep) + covs.shape[1] + 1 or y.all() or not y.any():
        raise ConfigError(
            f"too few subjects ({n} with a baseline grade of 2-4) or outcomes to fit a model on {len(keep)} "
            f"practices and {covs.shape[1]} covariates"
        )
    practices_x = (x[:, keep] != 0).astype(float)
    beta, se, method, converged = _fit(practices_x, covs, y)
    n_params = practices_x.shape[1] + covs.shape[1]
    epv = min(int(y.sum()), int(n - y.sum())) / n_params
    trusted = converged and epv >= MIN_EVENTS_PER_VARIABLE
    b, s = beta[1:], se[1:]
    with np.errstate(over="ignore", invalid="ignore"):
        p = 2 * ndtr(-np.abs(b / s))  # = scipy.stats.norm.sf, without importing scipy.stats
    p = np.where(np.isfinite(p), p, 1.0)
    k = len(keep)
    q = bh_q(p[:k])
    names = [features[int(i)] for i in keep]
    practices = pd.DataFrame(
        {
            "feature": names,
            "exposed": exposed[keep],
            "adj_odds_ratio": _exp(b[:k]),
            "adj_ci_low": _exp(b[:k] - Z95 * s[:k]),
            "adj_ci_high": _exp(b[:k] + Z95 * s[:k]),
            "adj_p": p[:k],
            "adj_q": q,
            "adj_discovery": (q <= fdr) & trusted,
        }
    )
    mh = mantel_haenszel(x[:, keep], y, context["baseline"].to_numpy(), names)
    practices = practices.merge(mh, on="feature", how="left")[CONTEXT_COLUMNS]
    covariates = pd.DataFrame(
        {
            "covariate": [c for c, _ in cov_names],
            "description": [d for _, d in cov_names],
            "odds_ratio": _exp(b[k:]),
            "ci_low": _exp(b[k:] - Z95 * s[k:]),
            "ci_high": _exp(b[k:] + Z95 * s[k:]),
            "p": p[k:],
        }
    )[COVARIATE_COLUMNS]
    model = {
        "kind": "logistic regression of improved (t -> t+1) on practices and context",
        "fit": method,
        "converged": bool(converged),
        "n": int(n),
        "improved": int(y.sum()),
        "excluded_baseline_1": int(len(base) - n),
        "practices": int(k),
        "covariates": [c for c, _ in cov_names],
        "reference": f"baseline grade {REFERENCE_GRADE}, primary, not an academy",
        "multiple_testing": f"Benjamini-Hochberg over the {k} practice coefficients at FDR {fdr}",
        "intervals": "95% Wald",
        "events_per_variable": round(epv, 2),
        "discoveries_declared": bool(trusted),
    }
    if not trusted:
        model["warning"] = (
            f"{epv:.1f} events per variable (fewer than {MIN_EVENTS_PER_VARIABLE}) or no convergence: the adjusted "
            "estimates are unstable and no adjusted discovery is declared"
        )
    return practices.sort_values(["adj_q", "adj_p"], kind="stable").reset_index(drop=True), covariates, model


ML_FIT = "maximum likelihood (Newton-Raphson, as statsmodels Logit's newton)"
RIDGE_FIT = "ridge-penalised maximum likelihood (lambda 0.01; the ML fit failed or separated)"


def _fit(practices: sparse.spmatrix, covs: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, str, bool]:
    """Maximum likelihood (:func:`logit_newton`); the ridge-penalised fit when it fails or separates."""
    exog = sparse.hstack([np.ones((len(y), 1)), practices, covs], format="csr")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            beta, se = logit_newton(exog, y.astype(float))
        if np.all(np.isfinite(se)) and np.max(np.abs(beta)) < 15:
            return beta, se, ML_FIT, True
    except Exception:  # noqa: BLE001 - any failure of the ML fit (separation, singular matrix) -> ridge
        pass
    design = np.hstack([practices.toarray(), covs])
    beta, se, converged = fit_logistic(design, y, ridge=1e-2)
    return beta, se, RIDGE_FIT, converged


def logit_newton(
    exog: sparse.spmatrix, y: np.ndarray, *, maxiter: int = 100, tol: float = 1e-8
) -> tuple[np.ndarray, np.ndarray]:
    """Logistic regression by Newton-Raphson, step for step as ``statsmodels`` ``Logit(y, exog).fit(
    method="newton", maxiter=100)`` (start at 0; Hessian of the mean log-likelihood plus 1e-10 on
    its diagonal; stop when no coefficient moves more than ``tol``; standard errors from the
    inverse Hessian at the optimum), on a sparse design: the practice columns are 0/1 and sparse,
    so ``X'WX`` costs the nonzeros, not rows x columns squared (issue 19). Returns coefficients and
    standard errors. Raises ArithmeticError where statsmodels warns: no convergence in ``maxiter``
    steps, or perfect prediction; numpy's overflow and log-of-zero warnings are left to the
    caller's warning filter (as statsmodels leaves them), and a singular Hessian raises LinAlgError.

    >>> exog = sparse.csr_matrix(np.array([[1.0, 0], [1, 0], [1, 0], [1, 0], [1, 1], [1, 1], [1, 1], [1, 1]]))
    >>> beta, se = logit_newton(exog, np.array([0.0, 0, 0, 1, 1, 1, 1, 0]))
    >>> round(float(np.exp(beta[1])), 3), round(float(se[1]), 3)
    (9.0, 1.633)
    """
    exog = sparse.csr_matrix(exog, dtype=float)
    exog_t = exog.T.tocsr()
    nobs, k = exog.shape

    def cdf(v: np.ndarray) -> np.ndarray:
        return 1 / (1 + np.exp(-v))

    def hess(params: np.ndarray) -> np.ndarray:  # minus the Hessian of the mean log-likelihood
        mu = cdf(exog @ params)
        return np.asarray((exog_t @ exog.multiply((mu * (1 - mu))[:, None])).todense()) / nobs

    def score(params: np.ndarray) -> np.ndarray:  # minus the score of the mean log-likelihood
        return -(exog_t @ (y - cdf(exog @ params))) / nobs

    old, new = np.full(k, np.inf), np.zeros(k)
    iterations = 0
    while iterations < maxiter and np.any(np.abs(new - old) > tol):
        h = hess(new)
        h[np.diag_indices(k)] += 1e-10
        old = new
        new = old - np.linalg.solve(h, score(old))
        if np.allclose(cdf(exog @ new) - y, 0):
            raise ArithmeticError("perfect separation or prediction")
        iterations += 1
    if iterations == maxiter:
        raise ArithmeticError(f"no convergence in {maxiter} Newton steps")
    np.sum(np.log(cdf((2 * y - 1) * (exog @ new))))  # the log-likelihood: warns (an error here) on log(0)
    se = np.sqrt(np.diag(np.linalg.inv(hess(new)) / nobs))
    return new, se


def _exp(v: np.ndarray) -> np.ndarray:
    return np.exp(np.clip(v, -700, 700))
