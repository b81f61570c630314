"""What a document is and whom it is about: its format, the inspected school (or LA), the
inspection it reports, and its judgements mapped to that subject (issue 14, items 1-3).

:func:`identify` is called once per document by :func:`schoolkg.extract.document.extract_document`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from schoolkg.extract.details import find_fields
from schoolkg.extract.formats import detect_format, framework_of, inspection_type_of
from schoolkg.extract.gazetteer import Gazetteer
from schoolkg.extract.judgements import find_judgements
from schoolkg.extract.school import find_inspection, find_la_subject, find_school
from schoolkg.model import Entity, Inspection, Judgement, SegmentedDocument

__all__ = ["Identity", "identify", "judgements_of"]

_SCHOOL_FORMATS = {"s5-2005", "s5-2009", "s5-2012", "s5-2015", "short-2015", "eif-full", "eif-ungraded",
                   "monitoring", "report-card", "survey-letter"}  # fmt: skip


@dataclass
class Identity:
    """A document's format and inspection, the entity it is about (None for a survey of unnamed
    schools), further entities to record (the school's LA), and warnings for the user."""

    inspection: Inspection
    subject: Entity | None
    entities: list[Entity] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    previous_span: tuple[int, int] | None = None  # where the previous inspection's date is stated


def identify(seg: SegmentedDocument, gazetteer: Gazetteer) -> Identity:
    """Detect the format, find the school (or LA) and the inspection of a segmented document."""
    doc, body = seg.document, seg.body
    fields = find_fields(body[:40000])
    inspection = find_inspection(body, fields)
    fmt = detect_format(body, inspection.start_date or doc.published)
    inspection = replace(
        inspection, format=fmt, framework=framework_of(fmt), type=inspection_type_of(fmt) if fmt else None
    )
    subject: Entity | None = None
    entities: list[Entity] = []
    warnings: list[str] = []
    if fmt == "la-inspection" or (fmt is None and doc.kind == "council_report"):
        subject = find_la_subject(body, gazetteer)
        if subject is None:
            from schoolkg.extract.entities import main_local_authority

            name = main_local_authority(body, gazetteer)
            subject = Entity(id="la-1", type="LocalAuthority", name=name) if name else None
    elif fmt in _SCHOOL_FORMATS or (fmt is None and doc.kind in ("inspection_letter", "inspection_report")):
        subject = find_school(body, gazetteer, fields)
        if subject is None:
            warnings.append(f"{doc.path}: the inspected school could not be identified (no name found)")
        elif subject.local_authority:
            entities.append(Entity(id="la-1", type="LocalAuthority", name=subject.local_authority))
        if subject is not None and not subject.urn and fmt not in ("survey-letter",):
            warnings.append(f"{doc.path}: no URN found for {subject.name}; its IRI is minted from its name")
    if subject is not None:
        entities.insert(0, subject)
    prev = fields.get("previous_date")
    span = (seg.body_start + prev.start, seg.body_start + prev.end) if prev else None
    return Identity(inspection, subject, entities, warnings, span)


def judgements_of(seg: SegmentedDocument, identity: Identity) -> list[Judgement]:
    """The document's judgements of its subject, current and previous, in reading order."""
    text = seg.document.text
    insp = identity.inspection
    date = insp.start_date or seg.document.published
    subject = identity.subject.id if identity.subject is not None else "document"
    if identity.subject is None:
        return []
    out = []
    found = find_judgements(text, seg.body_start, insp.format, date)
    for j in found:
        when = (j.date or insp.previous_date) if j.previous else date
        out.append(
            Judgement(
                subject,
                j.area,
                j.grade,
                j.label or "",
                when,
                text[j.start : j.end],
                j.start,
                j.end,
                scale=j.scale,
                previous=j.previous,
            )  # fmt: skip
        )
    if insp.previous_date and not any(j.previous for j in out) and insp.format not in ("survey-letter", None):
        # the previous inspection's date without its grade ("Date of previous school inspection 10 March 2003")
        s, e = identity.previous_span or (seg.body_start, seg.body_start)
        out.append(
            Judgement(subject, "overall effectiveness", None, "", insp.previous_date, text[s:e], s, e, previous=True)
        )
    return out
