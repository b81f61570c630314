"""The rich summary table `schoolkg analyse` prints: effect sizes first, p and q second."""

from __future__ import annotations

import numpy as np
from rich.table import Table

from schoolkg.analysis.run import AnalysisResult

__all__ = ["attainment_summary", "summary_table"]


def summary_table(result: AnalysisResult, rows: int = 15) -> Table:
    """The top practices by q then effect size, or one row saying nothing could be tested."""
    n, n_yes = len(result.subjects), int(np.sum(result.improved))
    table = Table(
        "practice",
        "exposed",
        "improved if exposed",
        "odds ratio (95% CI)",
        "adjusted OR",
        "p",
        "q",
        title=f"{n} {result.unit}s compared, {n_yes} improved ({result.params.get('improvement', '')})",
    )
    singles = result.associations[result.associations.kind == "practice"]
    if not len(singles):
        table.add_row("(nothing tested: groups too small)", "", "", "", "", "", "")
        return table
    adjusted = (
        {}
        if result.adjusted is None
        else dict(zip(result.adjusted.feature, result.adjusted.adj_odds_ratio, strict=True))
    )
    for r in singles.head(rows).itertuples(index=False):
        adj = adjusted.get(r.feature)
        table.add_row(
            r.feature + (" *" if r.discovery else ""),
            f"{r.exposed:,}",
            f"{r.confidence:.0%}",
            f"{r.odds_ratio:.2f} ({r.ci_low:.2f}-{r.ci_high:.2f})",
            "" if adj is None else f"{adj:.2f}",
            f"{r.p:.2g}",
            f"{r.q:.2g}",
        )
    return table


def attainment_summary(result: AnalysisResult, rows: int = 3) -> str | None:
    """One line on the attainment design (schools, measure, windows, discoveries and the largest
    effects), or None when the store has no results around a report.

    >>> import pandas as pd
    >>> from types import SimpleNamespace as NS
    >>> ep = NS(subjects=["a"] * 40, measure="PTRWM_EXP", windows={"2016/17 -> 2018/19": 40})
    >>> eff = pd.DataFrame({"label": ["Phonics"], "effect": [5.9], "ci_low": [4.7], "ci_high": [7.1],
    ...                     "q": [0.001], "discovery": [True]})
    >>> r = NS(attainment=NS(design="temporal-attainment", episodes=ep, effects=eff), params={"fdr": 0.05})
    >>> print(attainment_summary(r))  # doctest: +NORMALIZE_WHITESPACE
    attainment (temporal-attainment): 40 schools, change of PTRWM_EXP (2016/17 -> 2018/19: 40); 1 practice(s)
    tested, 1 at q <= 0.05: Phonics +5.9 (4.7 to 7.1)
    """
    att = getattr(result, "attainment", None)
    if att is None:
        return None
    ep, eff = att.episodes, att.effects
    windows = ", ".join(f"{w}: {k}" for w, k in ep.windows.items())
    head = f"attainment ({att.design}): {len(ep.subjects):,} schools, change of {ep.measure} ({windows})"
    if not len(eff):
        return head + "; too few schools to fit the model (see the report)"
    found = eff[eff.discovery]
    fdr = result.params.get("fdr", 0.05)
    line = f"{head}; {len(eff)} practice(s) tested, {len(found)} at q <= {fdr:g}"
    if len(found):
        top = found.reindex(found.effect.abs().sort_values(ascending=False).index).head(rows)
        line += ": " + ", ".join(
            f"{r.label} {r.effect:+.1f} ({r.ci_low:.1f} to {r.ci_high:.1f})" for r in top.itertuples(index=False)
        )
    return line
