"""The rich summary table `schoolkg analyse` prints: effect sizes first, p and q second."""

from __future__ import annotations

import numpy as np
from rich.table import Table

from schoolkg.analysis.run import AnalysisResult

__all__ = ["summary_table"]


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
