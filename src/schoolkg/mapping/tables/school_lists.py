"""Lists of named schools (``school-list``), such as Ofsted's 2009 outstanding schools.

A row with a URN becomes that school; a URN the source asks to verify is flagged with
``skg:needsVerification`` and the note; a row without one becomes a school known by name and
LA (``skg:needsLinking true``), for :mod:`schoolkg.mapping.link` to match against the register.
"""

from __future__ import annotations

from collections.abc import Iterator

from pyoxigraph import NamedNode, Quad

from schoolkg import iris
from schoolkg.errors import InputError
from schoolkg.mapping.tables import TableContext, register
from schoolkg.mapping.tables.cells import MISSING, parse_date, parse_urn
from schoolkg.mapping.tables.nodes import Sink, table_quads
from schoolkg.mapping.tables.outcomes import UrnOnce
from schoolkg.mapping.tables.rows import each_row
from schoolkg.mapping.terms import lit
from schoolkg.vocab import DCT, RDF, RDFS, SCHEMA, SKG

__all__ = ["SchoolList"]

Rows = Iterator[tuple[int, dict[str, str]]]


@register("school-list")
class SchoolList:
    """Columns: school_name, la_name, urn (may be blank), publication, published, note."""

    kind = "school-list"
    columns = ("school_name", "la_name", "urn", "publication", "published")

    def quads(self, rows: Rows, ctx: TableContext) -> Iterator[Quad]:
        sink = Sink(ctx)
        yield from table_quads(sink)
        urns = UrnOnce()

        def row_quads(line: int, row: dict[str, str]) -> Iterator[Quad]:
            name = row["school_name"]
            if not name:
                raise InputError("empty school name", field="school_name")
            published = parse_date(row["published"], "published")
            if published:
                yield sink.q(sink.table, DCT.date, lit(published, "date"))
            la, out = sink.la(row["la_name"], "la_name")
            yield from out
            note = row.get("note", "")
            if row["urn"] not in MISSING:
                urn = parse_urn(row["urn"], "urn")
                urns.check(urn, line, "urn")
                school, out = sink.school(urn, name)
                yield from out
                if "verify" in note.lower():
                    yield sink.q(school, SKG.needsVerification, lit(True))
            else:
                school = NamedNode(iris.school_name_iri(name, la.value.rsplit("/", 1)[-1]))
                yield sink.q(school, RDF.type, SKG.School)
                yield sink.q(school, SCHEMA.name, lit(name))
                yield sink.q(school, RDFS.label, lit(name))
                yield sink.q(school, SKG.needsLinking, lit(True))
            if note:
                yield sink.q(school, RDFS.comment, lit(note))
            yield sink.q(school, SKG.localAuthority, la)
            yield sink.q(sink.table, SKG.mentions, school)

        yield from each_row(rows, ctx, row_quads)
