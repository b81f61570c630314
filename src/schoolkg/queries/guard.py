"""Read-only guard: parse SPARQL with rdflib's parser and refuse updates and SERVICE by meaning.

``inspect_query`` parses the text as a SPARQL 1.1 query and walks the syntax tree: a
``SERVICE`` pattern anywhere (sub-queries, ``OPTIONAL``, ``MINUS``, ``EXISTS`` ...) is refused;
text that parses as an update (``INSERT``, ``LOAD``, ``DROP`` ...) is refused as an update. Text
that rdflib cannot read is refused too, even when pyoxigraph could run it: the guard lets
through only what it has understood. So keywords in strings, comments, variables or prefixed
names never count, and no spelling (case, comments, escapes such as ``ex:a\\#b``) can hide a
``SERVICE`` from it.

This is the first of two walls: query workers also run without network access
(:mod:`schoolkg.queries.sandbox`), so a ``SERVICE`` that got through would fail unsent.
"""

from __future__ import annotations

import sys
import threading
from dataclasses import dataclass

import pyoxigraph

from schoolkg.errors import QueryError
from schoolkg.store.lexical import mask

MAX_DEPTH = 100

__all__ = [
    "MAX_DEPTH",
    "QueryInfo",
    "ReadOnlyError",
    "ServiceRefused",
    "UpdateRefused",
    "check_read_only",
    "inspect_query",
    "query_form",
]

_FORMS = {"SelectQuery": "SELECT", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE", "AskQuery": "ASK"}


class ReadOnlyError(QueryError):
    """A query the read-only endpoint refuses (an update, or a SERVICE call); HTTP 403."""

    http_status = 403
    reason = "read-only"


class UpdateRefused(ReadOnlyError):
    """A SPARQL Update (``INSERT``, ``LOAD``, ``DROP`` ...) sent to the read-only endpoint."""

    reason = "update"


class ServiceRefused(ReadOnlyError):
    """A query with a ``SERVICE`` pattern (federated query): the endpoint fetches nothing remote."""

    reason = "service"


@dataclass(frozen=True)
class QueryInfo:
    """What the guard learnt from a query: its form and whether it names its own dataset.

    ``form`` is ``SELECT``, ``CONSTRUCT``, ``DESCRIBE`` or ``ASK``; ``has_dataset`` is true when
    the query has a ``FROM`` or ``FROM NAMED`` clause.
    """

    form: str
    has_dataset: bool


def inspect_query(sparql: str) -> QueryInfo:
    """Parse ``sparql``; return its form and dataset, or raise ReadOnlyError or QueryError.

    Examples
    --------
    >>> inspect_query('SELECT ?load FROM <http://g> { ?s <http://x/service> "DROP ALL" }')
    QueryInfo(form='SELECT', has_dataset=True)
    >>> inspect_query("prefix a: <x:> # ask\\n construct { ?s ?p ?o } where { ?s ?p ?o }").form
    'CONSTRUCT'
    >>> try:
    ...     inspect_query("select * { { select * { SeRvIcE <http://x> { ?s ?p ?o } } } }")
    ... except ReadOnlyError as err:
    ...     print(err)
    SERVICE (federated query) is refused: this endpoint never fetches remote data
    >>> try:
    ...     inspect_query("LOAD <http://example.org/data.ttl>")
    ... except ReadOnlyError as err:
    ...     print(err)
    SPARQL Update (LOAD) is refused: this endpoint is read-only
    """
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    _check_depth(sparql)
    try:
        with _parsing():
            tree = parseQuery(sparql)
    except (ParseBaseException, RecursionError, ValueError, TypeError) as err:
        with _parsing():
            update = _update_operation(sparql, parseUpdate)
        if update:
            raise UpdateRefused(f"SPARQL Update ({update}) is refused: this endpoint is read-only") from None
        raise QueryError(_unreadable(sparql, err)) from None
    query = tree[1]
    if _has_service(query):
        raise ServiceRefused("SERVICE (federated query) is refused: this endpoint never fetches remote data")
    return QueryInfo(_FORMS[query.name], "datasetClause" in query)


def query_form(sparql: str) -> str:
    """The query form of ``sparql`` (``SELECT``, ``CONSTRUCT``, ``DESCRIBE`` or ``ASK``).

    >>> query_form("ASK {}")
    'ASK'
    """
    return inspect_query(sparql).form


def check_read_only(sparql: str) -> None:
    """Raise ReadOnlyError if ``sparql`` is an update or calls a SERVICE; QueryError if unreadable.

    Text in which no update keyword and no ``SERVICE`` occurs at all, in any case and anywhere
    (strings and comments included), and without ``\\u`` escapes, can be neither; it is let
    through without loading rdflib's parser (a third of a second of CPU at every ``schoolkg
    query``). Anything else is parsed as :func:`inspect_query` does.

    >>> check_read_only('SELECT * WHERE { ?s <http://x/service> "LOAD <http://e>" }')
    >>> check_read_only("SELECT ?name WHERE { ?s <http://x/name> ?name } LIMIT 5")
    """
    if _plainly_read_only(sparql):
        _check_depth(sparql)
        return
    inspect_query(sparql)


_UPDATE_WORDS = ("SERVICE", "INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD")
"""SERVICE, and the words every SPARQL 1.1 Update operation holds (``WITH <g>`` is always
followed by DELETE or INSERT, so it need not be looked for)."""


def _plainly_read_only(sparql: str) -> bool:
    """True when ``sparql`` cannot be an update or hold a SERVICE: none of those keywords occurs
    as a word in its text upper-cased two ways (ASCII letters only, as pyoxigraph reads
    keywords; and every letter, as rdflib's caseless keywords compare, so ``ſ`` is ``S`` too),
    and no ``\\u``/``\\U`` escape could spell one.

    A word here is a run not preceded or followed by an ASCII letter, digit or ``_``; a keyword
    can only be read where it stands so, and every other occurrence only sends the text to the
    parser.

    >>> _plainly_read_only("select ?address where { ?s ?p ?address }")
    True
    >>> [_plainly_read_only(q) for q in ("SeRvIcE <x:> {}", "# load\\nASK {}", "ASK { ?s ?p '\\\\u0053' }")]
    [False, False, False]
    """
    if "\\u" in sparql or "\\U" in sparql:
        return False
    ascii_upper = sparql.encode("utf-8", "surrogatepass").upper().decode("utf-8", "surrogatepass")
    return not any(_has_word(text, word) for text in (ascii_upper, sparql.upper()) for word in _UPDATE_WORDS)


def _has_word(text: str, word: str) -> bool:
    """Whether ``word`` occurs in ``text`` between characters that are not ASCII letters, digits or ``_``."""

    def inner(c: str) -> bool:
        return c.isascii() and (c.isalnum() or c == "_")

    start = text.find(word)
    while start != -1:
        end = start + len(word)
        if not (start and inner(text[start - 1])) and not (end < len(text) and inner(text[end])):
            return True
        start = text.find(word, start + 1)
    return False


def _check_depth(sparql: str) -> None:
    """Refuse brackets nested deeper than MAX_DEPTH: parsers recurse per level (pyoxigraph's
    overflows its stack and kills the process at a few thousand).

    >>> _check_depth("SELECT * { FILTER(" + "(" * 101 + "1" + ")" * 101 + ") }")
    Traceback (most recent call last):
    ...
    schoolkg.errors.QueryError: brackets nested 103 deep; the limit is 100
    """
    depth = deepest = 0
    for ch in mask(sparql):
        if ch in "({[":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in ")}]":
            depth -= 1
    if deepest > MAX_DEPTH:
        raise QueryError(f"brackets nested {deepest} deep; the limit is {MAX_DEPTH}")


def _has_service(node: object) -> bool:
    """Whether a ``ServiceGraphPattern`` occurs anywhere below ``node`` in rdflib's parse tree."""
    stack = [node]
    while stack:
        item = stack.pop()
        if getattr(item, "name", None) == "ServiceGraphPattern":
            return True
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)) or hasattr(item, "as_list"):  # lists, pyparsing ParseResults
            stack.extend(item)  # type: ignore[arg-type]
    return False


def _update_operation(sparql: str, parse_update: object) -> str | None:
    """The first operation of ``sparql`` read as a SPARQL Update (``LOAD``, ``INSERT DATA`` ...)."""
    from pyparsing import ParseBaseException

    try:
        update = parse_update(sparql)  # type: ignore[operator]
    except (ParseBaseException, RecursionError, ValueError, TypeError):
        return None
    ops = [op.name for op in update.request] if update.get("request") else []
    if not ops:
        return None
    names = {"Modify": "DELETE/INSERT", "InsertData": "INSERT DATA", "DeleteData": "DELETE DATA"}
    return names.get(ops[0], ops[0].upper().replace("WHERE", " WHERE"))


def _unreadable(sparql: str, err: Exception) -> str:
    """The message for text rdflib could not parse: pyoxigraph's syntax error when it has one.

    pyoxigraph parses the text in a thread without network access (an ``ASK`` is evaluated at
    once, and it might hold a ``SERVICE``), on an empty in-memory store.
    """
    found: list[str] = []

    def parse() -> None:
        from schoolkg.queries import sandbox
        from schoolkg.store.embedded import syntax_message

        try:
            sandbox.deny_network()
            pyoxigraph.Store().query(sparql)
        except SyntaxError as syntax:
            found.append(syntax_message(str(syntax)))
        except (OSError, ValueError, RuntimeError):
            pass

    if _sandbox_supported():
        worker = threading.Thread(target=parse, name="schoolkg-guard", daemon=True)
        worker.start()
        worker.join(timeout=10)
    if found:
        return found[0]
    line, column = getattr(err, "lineno", None), getattr(err, "col", None)
    where = f" (line {line}, column {column})" if line is not None else ""
    return f"the read-only guard cannot read this query{where}; only queries it can check are run"


def _sandbox_supported() -> bool:
    from schoolkg.queries.sandbox import supported

    return supported()


class _parsing:
    """While rdflib parses: silence its warnings about odd IRIs (not errors here) and allow the
    recursion pyparsing needs for MAX_DEPTH nested brackets (about 60 frames a level)."""

    def __enter__(self) -> None:
        import logging  # only on the parser's path (startup)

        self._logger = logging.getLogger("rdflib")
        self._level, self._limit = self._logger.level, sys.getrecursionlimit()
        self._logger.setLevel(logging.ERROR)
        sys.setrecursionlimit(max(self._limit, 200 * MAX_DEPTH))

    def __exit__(self, *exc: object) -> None:
        self._logger.setLevel(self._level)
        sys.setrecursionlimit(self._limit)
