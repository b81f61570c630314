"""Association of practices (and pairs of practices) with improvement: 2x2 tables, effect sizes, tests.

Everything is vectorised over all practices (or pairs) at once: the counts come from sparse
matrix products, the odds ratios and intervals from numpy, Fisher's exact test from one
vectorised pass over the hypergeometric distribution (equal to ``scipy.stats.fisher_exact``,
checked in the tests, but thousands of times faster than calling it per table), and the
Benjamini-Hochberg q-values as ``scipy.stats.false_discovery_control`` computes them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy import sparse
from scipy.special import gammaln

from schoolkg.errors import ConfigError

__all__ = ["COLUMNS", "associate", "bh_q", "fisher_p", "odds_ratio", "table_counts"]

Z95 = 1.959963984540054
COLUMNS = [
    "kind",
    "feature",
    "feature_b",
    "n",
    "exposed",
    "improved_exposed",
    "other_exposed",
    "improved_unexposed",
    "other_unexposed",
    "support",
    "confidence",
    "lift",
    "odds_ratio",
    "ci_low",
    "ci_high",
    "p",
    "q",
    "discovery",
]


def odds_ratio(a: ArrayLike, b: ArrayLike, c: ArrayLike, d: ArrayLike, z: float = Z95) -> tuple[Any, Any, Any]:
    """Odds ratio with the Haldane-Anscombe correction and its Wald interval (log scale).

    The 2x2 table is ``[[a, b], [c, d]]``: rows exposed / unexposed, columns improved / not.
    0.5 is added to every cell (always, so the estimate is finite and one formula serves
    every table); the interval is ``exp(log OR +- z * sqrt(sum 1/(cell + 0.5)))``.
    Works on scalars and on numpy arrays.

    Examples
    --------
    >>> [round(float(x), 4) for x in odds_ratio(10, 20, 30, 40)]
    [0.6801, 0.2822, 1.6394]
    >>> [round(float(x), 4) for x in odds_ratio(0, 10, 10, 10)]
    [0.0476, 0.0025, 0.9219]
    >>> [round(float(x), 3) for x in odds_ratio(300, 700, 2000, 7000)]
    [1.501, 1.3, 1.734]
    """
    a, b, c, d = (np.asarray(x, dtype=float) + 0.5 for x in (a, b, c, d))
    log_or = np.log(a) + np.log(d) - np.log(b) - np.log(c)
    se = np.sqrt(1 / a + 1 / b + 1 / c + 1 / d)
    return np.exp(log_or), np.exp(log_or - z * se), np.exp(log_or + z * se)


def fisher_p(a: ArrayLike, b: ArrayLike, c: ArrayLike, d: ArrayLike, chunk: int = 4_000_000) -> np.ndarray:
    """Two-sided Fisher exact p-values for many 2x2 tables ``[[a, b], [c, d]]`` at once.

    Same definition as ``scipy.stats.fisher_exact(..., alternative="two-sided")``: the sum of
    the hypergeometric probabilities of all tables with the same margins that are no more
    likely than the observed one (with scipy's relative tolerance of 1e-7).

    Examples
    --------
    >>> [round(float(p), 6) for p in fisher_p([8, 1, 10], [2, 9, 20], [1, 8, 30], [5, 2, 40])]
    [0.034965, 0.005477, 0.504476]
    """
    a, b, c, d = (np.atleast_1d(np.asarray(x, dtype=np.int64)) for x in (a, b, c, d))
    row, col, n = a + b, a + c, a + b + c + d
    lo = np.maximum(0, row + col - n)
    hi = np.minimum(row, col)
    # gammaln of every whole number up to the largest table's n + 1, looked up instead of evaluated per
    # cell: the same values, so the same p-values bit for bit, at a fraction of the cost (issue 19)
    table = gammaln(np.arange(int(n.max(initial=0)) + 2, dtype=float))

    def lchoose(m: np.ndarray, k: np.ndarray) -> np.ndarray:
        return table[m + 1] - table[k + 1] - table[m - k + 1]

    const = lchoose(n, col)
    observed = lchoose(row, a) + lchoose(n - row, col - a) - const
    width = hi - lo + 1
    out = np.ones(len(a))
    order = np.argsort(width, kind="stable")
    sorted_width = width[order]
    start = 0
    while start < len(order):
        # tables sorted by width, taken greedily while the padded block stays under `chunk` cells
        stop = start + 1
        while stop < len(order) and int(sorted_width[stop]) * (stop + 1 - start) <= chunk:
            stop += 1
        idx = order[start:stop]
        wmax = int(width[idx].max())
        k = lo[idx, None] + np.arange(wmax)[None, :]
        valid = k <= hi[idx, None]
        kk = np.where(valid, k, lo[idx, None])
        r, cc, nn = row[idx, None], col[idx, None], n[idx, None]
        lp = lchoose(r, kk) + lchoose(nn - r, cc - kk) - const[idx, None]
        keep = valid & (lp <= observed[idx, None] + np.log1p(1e-7))
        out[idx] = np.exp(lp, out=np.zeros_like(lp), where=keep).sum(axis=1)
        start = stop
    return np.minimum(out, 1.0)


def bh_q(p: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg q-values (``scipy.stats.false_discovery_control``); empty in, empty out.

    >>> [round(float(q), 3) for q in bh_q(np.array([0.01, 0.04, 0.03, 0.5]))]
    [0.04, 0.053, 0.053, 0.5]
    """
    p = np.asarray(p, dtype=float)
    if len(p) <= 1:
        return p
    if not np.all(p == np.clip(p, 0.0, 1.0)):
        raise ValueError("`ps` must include only numbers between 0 and 1.")
    # scipy.stats.false_discovery_control(p, method="bh") operation for operation, without
    # importing scipy.stats (about 1 CPU-s of a run of `schoolkg analyse`; issue 19)
    order = np.argsort(p)
    ranked = p[order] * (len(p) / np.arange(1, len(p) + 1, dtype=float))
    np.minimum.accumulate(ranked[::-1], out=ranked[::-1])
    q = np.empty_like(ranked)
    q[order] = ranked
    return np.clip(q, 0.0, 1.0)


def table_counts(x: sparse.spmatrix | np.ndarray, y: np.ndarray) -> tuple[np.ndarray, ...]:
    """Cells ``a, b, c, d`` of each column's 2x2 table against the binary outcome ``y``.

    >>> x = np.array([[1, 0], [1, 1], [0, 1], [0, 0]])
    >>> [v.tolist() for v in table_counts(x, np.array([1, 1, 0, 0]))]
    [[2, 1], [0, 1], [0, 1], [2, 1]]
    """
    x = sparse.csc_matrix(x, dtype=np.int64)
    y = np.asarray(y, dtype=np.int64)
    exposed = np.asarray(x.sum(axis=0)).ravel()
    a = np.asarray(x.T @ y).ravel()
    b = exposed - a
    c = int(y.sum()) - a
    d = len(y) - exposed - c
    return a, b, c, d


def associate(
    x: sparse.spmatrix | np.ndarray,
    y: np.ndarray,
    features: Sequence[str],
    *,
    min_support: int = 10,
    fdr: float = 0.05,
    pairs: bool = True,
) -> pd.DataFrame:
    """Association of every feature, and every pair of features, with a binary outcome.

    Parameters
    ----------
    x : sparse matrix or array, shape (subjects, features)
        1 where the subject has the feature (a practice with a polarity).
    y : array of bool, shape (subjects,)
        True where the subject improved.
    features : sequence of str
        Column names of ``x``.
    min_support : int
        Test a feature (or pair) only if at least this many subjects have it *and* at least
        this many do not.
    fdr : float
        False discovery rate for the Benjamini-Hochberg procedure; single features and pairs
        are two separate families, each controlled at ``fdr``.
    pairs : bool
        Also test pairs (both features present versus not both).

    Returns
    -------
    pandas.DataFrame
        One row per test with :data:`COLUMNS`, sorted by family, then q, then effect size.

    Raises
    ------
    ConfigError
        If the shapes disagree or ``fdr`` is not in (0, 1).
    """
    if not 0 < fdr < 1:
        raise ConfigError(f"--fdr must be between 0 and 1, not {fdr}")
    x = sparse.csc_matrix(x, dtype=np.int64)
    y = np.asarray(y, dtype=bool)
    if x.shape != (len(y), len(features)):
        raise ConfigError(f"profile matrix {x.shape} does not match {len(y)} labels and {len(features)} features")
    n = len(y)
    frames = []
    a, b, c, d = table_counts(x, y)
    exposed = a + b
    ok = (exposed >= min_support) & (n - exposed >= min_support)
    idx = np.flatnonzero(ok)
    frames.append(
        _frame("practice", [features[int(i)] for i in idx], [""] * len(idx), a[idx], b[idx], c[idx], d[idx], fdr)
    )
    if pairs and len(idx) > 1:
        sub = x[:, idx]
        both = (sub.T @ sub).toarray()
        both_improved = (sub.T @ sparse.diags(y.astype(np.int64), dtype=np.int64) @ sub).toarray()
        i, j = np.triu_indices(len(idx), k=1)
        pe, pa = both[i, j], both_improved[i, j]
        keep = (pe >= min_support) & (n - pe >= min_support)
        i, j, pe, pa = i[keep], j[keep], pe[keep], pa[keep]
        n_y = int(y.sum())
        frames.append(
            _frame(
                "pair",
                [features[idx[k]] for k in i],
                [features[idx[k]] for k in j],
                pa,
                pe - pa,
                n_y - pa,
                n - pe - (n_y - pa),
                fdr,
            )
        )
    out = pd.concat(frames, ignore_index=True)
    out["_abs"] = -np.abs(np.log(out["odds_ratio"]))
    out = out.sort_values(["kind", "q", "_abs"], ascending=[False, True, True], kind="stable").drop(columns="_abs")
    return out.reset_index(drop=True)[COLUMNS]


def _frame(
    kind: str,
    feat_a: list[str],
    feat_b: list[str],
    a: ArrayLike,
    b: ArrayLike,
    c: ArrayLike,
    d: ArrayLike,
    fdr: float,
) -> pd.DataFrame:
    a, b, c, d = (np.asarray(v, dtype=np.int64) for v in (a, b, c, d))
    n = a + b + c + d
    exposed = a + b
    with np.errstate(divide="ignore", invalid="ignore"):
        confidence = np.where(exposed > 0, a / np.maximum(exposed, 1), np.nan)
        base = (a + c) / np.maximum(n, 1)
        lift = confidence / base
    or_, lo, hi = odds_ratio(a, b, c, d)
    p = fisher_p(a, b, c, d) if len(a) else np.array([])
    q = bh_q(p)
    return pd.DataFrame(
        {
            "kind": kind,
            "feature": feat_a,
            "feature_b": feat_b,
            "n": n,
            "exposed": exposed,
            "improved_exposed": a,
            "other_exposed": b,
            "improved_unexposed": c,
            "other_unexposed": d,
            "support": exposed / np.maximum(n, 1),
            "confidence": confidence,
            "lift": lift,
            "odds_ratio": or_,
            "ci_low": lo,
            "ci_high": hi,
            "p": p,
            "q": q,
            "discovery": q <= fdr,
        }
    )


def _lchoose(n: Any, k: Any) -> Any:
    return gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1)
