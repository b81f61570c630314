"""A contrast clause that names no practice, and the words of staff workload, checks, behaviour and
assessment (issue 18 item 4, issue 14). Cases written in my own words from how inspectors write, not
from any generated report."""

from __future__ import annotations

import pytest

from schoolkg.extract.findings import find_findings
from schoolkg.extract.lexicon import load_lexicon
from schoolkg.extract.polarity import polarity
from schoolkg.ingest.documents import describe
from schoolkg.ingest.segment import segment_document

THESAURUS, _GAZETTEER = load_lexicon()


def _findings(text: str) -> list[tuple[str, str, str | None, str]]:
    """(statement text, polarity, practice slug, theme) of every finding of one short report."""
    seg = segment_document(
        describe("d", "d.txt", "Inspection report\n\nLeadership and management\n\n" + text, "0" * 64)
    )
    return [
        (st.text, st.polarity, c.iri.rsplit("/", 1)[-1] if c else None, theme)
        for st, c, _kind, theme in find_findings(seg, THESAURUS)
    ]


def test_a_contrast_clause_naming_no_practice_takes_the_practice_it_contrasts_with() -> None:
    got = _findings(
        "Staff now follow up every unexplained absence on the first morning, but a few families "
        "still keep their children at home too often.\n"
    )
    assert [(p, c) for _t, p, c, _th in got] == [
        ("strength", "attendance-procedures"),
        ("weakness", "attendance-procedures"),
    ]


def test_a_contrast_clause_naming_its_own_practice_keeps_it() -> None:
    got = _findings(
        "Governors check the school's spending closely, but the teaching of early reading is not yet consistent.\n"
    )
    assert got[0][2] == "governors-hold-leaders-to-account"
    assert got[1][2] == "phonics-teaching"


def test_a_new_sentence_does_not_inherit() -> None:
    got = _findings("Staff follow up absence on the first day. This is not yet the case in every class.\n")
    assert got[0][2] == "attendance-procedures"
    assert got[-1][2] != "attendance-procedures"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Teachers say that the amount of marking expected of them is unreasonable.", "weakness"),
        ("Several staff describe their workload as unmanageable.", "weakness"),
        ("Some teachers feel overloaded by the number of new initiatives.", "weakness"),
        ("Parents are overwhelmingly positive about the school.", "strength"),
        ("Teachers do not move on until they are sure that everyone is ready.", "strength"),
        ("Teachers move on before pupils are ready.", None),
        ("The reading tasks make pupils think hard about the author's choices.", "strength"),
        ("Leaders have overhauled the rewards system, and incidents of poor conduct have fallen.", "strength"),
        ("The most able pupils are not held back.", "strength"),
        ("Staff do not notice when pupils have lost track of the lesson.", "weakness"),
        ("The science leader has little idea which topics pupils find hardest.", "weakness"),
        ("The science leader has a clear idea of which topics pupils find hardest.", "strength"),
    ],
)
def test_polarity_words(text: str, expected: str | None) -> None:
    assert polarity(text) == expected


def test_harder_problems_are_no_problem() -> None:
    assert polarity("Pupils who finish early are given harder problems.") != "weakness"


def _cued(text: str) -> list[str]:
    return [c.iri.rsplit("/", 1)[-1] for c in THESAURUS.cue_concepts(text)]


@pytest.mark.parametrize(
    ("text", "practice"),
    [
        ("Leaders are mindful of the pressure that their requests place on staff.", "staff-workload-and-well-being"),
        ("Teachers are overstretched.", "staff-workload-and-well-being"),
        ("Staff do not tolerate rudeness in the corridors.", "behaviour-management"),
        ("Senior leaders look closely at the quality of lessons.", "checks-on-teaching"),
        ("The headteacher does not allow weak classroom practice to go unchallenged.", "checks-on-teaching"),
        ("Teachers only move on when they are sure that pupils have the basics secure.", "use-of-assessment-to-plan"),
        (
            "Regular checks of what pupils remember are used, and staff change their plans accordingly.",
            "use-of-assessment-to-plan",
        ),
        ("Teachers attended external courses on the teaching of writing.", "staff-training"),
        ("Teaching assistants have had few opportunities to learn from each other.", "staff-training"),
        ("The most capable pupils repeat work they can already do.", "challenge-for-the-most-able"),
        (
            "Pupils said that they are sometimes picked on at breaktime and that staff do not always act.",
            "anti-bullying-work",
        ),
        (
            "Parents would like the school to tell them more about what their children are learning.",
            "communication-with-parents",
        ),
        ("Leaders have set milestones against which governors can judge progress.", "improvement-planning"),
        (
            "Staff responsible for each subject visit lessons to see how well it is taught.",
            "subject-leaders-checking-quality",
        ),
        (
            "Teachers pay little regard to what pupils already know when they plan the next lesson.",
            "use-of-assessment-to-plan",
        ),
        ("New staff are unclear about how to record a concern about a child's welfare.", "culture-of-safeguarding"),
        ("Adults look out for pupils who seem worried or withdrawn.", "pastoral-care"),
        (
            "Teachers carry on with the lesson without knowing whether pupils have grasped the new idea.",
            "checking-understanding",
        ),
    ],
)
def test_cues_name_the_practice(text: str, practice: str) -> None:
    assert practice in _cued(text)[:1], _cued(text)


def test_training_on_safeguarding_is_not_named_staff_training_by_who_receives_it() -> None:
    # the gold's convention: training in a practice of another theme is filed under that theme
    assert "staff-training#who" not in THESAURUS.cue_matches("Staff receive guidance on safeguarding every term.")


def test_what_pupils_learn_and_when_is_sequencing() -> None:
    named = [
        c.iri.rsplit("/", 1)[-1] for c, _s, _e in THESAURUS.matches("Plans set out what pupils should know and when.")
    ]
    assert "curriculum-sequencing" in named


@pytest.mark.parametrize(
    ("text", "practice"),
    [
        (
            "Governors' questioning of leaders about pupils' progress has become sharper.",
            "governors-hold-leaders-to-account",
        ),
        (
            "Parents told us that they do not always get answers to their questions quickly.",
            "communication-with-parents",
        ),
    ],
)
def test_a_longer_label_beats_questioning(text: str, practice: str) -> None:
    named = [c.iri.rsplit("/", 1)[-1] for c, _s, _e in THESAURUS.matches(text)]
    assert practice in named and "questioning-and-explanation" not in named


def test_support_without_challenge_is_not_holding_leaders_to_account() -> None:
    got = _findings("Governors are supportive, but they rarely question the plans that leaders bring to them.\n")
    assert [(p, c) for _t, p, c, _th in got] == [("strength", None), ("weakness", "governors-hold-leaders-to-account")]
