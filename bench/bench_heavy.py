"""Issue 19 figures: the real ``schoolkg query NAME`` per catalogue query, old vs new, and the SHACL engines.

Usage::

    python -m bench.bench_heavy queries --store S [--label 300k] [--runs 5] [--old-timeout 300]
        [--school IRI] [--skip-old NAME,...] [--only NAME,...] [--old-src OTHER/src]
    python -m bench.bench_heavy rdflib --nquads synth.nq [--timeout 120]
    python -m bench.bench_heavy validate --nquads G.nq --engine sparql|pyshacl|rudof
    python -m bench.bench_heavy render q300k.jsonl q3m.jsonl   (markdown table)

``queries`` times the command a user runs, ``schoolkg query NAME --store S --format csv``,
as a subprocess (wall time, interpreter start and imports included) ``--runs`` times (once if the first
run takes over 20 s) and reports the median, and the same query in one process (the store opened once; the time to
run it and read every row); the rewritten queries (bench/queries_before_19/) also run as they were before
(``--file bench/queries_before_19/NAME.rq``), once, with ``--old-timeout``. With ``--old-src``
the same command also runs ``--runs`` times with that checkout's code (e.g. the query binding
before it was pushed into groups), alternating with this one's, and both report the CPU
seconds of the command (user + system of the child, median). ``--only`` times just those queries. ``rdflib`` loads
the N-Quads into an rdflib Dataset (default graph = union) and runs the old and new texts of
the rewritten queries. ``validate`` runs one engine in this process on ``--nquads`` and prints
its seconds (load included and apart), peak RSS and violations. Not a test: numbers go to
docs/benchmarks.md. Every line is JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BEFORE = ROOT / "bench" / "queries_before_19"
SCHOOLKG = [sys.executable, "-m", "schoolkg", "query"]
SLOW = 20.0
"""A query whose first run takes longer (seconds) is not repeated."""


def _run_cli(args: list[str], timeout: float, src: Path = ROOT / "src") -> tuple[float, int, str]:
    wall, _, rows, err = _run_cli_cpu(args, timeout, src)
    return wall, rows, err


def _run_cli_cpu(args: list[str], timeout: float, src: Path = ROOT / "src") -> tuple[float, float, int, str]:
    """Wall seconds, CPU seconds (user + system of the child), rows and error tail of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    env = {**os.environ, "PYTHONPATH": str(src)}
    try:
        done = subprocess.run([*SCHOOLKG, *args], capture_output=True, timeout=timeout, env=env, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return timeout, float("nan"), -1, "timeout"
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    rows = max(0, done.stdout.count(b"\n") - 1)
    return wall, cpu, rows, done.stderr.decode()[-200:] if done.returncode else ""


def _compare_src(base: list[str], args: argparse.Namespace) -> dict[str, object]:
    """The same command with this checkout's code and with ``--old-src``, alternating, ``--runs`` times each."""
    got: dict[str, list[tuple[float, float, int, str]]] = {"new": [], "old": []}
    for _ in range(args.runs):
        got["new"].append(_run_cli_cpu(base, args.old_timeout))
        got["old"].append(_run_cli_cpu(base, args.old_timeout, Path(args.old_src)))
    out: dict[str, object] = {}
    for label, runs in got.items():
        out[f"{label}_src_cli_p50_ms"] = round(statistics.median(r[0] for r in runs) * 1000, 1)
        out[f"{label}_src_cli_cpu_s"] = round(statistics.median(r[1] for r in runs), 2)
        out[f"{label}_src_rows"] = runs[-1][2]
        out[f"{label}_src_error"] = runs[-1][3]
    return out


def bench_queries(args: argparse.Namespace) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    from schoolkg.queries.catalogue import load_catalogue
    from schoolkg.store.embedded import EmbeddedStore
    from schoolkg.store.table import to_table

    store = EmbeddedStore(args.store)
    skip_old = set(filter(None, args.skip_old.split(",")))
    only = set(filter(None, args.only.split(",")))
    for q in load_catalogue():
        if only and q.name not in only:
            continue
        params = ["--param", f"school={args.school}"] if args.school and q.name == "school-profile" else []
        values = {"school": args.school} if params else {}
        base = [q.name, "--store", args.store, "--format", "csv", *params]
        walls = []
        rows, err = 0, ""
        for _ in range(args.runs):
            wall, rows, err = _run_cli(base, args.old_timeout)
            walls.append(wall)
            if wall > SLOW:
                break
        inproc = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            n = len(to_table(store.query(q.bound(values))).rows)
            inproc.append(time.perf_counter() - t0)
            if inproc[-1] > SLOW:
                break
        out = {
            "label": args.label,
            "query": q.name,
            "rows": rows,
            "in_process_rows": n,
            "runs": len(walls),
            "cli_p50_ms": round(statistics.median(walls) * 1000, 1),
            "in_process_p50_ms": round(statistics.median(inproc) * 1000, 1),
            "error": err,
        }
        old = BEFORE / f"{q.name}.rq"
        if old.exists():
            if q.name in skip_old:
                out["old_cli_ms"] = "skipped"
            else:
                wall, old_rows, old_err = _run_cli(["--file", str(old), *base[1:]], args.old_timeout)
                out |= {"old_cli_ms": round(wall * 1000, 1), "old_rows": old_rows, "old_error": old_err}
        if args.old_src:
            out |= _compare_src(base, args)
        out["load"] = os.getloadavg()[0]
        print(json.dumps(out), flush=True)


def bench_rdflib(args: argparse.Namespace) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    from rdflib import Dataset

    from schoolkg.queries.catalogue import get_query, load_catalogue

    t0 = time.perf_counter()
    ds = Dataset(default_union=True)
    ds.parse(args.nquads, format="nquads")
    print(json.dumps({"rdflib_load_s": round(time.perf_counter() - t0, 1), "quads": len(ds)}), flush=True)

    def _alarm(_sig: int, _frame: object) -> None:
        raise TimeoutError

    signal.signal(signal.SIGALRM, _alarm)
    for old in load_catalogue(BEFORE):
        for label, q in (("old", old), ("new", get_query(old.name))):
            signal.alarm(int(args.timeout))
            t0 = time.perf_counter()
            try:
                rows: int | str = len(list(ds.query(q.bound())))
            except TimeoutError:
                rows = "timeout"
            finally:
                signal.alarm(0)
            wall = round((time.perf_counter() - t0) * 1000, 1)
            print(json.dumps({"rdflib": q.name, "version": label, "ms": wall, "rows": rows}), flush=True)


def bench_validate(args: argparse.Namespace) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    data = Path(args.nquads).read_bytes()
    t0 = time.perf_counter()
    if args.engine == "sparql":
        import pyoxigraph

        from schoolkg.validate.compiled import check_store

        store = pyoxigraph.Store()
        store.bulk_load(data, pyoxigraph.RdfFormat.N_QUADS)
        loaded = time.perf_counter() - t0
        violations = len(check_store(store))
    elif args.engine == "pyshacl":
        from schoolkg.validate.shacl import check_nquads

        loaded = 0.0
        violations = check_nquads(data).violations
    else:
        import pyoxigraph
        import pyrudof

        from schoolkg.resources import ontology_dir

        nt = Path(args.nquads).with_suffix(".rudof.nt")
        triples = (
            pyoxigraph.Triple(q.subject, q.predicate, q.object)
            for q in pyoxigraph.parse(data, pyoxigraph.RdfFormat.N_QUADS)
        )
        pyoxigraph.serialize(triples, output=str(nt), format=pyoxigraph.RdfFormat.N_TRIPLES)
        rudof = pyrudof.Rudof(pyrudof.RudofConfig())
        rudof.read_data(str(nt), format=pyrudof.RDFFormat.NTriples)
        loaded = time.perf_counter() - t0
        rudof.read_shacl(str(ontology_dir() / "shapes.ttl"))
        violations = len(rudof.validate_shacl())
        nt.unlink()
    total = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "engine": args.engine,
                "nquads": args.nquads,
                "quads": data.count(b"\n"),
                "total_s": round(total, 2),
                "load_s": round(loaded, 2),
                "check_s": round(total - loaded, 2),
                "peak_rss_mb": round(rss),
                "violations": violations,
                "load": os.getloadavg()[0],
            }
        ),
        flush=True,
    )


def render(args: argparse.Namespace) -> None:
    """Markdown tables from the JSON lines of ``queries`` runs (one file per graph size)."""
    runs = {}
    for path in args.files:
        for line in Path(path).read_text().splitlines():
            row = json.loads(line)
            runs.setdefault(row["query"], {})[row["label"]] = row
    labels = sorted({label for per in runs.values() for label in per}, key=lambda x: (len(x), x))
    head = ["query"] + [
        f"{label} {col}" for label in labels for col in ("rows", "CLI p50 ms", "in-process p50 ms", "old CLI ms")
    ]
    print("| " + " | ".join(head) + " |")
    print("| --- " + "| ---: " * (len(head) - 1) + "|")

    def cell(row: dict[str, object] | None, key: str) -> str:
        if row is None or key not in row:
            return "-"
        value = row[key]
        return f"{value:,.1f}" if isinstance(value, float) else str(value)

    for name in sorted(runs):
        cells = [f"`{name}`"]
        for label in labels:
            row = runs[name].get(label)
            cells += [
                cell(row, "rows"),
                cell(row, "cli_p50_ms"),
                cell(row, "in_process_p50_ms"),
                cell(row, "old_cli_ms"),
            ]
        print("| " + " | ".join(cells) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="what", required=True)
    q = sub.add_parser("queries")
    q.add_argument("--store", required=True)
    q.add_argument("--label", default="")
    q.add_argument("--runs", type=int, default=5)
    q.add_argument("--old-timeout", type=float, default=300.0)
    q.add_argument("--school", default="")
    q.add_argument("--skip-old", default="")
    q.add_argument("--only", default="", help="comma-separated query names (default: every catalogue query)")
    q.add_argument("--old-src", default="", help="another checkout's src/ to time the same commands with")
    r = sub.add_parser("rdflib")
    r.add_argument("--nquads", required=True)
    r.add_argument("--timeout", type=float, default=120.0)
    v = sub.add_parser("validate")
    v.add_argument("--nquads", required=True)
    v.add_argument("--engine", choices=("sparql", "pyshacl", "rudof"), required=True)
    m = sub.add_parser("render")
    m.add_argument("files", nargs="+")
    args = parser.parse_args()
    {"queries": bench_queries, "rdflib": bench_rdflib, "validate": bench_validate, "render": render}[args.what](args)


if __name__ == "__main__":
    main()
