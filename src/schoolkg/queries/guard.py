"""Read-only guard: tokenise SPARQL text and refuse updates and federated (SERVICE) queries.

The check works on tokens, not substrings: comments, string literals and IRIs are skipped, and
variables (``?service``) or prefixed names (``ex:load``) never count as keywords, so
``SELECT ?load WHERE { ?s ex:service "DROP ALL" }`` passes while ``select * { service <x> {} }``
inside a sub-query is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from schoolkg.errors import QueryError

__all__ = ["ReadOnlyError", "Token", "check_read_only", "query_form", "tokenize"]

UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"})
QUERY_FORMS = frozenset({"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"})

_TOKEN = re.compile(
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


class ReadOnlyError(QueryError):
    """A query the read-only endpoint refuses (an update, or a SERVICE call); HTTP 403."""

    http_status = 403


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
    for m in _TOKEN.finditer(sparql):
        kind = m.lastgroup or "other"
        if kind not in ("ws", "comment"):
            tokens.append(Token(kind, m.group(), m.start()))
    return tokens


def query_form(sparql: str) -> str:
    """The query form, ``SELECT``, ``CONSTRUCT``, ``DESCRIBE`` or ``ASK``, after the prologue.

    Raises ReadOnlyError for an update and QueryError when no form is found.

    >>> query_form("prefix a: <x:> # ask\\n construct { ?s ?p ?o } where { ?s ?p ?o }")
    'CONSTRUCT'
    """
    check_read_only(sparql)
    for tok in tokenize(sparql):
        if tok.kind == "word" and tok.text.upper() in QUERY_FORMS:
            return tok.text.upper()
    raise QueryError("not a SPARQL query: expected SELECT, CONSTRUCT, DESCRIBE or ASK")


def check_read_only(sparql: str) -> None:
    """Raise ReadOnlyError if ``sparql`` is an update or calls a remote SERVICE.

    Examples
    --------
    >>> check_read_only('SELECT * WHERE { ?s <http://x/service> "LOAD <http://e>" }')
    >>> try:
    ...     check_read_only("select * { { select * { SeRvIcE <http://x> { ?s ?p ?o } } } }")
    ... except ReadOnlyError as err:
    ...     print(err)
    SERVICE (federated query) is refused: this endpoint never fetches remote data
    """
    for tok in tokenize(sparql):
        if tok.kind != "word":
            continue
        word = tok.text.upper()
        if word == "SERVICE":
            raise ReadOnlyError("SERVICE (federated query) is refused: this endpoint never fetches remote data")
        if word in UPDATE_KEYWORDS:
            raise ReadOnlyError(f"SPARQL Update ({word}) is refused: this endpoint is read-only")
