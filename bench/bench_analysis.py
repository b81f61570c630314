"""Benchmark the analysis core: 25,000 schools x 150 practices (target: under 10 s on 2 cores).

Times :func:`schoolkg.analysis.run.analyse_matrix` (every practice and every pair above min
support: 2x2 tables, odds ratios, Fisher, BH; the adjusted logistic model; the co-occurrence
network with Louvain and centralities) on profiles simulated in memory with 10 planted effects,
reports recall and false discovery proportion against the planted truth, and rewrites its own
section of docs/benchmarks.md.

Run: python bench/bench_analysis.py [--schools 25000] [--practices 150] [--repeat 3] [--no-write]
"""

from __future__ import annotations

import argparse
import os
import re
import time
from pathlib import Path

import numpy as np

from schoolkg.analysis.run import analyse_matrix
from schoolkg.synth.model import simulate

DOC = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"
START, END = "<!-- bench_analysis:start -->", "<!-- bench_analysis:end -->"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--schools", type=int, default=25_000)
    ap.add_argument("--practices", type=int, default=150)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
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


def _write(section: str) -> None:
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
    if START in text:
        text = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: section, text, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    DOC.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
