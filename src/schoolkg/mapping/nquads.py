"""Serialise quads as sorted, de-duplicated N-Quads: the same graph always gives the same bytes."""

from __future__ import annotations

from collections.abc import Iterable

from pyoxigraph import Quad, RdfFormat, serialize

__all__ = ["sort_nquads", "to_nquads"]


def to_nquads(quads: Iterable[Quad]) -> bytes:
    """The quads as sorted N-Quads, one statement per line."""
    return sort_nquads(serialize(quads, format=RdfFormat.N_QUADS) or b"")


def sort_nquads(data: bytes) -> bytes:
    """Sort and de-duplicate N-Quads lines (one statement per line)."""
    lines = sorted(set(data.splitlines()))
    return b"\n".join(lines) + b"\n" if lines else b""
