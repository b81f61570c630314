"""The catalogue queries rewritten to read the aggregate graphs (issue 19) answer as before.

bench/queries_before_19/ holds each of them as it was before it read ``…/graph/aggregates/*``
(and the queries rewritten otherwise, tests/queries/test_rewritten_queries.py); on the default
build both must give the same columns and the same rows (a " | "-joined list compared as a set:
GROUP_CONCAT's order was never defined).
"""

from __future__ import annotations

from collections import Counter

import pytest

from conftest import ROOT
from schoolkg.iris import GRAPH_AGGREGATES
from schoolkg.queries.catalogue import get_query, load_catalogue
from schoolkg.store.table import Table, to_table

READERS = ("declined-schools", "documents", "improved-schools", "practice-cooccurrence")
"""The queries that read the aggregate graphs."""
BEFORE = [q for q in load_catalogue(ROOT / "bench" / "queries_before_19") if q.name in READERS]


def _rows(table: Table) -> Counter[tuple[object, ...]]:
    return Counter(
        tuple(" | ".join(sorted(c.split(" | "))) if isinstance(c, str) else c for c in row) for row in table.rows
    )


def test_the_rewritten_queries_are_the_heavy_four() -> None:
    assert sorted(q.name for q in BEFORE) == list(READERS)


@pytest.mark.parametrize("old", BEFORE, ids=lambda q: q.name)
def test_rewritten_query_answers_as_before_on_the_default_build(old, built) -> None:  # type: ignore[no-untyped-def]
    new = get_query(old.name)
    assert "aggregates" in new.description and new.columns == old.columns
    params = [{}] + ([{"context": "subject"}] if old.name == "practice-cooccurrence" else [])
    params += [{"min": "0"}] if "min" in {p.name for p in old.parameters} else []
    for values in params:
        before, after = to_table(built.store.query(old.bound(values))), to_table(built.store.query(new.bound(values)))
        assert after.columns == before.columns
        assert _rows(after) == _rows(before), (old.name, values)
        if old.name != "declined-schools" or values:
            assert after.rows, f"{old.name} {values}: nothing to compare on the default build"


def test_aggregate_graphs_carry_their_provenance(built) -> None:  # type: ignore[no-untyped-def]
    rows = built.select(
        f"""PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?g (COUNT(DISTINCT ?src) AS ?n) ?asOf WHERE {{
          GRAPH ?g {{ ?g prov:wasGeneratedBy ?act ; prov:wasDerivedFrom ?src . ?act skg:dataAsOf ?asOf }}
          FILTER(STRSTARTS(STR(?g), "{GRAPH_AGGREGATES}"))
        }} GROUP BY ?g ?asOf ORDER BY ?g"""
    ).rows
    assert [str(r[0]).rsplit("/", 1)[-1] for r in rows] == [
        "attainment",
        "cooccurrence",
        "documents",
        "practices",
        "reports",
        "schools",
        "subjects",
    ]
    assert all(int(str(r[1])) > 1 for r in rows) and len({r[2] for r in rows}) == 1
