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
from test_practice_aggregate_queries import _with_names

from conftest import ROOT
from schoolkg.iris import GRAPH_AGGREGATES, aggregate_graph
from schoolkg.mapping.aggregates import aggregate_quads
from schoolkg.queries.catalogue import CatalogueQuery, get_query, load_catalogue
from schoolkg.store.embedded import EmbeddedStore, install_store
from schoolkg.store.table import Table, to_table
from schoolkg.synth.graph import write_synth
from schoolkg.vocab import RDF, SKG, SKOS
from synthetic_graphs import compare_with_old, linked_store

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


# ---- query26: practices-before-attainment-change from …/graph/aggregates/attainment ----------

BEFORE_26 = load_catalogue(ROOT / "bench" / "queries_before_26")
"""The queries as they were before branch query26 (practices-before-attainment-change read every
(report, practice) x results row; it now reads the ``attainment`` aggregate)."""
_M2 = pyoxigraph.NamedNode("https://w3id.org/schoolkg/id/measure/test-decimal")
BINDINGS_26: dict[str, list[dict[str, str]]] = {
    "practices-before-attainment-change": [
        {},
        {"lag": "0"},
        {"lag": "2"},
        {"lag": "5"},
        {"measure": f"<{_M2.value}>"},
        {"measure": f"<{_M2.value}>", "lag": "0"},
        {"measure": f"<{_M2.value}>", "lag": "2"},
        {"measure": "<https://w3id.org/schoolkg/id/measure/no-such-measure>"},
    ]
}


def _awkward_results(quads: list[pyoxigraph.Quad]) -> list[pyoxigraph.Quad]:
    """Results that make the precomputed groups work: a second measure with decimal, double and
    non-numeric values and odd periods, repeated and conflicting observations, and a practice
    with a second label (the old text counted its rows once per label)."""
    graph = pyoxigraph.NamedNode("https://w3id.org/schoolkg/graph/test-attainment")
    obs: dict[str, dict[str, pyoxigraph.Quad]] = {}
    for q in quads:
        if q.predicate in (SKG.measure, SKG.period, SKG.value, SKG.about):
            obs.setdefault(q.subject.value, {})[q.predicate.value] = q
    results = sorted(o for o, props in obs.items() if len(props) == 4)
    extra: list[pyoxigraph.Quad] = []
    dec = pyoxigraph.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")
    dbl = pyoxigraph.NamedNode("http://www.w3.org/2001/XMLSchema#double")
    schools = sorted({obs[o][SKG.about.value].object.value for o in results})
    index = {s: k for k, s in enumerate(schools)}
    for i, o in enumerate(results):
        props = obs[o]
        about, period = props[SKG.about.value].object, props[SKG.period.value].object
        value = float(props[SKG.value.value].object.value)
        if index[about.value] % 3 == 0:  # a third of the schools get a second measure: decimals, doubles, text
            node = pyoxigraph.NamedNode(o + "-m2")
            if i % 33 == 0:
                v = pyoxigraph.Literal("n/a")
            elif i % 9 == 0:
                v = pyoxigraph.Literal(f"{value / 3:.6E}", datatype=dbl)
            else:
                v = pyoxigraph.Literal(f"{value * 1.37:.3f}", datatype=dec)
            if i % 51 == 0:
                period = pyoxigraph.Literal(period.value, language="en")
            elif i % 57 == 0:
                period = pyoxigraph.Literal("abcd/ef")
            extra += [
                pyoxigraph.Quad(node, SKG.measure, _M2, graph),
                pyoxigraph.Quad(node, SKG.about, about, graph),
                pyoxigraph.Quad(node, SKG.period, period, graph),
                pyoxigraph.Quad(node, SKG.value, v, graph),
            ]
        elif i % 11 in (1, 2):  # the same result again (1) or a conflicting one (2), another node
            node = pyoxigraph.NamedNode(o + "-again")
            v = props[SKG.value.value].object if i % 11 == 1 else pyoxigraph.Literal(f"{value + 2.5}", datatype=dec)
            extra += [
                pyoxigraph.Quad(node, SKG.measure, props[SKG.measure.value].object, graph),
                pyoxigraph.Quad(node, SKG.about, about, graph),
                pyoxigraph.Quad(node, SKG.period, period, graph),
                pyoxigraph.Quad(node, SKG.value, v, graph),
            ]
    practice = Counter(q.object for q in quads if q.predicate == SKG.practice).most_common(1)[0][0]
    extra.append(pyoxigraph.Quad(practice, SKOS.prefLabel, pyoxigraph.Literal("une pratique", language="fr"), graph))
    return quads + extra


@pytest.fixture(scope="module")
def synthetic_ks2(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    return linked_store(tmp_path_factory.mktemp("synth-attainment"), lambda qs: _awkward_results(_with_names(qs)))


def test_the_query26_queries_are_kept_and_read_the_aggregate() -> None:
    assert {q.name for q in BEFORE_26} == set(BINDINGS_26)
    new = get_query("practices-before-attainment-change")
    assert "skg:AttainmentChangeCount" in new.sparql and "skg:reportedPracticePolarity" not in new.sparql


@pytest.mark.parametrize("old", BEFORE_26, ids=lambda q: q.name)
def test_query26_answers_as_before_on_the_default_build(old: CatalogueQuery, built) -> None:  # type: ignore[no-untyped-def]
    compare_with_old(built.store, old, BINDINGS_26[old.name])


@pytest.mark.parametrize("old", BEFORE_26, ids=lambda q: q.name)
def test_query26_answers_as_before_on_a_synthetic_graph_with_results(
    old: CatalogueQuery, synthetic_ks2: EmbeddedStore
) -> None:
    assert compare_with_old(synthetic_ks2, old, BINDINGS_26[old.name]) > 100, f"{old.name}: too little to compare"


def test_the_synthetic_results_reach_the_awkward_cases(synthetic_ks2: EmbeddedStore) -> None:
    """The second measure has rows at lag 0 and 1, its means mix decimals and doubles, and the
    practice with two labels is in the answer."""
    q = get_query("practices-before-attainment-change")
    for lag in ("0", "1"):
        rows = to_table(synthetic_ks2.query(q.bound({"measure": f"<{_M2.value}>", "lag": lag}))).rows
        assert rows, lag
    g = aggregate_graph("attainment")
    kinds = to_table(
        synthetic_ks2.query(
            f"""SELECT (GROUP_CONCAT(DISTINCT STR(DATATYPE(?m)); separator=" ") AS ?types) WHERE {{
              GRAPH <{g}> {{ ?c <{SKG.meanChange.value}> ?m }} }}"""
        )
    ).rows[0][0]
    assert "decimal" in str(kinds) and "double" in str(kinds)
    two = to_table(
        synthetic_ks2.query(
            f"""SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{g}> {{ ?c <{SKG.changePractice.value}> ?p }}
              ?p <{SKOS.prefLabel.value}> ?a , ?b FILTER(?a != ?b) }}"""
        )
    ).rows[0][0]
    assert two > 0
