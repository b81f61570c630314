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
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import sparse

from schoolkg.analysis.graphs import AnalysisData
from schoolkg.analysis.improvement import OVERALL, ImprovementRecord
from schoolkg.analysis.profiles import POLARITY_MODES, feature_key
from schoolkg.errors import ConfigError
from schoolkg.iris import slug

__all__ = [
    "ATTAINMENT_DESIGN",
    "DESIGNS",
    "HEADLINE_MEASURES",
    "AttainmentEpisodes",
    "Episodes",
    "academic_year_of",
    "build_attainment_episodes",
    "build_episodes",
    "context_frame",
    "describe_attainment_design",
    "describe_design",
    "value_across",
]

DESIGNS = {
    "temporal": "Practices named in the report of inspection t (dated within {window} days of t and before t+1); "
    "outcome: the overall-effectiveness grade at the next inspection t+1 is better than at t.",
    "cross-sectional": "Practices named in the report of inspection t+1, the inspection that awarded the later "
    "grade (reported in the same inspection, dated within {window} days of t+1); outcome: the same change "
    "t -> t+1. Not independent of the grade it describes: for comparison only.",
}
WINDOW_DAYS = 90

ATTAINMENT_DESIGN = "temporal-attainment"
HEADLINE_MEASURES = ("PTRWM_EXP", "ATT8SCR")
"""Headline measures by key stage, in order of preference: KS2 per cent of pupils meeting the expected
standard in reading, writing and maths; KS4 Attainment 8 (``skos:notation``, the last part of the measure IRI)."""
ATTAINMENT_LAG = 1


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
    reports, undated = report_features(data, polarity)
    steps = data.derived.get(("steps", area))
    if steps is None:  # the same for both designs: built once per read (issue 19)
        steps = data.derived[("steps", area)] = _steps(data.improvements, area)
    dated = _report_days(data, reports, polarity)
    chosen: list[tuple[str, ImprovementRecord, list[str]]] = []
    for s, history in sorted(steps.items()):
        docs = dated.get(s)
        if not docs:
            continue
        for r in sorted(history, key=lambda r: (r.after_date, r.before_date), reverse=True):
            t0, t1 = _day(r.before_date), _day(r.after_date)
            if design == "temporal":
                picked = [d for d, day in docs if abs(day - t0) <= window_days and day < t1]
            else:
                picked = [d for d, day in docs if abs(day - t1) <= window_days]
            if picked:
                chosen.append((s, r, picked))
                break
    matrix, features = _episode_matrix(reports, chosen)
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


def report_features(data: AnalysisData, polarity: str = "split") -> tuple[dict[str, dict[str, set[str]]], int]:
    """The features of each dated report, by school: ``{school: {document: {feature, ...}}}``, and
    how many findings are in undated reports (left out). Built once per read and polarity mode
    (kept in ``data.derived``) for the designs that share it: the temporal and cross-sectional
    episodes and the attainment design, each a pass over every finding before (issue 19).

    >>> d = AnalysisData(findings=[("s", "pr/a", "strength", "d1"), ("s", "pr/b", "weakness", "d2")],
    ...                  document_dates={"d1": "2012-01-10"})
    >>> reports, undated = report_features(d)
    >>> {s: dict(docs) for s, docs in reports.items()}, undated
    ({'s': {'d1': {'a:strength'}}}, 1)
    """
    memo = data.derived.get(("report_features", polarity))
    if memo is not None:
        return memo
    reports: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    undated = 0
    keys: dict[tuple[str, str], str] = {}  # one feature_key call per practice x polarity, not per finding
    dates = data.document_dates
    if data.report_pairs is not None:  # grouped by report already (the reports aggregate): a pass per report
        for pairs in set(data.report_pairs.values()):
            for pair in pairs:
                if pair not in keys:
                    keys[pair] = feature_key(pair[0], pair[1], polarity)
        key_of = keys.__getitem__
        for (s, doc), pairs in data.report_pairs.items():
            if polarity == "strength":
                pairs = frozenset(pair for pair in pairs if pair[1].endswith("strength"))
                if not pairs:
                    continue
            if doc not in dates:
                undated += len(pairs)
                continue
            reports[s][doc] = set(map(key_of, pairs))
        data.derived[("report_features", polarity)] = reports, undated
        return reports, undated
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
    data.derived[("report_features", polarity)] = reports, undated
    return reports, undated


def _report_days(
    data: AnalysisData, reports: dict[str, dict[str, set[str]]], polarity: str
) -> dict[str, list[tuple[str, int]]]:
    """Each school's dated reports as ``(document, day)`` in document order; built once per read and
    polarity mode for both designs (issue 19)."""
    memo = data.derived.get(("report_days", polarity))
    if memo is None:
        dates = data.document_dates
        memo = {s: [(d, _day(dates[d])) for d in sorted(docs)] for s, docs in reports.items() if docs}
        data.derived[("report_days", polarity)] = memo
    return memo


def _episode_matrix(
    reports: dict[str, dict[str, set[str]]], chosen: list[tuple[str, ImprovementRecord, list[str]]]
) -> tuple[sparse.csr_matrix, list[str]]:
    """The 0/1 episodes x features matrix of the chosen reports' features, and its features (sorted; only
    those some chosen report names). The column numbers of every row in one list and the row order fixed by
    ``sort_indices`` (C), not a sorted Python set per row: the same matrix (issue 19)."""
    features = sorted({f for s, _, picked in chosen for d in picked for f in reports[s][d]})
    index = {f: i for i, f in enumerate(features)}.__getitem__
    cols: list[int] = []
    lengths: list[int] = []
    for s, _, picked in chosen:
        docs = reports[s]
        present = docs[picked[0]] if len(picked) == 1 else set().union(*(docs[d] for d in picked))
        cols.extend(map(index, present))
        lengths.append(len(present))
    rows = np.repeat(np.arange(len(chosen), dtype=np.int64), lengths)
    matrix = sparse.csr_matrix(
        (np.ones(len(cols), dtype=np.int8), (rows, np.asarray(cols, dtype=np.int64))),
        shape=(len(chosen), len(features)),
    )
    matrix.sort_indices()
    return matrix, features


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


@lru_cache(maxsize=1 << 16)
def _day(iso: str) -> int:
    """The proleptic ordinal of the day ``iso`` starts with; cached: a store's reports and judgements
    share a few thousand days (274,000 calls at 25,000 schools; issue 19)."""
    return dt.date.fromisoformat(iso[:10]).toordinal()


def academic_year_of(iso: str) -> int:
    """The first calendar year of the academic year (1 September - 31 August) holding the date ``iso``.

    >>> academic_year_of("2017-09-01"), academic_year_of("2018-08-31"), academic_year_of("2018-09-03")
    (2017, 2017, 2018)
    """
    d = dt.date.fromisoformat(iso[:10])
    return d.year if d.month >= 9 else d.year - 1


def _period(first: int) -> str:
    return f"{first}/{(first + 1) % 100:02d}"


def value_across(
    table: dict[tuple[str, int], float],
    school: str,
    year: int,
    links: dict[str, list[tuple[str, str | None]]],
    *,
    after: bool,
) -> tuple[float, str] | None:
    """``school``'s value in results year ``year`` (first calendar year of the academic year) and whose it
    is; when the school has none, the value of the one establishment linked to it by a succession that
    held that year: with ``after``, a successor that had taken over by then (``links`` = successors),
    else a predecessor not yet replaced at its start (``links`` = predecessors). An undated succession
    counts; two linked establishments with values (an amalgamation) give None, as does none. One hop.

    >>> t = {("old", 2016): 60.0, ("new", 2019): 70.0}
    >>> value_across(t, "new", 2016, {"new": [("old", "2018-04-01")]}, after=False)
    (60.0, 'old')
    >>> value_across(t, "old", 2019, {"old": [("new", "2018-04-01")]}, after=True)
    (70.0, 'new')
    >>> value_across(t, "old", 2019, {"old": [("new", "2020-10-01")]}, after=True) is None  # not yet replaced
    True
    """
    own = table.get((school, year))
    if own is not None:
        return own, school
    found = []
    for other, day in links.get(school, ()):
        value = table.get((other, year))
        if value is None:
            continue
        if day is not None:
            took = academic_year_of(day)
            if (after and took > year) or (not after and took < year):
                continue
        found.append((value, other))
    return found[0] if len(found) == 1 else None


def describe_attainment_design(measure: str, lag: int = ATTAINMENT_LAG) -> str:
    """The attainment design in one sentence, with its window.

    >>> "2016/17" in describe_attainment_design("PTRWM_EXP", 1), "1 year(s) after" in describe_attainment_design("X")
    (False, True)
    """
    return (
        f"Practices named in the report of inspection t; outcome: change of {measure} from the results year "
        f"before t (the academic year ending before the one holding t) to the results year {lag} year(s) after the "
        "one holding t; baseline attainment and context (deprivation, phase, size, academy status) held fixed "
        "(OLS, HC3 errors)."
    )


@dataclass
class AttainmentEpisodes:
    """One row per school: the report of inspection t, attainment before and after t, and context."""

    design: str
    description: str
    measure: str
    subjects: list[str]
    before: np.ndarray
    after: np.ndarray
    matrix: sparse.csr_matrix
    features: list[str]
    evidence: list[str]
    documents: list[str]
    windows: dict[str, int] = field(default_factory=dict)
    candidates: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def change(self) -> np.ndarray:
        return self.after - self.before


def build_attainment_episodes(
    data: AnalysisData, *, polarity: str = "split", lag: int = ATTAINMENT_LAG, measure: str | None = None
) -> AttainmentEpisodes:
    """The attainment design's episodes: practices of the report of inspection t -> change of a headline measure.

    Inspection *t* is a dated report of the school (the date of the inspection it gives, else its issue
    date). The results year before *t* is the academic year before the one holding *t* (so its results
    were published before the inspection); the results year after is ``lag`` academic years after the
    one holding *t*. A school contributes its latest report with results in both years. ``measure`` is
    a notation (default: the first of :data:`HEADLINE_MEASURES` with any episode).

    >>> from schoolkg.analysis.improvement import ObservationRecord as O
    >>> m = "https://w3id.org/schoolkg/id/measure/ptrwm-exp"
    >>> d = AnalysisData(findings=[("s", "pr/a", "strength", "d1")], document_dates={"d1": "2017-11-20"},
    ...                  observations=[O("o1", "s", None, m, "2016/17", 60.0, "t"),
    ...                                O("o2", "s", None, m, "2018/19", 66.0, "t")])
    >>> e = build_attainment_episodes(d)
    >>> e.features, e.change.tolist(), e.windows
    (['a:strength'], [6.0], {'2016/17 -> 2018/19': 1})
    """
    if lag < 0:
        raise ConfigError(f"the attainment lag must be 0 or more academic years, not {lag}")
    if polarity not in POLARITY_MODES:
        raise ConfigError(f"unknown polarity mode {polarity!r}; known: {', '.join(POLARITY_MODES)}")
    wanted = [measure] if measure else list(HEADLINE_MEASURES)
    values: dict[str, dict[tuple[str, int], float]] = defaultdict(dict)
    for o in data.observations:
        if o.subject is None or o.group is not None:
            continue
        note = o.measure.rstrip("/").rsplit("/", 1)[-1]
        for w in wanted:
            if note == slug(w):
                try:
                    values[w][(o.subject, int(o.period[:4]))] = o.value
                except ValueError:
                    continue
    # without results of any wanted measure no report can make an episode: the reports are not needed
    reports = report_features(data, polarity)[0] if any(values.get(w) for w in wanted) else {}
    chosen_measure = wanted[0]
    chosen: list[tuple[str, str, int, float, float]] = []
    via: dict[str, str] = {}
    candidates = 0
    successors: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
    predecessors: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
    for old, new, day in data.successions:
        successors[old].append((new, day))
        predecessors[new].append((old, day))
    for w in wanted:
        table = values.get(w, {})
        rows = []
        followed: dict[str, str] = {}
        for s in sorted(reports):
            for doc in sorted(reports[s], key=lambda d: (data.document_dates[d], d), reverse=True):
                year = academic_year_of(data.document_dates[doc])
                pre = value_across(table, s, year - 1, predecessors, after=False)
                post = value_across(table, s, year + lag, successors, after=True)
                if pre is not None and post is not None:
                    rows.append((s, doc, year, pre[0], post[0]))
                    hops = [f"{_period(y)} from {o}" for (_, o), y in ((pre, year - 1), (post, year + lag)) if o != s]
                    if hops:
                        followed[s] = "; results of " + ", ".join(hops)
                    break
        candidates = len({s for s, _ in table})
        if rows:
            chosen_measure, chosen, via = w, rows, followed
            break
    features = sorted({f for s, doc, *_ in chosen for f in reports[s][doc]})
    index = {f: i for i, f in enumerate(features)}
    r_idx, c_idx = [], []
    for k, (s, doc, *_) in enumerate(chosen):
        present = sorted({index[f] for f in reports[s][doc]})
        r_idx += [k] * len(present)
        c_idx += present
    matrix = sparse.csr_matrix(
        (np.ones(len(r_idx), dtype=np.int8), (np.asarray(r_idx, dtype=np.int64), np.asarray(c_idx, dtype=np.int64))),
        shape=(len(chosen), len(features)),
    )
    windows: dict[str, int] = defaultdict(int)
    for _, _, year, _, _ in chosen:
        windows[f"{_period(year - 1)} -> {_period(year + lag)}"] += 1
    return AttainmentEpisodes(
        design=ATTAINMENT_DESIGN,
        description=describe_attainment_design(chosen_measure, lag),
        measure=chosen_measure,
        subjects=[s for s, *_ in chosen],
        before=np.array([pre for *_, pre, _ in chosen], dtype=float),
        after=np.array([post for *_, post in chosen], dtype=float),
        matrix=matrix,
        features=features,
        evidence=[
            f"{chosen_measure} {pre:g} ({_period(year - 1)}) -> {post:g} ({_period(year + lag)}); report {doc} "
            f"({data.document_dates[doc]}){via.get(s, '')}"
            for s, doc, year, pre, post in chosen
        ],
        documents=[doc for _, doc, *_ in chosen],
        windows=dict(sorted(windows.items())),
        candidates=candidates,
        notes=[
            f"{len(via)} of {len(chosen)} school(s) followed across a change of URN (academy conversion, "
            "amalgamation): results of the establishment it replaced, or that replaced it, in a year it had none."
        ]
        if via
        else [],
    )
