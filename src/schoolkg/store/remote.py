"""A remote store: any SPARQL 1.1 Protocol endpoint (Fuseki, GraphDB, Virtuoso, Oxigraph, schoolkg serve)."""

from __future__ import annotations

import httpx
import pyoxigraph

from schoolkg.errors import QueryError, StoreError
from schoolkg.store.base import QueryResults, select

__all__ = ["RemoteStore"]

_RESULTS = "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"


class RemoteStore:
    """Query a SPARQL endpoint over HTTP; ``client`` lets tests aim it at an in-process app.

    Results come back as pyoxigraph objects, so renderers treat both stores alike.
    """

    remote = True

    def __init__(self, url: str, client: httpx.Client | None = None, timeout: float = 60.0) -> None:
        self.url = url
        self._client = client or httpx.Client(timeout=timeout)

    def query(self, sparql: str) -> QueryResults:
        """POST the query (``application/sparql-query``) and parse the response."""
        try:
            resp = self._client.post(
                self.url,
                content=sparql.encode("utf-8"),
                headers={"Content-Type": "application/sparql-query", "Accept": _RESULTS},
            )
        except httpx.HTTPError as err:
            raise StoreError(f"cannot reach {self.url}: {err}") from None
        if resp.status_code == 400:
            raise QueryError(f"the endpoint refused the query: {resp.text.strip()[:300]}")
        if resp.status_code >= 300:
            raise StoreError(f"{self.url} answered HTTP {resp.status_code}: {resp.text.strip()[:300]}")
        kind = resp.headers.get("content-type", "").split(";")[0].strip()
        try:
            if kind in ("application/sparql-results+json", "application/json"):
                return pyoxigraph.parse_query_results(resp.content, pyoxigraph.QueryResultsFormat.JSON)
            if kind == "application/sparql-results+xml":
                return pyoxigraph.parse_query_results(resp.content, pyoxigraph.QueryResultsFormat.XML)
            fmt = pyoxigraph.RdfFormat.from_media_type(kind)
            if fmt is None:
                raise StoreError(f"{self.url} answered with unsupported type {kind!r}")
            return list(pyoxigraph.parse(resp.content, fmt))
        except SyntaxError as err:
            raise StoreError(f"{self.url} sent results that do not parse: {err}") from None

    def dump_nquads(self) -> bytes:
        """Every quad, fetched with a CONSTRUCT over all named graphs (fine for small stores)."""
        rows = select(self, "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return "".join(f"{r['s']} {r['p']} {r['o']} {r['g']} .\n" for r in rows).encode("utf-8")
