"""The main job: build the corpus into N-Quads, validate it, and install it as the store."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from schoolkg.build.graph import BuildResult, Progress, build_nquads
from schoolkg.build.tables.reading import SkippedRow
from schoolkg.errors import ValidationError
from schoolkg.store.embedded import _alive, install_store
from schoolkg.validate.evidence import quote_mismatches
from schoolkg.validate.shacl import ShaclReport, check_nquads

__all__ = ["BuildSummary", "IngestSummary", "build_ticks", "ingest_ticks", "run_build", "run_ingest"]

INSTALL_TICKS = 4
"""Progress steps of writing and installing a graph: N-Quads written, store loaded, link swapped, done."""


def build_ticks(inputs: int, validate: bool) -> int:
    """Progress steps of a build over ``inputs`` documents and tables.

    >>> build_ticks(11, True)
    18
    """
    return inputs + 1 + (2 if validate else 0) + INSTALL_TICKS


def ingest_ticks(tables: int, validate: bool) -> int:
    """Progress steps of an ingest of ``tables`` tables.

    >>> ingest_ticks(1, False)
    6
    """
    return tables + 1 + (2 if validate else 0) + INSTALL_TICKS


@dataclass
class BuildSummary:
    """What a build produced and how long it took."""

    result: BuildResult
    shacl: ShaclReport | None
    nquads_path: Path
    store_path: Path
    triples: int
    seconds: float


def run_build(
    corpus: Path,
    store: Path,
    nquads_path: Path,
    *,
    validate: bool = True,
    progress: Progress | None = None,
    extra_tables: list[Path] | None = None,
) -> BuildSummary:
    """Build ``corpus``; on success write ``nquads_path`` and replace ``store`` atomically.

    Nothing already stored changes unless every step succeeds, SHACL included.
    """
    t0 = time.perf_counter()
    result = build_nquads(corpus, progress, extra_tables)
    if progress:
        progress("graph", 1)
    report = _validate(result.nquads, progress) if validate else None
    _install(result.nquads, store, nquads_path, progress)
    if progress:
        progress("store", 1)
    triples = result.nquads.count(b"\n")
    return BuildSummary(result, report, nquads_path, store, triples, time.perf_counter() - t0)


@dataclass
class IngestSummary:
    """What an ingest added: per table its kind-detected id, rows, quads and skipped rows."""

    tables: dict[str, dict[str, int]]
    skipped: list[SkippedRow]
    shacl: ShaclReport | None
    triples: int
    seconds: float
    read_seconds: float


def run_ingest(
    tables: list[Path],
    store: Path,
    nquads_path: Path,
    *,
    kind: str | None = None,
    on_error: str = "fail",
    validate: bool = True,
    progress: Progress | None = None,
) -> IngestSummary:
    """Add ``tables`` to the graph in ``store``: the current graph, less any graph of the same
    name, plus the new table graphs, with the derived graphs recomputed, validated and
    installed atomically. Nothing changes unless all of it succeeds.
    """
    from pyoxigraph import RdfFormat, parse, serialize

    from schoolkg.build.derive import derived_quads
    from schoolkg.build.graph import read_table, sort_nquads
    from schoolkg.store.embedded import EmbeddedStore

    t0 = time.perf_counter()
    new, stats, skipped = [], {}, []
    for path in tables:
        quads, ctx = read_table(path, path.name, {}, kind, on_error)
        new.extend(quads)
        stats[ctx.table_id] = {"rows": ctx.rows, "quads": len(quads), "skipped": len(ctx.skipped)}
        skipped.extend(ctx.skipped)
        if progress:
            progress("table", 1)
    read_seconds = time.perf_counter() - t0
    replaced = {q.graph_name.value for q in new}
    if Path(store).exists():
        current = list(parse(EmbeddedStore(store).dump_nquads(), RdfFormat.N_QUADS))
    else:  # a first ingest starts from the ontology
        from schoolkg.build.graph import ontology_quads
        from schoolkg.resources import ontology_dir

        current = list(ontology_quads(ontology_dir()))
    kept = [q for q in current if q.graph_name.value not in replaced and "/graph/derived/" not in q.graph_name.value]
    quads = kept + new
    quads.extend(derived_quads(quads))
    data = sort_nquads(serialize(quads, format=RdfFormat.N_QUADS))
    if progress:
        progress("graph", 1)
    report = _validate(data, progress) if validate else None
    _install(data, store, nquads_path, progress)
    if progress:
        progress("store", 1)
    return IngestSummary(stats, skipped, report, data.count(b"\n"), time.perf_counter() - t0, read_seconds)


def _validate(nquads: bytes, progress: Progress | None) -> ShaclReport:
    report = check_nquads(nquads)
    if progress:
        progress("validate", 1)
    if not report.conforms:
        raise ValidationError("the built graph violates ontology/shapes.ttl", report.summary())
    bad = quote_mismatches(nquads)
    if bad:
        raise ValidationError("quotes do not match their sources' text", "\n".join(bad))
    if progress:
        progress("quotes", 1)
    return report


def _install(nquads: bytes, store: Path, nquads_path: Path, progress: Progress | None = None) -> None:
    nquads_path.parent.mkdir(parents=True, exist_ok=True)
    for stale in nquads_path.parent.glob(f".{nquads_path.name}.*.tmp"):  # left by killed builds
        pid = stale.name.rsplit(".", 2)[-2]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            stale.unlink(missing_ok=True)
    tmp = nquads_path.with_name(f".{nquads_path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(nquads)
    if progress:
        progress("nquads", 1)
    try:
        install_store(tmp, store, progress)
        os.replace(tmp, nquads_path)
    finally:
        if tmp.exists():
            tmp.unlink()
