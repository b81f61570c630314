"""Mapper for hand-curated figures read off a document (such as Figure 1 of the EiC report)."""

from __future__ import annotations

from collections.abc import Iterator

from pyoxigraph import NamedNode, Quad

from schoolkg import iris
from schoolkg.errors import InputError, input_context
from schoolkg.mapping.tables import TableContext, register
from schoolkg.mapping.terms import lit
from schoolkg.vocab import RDF, RDFS, SKG

UNITS = {
    "percent": SKG.percent,
    "percentage points": SKG.percentagePoints,
    "count": SKG.count,
    "pounds": SKG.pounds,
    "score": SKG.score,
}


def parse_value(raw: str) -> str:
    """A decimal value as a canonical string, or InputError."""
    try:
        float(raw)
    except ValueError:
        raise InputError(f"not a number: {raw!r}", field="value") from None
    return raw


@register("figures")
class Figures:
    """Rows: group, measure, period, value, unit, provisional, source_document, quote."""

    kind = "figures"
    columns = ("group", "measure", "period", "value", "unit", "source_document", "quote")

    def quads(self, rows: Iterator[tuple[int, dict[str, str]]], ctx: TableContext) -> Iterator[Quad]:
        g = NamedNode(iris.table_graph(ctx.table_id))
        table = NamedNode(iris.document_iri(ctx.table_id))
        yield Quad(table, RDF.type, SKG.Document, g)
        yield Quad(table, SKG.documentKind, lit("table"), g)
        yield Quad(table, SKG.sourcePath, lit(ctx.path), g)
        yield Quad(table, SKG.sha256, lit(ctx.sha256), g)
        for line, row in rows:
            with input_context(ctx.file, line):
                yield from self._row(row, ctx, g, table)

    def _row(self, row: dict[str, str], ctx: TableContext, g: NamedNode, table: NamedNode) -> Iterator[Quad]:
        unit = UNITS.get(row["unit"])
        if unit is None:
            raise InputError(f"unknown unit {row['unit']!r}; known: {', '.join(UNITS)}", field="unit")
        value = parse_value(row["value"])
        doc_id = row["source_document"]
        text = ctx.documents.get(doc_id)
        if text is None:
            raise InputError(f"no document {doc_id!r} in the corpus", field="source_document")
        start = text.find(row["quote"])
        if start < 0:
            raise InputError("quote not found in the source document", field="quote")
        key = f"{row['group']}-{row['measure']}-{row['period']}"
        obs = NamedNode(iris.figure_iri(ctx.table_id, key))
        measure = NamedNode(iris.measure_iri(row["measure"]))
        yield Quad(measure, RDF.type, SKG.Measure, g)
        yield Quad(measure, RDFS.label, lit(row["measure"]), g)
        yield Quad(obs, RDF.type, SKG.Observation, g)
        yield Quad(obs, SKG.measure, measure, g)
        yield Quad(obs, SKG.value, lit(value, "decimal"), g)
        yield Quad(obs, SKG.unit, unit, g)
        yield Quad(obs, SKG.period, lit(row["period"]), g)
        yield Quad(obs, SKG.comparisonGroup, lit(row["group"]), g)
        if row.get("provisional", "").lower() in ("true", "yes", "1"):
            yield Quad(obs, SKG.provisional, lit(True), g)
        yield Quad(obs, SKG.source, NamedNode(iris.document_iri(doc_id)), g)
        yield Quad(obs, NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom"), table, g)
        yield Quad(obs, SKG.quote, lit(row["quote"]), g)
        yield Quad(obs, SKG.startOffset, lit(start), g)
        yield Quad(obs, SKG.endOffset, lit(start + len(row["quote"])), g)
