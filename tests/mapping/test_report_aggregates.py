"""The ``reports`` aggregate: schools resolved through name links, recommendations left out of
the summaries (not of the counts), and each of the two date rules."""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode, Quad

from schoolkg import iris
from schoolkg.mapping.aggregates import aggregate_quads
from schoolkg.vocab import DCT, PROV, RDF, SKG, SKOS, XSD

G = NamedNode("http://x/g")
N, S = NamedNode(iris.school_name_iri("a school", None)), NamedNode(iris.school_iri("100001"))
D1, D2 = NamedNode(iris.document_iri("d1")), NamedNode(iris.document_iri("d2"))
P, Q = (NamedNode(iris.PRACTICE_BASE + n) for n in ("p", "q"))
INSP = NamedNode(iris.inspection_iri("1"))


def _finding(name: str, about: NamedNode, doc: NamedNode, practice: NamedNode, pol: NamedNode) -> list[Quad]:
    f = NamedNode(f"http://x/{name}")
    return [
        Quad(f, RDF.type, SKG.Finding, G),
        Quad(f, SKG.about, about, G),
        Quad(f, SKG.source, doc, G),
        Quad(f, SKG.practice, practice, G),
        Quad(f, SKG.polarity, pol, G),
    ]


DATA = [
    Quad(D1, RDF.type, SKG.Document, G),
    Quad(D2, RDF.type, SKG.Document, G),
    Quad(D1, DCT.issued, Literal("2017-06-01", datatype=XSD.date), G),
    Quad(
        NamedNode(f"{D1.value}/inspection"),
        PROV.startedAtTime,
        Literal("2017-05-10T00:00:00", datatype=XSD.dateTime),
        G,
    ),
    Quad(INSP, RDF.type, SKG.Inspection, G),
    Quad(INSP, SKG.source, D2, G),
    Quad(INSP, PROV.startedAtTime, Literal("2018-01-02T00:00:00", datatype=XSD.dateTime), G),
    Quad(N, SKOS.closeMatch, S, G),
    *_finding("f1", N, D1, P, SKG.strength),
    *_finding("f2", S, D2, Q, SKG.weakness),
    Quad(NamedNode("http://x/f2"), RDF.type, SKG.Recommendation, G),
    *_finding("f3", S, D2, Q, SKG.weakness),
]


def _summaries(out: list[Quad]) -> dict[tuple[str, str], dict[str, set[str]]]:
    by: dict[str, dict[str, set[str]]] = {}
    for q in out:
        if q.graph_name.value == iris.aggregate_graph("reports"):
            by.setdefault(q.subject.value, {}).setdefault(q.predicate.value.rsplit("#", 1)[-1], set()).add(
                q.object.value
            )
    return {
        (next(iter(v["summarySchool"])), next(iter(v["summaryDocument"]))): v
        for v in by.values()
        if "summarySchool" in v
    }


def test_names_resolve_dates_follow_both_rules_and_recommendations_stay_out() -> None:
    out = aggregate_quads(DATA)
    got = _summaries(out)
    assert set(got) == {(N.value, D1.value), (S.value, D1.value), (S.value, D2.value)}
    d1 = got[(S.value, D1.value)]
    assert d1["inspectedOrIssued"] == {"2017-05-10"} and d1["issuedOrInspected"] == {"2017-06-01"}
    assert d1["reportedPracticePolarity"] == {iris.practice_polarity_iri(P.value, SKG.strength.value)}
    d2 = got[(S.value, D2.value)]
    assert "inspectedOrIssued" not in d2 and d2["issuedOrInspected"] == {"2018-01-02"}
    counts = {
        (q.subject.value, q.predicate.value.rsplit("#", 1)[-1]): q.object.value
        for q in out
        if q.predicate in (SKG.polarFindingCount, SKG.polarSourceCount)
    }
    qw = iris.practice_polarity_iri(Q.value, SKG.weakness.value)
    assert counts[(qw, "polarFindingCount")] == "2" and counts[(qw, "polarSourceCount")] == "1"


def test_without_the_inspection_a_report_is_dated_by_its_issue() -> None:
    data = [q for q in DATA if q.predicate != PROV.startedAtTime]
    got = _summaries(aggregate_quads(data))
    assert got[(S.value, D1.value)]["inspectedOrIssued"] == {"2017-06-01"}
    assert "issuedOrInspected" not in got[(S.value, D2.value)]


def test_summary_digests_say_what_the_statements_say() -> None:
    """skg:summaryDigest is a cache of the summary: one literal on every summary, its school,
    document, earliest inspectedOrIssued date ('-' for none), then its links' IRIs without their
    prefix (none when the summary has no link)."""
    from schoolkg.mapping.report_aggregates import PRACTICE_POLARITY_PREFIX

    theme_only = [  # a finding with a subject and a source but no practice: a summary without links
        Quad(NamedNode("http://x/f9"), RDF.type, SKG.Finding, G),
        Quad(NamedNode("http://x/f9"), SKG.about, S, G),
        Quad(NamedNode("http://x/f9"), SKG.source, NamedNode(iris.document_iri("d3")), G),
        *_finding("f4", S, D1, Q, SKG.strength),
    ]
    got = _summaries(aggregate_quads(DATA + theme_only))
    assert len(got) == 4
    for (school, doc), summary in got.items():
        (digest,) = summary["summaryDigest"]
        s, d, day, *keys = digest.split(" ")
        assert (s, d) == (school, doc) == (*summary["summarySchool"], *summary["summaryDocument"])
        assert day == min(summary.get("inspectedOrIssued", {"-"}))
        links = summary.get("reportedPracticePolarity", set())
        assert keys == sorted(link.removeprefix(PRACTICE_POLARITY_PREFIX) for link in links)
        assert all(link.startswith(PRACTICE_POLARITY_PREFIX) for link in links)
    assert got[(S.value, D1.value)]["summaryDigest"] == {f"{S.value} {D1.value} 2017-05-10 p/strength q/strength"}
    d3 = iris.document_iri("d3")
    assert got[(S.value, d3)]["summaryDigest"] == {f"{S.value} {d3} -"}


def _improvement(name: str, before: str | None, after: str | None) -> list[Quad]:
    imp = NamedNode(f"http://x/{name}")
    out = [
        Quad(imp, RDF.type, SKG.Improvement, G),
        Quad(imp, SKG.direction, SKG.improved, G),
        Quad(imp, SKG.about, S, G),
    ]
    out += [Quad(imp, SKG.before, NamedNode(before), G)] if before else []
    out += [Quad(imp, SKG.after, NamedNode(after), G)] if after else []
    return out


def test_improvement_digests_state_both_judgements_or_say_none_or_are_left_out() -> None:
    j1, j2 = NamedNode("http://x/j1"), NamedNode("http://x/j2")
    judgements = [
        Quad(j1, SKG.area, SKG.overallEffectiveness, G),
        Quad(j1, DCT.date, Literal("2012-01-04", datatype=XSD.date), G),
        Quad(j1, SKG.grade, SKG.requiresImprovement, G),
        Quad(j2, DCT.date, Literal("2014-03-01", datatype=XSD.date), G),
        Quad(j2, SKG.grade, SKG.good, G),
    ]
    data = [
        *judgements,
        *_improvement("i1", j1.value, j2.value),
        Quad(NamedNode("http://x/i1"), SKG.change, Literal("1", datatype=XSD.integer), G),
        *_improvement("i2", j1.value, None),  # no later judgement
        *_improvement("i3", j2.value, j1.value),
        Quad(NamedNode("http://x/i3"), SKG.direction, SKG.declined, G),  # two directions: no digest
    ]
    digests = {q.subject.value: q.object.value for q in aggregate_quads(data) if q.predicate == SKG.improvementDigest}
    assert digests == {
        "http://x/i1": f"{S.value} {SKG.overallEffectiveness.value} 2012-01-04 2014-03-01 "
        f"{SKG.requiresImprovement.value} {SKG.good.value} {SKG.improved.value} 1",
        "http://x/i2": "none",
    }
    assert all(
        q.graph_name.value == iris.aggregate_graph("reports")
        for q in aggregate_quads(data)
        if q.predicate == SKG.improvementDigest
    )
