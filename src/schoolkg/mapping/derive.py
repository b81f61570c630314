"""Statements schoolkg infers from what the sources say, each in a ``…/graph/derived/…`` graph.

- ``programme-areas``: a school whose LA took part in EiC (whole-authority) or BIP took part
  while it was open during the programme: a Participation with ``skg:derived true``, its
  ``skg:derivationRule``, ``skg:startDate``/``skg:endDate`` and ``prov:wasDerivedFrom`` the
  LA's. A school that opened after the programme ended did not take part; the establishment it
  replaced (GIAS links) did (:func:`programme_area_quads`).
- ``name-links``: schools known only by name linked to register schools
  (:mod:`schoolkg.mapping.link`) with ``skos:closeMatch`` (never ``owl:sameAs``), resolved to
  the establishment that existed at the date of the source that names them.
- ``entailment``: the ontology's subclass and subproperty closure over every asserted triple,
  so ``?s a schema:School`` and ``?m a org:Membership`` match (:func:`entailment_quads` in
  memory, :func:`write_entailment` streamed from the parts of a build, in bounded memory).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, parse
from rapidfuzz import fuzz

from schoolkg import iris
from schoolkg.mapping.link import LinkResult, Named, Register, link_quads, match, normalise
from schoolkg.mapping.nquads import CHUNK_QUADS, merge_sorted, write_sorted
from schoolkg.mapping.terms import lit
from schoolkg.vocab import DCT, PROV, RDF, RDFS, SCHEMA, SKG

__all__ = [
    "AREA_PROGRAMMES",
    "Facts",
    "Interval",
    "as_at",
    "derived_quads",
    "entailment_quads",
    "facts_quads",
    "programme_area_quads",
    "urn_cutoff",
    "write_entailment",
]

AREA_PROGRAMMES = frozenset({iris.PROGRAMME_BASE + "eic", iris.PROGRAMME_BASE + "bip"})
"""Programmes whose LA participation covers every school of the LA (not Excellence Clusters)."""

CUTOFF_QUANTILE = 0.01
"""URNs are allocated when an establishment opens: the URN below which an undated school is
taken to have existed during a programme is this quantile of the URNs whose GIAS or Ofsted open
date is after the programme's end. Above it, a succession's date is also taken as the
successor's opening."""

CUTOFF_MIN_DATES = 30
"""Fewer open dates after a programme than this give no URN cutoff (every undated school counts)."""

_RDF_TYPE, _SCHEMA_NAME = RDF.type.value, SCHEMA.name.value
_SCHOOL_BASE = iris.school_iri("100000").rsplit("/", 1)[0] + "/"
_LA, _NEEDS, _PART = SKG.localAuthority.value, SKG.needsLinking.value, SKG.Participation.value
_PARTICIPANT, _PROGRAMME, _START, _END, _SOURCE, _PHASE = (
    SKG.participant.value,
    SKG.programme.value,
    SKG.startDate.value,
    SKG.endDate.value,
    SKG.source.value,
    SKG.phase.value,
)
_OPEN, _CLOSE, _SUCC, _FROM, _TO, _DATE, _ISSUED, _MENTIONS = (
    SKG.openDate.value,
    SKG.closeDate.value,
    SKG.Succession.value,
    SKG.fromSchool.value,
    SKG.toSchool.value,
    DCT.date.value,
    DCT.issued.value,
    SKG.mentions.value,
)
_LINK_TYPE = SKG.linkType.value
_SUCC_BASE = iris.succession_iri("a", "b").rsplit("/", 1)[0] + "/"
_TRUE = lit(True)
_DERIVED = "/graph/derived/"


def derived_quads(quads: Iterable[Quad]) -> list[Quad]:
    """Every derived graph for the union of ``quads`` (derived graphs among them are ignored):
    programme areas, name links, and the entailment closure of all of it."""
    asserted = [q for q in quads if _DERIVED not in str(q.graph_name)]
    out = facts_quads(Facts(asserted))
    return out + entailment_quads(asserted + out)


def facts_quads(facts: Facts) -> list[Quad]:
    """The programme-area and name-link graphs from the ``facts`` of every source (see
    :meth:`Facts.merge`); the entailment graph needs the quads (:func:`entailment_quads`)."""
    return programme_area_quads(facts) + list(link_quads(_link_results(facts), facts.at_date))


@dataclass(frozen=True)
class Interval:
    """The days an establishment was open: ``start``/``end`` ISO dates, None when unknown."""

    start: str | None = None
    end: str | None = None

    @property
    def known(self) -> bool:
        """Whether either end is known."""
        return self.start is not None or self.end is not None

    def overlap(self, start: str, end: str | None) -> tuple[str, str | None] | None:
        """The part of ``start``..``end`` (None: open-ended) this interval covers, or None.

        >>> Interval("2016-09-01").overlap("1999-09-01", "2006-03-31") is None
        True
        >>> Interval(None, "2002-08-31").overlap("1999-09-01", "2006-03-31")
        ('1999-09-01', '2002-08-31')
        """
        lo = max(start, self.start) if self.start else start
        hi = min(x for x in (end, self.end) if x) if (end or self.end) else None
        return None if hi is not None and lo > hi else (lo, hi)


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
        self.opened: dict[str, str] = {}
        self.closed: dict[str, str] = {}
        self.succ: dict[str, dict[str, str]] = defaultdict(dict)
        self.windows: dict[str, dict[str, str]] = defaultdict(dict)
        self.issued: dict[str, str] = {}
        self.mentioned_by: dict[str, set[str]] = defaultdict(set)
        self._links: (
            tuple[dict[str, list[tuple[str, str | None]]], dict[str, list[tuple[str, str | None]]], dict[str, str]]
            | None
        ) = None
        self.add(quads)

    def add(self, quads: Iterable[Any]) -> None:
        """Index more quads, as if they followed those already indexed."""
        self._links = None
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
            elif p == _RDF_TYPE and o.value == _SUCC:
                self.succ[s]["type"] = "1"
            elif p in (_FROM, _TO, _LINK_TYPE) or (p == _DATE and s.startswith(_SUCC_BASE)):
                self.succ[s][p] = min(self.succ[s].get(p, o.value), o.value)
            elif p == _OPEN:
                self.opened[s] = o.value
            elif p == _CLOSE:
                self.closed[s] = o.value
            elif p == _ISSUED:
                self.issued[s] = o.value
            elif p == _MENTIONS:
                self.mentioned_by[o.value].add(s)
            elif p in (_START, _END) and s.startswith(iris.PROGRAMME_BASE):
                self.windows[s][p] = o.value
            elif p in (_PARTICIPANT, _PROGRAMME, _START, _END, _SOURCE, _PHASE):
                self.parts[s][p] = o.value

    def merge(self, other: Facts) -> None:
        """Index ``other``'s facts as if its quads followed these (same winners as one pass)."""
        self._links = None
        self.la_of.update(other.la_of)
        for s, name in other.names.items():
            self.names.setdefault(s, name)
        self.needs_linking |= other.needs_linking
        for s, part in other.parts.items():
            self.parts[s].update(part)
        for s, link in other.succ.items():
            mine = self.succ[s]
            for p, v in link.items():
                mine[p] = v if p == "type" else min(mine.get(p, v), v)
        self.opened.update(other.opened)
        self.closed.update(other.closed)
        for s, window in other.windows.items():
            self.windows[s].update(window)
        self.issued.update(other.issued)
        for s, docs in other.mentioned_by.items():
            self.mentioned_by[s] |= docs

    def to_json(self) -> dict[str, Any]:
        """Plain data for a cache file; :meth:`from_json` reads it back.

        >>> f = Facts(); f.names["s"] = "A"; f.mentioned_by["s"].add("d")
        >>> g = Facts.from_json(f.to_json()); (g.names, dict(g.mentioned_by))
        ({'s': 'A'}, {'s': {'d'}})
        """
        return {
            "la_of": self.la_of,
            "names": self.names,
            "needs_linking": sorted(self.needs_linking),
            "parts": dict(self.parts),
            "opened": self.opened,
            "closed": self.closed,
            "succ": dict(self.succ),
            "windows": dict(self.windows),
            "issued": self.issued,
            "mentioned_by": {s: sorted(d) for s, d in self.mentioned_by.items()},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Facts:
        """The facts :meth:`to_json` wrote."""
        facts = cls()
        facts.la_of, facts.names = dict(data["la_of"]), dict(data["names"])
        facts.needs_linking = set(data["needs_linking"])
        for s, part in data["parts"].items():
            facts.parts[s] = dict(part)
        facts.opened, facts.closed = dict(data.get("opened", {})), dict(data.get("closed", {}))
        for s, link in data.get("succ", {}).items():
            facts.succ[s] = dict(link)
        for s, window in data.get("windows", {}).items():
            facts.windows[s] = dict(window)
        facts.issued = dict(data.get("issued", {}))
        for s, docs in data.get("mentioned_by", {}).items():
            facts.mentioned_by[s] = set(docs)
        return facts

    def _indexed_links(
        self,
    ) -> tuple[dict[str, list[tuple[str, str | None]]], dict[str, list[tuple[str, str | None]]], dict[str, str]]:
        """Who replaced whom, with the day the successor took over (None: undated); computed once."""
        if self._links is None:
            predecessors: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
            successors: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
            founded: dict[str, str] = {}
            for node in sorted(self.succ):
                link = self.succ[node]
                if link.get("type") and _FROM in link and _TO in link:
                    predecessors[link[_TO]].append((link[_FROM], link.get(_DATE)))
                    successors[link[_FROM]].append((link[_TO], link.get(_DATE)))
                    if "merged" not in link.get(_LINK_TYPE, "").lower() and link.get(_DATE):
                        # a merger folds the old school into one that already existed: not its opening
                        old = founded.get(link[_TO])
                        founded[link[_TO]] = min(old, link[_DATE]) if old else link[_DATE]
            self._links = (predecessors, successors, founded)
        return self._links

    @property
    def predecessors(self) -> dict[str, list[tuple[str, str | None]]]:
        """Each school's predecessors with the day it took over from them."""
        return self._indexed_links()[0]

    @property
    def successors(self) -> dict[str, list[tuple[str, str | None]]]:
        """Each school's successors with the day they took over."""
        return self._indexed_links()[1]

    @property
    def founded(self) -> dict[str, str]:
        """The opening day of schools that succeeded another (not by merger)."""
        return self._indexed_links()[2]

    def interval(self, school: str, cutoff: int | None = None) -> Interval:
        """When ``school`` was open: GIAS/Ofsted dates, else the dates of its succession links.

        A succession dates the successor's opening only when its URN is at or above ``cutoff``
        (a new establishment): GIAS also links schools merged into one that already existed.
        """
        start = self.opened.get(school) or (self.founded.get(school) if _late(school, cutoff) else None)
        end = self.closed.get(school)
        if end is None:
            took_over = min((d for _s, d in self.successors.get(school, []) if d), default=None)
            if took_over:
                end = (dt.date.fromisoformat(took_over) - dt.timedelta(days=1)).isoformat()
        return Interval(start, end)

    def at_date(self, school: str, date: str | None, name: str = "") -> str:
        """The establishment that was ``school`` on ``date`` (see :func:`as_at`)."""
        return as_at(school, date, self.predecessors, self.names, name)


def as_at(
    school: str,
    date: str | None,
    predecessors: dict[str, list[tuple[str, str | None]]],
    names: dict[str, str] | None = None,
    name: str = "",
) -> str:
    """Follow ``school``'s dated predecessor links back to the establishment open on ``date``.

    A school that took over after ``date`` was not the one a source of that date names: its
    predecessor was (of several, the one whose name is closest to ``name``).

    >>> preds = {"s/143337": [("s/114837", "2016-09-01")]}
    >>> as_at("s/143337", "2009-01-27", preds), as_at("s/143337", "2017-05-01", preds)
    ('s/114837', 's/143337')
    """
    if date is None:
        return school
    seen = {school}
    while True:
        older = [p for p, d in predecessors.get(school, []) if d and d > date and p not in seen]
        if not older:
            return school
        key = normalise(name)
        school = max(sorted(older), key=lambda p: fuzz.token_sort_ratio(key, normalise((names or {}).get(p, ""))))
        seen.add(school)


def urn_cutoff(facts: Facts, end: str) -> int | None:
    """The URN from which undated schools are taken to have opened after ``end``:
    :data:`CUTOFF_QUANTILE` of the URNs whose GIAS or Ofsted open date is after it (succession
    dates are not used: GIAS links also record schools merged into older ones); None without
    :data:`CUTOFF_MIN_DATES` such dates."""
    later = sorted(
        int(s[len(_SCHOOL_BASE) :]) for s, d in facts.opened.items() if d > end and s[len(_SCHOOL_BASE) :].isdigit()
    )
    return later[int(CUTOFF_QUANTILE * len(later))] if len(later) >= CUTOFF_MIN_DATES else None


def programme_area_quads(facts: Facts) -> list[Quad]:
    """Dated, derived participations of the schools of the LAs that took part in EiC or BIP.

    For each school of a participating LA: open during the programme (its dates, or its
    succession links' dates) -> ``skg:ruleOpenSchoolInArea`` for the days it was open;
    opened after the programme -> nothing for it, and ``skg:rulePredecessorInArea`` for the
    establishments it replaced that were open then; no dates at all and a URN below the cutoff
    (:func:`urn_cutoff`) -> ``skg:ruleUndatedSchoolInArea`` for the whole window.
    """
    g = NamedNode(iris.derived_graph("programme-areas"))
    by_la: dict[str, list[tuple[str, dict[str, str]]]] = defaultdict(list)
    for iri, part in sorted(facts.parts.items()):
        if part.get("type") and part.get(_PROGRAMME) in AREA_PROGRAMMES and _PARTICIPANT in part:
            by_la[part[_PARTICIPANT]].append((iri, part))
    cutoffs = {p: urn_cutoff(facts, w[_END]) for p, w in facts.windows.items() if p in AREA_PROGRAMMES and _END in w}
    made: dict[tuple[str, str], tuple[str, str, str | None, NamedNode, bool]] = {}
    for school, la in sorted(facts.la_of.items()):
        for la_part, part in by_la.get(la, []):
            prog = part[_PROGRAMME]
            window = facts.windows.get(prog, {})
            start = part.get(_START) or window.get(_START) or "1900-01-01"
            end = window.get(_END)
            for who, rule, span, inferred in _members(facts, school, start, end, cutoffs.get(prog)):
                key = (who, la_part)
                if key not in made or (made[key][3] != SKG.ruleOpenSchoolInArea and rule == SKG.ruleOpenSchoolInArea):
                    made[key] = (prog, span[0], span[1], rule, inferred)
    out: list[Quad] = []
    for (who, la_part), (prog, start, end, rule, inferred) in sorted(made.items()):
        part = facts.parts[la_part]
        source = part[_SOURCE].rsplit("/", 1)[-1]
        d = NamedNode(iris.participation_iri(who, prog, f"derived-{source}"))
        out += [
            Quad(d, RDF.type, SKG.Participation, g),
            Quad(d, SKG.participant, NamedNode(who), g),
            Quad(d, SKG.programme, NamedNode(prog), g),
            Quad(d, SKG.derived, _TRUE, g),
            Quad(d, SKG.derivationRule, rule, g),
            Quad(d, PROV.wasDerivedFrom, NamedNode(la_part), g),
            Quad(d, SKG.source, NamedNode(part[_SOURCE]), g),
            Quad(d, SKG.startDate, lit(start, "date"), g),
        ]
        if end:
            out.append(Quad(d, SKG.endDate, lit(end, "date"), g))
        if inferred:
            out.append(Quad(d, SKG.datesInferred, _TRUE, g))
        if _PHASE in part:
            out.append(Quad(d, SKG.phase, Literal(part[_PHASE]), g))
    return out


def _members(
    facts: Facts, school: str, start: str, end: str | None, cutoff: int | None
) -> Iterator[tuple[str, NamedNode, tuple[str, str | None], bool]]:
    """(participant, rule, (start, end), dates inferred) for one school of a participating LA."""
    span = facts.interval(school, cutoff)
    if span.known:
        hit = span.overlap(start, end)
        if hit:
            yield school, SKG.ruleOpenSchoolInArea, hit, False
        elif end and span.start and span.start > end:
            yield from _predecessors(facts, school, start, end, cutoff, {school})
        return
    if facts.predecessors.get(school) and _late(school, cutoff):
        yield from _predecessors(facts, school, start, end, cutoff, {school})  # an undated successor, opened late
    elif not _late(school, cutoff):
        yield school, SKG.ruleUndatedSchoolInArea, (start, end), True


def _late(school: str, cutoff: int | None) -> bool:
    """Whether an undated school's URN says it opened after the window (at or above the cutoff)."""
    urn = school[len(_SCHOOL_BASE) :]
    return urn.isdigit() and cutoff is not None and int(urn) >= cutoff


def _predecessors(
    facts: Facts, school: str, start: str, end: str | None, cutoff: int | None, seen: set[str]
) -> Iterator[tuple[str, NamedNode, tuple[str, str | None], bool]]:
    for old, _date in sorted(facts.predecessors.get(school, [])):
        if old in seen or old in facts.la_of:  # a predecessor with its own LA is derived from it
            continue
        seen.add(old)
        span = facts.interval(old, cutoff)
        hit = span.overlap(start, end)
        opened_late = (end and span.start and span.start > end) or (span.start is None and _late(old, cutoff))
        if hit and not opened_late:
            yield old, SKG.rulePredecessorInArea, hit, span.start is None
        elif opened_late:
            yield from _predecessors(facts, old, start, end, cutoff, seen)


def _link_results(facts: Facts) -> Iterator[LinkResult]:
    register = Register()
    for s, name in sorted(facts.names.items()):
        if s not in facts.needs_linking and s[len(_SCHOOL_BASE) :].isdigit():
            register.add(s, name, facts.la_of.get(s))
    for s in sorted(facts.needs_linking):
        if s in facts.names:
            yield match(Named(s, facts.names[s], facts.la_of.get(s), _source_date(facts, s)), register)


def _source_date(facts: Facts, school: str) -> str | None:
    """The earliest date of the documents naming ``school`` (None when none is dated)."""
    return min((facts.issued[d] for d in facts.mentioned_by.get(school, ()) if d in facts.issued), default=None)


_SUB_CLASS, _SUB_PROPERTY = RDFS.subClassOf.value, RDFS.subPropertyOf.value


def entailment_quads(quads: Iterable[Any]) -> list[Quad]:
    """The ``…/graph/derived/entailment`` graph: the triples RDFS rules rdfs9 and rdfs7 add
    (every asserted type's superclasses, every asserted property's superproperties, both
    transitively) that no graph already states.

    >>> from pyoxigraph import NamedNode as N
    >>> skg, g = "https://w3id.org/schoolkg/ontology#", N("http://x/g")
    >>> qs = [Quad(N(skg + "School"), RDFS.subClassOf, N("https://schema.org/School"), g),
    ...       Quad(N("https://schema.org/School"), RDFS.subClassOf, N("https://schema.org/Org"), g),
    ...       Quad(N("http://x/s"), RDF.type, N(skg + "School"), g)]
    >>> sorted(q.object.value for q in entailment_quads(qs))
    ['https://schema.org/Org', 'https://schema.org/School']
    """
    quads = list(quads)
    classes: dict[str, set[str]] = defaultdict(set)
    props: dict[str, set[str]] = defaultdict(set)
    for q in quads:
        p = q.predicate.value
        if p in (_SUB_CLASS, _SUB_PROPERTY) and isinstance(q.object, NamedNode) and isinstance(q.subject, NamedNode):
            (classes if p == _SUB_CLASS else props)[q.subject.value].add(q.object.value)
    supers_c, supers_p = _closure(classes), _closure(props)
    g = NamedNode(iris.derived_graph("entailment"))
    asserted = {
        (q.subject, q.predicate.value, q.object) for q in quads if q.predicate.value in _targets(supers_c, supers_p)
    }
    out: set[Quad] = set()
    for q in quads:
        p = q.predicate.value
        if p == _RDF_TYPE and q.object.value in supers_c:
            for c in supers_c[q.object.value]:
                if (q.subject, _RDF_TYPE, NamedNode(c)) not in asserted:
                    out.add(Quad(q.subject, RDF.type, NamedNode(c), g))
        elif p in supers_p:
            for sp in supers_p[p]:
                if (q.subject, sp, q.object) not in asserted:
                    out.add(Quad(q.subject, NamedNode(sp), q.object, g))
    return sorted(out, key=str)


_TBOX_BYTES = (f"<{_SUB_CLASS}>".encode(), f"<{_SUB_PROPERTY}>".encode())


def write_entailment(
    paths: list[Path],
    out: Path,
    chunk: int = CHUNK_QUADS,
    kept: Callable[[Path, str], Path | None] | None = None,
) -> int:
    """Write :func:`entailment_quads` of the quads in the N-Quads files ``paths`` to ``out`` as
    sorted N-Quads (the bytes ``write_sorted(entailment_quads(all of them), out)`` gives) and
    return the lines written, holding at most about ``chunk`` quads at a time.

    Two passes: the subclass and subproperty axioms first (only the lines naming
    ``rdfs:subClassOf`` or ``rdfs:subPropertyOf`` are parsed), then every quad once, spilling two
    sorted streams beside ``out``: the triples the closure adds, and the asserted triples that one
    of them could repeat; what the first holds and the second does not is the graph. At 60,000
    report documents the in-memory :func:`entailment_quads` held every typed quad as a Python
    object (over 10 GB); this holds the axioms and one chunk.

    ``kept(path, axioms)`` may name, for a file that does not change while its name stays (a
    build's cached part), where that file's two streams are kept for the axioms of digest
    ``axioms``: an existing one is merged as it is instead of parsing the file again (a build that
    adds 100 documents to 60,000 reads only the new parts), a missing one is written there; None
    for a file to read every time. The bytes written are the same either way.

    >>> import tempfile, pathlib
    >>> from pyoxigraph import serialize
    >>> from schoolkg.mapping.nquads import to_nquads
    >>> skg, g = "https://w3id.org/schoolkg/ontology#", NamedNode("http://x/g")
    >>> qs = [Quad(NamedNode(skg + "School"), RDFS.subClassOf, NamedNode("https://schema.org/School"), g),
    ...       Quad(NamedNode("http://x/s"), RDF.type, NamedNode(skg + "School"), g)]
    >>> with tempfile.TemporaryDirectory() as d:
    ...     src, dst = pathlib.Path(d) / "in.nq", pathlib.Path(d) / "out.nq"
    ...     _ = src.write_bytes(serialize(qs, format=RdfFormat.N_QUADS))
    ...     write_entailment([src], dst), dst.read_bytes() == to_nquads(entailment_quads(qs))
    (1, True)
    """
    classes: dict[str, set[str]] = defaultdict(set)
    props: dict[str, set[str]] = defaultdict(set)
    axioms: set[tuple[str, str, str]] = set()
    for q in _axioms(paths):
        if isinstance(q.object, NamedNode) and isinstance(q.subject, NamedNode):
            (classes if q.predicate.value == _SUB_CLASS else props)[q.subject.value].add(q.object.value)
            axioms.add((q.subject.value, q.predicate.value, q.object.value))
    digest = hashlib.sha256(repr(sorted(axioms)).encode()).hexdigest()[:16]
    supers_c, supers_p = _closure(classes), _closure(props)
    g = NamedNode(iris.derived_graph("entailment"))
    super_classes = {c for cs in supers_c.values() for c in cs}
    super_props = {p for ps in supers_p.values() for p in ps}
    type_of = {c: [NamedNode(x) for x in sorted(cs)] for c, cs in supers_c.items() if cs}
    prop_of = {p: [NamedNode(x) for x in sorted(ps)] for p, ps in supers_p.items() if ps}
    runs: dict[str, list[Path]] = {"added": [], "asserted": []}
    reused: dict[str, list[Path]] = {"added": [], "asserted": []}
    held: dict[str, list[Quad]] = {"added": [], "asserted": []}

    def spill(kind: str) -> None:
        fd, name = tempfile.mkstemp(prefix=f".{out.name}.{kind}", dir=out.parent)
        os.close(fd)
        runs[kind].append(Path(name))
        write_sorted(held[kind], Path(name))
        held[kind] = []

    def scan(quads: Iterable[Any], sink: dict[str, list[Quad]], full: Callable[[str], None] | None) -> None:
        for q in quads:
            p = q.predicate.value
            if p == _RDF_TYPE:
                o = q.object.value
                if o in type_of:
                    sink["added"] += [Quad(q.subject, RDF.type, c, g) for c in type_of[o]]
                if o in super_classes:
                    sink["asserted"].append(Quad(q.subject, q.predicate, q.object, g))
            else:
                if p in prop_of:
                    sink["added"] += [Quad(q.subject, sp, q.object, g) for sp in prop_of[p]]
                if p in super_props:
                    sink["asserted"].append(Quad(q.subject, q.predicate, q.object, g))
            if full is not None:
                for kind in ("added", "asserted"):
                    if len(sink[kind]) >= chunk:
                        full(kind)

    try:
        for path in paths:
            home = kept(path, digest) if kept is not None else None
            if home is None:
                scan(parse(path=str(path), format=RdfFormat.N_QUADS), held, spill)
                continue
            streams = {kind: home.with_name(f"{home.name}.{kind}.nq") for kind in ("added", "asserted")}
            if not all(f.is_file() for f in streams.values()):
                _keep_streams(path, streams, scan, chunk)
            for kind, f in streams.items():
                if f.stat().st_size:
                    reused[kind].append(f)
        for kind in ("added", "asserted"):
            spill(kind)
        added, asserted = out.with_name(f".{out.name}.added"), out.with_name(f".{out.name}.asserted")
        merge_sorted(runs["added"] + reused["added"], added)
        merge_sorted(runs["asserted"] + reused["asserted"], asserted)
        runs["added"].append(added)
        runs["asserted"].append(asserted)
        return _difference(added, asserted, out)
    finally:
        for kind in runs:
            for run in runs[kind]:
                run.unlink(missing_ok=True)


def _keep_streams(
    path: Path,
    streams: dict[str, Path],
    scan: Callable[[Iterable[Any], dict[str, list[Quad]], Callable[[str], None] | None], None],
    chunk: int,
) -> None:
    """Write one file's two entailment streams to ``streams`` (sorted), spilling long ones in runs."""
    own: dict[str, list[Quad]] = {"added": [], "asserted": []}
    runs: dict[str, list[Path]] = {"added": [], "asserted": []}

    def spill(kind: str) -> None:
        fd, name = tempfile.mkstemp(prefix=f".{streams[kind].name}.run", dir=streams[kind].parent)
        os.close(fd)
        runs[kind].append(Path(name))
        write_sorted(own[kind], Path(name))
        own[kind] = []

    try:
        scan(parse(path=str(path), format=RdfFormat.N_QUADS), own, spill)
        for kind, f in streams.items():
            tmp = f.with_name(f".{f.name}.{os.getpid()}")
            if runs[kind]:
                spill(kind)
                merge_sorted(runs[kind], tmp)
            else:
                write_sorted(own[kind], tmp)
            os.replace(tmp, f)
    finally:
        for kind in runs:
            for run in runs[kind]:
                run.unlink(missing_ok=True)


def _axioms(paths: list[Path]) -> Iterator[Any]:
    """The ``rdfs:subClassOf`` and ``rdfs:subPropertyOf`` quads of N-Quads files, parsing only
    the lines that name one of the two (a byte search finds them)."""
    for path in paths:
        data = path.read_bytes()
        if not any(t in data for t in _TBOX_BYTES):
            continue
        lines = b"\n".join(line for line in data.splitlines() if any(t in line for t in _TBOX_BYTES))
        for q in parse(lines, format=RdfFormat.N_QUADS):
            if q.predicate.value in (_SUB_CLASS, _SUB_PROPERTY):
                yield q


def _difference(kept: Path, dropped: Path, out: Path) -> int:
    """Write the lines of sorted ``kept`` that sorted ``dropped`` lacks to ``out``; return how many."""
    written = 0
    with kept.open("rb") as a, dropped.open("rb") as b, out.open("wb") as dst:
        other = b.readline()
        for line in a:
            while other and other < line:
                other = b.readline()
            if line != other:
                dst.write(line)
                written += 1
    return written


def _targets(supers_c: dict[str, set[str]], supers_p: dict[str, set[str]]) -> set[str]:
    return {_RDF_TYPE} | {p for ps in supers_p.values() for p in ps}


def _closure(direct: dict[str, set[str]]) -> dict[str, set[str]]:
    """Every term's transitive supers (without itself).

    >>> sorted(_closure({"a": {"b"}, "b": {"c"}, "c": {"a"}})["a"])
    ['b', 'c']
    """
    out: dict[str, set[str]] = {}
    for start in direct:
        seen: set[str] = set()
        todo = list(direct[start])
        while todo:
            x = todo.pop()
            if x not in seen and x != start:
                seen.add(x)
                todo.extend(direct.get(x, ()))
        out[start] = seen
    return out
