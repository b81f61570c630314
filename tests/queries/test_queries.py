"""The query catalogue: headers, safe parameters, the read-only guard, and every query's answers.

Each catalogue query runs on the default build (what the embedded corpus really supports) and,
where the default corpus has no such data yet, on tests/fixtures/queries/mini.trig (a tiny
dataset in the docs/modelling.md patterns loaded with the ontology and thesaurus).
"""

from __future__ import annotations

import datetime as dt
import io
import json

import pandas as pd
import pyoxigraph
import pytest
from typer.testing import CliRunner

from conftest import ROOT, mini_store
from schoolkg.cli import app
from schoolkg.errors import ConfigError, QueryError
from schoolkg.queries.catalogue import REQUIRED, get_query, load_catalogue, parse_header, render_markdown
from schoolkg.queries.guard import ReadOnlyError, check_read_only, query_form
from schoolkg.queries.params import bind_values, to_term
from schoolkg.store.embedded import EmbeddedStore
from schoolkg.store.table import Table, to_table

FIXTURE = ROOT / "tests" / "fixtures" / "queries" / "mini.trig"
ID = "https://w3id.org/schoolkg/id/"
SKG = "https://w3id.org/schoolkg/ontology#"
BLENHEIM = f"{ID}school/name/blenheim-primary-school--leigh-on-sea"
PETERBOROUGH = f"{ID}la/peterborough"
INJECTION = '" } DROP ALL ; #'
CATALOGUE = load_catalogue()


def run(store: EmbeddedStore, name: str, **params: str) -> Table:
    return to_table(store.query(get_query(name).bound(params)))


def col(table: Table, name: str) -> list[object]:
    i = table.columns.index(name)
    return [r[i] for r in table.rows]


def rows_by(table: Table, key: str) -> dict[object, dict[str, object]]:
    return {r[table.columns.index(key)]: dict(zip(table.columns, r, strict=True)) for r in table.rows}


@pytest.fixture(scope="module")
def fixture_store(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    path = tmp_path_factory.mktemp("fixture") / "store"
    return mini_store(path)


# ---- the catalogue itself


def test_catalogue_has_at_least_15_documented_questions() -> None:
    assert len(CATALOGUE) >= 15
    for q in CATALOGUE:
        header = parse_header(q.sparql)
        assert all(header.get(k) for k in REQUIRED), q.name
        assert q.description.endswith("?") or "." in q.description, q.name


@pytest.mark.parametrize("query", CATALOGUE, ids=lambda q: q.name)
def test_catalogue_query_columns_match_header_on_default_build(query, built) -> None:
    table = to_table(built.store.query(query.bound()))
    assert table.columns == list(query.columns)


def test_docs_queries_md_is_generated_from_headers() -> None:
    doc = (ROOT / "docs" / "queries.md").read_text(encoding="utf-8")
    assert doc == render_markdown(CATALOGUE), "docs/queries.md is stale: run python -m schoolkg.queries.catalogue"


def test_unknown_query_and_parameter_are_config_errors() -> None:
    with pytest.raises(ConfigError, match="no catalogue query 'nope'"):
        get_query("nope")
    with pytest.raises(ConfigError, match="has no parameter 'x'"):
        get_query("eic-gcse-gap").bound({"x": "1"})
    with pytest.raises(ConfigError, match="not a valid integer"):
        get_query("schools-not-inspected").bound({"years": "five"})


# ---- parameters are typed terms, never pasted text


def test_injection_value_is_one_escaped_literal() -> None:
    text = bind_values("SELECT ?x WHERE { ?s ?p ?x FILTER(?x = ?v) }", {"v": to_term(INJECTION, "string")})
    assert 'VALUES ?v { "\\" } DROP ALL ; #" }' in text
    check_read_only(text)  # DROP sits inside a string literal: not a keyword


def test_injection_value_matches_nothing_and_changes_nothing(built) -> None:
    before = len(built.store)
    assert run(built.store, "practice-cooccurrence", context=INJECTION).rows == []
    assert len(built.store) == before


def test_iri_parameter_refuses_non_iri() -> None:
    with pytest.raises(ConfigError, match="not a valid iri"):
        to_term(INJECTION, "iri")
    with pytest.raises(ValueError):
        pyoxigraph.NamedNode("a b")


def test_bind_needs_a_where_group() -> None:
    with pytest.raises(QueryError, match="no WHERE"):
        bind_values("SELECT * { ?s ?p ?o }", {"v": to_term("1", "integer")})


# ---- the read-only guard parses (rdflib) and refuses by meaning


@pytest.mark.parametrize(
    "text",
    [
        "DROP ALL",
        "  # comment\n drop   all",
        "PREFIX ex: <http://e/> insert data { ex:a ex:b ex:c }",
        "DELETE WHERE { ?s ?p ?o }",
        "load <http://example.org/x.ttl>",
        "CLEAR DEFAULT",
        "SELECT * WHERE { SERVICE <http://dbpedia.org/sparql> { ?s ?p ?o } }",
        "select * { { select ?s { service <http://x/> { ?s ?p ?o } } } }",
        "SELECT * { OPTIONAL { ?s ?p ?o } MINUS { SERVICE SILENT <http://x/> { ?s ?p ?o } } }",
        "ASK { FILTER NOT EXISTS { SERVICE ?endpoint { ?s ?p ?o } } }",
        "SELECT * { SeRvIcE#comment\n<http://x/> { ?s ?p ?o } }",
    ],
)
def test_guard_refuses_updates_and_service(text: str) -> None:
    with pytest.raises(ReadOnlyError):
        check_read_only(text)


@pytest.mark.parametrize(
    "text",
    [
        # issue 15 row 1: SPARQL reads ex:a\#b as one name; a token scan read a comment after it
        "PREFIX ex: <http://e/> SELECT * { BIND(ex:a\\#b AS ?q) SERVICE SILENT <http://127.0.0.1:9/> { ?x ?y ?z } }",
        # neither a query nor an update: refused as a syntax error, never run
        "SELECT * WHERE { ?s ?p ?o } ; INSERT DATA { <a:b> <a:c> <a:d> }",
        # nested deeper than parsers should recurse (pyoxigraph's overflows its stack at a few thousand)
        "SELECT * WHERE " + "{" * 3000 + "}" * 3000,
    ],
    ids=["escaped-hash-service", "query-then-update", "deep-nesting"],
)
def test_guard_refuses_what_it_cannot_read(text: str) -> None:
    with pytest.raises(QueryError) as info:
        check_read_only(text)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    "text",
    [
        'SELECT ?service ?load WHERE { ?s <http://x/service> "DROP ALL; LOAD <x>" }',
        "PREFIX ex: <http://e/> SELECT * WHERE { ?s ex:delete ?o ; ex:service ?x } # SERVICE in a comment",
        "ASK { ?s ?p 'clear' }",
    ],
)
def test_guard_lets_read_queries_through(text: str) -> None:
    check_read_only(text)
    assert query_form(text) in ("SELECT", "ASK")


# ---- each query on the default build


def test_eic_gcse_gap_reproduces_figure_1(built) -> None:
    rows = rows_by(run(built.store, "eic-gcse-gap"), "year")
    assert {y: (r["eic"], r["nonEic"], r["gap"]) for y, r in rows.items()} == {
        "2003": (44.4, 54.8, 10.4),
        "2004": (46.4, 55.4, 9),
        "2005": (49.6, 57.2, 7.6),
    }
    assert rows["2005"]["provisional"] is True and rows["2003"]["provisional"] is False


def test_school_profile_of_blenheim(built) -> None:
    table = run(built.store, "school-profile", school=BLENHEIM)
    facts = {(r[0], r[1], r[2]) for r in table.rows}
    assert ("identity", "name", "Blenheim Primary School") in facts
    assert ("identity", "local authority", "Southend-on-Sea") in facts
    assert [(item, v) for s, item, v in facts if s == "judgement"] == [("equality provision", "good")]
    programmes = {item for s, item, _ in facts if s == "programme"}
    assert len(programmes) >= 4  # learning mentors, SEAL, extended schools, Sure Start
    assert sum(1 for s, _, _ in facts if s.startswith("finding")) >= 10
    assert col(table, "date")[col(table, "section").index("judgement")] == "2009-01-27"


def test_weaknesses_and_strengths_of_peterborough(built) -> None:
    weak = run(built.store, "weaknesses", subject=PETERBOROUGH)
    strong = run(built.store, "strengths", subject=BLENHEIM)  # the council report states no strength (issue 14)
    assert weak.rows and strong.rows
    assert all(n >= 1 for n in col(weak, "sources"))
    assert all(q for q in col(weak, "quotes"))
    assert "school-to-school partnership" in set(col(weak, "label"))  # one practice per statement (issue 14)
    assert any("pupil premium" in q for q in col(weak, "quotes"))


def test_strengths_of_eic_include_its_strands(built) -> None:
    eic = run(built.store, "strengths")
    mentors = run(built.store, "strengths", subject="https://w3id.org/schoolkg/programme/eic-learning-mentors")
    assert sum(col(eic, "findings")) > sum(col(mentors, "findings")) > 0
    assert set(col(mentors, "practice")) <= set(col(eic, "practice"))


def test_practice_cooccurrence_counts_contexts(built) -> None:
    by_doc = run(built.store, "practice-cooccurrence")
    by_subject = run(built.store, "practice-cooccurrence", context="subject")
    assert by_doc.rows and by_subject.rows
    assert max(col(by_doc, "contexts")) <= 6  # at most one per source document
    assert all(a < b for a, b in zip(col(by_doc, "practiceA"), col(by_doc, "practiceB"), strict=True))


@pytest.mark.parametrize("context", ["document", "subject"])
def test_cooccurrence_numbers_agree_across_query_analysis_and_page(built, context: str) -> None:
    """One concept, one number: the catalogue query, analysis and the co-occurrence page count alike."""
    from schoolkg.analysis.cooccurrence import cooccurrence_counts
    from schoolkg.viz.views import build_view

    findings = built.select(
        "SELECT ?s ?doc ?c WHERE { ?f a skg:Finding ; skg:about ?s ; skg:source ?doc ; skg:practice ?c }"
    )
    baskets: dict[str, set[str]] = {}
    for s, doc, c in findings.rows:
        baskets.setdefault(str(s if context == "subject" else doc), set()).add(str(c))
    expected = cooccurrence_counts(baskets)
    table = run(built.store, "practice-cooccurrence", context=context)
    from_query = {(r[0], r[2]): r[4] for r in table.rows}
    page = build_view("cooccurrence", built.store, basket=context, min_count=1)
    from_page = {tuple(sorted((a, b))): d["count"] for a, b, d in page.edges(data=True)}
    assert expected and from_query == expected == from_page


def test_finding_evidence_quotes_match_document_text(built) -> None:
    table = run(built.store, "finding-evidence")
    assert table.rows
    for row in table.rows:
        r = dict(zip(table.columns, row, strict=True))
        text = to_table(built.store.query(f"SELECT ?t WHERE {{ <{r['document']}> <{SKG}text> ?t }}")).rows[0][0]
        assert text[r["startOffset"] : r["endOffset"]] == r["quote"]
        assert r["polarity"] in ("strength", "weakness")


def test_programmes_overview_and_participants(built) -> None:
    overview = rows_by(run(built.store, "programmes-overview"), "programme")
    assert len(overview) >= 17
    assert overview["https://w3id.org/schoolkg/programme/eic-learning-mentors"]["parent"] == (
        "https://w3id.org/schoolkg/programme/eic"
    )
    people = run(built.store, "programme-participants")
    assert BLENHEIM in col(people, "participant")  # through the learning mentors strand


def test_documents_lists_every_source(built) -> None:
    docs = rows_by(run(built.store, "documents"), "document")
    assert len(docs) >= 6
    assert docs[f"{ID}document/004-5d77c78d8aa387dd"]["findings"] >= 10
    assert docs[f"{ID}document/002-ea63de0b34895f6a"]["observations"] >= 6  # Figure 1 at least


def test_unlinked_school_names_on_default_build(built) -> None:
    table = run(built.store, "unlinked-school-names")
    assert BLENHEIM in col(table, "school")


def test_schools_not_inspected_on_default_build(built) -> None:
    table = run(built.store, "schools-not-inspected", years="5")
    assert rows_by(table, "school")[BLENHEIM]["lastJudgement"] == "2009-01-27"


def test_practices_by_polarity_counts(built) -> None:
    table = run(built.store, "practices-by-polarity")
    sparql = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?f a <{SKG}Finding> ; <{SKG}practice> ?p }}"
    total = to_table(built.store.query(sparql)).rows[0][0]  # findings naming no practice are not counted
    assert sum(col(table, "findings")) == total


def test_outcome_queries_answer_on_default_build(built) -> None:
    """Improvement/decline queries return the Oxfordshire 2017 outcomes the build really holds."""
    n_imp = to_table(built.store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?i a <{SKG}Improvement> }}")).rows[0][0]
    improved = run(built.store, "improved-schools")
    declined = run(built.store, "declined-schools")
    assert len(improved.rows) + len(declined.rows) <= n_imp
    assert all(c >= 1 for c in col(improved, "change")) and all(c <= -1 for c in col(declined, "change"))
    if n_imp == 0:
        pytest.skip("no outcome table in the default corpus")
    assert improved.rows and declined.rows
    carterton = rows_by(improved, "urn").get("123015")  # Oxfordshire 2017 outcomes: inadequate -> good
    assert carterton is not None and (carterton["beforeGrade"], carterton["afterGrade"]) == ("inadequate", "good")
    assert carterton["change"] == 2
    assert run(built.store, "improved-schools", min="3").rows == [
        r for r in improved.rows if r[improved.columns.index("change")] >= 3
    ]


def test_eic_and_bip_las_on_default_build(built) -> None:
    table = run(built.store, "la-programmes-latest-grades")
    flags = {r[1]: (r[2], r[3]) for r in table.rows}
    if not flags:
        pytest.skip("no EiC/BIP LA table in the default corpus")
    assert flags["Birmingham"] == (True, True)  # EiC phase 1 (Hansard 2003) and BIP phase 1 (Hansard 2004)
    bip = run(built.store, "programme-participants", programme="https://w3id.org/schoolkg/programme/bip")
    las = {r[3]: r[5] for r in bip.rows if r[4] == "LocalAuthority"}
    assert las["Birmingham"] == "1" and len(las) >= 30


# ---- queries that need outcome data, on the fixture dataset


def test_improved_and_declined_schools_on_fixture(fixture_store) -> None:
    improved = run(fixture_store, "improved-schools")
    assert col(improved, "name") == ["Alpha Primary School"]
    row = dict(zip(improved.columns, improved.rows[0], strict=True))
    assert (row["beforeGrade"], row["afterGrade"], row["change"]) == ("requires improvement", "good", 1.0)
    assert row["strengths"] == "strategic leadership" and row["weaknesses"] == "lack of strategic overview"
    declined = run(fixture_store, "declined-schools")
    assert col(declined, "name") == ["Beta School"]
    assert run(fixture_store, "improved-schools", min="2").rows == []


def test_practices_improved_vs_not_on_fixture(fixture_store) -> None:
    table = rows_by(run(fixture_store, "practices-improved-vs-not"), "label")
    # strategic leadership: 1 of 1 improved school, 0 of 2 not improved; the shared weakness is in all 3
    assert set(table) == {"strategic leadership"}
    r = table["strategic leadership"]
    assert (r["improvedWith"], r["improvedSchools"], r["notImprovedWith"], r["notImprovedSchools"]) == (1, 1, 0, 2)


def test_la_programmes_latest_grades_on_fixture(fixture_store) -> None:
    table = run(fixture_store, "la-programmes-latest-grades")
    latest = {r[5]: (r[0].rsplit("/", 1)[-1], r[2], r[3], r[6], r[7]) for r in table.rows}
    assert latest["Alpha Primary School"] == ("birmingham", True, False, "good", "2017-06-20")
    assert latest["Beta School"] == ("birmingham", True, False, "requires improvement", "2016-02-01")
    assert latest["Delta School"] == ("oxfordshire", False, True, "satisfactory", "2008-07-01")


def test_schools_not_inspected_on_fixture(fixture_store) -> None:
    today = dt.date.today()
    years = str(today.year - 2015)  # recent = judged after 2015
    table = rows_by(run(fixture_store, "schools-not-inspected", years=years, asOf=today.isoformat()), "name")
    assert set(table) == {"Gamma School", "Delta School", "Echo School"}
    assert table["Echo School"]["judgements"] == 0 and table["Delta School"]["lastJudgement"] == "2008-07-01"


def test_schools_not_inspected_is_read_as_of_the_data_not_today(fixture_store) -> None:
    """The default as-of date is the latest judgement in the data (a snapshot is never read as of NOW())."""
    sparql = f"SELECT (MAX(?d) AS ?m) WHERE {{ ?j a <{SKG}Judgement> ; <http://purl.org/dc/terms/date> ?d }}"
    latest = to_table(fixture_store.query(sparql)).rows[0][0]
    table = run(fixture_store, "schools-not-inspected", years="1")
    assert set(col(table, "asOfDate")) == {latest}
    assert not [q.name for q in CATALOGUE if "NOW()" in q.sparql.upper()]
    later = run(fixture_store, "schools-not-inspected", years="1", asOf="2100-01-01")
    assert len(later.rows) > len(table.rows)


def test_iri_parameters_take_short_names() -> None:
    q = get_query("programme-participants")
    full = q.bound({"programme": "https://w3id.org/schoolkg/programme/bip"})
    assert q.bound({"programme": "bip"}) == full == q.bound({"programme": "prog:bip"})
    assert "<https://w3id.org/schoolkg/ontology#achievement>" in get_query("practices-improved-vs-not").bound(
        {"area": "skg:achievement"}
    )


def test_programme_participants_on_fixture(fixture_store) -> None:
    table = run(fixture_store, "programme-participants")
    kinds = {
        (r["name"], r["kind"], r["derived"]) for r in (dict(zip(table.columns, x, strict=True)) for x in table.rows)
    }
    assert ("Birmingham", "LocalAuthority", False) in kinds
    assert ("Alpha Primary School", "School", True) in kinds
    bip = run(fixture_store, "programme-participants", programme="https://w3id.org/schoolkg/programme/bip")
    assert col(bip, "name") == ["Oxfordshire"]


def test_unlinked_names_on_fixture(fixture_store) -> None:
    table = run(fixture_store, "unlinked-school-names")
    assert [(r[1], r[4], r[6], r[7], r[8]) for r in table.rows] == [("Echo School", "ambiguous", "100001", 91.5, 1)]


def test_school_profile_on_fixture(fixture_store) -> None:
    table = run(fixture_store, "school-profile", school=f"{ID}school/100001")
    judgements = [(r[2], r[3]) for r in table.rows if r[0] == "judgement"]
    assert judgements == [("requires improvement", "2013-05-01"), ("good", "2017-06-20")]  # oldest first
    ids = {r[1]: r[2] for r in table.rows if r[0] == "identity"}
    assert ids["URN"] == "100001" and ids["local authority"] == "Birmingham (330)"


# ---- the CLI


def test_cli_lists_catalogue_one_line_each(built) -> None:
    result = CliRunner().invoke(app, ["queries"])
    assert result.exit_code == 0
    lines = result.stdout.strip().splitlines()
    assert len(lines) == len(CATALOGUE)
    assert lines[[q.name for q in CATALOGUE].index("eic-gcse-gap")].startswith("eic-gcse-gap ")


def test_cli_runs_named_query_as_csv_for_pandas(built) -> None:
    result = CliRunner().invoke(app, ["query", "eic-gcse-gap", "--store", str(built.dir / "store"), "--format", "csv"])
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(io.StringIO(result.stdout))
    assert list(frame.columns) == list(get_query("eic-gcse-gap").columns)
    assert frame["gap"].tolist() == [10.4, 9.0, 7.6]


def test_cli_param_and_json(built) -> None:
    args = ["query", "weaknesses", "--param", f"subject={PETERBOROUGH}", "--store", str(built.dir / "store")]
    result = CliRunner().invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["sources"] >= 1


def test_cli_injection_and_update_refused(built) -> None:
    store = str(built.dir / "store")
    result = CliRunner().invoke(
        app, ["query", "practice-cooccurrence", "-p", f"context={INJECTION}", "--store", store, "--format", "csv"]
    )
    assert result.exit_code == 0 and result.stdout.strip().splitlines() == [
        "practiceA,labelA,practiceB,labelB,contexts"
    ]
    result = CliRunner().invoke(app, ["query", "drop all", "--store", store])
    assert result.exit_code == 2 and "read-only" in result.stderr


def test_cli_file_with_header_takes_params(built, tmp_path) -> None:
    rq = tmp_path / "mine.rq"
    rq.write_text(get_query("strengths").sparql, encoding="utf-8")
    args = ["query", "--file", str(rq), "-p", f"subject={BLENHEIM}", "--store", str(built.dir / "store")]
    result = CliRunner().invoke(app, [*args, "--format", "tsv"])
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) > 5


def test_strand_strengths_come_from_the_survey_passages_about_it(built) -> None:
    mentors = run(built.store, "strengths", subject="https://w3id.org/schoolkg/programme/eic-learning-mentors")
    quotes = " ".join(col(mentors, "quotes"))
    assert "learning mentor" in quotes.lower() or "mentor" in quotes.lower()
    weak = run(built.store, "weaknesses", subject="https://w3id.org/schoolkg/programme/lig")
    assert any("LIG" in q or "Leadership Incentive Grant" in q or "staff turnover" in q for q in col(weak, "quotes"))
