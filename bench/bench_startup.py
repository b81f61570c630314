"""Startup cost of the commands a user types (issue 19): CPU seconds (user + sys of the child).

Runs each command ``--runs`` times in a fresh interpreter with ``PYTHONPATH`` set to each source
tree given (this checkout's ``src`` first; ``--against OTHER/src`` adds e.g. an older checkout),
interleaved so load affects both alike, and prints the median and minimum per command and tree
with the load average. CPU seconds, not wall time: the shared machine's load stretches wall time
far more. Bytecode is cached under a temporary ``PYTHONPYCACHEPREFIX`` (as an installed package
has its .pyc files) after one warm-up run.

Run: python bench/bench_startup.py --store graphs/store [--against ../old/src] [--runs 9]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def commands(store: str) -> dict[str, list[str]]:
    """What is timed: label -> arguments after ``python``."""
    return {
        "python -c pass (the floor)": ["-c", "pass"],
        "schoolkg --help": ["-m", "schoolkg", "--help"],
        "schoolkg query --help": ["-m", "schoolkg", "query", "--help"],
        "schoolkg query documents --format csv": ["-m", "schoolkg", "query", "documents", "--store", store]
        + ["--format", "csv"],
        "schoolkg query documents (table)": ["-m", "schoolkg", "query", "documents", "--store", store],
    }


def cpu_seconds(args: list[str], env: dict[str, str]) -> float:
    """User + system CPU seconds of one run of ``python ARGS``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", default="graphs/store")
    ap.add_argument("--against", action="append", default=[], help="Another source tree to time (repeatable).")
    ap.add_argument("--runs", type=int, default=9)
    args = ap.parse_args(argv)
    trees = [str(ROOT / "src"), *args.against]
    todo = commands(args.store)
    times: dict[tuple[str, str], list[float]] = {}
    with tempfile.TemporaryDirectory() as cache:
        envs = {}
        for tree in trees:
            env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
            envs[tree] = {**env, "PYTHONPATH": tree, "PYTHONPYCACHEPREFIX": cache}
            for cmd in todo.values():  # warm-up: compile and cache the bytecode
                cpu_seconds(cmd, envs[tree])
        load = os.getloadavg()
        for _ in range(args.runs):
            for tree in trees:
                for label, cmd in todo.items():
                    times.setdefault((label, tree), []).append(cpu_seconds(cmd, envs[tree]))
        load_after = os.getloadavg()
    print(f"load average before {load[0]:.1f}, after {load_after[0]:.1f}; {args.runs} runs each; CPU-s (user+sys)")
    print("| command | tree | median | min |\n| --- | --- | --- | --- |")
    for (label, tree), vals in times.items():
        print(f"| `{label}` | {tree} | {statistics.median(vals):.3f} | {min(vals):.3f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
