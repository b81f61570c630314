"""Crash safety: `schoolkg build` and `schoolkg ingest` SIGKILLed at seeded random points leave
the last installed graph intact and queryable, and a rerun succeeds and leaves nothing behind.

Each run is killed after N ``progress:`` lines (``--progress plain``, one per document, table,
graph, validation, quote check, N-Quads written, store loaded, link swapped, done) plus a random
delay of up to 0.3 s, so kills land inside steps as well as between them.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph
import pytest

from conftest import ROOT
from schoolkg.pipeline import run_build

SCHOOLKG = [str(Path(sys.executable).parent / "schoolkg")]
COUNT_SCHOOLS = "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a <https://w3id.org/schoolkg/ontology#LocalAuthority> }"

pytestmark = pytest.mark.slow


def _corpus(dst: Path, docs: list[str], tables: list[str]) -> Path:
    (dst / "documents").mkdir(parents=True)
    (dst / "tables").mkdir()
    for d in docs:
        shutil.copyfile(ROOT / "corpus" / "documents" / d, dst / "documents" / d)
    for t in tables:
        shutil.copyfile(ROOT / "corpus" / "tables" / t, dst / "tables" / t)
    return dst


def _state(store: Path) -> tuple[int, int]:
    """(quads, local authorities) of the installed store, opened read-only as a reader would."""
    folder = store.resolve()
    assert folder.is_dir(), f"the store link points to a missing folder {folder}"
    db = pyoxigraph.Store.read_only(str(folder))
    try:
        rows = list(db.query(COUNT_SCHOOLS, use_default_graph_as_union=True))
        return len(db), int(rows[0]["n"].value)
    finally:
        del db


def _kill_after(cmd: list[str], cwd: Path, ticks: int, delay: float) -> tuple[int, int | None]:
    """Run ``cmd``, SIGKILL it after ``ticks`` progress lines and ``delay`` seconds.

    Returns (progress lines seen, exit status if it finished before the kill).
    """
    proc = subprocess.Popen(cmd, cwd=cwd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    assert proc.stderr is not None
    seen = 0
    for line in proc.stderr:
        if line.startswith("progress:"):
            seen += 1
            if seen >= ticks:
                break
    time.sleep(delay)
    finished = proc.poll()
    if finished is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.stderr.close()
    return seen, finished


def _leftovers(folder: Path) -> list[str]:
    return sorted(
        p.name
        for p in folder.iterdir()
        if any(tag in p.name for tag in ("-building-", "-link-", ".tmp")) or p.name.startswith(".store-reader")
    )


def _kill_loop(cmd: list[str], ws: Path, points: int, total: int, new_state: tuple[int, int], seed: int) -> list[str]:
    """Kill ``cmd`` at ``points`` seeded points; after each the store is the previous or the new graph."""
    rng = random.Random(seed)
    store = ws / "store"
    previous = _state(store)
    outcomes = []
    for _ in range(points):
        ticks, delay = rng.randint(1, total - 1), rng.uniform(0.0, 0.3)
        _kill_after(cmd, ws, ticks, delay)
        now = _state(store)  # raises if the store cannot be opened or queried
        assert now in (previous, new_state), f"killed after {ticks} ticks + {delay:.2f}s: store holds {now}"
        outcomes.append("old" if now == previous else "new")
        previous = now
    return outcomes


def test_build_killed_at_20_points(tmp_path: Path) -> None:
    old = _corpus(tmp_path / "old", ["000_0f96bd9ccbaf7c80.txt"], ["eic-local-authorities.csv"])
    new = _corpus(
        tmp_path / "new",
        ["000_0f96bd9ccbaf7c80.txt", "001_67ec0e20a0eb81e3.txt"],
        ["eic-local-authorities.csv", "bip-local-authorities.csv"],
    )
    ws = tmp_path / "ws"
    ws.mkdir()
    run_build(old, ws / "store", ws / "g.nq")
    old_state = _state(ws / "store")
    probe = tmp_path / "probe"
    run_build(new, probe / "store", probe / "g.nq")
    new_state = _state(probe / "store")
    assert old_state != new_state
    cmd = [*SCHOOLKG, "build", "--corpus", str(new), "--store", "store", "--nquads", "g.nq", "--progress", "plain"]
    outcomes = _kill_loop(cmd, ws, 20, 2 + 2 + 7, new_state, seed=20)
    assert outcomes.count("old") >= 10, outcomes  # most kills land before the swap
    # a rerun succeeds, installs the new graph and removes what the killed runs left
    subprocess.run(cmd, cwd=ws, check=True, capture_output=True)
    assert _state(ws / "store") == new_state
    assert (ws / "g.nq").read_bytes() == (probe / "g.nq").read_bytes()
    assert _leftovers(ws) == []
    assert len([p for p in ws.iterdir() if p.name.startswith(".store-1")]) == 1


def test_ingest_killed_at_10_points(tmp_path: Path) -> None:
    old = _corpus(tmp_path / "old", [], ["eic-local-authorities.csv"])
    ws = tmp_path / "ws"
    ws.mkdir()
    run_build(old, ws / "store", ws / "g.nq")
    table = ROOT / "corpus" / "tables" / "bip-local-authorities.csv"
    probe = tmp_path / "probe"
    shutil.copytree(ws, probe, symlinks=True)
    cmd = [*SCHOOLKG, "ingest", str(table), "--store", "store", "--nquads", "g.nq", "--progress", "plain"]
    subprocess.run(cmd, cwd=probe, check=True, capture_output=True)
    new_state = _state(probe / "store")
    assert new_state != _state(ws / "store")
    outcomes = _kill_loop(cmd, ws, 10, 1 + 7, new_state, seed=10)
    assert outcomes.count("old") >= 5, outcomes
    subprocess.run(cmd, cwd=ws, check=True, capture_output=True)
    assert _state(ws / "store") == new_state
    assert _leftovers(ws) == []
