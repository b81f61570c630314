# ruff: noqa: E501
"""The previous inspection's grade as Ofsted's formats state it (2005-2026), and what is not one.

The phrasings follow Ofsted's real wording across frameworks (front-page grade lines, school
details rows, the opening of short, ungraded and monitoring letters, the 2005-2012 reports'
"At the last inspection..." sentences), written for these tests.
"""

from __future__ import annotations

import pytest

from schoolkg.extract.judgements import find_judgements

CASES = [
    (
        "monitoring",
        "2018-03-03",
        "The school was judged to require improvement at its section 5 inspection in June 2017.",
        [("overall effectiveness", "requires improvement")],
    ),
    ("s5-2009", "2011-03-03", "At the last inspection, inspectors found good teaching in most classes.", []),
    (
        "s5-2009",
        "2011-03-03",
        "At its last inspection the school was found to require special measures.",
        [("category of concern", "special measures")],
    ),
    (
        "eif-full",
        "2022-03-03",
        "In its last inspection, the school was graded as 'outstanding'.",
        [("overall effectiveness", "outstanding")],
    ),
    (
        "s5-2015",
        "2017-03-03",
        "The school's previous inspection judged it to require improvement.",
        [("overall effectiveness", "requires improvement")],
    ),
    (
        "s5-2012",
        "2015-03-03",
        "Overall effectiveness Previous inspection: Requires improvement 3 This inspection: Requires improvement 3",
        [("overall effectiveness", "requires improvement")],
    ),
    (
        "s5-2012",
        "2014-03-03",
        "Overall effectiveness\tPrevious inspection:\tGood\t2\n\tThis inspection:\tRequires improvement\t3",
        [("overall effectiveness", "good")],
    ),
    ("s5-2015", "2016-03-03", "Overall effectiveness at previous inspection\tNot previously inspected", []),
    ("s5-2012", "2014-03-03", "Previous inspection:\tNot previously inspected", []),
    (
        "eif-full",
        "2022-03-03",
        "At the previous inspection, the school was judged to be good.",
        [("overall effectiveness", "good")],
    ),
    (
        "s5-2009",
        "2011-03-03",
        "This school was last inspected in March 2008 and was judged satisfactory.",
        [("overall effectiveness", "satisfactory")],
    ),
    (
        "s5-2009",
        "2011-03-03",
        "When the school was last inspected, it was judged to be good.",
        [("overall effectiveness", "good")],
    ),
    (
        "s5-2009",
        "2011-03-03",
        "At its last inspection, the school was judged to be outstanding.",
        [("overall effectiveness", "outstanding")],
    ),
    (
        "s5-2005",
        "2007-03-03",
        "At the time of the last inspection in 2004 the school was judged to require special measures.",
        [("category of concern", "special measures")],
    ),
    (
        "s5-2005",
        "2007-03-03",
        "The school was placed in special measures at its previous inspection in March 2005.",
        [("category of concern", "special measures")],
    ),
    (
        "s5-2005",
        "2007-03-03",
        "At the last inspection, in June 2005, the school was given a notice to improve.",
        [("category of concern", "notice to improve")],
    ),
    (
        "monitoring",
        "2018-03-03",
        "This was the first monitoring inspection since the school was judged to require improvement following the section 5 inspection that took place in May 2017.",
        [("overall effectiveness", "requires improvement")],
    ),
    (
        "monitoring",
        "2018-03-03",
        "This was the second monitoring inspection since the school was judged to require special measures following the section 5 inspection that took place in March 2017.",
        [("category of concern", "special measures")],
    ),
    (
        "monitoring",
        "2018-03-03",
        "This was the first monitoring inspection since the school was judged to have serious weaknesses following the section 5 inspection that took place in March 2017.",
        [("category of concern", "serious weaknesses")],
    ),
    (
        "short-2015",
        "2017-03-03",
        "This is the first short inspection carried out since the school was judged to be good in March 2013.",
        [("overall effectiveness", "good")],
    ),
    (
        "eif-ungraded",
        "2023-03-03",
        "This is the first ungraded inspection since we judged the school to be good in May 2018.",
        [("overall effectiveness", "good")],
    ),
    (
        "eif-ungraded",
        "2023-03-03",
        "This is the first routine inspection since the school was judged to be outstanding in May 2013.",
        [("overall effectiveness", "outstanding")],
    ),
    (
        "eif-full",
        "2022-03-03",
        "When its predecessor school, Ashdale High School, was last inspected by Ofsted, it was judged to be good overall.",
        [("overall effectiveness", "good")],
    ),
    (
        "eif-full",
        "2022-03-03",
        "The school was judged to be outstanding at its previous inspection.",
        [("overall effectiveness", "outstanding")],
    ),
    (
        "eif-full",
        "2022-03-03",
        "At the previous inspection, the school was rated as requires improvement.",
        [("overall effectiveness", "requires improvement")],
    ),
    ("s5-2015", "2017-03-03", "At the last inspection, teaching was judged to require improvement.", []),
    ("s5-2015", "2017-03-03", "At the previous inspection, leaders were asked to improve the quality of teaching.", []),
    (
        "s5-2015",
        "2017-03-03",
        "Since the last inspection, when the school was judged to require improvement, leaders have improved teaching.",
        [("overall effectiveness", "requires improvement")],
    ),
    ("report-card", "2026-01-20", "Previous inspection: Good", [("overall effectiveness", "good")]),
    (
        "report-card",
        "2026-01-20",
        "Previous full inspection\tRequires improvement (14 and 15 March 2022)",
        [("overall effectiveness", "requires improvement")],
    ),
    (
        "s5-2009",
        "2011-03-03",
        "Since its last inspection, when it was judged to be satisfactory, the school has improved.",
        [("overall effectiveness", "satisfactory")],
    ),
    (
        "s5-2009",
        "2011-03-03",
        "The previous inspection judged the school to be satisfactory.",
        [("overall effectiveness", "satisfactory")],
    ),
    (
        "s5-2009",
        "2011-03-03",
        "At the last inspection the school was judged to be satisfactory (grade 3).",
        [("overall effectiveness", "satisfactory")],
    ),
    ("s5-2015", "2017-03-03", "The school was previously judged to be good.", [("overall effectiveness", "good")]),
    (
        "monitoring",
        "2018-03-03",
        "The school was judged to require improvement at its previous section 5 inspection in June 2017.",
        [("overall effectiveness", "requires improvement")],
    ),
    (
        "eif-ungraded",
        "2023-03-03",
        "The school was judged good at its last inspection in March 2016.",
        [("overall effectiveness", "good")],
    ),
    (
        "s5-2012",
        "2014-03-03",
        "At the time of the previous inspection, the school's overall effectiveness was judged to be good.",
        [("overall effectiveness", "good")],
    ),
    (
        "s5-2012",
        "2014-03-03",
        "Overall effectiveness at the last inspection Satisfactory 3",
        [("overall effectiveness", "satisfactory")],
    ),
    ("eif-full", "2022-03-03", "Previous inspection grade\tOutstanding", [("overall effectiveness", "outstanding")]),
    (
        "s5-2015",
        "2017-03-03",
        "The school has improved since it was last inspected, when it was judged to require improvement.",
        [("overall effectiveness", "requires improvement")],
    ),
    (
        "eif-full",
        "2022-03-03",
        "Leaders have tackled the weaknesses identified at the previous inspection; pupils now achieve well and the school is judged good.",
        [],
    ),
]


@pytest.mark.parametrize(("fmt", "date", "text", "want"), CASES, ids=[c[2][:48] for c in CASES])
def test_previous_judgement_phrasings(fmt: str, date: str, text: str, want: list[tuple[str, str]]) -> None:
    got = [(j.area, j.label) for j in find_judgements(text, 0, fmt, date) if j.previous]
    assert sorted(got) == sorted(want)


def test_previous_row_date_in_brackets() -> None:
    (j,) = [j for j in find_judgements("Previous full inspection\tGood (12 and 13 October 2021)", 0, "report-card",
                                       "2026-01-20") if j.previous]  # fmt: skip
    assert (j.label, j.grade, j.date) == ("good", 2, "2021-10-12")


def test_previous_in_prose_keeps_a_full_date() -> None:
    text = "This is the first ungraded inspection since the school was judged to be good at its previous graded "
    text += "inspection on 24 and 25 January 2018."
    (j,) = [j for j in find_judgements(text, 0, "eif-ungraded", "2023-03-03") if j.previous]
    assert (j.label, j.date) == ("good", "2018-01-24")


def test_previous_date_is_the_one_after_the_cue_not_the_visit() -> None:
    text = "Following my visit to your school on 6 March 2018, this was the first monitoring inspection since the "
    text += "school was judged to require improvement following the section 5 inspection on 10 May 2017."
    (j,) = [j for j in find_judgements(text, 0, "monitoring", "2018-03-06") if j.previous]
    assert (j.label, j.date) == ("requires improvement", "2017-05-10")
