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
    "import os, resource, subprocess, sys; r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL,"
    " stderr=subprocess.PIPE); sys.stderr.buffer.write(r.stderr[-2000:]);"
    " open(os.environ['BENCH_LOG'], 'ab').write(r.stderr) if os.environ.get('BENCH_LOG') else None;"
    " u = resource.getrusage(resource.RUSAGE_CHILDREN); print(u.ru_maxrss, u.ru_utime + u.ru_stime);"
    " sys.exit(r.returncode)"
)
_RDFLIB = (
    "import sys, rdflib; d = rdflib.Dataset(); d.parse(sys.argv[1], format='nquads');"
    " d.serialize(destination=sys.argv[2], format='nquads')"
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


def timed(cmd: list[str], src: Path, cwd: Path) -> tuple[float, int, float, float]:
    """Run ``cmd`` under the wrapper: wall s, peak RSS KiB, CPU s of its processes, load before."""
    env = {**os.environ, "PYTHONPATH": str(src), "BENCH_LOG": str(cwd / "progress.log")}
    load = load_average()
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "-c", _WRAP, *cmd], env=env, capture_output=True, text=True, cwd=cwd)
    wall = time.perf_counter() - t0
    if r.returncode != 0:
        raise SystemExit(f"{cmd[2:4]} failed ({src}): {r.stderr[-1000:]}")
    rss, cpu = r.stdout.split()[-2:]
    return wall, int(rss), float(cpu), load


def build(
    src: Path, corpus: Path, work: Path, *, jobs: int | None, validate: bool, with_: tuple[str, ...] = ()
) -> dict[str, object]:
    """Run one `schoolkg build` of ``corpus`` with the code under ``src``; its wall time, RSS, sizes."""
    work.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "schoolkg", "build", "--corpus", str(corpus)]
    cmd += ["--store", str(work / "store"), "--nquads", str(work / "g.nq"), "--progress", "plain"]
    cmd += [] if validate else ["--no-validate"]
    cmd += ["--jobs", str(jobs)] if jobs else []
    for w in with_:  # the CLI reads 'national' relative to its folder; the builds run in ``work``
        cmd += ["--with", str(ROOT.parent / "shared" / "data") if w in ("shared", "national") else w]
    wall, rss, cpu, load = timed(cmd, src, work)
    store = (work / "store").resolve()
    quads = sum(1 for _ in (work / "g.nq").open("rb"))
    return {
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 1),
        "triples_per_s": round(quads / wall),
        "peak_rss_mib": round(rss / 1024),
        "store_mib": round(sum(p.stat().st_size for p in store.rglob("*") if p.is_file()) / 2**20, 1),
        "dump_mib": round((work / "g.nq").stat().st_size / 2**20, 1),
        "quads": quads,
        "load_before": round(load, 2),
        "load_after": round(load_average(), 2),
    }


def rdflib_round_trip(dump: Path, work: Path) -> dict[str, object]:
    """rdflib parsing the dump's N-Quads into a Dataset and serialising it again: its wall, CPU, RSS."""
    work.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-c", _RDFLIB, str(dump), str(work / "rdflib.nq")]
    wall, rss, cpu, load = timed(cmd, ROOT / "src", work)
    quads = sum(1 for _ in dump.open("rb"))
    (work / "rdflib.nq").unlink()
    return {
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 1),
        "triples_per_s": round(quads / wall),
        "peak_rss_mib": round(rss / 1024),
        "store_mib": 0.0,
        "dump_mib": round(dump.stat().st_size / 2**20, 1),
        "quads": quads,
        "load_before": round(load, 2),
        "load_after": round(load_average(), 2),
    }


def hold_back(corpus: Path, n: int) -> tuple[Path, list[str]]:
    """Move the last ``n`` documents of ``corpus`` (by name) aside; the folder and their names."""
    held = corpus.parent / f"{corpus.name}-held"
    held.mkdir(exist_ok=True)
    names = sorted(p.name for p in (corpus / "documents").iterdir())[-n:] if n else []
    for name in names:
        (corpus / "documents" / name).rename(held / name)
    return held, names


def put_back(corpus: Path, held: Path, names: list[str]) -> None:
    """Return the held-back documents to the corpus."""
    for name in names:
        (held / name).rename(corpus / "documents" / name)


def previous_tree(commit: str, into: Path) -> Path:
    """A checkout of ``commit`` (git worktree), for its ``src``."""
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(into), commit], check=True)
    return into


HEADING = "## `schoolkg build` (issue 18)"


def render(res: dict) -> str:
    """The rows of the docs/benchmarks.md table for one run's figures."""
    lines = [
        "| build | documents | quads | wall s | CPU s | documents/s | triples/s | peak RSS (one process)"
        " | store | dump | load avg |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, r in res["runs"].items():
        cpu = f"{r['cpu_s']:.1f}" if "cpu_s" in r else "-"
        tps = f"{r['triples_per_s']:,}" if "triples_per_s" in r else "-"
        lines.append(
            f"| {name} | {r['docs']:,} | {r['quads']:,} | {r['wall_s']:.1f} | {cpu} | {r['docs_per_s']:.1f} | {tps} |"
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
    ap.add_argument("--corpus", type=Path, help="an existing corpus (e.g. schoolkg synth --reports) instead")
    ap.add_argument("--with", dest="with_", action="append", default=[], help="schoolkg build --with, repeatable")
    ap.add_argument("--no-validate", action="store_true", help="with --corpus: build with --no-validate")
    ap.add_argument("--work", type=Path, help="with --corpus: folder for stores and dumps (kept)")
    ap.add_argument(
        "--runs",
        default="cold,same,jobs1,prev,add,rdflib",
        help="with --corpus: which of cold,same,jobs1,prev,add,rdflib to run, in that order",
    )
    args = ap.parse_args(argv)
    if args.render:
        print(render(json.loads(args.render.read_text())))
        return {}
    if args.corpus:
        return main_corpus(args)
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


def main_corpus(args: argparse.Namespace) -> dict[str, object]:
    """Builds of an existing corpus (its last ``--add`` documents held back for the incremental row)."""
    runs: dict[str, object] = {}
    out: dict[str, object] = {"machine": describe_machine(), "corpus": str(args.corpus), "with": args.with_}
    out |= {"jobs": args.jobs, "prev": args.prev, "runs": runs}
    wanted = set(args.runs.split(","))
    work: Path = args.work or Path(tempfile.mkdtemp(prefix="bench-build-"))
    new_src, with_ = ROOT / "src", tuple(args.with_)
    held, names = hold_back(args.corpus, args.add if "add" in wanted else 0)
    docs = len(list((args.corpus / "documents").iterdir()))
    label = f"{docs:,} documents" + "".join(f" + {w}" for w in with_)
    label += ", not validated" if args.no_validate else ", validated"

    def record(name: str, result: dict[str, object], n: int) -> None:
        result["docs"] = n
        result["docs_per_s"] = round(n / float(result["wall_s"]), 1)  # type: ignore[arg-type]
        runs[name] = result
        print(name, json.dumps(result), flush=True)
        if args.json:
            args.json.write_text(json.dumps(out, indent=1))

    prev = None
    try:
        if "cold" in wanted:
            r = build(new_src, args.corpus, work / "n1", jobs=args.jobs, validate=not args.no_validate, with_=with_)
            record(f"new {label}, --jobs {args.jobs}, cold cache", r, docs)
        if "same" in wanted:
            r = build(new_src, args.corpus, work / "n1", jobs=args.jobs, validate=not args.no_validate, with_=with_)
            record(f"new {label}, nothing changed", r, docs)
        if "jobs1" in wanted:
            r = build(new_src, args.corpus, work / "j1", jobs=1, validate=not args.no_validate, with_=with_)
            record(f"new {label}, --jobs 1, cold cache", r, docs)
            shutil.rmtree(work / "j1")
        if "prev" in wanted:
            prev = previous_tree(args.prev, work / "prev") / "src"
            # validated as the new rows are (the previous implementation's compiled SHACL holds 1k reports)
            r = build(prev, args.corpus, work / "p1", jobs=args.jobs, validate=not args.no_validate, with_=with_)
            record(f"prev {label}, --jobs {args.jobs}, cold cache", r, docs)
            if "add" not in wanted:
                shutil.rmtree(work / "p1")
        if "rdflib" in wanted and (work / "n1" / "g.nq").exists():
            record(f"rdflib parse + serialise of the {label} dump", rdflib_round_trip(work / "n1" / "g.nq", work), 0)
        if "add" in wanted:
            put_back(args.corpus, held, names)
            names = []
            r = build(new_src, args.corpus, work / "n1", jobs=args.jobs, validate=not args.no_validate, with_=with_)
            record(f"new +{args.add} documents (incremental){label[label.rindex(',') :]}", r, args.add)
            if prev:  # the previous implementation adds the same documents to its own store and cache
                r = build(prev, args.corpus, work / "p1", jobs=args.jobs, validate=not args.no_validate, with_=with_)
                record(f"prev +{args.add} documents (incremental){label[label.rindex(',') :]}", r, args.add)
                shutil.rmtree(work / "p1")
    finally:
        put_back(args.corpus, held, names)
        if prev:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(work / "prev")], check=False)
    return out


if __name__ == "__main__":
    main()
