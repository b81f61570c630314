"""The store contract and ``open_store``: an embedded folder or a remote SPARQL endpoint URL."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol, TypeAlias

import pyoxigraph

from schoolkg.errors import QueryError

__all__ = ["QueryResults", "Store", "open_store", "select"]

QueryResults: TypeAlias = (
    pyoxigraph.QuerySolutions | pyoxigraph.QueryBoolean | pyoxigraph.QueryTriples | list[pyoxigraph.Triple]
)
"""What a store answers: solutions (SELECT), a boolean (ASK) or triples (CONSTRUCT, DESCRIBE)."""


class Store(Protocol):
    """What every reader of the graph needs: the query, stats, analysis and page stages.

    :class:`~schoolkg.store.embedded.EmbeddedStore` and :class:`~schoolkg.store.remote.RemoteStore`
    implement it; :func:`open_store` gives either from a folder or a URL.
    """

    def query(self, sparql: str) -> QueryResults:
        """Run a SPARQL query (default graph: the union of all graphs)."""
        ...

    def dump_nquads(self) -> bytes:
        """Every quad of the store as N-Quads."""
        ...


def open_store(spec: str | Path, **options: Any) -> Store:
    """Open ``spec``: an ``http(s)://`` SPARQL endpoint URL, else an embedded store folder."""
    text = str(spec)
    if text.startswith(("http://", "https://")):
        from schoolkg.store.remote import RemoteStore

        return RemoteStore(text, **options)
    from schoolkg.store.embedded import EmbeddedStore

    return EmbeddedStore(Path(text))


def select(store: Store, sparql: str) -> pyoxigraph.QuerySolutions:
    """The solutions of a SELECT query; QueryError if ``sparql`` is another form."""
    results = store.query(sparql)
    if not isinstance(results, pyoxigraph.QuerySolutions):
        raise QueryError("expected a SELECT query")
    return results
