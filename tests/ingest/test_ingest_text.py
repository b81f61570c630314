"""Reading text (issue 14, item 6): ligatures, hyphenation, page furniture, text copied from a PDF
viewer, and both PDF readers giving the same reading text."""

from __future__ import annotations

import pytest

from conftest import FIXTURES
from schoolkg.ingest.documents import read_document
from schoolkg.ingest.layout import dehyphenate, is_hard_wrapped, layout_text, split_pages
from schoolkg.ingest.pdf import PAGE_READERS, pdf_text
from schoolkg.ingest.text import normalise_text

FIX = FIXTURES


@pytest.mark.parametrize(
    ("head", "tail", "joined"),
    [
        ("teaching is fre-", "quently weak", "teaching is frequently weak"),  # a word cut by hyphenation
        ("support in small-", "group sessions", "support in small-group sessions"),  # a compound kept
        ("the school is well-", "led and", "the school is well-led and"),
        ("staff are approach-", "able and", "staff are approachable and"),  # -able ends a word
        ("pupils in non-", "English schools", "pupils in non-English schools"),  # capital tail keeps its hyphen
        ("RISK ASSESS-", "MENT", "RISK ASSESSMENT"),
        ("leaders are over-", "generous in", "leaders are over-generous in"),
        ("pupils who are under-", "achieving", "pupils who are underachieving"),
    ],
)
def test_dehyphenate(head: str, tail: str, joined: str) -> None:
    assert dehyphenate(head, tail) == joined


def test_document_spelling_decides_hyphenation() -> None:
    pages = ["Pupils' well-being is good. Their well-\nbeing matters to staff and teachers alike here."]
    assert "Their well-being matters" in layout_text(pages)
    pages = ["Pupils' wellbeing is good. Their well-\nbeing matters to staff and teachers alike here."]
    assert "Their wellbeing matters" in layout_text(pages)


def test_page_furniture_and_paragraph_across_pages() -> None:
    pages = [
        "Inspection report: Hill School, 4–5 May 2016\nLeaders have improved teaching and the quality of\nPage 1 of 3",
        "Inspection report: Hill School, 4–5 May 2016\nfeedback given to pupils in every class.\nPage 2 of 3",
        "Inspection report: Hill School, 4–5 May 2016\nSchool details\nNumber of pupils\n261\nPage 3 of 3",
    ]
    text = layout_text(pages)
    assert "Inspection report" not in text and "Page" not in text
    assert "the quality of feedback given to pupils in every class." in text
    assert text.endswith("Number of pupils\n261")  # a value in a table is not a page number


def test_ligatures_and_spaces_normalised_offsets_stable() -> None:
    raw = "Sta\ufb00 identi\ufb01ed e\ufb00ective\u00a0support."
    assert normalise_text(raw) == "Staff identified effective support."
    assert normalise_text("½ and ²") == "½ and ²"  # other compatibility characters are kept


def test_text_copied_from_a_pdf_viewer_is_laid_out() -> None:
    doc = FIX / "reports" / "dev" / "short-2015-st-mary-magdalene.txt"
    if not doc.exists():
        pytest.skip("dev gold not merged")
    raw = doc.read_text(encoding="utf-8")
    assert is_hard_wrapped(raw) and len(split_pages(raw)) >= 2
    text = read_document(doc).text
    assert "Page 1 of" not in text
    assert "the school works effectively with external specialists" in text


def test_typed_text_is_left_alone() -> None:
    seed = FIX / "extraction" / "documents" / "ashbrook-primary-2013.txt"
    assert not is_hard_wrapped(seed.read_text(encoding="utf-8"))


def test_both_pdf_readers_give_the_same_reading_text() -> None:
    pdf = FIX / "extraction" / "documents" / "st-aidans-2009.pdf"
    data = pdf.read_bytes()
    texts = {name: " ".join(pdf_text(data, pdf, reader=name).split()) for name in PAGE_READERS}
    assert len(set(texts.values())) == 1, texts
