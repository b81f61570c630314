"""Each school's context in one literal, ``skg:contextDigest``, in the ``schools`` aggregate graph.

``schoolkg analyse`` controls for a school's context: its IDACI quintile, pupils on roll, phase and
establishment type (:class:`schoolkg.analysis.graphs.SchoolContext`). Read from their statements
that is a scan of every school and one more per property, five rows a school; read from the digest
it is one (issue 19: the analysis read is most of ``schoolkg analyse`` at 25,000 schools).

The digest is the four values as stated (a literal's lexical form or an IRI), tab-separated, ``-``
for one not stated. A school gets none when a value is stated twice, holds a tab or a line break or
is ``-``: then the digests do not cover every school and the reader falls back to the statements,
so the records are the same either way. :class:`ContextFacts` watches the aggregates' one pass
(:mod:`schoolkg.mapping.aggregates`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from sys import intern
from typing import Any

from pyoxigraph import NamedNode

from schoolkg.mapping.terms import lit
from schoolkg.vocab import RDF, SKG

__all__ = ["CONTEXT_PROPERTIES", "WANTED", "ContextFacts", "context_digest"]

CONTEXT_PROPERTIES = (
    SKG.idaciQuintile.value,
    SKG.numberOfPupils.value,
    SKG.phaseOfEducation.value,
    SKG.establishmentType.value,
)
"""The digest's values, in its order (those of :class:`schoolkg.analysis.graphs.SchoolContext`)."""
_TYPE, _SCHOOL = RDF.type.value, SKG.School.value
WANTED = frozenset({_TYPE, *CONTEXT_PROPERTIES})
"""The predicates :meth:`ContextFacts.add` reads."""
NOT_STATED = "-"
_UNSAFE = ("\t", "\n", "\r")

Triple = tuple[NamedNode, NamedNode, Any]


def context_digest(values: list[set[str]]) -> str | None:
    """The digest of a school whose :data:`CONTEXT_PROPERTIES` have ``values`` (one set each), or None.

    >>> context_digest([{"3"}, {"412"}, set(), {"Academy converter"}])
    '3\\t412\\t-\\tAcademy converter'
    >>> context_digest([{"3", "4"}, set(), set(), set()]) is None
    True
    """
    out = []
    for stated in values:
        if not stated:
            out.append(NOT_STATED)
            continue
        if len(stated) > 1:
            return None
        (value,) = stated
        if value == NOT_STATED or any(c in value for c in _UNSAFE):
            return None
        out.append(value)
    return "\t".join(out)


class ContextFacts:
    """The schools and their context values, from the statements :meth:`add` is given."""

    def __init__(self) -> None:
        self.schools: set[str] = set()
        self.values: dict[str, list[set[str]]] = defaultdict(lambda: [set() for _ in CONTEXT_PROPERTIES])
        self._at = {p: i for i, p in enumerate(CONTEXT_PROPERTIES)}

    def add(self, s: str, p: str, o: Any) -> None:
        """Read one statement of the named subject ``s`` (its predicate ``p`` one of :data:`WANTED`)."""
        if p == _TYPE:
            if o.value == _SCHOOL and isinstance(o, NamedNode):
                self.schools.add(s)
            return
        self.values[s][self._at[p]].add(intern(o.value))

    def triples(self) -> Iterator[Triple]:
        """``skg:contextDigest`` of each school that can have one, in IRI order."""
        none: list[set[str]] = [set() for _ in CONTEXT_PROPERTIES]
        for school in sorted(self.schools):
            digest = context_digest(self.values.get(school, none))
            if digest is not None:
                yield (NamedNode(school), SKG.contextDigest, lit(digest))
