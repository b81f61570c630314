"""Shared fixtures: the default corpus built once per test session into a temporary folder."""

from __future__ import annotations

import csv
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


SHARED_DATA = SHARED / "data"
SAMPLE_ROWS = {"gias-links-2022-07-30.csv": 600, "england-primary-ofsted-rating-gias-2024.csv": 400}
"""Rows kept (after the header) of the big shared tables in the test sample; others keep 120."""
SAMPLE_URNS = frozenset({"114837", "143337", "123095", "142350"})
"""URNs whose rows every sampled table keeps: the Blenheim letter's school and the academy that
replaced it (GIAS links), and an Oxfordshire academy converter with its predecessor."""


def corpus_subset(dst: Path, docs: list[str], tables: list[str]) -> Path:
    """A corpus folder at ``dst`` holding only these documents and tables of the embedded corpus."""
    (dst / "documents").mkdir(parents=True)
    (dst / "tables").mkdir()
    for d in docs:
        shutil.copyfile(CORPUS / "documents" / d, dst / "documents" / d)
    for t in tables:
        shutil.copyfile(CORPUS / "tables" / t, dst / "tables" / t)
    return dst


def sample_shared(dst: Path, src: Path = SHARED_DATA) -> Path:
    """A small, deterministic sample of every CSV table under ``src`` (same folders, encodings and
    line endings): the first rows of each file, every row naming a :data:`SAMPLE_URNS` URN, and
    the small programme and school lists whole."""
    for path in sorted(src.rglob("*.csv")):
        rel = path.relative_to(src)
        out = dst / rel
        out.parent.mkdir(parents=True, exist_ok=True)
        if rel.parts[0] in ("programmes", "schools") or "meta" in path.name:
            shutil.copyfile(path, out)
            continue
        raw = path.read_bytes()
        encoding = "utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8"
        try:
            raw.decode(encoding)
        except UnicodeDecodeError:
            encoding = "cp1252"
        ending = "\r\n" if b"\r\n" in raw[:4096] else "\n"
        limit = SAMPLE_ROWS.get(path.name, 120)
        with path.open(encoding=encoding, newline="") as fh, out.open("w", encoding=encoding, newline="") as wh:
            writer = csv.writer(wh, lineterminator=ending)
            for i, row in enumerate(csv.reader(fh)):
                if i <= limit or SAMPLE_URNS.intersection(row):
                    writer.writerow(row)
    return dst


@pytest.fixture(scope="session")
def shared_built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The default corpus built ``--with`` a sample of ../shared/data (skipped when it is absent).

    A full ``schoolkg build --with shared`` takes minutes (docs/benchmarks.md); the sample keeps
    every table kind and the rows the identity and membership tests need.
    """
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared data folder {SHARED_DATA} is absent: the --with shared tests need it")
    out = tmp_path_factory.mktemp("shared-build")
    sample = sample_shared(out / "data")
    summary = run_build(CORPUS, out / "store", out / "schoolkg.nq", extra_tables=[sample], validate=False)
    return Built(summary, EmbeddedStore(out / "store"), out)


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


def mini_store(path: Path) -> EmbeddedStore:
    """The ontology, the practices and tests/fixtures/queries/mini.trig with its aggregates, as a build writes them."""
    import pyoxigraph

    from schoolkg.mapping.aggregates import aggregate_quads
    from schoolkg.resources import ontology_dir

    raw = pyoxigraph.Store(str(path))
    for name, graph in (("schoolkg.ttl", "ontology"), ("practices.ttl", "practices")):
        raw.load(
            path=str(ontology_dir() / name),
            format=pyoxigraph.RdfFormat.TURTLE,
            to_graph=pyoxigraph.NamedNode(f"https://w3id.org/schoolkg/graph/{graph}"),
        )
    raw.load(path=str(ROOT / "tests" / "fixtures" / "queries" / "mini.trig"), format=pyoxigraph.RdfFormat.TRIG)
    raw.extend(aggregate_quads(raw.quads_for_pattern(None, None, None, None)))
    raw.flush()
    del raw
    return EmbeddedStore(path)
