"""Update a copy of an installed store by the difference of two sorted dumps (issue 18, incremental).

A store folder installed from a dump records the dump's SHA-256 in :data:`MARKER`. When the next
build's dump differs from that one in a small share of its lines, the new store is a RocksDB
checkpoint of the current folder (hard links: no copy of the data) with the removed lines taken
out and the added lines put in, instead of a bulk load of the whole dump. The default graph (the
union of the named graphs as a set, see :class:`~schoolkg.store.embedded.EmbeddedStore`) is kept
in step: an added statement is added to it, a removed one leaves it only when no named graph
still states it. The result holds the same quads as a bulk load of the new dump.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

import pyoxigraph
from pyoxigraph import DefaultGraph, Quad, RdfFormat

from schoolkg.store.cache import file_sha256

__all__ = ["MARKER", "MAX_SHARE", "Delta", "apply_delta", "diff_sorted", "read_marker", "same_dump", "write_marker"]

MARKER = "schoolkg-dump.sha256"
"""The file in a store folder naming (by SHA-256) the dump the folder holds."""

MAX_SHARE = 0.5
"""Above this share of changed lines (removed + added over the new dump's lines) a bulk load is cheaper."""

_BATCH = 50_000

_BLANK = re.compile(rb"(?:^|> )_:")
"""A blank node as subject (line start) or object (after the predicate) of an N-Quads line."""


def write_marker(folder: Path, digest: str) -> None:
    """Record in ``folder`` that it holds the dump with SHA-256 ``digest``."""
    (folder / MARKER).write_text(digest + "\n", encoding="ascii")


def read_marker(folder: Path) -> str | None:
    """The SHA-256 of the dump ``folder`` holds, or None when it does not say (an older store)."""
    try:
        return (folder / MARKER).read_text(encoding="ascii").strip() or None
    except OSError:
        return None


class Delta:
    """The lines removed from and added to a sorted dump, in two sorted files beside ``work``.

    ``blank`` says whether a changed line holds a blank node: the bulk loader gives blank nodes
    labels of its own, so such a line cannot be found in the store by the dump's label, and the
    store must be loaded whole (only the ontology's graphs hold blank nodes; they change with the
    code version, which rebuilds everything anyway).
    """

    def __init__(
        self, removed: Path, added: Path, n_removed: int, n_added: int, new_lines: int, blank: bool = False
    ) -> None:
        self.removed, self.added = removed, added
        self.n_removed, self.n_added, self.new_lines = n_removed, n_added, new_lines
        self.blank = blank

    @property
    def share(self) -> float:
        """Changed lines over the new dump's lines."""
        return (self.n_removed + self.n_added) / max(self.new_lines, 1)

    def discard(self) -> None:
        """Delete the two files."""
        self.removed.unlink(missing_ok=True)
        self.added.unlink(missing_ok=True)


def diff_sorted(old: Path, new: Path, work: Path) -> Delta:
    """Walk two sorted, de-duplicated N-Quads files at once: lines only in ``old`` and only in ``new``.

    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "a").write_bytes(b"1\\n2\\n4\\n"); _ = (d / "b").write_bytes(b"2\\n3\\n4\\n5\\n")
    >>> delta = diff_sorted(d / "a", d / "b", d)
    >>> delta.removed.read_bytes(), delta.added.read_bytes(), delta.n_removed, delta.n_added, delta.new_lines
    (b'1\\n', b'3\\n5\\n', 1, 2, 4)
    """
    fd_r, removed = tempfile.mkstemp(prefix=".delta-removed-", suffix=".nq", dir=work)
    fd_a, added = tempfile.mkstemp(prefix=".delta-added-", suffix=".nq", dir=work)
    n_removed = n_added = new_lines = 0
    blank = False
    with (
        old.open("rb") as fo,
        new.open("rb") as fn,
        os.fdopen(fd_r, "wb") as out_r,
        os.fdopen(fd_a, "wb") as out_a,
    ):
        a, b = _lines(fo), _lines(fn)
        x, y = next(a, None), next(b, None)
        while x is not None or y is not None:
            if y is None or (x is not None and x < y):
                out_r.write(x)  # type: ignore[arg-type]
                blank = blank or _BLANK.search(x) is not None  # type: ignore[arg-type]
                n_removed += 1
                x = next(a, None)
            elif x is None or y < x:
                out_a.write(y)
                blank = blank or _BLANK.search(y) is not None
                n_added += 1
                new_lines += 1
                y = next(b, None)
            else:
                new_lines += 1
                x, y = next(a, None), next(b, None)
    return Delta(Path(removed), Path(added), n_removed, n_added, new_lines, blank)


def apply_delta(store: pyoxigraph.Store, delta: Delta) -> None:
    """Take ``delta``'s removed quads out of ``store`` and put its added quads in, keeping the
    default graph the set union of the named graphs."""
    for batch in _batches(delta.removed):
        for q in batch:
            store.remove(q)
    for batch in _batches(delta.added):
        store.extend(batch)
        store.extend([Quad(q.subject, q.predicate, q.object, DefaultGraph()) for q in batch])
    for batch in _batches(delta.removed):
        for q in batch:
            if not any(
                not isinstance(o.graph_name, DefaultGraph)
                for o in store.quads_for_pattern(q.subject, q.predicate, q.object)
            ):
                store.remove(Quad(q.subject, q.predicate, q.object, DefaultGraph()))
    store.flush()


def same_dump(folder: Path, dump: Path) -> bool:
    """Whether ``folder``'s marker names ``dump``'s bytes."""
    mark = read_marker(folder)
    return mark is not None and dump.is_file() and mark == file_sha256(dump)


def _batches(path: Path) -> Iterator[list[Quad]]:
    quads = pyoxigraph.parse(path=str(path), format=RdfFormat.N_QUADS)
    while batch := list(islice(quads, _BATCH)):
        yield batch


def _lines(fh: object) -> Iterator[bytes]:
    for line in fh:  # type: ignore[attr-defined]
        yield line if line.endswith(b"\n") else line + b"\n"
