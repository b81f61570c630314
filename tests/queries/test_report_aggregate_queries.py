"""The practice queries rewritten to read the ``reports`` aggregate (issue 19) answer as before.

bench/queries_before_22/ holds each as it was before; on the default build and on a small
synthetic graph with KS2 results both must give the same columns and rows, for non-default
bindings too. The synthetic graph is given, before its aggregates are recomputed, what a build of
real reports has and the synthesis lacks: a ``skg:source`` from each report's inspection to the
report (practices-before-improvement's dates), name links (``skos:closeMatch``) between some
schools and some findings typed recommendations, so that the name resolution and the
recommendations' exclusion are compared too.
"""

from __future__ import annotations

from collections import Counter

import pytest
from pyoxigraph import NamedNode

from conftest import ROOT
from schoolkg.iris import aggregate_graph
from schoolkg.queries.catalogue import CatalogueQuery, get_query, load_catalogue
from schoolkg.store.embedded import EmbeddedStore
from schoolkg.store.table import Table, to_table
from synthetic_graphs import compare_with_old, linked_store, report_links

BEFORE = load_catalogue(ROOT / "bench" / "queries_before_22")
BINDINGS: dict[str, list[dict[str, str]]] = {
    "practices-before-attainment-change": [
        {},
        {"lag": "0"},
        {"lag": "2"},
        {"measure": "<https://w3id.org/schoolkg/id/measure/ptrwm-exp>", "lag": "1"},
    ],
    "practices-before-improvement": [{}, {"area": "skg:qualityOfEducation"}],
    "practices-improved-vs-not": [{}, {"area": "skg:qualityOfEducation"}],
}


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    graph = NamedNode("https://w3id.org/schoolkg/graph/test-report-links")
    return linked_store(
        tmp_path_factory.mktemp("synth-reports"), lambda qs: qs + sorted(report_links(qs, graph), key=str)
    )


def _rows(table: Table) -> Counter[tuple[object, ...]]:
    """The rows, a ", "- or " | "-joined list (GROUP_CONCAT, order never defined) as a sorted one."""
    return Counter(
        tuple(", ".join(sorted(c.split(", "))) if isinstance(c, str) else c for c in row) for row in table.rows
    )


def test_the_four_practice_queries_are_kept_and_read_the_reports_graph() -> None:
    assert sorted(q.name for q in BEFORE) == [
        "practices-before-attainment-change",
        "practices-before-improvement",
        "practices-by-polarity",
        "practices-improved-vs-not",
    ]
    for old in BEFORE:
        new = get_query(old.name)
        assert "aggregates/reports" in new.description and "skg:Finding" not in new.sparql, old.name


@pytest.mark.parametrize("old", BEFORE, ids=lambda q: q.name)
def test_rewritten_query_answers_as_before_on_the_default_build(old: CatalogueQuery, built) -> None:  # type: ignore[no-untyped-def]
    seen = compare_with_old(built.store, old, BINDINGS.get(old.name, [{}]), _rows)
    if old.name == "practices-by-polarity":
        assert seen, "practices-by-polarity: nothing to compare on the default build"


@pytest.mark.parametrize("old", BEFORE, ids=lambda q: q.name)
def test_rewritten_query_answers_as_before_on_a_synthetic_graph(old: CatalogueQuery, synthetic: EmbeddedStore) -> None:
    assert compare_with_old(synthetic, old, BINDINGS.get(old.name, [{}]), _rows), f"{old.name}: nothing to compare"


def test_report_summaries_resolve_names_and_leave_out_recommendations(synthetic: EmbeddedStore) -> None:
    g = aggregate_graph("reports")
    rows = to_table(
        synthetic.query(
            f"""PREFIX skg: <https://w3id.org/schoolkg/ontology#>
            PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
            SELECT (COUNT(*) AS ?n) WHERE {{
              ?a skos:closeMatch ?b .
              GRAPH <{g}> {{ ?r skg:summarySchool ?b ; skg:summaryDocument ?doc }}
              ?f skg:about ?a ; skg:source ?doc .
            }}"""
        )
    ).rows
    assert int(str(rows[0][0])) > 0, "no summary of a linked school from its name's findings"
    only_recs = to_table(
        synthetic.query(
            f"""PREFIX skg: <https://w3id.org/schoolkg/ontology#>
            SELECT (COUNT(*) AS ?n) WHERE {{
              GRAPH <{g}> {{ ?r skg:summaryDocument ?doc }}
              FILTER NOT EXISTS {{
                ?f skg:source ?doc ; a skg:Finding . FILTER NOT EXISTS {{ ?f a skg:Recommendation }}
              }}
            }}"""
        )
    ).rows
    assert int(str(only_recs[0][0])) == 0
