"""Extraction quality on the dev gold of real-format inspection documents (issue 14, part A):
format, school identity, judgements and previous judgements. Thresholds from the issue; the
findings thresholds are tested with the findings work. Only the dev split is read here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import FIXTURES
from schoolkg.extract.scoring import SplitScore, fold, load_report_gold, score_report

DEV = FIXTURES / "reports" / "dev"


@pytest.fixture(scope="module")
def runs() -> list[tuple[Path, dict, dict, str]]:
    """(path, gold, extraction JSON, reading text) of every dev document, extracted once."""
    from schoolkg.extract.contract import to_json
    from schoolkg.pipeline import extract_paths

    golds = load_report_gold(DEV)
    outcomes = {o.path: o for o in extract_paths([p for p, _ in golds])}
    out = []
    for path, gold in golds:
        ex = outcomes[path].extraction
        assert ex is not None, outcomes[path].error
        out.append((path, gold, to_json(ex), ex.document.text))
    if not out:
        pytest.skip("dev gold not present")
    return out


@pytest.fixture(scope="module")
def dev(runs) -> SplitScore:  # type: ignore[no-untyped-def]
    return SplitScore([score_report(pred, text, gold, path.name) for path, gold, pred, text in runs])


def _stated(gold: dict, text: str) -> dict:
    """The gold school's identity fields that the document's text states (a URN it never prints
    cannot be read from it)."""
    school = dict(gold.get("school") or {})
    if school.get("urn") and school["urn"] not in text:
        school["urn"] = None
    return school


def test_every_format_is_detected(dev: SplitScore) -> None:
    wrong = [(d.name, d.format) for d in dev.documents if not d.format_correct]
    assert wrong == []


def test_every_school_is_identified_by_what_its_document_states(runs) -> None:  # type: ignore[no-untyped-def]
    from schoolkg.extract.scoring import _identified

    missed = []
    for path, gold, pred, text in runs:
        stated = {**gold, "school": _stated(gold, text) if gold.get("school") else None}
        if not _identified(pred, stated):
            missed.append(path.name)
    assert missed == []


def test_judgements_recall_and_previous(dev: SplitScore) -> None:
    pooled = dev.pooled()
    judged, previous = pooled["judgements"], pooled["previous"]
    assert judged.recall >= 0.95, judged.misses
    assert judged.precision >= 0.9, judged.spurious
    assert previous.recall >= 0.9, previous.misses


def test_report_cards_never_on_the_four_point_scale(runs) -> None:  # type: ignore[no-untyped-def]
    cards = [pred for path, gold, pred, _ in runs if gold["format"] == "report-card"]
    assert cards
    for pred in cards:
        current = [j for j in pred["judgements"] if not j["previous"]]
        assert current and all(j["scale"] in ("report-card", "safeguarding") for j in current)


def test_gold_snippets_are_in_the_reading_text(runs) -> None:  # type: ignore[no-untyped-def]
    """Text fidelity: every finding and figure snippet of the dev gold is found in the ingested
    text (ligatures, hyphenation, headers, HTML furniture handled), but for at most 1%."""
    found = total = 0
    for _path, gold, _pred, text in runs:
        folded = fold(text)[0]
        for item in gold.get("findings", []) + gold.get("figures", []):
            total += 1
            found += fold(item["snippet"])[0].strip() in folded
    assert total and found / total >= 0.99, f"{found}/{total}"


def test_gold_files_parse() -> None:
    for path in DEV.glob("*.gold.json"):
        json.loads(path.read_text(encoding="utf-8"))
