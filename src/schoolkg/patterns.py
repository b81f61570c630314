"""Quads matching a pattern in a pyoxigraph store, exactly.

pyoxigraph 0.5.13's ``Store.quads_for_pattern`` on an on-disk (RocksDB) store can return quads
beyond the pattern: with an ``xsd:integer`` object whose value is 255 modulo 256 (767, 1023, ...)
bound, it also returns the quads of the next larger integers of the same subject and predicate,
as a prefix range whose upper bound is computed wrongly when the term's encoding ends in a 0xFF
byte would. SPARQL evaluation is not affected, nor the in-memory store. :func:`quads_matching`
keeps only the quads whose terms equal the bound ones, so code that asks "does any graph state
this triple?" gets the right answer (an incremental update once kept a removed
``skg:polarSourceCount "767"`` in the default graph because the new ``"790"`` answered for it).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pyoxigraph
from pyoxigraph import Quad

__all__ = ["quads_matching"]


def quads_matching(
    store: pyoxigraph.Store, subject: Any = None, predicate: Any = None, obj: Any = None, graph: Any = None
) -> Iterator[Quad]:
    """The quads of ``store`` with these terms (None: any), ``graph`` None meaning every graph.

    >>> from pyoxigraph import Literal, NamedNode, Store
    >>> n, p = NamedNode("http://x/n"), NamedNode("http://x/p")
    >>> xsd = "http://www.w3.org/2001/XMLSchema#integer"
    >>> import shutil, tempfile
    >>> d = tempfile.mkdtemp()
    >>> s = Store(d)
    >>> s.extend([Quad(n, p, Literal(v, datatype=NamedNode(xsd))) for v in ("767", "790")])
    >>> [q.object.value for q in quads_matching(s, n, p, Literal("767", datatype=NamedNode(xsd)))]
    ['767']
    >>> del s; shutil.rmtree(d)
    """
    for q in store.quads_for_pattern(subject, predicate, obj, graph):
        if (
            (subject is None or q.subject == subject)
            and (predicate is None or q.predicate == predicate)
            and (obj is None or q.object == obj)
            and (graph is None or q.graph_name == graph)
        ):
            yield q
