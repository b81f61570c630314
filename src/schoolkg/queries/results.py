"""Render query results: a Table as CSV, TSV or JSON; solutions and triples in the SPARQL 1.1 formats."""

from __future__ import annotations

import csv
import io
import json
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph

from schoolkg.store.table import Table
from schoolkg.vocab import PREFIXES

__all__ = [
    "RESULT_FORMATS",
    "TRIPLE_FORMATS",
    "render",
    "serialize_solutions",
    "serialize_triples",
]

XSD = PREFIXES["xsd"]


def render(table: Table, fmt: str) -> str:
    """Render as 'csv', 'tsv' or 'json' (a list of objects); 'table' is drawn by the CLI."""
    if fmt in ("csv", "tsv"):
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(table.columns)
        for row in table.rows:
            writer.writerow(["" if v is None else v for v in row])
        return buf.getvalue()
    if fmt == "json":
        return (
            json.dumps([dict(zip(table.columns, r, strict=True)) for r in table.rows], indent=2, ensure_ascii=False)
            + "\n"
        )
    raise ValueError(f"unknown format {fmt!r}")


# SPARQL 1.1 result formats (media type -> short name) and RDF formats for CONSTRUCT/DESCRIBE.
RESULT_FORMATS = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
TRIPLE_FORMATS = {
    "text/turtle": pyoxigraph.RdfFormat.TURTLE,
    "application/n-triples": pyoxigraph.RdfFormat.N_TRIPLES,
    "application/ld+json": pyoxigraph.RdfFormat.JSON_LD,
}


def serialize_solutions(variables: list[str], rows: list[list[object]], fmt: str) -> bytes:
    r"""Write SELECT results (rows of pyoxigraph terms or None) as SPARQL 1.1 JSON, XML, CSV or TSV.

    Examples
    --------
    >>> lit = pyoxigraph.Literal("44.4", datatype=pyoxigraph.NamedNode(XSD + "decimal"))
    >>> serialize_solutions(["v"], [[lit], [None]], "csv")
    b'v\r\n44.4\r\n""\r\n'
    >>> serialize_solutions(["v"], [[lit]], "tsv")
    b'?v\n"44.4"^^<http://www.w3.org/2001/XMLSchema#decimal>\n'
    """
    if fmt == "json":
        bindings = [{v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None} for row in rows]
        doc = {"head": {"vars": variables}, "results": {"bindings": bindings}}
        return json.dumps(doc, ensure_ascii=False).encode()
    if fmt == "xml":
        out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>']
        out += [f"<variable name={quoteattr(v)}/>" for v in variables]
        out.append("</head>\n<results>")
        for row in rows:
            cells = "".join(
                f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                for v, t in zip(variables, row, strict=True)
                if t is not None
            )
            out.append(f"<result>{cells}</result>")
        out.append("</results>\n</sparql>\n")
        return "\n".join(out).encode()
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(variables)
        for row in rows:
            writer.writerow(["" if t is None else getattr(t, "value", str(t)) for t in row])
        return buf.getvalue().encode()
    if fmt == "tsv":
        lines = ["\t".join(f"?{v}" for v in variables)]
        lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode()
    raise ValueError(f"unknown result format {fmt!r}")


def serialize_triples(triples: list[pyoxigraph.Triple], media_type: str) -> bytes:
    """Write CONSTRUCT/DESCRIBE triples as Turtle, N-Triples or JSON-LD (by media type)."""
    return pyoxigraph.serialize(triples, format=TRIPLE_FORMATS[media_type]) or b""


def _json_term(term: object) -> dict[str, str]:
    if isinstance(term, pyoxigraph.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, pyoxigraph.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, pyoxigraph.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != f"{XSD}string":
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": str(term)}


def _xml_term(term: object) -> str:
    if isinstance(term, pyoxigraph.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, pyoxigraph.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, pyoxigraph.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != f"{XSD}string":
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    return f"<literal>{escape(str(term))}</literal>"
