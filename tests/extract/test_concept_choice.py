"""Which practice concept a statement is filed under when its words name more than one (issue 18 item 4).

Cases written in my own words from how inspectors write, not from any generated report."""

from __future__ import annotations

from functools import lru_cache

import pytest

from schoolkg.extract.classify import FindingClassifier
from schoolkg.extract.lexicon import load_lexicon
from schoolkg.extract.thesaurus import Thesaurus


@lru_cache(maxsize=1)
def _thesaurus() -> Thesaurus:
    return load_lexicon()[0]


def _named(text: str, polarity: str = "strength") -> tuple[str, str | None]:
    theme, concept = FindingClassifier(_thesaurus()).theme(text, polarity=polarity)
    return theme, concept.iri.rsplit("/", 1)[-1] if concept else None


@pytest.mark.parametrize(
    ("text", "theme", "practice"),
    [
        # a phase named by its own name is where: the theme, while the practice is what is done there
        ("Phonics is taught consistently well in Reception.", "early-years", "phonics-teaching"),
        (
            "Children in the nursery learn their sounds through a well-chosen phonics scheme.",
            "early-years",
            "phonics-teaching",
        ),
        ("Children in Reception settle quickly and happily.", "early-years", "early-years-provision"),
        # who does what to what beats a single word of another practice
        (
            "Senior leaders check the quality of teaching often and provide coaching where it is needed.",
            "self-evaluation",
            "checks-on-teaching",
        ),
        ("Staff receive coaching that has sharpened their questioning.", "staff-development", "staff-training"),
        # adapting needs what is adapted, or for whom
        (
            "Teachers adapt their teaching so that pupils with SEND learn the same curriculum.",
            "send",
            "adaptive-teaching",
        ),
    ],
)
def test_practice_of_a_statement(text: str, theme: str, practice: str) -> None:
    assert _named(text) == (theme, practice)


def test_bare_adapt_is_not_adaptive_teaching() -> None:
    _theme, practice = _named("Leaders adapted quickly when the school moved to a new site.")
    assert practice != "adaptive-teaching"


def test_tackling_weak_teaching_is_a_check_on_teaching() -> None:
    concepts = [c.iri.rsplit("/", 1)[-1] for c in _thesaurus().cue_concepts("Leaders tackle weak teaching quickly.")]
    assert "checks-on-teaching" in concepts
