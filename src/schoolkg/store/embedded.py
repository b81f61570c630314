"""The embedded store: pyoxigraph on disk, replaced atomically by each build."""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any, cast

import pyoxigraph

from schoolkg.errors import ConfigError, QueryError, StoreError
from schoolkg.store.base import QueryResults
from schoolkg.store.lexical import names_dataset

__all__ = [
    "Check",
    "EmbeddedStore",
    "default_graph_file",
    "dump_tmp",
    "install_dump",
    "install_nquads",
    "install_store",
    "lease_store",
    "materialise_default_graph",
]


class EmbeddedStore:
    """A read-only view of a built store folder (``graphs/store`` by default).

    The default graph of a query is the union of all named graphs, unless the query names its
    own dataset (``FROM``/``FROM NAMED``) or the caller passes one (the protocol's
    ``default-graph-uri``/``named-graph-uri``), which then replaces the query's.

    The union is a *set* of triples: a triple that several named graphs state is one solution,
    not one per graph (pyoxigraph's ``use_default_graph_as_union`` repeats it once per graph).
    Each install writes the distinct triples of all named graphs into the store's real default
    graph (:func:`materialise_default_graph`), and queries without a dataset read that graph.
    A store without it (built before, or in memory) falls back to pyoxigraph's union.
    """

    def __init__(self, path: str | Path, *, _store: pyoxigraph.Store | None = None) -> None:
        self.path = Path(path)
        if _store is not None:
            self._store = _store
            self._deduplicated = _has_default_graph(_store)
            return
        if not self.path.exists():
            raise ConfigError(f"no store at {self.path}; run `schoolkg build` first")
        try:
            self._store = pyoxigraph.Store.read_only(str(self.path.resolve()))
        except OSError as err:
            raise StoreError(f"cannot open the store at {self.path}: {err}") from None
        self._deduplicated = _has_default_graph(self._store)

    @classmethod
    def in_memory(cls, quads: list[pyoxigraph.Quad] | None = None) -> EmbeddedStore:
        """A store in memory holding ``quads`` (for tests and examples), with its default graph
        written as an installed store's is."""
        store = pyoxigraph.Store()
        store.extend(quads or [])
        materialise_default_graph(store)
        return cls(":memory:", _store=store)

    def query(
        self,
        sparql: str,
        *,
        default_graph: list[pyoxigraph.NamedNode] | None = None,
        named_graphs: list[pyoxigraph.NamedNode] | None = None,
        base_iri: str | None = None,
        union: bool | None = None,
    ) -> QueryResults:
        """Run a SPARQL query; return pyoxigraph's results (solutions, boolean or triples).

        ``default_graph``/``named_graphs`` give the dataset (both ``None``: not given);
        ``union`` says whether the default graph is the union of all graphs when no dataset is
        given (``None``: yes unless the query has a ``FROM`` clause). ``base_iri`` resolves
        relative IRIs.

        Examples
        --------
        >>> g = pyoxigraph.NamedNode("http://x/g")
        >>> s = pyoxigraph.NamedNode("http://x/s")
        >>> store = EmbeddedStore.in_memory([pyoxigraph.Quad(s, s, s, g)])
        >>> bool(store.query("ASK { ?s ?p ?o }")), bool(store.query("ASK FROM <http://x/none> { ?s ?p ?o }"))
        (True, False)
        >>> bool(store.query("ASK { ?s ?p ?o }", default_graph=[]))
        False
        >>> two = EmbeddedStore.in_memory([pyoxigraph.Quad(s, s, s, g), pyoxigraph.Quad(s, s, s, s)])
        >>> [r["n"].value for r in two.query("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")]  # one triple, two graphs
        ['1']
        >>> [r["n"].value for r in two.query("SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }")]
        ['2']
        """
        try:
            if default_graph is not None or named_graphs is not None:
                return self._store.query(
                    sparql,
                    base_iri=base_iri,
                    default_graph=list(default_graph or []),
                    named_graphs=list(named_graphs or []),
                )
            whole = not names_dataset(sparql) if union is None else union
            if whole and self._deduplicated:  # the default graph holds the union's distinct triples
                return self._store.query(sparql, base_iri=base_iri)
            return self._store.query(sparql, base_iri=base_iri, use_default_graph_as_union=whole)
        except SyntaxError as err:
            raise QueryError(syntax_message(str(err))) from None
        except OSError as err:
            raise StoreError(f"query failed: {err}") from None

    def __len__(self) -> int:
        """The quads of the named graphs (the materialised default graph is not counted)."""
        return sum(1 for _ in self._named_quads())

    def dump_nquads(self) -> bytes:
        """Every quad of the named graphs as N-Quads (the default graph is derived from them)."""
        return pyoxigraph.serialize(self._named_quads(), format=pyoxigraph.RdfFormat.N_QUADS) or b""

    def _named_quads(self) -> Iterator[pyoxigraph.Quad]:
        for q in self._store:
            if not isinstance(q.graph_name, pyoxigraph.DefaultGraph):
                yield q


def materialise_default_graph(store: pyoxigraph.Store) -> int:
    """Write the distinct triples of all named graphs into ``store``'s default graph (in memory
    or for a store loaded another way than :func:`install_store`, which streams them from the
    N-Quads file instead: :func:`default_graph_file`).

    Triples already in the default graph stay (a store is a set, so nothing is repeated);
    returns the number of triples the default graph then holds.

    >>> st = pyoxigraph.Store(); n = pyoxigraph.NamedNode("http://x/n")
    >>> st.extend([pyoxigraph.Quad(n, n, n, n), pyoxigraph.Quad(n, n, n, pyoxigraph.NamedNode("http://x/g"))])
    >>> materialise_default_graph(st), len(st)
    (1, 3)
    """
    store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    return sum(1 for _ in store.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph()))


def default_graph_file(nquads: Path, triples: Path) -> Path:
    """Write ``nquads``'s statements without their graph names to ``triples`` (N-Triples).

    Read and written line by line (no set of triples in memory): loading the file into a store
    removes the repeats, since a store is a set. Lines without a graph name are kept as they are.

    >>> import tempfile; d = Path(tempfile.mkdtemp())
    >>> lines = ['<http://x/s> <http://x/p> "a b" <http://x/g> .', "<http://x/s> <http://x/p> <http://x/o> ."]
    >>> _ = (d / "a.nq").write_text("".join(line + chr(10) for line in lines))
    >>> print(default_graph_file(d / "a.nq", d / "a.nt").read_text(), end="")
    <http://x/s> <http://x/p> "a b" .
    <http://x/s> <http://x/p> <http://x/o> .
    """
    with nquads.open("rb") as src, triples.open("wb") as out:
        for line in src:
            m = _QUAD.match(line)
            out.write(m[1] + b" .\n" if m else line)
    return triples


_QUAD = re.compile(rb"^(\S+ <[^>]*> .+) <[^>]*> \.\r?\n?$")
"""A canonical N-Quads line with a graph name: subject, predicate, object (group 1), graph."""


def _has_default_graph(store: pyoxigraph.Store) -> bool:
    return next(iter(store.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph())), None) is not None


def syntax_message(raw: str, limit: int = 160) -> str:
    """A one-line, short message for pyoxigraph's SPARQL parser error ``raw``.

    >>> syntax_message('error at 2:1: expected one of "$", "(", LATERAL')
    'SPARQL syntax error: line 2, column 1: expected one of "$", "(", LATERAL'
    >>> len(syntax_message("error at 1:1: expected one of " + ", ".join(["'x'"] * 200)))
    196
    """
    m = re.match(r"error at (\d+):(\d+): (.*)", raw, re.DOTALL)
    where, text = (f"line {m[1]}, column {m[2]}: ", m[3]) if m else ("", raw)
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[:limit].rsplit(", ", 1)[0] + ", …"
    return f"SPARQL syntax error: {where}{text}"


Check = Callable[[pyoxigraph.Store], None]
"""Called with the newly loaded store before it is swapped in; raising stops the install."""


def install_nquads(
    data: bytes,
    target: Path,
    nquads_path: Path,
    progress: Callable[[str, int], None] | None = None,
    check: Check | None = None,
) -> None:
    """Write ``data`` (N-Quads) to ``nquads_path`` and install it as the store at ``target``.

    The dump is written to a temporary file beside ``nquads_path`` (see :func:`dump_tmp`) and
    installed with :func:`install_dump`: on any failure neither the store nor the dump changes.
    """
    tmp = dump_tmp(nquads_path)
    tmp.write_bytes(data)
    if progress:
        progress("nquads", 1)
    install_dump(tmp, target, nquads_path, progress, check)


def dump_tmp(nquads_path: Path) -> Path:
    """The temporary file a build writes its dump to before :func:`install_dump`.

    It is beside ``nquads_path`` (so the final rename is atomic); those left by killed builds
    are removed first.
    """
    nquads_path.parent.mkdir(parents=True, exist_ok=True)
    for stale in nquads_path.parent.glob(f".{nquads_path.name}.*.tmp"):  # left by killed builds
        pid = stale.name.rsplit(".", 2)[-2]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            stale.unlink(missing_ok=True)
    return nquads_path.with_name(f".{nquads_path.name}.{os.getpid()}.tmp")


def install_dump(
    tmp: Path,
    target: Path,
    nquads_path: Path,
    progress: Callable[[str, int], None] | None = None,
    check: Check | None = None,
) -> None:
    """Install the N-Quads file ``tmp`` as the store at ``target``, then rename it to ``nquads_path``.

    The store is loaded with :func:`install_store` (``check`` runs on it before the swap) and
    the dump renamed into place only once the store is swapped in; ``tmp`` is removed on failure.
    The current ``nquads_path`` is the previous dump: when the live store says it holds it, the new
    store is that one's copy updated by the difference (:mod:`schoolkg.store.delta`).
    """
    try:
        install_store(tmp, target, progress, check, previous=nquads_path)
        os.replace(tmp, nquads_path)
    finally:
        if tmp.exists():
            tmp.unlink()


def install_store(
    nquads: Path,
    target: Path,
    progress: Callable[[str, int], None] | None = None,
    check: Check | None = None,
    previous: Path | None = None,
) -> Path:
    """Load ``nquads`` into a new store and swap it in at ``target`` atomically.

    ``target`` is a symbolic link to a versioned folder beside it; a build that fails or is
    killed before the final rename leaves the link, and so the previous store, untouched.
    ``check`` (validation) runs on the loaded store before the swap; if it raises, the new
    folder is deleted and nothing changes. Installs into one ``target`` run one at a time (a
    lock file beside it). The previous folder
    is deleted unless a reader (a ``schoolkg serve`` worker) holds a lease on it; then a later
    install deletes it once no live reader uses it. Returns the folder the link now points to.

    Given ``previous``, the dump the live store was installed from (its folder's marker says so),
    and a new dump differing from it in few lines, the new folder is a checkpoint of the live one
    updated by the difference instead of a bulk load (the same quads either way).
    """
    target = Path(target)
    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    with (parent / f".{target.name}.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _install_locked(nquads, target, progress, check, previous)


def _bulk_loaded(nquads: Path, building: Path, progress: Callable[[str, int], None] | None) -> pyoxigraph.Store:
    """A new store in ``building`` bulk-loaded from ``nquads``, with its union default graph."""
    store = pyoxigraph.Store(str(building))
    with nquads.open("rb") as fh:
        reading = cast(IO[bytes], _Reading(fh, nquads.stat().st_size, progress))
        store.bulk_load(reading, format=pyoxigraph.RdfFormat.N_QUADS)
    # the union default graph as a set: every distinct triple once in the real default graph
    # written inside the half-built folder, so a killed build leaves nothing else behind
    triples = default_graph_file(nquads, building / "default-graph.nt")
    try:
        store.bulk_load(path=str(triples), format=pyoxigraph.RdfFormat.N_TRIPLES)
    finally:
        triples.unlink(missing_ok=True)
    store.flush()
    return store


def _updated_copy(
    target: Path, previous: Path, nquads: Path, building: Path, progress: Callable[[str, int], None] | None
) -> pyoxigraph.Store | None:
    """A checkpoint of the live store in ``building`` updated to ``nquads`` by its difference from
    ``previous`` (the dump the live store was installed from), or None when that cannot be
    trusted (no marker, another dump) or the difference is too large to be worth it."""
    from schoolkg.store.delta import MAX_SHARE, apply_delta, diff_sorted, same_dump  # installs only (startup)

    live = target.resolve() if target.is_symlink() else None
    if live is None or not live.is_dir() or not same_dump(live, previous):
        return None
    delta = diff_sorted(previous, nquads, building.parent)
    try:
        if delta.blank or delta.share > MAX_SHARE:
            return None
        if progress:
            progress(f"load: updating a copy (-{delta.n_removed:,} +{delta.n_added:,} quads)", 0)
        pyoxigraph.Store.read_only(str(live)).backup(str(building))
        store = pyoxigraph.Store(str(building))
        apply_delta(store, delta)
        return store
    finally:
        delta.discard()


def _install_locked(
    nquads: Path,
    target: Path,
    progress: Callable[[str, int], None] | None,
    check: Check | None,
    previous: Path | None = None,
) -> Path:
    from schoolkg.store.cache import file_sha256  # installs only: queries need neither (startup)
    from schoolkg.store.delta import write_marker

    parent = target.parent
    _remove_stale(parent, target.name)
    if target.exists() and not target.is_symlink():
        if not (target / "CURRENT").exists() and any(target.iterdir()):
            raise ConfigError(f"{target} exists and is not a schoolkg store; choose another --store")
        legacy = parent / f".{target.name}-legacy-{time.time_ns()}"
        target.rename(legacy)
        os.symlink(legacy.name, target)
    new = parent / f".{target.name}-{time.time_ns()}"
    building = parent / f".{target.name}-building-{os.getpid()}"
    try:
        store = _updated_copy(target, previous, nquads, building, progress) if previous is not None else None
        if store is None:
            store = _bulk_loaded(nquads, building, progress)
        write_marker(building, file_sha256(nquads))
        if progress:
            progress("load", 1)
        if check is not None:
            check(store)
        del store
        building.rename(new)
    except (OSError, SyntaxError) as err:
        shutil.rmtree(building, ignore_errors=True)
        raise StoreError(f"loading the store failed: {err}") from None
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    old = target.resolve() if target.is_symlink() else None
    link_tmp = parent / f".{target.name}-link-{os.getpid()}"
    if link_tmp.is_symlink() or link_tmp.exists():
        link_tmp.unlink()
    os.symlink(new.name, link_tmp)
    os.replace(link_tmp, target)
    if progress:
        progress("swap", 1)
    if old is not None and old != new.resolve() and old.exists() and old.name not in _leased(parent, target.name):
        shutil.rmtree(old, ignore_errors=True)
    return new


class _Reading:
    """A binary file as the bulk loader reads it, telling ``progress`` of each tenth read (0 ticks)."""

    def __init__(self, fh: Any, size: int, progress: Callable[[str, int], None] | None) -> None:
        self._fh, self._size, self._progress = fh, max(size, 1), progress
        self._read, self._next = 0, self._size // 10

    def read(self, n: int = -1) -> bytes:
        data: bytes = self._fh.read(n)
        self._read += len(data)
        if self._progress and self._read >= self._next and data:
            self._progress(f"load {self._read * 100 // self._size}% of {self._size / 1e6:,.0f} MB", 0)
            self._next += self._size // 10
        return data

    def readable(self) -> bool:
        return True


def lease_store(link: Path) -> Path:
    """The folder the store link ``link`` points to, leased to this process so no install deletes it.

    The lease is a symbolic link ``.{name}-reader-{pid}`` beside ``link``, pointing to the folder;
    it lapses when the process ends. Written before the link is read again, so an install that
    swaps the link in between either sees the lease or is seen by the second read.
    """
    link = Path(link)
    if not link.is_symlink():
        return link.resolve()
    lease = link.parent / f".{link.name}-reader-{os.getpid()}"
    tmp = link.parent / f".{link.name}-readertmp-{os.getpid()}"
    while True:
        folder = link.resolve()
        if tmp.is_symlink():
            tmp.unlink()
        os.symlink(folder.name, tmp)
        os.replace(tmp, lease)
        if link.resolve() == folder:
            return folder


def _leased(parent: Path, name: str) -> set[str]:
    """Names of the store folders that live readers hold leases on."""
    held = set()
    for p in parent.glob(f".{name}-reader-*"):
        pid = p.name.rsplit("-", 1)[-1]
        if pid.isdigit() and _alive(int(pid)) and p.is_symlink():
            held.add(os.readlink(p))
    return held


def _remove_stale(parent: Path, name: str) -> None:
    """Delete what killed builds left (half-built folders, temporary links), readers' lapsed
    leases, and old folders no live reader holds (never the live one)."""
    live = (parent / name).resolve() if (parent / name).is_symlink() else None
    held = _leased(parent, name)
    for p in parent.glob(f".{name}-*"):
        if p.name in held or (not p.is_symlink() and p.resolve() == live):
            continue
        if any(tag in p.name for tag in ("-building-", "-link-", "-reader-", "-readertmp-")):
            pid = p.name.rsplit("-", 1)[-1]
            live_owner = pid.isdigit() and int(pid) != os.getpid() and _alive(int(pid))
            if live_owner and ("-building-" not in p.name or _in_use(p)):
                continue
        if p.is_symlink():
            p.unlink()
        elif p.is_dir():
            shutil.rmtree(p, ignore_errors=True)


def _in_use(folder: Path) -> bool:
    """Whether another live process holds the RocksDB lock of ``folder`` (a build still loading it).

    A process id alone is not enough: ids are reused, and a reused one would keep a killed
    build's folder forever. A folder without a lock file yet is taken as in use.
    """
    lock = folder / "LOCK"
    if not lock.exists():
        return True
    try:
        with lock.open("r+b") as fh:
            try:
                fcntl.lockf(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return True
            fcntl.lockf(fh, fcntl.LOCK_UN)
    except OSError:
        return True
    return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True
