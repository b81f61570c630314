"""Improvement labels, defined as data: which subjects improved, and the evidence for each label.

Three definitions, in the registry :data:`LABELLERS` (the CLI's ``--improvement`` choices):

``grade``
    The latest pair of consecutive judgements of one area (overall effectiveness by default)
    for the subject: improved when the later grade is better (skg:Improvement nodes).
``attainment``
    The same measure for the same subject in its earliest and latest period: improved when the
    value rose by more than ``threshold``.
``gap``
    A group's gap to a comparator group (EiC partnership schools vs non-EiC ones) on the same
    measure in the earliest and latest shared period: improved when the gap narrowed. Group
    figures are reported by a document, so the labelled unit is that document.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from schoolkg.errors import ConfigError
from schoolkg.vocab import SKG

__all__ = [
    "LABELLERS",
    "ImprovementRecord",
    "Labels",
    "ObservationRecord",
    "get_labeller",
    "label_attainment",
    "label_gap",
    "label_grade",
]

OVERALL = SKG.overallEffectiveness.value


@dataclass(frozen=True)
class ImprovementRecord:
    """One skg:Improvement: subject, area judged, dates, direction (local name), signed change, grades (1-4)."""

    iri: str
    subject: str
    area: str
    before_date: str
    after_date: str
    direction: str
    change: float | None
    before_grade: int | None = None
    after_grade: int | None = None


@dataclass(frozen=True)
class ObservationRecord:
    """One skg:Observation: about a subject, or for a comparison group; its source document."""

    iri: str
    subject: str | None
    group: str | None
    measure: str
    period: str
    value: float
    source: str


@dataclass(frozen=True)
class Labels:
    """Binary improvement labels: ``improved[i]`` for ``subjects[i]``, with ``evidence[i]``."""

    definition: str
    unit: str
    subjects: list[str]
    improved: np.ndarray
    evidence: list[str]

    def __len__(self) -> int:
        return len(self.subjects)


def label_grade(records: Sequence[ImprovementRecord], area: str = OVERALL) -> Labels:
    """Label each subject by its latest grade change in ``area`` (improved vs stable or declined).

    >>> r = [ImprovementRecord("i1", "s", OVERALL, "2010-01-01", "2013-01-01", "declined", -1.0),
    ...      ImprovementRecord("i2", "s", OVERALL, "2013-01-01", "2016-01-01", "improved", 1.0)]
    >>> lab = label_grade(r)
    >>> lab.subjects, lab.improved.tolist(), lab.evidence[0]
    (['s'], [True], 'i2: improved (+1) 2013-01-01 -> 2016-01-01')
    """
    latest: dict[str, ImprovementRecord] = {}
    for r in records:
        if r.area != area:
            continue
        if r.subject not in latest or (r.after_date, r.iri) > (latest[r.subject].after_date, latest[r.subject].iri):
            latest[r.subject] = r
    subjects = sorted(latest)
    evidence = [_grade_evidence(latest[s]) for s in subjects]
    improved = np.array([latest[s].direction == "improved" for s in subjects], dtype=bool)
    area_name = area.rsplit("#", 1)[-1]
    return Labels(
        f"latest change of the {area_name} grade between consecutive inspections: improved vs stable or declined",
        "school",
        subjects,
        improved,
        evidence,
    )


def label_attainment(
    observations: Sequence[ObservationRecord], measure: str | None = None, threshold: float = 0.0
) -> Labels:
    """Label each subject by the change of one measure between its earliest and latest period.

    With ``measure=None`` the measure observed in two or more periods for the most subjects is used.

    >>> obs = [ObservationRecord("o1", "s", None, "m", "2016/17", 60.0, "t"),
    ...        ObservationRecord("o2", "s", None, "m", "2018/19", 64.5, "t")]
    >>> label_attainment(obs).evidence
    ['m: 60 (2016/17) -> 64.5 (2018/19), change +4.5']
    """
    series: dict[tuple[str, str], list[ObservationRecord]] = defaultdict(list)
    for o in observations:
        if o.subject is not None:
            series[(o.subject, o.measure)].append(o)
    series = {k: v for k, v in series.items() if len({o.period for o in v}) >= 2}
    if measure is None:
        counts: dict[str, int] = defaultdict(int)
        for _, m in series:
            counts[m] += 1
        measure = max(sorted(counts), key=counts.__getitem__) if counts else ""
    subjects, improved, evidence = [], [], []
    for (subject, m), obs in sorted(series.items()):
        if m != measure:
            continue
        first, last = min(obs, key=lambda o: o.period), max(obs, key=lambda o: o.period)
        change = last.value - first.value
        subjects.append(subject)
        improved.append(change > threshold)
        evidence.append(f"{m}: {first.value:g} ({first.period}) -> {last.value:g} ({last.period}), change {change:+g}")
    return Labels(
        f"change of {measure or 'a measure'} between the earliest and latest period: improved if it rose by more than "
        f"{threshold:g}",
        "school",
        subjects,
        np.array(improved, dtype=bool),
        evidence,
    )


def label_gap(
    observations: Sequence[ObservationRecord], group: str | None = None, comparator: str | None = None
) -> Labels:
    """Label each (group, comparator) pair by whether the group's gap to the comparator narrowed.

    Pairs are groups reported by the same document for the same measure; by default every group
    whose name is another's prefixed with ``non-`` (``EiC ...`` vs ``non-EiC ...``). The unit
    labelled is the reporting document (findings of that document make its profile).

    >>> obs = [ObservationRecord(f"o{i}", None, g, "m", p, v, "doc")
    ...        for i, (g, p, v) in enumerate([("EiC", "2003", 44.4), ("non-EiC", "2003", 54.8),
    ...                                        ("EiC", "2005", 49.6), ("non-EiC", "2005", 57.2)])]
    >>> lab = label_gap(obs)
    >>> lab.subjects, lab.improved.tolist(), lab.evidence[0]
    (['doc'], [True], 'EiC vs non-EiC on m: gap 10.4 (2003) -> 7.6 (2005), narrowed by 2.8')
    """
    table: dict[tuple[str, str], dict[str, dict[str, float]]] = defaultdict(lambda: defaultdict(dict))
    for o in observations:
        if o.group is not None:
            table[(o.source, o.measure)][o.group][o.period] = o.value
    subjects, improved, evidence = [], [], []
    for (source, measure), groups in sorted(table.items()):
        for g in sorted(groups):
            comps = [comparator] if comparator else [c for c in groups if c.lower() == f"non-{g.lower()}"]
            if group and g != group:
                continue
            for c in comps:
                if c not in groups:
                    continue
                shared = sorted(set(groups[g]) & set(groups[c]))
                if len(shared) < 2:
                    continue
                first, last = shared[0], shared[-1]
                gap0 = groups[c][first] - groups[g][first]
                gap1 = groups[c][last] - groups[g][last]
                narrowed = abs(gap1) < abs(gap0)
                subjects.append(source)
                improved.append(narrowed)
                evidence.append(
                    f"{g} vs {c} on {measure}: gap {gap0:.3g} ({first}) -> {gap1:.3g} ({last}), "
                    f"{'narrowed' if narrowed else 'did not narrow'} by {abs(gap0) - abs(gap1):.3g}"
                )
    return Labels(
        "change of a group's gap to its comparator group between the earliest and latest shared period: "
        "improved if it narrowed",
        "document",
        subjects,
        np.array(improved, dtype=bool),
        evidence,
    )


def _grade_evidence(r: ImprovementRecord) -> str:
    change = "" if r.change is None else f" ({r.change:+g})"
    return f"{r.iri}: {r.direction}{change} {r.before_date} -> {r.after_date}"


LABELLERS: dict[str, Callable[..., Labels]] = {}


def register(name: str, func: Callable[..., Labels]) -> None:
    """Add an improvement definition under ``name``."""
    LABELLERS[name] = func


def get_labeller(name: str) -> Callable[..., Labels]:
    """The labeller registered as ``name``, or ConfigError listing the known ones."""
    if name not in LABELLERS:
        raise ConfigError(f"unknown improvement definition {name!r}; known: {', '.join(sorted(LABELLERS))}")
    return LABELLERS[name]


register("grade", lambda data, **kw: label_grade(data.improvements, **kw))
register("attainment", lambda data, **kw: label_attainment(data.observations, **kw))
register("gap", lambda data, **kw: label_gap(data.observations, **kw))
