"""Run the whole analysis on plain data: labels + profiles -> associations, adjusted model, network, verdict."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
from scipy import sparse

from schoolkg.analysis.adjusted import adjusted_effects
from schoolkg.analysis.association import associate
from schoolkg.analysis.context import context_effects
from schoolkg.analysis.cooccurrence import annotate_network, cooccurrence_graph
from schoolkg.analysis.designs import WINDOW_DAYS, Episodes, build_episodes, context_frame
from schoolkg.analysis.graphs import AnalysisData
from schoolkg.analysis.improvement import Labels, get_labeller
from schoolkg.analysis.profiles import build_profiles
from schoolkg.errors import ConfigError

__all__ = ["AnalysisResult", "analyse", "analyse_matrix", "by_baseline"]


@dataclass
class AnalysisResult:
    """Everything the report shows; plain data only."""

    params: dict[str, Any]
    definition: str
    unit: str
    subjects: list[str]
    improved: np.ndarray
    evidence: list[str]
    features: list[str]
    associations: pd.DataFrame
    adjusted: pd.DataFrame | None
    network: nx.Graph
    communities: list[set[str]]
    notes: list[str] = field(default_factory=list)
    labels_total: int = 0
    design: str = "latest change"
    by_baseline: pd.DataFrame | None = None
    covariates: pd.DataFrame | None = None
    model: dict[str, Any] = field(default_factory=dict)
    comparison: AnalysisResult | None = None
    documents: list[str] = field(default_factory=list)
    practice_labels: dict[str, str] = field(default_factory=dict)
    attainment: Any = None
    """The attainment design's :class:`~schoolkg.analysis.attainment.AttainmentResult`, when the
    store has results around a report (set by :func:`~schoolkg.analysis.report.analyse_to_folder`)."""

    @property
    def conclusive(self) -> bool:
        """False when the groups are too small for any test to say anything."""
        return bool(len(self.associations)) and not any(n.startswith("Too few") for n in self.notes)


def analyse(
    data: AnalysisData,
    *,
    improvement: str = "grade",
    min_support: int = 10,
    fdr: float = 0.05,
    polarity: str = "split",
    pairs: bool = True,
    seed: int = 0,
    design: str = "temporal",
    window_days: int = WINDOW_DAYS,
) -> AnalysisResult:
    """Label subjects by ``improvement``, build their practice profiles and analyse them.

    With ``improvement="grade"`` the subjects are schools' steps t -> t+1 of their inspection
    history in ``design`` (:mod:`schoolkg.analysis.designs`): the temporal design (practices of
    the report of t) is the result, with baseline-stratified and context-adjusted odds ratios;
    the cross-sectional one (practices of the report of t+1) is attached as ``comparison``.
    """
    params = {
        "improvement": improvement,
        "min_support": min_support,
        "fdr": fdr,
        "polarity": polarity,
        "seed": seed,
        "design": design,
        "window_days": window_days,
    }
    if improvement == "grade":
        episodes = build_episodes(data, design, polarity=polarity, window_days=window_days)
        result = _analyse_episodes(data, episodes, min_support, fdr, pairs, seed, params)
        if design == "temporal":
            other = build_episodes(data, "cross-sectional", polarity=polarity, window_days=window_days)
            result.comparison = _analyse_episodes(data, other, min_support, fdr, False, seed, params, network=False)
        return result
    labels: Labels = get_labeller(improvement)(data)
    unit = "document" if labels.unit == "document" else "subject"
    profiles = build_profiles(data.finding_triples(unit), polarity)
    profiled = set(profiles.subjects)
    keep = [i for i, s in enumerate(labels.subjects) if s in profiled]
    subjects = [labels.subjects[i] for i in keep]
    x = profiles.restrict(subjects).matrix
    params["design"] = "latest change"
    result = analyse_matrix(
        x,
        labels.improved[keep],
        profiles.features,
        subjects=subjects,
        min_support=min_support,
        fdr=fdr,
        pairs=pairs,
        seed=seed,
        labels=data.practice_labels,
        params=params,
        definition=labels.definition,
        unit=labels.unit,
        evidence=[labels.evidence[i] for i in keep],
    )
    result.labels_total = len(labels)
    if len(labels) > len(subjects):
        result.notes.insert(
            0,
            f"{len(labels) - len(subjects)} of {len(labels)} labelled {labels.unit}s have no findings and are left out "
            "(no report found is not the same as no practice).",
        )
    result.notes.insert(
        0,
        f"Design: latest change of {improvement}, practices from any report of the subject (no temporal design; "
        "no baseline or context control).",
    )
    return result


def by_baseline(baseline: np.ndarray, improved: np.ndarray) -> pd.DataFrame:
    """Improvement by baseline grade: ``baseline_grade, n, improved, share``.

    >>> by_baseline(np.array([2, 2, 3, 1]), np.array([True, False, True, False])).to_dict("records")[1]
    {'baseline_grade': 2, 'n': 2, 'improved': 1, 'share': 0.5}
    """
    rows = []
    for g in sorted({int(v) for v in baseline}):
        m = baseline == g
        rows.append((g, int(m.sum()), int(improved[m].sum()), float(improved[m].mean())))
    return pd.DataFrame(rows, columns=["baseline_grade", "n", "improved", "share"])


def _analyse_episodes(
    data: AnalysisData,
    episodes: Episodes,
    min_support: int,
    fdr: float,
    pairs: bool,
    seed: int,
    params: dict[str, Any],
    *,
    network: bool = True,
) -> AnalysisResult:
    result = analyse_matrix(
        episodes.matrix,
        episodes.improved,
        episodes.features,
        subjects=episodes.subjects,
        min_support=min_support,
        fdr=fdr,
        pairs=pairs,
        seed=seed,
        labels=data.practice_labels,
        params={**params, "design": episodes.design},
        definition=episodes.description,
        unit="school",
        evidence=episodes.evidence,
        context=context_frame(data, episodes),
        network=network,
    )
    result.design = episodes.design
    result.labels_total = episodes.labelled
    result.documents = episodes.documents
    result.by_baseline = by_baseline(episodes.baseline, episodes.improved)
    result.notes[:0] = [f"Design ({episodes.design}): {episodes.description}", *episodes.notes]
    if episodes.labelled > len(episodes.subjects):
        result.notes.insert(
            1,
            f"{episodes.labelled - len(episodes.subjects)} of {episodes.labelled} schools with a dated step of "
            "their grade have no report in the window and are left out (no report found is not the same as no "
            "practice).",
        )
    return result


def analyse_matrix(
    x: sparse.spmatrix | np.ndarray,
    y: np.ndarray,
    features: Sequence[str],
    *,
    subjects: Sequence[str] | None = None,
    min_support: int = 10,
    fdr: float = 0.05,
    pairs: bool = True,
    seed: int = 0,
    labels: Mapping[str, str] | None = None,
    params: dict[str, Any] | None = None,
    definition: str = "",
    unit: str = "subject",
    evidence: Sequence[str] | None = None,
    context: pd.DataFrame | None = None,
    network: bool = True,
) -> AnalysisResult:
    """The analysis on a profile matrix ``x`` and binary outcome ``y`` (no store involved).

    With ``context`` (one row per subject: see :func:`schoolkg.analysis.context.context_design`)
    the adjusted odds ratios come from the baseline and context model, with Mantel-Haenszel
    odds ratios within baseline grades; without it, from a model of the practices alone.
    """
    x = sparse.csr_matrix(x, dtype=np.int8)
    y = np.asarray(y, dtype=bool)
    n, n_yes = len(y), int(y.sum())
    notes: list[str] = []
    if n < 2 * min_support or min(n_yes, n - n_yes) < min_support:
        notes.append(
            f"Too few {unit}s to conclude anything: {n} labelled and profiled, {n_yes} improved, {n - n_yes} not; "
            f"each group needs at least {min_support} (--min-support) before any practice is tested."
        )
    assoc = associate(x, y, list(features), min_support=min_support, fdr=fdr, pairs=pairs)
    adjusted, covariates = None, None
    model: dict[str, Any] = {}
    if not notes and (assoc.kind == "practice").any():
        try:
            if context is not None:
                adjusted, covariates, model = context_effects(
                    x, y, list(features), context, min_support=min_support, fdr=fdr
                )
            else:
                adjusted = adjusted_effects(x, y, list(features), min_support=min_support, fdr=fdr)
        except ConfigError as err:
            notes.append(f"No adjusted model: {err}.")
    if not notes:
        found = int(assoc.discovery[assoc.kind == "practice"].sum())
        if found == 0:
            notes.append(
                f"No practice reaches q <= {fdr}: absence of evidence at this sample size, not evidence of no effect."
            )
        if context is not None and adjusted is not None:
            adj_found = int(adjusted.adj_discovery.sum())
            warning = f"; {model['warning']}" if "warning" in model else ""
            notes.append(
                f"{adj_found} practice(s) reach q <= {fdr} once baseline grade and context are held fixed "
                f"(model: {model.get('fit')}{warning}); marginal odds ratios mix a practice with its school's "
                "starting grade "
                "and deprivation (regression to the mean: see improvement by baseline grade)."
            )
        notes.append(
            "Associations are not effects: schools that improve differ in many ways. Marginal odds ratios of practices "
            "that co-occur overlap; the adjusted odds ratios hold the other practices fixed."
        )
    if context is not None and not model:
        model = {"fit": None, "reason": notes[-1] if notes else "no practice was tested"}
    if network:
        graph = cooccurrence_graph(x, list(features), min_count=min_support, fdr=fdr, labels=labels)
        communities = annotate_network(graph, seed=seed)
    else:
        graph, communities = nx.Graph(), []
    return AnalysisResult(
        params=params or {"min_support": min_support, "fdr": fdr, "seed": seed},
        definition=definition,
        unit=unit,
        subjects=list(subjects) if subjects is not None else [str(i) for i in range(n)],
        improved=y,
        evidence=list(evidence) if evidence is not None else [""] * n,
        features=list(features),
        associations=assoc,
        adjusted=adjusted,
        network=graph,
        communities=communities,
        notes=notes,
        labels_total=n,
        covariates=covariates,
        model=model,
        practice_labels=dict(labels or {}),
    )
