"""Precision and recall of extraction against hand-made gold annotations, per field.

Matching rules (one predicted item matches at most one gold item, greedily in reading order):

- entities: same type and same name (case-insensitive, spaces collapsed); for schools also the
  same URN (both null counts as the same).
- participations: same subject and same programme, where subject and programme are compared
  by their entities' (type, name), not by the per-document ids.
- findings: same subject, same polarity and overlapping [start, end) spans (one finding per
  evaluative statement, issue 14: gold items of one sentence with the same subject and polarity
  are one statement; the practice concept is not matched, :func:`practice_agreement` reports it).
- judgements: same subject, area, grade label and date.
- figures: same value (to 0.01) and unit, and overlapping spans.

A gold document may carry ``document.scored_spans`` ([start, end) character ranges): when it does,
only findings, participations, judgements and figures that start inside one of those ranges are
scored, predicted and gold alike (for long documents annotated in part). Entities are always
scored for the whole document.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schoolkg.extract.contract import FIELDS

__all__ = ["Score", "evaluate", "in_scored_spans", "load_gold", "programme_agreement", "score_document", "statements"]

Item = dict[str, Any]


@dataclass
class Score:
    """Counts of true positives, predictions and gold items for one field."""

    tp: int = 0
    predicted: int = 0
    gold: int = 0
    misses: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        """tp / predicted (1.0 when nothing was predicted).

        >>> Score(3, 4, 6).precision, Score(3, 4, 6).recall
        (0.75, 0.5)
        """
        return self.tp / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        """tp / gold (1.0 when there is no gold item)."""
        return self.tp / self.gold if self.gold else 1.0

    def add(self, other: Score) -> None:
        """Accumulate another score's counts into this one."""
        self.tp += other.tp
        self.predicted += other.predicted
        self.gold += other.gold
        self.misses += other.misses
        self.spurious += other.spurious


def _norm(name: str | None) -> str:
    return " ".join((name or "").lower().split())


Resolver = Callable[[str], tuple[str, str]]


def _resolver(doc: dict[str, Any]) -> Resolver:
    ents = {e["id"]: (e["type"], _norm(e["name"])) for e in doc.get("entities", [])}
    return lambda ident: ents.get(ident, ("Document", ident))


def _overlap(a: Item, b: Item) -> bool:
    return a["start"] < b["end"] and b["start"] < a["end"]


def _keyed(field_name: str, item: Item, who: Callable[[str], tuple[str, str]]) -> tuple:
    if field_name == "entities":
        return (item["type"], _norm(item["name"]), item.get("urn") if item["type"] == "School" else None)
    if field_name == "participations":
        return (who(item["subject"]), who(item["programme"]))
    if field_name == "findings":
        return (who(item["subject"]), item["polarity"])
    if field_name == "judgements":
        return (who(item["subject"]), item["area"], item["grade_label"], item.get("date"))
    return (round(float(item["value"]), 2), item["unit"])


def _match(field_name: str, pred: Iterable[Item], gold: Iterable[Item], pw: Resolver, gw: Resolver) -> Score:
    pred, gold = list(pred), list(gold)
    spans = field_name in ("findings", "figures")
    used: set[int] = set()
    score = Score(predicted=len(pred), gold=len(gold))
    for p in pred:
        key = _keyed(field_name, p, pw)
        hit = next(
            (
                i
                for i, g in enumerate(gold)
                if i not in used and _keyed(field_name, g, gw) == key and (not spans or _overlap(p, g))
            ),
            None,
        )
        if hit is None:
            score.spurious.append(f"{key} {p.get('quote', '')[:60]!r}")
        else:
            used.add(hit)
            score.tp += 1
    score.misses = [
        f"{_keyed(field_name, g, gw)} {g.get('quote', '')[:60]!r}" for i, g in enumerate(gold) if i not in used
    ]
    return score


def in_scored_spans(items: Iterable[Item], spans: list[list[int]] | None) -> list[Item]:
    """The items that start inside one of ``spans`` (all items when ``spans`` is None).

    >>> [i["start"] for i in in_scored_spans([{"start": 3}, {"start": 12}], [[0, 10]])]
    [3]
    """
    if spans is None:
        return list(items)
    return [i for i in items if any(s <= i["start"] < e for s, e in spans)]


def statements(findings: Iterable[Item]) -> list[Item]:
    """Gold findings as statements: items with the same span, subject and polarity are one.

    >>> len(statements([{"start": 0, "end": 9, "subject": "s", "polarity": "weakness", "practice": "a"},
    ...                 {"start": 0, "end": 9, "subject": "s", "polarity": "weakness", "practice": "b"}]))
    1
    """
    out: dict[tuple, Item] = {}
    for f in findings:
        out.setdefault((f["start"], f["end"], f["subject"], f["polarity"]), f)
    return list(out.values())


def score_document(predicted: dict[str, Any], gold: dict[str, Any]) -> dict[str, Score]:
    """Scores per field for one document's predicted contract object against its gold object."""
    pw, gw = _resolver(predicted), _resolver(gold)
    spans = gold.get("document", {}).get("scored_spans")
    out = {}
    for f in FIELDS:
        keep = (lambda items: list(items)) if f == "entities" else (lambda items: in_scored_spans(items, spans))
        golds = keep(gold.get(f, []))
        out[f] = _match(f, keep(predicted.get(f, [])), statements(golds) if f == "findings" else golds, pw, gw)
    return out


def programme_agreement(predicted: dict[str, Any], gold: dict[str, Any]) -> tuple[int, int]:
    """(agreeing, compared) over the matched findings whose gold names the programme or strand its
    passage is about: how many the prediction attributes to the same programme (compared by name)."""
    pw, gw = _resolver(predicted), _resolver(gold)
    spans = gold.get("document", {}).get("scored_spans")
    golds = statements(in_scored_spans(gold.get("findings", []), spans))
    used: set[int] = set()
    agree = compared = 0
    for p in in_scored_spans(predicted.get("findings", []), spans):
        key = _keyed("findings", p, pw)
        hit = next(
            (i for i, g in enumerate(golds) if i not in used and _keyed("findings", g, gw) == key and _overlap(p, g)),
            None,
        )
        if hit is None:
            continue
        used.add(hit)
        if golds[hit].get("programme"):
            compared += 1
            agree += bool(p.get("programme")) and pw(p["programme"]) == gw(golds[hit]["programme"])
    return agree, compared


def load_gold(folder: Path) -> list[dict[str, Any]]:
    """Every gold object in the ``*.jsonl`` files of ``folder``, sorted by file name."""
    out: list[dict[str, Any]] = []
    for path in sorted(folder.glob("*.jsonl")):
        out.extend(json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return out


def evaluate(pairs: Iterable[tuple[dict[str, Any], dict[str, Any]]]) -> dict[str, Score]:
    """Micro-averaged scores per field over (predicted, gold) pairs."""
    total = {f: Score() for f in FIELDS}
    for predicted, gold in pairs:
        for f, s in score_document(predicted, gold).items():
            total[f].add(s)
    return total
