"""The bad-input corpus: every case through the real CLI gives its exact one-line error, a
non-zero exit, no traceback, and leaves the store exactly as it was.

Cases live in ``tests/badinput/cases.json`` (id, files to place, CLI arguments, expected line);
their files in ``tests/badinput/files/``. The 50 MB text, the 10 MB line and the 100k-deep HTML are
generated here, not stored, and so are the symbolic links out of the corpus (``@outside:FILE``,
``@outside-dir:FILE``).
Regenerate the expected lines after a deliberate message change with
``python tests/test_badinput.py --print``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import TESTS
from schoolkg.cli import app
from schoolkg.pipeline import run_build

HERE = TESTS
CASES_DIR = HERE / "badinput"
FILES = CASES_DIR / "files"
CASES = json.loads((CASES_DIR / "cases.json").read_text(encoding="utf-8"))
BIG = 50 * 1024 * 1024


def _place(workspace: Path, files: dict[str, str]) -> None:
    """Put a case's files in a fresh ``corpus/`` and ``in/`` of ``workspace``."""
    for sub in ("corpus", "in", "outside"):
        shutil.rmtree(workspace / sub, ignore_errors=True)
    (workspace / "corpus" / "documents").mkdir(parents=True)
    (workspace / "in").mkdir()
    for dest, src in files.items():
        target = workspace / dest
        target.parent.mkdir(parents=True, exist_ok=True)
        if src == "@50MB":
            line = b"The school has improved since the last inspection and leaders monitor teaching.\n"
            with target.open("wb") as fh:
                for _ in range(BIG // len(line) + 1):
                    fh.write(line)
        elif src.startswith("@outside:"):  # issue 15 row 11: a link to a file outside the corpus
            outside = workspace / "outside" / "secret.txt"
            outside.parent.mkdir(exist_ok=True)
            shutil.copyfile((FILES / src.removeprefix("@outside:")).resolve(), outside)
            target.symlink_to(outside)
        elif src.startswith("@outside-dir:"):  # ... and a linked folder
            outside = workspace / "outside" / "docs"
            outside.mkdir(parents=True)
            shutil.copyfile((FILES / src.removeprefix("@outside-dir:")).resolve(), outside / "report.txt")
            target.symlink_to(outside, target_is_directory=True)
        elif src == "@10MB-one-line":  # issue 15 row 9: ten megabytes without a line break
            sentence = b"The school has improved since the last inspection and leaders monitor teaching. "
            target.write_bytes(sentence * (10_000_000 // len(sentence)))
        elif src == "@outcomes-20k":  # issue 15 row 10: 20k rows (10 MB, 2.3M quads), the last one bad
            _write_outcomes(target, 20_000)
        elif src == "@deep-html":  # issue 15 row 8: 100k nested elements (1.1 MB)
            target.write_text("<html><body>" + "<div>" * 100_000 + "x" + "</div>" * 100_000 + "</body></html>")
        else:
            shutil.copyfile((FILES / src).resolve(), target)


def _write_outcomes(target: Path, rows: int) -> None:
    """An outcomes table of ``rows`` schools made from the corpus's rows, then one with grade 7."""
    import csv

    with (HERE.parent / "corpus" / "tables" / "oxfordshire-outcomes-2017-12-31.csv").open(newline="") as fh:
        header, *template = list(csv.reader(fh))
    urn, grade = header.index("URN"), header.index("Overall effectiveness")
    with target.open("w", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(header)
        for i in range(rows + 1):
            row = list(template[i % len(template)])
            row[urn] = str(300000 + i)
            if i == rows:
                row[grade] = "7"
            out.writerow(row)


def run_case(case: dict, workspace: Path, debug: bool = False):
    """Place the case's files and run its command with ``workspace`` as the working folder."""
    _place(workspace, case["files"])
    cwd = os.getcwd()
    os.chdir(workspace)
    try:
        args = (["--debug"] if debug else []) + case["args"]
        return CliRunner().invoke(app, args)
    finally:
        os.chdir(cwd)


def store_fingerprint(workspace: Path) -> tuple[str, str, str]:
    """(link target, SHA-256 of the store folder's files, SHA-256 of the N-Quads dump)."""
    link = workspace / "store"
    folder = link.resolve()
    digest = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file() and p.name != "LOCK" and not p.name.startswith("LOG"):
            digest.update(p.name.encode() + p.read_bytes())
    return os.readlink(link), digest.hexdigest(), hashlib.sha256((workspace / "g.nq").read_bytes()).hexdigest()


def quad_count(workspace: Path) -> int:
    import pyoxigraph

    store = pyoxigraph.Store.read_only(str((workspace / "store").resolve()))
    try:
        return len(store)
    finally:
        del store


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with a store built once from a small corpus (one document, one table)."""
    ws = tmp_path_factory.mktemp("badinput")
    corpus = ws / "seed"
    (corpus / "documents").mkdir(parents=True)
    (corpus / "tables").mkdir()
    root = HERE.parent / "corpus"
    shutil.copyfile(root / "documents" / "000_0f96bd9ccbaf7c80.txt", corpus / "documents" / "000_0f96bd9ccbaf7c80.txt")
    shutil.copyfile(root / "tables" / "eic-local-authorities.csv", corpus / "tables" / "eic-local-authorities.csv")
    run_build(corpus, ws / "store", ws / "g.nq")
    return ws


def test_corpus_has_at_least_50_cases() -> None:
    assert len(CASES) >= 50
    assert len({c["id"] for c in CASES}) == len(CASES)
    assert all(c["expect"] and c["expect"].startswith("error: ") for c in CASES)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_bad_input_gives_one_exact_line_and_keeps_store(case: dict, workspace: Path) -> None:
    before, count = store_fingerprint(workspace), quad_count(workspace)
    result = run_case(case, workspace)
    assert result.exit_code not in (0, 70), result.output
    assert isinstance(result.exception, SystemExit), f"uncaught {result.exception!r}"
    assert "Traceback" not in result.output
    assert result.stderr.strip() == case["expect"]
    assert result.stdout == ""
    assert store_fingerprint(workspace) == before
    assert quad_count(workspace) == count


def test_debug_shows_the_traceback(workspace: Path) -> None:
    case = next(c for c in CASES if c["id"] == "outcomes-grade-7")
    result = run_case(case, workspace, debug=True)
    assert result.exit_code == 2
    assert "Traceback (most recent call last)" in result.stderr
    assert result.stderr.strip().splitlines()[-1] == case["expect"]


def test_unexpected_exception_is_one_line(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from schoolkg.queries import execute

    def broken(_text: str) -> None:
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr(execute, "check_read_only", broken)
    case = {"files": {}, "args": ["query", "--store", "store", "SELECT * WHERE { ?s ?p ?o } LIMIT 1"]}
    result = run_case(case, workspace)
    assert result.exit_code == 70
    assert result.stderr == (
        "error: internal error: RuntimeError: boom\\nsecond line (rerun with --debug for the traceback)\n"
    )


def _print_expectations() -> None:  # pragma: no cover - a maintenance helper
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        ws = Path(tmp)
        seed = ws / "seed"
        (seed / "tables").mkdir(parents=True)
        shutil.copyfile(HERE.parent / "corpus" / "tables" / "eic-local-authorities.csv", seed / "tables" / "e.csv")
        run_build(seed, ws / "store", ws / "g.nq")
        for case in CASES:
            result = run_case(case, ws)
            case["expect"] = result.stderr.strip()
            print(f"{case['id']:32} {result.exit_code} {case['expect']}")
        (CASES_DIR / "cases.json").write_text(json.dumps(CASES, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__" and "--print" in sys.argv:
    _print_expectations()
