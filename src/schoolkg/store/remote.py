"""A remote store: any SPARQL 1.1 Protocol endpoint (Virtuoso, Oxigraph server, Fuseki, GraphDB, schoolkg serve).

Queries go as URL-encoded form POSTs, the one encoding every SPARQL 1.1 endpoint must accept
(Virtuoso 7 never answers a ``application/sparql-query`` body). Answers come back as pyoxigraph
objects, so every reader treats both stores alike, after normalising what some servers type
their own way: Virtuoso's ``typed-literal`` JSON terms, its booleans written ``"1"``/``"0"``, and
its ASK answered as a one-row table (``__ASK_RETVAL``).

Writing uses the SPARQL 1.1 Graph Store Protocol at ``graph_store`` (Oxigraph: ``/store``,
Virtuoso: ``/sparql-graph-crud``, Fuseki: ``/DATASET/data``): :meth:`RemoteStore.replace_graph`
PUTs one named graph, :meth:`RemoteStore.delete_graph` DELETEs one.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import pyoxigraph

from schoolkg.errors import ConfigError, QueryError, StoreError
from schoolkg.store.base import QueryResults
from schoolkg.store.lexical import query_form

__all__ = ["RemoteStore", "normalise_json_results"]

_RESULTS = "application/sparql-results+json, application/sparql-results+xml;q=0.9"
_GRAPH = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_ASK_VARIABLES = (["__ASK_RETVAL"], ["ASK"])


class RemoteStore:
    """Query a SPARQL endpoint over HTTP, and write named graphs with the Graph Store Protocol.

    Parameters
    ----------
    url : str
        The SPARQL query endpoint. A user and password in it (``http://user:pw@host/sparql``)
        are sent as HTTP authentication (digest when the server asks for it, else basic).
    client : httpx.Client, optional
        Lets tests aim the store at an in-process app.
    timeout : float
        Seconds to wait for an answer.
    graph_store : str, optional
        The Graph Store Protocol endpoint, for writing.
    """

    remote = True

    def __init__(
        self, url: str, client: httpx.Client | None = None, timeout: float = 60.0, graph_store: str | None = None
    ) -> None:
        self.url, auth = _strip_credentials(url)
        self.graph_store: str | None = None
        store_auth = None
        if graph_store:
            self.graph_store, store_auth = _strip_credentials(graph_store)
        self._client = client or httpx.Client(timeout=timeout, auth=_auth(auth or store_auth))

    def query(
        self, sparql: str, *, default_graphs: list[str] | None = None, named_graphs: list[str] | None = None
    ) -> QueryResults:
        """POST the query as a form and parse the answer (results, or triples for CONSTRUCT).

        ``default_graphs``/``named_graphs`` are sent as the protocol's ``default-graph-uri`` and
        ``named-graph-uri``.
        """
        accept = _GRAPH if query_form(sparql) in ("CONSTRUCT", "DESCRIBE") else _RESULTS  # Virtuoso obeys the first
        form: dict[str, str | list[str]] = {"query": sparql}
        if default_graphs:
            form["default-graph-uri"] = default_graphs
        if named_graphs:
            form["named-graph-uri"] = named_graphs
        resp = self._request("POST", self.url, data=form, headers={"Accept": accept})
        if resp.status_code == 400:
            raise QueryError(f"the endpoint refused the query: {_short(resp.text)}")
        if resp.status_code >= 300:
            raise StoreError(f"{self.url} answered HTTP {resp.status_code}: {_short(resp.text)}")
        kind = resp.headers.get("content-type", "").split(";")[0].strip().lower()
        try:
            if kind in ("application/sparql-results+json", "application/json"):
                doc = normalise_json_results(json.loads(resp.content))
                return pyoxigraph.parse_query_results(json.dumps(doc).encode(), pyoxigraph.QueryResultsFormat.JSON)
            if kind == "application/sparql-results+xml":
                return pyoxigraph.parse_query_results(resp.content, pyoxigraph.QueryResultsFormat.XML)
            fmt = pyoxigraph.RdfFormat.from_media_type(kind)
            if fmt is None:
                raise StoreError(f"{self.url} answered with unsupported type {kind!r}")
            return [pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in pyoxigraph.parse(resp.content, fmt)]
        except (SyntaxError, ValueError) as err:
            raise StoreError(f"{self.url} sent results that do not parse: {err}") from None

    def dump_nquads(self) -> bytes:
        """Every quad in a named graph, fetched with one SELECT (fine for small stores)."""
        rows = self.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        quads = [pyoxigraph.Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows]  # type: ignore[union-attr]
        return pyoxigraph.serialize(quads, format=pyoxigraph.RdfFormat.N_QUADS) or b""

    def replace_graph(self, graph: str, triples: list[pyoxigraph.Triple] | bytes) -> None:
        """Replace the named graph ``graph`` with ``triples`` (or N-Triples bytes): a GSP PUT."""
        body = (
            triples
            if isinstance(triples, bytes)
            else pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES) or b""
        )
        resp = self._request(
            "PUT",
            self._graph_store(),
            params={"graph": graph},
            content=body,
            headers={"Content-Type": "application/n-triples"},
        )
        if resp.status_code not in (200, 201, 204):
            raise StoreError(
                f"{self.graph_store} refused to store graph {graph}: HTTP {resp.status_code}: {_short(resp.text)}"
            )

    def delete_graph(self, graph: str) -> None:
        """Remove the named graph ``graph`` (a GSP DELETE); a graph that is not there is fine."""
        resp = self._request("DELETE", self._graph_store(), params={"graph": graph})
        if resp.status_code not in (200, 202, 204, 404):
            raise StoreError(
                f"{self.graph_store} refused to delete graph {graph}: HTTP {resp.status_code}: {_short(resp.text)}"
            )

    def publish(self, nquads: bytes, namespace: str) -> tuple[int, int]:
        """Make the server hold the named graphs of ``nquads``: each is replaced whole (one PUT a
        graph), and graphs under ``namespace`` that ``nquads`` no longer has are deleted.

        Returns (graphs replaced, graphs deleted). Graphs outside ``namespace`` are never touched.
        """
        by_graph: dict[str, list[pyoxigraph.Triple]] = {}
        for quad in pyoxigraph.parse(nquads, pyoxigraph.RdfFormat.N_QUADS):
            if isinstance(quad.graph_name, pyoxigraph.DefaultGraph):
                raise StoreError("publish writes named graphs only; a quad is in the default graph")
            by_graph.setdefault(quad.graph_name.value, []).append(
                pyoxigraph.Triple(quad.subject, quad.predicate, quad.object)
            )
        before = [g for g in self.graphs() if g.startswith(namespace)]
        for graph, triples in sorted(by_graph.items()):
            self.replace_graph(graph, triples)
        stale = [g for g in before if g not in by_graph]
        for graph in stale:
            self.delete_graph(graph)
        return len(by_graph), len(stale)

    def graphs(self) -> list[str]:
        """The names of the graphs the endpoint holds, sorted."""
        # GROUP BY, not DISTINCT: Virtuoso 7.2 (Debian bookworm) can take minutes over DISTINCT ?g
        # of a 93k-quad store where the grouped form answers in 0.06 s (measured 2026-12-02).
        rows = self.query("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        return sorted(r["g"].value for r in rows)  # type: ignore[union-attr]

    def _graph_store(self) -> str:
        if not self.graph_store:
            raise ConfigError(
                f"writing to {self.url} needs its Graph Store Protocol address: give --graph-store URL"
                " (Oxigraph: http://HOST/store, Virtuoso: http://HOST/sparql-graph-crud)"
            )
        return self.graph_store

    def _request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        try:
            return self._client.request(method, url, **kwargs)
        except httpx.HTTPError as err:
            raise StoreError(f"cannot reach {url}: {err}") from None


def normalise_json_results(doc: dict[str, Any]) -> dict[str, Any]:
    """SPARQL JSON results in the standard's shape, whatever the server wrote.

    ``typed-literal`` terms (SPARQL 1.0 style) become ``literal``; ``xsd:boolean`` values ``1``
    and ``0`` become ``true`` and ``false``; a one-row, one-column ``__ASK_RETVAL`` table (how
    Virtuoso answers ASK) becomes a boolean.

    Examples
    --------
    >>> normalise_json_results({"head": {"vars": ["__ASK_RETVAL"]}, "results": {"bindings": [
    ...     {"__ASK_RETVAL": {"type": "typed-literal", "datatype": _XSD + "integer", "value": "1"}}]}})
    {'head': {}, 'boolean': True}
    >>> term = {"type": "typed-literal", "datatype": _XSD + "boolean", "value": "0"}
    >>> normalise_json_results({"head": {"vars": ["b"]}, "results": {"bindings": [{"b": term}]}})["results"]
    {'bindings': [{'b': {'type': 'literal', 'datatype': 'http://www.w3.org/2001/XMLSchema#boolean', 'value': 'false'}}]}
    """
    if "boolean" in doc:
        return doc
    variables = doc.get("head", {}).get("vars", [])
    bindings = doc.get("results", {}).get("bindings", [])
    if variables in _ASK_VARIABLES and len(bindings) <= 1:
        value = bindings[0].get(variables[0], {}).get("value") if bindings else "0"
        return {"head": {}, "boolean": value in ("1", "true")}
    for row in bindings:
        for term in row.values():
            if term.get("type") == "typed-literal":
                term["type"] = "literal"
            if term.get("datatype") == _XSD + "boolean" and term.get("value") in ("1", "0"):
                term["value"] = "true" if term["value"] == "1" else "false"
    return {"head": {"vars": variables}, "results": {"bindings": bindings}}


def _strip_credentials(url: str) -> tuple[str, tuple[str, str] | None]:
    parts = urlsplit(url)
    if parts.username is None:
        return url, None
    host = parts.hostname or ""
    netloc = host + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc)), (parts.username, parts.password or "")


class _Auth(httpx.Auth):
    """Basic authentication, or digest when the server challenges for it (Virtuoso's -auth paths)."""

    def __init__(self, user: str, password: str) -> None:
        self._basic, self._digest = httpx.BasicAuth(user, password), httpx.DigestAuth(user, password)

    def auth_flow(self, request: httpx.Request):  # type: ignore[no-untyped-def]
        response = yield request
        if response.status_code == 401 and "digest" in response.headers.get("www-authenticate", "").lower():
            yield from self._digest.auth_flow(request)
        elif response.status_code == 401:
            yield from self._basic.auth_flow(request)


def _auth(credentials: tuple[str, str] | None) -> httpx.Auth | None:
    return _Auth(*credentials) if credentials else None


def _short(text: str) -> str:
    return " ".join(text.split())[:300]
