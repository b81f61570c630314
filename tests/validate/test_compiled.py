"""The compiled SHACL engine (shapes as SPARQL on the store) against pyshacl."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest
from pyoxigraph import NamedNode, Quad, RdfFormat

from schoolkg.errors import ConfigError
from schoolkg.mapping.nquads import to_nquads
from schoolkg.mapping.ontology import ontology_quads
from schoolkg.resources import ontology_dir
from schoolkg.validate.compiled import check_store, compile_shapes
from schoolkg.validate.report import check_shapes, validate_store
from schoolkg.validate.shacl import check_nquads

PLANTED = Path(__file__).resolve().parents[1] / "fixtures" / "validate" / "planted.ttl"
GRAPH = NamedNode("https://example.org/planted/graph")


@pytest.fixture(scope="module")
def planted() -> list[Quad]:
    data = pyoxigraph.parse(path=str(PLANTED), format=RdfFormat.TURTLE)
    return list(ontology_quads(ontology_dir())) + [Quad(t.subject, t.predicate, t.object, GRAPH) for t in data]


def _store(quads: list[Quad]) -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    store.extend(quads)
    return store


def test_compiled_engine_reports_what_pyshacl_reports(planted: list[Quad]) -> None:
    expected = {v.key for v in check_nquads(to_nquads(planted)).results}
    assert {v.key for v in check_store(_store(planted))} == expected


def test_planted_graph_breaks_every_constraint_kind_the_shapes_use(planted: list[Quad]) -> None:
    used = {c.component for c in compile_shapes()}
    assert {v.component for v in check_store(_store(planted))} == used


def test_conforming_nodes_are_not_reported(planted: list[Quad]) -> None:
    focus = {v.focus for v in check_store(_store(planted))}
    assert not {f for f in focus if "/planted/ok" in f or f.endswith(("/school", "/doc", "/theme"))}


def test_progress_hears_each_shape_once_in_order(planted: list[Quad]) -> None:
    heard: list[tuple[str, int, int]] = []
    check_store(_store(planted), progress=lambda shape, done, total, _s: heard.append((shape, done, total)))
    assert [d for _, d, _ in heard] == list(range(1, len(heard) + 1))
    assert {t for _, _, t in heard} == {len(heard)}
    assert "FindingShape" in [s for s, _, _ in heard]


def test_engines_agree_through_the_report_api(planted: list[Quad]) -> None:
    store = _store(planted)
    sparql, pyshacl = check_shapes(store), check_shapes(store, engine="pyshacl")
    assert not sparql.conforms and sparql.engine == "sparql" and pyshacl.engine == "pyshacl"
    assert {v.key for v in sparql.results} == {v.key for v in pyshacl.results}
    assert sparql.violations == len(sparql.results) == len(sparql.text.splitlines())


def test_unknown_engine_is_a_config_error(planted: list[Quad]) -> None:
    with pytest.raises(ConfigError, match="unknown SHACL engine 'rudof'"):
        check_shapes(_store(planted), engine="rudof")


def test_a_constraint_it_cannot_compile_is_refused_not_skipped(tmp_path: Path) -> None:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "<http://x/S> sh:targetClass <http://x/C> ; sh:property [ sh:path <http://x/p> ; sh:equals <http://x/q> ] .\n"
    )
    with pytest.raises(ConfigError, match="sh:equals is not supported"):
        compile_shapes(shapes)


def test_paths_compile_to_sparql_property_paths(tmp_path: Path) -> None:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "<http://x/S> sh:targetClass <http://x/C> ;\n"
        "  sh:property [ sh:path ( <http://x/p> [ sh:inversePath <http://x/q> ] ) ; sh:minCount 1 ] .\n"
    )
    c = pyoxigraph.NamedNode
    store = _store(
        [
            Quad(c("http://x/a"), c("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), c("http://x/C"), GRAPH),
            Quad(c("http://x/b"), c("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), c("http://x/C"), GRAPH),
            Quad(c("http://x/a"), c("http://x/p"), c("http://x/m"), GRAPH),
            Quad(c("http://x/z"), c("http://x/q"), c("http://x/m"), GRAPH),
        ]
    )
    [check] = compile_shapes(shapes)
    assert check.path == "(<http://x/p>/(^<http://x/q>))"
    assert [(v.focus, v.component) for v in check_store(store, shapes)] == [
        ("http://x/b", "MinCountConstraintComponent")
    ]


def test_the_default_build_conforms_checked_on_its_store(built) -> None:  # type: ignore[no-untyped-def]
    report = validate_store(built.store)
    assert report.conforms, report.summary()
    assert built.summary.shacl is not None and built.summary.shacl.engine == "sparql"


def test_scans_give_the_same_violations_as_the_selects(planted: list[Quad]) -> None:
    store = _store(planted)
    assert check_store(store, scans=True) == check_store(store, scans=False)
    assert any(c.plan is not None for c in compile_shapes(None, store))


def test_scans_leave_odd_lexical_forms_to_the_store_cast(planted: list[Quad]) -> None:
    ns, xsd = "https://w3id.org/schoolkg/ontology#", "http://www.w3.org/2001/XMLSchema#"
    finding, start = NamedNode("https://example.org/odd/finding"), NamedNode(f"{ns}startOffset")
    odd = [pyoxigraph.Literal(x, datatype=NamedNode(f"{xsd}integer")) for x in ("007", "+3", "x", "-0")]
    rdf_type = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    extra = [Quad(finding, rdf_type, NamedNode(f"{ns}Finding"), GRAPH)]
    odd += [pyoxigraph.Literal("-5", datatype=NamedNode(f"{xsd}integer")), pyoxigraph.Literal("4"), NamedNode(ns)]
    odd += [pyoxigraph.Literal("-2.5", datatype=NamedNode(f"{xsd}decimal")), pyoxigraph.BlankNode()]
    extra += [Quad(finding, start, v, GRAPH) for v in odd]
    store = _store(planted + extra)
    fast = check_store(store, scans=True)
    assert fast == check_store(store, scans=False)
    shown = {v.message.rsplit("(value ", 1)[-1] for v in fast if v.component == "DatatypeConstraintComponent"}
    assert f'"x"^^<{xsd}integer>)' in shown
    assert f'"007"^^<{xsd}integer>)' not in shown
    low = {v.message.rsplit("(value ", 1)[-1] for v in fast if v.component == "MinInclusiveConstraintComponent"}
    assert {f'"-5"^^<{xsd}integer>)', f'"-2.5"^^<{xsd}decimal>)'} <= low
    assert f'"007"^^<{xsd}integer>)' not in low


def test_a_statement_in_two_graphs_counts_once_and_values_are_dropped_after_their_checks(
    planted: list[Quad], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Count checks of a predicate no value check reads are grouped by the store (distinct objects,
    as the scans' sets); each predicate's values are forgotten once its checks are done."""
    from schoolkg.validate import compiled

    other = NamedNode("https://example.org/planted/other-graph")
    twice = planted + [Quad(q.subject, q.predicate, q.object, other) for q in planted if q.graph_name == GRAPH]
    assert check_store(_store(twice)) == check_store(_store(planted)) == check_store(_store(twice), scans=False)
    held: list[int] = []
    counted: list[str] = []
    values, counts = compiled._Scans.values, compiled._Scans.counts

    def spy_values(self, predicate):  # type: ignore[no-untyped-def]
        held.append(len(self._values))
        return values(self, predicate)

    def spy_counts(self, predicate):  # type: ignore[no-untyped-def]
        counted.append(predicate)
        return counts(self, predicate)

    monkeypatch.setattr(compiled._Scans, "values", spy_values)
    monkeypatch.setattr(compiled._Scans, "counts", spy_counts)
    assert check_store(_store(twice)) == check_store(_store(planted))
    assert max(held) <= 1 and counted
