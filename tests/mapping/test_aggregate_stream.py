"""The aggregate step streamed (issue 18 item 2): findings summed as their statements end, the
same bytes whichever way the quads come, and a finding whose statements come apart read again."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from pyoxigraph import NamedNode, Quad, RdfFormat, parse

from conftest import Built
from schoolkg import iris
from schoolkg.mapping.aggregates import _Facts, _quads, aggregate_quads, iter_aggregate_quads, write_aggregates
from schoolkg.mapping.nquads import to_nquads, write_sorted
from schoolkg.mapping.terms import lit
from schoolkg.vocab import DCT, RDF, SKG, SKOS

G, G2 = NamedNode("http://x/g"), NamedNode("http://x/g2")
DOC, SCHOOL, NAMED = NamedNode("http://x/doc"), NamedNode(iris.school_iri("100001")), NamedNode("http://x/named")
A, B = (NamedNode(iris.PRACTICE_BASE + n) for n in ("a", "b"))


def _finding(n: int, practice: NamedNode, about: NamedNode, graph: NamedNode = G) -> list[Quad]:
    f = NamedNode(f"http://x/f{n}")
    return [
        Quad(f, RDF.type, SKG.Finding, graph),
        Quad(f, SKG.practice, practice, graph),
        Quad(f, SKG.source, DOC, graph),
        Quad(f, SKG.about, about, graph),
        Quad(f, SKG.polarity, SKG.strength, graph),
    ]


DATA = [
    Quad(DOC, RDF.type, SKG.Document, G),
    Quad(DOC, DCT.issued, lit("2019-03-01", "date"), G),
    Quad(NAMED, SKOS.closeMatch, SCHOOL, G),
    *(Quad(p, SKOS.prefLabel, lit(p.value[-1]), G) for p in (A, B)),
    *_finding(1, A, SCHOOL),
    *_finding(2, B, SCHOOL),
    *_finding(3, B, NAMED),
    Quad(NamedNode("http://x/f3"), RDF.type, SKG.Recommendation, G),
]


def _general(quads: list[Quad]) -> bytes:
    """The aggregates with every finding indexed by its IRI (no statement read as a group)."""
    return to_nquads(_quads(_Facts(iter(quads), fold=False)))


def _parts(tmp_path: Path, quads: list[Quad], n: int) -> list[Path]:
    """``quads`` as ``n`` sorted N-Quads files, split by graph as a build's parts are."""
    graphs = sorted({q.graph_name.value for q in quads})
    paths = []
    for i in range(n):
        path = tmp_path / f"part{i}.nq"
        write_sorted([q for q in quads if graphs.index(q.graph_name.value) % n == i], path)
        paths.append(path)
    return paths


def test_sorted_parts_sum_each_finding_as_it_ends_with_the_same_bytes(tmp_path: Path) -> None:
    out = tmp_path / "agg.nq"
    lines = write_aggregates(_parts(tmp_path, DATA, 1), out)
    facts = _Facts(parse(path=str(tmp_path / "part0.nq"), format=RdfFormat.N_QUADS), fold=True)
    assert (len(facts.folded), facts.findings_indexed(), facts.folds_hold()) == (3, 0, True)
    assert out.read_bytes() == _general(DATA) == to_nquads(aggregate_quads(DATA))
    assert lines == out.read_bytes().count(b"\n") > 0


def test_a_recommendation_typed_in_another_graph_is_read_again(tmp_path: Path) -> None:
    # f3's Recommendation type sits in a second file: its group in the first was summed as a
    # plain finding, so the files are read again with every finding indexed
    data = [*DATA[:-1], Quad(NamedNode("http://x/f3"), RDF.type, SKG.Recommendation, G2)]
    paths = _parts(tmp_path, data, 2)
    quads = [q for p in paths for q in parse(path=str(p), format=RdfFormat.N_QUADS)]
    assert not _Facts(iter(quads), fold=True).folds_hold()
    out = tmp_path / "agg.nq"
    write_aggregates(paths, out)
    assert out.read_bytes() == _general(data)
    # the recommendation stays out of the report summary of f3's school (as named), so NAMED has none
    summaries = [q for q in aggregate_quads(data) if q.predicate == SKG.summarySchool]
    assert {q.object.value for q in summaries} == {SCHOOL.value}


def test_a_finding_that_is_also_a_judgement_is_indexed_not_summed() -> None:
    data = [*DATA, Quad(NamedNode("http://x/f1"), RDF.type, SKG.Judgement, G)]
    data.sort(key=lambda q: (q.subject.value, str(q)))
    facts = _Facts(iter(data), fold=True)
    assert (len(facts.folded), facts.findings_indexed(), facts.folds_hold()) == (2, 1, True)
    assert to_nquads(_quads(facts)) == _general(data)
    counts = {q.predicate.value: q.object.value for q in aggregate_quads(data) if q.subject == DOC}
    assert (counts[SKG.findingCount.value], counts[SKG.judgementCount.value]) == ("3", "1")


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_any_order_gives_the_same_bytes(seed: int) -> None:
    shuffled = list(DATA)
    random.Random(seed).shuffle(shuffled)
    assert to_nquads(aggregate_quads(shuffled)) == to_nquads(iter_aggregate_quads(iter(shuffled))) == _general(DATA)


def test_the_default_build_reads_its_parts_once_and_as_the_general_index_would(built: Built, tmp_path: Path) -> None:
    quads = [q for q in parse(path=str(built.dir / "schoolkg.nq"), format=RdfFormat.N_QUADS)]
    # what the build's aggregate step read: every graph but the aggregates and the entailment closure
    left_out = (iris.GRAPH_AGGREGATES, iris.derived_graph("entailment"))
    kept = [q for q in quads if not q.graph_name.value.startswith(left_out)]
    paths = _parts(tmp_path, kept, 7)
    facts = _Facts((q for p in paths for q in parse(path=str(p), format=RdfFormat.N_QUADS)), fold=True)
    assert facts.folds_hold() and len(facts.folded) > 100 and facts.findings_indexed() == 0
    out = tmp_path / "agg.nq"
    write_aggregates(paths, out)
    assert out.read_bytes() == _general(kept)
    built_aggregates = to_nquads(q for q in quads if q.graph_name.value.startswith(iris.GRAPH_AGGREGATES))
    assert out.read_bytes() == built_aggregates


def test_digests_read_a_value_stated_as_a_literal_and_as_an_iri_once_each() -> None:
    # an improvement's digest reads its judgements' IRI links and date literals from the school
    # summaries' index and anything else (a literal grade, an IRI date) from its own
    j1, j2, j3 = (NamedNode(f"http://x/j{i}") for i in (1, 2, 3))
    data = [
        Quad(j1, SKG.area, SKG.overallEffectiveness, G),
        Quad(j1, DCT.date, lit("2012-01-04", "date"), G),
        Quad(j1, DCT.date, lit("2012-01-04"), G),  # the same lexical form: one value
        Quad(j1, SKG.grade, lit("3"), G),
        Quad(j2, DCT.date, NamedNode("http://x/2014"), G),
        Quad(j2, SKG.grade, SKG.good, G),
        Quad(j3, DCT.date, lit("2016-01-01", "date"), G),
        Quad(j3, SKG.grade, SKG.good, G),
        Quad(j3, SKG.grade, lit("good"), G),  # two values: no digest
    ]
    for name, before, after in (("i1", j1, j2), ("i2", j1, j3)):
        imp = NamedNode(f"http://x/{name}")
        data += [
            Quad(imp, RDF.type, SKG.Improvement, G),
            Quad(imp, SKG.about, SCHOOL, G),
            Quad(imp, SKG.before, before, G),
            Quad(imp, SKG.after, after, G),
            Quad(imp, SKG.direction, SKG.improved, G),
        ]
    digests = {q.subject.value: q.object.value for q in aggregate_quads(data) if q.predicate == SKG.improvementDigest}
    assert digests == {
        "http://x/i1": f"{SCHOOL.value} {SKG.overallEffectiveness.value} 2012-01-04 http://x/2014 3 "
        f"{SKG.good.value} {SKG.improved.value} -"
    }
