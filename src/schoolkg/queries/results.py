"""Render query results: a Table as CSV, TSV or JSON, and the endpoint's serialized answers.

``render`` writes a :class:`~schoolkg.store.table.Table` of plain values as CSV, TSV or JSON
for ``schoolkg query``; ``write_answer`` serializes them with pyoxigraph into a file for the endpoint. Both
neutralise spreadsheet formulas in CSV and TSV cells unless asked not to (``protect_cell``).
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pyoxigraph

from schoolkg.queries.media import RDF_MEDIA, RESULT_MEDIA
from schoolkg.store.table import Table

__all__ = ["protect_cell", "render", "terminal_text", "write_answer"]


def render(table: Table, fmt: str, protect: bool = True) -> str:
    """Render as 'csv', 'tsv' or 'json' (a list of objects); 'table' is drawn by the CLI.

    In CSV and TSV a text cell a spreadsheet would run as a formula is quoted (``protect_cell``)
    unless ``protect`` is false.

    >>> print(render(Table(["name", "n"], [["=HYPERLINK(1)", -2]]), "csv"), end="")
    name,n
    '=HYPERLINK(1),-2
    """
    if fmt in ("csv", "tsv"):
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow([protect_cell(c) if protect else c for c in table.columns])
        for row in table.rows:
            cells = ["" if v is None else v for v in row]
            writer.writerow([protect_cell(v) if protect and isinstance(v, str) else v for v in cells])
        return buf.getvalue()
    if fmt == "json":
        return (
            json.dumps([dict(zip(table.columns, r, strict=True)) for r in table.rows], indent=2, ensure_ascii=False)
            + "\n"
        )
    raise ValueError(f"unknown format {fmt!r}")


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def protect_cell(text: str) -> str:
    r"""``text`` with a ``'`` in front when a spreadsheet would read it as a formula.

    OWASP's CSV-injection advice: a cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a
    carriage return is prefixed with a single quote, which spreadsheets show as text. A cell
    that is only a number (``-2``, ``+1.5e3``) is left alone: it cannot run anything.

    >>> [protect_cell(v) for v in ["=HYPERLINK(x)", "+cmd|' /C calc'!A0", "@SUM(A1)", "-2+3", "-2", "Hill"]]
    ["'=HYPERLINK(x)", "'+cmd|' /C calc'!A0", "'@SUM(A1)", "'-2+3", '-2', 'Hill']
    >>> protect_cell("\tx")
    "'\tx"
    """
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def terminal_text(value: object) -> str:
    r"""A cell for the terminal: control characters (escape sequences, bells, NUL) removed.

    Rich markup needs no escaping when the cell is passed as ``rich.text.Text``.

    >>> terminal_text("Nul\x1b]0;owned\x07\x1b[2J School\r")
    'Nul]0;owned[2J School'
    >>> terminal_text(None), terminal_text(3)
    ('', '3')
    """
    return "" if value is None else _CONTROL.sub("", str(value).replace("\t", " "))


def write_answer(results: object, media_type: str, path: Path, protect: bool = True) -> None:
    r"""Serialize pyoxigraph query results as ``media_type`` into the file ``path``, streaming.

    SELECT and ASK results take a SPARQL results type (JSON, XML, CSV, TSV), CONSTRUCT and
    DESCRIBE triples an RDF type (Turtle, N-Triples, RDF/XML, JSON-LD, N-Quads, TriG); see
    :mod:`schoolkg.queries.media`. With ``protect``, CSV and TSV cells that spreadsheets would run
    as formulas are quoted (``protect_cell``).

    Examples
    --------
    >>> import tempfile
    >>> store = pyoxigraph.Store()
    >>> out = Path(tempfile.mkdtemp()) / "answer"
    >>> write_answer(store.query('SELECT ("=1+1" AS ?x) (BNODE() AS ?y) {}'), "text/csv", out)
    >>> out.read_bytes().split(b"\r\n")[1][:8]
    b"'=1+1,_:"
    """
    path = Path(path)
    if isinstance(results, (pyoxigraph.QuerySolutions, pyoxigraph.QueryBoolean)):
        fmt = RESULT_MEDIA[media_type]
        protect = protect and media_type in ("text/csv", "text/tab-separated-values")
        target = path.with_name(path.name + ".raw") if protect else path
        results.serialize(str(target), format=fmt)
        if protect:
            _protect_file(target, path, media_type == "text/csv")
            target.unlink()
        return
    if isinstance(results, list):  # triples from a remote store
        pyoxigraph.serialize(results, str(path), format=RDF_MEDIA[media_type])
        return
    results.serialize(str(path), format=RDF_MEDIA[media_type])  # type: ignore[attr-defined]


def _protect_file(source: Path, target: Path, is_csv: bool) -> None:
    """Copy a CSV or TSV results file, quoting the cells a spreadsheet would run as formulas."""
    with source.open(encoding="utf-8", newline="") as src, target.open("w", encoding="utf-8", newline="") as out:
        if is_csv:
            writer = csv.writer(out, lineterminator="\r\n")
            for row in csv.reader(src):
                writer.writerow([protect_cell(c) for c in row])
            return
        for line in src:
            body = line.rstrip("\n")
            out.write("\t".join(_protect_tsv(c) for c in body.split("\t")) + line[len(body) :])


def _protect_tsv(cell: str) -> str:
    """A TSV cell is a term in SPARQL syntax: look inside a literal's quotes.

    >>> print(_protect_tsv('"-2+3"'), _protect_tsv('"-2"'), _protect_tsv('"=A1"@en'), _protect_tsv("-2"))
    "'-2+3" "-2" "'=A1"@en -2
    """
    literal = _TSV_LITERAL.match(cell)
    if literal:
        lexical = literal.group(1)
        return cell if protect_cell(lexical) == lexical else "\"'" + cell[1:]
    return protect_cell(cell)


_TSV_LITERAL = re.compile(r'"((?:[^"\\]|\\.)*)"')
