"""Judgements in the graph (issue 14 items 1 and 3): formats, frameworks, scales, and the dated
before/after pair one report states, built (and SHACL-validated) from three dev documents."""

from __future__ import annotations

import shutil

import pytest

from conftest import FIXTURES, PREFIXES
from schoolkg.pipeline import run_build
from schoolkg.store.embedded import EmbeddedStore
from schoolkg.store.table import to_table

DEV = FIXTURES / "reports" / "dev"
DOCS = ("report-card-marshside-primary.pdf", "s5-2012-fernhill-primary.pdf", "eif-full-ridgeway-primary.html")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    if not all((DEV / d).exists() for d in DOCS):
        pytest.skip("dev gold documents not present")
    out = tmp_path_factory.mktemp("judged")
    (out / "corpus" / "documents").mkdir(parents=True)
    for name in DOCS:
        shutil.copyfile(DEV / name, out / "corpus" / "documents" / name)
    run_build(out / "corpus", out / "store", out / "g.nq")  # validates against ontology/shapes.ttl
    return EmbeddedStore(out / "store")


def _rows(store: EmbeddedStore, body: str) -> list[list]:
    return to_table(store.query(PREFIXES + body)).rows


def test_each_document_has_its_format_and_framework(store: EmbeddedStore) -> None:
    rows = _rows(
        store,
        """SELECT ?format ?framework WHERE { ?d skg:reportFormat ?f . ?f skos:notation ?format ;
             skg:framework/skos:notation ?framework } ORDER BY ?format""",
    )
    assert rows == [["eif-full", "eif-2019"], ["report-card", "renewed-2025"], ["s5-2012", "ofsted-2012"]]


def test_report_card_grades_stay_on_their_scale(store: EmbeddedStore) -> None:
    rows = _rows(
        store,
        """SELECT ?area ?grade ?value WHERE {
             ?j a skg:Judgement ; skg:scale skg:reportCardScale ; skg:areaName ?area ; skg:grade ?g .
             ?g rdfs:label ?grade ; skg:onScale skg:reportCardScale . OPTIONAL { ?g skg:gradeValue ?value } }
           ORDER BY ?area""",
    )
    assert ["inclusion", "urgent improvement", None] in rows
    assert len(rows) == 7 and all(value is None for *_, value in rows)  # never comparable with 1-4
    safeguarding = _rows(
        store,
        """SELECT ?name ?g WHERE { ?j skg:areaName 'safeguarding' ; skg:scale skg:safeguardingScale ; skg:grade ?g ;
             skg:about/schema:name ?name } ORDER BY ?name""",
    )
    assert safeguarding == [
        ["Marshside Primary School", "https://w3id.org/schoolkg/ontology#notMet"],
        ["Ridgeway Primary School", "https://w3id.org/schoolkg/ontology#effective"],
    ]


def test_one_report_gives_a_dated_before_after_pair(store: EmbeddedStore) -> None:
    rows = _rows(
        store,
        """SELECT ?name ?before ?bdate ?after ?adate ?direction ?days WHERE {
             ?imp a skg:Improvement ; skg:about/schema:name ?name ; skg:direction ?direction ;
                  skg:before ?b ; skg:after ?a .
             ?b skg:area skg:overallEffectiveness ; skg:grade/rdfs:label ?before .
             ?a skg:grade/rdfs:label ?after ; dcterms:date ?adate .
             ?i skg:previousJudgement ?b .
             OPTIONAL { ?b dcterms:date ?bdate } OPTIONAL { ?imp skg:intervalDays ?days } } ORDER BY ?name""",
    )
    by_school = {r[0]: r[1:] for r in rows}
    fern = by_school["Fernhill Primary School"]
    assert fern[:2] == ["satisfactory", "2012-03-22"] and fern[2:4] == ["requires improvement", "2014-10-07"]
    assert fern[4].endswith("#stable") and fern[5] == 929
    ridge = by_school["Ridgeway Primary School"]
    assert ridge[0] == "good" and ridge[2] == "requires improvement" and ridge[4].endswith("#declined")
    # the report card's previous grade is on the four-point scale, its new grades are not: no pair
    assert "Marshside Primary School" not in by_school
