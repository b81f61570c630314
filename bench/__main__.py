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
    ap.add_argument("--render", type=Path, metavar="JSON", help="Only rewrite --out from a --json file of a run.")
    ap.add_argument("--notes", type=Path, help="Markdown to add under 'Notes' in the section (observations).")
    args = ap.parse_args(argv)
    notes = args.notes.read_text(encoding="utf-8") if args.notes else ""
    if args.render is not None:
        res = json.loads(args.render.read_text(encoding="utf-8"))
        _write(res, res["command"], args.out, notes)
        return 0
    try:
        settings = Settings(
            args.scale, args.remote, args.runs, args.query_runs, args.rdflib_limit,
            frozenset(args.skip), args.workdir, args.keep,
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


def _write(res: dict, command: str, out: Path, notes: str = "") -> None:
    img = out.parent / "img" / "bench-scaling.png"
    plot = scaling_plot(res, img)
    write_section(out, render(res, command, plot and str(img.relative_to(out.parent)), notes))


if __name__ == "__main__":
    raise SystemExit(main())
