"""The W3C SPARQL 1.1 Protocol tests, over HTTP, against a real `schoolkg serve`.

Each manifest entry's requests are sent as written (method, path, headers, body in its character
encoding) to the endpoint, started as a subprocess on a free loopback port over a store holding
the suite's data1-3 in the named graphs the tests name. Query tests must get the expected status,
format and boolean. Update tests must be refused as a read-only endpoint should: their first
request (the update) gets 403 and nothing changes; their later requests, which check what the
update did, are not sent.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.collection import Collection

from conftest import free_port

SUITE = Path(__file__).resolve().parents[3] / "shared" / "w3c-rdf-tests" / "sparql" / "sparql11" / "protocol"
SCHOOLKG = str(Path(sys.executable).parent / "schoolkg")
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
HTS = "http://www.w3.org/2011/http-statusCodes#StatusCode"
UT = rdflib.Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
RESULT_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
RDF_TYPES = ("text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json", "application/trig")

pytestmark = pytest.mark.skipif(not SUITE.is_dir(), reason=f"the W3C protocol tests are not at {SUITE}")


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: frozenset[str]  # "2xx", "4xx" ...
    format: str | None
    boolean: bool | None


def _tests() -> dict[str, list[Request]]:
    if not SUITE.is_dir():
        return {}
    g = rdflib.Graph().parse(SUITE / "manifest.ttl", format="turtle")
    manifest = next(g.subjects(rdflib.RDF.type, MF.Manifest))
    out = {}
    for entry in Collection(g, g.value(manifest, MF.entries)):
        requests = []
        for req in Collection(g, g.value(g.value(entry, MF.action), HT.requests)):
            body = g.value(req, HT.body)
            data = None
            if body is not None:
                encoding = str(g.value(body, CNT.characterEncoding) or "UTF-8")
                data = str(g.value(body, CNT.chars)).encode(encoding)
            headers = {}
            if g.value(req, HT.headers) is not None:
                for h in Collection(g, g.value(req, HT.headers)):
                    headers[str(g.value(h, HT.fieldName))] = str(g.value(h, HT.fieldValue))
            resp = g.value(req, HT.resp)
            expected = g.value(resp, MF.expectedBoolean)
            fmt = g.value(resp, MF.expectedFormat)
            requests.append(
                Request(
                    method=str(g.value(req, HT.methodName)),
                    path=str(g.value(req, HT.absolutePath)).replace("/sparql/", "/sparql", 1),
                    headers=headers,
                    body=data,
                    statuses=frozenset(str(s).removeprefix(HTS) for s in g.objects(resp, MF.expectedStatus)),
                    format=str(fmt) if fmt is not None else None,
                    boolean=expected.toPython() if expected is not None else None,
                )
            )
        out[str(entry).rsplit("#", 1)[-1]] = requests
    return out


TESTS = _tests()


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`schoolkg serve` over the suite's data, on a free loopback port."""
    folder = tmp_path_factory.mktemp("w3c-protocol")
    store = ox.Store(str(folder / "store"))
    g = rdflib.Graph().parse(SUITE / "manifest.ttl", format="turtle")
    graphs = {(str(g.value(d, UT.graph)), str(g.value(d, rdflib.RDFS.label))) for d in g.objects(None, UT.graphData)}
    for file_iri, name in sorted(graphs):
        store.load(
            path=str(SUITE / file_iri.rsplit("/", 1)[-1]), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(name)
        )
    store.flush()
    del store
    port = free_port()
    log = folder / "access.log"
    cmd = [SCHOOLKG, "serve", "--store", str(folder / "store"), "--port", str(port), "--access-log", str(log)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{url}/sparql", timeout=2)
                break
            except httpx.TransportError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"schoolkg serve did not start: {proc.stderr.read().decode()}") from None  # type: ignore[union-attr]
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _send(url: str, req: Request) -> httpx.Response:
    return httpx.request(req.method, url + req.path, headers=req.headers, content=req.body, timeout=30)


def _check(resp: httpx.Response, req: Request) -> None:
    status = f"{resp.status_code // 100}xx"
    assert status in req.statuses, f"{req.method} {req.path[:80]}: HTTP {resp.status_code}: {resp.text[:200]}"
    media = resp.headers.get("content-type", "").split(";")[0]
    if req.format in ("boolean", "tabular"):
        assert media in RESULT_TYPES, media
    if req.format == "RDF":
        assert media in RDF_TYPES, media
        ox.parse(resp.content, ox.RdfFormat.from_media_type(media))
    if req.boolean is not None:
        assert bool(ox.parse_query_results(resp.content, RESULT_TYPES[media])) is req.boolean


@pytest.mark.parametrize("name", [n for n in TESTS if not n.startswith(("update", "bad_update"))])
def test_w3c_protocol_query(endpoint: str, name: str) -> None:
    for req in TESTS[name]:
        _check(_send(f"{endpoint}", req), req)


@pytest.mark.parametrize("name", [n for n in TESTS if n.startswith(("update", "bad_update"))])
def test_w3c_protocol_update_is_refused(endpoint: str, name: str) -> None:
    first = TESTS[name][0]
    resp = _send(endpoint, first)
    assert resp.status_code == 403 or (name.startswith("bad_") and 400 <= resp.status_code < 500), resp.text
    assert resp.text.startswith("error: ")
    count = httpx.get(f"{endpoint}/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"})
    assert count.json()["results"]["bindings"][0]["n"]["value"] == str(_quads())


def _quads() -> int:
    return sum(len(list(ox.parse(path=str(p), format=ox.RdfFormat.N_TRIPLES))) for p in SUITE.glob("data*.nt"))
