"""One read of the store (issue 19): the pattern-scan read equals the generic join, and is shared."""

from __future__ import annotations

from pathlib import Path

import pytest

from schoolkg.analysis import graphs
from schoolkg.analysis.consistency import check_store
from schoolkg.analysis.graphs import FINDINGS, _rows, read_analysis_data
from schoolkg.store.embedded import EmbeddedStore, install_store
from schoolkg.synth.graph import write_synth


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    out = tmp_path_factory.mktemp("read")
    path, _ = write_synth(out, 60, 4, {})
    install_store(path, out / "store")
    return EmbeddedStore(out / "store")


class CountingStore:
    def __init__(self, inner: EmbeddedStore) -> None:
        self.inner, self.queries = inner, 0

    def query(self, sparql: str):  # type: ignore[no-untyped-def]
        self.queries += 1
        return self.inner.query(sparql)

    def dump_nquads(self) -> bytes:
        return self.inner.dump_nquads()


def test_scan_read_equals_the_generic_join(store: EmbeddedStore) -> None:
    data = read_analysis_data(store)
    assert sorted(data.findings) == sorted(set(_rows(store, FINDINGS)))
    assert len(data.findings) > 100


def test_improvements_carry_dated_grades_and_reports_their_inspection_date(store: EmbeddedStore) -> None:
    data = read_analysis_data(store)
    assert len(data.improvements) == 60
    assert all(r.before_grade in (1, 2, 3, 4) and r.after_grade in (1, 2, 3, 4) for r in data.improvements)
    assert all(r.before_date < r.after_date for r in data.improvements)
    docs = {doc for _, _, _, doc in data.findings}
    assert docs <= set(data.document_dates)
    assert all(c.idaci in (1, 2, 3, 4, 5) and c.pupils for c in data.schools.values())


def test_unparseable_finding_iris_fall_back_to_the_join(store: EmbeddedStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(graphs, "FINDING_PREFIX", "urn:minted-some-other-way/")  # no IRI parses
    assert sorted(read_analysis_data(store).findings) == sorted(set(_rows(store, FINDINGS)))


def test_check_store_with_the_runs_data_does_not_read_again(store: EmbeddedStore) -> None:
    data = read_analysis_data(store)
    counting = CountingStore(store)
    check_store(counting, data)  # type: ignore[arg-type]
    assert counting.queries == 0
    check_store(counting)  # type: ignore[arg-type]
    assert counting.queries > 0


def test_analyse_command_writes_analysis_json_with_the_page_fields(store: EmbeddedStore, tmp_path: Path) -> None:
    import json

    from schoolkg.analysis.report import analyse_to_folder

    _, files = analyse_to_folder(store, tmp_path / "an", min_support=5)
    d = json.loads(files["analysis.json"].read_text())
    assert set(d["designs"]) == {"temporal", "cross-sectional"}
    row = d["practices"][0]
    for key in (
        "iri",
        "label",
        "design",
        "n_with",
        "n_without",
        "or",
        "ci_low",
        "ci_high",
        "p",
        "q",
        "adjusted_or",
        "adjusted_ci_low",
        "adjusted_ci_high",
        "adjusted_p",
        "adjusted_q",
        "mh_or",
        "mh_ci_low",
        "mh_ci_high",
        "quotes",
    ):
        assert key in row
    assert {p["design"] for p in d["practices"]} == {"temporal", "cross-sectional"}
    assert row["quotes"] and set(row["quotes"][0]) == {"text", "source", "document"}
    assert [b["baseline_grade"] for b in d["by_baseline"]] == sorted(b["baseline_grade"] for b in d["by_baseline"])
    assert sum(b["n"] for b in d["by_baseline"]) == d["n"]
    assert "fit" in d["model"]  # 60 schools: too few for a model, and the model record says why
    assert d["model"]["fit"] is None and "too few" in d["model"]["reason"].lower()
    assert (tmp_path / "an" / "baseline.png").stat().st_size > 1000
    md = (tmp_path / "an" / "report.md").read_text()
    assert "## Improvement by baseline grade (design: temporal)" in md
    assert "(design: cross-sectional)" in md


def test_analysis_quads_name_associations_as_iris_does(store: EmbeddedStore) -> None:
    from datetime import UTC, datetime

    from schoolkg import iris
    from schoolkg.analysis.report import analysis_quads
    from schoolkg.analysis.run import analyse

    result = analyse(read_analysis_data(store), min_support=5)
    when = datetime(2026, 1, 1, tzinfo=UTC)
    quads = analysis_quads(result, run_id="grade-T1", used=[], started=when, ended=when)
    named = {q.subject.value for q in quads if q.predicate.value.endswith("#exposureLabel")}
    a = result.associations
    assert len(a) and named == {
        iris.association_iri("grade-T1", f, b) for f, b in zip(a.feature, a.feature_b, strict=True)
    }
    counts = [q.object for q in quads if q.predicate.value.endswith("#exposedImprovedCount")]
    assert [int(c.value) for c in counts] == [int(v) for v in a.improved_exposed]
    assert all(c.datatype.value.endswith("#integer") for c in counts)
    flags = [q.object.value for q in quads if q.predicate.value.endswith("#discovery")]
    assert flags == ["true" if d else "false" for d in a.discovery]


def test_analysis_nquads_are_what_pyoxigraph_writes_for_them(store: EmbeddedStore) -> None:
    from datetime import UTC, datetime

    from pyoxigraph import RdfFormat, parse, serialize

    from schoolkg.analysis.report import analysis_nquads
    from schoolkg.analysis.run import analyse

    result = analyse(read_analysis_data(store), min_support=5)
    result.definition = 'a "quoted"\tdefinition\nwith \\ and \x01 and é'
    when = datetime(2026, 1, 1, tzinfo=UTC)
    text = analysis_nquads(result, run_id="grade-T1", used=["https://example.org/g"], started=when, ended=when)
    quads = list(parse(text.encode(), format=RdfFormat.N_QUADS))
    assert len(quads) > 100 and serialize(quads, format=RdfFormat.N_QUADS).decode() == text


def test_improvement_subjects_equal_the_union_join(store: EmbeddedStore) -> None:
    about = dict(_rows(store, "SELECT ?i ?s WHERE { ?i a skg:Improvement ; skg:about ?s }"))
    assert about and graphs._improvement_subjects(store) == about


def test_the_designs_share_one_pass_over_the_findings(store: EmbeddedStore) -> None:
    from schoolkg.analysis.designs import build_episodes, report_features
    from schoolkg.analysis.improvement import OVERALL

    data = read_analysis_data(store)
    first = report_features(data)[0]
    assert report_features(data)[0] is first
    build_episodes(data, "temporal")
    build_episodes(data, "cross-sectional")
    # built once and shared: the reports' features, their days and the inspection steps (issue 19)
    assert report_features(data)[0] is first
    assert sorted(map(str, data.derived)) == sorted(
        map(str, [("report_features", "split"), ("steps", OVERALL), ("report_days", "split")])
    )
    steps, days = data.derived[("steps", OVERALL)], data.derived[("report_days", "split")]
    build_episodes(data, "cross-sectional")
    assert data.derived[("steps", OVERALL)] is steps and data.derived[("report_days", "split")] is days


def _by_finding(store: EmbeddedStore, monkeypatch: pytest.MonkeyPatch) -> graphs.AnalysisData:
    """The read without the reports aggregate: one record per finding, improvements from their statements."""
    with monkeypatch.context() as m:
        m.setattr(graphs, "_report_summaries", lambda _store: None)
        m.setattr(graphs, "_improvements", graphs._improvements_stated)
        return read_analysis_data(store)


def test_the_reports_aggregate_read_gives_the_finding_reads_records(
    store: EmbeddedStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    from schoolkg.analysis.designs import report_features

    fast, slow = read_analysis_data(store), _by_finding(store, monkeypatch)
    assert fast.report_pairs is not None and slow.report_pairs is None
    assert len(fast.report_pairs) > 50
    assert sorted(fast.findings) == sorted(slow.findings) == sorted(set(_rows(store, FINDINGS)))
    docs = {doc for *_, doc in slow.findings}
    assert {d: fast.document_dates[d] for d in docs if d in fast.document_dates} == {
        d: slow.document_dates[d] for d in docs if d in slow.document_dates
    }
    for mode in ("split", "strength", "any"):
        assert report_features(fast, mode) == report_features(slow, mode)
    assert fast.graphs == slow.graphs == sorted(g for (g,) in _rows(store, graphs.GRAPHS))
    assert fast.improvements == slow.improvements and fast.schools == slow.schools
    assert len(fast.improvements) == 60


def _quads(store: EmbeddedStore) -> list:  # type: ignore[type-arg]
    from pyoxigraph import RdfFormat, parse

    return list(parse(store.dump_nquads(), format=RdfFormat.N_QUADS))


def _rebuilt(quads: list) -> EmbeddedStore:  # type: ignore[type-arg]
    """A store of ``quads`` with its aggregate graphs computed again, as a build writes them."""
    from schoolkg import iris
    from schoolkg.mapping.aggregates import aggregate_quads

    kept = [q for q in quads if not q.graph_name.value.startswith(iris.GRAPH_AGGREGATES)]
    return EmbeddedStore.in_memory(kept + aggregate_quads(kept))


@pytest.mark.parametrize("case", ["no digests", "no reports aggregate", "a recommendation", "a name link"])
def test_without_an_aggregate_that_stands_for_the_findings_the_findings_are_read(
    store: EmbeddedStore, case: str
) -> None:
    from pyoxigraph import NamedNode, Quad

    from schoolkg import iris
    from schoolkg.vocab import RDF, SKG, SKOS

    quads = _quads(store)
    finding = next(q for q in quads if q.predicate == SKG.practice)
    subject = next(q.object for q in quads if q.subject == finding.subject and q.predicate == SKG.about)
    if case == "no digests":  # a store built before skg:summaryDigest
        other = EmbeddedStore.in_memory([q for q in quads if q.predicate != SKG.summaryDigest])
    elif case == "no reports aggregate":
        other = EmbeddedStore.in_memory([q for q in quads if q.graph_name.value != iris.aggregate_graph("reports")])
    elif case == "a recommendation":  # summaries leave it out; the analysis counts it
        other = _rebuilt([*quads, Quad(finding.subject, RDF.type, SKG.Recommendation, finding.graph_name)])
    else:  # summaries add the named subject's findings to the matched school's; the analysis does not
        link = Quad(subject, SKOS.closeMatch, NamedNode(iris.school_iri("999999")), finding.graph_name)
        other = _rebuilt([*quads, link])
    data = read_analysis_data(other)
    assert data.report_pairs is None
    assert sorted(data.findings) == sorted(set(_rows(other, FINDINGS)))
    assert len(data.findings) > 100


def test_improvement_digests_give_the_statements_records_and_their_absence_falls_back(store: EmbeddedStore) -> None:
    from pyoxigraph import Literal, Quad

    from schoolkg.vocab import SKG

    stated = graphs._improvements_stated(store)
    assert graphs._improvements(store) == stated and len(stated) == 60
    quads = _quads(store)
    digests = [q for q in quads if q.predicate == SKG.improvementDigest]
    assert len(digests) == 60
    # one improvement without a digest (a store built before them): every improvement from the statements
    first = digests[0]
    partial = EmbeddedStore.in_memory([q for q in quads if q != first])
    assert graphs._improvements(partial) == stated
    # a digest that does not say what the statements say would show: the reader follows the digest
    wrong = Quad(first.subject, SKG.improvementDigest, Literal(first.object.value.replace("2", "3")), first.graph_name)
    swapped = EmbeddedStore.in_memory([q for q in quads if q != first] + [wrong])
    assert graphs._improvements(swapped) != stated


def test_context_digests_give_the_statements_records_and_their_absence_falls_back(store: EmbeddedStore) -> None:
    from pyoxigraph import Literal, Quad

    from schoolkg.vocab import SKG

    stated = graphs._schools_stated(store)
    assert graphs._schools(store) == stated and len(stated) == 60
    assert {c.phase for c in stated.values()} - {None} and {c.idaci for c in stated.values()} - {None}
    quads = _quads(store)
    digests = [q for q in quads if q.predicate == SKG.contextDigest]
    assert len(digests) == 60
    first = digests[0]
    # one school without a digest (a store built before them, or a value stated twice): the statements
    partial = EmbeddedStore.in_memory([q for q in quads if q != first])
    assert graphs._schools(partial) == stated
    # a digest that does not say what the statements say would show: the reader follows the digest
    wrong = Quad(first.subject, SKG.contextDigest, Literal("-\t-\t-\t-"), first.graph_name)
    swapped = EmbeddedStore.in_memory([q for q in quads if q != first] + [wrong])
    assert graphs._schools(swapped) != stated
    assert graphs._schools(swapped)[first.subject.value] == graphs.SchoolContext(None, None, None, None)


def test_a_school_with_a_value_stated_twice_gets_no_digest() -> None:
    from pyoxigraph import Literal, NamedNode, Quad

    from schoolkg.mapping.aggregates import aggregate_quads
    from schoolkg.vocab import RDF, SKG

    g, s = NamedNode("http://x/g"), NamedNode("http://x/school")
    data = [Quad(s, RDF.type, SKG.School, g), Quad(s, SKG.phaseOfEducation, Literal("Primary"), g)]
    (digest,) = [q.object.value for q in aggregate_quads(data) if q.predicate == SKG.contextDigest]
    assert digest == "-\t-\tPrimary\t-"
    twice = [*data, Quad(s, SKG.phaseOfEducation, Literal("Secondary"), g)]
    assert not [q for q in aggregate_quads(twice) if q.predicate == SKG.contextDigest]
    tabbed = [Quad(s, RDF.type, SKG.School, g), Quad(s, SKG.establishmentType, Literal("a\tb"), g)]
    assert not [q for q in aggregate_quads(tabbed) if q.predicate == SKG.contextDigest]
