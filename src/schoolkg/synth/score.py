"""Score extraction against the planted statements of synthetic reports (``statements.csv``).

For each planted statement: is it found in the ingested text, does a finding overlap it, does an
overlapping finding name its practice, and with which polarity. For each school: the features
(``practice:polarity``) its findings give against the features planted — which is what the
analysis sees. Works on :class:`schoolkg.model.Extraction` records, so it needs no extractor.
"""

from __future__ import annotations

import csv
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from schoolkg.model import Extraction

__all__ = ["ExtractionScore", "read_statements", "score_extractions"]

_UNIFY = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00ad": None})


def _normalise(text: str) -> tuple[str, list[int]]:
    """``text`` NFKC-folded, quotes/dashes unified, whitespace collapsed; and each char's offset in ``text``."""
    out: list[str] = []
    where: list[int] = []
    space = False
    for i, ch in enumerate(text):
        for c in unicodedata.normalize("NFKC", ch).translate(_UNIFY).casefold():
            if c.isspace():
                if not space and out:
                    out.append(" ")
                    where.append(i)
                space = True
            else:
                out.append(c)
                where.append(i)
                space = False
    return "".join(out), where


def read_statements(path: Path) -> dict[str, list[dict[str, str]]]:
    """The planted statements of ``statements.csv``, by document file name."""
    out: dict[str, list[dict[str, str]]] = defaultdict(list)
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            out[row["document"]].append(row)
    return dict(out)


@dataclass
class ExtractionScore:
    """Counts over planted statements and school features."""

    statements: int = 0
    located: int = 0  # the statement's text was found in the ingested text
    detected: int = 0  # a finding overlaps it
    practice: int = 0  # an overlapping finding names the planted practice
    feature: int = 0  # ... with the planted polarity
    polarity_right: Counter[str] = field(default_factory=Counter)  # by form, over detected statements
    polarity_seen: Counter[str] = field(default_factory=Counter)
    by_practice: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))  # [found, of]
    features_planted: int = 0
    features_found: int = 0  # planted features the school's findings give
    features_extracted: int = 0  # features the school's findings give
    features_spurious: Counter[str] = field(default_factory=Counter)  # given but not planted, by feature

    @property
    def practice_recall(self) -> float:
        return self.feature / self.statements if self.statements else 0.0

    @property
    def feature_recall(self) -> float:
        return self.features_found / self.features_planted if self.features_planted else 0.0

    @property
    def feature_precision(self) -> float:
        return self.features_found / self.features_extracted if self.features_extracted else 0.0

    def polarity_accuracy(self, form: str | None = None) -> float:
        right = sum(self.polarity_right.values()) if form is None else self.polarity_right[form]
        seen = sum(self.polarity_seen.values()) if form is None else self.polarity_seen[form]
        return right / seen if seen else 0.0

    def summary(self) -> dict[str, float | int]:
        """The headline numbers as a flat dict (for printing and docs)."""
        return {
            "statements": self.statements,
            "located": self.located,
            "detected": self.detected,
            "practice named": self.practice,
            "practice and polarity": self.feature,
            "statement practice recall": round(self.practice_recall, 3),
            "polarity accuracy (detected)": round(self.polarity_accuracy(), 3),
            **{f"polarity accuracy {f}": round(self.polarity_accuracy(f), 3) for f in sorted(self.polarity_seen)},
            "school features planted": self.features_planted,
            "school feature recall": round(self.feature_recall, 3),
            "school feature precision": round(self.feature_precision, 3),
        }


def _slug(iri: str | None) -> str | None:
    return iri.rstrip("/").rsplit("/", 1)[-1] if iri else None


def score_extractions(
    extractions: Iterable[tuple[str, Extraction]], statements: dict[str, list[dict[str, str]]]
) -> ExtractionScore:
    """Score ``(document file name, extraction)`` pairs against the planted ``statements``."""
    score = ExtractionScore()
    for name, ex in extractions:
        gold = statements.get(name, [])
        text, where = _normalise(ex.document.text)
        planted = {f"{g['practice']}:{g['polarity']}" for g in gold}
        found = {f"{_slug(f.practice)}:{f.polarity}" for f in ex.findings if f.practice}
        score.features_planted += len(planted)
        score.features_found += len(planted & found)
        score.features_extracted += len(found)
        score.features_spurious.update(found - planted)
        for g in gold:
            score.statements += 1
            tally = score.by_practice[g["practice"]]
            tally[1] += 1
            needle, _ = _normalise(g["text"])
            at = text.find(needle)
            if at < 0:
                continue
            score.located += 1
            start, end = where[at], where[at + len(needle) - 1] + 1
            over = [f for f in ex.findings if f.start < end and f.end > start]
            if not over:
                continue
            score.detected += 1
            main = max(over, key=lambda f: min(f.end, end) - max(f.start, start))
            score.polarity_seen[g["form"]] += 1
            score.polarity_right[g["form"]] += main.polarity == g["polarity"]
            named = [f for f in over if _slug(f.practice) == g["practice"]]
            score.practice += bool(named)
            if any(f.polarity == g["polarity"] for f in named):
                score.feature += 1
                tally[0] += 1
    return score
