"""Benchmark the analysis: the core on simulated profiles, and the real ``schoolkg analyse`` command.

1. The core (section "Analysis (issue 7)"): :func:`schoolkg.analysis.run.analyse_matrix` (every
   practice and every pair above min support: 2x2 tables, odds ratios, Fisher, BH; the adjusted
   logistic model; the co-occurrence network with Louvain and centralities) on profiles simulated
   in memory with 10 planted effects; recall and false discovery proportion against the truth.
2. With ``--store DIR`` (section "`schoolkg analyse` (issues 17 and 19)"): the command a user runs,
   ``schoolkg analyse --store DIR --out TMP`` in a fresh interpreter (subprocess: imports, the read
   of the store, both designs, the context model, plots, report, analysis.json and analysis.nq),
   with this checkout's code and, given ``--old-src``, with another checkout's ``src`` (the previous
   implementation), on the same store. Wall seconds and the child's CPU seconds; machine load.

Run: python bench/bench_analysis.py [--schools 25000] [--practices 150] [--repeat 3] [--no-write]
     python bench/bench_analysis.py --store graphs/synth/store [--old-src ../main/src] [--old-store SMALL]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from schoolkg.analysis.run import analyse_matrix
from schoolkg.synth.model import simulate

DOC = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"
START, END = "<!-- bench_analysis:start -->", "<!-- bench_analysis:end -->"
CMD_START, CMD_END = "<!-- bench_analysis_command:start -->", "<!-- bench_analysis_command:end -->"
SRC = Path(__file__).resolve().parents[1] / "src"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--schools", type=int, default=25_000)
    ap.add_argument("--practices", type=int, default=150)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--store", type=Path, help="time the real `schoolkg analyse` on this store")
    ap.add_argument("--old-src", type=Path, help="src/ of the previous implementation, timed on --old-store")
    ap.add_argument("--old-store", type=Path, help="store for the previous implementation (default: --store)")
    ap.add_argument("--timeout", type=float, default=1800.0)
    args = ap.parse_args()
    if args.store is not None:
        _command_bench(args)
        return
    rng = np.random.default_rng(7)
    idx = rng.choice(args.practices, 10, replace=False)
    effects = dict(zip(idx.tolist(), rng.choice([0.6, 1.5, 1.8, 2.0, 2.5], 10).tolist(), strict=True))
    sim = simulate(args.schools, args.practices, effects, seed=7, correlation=0.3)
    names = [f"p{i:03d}" for i in range(args.practices)]
    times = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        result = analyse_matrix(sim.x, sim.y, names, min_support=10, fdr=0.05, pairs=True)
        times.append(time.perf_counter() - t)
    assoc, adj = result.associations, result.adjusted
    truth = {names[i] for i in effects}
    marg = set(assoc.feature[(assoc.kind == "practice") & assoc.discovery])
    adjd = set(adj.feature[adj.adj_discovery]) if adj is not None else set()
    n_pairs = int((assoc.kind == "pair").sum())
    load = os.getloadavg()[0]
    line = (
        f"`python bench/bench_analysis.py`: {args.schools:,} schools x {args.practices} practices "
        f"(correlation 0.3 within 9 themes, 10 planted effects), {args.practices} practices and {n_pairs:,} pairs "
        f"tested, adjusted model, co-occurrence network ({result.network.number_of_edges()} edges, Louvain, "
        f"centralities): **median {np.median(times):.1f} s, best {min(times):.1f} s** over {args.repeat} runs "
        f"(load average {load:.1f} on {os.cpu_count()} cores). Planted truth: adjusted model recall "
        f"{len(adjd & truth)}/10, FDP {len(adjd - truth) / max(1, len(adjd)):.2f}; marginal 2x2 tests recall "
        f"{len(marg & truth)}/10, FDP {len(marg - truth) / max(1, len(marg)):.2f} (correlated practices: marginal "
        "associations are not effects)."
    )
    print(line)
    if not args.no_write:
        _write(f"{START}\n## Analysis (issue 7)\n\n{line}\n{END}")


def time_command(src: Path, store: Path, timeout: float) -> tuple[float, float, str]:
    """Wall and CPU seconds of ``schoolkg analyse --store store`` run with ``src`` first on the path."""
    with tempfile.TemporaryDirectory() as out:
        env = {**os.environ, "PYTHONPATH": str(src)}
        cmd = [sys.executable, "-m", "schoolkg", "analyse", "--store", str(store), "--out", out]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        try:
            done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
            status = "ok" if done.returncode == 0 else f"exit {done.returncode}: {done.stderr.strip()[-200:]}"
        except subprocess.TimeoutExpired:
            status = f"timed out after {timeout:.0f} s"
        wall = time.perf_counter() - t
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, status


def _store_size(store: Path) -> str:
    sys.path.insert(0, str(SRC))
    from schoolkg.store.embedded import EmbeddedStore

    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/schoolkg/ontology#School> }"
    n = next(iter(EmbeddedStore(store).query(q)))["n"].value
    f = "SELECT (COUNT(*) AS ?n) WHERE { ?f <https://w3id.org/schoolkg/ontology#practice> ?p }"
    k = next(iter(EmbeddedStore(store).query(f)))["n"].value
    return f"{int(n):,} schools, {int(k):,} findings"


def _command_bench(args: argparse.Namespace) -> None:
    lines = []
    size = _store_size(args.store)
    walls, cpus = [], []
    for _ in range(args.repeat):
        wall, cpu, status = time_command(SRC, args.store, args.timeout)
        walls.append(wall)
        cpus.append(cpu)
        print(f"new: {wall:.1f} s wall, {cpu:.1f} s CPU ({status}) load {os.getloadavg()[0]:.1f}")
    lines.append(
        f"- this implementation, `schoolkg analyse --store` a synthetic store of {size}: **median "
        f"{np.median(walls):.1f} s wall, {np.median(cpus):.1f} CPU-s** over {args.repeat} runs ({status}; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)."
    )
    if args.old_src is not None:
        old_store = args.old_store or args.store
        old_size = _store_size(old_store)
        wall, cpu, status = time_command(args.old_src, old_store, args.timeout)
        print(f"old: {wall:.1f} s wall, {cpu:.1f} s CPU ({status})")
        lines.append(
            f"- previous implementation ({args.old_src}), same command on a store of {old_size}: "
            f"**{wall:.1f} s wall, {cpu:.1f} CPU-s** ({status}; load average {os.getloadavg()[0]:.1f})."
        )
        if old_store != args.store:
            wall, cpu, status = time_command(SRC, old_store, args.timeout)
            lines.append(
                f"- this implementation on that same store of {old_size}: **{wall:.1f} s wall, {cpu:.1f} CPU-s** "
                f"({status})."
            )
    body = "\n".join(lines)
    print(body)
    if not args.no_write:
        _write(
            f"{CMD_START}\n## `schoolkg analyse` (issues 17 and 19)\n\n{COMMAND_TEXT}\n\n{body}\n{CMD_END}",
            CMD_START,
            CMD_END,
        )


COMMAND_TEXT = (
    "`python bench/bench_analysis.py --store DIR --old-src OLD/src [--old-store SMALL]` times the command a user "
    "runs, `schoolkg analyse --store DIR --out TMP`, as a subprocess (a fresh interpreter: imports, the read of "
    "the store, both designs - temporal and cross-sectional -, the baseline and context model, Mantel-Haenszel, "
    "the co-occurrence network, plots, report.md, analysis.json, analysis.nq) on a store written by "
    "`schoolkg synth --schools N --effects ...` (150 thesaurus practices, dated histories). Wall seconds, and the "
    "child's CPU seconds (user + system, from `getrusage`), which the machine's load does not inflate as much."
)


def _write(section: str, start: str = START, end: str = END) -> None:
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
    if start in text:
        text = re.sub(re.escape(start) + ".*?" + re.escape(end), lambda _: section, text, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    DOC.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
