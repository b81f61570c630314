"""``python -m bench [--scale small|medium|national] [--out docs/benchmarks.md] [--remote oxigraph|none]``.

Runs the same workloads on schoolkg's store, rdflib and (with ``--remote oxigraph``) an Oxigraph
server, and writes the "Store, queries and scale" section of ``--out`` with the exact command.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from pathlib import Path

from bench.harness import Settings, run
from bench.report import render, scaling_plot, write_section
from schoolkg.errors import SchoolkgError

SKIPPABLE = ("corpus", "rdflib", "analysis", "extraction")


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run the harness, write the report; 0 on success."""
    argv = sys.argv[1:] if argv is None else argv
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    ap.add_argument("--scale", default="small", choices=("tiny", "small", "medium", "national"))
    ap.add_argument("--out", type=Path, default=Path("docs/benchmarks.md"))
    ap.add_argument("--remote", default="oxigraph", choices=("oxigraph", "none"))
    ap.add_argument("--runs", type=int, default=3, help="Runs of each build (median reported).")
    ap.add_argument("--query-runs", type=int, default=10, help="Timed runs of each query.")
    ap.add_argument("--rdflib-limit", type=float, default=10.0, help="Seconds allowed per rdflib query.")
    ap.add_argument("--skip", action="append", default=[], choices=SKIPPABLE, help="Leave a workload out.")
    ap.add_argument("--workdir", type=Path, help="Where to generate data and stores (default: a temporary folder).")
    ap.add_argument("--keep", action="store_true", help="Keep the work folder.")
    ap.add_argument(
        "--query-budget", type=float, help="Seconds for each graph's schoolkg queries; the rest are skipped."
    )
    ap.add_argument(
        "--only",
        action="append",
        default=[],
        help="Measure only this graph of the scale (e.g. national; none: no graph).",
    )
    ap.add_argument("--json", type=Path, help="Also write the raw figures as JSON here.")
    ap.add_argument(
        "--render", type=Path, nargs="+", metavar="JSON", help="Only rewrite --out from --json files of runs (merged)."
    )
    ap.add_argument("--notes", type=Path, help="Markdown to add under 'Notes' in the section (observations).")
    ap.add_argument(
        "--finish",
        type=Path,
        metavar="JSON",
        help="Time the catalogue for the last graph of a --json "
        "checkpoint that stopped after its build, on --store, each query in a child killed after --query-limit s.",
    )
    ap.add_argument("--store", help="The store folder (or URL) of that graph, for --finish.")
    ap.add_argument("--query-limit", type=float, default=300.0, help="Seconds per query with --finish.")
    args = ap.parse_args(argv)
    notes = args.notes.read_text(encoding="utf-8") if args.notes else ""
    if args.finish is not None:
        from bench.machine import load_average
        from bench.workloads import catalogue_queries, time_queries_bounded

        res = json.loads(args.finish.read_text(encoding="utf-8"))
        d = res["datasets"][-1]
        d["query_load_avg"] = load_average()
        qs = time_queries_bounded(args.store, catalogue_queries(), args.query_runs, args.query_limit)
        d["embedded"]["queries"] = qs
        res["command"] = res.get("command", "") + "` then `" + shlex.join(["python", "-m", "bench", *argv])
        args.finish.write_text(json.dumps(res, indent=1), encoding="utf-8")
        return 0
    if args.render is not None:
        res = merge([json.loads(p.read_text(encoding="utf-8")) for p in args.render])
        _write(res, res["command"], args.out, notes)
        return 0
    try:
        settings = Settings(
            args.scale, args.remote, args.runs, args.query_runs, args.rdflib_limit,
            frozenset(args.skip), args.workdir, args.keep, frozenset(args.only), args.query_budget,
        )  # fmt: skip
        command = shlex.join(["python", "-m", "bench", *argv])
        save = (lambda r: args.json.write_text(json.dumps(r, indent=1), encoding="utf-8")) if args.json else None
        res = run(settings, log=lambda msg: print(msg, file=sys.stderr, flush=True), checkpoint=save, command=command)
        _write(res, command, args.out, notes)
        if save:
            save(res)
    except SchoolkgError as err:
        print(f"error: {err}", file=sys.stderr)
        return err.exit_code
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


def merge(runs: list[dict]) -> dict:
    """One result from several runs: graphs in order, the other workloads from the last run having them.

    >>> m = merge([{"command": "a", "machine": {"load_start": 1}, "datasets": [1], "seconds": 60},
    ...            {"command": "b", "machine": {"load_start": 2, "load_end": 3}, "datasets": [2], "seconds": 60}])
    >>> m["command"], m["machine"], m["datasets"], m["seconds"], m["merged"]
    ('a` then `b', {'load_start': 1, 'load_end': 3}, [1, 2], 120, 2)
    """
    out = dict(runs[0])
    out["machine"] = dict(runs[0]["machine"])
    out["datasets"] = [d for r in runs for d in r["datasets"]]
    out["command"] = "` then `".join(r.get("command", "python -m bench") for r in runs)
    for r in runs[1:]:
        for key in ("corpus", "analysis", "extraction"):
            if key in r:
                out[key] = r[key]
        if "load_end" in r["machine"]:
            out["machine"]["load_end"] = r["machine"]["load_end"]
    if len(runs) > 1:
        out["merged"] = len(runs)
    if all("seconds" in r for r in runs):
        out["seconds"] = sum(r["seconds"] for r in runs)
    else:
        out.pop("seconds", None)
    return out


def _write(res: dict, command: str, out: Path, notes: str = "") -> None:
    img = out.parent / "img" / "bench-scaling.png"
    plot = scaling_plot(res, img)
    write_section(out, render(res, command, plot and str(img.relative_to(out.parent)), notes))


if __name__ == "__main__":
    raise SystemExit(main())
