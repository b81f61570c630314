"""The aggregate graphs (issue 19): counts as the old queries counted, dated, recomputed not stacked."""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode, Quad

from schoolkg import iris
from schoolkg.mapping.aggregates import aggregate_quads
from schoolkg.mapping.terms import lit
from schoolkg.vocab import DCT, RDF, SKG, SKOS

G = NamedNode("http://x/g")
DOC, DOC2, SCHOOL = NamedNode("http://x/doc"), NamedNode("http://x/doc2"), NamedNode("http://x/school")
A, B, C = (NamedNode(iris.PRACTICE_BASE + n) for n in ("a", "b", "c"))


def _finding(n: int, practice: NamedNode, doc: NamedNode, polarity: NamedNode) -> list[Quad]:
    f = NamedNode(f"http://x/f{n}")
    return [
        Quad(f, RDF.type, SKG.Finding, G),
        Quad(f, SKG.practice, practice, G),
        Quad(f, SKG.source, doc, G),
        Quad(f, SKG.about, SCHOOL, G),
        Quad(f, SKG.polarity, polarity, G),
    ]


DATA = [
    Quad(DOC, RDF.type, SKG.Document, G),
    Quad(DOC2, RDF.type, SKG.Document, G),
    Quad(DOC, DCT.issued, lit("2009-01-27", "date"), G),
    Quad(DOC2, DCT.issued, lit("2011-05-02", "date"), G),
    *(Quad(p, SKOS.prefLabel, Literal(p.value[-1] + " label", language="en"), G) for p in (A, B, C)),
    *_finding(1, A, DOC, SKG.strength),
    *_finding(2, B, DOC, SKG.strength),
    *_finding(3, C, DOC2, SKG.weakness),
    *_finding(4, A, DOC2, SKG.strength),
]


def _values(quads: list[Quad], predicate: NamedNode) -> dict[str, str]:
    return {q.subject.value: q.object.value for q in quads if q.predicate == predicate}


def test_pairs_are_counted_per_context_kind() -> None:
    out = aggregate_quads(DATA)
    kinds, counts = _values(out, SKG.contextKind), _values(out, SKG.contextCount)
    a, b = _values(out, SKG.practiceA), _values(out, SKG.practiceB)
    found = {(kinds[n], a[n][-1], b[n][-1], counts[n]) for n in counts}
    # documents: {a, b} in doc, {a, c} in doc2; subject: the school holds a, b and c
    assert found == {
        ("document", "a", "b", "1"),
        ("document", "a", "c", "1"),
        ("subject", "a", "b", "1"),
        ("subject", "a", "c", "1"),
        ("subject", "b", "c", "1"),
    }


def test_documents_and_subjects_are_summarised() -> None:
    out = aggregate_quads(DATA)
    assert _values(out, SKG.findingCount) == {DOC.value: "2", DOC2.value: "2"}
    assert _values(out, SKG.judgementCount) == {DOC.value: "0", DOC2.value: "0"}
    assert _values(out, SKG.strengthSummary) == {SCHOOL.value: "a label | b label"}
    assert _values(out, SKG.weaknessSummary) == {SCHOOL.value: "c label"}


def test_dated_by_the_newest_data_and_derived_from_the_graphs_read() -> None:
    out = aggregate_quads(DATA)
    assert set(_values(out, SKG.dataAsOf).values()) == {"2011-05-02"}
    graphs = {q.graph_name.value for q in out}
    assert graphs == {iris.aggregate_graph(n) for n in ("cooccurrence", "documents", "subjects", "schools")}
    derived = {(q.subject.value, q.object.value) for q in out if q.predicate.value.endswith("wasDerivedFrom")}
    assert derived == {(g, G.value) for g in graphs}


def test_aggregates_already_in_the_input_are_recomputed_not_counted() -> None:
    once = aggregate_quads(DATA)
    assert sorted(map(str, aggregate_quads(DATA + once))) == sorted(map(str, once))
