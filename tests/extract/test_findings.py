"""Findings for every evaluative statement (issue 14): polarity, statements, kind and theme, strands, mapping."""

from __future__ import annotations

import pytest

from schoolkg.extract.classify import FindingClassifier
from schoolkg.extract.lexicon import load_lexicon
from schoolkg.extract.polarity import polarity
from schoolkg.extract.statements import Statement, find_statements, section_role, split_contrast
from schoolkg.extract.subjects import ProgrammeContext
from schoolkg.ingest.documents import describe
from schoolkg.ingest.segment import segment_document
from schoolkg.mapping.findings import extraction_quads, theme_iri
from schoolkg.model import Document, Entity, Extraction, Finding, Participation, Sentence

THESAURUS, GAZETTEER = load_lexicon()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Pupils behave well in lessons and at playtimes.", "strength"),
        ("Teaching is not yet consistently good across the school.", "weakness"),
        ("Teachers do not check carefully enough what pupils have understood.", "weakness"),
        ("Too many pupils are persistently absent.", "weakness"),
        ("Leaders have taken decisive steps to address low attendance.", "strength"),
        ("Persistent absence has fallen and exclusions have reduced.", "strength"),
        ("Rates of persistent absence are well above national figures.", "weakness"),
        ("They say that bullying is rare and that staff sort it out quickly.", "strength"),
        ("Lessons are rarely disrupted.", "strength"),
        ("Pupils rarely apply their mathematical knowledge to solve problems.", "weakness"),
        ("The quality of teaching is inconsistent.", "weakness"),
        ("Marking is variable and often superficial.", "weakness"),
        ("Attainment is below average in reading.", "weakness"),
        ("The gaps between disadvantaged pupils and others are narrowing.", "strength"),
        ("Subject leaders are enthusiastic but have had little opportunity to check teaching.", "weakness"),
        ("Leaders' work to improve attendance has had little impact.", "weakness"),
        ("The plan for its use does not identify the barriers pupils face.", "weakness"),
        ("There is no difference in the progress of boys and girls.", "strength"),
        ("Some subject leaders are new to their roles.", "weakness"),
        ("It is too early to see the impact of these changes.", "weakness"),
    ],
)
def test_polarity_follows_the_language_of_inspection(text: str, expected: str) -> None:
    assert polarity(text) == expected


def test_neutral_text_has_no_polarity() -> None:
    assert polarity("The school is on two sites.") is None


@pytest.mark.parametrize(
    ("heading", "role"),
    [
        ("What does the school need to do to improve further?", "recommendations"),
        ("Next steps for the school", "recommendations"),
        ("Areas for improvement", "recommendations"),
        ("It is not good because", "weaknesses"),
        ("This school requires improvement because", "weaknesses"),
        ("The school has the following strengths", "strengths"),
        ("Information about this inspection", "description"),
        ("How can I feed back my views?", "description"),
        ("What does the school do well and what does it need to do better?", "evaluation"),
        ("Leadership and management", None),
    ],
)
def test_section_roles(heading: str, role: str | None) -> None:
    assert section_role(heading) == role


def test_contrasting_clauses_are_cut_only_when_they_disagree() -> None:
    cut = split_contrast("Attendance has improved, but it remains below the national average.")
    assert [p for *_s, p in cut] == ["strength", "weakness"]
    whole = split_contrast("Leaders are ambitious, and staff share their vision.")
    assert len(whole) == 1 and whole[0][2] == "strength"


REPORT = """Oakfield Primary School
Inspection report
Unique reference number 123456
Inspection dates 4–5 May 2016
Overall effectiveness Requires improvement

Summary of key findings for parents and pupils
This is a school that requires improvement
It is not yet a good school because
- Teaching is not consistently good.
- Pupils make too little progress in writing.
The school has the following strengths
- Leaders have taken decisive steps to address low attendance.
What does the school need to do to improve further?
- Improve the teaching of writing. Make sure that teachers check pupils' work.
- Strengthen governance.
Inspection judgements
Pupils behave well, but in some lessons they lose concentration.
The arrangements for safeguarding are effective.
Information about this inspection
Inspectors observed 20 lessons and met governors.
Inspectors took account of 31 responses to Parent View.
"""


def _statements(text: str) -> list:
    seg = segment_document(describe("d", "d.txt", text, "0" * 64))
    return list(find_statements(seg))


def test_report_statements_roles_units_and_boilerplate() -> None:
    found = [(st.text, st.polarity, st.role) for st in _statements(REPORT)]
    assert found == [
        ("Teaching is not consistently good.", "weakness", "weaknesses"),
        ("Pupils make too little progress in writing.", "weakness", "weaknesses"),
        ("Leaders have taken decisive steps to address low attendance.", "strength", "strengths"),
        ("Improve the teaching of writing. Make sure that teachers check pupils' work.", "weakness", "recommendations"),
        ("Strengthen governance.", "weakness", "recommendations"),
        ("Pupils behave well,", "strength", "evaluation"),
        ("but in some lessons they lose concentration.", "weakness", "evaluation"),
    ]


def test_outside_a_report_a_statement_needs_evaluative_language() -> None:
    text = "Survey of schools\n\nThe schools were visited in May. Their leaders are highly effective.\n"
    assert [st.text for st in _statements(text)] == ["Their leaders are highly effective."]


def _classify(text: str, role: str = "evaluation") -> tuple[str, str, str | None]:
    st = Statement(0, len(text), text, role, polarity(text) or "strength", Sentence(0, len(text), text))
    kind, theme, concept = FindingClassifier(THESAURUS).classify(st)
    return kind, theme, concept.iri.rsplit("/", 1)[-1] if concept else None


@pytest.mark.parametrize(
    ("text", "kind", "theme"),
    [
        ("Leaders have introduced a rigorous programme of checks on teaching.", "practice", "self-evaluation"),
        ("Pupils make strong progress in mathematics.", "outcome", "mathematics"),
        ("Attendance has improved and is now above average.", "outcome", "attendance"),
        ("Disadvantaged pupils make less progress than others in reading.", "outcome", "disadvantaged"),
        ("The teaching of phonics is well organised.", "practice", "reading"),
        ("Pupils with SEND are identified quickly.", "practice", "send"),
        ("Staff are well trained and report concerns about pupils promptly.", "practice", "safeguarding"),
        ("Governors hold leaders to account well.", "practice", "governance"),
        ("Standards are above average in English, mathematics and science.", "outcome", "achievement"),
        ("Attainment in writing remains below average.", "outcome", "reading"),
    ],
)
def test_kind_and_theme(text: str, kind: str, theme: str) -> None:
    assert _classify(text)[:2] == (kind, theme)


def test_recommendations_and_unclassified() -> None:
    assert _classify("Improve the teaching of phonics.", role="recommendations")[:2] == ("recommendation", "reading")
    assert _classify("We have asked the school to improve writing.")[0] == "recommendation"
    assert _classify("It has been a very busy and happy year.")[1] in ("unclassified", "pastoral")
    assert _classify("The wibble is grand and it glows.")[1] == "unclassified"


def test_a_strand_is_carried_through_its_passage() -> None:
    text = (
        "The learning support units are usually effective. In the best schools, parents are fully involved. "
        "However, in a few schools the provision is inadequate. Local authorities have provided good support."
    )
    ctx = ProgrammeContext(GAZETTEER, text, default=None)
    sentences = []
    pos = 0
    for part in text.split(". "):
        part = part if part.endswith(".") else part + "."
        start = text.index(part, pos)
        sentences.append(Sentence(start, start + len(part), part))
        pos = start + len(part)
    names = [getattr(ctx.of(s), "name", None) for s in sentences]
    assert names[0] == names[1] == names[2] and "learning support" in (names[0] or "").lower()
    assert names[3] is None  # the local authorities are not the strand's schools


def test_finding_quads_record_kind_theme_and_never_the_document_as_subject() -> None:
    doc = Document("d1", "d1.txt", "Their leaders are highly effective.", "0" * 64, title="Survey")
    ex = Extraction(doc)
    ex.findings.append(Finding("document", None, None, "weakness", "Their", 0, 5, kind="recommendation", theme="send"))
    ex.participations.append(Participation("document", "programme-1", "Their", 0, 5))
    ex.entities = [Entity("programme-1", "Programme", "learning mentors")]
    strand = {"learning mentors": "https://w3id.org/schoolkg/programme/eic-learning-mentors"}
    wanted = ("#type", "#about", "#theme", "#practice", "#participant")
    quads = [q for q in extraction_quads(ex, strand) if q.predicate.value.endswith(wanted)]
    by = {(q.predicate.value.rsplit("#", 1)[-1], q.object.value) for q in quads}
    assert ("type", "https://w3id.org/schoolkg/ontology#Recommendation") in by
    assert ("theme", theme_iri("send")) in by and theme_iri("send").endswith("/theme-inclusion")
    assert not any(p == "practice" for p, _ in by)
    about = {o for p, o in by if p in ("about", "participant")}
    assert about == {"https://w3id.org/schoolkg/id/group/d1"}  # the surveyed group, not the document


def test_every_theme_key_names_a_top_concept_of_the_thesaurus() -> None:
    keys = {c.theme_key: c.theme for c in THESAURUS.concepts.values() if c.kind == "theme"}
    assert len(keys) == 27
    for key, iri in keys.items():
        assert theme_iri(key) == iri
