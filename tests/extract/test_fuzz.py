"""Fuzzing with Hypothesis: the extractor and every table mapper, on random input, raise nothing
but schoolkg's own errors, and every quote is exactly the text at its offsets; negated
sentences are never read as strengths.
"""

from __future__ import annotations

import contextlib
import hashlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, ROOT
from schoolkg.errors import SchoolkgError
from schoolkg.extract.document import extract_document
from schoolkg.extract.gazetteer import load_gazetteer
from schoolkg.extract.thesaurus import load_thesaurus
from schoolkg.ingest.segment import segment_document
from schoolkg.mapping.tables import MAPPERS
from schoolkg.mapping.tables.rows import IngestContext
from schoolkg.model import Document, Extraction
from schoolkg.resources import ontology_dir

THESAURUS = load_thesaurus(ontology_dir() / "practices.ttl")
GAZETTEER = load_gazetteer(ontology_dir() / "schoolkg.ttl")
HEAD = "Inspection report\nBlenheim Primary School\nURN 114820\nInspection date 12 March 2004\n\n"
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

WORDS = [
    "leaders", "monitor", "monitoring", "teaching", "rigorous", "rigorously", "not", "no", "evidence", "effective",
    "Excellence in Cities", "learning mentors", "Leadership Incentive Grant", "Behaviour Improvement Programme",
    "the school", "governors", "attendance", "improved", "weak", "strengths", "weaknesses", "Grade 1", "outstanding",
    "satisfactory", "inadequate", "44.4%", "2003", "per cent", "GCSE", "5+ A*-C", "Key Stage 2", "LEA", "Birmingham",
    "pupils", "mentoring", "self-evaluation", "is", "are", "have", "ensured", "that", "but", "however", "\n", "\n\n",
    "- ", "•", ":", ";", ".", ",", "(", ")", "'", '"', "\u00a0", "\t", "é", "\u2019", "\ufeff", "\r\n",
]  # fmt: skip
sentences = st.lists(st.sampled_from(WORDS), max_size=60).map(" ".join)
texts = st.one_of(st.text(max_size=400), sentences, st.lists(sentences, max_size=8).map(". ".join))


def _extract(text: str) -> Extraction:
    doc = Document("fuzz", "fuzz.txt", text, hashlib.sha256(text.encode()).hexdigest(), kind="inspection-report")
    return extract_document(segment_document(doc), THESAURUS, GAZETTEER)


def _spans(ex: Extraction) -> list[tuple[str, int, int]]:
    items = [*ex.participations, *ex.findings, *ex.judgements, *ex.figures]
    return [(i.quote, i.start, i.end) for i in items]


@FUZZ
@given(texts)
def test_extractor_never_crashes_and_quotes_equal_offsets(body: str) -> None:
    text = HEAD + body
    try:
        ex = _extract(text)
    except SchoolkgError:
        return
    for quote, start, end in _spans(ex):
        assert 0 <= start <= end <= len(text)
        assert text[start:end] == quote


ALPHABET = st.characters(codec="utf-8", exclude_categories=("Cs",))
CELLS = st.one_of(
    st.sampled_from(["", "NULL", "SUPP", "x", "NA", "8", "9", "1", "2", "3", "4", "7", "0", "-1", "100%", "156%"]),
    st.sampled_from(["123166", "114820", "12316", "1234567", "931", "Oxfordshire", "Birmingham", "E09000001"]),
    st.sampled_from(["2013-09-18", "18/09/2013", "31/02/2013", "2009-13-02", "1999-09", "2017/18", "2016-2017"]),
    st.sampled_from(["Excellence in Cities", "Behaviour Improvement Programme", "Outstanding", "Good", "percent"]),
    st.sampled_from(["learning mentors", "whole-authority partnership", "002-ea63de0b34895f6a", "44.4", "1,442,000"]),
    st.text(ALPHABET, max_size=20),
)


def _real_values() -> dict[str, list[str]]:
    """Cell values per column name from the corpus and fixture tables, so rows get past the first check."""
    import csv

    root = ROOT
    values: dict[str, set[str]] = {}
    for path in [*(root / "corpus" / "tables").glob("*.csv"), *(root / "tests" / "fixtures").rglob("*.csv")]:
        with path.open(encoding="utf-8-sig", errors="replace", newline="") as fh:
            for i, row in enumerate(csv.DictReader(fh)):
                if i > 40:
                    break
                for k, v in row.items():
                    if isinstance(k, str) and isinstance(v, str):
                        values.setdefault(k.strip(), set()).add(v.strip())
    return {k: sorted(v) for k, v in values.items()}


REAL = _real_values()
TABLES = FIXTURES / "tables"
DOCS = {p.stem.replace("_", "-"): p.read_text(encoding="utf-8") for p in (ROOT / "corpus" / "documents").glob("*.txt")}


def _cell(column: str) -> st.SearchStrategy[str]:
    real = REAL.get(column)
    return st.one_of(*[st.sampled_from(real)] * 12, CELLS) if real else CELLS  # mostly real, some hostile


@pytest.mark.parametrize("kind", sorted(MAPPERS))
def test_every_mapper_raises_only_own_errors(kind: str) -> None:
    mapper = MAPPERS[kind]
    columns = list(mapper.columns)
    rows = st.lists(st.fixed_dictionaries({c: _cell(c) for c in columns}), min_size=1, max_size=6)
    name = f"ks2-2017-18-fuzz-{kind}.csv"  # the year in the name; ks2-meta/ beside it in the fixtures

    @settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(rows)
    def check(table: list[dict[str, str]]) -> None:
        ctx = IngestContext(f"table-fuzz-{kind}", name, "0" * 64, DOCS, TABLES / name)
        with contextlib.suppress(SchoolkgError):
            list(mapper.quads(iter(enumerate(table, start=2)), ctx))

    check()


NEGATED = [
    "There is no evidence of effective monitoring.",
    "Leaders have not ensured that monitoring of teaching is rigorous.",
    "Monitoring is not rigorous.",
    "Teaching is not monitored effectively.",
    "Senior leaders do not monitor the quality of teaching.",
    "There is little evidence that leaders evaluate the impact of their work.",
    "Self-evaluation is not accurate.",
    "The school lacks rigorous monitoring of teaching.",
    "Governors have never challenged leaders about the quality of teaching.",
    "Neither monitoring nor evaluation is rigorous.",
    "Leaders have failed to ensure that teaching is monitored.",
    "Partnership working with other schools is not yet effective.",
    "No rigorous monitoring of teaching takes place.",
    "It is not the case that leaders monitor teaching rigorously.",
]


@pytest.mark.parametrize("context", ["", "Strengths of the school\n", "The main strengths are:\n- "])
@pytest.mark.parametrize("sentence", NEGATED)
def test_negated_sentences_are_never_strengths(sentence: str, context: str) -> None:
    text = HEAD + "The school has improved.\n\n" + context + sentence + "\n"
    ex = _extract(text)
    start = text.index(sentence)
    claimed = [f for f in ex.findings if f.polarity == "strength" and f.end > start]
    assert claimed == [], [f.quote for f in claimed]


def test_a_plain_strength_is_still_found() -> None:
    sentence = "Leaders monitor teaching rigorously and use the findings to plan training."
    ex = _extract(HEAD + sentence + "\n")
    assert [f.polarity for f in ex.findings if f.quote == sentence] == ["strength"]
