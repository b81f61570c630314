"""One encoding a file (issue 15 rows 5 and 6): UTF-8 or Windows-1252, never both; NUL bytes and
undecodable bytes reported at their own line and column, however the file is cut into blocks."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import TESTS
from schoolkg.errors import InputError
from schoolkg.ingest.documents import read_document
from schoolkg.ingest.tables import open_table
from schoolkg.ingest.text import EncodingScan, decode_bytes

FILES = TESTS / "badinput" / "files"


def _scan(data: bytes, block: int) -> EncodingScan:
    scan = EncodingScan(Path("t.txt"))
    for i in range(0, len(data), block):
        scan.feed(data[i : i + block])
    return scan


@pytest.mark.parametrize("block", [1, 2, 3, 7, 1 << 16])
def test_blocks_do_not_move_the_reported_place(block: int) -> None:
    data = "a,b\nCafé – naïve,1\n".encode() + b"x,y\nz,Caf\xe9\n"
    with pytest.raises(InputError) as err:
        _scan(data, block).finish()
    assert err.value.line == 4
    assert str(err.value) == (
        "t.txt:4: mixed encodings: line 2 is UTF-8 but line 4 is not (byte 0xe9 at column 6);"
        " save the whole file as UTF-8"
    )


@pytest.mark.parametrize("block", [1, 5, 1 << 16])
def test_nul_is_found_anywhere(block: int) -> None:
    data = b"head\n" + b"x" * 20_000 + b"\n\xc3\xa9\xc3\xa9ab\x00c\n"
    with pytest.raises(InputError, match=r"^t.txt:3: NUL byte at column 5: "):
        _scan(data, block).finish()


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (b"plain ascii\n", "utf-8-sig"),
        ("\ufeffCafé\n".encode(), "utf-8-sig"),
        ("Café\nnaïve\n".encode("cp1252"), "cp1252"),
    ],
)
def test_one_encoding_a_file(data: bytes, encoding: str) -> None:
    assert _scan(data, 3).finish() == encoding


def test_windows_1252_first_then_utf8_names_the_utf8_line() -> None:
    with pytest.raises(InputError) as err:
        _scan("one\nCafé\n".encode("cp1252") + "two\nnaïve\n".encode(), 4).finish()
    assert err.value.line == 4
    assert "line 2 is not UTF-8 (byte 0xe9) but line 4 is (column 3)" in str(err.value)


def test_a_bom_declares_utf8() -> None:
    with pytest.raises(InputError, match=r":2: mixed encodings: line 1 is UTF-8 but line 2 is not"):
        _scan("\ufeffa\n".encode() + "Café\n".encode("cp1252"), 1 << 16).finish()


def test_undefined_windows_1252_byte_is_at_its_line() -> None:
    with pytest.raises(InputError, match=r":3: neither UTF-8 nor Windows-1252 text \(byte 0x81 at column 2\)"):
        _scan("a\nCafé\n".encode("cp1252") + b"x\x81y\n", 2).finish()
    # a document may still be another encoding: the scan defers to detection instead of refusing
    assert _scan("a\nCafé\n".encode("cp1252") + b"x\x81y\n", 2).finish(strict=False) is None


def test_windows_1252_table_reads_correctly() -> None:
    header, rows, _sha = open_table(FILES / "cp1252.csv")
    assert header == ["URN", "LinkURN", "LinkName", "LinkType"]
    assert [row["LinkName"] for _line, row in rows] == ["Café School"]


def test_windows_1252_document_reads_correctly(tmp_path: Path) -> None:
    path = tmp_path / "letter.txt"
    path.write_bytes(
        "Dear Headteacher\nLeaders’ monitoring is rigorous and pupils’ progress is good.\n".encode("cp1252")
    )
    assert "Leaders’ monitoring" in read_document(path).text


def test_utf16_documents_still_decode() -> None:
    assert decode_bytes("Café report".encode("utf-16"), Path("u.txt")) == "Café report"
