"""Quads for the nodes every table mapper writes: the table itself, schools, local authorities."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from pyoxigraph import Literal, NamedNode, Quad

from schoolkg import iris
from schoolkg.errors import InputError
from schoolkg.extract.gazetteer import LA_ALIASES, local_authorities
from schoolkg.mapping.tables import TableContext
from schoolkg.mapping.tables.cells import Column
from schoolkg.mapping.terms import lit
from schoolkg.vocab import DCT, OWL, RDF, RDFS, SCHEMA, SKG, SKOS

__all__ = ["Sink", "la_code", "la_name", "column_quads", "succession_quads", "table_quads"]


NEW_LAS = {"942": "Cumberland", "943": "Westmorland and Furness"}
"""Authorities created in April 2023 (from Cumbria), missing from the 2019 DfE list we ship."""


@cache
def _las() -> tuple[dict[str, str], dict[str, str]]:
    """(lower-case name or alias -> DfE name, DfE name -> code) from the LA list."""
    las = local_authorities()
    codes = {la.name: la.code for la in las} | {name: code for code, name in NEW_LAS.items()}
    names = {name.lower(): name for name in codes}
    names.update({k.lower(): v for k, v in LA_ALIASES.items() if v.lower() in names})
    return names, codes


def la_name(name: str) -> str:
    """The DfE spelling of an LA name (or the name as given if it is not in the list).

    >>> la_name("Hull"), la_name("Kingston upon Hull, City of"), la_name("Norwich")
    ('Kingston Upon Hull, City of', 'Kingston Upon Hull, City of', 'Norwich')
    """
    return _las()[0].get(name.strip().lower(), name.strip())


def la_code(name_or_code: str) -> tuple[str, str | None]:
    """(DfE name, code) for an LA given by name or by three-digit code.

    >>> la_code("931"), la_code("Oxfordshire")
    (('Oxfordshire', '931'), ('Oxfordshire', '931'))
    """
    names, codes = _las()
    if name_or_code.isdigit():
        by_code = {c: nm for nm, c in codes.items()}
        if name_or_code not in by_code:
            raise InputError(f"unknown local authority code {name_or_code!r}", field="authority_code")
        return by_code[name_or_code], name_or_code
    name = la_name(name_or_code)
    return name, codes.get(name)


class Sink:
    """Collects the quads of one table graph, with helpers that write each node once."""

    def __init__(self, ctx: TableContext) -> None:
        self.g = NamedNode(iris.table_graph(ctx.table_id))
        self.table = NamedNode(iris.document_iri(ctx.table_id))
        self.ctx = ctx
        self._seen: set[str] = set()

    def q(self, s: NamedNode, p: NamedNode, o: NamedNode | Literal) -> Quad:
        """One quad in this table's graph."""
        return Quad(s, p, o, self.g)

    def once(self, key: str) -> bool:
        """True the first time ``key`` is asked for (so shared nodes are written once)."""
        if key in self._seen:
            return False
        self._seen.add(key)
        return True

    def school(self, urn: str, name: str | None = None) -> tuple[NamedNode, list[Quad]]:
        """The school with ``urn`` and, the first time, its type, name, URN and sameAs.

        Without a name the node is left untyped (SHACL requires every skg:School to be named).
        """
        node = NamedNode(iris.school_iri(urn))
        out: list[Quad] = []
        if self.once(f"school-urn:{urn}"):
            out.append(self.q(node, SKG.urn, lit(urn)))
            out.append(self.q(node, OWL.sameAs, NamedNode(iris.gov_school_iri(urn))))
        if name and self.once(f"school-name:{urn}"):
            out.append(self.q(node, RDF.type, SKG.School))
            out.append(self.q(node, SCHEMA.name, lit(name)))
            out.append(self.q(node, RDFS.label, lit(name)))
        return node, out

    def la(self, name_or_code: str, field: str | None = None) -> tuple[NamedNode, list[Quad]]:
        """The local authority (by name or code), typed, named and coded the first time.

        Raises InputError naming ``field`` when the cell is empty.
        """
        if not name_or_code.strip():
            raise InputError("empty local authority name or code", field=field)
        name, code = la_code(name_or_code)
        node = NamedNode(iris.la_iri(name))
        out: list[Quad] = []
        if self.once(f"la:{name}"):
            out += [
                self.q(node, RDF.type, SKG.LocalAuthority),
                self.q(node, SCHEMA.name, lit(name)),
                self.q(node, RDFS.label, lit(name)),
            ]
            if code:
                out.append(self.q(node, SKG.laCode, lit(code)))
        return node, out

    def measure(self, notation: str, label: str, key: str | None = None) -> tuple[NamedNode, list[Quad]]:
        """A measure IRI from ``key`` (default the notation), typed and labelled the first time."""
        node = NamedNode(iris.measure_iri(key or notation))
        out: list[Quad] = []
        if self.once(f"measure:{node.value}"):
            out += [
                self.q(node, RDF.type, SKG.Measure),
                self.q(node, RDFS.label, lit(label)),
                self.q(node, SKOS.notation, lit(notation)),
            ]
        return node, out

    def observation(
        self, subject: NamedNode | None, measure: NamedNode, value: str, unit: NamedNode, period: str, key: str
    ) -> list[Quad]:
        """A statistical observation from this table (``key`` unique within the table)."""
        obs = NamedNode(iris.figure_iri(self.ctx.table_id, key))
        out = [
            self.q(obs, RDF.type, SKG.Observation),
            self.q(obs, SKG.measure, measure),
            self.q(obs, SKG.value, lit(value, "decimal")),
            self.q(obs, SKG.unit, unit),
            self.q(obs, SKG.period, lit(period)),
            self.q(obs, SKG.source, self.table),
        ]
        if subject is not None:
            out.append(self.q(obs, SKG.about, subject))
        return out


def table_quads(sink: Sink) -> Iterator[Quad]:
    """The table as a source document: kind, path and digest."""
    yield sink.q(sink.table, RDF.type, SKG.Document)
    yield sink.q(sink.table, SKG.documentKind, lit("table"))
    yield sink.q(sink.table, SKG.sourcePath, lit(sink.ctx.path))
    yield sink.q(sink.table, SKG.sha256, lit(sink.ctx.sha256))


def column_quads(sink: Sink, subject: NamedNode, columns: tuple[Column, ...], row: dict[str, str]) -> Iterator[Quad]:
    """Write each declared column of ``row`` that has a value as ``subject prop value``."""
    for col in columns:
        value = col.read(row)
        if value is not None:
            yield sink.q(subject, col.prop, lit(value, col.datatype) if col.datatype else lit(value))


def succession_quads(
    sink: Sink, old: NamedNode, new: NamedNode, link_type: str | None, date: str | None
) -> Iterator[Quad]:
    """``new skg:predecessor old`` (and the inverse) and a ``skg:Succession`` node, dated
    (``dcterms:date``: the day ``new`` took over) where the source dates it."""
    yield sink.q(new, SKG.predecessor, old)
    yield sink.q(old, SKG.successor, new)
    node = NamedNode(iris.succession_iri(old.value, new.value))
    yield sink.q(node, RDF.type, SKG.Succession)
    yield sink.q(node, SKG.fromSchool, old)
    yield sink.q(node, SKG.toSchool, new)
    yield sink.q(node, SKG.source, sink.table)
    if link_type:
        yield sink.q(node, SKG.linkType, lit(link_type))
    if date:
        yield sink.q(node, DCT.date, lit(date, "date"))
