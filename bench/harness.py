"""Run every workload at a scale, on schoolkg's store, rdflib and (optionally) an Oxigraph server.

:func:`run` returns one dict of raw figures; :mod:`bench.report` renders it.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench import workloads
from bench.data import SCALES, make_dataset
from bench.machine import describe_machine, load_average
from schoolkg.errors import ConfigError
from schoolkg.store.embedded import EmbeddedStore

__all__ = ["Settings", "run"]

ROOT = Path(__file__).resolve().parents[1]
#: rdflib is not run above this many quads (it needs about 1 kB of RAM a triple and hours of CPU).
RDFLIB_MAX_QUADS = 5_000_000


class Settings:
    """Knobs of one run; the defaults are the committed measurements' settings."""

    def __init__(
        self,
        scale: str = "small",
        remote: str = "oxigraph",
        runs: int = 3,
        query_runs: int = 10,
        rdflib_limit: float = 10.0,
        skip: frozenset[str] = frozenset(),
        workdir: Path | None = None,
        keep: bool = False,
        only: frozenset[str] = frozenset(),
        budget: float | None = None,
    ) -> None:
        if scale not in SCALES:
            raise ConfigError(f"unknown scale {scale!r}; use {', '.join(SCALES)}")
        if remote not in ("oxigraph", "none"):
            raise ConfigError(f"unknown remote {remote!r}; use oxigraph or none")
        if runs < 1 or query_runs < 1:
            raise ConfigError("--runs and --query-runs must be at least 1")
        self.scale, self.remote, self.runs, self.query_runs = scale, remote, runs, query_runs
        self.rdflib_limit, self.skip, self.workdir, self.keep = rdflib_limit, skip, workdir, keep
        labels = {label for label, _, _ in SCALES[scale]} | {"none"}
        if not only <= labels:
            raise ConfigError(f"--only {', '.join(sorted(only - labels))}: scale {scale} has {', '.join(labels)}")
        self.only, self.budget = only, budget


def run(
    settings: Settings,
    log: Callable[[str], None] = print,
    checkpoint: Callable[[dict], None] | None = None,
    command: str = "",
) -> dict:
    """Run the workloads of ``settings.scale``; raw figures with the machine description.

    ``checkpoint`` gets the figures so far after each graph (to save them from a run cut short).
    """
    results: dict = {"machine": describe_machine(), "scale": settings.scale, "command": command, "datasets": []}
    tiny = settings.scale == "tiny"
    work = Path(settings.workdir or tempfile.mkdtemp(prefix="schoolkg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    queries = workloads.catalogue_queries()
    t0 = time.perf_counter()
    try:
        if "corpus" not in settings.skip:
            log("default corpus build ...")
            corpus = workloads.corpus_build(ROOT / "corpus", work / "corpus", settings.runs)
            corpus["rdflib"] = workloads.rdflib_run(Path(corpus["nquads"]), {}, settings.runs, 1.0, 1)
            results["corpus"] = corpus
        for label, schools, history in SCALES[settings.scale]:
            if settings.only and label not in settings.only:
                continue
            args = (settings, work / label, label, schools, history, queries, log)
            results["datasets"].append(
                _dataset(*args, lambda d: checkpoint and checkpoint({**results, "datasets": [*results["datasets"], d]}))
            )
            if checkpoint:
                checkpoint(results)
        if "analysis" not in settings.skip:
            log("analysis ...")
            size = (500, 20) if tiny else (25_000, 150)
            results["analysis"] = workloads.analysis(*size, repeat=settings.runs)
        if "extraction" not in settings.skip:
            log("extraction ...")
            results["extraction"] = workloads.extraction(10 if tiny else 200, repeat=settings.runs)
    finally:
        if not settings.keep:
            shutil.rmtree(work, ignore_errors=True)
    results["machine"]["load_end"] = load_average()
    results["seconds"] = time.perf_counter() - t0
    return results


def _dataset(settings: Settings, folder: Path, label: str, schools: int, history: bool, queries, log, partial) -> dict:
    log(f"[{label}] generating {schools:,} schools{' with 20 years of history' if history else ''} ...")
    t = time.perf_counter()
    data = make_dataset(folder, label, schools, history)
    out: dict = {
        "label": label,
        "schools": schools,
        "history": history,
        "quads": data.quads,
        "nq_bytes": data.path.stat().st_size,
        "generate_seconds": time.perf_counter() - t,
        "load_avg": load_average(),
    }
    national = history
    log(f"[{label}] {data.quads:,} quads; embedded build ...")
    out["embedded"] = workloads.embedded_build(data.path, folder / "store", 1 if national else settings.runs)
    out["lines"], out["quads"] = out["quads"], out["embedded"]["quads"]  # distinct quads, as rdflib counts them
    partial(out)
    log(f"[{label}] embedded queries ...")
    store = EmbeddedStore(folder / "store")
    out["embedded"]["queries"] = workloads.time_queries(store, queries, settings.query_runs, budget=settings.budget)
    del store
    if "rdflib" not in settings.skip and data.quads <= RDFLIB_MAX_QUADS:
        big = data.quads > 1_000_000
        log(f"[{label}] rdflib load and queries ...")
        out["rdflib"] = workloads.rdflib_run(
            data.path, queries, 1 if big else settings.runs, settings.rdflib_limit * (2 if big else 1), 3
        )
    if settings.remote == "oxigraph" and not national:
        log(f"[{label}] oxigraph server: load, serve, queries ...")
        out["remote"] = workloads.remote_run(
            data.path, folder / "oxigraph", queries, 1 if national else settings.runs, settings.query_runs
        )
    data.path.unlink()
    return out
