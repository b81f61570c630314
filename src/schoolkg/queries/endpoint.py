"""A read-only SPARQL 1.1 Protocol endpoint with the query catalogue and an offline YASGUI page.

``create_app(store, settings)`` builds the Starlette app; ``schoolkg serve`` runs it on uvicorn.
Routes: ``/`` the query UI, ``/sparql`` the protocol (GET, HEAD and POST; without a query, the
service description in the RDF syntax asked for), ``/queries`` the catalogue as JSON,
``/queries/{name}`` one catalogue query run with its parameters from the query string.

Queries run in contained worker processes (:mod:`schoolkg.queries.runner`); every request is
written to the access log and every refusal counted (:mod:`schoolkg.queries.accesslog`).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl

import pyoxigraph
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from schoolkg.errors import ConfigError, InputError, SchoolkgError
from schoolkg.queries.accesslog import AccessLog, AccessLogMiddleware
from schoolkg.queries.catalogue import CatalogueQuery, get_query, load_catalogue
from schoolkg.queries.guard import UpdateRefused
from schoolkg.queries.media import RDF_MEDIA, RESULT_MEDIA, negotiate
from schoolkg.queries.runner import Job, Limits, QueryRunner, RemoteRunner
from schoolkg.store.embedded import EmbeddedStore
from schoolkg.store.remote import RemoteStore
from schoolkg.vocab import PREFIXES

__all__ = ["PayloadTooLarge", "Settings", "create_app", "service_description"]

STATIC = Path(__file__).resolve().parent / "static"
FORMAT_KEYS = ("format", "output", "results")  # SPARQLWrapper sends all three
_SD = "http://www.w3.org/ns/sparql-service-description#"
_FORMATS = {
    "application/sparql-results+json": "SPARQL_Results_JSON",
    "application/sparql-results+xml": "SPARQL_Results_XML",
    "text/csv": "SPARQL_Results_CSV",
    "text/tab-separated-values": "SPARQL_Results_TSV",
    "text/turtle": "Turtle",
    "application/n-triples": "N-Triples",
    "application/rdf+xml": "RDF_XML",
    "application/ld+json": "JSON-LD",
    "application/n-quads": "N-Quads",
    "application/trig": "TriG",
}


class PayloadTooLarge(InputError):
    """A request body above the endpoint's size limit; HTTP 413."""

    http_status = 413
    reason = "too-large"


class UnsupportedMediaType(InputError):
    """A POST body of a type the protocol does not define for queries; HTTP 415."""

    http_status = 415
    reason = "media-type"


@dataclass(frozen=True)
class Settings:
    """Endpoint settings, read once by the CLI and passed in.

    Attributes: ``timeout`` seconds per query (checking, running, writing the answer),
    ``memory_mb`` address space per worker, ``max_answer_mb`` size of one answer, ``max_body``
    bytes accepted in a request body, ``workers`` queries run at once, ``per_client`` most of
    them one client may hold (default all but one), ``queue_timeout`` seconds a request may
    wait for a worker, ``cors`` whether to allow cross-origin requests, ``protect_cells``
    whether CSV/TSV cells that spreadsheets would run as formulas are quoted, ``sandbox``
    whether workers are denied the network, ``queries_dir`` the catalogue folder (default: the
    shipped ``queries/``).
    """

    timeout: float = 10.0
    memory_mb: int = 2048
    max_answer_mb: int = 1024
    max_body: int = 64 * 1024
    workers: int = 2
    per_client: int | None = None
    queue_timeout: float = 30.0
    cors: bool = False
    protect_cells: bool = True
    sandbox: bool = True
    queries_dir: Path | None = None


def create_app(
    store: EmbeddedStore | RemoteStore, settings: Settings | None = None, log: AccessLog | None = None
) -> Starlette:
    """Build the endpoint app for ``store`` (an embedded store, or a remote one it forwards to) with ``settings``.

    ``log`` receives one line per request and counts refusals (default: a fresh AccessLog on
    the ``schoolkg.access`` logger); it is also ``app.state.access_log``.
    """
    settings = settings or Settings()
    log = log or AccessLog()
    state: dict[str, QueryRunner | RemoteRunner] = {}
    limits = Limits(settings.timeout, settings.memory_mb, settings.max_answer_mb, settings.queue_timeout)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if isinstance(store, RemoteStore):
            state["runner"] = RemoteRunner(store, settings.workers, limits, settings.per_client)
        else:
            state["runner"] = QueryRunner(store.path, settings.workers, limits, settings.per_client, settings.sandbox)
        try:
            yield
        finally:
            state["runner"].close()
            log.summary()

    async def run(request: Request, job: Job) -> Response:
        client = request.client.host if request.client else "local"
        answer = await run_in_threadpool(state["runner"].run, job, client)
        ctype = answer.media_type + ("; charset=utf-8" if answer.media_type.startswith("text/") else "")
        return FileResponse(
            answer.path,
            media_type=ctype,
            headers={"Vary": "Accept"},
            background=BackgroundTask(answer.path.unlink, missing_ok=True),
        )

    async def sparql(request: Request) -> Response:
        params = _query_string(request)
        if request.method == "POST":
            params += await _post_params(request, settings.max_body)
        values = _grouped(params)
        if "update" in values:
            raise UpdateRefused("SPARQL Update is refused: this endpoint is read-only")
        queries = values.get("query", [])
        if len(queries) > 1:
            raise ConfigError(f"{len(queries)} queries in one request; send exactly one query")
        graphs = {
            key: tuple(_iri(v, key) for v in values.get(key, [])) for key in ("default-graph-uri", "named-graph-uri")
        }
        if not queries:
            if request.method == "POST":
                raise ConfigError("no query given")
            media = negotiate(request.headers.get("accept"), "DESCRIBE", values.get("format", []))
            base = str(request.url_for("sparql"))
            return Response(service_description(base, media), media_type=media, headers={"Vary": "Accept"})
        given = bool(graphs["default-graph-uri"] or graphs["named-graph-uri"])
        job = Job(
            queries[0],
            accept=request.headers.get("accept"),
            formats=tuple(v for key in FORMAT_KEYS for v in values.get(key, []) if v),
            default_graphs=graphs["default-graph-uri"] if given else None,
            named_graphs=graphs["named-graph-uri"] if given else None,
            base_iri=str(request.url_for("sparql")),
            protect=settings.protect_cells,
        )
        return await run(request, job)

    async def queries(request: Request) -> Response:
        return JSONResponse([_describe(q) for q in load_catalogue(settings.queries_dir)])

    async def catalogue_query(request: Request) -> Response:
        query = get_query(request.path_params["name"], settings.queries_dir)
        values = _grouped(_query_string(request))
        bindings = {k: v[-1] for k, v in values.items() if k not in FORMAT_KEYS}
        job = Job(
            query.bound(bindings),
            accept=request.headers.get("accept"),
            formats=tuple(v for key in FORMAT_KEYS for v in values.get(key, []) if v),
            base_iri=str(request.url_for("sparql")),
            protect=settings.protect_cells,
        )
        return await run(request, job)

    async def index(request: Request) -> Response:
        entries = [dict(_describe(q), sparql=q.bound()) for q in load_catalogue(settings.queries_dir)]
        page = (STATIC / "index.html").read_text(encoding="utf-8")
        data = json.dumps(entries, ensure_ascii=False).replace("</", "<\\/")
        prefixes = json.dumps(PREFIXES).replace("</", "<\\/")
        return HTMLResponse(page.replace("{{PREFIXES}}", prefixes).replace("{{CATALOGUE}}", data))

    async def on_error(request: Request, err: Exception) -> Response:
        known = isinstance(err, SchoolkgError)
        status = err.http_status if isinstance(err, SchoolkgError) else 500
        request.state.refusal = getattr(err, "reason", None) or _reason(err, status)
        text = str(err) if known else "internal error"
        return PlainTextResponse(f"error: {' '.join(text.split())}\n", status_code=status)

    middleware = [Middleware(AccessLogMiddleware, log=log)]
    if settings.cors:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=["*"],
                allow_methods=["GET", "HEAD", "POST"],
                allow_headers=["Content-Type", "Accept"],
            )
        )
    routes = [
        Route("/", index),
        Route("/sparql", sparql, methods=["GET", "HEAD", "POST"], name="sparql"),
        Route("/queries", queries),
        Route("/queries/{name}", catalogue_query),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(
        routes=routes,
        middleware=middleware,
        lifespan=lifespan,
        exception_handlers={SchoolkgError: on_error, Exception: on_error},
    )
    app.state.access_log = log
    return app


def service_description(url: str, media_type: str = "text/turtle") -> bytes:
    """The SPARQL 1.1 service description of the endpoint at ``url``, as ``media_type`` (RDF).

    >>> b"SPARQL11Query" in service_description("http://127.0.0.1:7878/sparql")
    True
    """
    sd = {name: pyoxigraph.NamedNode(_SD + name) for name in ("Service", "Dataset", "Graph")}
    rdf_type = pyoxigraph.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    me, dataset, graph = pyoxigraph.NamedNode(url), pyoxigraph.BlankNode("dataset"), pyoxigraph.BlankNode("default")

    def p(name: str) -> pyoxigraph.NamedNode:
        return pyoxigraph.NamedNode(_SD + name)

    triples = [
        pyoxigraph.Triple(me, rdf_type, sd["Service"]),
        pyoxigraph.Triple(me, p("endpoint"), me),
        pyoxigraph.Triple(me, p("supportedLanguage"), p("SPARQL11Query")),
        pyoxigraph.Triple(me, p("feature"), p("UnionDefaultGraph")),
        pyoxigraph.Triple(me, p("feature"), p("EmptyGraphs")),
        pyoxigraph.Triple(
            me, p("defaultEntailmentRegime"), pyoxigraph.NamedNode("http://www.w3.org/ns/entailment/Simple")
        ),
        pyoxigraph.Triple(me, p("defaultDataset"), dataset),
        pyoxigraph.Triple(dataset, rdf_type, sd["Dataset"]),
        pyoxigraph.Triple(dataset, p("defaultGraph"), graph),
        pyoxigraph.Triple(graph, rdf_type, sd["Graph"]),
    ]
    triples += [
        pyoxigraph.Triple(me, p("resultFormat"), pyoxigraph.NamedNode(f"http://www.w3.org/ns/formats/{name}"))
        for media, name in _FORMATS.items()
        if media in RESULT_MEDIA or media in RDF_MEDIA
    ]
    prefixes = {"sd": _SD, "formats": "http://www.w3.org/ns/formats/"}
    fmt = RDF_MEDIA[media_type]
    if fmt in (pyoxigraph.RdfFormat.TURTLE, pyoxigraph.RdfFormat.TRIG):
        return pyoxigraph.serialize(triples, format=fmt, prefixes=prefixes) or b""
    return pyoxigraph.serialize(triples, format=fmt) or b""


def _query_string(request: Request) -> list[tuple[str, str]]:
    """The URL's parameters, decoded strictly as UTF-8 (a 400 otherwise), repeats kept."""
    raw = request.scope.get("query_string", b"")
    try:
        return parse_qsl(raw.decode("latin-1"), keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise InputError("the query string is not UTF-8") from None


async def _post_params(request: Request, limit: int) -> list[tuple[str, str]]:
    """The parameters a POST carries: a form, or a query as the whole body."""
    kind, *options = (part.strip().lower() for part in request.headers.get("content-type", "").split(";"))
    charset = next((o.split("=", 1)[1].strip('" ') for o in options if o.startswith("charset=")), "utf-8")
    if kind == "application/sparql-update":
        raise UpdateRefused("SPARQL Update is refused: this endpoint is read-only")
    if kind not in ("application/sparql-query", "application/x-www-form-urlencoded"):
        shown = kind or "no Content-Type"
        raise UnsupportedMediaType(
            f"POST a query as application/sparql-query or application/x-www-form-urlencoded, not {shown}"
        )
    if charset.replace("-", "") != "utf8":
        raise UnsupportedMediaType(f"the request body must be UTF-8, not {charset}")
    body = await _read_body(request, limit)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(f"the request body is not UTF-8 (byte {body[err.start]:#04x} at offset {err.start})") from None
    if kind == "application/sparql-query":
        return [("query", text)]
    try:
        return parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise InputError("the form is not UTF-8") from None


def _grouped(params: list[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, value in params:
        out.setdefault(key, []).append(value)
    return out


def _iri(text: str, key: str) -> str:
    try:
        return pyoxigraph.NamedNode(text.strip()).value
    except ValueError:
        raise ConfigError(f"{key} {text[:200]!r} is not an absolute IRI") from None


def _reason(err: Exception, status: int) -> str:
    from schoolkg.errors import QueryError

    if status >= 500 and not isinstance(err, SchoolkgError):
        return "internal"
    return "bad-query" if isinstance(err, QueryError) else "bad-request"


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
