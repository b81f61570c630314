"""Extract everything from one document: entities, participations, findings, judgements."""

from __future__ import annotations

from schoolkg.extract.entities import find_main_school, main_local_authority
from schoolkg.extract.gazetteer import Gazetteer
from schoolkg.extract.judgements import find_judgements
from schoolkg.extract.practices import find_practices
from schoolkg.extract.thesaurus import Thesaurus
from schoolkg.ingest.segment import content_start, segment
from schoolkg.model import Document, Entity, Extraction, Finding, Judgement, Participation

__all__ = ["DOCUMENT_SUBJECT", "extract_document"]

# Subject id for findings a source reports about a group it does not name (e.g. "these schools").
DOCUMENT_SUBJECT = "document"


def extract_document(doc: Document, thesaurus: Thesaurus, gazetteer: Gazetteer) -> Extraction:
    """Read ``doc`` and return what it says, every item with its quote and offsets."""
    out = Extraction(doc)
    text = doc.text
    body = text[content_start(text) :]
    entities: dict[str, Entity] = {}
    main: Entity | None = None
    if doc.kind in ("inspection_letter", "inspection_report"):
        main = find_main_school(body, gazetteer)
    elif doc.kind == "council_report":
        la = main_local_authority(body, gazetteer)
        if la:
            main = Entity(id="la-1", type="LocalAuthority", name=la)
    if main is not None:
        entities[main.id] = main
        if main.type == "School" and main.local_authority:
            la_ent = Entity(id="la-1", type="LocalAuthority", name=main.local_authority)
            entities[la_ent.id] = la_ent
    sentences = segment(text)
    programme_ids: dict[str, str] = {}

    def programme_entity(iri: str, name: str) -> str:
        if iri not in programme_ids:
            pid = f"programme-{len(programme_ids) + 1}"
            programme_ids[iri] = pid
            entities[pid] = Entity(id=pid, type="Programme", name=name)
        return programme_ids[iri]

    section_programme: dict[str, str | None] = {}
    title_progs = list(gazetteer.find_programmes(doc.title))
    default_prog = title_progs[0][0] if title_progs else None
    seen_participation: set[str] = set()
    for sent in sentences:
        progs = list(gazetteer.find_programmes(sent.text))
        if sent.section not in section_programme:
            sec = list(gazetteer.find_programmes(sent.section))
            section_programme[sent.section] = sec[0][0].iri if sec else None
        intro_progs = list(gazetteer.find_programmes(sent.intro)) if sent.intro else []
        # Who the sentence is about.
        if main is not None:
            subject = main.id
        else:
            prog = (
                progs[0][0]
                if progs
                else intro_progs[0][0]
                if intro_progs
                else gazetteer.programmes.get(section_programme[sent.section] or "") or default_prog
            )
            subject = programme_entity(prog.iri, prog.name) if prog else DOCUMENT_SUBJECT
        for prog, _ps, _pe in progs:
            pid = programme_entity(prog.iri, prog.name)
            if main is not None and prog.iri not in seen_participation:
                seen_participation.add(prog.iri)
                out.participations.append(Participation(main.id, pid, sent.text, sent.start, sent.end))
        for concept, polarity, _s, _e, qs, qe in find_practices(sent, thesaurus):
            out.findings.append(
                Finding(
                    subject=subject,
                    practice=concept.iri,
                    practice_label=concept.label,
                    polarity=polarity,
                    quote=text[qs:qe],
                    start=qs,
                    end=qe,
                    section=sent.section,
                )
            )
        for area, grade, label, js, je in find_judgements(sent):
            judged = main.id if main is not None else subject
            out.judgements.append(Judgement(judged, area, grade, label, doc.published, text[js:je], js, je))
    out.entities = list(entities.values())
    if not out.findings:
        out.warnings.append(f"{doc.path}: no practices found")
    return out
