"""The endpoint as a standard SPARQL 1.1 Protocol service (issue 16): datasets, formats, clients.

A small store of two named graphs, served on a free loopback port; real clients (httpx,
SPARQLWrapper, rdflib's SPARQLStore) talk to it.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSONLD, N3, RDFXML, TURTLE, XML, SPARQLWrapper

from conftest import serve_in_thread
from schoolkg.queries.endpoint import Settings, create_app
from schoolkg.store.embedded import EmbeddedStore

X = "http://x.test/"
G1, G2 = f"{X}g1", f"{X}g2"
HOSTILE = ['=HYPERLINK("http://evil.test","x")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3", "\tTabbed"]
COUNT = "SELECT (COUNT(*) AS ?n) {from} WHERE {{ ?s ?p ?o }}"


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("protocol") / "store"
    store = ox.Store(str(path))
    p = ox.NamedNode(f"{X}p")
    store.add(
        ox.Quad(
            ox.NamedNode(f"{X}a"), p, ox.Literal("1", datatype=ox.NamedNode(f"{ox_xsd()}integer")), ox.NamedNode(G1)
        )
    )
    store.add(ox.Quad(ox.NamedNode(f"{X}b"), p, ox.BlankNode("node"), ox.NamedNode(G2)))
    for i, text in enumerate(HOSTILE):
        store.add(ox.Quad(ox.NamedNode(f"{X}h{i}"), ox.NamedNode(f"{X}name"), ox.Literal(text), ox.NamedNode(G2)))
    store.flush()
    del store
    return path


def ox_xsd() -> str:
    return "http://www.w3.org/2001/XMLSchema#"


@pytest.fixture(scope="module")
def url(store_dir: Path) -> Iterator[str]:
    with serve_in_thread(create_app(EmbeddedStore(store_dir), Settings(timeout=5, workers=2))) as base:
        yield f"{base}/sparql"


def _n(resp: httpx.Response) -> int:
    assert resp.status_code == 200, resp.text
    return int(resp.json()["results"]["bindings"][0]["n"]["value"])


def test_default_graph_is_the_union_unless_a_dataset_is_named(url: str) -> None:
    assert _n(httpx.get(url, params={"query": COUNT.format(**{"from": ""})})) == 2 + len(HOSTILE)
    assert _n(httpx.get(url, params={"query": COUNT.format(**{"from": f"FROM <{G1}>"})})) == 1
    assert _n(httpx.get(url, params={"query": COUNT.format(**{"from": f"FROM NAMED <{G1}>"})})) == 0
    protocol = {"query": COUNT.format(**{"from": ""}), "default-graph-uri": G1}
    assert _n(httpx.get(url, params=protocol)) == 1
    # the protocol's dataset replaces the query's
    both = {"query": COUNT.format(**{"from": f"FROM <{G1}>"}), "default-graph-uri": G2}
    assert _n(httpx.get(url, params=both)) == 1 + len(HOSTILE)


def test_named_graph_uri_limits_graph_patterns(url: str) -> None:
    q = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert _n(httpx.get(url, params={"query": q})) == 2 + len(HOSTILE)
    assert _n(httpx.post(url, params={"named-graph-uri": G1}, data={"query": q})) == 1
    assert _n(httpx.get(url, params={"query": q, "named-graph-uri": G1, "default-graph-uri": G2})) == 1


def test_rdflib_sparqlstore_with_a_graph_identifier(url: str) -> None:
    graph = rdflib.Graph(SPARQLStore(url), identifier=rdflib.URIRef(G1))
    assert list(graph.query("SELECT ?s WHERE { ?s ?p ?o }")) == [(rdflib.URIRef(f"{X}a"),)]


@pytest.mark.parametrize(
    ("params", "status", "text"),
    [
        ([("query", "ASK {}"), ("query", "ASK {}")], 400, "2 queries in one request"),
        ([("query", "ASK {}"), ("default-graph-uri", "not an iri")], 400, "not an absolute IRI"),
        ([("query", "ASK {}"), ("format", "image/png")], 406, "not offered"),
    ],
    ids=["two-queries", "bad-graph-iri", "format-not-offered"],
)
def test_bad_protocol_requests(url: str, params: list, status: int, text: str) -> None:
    resp = httpx.get(url, params=params)
    assert resp.status_code == status and resp.text.startswith("error: ") and text in resp.text


def test_a_query_in_the_url_and_the_body_is_two_queries(url: str) -> None:
    resp = httpx.post(
        url, params={"query": "ASK {}"}, content="ASK {}", headers={"Content-Type": "application/sparql-query"}
    )
    assert resp.status_code == 400


def test_relative_iris_resolve_against_the_endpoint(url: str) -> None:
    resp = httpx.get(url, params={"query": "SELECT (<thing> AS ?x) {}"}, headers={"Accept": "text/csv"})
    assert resp.text.splitlines()[1] == url.rsplit("/", 1)[0] + "/thing"


@pytest.mark.parametrize(
    ("accept", "form", "media"),
    [
        ("application/xml", "SELECT", "application/sparql-results+xml"),
        ("application/json", "ASK", "application/sparql-results+json"),
        ("text/*;q=0.5, application/sparql-results+xml;q=0.1", "SELECT", "text/csv"),
        ("application/xml", "CONSTRUCT", "application/rdf+xml"),
        ("application/json", "CONSTRUCT", "application/ld+json"),
        ("*/*", "DESCRIBE", "text/turtle"),
        ("", "CONSTRUCT", "text/turtle"),
    ],
)
def test_content_negotiation(url: str, accept: str, form: str, media: str) -> None:
    q = {"SELECT": "SELECT * { ?s ?p ?o }", "ASK": "ASK {}"}.get(form, f"{form} {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}")
    if form == "DESCRIBE":
        q = f"DESCRIBE <{X}a>"
    resp = httpx.get(url, params={"query": q}, headers={"Accept": accept} if accept else {})
    assert resp.status_code == 200 and resp.headers["content-type"].split(";")[0] == media


@pytest.mark.parametrize(("form", "query"), [("SELECT", "SELECT * {}"), ("CONSTRUCT", "CONSTRUCT WHERE { ?s ?p ?o }")])
def test_406_for_what_is_not_offered(url: str, form: str, query: str) -> None:
    resp = httpx.get(url, params={"query": query}, headers={"Accept": "text/html, image/png;q=0.9"})
    assert resp.status_code == 406 and "offered" in resp.text


def test_head_answers_like_get_without_a_body(url: str) -> None:
    head = httpx.head(url, params={"query": "ASK {}"})
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"].startswith("application/sparql-results+json")
    assert httpx.head(url).status_code == 200


@pytest.mark.parametrize(
    ("accept", "parse_as"),
    [("text/turtle", "turtle"), ("application/rdf+xml", "xml"), ("application/ld+json", "json-ld")],
)
def test_service_description_by_content_negotiation(url: str, accept: str, parse_as: str) -> None:
    resp = httpx.get(url, headers={"Accept": accept})
    assert resp.status_code == 200 and resp.headers["content-type"].startswith(accept)
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    graph = rdflib.Graph().parse(data=resp.text, format=parse_as)
    service = rdflib.URIRef(url)
    assert (service, sd.endpoint, service) in graph
    assert (service, sd.supportedLanguage, sd.SPARQL11Query) in graph
    assert (service, sd.feature, sd.UnionDefaultGraph) in graph
    assert len(list(graph.objects(service, sd.resultFormat))) == 10


def test_result_formats_keep_types_and_blank_nodes(url: str) -> None:
    q = f"SELECT ?o WHERE {{ ?s <{X}p> ?o }} ORDER BY ?o"
    rows = httpx.get(url, params={"query": q}, headers={"Accept": "text/csv"}).text.splitlines()
    assert rows[0] == "o" and rows[1].startswith("_:") and rows[2] == "1"
    tsv = httpx.get(url, params={"query": q}, headers={"Accept": "text/tab-separated-values"}).text.splitlines()
    assert tsv[0] == "?o" and tsv[1].startswith("_:") and tsv[2] == "1"
    js = httpx.get(url, params={"query": q}).json()["results"]["bindings"]
    assert js[0]["o"]["type"] == "bnode"
    assert js[1]["o"] == {"type": "literal", "datatype": f"{ox_xsd()}integer", "value": "1"}
    xml = httpx.get(url, params={"query": q}, headers={"Accept": "application/sparql-results+xml"}).text
    assert "<bnode>" in xml and f'datatype="{ox_xsd()}integer"' in xml


def test_spreadsheet_formulas_are_neutralised_in_csv(url: str) -> None:
    q = f"SELECT ?n WHERE {{ ?s <{X}name> ?n }} ORDER BY ?n"
    text = httpx.get(url, params={"query": q}, headers={"Accept": "text/csv"}).text
    cells = [row[0] for row in csv.reader(io.StringIO(text))][1:]
    assert sorted(cells) == sorted("'" + h for h in HOSTILE)


def test_spreadsheet_formulas_are_neutralised_in_tsv(url: str) -> None:
    q = f"SELECT ?n WHERE {{ ?s <{X}name> ?n }} ORDER BY ?n"
    lines = httpx.get(url, params={"query": q}, headers={"Accept": "text/tab-separated-values"}).text.splitlines()
    # a TSV cell is a term: the quote goes inside the literal; a tab is written escaped, so it is harmless
    assert sorted(lines[1:]) == sorted(
        [
            '"\'=HYPERLINK(\\"http://evil.test\\",\\"x\\")"',
            "\"'+cmd|' /C calc'!A0\"",
            '"\'@SUM(1+1)"',
            '"\'-2+3"',
            '"\\tTabbed"',
        ]
    )


def test_allow_formulas_turns_the_quoting_off(store_dir: Path) -> None:
    from starlette.testclient import TestClient

    app = create_app(EmbeddedStore(store_dir), Settings(protect_cells=False, workers=1))
    with TestClient(app) as client:
        q = f"SELECT ?n WHERE {{ ?s <{X}name> ?n }} ORDER BY ?n"
        text = client.get("/sparql", params={"query": q}, headers={"Accept": "text/csv"}).text
    assert '"=HYPERLINK(""http://evil.test"",""x"")"' in text and "\r\n-2+3\r\n" in text


@pytest.mark.parametrize(
    ("fmt", "parse_as"),
    [(XML, "xml"), (RDFXML, "xml"), (TURTLE, "turtle"), (N3, "turtle"), (JSONLD, "json-ld")],
)
@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_sparqlwrapper_construct_in_every_format(url: str, fmt: str, parse_as: str) -> None:
    client = SPARQLWrapper(url)
    client.setQuery(f"CONSTRUCT {{ ?s <{X}q> ?o }} WHERE {{ ?s <{X}p> ?o }}")
    client.setReturnFormat(fmt)
    resp = client.query()
    body = resp.response.read()
    graph = rdflib.Graph().parse(data=body, format=parse_as)
    assert len(graph) == 2 and (rdflib.URIRef(f"{X}a"), rdflib.URIRef(f"{X}q"), rdflib.Literal(1)) in graph


def test_no_row_cap_on_construct(url: str) -> None:
    resp = httpx.get(url, params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"}, headers={"Accept": "application/n-triples"})
    assert len(resp.text.strip().splitlines()) == 2 + len(HOSTILE)


def test_json_results_are_valid_json(url: str) -> None:
    resp = httpx.get(url, params={"query": "SELECT * { ?s ?p ?o }", "format": "json"})
    doc = json.loads(resp.text)
    assert set(doc["head"]["vars"]) == {"s", "p", "o"} and len(doc["results"]["bindings"]) == 2 + len(HOSTILE)
