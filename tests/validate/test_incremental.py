"""Checking only what a change can have broken (schoolkg.validate.incremental) gives the whole check's
violations: for changes of the planted graph (one data quad added or removed, for every kind a change
reaches through, and random sets of them), the violations of the new graph are the old graph's at
the nodes the change cannot reach plus the incremental check's at the suspects."""

from __future__ import annotations

import random
from pathlib import Path

import pyoxigraph
import pytest
from pyoxigraph import DefaultGraph, NamedNode, Quad, RdfFormat

from schoolkg.mapping.ontology import ontology_quads
from schoolkg.resources import ontology_dir
from schoolkg.validate.compiled import Violation, check_store
from schoolkg.validate.evidence import store_quote_mismatches
from schoolkg.validate.incremental import Access, access, changed_documents, check_changed, suspects

PLANTED = Path(__file__).resolve().parents[1] / "fixtures" / "validate" / "planted.ttl"
GRAPH = NamedNode("https://example.org/planted/graph")


@pytest.fixture(scope="module")
def ontology() -> list[Quad]:
    return list(ontology_quads(ontology_dir()))


@pytest.fixture(scope="module")
def planted() -> list[Quad]:
    data = pyoxigraph.parse(path=str(PLANTED), format=RdfFormat.TURTLE)
    return [Quad(t.subject, t.predicate, t.object, GRAPH) for t in data]


def _installed(quads: list[Quad]) -> pyoxigraph.Store:
    """A store as a build installs one: the named graphs, and their union as the default graph."""
    store = pyoxigraph.Store()
    store.extend(quads)
    store.extend(Quad(q.subject, q.predicate, q.object, DefaultGraph()) for q in quads)
    return store


def _full(store: pyoxigraph.Store) -> set[Violation]:
    return set(check_store(store))


def _agrees(old: list[Quad], new: list[Quad], reach: Access, known: dict[int, set[Violation]] | None = None) -> None:
    """The old graph's violations at nodes the change cannot reach, plus the incremental check's, are
    the new graph's (``known``: whole-check results already made, by the id of the quad list)."""
    known = {} if known is None else known
    before, after = (known.get(id(old)), known.get(id(new)))
    after_store = _installed(new)
    changed = sorted(set(old) ^ set(new), key=str)
    nodes = suspects(after_store, changed, reach)
    assert nodes is not None
    shown = {n.value if isinstance(n, NamedNode) else str(n) for n in nodes}
    incremental = check_changed(after_store, changed)
    assert incremental is not None
    kept = {v for v in (before if before is not None else _full(_installed(old))) if v.focus not in shown}
    assert kept | set(incremental) == (after if after is not None else _full(after_store))


def test_the_shapes_read_one_step_from_their_focus() -> None:
    reach = access()
    assert reach is not None
    assert "https://w3id.org/schoolkg/ontology#previousJudgement" in reach.backward
    assert "https://w3id.org/schoolkg/ontology#source" in reach.class_forward


def test_adding_or_removing_one_quad_is_checked_as_the_whole_graph(ontology: list[Quad], planted: list[Quad]) -> None:
    reach = access()
    assert reach is not None
    whole = ontology + planted
    full = _full(_installed(whole))
    assert full  # the planted graph breaks the shapes: the changes below make and mend violations
    # the quads of the kinds a change reaches through (types, backward paths, sh:class values), and a sample
    far = ("#type", "#previousJudgement", "#source", "#grade")
    rng = random.Random(3)
    sample = [q for q in planted if q.predicate.value.endswith(far) or rng.random() < 0.15]
    for q in sample:
        rest = ontology + [p for p in planted if p != q]
        known = {id(whole): full, id(rest): _full(_installed(rest))}
        _agrees(rest, whole, reach, known)  # q added
        _agrees(whole, rest, reach, known)  # q removed


def test_random_changes_are_checked_as_the_whole_graph(ontology: list[Quad], planted: list[Quad]) -> None:
    reach = access()
    assert reach is not None
    rng = random.Random(7)
    for _ in range(8):
        old = [q for q in planted if rng.random() < 0.7]
        new = [q for q in planted if rng.random() < 0.7]
        _agrees(ontology + old, ontology + new, reach)


def test_a_value_losing_its_class_makes_the_nodes_citing_it_suspect(ontology: list[Quad], planted: list[Quad]) -> None:
    reach = access()
    assert reach is not None
    typed = [q for q in planted if q.predicate.value.endswith("#type") and q.object.value.endswith("#Document")]
    assert typed
    doc = typed[0].subject
    store = _installed(ontology + [q for q in planted if q != typed[0]])
    nodes = suspects(store, [typed[0]], reach)
    citing = {q.subject for q in planted if q.object == doc and q.predicate.value.endswith("#source")}
    assert citing and nodes is not None and citing <= nodes


def test_a_changed_subclass_axiom_checks_the_whole_graph(ontology: list[Quad]) -> None:
    axiom = next(q for q in ontology if q.predicate.value.endswith("#subClassOf"))
    store = _installed(ontology)
    assert check_changed(store, [axiom]) is None


def test_shapes_reading_two_steps_are_refused(tmp_path: Path) -> None:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix x: <http://x/> .\n"
        "x:S a sh:NodeShape ; sh:targetClass x:C ; sh:property [ sh:path ( x:p x:q ) ; sh:minCount 1 ] .\n",
        encoding="utf-8",
    )
    assert access(shapes) is None
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix x: <http://x/> .\n"
        "x:S a sh:NodeShape ; sh:targetClass x:C ; sh:property [ sh:path x:p ; sh:node x:T ] .\n",
        encoding="utf-8",
    )
    assert access(shapes) is None


def test_quotes_are_checked_for_the_documents_a_change_touches(ontology: list[Quad], planted: list[Quad]) -> None:
    ex, skg = "https://example.org/planted/", "https://w3id.org/schoolkg/ontology#"
    item = NamedNode(ex + "wrongQuote")
    wrong = [
        Quad(item, NamedNode(skg + p), o, GRAPH)
        for p, o in (
            ("quote", pyoxigraph.Literal("zzzz")),
            ("startOffset", pyoxigraph.Literal("0", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#integer"))),
            ("endOffset", pyoxigraph.Literal("4", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#integer"))),
            ("source", NamedNode(ex + "doc")),
        )
    ]
    text = Quad(NamedNode(ex + "doc"), NamedNode(skg + "text"), pyoxigraph.Literal("good work here"), GRAPH)
    assert not any("wrongQuote" in w for w in store_quote_mismatches(_installed(ontology + planted + [text]), 1000))
    store = _installed(ontology + planted + [text] + wrong)
    whole = store_quote_mismatches(store, limit=1000)
    assert any(w.startswith(ex + "wrongQuote:") for w in whole)
    docs = changed_documents(store, wrong)
    assert docs == {ex + "doc"} == changed_documents(store, [text])
    assert store_quote_mismatches(store, limit=1000, documents=docs) == whole
    assert store_quote_mismatches(store, limit=1000, documents=[]) == []
