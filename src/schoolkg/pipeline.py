"""The one orchestrator: ingest -> extract -> map -> validate -> install.

Every other stage does one step and never calls a later one; this module runs them in order.
:func:`build_nquads` reads a corpus into sorted N-Quads, :func:`run_build` also validates and
installs them, :func:`run_ingest` adds tables to an installed graph, and :func:`extract_paths`
runs ingest and extract alone (for ``schoolkg extract``).
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache as cache_result
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph
from pyoxigraph import DefaultGraph, Quad, RdfFormat, parse

from schoolkg.errors import ConfigError, InputError, SchoolkgError, StoreError, ValidationError
from schoolkg.extract.lexicon import load_lexicon
from schoolkg.ingest.corpus import corpus_files, document_paths, table_files
from schoolkg.ingest.documents import document_id, read_document
from schoolkg.ingest.segment import segment_document
from schoolkg.mapping.aggregates import aggregate_quads, write_aggregates
from schoolkg.mapping.derive import Facts, derived_quads, facts_quads, write_entailment
from schoolkg.mapping.nquads import merge_sorted, to_nquads, write_sorted
from schoolkg.mapping.ontology import extension_quads, ontology_quads
from schoolkg.mapping.tables.rows import map_table, table_quads
from schoolkg.model import Extraction, SegmentedDocument, SkippedRow
from schoolkg.resources import ontology_dir
from schoolkg.store.cache import CACHE_DIR, PartCache, file_sha256, tree_digest
from schoolkg.store.embedded import EmbeddedStore, dump_tmp, install_dump, install_nquads, install_store
from schoolkg.validate.report import ValidationReport, validate_nquads, validate_store
from schoolkg.validate.shacl import ShaclReport

if TYPE_CHECKING:
    from schoolkg.analysis.run import AnalysisResult
    from schoolkg.extract.gazetteer import Gazetteer
    from schoolkg.extract.thesaurus import Thesaurus
    from schoolkg.store.base import Store
    from schoolkg.synth.model import SynthProfiles
    from schoolkg.synth.reports import ReportPopulation

__all__ = [
    "BuildResult",
    "BuildSummary",
    "IngestSummary",
    "ON_ERROR",
    "Outcome",
    "Progress",
    "build_nquads",
    "build_ticks",
    "code_version",
    "extract_paths",
    "ingest_ticks",
    "planned_ticks",
    "run_analysis",
    "run_build",
    "run_ingest",
    "run_synth",
    "run_synth_reports",
    "SynthReportsSummary",
    "SynthSummary",
]


def extract_document(seg: SegmentedDocument, thesaurus: Thesaurus, gazetteer: Gazetteer) -> Extraction:
    """:func:`schoolkg.extract.document.extract_document`, imported when a build first extracts: the
    extractor's modules compile ~0.3 CPU-s of regular expressions, which ``schoolkg analyse`` and the
    other commands that import this module without extracting need not pay (issue 19)."""
    from schoolkg.extract.document import extract_document as extract

    return extract(seg, thesaurus, gazetteer)


def extraction_quads(ex: Extraction, programme_iris: dict[str, str]) -> Iterator[Quad]:
    """:func:`schoolkg.mapping.findings.extraction_quads`, imported on first use (it imports the extractor)."""
    from schoolkg.mapping.findings import extraction_quads as quads

    return quads(ex, programme_iris)


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

    One a source, then the derived graphs and the aggregates, validation (SHACL, quotes) and the
    install steps.

    >>> build_ticks(11, True)
    19
    """
    return inputs + 2 + (2 if validate else 0) + INSTALL_TICKS


def ingest_ticks(tables: int, validate: bool) -> int:
    """Progress steps of an ingest of ``tables`` tables.

    >>> ingest_ticks(1, False)
    6
    """
    return tables + 1 + (2 if validate else 0) + INSTALL_TICKS


@dataclass
class BuildResult:
    """What went into a build: sources read or reused, warnings, failures; the dump's bytes only
    from :func:`build_nquads` (a build streams its dump to a file instead)."""

    nquads: bytes = b""
    documents: list[str] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    table_stats: dict[str, dict[str, int]] = field(default_factory=dict)
    failed: list[str] = field(default_factory=list)
    extracted: int = 0
    reused: int = 0


ON_ERROR = ("fail", "skip")
"""What a build does with a document or table it cannot read: stop, or record it and go on."""


def build_nquads(corpus: Path, progress: Progress | None = None, extra_tables: list[Path] | None = None) -> BuildResult:
    """Read every document and table of ``corpus`` and return the graph as sorted N-Quads.

    ``extra_tables`` are more CSV tables, or folders whose tables are all read. The same
    corpus always gives the same bytes: IRIs are minted from content, nothing depends on the
    time or order of reading, and lines are sorted. (Holds the dump in memory; builds
    stream it to a file with :func:`run_build`.)
    """
    import tempfile

    with tempfile.TemporaryDirectory(prefix="schoolkg-build-") as tmp:
        out = Path(tmp) / "g.nq"
        result, _, _ = _build_dump(
            corpus, out, PartCache(Path(tmp) / "cache"), _tables(extra_tables), progress, 1, "fail"
        )
        result.nquads = out.read_bytes()
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
    jobs: int | None = None,
    on_error: str = "fail",
    cache: Path | None = None,
) -> BuildSummary:
    """Build ``corpus``; on success write ``nquads_path`` and replace ``store`` atomically.

    Documents and tables are read in ``jobs`` worker processes (default: one a core), each
    into its own sorted N-Quads part, cached under ``cache`` (default ``.schoolkg-cache/``
    beside the store) by the SHA-256 of its input and the version of the code: a source
    unchanged since the last build is not read again. The parts are merged (an external
    merge sort) into the dump, which the store is bulk-loaded from; nothing holds the whole
    graph in memory except, for now, SHACL validation. ``on_error="skip"`` leaves out a
    source that cannot be read and records why in ``result.failed``; ``"fail"`` stops.

    Nothing already stored changes unless every step succeeds, SHACL included. ``store`` may be
    a SPARQL endpoint URL: then each named graph is replaced on the server through the Graph
    Store Protocol at ``graph_store`` (and schoolkg graphs the build no longer makes are
    deleted), one graph at a time: a reader may see some graphs new and others old meanwhile.
    """
    t0 = time.perf_counter()
    if on_error not in ON_ERROR:
        raise ConfigError(f"unknown --on-error {on_error!r}; use fail or skip")
    if jobs is not None and jobs < 1:
        raise ConfigError(f"--jobs must be at least 1, not {jobs}")
    tables = _tables(extra_tables)
    _outside_inputs(nquads_path, corpus, extra_tables or [])
    remote = str(store).startswith(("http://", "https://"))
    if cache is None:
        base = nquads_path.parent if remote else Path(store).parent
        cache = base / CACHE_DIR / ("remote" if remote else Path(store).name)
    parts = PartCache(cache)
    tmp = dump_tmp(nquads_path)
    # the dump the live graph was installed from, when that graph was validated by this code: then
    # only what changed since is validated (schoolkg.validate.incremental)
    last = None if remote else _Installed.read(parts, nquads_path)
    before = nquads_path if validate and last is not None and last.validator == _validator_version() else None
    try:
        result, keys, files = _build_dump(corpus, tmp, parts, tables, progress, jobs or os.cpu_count() or 1, on_error)
        triples = _count_lines(tmp)
        if last is not None:
            last.expect(files, nquads_path, tmp, triples)
        checked: list[ShaclReport] = []

        def check(loaded: pyoxigraph.Store | None) -> None:
            if validate:
                checked.append(_validate(loaded, tmp, progress, before, parts.root))

        if remote:
            check(None)
            _publish(tmp.read_bytes(), str(store), graph_store, nquads_path)
        else:
            install_dump(tmp, Path(store), nquads_path, progress, check)
    finally:
        tmp.unlink(missing_ok=True)
    if not remote:
        _Installed.write(parts, Path(store), files, _validator_version() if validate else None)
    parts.prune(keys)
    if progress:
        progress("store", 1)
    target: Path | str = str(store) if remote else Path(store)
    report = checked[0] if checked else None
    return BuildSummary(result, report, nquads_path, target, triples, time.perf_counter() - t0)


def _build_dump(
    corpus: Path,
    out: Path,
    cache: PartCache,
    extra_tables: list[Path],
    progress: Progress | None,
    jobs: int,
    on_error: str,
) -> tuple[BuildResult, set[str], _Files]:
    """Make or reuse every source's part, derive, and merge all into sorted N-Quads at ``out``.

    Returns what went in, the cache keys used, and the files merged (the parts, and the derived,
    entailment and aggregate graphs, kept under ``graphs/`` in the cache for the next build's
    difference; a part about to be made again under its key is kept under ``previous/`` first).
    """
    docs, tables = corpus_files(corpus)
    version = code_version()
    result = BuildResult()
    sources: list[_Source] = [_ontology_source(corpus, cache, version)]
    ids: dict[str, Path] = {}
    for path in docs:
        doc_id = document_id(path)
        if doc_id in ids:
            raise InputError(f"two documents have the id {doc_id!r}: also {ids[doc_id]}", path=path)
        ids[doc_id] = path
        rel = path.relative_to(corpus).as_posix()
        sources.append(_Source("document", path, rel, _key(cache, "document", path, rel, version), corpus))
    for path, root in [(p, corpus) for p in tables] + [(p, p.parent) for p in extra_tables]:
        rel = path.relative_to(root).as_posix()
        sources.append(_Source("table", path, rel, _key(cache, "table", path, rel, version), root))
    doc_keys = {document_id(s.path): s.key for s in sources if s.kind == "document"}
    todo = [s for s in sources[1:] if not _reusable(cache, s, doc_keys)]
    meter = _Meter(progress, len(sources) - 1)
    todo_keys = {s.key for s in todo}  # a set: `s in todo` compared every pair (minutes at 10k documents)
    for s in sources[1:]:
        if s.key not in todo_keys:
            meter.tick(s.kind, reused=True)
    paths = {i: str(p) for i, p in ids.items()}
    _keep_previous(cache, [cache.part(s.key) for s in todo])
    failed = _run_sources(todo, cache, paths, doc_keys, corpus, jobs, on_error, meter)
    result.extracted, result.reused = len(todo) - len(failed), len(sources) - 1 - len(todo)
    facts = Facts()
    used: list[Path] = []
    for s in sources:
        if s.key in failed:
            result.failed.append(failed[s.key])
            continue
        meta = cache.meta(s.key)
        if meta is None:  # pragma: no cover - a part deleted while building
            raise StoreError(f"the build cache lost the part of {s.path}; build again")
        facts.merge(Facts.from_json(meta["facts"]))
        used.append(cache.part(s.key))
        if s.kind == "document":
            result.documents.append(meta["id"])
            result.warnings.extend(meta["warnings"])
        elif s.kind == "table":
            result.tables.append(meta["id"])
            result.table_stats[meta["id"]] = {"rows": meta["rows"], "quads": meta["quads"]}
    graphs = cache.root / "graphs"
    graphs.mkdir(exist_ok=True)
    stamp = f"{time.time_ns()}-{os.getpid()}"
    derived = graphs / f".derived-{stamp}.nq"
    aggregates = graphs / f".aggregates-{stamp}.nq"
    entailed = graphs / f".entailed-{stamp}.nq"
    kept: dict[str, Path] = {}
    try:
        write_sorted(facts_quads(facts), derived)
        if progress:
            progress("graph", 1)
        # the entailment closure (issue 17) and the aggregate graphs (issue 19) read the parts
        # streamed, never the whole graph; entailment spills what it adds in sorted runs, and
        # keeps each cached part's runs beside it (an unchanged part is not parsed again)
        write_entailment([*used, derived], entailed, kept=_entailment_home if used else None)
        write_aggregates([*used, derived], aggregates)
        if progress:
            progress("aggregates", 1)
        lines = merge_sorted([*used, derived, entailed, aggregates], out, _merge_progress(progress))
        for name, tmp in (("derived", derived), ("entailed", entailed), ("aggregates", aggregates)):
            kept[name] = tmp.with_name(tmp.name[1:])
            os.replace(tmp, kept[name])
    finally:
        for tmp in (derived, entailed, aggregates):
            tmp.unlink(missing_ok=True)
    if progress:
        progress(f"nquads {lines:,} quads", 1)
    return result, {s.key for s in sources if s.key not in failed}, _Files(used, kept)


def _entailment_home(path: Path, axioms: str) -> Path | None:
    """Where a cached part's entailment runs are kept (beside it, named by its key, so pruned with
    it) for axioms of digest ``axioms`` and this version of the part (size, modification time,
    inode: a part made again under its key gets new ones); None for a file that is not a part.
    Runs for another version or other axioms are deleted when new ones are about to be written."""
    if path.parent.parent.name != "parts" or path.suffix != ".nq":
        return None
    st = path.stat()
    key = path.name.split(".", 1)[0]
    home = path.with_name(f"{key}.entail-{axioms}-{st.st_size}-{st.st_mtime_ns}-{st.st_ino}")
    if not home.with_name(f"{home.name}.added.nq").is_file():
        for old in path.parent.glob(f"{key}.entail-*"):
            old.unlink(missing_ok=True)
    return home


def _stream(paths: list[Path]) -> Iterator[Quad]:
    """The quads of N-Quads files, one file after another, read as they are used."""
    for path in paths:
        yield from parse(path=str(path), format=RdfFormat.N_QUADS)


@dataclass(frozen=True)
class _Source:
    """One input of a build: the ontology and extensions, a document or a table."""

    kind: str
    path: Path
    rel: str
    key: str
    root: Path


def code_version() -> str:
    """Digest of what turns inputs into quads: ingest, extract and mapping code, the ground
    floor, and the ontology folder. A change to any of them makes every cached part stale."""
    return _code_version()


@cache_result
def _code_version() -> str:
    pkg = Path(__file__).resolve().parent
    floor = [pkg / f"{m}.py" for m in ("model", "errors", "iris", "vocab", "resources")]
    return tree_digest([pkg / "ingest", pkg / "extract", pkg / "mapping", ontology_dir()], floor)


def _key(cache: PartCache, kind: str, path: Path, rel: str, version: str) -> str:
    try:
        sha = cache.sha256(path)
    except OSError as err:
        raise InputError(f"cannot read the file: {err.strerror or err}", path=path) from None
    return hashlib.sha256(f"{kind}\0{rel}\0{sha}\0{version}".encode()).hexdigest()


def _reusable(cache: PartCache, source: _Source, doc_keys: dict[str, str]) -> bool:
    """Whether ``source``'s part is cached, made from the same documents it quotes (figures)."""
    meta = cache.meta(source.key)
    if meta is None:
        return False
    return all(doc_keys.get(d) == k for d, k in meta.get("documents", {}).items())


def _ontology_source(corpus: Path, cache: PartCache, version: str) -> _Source:
    """The ontology and the corpus's extensions, as one part (made here: it takes milliseconds)."""
    ext = corpus / "ontology"
    files = sorted(p for p in ext.iterdir() if p.is_file()) if ext.is_dir() else []
    digest = hashlib.sha256(version.encode())
    for p in files:
        digest.update(p.name.encode() + b"\0" + file_sha256(p).encode())
    source = _Source("ontology", ext, "ontology", digest.hexdigest(), corpus)
    if cache.meta(source.key) is None:
        quads = [*ontology_quads(ontology_dir()), *extension_quads(corpus)]
        part = cache.part(source.key)
        part.parent.mkdir(parents=True, exist_ok=True)
        lines = write_sorted(quads, _tmp_beside(part))
        os.replace(_tmp_beside(part), part)
        cache.put_meta(source.key, {"id": "ontology", "quads": lines, "facts": Facts(quads).to_json()})
    return source


def _run_sources(
    todo: list[_Source],
    cache: PartCache,
    doc_paths: dict[str, str],
    cache_keys: dict[str, str],
    corpus: Path,
    jobs: int,
    on_error: str,
    meter: _Meter,
) -> dict[str, str]:
    """Make the parts of ``todo``, in worker processes when more than one; return failures by key."""
    failed: dict[str, str] = {}
    # only a table reads the documents' paths (the figures it quotes): a document's task carries none, as
    # every task is pickled to a worker and n documents each carrying n paths grew as n squared
    tasks = [
        (s.kind, str(s.path), s.rel, str(s.root), str(cache.part(s.key)), _paths_for(s.kind, doc_paths), str(corpus))
        for s in todo
    ]

    def done(source: _Source, out: dict[str, Any]) -> None:
        if "error" in out:
            err = out["error"]
            if on_error == "fail":
                raise err
            failed[source.key] = str(err) if str(source.path) in str(err) else f"{source.path}: {err}"
            meter.tick(source.kind, failed=True)
            return
        if source.kind == "table":
            out["documents"] = {d: cache_keys.get(d) for d in out.pop("used", [])}
        cache.put_meta(source.key, out)
        meter.tick(source.kind)

    _WORKER.pop("lexicon", None)  # each build reads the ontology as it is now
    if jobs == 1 or len(todo) < 2:
        _init_worker(None, meter.note)
        for source, task in zip(todo, tasks, strict=True):
            done(source, _make_part(*task))
        return failed
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    _lexicon()  # loaded once here, inherited by forked workers
    ctx = multiprocessing.get_context("fork")
    notes = ctx.SimpleQueue()
    order = sorted(range(len(todo)), key=lambda i: (todo[i].kind != "table", i))  # long tables first
    with ProcessPoolExecutor(
        min(jobs, len(todo)), mp_context=ctx, initializer=_init_worker, initargs=(notes, None)
    ) as pool:
        pending = {pool.submit(_make_part, *tasks[i]): todo[i] for i in order}
        try:
            while pending:
                finished, _ = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
                while not notes.empty():
                    meter.note(notes.get(), 0)
                for fut in finished:
                    done(pending.pop(fut), fut.result())
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    return failed


def _paths_for(kind: str, doc_paths: dict[str, str]) -> dict[str, str]:
    """The document paths a source's task carries: all for a table, none for a document."""
    return doc_paths if kind == "table" else {}


_WORKER: dict[str, Any] = {}


def _init_worker(notes: Any, note: Callable[[str, int], None] | None) -> None:
    """Set where a worker's progress notes go: a queue to the parent, or a callback in-process."""
    _WORKER["notes"], _WORKER["note"] = notes, note


def _note(message: str) -> None:
    if _WORKER.get("notes") is not None:
        _WORKER["notes"].put(message)
    elif _WORKER.get("note") is not None:
        _WORKER["note"](message, 0)


def _make_part(
    kind: str, path: str, rel: str, root: str, part: str, doc_paths: dict[str, str], corpus: str
) -> dict[str, Any]:
    """Read one document or table into its sorted N-Quads part; return its metadata, or the
    error that stopped it (``{"error": err}``). Runs in a worker process."""
    out, tmp = Path(part), _tmp_beside(Path(part))
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        if kind == "document":
            thesaurus, gazetteer, programme_iris = _lexicon()
            doc = read_document(Path(path), Path(root))
            ex = extract_document(segment_document(doc), thesaurus, gazetteer)
            quads = list(extraction_quads(ex, programme_iris))
            lines = write_sorted(quads, tmp)
            meta: dict[str, Any] = {"id": doc.id, "warnings": list(ex.warnings), "quads": lines}
            meta["facts"] = Facts(quads).to_json()
        else:
            texts = _LazyTexts(doc_paths, Path(corpus))
            name = Path(path).name
            stream, ctx = table_quads(
                Path(path), rel, texts, on_rows=lambda line: _note(f"table {name}: line {line:,}")
            )
            facts = Facts()
            lines = write_sorted(_indexed(stream, facts), tmp)
            meta = {"id": ctx.table_id, "rows": ctx.rows, "quads": lines, "facts": facts.to_json()}
            meta["used"] = sorted(texts.used)
        os.replace(tmp, out)
        return meta
    except SchoolkgError as err:
        return {"error": err}
    finally:
        tmp.unlink(missing_ok=True)


def _lexicon() -> tuple[Any, Any, dict[str, str]]:
    """The thesaurus, gazetteer and programme IRIs, loaded once a process (forked workers inherit them)."""
    if "lexicon" not in _WORKER:
        thesaurus, gazetteer = load_lexicon()
        _WORKER["lexicon"] = (thesaurus, gazetteer, {p.name: p.iri for p in gazetteer.programmes.values()})
    return _WORKER["lexicon"]


def _indexed(quads: Iterable[Quad], facts: Facts) -> Iterator[Quad]:
    for q in quads:
        facts.add((q,))
        yield q


class _LazyTexts(Mapping[str, str]):
    """Documents' texts by id, read only when a table asks for one (figures quote documents)."""

    def __init__(self, paths: dict[str, str], corpus: Path) -> None:
        self._paths, self._corpus = paths, corpus
        self.used: set[str] = set()

    def __getitem__(self, doc_id: str) -> str:
        self.used.add(doc_id)  # asked for, found or not: its arrival or change makes the table stale
        path = self._paths[doc_id]
        try:
            return read_document(Path(path), self._corpus).text
        except SchoolkgError:
            raise KeyError(doc_id) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)


class _Meter:
    """Ticks for each source done, with counts, rate and time left in the step's name."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress, self.total, self.done, self.failed = progress, total, 0, 0
        self.t0 = time.perf_counter()
        self.made = 0

    def tick(self, kind: str, reused: bool = False, failed: bool = False) -> None:
        self.done += 1
        self.failed += failed
        if not reused:
            self.made += 1
        if self.progress is None:
            return
        elapsed = time.perf_counter() - self.t0
        rate = self.made / elapsed if elapsed > 0 and self.made else 0.0
        left = (self.total - self.done) / rate if rate else 0.0
        extra = f", {self.failed} failed" if self.failed else ""
        how = "reused" if reused else f"{rate:.1f}/s, {left:.0f}s left{extra}"
        self.progress(f"{kind} {self.done}/{self.total} ({how})", 1)

    def note(self, message: str, n: int = 0) -> None:
        if self.progress is not None:
            self.progress(message, n)


def _merge_progress(progress: Progress | None) -> Callable[[int], None] | None:
    if progress is None:
        return None
    return lambda lines: progress(f"nquads {lines:,} quads merged", 0)


def _shape_progress(progress: Progress | None) -> Callable[[str, int, int, float], None] | None:
    """The whole-graph SHACL check's progress as lines: each shape done, of how many, and an ETA."""
    if progress is None:
        return None
    t0 = time.perf_counter()

    def shape_done(shape: str, done: int, total: int, _seconds: float) -> None:
        spent = time.perf_counter() - t0
        left = spent / done * (total - done)
        progress(f"validate: {shape} ({done}/{total} shapes, {spent:,.0f} s, ~{left:,.0f} s left)", 0)

    return shape_done


def _tmp_beside(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def _count_lines(path: Path) -> int:
    n = 0
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            n += chunk.count(b"\n")
    return n


def _outside_inputs(nquads_path: Path, corpus: Path, folders: list[Path]) -> None:
    """Refuse a dump path inside the corpus or a table folder (the next build would read it)."""
    dump = nquads_path.resolve()
    for folder in [corpus, *(f for f in folders if f.is_dir())]:
        if dump.is_relative_to(folder.resolve()):
            raise ConfigError(f"--nquads {nquads_path} is inside the input folder {folder}; write the dump outside it")


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
    kept = [q for q in current if _graph(q) not in replaced and not _recomputed(_graph(q))]
    quads = kept + new
    quads.extend(derived_quads(quads))
    quads.extend(aggregate_quads(quads))
    data = to_nquads(quads)
    if progress:
        progress("graph", 1)
    checked: list[ShaclReport] = []

    def check(loaded: pyoxigraph.Store) -> None:
        if validate:
            checked.append(_validate(loaded, data, progress))

    install_nquads(data, Path(store), nquads_path, progress, check)
    report = checked[0] if checked else None
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
    ks2: bool = False,
    ks2_effects: Path | None = None,
) -> SynthSummary:
    """Write a synthetic graph with the odds ratios of the ``effects`` CSV planted (``out/synth.nq``,
    ``out/truth.csv``) and, given ``store``, install it there (for validation and benchmarks).
    With ``ks2`` (or a ``ks2_effects`` CSV ``practice,points``) also KS2 results 2016/17-2018/19 with
    those practice -> attainment effects planted (``out/truth-ks2.csv``)."""
    from schoolkg.synth.graph import read_effects, read_ks2_effects, thesaurus_practices, write_synth

    practices = thesaurus_practices()
    planted = read_effects(effects, practices) if effects else {}
    points = read_ks2_effects(ks2_effects, practices) if ks2_effects else ({} if ks2 else None)
    path, sim = write_synth(out, schools, seed, planted, correlation=correlation, ks2=points)
    if store is not None:
        install_store(path, store)
    return SynthSummary(path, sim, planted, store)


@dataclass
class SynthReportsSummary:
    """A synthetic report corpus: where, the population behind it, documents written per medium."""

    out: Path
    population: ReportPopulation
    media: dict[str, int]


def run_synth_reports(
    out: Path, schools: int, seed: int, *, effects: Path | None = None, confounding: float = 1.0
) -> SynthReportsSummary:
    """Write inspection reports (PDF, HTML, text) with planted practice effects and their outcomes table
    as a corpus folder ``out`` (``documents/``, ``tables/``) for ``schoolkg build --corpus out``, with
    ``out/truth.csv`` and ``out/statements.csv`` (see :mod:`schoolkg.synth.reports`)."""
    from schoolkg.synth.reports import read_feature_effects, simulate_reports, write_reports

    planted = read_feature_effects(effects) if effects else {}
    pop = simulate_reports(schools, seed, planted, confounding=confounding)
    media = write_reports(out, pop, seed=seed)
    return SynthReportsSummary(out, pop, media)


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
    written = out / "analysis.json"
    if "analysis.json" in files or (written.is_file() and written.stat().st_mtime >= started - 1):
        data = json.loads((out / "analysis.json").read_text(encoding="utf-8"))
        missing = [p for p in data.get("practices") or [] if not p.get("quotes")]
        quotes = read_feature_quotes(store) if missing else {}  # one read of the store, only when needed
        for p in missing:
            p["quotes"] = quotes.get(str(p.get("feature") or p.get("iri")), [])
        if "network" not in data:
            data["network"] = analysis_dict(result)["network"]
    else:
        data = analysis_dict(result, read_feature_quotes(store))
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


def _recomputed(graph: str) -> bool:
    """Whether every build and ingest recomputes ``graph`` (derived and aggregate graphs)."""
    return "/graph/derived/" in graph or "/graph/aggregates/" in graph


def _graph(quad: Quad) -> str:
    """The name of a quad's graph ('' for the default graph, which schoolkg never writes)."""
    return "" if isinstance(quad.graph_name, DefaultGraph) else quad.graph_name.value


def _tables(paths: list[Path] | None) -> list[Path]:
    """Tables named, and every table under folders named."""
    return [t for p in paths or [] for t in (table_files(p) if p.is_dir() else [p])]


class _UnionAsSet:
    """A freshly installed store queried as :class:`~schoolkg.store.embedded.EmbeddedStore` does:
    its default graph already holds the union's distinct triples (``install_store`` loads it before
    the check), so queries read it, not ``use_default_graph_as_union`` over the named graphs *and*
    that copy, which returned every triple twice and every k-pattern join row up to 2^k times (the
    quote check of a 1,000-report build: 14 s for what takes 1.5 s)."""

    def __init__(self, store: pyoxigraph.Store) -> None:
        self._store = store

    def query(self, sparql: str) -> Any:
        return self._store.query(sparql)


def _validate(
    store: pyoxigraph.Store | None,
    nquads: Path | bytes,
    progress: Progress | None,
    before: Path | None = None,
    work: Path | None = None,
) -> ShaclReport:
    """The one validation call of a build: SHACL, then quotes, on the graph about to be installed.

    ``store`` is the newly loaded store, checked in place by the shapes compiled to SPARQL
    (:func:`schoolkg.validate.report.validate_store`); when publishing to a server there is
    no local store (None) and ``nquads``, the dump, is loaded into an in-memory one. Given
    ``before``, a dump of a graph that passed these checks, and ``nquads`` as a file, only the
    nodes and documents the two dumps' difference can have changed are checked
    (:mod:`schoolkg.validate.incremental`): the same verdict and violations as the whole check.
    """
    report = None
    if store is not None and before is not None and isinstance(nquads, Path):
        report = _validate_change(store, before, nquads, work or nquads.parent)
    if report is None and store is not None:
        report = validate_store(_UnionAsSet(store), stop_early=True, progress=_shape_progress(progress))
    elif report is None:
        report = validate_nquads(nquads.read_bytes() if isinstance(nquads, Path) else nquads, stop_early=True)
    if progress:
        progress("validate", 1)
    if not report.shacl.conforms:
        raise ValidationError("the built graph violates ontology/shapes.ttl", report.shacl.summary())
    if report.quote_mismatches:
        raise ValidationError("quotes do not match their sources' text", "\n".join(report.quote_mismatches))
    if progress:
        progress("quotes", 1)
    return report.shacl


def _validate_change(store: pyoxigraph.Store, before: Path, after: Path, work: Path) -> ValidationReport | None:
    """The validation report of ``store`` (the graph of the dump ``after``) checked where it differs
    from the validated graph of the dump ``before``, or None when the whole graph must be checked."""
    from schoolkg.store.delta import diff_sorted
    from schoolkg.validate.evidence import store_quote_mismatches
    from schoolkg.validate.incremental import changed_documents, check_changed
    from schoolkg.validate.shacl import report_of

    delta = diff_sorted(before, after, work)
    try:
        if delta.blank:
            return None
        changed = [*_stream([delta.removed, delta.added])]
    finally:
        delta.discard()
    found = check_changed(store, changed)
    if found is None:
        return None
    shacl = report_of(found, "sparql")
    docs = changed_documents(store, changed) if shacl.conforms else set()
    bad = tuple(store_quote_mismatches(_UnionAsSet(store), documents=docs)) if docs else ()
    return ValidationReport(shacl, bad)


def _validator_version() -> str:
    """Digest of what a validation verdict depends on: the validation code and the shapes."""
    pkg = Path(__file__).resolve().parent
    return tree_digest([pkg / "validate"], [ontology_dir() / "shapes.ttl"])


@dataclass
class _Files:
    """The files a build merged into its dump: the sources' parts, and the whole-graph parts by name."""

    parts: list[Path]
    graphs: dict[str, Path]


_INSTALLED = "installed.json"
"""The file in a build cache describing the last graph installed: its dump's SHA-256, the files merged
into it (path, size, modification time, inode) and, when it was validated, by which checks."""

_Stamp = tuple[str, int, int, int]


def _stamp(path: Path) -> _Stamp:
    st = path.stat()
    return (str(path.resolve()), st.st_size, st.st_mtime_ns, st.st_ino)


@dataclass
class _Installed:
    """What the last install was made of (see :data:`_INSTALLED`), when its dump is still the current one."""

    parts: list[_Stamp]
    graphs: dict[str, _Stamp]
    validator: str | None
    root: Path

    @classmethod
    def read(cls, cache: PartCache, dump: Path) -> _Installed | None:
        import json

        from schoolkg.store.delta import dump_sha256

        try:
            record = json.loads((cache.root / _INSTALLED).read_text(encoding="utf-8"))
            if not dump.is_file() or record["dump"] != dump_sha256(dump):
                return None
            parts = [tuple(p) for p in record["parts"]]
            graphs = {k: tuple(v) for k, v in record["graphs"].items()}
            return cls(parts, graphs, record.get("validator"), cache.root)
        except (OSError, ValueError, KeyError, TypeError):
            return None

    @staticmethod
    def write(cache: PartCache, store: Path, files: _Files, validator: str | None) -> None:
        """Describe the graph just installed at ``store`` (its folder's marker names its dump); drop
        the whole-graph parts and kept parts no longer needed."""
        import json
        import shutil

        from schoolkg.store.delta import read_marker

        path = cache.root / _INSTALLED
        digest = read_marker(store.resolve())
        if digest is None:
            path.unlink(missing_ok=True)
            return
        record = {
            "dump": digest,
            "validator": validator,
            "parts": [_stamp(p) for p in files.parts],
            "graphs": {k: _stamp(p) for k, p in files.graphs.items()},
        }
        tmp = _tmp_beside(path)
        tmp.write_text(json.dumps(record), encoding="utf-8")
        os.replace(tmp, path)
        keep = {p.name for p in files.graphs.values()}
        for p in (cache.root / "graphs").iterdir():
            if p.name not in keep:
                p.unlink(missing_ok=True)
        shutil.rmtree(cache.root / "previous", ignore_errors=True)

    def expect(self, files: _Files, old: Path, new: Path, new_lines: int) -> None:
        """Tell the dump difference (:func:`schoolkg.store.delta.expect_difference`) which lines can
        differ between the last dump ``old`` and the new one ``new``: those of the parts merged into
        one and not the other (the dumps are the de-duplicated unions of their parts), and the lines
        that differ between the two versions of each whole-graph part. Nothing is said when a part of
        the last build is gone (then the two dumps are walked)."""
        from schoolkg.store.delta import expect_difference, file_difference

        now = {_stamp(p) for p in files.parts}
        before = set(self.parts)
        removed: set[bytes] = set()
        added: set[bytes] = set()
        for st in before - now:
            path = self._content(st)
            if path is None:
                return
            removed.update(_lines_of(path))
        for st in now - before:
            added.update(_lines_of(Path(st[0])))
        for name, path in files.graphs.items():
            last = self.graphs.get(name)
            old_path = self._content(last) if last is not None else None
            if old_path is None:
                return
            if _stamp(path) == last:
                continue
            gone, came = file_difference(old_path, path)
            removed.update(gone)
            added.update(came)
        expect_difference(old, new, removed, added, new_lines)

    def _content(self, st: _Stamp) -> Path | None:
        """Where the file of stamp ``st`` still is: its path, or its copy kept under ``previous/``."""
        for path in (Path(st[0]), self.root / "previous" / Path(st[0]).name):
            try:
                if _stamp(path)[1:] == st[1:]:
                    return path
            except OSError:
                continue
        return None


def _lines_of(path: Path) -> list[bytes]:
    with path.open("rb") as fh:
        return [line if line.endswith(b"\n") else line + b"\n" for line in fh]


def _keep_previous(cache: PartCache, paths: list[Path]) -> None:
    """Hard-link the parts about to be made again under ``previous/`` (the last dump's difference
    needs their old lines); an empty ``previous/`` otherwise."""
    import shutil

    folder = cache.root / "previous"
    shutil.rmtree(folder, ignore_errors=True)
    existing = [p for p in paths if p.is_file()]
    if not existing:
        return
    folder.mkdir()
    for p in existing:
        os.link(p, folder / p.name)
