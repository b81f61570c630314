"""Time the aggregate step of `schoolkg build` alone, previous implementation against this one.

The step reads the cached parts of a build and its derived graph and writes the aggregate graphs
as sorted N-Quads, as ``pipeline._build_dump`` does. A build's cache holds the parts
(``.schoolkg-cache/STORE/parts``): this script writes the derived graph from the parts' facts once,
then runs the step in a child process per implementation (its ``src`` first on ``PYTHONPATH``) and
reports the child's CPU-s (user + system), peak RSS (``ru_maxrss`` of the child: the step and the
interpreter with schoolkg imported, whose RSS before the step is given too), lines written and
the output's SHA-256, so that the two can be compared byte for byte.

Run: python -m bench.bench_aggregates CACHE_PARTS_DIR --prev /tmp/old/src [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.machine import load_average

ROOT = Path(__file__).resolve().parents[1]

_CHILD = r"""
import hashlib, json, resource, sys, time
from pathlib import Path
from pyoxigraph import RdfFormat, parse
from schoolkg.mapping import aggregates
from schoolkg.mapping.nquads import write_sorted

paths, out = [Path(p) for p in json.loads(Path(sys.argv[1]).read_text())], Path(sys.argv[2])
before = resource.getrusage(resource.RUSAGE_SELF)
t0 = time.perf_counter()
if hasattr(aggregates, "write_aggregates"):
    lines = aggregates.write_aggregates(paths, out)
else:  # the implementation before write_aggregates: as its pipeline called it
    def stream(ps):
        for p in ps:
            yield from parse(path=str(p), format=RdfFormat.N_QUADS)
    lines = write_sorted(aggregates.aggregate_quads(stream(paths)), out)
wall = time.perf_counter() - t0
after = resource.getrusage(resource.RUSAGE_SELF)
cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
digest = hashlib.sha256(out.read_bytes()).hexdigest()
print(json.dumps({"cpu_s": round(cpu, 2), "wall_s": round(wall, 2), "rss_before_mib": before.ru_maxrss // 1024,
                  "peak_rss_mib": after.ru_maxrss // 1024, "lines": lines, "sha256": digest}))
"""

_DERIVE = r"""
import json, sys
from pathlib import Path
from schoolkg.mapping.derive import Facts, facts_quads
from schoolkg.mapping.nquads import write_sorted

facts = Facts()
for meta in json.loads(Path(sys.argv[1]).read_text()):
    facts.merge(Facts.from_json(json.loads(Path(meta).read_text())["facts"]))
print(write_sorted(facts_quads(facts), Path(sys.argv[2])))
"""


def parts_of(cache: Path) -> tuple[list[Path], list[Path]]:
    """The parts (``.nq``) of a build cache's ``parts`` folder and their metadata files, in name order."""
    parts = sorted(cache.glob("*/*.nq"))
    return parts, [p.with_suffix(".json") for p in parts]


def run_step(src: Path, paths: list[Path], out: Path) -> dict[str, object]:
    """The aggregate step of the implementation at ``src`` over ``paths``, in a child process."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    listed = out.with_suffix(".inputs.json")
    listed.write_text(json.dumps([str(p) for p in paths]))
    cmd = ["nice", "-n", "10", sys.executable, "-c", _CHILD, str(listed), str(out)]
    done = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("parts", type=Path, help="a build cache's parts folder (.schoolkg-cache/STORE/parts)")
    ap.add_argument("--prev", type=Path, required=True, help="src folder of the previous implementation")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args(argv)
    parts, metas = parts_of(args.parts)
    rows: dict[str, object] = {"parts": len(parts), "load_before": load_average()}
    with tempfile.TemporaryDirectory(prefix="bench-agg-") as tmp:
        derived = Path(tmp) / "derived.nq"
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        listed = Path(tmp) / "metas.json"
        listed.write_text(json.dumps([str(m) for m in metas]))
        cmd = [sys.executable, "-c", _DERIVE, str(listed), str(derived)]
        subprocess.run(cmd, env=env, check=True, capture_output=True)
        inputs = [*parts, derived]
        rows["input_bytes"] = sum(p.stat().st_size for p in inputs)
        for name, src in (("previous", args.prev), ("this", ROOT / "src")):
            rows[name] = run_step(src, inputs, Path(tmp) / f"{name}.nq")
            print(name, rows[name], flush=True)
    rows["load_after"] = load_average()
    prev, this = rows["previous"], rows["this"]
    assert isinstance(prev, dict) and isinstance(this, dict)
    rows["identical"] = prev["sha256"] == this["sha256"]
    print(json.dumps(rows, indent=1))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1) + "\n")
    return 0 if rows["identical"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
