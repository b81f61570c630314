"""Shared fixtures: the default corpus built once per test session into a temporary folder."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from schoolkg.pipeline import BuildSummary, run_build
from schoolkg.store.embedded import EmbeddedStore
from schoolkg.store.table import Table, to_table

TESTS = Path(__file__).resolve().parent
"""The tests folder (tests/<package>/test_*.py mirror src/schoolkg/<package>/)."""
ROOT = TESTS.parent
FIXTURES = TESTS / "fixtures"
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"

PREFIXES = """
PREFIX skg: <https://w3id.org/schoolkg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prog: <https://w3id.org/schoolkg/programme/>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
"""


@dataclass
class Built:
    """A built corpus: the build summary, the store and a query helper."""

    summary: BuildSummary
    store: EmbeddedStore
    dir: Path

    def select(self, body: str) -> Table:
        return to_table(self.store.query(PREFIXES + body))


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    out = tmp_path_factory.mktemp("build")
    summary = run_build(CORPUS, out / "store", out / "schoolkg.nq")
    return Built(summary, EmbeddedStore(out / "store"), out)


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A writable copy of the default corpus."""
    dst = tmp_path / "corpus"
    shutil.copytree(CORPUS, dst)
    return dst


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve_in_thread(app: object, **config: object) -> Iterator[str]:
    """Run an ASGI app with uvicorn on a free loopback port in a thread; yield its base URL."""
    import threading
    import time

    import uvicorn

    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error", **config))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        if time.monotonic() > deadline:
            raise RuntimeError("endpoint did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)
