"""Study designs: which report's practices are compared with which change of grade.

An inspection history is the dated overall-effectiveness judgements of a school; each
``skg:Improvement`` is one step *t -> t+1* of it (``before``/``after`` judgements with dates
and grades). A finding is dated by its report: the start of the inspection the report gives
(``{doc}/inspection``), else the date the report was issued. Two designs:

``temporal``
    practices named in the report of inspection *t* (dated within ``window_days`` of *t* and
    before *t+1*); outcome: the grade at *t+1* is better than at *t*. The practice was
    reported before the change it is compared with.
``cross-sectional``
    practices named in the report of inspection *t+1*, the inspection that awarded the later
    grade ("reported in the same inspection"). The report describes the school it grades, so
    this association is not independent of the outcome; it is shown for comparison only.

Each school contributes its latest step that has a report in the window (one row per school,
so rows are independent).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse

from schoolkg.analysis.graphs import AnalysisData
from schoolkg.analysis.improvement import OVERALL, ImprovementRecord
from schoolkg.analysis.profiles import POLARITY_MODES, feature_key
from schoolkg.errors import ConfigError

__all__ = ["DESIGNS", "Episodes", "build_episodes", "context_frame", "describe_design"]

DESIGNS = {
    "temporal": "Practices named in the report of inspection t (dated within {window} days of t and before t+1); "
    "outcome: the overall-effectiveness grade at the next inspection t+1 is better than at t.",
    "cross-sectional": "Practices named in the report of inspection t+1, the inspection that awarded the later "
    "grade (reported in the same inspection, dated within {window} days of t+1); outcome: the same change "
    "t -> t+1. Not independent of the grade it describes: for comparison only.",
}
WINDOW_DAYS = 90


def describe_design(design: str, window_days: int = WINDOW_DAYS) -> str:
    """The one-sentence description of ``design`` with its window, as every figure and table states it.

    >>> describe_design("temporal", 60).startswith("Practices named in the report of inspection t (dated within 60")
    True
    """
    if design not in DESIGNS:
        raise ConfigError(f"unknown design {design!r}; known: {', '.join(DESIGNS)}")
    return DESIGNS[design].format(window=window_days)


@dataclass
class Episodes:
    """One row per school: the step t -> t+1 compared, the report's practices, outcome and context."""

    design: str
    description: str
    subjects: list[str]
    improved: np.ndarray
    baseline: np.ndarray
    years: np.ndarray
    matrix: sparse.csr_matrix
    features: list[str]
    evidence: list[str]
    documents: list[str]
    labelled: int = 0
    notes: list[str] = field(default_factory=list)


def build_episodes(
    data: AnalysisData,
    design: str = "temporal",
    *,
    polarity: str = "split",
    window_days: int = WINDOW_DAYS,
    area: str = OVERALL,
) -> Episodes:
    """The episodes of ``design`` from the store's findings, document dates and improvements.

    Examples
    --------
    >>> from schoolkg.analysis.improvement import ImprovementRecord as R
    >>> d = AnalysisData(findings=[("s", "pr/a", "strength", "d1"), ("s", "pr/b", "weakness", "d2")],
    ...                  improvements=[R("i", "s", OVERALL, "2012-01-10", "2015-03-01", "improved", 1.0, 3, 2)],
    ...                  document_dates={"d1": "2012-01-10", "d2": "2015-03-01"})
    >>> [build_episodes(d, k).features for k in ("temporal", "cross-sectional")]
    [['a:strength'], ['b:weakness']]
    """
    description = describe_design(design, window_days)
    if polarity not in POLARITY_MODES:
        raise ConfigError(f"unknown polarity mode {polarity!r}; known: {', '.join(POLARITY_MODES)}")
    reports: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    undated = 0
    keys: dict[tuple[str, str], str] = {}  # one feature_key call per practice x polarity, not per finding
    dates = data.document_dates
    for s, p, pol, doc in data.findings:
        if polarity == "strength" and not pol.endswith("strength"):
            continue
        if doc not in dates:
            undated += 1
            continue
        key = keys.get((p, pol))
        if key is None:
            key = keys[(p, pol)] = feature_key(p, pol, polarity)
        reports[s][doc].add(key)
    steps = _steps(data.improvements, area)
    chosen: list[tuple[str, ImprovementRecord, list[str]]] = []
    for s, history in sorted(steps.items()):
        docs = reports.get(s)
        if not docs:
            continue
        for r in sorted(history, key=lambda r: (r.after_date, r.before_date), reverse=True):
            t0, t1 = _day(r.before_date), _day(r.after_date)
            anchor = t0 if design == "temporal" else t1
            picked = [
                d
                for d in sorted(docs)
                if abs(_day(data.document_dates[d]) - anchor) <= window_days
                and (design != "temporal" or _day(data.document_dates[d]) < t1)
            ]
            if picked:
                chosen.append((s, r, picked))
                break
    features = sorted({f for s, r, picked in chosen for d in picked for f in reports[s][d]})
    index = {f: i for i, f in enumerate(features)}
    rows, cols = [], []
    for k, (s, _, picked) in enumerate(chosen):
        present = {index[f] for d in picked for f in reports[s][d]}
        rows += [k] * len(present)
        cols += sorted(present)
    matrix = sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.int8), (np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64))),
        shape=(len(chosen), len(features)),
    )
    notes = []
    if undated:
        notes.append(f"{undated} findings in reports without an inspection or issue date are left out of this design.")
    return Episodes(
        design=design,
        description=description,
        subjects=[s for s, _, _ in chosen],
        improved=np.array([r.after_grade < r.before_grade for _, r, _ in chosen], dtype=bool),  # type: ignore[operator]
        baseline=np.array([r.before_grade for _, r, _ in chosen], dtype=np.int64),
        years=np.array([(_day(r.after_date) - _day(r.before_date)) / 365.25 for _, r, _ in chosen]),
        matrix=matrix,
        features=features,
        evidence=[
            f"{r.iri}: grade {r.before_grade} ({r.before_date}) -> {r.after_grade} ({r.after_date}); report "
            + ", ".join(picked)
            for _, r, picked in chosen
        ],
        documents=[picked[0] for _, _, picked in chosen],
        labelled=len(steps),
        notes=notes,
    )


def context_frame(data: AnalysisData, episodes: Episodes) -> pd.DataFrame:
    """Per-episode context: baseline grade, IDACI quintile, pupils, phase, academy status, years between."""
    rows = []
    for s, base, years in zip(episodes.subjects, episodes.baseline, episodes.years, strict=True):
        c = data.schools.get(s)
        kind = (c.establishment_type or "").lower() if c else ""
        rows.append(
            {
                "baseline": int(base),
                "idaci": np.nan if c is None or c.idaci is None else float(c.idaci),
                "pupils": np.nan if c is None or c.pupils is None else float(c.pupils),
                "phase": None if c is None else c.phase,
                "academy": None if not kind else ("academy" in kind or "free school" in kind),
                "years": float(years),
            }
        )
    cols = ["baseline", "idaci", "pupils", "phase", "academy", "years"]
    return pd.DataFrame(rows, columns=cols).astype({"academy": object})


def _steps(improvements: list[ImprovementRecord], area: str) -> dict[str, list[ImprovementRecord]]:
    """Dated, graded steps of ``area`` per school, one per (before date, after date)."""
    seen: dict[tuple[str, str, str], ImprovementRecord] = {}
    for r in improvements:
        if r.area != area or not r.before_date or not r.after_date:
            continue
        if r.before_grade is None or r.after_grade is None:
            continue
        key = (r.subject, r.before_date[:10], r.after_date[:10])
        if key not in seen or r.iri < seen[key].iri:
            seen[key] = r
    out: dict[str, list[ImprovementRecord]] = defaultdict(list)
    for (s, _, _), r in sorted(seen.items()):
        out[s].append(r)
    return out


def _day(iso: str) -> int:
    return dt.date.fromisoformat(iso[:10]).toordinal()
