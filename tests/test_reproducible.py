"""The same input builds the same graph, and a killed build leaves the previous store intact."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from conftest import CORPUS, Built
from schoolkg.build.graph import build_nquads


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


def test_killed_build_leaves_previous_store(tmp_path: Path, corpus_copy: Path) -> None:
    subprocess.run(_build_cmd(CORPUS, tmp_path), check=True, capture_output=True)
    before_nq = (tmp_path / "g.nq").read_bytes()
    before = _count(tmp_path)
    # A bigger corpus so the new build takes a while: many copies of the EiC report.
    src = (corpus_copy / "documents" / "002_ea63de0b34895f6a.txt").read_text()
    for i in range(60):
        (corpus_copy / "documents" / f"copy_{i:03d}.txt").write_text(src.replace("HMI 2595", f"HMI {3000 + i}"))
    for ticks in (1, 20, 45):
        proc = subprocess.Popen(_build_cmd(corpus_copy, tmp_path), stderr=subprocess.PIPE, text=True)
        seen = 0
        assert proc.stderr is not None
        for line in proc.stderr:
            if line.startswith("progress:"):
                seen += 1
                if seen >= ticks:
                    break
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        assert (tmp_path / "g.nq").read_bytes() == before_nq
        assert _count(tmp_path) == before
    # and a rerun succeeds and replaces the graph
    subprocess.run(_build_cmd(corpus_copy, tmp_path), check=True, capture_output=True)
    assert _count(tmp_path) > before
    leftovers = [p.name for p in tmp_path.iterdir() if "-building-" in p.name]
    assert leftovers == []
