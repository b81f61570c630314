"""Which numbers are figures: outcomes and the school's roll, not how the inspection was done."""

from __future__ import annotations

import pytest

from schoolkg.extract.figures import find_figures
from schoolkg.model import Sentence


def _figures(text: str) -> list[tuple[float, str]]:
    return [(f.value, f.unit) for f in find_figures(Sentence(0, len(text), text))]


@pytest.mark.parametrize(
    "text",
    [
        "Inspectors observed 21 lessons taught by 19 teachers, and held meetings with governors.",
        "This report is based on visits by HMI to 46 secondary and 22 primary schools in 19 partnerships.",
        "Inspectors analysed 47 questionnaires from parents and carers.",
        "She has rightly identified that progress in Key Stage 2 is the school's most pressing weakness.",
        "In Key Stage 1 pupils do not have enough opportunities to apply their skills.",
        "The authority has 61 primary schools, 13 secondary schools and a pupil referral unit.",
    ],
)
def test_not_figures(text: str) -> None:
    assert _figures(text) == []


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Number on roll School 1184 Chair Mrs A Robson", [(1184.0, "count")]),
        ("6th form\t196", [(196.0, "count")]),
        ("Of which, number on roll in the sixth form\t164", [(164.0, "count")]),
        ("Of which in post-16 provision\t286", [(286.0, "count")]),
        ("Around 120 pupils are on the gifted and talented register.", [(120.0, "count")]),
        ("Only 29% of pupils reached the expected standard in reading, writing and mathematics.", [(29.0, "percent")]),
        ("Twelve schools improved, and 14 schools are still not good enough.", [(14.0, "count")]),
    ],
)
def test_figures(text: str, want: list[tuple[float, str]]) -> None:
    assert _figures(text) == want
