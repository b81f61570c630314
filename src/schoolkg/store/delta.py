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

import bisect
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path

import pyoxigraph
from pyoxigraph import DefaultGraph, Quad, RdfFormat

from schoolkg.patterns import quads_matching
from schoolkg.store.cache import file_sha256

__all__ = [
    "MARKER",
    "MAX_SHARE",
    "Delta",
    "apply_delta",
    "diff_sorted",
    "dump_sha256",
    "expect_difference",
    "file_difference",
    "known_difference",
    "read_marker",
    "same_dump",
    "sorted_difference",
    "write_marker",
]

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

    When :func:`expect_difference` was told which lines may differ between these two files (as they
    are now), only those are looked up in the other file (:func:`known_difference`): the same result
    without reading either file whole.

    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "a").write_bytes(b"1\\n2\\n4\\n"); _ = (d / "b").write_bytes(b"2\\n3\\n4\\n5\\n")
    >>> delta = diff_sorted(d / "a", d / "b", d)
    >>> delta.removed.read_bytes(), delta.added.read_bytes(), delta.n_removed, delta.n_added, delta.new_lines
    (b'1\\n', b'3\\n5\\n', 1, 2, 4)
    """
    known = known_difference(old, new)
    if known is not None:
        return _written(known, work)
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
        for side, line in sorted_difference(_lines(fo), _lines(fn)):
            if side < 0:
                out_r.write(line)
                n_removed += 1
            elif side > 0:
                out_a.write(line)
                n_added += 1
            new_lines += side >= 0
            if side:
                blank = blank or _BLANK.search(line) is not None
    return Delta(Path(removed), Path(added), n_removed, n_added, new_lines, blank)


def sorted_difference(old: Iterator[bytes], new: Iterator[bytes]) -> Iterator[tuple[int, bytes]]:
    """Walk two sorted, de-duplicated sequences of lines at once: (-1, line) for a line only in
    ``old``, (1, line) for one only in ``new``, (0, line) for one in both.

    >>> list(sorted_difference(iter([b"1", b"2", b"4"]), iter([b"2", b"3", b"4", b"5"])))
    [(-1, b'1'), (0, b'2'), (1, b'3'), (0, b'4'), (1, b'5')]
    """
    x, y = next(old, None), next(new, None)
    while x is not None or y is not None:
        if y is None or (x is not None and x < y):
            yield -1, x  # type: ignore[misc]
            x = next(old, None)
        elif x is None or y < x:
            yield 1, y
            y = next(new, None)
        else:
            yield 0, x
            x, y = next(old, None), next(new, None)


def file_difference(old: Path, new: Path) -> tuple[list[bytes], list[bytes]]:
    """The lines only in ``old`` and only in ``new``, two sorted N-Quads files walked side by side
    (a build's whole-graph parts are millions of lines at national scale: never held as sets)."""
    gone: list[bytes] = []
    added: list[bytes] = []
    with old.open("rb") as fo, new.open("rb") as fn:
        for side, line in sorted_difference(_lines(fo), _lines(fn)):
            if side:
                (gone if side < 0 else added).append(line)
    return gone, added


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
                for o in quads_matching(store, q.subject, q.predicate, q.object)
            ):
                store.remove(Quad(q.subject, q.predicate, q.object, DefaultGraph()))
    store.flush()


def same_dump(folder: Path, dump: Path) -> bool:
    """Whether ``folder``'s marker names ``dump``'s bytes."""
    mark = read_marker(folder)
    return mark is not None and dump.is_file() and mark == dump_sha256(dump)


_Stamp = tuple[str, int, int, int]

_SHAS: dict[_Stamp, str] = {}


def _stamp(path: Path) -> _Stamp:
    """A file as it is now: its path, size, modification time and inode (a rewrite changes them)."""
    st = path.stat()
    return (str(path.resolve()), st.st_size, st.st_mtime_ns, st.st_ino)


def dump_sha256(path: Path) -> str:
    """SHA-256 of a dump, remembered in this process while the file is unchanged (a build asks twice)."""
    key = _stamp(path)
    if key not in _SHAS:
        _SHAS.clear()
        _SHAS[key] = file_sha256(path)
    return _SHAS[key]


class _Expected:
    """Lines that may differ between two dumps: a superset of each side's difference, sorted."""

    def __init__(self, old: _Stamp, new: _Stamp, removed: list[bytes], added: list[bytes], new_lines: int) -> None:
        self.old, self.new, self.removed, self.added, self.new_lines = old, new, removed, added, new_lines
        self.exact: tuple[list[bytes], list[bytes]] | None = None


_EXPECTED: dict[tuple[str, str], _Expected] = {}


def expect_difference(old: Path, new: Path, removed: Iterable[bytes], added: Iterable[bytes], new_lines: int) -> None:
    """Tell :func:`diff_sorted` that every line of ``old`` not in ``new`` is among ``removed`` and
    every line of ``new`` not in ``old`` among ``added`` (lines with their newline), while both
    files stay as they are now; ``new`` has ``new_lines`` lines. A build knows this from the parts
    that changed (their lines are the only ones that can differ), so the difference costs lookups of
    those lines instead of a walk of both dumps."""
    _EXPECTED.clear()
    _EXPECTED[(str(old.resolve()), str(new.resolve()))] = _Expected(
        _stamp(old), _stamp(new), sorted(set(removed)), sorted(set(added)), new_lines
    )


def known_difference(old: Path, new: Path) -> tuple[list[bytes], list[bytes], int] | None:
    """The lines only in ``old`` and only in ``new`` (sorted) and ``new``'s line count, from what
    :func:`expect_difference` was told, or None when it was told nothing of these files as they are.

    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "a").write_bytes(b"1\\n2\\n4\\n"); _ = (d / "b").write_bytes(b"2\\n3\\n4\\n5\\n")
    >>> expect_difference(d / "a", d / "b", [b"1\\n", b"2\\n"], [b"2\\n", b"3\\n", b"5\\n"], 4)
    >>> known_difference(d / "a", d / "b")
    ([b'1\\n'], [b'3\\n', b'5\\n'], 4)
    """
    if not old.is_file() or not new.is_file():
        return None
    hint = _EXPECTED.get((str(old.resolve()), str(new.resolve())))
    if hint is None or hint.old != _stamp(old) or hint.new != _stamp(new):
        return None
    if hint.exact is None:
        hint.exact = (_absent(hint.removed, new), _absent(hint.added, old))
    return hint.exact[0], hint.exact[1], hint.new_lines


_BLOCK = 1 << 16
"""Bytes of a sorted dump read at once when looking lines up in it."""


def _absent(lines: list[bytes], path: Path) -> list[bytes]:
    """The sorted ``lines`` that are not lines of the sorted file ``path``.

    The file is cut into blocks of about :data:`_BLOCK` bytes at line starts; a line can only be in
    the block whose first line is the last not above it (found by bisection on those first lines),
    and each block looked in is read (``os.pread``) and split into a set of its lines once. Reads,
    not a memory map: the blocks looked in would otherwise stay mapped in the process, up to the
    whole dump (gigabytes at national scale) counted in its resident memory.
    """
    if not lines:
        return []
    with path.open("rb") as fh:
        fd = fh.fileno()
        size = os.fstat(fd).st_size
        if size == 0:
            return list(lines)
        starts, firsts = [0], [_line_at(fd, 0, size)]
        for off in range(_BLOCK, size, _BLOCK):
            j = _newline_at_or_after(fd, off - 1, size)
            if j < 0 or j + 1 >= size:
                break
            if j + 1 > starts[-1]:
                starts.append(j + 1)
                firsts.append(_line_at(fd, j + 1, size))
        starts.append(size)
        out: list[bytes] = []
        current, block = -1, frozenset[bytes]()
        for line in lines:
            b = bisect.bisect_right(firsts, line) - 1
            if b < 0:
                out.append(line)
                continue
            if b != current:
                current, block = b, frozenset(os.pread(fd, starts[b + 1] - starts[b], starts[b]).splitlines())
            if line.rstrip(b"\n") not in block:
                out.append(line)
    return out


_PEEK = 1 << 12
"""Bytes read at a time when looking for a line's end."""


def _newline_at_or_after(fd: int, pos: int, size: int) -> int:
    """The offset of the first newline at or after ``pos`` in the file ``fd`` of ``size`` bytes, or -1."""
    while pos < size:
        chunk = os.pread(fd, _PEEK, pos)
        j = chunk.find(b"\n")
        if j >= 0:
            return pos + j
        pos += len(chunk)
        if not chunk:
            break
    return -1


def _line_at(fd: int, start: int, size: int) -> bytes:
    """The line starting at ``start``, with its newline (or to the end of the file)."""
    end = _newline_at_or_after(fd, start, size)
    return os.pread(fd, (size if end < 0 else end + 1) - start, start)


def _written(known: tuple[list[bytes], list[bytes], int], work: Path) -> Delta:
    removed, added, new_lines = known
    fd_r, removed_path = tempfile.mkstemp(prefix=".delta-removed-", suffix=".nq", dir=work)
    fd_a, added_path = tempfile.mkstemp(prefix=".delta-added-", suffix=".nq", dir=work)
    with os.fdopen(fd_r, "wb") as out_r, os.fdopen(fd_a, "wb") as out_a:
        out_r.write(b"".join(removed))
        out_a.write(b"".join(added))
    blank = any(_BLANK.search(x) is not None for x in (*removed, *added))
    return Delta(Path(removed_path), Path(added_path), len(removed), len(added), new_lines, blank)


def _batches(path: Path) -> Iterator[list[Quad]]:
    quads = pyoxigraph.parse(path=str(path), format=RdfFormat.N_QUADS)
    while batch := list(islice(quads, _BATCH)):
        yield batch


def _lines(fh: object) -> Iterator[bytes]:
    for line in fh:  # type: ignore[attr-defined]
        yield line if line.endswith(b"\n") else line + b"\n"
