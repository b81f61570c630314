"""The quote check: every quote is its source's text at its offsets, read once per document."""

from __future__ import annotations

import pyoxigraph
import pytest

from schoolkg.validate.evidence import QUOTE_MISMATCHES, quote_mismatches, store_quote_mismatches
from schoolkg.vocab import SKG

TEXT = "Café leaders check teaching. Pupils’ attendance has improved."


def _nquads(items: list[tuple[str, str, int, int]], text: str = TEXT) -> bytes:
    g, doc = pyoxigraph.NamedNode("http://x.invalid/g"), pyoxigraph.NamedNode("http://x.invalid/doc")
    quads = [pyoxigraph.Quad(doc, SKG.text, pyoxigraph.Literal(text), g)]
    for name, quote, start, end in items:
        item = pyoxigraph.NamedNode(f"http://x.invalid/{name}")
        quads += [
            pyoxigraph.Quad(item, SKG.source, doc, g),
            pyoxigraph.Quad(item, SKG.quote, pyoxigraph.Literal(quote), g),
            pyoxigraph.Quad(
                item,
                SKG.startOffset,
                pyoxigraph.Literal(
                    str(start), datatype=pyoxigraph.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
                ),
                g,
            ),
            pyoxigraph.Quad(
                item,
                SKG.endOffset,
                pyoxigraph.Literal(str(end), datatype=pyoxigraph.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
                g,
            ),
        ]
    return pyoxigraph.serialize(quads, format=pyoxigraph.RdfFormat.N_QUADS)


def _slice(quote: str) -> tuple[int, int]:
    i = TEXT.index(quote)
    return i, i + len(quote)


def test_quotes_at_their_offsets_pass_with_characters_counted_as_code_points() -> None:
    items = [
        (f"a{i}", q, *_slice(q))
        for i, q in enumerate(("Café leaders check teaching.", "Pupils’ attendance has improved."))
    ]
    assert quote_mismatches(_nquads(items)) == []


@pytest.mark.parametrize(
    ("quote", "start", "end"),
    [
        ("Café leaders", 1, 13),  # shifted by one
        ("Cafe leaders", 0, 12),  # a different character
        ("Café", 4, 0),  # end before start
        ("Café", -1, 3),  # a negative offset
        ("improved.", 1000, 1009),  # past the end
    ],
)
def test_a_quote_that_is_not_the_text_is_named(quote: str, start: int, end: int) -> None:
    assert quote_mismatches(_nquads([("bad", quote, start, end)])) == [
        f"http://x.invalid/bad: quote differs from http://x.invalid/doc[{start}:{end}]"
    ]


def test_the_check_agrees_with_the_one_query_form_and_lists_items_in_order() -> None:
    good = [("g", "Café leaders", *_slice("Café leaders"))]
    bad = [("z", "Café", 1, 5), ("b", "teaching", 0, 8)]
    store = pyoxigraph.Store()
    store.bulk_load(_nquads(good + bad), pyoxigraph.RdfFormat.N_QUADS)
    by_query = sorted(r["item"].value for r in store.query(QUOTE_MISMATCHES, use_default_graph_as_union=True))
    lines = store_quote_mismatches(store)
    assert [line.split(":", 2)[0] + ":" + line.split(":", 2)[1] for line in lines] == by_query
    assert by_query == ["http://x.invalid/b", "http://x.invalid/z"]
    assert len(store_quote_mismatches(store, limit=1)) == 1
