"""Bind query parameters safely: typed RDF terms in VALUES blocks, never pasted text.

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
    """Return ``sparql`` with ``VALUES`` for ``terms`` first in its WHERE group and pushed into nested groups.

    The outer block alone gives the answer; oxigraph, though, does not push it into UNION
    branches or a long BGP, so a bound school still scans every school. So the binding is also
    written where the variable is used: a bound IRI replaces the variable in the triple patterns
    of a group (the variable stays bound by the VALUES block), and every nested group (a UNION
    branch, OPTIONAL, GRAPH or plain group) whose own triple patterns use the variable starts
    with its own ``VALUES``. That gives the same solutions: a join distributes over UNION, and
    a group whose triples use the variable binds it in every solution, which the outer block
    restricts to the bound value anyway. Groups whose meaning a binding could change - sub-SELECTs,
    MINUS, EXISTS, SERVICE - are left as written, with everything inside them.

    Raises QueryError if the query has no ``WHERE {``.

    Examples
    --------
    >>> q = "SELECT ?n WHERE { ?s <http://x/name> ?n FILTER(?n = ?name) }"
    >>> bind_values(q, {"name": to_term('" } DROP ALL ; #', "string")})
    'SELECT ?n WHERE { VALUES ?name { "\\\\" } DROP ALL ; #" } ?s <http://x/name> ?n FILTER(?n = ?name) }'
    >>> q = "SELECT * WHERE { { ?s <http://x/p> ?o } UNION { ?o <http://x/q> ?s } }"
    >>> bind_values(q, {"s": to_term("http://x/a", "iri")})  # doctest: +NORMALIZE_WHITESPACE
    'SELECT * WHERE { VALUES ?s { <http://x/a> } { VALUES ?s { <http://x/a> } <http://x/a> <http://x/p> ?o }
     UNION { VALUES ?s { <http://x/a> } ?o <http://x/q> <http://x/a> } }'

    One block per parameter (not one ``VALUES (?a ?b)`` row): the same solutions, and Virtuoso 7
    cannot compile a multi-variable row whose values are constants.
    """
    if not terms:
        return sparql
    names = sorted(terms)
    tokens = tokenize(sparql)
    depth, after_where = 0, False
    for i, tok in enumerate(tokens):
        if tok.text == "{":
            if depth == 0 and after_where:
                block = "".join(f" VALUES ?{n} {{ {terms[n]} }}" for n in names)
                edits = [(tok.start + 1, tok.start + 1, block)]
                _push_into_groups(tokens, i, terms, edits, top=True)
                for start, stop, text in sorted(edits, reverse=True):
                    sparql = sparql[:start] + text + sparql[stop:]
                return sparql
            depth += 1
        elif tok.text == "}":
            depth -= 1
        elif depth == 0 and tok.kind == "word" and tok.text.upper() == "WHERE":
            after_where = True
    raise QueryError("cannot bind parameters: the query has no WHERE { ... } group")


_OPAQUE = frozenset({"EXISTS", "MINUS", "SERVICE", "VALUES"})
"""Words after which the next ``{`` opens a data block or a group that a pushed-in binding could change."""


def _close(tokens: list[Token], i: int) -> int:
    """The index of the ``}`` that closes the ``{`` at ``tokens[i]``."""
    depth = 0
    for j in range(i, len(tokens)):
        depth += (tokens[j].text == "{") - (tokens[j].text == "}")
        if depth == 0:
            return j
    raise QueryError("cannot bind parameters: a { in the query is never closed")


def _push_into_groups(
    tokens: list[Token], i: int, terms: dict[str, Term], edits: list[tuple[int, int, str]], top: bool = False
) -> int:
    """Collect the edits binding ``terms`` inside the group opened at ``tokens[i]``; return its ``}`` index.

    A variable token counts as used by the group when it is one of the group's own triple pattern
    terms: not inside parentheses (FILTER, BIND, VALUES variable lists), not a
    ``VALUES`` or ``SERVICE`` variable, not in a nested group.
    """
    used: dict[str, list[Token]] = {}
    parens, j, pending = 0, i + 1, ""  # pending: the VALUES/SERVICE/EXISTS/MINUS whose { comes next
    while tokens[j].text != "}":
        tok = tokens[j]
        if tok.text == "{":
            subquery = j + 1 < len(tokens) and tokens[j + 1].text.upper() == "SELECT"
            j = _close(tokens, j) if pending or subquery else _push_into_groups(tokens, j, terms, edits)
            pending = ""
        elif tok.kind == "word" and tok.text.upper() in _OPAQUE:
            pending = tok.text.upper()
        elif tok.kind == "var" and parens == 0 and not pending:
            used.setdefault(tok.text[1:], []).append(tok)
        parens += (tok.text == "(") - (tok.text == ")")
        j += 1
        if j == len(tokens):
            raise QueryError("cannot bind parameters: a { in the query is never closed")
    for name in sorted(set(used) & set(terms)):
        term = terms[name]
        if isinstance(term, _Undef):
            continue
        if not top:
            edits.append((tokens[i].start + 1, tokens[i].start + 1, f" VALUES ?{name} {{ {term} }}"))
        if isinstance(term, pyoxigraph.NamedNode):
            edits.extend((t.start, t.start + len(t.text), str(term)) for t in used[name])
    return j


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
