"""RDF terms every mapper writes: typed literals and the fixed nodes of the graph."""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode

from schoolkg import iris
from schoolkg.vocab import PREFIXES, XSD

__all__ = ["OFSTED", "lit"]

OFSTED = NamedNode(iris.OFSTED)
"""The inspectorate of every Ofsted inspection."""


def lit(value: object, datatype: str | None = None) -> Literal:
    """A typed literal: ints as xsd:integer, bools as xsd:boolean, strings as xsd:string.

    ``datatype`` names an XSD datatype for the lexical form ``str(value)``.

    >>> lit(3).datatype.value, lit("2009-01-27", "date").datatype.value, lit(True).value
    ('http://www.w3.org/2001/XMLSchema#integer', 'http://www.w3.org/2001/XMLSchema#date', 'true')
    """
    if datatype:
        return Literal(str(value), datatype=NamedNode(PREFIXES["xsd"] + datatype))
    if isinstance(value, bool):
        return Literal("true" if value else "false", datatype=XSD.boolean)
    if isinstance(value, int):
        return Literal(str(value), datatype=XSD.integer)
    return Literal(str(value))
