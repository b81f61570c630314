"""Map one document's Extraction to quads in the document's own named graph."""

from __future__ import annotations

from collections.abc import Iterator

from pyoxigraph import Literal, NamedNode, Quad

from schoolkg import iris
from schoolkg.extract.document import DOCUMENT_SUBJECT
from schoolkg.mapping.judgements import inspection_quads
from schoolkg.mapping.terms import lit
from schoolkg.model import Entity, Extraction
from schoolkg.vocab import DCT, OWL, RDF, RDFS, SCHEMA, SKG

__all__ = ["KIND_TERMS", "THEME_CONCEPTS", "UNIT_TERMS", "extraction_quads", "entity_iri", "theme_iri"]

UNIT_TERMS = {
    "percent": SKG.percent,
    "percentage points": SKG.percentagePoints,
    "count": SKG.count,
    "number": SKG.count,
    "pounds": SKG.pounds,
    "score": SKG.score,
}
KIND_TERMS = {"practice": SKG.PracticeFinding, "outcome": SKG.OutcomeFinding, "recommendation": SKG.Recommendation}
"""A finding's kind (the JSON contract's ``kind``) -> its class."""

# Theme keys (the contract's ``theme``, skos:notation of the thesaurus's top concepts) -> concept
# local names; the seed themes keep their IRIs (tests/test_findings.py checks the thesaurus agrees).
THEME_CONCEPTS = {
    "self-evaluation": "theme-monitoring",
    "send": "theme-inclusion",
    "staff-development": "theme-staffing",
    "resources": "theme-funding",
}


def theme_iri(key: str) -> str:
    """IRI of the thesaurus theme a finding's ``theme`` key names.

    >>> theme_iri("send"), theme_iri("reading")
    ('https://w3id.org/schoolkg/practice/theme-inclusion', 'https://w3id.org/schoolkg/practice/theme-reading')
    """
    return f"{iris.PRACTICE_BASE}{THEME_CONCEPTS.get(key, 'theme-' + key)}"


def entity_iri(entity: Entity) -> str:
    """IRI of an extracted entity: URN-based for schools when known, else by name."""
    if entity.type == "School":
        if entity.urn:
            return iris.school_iri(entity.urn)
        return iris.school_name_iri(entity.name, entity.town or entity.local_authority)
    if entity.type == "LocalAuthority":
        return iris.la_iri(entity.name)
    if entity.type == "Partnership":
        return iris.partnership_iri("partnership", entity.name)
    return f"{iris.ID}org/{iris.slug(entity.name)}"


def extraction_quads(ex: Extraction, programme_iris: dict[str, str]) -> Iterator[Quad]:
    """Yield the quads for one document; ``programme_iris`` maps programme names to IRIs."""
    doc = ex.document
    g = NamedNode(iris.document_graph(doc.id))
    d = NamedNode(iris.document_iri(doc.id))

    def q(s: NamedNode, p: NamedNode, o: NamedNode | Literal) -> Quad:
        return Quad(s, p, o, g)

    yield q(d, RDF.type, SKG.Document)
    yield q(d, DCT.title, lit(doc.title))
    yield q(d, SKG.documentKind, lit(doc.kind))
    yield q(d, SKG.text, lit(doc.text))
    yield q(d, SKG.sourcePath, lit(doc.path))
    yield q(d, SKG.sha256, lit(doc.sha256))
    if doc.publisher:
        yield q(d, DCT.publisher, lit(doc.publisher))
    if doc.published:
        yield q(d, DCT.issued, lit(doc.published, "date"))

    # What a survey says of the schools it visited without naming them is about that unnamed group,
    # never about the document: the group takes part in the programmes, the document does not.
    group = NamedNode(iris.group_iri(doc.id))
    ids: dict[str, NamedNode] = {DOCUMENT_SUBJECT: group}
    if any(f.subject == DOCUMENT_SUBJECT for f in ex.findings) or any(
        p.subject == DOCUMENT_SUBJECT for p in ex.participations
    ):
        yield q(group, RDF.type, SKG.SchoolGroup)
        yield q(group, RDFS.label, lit(f"the schools {doc.title or doc.id} reports on"))
        yield q(group, SKG.source, d)
    for ent in ex.entities:
        if ent.type == "Programme":
            ids[ent.id] = NamedNode(programme_iris[ent.name])
            yield q(d, SKG.mentions, ids[ent.id])
            continue
        node = NamedNode(entity_iri(ent))
        ids[ent.id] = node
        yield q(d, SKG.mentions, node)
        cls = {"School": SKG.School, "LocalAuthority": SKG.LocalAuthority}.get(ent.type)
        if cls:
            yield q(node, RDF.type, cls)
        yield q(node, SCHEMA.name, lit(ent.name))
        yield q(node, RDFS.label, lit(ent.name))
        if ent.type == "School":
            if ent.urn:
                yield q(node, SKG.urn, lit(ent.urn))
                yield q(node, OWL.sameAs, NamedNode(iris.gov_school_iri(ent.urn)))
            else:
                yield q(node, SKG.needsLinking, lit(True))
            if ent.town:
                yield q(node, SKG.town, lit(ent.town))
            if ent.postcode:
                yield q(node, SKG.postcode, lit(ent.postcode))
            if ent.phase:
                yield q(node, SKG.phaseOfEducation, lit(ent.phase))
            if ent.school_type:
                yield q(node, SKG.establishmentType, lit(ent.school_type))
            if ent.local_authority:
                yield q(node, SKG.localAuthority, NamedNode(iris.la_iri(ent.local_authority)))

    def evidence(node: NamedNode, quote: str, start: int, end: int) -> Iterator[Quad]:
        yield q(node, SKG.source, d)
        yield q(node, SKG.quote, lit(quote))
        yield q(node, SKG.startOffset, lit(start))
        yield q(node, SKG.endOffset, lit(end))

    for f in ex.findings:
        subj = ids[f.subject]
        theme = theme_iri(f.theme)
        node = NamedNode(iris.finding_iri(doc.id, f.start, f.end, f.practice or theme, subj.value))
        yield q(node, RDF.type, SKG.Finding)
        yield q(node, RDF.type, KIND_TERMS[f.kind])
        yield q(node, SKG.about, subj)
        if f.practice:
            yield q(node, SKG.practice, NamedNode(f.practice))
        yield q(node, SKG.theme, NamedNode(theme))
        yield q(node, SKG.polarity, SKG.strength if f.polarity == "strength" else SKG.weakness)
        if f.section:
            yield q(node, SKG.section, lit(f.section))
        if f.programme is not None and f.programme in ids:
            yield q(node, SKG.concerns, ids[f.programme])
        yield from evidence(node, f.quote, f.start, f.end)

    for p in ex.participations:
        subj, prog = ids[p.subject], ids[p.programme]
        node = NamedNode(iris.participation_iri(subj.value, prog.value, doc.id))
        yield q(node, RDF.type, SKG.Participation)
        yield q(node, SKG.participant, subj)
        yield q(node, SKG.programme, prog)
        yield from evidence(node, p.quote, p.start, p.end)

    yield from inspection_quads(ex, q, d, ids, evidence)  # mapping/judgements.py

    for fig in ex.figures:
        node = NamedNode(iris.figure_iri(doc.id, f"{fig.start}-{fig.end}-{fig.value:g}-{fig.unit}-{fig.measure}"))
        measure = NamedNode(iris.measure_iri(fig.measure))
        yield q(node, RDF.type, SKG.Observation)
        if fig.subject != DOCUMENT_SUBJECT:
            yield q(node, SKG.about, ids[fig.subject])
        yield q(node, SKG.measure, measure)
        yield q(measure, RDF.type, SKG.Measure)
        yield q(measure, RDFS.label, lit(fig.measure))
        yield q(node, SKG.value, lit(f"{fig.value:.6f}".rstrip("0").rstrip(".") or "0", "decimal"))
        yield q(node, SKG.unit, UNIT_TERMS[fig.unit])
        yield q(node, SKG.period, lit(fig.period or "unspecified"))
        if fig.comparison_group:
            yield q(node, SKG.comparisonGroup, lit(fig.comparison_group))
        yield from evidence(node, fig.quote, fig.start, fig.end)
