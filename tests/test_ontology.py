"""The ontology files: labels and definitions everywhere, the thesaurus, vocab.py, and HermiT."""

from __future__ import annotations

import shutil

import pytest
from rdflib import OWL, RDF, RDFS, SKOS, Graph, Namespace, URIRef

from schoolkg.resources import ontology_dir
from schoolkg.vocab_gen import render_vocab

SKG = Namespace("https://w3id.org/schoolkg/ontology#")


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


def test_thesaurus_has_sixty_concepts_under_nine_themes_with_both_polarities() -> None:
    g = _graph("practices.ttl")
    concepts = set(g.subjects(SKG.polarity, None))
    assert len(concepts) >= 60
    themes = set(g.objects(None, SKOS.hasTopConcept))
    assert len(themes) == 9
    for c in concepts:
        assert (c, SKOS.broader, None) in g and set(g.objects(c, SKOS.broader)) <= themes
        for p in (SKOS.prefLabel, SKOS.definition, SKOS.notation, SKOS.note):
            assert (c, p, None) in g, (c, p)
    weak = set(g.subjects(SKG.polarity, SKG.weakness))
    assert len(weak) >= 20 and len(concepts - weak) >= 30


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
