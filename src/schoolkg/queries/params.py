"""Bind query parameters safely: typed RDF terms in a VALUES block, never pasted text.

A value is first turned into a pyoxigraph term of the declared type (an IRI must parse as
one; a string becomes an ``xsd:string`` literal whatever it contains), then written in
N-Triples syntax, which escapes it, into ``VALUES ?a { t1 } VALUES ?b { t2 }`` placed as the first
pattern of the query's outer WHERE group. So ``" } DROP ALL ; #`` is one literal that matches
nothing.
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import re
from dataclasses import dataclass

import pyoxigraph

from schoolkg.errors import ConfigError, QueryError

__all__ = ["PARAM_TYPES", "UNDEF", "Parameter", "Term", "Token", "bind_values", "to_term", "tokenize"]

XSD = "http://www.w3.org/2001/XMLSchema#"
PARAM_TYPES = ("iri", "string", "integer", "decimal", "date", "boolean")


class _Undef:
    """``UNDEF`` in a VALUES block: the parameter is left for the query to compute."""

    def __str__(self) -> str:
        return "UNDEF"


UNDEF = _Undef()
Term = pyoxigraph.NamedNode | pyoxigraph.Literal | _Undef
"""What :func:`bind_values` writes: an IRI, a literal, or UNDEF."""


@dataclass(frozen=True)
class Parameter:
    """A declared query parameter: the SPARQL variable name, its type and default text."""

    name: str
    type: str
    default: str | None = None


def to_term(value: str, kind: str) -> pyoxigraph.NamedNode | pyoxigraph.Literal:
    """Turn the text ``value`` into an RDF term of type ``kind`` (one of PARAM_TYPES).

    Raises ConfigError when the value is not of that type.

    Examples
    --------
    >>> str(to_term('" } DROP ALL ; #', "string"))
    '"\\\\" } DROP ALL ; #"'
    >>> str(to_term("3", "integer"))
    '"3"^^<http://www.w3.org/2001/XMLSchema#integer>'
    >>> str(to_term("<https://w3id.org/schoolkg/programme/eic>", "iri"))
    '<https://w3id.org/schoolkg/programme/eic>'
    """
    try:
        if kind == "iri":
            iri = value[1:-1] if value.startswith("<") and value.endswith(">") else value
            if ":" not in iri:
                raise ValueError("an IRI needs a scheme, e.g. https://...")
            return pyoxigraph.NamedNode(iri)
        if kind == "string":
            return pyoxigraph.Literal(value)
        if kind == "integer":
            return pyoxigraph.Literal(str(int(value)), datatype=pyoxigraph.NamedNode(f"{XSD}integer"))
        if kind == "decimal":
            return pyoxigraph.Literal(_decimal(value), datatype=pyoxigraph.NamedNode(f"{XSD}decimal"))
        if kind == "date":
            return pyoxigraph.Literal(
                dt.date.fromisoformat(value).isoformat(), datatype=pyoxigraph.NamedNode(f"{XSD}date")
            )
        if kind == "boolean":
            if value.lower() not in ("true", "false"):
                raise ValueError("use true or false")
            return pyoxigraph.Literal(value.lower(), datatype=pyoxigraph.NamedNode(f"{XSD}boolean"))
    except ValueError as err:
        detail = f": {err}" if kind in ("iri", "date", "boolean", "decimal") else ""  # int() says nothing more
        raise ConfigError(f"parameter value {value!r} is not a valid {kind}{detail}") from None
    raise ConfigError(f"unknown parameter type {kind!r}; known: {', '.join(PARAM_TYPES)}")


def _decimal(value: str) -> str:
    """The canonical xsd:decimal text of ``value``; ValueError for nan, infinities and non-numbers.

    >>> _decimal("1e3"), _decimal("-2.50"), _decimal("7")
    ('1000.0', '-2.5', '7.0')
    """
    try:
        number = decimal.Decimal(value.strip())
    except decimal.InvalidOperation:
        raise ValueError("write a number such as 2.5") from None
    if not number.is_finite():
        raise ValueError("a decimal must be finite (not nan or infinity)")
    text = format(number.normalize() if number else decimal.Decimal(0), "f")
    return text if "." in text or number != number.to_integral_value() else f"{text}.0"


def bind_values(sparql: str, terms: dict[str, Term]) -> str:
    """Return ``sparql`` with ``VALUES`` for ``terms`` as the first pattern of its WHERE group.

    Raises QueryError if the query has no ``WHERE {``.

    Examples
    --------
    >>> q = "SELECT ?n WHERE { ?s <http://x/name> ?n FILTER(?n = ?name) }"
    >>> bind_values(q, {"name": to_term('" } DROP ALL ; #', "string")})
    'SELECT ?n WHERE { VALUES ?name { "\\\\" } DROP ALL ; #" } ?s <http://x/name> ?n FILTER(?n = ?name) }'

    One block per parameter (not one ``VALUES (?a ?b)`` row): the same solutions, and Virtuoso 7
    cannot compile a multi-variable row whose values are constants.
    """
    if not terms:
        return sparql
    names = sorted(terms)
    block = "".join(f" VALUES ?{n} {{ {terms[n]} }}" for n in names)
    depth, after_where = 0, False
    for tok in tokenize(sparql):
        if tok.text == "{":
            if depth == 0 and after_where:
                return sparql[: tok.start + 1] + block + sparql[tok.start + 1 :]
            depth += 1
        elif tok.text == "}":
            depth -= 1
        elif depth == 0 and tok.kind == "word" and tok.text.upper() == "WHERE":
            after_where = True
    raise QueryError("cannot bind parameters: the query has no WHERE { ... } group")


@functools.cache
def _token_pattern() -> re.Pattern[str]:
    """The SPARQL token pattern, compiled on first use (10 ms that a query without parameters never needs)."""
    return re.compile(
        r"""
        (?P<ws>\s+)
      | (?P<comment>\#[^\n]*)
      | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                   |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
      | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
      | (?P<var>[?$][A-Za-z0-9_\u00b7-\uffff]+)
      | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
      | (?P<pname>(?:[A-Za-z\u00c0-\uffff][\w.\u00b7-\uffff-]*)?:(?:[\w\u00b7-\uffff:%\\.-]*[\w\u00b7-\uffff:%-])?)
      | (?P<number>[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?))
      | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
      | (?P<punct>\^\^|\|\||&&|!=|<=|>=|[{}()\[\];,.*=<>!+\-/|^])
      | (?P<other>.)
        """,
        re.VERBOSE | re.DOTALL,
    )


@dataclass(frozen=True)
class Token:
    """One lexical token: its kind (``word``, ``var``, ``iri``, ``{`` ...), text and offset."""

    kind: str
    text: str
    start: int


def tokenize(sparql: str) -> list[Token]:
    """Split SPARQL text into significant tokens (whitespace and comments dropped).

    Examples
    --------
    >>> [t.kind for t in tokenize('SELECT ?s # service\\nWHERE { ?s ex:load "drop" }')]
    ['word', 'var', 'word', 'punct', 'var', 'pname', 'string', 'punct']
    """
    tokens = []
    for m in _token_pattern().finditer(sparql):
        kind = m.lastgroup or "other"
        if kind not in ("ws", "comment"):
            tokens.append(Token(kind, m.group(), m.start()))
    return tokens
