"""Score extraction against the real-format gold set (tests/fixtures/reports/SCHEMA.md).

The gold names every item by a snippet of the document as a reader sees it; this module finds
each snippet in the ingested text (after the same folding on both sides: NFKC, case, quotes,
dashes, soft hyphens, whitespace), so text fidelity is scored too: a snippet the ingest cannot
reproduce is a miss. Fields scored (see SCHEMA.md "Scoring"): school identity, judgements,
previous judgements, findings (span overlap + polarity; kind, theme and subject agreement over
matched pairs), figures.

Run ``python -m schoolkg.extract.scoring FOLDER [--pooled-only]`` to print the scores of a split;
``--pooled-only`` prints no document names, snippets or misses (for the held-out split).
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schoolkg.extract.evaluate import Score

__all__ = [
    "DocumentScore",
    "SplitScore",
    "fold",
    "load_report_gold",
    "locate",
    "score_report",
    "score_split",
]

Item = dict[str, Any]

_QUOTES = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    }
)  # fmt: skip


def fold(text: str) -> tuple[str, list[int]]:
    """Fold ``text`` for matching and map each folded character back to its offset in ``text``.

    NFKC per character (ligatures become letters), case folded, curly quotes and dashes made
    plain, soft hyphens dropped, every run of whitespace one space.

    >>> folded, where = fold("Sta\\ufb00  \\u2018good\\u2019")
    >>> folded, where[3], where[5]
    ("staff 'good'", 3, 4)
    """
    out: list[str] = []
    where: list[int] = []
    space = False
    for i, ch in enumerate(text):
        if ch == "\u00ad":
            continue
        if ch.isspace():
            if not space and out:
                out.append(" ")
                where.append(i)
            space = True
            continue
        space = False
        for c in unicodedata.normalize("NFKC", ch).translate(_QUOTES).casefold():
            out.append(c)
            where.append(i)
    return "".join(out), where


@dataclass
class _Folded:
    text: str
    folded: str
    where: list[int]

    @classmethod
    def of(cls, text: str) -> _Folded:
        folded, where = fold(text)
        return cls(text, folded, where)


def locate(snippet: str, text: _Folded | str) -> tuple[int, int] | None:
    """The [start, end) of ``snippet`` in ``text`` (first occurrence), compared folded; None if absent.

    >>> locate("the staff are well trained", "Overall, the sta\\ufb00\\nare well trained.")
    (9, 34)
    """
    doc = text if isinstance(text, _Folded) else _Folded.of(text)
    needle = fold(snippet)[0].strip()
    if not needle:
        return None
    at = doc.folded.find(needle)
    if at < 0:
        return None
    return doc.where[at], doc.where[at + len(needle) - 1] + 1


def load_report_gold(folder: Path) -> list[tuple[Path, Item]]:
    """Every ``*.gold.json`` under ``folder`` with the path of its document, sorted."""
    out = []
    for path in sorted(Path(folder).glob("*.gold.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        out.append((path.parent / gold["document"], gold))
    return out


@dataclass
class DocumentScore:
    """The scores of one document, by field, plus agreement counts over matched findings."""

    name: str
    format: str
    fields: dict[str, Score]
    agreement: dict[str, list[int]] = field(default_factory=dict)  # kind/theme/subject: [agree, matched]
    identified: bool = False
    format_correct: bool = False
    unresolved: list[str] = field(default_factory=list)
    unclassified: list[int] = field(default_factory=lambda: [0, 0])  # [unclassified, predicted findings]


FIELDS = ("judgements", "previous", "findings", "figures")


def _norm(value: Any) -> str:
    return " ".join(str(value or "").casefold().replace("-", " ").replace(",", " ").split())


def _norm_la(value: Any) -> str:
    """An LA name compared without the DfE list's ', City of' / ', County of' and full stops
    ('Kingston Upon Hull, City of' is 'Kingston upon Hull'; 'St. Helens' is 'St Helens').

    >>> _norm_la("Kingston Upon Hull, City of") == _norm_la("Kingston upon Hull")
    True
    """
    name = _norm(str(value or "").replace(".", ""))
    for suffix in (" city of", " county of"):
        name = name.removesuffix(suffix)
    return name


_COUNTED = {"pupils", "students", "children", "learners", "count"}


def _unit(unit: Any) -> str:
    """A figure's unit compared between the gold and the contract: the gold names what a count counts
    ("pupils") where the JSON contract says "count", and writes "percentage-points" for "percentage points".

    >>> _unit("pupils") == _unit("count"), _unit("percentage-points") == _unit("percentage points")
    (True, True)
    """
    name = _norm(unit)
    return "count" if name in _COUNTED else name


def _subject_entity(pred: Item, gold: Item) -> Item | None:
    """The entity the prediction says the document is about (``document.subject``), else its
    first School (or, for an LA inspection, its first LocalAuthority)."""
    ents = {e["id"]: e for e in pred.get("entities", [])}
    subject = pred.get("document", {}).get("subject")
    if subject in ents:
        return ents[subject]
    want = "LocalAuthority" if gold.get("subject_type") == "local_authority" else "School"
    return next((e for e in pred.get("entities", []) if e.get("type") == want), None)


def _identified(pred: Item, gold: Item) -> bool:
    school = gold.get("school")
    if gold.get("subject_type") != "school" or not school:
        la = gold.get("local_authority")
        if gold.get("subject_type") == "local_authority" and la:
            ent = _subject_entity(pred, gold)
            return ent is not None and _norm_la(ent.get("name")) == _norm_la(la)
        return True  # a survey of unnamed schools has no school to identify
    ent = _subject_entity(pred, gold)
    if ent is None:
        return False
    for key in ("name", "urn", "local_authority"):
        norm = _norm_la if key == "local_authority" else _norm
        if school.get(key) is not None and norm(ent.get(key)) != norm(school[key]):
            return False
    return True


_STRANDS = {
    "learning mentor": "learning-mentors",
    "learning support unit": "lsu",
    "lsu": "lsu",
    "city learning centre": "clc",
    "clc": "clc",
    "gifted and talented": "gifted-and-talented",
    "leadership incentive grant": "lig",
    "behaviour improvement": "bip",
    "excellence cluster": "excellence-clusters",
    "aimhigher": "aimhigher",
    "education action zone": "eaz",
    "excellence in cities": "eic",
}


def _strand_key(name: str) -> str | None:
    low = _norm(name)
    return next((key for words, key in _STRANDS.items() if words in low), None)


def _finding_subject(item: Item, pred: Item, subject_id: str | None) -> str:
    ents = {e["id"]: e for e in pred.get("entities", [])}
    programme = item.get("programme")
    if programme in ents:
        key = _strand_key(ents[programme].get("name", ""))
        if key:
            return key
    who = item.get("subject")
    if who == "document":
        return "group"
    ent = ents.get(who)
    if ent is not None and ent.get("type") == "Programme":
        return _strand_key(ent.get("name", "")) or "group"
    if ent is not None and ent.get("type") == "LocalAuthority":
        return "la"
    return "school" if who == subject_id or ent is not None else "group"


def _resolve(items: Iterable[Item], doc: _Folded, unresolved: list[str], what: str) -> list[Item]:
    out = []
    for item in items:
        span = locate(item["snippet"], doc)
        if span is None:
            unresolved.append(f"{what}: {item['snippet'][:80]}")
            out.append({**item, "start": -2, "end": -1})  # a miss: overlaps nothing
        else:
            out.append({**item, "start": span[0], "end": span[1]})
    return out


def _overlap(a: Item, b: Item) -> bool:
    return a["start"] < b["end"] and b["start"] < a["end"]


def _match(
    pred: list[Item], gold: list[Item], same: Callable[[Item, Item], bool], describe: Callable[[Item], str]
) -> tuple[Score, list[tuple[Item, Item]]]:
    score = Score(predicted=len(pred), gold=len(gold))
    used: set[int] = set()
    pairs = []
    for p in pred:
        hit = next((i for i, g in enumerate(gold) if i not in used and same(p, g)), None)
        if hit is None:
            score.spurious.append(describe(p))
        else:
            used.add(hit)
            score.tp += 1
            pairs.append((p, gold[hit]))
    score.misses = [describe(g) for i, g in enumerate(gold) if i not in used]
    return score, pairs


def score_report(pred: Item, text: str, gold: Item, name: str = "") -> DocumentScore:
    """Score one document's extraction ``pred`` (the JSON contract) against its gold, with the
    ingested ``text`` the offsets refer to."""
    doc = _Folded.of(text)
    result = DocumentScore(name, gold.get("format", "?"), {})
    result.identified = _identified(pred, gold)
    result.format_correct = pred.get("document", {}).get("format") == gold.get("format")
    subject = _subject_entity(pred, gold)
    subject_id = subject["id"] if subject else None

    def key(j: Item) -> tuple[str, str, str]:
        return _norm(j.get("area")), _norm(j.get("scale")), _norm(j.get("label", j.get("grade_label")))

    judged = [j for j in pred.get("judgements", []) if j.get("subject") in (subject_id, None)]
    now = [j for j in judged if not j.get("previous")]
    before = [j for j in judged if j.get("previous")]
    result.fields["judgements"], _ = _match(
        now, gold.get("judgements", []), lambda p, g: key(p) == key(g), lambda j: "/".join(key(j))
    )

    def prev_key(j: Item) -> tuple[str, str, str]:
        return _norm(j.get("area")), _norm(j.get("label", j.get("grade_label"))), str(j.get("date"))

    result.fields["previous"], _ = _match(
        before, gold.get("previous", []), lambda p, g: prev_key(p) == prev_key(g), lambda j: "/".join(prev_key(j))
    )

    gold_findings = _resolve(gold.get("findings", []), doc, result.unresolved, "finding")
    findings = pred.get("findings", [])
    result.unclassified = [sum(1 for f in findings if f.get("theme") in (None, "", "unclassified")), len(findings)]
    score, pairs = _match(
        findings,
        gold_findings,
        lambda p, g: _overlap(p, g) and p.get("polarity") == g["polarity"],
        lambda f: (
            f"{f.get('polarity')}: {text[max(f['start'], 0) : f['end']][:90]!r}"
            if f["start"] >= 0
            else f"{f.get('polarity')}: (not in text) {f.get('snippet', '')[:80]!r}"
        ),
    )
    result.fields["findings"] = score
    result.agreement = {
        "kind": [sum(p.get("kind") == g["kind"] for p, g in pairs), len(pairs)],
        "theme": [sum(p.get("theme") == g["theme"] for p, g in pairs), len(pairs)],
        "subject": [sum(_finding_subject(p, pred, subject_id) == g["subject"] for p, g in pairs), len(pairs)],
    }

    gold_figures = _resolve(gold.get("figures", []), doc, result.unresolved, "figure")
    result.fields["figures"], _ = _match(
        pred.get("figures", []),
        gold_figures,
        lambda p, g: (
            _overlap(p, g)
            and abs(float(p["value"]) - float(g["value"])) < 0.01
            and _unit(p["unit"]) == _unit(g["unit"])
        ),
        lambda f: f"{f.get('value')} {f.get('unit')}",
    )
    return result


@dataclass
class SplitScore:
    """Scores of a whole split: per document, pooled, and pooled per format."""

    documents: list[DocumentScore]

    def pooled(self, docs: Iterable[DocumentScore] | None = None) -> dict[str, Score]:
        """Counts summed over ``docs`` (all documents by default), by field."""
        total = {name: Score() for name in FIELDS}
        for d in self.documents if docs is None else docs:
            for name, s in d.fields.items():
                total[name].add(s)
        return total

    def agreement(self) -> dict[str, float]:
        """Share of matched findings whose kind, theme and subject agree with the gold."""
        sums: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for d in self.documents:
            for k, (agree, n) in d.agreement.items():
                sums[k][0] += agree
                sums[k][1] += n
        return {k: (a / n if n else 1.0) for k, (a, n) in sums.items()}

    def identified(self) -> float:
        """Share of documents whose subject (school or LA) was identified."""
        return sum(d.identified for d in self.documents) / max(len(self.documents), 1)

    def formats_correct(self) -> float:
        """Share of documents whose format key was detected correctly."""
        return sum(d.format_correct for d in self.documents) / max(len(self.documents), 1)

    def unclassified_share(self) -> float:
        """Share of predicted findings with no concept theme (``unclassified``)."""
        u = sum(d.unclassified[0] for d in self.documents)
        n = sum(d.unclassified[1] for d in self.documents)
        return u / n if n else 0.0

    def by_format(self) -> dict[str, dict[str, Score]]:
        """Pooled counts per format key."""
        groups: dict[str, list[DocumentScore]] = defaultdict(list)
        for d in self.documents:
            groups[d.format].append(d)
        return {fmt: self.pooled(ds) for fmt, ds in sorted(groups.items())}

    def summary(self, pooled_only: bool = False) -> str:
        """A plain-text report; ``pooled_only`` leaves out document names and every miss."""
        lines = [f"documents: {len(self.documents)}"]
        lines.append(f"subject identified: {self.identified():.2f}   format detected: {self.formats_correct():.2f}")
        for name, s in self.pooled().items():
            lines.append(
                f"{name:11} P {s.precision:.2f}  R {s.recall:.2f}  (tp {s.tp}, predicted {s.predicted}, gold {s.gold})"
            )
        agree = self.agreement()
        lines.append("matched findings agreeing: " + ", ".join(f"{k} {v:.2f}" for k, v in agree.items()))
        lines.append(f"unclassified share of predicted findings: {self.unclassified_share():.2f}")
        lines.append("per format (findings P/R, judgements R):")
        for fmt, scores in self.by_format().items():
            f, j = scores["findings"], scores["judgements"]
            lines.append(f"  {fmt:14} findings {f.precision:.2f}/{f.recall:.2f}  judgements R {j.recall:.2f}")
        if not pooled_only:
            for d in self.documents:
                f = d.fields["findings"]
                mark = "" if d.identified else "  SUBJECT NOT IDENTIFIED"
                lines.append(f"{d.name}: findings {f.precision:.2f}/{f.recall:.2f}{mark}")
                lines.extend(f"    unresolved {u}" for u in d.unresolved)
        return "\n".join(lines)


def score_split(folder: Path) -> SplitScore:
    """Ingest and extract every gold document under ``folder`` and score it."""
    from schoolkg.errors import SchoolkgError
    from schoolkg.extract.contract import to_json
    from schoolkg.extract.document import extract_document
    from schoolkg.extract.lexicon import load_lexicon
    from schoolkg.ingest.documents import read_document
    from schoolkg.ingest.segment import segment_document

    thesaurus, gazetteer = load_lexicon()
    docs = []
    for path, gold in load_report_gold(folder):
        try:
            document = read_document(path, path.parent)
        except SchoolkgError:
            empty: Item = {"document": {}, "entities": [], "findings": [], "judgements": [], "figures": []}
            docs.append(score_report(empty, "", gold, path.name))
            continue
        extraction = extract_document(segment_document(document), thesaurus, gazetteer)
        docs.append(score_report(to_json(extraction), document.text, gold, path.name))
    return SplitScore(docs)


def main(argv: list[str] | None = None) -> int:
    """Print the scores of a gold split folder."""
    parser = argparse.ArgumentParser(prog="python -m schoolkg.extract.scoring", description=main.__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--pooled-only", action="store_true", help="no document names, snippets or misses")
    args = parser.parse_args(argv)
    print(score_split(args.folder).summary(pooled_only=args.pooled_only))
    return 0


if __name__ == "__main__":
    sys.exit(main())
