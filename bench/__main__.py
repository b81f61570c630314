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
    ap.add_argument("--json", type=Path, help="Also write the raw figures as JSON here.")
    args = ap.parse_args(argv)
    try:
        settings = Settings(
            args.scale, args.remote, args.runs, args.query_runs, args.rdflib_limit,
            frozenset(args.skip), args.workdir, args.keep,
        )  # fmt: skip
        save = (lambda r: args.json.write_text(json.dumps(r, indent=1), encoding="utf-8")) if args.json else None
        res = run(settings, log=lambda msg: print(msg, file=sys.stderr, flush=True), checkpoint=save)
        command = shlex.join(["python", "-m", "bench", *argv])
        img = args.out.parent / "img" / "bench-scaling.png"
        plot = scaling_plot(res, img)
        write_section(args.out, render(res, command, plot and str(img.relative_to(args.out.parent))))
        if save:
            save(res)
    except SchoolkgError as err:
        print(f"error: {err}", file=sys.stderr)
        return err.exit_code
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
