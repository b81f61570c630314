"""The one orchestrator: ingest -> extract -> map -> validate -> install.

Every other stage does one step and never calls a later one; this module runs them in order.
:func:`build_nquads` reads a corpus into sorted N-Quads, :func:`run_build` also validates and
installs them, :func:`run_ingest` adds tables to an installed graph, and :func:`extract_paths`
runs ingest and extract alone (for ``schoolkg extract``).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pyoxigraph import DefaultGraph, Quad, RdfFormat, parse

from schoolkg.errors import ConfigError, InputError, SchoolkgError, ValidationError
from schoolkg.extract.document import extract_document
from schoolkg.extract.lexicon import load_lexicon
from schoolkg.ingest.corpus import corpus_files, document_paths, table_files
from schoolkg.ingest.documents import read_document
from schoolkg.ingest.segment import segment_document
from schoolkg.mapping.derive import derived_quads
from schoolkg.mapping.findings import extraction_quads
from schoolkg.mapping.nquads import to_nquads
from schoolkg.mapping.ontology import extension_quads, ontology_quads
from schoolkg.mapping.tables.rows import map_table
from schoolkg.model import Extraction, SkippedRow
from schoolkg.resources import ontology_dir
from schoolkg.store.embedded import EmbeddedStore, install_nquads, install_store
from schoolkg.synth.graph import read_effects, thesaurus_practices, write_synth
from schoolkg.synth.model import SynthProfiles
from schoolkg.validate.report import validate_nquads
from schoolkg.validate.shacl import ShaclReport

if TYPE_CHECKING:
    from schoolkg.analysis.run import AnalysisResult
    from schoolkg.store.base import Store

__all__ = [
    "BuildResult",
    "BuildSummary",
    "IngestSummary",
    "Outcome",
    "Progress",
    "build_nquads",
    "build_ticks",
    "extract_paths",
    "ingest_ticks",
    "planned_ticks",
    "run_analysis",
    "run_build",
    "run_ingest",
    "run_synth",
    "SynthSummary",
]

Progress = Callable[[str, int], None]
"""Called with (step name, steps done) as a build goes."""

INSTALL_TICKS = 4
"""Progress steps of writing and installing a graph: N-Quads written, store loaded, link swapped, done."""


def planned_ticks(corpus: Path, extra_tables: list[Path] | None = None, validate: bool = True) -> int:
    """Progress steps :func:`run_build` will report for ``corpus`` (and extra tables or folders)."""
    docs, tables = corpus_files(corpus)
    return build_ticks(len(docs) + len(tables) + len(_tables(extra_tables)), validate)


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
class BuildResult:
    """The sorted N-Quads of a build and what went into it."""

    nquads: bytes
    documents: list[str] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    extractions: list[Extraction] = field(default_factory=list)
    table_stats: dict[str, dict[str, int]] = field(default_factory=dict)


def build_nquads(corpus: Path, progress: Progress | None = None, extra_tables: list[Path] | None = None) -> BuildResult:
    """Read every document and table of ``corpus`` and return the graph as sorted N-Quads.

    ``extra_tables`` are more CSV tables, or folders whose tables are all read.

    The same corpus always gives the same bytes: IRIs are minted from content, nothing
    depends on the time or order of reading, and lines are sorted.
    """
    tick = progress or (lambda _what, _n: None)
    extra_tables = _tables(extra_tables)
    thesaurus, gazetteer = load_lexicon()
    programme_iris = {p.name: p.iri for p in gazetteer.programmes.values()}
    result = BuildResult(b"")
    quads: list[Quad] = list(ontology_quads(ontology_dir()))
    quads.extend(extension_quads(corpus))
    docs, tables = corpus_files(corpus)
    texts: dict[str, str] = {}
    seen: dict[str, Path] = {}
    for path in docs:
        doc = read_document(path, corpus)
        if doc.id in seen:
            raise InputError(f"two documents have the id {doc.id!r}: also {seen[doc.id]}", path=path)
        seen[doc.id] = path
        ex = extract_document(segment_document(doc), thesaurus, gazetteer)
        quads.extend(extraction_quads(ex, programme_iris))
        texts[doc.id] = doc.text
        result.documents.append(doc.id)
        result.warnings.extend(ex.warnings)
        result.extractions.append(ex)
        tick("document", 1)
    for path, root in [(p, corpus) for p in tables] + [(p, p.parent) for p in extra_tables]:
        table_quads, ctx = map_table(path, path.relative_to(root).as_posix(), texts)
        quads.extend(table_quads)
        result.tables.append(ctx.table_id)
        result.table_stats[ctx.table_id] = {"rows": ctx.rows, "quads": len(table_quads)}
        tick("table", 1)
    quads.extend(derived_quads(quads))
    result.nquads = to_nquads(quads)
    return result


@dataclass
class BuildSummary:
    """What a build produced and how long it took."""

    result: BuildResult
    shacl: ShaclReport | None
    nquads_path: Path
    store_path: Path | str  # a folder, or the SPARQL endpoint URL a build published to
    triples: int
    seconds: float


def run_build(
    corpus: Path,
    store: Path | str,
    nquads_path: Path,
    *,
    validate: bool = True,
    progress: Progress | None = None,
    extra_tables: list[Path] | None = None,
    graph_store: str | None = None,
) -> BuildSummary:
    """Build ``corpus``; on success write ``nquads_path`` and replace ``store`` atomically.

    Nothing already stored changes unless every step succeeds, SHACL included. ``store`` may be
    a SPARQL endpoint URL: then each named graph is replaced on the server through the Graph
    Store Protocol at ``graph_store`` (and schoolkg graphs the build no longer makes are
    deleted), one graph at a time: a reader may see some graphs new and others old meanwhile.
    """
    t0 = time.perf_counter()
    result = build_nquads(corpus, progress, extra_tables)
    if progress:
        progress("graph", 1)
    report = _validate(result.nquads, progress) if validate else None
    if str(store).startswith(("http://", "https://")):
        _publish(result.nquads, str(store), graph_store, nquads_path)
        triples = result.nquads.count(b"\n")
        return BuildSummary(result, report, nquads_path, str(store), triples, time.perf_counter() - t0)
    install_nquads(result.nquads, Path(store), nquads_path, progress)
    if progress:
        progress("store", 1)
    triples = result.nquads.count(b"\n")
    return BuildSummary(result, report, nquads_path, Path(store), triples, time.perf_counter() - t0)


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
    _embedded_target(store)
    t0 = time.perf_counter()
    new: list[Quad] = []
    stats: dict[str, dict[str, int]] = {}
    skipped: list[SkippedRow] = []
    for path in tables:
        quads, ctx = map_table(path, path.name, {}, kind, on_error)
        new.extend(quads)
        stats[ctx.table_id] = {"rows": ctx.rows, "quads": len(quads), "skipped": len(ctx.skipped)}
        skipped.extend(ctx.skipped)
        if progress:
            progress("table", 1)
    read_seconds = time.perf_counter() - t0
    replaced = {_graph(q) for q in new}
    if Path(store).exists():
        current = list(parse(EmbeddedStore(store).dump_nquads(), RdfFormat.N_QUADS))
    else:  # a first ingest starts from the ontology
        current = list(ontology_quads(ontology_dir()))
    kept = [q for q in current if _graph(q) not in replaced and "/graph/derived/" not in _graph(q)]
    quads = kept + new
    quads.extend(derived_quads(quads))
    data = to_nquads(quads)
    if progress:
        progress("graph", 1)
    report = _validate(data, progress) if validate else None
    install_nquads(data, Path(store), nquads_path, progress)
    if progress:
        progress("store", 1)
    return IngestSummary(stats, skipped, report, data.count(b"\n"), time.perf_counter() - t0, read_seconds)


@dataclass
class Outcome:
    """What happened to one file: its extraction, or the one-line error that stopped it."""

    path: Path
    extraction: Extraction | None = None
    error: str | None = None


def extract_paths(targets: Iterable[Path]) -> Iterator[Outcome]:
    """Ingest and extract each document named or under a folder named, in sorted order.

    A file that cannot be read gives an Outcome with its error, not an exception.
    """
    thesaurus, gazetteer = load_lexicon()
    for path in document_paths(targets):
        try:
            doc = read_document(path, path.parent)
        except SchoolkgError as err:
            message = str(err)
            yield Outcome(path, error=message if str(path) in message else f"{path}: {message}")
            continue
        yield Outcome(path, extraction=extract_document(segment_document(doc), thesaurus, gazetteer))


@dataclass
class SynthSummary:
    """A synthetic graph: where it was written, the simulation behind it, the effects planted."""

    nquads_path: Path
    profiles: SynthProfiles
    planted: dict[int, float]
    store_path: Path | None = None


def run_synth(
    out: Path,
    schools: int,
    seed: int,
    *,
    effects: Path | None = None,
    correlation: float = 0.3,
    store: Path | None = None,
) -> SynthSummary:
    """Write a synthetic graph with the odds ratios of the ``effects`` CSV planted (``out/synth.nq``,
    ``out/truth.csv``) and, given ``store``, install it there (for validation and benchmarks)."""
    planted = read_effects(effects, thesaurus_practices()) if effects else {}
    path, sim = write_synth(out, schools, seed, planted, correlation=correlation)
    if store is not None:
        install_store(path, store)
    return SynthSummary(path, sim, planted, store)


def run_analysis(store: Store, out: Path, **options: Any) -> tuple[AnalysisResult, dict[str, Path]]:
    """``schoolkg analyse``: the analysis folder (:func:`~schoolkg.analysis.report.analyse_to_folder`)
    and its page, ``out/analysis.html`` (:func:`~schoolkg.viz.analysis_page.render_analysis_page`).

    The page draws ``out/analysis.json`` when this run wrote one (not a stale one), else the dict
    :func:`~schoolkg.viz.analysis_page.analysis_dict` builds from the result; practices without
    quotes get the quotes of their findings from the store.
    """
    import json

    from schoolkg.analysis.report import analyse_to_folder
    from schoolkg.viz.analysis_page import analysis_dict, render_analysis_page
    from schoolkg.viz.read import read_feature_quotes

    started = time.time()
    result, files = analyse_to_folder(store, out, **options)
    quotes = read_feature_quotes(store)
    written = out / "analysis.json"
    if "analysis.json" in files or (written.is_file() and written.stat().st_mtime >= started - 1):
        data = json.loads((out / "analysis.json").read_text(encoding="utf-8"))
        for p in data.get("practices") or []:
            if not p.get("quotes"):
                p["quotes"] = quotes.get(str(p.get("feature") or p.get("iri")), [])
        if "network" not in data:
            data["network"] = analysis_dict(result)["network"]
    else:
        data = analysis_dict(result, quotes)
    (out / "analysis.html").write_text(render_analysis_page(data), encoding="utf-8")
    files["analysis.html"] = out / "analysis.html"
    return result, files


def _embedded_target(store: Path | str) -> None:
    """Ingests write an embedded store folder; a URL is refused in one line."""
    if str(store).startswith(("http://", "https://", "http:/", "https:/")):
        raise ConfigError("builds write an embedded store; load graphs/schoolkg.nq into a remote server instead")


def _publish(nquads: bytes, url: str, graph_store: str | None, nquads_path: Path) -> None:
    """Write the dump, then replace the build's named graphs on the server at ``url``."""
    from schoolkg.iris import BASE
    from schoolkg.store.remote import RemoteStore

    remote = RemoteStore(url, graph_store=graph_store, timeout=600.0)
    remote.publish(nquads, f"{BASE}graph/")
    nquads_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = nquads_path.with_name(f".{nquads_path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(nquads)
    os.replace(tmp, nquads_path)


def _graph(quad: Quad) -> str:
    """The name of a quad's graph ('' for the default graph, which schoolkg never writes)."""
    return "" if isinstance(quad.graph_name, DefaultGraph) else quad.graph_name.value


def _tables(paths: list[Path] | None) -> list[Path]:
    """Tables named, and every table under folders named."""
    return [t for p in paths or [] for t in (table_files(p) if p.is_dir() else [p])]


def _validate(nquads: bytes, progress: Progress | None) -> ShaclReport:
    report = validate_nquads(nquads, stop_early=True)
    if progress:
        progress("validate", 1)
    if not report.shacl.conforms:
        raise ValidationError("the built graph violates ontology/shapes.ttl", report.shacl.summary())
    if report.quote_mismatches:
        raise ValidationError("quotes do not match their sources' text", "\n".join(report.quote_mismatches))
    if progress:
        progress("quotes", 1)
    return report.shacl
