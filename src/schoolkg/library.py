"""The library calls behind ``import schoolkg``: each runs a stage (or the pipeline) on plain arguments."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from schoolkg.errors import ConfigError, InputError

# Three stages share a name with a library function. Their (empty) packages are imported here,
# before schoolkg/__init__.py binds the functions to those names, so ``schoolkg.extract`` (and
# ingest, validate) is the function, and importing a stage's module later cannot replace it.
# Import a stage's modules with ``from schoolkg.extract.document import ...``.
for _stage in ("extract", "ingest", "validate"):
    importlib.import_module(f"schoolkg.{_stage}")

if TYPE_CHECKING:
    import networkx as nx

    from schoolkg.analysis.run import AnalysisResult
    from schoolkg.model import Extraction
    from schoolkg.pipeline import BuildSummary, IngestSummary, Progress
    from schoolkg.queries.execute import QueryResult
    from schoolkg.store.base import Store
    from schoolkg.validate.report import ValidationReport

__all__ = ["analyse", "build", "extract", "ingest", "open_store", "query", "validate", "view"]


def build(
    corpus: str | Path = "corpus",
    store: str | Path = "graphs/store",
    *,
    nquads: str | Path = "graphs/schoolkg.nq",
    validate: bool = True,
    extra_tables: Iterable[str | Path] = (),
    progress: Progress | None = None,
    graph_store: str | None = None,
    jobs: int | None = None,
    on_error: str = "fail",
) -> BuildSummary:
    """Build the graph of ``corpus`` (documents/, tables/, ontology/) and install it at ``store``.

    Writes the sorted N-Quads to ``nquads``. Nothing already installed changes unless every
    step succeeds (SHACL and the quote check included, unless ``validate=False``). ``store``
    may be a SPARQL endpoint URL: each named graph is then replaced on that server through
    the Graph Store Protocol endpoint ``graph_store``. Sources are read in ``jobs`` worker
    processes (default one a core) and cached beside the store, so a rebuild reads only what
    changed; ``on_error="skip"`` leaves out (and lists in ``result.failed``) sources that
    cannot be read.
    """
    from schoolkg.pipeline import run_build

    tables = [Path(p) for p in extra_tables]
    target = str(store) if str(store).startswith(("http://", "https://")) else Path(store)
    return run_build(
        Path(corpus),
        target,
        Path(nquads),
        validate=validate,
        progress=progress,
        extra_tables=tables,
        graph_store=graph_store,
        jobs=jobs,
        on_error=on_error,
    )


def ingest(
    tables: Iterable[str | Path],
    store: str | Path = "graphs/store",
    *,
    nquads: str | Path = "graphs/schoolkg.nq",
    kind: str | None = None,
    on_error: str = "fail",
    validate: bool = True,
    progress: Progress | None = None,
) -> IngestSummary:
    """Add CSV ``tables`` to the graph at ``store`` (each replaces its own graph), atomically."""
    from schoolkg.pipeline import run_ingest

    return run_ingest(
        [Path(p) for p in tables],
        Path(store),
        Path(nquads),
        kind=kind,
        on_error=on_error,
        validate=validate,
        progress=progress,
    )


def open_store(path_or_url: str | Path, **options: Any) -> Store:
    """The store at a folder (embedded, read-only) or a SPARQL 1.1 endpoint ``http(s)://`` URL."""
    from schoolkg.store.base import open_store as _open

    return _open(path_or_url, **options)


def query(store: Store | str | Path, name_or_text: str | Path, /, **params: str) -> QueryResult:
    """Run a catalogue query by name, SPARQL text, or a ``.rq`` file (a Path) on ``store``.

    ``params`` bind the query's parameters as typed RDF terms. The result has ``.columns``,
    ``.rows``, ``.to_pandas()`` and, for CONSTRUCT/DESCRIBE, ``.triples`` and
    ``.serialize("turtle")``.
    """
    from schoolkg.queries.execute import run_query

    if isinstance(name_or_text, Path):
        return run_query(_store(store), None, params, file=name_or_text)
    return run_query(_store(store), name_or_text, params)


def analyse(store: Store | str | Path, **options: Any) -> AnalysisResult:
    """Relate practices to improvement: associations, adjusted odds ratios, a co-occurrence network.

    ``options``: ``improvement`` (grade, attainment or gap), ``min_support``, ``fdr``,
    ``polarity``, ``pairs``, ``seed``, ``design`` (temporal or cross-sectional) and
    ``window_days`` (see :func:`schoolkg.analysis.run.analyse`).
    """
    from schoolkg.analysis.graphs import read_analysis_data
    from schoolkg.analysis.run import analyse as _analyse

    return _analyse(read_analysis_data(_store(store)), **options)


def view(store: Store | str | Path, name: str, **options: Any) -> nx.Graph:
    """The networkx graph of view ``name`` (programmes, cooccurrence, ego, evidence), as the pages draw it."""
    from schoolkg.viz.views import build_view

    return build_view(name, _store(store), **options)


def extract(path: str | Path) -> Extraction:
    """What one document says: entities, participations, findings, judgements, figures, each with its quote."""
    from schoolkg.pipeline import extract_paths

    if Path(path).is_dir():
        raise ConfigError(f"{path} is a folder; extract one document (schoolkg.pipeline.extract_paths reads folders)")
    outcome = next(extract_paths([Path(path)]), None)
    if outcome is None:
        raise InputError("no document to read", path=path)
    if outcome.extraction is None:
        raise InputError(outcome.error or "cannot read the document")
    return outcome.extraction


def validate(
    store: Store | str | Path,
    *,
    owl: bool = False,
    engine: str = "sparql",
    progress: Callable[[str, int, int, float], None] | None = None,
) -> ValidationReport:
    """Check the graph in ``store``: SHACL shapes, quotes against their sources, and (``owl``) HermiT.

    ``engine`` ``sparql`` checks the shapes by SPARQL on the store itself; ``pyshacl`` copies
    the graph into rdflib first. ``progress`` hears after each shape (name, done, total, seconds).
    """
    from schoolkg.validate.report import validate_store

    return validate_store(_store(store), owl=owl, engine=engine, progress=progress)


def _store(store: Store | str | Path) -> Store:
    return open_store(store) if isinstance(store, str | Path) else store
