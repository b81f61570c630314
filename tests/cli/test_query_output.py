"""`schoolkg query` output a hostile name cannot abuse (issue 15 rows 3 and 4): spreadsheet formulas
are quoted in CSV/TSV unless --allow-formulas, and the table shows markup and escape codes inert."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from schoolkg.cli import app

NAMES = [
    '=HYPERLINK("http://evil.test","Click")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "-2+3",
    "[/] Rich School",
    "[bold red]Loud[/bold red] School",
    "Nul\x1b]0;owned\x07\x1b[2J School",
    "Plain School",
]
QUERY = "SELECT ?name WHERE { ?s <https://schema.org/name> ?name } ORDER BY ?name"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("names") / "store"
    db = ox.Store(str(path))
    graph = ox.NamedNode("https://w3id.org/schoolkg/graph/test")
    for i, name in enumerate(NAMES):
        db.add(
            ox.Quad(
                ox.NamedNode(f"http://x.test/s{i}"), ox.NamedNode("https://schema.org/name"), ox.Literal(name), graph
            )
        )
    db.flush()
    del db
    return path


def _run(store: Path, *args: str) -> str:
    result = CliRunner().invoke(app, ["query", QUERY, "--store", str(store), *args])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_formulas_are_quoted(store: Path, fmt: str) -> None:
    rows = list(csv.reader(io.StringIO(_run(store, "--format", fmt)), delimiter="," if fmt == "csv" else "\t"))
    cells = {row[0] for row in rows[1:]}
    assert {"'" + n for n in NAMES[:4]} <= cells
    assert "Plain School" in cells and "[/] Rich School" in cells


def test_allow_formulas_writes_cells_as_they_are(store: Path) -> None:
    rows = list(csv.reader(io.StringIO(_run(store, "--format", "csv", "--allow-formulas"))))
    assert set(NAMES[:4]) <= {row[0] for row in rows[1:]}


def test_table_shows_markup_as_text_and_drops_control_characters(store: Path) -> None:
    out = _run(store)
    assert "[/] Rich School" in out and "[bold red]Loud[/bold red] School" in out
    assert "\x1b" not in out and "\x07" not in out
    assert "Nul]0;owned[2J School" in out
