"""The store contract and ``open_store``: an embedded folder or a remote SPARQL endpoint URL."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

__all__ = ["Store", "open_store"]


class Store(Protocol):
    """What the query, stats, analysis and page stages need from a store."""

    def query(self, sparql: str) -> object:
        """Run a SPARQL query; return pyoxigraph QuerySolutions, QueryBoolean or triples."""
        ...

    def dump_nquads(self) -> bytes:
        """Every quad of the store as N-Quads."""
        ...


def open_store(spec: str | Path, **options: object) -> Store:
    """Open ``spec``: an ``http(s)://`` SPARQL endpoint URL, else an embedded store folder."""
    text = str(spec)
    if text.startswith(("http://", "https://")):
        from schoolkg.store.remote import RemoteStore

        return RemoteStore(text, **options)  # type: ignore[arg-type]
    from schoolkg.store.embedded import EmbeddedStore

    return EmbeddedStore(Path(text))
