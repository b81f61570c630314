"""Real SPARQL servers for the remote-store tests, started on loopback with a temporary database.

:func:`oxigraph_server` runs the ``oxigraph`` command from the pip package of that name (a test
dependency); :func:`virtuoso_server` runs Debian's ``virtuoso-t`` (package
``virtuoso-opensource``, which ``.ci/run`` installs) and lets its anonymous SPARQL user write
through the Graph Store Protocol. Each yields a :class:`Server` and stops it afterwards.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from conftest import free_port

OXIGRAPH = Path(sys.executable).parent / "oxigraph"
VIRTUOSO = shutil.which("virtuoso-t")
ISQL = shutil.which("isql-vt") or shutil.which("isql")
VIRTUOSO_VSP = Path("/var/lib/virtuoso-opensource-7/vsp")


@dataclass(frozen=True)
class Server:
    """A running server: its name, SPARQL query URL and Graph Store Protocol URL."""

    name: str
    query: str
    graph_store: str


def _wait(url: str, proc: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server stopped at start (exit {proc.returncode})")
        try:
            if httpx.get(url, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"no answer from {url} after {seconds:g} s")


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


@contextmanager
def oxigraph_server(folder: Path) -> Iterator[Server]:
    """``oxigraph serve`` (read-write, union default graph) on a free loopback port."""
    port = free_port()
    cmd = [str(OXIGRAPH), "serve", "--location", str(folder / "oxigraph"), "--bind", f"127.0.0.1:{port}"]
    proc = subprocess.Popen([*cmd, "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait(f"http://127.0.0.1:{port}/query", proc)
        yield Server("oxigraph", f"http://127.0.0.1:{port}/query", f"http://127.0.0.1:{port}/store")
    finally:
        _stop(proc)


_VIRTUOSO_INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
Striping = 0
[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
MaxClientConnections = 10
CheckpointInterval = 60
DirsAllowed = ., {d}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
MaxQueryMem = 500M
ThreadsPerQuery = 2
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {vsp}
MaxClientConnections = 10
ServerThreads = 10
Charset = UTF-8
EnabledGzipContent = 0
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
"""


@contextmanager
def virtuoso_server(folder: Path) -> Iterator[Server]:
    """Virtuoso 7 with a fresh database in ``folder``; its SPARQL user may write graphs (GSP)."""
    if VIRTUOSO is None or ISQL is None:
        raise RuntimeError("Virtuoso is not installed (apt-get install virtuoso-opensource)")
    db = folder / "virtuoso"
    db.mkdir(parents=True)
    sql, http = free_port(), free_port()
    ini = db / "virtuoso.ini"
    ini.write_text(_VIRTUOSO_INI.format(d=db, sql=sql, http=http, vsp=VIRTUOSO_VSP), encoding="utf-8")
    proc = subprocess.Popen(
        [VIRTUOSO, "+foreground", "+configfile", str(ini)], cwd=db, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        _wait(f"http://127.0.0.1:{http}/sparql", proc)
        grant = "GRANT SPARQL_UPDATE TO \"SPARQL\"; DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);"
        subprocess.run(
            [ISQL, f"127.0.0.1:{sql}", "dba", "dba", f"exec={grant}"], check=True, capture_output=True, timeout=60
        )
        base = f"http://127.0.0.1:{http}"
        yield Server("virtuoso", f"{base}/sparql", f"{base}/sparql-graph-crud")
    finally:
        _stop(proc)
