"""The command line: build, stats, query and validate through typer's CliRunner, and their errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from schoolkg.cli import app


@pytest.fixture(scope="module")
def cli_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import shutil

    from conftest import CORPUS

    out = tmp_path_factory.mktemp("cli")
    corpus = out / "corpus"  # the documents and the hand-curated figure table only: the counts below are theirs
    shutil.copytree(CORPUS / "documents", corpus / "documents")
    (corpus / "tables").mkdir()
    shutil.copy(CORPUS / "tables" / "eic-figure1-gcse.csv", corpus / "tables")
    result = CliRunner().invoke(
        app, ["build", "--corpus", str(corpus), "--store", str(out / "store"), "--nquads", str(out / "g.nq")]
    )
    assert result.exit_code == 0, result.output
    assert "SHACL: the graph conforms" in result.stdout
    return out


def test_stats_counts(cli_store: Path) -> None:
    result = CliRunner().invoke(app, ["stats", "--store", str(cli_store / "store"), "--json"])
    assert result.exit_code == 0, result.output
    counts = json.loads(result.stdout)
    assert counts["schools"] == 1
    assert counts["local authorities"] == 2
    assert counts["findings"] > 200
    assert counts["practices"] >= 60
    assert counts["judgements"] == 2
    assert counts["programmes"] >= 10
    assert counts["documents"] == 6


def test_query_csv(cli_store: Path) -> None:
    q = (
        "PREFIX skg: <https://w3id.org/schoolkg/ontology#> "
        "SELECT ?n WHERE { ?s a skg:School ; <https://schema.org/name> ?n }"
    )
    result = CliRunner().invoke(app, ["query", q, "--store", str(cli_store / "store"), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "n\nBlenheim Primary School\n"


def test_query_file_and_table(cli_store: Path, tmp_path: Path) -> None:
    f = tmp_path / "q.rq"
    f.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    result = CliRunner().invoke(app, ["query", "--file", str(f), "--store", str(cli_store / "store")])
    assert result.exit_code == 0 and "┃ n" in result.stdout


def test_query_syntax_error_is_one_line(cli_store: Path) -> None:
    result = CliRunner().invoke(app, ["query", "SELEC nonsense", "--store", str(cli_store / "store")])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: SPARQL syntax error:")
    assert "Traceback" not in result.output


def test_missing_store_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["stats", "--store", str(tmp_path / "none")])
    assert result.exit_code == 2
    assert "run `schoolkg build` first" in result.stderr


def test_bad_table_fails_build_and_keeps_store(cli_store: Path, corpus_copy: Path) -> None:
    store = cli_store / "store"
    before = (cli_store / "g.nq").read_bytes()
    bad = corpus_copy / "tables" / "eic-figure1-gcse.csv"
    lines = bad.read_text().splitlines()
    lines[3] = lines[3].replace("55.4", "lots")
    bad.write_text("\n".join(lines) + "\n")
    result = CliRunner().invoke(
        app, ["build", "--corpus", str(corpus_copy), "--store", str(store), "--nquads", str(cli_store / "g.nq")]
    )
    assert result.exit_code == 2
    assert result.stderr == f"error: {bad}:4: value: not a number: 'lots'\n"
    assert (cli_store / "g.nq").read_bytes() == before
    ok = CliRunner().invoke(app, ["stats", "--store", str(store), "--json"])
    assert json.loads(ok.stdout)["quads"] == before.count(b"\n")


def test_help_on_every_command() -> None:
    for cmd in ("build", "validate", "stats", "query"):
        result = CliRunner().invoke(app, [cmd, "--help"])
        assert result.exit_code == 0 and "Example:" in result.stdout


def test_validate_command(cli_store: Path) -> None:
    import shutil

    args = ["validate", "--store", str(cli_store / "store")]
    if shutil.which("java") is None:
        args.append("--no-owl")
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "SHACL: the graph conforms" in result.stdout
    assert "every quote is its source's text" in result.stdout
