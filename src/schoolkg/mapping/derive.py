"""Statements schoolkg infers from what the sources say, each in a ``…/graph/derived/…`` graph.

- ``programme-areas``: a school whose LA took part in EiC (whole-authority) or BIP is "in an
  EiC/BIP area": a Participation with ``skg:derived true`` and ``prov:wasDerivedFrom`` the LA's.
- ``name-links``: schools known only by name linked to register schools (:mod:`schoolkg.mapping.link`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from pyoxigraph import Literal, NamedNode, Quad

from schoolkg import iris
from schoolkg.mapping.link import LinkResult, Named, Register, link_quads, match
from schoolkg.mapping.terms import lit
from schoolkg.vocab import PROV, RDF, SCHEMA, SKG

__all__ = ["AREA_PROGRAMMES", "Facts", "derived_quads", "facts_quads", "programme_area_quads"]

AREA_PROGRAMMES = frozenset({iris.PROGRAMME_BASE + "eic", iris.PROGRAMME_BASE + "bip"})
"""Programmes whose LA participation covers every school of the LA (not Excellence Clusters)."""

_RDF_TYPE, _SCHEMA_NAME = RDF.type.value, SCHEMA.name.value
_SCHOOL_BASE = iris.school_iri("100000").rsplit("/", 1)[0] + "/"
_LA, _NEEDS, _PART = SKG.localAuthority.value, SKG.needsLinking.value, SKG.Participation.value
_PARTICIPANT, _PROGRAMME, _START, _SOURCE, _PHASE = (
    SKG.participant.value,
    SKG.programme.value,
    SKG.startDate.value,
    SKG.source.value,
    SKG.phase.value,
)
_TRUE = lit(True)


def derived_quads(quads: Iterable[Quad]) -> list[Quad]:
    """Both derived graphs for the union of ``quads`` (other derived graphs are ignored)."""
    return facts_quads(Facts(q for q in quads if "/graph/derived/" not in str(q.graph_name)))


def facts_quads(facts: Facts) -> list[Quad]:
    """Both derived graphs from the ``facts`` of every source (see :meth:`Facts.merge`)."""
    return programme_area_quads(facts) + list(link_quads(_link_results(facts)))


class Facts:
    """The few predicates derivation needs, indexed in one pass.

    A build indexes each source on its own and merges the indexes in reading order
    (:meth:`merge`, through :meth:`to_json` and :meth:`from_json`): the derived graphs are then
    those of all the quads at once, without holding them.
    """

    def __init__(self, quads: Iterable[Any] = ()) -> None:
        # Any, not Quad: pyoxigraph types a quad's terms as unions with RDF-star triple terms and
        # the default graph, which the quads we build never hold; ``.value`` is read unchecked.
        self.la_of: dict[str, str] = {}
        self.names: dict[str, str] = {}
        self.needs_linking: set[str] = set()
        self.parts: dict[str, dict[str, str]] = defaultdict(dict)
        self.add(quads)

    def add(self, quads: Iterable[Any]) -> None:
        """Index more quads, as if they followed those already indexed."""
        for q in quads:
            s, p, o = q.subject.value, q.predicate.value, q.object
            if p == _LA and s.startswith(_SCHOOL_BASE):
                self.la_of[s] = o.value
            elif p == _SCHEMA_NAME and s.startswith(_SCHOOL_BASE):
                self.names.setdefault(s, o.value)
            elif p == _NEEDS and o.value == "true":
                self.needs_linking.add(s)
            elif p == _RDF_TYPE and o.value == _PART:
                self.parts[s]["type"] = "1"
            elif p in (_PARTICIPANT, _PROGRAMME, _START, _SOURCE, _PHASE):
                self.parts[s][p] = o.value

    def merge(self, other: Facts) -> None:
        """Index ``other``'s facts as if its quads followed these (same winners as one pass)."""
        self.la_of.update(other.la_of)
        for s, name in other.names.items():
            self.names.setdefault(s, name)
        self.needs_linking |= other.needs_linking
        for s, part in other.parts.items():
            self.parts[s].update(part)

    def to_json(self) -> dict[str, Any]:
        """Plain data for a cache file; :meth:`from_json` reads it back."""
        return {
            "la_of": self.la_of,
            "names": self.names,
            "needs_linking": sorted(self.needs_linking),
            "parts": dict(self.parts),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Facts:
        """The facts :meth:`to_json` wrote."""
        facts = cls()
        facts.la_of, facts.names = dict(data["la_of"]), dict(data["names"])
        facts.needs_linking = set(data["needs_linking"])
        for s, part in data["parts"].items():
            facts.parts[s] = dict(part)
        return facts


def programme_area_quads(facts: Facts) -> list[Quad]:
    """Derived participations of schools in the LAs that took part in EiC or BIP."""
    g = NamedNode(iris.derived_graph("programme-areas"))
    by_la: dict[str, list[tuple[str, dict[str, str]]]] = defaultdict(list)
    for iri, part in facts.parts.items():
        if part.get("type") and part.get(_PROGRAMME) in AREA_PROGRAMMES and _PARTICIPANT in part:
            by_la[part[_PARTICIPANT]].append((iri, part))
    out: list[Quad] = []
    for school, la in sorted(facts.la_of.items()):
        for la_part, part in by_la.get(la, []):
            source = part[_SOURCE].rsplit("/", 1)[-1]
            d = NamedNode(iris.participation_iri(school, part[_PROGRAMME], f"derived-{source}"))
            out += [
                Quad(d, RDF.type, SKG.Participation, g),
                Quad(d, SKG.participant, NamedNode(school), g),
                Quad(d, SKG.programme, NamedNode(part[_PROGRAMME]), g),
                Quad(d, SKG.derived, _TRUE, g),
                Quad(d, PROV.wasDerivedFrom, NamedNode(la_part), g),
                Quad(d, SKG.source, NamedNode(part[_SOURCE]), g),
            ]
            if _PHASE in part:
                out.append(Quad(d, SKG.phase, Literal(part[_PHASE]), g))
            if _START in part:
                date = lit(part[_START], "date")
                out.append(Quad(d, SKG.startDate, date, g))
    return out


def _link_results(facts: Facts) -> Iterator[LinkResult]:
    register = Register()
    for s, name in sorted(facts.names.items()):
        if s not in facts.needs_linking and s[len(_SCHOOL_BASE) :].isdigit():
            register.add(s, name, facts.la_of.get(s))
    for s in sorted(facts.needs_linking):
        if s in facts.names:
            yield match(Named(s, facts.names[s], facts.la_of.get(s)), register)
