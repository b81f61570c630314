"""Unit tests of the extract stage: thesaurus matching, polarity, entities, judgements, segmentation."""

from __future__ import annotations

import pytest

from schoolkg.extract.entities import find_schools
from schoolkg.extract.judgements import find_judgements
from schoolkg.extract.practices import context_polarity, find_practices, local_negation
from schoolkg.extract.thesaurus import Concept, Thesaurus
from schoolkg.ingest.segment import content_start, running_headers, segment
from schoolkg.model import Sentence

TH = Thesaurus(
    [
        Concept(
            "p:mon", "monitoring and evaluation", "strength", "t", ("monitoring and evaluation", "rigorous monitoring")
        ),
        Concept("p:track", "tracking progress", "strength", "t", ("tracking pupils' progress", "tracking system")),
        Concept("p:piece", "piecemeal approach", "weakness", "t", ("piecemeal approach",)),
        Concept("p:lm", "learning mentors", "strength", "t", ("learning mentor",)),
    ]
)


def _find(text: str, **ctx: str) -> list[tuple[str, str]]:
    s = Sentence(0, len(text), text, **ctx)
    return [(c.iri, pol) for c, pol, *_ in find_practices(s, TH)]


def test_plain_mention_is_a_strength() -> None:
    assert _find("Leaders use rigorous monitoring of teaching.") == [("p:mon", "strength")]


def test_weakness_concept_stays_a_weakness() -> None:
    assert _find("This led to a piecemeal approach to improvement.") == [("p:piece", "weakness")]


@pytest.mark.parametrize(
    "text",
    [
        "There is insufficient monitoring and evaluation of the activities.",
        "There is no evidence of effective monitoring and evaluation.",
        "A lack of rigorous monitoring hampers the school.",
        "Monitoring and evaluation is not rigorous enough.",
    ],
)
def test_negated_strength_becomes_weakness(text: str) -> None:
    assert _find(text) == [("p:mon", "weakness")]


def test_section_sets_polarity() -> None:
    assert _find("Improve the tracking system.", section="Areas for development") == [("p:track", "weakness")]
    assert _find("The tracking system.", intro="Successful features included:") == [("p:track", "strength")]


def test_plural_and_apostrophe_tolerant_matching() -> None:
    assert _find("It is tracking pupils progress well and learning mentors help.") == [
        ("p:track", "strength"),
        ("p:lm", "strength"),
    ]


def test_each_practice_once_per_sentence_and_offsets_absolute() -> None:
    s = Sentence(100, 150, "rigorous monitoring and rigorous monitoring again")
    found = list(find_practices(s, TH))
    assert len(found) == 1
    concept, _pol, ms, me, qs, qe = found[0]
    assert (ms, me, qs, qe) == (100, 119, 100, 150)


def test_local_negation_stops_at_clause() -> None:
    assert not local_negation("staff were not absent, and rigorous monitoring is used", 27)


def test_context_polarity_none_without_cue() -> None:
    assert context_polarity(Sentence(0, 1, "x", section="Notes")) is None


def test_find_schools_strips_titles_and_generic_words() -> None:
    text = "Mrs M Turner Headteacher Blenheim Primary School Blenheim Chase and The Hill Academy."
    assert [n for n, _, _ in find_schools(text)] == ["Blenheim Primary School", "Hill Academy"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Overall effectiveness: Good", ("overall effectiveness", 2, "good")),
        ("The quality of teaching is outstanding.", ("quality of teaching", 1, "outstanding")),
        (
            "The effectiveness of leadership and management requires improvement.",
            ("leadership and management", 3, "requires improvement"),
        ),
        (
            "The authority was graded as being 'effective' by Ofsted.",
            ("school improvement arrangements", None, "effective"),
        ),
    ],
)
def test_judgements(text: str, expected: tuple) -> None:
    found = list(find_judgements(Sentence(0, len(text), text)))
    assert [f[:3] for f in found] == [expected]


def test_no_judgement_without_grade_word() -> None:
    assert list(find_judgements(Sentence(0, 30, "Leadership and management is a focus."))) == []


def test_segment_lists_sections_and_intros() -> None:
    text = (
        "Key findings\n\nThe school is good. Successful features included: clear plans and "
        "rigorous monitoring\n\nAreas for development\n\n- Improve tracking.\n"
    )
    sents = segment(text)
    assert [(s.text, s.section, s.intro) for s in sents] == [
        ("The school is good.", "Key findings", ""),
        ("Successful features included:", "Key findings", ""),
        ("clear plans and rigorous monitoring", "Key findings", "Successful features included:"),
        ("Improve tracking.", "Areas for development", ""),
    ]
    for s in sents:
        assert text[s.start : s.end] == s.text


def test_segment_skips_running_headers_and_inline_headings() -> None:
    text = "Report 1 Intro text is here. Report 2 more text follows. Learning mentors 15. Mentors help. Report 3 end."
    assert running_headers(text) is not None
    sents = segment(text)
    assert all("Report" not in s.text for s in sents)
    assert [s.section for s in sents if s.text == "Mentors help."] == ["Learning mentors"]


def test_content_starts_after_transcription_marker() -> None:
    assert content_start("no marker here") == 0


def test_content_start_runs_once_per_document(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ingest finds where a document's own text begins once; extraction reads it from the segmentation."""
    from schoolkg.extract.document import extract_document
    from schoolkg.extract.lexicon import load_lexicon
    from schoolkg.ingest import segment as seg_module
    from schoolkg.ingest.segment import segment_document
    from schoolkg.model import Document

    calls = []
    real = seg_module.content_start
    monkeypatch.setattr(seg_module, "content_start", lambda text: calls.append(1) or real(text))
    text = "Similar documents\nOther school\nTranscription:\nInspection report\nLeaders monitor teaching rigorously."
    seg = segment_document(Document("d", "d.txt", text, "0" * 64, kind="inspection_report"))
    ex = extract_document(seg, *load_lexicon())
    assert len(calls) == 1 and seg.body_start == text.index("Inspection report")
    assert ex.findings and all(f.start >= seg.body_start for f in ex.findings)
    from schoolkg.extract import document as extract_module

    assert not hasattr(extract_module, "content_start") and not hasattr(extract_module, "segment")
