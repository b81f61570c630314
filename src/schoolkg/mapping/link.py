"""Link schools known only by name (and LA) to register schools with a URN, by fuzzy matching.

Pure functions over plain data: :func:`match` scores one name against a register with
rapidfuzz; :func:`link_quads` turns the decisions into the ``…/graph/derived/name-links`` graph
(:func:`schoolkg.queries.links.read_report` reads them back from a store).

A name match is not identity: a linked school gets ``skos:closeMatch`` to the register school
(with the candidates' scores and the status kept), never ``owl:sameAs``, which is only written
for an exact URN (to the government's IRI, by the mappers). The register school is the one that
existed at the date of the source naming it: a school that replaced it later is followed back
through the dated GIAS links (:func:`schoolkg.mapping.derive.as_at`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode, Quad
from rapidfuzz import fuzz, process

from schoolkg import iris
from schoolkg.mapping.terms import lit
from schoolkg.vocab import RDF, SKG, SKOS

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
]

THRESHOLD = 88.0
"""Below this score no link is made."""
MARGIN = 4.0
"""The best candidate must beat the next by this much, or the school is ambiguous."""
REVIEW_FLOOR = 70.0
"""Candidates scoring at least this are kept for review even when not linked."""
OTHER_LA_PENALTY = 20.0
UNKNOWN_LA_PENALTY = 6.0

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
    """A school known by name and (maybe) LA IRI, to be linked; ``date``: of the earliest
    source naming it (ISO), so the link goes to the establishment of that date."""

    iri: str
    name: str
    la: str | None
    date: str | None = None


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


Resolver = Callable[[str, str | None, str], str]
"""(register school IRI, date, name) -> the establishment that was that school on the date."""


def link_quads(results: Iterable[LinkResult], resolve: Resolver | None = None) -> Iterator[Quad]:
    """The name-links graph: every candidate kept, the status, and when linked ``skos:closeMatch``
    to the accepted candidate as at the source's date (``resolve``; the candidate itself without).
    The accepted candidate's node records that date (``skg:atDate``) and the school it gave
    (``skg:resolvedTo``)."""
    g = NamedNode(iris.derived_graph("name-links"))
    for r in results:
        named = NamedNode(r.named.iri)
        yield Quad(named, SKG.linkStatus, Literal(r.status), g)
        for rank, c in enumerate(r.candidates, start=1):
            node = NamedNode(iris.link_candidate_iri(r.named.iri, c.iri))
            yield Quad(node, RDF.type, SKG.LinkCandidate, g)
            yield Quad(node, SKG.linkFor, named, g)
            yield Quad(node, SKG.candidate, NamedNode(c.iri), g)
            yield Quad(node, SKG.matchScore, lit(f"{c.score:.1f}", "decimal"), g)
            yield Quad(node, SKG.candidateRank, lit(rank), g)
        if r.link:
            target = resolve(r.link.iri, r.named.date, r.named.name) if resolve else r.link.iri
            node = NamedNode(iris.link_candidate_iri(r.named.iri, r.link.iri))
            yield Quad(named, SKOS.closeMatch, NamedNode(target), g)
            yield Quad(node, SKG.resolvedTo, NamedNode(target), g)
            if r.named.date:
                yield Quad(node, SKG.atDate, lit(r.named.date, "date"), g)
