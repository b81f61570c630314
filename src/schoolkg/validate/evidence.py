"""Check that every quote is the source text between its offsets (SPARQL on pyoxigraph).

The check reads each document's text once and compares its items' quotes with slices of it in
Python, so it is linear in the size of the texts: a SPARQL ``SUBSTR`` per quote walks the
whole text each time, which made a multi-megabyte document quadratic (issue 15 row 9).
Offsets count characters (code points) from 0, as SPARQL's 1-based ``SUBSTR`` does from 1.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyoxigraph

from schoolkg.validate.compiled import Queryable, select_all
from schoolkg.vocab import SPARQL_PREFIXES

__all__ = ["QUOTE_MISMATCHES", "quote_mismatches", "store_quote_mismatches"]

QUOTE_MISMATCHES = (
    SPARQL_PREFIXES
    + """
SELECT ?item ?doc ?start ?end WHERE {
  ?item skg:quote ?q ; skg:startOffset ?start ; skg:endOffset ?end ; skg:source ?doc .
  ?doc skg:text ?text .
  FILTER (?end <= ?start || SUBSTR(?text, ?start + 1, ?end - ?start) != STR(?q))
}
ORDER BY ?item
"""
)
"""The same check as one SPARQL query (quadratic in a text's length; kept for other stores' users)."""

_DOCUMENTS = SPARQL_PREFIXES + "SELECT DISTINCT ?doc WHERE { ?doc skg:text [] } ORDER BY ?doc"
_TEXT = SPARQL_PREFIXES + "SELECT ?text WHERE {{ <{doc}> skg:text ?text }}"
_ITEMS = (
    SPARQL_PREFIXES
    + "SELECT ?item ?q ?start ?end WHERE {{ ?item skg:source <{doc}> ; skg:quote ?q ;"
    + " skg:startOffset ?start ; skg:endOffset ?end }}"
)


def quote_mismatches(nquads: bytes, limit: int = 20) -> list[str]:
    """Lines naming each item whose quote is not its source's text at its offsets."""
    store = pyoxigraph.Store()
    store.bulk_load(nquads, pyoxigraph.RdfFormat.N_QUADS)
    return store_quote_mismatches(store, limit)


def store_quote_mismatches(
    store: Queryable | pyoxigraph.Store, limit: int = 20, documents: Iterable[str] | None = None
) -> list[str]:
    """:func:`quote_mismatches` on a store (the union of its graphs): the first ``limit`` items, in IRI
    order; given ``documents`` (IRIs), only the items of those documents (an incremental build's check)."""
    bad = sorted(_mismatches(store, None if documents is None else sorted(set(documents))))
    return [f"{item}: quote differs from {doc}[{start}:{end}]" for item, doc, start, end in bad[:limit]]


def _mismatches(store: Queryable | pyoxigraph.Store, only: list[str] | None) -> Iterator[tuple[str, str, str, str]]:
    docs = [row["doc"].value for row in select_all(store, _DOCUMENTS)] if only is None else only
    for doc in docs:
        texts = [r["text"].value for r in select_all(store, _TEXT.format(doc=doc))]
        if not texts:  # as the whole check: only documents with a text are checked
            continue
        for r in select_all(store, _ITEMS.format(doc=doc)):
            start, end = r["start"].value, r["end"].value
            try:
                i, j = int(start), int(end)
            except ValueError:
                yield r["item"].value, doc, start, end
                continue
            # an item matches when some text of its document holds the quote at its offsets
            if i < 0 or j <= i or not any(t[i:j] == r["q"].value for t in texts):
                yield r["item"].value, doc, start, end
