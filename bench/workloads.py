"""The measured workloads: build, catalogue queries (embedded, rdflib, remote), analysis, extraction.

Every function returns plain dicts of raw figures (seconds, kB, row counts); :mod:`bench.report`
turns them into tables. Builds and rdflib run in child processes (:mod:`bench.child`) so that
each peak RSS belongs to one workload.
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from schoolkg.errors import StoreError
from schoolkg.queries.catalogue import load_catalogue
from schoolkg.store.table import to_table

__all__ = [
    "analysis",
    "catalogue_queries",
    "child",
    "corpus_build",
    "embedded_build",
    "extraction",
    "oxigraph_cli",
    "rdflib_run",
    "remote_run",
    "time_queries",
    "time_queries_bounded",
]

ROOT = Path(__file__).resolve().parents[1]


def child(job: str, timeout: float | None = None, **kwargs: object) -> dict:
    """Run ``bench.child JOB`` in a fresh interpreter (killed after ``timeout`` s); its JSON result."""
    proc = subprocess.run(
        [sys.executable, "-m", "bench.child", job, json.dumps(kwargs)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=timeout,
    )
    if proc.returncode:
        raise StoreError(f"bench child {job} failed: {proc.stderr.strip()[-800:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def catalogue_queries() -> dict[str, str]:
    """Every catalogue query with its default parameters, by name."""
    return {q.name: q.bound() for q in load_catalogue()}


def embedded_build(nquads: Path, store: Path, runs: int) -> dict:
    """``runs`` bulk loads of ``nquads`` into ``store`` (each in a child); seconds, peak RSS, disk."""
    results = [child("embedded-load", nquads=str(nquads), target=str(store)) for _ in range(runs)]
    return {
        "times": [r["seconds"] for r in results],
        "rss_kb": max(r["rss_kb"] for r in results),
        "disk_bytes": results[-1]["disk_bytes"],
        "quads": results[-1]["quads"],
    }


def corpus_build(corpus: Path, folder: Path, runs: int) -> dict:
    """``runs`` default builds of ``corpus`` (with SHACL) in children, and one rdflib load of its N-Quads."""
    results = [child("corpus-build", corpus=str(corpus), folder=str(folder), validate=True) for _ in range(runs)]
    out = {
        "times": [r["seconds"] for r in results],
        "rss_kb": max(r["rss_kb"] for r in results),
        "quads": results[0]["quads"],
        "nquads": str(folder / "corpus.nq"),
    }
    return out


def time_queries(
    store: object, queries: dict[str, str], runs: int, slow: float = 2.0, budget: float | None = None
) -> dict:
    """Run each query once to warm up, then ``runs`` times (3 if the warm-up took over ``slow`` s).

    A query whose warm-up took over ``10 * slow`` s is not repeated: that run is its one sample.
    Once ``budget`` seconds have gone, the remaining queries are marked skipped, not run.

    Times cover running the query and reading every row into a table. Returns, per query, the
    times in seconds and the number of rows.
    """
    out: dict = {}
    start = time.perf_counter()
    for name, sparql in queries.items():
        if budget is not None and time.perf_counter() - start > budget:
            out[name] = {"times": [], "rows": None, "skipped": "time budget"}
            continue
        t = time.perf_counter()
        rows = len(to_table(store.query(sparql)).rows)
        first = time.perf_counter() - t
        if first > 10 * slow:  # too slow to repeat: the warm-up run is the one sample
            out[name] = {"times": [first], "rows": rows, "single": True}
            continue
        times = []
        for _ in range(min(runs, 3) if first > slow else runs):
            t = time.perf_counter()
            to_table(store.query(sparql)).rows  # noqa: B018
            times.append(time.perf_counter() - t)
        out[name] = {"times": times, "rows": rows}
    return out


def time_queries_bounded(store: str, queries: dict[str, str], runs: int, limit: float) -> dict:
    """Like :func:`time_queries`, each query in a child process killed after ``limit`` seconds."""
    out: dict = {}
    for name, sparql in queries.items():
        try:
            out[name] = child("query", timeout=limit, store=store, sparql=sparql, runs=runs)
        except subprocess.TimeoutExpired:
            out[name] = {"times": [], "rows": None, "skipped": f"over {limit:.0f} s"}
    return out


def rdflib_run(nquads: Path, queries: dict[str, str], load_runs: int, limit: float, runs: int) -> dict:
    """rdflib: ``load_runs`` loads (the first also runs the queries with a per-query ``limit``)."""
    first = child("rdflib", nquads=str(nquads), queries=queries, limit=limit, runs=runs)
    rest = [child("rdflib", nquads=str(nquads), queries={}, limit=limit, runs=runs) for _ in range(load_runs - 1)]
    return {
        "times": [first["seconds"]] + [r["seconds"] for r in rest],
        "rss_kb": max([first["rss_kb"]] + [r["rss_kb"] for r in rest]),
        "quads": first["quads"],
        "queries": first["queries"],
    }


def oxigraph_cli(install: bool = True) -> Path:
    """The ``oxigraph`` server CLI beside this interpreter; pip-installs the ``oxigraph`` package if missing."""
    exe = Path(sys.executable).parent / "oxigraph"
    if not exe.exists() and install:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "oxigraph"], check=True)
    if not exe.exists():
        raise StoreError(f"no oxigraph CLI at {exe}; `pip install oxigraph`")
    return exe


def remote_run(nquads: Path, folder: Path, queries: dict[str, str], load_runs: int, runs: int) -> dict:
    """Bulk-load with ``oxigraph load``, serve on loopback, run the catalogue through RemoteStore."""
    import shutil

    from schoolkg.store.base import open_store

    exe = oxigraph_cli()
    loads = []
    for _ in range(load_runs):
        shutil.rmtree(folder, ignore_errors=True)
        loads.append(child("command", argv=[str(exe), "load", "--location", str(folder), "--file", str(nquads)]))
    port = _free_port()
    server = subprocess.Popen(
        [
            str(exe),
            "serve-read-only",
            "--location",
            str(folder),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/query"
        store = open_store(url, timeout=600.0)
        _wait(lambda: store.query("ASK { ?s ?p ?o }"))
        timed = time_queries(store, queries, runs)
        hwm = _vm_hwm(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    return {
        "times": [r["seconds"] for r in loads],
        "rss_kb": max(r["rss_kb"] for r in loads),
        "server_rss_kb": hwm,
        "disk_bytes": size,
        "url": "http://127.0.0.1:PORT/query",
        "queries": timed,
    }


def analysis(schools: int, practices: int, repeat: int) -> dict:
    """``analyse_matrix`` on simulated profiles, set up as bench/bench_analysis.py does (seed 7)."""
    import numpy as np

    from schoolkg.analysis.run import analyse_matrix
    from schoolkg.synth.model import simulate

    rng = np.random.default_rng(7)
    idx = rng.choice(practices, 10, replace=False)
    effects = dict(zip(idx.tolist(), rng.choice([0.6, 1.5, 1.8, 2.0, 2.5], 10).tolist(), strict=True))
    sim = simulate(schools, practices, effects, seed=7, correlation=0.3)
    names = [f"p{i:03d}" for i in range(practices)]
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        analyse_matrix(sim.x, sim.y, names, min_support=10, fdr=0.05, pairs=True)
        times.append(time.perf_counter() - t)
    return {"schools": schools, "practices": practices, "times": times}


def extraction(n: int, repeat: int) -> dict:
    """Documents per second of ``extract_document`` on bench/bench_extract.py's generated corpus."""
    import hashlib

    from bench.bench_extract import corpus
    from schoolkg.extract.document import extract_document
    from schoolkg.extract.lexicon import load_lexicon
    from schoolkg.ingest.documents import describe
    from schoolkg.ingest.segment import segment_document

    thesaurus, gazetteer = load_lexicon()
    texts = corpus(n)
    docs = [describe(f"b-{i}", f"b-{i}.txt", t, hashlib.sha256(t.encode()).hexdigest()) for i, t in enumerate(texts)]
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        for d in docs:
            extract_document(segment_document(d), thesaurus, gazetteer)
        times.append(time.perf_counter() - t)
    return {"documents": n, "kb": sum(map(len, texts)) / n / 1000, "times": times}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(probe: Callable[[], object], seconds: float = 60.0) -> None:
    end = time.monotonic() + seconds
    while True:
        try:
            probe()
            return
        except StoreError:
            if time.monotonic() > end:
                raise
            time.sleep(0.2)


def _vm_hwm(pid: int) -> int | None:
    """Peak RSS in kB of a running process (``VmHWM``), if /proc has it."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def median(values: list[float]) -> float | None:
    """Median, or None for no values."""
    return statistics.median(values) if values else None


if os.name != "posix":  # pragma: no cover
    raise ImportError("the benchmark harness needs a POSIX system (SIGALRM, /proc, getrusage)")
