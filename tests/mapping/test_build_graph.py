"""Integration: build the default corpus and ask the graph, by SPARQL, what the seeds say."""

from __future__ import annotations

from conftest import CORPUS, Built
from schoolkg.ingest.documents import read_document

EIC = "<https://w3id.org/schoolkg/id/document/002-ea63de0b34895f6a>"
PETERBOROUGH = "<https://w3id.org/schoolkg/id/document/003-198b1540c556add8>"


def test_eic_report_is_a_source(built: Built) -> None:
    t = built.select(
        f"SELECT ?kind ?title WHERE {{ {EIC} a skg:Document ; skg:documentKind ?kind ; dcterms:title ?title }}"
    )
    assert t.rows == [["survey_report", "Excellence in Cities"]]
    assert built.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?f skg:source {EIC} }}").rows[0][0] > 100


def test_eic_report_gives_twenty_practices_of_both_polarities(built: Built) -> None:
    t = built.select(
        f"""SELECT ?pol (COUNT(DISTINCT ?p) AS ?n) WHERE {{
              ?f a skg:Finding ; skg:source {EIC} ; skg:practice ?p ; skg:polarity ?pol }}
            GROUP BY ?pol"""
    )
    counts = {row[0].rsplit("#", 1)[-1]: row[1] for row in t.rows}
    assert counts["strength"] >= 15 and counts["weakness"] >= 15
    total = built.select(f"SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ ?f skg:source {EIC} ; skg:practice ?p }}")
    assert total.rows[0][0] >= 20


def test_scrape_noise_before_transcription_gives_no_findings(built: Built) -> None:
    text = read_document(CORPUS / "documents" / "002_ea63de0b34895f6a.txt", CORPUS).text
    cut = text.index("Transcription:")
    t = built.select(f"SELECT (MIN(?s) AS ?first) WHERE {{ ?f skg:source {EIC} ; skg:startOffset ?s }}")
    assert t.rows[0][0] > cut


def test_blenheim_has_its_la_format_and_2009_equality_judgement(built: Built) -> None:
    t = built.select(
        """SELECT ?la ?date ?grade ?format WHERE {
             ?school a skg:School ; schema:name "Blenheim Primary School" ; skg:localAuthority ?lanode .
             ?lanode schema:name ?la . ?doc skg:mentions ?school ; skg:reportFormat/skos:notation ?format .
             ?j a skg:Judgement ; skg:about ?school ; skg:area skg:equalityProvision ;
                dcterms:date ?date ; skg:grade/rdfs:label ?grade }"""
    )
    assert t.rows == [["Southend-on-Sea", "2009-01-27", "good", "survey-letter"]]


def test_peterborough_areas_for_improvement_are_weaknesses(built: Built) -> None:
    t = built.select(
        f"""SELECT ?s (GROUP_CONCAT(DISTINCT ?label; separator="|") AS ?labels) WHERE {{
              ?f skg:source {PETERBOROUGH} ; skg:about ?la ; skg:polarity skg:weakness ;
                 skg:practice/skos:prefLabel ?label ; skg:startOffset ?s ; skg:quote ?q .
              ?la a skg:LocalAuthority ; schema:name "Peterborough" .
            }} GROUP BY ?s ORDER BY ?s"""
    )
    quotes = built.select(
        f"""SELECT DISTINCT ?q WHERE {{ ?f skg:source {PETERBOROUGH} ; skg:polarity skg:weakness ; skg:quote ?q }}"""
    )
    text = " ".join(r[0] for r in quotes.rows)
    for item in (
        "Clarify milestones and targets in strategic plans",
        "Focus relentlessly on supporting and challenging schools",
        "Embed high quality school-to-school partnership",
        "Improve information, advice and guidance",
    ):
        assert item in text, item
    assert len(t.rows) >= 4


def test_peterborough_is_judged_effective(built: Built) -> None:
    t = built.select(
        """SELECT DISTINCT ?grade WHERE {
             ?j a skg:Judgement ; skg:about ?la ; skg:area skg:schoolImprovementArrangements ;
             skg:grade/rdfs:label ?grade . ?la schema:name "Peterborough" }"""
    )
    assert t.rows == [["effective"]]


def test_every_quote_is_its_source_text_at_its_offsets(built: Built) -> None:
    t = built.select(
        """SELECT (COUNT(*) AS ?all) (SUM(IF(SUBSTR(?text, ?s + 1, ?e - ?s) = ?q, 1, 0)) AS ?ok) WHERE {
             ?x skg:quote ?q ; skg:startOffset ?s ; skg:endOffset ?e ; skg:source ?d . ?d skg:text ?text }"""
    )
    total, ok = t.rows[0]
    assert total > 200 and ok == total


def test_figure1_observations_reproduce_the_gap(built: Built) -> None:
    t = built.select(
        """SELECT ?period ?group ?value WHERE { ?o a skg:Observation ; skg:period ?period ;
             skg:comparisonGroup ?group ; skg:value ?value } ORDER BY ?period ?group"""
    )
    values = {(p, g): v for p, g, v in t.rows}
    assert (
        round(values[("2003", "non-EiC partnership schools")] - values[("2003", "EiC partnership schools")], 1) == 10.4
    )
    assert round(values[("2005", "EiC partnership schools")] - values[("2003", "EiC partnership schools")], 1) == 5.2


def test_named_graph_per_source(built: Built) -> None:
    t = built.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g")
    graphs = [r[0].removeprefix("https://w3id.org/schoolkg/graph/") for r in t.rows]
    assert graphs == [
        "aggregates/attainment",
        "aggregates/cooccurrence",
        "aggregates/documents",
        "aggregates/practices",
        "aggregates/reports",
        "aggregates/schools",
        "aggregates/subjects",
        "derived/entailment",
        "derived/name-links",
        "derived/programme-areas",
        "document/000-0f96bd9ccbaf7c80",
        "document/001-67ec0e20a0eb81e3",
        "document/002-ea63de0b34895f6a",
        "document/003-198b1540c556add8",
        "document/004-5d77c78d8aa387dd",
        "ontology",
        "practices",
        "table/table-bip-local-authorities",
        "table/table-eic-figure1-gcse",
        "table/table-eic-local-authorities",
        "table/table-outstanding-primary-2009",
        "table/table-outstanding-secondary-2009",
        "table/table-oxfordshire-outcomes-2017-12-31",
    ]


def test_build_passes_shacl(built: Built) -> None:
    assert built.summary.shacl is not None and built.summary.shacl.conforms


def test_school_with_urn_gets_gov_same_as() -> None:
    from schoolkg.mapping.findings import entity_iri, extraction_quads
    from schoolkg.model import Document, Entity, Extraction

    ex = Extraction(
        Document("d", "d.txt", "x", "0" * 64), entities=[Entity("s", "School", "Hill School", urn="123456")]
    )
    quads = list(extraction_quads(ex, {}))
    assert entity_iri(ex.entities[0]) == "https://w3id.org/schoolkg/id/school/123456"
    same = [q.object.value for q in quads if q.predicate.value.endswith("#sameAs")]
    assert same == ["http://education.data.gov.uk/id/school/123456"]
