"""Consistency checks: recompute derived figures a source states (gaps, rises in percentage points).

A report says "the gap narrowed to 7.8 percentage points"; its own Figure 1 gives 57.2 and
49.6, whose difference is 7.6. :func:`find_stated_figures` reads such statements from text,
:func:`recompute` derives every candidate value from the observations of the same document
(gaps between a group and its ``non-`` comparator in a period; a group's change between two
periods), and reports a disagreement when no candidate reproduces the stated figure to the
precision it is stated in.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from schoolkg.analysis.improvement import ObservationRecord
from schoolkg.store.base import Store

if TYPE_CHECKING:
    from schoolkg.analysis.graphs import AnalysisData

__all__ = ["Discrepancy", "StatedFigure", "check_data", "check_store", "find_stated_figures", "recompute"]

_NUMBER_PP = re.compile(r"(\d+(?:\.\d+)?)\s*percentage[ -]points?", re.I)
_YEAR = re.compile(r"\b((?:19|20)\d\d)(?:/(\d\d))?\b")
_GAP_WORDS = ("gap", "higher than", "lower than", "behind", "ahead of")
_CHANGE_WORDS = ("increase", "rise", "rose", "improve", "fell", "fall", "decrease", "drop")


@dataclass(frozen=True)
class StatedFigure:
    """A derived figure stated in a text: its kind (gap or change), value, quote, offsets and periods."""

    kind: str
    value: float
    decimals: int
    quote: str
    start: int
    end: int
    periods: tuple[str, ...]
    document: str


@dataclass(frozen=True)
class Discrepancy:
    """A stated figure that none of its possible derivations reproduces."""

    document: str
    kind: str
    stated: float
    recomputed: float
    difference: float
    derivation: str
    stated_quote: str
    source_quote: str
    start: int
    end: int


def find_stated_figures(text: str, document: str = "") -> list[StatedFigure]:
    """Gaps and changes stated in percentage points, clause by clause, with the years of their sentence.

    Examples
    --------
    >>> t = "In 2005 the gap to other schools narrowed to 7.8 percentage points, a rise of 5.2 percentage points."
    >>> [(f.kind, f.value, f.periods) for f in find_stated_figures(t)]
    [('gap', 7.8, ('2005',)), ('change', 5.2, ('2005',))]
    """
    out = []
    for sent in re.finditer(r"[^.!?]+(?:\.\d[^.!?]*)*[.!?]?", text):
        s = sent.group(0)
        if "percentage point" not in s.lower():
            continue
        periods = tuple(sorted({_period(m) for m in _YEAR.finditer(s)}))
        pos = 0
        for clause in re.split(r"(?<=[;,:])\s+", s):
            offset = sent.start() + s.index(clause, pos)
            pos = s.index(clause, pos) + len(clause)
            low = clause.lower()
            kind = (
                "gap" if any(w in low for w in _GAP_WORDS) else "change" if any(w in low for w in _CHANGE_WORDS) else ""
            )
            if not kind:
                continue
            for m in _NUMBER_PP.finditer(clause):
                raw = m.group(1)
                decimals = len(raw.split(".", 1)[1]) if "." in raw else 0
                start = offset
                out.append(
                    StatedFigure(
                        kind, float(raw), decimals, clause.strip(), start, start + len(clause), periods, document
                    )
                )
    return out


def recompute(stated: Sequence[StatedFigure], observations: Sequence[ObservationRecord]) -> list[Discrepancy]:
    """Every stated figure that no derivation from the same document's group observations reproduces.

    >>> obs = [ObservationRecord(f"o{i}", None, g, "m", p, v, "d")
    ...        for i, (g, p, v) in enumerate([("EiC", "2003", 44.4), ("non-EiC", "2003", 54.8),
    ...                                        ("EiC", "2005", 49.6), ("non-EiC", "2005", 57.2)])]
    >>> fig = StatedFigure("gap", 7.8, 1, "the gap narrowed to 7.8 percentage points", 0, 42, ("2005",), "d")
    >>> [(d.recomputed, round(d.difference, 2), d.derivation) for d in recompute([fig], obs)]
    [(7.6, 0.2, 'non-EiC 2005 (57.2) - EiC 2005 (49.6) on m')]
    """
    by_doc: dict[str, list[ObservationRecord]] = defaultdict(list)
    for o in observations:
        if o.group is not None:
            by_doc[o.source].append(o)
    out = []
    for fig in stated:
        candidates = list(_candidates(fig, by_doc.get(fig.document, [])))
        if not candidates:
            continue
        tolerance = 0.5 * 10 ** (-fig.decimals) + 1e-9
        value, derivation, quote = min(candidates, key=lambda c: abs(c[0] - fig.value))
        if abs(value - fig.value) > tolerance:
            out.append(
                Discrepancy(
                    fig.document,
                    fig.kind,
                    fig.value,
                    round(value, 6),
                    fig.value - value,
                    derivation,
                    fig.quote,
                    quote,
                    fig.start,
                    fig.end,
                )
            )
    return out


def check_store(store: Store, data: AnalysisData | None = None) -> pd.DataFrame:
    """Run the consistency check on every document that is the source of group observations.

    ``data`` is the run's one read of the store (:func:`~schoolkg.analysis.graphs.read_analysis_data`);
    given it, the store is not read again.
    """
    if data is None:
        from schoolkg.analysis.graphs import read_analysis_data

        data = read_analysis_data(store)
    return check_data(data)


def check_data(data: AnalysisData) -> pd.DataFrame:
    """The consistency check on data already read: the texts and group observations of each source."""
    observations = [o for o in data.observations if o.group is not None]
    found: list[Discrepancy] = []
    for doc in sorted({o.source for o in observations}):
        text = data.document_texts.get(doc)
        if text is not None:
            found += recompute(find_stated_figures(text, doc), observations)
    return discrepancy_frame(found)


def discrepancy_frame(found: Iterable[Discrepancy]) -> pd.DataFrame:
    """Discrepancies as a table (the CSV and the report section)."""
    cols = list(Discrepancy.__dataclass_fields__)
    return pd.DataFrame([d.__dict__ for d in found], columns=cols)


def _candidates(fig: StatedFigure, obs: Sequence[ObservationRecord]) -> Iterable[tuple[float, str, str]]:
    table: dict[tuple[str, str], dict[str, ObservationRecord]] = defaultdict(dict)
    for o in obs:
        table[(o.measure, o.group or "")][o.period] = o
    measures = {m for m, _ in table}
    for m in sorted(measures):
        groups = sorted(g for mm, g in table if mm == m)
        for g in groups:
            series = table[(m, g)]
            if fig.kind == "gap":
                for c in groups:
                    if c.lower() != f"non-{g.lower()}":
                        continue
                    for p in sorted(set(series) & set(table[(m, c)])):
                        if fig.periods and p not in fig.periods:
                            continue
                        a, b = table[(m, c)][p], series[p]
                        yield (
                            a.value - b.value,
                            f"{c} {p} ({a.value:g}) - {g} {p} ({b.value:g}) on {_local(m)}",
                            _quote(a, b),
                        )
            else:
                periods = sorted(series)
                for i, p0 in enumerate(periods):
                    for p1 in periods[i + 1 :]:
                        if fig.periods and p1 not in fig.periods and p0 not in fig.periods:
                            continue
                        a, b = series[p1], series[p0]
                        yield (
                            a.value - b.value,
                            f"{g} {p1} ({a.value:g}) - {g} {p0} ({b.value:g}) on {_local(m)}",
                            _quote(a, b),
                        )


def _quote(a: ObservationRecord, b: ObservationRecord) -> str:
    return f"{a.group}, {a.period}: {a.value:g}; {b.group}, {b.period}: {b.value:g} ({a.iri}, {b.iri})"


def _local(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


def _period(m: re.Match[str]) -> str:
    """An academic year 2002/03 is labelled by the year it ends in (2003), as DfES tables are."""
    year, short = m.group(1), m.group(2)
    return str(int(year) + 1) if short else year
