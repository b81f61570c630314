"""The endpoint under hostile use: hidden updates, pathological queries, caps, slow and many
clients, no traces, CORS only when asked, and a build swapping the store while it serves.

Extends tests/queries/test_endpoint.py (which covers the plain refusals and one timeout) on a
store of its own, a symbolic link that builds replace. Issue 15's rows 1, 13, 14 and 16 are here:
a SERVICE that slips past the guard reaches nothing, one client cannot stall the others,
workers have a memory cap, every refusal is counted in the access log.
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
from schoolkg.queries import sandbox
from schoolkg.queries.endpoint import Settings, create_app
from schoolkg.queries.runner import Job, Limits, QueryRunner
from schoolkg.store.embedded import EmbeddedStore

SETTINGS = Settings(timeout=2.0, max_body=2048, workers=2, memory_mb=1024, max_answer_mb=1)
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
    "subquery-service": "select * { { select ?s { service <http://127.0.0.1:9/sparql> { ?s ?p ?o } } } }",
    "mixed-case-load": "LoAd <http://example.org/data.ttl> into graph <a:g>",
    "delete-where": "PREFIX x: <a:> DeLeTe WHERE { ?s ?p ?o }",
    "escaped-hash": "PREFIX ex: <http://e/> SELECT * { BIND(ex:a\\#b AS ?q) SERVICE SILENT <http://127.0.0.1:9/> {} }",
    "exists-service": "ASK { FILTER EXISTS { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } } }",
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
    # refused by meaning (403), or as text the guard cannot read (400, issue 15 row 1's \\#)
    assert resp.status_code == (400 if name == "escaped-hash" else 403), resp.text
    assert resp.text.startswith("error: ") and resp.text.count("\n") == 1
    assert "Traceback" not in resp.text


@pytest.mark.parametrize(
    "text", ["SELECT * WHERE { ?s ?p ?o } ; CLEAR DEFAULT", "select * where { ?s ?p ?o }#x\nclear all"]
)
def test_a_query_followed_by_an_update_is_not_run(site: tuple[str, Path], text: str) -> None:
    url, _ = site
    resp = httpx.post(f"{url}/sparql", data={"query": text})
    assert resp.status_code == 400 and resp.text.startswith("error: SPARQL syntax error")


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


def test_answer_above_the_size_limit_is_an_error_not_a_cut(site: tuple[str, Path]) -> None:
    url, _ = site
    big = "SELECT ?s ?o ?x WHERE { ?s ?p ?o . ?a ?b ?x }"  # a few million rows: far above 1 MB
    resp = httpx.get(f"{url}/sparql", params={"query": big}, headers={"Accept": "text/csv"}, timeout=60)
    assert resp.status_code == 503 and "larger than the limit of 1 MB" in resp.text
    assert _count(url) > 0


def test_string_doubling_hits_the_memory_cap(site: tuple[str, Path]) -> None:
    """Issue 15 row 14: a string-doubling query stops at the worker's memory cap, long before its time limit."""
    from starlette.testclient import TestClient

    _, ws = site
    binds = ['BIND("0123456789abcdef" AS ?v0)'] + [f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(34)]
    query = "SELECT (STRLEN(?v34) AS ?n) WHERE { " + " ".join(binds) + " }"
    app = create_app(EmbeddedStore(ws / "store"), Settings(timeout=60.0, workers=1, memory_mb=768))
    with TestClient(app) as client:
        start = time.monotonic()
        resp = client.post("/sparql", data={"query": query})
        assert resp.status_code == 503 and "memory limit of 768 MB" in resp.text, resp.text
        assert time.monotonic() - start < 30
        assert client.get("/sparql", params={"query": "ASK {}"}).json()["boolean"] is True  # a new worker answers


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


# ---- containment: the network, fairness, the access log (issue 15 rows 1, 13, 14)


def _listener() -> tuple[socket.socket, list[bytes]]:
    """A loopback listener recording whatever connects to it (a SERVICE would)."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    srv.settimeout(0.2)
    return srv, []


def _accepted(srv: socket.socket) -> list[str]:
    got = []
    try:
        while True:
            conn, _ = srv.accept()
            got.append(conn.recv(100).decode("latin-1"))
            conn.close()
    except OSError:
        pass
    return got


def _service_query(port: int) -> str:
    return f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"


def _contained_service(port: int, queue: object) -> None:
    """In a fresh process: contain it as a worker is contained, then let pyoxigraph run a SERVICE."""
    import pyoxigraph

    from schoolkg.queries.runner import Limits, contain

    problem = contain(Limits(memory_mb=1024))
    try:
        list(pyoxigraph.Store().query(_service_query(port)))
        queue.put(f"ran (containment: {problem})")  # type: ignore[attr-defined]
    except OSError as err:
        queue.put(f"failed: {err}")  # type: ignore[attr-defined]


@pytest.mark.skipif(not sandbox.supported(), reason="no seccomp network sandbox on this platform")
def test_a_service_that_slips_past_the_guard_sends_nothing() -> None:
    import multiprocessing as mp

    srv, _ = _listener()
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_contained_service, args=(srv.getsockname()[1], queue))
    proc.start()
    proc.join(timeout=60)
    outcome = queue.get(timeout=5)
    assert outcome.startswith("failed: ") and "Permission denied" in outcome
    assert _accepted(srv) == [], "a packet left the contained worker"
    srv.close()


@pytest.mark.skipif(not sandbox.supported(), reason="no seccomp network sandbox on this platform")
def test_cli_queries_run_offline_too(tmp_path: Path) -> None:
    import pyoxigraph

    from schoolkg.queries.execute import offline

    srv, _ = _listener()
    with pytest.raises(OSError, match="Permission denied"):
        offline(lambda: list(pyoxigraph.Store().query(_service_query(srv.getsockname()[1]))))
    assert _accepted(srv) == []
    socket.create_connection(srv.getsockname()).close()  # the rest of the process keeps its network
    assert len(_accepted(srv)) == 1
    srv.close()


@pytest.mark.skipif(not sandbox.supported(), reason="no seccomp network sandbox on this platform")
def test_every_worker_runs_under_a_seccomp_filter_and_a_memory_cap(site: tuple[str, Path]) -> None:
    _, ws = site
    runner = QueryRunner(ws / "store", workers=2, limits=Limits(memory_mb=1536))
    try:
        runner.run(Job("ASK {}"))  # the workers are up and answering
        for pid in runner.pids():
            status = Path(f"/proc/{pid}/status").read_text()
            assert "\nSeccomp:\t2\n" in status, f"worker {pid} has no seccomp filter"
            limits = Path(f"/proc/{pid}/limits").read_text()
            row = next(line for line in limits.splitlines() if line.startswith("Max address space"))
            assert str(1536 * 1024 * 1024) in row
    finally:
        runner.close()


def test_a_slow_client_does_not_stall_another(site: tuple[str, Path]) -> None:
    """Issue 15 row 13: one client's cartesian products; another's ASK {} is answered at once."""
    from starlette.testclient import TestClient

    _, ws = site
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    app = create_app(EmbeddedStore(ws / "store"), Settings(timeout=6.0, workers=2))
    with TestClient(app, client=("10.0.0.1", 1)) as attacker, TestClient(app, client=("10.0.0.2", 1)) as other:
        other.get("/sparql", params={"query": "ASK {}"})  # workers started
        threads = [
            threading.Thread(target=attacker.get, args=("/sparql",), kwargs={"params": {"query": slow}})
            for _ in range(3)
        ]
        for t in threads:
            t.start()
        time.sleep(0.5)  # the attacker now holds one worker and queues two more queries
        start = time.monotonic()
        resp = other.get("/sparql", params={"query": "ASK {}"})
        waited = time.monotonic() - start
        for t in threads:
            t.join(timeout=60)
    assert resp.status_code == 200 and waited < 3, f"waited {waited:.1f} s"


def test_every_refusal_is_counted_in_the_access_log(site: tuple[str, Path], caplog: pytest.LogCaptureFixture) -> None:
    import logging

    from starlette.testclient import TestClient

    from schoolkg.queries.accesslog import AccessLog

    _, ws = site
    log = AccessLog()
    app = create_app(EmbeddedStore(ws / "store"), Settings(timeout=1.5, workers=2, max_body=100), log)
    requests = [
        ("GET", {"params": {"query": "ASK {}"}}, 200),
        ("GET", {"params": {"query": "LOAD <http://x/>"}}, 403),
        ("GET", {"params": {"query": "ASK { SERVICE <http://x/> {} }"}}, 403),
        ("GET", {"params": {"query": "ASK {"}}, 400),
        ("GET", {"params": [("query", "ASK {}"), ("query", "ASK {}")]}, 400),
        ("GET", {"params": {"query": "ASK {}"}, "headers": {"Accept": "image/png"}}, 406),
        ("POST", {"content": "x" * 200, "headers": {"Content-Type": "application/sparql-query"}}, 413),
        ("POST", {"content": "ASK {}", "headers": {"Content-Type": "text/plain"}}, 415),
        ("GET", {"params": {"query": "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"}}, 503),
        ("PUT", {"content": "x"}, 405),
    ]
    with caplog.at_level(logging.INFO, logger="schoolkg.access"), TestClient(app) as client:
        for method, kwargs, status in requests:
            assert client.request(method, "/sparql", **kwargs).status_code == status
    assert log.requests == len(requests)
    assert dict(log.refusals) == {
        "update": 1,
        "service": 1,
        "bad-query": 1,
        "bad-request": 1,
        "not-acceptable": 1,
        "too-large": 1,
        "media-type": 1,
        "timeout": 1,
        "http-405": 1,
    }
    lines = [r.getMessage() for r in caplog.records if r.name == "schoolkg.access"]
    assert sum("refused=" in line for line in lines[:-1]) == len(requests) - 1
    assert lines[-1].startswith(f"requests={len(requests)} refused={len(requests) - 1}")
    assert all("LOAD" not in line for line in lines), "the log never holds query text"
