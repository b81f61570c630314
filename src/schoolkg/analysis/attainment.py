"""The attainment design: practices of the report of inspection t against the change of a headline
measure (KS2 or KS4) from the results year before t to a year after t, by OLS with context.

Why OLS, not a logit on improved / not. The outcome is a change in percentage points (KS2) or
points (KS4 Attainment 8), measured on a continuous scale; cutting it at zero throws away its size
and makes a school that moved +0.5 the same as one that moved +20, so the same sample has less power
and the effect has no unit a reader can use. The model is an ANCOVA: change on the practices, the
baseline value (regression to the mean: a school far above its expected level tends to fall back),
deprivation, phase, size and academy status (:func:`schoolkg.analysis.context.context_design`).
School cohorts differ in size, so results of small schools are noisier; errors are heteroscedasticity
robust (HC3) rather than weighted by an assumed variance. Benjamini-Hochberg q over the practice
coefficients only (covariates are not hypotheses).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from schoolkg.analysis.association import bh_q
from schoolkg.analysis.context import context_design
from schoolkg.analysis.designs import ATTAINMENT_LAG, AttainmentEpisodes, build_attainment_episodes
from schoolkg.analysis.graphs import AnalysisData

__all__ = ["ATTAINMENT_COLUMNS", "AttainmentResult", "analyse_attainment", "fit_attainment"]

ATTAINMENT_COLUMNS = ["feature", "label", "exposed", "effect", "ci_low", "ci_high", "p", "q", "discovery", "design"]
MIN_RESIDUAL_DF = 20
"""Fewest residual degrees of freedom before the model is fitted (below, the intervals mean little)."""


@dataclass
class AttainmentResult:
    """The attainment design's result: its episodes, the practice effects, covariates and model."""

    episodes: AttainmentEpisodes
    effects: pd.DataFrame
    covariates: pd.DataFrame
    model: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def design(self) -> str:
        return self.episodes.design


def analyse_attainment(
    data: AnalysisData,
    *,
    polarity: str = "split",
    lag: int = ATTAINMENT_LAG,
    min_support: int = 10,
    fdr: float = 0.05,
    labels: Mapping[str, str] | None = None,
) -> AttainmentResult | None:
    """The attainment design on the store's data, or None when no school has results around a report."""
    episodes = build_attainment_episodes(data, polarity=polarity, lag=lag)
    if not episodes.subjects:
        return None
    return fit_attainment(episodes, data, min_support=min_support, fdr=fdr, labels=labels or data.practice_labels)


def fit_attainment(
    episodes: AttainmentEpisodes,
    data: AnalysisData,
    *,
    min_support: int = 10,
    fdr: float = 0.05,
    labels: Mapping[str, str] | None = None,
) -> AttainmentResult:
    """OLS of the change on the tested practices, the baseline value and context (HC3 errors, BH q)."""
    import statsmodels.api as sm

    labels = labels or {}
    ep = episodes
    n = len(ep.subjects)
    notes = [f"Design ({ep.design}): {ep.description}", *ep.notes]
    notes.append(
        "Windows (results year before t -> after t, schools): "
        + ", ".join(f"{w}: {k}" for w, k in ep.windows.items())
        + "."
    )
    x = ep.matrix.toarray().astype(float)
    exposed = x.sum(axis=0)
    tested = np.flatnonzero((exposed >= min_support) & (n - exposed >= min_support))
    empty = pd.DataFrame(columns=ATTAINMENT_COLUMNS)
    cov_empty = pd.DataFrame(columns=["covariate", "description", "effect", "ci_low", "ci_high", "p", "design"])
    context = _context(data, ep)
    ctx, names = context_design(context)
    base = ep.before - ep.before.mean()
    design = np.column_stack([np.ones(n), x[:, tested], base, ctx]) if n else np.zeros((0, 1))
    params = design.shape[1]
    if not len(tested) or n - params < MIN_RESIDUAL_DF:
        notes.append(
            f"Too few schools for the attainment model: {n} schools, {len(tested)} practices with at least "
            f"{min_support} schools with and without them, {params} parameters (needs {MIN_RESIDUAL_DF} residual "
            "degrees of freedom and one tested practice)."
        )
        return AttainmentResult(ep, empty, cov_empty, {"fit": None, "n": n, "design": ep.design}, notes)
    fit = sm.OLS(ep.change, design).fit(cov_type="HC3")
    coef, ci, pv = np.asarray(fit.params), np.asarray(fit.conf_int(0.05)), np.asarray(fit.pvalues)
    k = len(tested)
    q = bh_q(pv[1 : 1 + k])
    feats = [ep.features[j] for j in tested]
    effects = pd.DataFrame(
        {
            "feature": feats,
            "label": [labels.get(f.split(":", 1)[0], f) for f in feats],
            "exposed": exposed[tested].astype(int),
            "effect": coef[1 : 1 + k],
            "ci_low": ci[1 : 1 + k, 0],
            "ci_high": ci[1 : 1 + k, 1],
            "p": pv[1 : 1 + k],
            "q": q,
            "discovery": q <= fdr,
            "design": ep.design,
        }
    ).sort_values("p", kind="stable", ignore_index=True)
    cov_names = [("baseline_attainment", f"{ep.measure} in the results year before t (per unit, centred)"), *names]
    covariates = pd.DataFrame(
        {
            "covariate": [c for c, _ in cov_names],
            "description": [d for _, d in cov_names],
            "effect": coef[1 + k :],
            "ci_low": ci[1 + k :, 0],
            "ci_high": ci[1 + k :, 1],
            "p": pv[1 + k :],
            "design": ep.design,
        }
    )
    found = int(effects.discovery.sum())
    notes.append(
        f"{found} practice(s) reach q <= {fdr} in the attainment model (change of {ep.measure}; effects in its "
        "units, baseline and context held fixed). Associations, not effects: schools that improve differ in many ways."
    )
    model = {
        "kind": f"OLS of the change of {ep.measure} on practices, baseline {ep.measure} and context",
        "fit": "least squares (statsmodels OLS), HC3 heteroscedasticity-robust errors",
        "n": n,
        "practices": k,
        "covariates": [c for c, _ in cov_names],
        "r_squared": float(fit.rsquared),
        "residual_sd": float(np.sqrt(fit.scale)),
        "mean_change": float(ep.change.mean()),
        "measure": ep.measure,
        "windows": ep.windows,
        "multiple_testing": f"Benjamini-Hochberg over the {k} practice coefficients at FDR {fdr}",
        "intervals": "95% (HC3)",
        "design": ep.design,
    }
    return AttainmentResult(ep, effects, covariates, model, notes)


def _context(data: AnalysisData, ep: AttainmentEpisodes) -> pd.DataFrame:
    """Context as :func:`context_design` reads it; baseline grade and years are constant here (dropped)."""
    rows = []
    for s in ep.subjects:
        c = data.schools.get(s)
        kind = (c.establishment_type or "").lower() if c else ""
        rows.append(
            {
                "baseline": 2,
                "idaci": np.nan if c is None or c.idaci is None else float(c.idaci),
                "pupils": np.nan if c is None or c.pupils is None else float(c.pupils),
                "phase": None if c is None else c.phase,
                "academy": None if not kind else ("academy" in kind or "free school" in kind),
                "years": 0.0,
            }
        )
    cols = ["baseline", "idaci", "pupils", "phase", "academy", "years"]
    return pd.DataFrame(rows, columns=cols).astype({"academy": object})
