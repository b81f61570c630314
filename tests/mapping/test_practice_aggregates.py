"""The practices aggregate's date comparisons and MIN/MAX follow SPARQL's (issue 19, pq25).

The practice queries compare report dates with judgement dates in a FILTER and take MIN/MAX of
them; the aggregate does it in Python for plain xsd:date literals and asks the engine otherwise.
Both paths are checked here against a query over the same values.
"""

from __future__ import annotations

from itertools import product

import pyoxigraph

from schoolkg.mapping.practice_aggregates import _at_least, _before, _min_max
from schoolkg.mapping.terms import lit

VALUES = [
    lit("2010-01-01", "date"),
    lit("2010-01-02", "date"),
    lit("2009-12-31", "date"),
    lit("2010-01-01Z", "date"),
    lit("2010-01-01T00:00:00", "dateTime"),
    lit("2010-01-01"),
    lit("2010-02-30", "date"),
]


def _engine(a: object, op: str, b: object) -> bool:
    return bool(pyoxigraph.Store().query(f"ASK {{ FILTER({a} {op} {b}) }}"))


def test_comparisons_answer_as_a_sparql_filter() -> None:
    for a, b in product(VALUES, repeat=2):
        assert _at_least(a, b) == _engine(a, ">=", b), (a, b)
        assert _before(a, b) == _engine(a, "<", b), (a, b)


def test_min_and_max_answer_as_sparql() -> None:
    store = pyoxigraph.Store()
    for group in (VALUES[:3], VALUES[:5], VALUES[3:], [VALUES[1]]):
        rows = " ".join(str(v) for v in group)
        q = f"SELECT (MIN(?v) AS ?a) (MAX(?v) AS ?b) WHERE {{ VALUES ?v {{ {rows} }} }}"
        solution = next(iter(store.query(q)))  # type: ignore[call-overload]
        assert _min_max(set(group)) == (solution["a"], solution["b"]), group
