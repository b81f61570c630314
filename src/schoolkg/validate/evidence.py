"""Check that every quote is the source text between its offsets (SPARQL on pyoxigraph)."""

from __future__ import annotations

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


def quote_mismatches(nquads: bytes, limit: int = 20) -> list[str]:
    """Lines naming each item whose quote is not its source's text at its offsets."""
    store = pyoxigraph.Store()
    store.bulk_load(nquads, pyoxigraph.RdfFormat.N_QUADS)
    return store_quote_mismatches(store, limit)


def store_quote_mismatches(store: Queryable | pyoxigraph.Store, limit: int = 20) -> list[str]:
    """:func:`quote_mismatches` on a store (the union of its graphs)."""
    rows = select_all(store, QUOTE_MISMATCHES)
    return [
        f"{r['item'].value}: quote differs from {r['doc'].value}[{r['start'].value}:{r['end'].value}]"
        for _, r in zip(range(limit), rows, strict=False)
    ]
