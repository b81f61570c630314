"""Workloads that run in a child process, so that each one's peak RSS is its own.

``python -m bench.child JOB ARGS_JSON`` runs one job and prints one JSON line with its figures
and ``rss_kb``, the child's peak resident set (``getrusage(RUSAGE_SELF).ru_maxrss``).

Jobs: ``embedded-load`` (``install_store``: pyoxigraph bulk load and atomic swap), ``corpus-build``
(``run_build`` of a corpus folder), ``rdflib`` (parse the N-Quads into an in-memory
``rdflib.Dataset`` with the union default graph, then run queries with a per-query time limit),
``command`` (run a command line; its peak RSS is that of this process's only child).
"""

from __future__ import annotations

import json
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

__all__ = ["main"]


class _Overrun(Exception):
    """Raised by the SIGALRM handler when an rdflib query passes its time limit."""


def embedded_load(nquads: str, target: str) -> dict:
    """Bulk-load ``nquads`` with the project's ``install_store``; seconds of the load, distinct quads stored."""
    from schoolkg.store.embedded import EmbeddedStore, install_store

    t = time.perf_counter()
    folder = install_store(Path(nquads), Path(target))
    seconds = time.perf_counter() - t
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    quads = len(EmbeddedStore(target))
    return {"seconds": seconds, "disk_bytes": size, "quads": quads}


def corpus_build(corpus: str, folder: str, validate: bool) -> dict:
    """The default pipeline (extraction, tables, SHACL if ``validate``, store install) on ``corpus``."""
    from schoolkg.pipeline import run_build

    t = time.perf_counter()
    summary = run_build(Path(corpus), Path(folder) / "store", Path(folder) / "corpus.nq", validate=validate)
    return {"seconds": time.perf_counter() - t, "quads": summary.triples}


def rdflib_job(nquads: str, queries: dict[str, str], limit: float, runs: int) -> dict:
    """Load into rdflib, then time each query: up to ``runs`` runs while their total stays under ``limit``."""
    import rdflib

    ds = rdflib.Dataset(default_union=True)
    t = time.perf_counter()
    ds.parse(nquads, format="nquads")
    load = time.perf_counter() - t
    # distinct quads (len(ds) counts the union's distinct triples: fewer when graphs share a triple)
    out: dict = {"seconds": load, "quads": sum(1 for _ in ds.quads((None, None, None, None))), "queries": {}}

    # rdflib imports its SPARQL engine on the first query: do that before any timer runs, so an
    # alarm can never interrupt an import and leave rdflib half-loaded.
    ds.query("ASK { ?s ?p ?o }")
    armed = False

    def _alarm(signum, frame):
        if armed:  # an alarm that lands after the query finished is ignored, never raised outside the try
            raise _Overrun

    signal.signal(signal.SIGALRM, _alarm)
    for name, sparql in queries.items():
        times, rows, spent = [], None, 0.0
        for _ in range(runs):
            t = time.perf_counter()
            armed = True
            signal.setitimer(signal.ITIMER_REAL, max(0.001, limit - spent))
            try:
                rows = len(list(ds.query(sparql)))
            except _Overrun:
                times = []
                break
            finally:
                armed = False
                signal.setitimer(signal.ITIMER_REAL, 0)
            times.append(time.perf_counter() - t)
            spent += times[-1]
            if spent > limit / 2:
                break
        out["queries"][name] = {"times": times, "rows": rows, "limit": limit}
    return out


def command(argv: list[str]) -> dict:
    """Run ``argv``; wall seconds (the RSS reported is the command's, this process's only child)."""
    t = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - t
    if proc.returncode:
        raise SystemExit(f"{argv[0]} failed ({proc.returncode}): {proc.stderr.strip()[-500:]}")
    return {"seconds": seconds, "rss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}


def query_job(store: str, sparql: str, runs: int) -> dict:
    """Time one query on a store folder or endpoint URL (warm-up, then runs; see ``time_queries``)."""
    from bench.workloads import time_queries
    from schoolkg.store.base import open_store

    return time_queries(open_store(store), {"q": sparql}, runs)["q"]


JOBS = {
    "query": query_job,
    "embedded-load": embedded_load,
    "corpus-build": corpus_build,
    "rdflib": rdflib_job,
    "command": command,
}


def main(argv: list[str] | None = None) -> None:
    """Run ``JOB`` with keyword arguments from a JSON object; print the result as one JSON line."""
    job, args = (argv or sys.argv[1:])[:2]
    result = JOBS[job](**json.loads(args))
    result.setdefault("rss_kb", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
