"""The catalogue queries rewritten by branch query27b (issue 19) answer as before, rows in the same order.

bench/queries_before_27/ holds each as it was before. ``improvement-by-programme`` now reads its
counts per (programme, area, participation) from ``…/graph/aggregates/practices``. Both texts must
give the same columns and rows in the same order on the default build and on a synthetic graph
given what makes the counts awkward: dated school participations in EiC, in one of its strands
and in BIP, starting before, on and after the earlier inspection of the school's pairs (and a
participation of a predecessor, followed along the establishment line); a programme no one took
part in; a second area on some earlier judgements; an improvement about two schools; an
improvement with a second earlier date; and a start date with a time zone (compared by the engine).
"""

from __future__ import annotations

from collections import defaultdict

import pytest
from pyoxigraph import Literal, NamedNode, Quad

from conftest import ROOT
from schoolkg.queries.catalogue import CatalogueQuery, get_query, load_catalogue
from schoolkg.store.embedded import EmbeddedStore
from schoolkg.store.table import to_table
from schoolkg.vocab import DCT, RDF, SKG, XSD
from synthetic_graphs import compare_with_old, linked_store, report_links

BEFORE = load_catalogue(ROOT / "bench" / "queries_before_27")
PROG = "https://w3id.org/schoolkg/programme/"
NOBODY = NamedNode(PROG + "test-nobody")
BINDINGS: dict[str, list[dict[str, str]]] = {
    "improvement-by-programme": [
        {},
        {"programme": "bip"},
        {"programme": "eic-learning-mentors"},
        {"programme": "eic-learning-support-units"},
        {"programme": f"<{NOBODY.value}>"},
        {"programme": "<https://w3id.org/schoolkg/ontology#School>"},
        {"area": "skg:qualityOfEducation"},
        {"area": "skg:leadership"},
        {"programme": "bip", "area": "skg:qualityOfEducation"},
        {"area": "skg:noSuchArea"},
    ],
}


def _day(text: str) -> Literal:
    return Literal(text, datatype=XSD.date)


def _awkward_programmes(quads: list[Quad]) -> list[Quad]:
    """Add dated participations, a programme without participants, second areas and subjects."""
    graph = NamedNode("https://w3id.org/schoolkg/graph/test-programmes")
    extra = report_links(quads, graph)
    links: dict[str, dict[str, list[object]]] = defaultdict(lambda: defaultdict(list))
    for q in quads:
        if q.predicate in (SKG.about, SKG.before, SKG.after, DCT.date):
            links[q.subject.value][q.predicate.value].append(q.object)
    improvements = sorted(q.subject.value for q in quads if q.predicate == RDF.type and q.object == SKG.Improvement)
    programmes = [NamedNode(PROG + p) for p in ("eic", "eic-learning-mentors", "bip")]
    for k, i in enumerate(improvements):
        school = links[i][SKG.about.value][0]
        j1 = links[i][SKG.before.value][0]
        t1 = links[j1.value][DCT.date.value][0].value
        if k % 3 == 0:  # a participation starting before, on or after the earlier inspection
            start = [f"{int(t1[:4]) - 2}{t1[4:]}", t1, f"{int(t1[:4]) + 1}{t1[4:]}", f"{t1}Z"][(k // 3) % 4]
            p = NamedNode(f"{i}/test-participation")
            extra |= {
                Quad(p, RDF.type, SKG.Participation, graph),
                Quad(p, SKG.participant, school, graph),
                Quad(p, SKG.programme, programmes[(k // 12) % 3], graph),
                Quad(p, SKG.startDate, _day(start), graph),
            }
        if k % 7 == 0:
            extra.add(Quad(j1, SKG.area, SKG.qualityOfEducation, graph))
        if k % 11 == 0:  # about a second school too
            other = links[improvements[(k + 1) % len(improvements)]][SKG.about.value][0]
            extra.add(Quad(NamedNode(i), SKG.about, other, graph))
        if k % 13 == 0:  # a successor of the school (its predecessor's participation counts)
            extra.add(Quad(NamedNode(f"{school.value}-successor"), SKG.predecessor, school, graph))
    first = links[improvements[1]][SKG.before.value][0]
    extra.add(Quad(first, DCT.date, _day("2001-01-01"), graph))  # a second earlier date
    extra.add(Quad(NOBODY, RDF.type, SKG.Programme, graph))
    return quads + sorted(extra, key=str)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    return linked_store(tmp_path_factory.mktemp("synth-query27b"), _awkward_programmes)


def test_the_query27b_queries_are_kept_and_read_the_aggregates() -> None:
    assert {q.name for q in BEFORE} >= set(BINDINGS)
    assert "skg:ProgrammeImprovementCount" in get_query("improvement-by-programme").sparql


@pytest.mark.parametrize("old", [q for q in BEFORE if q.name in BINDINGS], ids=lambda q: q.name)
def test_query27b_answers_as_before_on_the_default_build(old: CatalogueQuery, built) -> None:  # type: ignore[no-untyped-def]
    compare_with_old(built.store, old, BINDINGS[old.name])


@pytest.mark.parametrize("old", [q for q in BEFORE if q.name in BINDINGS], ids=lambda q: q.name)
def test_query27b_answers_as_before_on_an_awkward_synthetic_graph(
    old: CatalogueQuery, synthetic: EmbeddedStore
) -> None:
    assert compare_with_old(synthetic, old, BINDINGS[old.name]) >= 15, old.name


def test_the_synthetic_programmes_reach_the_awkward_cases(synthetic: EmbeddedStore) -> None:
    """Every timing has rows for EiC, the strand and BIP, the area of the second judgements too."""
    q = get_query("improvement-by-programme")
    for values in ({}, {"programme": "bip"}, {"programme": "eic-learning-mentors"}, {"area": "skg:qualityOfEducation"}):
        timings = {row[1] for row in to_table(synthetic.query(q.bound(values))).rows}
        assert {"never", "before the earlier inspection", "only later"} <= timings, values
    nobody = to_table(synthetic.query(q.bound({"programme": f"<{NOBODY.value}>"}))).rows
    assert [row[1] for row in nobody] == ["never"]
