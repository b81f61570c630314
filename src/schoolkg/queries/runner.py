"""Run read-only queries with a time limit and a row cap, in worker processes that can be killed.

A query that overruns its time limit cannot be interrupted inside pyoxigraph, so each query runs
in a worker process holding its own read-only view of the store; on timeout the worker is
killed and replaced, and the caller gets a QueryTimeoutError.
"""

from __future__ import annotations

import multiprocessing as mp
import queue
import threading
from dataclasses import dataclass
from itertools import islice
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph

from schoolkg.errors import QueryError, SchoolkgError, StoreError
from schoolkg.queries.results import RESULT_FORMATS, serialize_solutions, serialize_triples
from schoolkg.store.embedded import EmbeddedStore, lease_store

__all__ = ["Answer", "QueryRunner", "QueryTimeoutError", "execute"]


class QueryTimeoutError(QueryError):
    """A query ran longer than the endpoint's time limit; HTTP 503."""

    http_status = 503


@dataclass(frozen=True)
class Answer:
    """A serialized query result: its media type, bytes, and whether the row cap cut it."""

    media_type: str
    body: bytes
    truncated: bool = False
    rows: int = 0


def execute(store: EmbeddedStore, sparql: str, media_type: str, max_rows: int) -> Answer:
    """Run ``sparql`` on ``store`` and serialize at most ``max_rows`` results as ``media_type``.

    ``media_type`` is a SPARQL results type (JSON, XML, CSV, TSV) for SELECT and ASK, or an RDF
    type (Turtle, N-Triples, JSON-LD) for CONSTRUCT and DESCRIBE.
    """
    results = store.query(sparql)
    if isinstance(results, pyoxigraph.QuerySolutions):
        variables = [v.value for v in results.variables]
        rows = [[sol[v] for v in variables] for sol in islice(results, max_rows + 1)]
        fmt = RESULT_FORMATS[media_type]
        return Answer(media_type, serialize_solutions(variables, rows[:max_rows], fmt), len(rows) > max_rows, len(rows))
    if isinstance(results, pyoxigraph.QueryBoolean):
        return Answer(media_type, _boolean(bool(results), RESULT_FORMATS[media_type]), False, 1)
    triples = list(islice(results, max_rows + 1))
    return Answer(media_type, serialize_triples(triples[:max_rows], media_type), len(triples) > max_rows, len(triples))


class QueryRunner:
    """A small pool of worker processes, each with the store at ``store_path`` open read-only.

    Parameters
    ----------
    store_path : Path
        A built store folder (``graphs/store``).
    workers : int
        How many queries may run at once.
    timeout : float
        Seconds a query may run before its worker is killed.
    """

    def __init__(self, store_path: Path, workers: int = 1, timeout: float = 10.0) -> None:
        self.store_path, self.timeout = Path(store_path), timeout
        self.workers = max(1, workers)
        self._ctx = mp.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: list[_Worker] = []
        self._lock = threading.Lock()
        self._folder = self.store_path.resolve()
        for _ in range(self.workers):
            self._add_worker()

    def run(self, sparql: str, media_type: str, max_rows: int) -> Answer:
        """Run one query in a free worker; raise QueryTimeoutError after ``timeout`` seconds.

        If a build has swapped a new store in since the last query, the workers are replaced
        first (each new one opens the new folder); queries already running finish on the old one.
        """
        self._refresh()
        worker = self._idle.get()
        while worker.stale:
            self._retire(worker)
            worker = self._idle.get()
        try:
            worker.conn.send((sparql, media_type, max_rows))
            if not worker.conn.poll(self.timeout):
                worker.kill()
                raise QueryTimeoutError(
                    f"query stopped after the time limit of {self.timeout:g} s; narrow it or add a LIMIT"
                )
            kind, payload = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            worker.kill()
            raise StoreError("the query worker stopped unexpectedly") from None
        finally:
            if worker.stale:
                self._retire(worker)
            elif worker.alive():
                self._idle.put(worker)
            else:
                self._replace(worker)
        if kind == "ok":
            return payload
        if kind == "query":
            raise QueryError(payload)
        raise StoreError(payload)

    def close(self) -> None:
        """Stop every worker."""
        with self._lock:
            for w in self._all:
                w.kill()
            self._all.clear()

    def _refresh(self) -> None:
        """Replace the workers when the store link points to a new folder."""
        if self.store_path.resolve() == self._folder:
            return
        with self._lock:
            live = self.store_path.resolve()
            if live == self._folder:
                return
            self._folder = live
            for w in self._all:
                w.stale = True
        for _ in range(self.workers):
            self._add_worker()

    def _retire(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            if worker in self._all:
                self._all.remove(worker)

    def _add_worker(self) -> None:
        w = _Worker(self._ctx, self.store_path)
        with self._lock:
            self._all.append(w)
        self._idle.put(w)

    def _replace(self, dead: _Worker) -> None:
        with self._lock:
            if dead in self._all:
                self._all.remove(dead)
        self._add_worker()


class _Worker:
    def __init__(self, ctx: mp.context.SpawnContext, store_path: Path) -> None:
        self.conn, child = ctx.Pipe()
        self.stale = False
        self.proc = ctx.Process(target=_worker_main, args=(child, str(store_path)), daemon=True)
        self.proc.start()
        child.close()

    def alive(self) -> bool:
        return self.proc.is_alive()

    def kill(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(timeout=5)
        self.conn.close()


def _worker_main(conn: Connection, store_path: str) -> None:  # pragma: no cover - runs in a child process
    store = EmbeddedStore(lease_store(Path(store_path)))
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        try:
            reply: tuple[str, object] = ("ok", execute(store, *job))
        except QueryError as err:
            reply = ("query", str(err))
        except (SchoolkgError, OSError, RuntimeError, ValueError, KeyError) as err:
            reply = ("store", f"query failed: {err}")
        conn.send(reply)


def _boolean(value: bool, fmt: str) -> bytes:
    if fmt == "json":
        return b'{"head":{},"boolean":%s}' % (b"true" if value else b"false")
    if fmt == "xml":
        return (
            b'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
            b"<boolean>%s</boolean></sparql>\n" % (b"true" if value else b"false")
        )
    return b"result\r\n%s\r\n" % (b"true" if value else b"false")
