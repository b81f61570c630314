"""Lexical helpers on SPARQL text: find what lies outside strings, IRIs and comments.

Quick scans, never a security decision (that is the guard's parser): used to choose the default
graph, to bound nesting before a parser recurses, and to tell an empty query from a real one.
"""

from __future__ import annotations

import re

__all__ = ["mask", "names_dataset", "query_form", "strip_comments"]

_LEXEMES = re.compile(
    r"""(?P<keep>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
        |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|<[^<>"{}|^`\\\x00-\x20]*>)|\#[^\n]*""",
    re.VERBOSE,
)
_FORM = re.compile(r"(?<![\w?$:\\])(SELECT|CONSTRUCT|DESCRIBE|ASK)(?![\w:-])", re.IGNORECASE)
_FROM = re.compile(r"(?<![\w?$:\\])FROM(?![\w:-])", re.IGNORECASE)


def mask(sparql: str) -> str:
    """``sparql`` with every string, IRI and comment replaced by one space.

    >>> mask('SELECT ("{" AS ?x) { <http://x/a#b> ?p ?o } # }')
    'SELECT (  AS ?x) {   ?p ?o }  '
    """
    return _LEXEMES.sub(" ", sparql)


def strip_comments(sparql: str) -> str:
    """``sparql`` without comments and surrounding space: empty when there is no query at all.

    >>> strip_comments("# only a comment\\n  # and another")
    ''
    >>> strip_comments('SELECT ("#x" AS ?v) {} # done')
    'SELECT ("#x" AS ?v) {}'
    """
    return _LEXEMES.sub(lambda m: m.group(0) if m.group("keep") else "", sparql).strip()


def names_dataset(sparql: str) -> bool:
    """Whether ``sparql`` has a ``FROM`` clause (strings, IRIs, comments, variables and prefixed
    names aside).

    >>> names_dataset("SELECT * FROM <http://g> { ?s ?p ?o }")
    True
    >>> names_dataset('SELECT ?from { ?s ex:from "FROM" } # from')
    False
    """
    return bool(_FROM.search(mask(sparql)))


def query_form(sparql: str) -> str | None:
    r"""The first query-form keyword of ``sparql`` (``SELECT``, ``CONSTRUCT``, ``DESCRIBE``, ``ASK``), or None.

    >>> query_form('PREFIX ask: <http://x/> # select\nconstruct { ?s ?p "ASK" } WHERE { ?s ?p ?o }')
    'CONSTRUCT'
    """
    found = _FORM.search(mask(sparql))
    return found.group(1).upper() if found else None
