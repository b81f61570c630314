"""Unit tests of the extract stage: entities, judgements, segmentation (findings: tests/test_findings.py)."""

from __future__ import annotations

import pytest

from schoolkg.extract.entities import find_schools
from schoolkg.extract.judgements import find_judgements
from schoolkg.ingest.segment import content_start, running_headers, segment


def test_find_schools_strips_titles_and_generic_words() -> None:
    text = "Mrs M Turner Headteacher Blenheim Primary School Blenheim Chase and The Hill Academy."
    assert [n for n, _, _ in find_schools(text)] == ["Blenheim Primary School", "Hill Academy"]


@pytest.mark.parametrize(
    ("text", "fmt", "expected"),
    [
        ("Overall effectiveness: Good", "s5-2015", ("overall effectiveness", "four-point", "good", 2)),
        ("The quality of teaching is outstanding.", "s5-2012", ("quality of teaching", "four-point", "outstanding", 1)),
        (
            "The effectiveness of leadership and management requires improvement.",
            "s5-2015",
            ("leadership and management", "four-point", "requires improvement", 3),
        ),
        ("Achievement and standards Grade: 3", "s5-2005", ("achievement", "four-point-2005", "satisfactory", 3)),
        (
            "Curriculum and teaching\tNeeds attention",
            "report-card",
            ("curriculum and teaching", "report-card", "needs attention", None),
        ),
        (
            "The authority was graded as being 'effective' by Ofsted.",
            "la-inspection",
            ("school improvement arrangements", "la-effectiveness", "effective", None),
        ),
        (
            "This school continues to be good.",
            "short-2015",
            ("ungraded outcome", "ungraded-outcome", "continues to be good", None),
        ),
        (
            "I am of the opinion that leaders are not taking effective action to remove special measures.",
            "monitoring",
            ("monitoring outcome", "monitoring-outcome", "not taking effective action", None),
        ),
    ],
)
def test_judgements(text: str, fmt: str, expected: tuple) -> None:
    found = [j for j in find_judgements(text, 0, fmt, "2014-01-01") if not j.previous]
    assert [(j.area, j.scale, j.label, j.grade) for j in found] == [expected]


def test_no_judgement_without_grade_word() -> None:
    assert find_judgements("Leadership and management is a focus.", 0, "s5-2015", None) == []


def test_previous_grade_is_dated_and_never_current() -> None:
    text = "Overall effectiveness\tPrevious inspection:\tSatisfactory\t3\nThis inspection:\tRequires improvement\t3"
    found = [(j.area, j.label, j.scale, j.previous) for j in find_judgements(text, 0, "s5-2012", "2014-10-07")]
    assert found == [
        ("overall effectiveness", "satisfactory", "four-point-2005", True),
        ("overall effectiveness", "requires improvement", "four-point", False),
    ]


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


@pytest.mark.parametrize(
    "text",
    [
        "Most pupils achieve well.",
        "The MOST ABLE pupils are not stretched.",
        "Few of the teachers check pupils' work; the head teacher does.",
        "PUPILS' well-being is a priority for teachers",
        "Subject leaders' plans \u212a and staff",  # Kelvin sign: IGNORECASE folds it to k
        "ſtudents and ſchool staff",  # long s: folds to s
        "nothing here at all",
        "",
    ],
)
def test_case_folded_trees_match_where_the_case_insensitive_alternations_do(text: str) -> None:
    """The prefix-tree spellings (thesaurus.word_pattern, trie_pattern(fold=True)) start their matches
    where the IGNORECASE alternations they replace do."""
    import re

    from schoolkg.extract.thesaurus import trie_pattern, word_pattern

    words = "pupils?|most able|most|few|few of|head teacher|teachers?|well-being|staff|plans?|students?|school"
    old = re.compile(r"\b(?:" + words + r")\b", re.IGNORECASE)
    new = word_pattern(words)
    assert [m.start() for m in [new.search(text)] if m] == [m.start() for m in [old.search(text)] if m]
    plain = ["pupil", "most", "few", "teacher", "staff", "plan", "student", "school", "k", "s"]
    tree_old = re.compile(r"(?<!\w)" + trie_pattern(plain) + r"s?", re.IGNORECASE)
    tree_new = re.compile(r"(?<!\w)" + trie_pattern(plain, fold=True) + r"[Ssſ]?")
    assert [m.span() for m in tree_new.finditer(text)] == [m.span() for m in tree_old.finditer(text)]
