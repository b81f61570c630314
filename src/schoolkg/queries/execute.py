"""Run a query on a store: a catalogue NAME, SPARQL text or a .rq file, read-only, with typed parameters.

The library twin of ``schoolkg query``: :func:`resolve_query` turns what the user gave into
SPARQL text, :func:`run_query` runs it and returns a :class:`QueryResult` (rows of plain
values, ``to_pandas()``, and the triples of a CONSTRUCT or DESCRIBE).

The read-only guard (:mod:`schoolkg.queries.guard`) checks every query first; on an embedded
store the query then runs, and its results are read, in a thread denied the network
(:mod:`schoolkg.queries.sandbox`), so a ``SERVICE`` the guard missed still reaches nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import pyoxigraph

from schoolkg.errors import ConfigError, InputError, QueryError, StoreError
from schoolkg.queries import sandbox
from schoolkg.queries.catalogue import get_query, parse_header, parse_query_file
from schoolkg.queries.guard import check_read_only, query_form
from schoolkg.queries.results import render
from schoolkg.store.base import Store
from schoolkg.store.lexical import query_form as lexical_form
from schoolkg.store.lexical import strip_comments
from schoolkg.store.table import Table, Value, to_table
from schoolkg.vocab import PREFIXES

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["RDF_FORMATS", "TABLE_FORMATS", "QueryResult", "offline", "resolve_query", "run_query"]

T = TypeVar("T")

TABLE_FORMATS = ("csv", "tsv", "json")
"""Formats of SELECT and ASK results (``schoolkg query --format``; 'table' is drawn by the CLI)."""
RDF_FORMATS = {
    "turtle": pyoxigraph.RdfFormat.TURTLE,
    "ntriples": pyoxigraph.RdfFormat.N_TRIPLES,
    "jsonld": pyoxigraph.RdfFormat.JSON_LD,
}
"""Formats of CONSTRUCT and DESCRIBE results."""


@dataclass(frozen=True)
class QueryResult:
    """What a query answered: a table of plain values, and the triples of a graph query.

    ``form`` is SELECT, ASK, CONSTRUCT or DESCRIBE. A graph query's table has the columns
    subject, predicate, object.
    """

    form: str
    table: Table
    triples: tuple[pyoxigraph.Triple, ...] = ()

    @property
    def columns(self) -> list[str]:
        """The column names."""
        return self.table.columns

    @property
    def rows(self) -> list[list[Value]]:
        """The rows, each a list of str, int, float, bool or None."""
        return self.table.rows

    def to_pandas(self) -> pd.DataFrame:
        """The table as a pandas DataFrame."""
        import pandas as pd

        return pd.DataFrame(self.table.rows, columns=self.table.columns)

    def serialize(self, fmt: str, protect: bool = True) -> str:
        """The result as csv, tsv or json (any form), or turtle, ntriples or jsonld (graph queries).

        With ``protect`` (the default) CSV and TSV cells a spreadsheet would run as formulas are
        quoted (:func:`schoolkg.queries.results.protect_cell`).
        """
        if fmt in TABLE_FORMATS:
            return render(self.table, fmt, protect)
        if fmt in RDF_FORMATS:
            if self.form not in ("CONSTRUCT", "DESCRIBE"):
                raise ConfigError(f"--format {fmt} needs a CONSTRUCT or DESCRIBE query; this is a {self.form}")
            prefixes = PREFIXES if fmt == "turtle" else None
            data = pyoxigraph.serialize(list(self.triples), format=RDF_FORMATS[fmt], prefixes=prefixes)
            return (data or b"").decode("utf-8")
        known = ", ".join([*TABLE_FORMATS, *RDF_FORMATS])
        raise ConfigError(f"unknown format {fmt!r}; use {known}")


def resolve_query(query: str | None = None, params: dict[str, str] | None = None, *, file: Path | None = None) -> str:
    """The SPARQL text of a catalogue query NAME or SPARQL text (``query``), or of a .rq ``file``.

    ``params`` bind a catalogue query's (or a headed file's) parameters as typed RDF terms;
    they are refused for plain SPARQL text. Raises ConfigError or InputError for what cannot
    be run, and QueryError (ReadOnlyError) for an update or a SERVICE call.

    >>> resolve_query("SELECT * WHERE { ?s ?p ?o }")
    'SELECT * WHERE { ?s ?p ?o }'
    """
    values = params or {}
    if file is not None:
        text = _file_text(file, values)
    elif query and _is_name(query):
        text = get_query(query).bound(values)
    elif query:
        if values:
            raise ConfigError("--param works with a catalogue query NAME or a .rq file with a header")
        text = query
    else:
        raise ConfigError("give a query NAME, SPARQL text or --file FILE")
    if not strip_comments(text):
        raise InputError("no SPARQL in the query (empty, or only comments)", path=file)
    try:
        check_read_only(text)
    except QueryError as err:
        if file is None:
            raise
        raise type(err)(f"{file}: {err}") from None
    return text


def run_query(
    store: Store, query: str | None = None, params: dict[str, str] | None = None, *, file: Path | None = None
) -> QueryResult:
    """Run a catalogue query NAME, SPARQL text or a .rq ``file`` on ``store`` (read-only).

    The default graph is the union of all graphs, unless the query has ``FROM`` clauses. See
    :func:`resolve_query` for ``params``. On a store that is not remote the query runs without
    network access (:func:`offline`).
    """
    text = resolve_query(query, params, file=file)

    def answer() -> QueryResult:
        results = store.query(text)  # pyoxigraph's results must stay in the thread that made them
        try:
            if isinstance(results, pyoxigraph.QuerySolutions):
                return QueryResult("SELECT", to_table(results))
            if isinstance(results, pyoxigraph.QueryBoolean):
                return QueryResult("ASK", to_table(results))
            triples = tuple(results)
            form = lexical_form(text)  # CONSTRUCT or DESCRIBE, without loading rdflib's parser
            return QueryResult(
                form if form in ("CONSTRUCT", "DESCRIBE") else query_form(text), to_table(list(triples)), triples
            )
        finally:
            del results

    try:
        return answer() if getattr(store, "remote", False) else offline(answer)
    except QueryError as err:
        if file is None:
            raise
        raise type(err)(f"{file}: {err}") from None


def offline(work: Callable[[], T]) -> T:
    """Run ``work()`` in a thread denied the network (where the platform allows) and return its result.

    The rest of the process keeps its network; exceptions are raised again in the caller.

    >>> from schoolkg.queries.sandbox import network_denied
    >>> offline(network_denied) == sandbox.supported()
    True
    """
    if not sandbox.supported():
        return work()
    box: dict[str, object] = {}

    def contained() -> None:
        try:
            sandbox.deny_network()
            box["value"] = work()
        except BaseException as err:  # handed to the caller below
            box["error"] = err

    thread = threading.Thread(target=contained, name="schoolkg-offline-query")
    thread.start()
    thread.join()
    if "error" in box:
        err = box["error"]
        if isinstance(err, sandbox.SandboxError):
            raise StoreError(f"cannot deny the query the network: {err}") from None
        raise err  # type: ignore[misc]
    return box["value"]  # type: ignore[return-value]


def _file_text(file: Path, values: dict[str, str]) -> str:
    if not file.is_file():
        raise InputError("no such query file", path=file)
    try:
        raw = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise InputError(
            f"not UTF-8 text (byte {err.object[err.start]:#04x} at offset {err.start})", path=file
        ) from None
    return parse_query_file(file).bound(values) if "parameters" in parse_header(raw) else raw


def _is_name(text: str) -> bool:
    return all(c.isalnum() or c in "-_" for c in text)
