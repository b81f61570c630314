"""Time the real `schoolkg build` command, previous implementation against this one (issue 18).

Each build is a child process (``python -m schoolkg build``, the source tree of one
implementation on ``PYTHONPATH``) started from a wrapper process that reports the peak RSS of
its children (``resource.getrusage(RUSAGE_CHILDREN)``: the largest single process, the main
one or one worker, not their sum). Corpora: the default corpus, and the default corpus plus N
generated reports (text and HTML made from the *dev* fixtures under tests/fixtures/reports/dev,
each with its own URNs and school name; never the held-out test split).

Run: python -m bench.bench_build [N] [--prev COMMIT] [--jobs 2] [--json FILE]
(the previous implementation is checked out with ``git worktree add`` into a temporary folder).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.machine import describe_machine, load_average

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "tests" / "fixtures" / "reports" / "dev"
_URN = re.compile(rb"\b[1-9]\d{5}\b")
_WRAP = (
    "import resource, subprocess, sys; r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL,"
    " stderr=subprocess.PIPE); sys.stderr.buffer.write(r.stderr[-2000:]);"
    " print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(r.returncode)"
)


def make_corpus(dst: Path, n: int, start: int = 0) -> Path:
    """The default corpus plus ``n`` generated reports numbered from ``start`` (text and HTML)."""
    if not (dst / "documents").exists():
        shutil.copytree(ROOT / "corpus", dst)
    seeds = sorted(p for p in DEV.iterdir() if p.suffix in (".txt", ".html"))
    sources = [(p.suffix, p.read_bytes()) for p in seeds]
    for i in range(start, start + n):
        suffix, data = sources[i % len(sources)]
        urns = iter(range(100000 + (i * 7) % 800000, 1_000_000))
        body = _URN.sub(lambda _m, u=urns: str(next(u)).encode(), data)
        body = body.replace(b"School", f"School {i}".encode(), 3)
        (dst / "documents" / f"gen-{i:06d}{suffix}").write_bytes(body)
    return dst


def build(src: Path, corpus: Path, work: Path, *, jobs: int | None, validate: bool) -> dict[str, object]:
    """Run one `schoolkg build` of ``corpus`` with the code under ``src``; its wall time, RSS, sizes."""
    work.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-c", _WRAP, sys.executable, "-m", "schoolkg", "build", "--corpus", str(corpus)]
    cmd += ["--store", str(work / "store"), "--nquads", str(work / "g.nq"), "--progress", "none"]
    cmd += [] if validate else ["--no-validate"]
    cmd += ["--jobs", str(jobs)] if jobs else []
    env = {**os.environ, "PYTHONPATH": str(src)}
    load = load_average()
    t0 = time.perf_counter()
    r = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=work)
    wall = time.perf_counter() - t0
    if r.returncode != 0:
        raise SystemExit(f"build failed ({src}): {r.stderr[-1000:]}")
    store = (work / "store").resolve()
    return {
        "wall_s": round(wall, 2),
        "peak_rss_mib": round(int(r.stdout.split()[-1]) / 1024),
        "store_mib": round(sum(p.stat().st_size for p in store.rglob("*") if p.is_file()) / 2**20, 1),
        "dump_mib": round((work / "g.nq").stat().st_size / 2**20, 1),
        "quads": sum(1 for _ in (work / "g.nq").open("rb")),
        "load_before": round(load, 2),
        "load_after": round(load_average(), 2),
    }


def previous_tree(commit: str, into: Path) -> Path:
    """A checkout of ``commit`` (git worktree), for its ``src``."""
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(into), commit], check=True)
    return into


HEADING = "## `schoolkg build` (issue 18)"


def render(res: dict) -> str:
    """The rows of the docs/benchmarks.md table for one run's figures."""
    lines = [
        "| build | documents | quads | wall s | documents/s | peak RSS (one process) | store | dump | load avg |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, r in res["runs"].items():
        lines.append(
            f"| {name} | {r['docs']:,} | {r['quads']:,} | {r['wall_s']:.1f} | {r['docs_per_s']:.1f} |"
            f" {r['peak_rss_mib']:,} MiB | {r['store_mib']:.1f} MiB | {r['dump_mib']:.1f} MiB |"
            f" {r['load_before']:.1f}-{r['load_after']:.1f} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> dict[str, object]:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", nargs="?", type=int, default=1000)
    ap.add_argument("--prev", default="a3f44a8")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--add", type=int, default=100)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--skip-prev", action="store_true")
    ap.add_argument("--render", type=Path, help="print the table rows of a --json file and stop")
    args = ap.parse_args(argv)
    if args.render:
        print(render(json.loads(args.render.read_text())))
        return {}
    out: dict[str, object] = {"machine": describe_machine(), "n": args.n, "jobs": args.jobs, "prev": args.prev}
    runs: dict[str, object] = {}
    new_src = ROOT / "src"
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        t = Path(tmp)
        default = ROOT / "corpus"
        big = make_corpus(t / "corpus", args.n)
        prev = None if args.skip_prev else previous_tree(args.prev, t / "prev") / "src"

        def record(name: str, result: dict[str, object], docs: int) -> None:
            result["docs"] = docs
            result["docs_per_s"] = round(docs / float(result["wall_s"]), 1)  # type: ignore[arg-type]
            runs[name] = result
            print(name, json.dumps(result), flush=True)
            if args.json:
                args.json.write_text(json.dumps({**out, "runs": runs}, indent=1))

        try:
            docs_default = len(list((default / "documents").iterdir()))
            record(
                "new default corpus, validated",
                build(new_src, default, t / "n0", jobs=args.jobs, validate=True),
                docs_default,
            )
            if prev:
                record(
                    "prev default corpus, validated",
                    build(prev, default, t / "p0", jobs=None, validate=True),
                    docs_default,
                )
            total = args.n + docs_default
            record(
                f"new {args.n} reports, cold cache",
                build(new_src, big, t / "n1", jobs=args.jobs, validate=False),
                total,
            )
            record(
                f"new {args.n} reports, nothing changed",
                build(new_src, big, t / "n1", jobs=args.jobs, validate=False),
                total,
            )
            record(
                f"new {args.n} reports, 1 job, cold cache", build(new_src, big, t / "n2", jobs=1, validate=False), total
            )
            if prev:
                record(f"prev {args.n} reports", build(prev, big, t / "p1", jobs=None, validate=False), total)
            make_corpus(big, args.add, start=args.n)
            record(
                f"new +{args.add} reports (incremental)",
                build(new_src, big, t / "n1", jobs=args.jobs, validate=False),
                args.add,
            )
            if prev:
                record(
                    f"prev +{args.add} reports (full rebuild)",
                    build(prev, big, t / "p1", jobs=None, validate=False),
                    args.add,
                )
        finally:
            if prev:
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(t / "prev")], check=False)
    out["runs"] = runs
    return out


if __name__ == "__main__":
    main()
