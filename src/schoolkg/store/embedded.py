"""The embedded store: pyoxigraph on disk, replaced atomically by each build."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pyoxigraph

from schoolkg.errors import ConfigError, QueryError, StoreError

__all__ = ["EmbeddedStore", "install_store"]


class EmbeddedStore:
    """A read-only view of a built store folder (``graphs/store`` by default)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if not self.path.exists():
            raise ConfigError(f"no store at {self.path}; run `schoolkg build` first")
        try:
            self._store = pyoxigraph.Store.read_only(str(self.path.resolve()))
        except OSError as err:
            raise StoreError(f"cannot open the store at {self.path}: {err}") from None

    def query(self, sparql: str) -> object:
        """Run a SPARQL query; return pyoxigraph's results (solutions, boolean or triples)."""
        try:
            return self._store.query(sparql, use_default_graph_as_union=True)
        except SyntaxError as err:
            raise QueryError(f"SPARQL syntax error: {err}") from None
        except OSError as err:
            raise StoreError(f"query failed: {err}") from None

    def __len__(self) -> int:
        return len(self._store)

    def dump_nquads(self) -> bytes:
        """Every quad of the store as N-Quads."""
        return self._store.dump(format=pyoxigraph.RdfFormat.N_QUADS)


def install_store(nquads: Path, target: Path) -> Path:
    """Load ``nquads`` into a new store and swap it in at ``target`` atomically.

    ``target`` is a symbolic link to a versioned folder beside it; a build that fails or is
    killed before the final rename leaves the link, and so the previous store, untouched.
    Returns the folder the link now points to.
    """
    target = Path(target)
    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
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
        store = pyoxigraph.Store(str(building))
        store.bulk_load(path=str(nquads), format=pyoxigraph.RdfFormat.N_QUADS)
        store.flush()
        del store
        building.rename(new)
    except (OSError, SyntaxError) as err:
        shutil.rmtree(building, ignore_errors=True)
        raise StoreError(f"loading the store failed: {err}") from None
    old = target.resolve() if target.is_symlink() else None
    link_tmp = parent / f".{target.name}-link-{os.getpid()}"
    if link_tmp.is_symlink() or link_tmp.exists():
        link_tmp.unlink()
    os.symlink(new.name, link_tmp)
    os.replace(link_tmp, target)
    if old is not None and old != new.resolve() and old.exists():
        shutil.rmtree(old, ignore_errors=True)
    return new


def _remove_stale(parent: Path, name: str) -> None:
    """Delete half-built folders left by killed builds (never the live one)."""
    live = (parent / name).resolve() if (parent / name).is_symlink() else None
    for p in parent.glob(f".{name}-*"):
        if p.resolve() == live:
            continue
        if "-building-" in p.name or "-link-" in p.name:
            pid = p.name.rsplit("-", 1)[-1]
            if pid.isdigit() and _alive(int(pid)) and int(pid) != os.getpid():
                continue
        if p.is_symlink():
            p.unlink()
        elif p.is_dir():
            shutil.rmtree(p, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True
