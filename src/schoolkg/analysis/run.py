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
from schoolkg.analysis.cooccurrence import annotate_network, cooccurrence_graph
from schoolkg.analysis.graphs import AnalysisData
from schoolkg.analysis.improvement import Labels, get_labeller
from schoolkg.analysis.profiles import build_profiles
from schoolkg.errors import ConfigError

__all__ = ["AnalysisResult", "analyse", "analyse_matrix"]


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
) -> AnalysisResult:
    """Label subjects by ``improvement``, build their practice profiles and analyse them."""
    labels: Labels = get_labeller(improvement)(data)
    unit = "document" if labels.unit == "document" else "subject"
    profiles = build_profiles(data.finding_triples(unit), polarity)
    profiled = set(profiles.subjects)
    keep = [i for i, s in enumerate(labels.subjects) if s in profiled]
    subjects = [labels.subjects[i] for i in keep]
    x = profiles.restrict(subjects).matrix
    params = {"improvement": improvement, "min_support": min_support, "fdr": fdr, "polarity": polarity, "seed": seed}
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
) -> AnalysisResult:
    """The analysis on a profile matrix ``x`` and binary outcome ``y`` (no store involved)."""
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
    adjusted = None
    if not notes and (assoc.kind == "practice").any():
        try:
            adjusted = adjusted_effects(x, y, list(features), min_support=min_support, fdr=fdr)
        except ConfigError as err:
            notes.append(f"No adjusted model: {err}.")
    if not notes:
        found = int(assoc.discovery[assoc.kind == "practice"].sum())
        if found == 0:
            notes.append(
                f"No practice reaches q <= {fdr}: absence of evidence at this sample size, not evidence of no effect."
            )
        notes.append(
            "Associations are not effects: schools that improve differ in many ways. Marginal odds ratios of practices "
            "that co-occur overlap; the adjusted odds ratios hold the other practices fixed."
        )
    network = cooccurrence_graph(x, list(features), min_count=min_support, fdr=fdr, labels=labels)
    communities = annotate_network(network, seed=seed)
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
        network=network,
        communities=communities,
        notes=notes,
        labels_total=n,
    )
