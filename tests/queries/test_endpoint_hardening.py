"""The endpoint under hostile use: hidden updates, pathological queries, caps, slow and many
clients, no traces, CORS only when asked, and a build swapping the store while it serves.

Extends tests/test_endpoint.py (which covers the plain refusals, the row cap and one timeout)
on a store of its own, a symbolic link that builds replace.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from conftest import ROOT, serve_in_thread
from schoolkg.pipeline import run_build
from schoolkg.queries.endpoint import Settings, create_app
from schoolkg.store.embedded import EmbeddedStore

SETTINGS = Settings(timeout=2.0, max_rows=20, max_body=2048, workers=2)
LA = "<https://w3id.org/schoolkg/ontology#LocalAuthority>"
COUNT_LA = f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a {LA} }}"
SCHOOLKG = str(Path(sys.executable).parent / "schoolkg")


def _corpus(dst: Path, tables: list[str]) -> Path:
    (dst / "tables").mkdir(parents=True)
    for t in tables:
        shutil.copyfile(ROOT / "corpus" / "tables" / t, dst / "tables" / t)
    return dst


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A server on a free loopback port over ``ws/store`` (one table), and the workspace."""
    ws = tmp_path_factory.mktemp("hardening")
    run_build(_corpus(ws / "old", ["eic-local-authorities.csv"]), ws / "store", ws / "g.nq")
    _corpus(ws / "new", ["eic-local-authorities.csv", "bip-local-authorities.csv"])
    app = create_app(EmbeddedStore(ws / "store"), SETTINGS)
    with serve_in_thread(app, timeout_keep_alive=2, limit_concurrency=400) as url:
        yield url, ws


def _count(url: str) -> int:
    resp = httpx.get(f"{url}/sparql", params={"query": COUNT_LA, "format": "json"}, timeout=30)
    assert resp.status_code == 200, resp.text
    return int(resp.json()["results"]["bindings"][0]["n"]["value"])


HIDDEN = {
    "lower-insert": "insert data { <a:b> <a:c> <a:d> }",
    "comment-then-drop": "# a harmless comment\n  drop all",
    "comment-glued": "select * where { ?s ?p ?o }#x\nclear all",
    "subquery-service": "select * { { select ?s { service <http://127.0.0.1:9/sparql> { ?s ?p ?o } } } }",
    "mixed-case-load": "LoAd <http://example.org/data.ttl> into graph <a:g>",
    "delete-where": "PREFIX x: <a:> DeLeTe WHERE { ?s ?p ?o }",
    "after-select": "SELECT * WHERE { ?s ?p ?o } ; CLEAR DEFAULT",
    "service-silent": "ask { service silent <http://example.org/> { ?s ?p ?o } }",
    "with-modify": "WITH <a:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "copy-move-add": "copy default to <a:g>",
}


@pytest.mark.parametrize("method", ["GET", "POST-form", "POST-body"])
@pytest.mark.parametrize("name", sorted(HIDDEN))
def test_hidden_updates_and_service_refused(site: tuple[str, Path], name: str, method: str) -> None:
    url, _ = site
    text = HIDDEN[name]
    if method == "GET":
        resp = httpx.get(f"{url}/sparql", params={"query": text})
    elif method == "POST-form":
        resp = httpx.post(f"{url}/sparql", data={"query": text})
    else:
        resp = httpx.post(f"{url}/sparql", content=text, headers={"Content-Type": "application/sparql-query"})
    assert resp.status_code == 403, resp.text
    assert resp.text.startswith("error: ") and resp.text.count("\n") == 1
    assert "Traceback" not in resp.text


def test_update_keywords_inside_strings_and_names_are_fine(site: tuple[str, Path]) -> None:
    url, _ = site
    query = 'SELECT ?load WHERE { BIND("DROP ALL; service <x>" AS ?load) } # insert data'
    resp = httpx.get(f"{url}/sparql", params={"query": query, "format": "json"})
    assert resp.status_code == 200
    assert resp.json()["results"]["bindings"][0]["load"]["value"] == "DROP ALL; service <x>"


@pytest.mark.parametrize(
    "query",
    [
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
        "SELECT (COUNT(*) AS ?n) WHERE { ?a (!<x:none>|^!<x:none>)* ?b }",
    ],
    ids=["cartesian", "property-path-both-ways"],
)
def test_pathological_queries_time_out_and_server_recovers(site: tuple[str, Path], query: str) -> None:
    url, _ = site
    start = time.monotonic()
    resp = httpx.get(f"{url}/sparql", params={"query": query}, timeout=60)
    assert resp.status_code == 503 and "time limit" in resp.text
    assert time.monotonic() - start < SETTINGS.timeout + 10
    assert _count(url) > 0


def test_result_cap_on_construct(site: tuple[str, Path]) -> None:
    url, _ = site
    resp = httpx.get(
        f"{url}/sparql",
        params={"query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"},
        headers={"Accept": "application/n-triples"},
    )
    assert resp.status_code == 200
    assert len([line for line in resp.text.splitlines() if line.strip()]) == SETTINGS.max_rows
    assert resp.headers["x-result-truncated"].startswith("true")


def test_body_cap_without_content_length(site: tuple[str, Path]) -> None:
    url, _ = site

    def chunks() -> Iterator[bytes]:
        yield b"SELECT * WHERE { ?s ?p ?o } #"
        for _ in range(10):
            yield b"x" * 1024

    resp = httpx.post(f"{url}/sparql", content=chunks(), headers={"Content-Type": "application/sparql-query"})
    assert resp.status_code == 413 and "limit" in resp.text


@pytest.mark.parametrize(
    ("method", "path", "kwargs"),
    [
        ("GET", "/sparql", {"params": {"query": "SELECT * WHERE { ?s ?p"}}),
        ("GET", "/sparql", {"params": {"query": "SELECT * {}", "format": "image/png"}}),
        ("GET", "/sparql", {"params": {"query": "SELECT * {}", "default-graph-uri": "a:g"}}),
        (
            "POST",
            "/sparql",
            {"content": b"\xff\xfe\x00garbage", "headers": {"Content-Type": "application/sparql-query"}},
        ),
        (
            "POST",
            "/sparql",
            {"content": b"query=%ZZ%", "headers": {"Content-Type": "application/x-www-form-urlencoded"}},
        ),
        ("POST", "/sparql", {"content": b"{}", "headers": {"Content-Type": "application/json"}}),
        ("GET", "/queries/no-such-query", {}),
        ("GET", "/queries/programme-participants", {"params": {"programme": "not an iri"}}),
        ("GET", "/sparql", {"params": {"query": "SELECT * {}"}, "headers": {"Accept": ";;;q=abc,,"}}),
        ("PUT", "/sparql", {"content": b"x"}),
    ],
    ids=[
        "syntax",
        "format",
        "dataset",
        "binary-body",
        "bad-form",
        "json-body",
        "no-query",
        "bad-param",
        "accept",
        "put",
    ],
)
def test_bad_requests_get_one_line_and_no_trace(site: tuple[str, Path], method: str, path: str, kwargs: dict) -> None:
    url, _ = site
    resp = httpx.request(method, url + path, **kwargs)
    assert 400 <= resp.status_code < 500 or resp.status_code == 200, resp.status_code
    assert "Traceback" not in resp.text and 'File "' not in resp.text
    if resp.status_code != 200 and resp.headers.get("content-type", "").startswith("text/plain"):
        assert resp.text.count("\n") <= 1


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_cors_off_by_default_and_on_when_enabled(site: tuple[str, Path]) -> None:
    from starlette.testclient import TestClient

    url, ws = site
    headers = {"Origin": "http://evil.example", "Access-Control-Request-Method": "POST"}
    pre = httpx.options(f"{url}/sparql", headers=headers)
    assert "access-control-allow-origin" not in pre.headers
    plain = httpx.get(f"{url}/queries", headers={"Origin": "http://evil.example"})
    assert "access-control-allow-origin" not in plain.headers
    app = create_app(EmbeddedStore(ws / "store"), Settings(cors=True))
    with TestClient(app) as client:
        resp = client.get("/queries", headers={"Origin": "http://elsewhere.example"})
        assert resp.headers["access-control-allow-origin"] == "*"


def test_slow_clients_and_many_connections_do_not_block_others(site: tuple[str, Path]) -> None:
    url, _ = site
    port = int(url.rsplit(":", 1)[1])
    idle, slow = [], []
    try:
        for _ in range(150):  # many idle connections
            idle.append(socket.create_connection(("127.0.0.1", port)))
        for _ in range(5):  # slow clients: half a request, then nothing
            s = socket.create_connection(("127.0.0.1", port))
            s.sendall(
                b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                b"Content-Length: 500\r\n\r\nSEL"
            )
            slow.append(s)
        start = time.monotonic()
        assert _count(url) > 0
        assert time.monotonic() - start < 10
    finally:
        for s in idle + slow:
            s.close()
    assert _count(url) > 0


def test_build_while_serving_switches_to_the_new_graph(site: tuple[str, Path]) -> None:
    url, ws = site
    before = _count(url)
    old_folder = (ws / "store").resolve()
    answers: list[int] = []
    errors: list[str] = []
    stop = threading.Event()

    def hammer() -> None:
        while not stop.is_set():
            try:
                answers.append(_count(url))
            except (AssertionError, httpx.HTTPError) as err:
                errors.append(repr(err))

    thread = threading.Thread(target=hammer)
    thread.start()
    try:
        cmd = [SCHOOLKG, "build", "--corpus", "new", "--store", "store", "--nquads", "g.nq", "--no-validate"]
        subprocess.run(cmd, cwd=ws, check=True, capture_output=True, timeout=120)
        time.sleep(0.5)
    finally:
        stop.set()
        thread.join(timeout=60)
    after = _count(url)
    assert errors == []
    assert after > before
    assert set(answers) <= {before, after} and answers
    # the folder the server's old workers read was kept while they held it; the next build removes it
    assert (ws / "store").resolve() != old_folder
    cmd = [SCHOOLKG, "build", "--corpus", "new", "--store", "store", "--nquads", "g.nq", "--no-validate"]
    subprocess.run(cmd, cwd=ws, check=True, capture_output=True, timeout=120)
    assert _count(url) == after
    assert not old_folder.exists()
