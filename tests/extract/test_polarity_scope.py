"""Polarity of negated and hedged inspection language (issue 18 item 4): hand-written gold.

Each statement was written by hand (polar21, 2026-12-03) from how inspectors word strengths and
weaknesses, not from the synthetic generator's phrasings: double negatives ("do not tolerate
disruption", "no concern goes unnoticed"), a problem said not to happen, negator scope over a
relative clause ("do not track ... well enough") and across "and", tolerance verbs, burdens whose
reduction is good, asks for change stated in the body of a letter.
"""

from __future__ import annotations

import pytest

from schoolkg.extract.polarity import polarity
from schoolkg.extract.statements import asks_for_change

STRENGTHS = [
    "Staff do not tolerate low-level disruption.",
    "Poor behaviour is not tolerated.",
    "Leaders will not accept low expectations from anyone.",
    "Bullying does not happen often, and pupils know who to go to.",
    "Bullying is not a problem at the school.",
    "Pupils told inspectors that bullying is not common.",
    "Teachers never move on without checking that pupils have understood.",
    "Nothing is left to chance when it comes to keeping pupils safe.",
    "Staff do not let pupils fall behind.",
    "Pupils are never unkind to one another.",
    "Pupils are not rude or unkind.",
    "Low-level disruption is not something pupils experience.",
    "Governors do not simply accept what leaders tell them.",
    "Staff do not shy away from difficult conversations with parents.",
    "Leaders have reduced unnecessary workload for staff.",
    "The most able pupils are given work that stretches them.",
    "Subject leaders regularly visit lessons and look at pupils' books.",
    "Concerns are passed on without delay.",
    "No concern goes unnoticed.",
    "Inconsistent practice never goes unchallenged.",
    "Misconceptions rarely go unchecked.",
    "Staff will not settle for anything less than pupils' best.",
    "Pupils do not often experience bullying.",
    "Not many pupils experience bullying.",
    "Leaders never give up on pupils who find school difficult.",
    "Pupils say that their workload is manageable.",
    "The curriculum is varied and interesting.",
    "Bullying is rare.",
]
WEAKNESSES = [
    "Staff tolerate too much low-level disruption.",
    "Schools do not track the progress of pupils who take part in these activities well enough.",
    "Teachers do not check closely enough that pupils who have fallen behind catch up.",
    "Misconceptions are not addressed.",
    "Misconceptions go unchecked.",
    "Gaps are not narrowing.",
    "Leaders have not tackled bullying.",
    "Pupils who need extra help do not always receive it.",
    "The quality of teaching varies across the school.",
    "Teaching varies from class to class.",
    "Leaders' plans have only partly addressed the weaknesses.",
    "The most able pupils are not stretched.",
    "Work does not challenge the most able pupils.",
    "Staff do not always identify pupils' misconceptions.",
    "Pupils do not receive the support they need for their difficulties.",
    "Disruption is frequent.",
    "Some staff feel that their workload is too heavy.",
    "Some staff have given up on the behaviour policy.",
    "In some cases, concerns have not been passed to the safeguarding lead without delay.",
    "Teachers move on without checking that pupils have understood.",
    "Many pupils lack confidence as learners and give up when tasks become difficult.",
]


@pytest.mark.parametrize("text", STRENGTHS)
def test_negated_and_double_negative_strengths(text: str) -> None:
    assert polarity(text) == "strength"


@pytest.mark.parametrize("text", WEAKNESSES)
def test_negated_and_hedged_weaknesses(text: str) -> None:
    assert polarity(text) == "weakness"


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("We have asked the school to make sure that more lessons are as good as the best ones.", True),
        ("Finally, sixth formers' progress should be checked more closely.", True),
        ("The school should ensure that pupils read widely.", True),
        ("Leaders know exactly where the school needs to improve.", False),
        ("Pupils make less progress than they should.", False),
        ("Pupils know what they should do if they are worried.", False),
    ],
)
def test_asks_for_change_in_the_body(text: str, asks: bool) -> None:
    assert asks_for_change(text) is asks


def test_a_verdict_concept_is_not_filed_against_its_verdict() -> None:
    from schoolkg.extract.classify import FindingClassifier
    from schoolkg.extract.lexicon import load_lexicon

    thesaurus, _gazetteer = load_lexicon()
    weak = next(c for c in thesaurus.concepts.values() if c.label == "weak leadership and management")
    assert weak.opposites  # the thesaurus pairs it with its opposite verdict
    text = "Leaders have been ineffective and leadership is weak."
    _theme, concept = FindingClassifier(thesaurus).theme(text, polarity="weakness")
    assert concept == weak
    _theme, concept = FindingClassifier(thesaurus).theme(text, polarity="strength")
    assert concept != weak


def test_a_recommendation_is_filed_under_the_practice_it_asks_for() -> None:
    # a recommendation (a weakness: an area to improve) names the good practice the school is to
    # adopt; the verdict rule above must not take that practice away from it
    from schoolkg.extract.classify import FindingClassifier
    from schoolkg.extract.lexicon import load_lexicon
    from schoolkg.extract.statements import find_statements
    from schoolkg.ingest.segment import segment_document
    from schoolkg.model import Document

    thesaurus, _gazetteer = load_lexicon()
    good = next(c for c in thesaurus.concepts.values() if c.label == "school-to-school partnership")
    assert good.opposites and good.polarity == "strength"
    text = (
        "Inspection report\n\nWhat does the school need to do to improve further?\n\n"
        "• Build school-to-school support with the other schools of the trust so that staff share what works.\n"
    )
    found = list(find_statements(segment_document(Document("d", "d.txt", text, "0" * 64)), structured=True))
    assert found and found[0].polarity == "weakness"
    kind, _theme, concept = FindingClassifier(thesaurus).classify(found[0])
    assert (kind, concept) == ("recommendation", good)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Leaders have reduced absence, which was poor at the time of the last inspection.", "strength"),
        ("Absence, which was high, has fallen sharply because of leaders' work.", "strength"),
        ("Exclusions, which were a serious concern, have fallen.", "strength"),
        ("Attendance, which was low, has fallen further.", "weakness"),
        ("Leaders have significantly reduced poor attendance.", "strength"),
        ("Poor attendance remains a concern.", "weakness"),
        ("Leaders still need to reduce the workload of staff.", "weakness"),
        ("Some pupils still have gaps in their knowledge.", "weakness"),
        ("Following a period of poor behaviour last year, exclusions have fallen sharply this term.", "strength"),
        ("Since the last inspection, exclusions have risen and behaviour is poor.", "weakness"),
    ],
)
def test_former_states_purposes_and_what_persists(text: str, want: str) -> None:
    assert polarity(text) == want


def test_a_wrapped_list_item_keeps_its_section_role() -> None:
    # a text copy: the first line of a recommendation ends without punctuation and runs on in lower
    # case on the next line; it is not a heading, so the recommendations role carries on
    from schoolkg.extract.statements import find_statements
    from schoolkg.ingest.segment import segment_document
    from schoolkg.model import Document

    text = (
        "Inspection report\n\nWhat does the school need to do to improve further?\n\n"
        "• Make sure that teachers in every class check what pupils have understood before\n"
        "  they move on to new work.\n"
        "• Leaders should check that the new reading books are matched to the sounds\n"
        "  pupils know.\n"
    )
    seg = segment_document(Document("d", "d.txt", text, "0" * 64))
    found = list(find_statements(seg, structured=True))
    assert found and all(s.role == "recommendations" and s.polarity == "weakness" for s in found)


def test_a_text_copy_with_many_short_lines_is_unwrapped() -> None:
    from schoolkg.ingest.layout import is_hard_wrapped

    short = ["Heading", "", "• A short item.", ""] * 10
    wrapped = [
        "Leaders have made sure that the teaching of early reading is consistent and",
        "pupils who fall behind are given the help they need to catch up quickly.",
    ] * 6
    assert is_hard_wrapped("\n".join(short + wrapped))
    typed = ["Leaders have made sure that the teaching of early reading is consistent here."] * 12
    assert not is_hard_wrapped("\n".join(short + typed))
