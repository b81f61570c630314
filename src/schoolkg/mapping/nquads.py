"""Serialise quads as sorted, de-duplicated N-Quads: the same graph always gives the same bytes.

:func:`to_nquads` sorts in memory; :func:`write_sorted` and :func:`merge_sorted` do the same
with bounded memory (an external merge sort), for parts of a build and the whole dump.
"""

from __future__ import annotations

import heapq
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from itertools import islice
from pathlib import Path
from typing import BinaryIO

from pyoxigraph import Quad, RdfFormat, serialize

__all__ = ["CHUNK_QUADS", "FAN_IN", "merge_sorted", "sort_nquads", "to_nquads", "write_sorted"]

CHUNK_QUADS = 200_000
"""Quads sorted in memory at a time by :func:`write_sorted` (about 60 MB of lines)."""

FAN_IN = 200
"""Sorted files :func:`merge_sorted` opens at once; more are merged in rounds."""


def to_nquads(quads: Iterable[Quad]) -> bytes:
    """The quads as sorted N-Quads, one statement per line."""
    return sort_nquads(serialize(quads, format=RdfFormat.N_QUADS) or b"")


def sort_nquads(data: bytes) -> bytes:
    """Sort and de-duplicate N-Quads lines (one statement per line)."""
    lines = sorted(set(data.splitlines()))
    return b"\n".join(lines) + b"\n" if lines else b""


def write_sorted(quads: Iterable[Quad], out: Path, chunk: int = CHUNK_QUADS) -> int:
    """Write ``quads`` to ``out`` as sorted, de-duplicated N-Quads; return the lines written.

    At most ``chunk`` quads are held at once: longer inputs are sorted in runs spilled beside
    ``out`` and merged. The bytes equal ``to_nquads(quads)``.

    Examples
    --------
    >>> from pyoxigraph import NamedNode
    >>> n = [NamedNode(f"http://x/{i}") for i in range(3)]
    >>> qs = [Quad(n[i % 3], n[0], n[0], n[1]) for i in (2, 1, 2, 0)]
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = pathlib.Path(d) / "part.nq"
    ...     write_sorted(qs, p, chunk=2), p.read_bytes() == to_nquads(qs)
    (3, True)
    """
    it = iter(quads)
    runs: list[Path] = []
    try:
        while batch := list(islice(it, chunk)):
            data = to_nquads(batch)
            if not runs and len(batch) < chunk:  # the common case: one run, written in place
                out.write_bytes(data)
                return data.count(b"\n")
            fd, name = tempfile.mkstemp(prefix=f".{out.name}.run", dir=out.parent)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            runs.append(Path(name))
        if not runs:
            out.write_bytes(b"")
            return 0
        return merge_sorted(runs, out)
    finally:
        for run in runs:
            run.unlink(missing_ok=True)


def merge_sorted(
    parts: list[Path], out: Path, progress: Callable[[int], None] | None = None, fan_in: int = FAN_IN
) -> int:
    """Merge sorted N-Quads files into ``out``, dropping duplicate lines; return the lines written.

    Opens at most ``fan_in`` files at once (heapq.merge over their lines): more parts are merged
    in rounds through temporary files beside ``out``. ``progress`` hears the lines written,
    every 100,000, in the last round.
    """
    rounds: list[Path] = []
    try:
        while len(parts) > fan_in:
            merged = []
            for i in range(0, len(parts), fan_in):
                fd, name = tempfile.mkstemp(prefix=f".{out.name}.merge", dir=out.parent)
                os.close(fd)
                _merge(parts[i : i + fan_in], Path(name), None)
                merged.append(Path(name))
            for p in rounds:
                p.unlink(missing_ok=True)
            rounds = parts = merged
        return _merge(parts, out, progress)
    finally:
        for p in rounds:
            p.unlink(missing_ok=True)


def _merge(parts: list[Path], out: Path, progress: Callable[[int], None] | None) -> int:
    written, last = 0, None
    with ExitStack() as stack, out.open("wb") as dst:
        files = [stack.enter_context(p.open("rb")) for p in parts]
        for line in heapq.merge(*(_lines(f) for f in files)):
            if line != last:
                dst.write(line)
                last = line
                written += 1
                if progress and written % 100_000 == 0:
                    progress(written)
    return written


def _lines(fh: BinaryIO) -> Iterator[bytes]:
    """Lines of a sorted N-Quads file, each ending in a newline."""
    for line in fh:
        yield line if line.endswith(b"\n") else line + b"\n"
