"""Practice naming from order-free cue stems (issue 18 item 4): inspectors' own wording names the concept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from schoolkg.errors import InputError
from schoolkg.extract.classify import FindingClassifier
from schoolkg.extract.lexicon import load_lexicon
from schoolkg.extract.thesaurus import CueMatcher, Thesaurus, load_cues

THESAURUS, _GAZETTEER = load_lexicon()
CUES = Path(__file__).resolve().parents[2] / "src/schoolkg/extract/data/practice_cues.json"


def _practice(text: str) -> str | None:
    _theme, concept = FindingClassifier(THESAURUS).theme(text)
    return concept.iri.rsplit("/", 1)[-1] if concept else None


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("Senior leaders monitored the quality of teaching rigorously.", "checks-on-teaching"),
        ("The headteacher regularly visits lessons and looks at books to check the quality of teaching.",
         "checks-on-teaching"),
        ("Staff check pupils' attendance every morning and contact families on the first day of absence.",
         "attendance-procedures"),
        ("The attendance officer works with families whose children are often absent.", "attendance-procedures"),
        ("Staff manage behaviour consistently well.", "behaviour-management"),
        ("The behaviour policy is applied fairly by all staff.", "behaviour-management"),
        ("Teachers use assessment information to plan work that builds on what pupils know.",
         "use-of-assessment-to-plan"),
        ("Teachers do not use what they know about pupils to adapt the next lesson.", "use-of-assessment-to-plan"),
        ("Leaders' evaluation of the school's strengths and weaknesses is accurate.", "accurate-self-evaluation"),
        ("The school's plans for improvement are sharply focused.", "improvement-planning"),
        ("Governors ask searching questions and challenge leaders.", "governors-hold-leaders-to-account"),
        ("Staff are alert to the signs that a child may be at risk of harm and report concerns promptly.",
         "culture-of-safeguarding"),
    ],
)  # fmt: skip
def test_inspector_wording_names_the_practice(text: str, concept: str) -> None:
    assert _practice(text) == concept


@pytest.mark.parametrize(
    "text",
    [
        "Pupils behave well in lessons and around the school.",
        "Attendance is above the national average.",
        "The wibble is grand and it glows.",
    ],
)
def test_outcomes_and_noise_name_no_cued_practice(text: str) -> None:
    assert not THESAURUS.cue_concepts(text)


def test_a_check_of_understanding_is_not_a_check_on_teaching() -> None:
    assert "checks-on-teaching" not in [
        c.iri.rsplit("/", 1)[-1] for c in THESAURUS.cue_concepts("Teachers check pupils' understanding in lessons.")
    ]


def test_stems_match_word_starts_and_whole_words() -> None:
    m = CueMatcher({"a": ["monitor", "teach"], "b": ["sen=", "support"], "c": ["check", "!understand"]})
    assert m.names("Leaders monitored teaching.") == ["a"]
    assert m.names("Leaders have a premonitory teaching style.") == []  # not at a word start
    assert m.names("SEN support is good.") == ["b"]
    assert m.names("Senior staff support pupils.") == []  # "sen=" is a whole word
    assert m.names("Teachers check understanding.") == []  # a '!' group vetoes
    assert m.names("Leaders check records.") == ["c"]


def test_more_groups_rank_first() -> None:
    m = CueMatcher({"one": ["plan"], "two": ["assess", "plan"]})
    assert m.names("Teachers assess pupils and plan well.") == ["two", "one"]


def test_every_cue_names_a_concept() -> None:
    data = json.loads(CUES.read_text(encoding="utf-8"))
    names = {iri.rsplit("/", 1)[-1] for iri, c in THESAURUS.concepts.items() if c.kind == "practice"}
    assert {k.split("#")[0] for k in data if not k.startswith("_")} <= names
    with pytest.raises(InputError, match="no concept"):
        Thesaurus(list(THESAURUS.concepts.values()), CueMatcher({"no-such-concept": ["x"]}))


def test_bad_cue_file_is_one_line_error(tmp_path: Path) -> None:
    bad = tmp_path / "cues.json"
    bad.write_text('{"checks-on-teaching": "monitor"}', encoding="utf-8")
    with pytest.raises(InputError, match="list of strings"):
        load_cues(bad)
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="cannot read"):
        load_cues(bad)
