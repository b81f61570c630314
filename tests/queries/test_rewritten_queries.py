"""The catalogue queries rewritten for speed (issue 19) answer as they did before.

bench/queries_before_19/ holds each query as it was before; the ones that now read the aggregate
graphs are tested in test_aggregate_queries.py. bench/queries_before_22s/ holds the queries as they
were before they read …/graph/aggregates/schools (or were rewritten otherwise, branch school22):
they are compared the same way, with more bindings. The others must give the same columns and rows
on the default build and on a small synthetic graph (where every practice query has rows: the
default corpus has too few improvements with findings). The synthetic graph gets, as a build of
real reports has, a ``skg:source`` from each inspection to its report, so that
practices-before-improvement finds report dates (its aggregates recomputed with them).
"""

from __future__ import annotations

from collections import Counter

import pyoxigraph
import pytest
from test_aggregate_queries import READERS

from conftest import ROOT
from schoolkg.iris import GRAPH_AGGREGATES
from schoolkg.mapping.aggregates import aggregate_quads
from schoolkg.queries.catalogue import CatalogueQuery, get_query, load_catalogue
from schoolkg.store.embedded import EmbeddedStore, install_store
from schoolkg.store.table import Table, to_table
from schoolkg.synth.graph import write_synth
from schoolkg.vocab import RDF, SKG

REWRITTEN = [q for q in load_catalogue(ROOT / "bench" / "queries_before_19") if q.name not in READERS]
BINDINGS: dict[str, list[dict[str, str]]] = {
    "practices-before-improvement": [{}, {"area": "skg:qualityOfEducation"}],
    "practices-improved-vs-not": [{}, {"area": "skg:qualityOfEducation"}],
    "strengths": [{}, {"subject": "eic-learning-mentors"}, {"subject": "SUBJECT"}],
    "weaknesses": [{}, {"subject": "eic-learning-mentors"}, {"subject": "SUBJECT"}],
    "la-programmes-latest-grades": [{}, {"area": "skg:qualityOfEducation"}],
    "schools-not-inspected": [{}, {"years": "0"}, {"asOf": "2012-06-01"}, {"asOf": "2016-01-01", "years": "2"}],
    "improvement-by-programme": [
        {},
        {"programme": "bip"},
        {"programme": "eic-learning-mentors"},
        {"area": "skg:qualityOfEducation"},
    ],
    "improved-schools": [{}, {"min": "0"}, {"area": "skg:qualityOfEducation"}],
    "declined-schools": [{}, {"min": "0"}, {"area": "skg:qualityOfEducation"}],
    "history-across-conversion": [{}, {"area": "skg:qualityOfEducation"}],
    "finding-evidence": [{}, {"practice": "PRACTICE"}],
}
"""Values per query (``SUBJECT``: the subject with most findings in the store; ``PRACTICE``: the
practice with most findings)."""
BEFORE_22S = load_catalogue(ROOT / "bench" / "queries_before_22s")
EMPTY_ON_SYNTHETIC = {"history-across-conversion"}
"""Queries with no rows on the synthetic graph (it has no successions)."""
EMPTY_ON_DEFAULT = {"practices-before-improvement", "practices-improved-vs-not"}
"""Queries with no rows on the default corpus (so checked on the synthetic graph)."""


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    out = tmp_path_factory.mktemp("synth-rewritten")
    path, _ = write_synth(out, 80, 9)
    quads = [  # the aggregates are recomputed below, over the links too, as a build computes them
        q
        for q in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.N_QUADS)
        if not (isinstance(q.graph_name, pyoxigraph.NamedNode) and q.graph_name.value.startswith(GRAPH_AGGREGATES))
    ]
    docs = {q.subject.value for q in quads if q.predicate == RDF.type and q.object == SKG.Document}
    graph = pyoxigraph.NamedNode("https://w3id.org/schoolkg/graph/test-report-links")
    links = {
        pyoxigraph.Quad(q.subject, SKG.source, pyoxigraph.NamedNode(q.subject.value.removesuffix("/inspection")), graph)
        for q in quads
        if q.predicate == RDF.type
        and q.object == SKG.Inspection
        and q.subject.value.removesuffix("/inspection") in docs
        and q.subject.value.endswith("/inspection")
    }
    assert links, "the synthetic graph has no report inspections to link"
    linked = out / "linked.nq"
    quads += sorted(links, key=str)
    pyoxigraph.serialize(quads + aggregate_quads(quads), output=str(linked), format=pyoxigraph.RdfFormat.N_QUADS)
    install_store(linked, out / "store")
    return EmbeddedStore(out / "store")


def _rows(table: Table) -> Counter[tuple[object, ...]]:
    """The rows, a " | "-joined list (GROUP_CONCAT, whose order was never defined) as a sorted one."""
    return Counter(
        tuple(" | ".join(sorted(c.split(" | "))) if isinstance(c, str) else c for c in row) for row in table.rows
    )


def _compare(store: EmbeddedStore, old: CatalogueQuery, must_have_rows: bool) -> None:
    new = get_query(old.name)
    assert new.columns == old.columns and new.parameters == old.parameters
    subject = to_table(
        store.query(f"SELECT ?s WHERE {{ ?f <{SKG.about.value}> ?s }} GROUP BY ?s ORDER BY DESC(COUNT(*)) ?s LIMIT 1")
    ).rows[0][0]
    by_findings = f"SELECT ?p WHERE {{ ?f <{SKG.practice.value}> ?p }} GROUP BY ?p ORDER BY DESC(COUNT(*)) ?p LIMIT 1"
    practice = to_table(store.query(by_findings)).rows[0][0]
    seen = 0
    for values in BINDINGS.get(old.name, [{}]):
        named = {"SUBJECT": f"<{subject}>", "PRACTICE": f"<{practice}>"}
        values = {k: named.get(v, v) for k, v in values.items()}
        before, after = to_table(store.query(old.bound(values))), to_table(store.query(new.bound(values)))
        assert after.columns == before.columns
        assert _rows(after) == _rows(before), (old.name, values)
        seen += len(after.rows)
    if must_have_rows:
        assert seen, f"{old.name}: nothing to compare"


def test_the_rewritten_queries_are_there() -> None:
    assert {"practices-before-improvement", "practices-improved-vs-not", "practices-by-polarity", *SHARED} <= {
        q.name for q in REWRITTEN
    }


@pytest.mark.parametrize("old", REWRITTEN, ids=lambda q: q.name)
def test_rewritten_query_answers_as_before_on_the_default_build(old: CatalogueQuery, built) -> None:  # type: ignore[no-untyped-def]
    _compare(built.store, old, old.name not in EMPTY_ON_DEFAULT)


SHARED = ("la-programmes-latest-grades", "schools-not-inspected")
"""Queries also compared with a sample of ../shared/data (Ofsted ratings, closed and replaced schools)."""


@pytest.mark.parametrize("old", [q for q in REWRITTEN if q.name in SHARED], ids=lambda q: q.name)
def test_rewritten_query_answers_as_before_with_shared_data(old: CatalogueQuery, shared_built) -> None:  # type: ignore[no-untyped-def]
    _compare(shared_built.store, old, True)


@pytest.mark.parametrize("old", REWRITTEN, ids=lambda q: q.name)
def test_rewritten_query_answers_as_before_on_a_synthetic_graph(old: CatalogueQuery, synthetic: EmbeddedStore) -> None:
    _compare(synthetic, old, True)


SHARED_22S = (*SHARED, "history-across-conversion")
"""Also compared with the sample of ../shared/data (GIAS links: successions)."""


def test_the_school22_queries_are_there() -> None:
    assert {q.name for q in BEFORE_22S} == {
        "declined-schools",
        "documents",
        "finding-evidence",
        "history-across-conversion",
        "improved-schools",
        "improvement-by-programme",
        "la-programmes-latest-grades",
        "schools-not-inspected",
    }


@pytest.mark.parametrize("old", BEFORE_22S, ids=lambda q: q.name)
def test_school22_query_answers_as_before_on_the_default_build(old: CatalogueQuery, built) -> None:  # type: ignore[no-untyped-def]
    _compare(built.store, old, True)


@pytest.mark.parametrize("old", BEFORE_22S, ids=lambda q: q.name)
def test_school22_query_answers_as_before_on_a_synthetic_graph(old: CatalogueQuery, synthetic: EmbeddedStore) -> None:
    _compare(synthetic, old, old.name not in EMPTY_ON_SYNTHETIC)


@pytest.mark.parametrize("old", [q for q in BEFORE_22S if q.name in SHARED_22S], ids=lambda q: q.name)
def test_school22_query_answers_as_before_with_shared_data(old: CatalogueQuery, shared_built) -> None:  # type: ignore[no-untyped-def]
    _compare(shared_built.store, old, True)
