"""Link schools known only by name (and LA) to register schools with a URN, by fuzzy matching.

Pure functions over plain data: :func:`match` scores one name against a register with
rapidfuzz; :func:`link_quads` turns the decisions into the ``…/graph/derived/name-links`` graph;
:func:`read_report` reads them back from a store for ``schoolkg link --report``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode, Quad
from rapidfuzz import fuzz, process

from schoolkg.build import iris
from schoolkg.vocab import SKG

__all__ = [
    "MARGIN",
    "THRESHOLD",
    "Candidate",
    "LinkResult",
    "Named",
    "Register",
    "link_quads",
    "match",
    "normalise",
    "read_report",
]

THRESHOLD = 88.0
"""Below this score no link is made."""
MARGIN = 4.0
"""The best candidate must beat the next by this much, or the school is ambiguous."""
REVIEW_FLOOR = 70.0
"""Candidates scoring at least this are kept for review even when not linked."""
OTHER_LA_PENALTY = 20.0
UNKNOWN_LA_PENALTY = 6.0

_XSD = "http://www.w3.org/2001/XMLSchema#"
_OWL_SAMEAS = NamedNode("http://www.w3.org/2002/07/owl#sameAs")
_RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_SUBS = (
    (r"\b(c of e|ce|cofe|church of england)\b", "church of england"),
    (r"\b(rc|roman catholic)\b", "catholic"),
    (r"\bst\b\.?", "saint"),
    (r"&", " and "),
    (r"\b(jmi|j ?& ?i)\b", "junior and infant"),
    (r"\bcp\b", "community primary"),
)


def normalise(name: str) -> str:
    """Lower-case a school name and spell out the usual abbreviations.

    >>> normalise("St. Mary's C of E (VA) Primary School")
    'saint marys church of england va primary school'
    """
    text = name.lower().replace("'", "").replace("’", "")
    for pat, rep in _SUBS:
        text = re.sub(pat, rep, text)
    return " ".join(re.sub(r"[^a-z0-9 ]+", " ", text).split())


@dataclass(frozen=True)
class Named:
    """A school known by name and (maybe) LA IRI, to be linked."""

    iri: str
    name: str
    la: str | None


@dataclass(frozen=True)
class Candidate:
    """A register school proposed for a named one, with its score (0-100)."""

    iri: str
    name: str
    score: float


@dataclass(frozen=True)
class LinkResult:
    """The decision for one named school: linked, ambiguous or unlinked, and the candidates."""

    named: Named
    status: str
    candidates: tuple[Candidate, ...] = ()

    @property
    def link(self) -> Candidate | None:
        """The accepted candidate when linked."""
        return self.candidates[0] if self.status == "linked" else None


@dataclass
class Register:
    """Register schools: IRI, name and LA IRI (None when the source gives none)."""

    iris: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    las: list[str | None] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)

    def add(self, iri: str, name: str, la: str | None) -> None:
        """Add one school."""
        self.iris.append(iri)
        self.names.append(name)
        self.las.append(la)
        self.keys.append(normalise(name))


def match(named: Named, register: Register, threshold: float = THRESHOLD, margin: float = MARGIN) -> LinkResult:
    """Score ``named`` against the register and decide.

    The score is rapidfuzz's token-sort ratio of the normalised names, less a penalty when the
    LAs differ (or one is unknown). Linked: best >= threshold and ahead of the next by
    ``margin``; ambiguous: best >= threshold but not clearly ahead; otherwise unlinked.

    >>> reg = Register(); reg.add("u/1", "Banks Road Primary School", "la/liverpool")
    >>> reg.add("u/2", "Banks Road Infant School", "la/sefton")
    >>> r = match(Named("n/1", "Banks Road Primary School", "la/liverpool"), reg)
    >>> r.status, r.link.iri, r.candidates[0].score
    ('linked', 'u/1', 100.0)
    """
    query = normalise(named.name)
    hits = process.extract(query, register.keys, scorer=fuzz.token_sort_ratio, limit=25, score_cutoff=REVIEW_FLOOR)
    scored: dict[str, Candidate] = {}
    for _key, score, i in hits:
        la = register.las[i]
        if named.la and la:
            score -= 0.0 if la == named.la else OTHER_LA_PENALTY
        else:
            score -= UNKNOWN_LA_PENALTY
        iri = register.iris[i]
        if score >= REVIEW_FLOOR and (iri not in scored or scored[iri].score < score):
            scored[iri] = Candidate(iri, register.names[i], round(float(score), 1))
    ranked = tuple(sorted(scored.values(), key=lambda c: (-c.score, c.iri))[:3])
    if not ranked or ranked[0].score < threshold:
        return LinkResult(named, "unlinked", ranked)
    if len(ranked) > 1 and ranked[0].score - ranked[1].score < margin:
        return LinkResult(named, "ambiguous", ranked)
    return LinkResult(named, "linked", ranked)


def link_quads(results: Iterable[LinkResult]) -> Iterator[Quad]:
    """The name-links graph: every candidate kept, the status, and owl:sameAs when linked."""
    g = NamedNode(iris.derived_graph("name-links"))
    for r in results:
        named = NamedNode(r.named.iri)
        yield Quad(named, NamedNode(SKG.linkStatus), Literal(r.status), g)
        for rank, c in enumerate(r.candidates, start=1):
            node = NamedNode(iris.link_candidate_iri(r.named.iri, c.iri))
            yield Quad(node, _RDF_TYPE, NamedNode(SKG.LinkCandidate), g)
            yield Quad(node, NamedNode(SKG.linkFor), named, g)
            yield Quad(node, NamedNode(SKG.candidate), NamedNode(c.iri), g)
            yield Quad(
                node, NamedNode(SKG.matchScore), Literal(f"{c.score:.1f}", datatype=NamedNode(_XSD + "decimal")), g
            )
            yield Quad(node, NamedNode(SKG.candidateRank), Literal(str(rank), datatype=NamedNode(_XSD + "integer")), g)
        if r.link:
            yield Quad(named, _OWL_SAMEAS, NamedNode(r.link.iri), g)


_REPORT = """
PREFIX skg: <https://w3id.org/schoolkg/ontology#>
PREFIX schema: <https://schema.org/>
SELECT ?s ?name ?status ?cand ?cname ?score ?rank WHERE {
  ?s skg:linkStatus ?status ; schema:name ?name .
  OPTIONAL { ?c skg:linkFor ?s ; skg:candidate ?cand ; skg:matchScore ?score ; skg:candidateRank ?rank .
             OPTIONAL { ?cand schema:name ?cname } }
} ORDER BY ?status ?name ?rank
"""


def read_report(store: object) -> dict[str, list[tuple[str, str, list[tuple[str, str, float]]]]]:
    """{status: [(school IRI, name, [(candidate IRI, candidate name, score), ...])]} from a store."""
    out: dict[str, dict[str, tuple[str, str, list[tuple[str, str, float]]]]] = {}
    for row in store.query(_REPORT):  # type: ignore[attr-defined]
        s, name, status = row["s"].value, row["name"].value, row["status"].value
        entry = out.setdefault(status, {}).setdefault(s, (s, name, []))
        if row["score"] is not None:
            cname = row["cname"].value if row["cname"] is not None else ""
            item = (row["cand"].value, cname, float(row["score"].value))
            if item not in entry[2]:
                entry[2].append(item)
    return {k: list(v.values()) for k, v in out.items()}
