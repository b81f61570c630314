"""The same input builds the same graph, and a killed build leaves the previous store intact."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import CORPUS, Built
from schoolkg.pipeline import build_nquads


def test_two_builds_give_identical_nquads(built: Built) -> None:
    again = build_nquads(CORPUS)
    assert again.nquads == built.summary.nquads_path.read_bytes()
    data = [line for line in again.nquads.splitlines() if b"/graph/document/" in line or b"/graph/table/" in line]
    assert not any(line.startswith(b"_:") or b" _:" in line for line in data)  # data nodes all have IRIs


def _build_cmd(corpus: Path, out: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "schoolkg",
        "build",
        "--corpus",
        str(corpus),
        "--store",
        str(out / "store"),
        "--nquads",
        str(out / "g.nq"),
        "--progress",
        "plain",
    ]


def _count(out: Path) -> int:
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "schoolkg",
            "query",
            "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
            "--store",
            str(out / "store"),
            "--format",
            "csv",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(r.stdout.splitlines()[1])


# The killed-build test that was here (3 kill points on a 65-document corpus) moved to
# tests/test_crash.py: 20 seeded kill points for build and 10 for ingest. Its likely flake (not
# reproduced here):
# a killed build's folder was kept whenever its process id had been reused by another process
# (install_store judged "still building" by pid alone); now the folder's RocksDB lock decides.
