"""Time the real `schoolkg build` command, previous implementation against this one (issue 18).

Each build is a child process (``python -m schoolkg build``, the source tree of one
implementation on ``PYTHONPATH``) started from a wrapper process that reports the peak RSS of
its children (``resource.getrusage(RUSAGE_CHILDREN)``: the largest single process, the main
one or one worker, not their sum). Corpora: the default corpus, and the default corpus plus N
generated reports (text and HTML made from the *dev* fixtures under tests/fixtures/reports/dev,
each with its own URNs and school name; never the held-out test split).

Run: python -m bench.bench_build [N] [--prev COMMIT] [--jobs 2] [--json FILE]
(the previous implementation is checked out with ``git worktree add`` into a temporary folder).

``--synth`` instead builds a corpus made by ``schoolkg synth --reports`` (PDF, HTML and text
reports, one a school, and their outcomes table): ``N + --add`` schools are generated, the
build reads the reports of the first N (by URN) and the whole table, and the incremental row
adds the other ``--add`` reports. Every build row then also gives the CPU-seconds of the build
and all its workers (``RUSAGE_CHILDREN`` of the wrapper) and the load average sampled through
the run; ``--rdflib`` adds the baseline of issue 19 on the cold build's dump: rdflib parsing
the N-Quads into a ``Dataset`` and serialising it again as N-Quads, in a child process.
Run: python -m bench.bench_build 1000 --synth --add 100 --rdflib --scratch DIR --json FILE
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
import threading
import time
from pathlib import Path

from bench.machine import describe_machine, load_average

ROOT = Path(__file__).resolve().parents[1]
NICE: list[str] = []  # ["nice", "-n", "5"] with --nice 5: the build (not the wrapper) runs at that niceness
DEV = ROOT / "tests" / "fixtures" / "reports" / "dev"
_URN = re.compile(rb"\b[1-9]\d{5}\b")
_WRAP = (
    "import resource, subprocess, sys; r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL,"
    " stderr=subprocess.PIPE); sys.stderr.buffer.write(r.stderr[-2000:]);"
    " u = resource.getrusage(resource.RUSAGE_CHILDREN);"
    " print(u.ru_utime + u.ru_stime, u.ru_maxrss); sys.exit(r.returncode)"
)
_RDFLIB = (
    "import sys, rdflib; ds = rdflib.Dataset(); ds.parse(sys.argv[1], format='nquads');"
    " ds.serialize(destination=sys.argv[2], format='nquads')"
)


class LoadSampler:
    """The one-minute load average every ``every`` seconds while a child runs (mean and max)."""

    def __init__(self, every: float = 5.0) -> None:
        self.samples = [load_average()]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(every,), daemon=True)

    def _run(self, every: float) -> None:
        while not self._stop.wait(every):
            self.samples.append(load_average())

    def __enter__(self) -> LoadSampler:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.samples.append(load_average())

    def summary(self) -> dict[str, float]:
        return {
            "load_before": round(self.samples[0], 2),
            "load_after": round(self.samples[-1], 2),
            "load_mean": round(sum(self.samples) / len(self.samples), 2),
            "load_max": round(max(self.samples), 2),
        }


def timed_child(cmd: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> dict[str, object]:
    """Run ``cmd`` under the wrapper: wall s, CPU-s of it and its children, peak RSS, load; its stdout."""
    with LoadSampler() as load:
        t0 = time.perf_counter()
        r = subprocess.run([sys.executable, "-c", _WRAP, *cmd], env=env, capture_output=True, text=True, cwd=cwd)
        wall = time.perf_counter() - t0
    if r.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:4])} failed: {r.stderr[-1000:]}")
    cpu, rss = r.stdout.split()[-2:]
    return {
        "wall_s": round(wall, 2),
        "cpu_s": round(float(cpu), 1),
        "peak_rss_mib": round(int(rss) / 1024),
        **load.summary(),
    }


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
    cmd = [*NICE, sys.executable, "-m", "schoolkg", "build", "--corpus", str(corpus)]
    cmd += ["--store", str(work / "store"), "--nquads", str(work / "g.nq"), "--progress", "none"]
    cmd += [] if validate else ["--no-validate"]
    cmd += ["--jobs", str(jobs)] if jobs else []
    env = {**os.environ, "PYTHONPATH": str(src)}
    res = timed_child(cmd, env=env, cwd=work)
    store = (work / "store").resolve()
    return {
        **res,
        "store_mib": round(sum(p.stat().st_size for p in store.rglob("*") if p.is_file()) / 2**20, 1),
        "dump_mib": round((work / "g.nq").stat().st_size / 2**20, 1),
        "quads": sum(1 for _ in (work / "g.nq").open("rb")),
    }


def synth_corpus(dst: Path, n: int, extra: int) -> tuple[Path, list[Path], dict[str, object]]:
    """``schoolkg synth --reports`` for ``n + extra`` schools into ``dst``; the last ``extra`` reports set aside.

    Returns the corpus (the first ``n`` reports by URN, and the outcomes table of all), the
    reports set aside (moved out of the corpus, for the incremental row) and the synth's timing.
    """
    cmd = [*NICE, sys.executable, "-m", "schoolkg", "synth", "--reports", "--schools", str(n + extra)]
    cmd += ["--seed", "1", "--effects", str(ROOT / "bench" / "planted-effects.csv"), "--out", str(dst)]
    res = timed_child(cmd, env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    docs = sorted((dst / "documents").iterdir())
    held = dst.parent / f"{dst.name}-held"
    held.mkdir(exist_ok=True)
    aside = [held / p.name for p in docs[n:]]
    for p, q in zip(docs[n:], aside, strict=True):
        p.rename(q)
    kinds: dict[str, int] = {}
    for p in docs[:n]:
        kinds[p.suffix] = kinds.get(p.suffix, 0) + 1
    return dst, aside, {**res, "documents": kinds}


def rdflib_baseline(dump: Path, work: Path) -> dict[str, object]:
    """rdflib parsing ``dump`` into a Dataset and serialising it as N-Quads (one child process)."""
    res = timed_child([*NICE, sys.executable, "-c", _RDFLIB, str(dump), str(work / "rdflib.nq")])
    (work / "rdflib.nq").unlink(missing_ok=True)
    return res


def main_synth(args: argparse.Namespace) -> dict[str, object]:
    """The --synth runs: cold, nothing changed, (1 job, cold), +add incremental, (rdflib) on one synth corpus."""
    out: dict[str, object] = {"machine": describe_machine(), "n": args.n, "jobs": args.jobs, "nice": args.nice}
    runs: dict[str, object] = {}
    scratch = args.scratch or Path(tempfile.mkdtemp(prefix="bench-build-"))
    scratch.mkdir(parents=True, exist_ok=True)
    src = ROOT / "src"

    def record(name: str, result: dict[str, object], docs: int) -> None:
        result["docs"] = docs
        result["docs_per_s"] = round(docs / float(result["wall_s"]), 1)  # type: ignore[arg-type]
        if "quads" in result:
            result["quads_per_s"] = round(int(result["quads"]) / float(result["wall_s"]))  # type: ignore[call-overload, arg-type]
        runs[name] = result
        print(name, json.dumps(result), flush=True)
        if args.json:
            args.json.write_text(json.dumps({**out, "runs": runs}, indent=1))

    corpus, aside, synth = synth_corpus(scratch / f"synth{args.n}", args.n, args.add)
    out["synth"] = synth
    print("synth", json.dumps(synth), flush=True)
    try:
        validate = not args.no_validate
        record(f"{args.n} reports, cold", build(src, corpus, scratch / "w1", jobs=args.jobs, validate=validate), args.n)
        if args.rdflib:
            base = rdflib_baseline(scratch / "w1" / "g.nq", scratch)
            base["quads"] = runs[f"{args.n} reports, cold"]["quads"]  # type: ignore[index]
            record(f"rdflib parse + serialise of the {args.n}-report dump", base, args.n)
        record(
            f"{args.n} reports, nothing changed",
            build(src, corpus, scratch / "w1", jobs=args.jobs, validate=validate),
            args.n,
        )
        if args.one_job:
            record(
                f"{args.n} reports, cold, --jobs 1",
                build(src, corpus, scratch / "w2", jobs=1, validate=validate),
                args.n,
            )
            shutil.rmtree(scratch / "w2")
        for p in aside:
            p.rename(corpus / "documents" / p.name)
        record(
            f"+{args.add} reports (incremental)",
            build(src, corpus, scratch / "w1", jobs=args.jobs, validate=validate),
            args.add,
        )
    finally:
        if not args.keep:
            shutil.rmtree(scratch / "w1", ignore_errors=True)
            shutil.rmtree(corpus, ignore_errors=True)
            shutil.rmtree(corpus.parent / f"{corpus.name}-held", ignore_errors=True)
    out["runs"] = runs
    return out


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


def render_synth(res: dict) -> str:
    """The rows of the docs/benchmarks.md table for one --synth run's figures (CPU-s and quads/s too)."""
    lines = [
        "| run | documents | quads | wall s | CPU-s (all processes) | documents/s | quads/s (wall) |"
        " peak RSS (one process) | store | dump | load avg mean (max) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, r in res["runs"].items():
        store = f"{r['store_mib']:.1f} MiB" if "store_mib" in r else "-"
        dump = f"{r['dump_mib']:.1f} MiB" if "dump_mib" in r else "-"
        lines.append(
            f"| {name} | {r['docs']:,} | {r['quads']:,} | {r['wall_s']:.1f} | {r['cpu_s']:.1f} |"
            f" {r['docs_per_s']:.1f} | {r['quads_per_s']:,} | {r['peak_rss_mib']:,} MiB | {store} | {dump} |"
            f" {r['load_mean']:.1f} ({r['load_max']:.1f}) |"
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
    ap.add_argument("--synth", action="store_true", help="a corpus from schoolkg synth --reports (see above)")
    ap.add_argument("--rdflib", action="store_true", help="with --synth: the rdflib baseline on the cold dump")
    ap.add_argument("--one-job", action="store_true", help="with --synth: also a cold build with --jobs 1")
    ap.add_argument("--no-validate", action="store_true", help="with --synth: build with --no-validate")
    ap.add_argument("--nice", type=int, default=0, help="run every measured child under nice -n N")
    ap.add_argument("--scratch", type=Path, help="with --synth: the work folder (default: a temporary one)")
    ap.add_argument("--keep", action="store_true", help="with --synth: keep the corpus and store")
    args = ap.parse_args(argv)
    if args.render:
        res = json.loads(args.render.read_text())
        print(render_synth(res) if "synth" in res else render(res))
        return {}
    if args.nice:
        NICE[:] = ["nice", "-n", str(args.nice)]
    if args.synth:
        return main_synth(args)
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
