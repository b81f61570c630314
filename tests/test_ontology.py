"""The ontology files: labels and definitions everywhere, the thesaurus, vocab.py, and HermiT."""

from __future__ import annotations

import shutil

import pytest
from rdflib import OWL, RDF, RDFS, SKOS, Graph, Namespace, URIRef

from schoolkg.resources import ontology_dir
from schoolkg.vocab_gen import render_vocab

SKG = Namespace("https://w3id.org/schoolkg/ontology#")
PR = Namespace("https://w3id.org/schoolkg/practice/")


def _graph(name: str) -> Graph:
    return Graph().parse(ontology_dir() / name)


def test_every_class_and_property_has_label_and_definition() -> None:
    g = _graph("schoolkg.ttl")
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    terms = {s for k in kinds for s in g.subjects(RDF.type, k) if isinstance(s, URIRef)}
    assert len(terms) > 60
    missing = [t for t in terms if (t, RDFS.label, None) not in g or (t, SKOS.definition, None) not in g]
    assert missing == []


def test_required_classes_and_programmes_exist() -> None:
    g = _graph("schoolkg.ttl")
    for cls in (
        "School",
        "LocalAuthority",
        "Partnership",
        "Programme",
        "Participation",
        "Finding",
        "Inspection",
        "Judgement",
        "Observation",
        "Improvement",
    ):
        assert (SKG[cls], RDF.type, OWL.Class) in g, cls
    progs = {str(s).rsplit("/", 1)[-1] for s in g.subjects(RDF.type, SKG.Programme)}
    progs |= {str(s).rsplit("/", 1)[-1] for s in g.subjects(RDF.type, SKG.Strand)}
    assert {
        "eic",
        "lig",
        "bip",
        "eic-city-learning-centres",
        "eic-learning-mentors",
        "eic-learning-support-units",
        "eic-gifted-and-talented",
        "excellence-clusters",
        "sure-start",
        "pupil-premium",
    } <= progs


def test_thesaurus_has_the_gold_themes_as_top_concepts_and_every_concept_under_one() -> None:
    g = _graph("practices.ttl")
    themes = set(g.objects(None, SKOS.hasTopConcept))
    keys = {str(g.value(t, SKOS.notation)) for t in themes}
    assert keys == {
        "leadership", "governance", "self-evaluation", "curriculum", "teaching", "assessment", "reading",
        "mathematics", "send", "disadvantaged", "attendance", "behaviour", "bullying", "exclusions",
        "personal-development", "careers", "early-years", "sixth-form", "subject-leadership", "staff-development",
        "workload", "safeguarding", "pastoral", "partnership", "parents", "achievement", "resources",
    }  # fmt: skip
    # the seed themes keep their IRIs (the graph, queries and pages use them)
    for local in ("leadership", "monitoring", "teaching", "inclusion", "partnership", "parents", "behaviour",
                  "staffing", "funding"):  # fmt: skip
        assert PR[f"theme-{local}"] in themes
    concepts = set(g.subjects(SKOS.broader, None))
    assert len(concepts) >= 150
    for c in concepts:
        assert set(g.objects(c, SKOS.broader)) <= themes, c
        for p in (SKOS.prefLabel, SKOS.definition, SKOS.notation, SKOS.note):
            assert (c, p, None) in g, (c, p)
    for t in themes:
        assert len(set(g.objects(t, SKOS.hiddenLabel))) >= 5, t  # the theme's own matching fragments
    weak = set(g.subjects(SKG.polarity, SKG.weakness))
    assert len(weak) >= 20 and len(set(g.subjects(SKG.polarity, SKG.strength))) >= 30


def test_outcomes_are_outcome_concepts_and_eef_matches_are_toolkit_strands() -> None:
    g = _graph("practices.ttl")
    outcomes = set(g.subjects(RDF.type, SKG.OutcomeConcept))
    assert {PR["narrowing-the-achievement-gap"], PR["improving-attendance"]} <= outcomes
    eef = "https://educationendowmentfoundation.org.uk/education-evidence/teaching-learning-toolkit/"
    matches = list(g.objects(None, SKOS.closeMatch))
    assert len(matches) >= 10 and all(str(m).startswith(eef) for m in matches)
    assert URIRef(eef + "phonics") in set(g.objects(PR["phonics-teaching"], SKOS.closeMatch))


def test_vocab_is_generated_from_ontology() -> None:
    from schoolkg import vocab

    expected = render_vocab(ontology_dir() / "schoolkg.ttl")
    from pathlib import Path

    assert Path(vocab.__file__).read_text(encoding="utf-8") == expected, "run: python -m schoolkg.vocab_gen"
    with pytest.raises(AttributeError):
        vocab.SKG.practise  # noqa: B018  (a typo must not mint an IRI)


@pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs Java (installed by .ci/run)")
def test_hermit_finds_ontology_consistent() -> None:
    from schoolkg.validate.owl import check_consistency

    report = check_consistency([ontology_dir() / "practices.ttl"])
    assert report.consistent, report.message
    assert report.unsatisfiable == ()


def test_ontology_doc_is_current() -> None:
    from pathlib import Path

    from schoolkg.ontology_doc import render_ontology_doc

    doc = Path(__file__).resolve().parents[1] / "docs" / "ontology.md"
    folder = ontology_dir()
    expected = render_ontology_doc(folder / "schoolkg.ttl", folder / "practices.ttl")
    assert doc.read_text(encoding="utf-8") == expected, "run: python -m schoolkg.ontology_doc"
