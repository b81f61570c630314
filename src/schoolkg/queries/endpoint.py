"""A read-only SPARQL 1.1 Protocol endpoint with the query catalogue and an offline YASGUI page.

``create_app(store, settings)`` builds the Starlette app; ``schoolkg serve`` runs it on uvicorn.
Routes: ``/`` the query UI, ``/sparql`` the protocol (GET and POST; a GET without a query
returns the service description), ``/queries`` the catalogue as JSON, ``/queries/{name}`` one
catalogue query run with its parameters from the query string.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from schoolkg.errors import ConfigError, InputError, SchoolkgError
from schoolkg.queries.catalogue import CatalogueQuery, get_query, load_catalogue
from schoolkg.queries.guard import ReadOnlyError, query_form
from schoolkg.queries.results import RESULT_FORMATS, TRIPLE_FORMATS
from schoolkg.queries.runner import QueryRunner
from schoolkg.store.embedded import EmbeddedStore

__all__ = ["Settings", "create_app", "negotiate"]

STATIC = Path(__file__).resolve().parent / "static"
_SHORT = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
}


class PayloadTooLarge(InputError):
    """A request body above the endpoint's size limit; HTTP 413."""

    http_status = 413


@dataclass(frozen=True)
class Settings:
    """Endpoint settings, read once by the CLI and passed in.

    Attributes: ``timeout`` seconds per query, ``max_rows`` result rows (or triples) returned,
    ``max_body`` bytes accepted in a request body, ``workers`` queries run at once, ``cors``
    whether to allow cross-origin requests, ``queries_dir`` the catalogue folder (default: the
    shipped ``queries/``).
    """

    timeout: float = 10.0
    max_rows: int = 10_000
    max_body: int = 64 * 1024
    workers: int = 1
    cors: bool = False
    queries_dir: Path | None = None


def negotiate(accept: str, form: str, explicit: str | None = None) -> str:
    """The media type to answer a ``form`` query with, from the Accept header or a ``format`` name.

    >>> negotiate("text/csv;q=0.9, application/sparql-results+xml", "SELECT")
    'application/sparql-results+xml'
    >>> negotiate("*/*", "CONSTRUCT")
    'text/turtle'
    >>> negotiate("text/html", "ASK", "json")
    'application/sparql-results+json'
    """
    offered = list(TRIPLE_FORMATS) if form in ("CONSTRUCT", "DESCRIBE") else list(RESULT_FORMATS)
    if explicit:
        media = _SHORT.get(explicit.lower(), explicit.lower())
        if media not in offered:
            raise ConfigError(f"format {explicit!r} is not offered for {form}; use one of {', '.join(offered)}")
        return media
    ranked = []
    for i, part in enumerate(accept.split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        q = next((float(p[2:]) for p in params if p.startswith("q=") and _is_number(p[2:])), 1.0)
        if media == "application/json":
            media = offered[0]
        ranked.append((-q, i, media.lower()))
    for _, _, media in sorted(ranked):
        if media in offered:
            return media
        if media in ("*/*", "application/*", "text/*"):
            return offered[0]
    return offered[0]


def create_app(store: EmbeddedStore, settings: Settings | None = None) -> Starlette:
    """Build the endpoint app for ``store`` (an EmbeddedStore) with ``settings``."""
    settings = settings or Settings()
    state: dict[str, QueryRunner] = {}

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        state["runner"] = QueryRunner(store.path, settings.workers, settings.timeout)
        try:
            yield
        finally:
            state["runner"].close()

    async def run(request: Request, sparql: str, explicit: str | None) -> Response:
        form = query_form(sparql)
        media = negotiate(request.headers.get("accept", "*/*"), form, explicit)
        answer = await run_in_threadpool(state["runner"].run, sparql, media, settings.max_rows)
        headers = {"X-Result-Rows": str(min(answer.rows, settings.max_rows))}
        if answer.truncated:
            headers["X-Result-Truncated"] = f"true; capped at {settings.max_rows} rows"
        ctype = media + ("; charset=utf-8" if media.startswith("text/") else "")
        return Response(answer.body, headers=headers, media_type=ctype)

    async def sparql(request: Request) -> Response:
        params = dict(request.query_params)
        if request.method == "POST":
            body = await _read_body(request, settings.max_body)
            ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if ctype == "application/sparql-query":
                params["query"] = body.decode("utf-8", errors="replace")
            elif ctype == "application/x-www-form-urlencoded":
                form = parse_qs(body.decode("utf-8", errors="replace"))
                params.update({k: v[0] for k, v in form.items()})
            elif ctype == "application/sparql-update":
                raise ReadOnlyError("SPARQL Update is refused: this endpoint is read-only")
            else:
                return PlainTextResponse(
                    "error: POST a query as application/sparql-query or application/x-www-form-urlencoded\n",
                    status_code=415,
                )
        if "update" in params:
            raise ReadOnlyError("SPARQL Update is refused: this endpoint is read-only")
        if params.get("default-graph-uri") or params.get("named-graph-uri"):
            raise ConfigError("default-graph-uri and named-graph-uri are not supported: the default graph is the union")
        if not params.get("query"):
            if request.method == "GET":
                return Response(_service_description(str(request.url_for("sparql"))), media_type="text/turtle")
            raise ConfigError("no query given")
        return await run(request, params["query"], params.get("format"))

    async def queries(request: Request) -> Response:
        return JSONResponse([_describe(q) for q in load_catalogue(settings.queries_dir)])

    async def catalogue_query(request: Request) -> Response:
        query = get_query(request.path_params["name"], settings.queries_dir)
        values = {k: v for k, v in request.query_params.items() if k != "format"}
        return await run(request, query.bound(values), request.query_params.get("format"))

    async def index(request: Request) -> Response:
        entries = [dict(_describe(q), sparql=q.bound()) for q in load_catalogue(settings.queries_dir)]
        page = (STATIC / "index.html").read_text(encoding="utf-8")
        data = json.dumps(entries, ensure_ascii=False).replace("</", "<\\/")
        return HTMLResponse(page.replace("{{CATALOGUE}}", data))

    async def on_error(request: Request, err: Exception) -> Response:
        status = err.http_status if isinstance(err, SchoolkgError) else 500
        text = str(err) if isinstance(err, SchoolkgError) else "internal error"
        return PlainTextResponse(f"error: {text}\n", status_code=status)

    middleware = []
    if settings.cors:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=["*"],
                allow_methods=["GET", "POST"],
                allow_headers=["Content-Type", "Accept"],
            )
        )
    routes = [
        Route("/", index),
        Route("/sparql", sparql, methods=["GET", "POST"], name="sparql"),
        Route("/queries", queries),
        Route("/queries/{name}", catalogue_query),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    return Starlette(
        routes=routes,
        middleware=middleware,
        lifespan=lifespan,
        exception_handlers={SchoolkgError: on_error, Exception: on_error},
    )


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(f"request body of {declared} bytes is above the limit of {limit} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(f"request body is above the limit of {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _describe(q: CatalogueQuery) -> dict[str, object]:
    return {
        "name": q.name,
        "title": q.title,
        "description": q.description,
        "parameters": [{"name": p.name, "type": p.type, "default": p.default} for p in q.parameters],
        "columns": list(q.columns),
        "example": q.example,
    }


def _service_description(url: str) -> str:
    formats = [
        "SPARQL_Results_JSON",
        "SPARQL_Results_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_TSV",
        "Turtle",
        "N-Triples",
        "JSON-LD",
    ]
    return (
        "@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .\n"
        f"<{url}> a sd:Service ;\n"
        f"  sd:endpoint <{url}> ;\n"
        "  sd:supportedLanguage sd:SPARQL11Query ;\n"
        "  sd:feature sd:UnionDefaultGraph ;\n"
        + "".join(f"  sd:resultFormat <http://www.w3.org/ns/formats/{f}> ;\n" for f in formats)
        + "  sd:defaultDataset [ a sd:Dataset ; sd:defaultGraph [ a sd:Graph ] ] .\n"
    )


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
