"""Unit tests of IRIs, document reading, table mapping and rendering."""

from __future__ import annotations

from pathlib import Path

import pytest

from schoolkg import iris
from schoolkg.errors import ConfigError, InputError
from schoolkg.ingest.documents import find_date, read_document
from schoolkg.ingest.tables import open_table
from schoolkg.mapping.tables import TableContext, detect_kind, get_mapper
from schoolkg.queries.results import render
from schoolkg.store.table import Table


def test_school_iri_requires_six_digits() -> None:
    assert iris.school_iri("123456").endswith("/school/123456")
    with pytest.raises(InputError, match="not a 6-digit URN: 'n/a'"):
        iris.school_iri("n/a")


def test_slug_rejects_empty() -> None:
    with pytest.raises(InputError):
        iris.slug("!!!")


def test_iris_are_stable() -> None:
    a = iris.finding_iri("d", 1, 5, "https://w3id.org/schoolkg/practice/x", "https://w3id.org/schoolkg/id/la/york")
    assert a == "https://w3id.org/schoolkg/id/finding/d/1-5/x/la-york"


def test_read_document_errors_name_the_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    with pytest.raises(InputError, match=r"empty\.txt: empty document"):
        read_document(empty)
    binary = tmp_path / "junk.txt"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    with pytest.raises(InputError, match="binary file"):
        read_document(binary)
    with pytest.raises(ConfigError, match="no reader for .docx"):
        read_document(tmp_path / "x.docx")


def test_read_document_detects_cp1252_and_normalises(tmp_path: Path) -> None:
    p = tmp_path / "letter.txt"
    p.write_bytes(b"Dear Mrs Smith\r\nThe caf\xe9 is good \x96 very nice indeed, and the staff are kind.\r\n")
    doc = read_document(p)
    assert "café" in doc.text and "\r" not in doc.text and "–" in doc.text


def test_find_date() -> None:
    assert find_date("on the 3rd February 2014") == "2014-02-03"
    assert find_date("nothing") is None


def _table(tmp_path: Path, body: str) -> Path:
    p = tmp_path / "figures.csv"
    p.write_text("group,measure,period,value,unit,provisional,source_document,quote\n" + body)
    return p


def test_figures_mapper_checks_quote_and_unit(tmp_path: Path) -> None:
    path = _table(tmp_path, "A,m,2003,44.4,percent,false,doc,44.4 here\n")
    header, rows, sha = open_table(path)
    assert detect_kind(header, path) == "figures"
    ctx = TableContext("t", "figures.csv", sha, {"doc": "the value 44.4 here"})
    quads = list(get_mapper("figures").quads(rows, ctx))
    assert any(q.predicate.value.endswith("#value") and q.object.value == "44.4" for q in quads)
    starts = [q.object.value for q in quads if q.predicate.value.endswith("#startOffset")]
    assert starts == ["10"]

    bad = _table(tmp_path, "A,m,2003,44.4,parsecs,false,doc,44.4\n")
    _, rows, sha = open_table(bad)
    with pytest.raises(InputError, match=r"figures\.csv:2: unit: unknown unit 'parsecs'"):
        list(get_mapper("figures").quads(rows, TableContext("t", str(bad), sha, {"doc": "44.4"})))


def test_unknown_kind_and_header(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown table kind 'nope'"):
        get_mapper("nope")
    p = tmp_path / "x.csv"
    p.write_text("a,b\n1,2\n")
    header, _, _ = open_table(p)
    with pytest.raises(InputError, match=r"x\.csv:1: no table kind matches the header"):
        detect_kind(header, p)


def test_render_csv_and_json() -> None:
    t = Table(["a", "b"], [[1, None], ["x,y", 2.5]])
    assert render(t, "csv") == 'a,b\n1,\n"x,y",2.5\n'
    assert '"b": 2.5' in render(t, "json")
    assert render(t, "tsv").splitlines()[0] == "a\tb"
