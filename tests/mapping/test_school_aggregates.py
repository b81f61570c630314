"""The per-school summaries of …/graph/aggregates/schools (issue 19): what the catalogue queries
used to work out from every judgement, date and participation, worked out at build time."""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode, Quad

from schoolkg import iris
from schoolkg.mapping.aggregates import aggregate_quads
from schoolkg.mapping.terms import lit
from schoolkg.vocab import DCT, RDF, SKG

G = NamedNode("http://x/g")
OLD, NEW, BARE = (NamedNode(iris.school_iri(u)) for u in ("100001", "100002", "100003"))
LA = NamedNode(iris.la_iri("Oxfordshire"))
PROG = NamedNode(iris.PROGRAMME_BASE + "eic")
STRAND = NamedNode(iris.PROGRAMME_BASE + "eic-learning-mentors")
OE, QOE = SKG.overallEffectiveness, SKG.qualityOfEducation


def _judgement(n: int, school: NamedNode, area: NamedNode, date: str | None, grade: NamedNode) -> list[Quad]:
    j = NamedNode(f"http://x/j{n}")
    out = [
        Quad(j, RDF.type, SKG.Judgement, G),
        Quad(j, SKG.about, school, G),
        Quad(j, SKG.area, area, G),
        Quad(j, SKG.grade, grade, G),
    ]
    return out + ([Quad(j, DCT.date, lit(date, "date"), G)] if date else [])


def _participation(n: int, who: NamedNode, programme: NamedNode, start: str) -> list[Quad]:
    p = NamedNode(f"http://x/p{n}")
    return [
        Quad(p, RDF.type, SKG.Participation, G),
        Quad(p, SKG.participant, who, G),
        Quad(p, SKG.programme, programme, G),
        Quad(p, SKG.startDate, lit(start, "date"), G),
    ]


SUCCESSION = NamedNode("http://x/succession")
IMP = NamedNode("http://x/imp")
DATA = [
    *(Quad(s, RDF.type, SKG.School, G) for s in (OLD, NEW, BARE)),
    Quad(OLD, SKG.localAuthority, LA, G),
    Quad(NEW, SKG.needsLinking, lit(True), G),
    Quad(OLD, SKG.closeDate, lit("2016-08-31", "date"), G),
    Quad(NEW, SKG.openDate, lit("2015-09-01", "date"), G),
    Quad(NEW, SKG.openDate, lit("2016-09-01", "date"), G),
    Quad(SUCCESSION, RDF.type, SKG.Succession, G),
    Quad(SUCCESSION, SKG.fromSchool, OLD, G),
    Quad(SUCCESSION, SKG.toSchool, NEW, G),
    Quad(SUCCESSION, DCT.date, lit("2015-09-01", "date"), G),
    Quad(NEW, SKG.predecessor, OLD, G),
    Quad(STRAND, SKG.strandOf, PROG, G),
    *_judgement(1, OLD, OE, "2010-05-01", SKG.satisfactory),
    *_judgement(2, OLD, OE, "2013-05-01", SKG.good),
    *_judgement(3, OLD, OE, "2013-05-01", SKG.outstanding),  # the same date: both are the latest
    *_judgement(4, OLD, QOE, None, SKG.good),  # undated: not counted, no latest date
    *_participation(1, OLD, STRAND, "2001-09-01"),
    *_participation(2, NEW, PROG, "1999-09-01"),
    *_participation(3, OLD, PROG, "2003-09-01"),
    Quad(IMP, RDF.type, SKG.Improvement, G),
    Quad(IMP, SKG.about, OLD, G),
    Quad(IMP, SKG.before, NamedNode("http://x/j1"), G),
    Quad(IMP, SKG.after, NamedNode("http://x/j2"), G),
]


def _summary() -> list[Quad]:
    return [q for q in aggregate_quads(DATA) if q.graph_name == NamedNode(iris.aggregate_graph("schools"))]


def _objects(quads: list[Quad], subject: NamedNode, predicate: NamedNode) -> set[str]:
    return {q.object.value for q in quads if q.subject == subject and q.predicate == predicate}


def test_described_schools_get_their_judgement_and_establishment_dates() -> None:
    out = _summary()
    counts = {q.subject.value: q.object.value for q in out if q.predicate == SKG.datedJudgementCount}
    assert counts == {OLD.value: "3", NEW.value: "0"}  # BARE: no LA, no link flag, no judgement
    assert _objects(out, OLD, SKG.lastJudgementDate) == {"2013-05-01"}
    assert _objects(out, NEW, SKG.lastJudgementDate) == set()
    # closed 2016-08-31, replaced 2015-09-01: the earlier; the later of two open dates
    assert _objects(out, OLD, SKG.establishmentEnd) == {"2015-09-01"}
    assert _objects(out, NEW, SKG.latestOpenDate) == {"2016-09-01"}
    graph = NamedNode(iris.aggregate_graph("schools"))
    assert _objects(out, graph, SKG.latestJudgementDate) == {"2013-05-01"}


def test_latest_judgements_per_area_keep_every_one_of_the_latest_date() -> None:
    out = _summary()
    node = NamedNode(iris.school_summary_iri(OLD.value, "area", OE.value))
    assert _objects(out, node, SKG.latestJudgement) == {"http://x/j2", "http://x/j3"}
    assert _objects(out, node, SKG.latestJudgementDate) == {"2013-05-01"}
    assert _objects(out, node, SKG.summaryOf) == {OLD.value}
    undated = NamedNode(iris.school_summary_iri(OLD.value, "area", QOE.value))
    assert not [q for q in out if q.subject == undated]


def test_first_participation_follows_strands_and_the_establishment_line() -> None:
    out = _summary()
    first = {
        (q.subject.value.split("/aggregate/school/")[1], q.object.value)
        for q in out
        if q.predicate == SKG.firstStartDate
    }
    # OLD: its strand (2001) and EiC itself (2003); NEW: its own EiC start (1999) and OLD's strand
    assert first == {
        ("school-100001/programme/eic", "2001-09-01"),
        ("school-100001/programme/eic-learning-mentors", "2001-09-01"),
        ("school-100002/programme/eic", "1999-09-01"),
        ("school-100002/programme/eic-learning-mentors", "2001-09-01"),
    }


def test_improvements_carry_their_subject_area_grades_and_dates() -> None:
    out = _summary()
    got = {q.predicate.value.rsplit("#", 1)[1]: q.object.value for q in out if q.subject == IMP}
    assert got == {
        "summaryOf": OLD.value,
        "summaryArea": OE.value,
        "beforeGrade": SKG.satisfactory.value,
        "beforeDate": "2010-05-01",
        "afterGrade": SKG.good.value,
        "afterDate": "2013-05-01",
    }


def test_no_dates_no_judgement_date_and_non_date_literals_are_ignored() -> None:
    data = [
        Quad(OLD, RDF.type, SKG.School, G),
        Quad(OLD, SKG.localAuthority, LA, G),
        Quad(OLD, SKG.closeDate, Literal("sometime"), G),
    ]
    out = [q for q in aggregate_quads(data) if q.graph_name == NamedNode(iris.aggregate_graph("schools"))]
    assert _objects(out, OLD, SKG.datedJudgementCount) == {"0"}
    assert not [q for q in out if q.predicate in (SKG.establishmentEnd, SKG.latestJudgementDate)]
