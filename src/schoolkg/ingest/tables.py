"""Read CSV tables as a stream of (line, row): the ingest half of every table.

Files are hashed and decoded in chunks (UTF-8 with or without BOM, else Windows-1252; one
encoding a file, NUL bytes refused: :class:`schoolkg.ingest.text.EncodingScan`), so a large table
is never held in memory whole; a header naming a column twice is refused; rows shorter than the
header are padded, and cells past the last header column are kept under :data:`EXTRA` (GIAS
rows spill extra links there).
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from schoolkg.errors import InputError
from schoolkg.ingest.text import EncodingScan, looks_binary

__all__ = ["EXTRA", "Rows", "open_table"]

if TYPE_CHECKING:
    from _csv import Reader as _CsvReader  # the type of csv.reader(...), named only in typeshed

Rows = Iterator[tuple[int, dict[str, str]]]
"""(line number, row) pairs of a table, in file order."""

EXTRA = "\x00extra"
"""Key under which cells beyond the header are kept, joined with a tab."""

_CHUNK = 1 << 16


def _sniff(path: Path) -> tuple[str, str]:
    """(SHA-256, encoding) of a file, read in chunks; InputError at the line of a NUL byte or of
    the first line that breaks the file's one encoding."""
    digest = hashlib.sha256()
    scan = EncodingScan(path)
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
            scan.feed(chunk)
    return digest.hexdigest(), scan.finish() or "cp1252"


def open_table(path: Path) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]], str]:
    """Header, a lazy iterator of (line number, row) and the SHA-256 of a CSV file.

    Raises InputError for a missing or empty file, a NUL byte or mixed encodings (at the line),
    a header that is one column holding another delimiter (a ';'- or tab-separated file), and a
    header naming a column twice (blank header cells, as spreadsheets export, may repeat).
    """
    if not path.is_file():
        raise InputError("table not found", path=path)
    _check_text(path)
    sha, encoding = _sniff(path)
    fh = path.open(encoding=encoding, newline="")
    reader = csv.reader(fh)
    try:
        header = [h.strip().lstrip("\ufeff").strip() for h in next(reader)]
    except StopIteration:
        fh.close()
        raise InputError("empty table", path=path) from None
    except (csv.Error, UnicodeDecodeError) as err:
        fh.close()
        raise InputError(f"not a CSV file: {err}", path=path, line=1) from None
    if len(header) == 1:
        for sep, name in ((";", "semicolon"), ("\t", "tab"), ("|", "pipe")):
            if sep in header[0]:
                fh.close()
                raise InputError(
                    f"wrong delimiter: the header is one column holding {name}s; tables must be comma-separated",
                    path=path,
                    line=1,
                    field="header",
                )
    _check_duplicates(header, path, fh)
    return header, _rows(fh, reader, header, path), sha


def _check_duplicates(header: list[str], path: Path, fh: TextIO) -> None:
    """Refuse a header naming a column twice: one of the two would silently win."""
    seen: dict[str, int] = {}
    for number, name in enumerate(header, 1):
        if name and name in seen:
            fh.close()
            raise InputError(
                f"duplicate column {name!r} (columns {seen[name]} and {number})", path=path, line=1, field="header"
            )
        seen.setdefault(name, number)


def _rows(fh: TextIO, reader: _CsvReader, header: list[str], path: Path) -> Rows:
    width = len(header)
    with fh:
        line = 1
        try:
            for cells in reader:
                start, line = line + 1, reader.line_num
                if not any(c.strip() for c in cells):
                    continue
                if line > start:
                    _check_unclosed_quote(cells, header, start)
                row = dict(zip(header, (c.strip() for c in cells), strict=False))
                for h in header[len(cells) :]:
                    row[h] = ""
                if len(cells) > width:
                    row[EXTRA] = "\t".join(c.strip() for c in cells[width:])
                yield line, row
        except csv.Error as err:
            raise InputError(f"CSV syntax error: {err}", path=path, line=reader.line_num) from None
        except UnicodeDecodeError as err:
            raise InputError(
                f"neither UTF-8 nor Windows-1252 text (byte {err.object[err.start]:#04x})", path=path, line=line + 1
            ) from None


def _check_text(path: Path) -> None:
    """Refuse UTF-16 and binary files before the CSV reader turns them into nonsense headers."""
    with path.open("rb") as fh:
        head = fh.read(8192)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError("UTF-16 file; save the table as UTF-8 (comma-separated)", path=path)
    if looks_binary(head.replace(b"\x00", b"")):  # a NUL in text is reported at its line by _sniff
        raise InputError("binary file, not a CSV table", path=path)


def _check_unclosed_quote(cells: list[str], header: list[str], line: int) -> None:
    """Raise InputError if a quoted cell spans lines that look like whole rows: an unclosed quote.

    >>> _check_unclosed_quote(["1", "x,y\\n2,3,4"], ["a", "b", "c"], 2)
    Traceback (most recent call last):
    schoolkg.errors.InputError: 2: b: unclosed quote: the cell runs on over the next 1 line(s) of the table
    """
    width = len(header)
    for name, cell in zip(header, cells, strict=False):
        rest = [part for part in cell.split("\n")[1:] if part.strip()]
        if width > 2 and any(part.count(",") >= width - 1 for part in rest):
            raise InputError(
                f"unclosed quote: the cell runs on over the next {len(rest)} line(s) of the table",
                field=name,
                line=line,
            )
