"""The SPARQL endpoint, driven by real clients against a server on a free loopback port."""

from __future__ import annotations

import io
import json
import re
import time
from collections.abc import Iterator

import httpx
import pandas as pd
import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, XML, SPARQLWrapper

from conftest import serve_in_thread
from schoolkg.queries.endpoint import Settings, create_app

SETTINGS = Settings(timeout=2.0, max_body=4096, workers=2)
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
SKG = "https://w3id.org/schoolkg/ontology#"
FIG1 = f"SELECT ?v WHERE {{ ?o <{SKG}comparisonGroup> ?g ; <{SKG}value> ?v }} ORDER BY ?v"
NAMED = f'?s a <{SKG}School> ; <https://schema.org/name> ?n . FILTER(CONTAINS(?n, "Blenheim"))'


@pytest.fixture(scope="module")
def server(built) -> Iterator[str]:
    with serve_in_thread(create_app(built.store, SETTINGS)) as url:
        yield url


def test_sparqlwrapper_json_and_xml(server: str) -> None:
    client = SPARQLWrapper(f"{server}/sparql")
    client.setQuery(FIG1)
    client.setReturnFormat(JSON)
    values = [float(b["v"]["value"]) for b in client.query().convert()["results"]["bindings"]]
    assert {44.4, 54.8, 55.4, 46.4, 49.6, 57.2} <= set(values)
    client.setReturnFormat(XML)
    doc = client.query().convert()
    xml_values = [float(n.firstChild.data) for n in doc.getElementsByTagName("literal")]
    assert sorted(xml_values) == sorted(values)


def test_sparqlwrapper_post(server: str) -> None:
    client = SPARQLWrapper(f"{server}/sparql")
    client.setMethod("POST")
    client.setQuery("ASK { ?s a <https://w3id.org/schoolkg/ontology#School> }")
    client.setReturnFormat(JSON)
    assert client.query().convert()["boolean"] is True


def test_rdflib_sparqlstore(server: str) -> None:
    graph = rdflib.Graph(SPARQLStore(f"{server}/sparql"))
    rows = list(graph.query(f"SELECT ?n WHERE {{ {NAMED} }}"))
    assert rdflib.Literal("Blenheim Primary School") in {r[0] for r in rows}


def test_pandas_reads_catalogue_csv(server: str) -> None:
    frame = pd.read_csv(f"{server}/queries/eic-gcse-gap?format=csv")
    assert frame["year"].tolist() == [2003, 2004, 2005]
    assert frame["gap"].tolist() == [10.4, 9.0, 7.6]


def test_catalogue_listing_and_parameters(server: str) -> None:
    listing = httpx.get(f"{server}/queries").json()
    assert len(listing) >= 15 and {"name", "title", "parameters", "columns"} <= set(listing[0])
    url = f"{server}/queries/practice-cooccurrence"
    injected = httpx.get(
        url, params={"context": '" } DROP ALL ; #'}, headers={"Accept": "application/sparql-results+json"}
    )
    assert injected.status_code == 200 and injected.json()["results"]["bindings"] == []
    bad = httpx.get(f"{server}/queries/strengths", params={"nope": "1"})
    assert bad.status_code == 400 and bad.text.startswith("error: ")


@pytest.mark.parametrize(
    ("accept", "parse_as"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
        ("application/n-quads", "nquads"),
        ("application/trig", "trig"),
    ],
)
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_construct_formats(server: str, accept: str, parse_as: str) -> None:
    q = f"CONSTRUCT {{ ?s <http://x/name> ?n }} WHERE {{ {NAMED} }}"
    resp = httpx.get(f"{server}/sparql", params={"query": q}, headers={"Accept": accept})
    assert resp.status_code == 200 and resp.headers["content-type"].startswith(accept)
    graph = rdflib.Dataset().parse(data=resp.text, format=parse_as)
    assert rdflib.Literal("Blenheim Primary School") in {o for _, _, o, _ in graph.quads()}


def test_tsv_and_service_description(server: str) -> None:
    resp = httpx.get(f"{server}/sparql", params={"query": FIG1}, headers={"Accept": "text/tab-separated-values"})
    lines = resp.text.splitlines()
    assert lines[0] == "?v" and "44.4" in lines and "57.2" in lines  # decimals written bare, as the spec allows
    sd = httpx.get(f"{server}/sparql")
    graph = rdflib.Graph().parse(data=sd.text, format="turtle")
    sdns = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    assert (None, sdns.supportedLanguage, sdns.SPARQL11Query) in graph


def test_every_row_is_sent(built) -> None:
    from starlette.testclient import TestClient

    total = len(built.store)
    with TestClient(create_app(built.store, Settings(timeout=120, workers=1))) as client:  # a generous limit
        resp = client.get("/sparql", params={"query": "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", "format": "json"})
    assert len(resp.json()["results"]["bindings"]) == total > 10_000  # no cap cuts the answer silently


@pytest.mark.parametrize(
    ("method", "kwargs"),
    [
        ("POST", {"data": {"update": "DROP ALL"}}),
        (
            "POST",
            {"content": b"INSERT DATA { <a:b> <a:c> <a:d> }", "headers": {"Content-Type": "application/sparql-update"}},
        ),
        ("POST", {"content": b"# sneaky\n  clear default", "headers": {"Content-Type": "application/sparql-query"}}),
        ("GET", {"params": {"query": "LOAD <http://example.org/data.ttl>"}}),
        (
            "GET",
            {"params": {"query": "select * { { select * { service <http://dbpedia.org/sparql> { ?s ?p ?o } } } }"}},
        ),
        ("POST", {"data": {"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"}}),
    ],
    ids=["update-form", "update-body", "clear", "load", "service-subquery", "service-form"],
)
def test_refuses_writes_and_service(server: str, method: str, kwargs: dict) -> None:
    resp = httpx.request(method, f"{server}/sparql", **kwargs)
    assert resp.status_code == 403
    assert resp.text.startswith("error: ") and ("read-only" in resp.text or "SERVICE" in resp.text)


def test_refuses_oversized_body(server: str) -> None:
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * SETTINGS.max_body
    resp = httpx.post(f"{server}/sparql", content=big, headers={"Content-Type": "application/sparql-query"})
    assert resp.status_code == 413 and "limit" in resp.text


def test_slow_query_times_out_and_server_recovers(server: str) -> None:
    start = time.monotonic()
    resp = httpx.get(f"{server}/sparql", params={"query": SLOW}, timeout=30)
    assert resp.status_code == 503 and "time limit" in resp.text
    assert time.monotonic() - start < SETTINGS.timeout + 5
    again = httpx.get(f"{server}/sparql", params={"query": "ASK { ?s ?p ?o }", "format": "json"}, timeout=30)
    assert again.json()["boolean"] is True


def test_errors_are_one_line_without_traces_and_no_cors(server: str) -> None:
    resp = httpx.get(
        f"{server}/sparql", params={"query": "SELECT ?x WHERE { ?x"}, headers={"Origin": "http://evil.example"}
    )
    assert resp.status_code == 400 and resp.text.startswith("error: ") and "Traceback" not in resp.text
    assert "access-control-allow-origin" not in resp.headers


def test_ui_page_is_offline(server: str) -> None:
    page = httpx.get(f"{server}/").text
    assert "static/yasgui/yasgui.min.js" in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page), "the page must not load anything remote"
    catalogue = json.loads(page.split('id="catalogue">', 1)[1].split("</script>", 1)[0])
    assert {q["name"] for q in catalogue} >= {"eic-gcse-gap", "school-profile"}
    assert httpx.get(f"{server}/static/yasgui/LICENSE.txt").text.startswith("The MIT License")
    csv = httpx.post(f"{server}/sparql", data={"query": FIG1}, headers={"Accept": "text/csv"})
    assert pd.read_csv(io.StringIO(csv.text))["v"].max() == 57.2
