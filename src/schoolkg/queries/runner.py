"""Run read-only queries in contained worker processes, fairly, with time, memory and size limits.

Each query runs in a worker process that holds its own read-only view of the store, cannot
reach the network (a seccomp filter, :mod:`schoolkg.queries.sandbox`) and has a capped address
space. The worker checks the query (:func:`schoolkg.queries.guard.inspect_query`), picks the
media type, runs it and writes the whole answer to a file with pyoxigraph's serializers: every
row, or an error saying why not — past the time limit the worker is killed and replaced, past
the memory limit it dies and is replaced, past the size limit the write fails.

Workers are handed out fairly: a client (an address) may hold at most ``per_client`` workers at
once (by default all but one), and a free worker goes to the waiting client that holds fewest,
then to the longest waiting. So one client's slow queries cannot stall everybody else.
"""

from __future__ import annotations

import errno
import multiprocessing as mp
import shutil
import signal
import tempfile
import threading
import uuid
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import cast

import pyoxigraph

from schoolkg.errors import QueryError, SchoolkgError, StoreError
from schoolkg.queries.fairness import FairSlots, ServerBusy
from schoolkg.queries.guard import ServiceRefused, UpdateRefused, inspect_query
from schoolkg.queries.media import NotAcceptable, negotiate
from schoolkg.queries.results import write_answer
from schoolkg.store.embedded import EmbeddedStore, lease_store
from schoolkg.store.remote import RemoteStore

__all__ = [
    "Answer",
    "Job",
    "Limits",
    "QueryLimitError",
    "QueryRunner",
    "QueryTimeoutError",
    "RemoteRunner",
    "ServerBusy",
    "contain",
    "execute",
]


class QueryTimeoutError(QueryError):
    """A query ran longer than the endpoint's time limit; HTTP 503."""

    http_status = 503
    reason = "timeout"


class QueryLimitError(QueryError):
    """A query needed more memory, or a larger answer, than the endpoint allows; HTTP 503."""

    http_status = 503
    reason = "limit"


@dataclass(frozen=True)
class Job:
    """One query to run, with what the request asked for.

    ``accept`` is the Accept header, ``formats`` the ``format`` values; ``default_graphs`` and
    ``named_graphs`` the protocol's dataset (``None``: not given; then the query's own ``FROM``
    clauses, or else the union of all graphs, make the default graph); ``base_iri`` resolves
    relative IRIs; ``protect`` quotes spreadsheet formulas in CSV and TSV cells.
    """

    sparql: str
    accept: str | None = None
    formats: tuple[str, ...] = ()
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    base_iri: str | None = None
    protect: bool = True


@dataclass(frozen=True)
class Answer:
    """A serialized answer in the file ``path``: its query form and media type."""

    form: str
    media_type: str
    path: Path


@dataclass(frozen=True)
class Limits:
    """What one query may use: ``timeout`` seconds (checking, running and writing the answer),
    ``memory_mb`` of address space per worker (0: no cap), an answer of ``max_answer_mb`` (0:
    no cap), and ``queue_timeout`` seconds waiting for a free worker."""

    timeout: float = 10.0
    memory_mb: int = 2048
    max_answer_mb: int = 1024
    queue_timeout: float = 30.0


def execute(store: EmbeddedStore, job: Job, path: Path) -> Answer:
    """Check ``job``'s query, run it on ``store`` and write the whole answer to ``path``.

    Raises UpdateRefused or ServiceRefused, NotAcceptable (no offered format matches),
    QueryError (syntax) or StoreError.

    Examples
    --------
    >>> import tempfile
    >>> store = EmbeddedStore.in_memory()
    >>> path = Path(tempfile.mkdtemp()) / "answer"
    >>> execute(store, Job("ASK {}", accept="text/csv"), path).media_type
    'text/csv'
    >>> path.read_bytes()
    b'true\\r\\n'
    """
    info = inspect_query(job.sparql)
    media = negotiate(job.accept, info.form, job.formats)
    given = job.default_graphs is not None or job.named_graphs is not None
    results = store.query(
        job.sparql,
        default_graph=[pyoxigraph.NamedNode(g) for g in job.default_graphs or ()] if given else None,
        named_graphs=[pyoxigraph.NamedNode(g) for g in job.named_graphs or ()] if given else None,
        base_iri=job.base_iri,
        union=not info.has_dataset,
    )
    try:
        write_answer(results, media, path, job.protect)
    except SyntaxError as err:  # pyoxigraph reports some evaluation errors this way
        raise QueryError(f"query failed: {err}") from None
    return Answer(info.form, media, path)


class QueryRunner:
    """A pool of contained worker processes, each with the store at ``store_path`` open read-only.

    Parameters
    ----------
    store_path : Path
        A built store folder or link (``graphs/store``).
    workers : int
        How many queries may run at once.
    limits : Limits
        Time, memory and answer-size limits per query, and the longest wait for a worker.
    per_client : int or None
        Most workers one client may hold at once; by default all but one (at least one).
    sandbox : bool
        Deny the workers the network (Linux); off only where the platform has no seccomp.
    """

    def __init__(
        self,
        store_path: Path,
        workers: int = 2,
        limits: Limits | None = None,
        per_client: int | None = None,
        sandbox: bool = True,
    ) -> None:
        self.store_path, self.limits, self.sandbox = Path(store_path), limits or Limits(), sandbox
        self.workers = max(1, workers)
        self._slots = FairSlots(self.workers, per_client, self.limits.queue_timeout)
        self._ctx = mp.get_context("spawn")
        self._dir = Path(tempfile.mkdtemp(prefix="schoolkg-answers-"))
        self._cond = threading.Condition()
        self._idle: list[_Worker] = []
        self._all: list[_Worker] = []
        self._folder = self.store_path.resolve()
        for _ in range(self.workers):
            self._add_worker()

    def run(self, job: Job, client: str = "local") -> Answer:
        """Run ``job`` in a free worker; the caller deletes the answer's file when done with it.

        Raises QueryTimeoutError after the time limit, QueryLimitError over the memory or size
        limit, ServerBusy when no worker is free within the queue limit, and the worker's own
        errors (ReadOnlyError, NotAcceptable, QueryError, StoreError).

        If a build has swapped a new store in since the last query, the workers are replaced
        first (each new one opens the new folder); queries already running finish on the old one.
        """
        self._refresh()
        worker = self._acquire(client)
        path = self._dir / f"{uuid.uuid4().hex}.answer"
        try:
            reply = self._ask(worker, job, path)
            if reply[0] == "limit":
                worker.kill()  # it stops itself after a limit error; do not hand it out meanwhile
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        finally:
            self._release(worker, client)
        kind, payload = reply
        if kind == "ok":
            form, media = cast(tuple[str, str], payload)
            return Answer(form, media, path)
        path.unlink(missing_ok=True)
        raise _ERRORS.get(kind, StoreError)(payload)

    def pids(self) -> list[int]:
        """The process ids of the workers (for monitoring, and the tests of their containment)."""
        with self._cond:
            return [w.proc.pid for w in self._all if w.proc.pid is not None]

    def close(self) -> None:
        """Stop every worker and remove the answers folder."""
        with self._cond:
            for w in self._all:
                w.kill()
            self._all.clear()
            self._idle.clear()
        shutil.rmtree(self._dir, ignore_errors=True)

    def _ask(self, worker: _Worker, job: Job, path: Path) -> tuple[str, object]:
        try:
            worker.wait_ready()  # the time limit starts once the worker has opened the store
            worker.conn.send((job, str(path)))
            if not worker.conn.poll(self.limits.timeout):
                worker.kill()
                raise QueryTimeoutError(
                    f"query stopped after the time limit of {self.limits.timeout:g} s; narrow it or add a LIMIT"
                )
            return worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            code = worker.kill()
        if code in (-signal.SIGABRT, -signal.SIGSEGV, -signal.SIGKILL) and self.limits.memory_mb:
            raise QueryLimitError(
                f"query stopped: it needed more than the memory limit of {self.limits.memory_mb} MB;"
                " narrow it or add a LIMIT"
            )
        raise StoreError(f"the query worker stopped unexpectedly (exit {code})")

    def _acquire(self, client: str) -> _Worker:
        """A free, current worker, once ``client``'s turn has come (:class:`FairSlots`)."""
        self._slots.acquire(client)
        with self._cond:
            while True:
                while not self._idle:
                    self._cond.wait()
                worker = self._idle.pop()
                if not worker.stale:
                    return worker
                self._retire(worker)

    def _release(self, worker: _Worker, client: str) -> None:
        with self._cond:
            if worker.stale or not worker.alive():
                self._retire(worker)
                if not worker.stale:
                    self._add_worker_locked()
            else:
                self._idle.append(worker)
            self._cond.notify_all()
        self._slots.release(client)

    def _refresh(self) -> None:
        """Replace the workers when the store link points to a new folder."""
        if self.store_path.resolve() == self._folder:
            return
        with self._cond:
            live = self.store_path.resolve()
            if live == self._folder:
                return
            self._folder = live
            for w in self._all:
                w.stale = True
            for w in [w for w in self._idle if w.stale]:
                self._retire(w)
            for _ in range(self.workers):
                self._add_worker_locked()
            self._cond.notify_all()

    def _retire(self, worker: _Worker) -> None:
        worker.kill()
        if worker in self._all:
            self._all.remove(worker)
        if worker in self._idle:
            self._idle.remove(worker)

    def _add_worker(self) -> None:
        with self._cond:
            self._add_worker_locked()

    def _add_worker_locked(self) -> None:
        w = _Worker(self._ctx, self.store_path, self.limits, self.sandbox)
        self._all.append(w)
        self._idle.append(w)


class RemoteRunner:
    """Answer jobs from a remote SPARQL endpoint (``schoolkg serve --store URL``).

    Each query is checked here (the read-only guard, content negotiation), run there (with the
    protocol's dataset passed on; the remote resolves relative IRIs against its own base), and
    its answer written here with pyoxigraph's serializers. At most ``workers`` queries are sent
    at once, handed out fairly (:class:`FairSlots`); the remote store's HTTP timeout is the
    time limit. No process here runs the query, so there is no local memory cap or sandbox to
    apply: the remote server's own limits hold.
    """

    def __init__(
        self, store: RemoteStore, workers: int = 2, limits: Limits | None = None, per_client: int | None = None
    ) -> None:
        self.store, self.limits = store, limits or Limits()
        self._slots = FairSlots(workers, per_client, self.limits.queue_timeout)
        self._dir = Path(tempfile.mkdtemp(prefix="schoolkg-answers-"))

    def run(self, job: Job, client: str = "local") -> Answer:
        """Run ``job`` on the remote store; raise what the guard, negotiation or the remote raise."""
        self._slots.acquire(client)
        path = self._dir / f"{uuid.uuid4().hex}.answer"
        try:
            info = inspect_query(job.sparql)
            media = negotiate(job.accept, info.form, job.formats)
            results = self.store.query(
                job.sparql, default_graphs=list(job.default_graphs or []), named_graphs=list(job.named_graphs or [])
            )
            write_answer(results, media, path, job.protect)
            return Answer(info.form, media, path)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        finally:
            self._slots.release(client)

    def pids(self) -> list[int]:
        """No local worker processes."""
        return []

    def close(self) -> None:
        """Remove the answers folder."""
        shutil.rmtree(self._dir, ignore_errors=True)


_ERRORS: dict[str, type[SchoolkgError]] = {
    "query": QueryError,
    "service": ServiceRefused,
    "update": UpdateRefused,
    "notacceptable": NotAcceptable,
    "limit": QueryLimitError,
    "store": StoreError,
}


@dataclass(eq=False)
class _Worker:
    ctx: mp.context.SpawnContext
    store_path: Path
    limits: Limits
    sandbox: bool
    stale: bool = False
    ready: bool = False
    conn: Connection = field(init=False)
    proc: mp.process.BaseProcess = field(init=False)

    def __post_init__(self) -> None:
        self.conn, child = self.ctx.Pipe()
        self.proc = self.ctx.Process(
            target=_worker_main, args=(child, str(self.store_path), self.limits, self.sandbox), daemon=True
        )
        self.proc.start()
        child.close()

    def alive(self) -> bool:
        return self.proc.is_alive()

    def wait_ready(self, timeout: float = 120.0) -> None:
        """Wait for the worker's ``ready`` message (sent once it is contained and has the store open)."""
        if not self.ready:
            if not self.conn.poll(timeout):
                raise OSError("the query worker did not start")
            self.conn.recv()
            self.ready = True

    def kill(self) -> int | None:
        """Stop the process; return its exit code (negative: the signal that ended it)."""
        if self.proc.is_alive():
            self.proc.join(timeout=0.05)
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(timeout=5)
        self.conn.close()
        return self.proc.exitcode


def contain(limits: Limits, sandbox: bool = True) -> str | None:
    """What every worker does first: cap its memory and answer size, and deny itself the network.

    Returns None, or why the network could not be denied (then the worker refuses every job).
    """
    import os
    import resource

    from schoolkg.queries import sandbox as box

    os.environ["RUST_BACKTRACE"] = "0"  # an allocation past the cap prints one line, not a stack
    box.limit_memory(limits.memory_mb * 1024 * 1024)
    if limits.max_answer_mb:
        cap = limits.max_answer_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_FSIZE, (cap, cap))
    if sandbox:
        try:
            box.deny_network(whole_process=True)
        except box.SandboxError as err:
            return f"the query worker cannot deny itself the network: {err}"
    return None


def _worker_main(conn: Connection, store_path: str, limits: Limits, sandbox: bool) -> None:  # pragma: no cover
    """A worker: contain itself, open the store, then answer jobs until the pipe closes."""
    setup_error = contain(limits, sandbox)
    import rdflib.plugins.sparql.parser  # noqa: F401 - the guard's parser, loaded before the first query

    store = None if setup_error else EmbeddedStore(lease_store(Path(store_path)))
    conn.send(("ready", None))
    while True:
        try:
            job, path = conn.recv()
        except EOFError:
            return
        if store is None:
            conn.send(("store", setup_error))
            continue
        try:
            answer = execute(store, job, Path(path))
            reply: tuple[str, object] = ("ok", (answer.form, answer.media_type))
        except ServiceRefused as err:
            reply = ("service", str(err))
        except UpdateRefused as err:
            reply = ("update", str(err))
        except NotAcceptable as err:
            reply = ("notacceptable", str(err))
        except QueryError as err:
            reply = ("query", str(err))
        except MemoryError:
            reply = ("limit", f"query stopped: it needed more than the memory limit of {limits.memory_mb} MB")
        except OSError as err:
            if err.errno == errno.EFBIG or f"(os error {errno.EFBIG})" in str(err):  # pyoxigraph sets no errno
                reply = ("limit", f"the answer is larger than the limit of {limits.max_answer_mb} MB; add a LIMIT")
            else:
                reply = ("store", f"query failed: {err}")
        except (SchoolkgError, RuntimeError, ValueError, KeyError) as err:
            reply = ("store", f"query failed: {err}")
        conn.send(reply)
        if reply[0] == "limit":
            return  # a worker that ran out of memory may be in a bad state: let it be replaced
