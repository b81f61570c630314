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


def test_validate_engines_and_progress(cli_store: Path) -> None:
    store = str(cli_store / "store")
    fast = CliRunner().invoke(app, ["validate", "--store", store, "--no-owl", "--progress"])
    assert fast.exit_code == 0, fast.output
    lines = [x for x in fast.stderr.splitlines() if x.startswith("progress: SHACL ")]
    assert lines and lines[0].split()[3] == f"1/{len(lines)}" and "FindingShape" in fast.stderr
    slow = CliRunner().invoke(app, ["validate", "--store", store, "--no-owl", "--engine", "pyshacl"])
    assert slow.exit_code == 0 and slow.stdout == fast.stdout
    bad = CliRunner().invoke(app, ["validate", "--store", store, "--no-owl", "--engine", "rudof"])
    assert bad.exit_code == 2 and bad.stderr == "error: unknown SHACL engine 'rudof'; use sparql or pyshacl\n"


@pytest.mark.parametrize(
    "args, message",
    [
        (["nosuch"], "No such command 'nosuch'"),
        (["stats", "--bogus"], "No such option: --bogus"),
        (["query", "-p"], ""),
    ],
)
def test_usage_errors_exit_2_not_internal(args: list[str], message: str) -> None:
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output
    assert message in result.output and "internal error" not in result.output


def test_version() -> None:
    import schoolkg

    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout == f"schoolkg {schoolkg.__version__}\n"


def test_construct_as_turtle_and_ntriples(cli_store: Path) -> None:
    import pyoxigraph

    q = "CONSTRUCT WHERE { ?la a <https://w3id.org/schoolkg/ontology#LocalAuthority> }"
    store = str(cli_store / "store")
    turtle = CliRunner().invoke(app, ["query", "--store", store, q, "--format", "turtle"])
    assert turtle.exit_code == 0, turtle.output
    assert "@prefix skg: <https://w3id.org/schoolkg/ontology#> ." in turtle.stdout
    triples = list(pyoxigraph.parse(turtle.stdout.encode(), pyoxigraph.RdfFormat.TURTLE))
    nt = CliRunner().invoke(app, ["query", "--store", store, q, "--format", "ntriples"])
    assert len(triples) == 2 == len(nt.stdout.splitlines())  # the two LAs the documents name
    select = CliRunner().invoke(app, ["query", "--store", store, "documents", "--format", "turtle"])
    assert select.exit_code == 2 and "needs a CONSTRUCT or DESCRIBE query" in select.stderr


def test_broken_pipe_exits_quietly(cli_store: Path) -> None:
    """`schoolkg extract ... | head` stops without a traceback or an internal-error line."""
    import subprocess
    import sys

    from conftest import CORPUS

    cmd = f"'{sys.executable}' -m schoolkg extract '{CORPUS / 'documents'}' | head -c 100 > /dev/null"
    done = subprocess.run(["bash", "-o", "pipefail", "-c", cmd], capture_output=True, text=True, timeout=120)
    assert done.returncode in (0, 141), done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr and "Broken" not in done.stderr


def test_ingest_refuses_a_remote_store() -> None:
    result = CliRunner().invoke(app, ["ingest", "t.csv", "--store", "http://127.0.0.1:1/sparql"])
    assert result.exit_code == 2
    assert (
        result.stderr == "error: builds write an embedded store; load graphs/schoolkg.nq into a remote server instead\n"
    )


def test_build_to_a_remote_store_needs_its_graph_store() -> None:
    # the build itself, with --graph-store, is tested against real servers in tests/store/test_remote_servers.py
    result = CliRunner().invoke(app, ["build", "--store", "http://127.0.0.1:1/sparql"])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: build --store URL needs --graph-store URL")
