"""Formats, the school and judgements on short openings of each format (written for these tests,
in the layouts the readers give: a tab between table cells)."""

from __future__ import annotations

import pytest

from schoolkg.extract.formats import detect_format
from schoolkg.extract.identity import identify, judgements_of
from schoolkg.extract.lexicon import load_lexicon
from schoolkg.ingest.documents import describe
from schoolkg.ingest.segment import segment_document

OPENINGS = {
    "report-card": (
        "Ofsted report card\nHollow Lane Academy\nUnique reference number: 145002\nHollow Lane, Leeds LS9 8AB\n"
        "Inspection dates: 2 and 3 December 2025\nInclusion\tExpected standard\nAchievement\tNeeds attention\n"
        "Safeguarding standards\tMet\nAbout this school\nLocal authority\tLeeds\n"
    ),
    "eif-ungraded": (
        "Inspection of a good school: Brook Vale Primary School\nBrook Lane, Wigan WN1 2AA\n"
        "Inspection dates:\t4 May 2021\nOutcome\nBrook Vale Primary School continues to be a good school.\n"
        "What is it like to attend this school?\nPupils are happy here.\n"
    ),
    "monitoring": (
        "Dear Mrs Shaw\nHeadteacher\nFernlea Community School\nFernlea Road\nCanterbury\nKent\nCT1 3XX\n"
        "Dear Mrs Shaw\nRequires improvement: monitoring inspection visit to Fernlea Community School\n"
        "Following my visit to your school on 9 March 2017, I write to confirm the findings. The school was "
        "judged to require improvement following the section 5 inspection in October 2016.\n"
        "Senior leaders and governors are taking effective action to tackle the areas requiring improvement.\n"
    ),
    "la-inspection": (
        "Inspection of Northshire County Council local authority arrangements for supporting school improvement\n"
        "Dear Mr Hale\nThe local authority's arrangements for supporting school improvement are ineffective.\n"
    ),
    "s5-2009": (
        "Hilltop Infant School\nInspection report\nUnique Reference Number\t101234\nLocal Authority\tBarnet\n"
        "Inspection number\t345678\nInspection dates\t3–4 March 2010\n"
        "Overall effectiveness: how good is the school?\t2\nThe school's capacity for sustained improvement\t2\n"
        "Date of previous school inspection\t8 May 2007\n"
        "At the previous inspection the school was judged to be satisfactory.\n"
    ),
}


@pytest.fixture(scope="module")
def gazetteer():  # type: ignore[no-untyped-def]
    return load_lexicon()[1]


def _identity(text: str, gazetteer):  # type: ignore[no-untyped-def]
    seg = segment_document(describe("t", "t.txt", text, "0" * 64))
    identity = identify(seg, gazetteer)
    return identity, judgements_of(seg, identity)


@pytest.mark.parametrize("fmt", sorted(OPENINGS))
def test_format_of_each_opening(fmt: str) -> None:
    assert detect_format(OPENINGS[fmt]) == fmt


def test_report_card_school_and_grades(gazetteer) -> None:  # type: ignore[no-untyped-def]
    identity, judged = _identity(OPENINGS["report-card"], gazetteer)
    school = identity.subject
    assert (school.name, school.urn, school.local_authority, school.postcode) == (
        "Hollow Lane Academy", "145002", "Leeds", "LS9 8AB",
    )  # fmt: skip
    assert identity.inspection.start_date == "2025-12-02" and identity.inspection.end_date == "2025-12-03"
    assert [(j.area, j.scale, j.grade_label, j.grade) for j in judged] == [
        ("inclusion", "report-card", "expected standard", None),
        ("achievement", "report-card", "needs attention", None),
        ("safeguarding", "safeguarding", "met", None),
    ]


def test_ungraded_title_and_outcome(gazetteer) -> None:  # type: ignore[no-untyped-def]
    identity, judged = _identity(OPENINGS["eif-ungraded"], gazetteer)
    assert identity.subject.name == "Brook Vale Primary School"
    assert identity.subject.local_authority == "Wigan" and identity.subject.phase == "primary"
    assert [(j.area, j.grade_label) for j in judged] == [("ungraded outcome", "continues to be good")]


def test_monitoring_letter_previous_and_outcome(gazetteer) -> None:  # type: ignore[no-untyped-def]
    identity, judged = _identity(OPENINGS["monitoring"], gazetteer)
    assert (identity.subject.name, identity.subject.local_authority) == ("Fernlea Community School", "Kent")
    assert identity.inspection.start_date == "2017-03-09"
    assert [(j.area, j.grade_label, j.previous) for j in judged] == [
        ("overall effectiveness", "requires improvement", True),
        ("monitoring outcome", "taking effective action", False),
    ]


def test_la_inspection_subject_is_the_authority(gazetteer) -> None:  # type: ignore[no-untyped-def]
    identity, judged = _identity(OPENINGS["la-inspection"].replace("Northshire County Council", "Kent"), gazetteer)
    assert (identity.subject.type, identity.subject.name) == ("LocalAuthority", "Kent")
    assert [(j.area, j.scale, j.grade_label) for j in judged] == [
        ("school improvement arrangements", "la-effectiveness", "ineffective")
    ]


def test_2009_report_grades_and_dated_previous(gazetteer) -> None:  # type: ignore[no-untyped-def]
    identity, judged = _identity(OPENINGS["s5-2009"], gazetteer)
    assert (identity.subject.name, identity.subject.urn, identity.subject.local_authority) == (
        "Hilltop Infant School", "101234", "Barnet",
    )  # fmt: skip
    assert [(j.area, j.scale, j.grade_label, j.previous, j.date) for j in judged] == [
        ("overall effectiveness", "four-point-2005", "good", False, "2010-03-03"),
        ("capacity to improve", "four-point-2005", "good", False, "2010-03-03"),
        ("overall effectiveness", "four-point-2005", "satisfactory", True, "2007-05-08"),
    ]


def test_unidentified_school_is_a_warning(gazetteer) -> None:  # type: ignore[no-untyped-def]
    identity, _ = _identity("Short inspection\nDear Sir\nThis school continues to be good.\n", gazetteer)
    assert identity.subject is None
    assert any("could not be identified" in w for w in identity.warnings)
