"""Practice naming on a hand-written dev set of inspector paraphrases (issue 18 item 4).

tests/fixtures/extraction/paraphrases.json holds statements worded as inspectors word each
practice (plain, negated, hedged, recommendation; both polarities), written without looking at the
synthetic generator, so the synthetic reports stay a held-out check of the cues' generality.
"""

from __future__ import annotations

import json
from pathlib import Path

from schoolkg.extract.classify import FindingClassifier
from schoolkg.extract.lexicon import load_lexicon

THESAURUS, _GAZETTEER = load_lexicon()
ITEMS = json.loads(
    (Path(__file__).resolve().parents[1] / "fixtures/extraction/paraphrases.json").read_text(encoding="utf-8")
)["items"]
MIN_RECALL = 0.85
MIN_PRECISION = 0.88
MIN_PER_PRACTICE = 0.5


def _named(text: str) -> str | None:
    _theme, concept = FindingClassifier(THESAURUS).theme(text)
    return concept.iri.rsplit("/", 1)[-1] if concept else None


def _scores() -> tuple[float, float, dict[str, tuple[int, int]]]:
    right = named = 0
    per: dict[str, list[int]] = {}
    for text, concept in ITEMS:
        got = _named(text)
        tally = per.setdefault(concept, [0, 0])
        tally[1] += 1
        named += got is not None
        if got == concept:
            right += 1
            tally[0] += 1
    return right / len(ITEMS), right / max(named, 1), {k: (a, b) for k, (a, b) in per.items()}


def test_the_dev_set_names_thesaurus_practices() -> None:
    known = {iri.rsplit("/", 1)[-1] for iri, c in THESAURUS.concepts.items() if c.kind == "practice"}
    assert len(ITEMS) >= 80
    assert {c for _t, c in ITEMS} <= known


def test_paraphrases_name_their_practice() -> None:
    recall, precision, per = _scores()
    assert recall >= MIN_RECALL, f"naming recall {recall:.2f}"
    assert precision >= MIN_PRECISION, f"naming precision {precision:.2f}"
    weak = {k: v for k, v in per.items() if v[1] >= 4 and v[0] / v[1] < MIN_PER_PRACTICE}
    assert not weak, f"practices named for fewer than half their paraphrases: {weak}"


def test_the_score_would_catch_a_wrong_name() -> None:
    # the same statements filed under a shuffled concept score near zero: the test can fail
    concepts = [c for _t, c in ITEMS]
    shifted = concepts[7:] + concepts[:7]
    right = sum(_named(t) == c for (t, _c), c in zip(ITEMS, shifted, strict=True))
    assert right / len(ITEMS) < 0.3
