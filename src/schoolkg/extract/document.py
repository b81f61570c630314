"""Extract everything from one document: entities, participations, findings, judgements, figures."""

from __future__ import annotations

import re

from schoolkg.extract.figures import find_chart_values, find_figures
from schoolkg.extract.findings import find_findings
from schoolkg.extract.gazetteer import Gazetteer
from schoolkg.extract.identity import identify, judgements_of
from schoolkg.extract.subjects import ProgrammeContext
from schoolkg.extract.thesaurus import Thesaurus
from schoolkg.model import Entity, Extraction, Figure, Finding, Participation, SegmentedDocument, Sentence

__all__ = ["DOCUMENT_SUBJECT", "extract_document", "is_prose"]

_VERB = re.compile(
    r"\b(?:is|are|was|were|has|have|had|be|been|provides?|provided|uses?|used|takes?|took|receives?|received|"
    r"runs?|organises|makes|works?|helps?|supports?|supported|encourages|involves?|involved)\b",
    re.IGNORECASE,
)
_PAGE_REF = re.compile(r"[A-Za-z] \d{1,3}\b")


def is_prose(sentence: str) -> bool:
    """Whether a sentence is running prose (has a verb), not a title or a table of contents.

    Participations are evidenced by the first prose sentence naming the programme.

    >>> is_prose("Contents Executive summary 1 Key findings 6 Leadership Incentive Grant 16")
    False
    >>> is_prose("The Leadership Incentive Grant (LIG) has had a major impact.")
    True
    """
    return bool(_VERB.search(sentence)) and len(_PAGE_REF.findall(sentence)) < 3


# Subject id for findings a source reports about a group it does not name (e.g. "these schools").
DOCUMENT_SUBJECT = "document"


def extract_document(seg: SegmentedDocument, thesaurus: Thesaurus, gazetteer: Gazetteer) -> Extraction:
    """Read a segmented document and return what it says, every item with its quote and offsets."""
    doc = seg.document
    out = Extraction(doc)
    text = doc.text
    body = seg.body
    entities: dict[str, Entity] = {}
    identity = identify(seg, gazetteer)  # format, school or LA, inspection (extract/identity.py)
    main: Entity | None = identity.subject
    out.inspection, out.subject = identity.inspection, main.id if main is not None else None
    out.warnings.extend(identity.warnings)
    entities.update((e.id, e) for e in identity.entities)
    sentences = seg.sentences
    out.judgements.extend(judgements_of(seg, identity))
    if main is not None:
        front = _front_lines(text, seg.body_start, sentences)
        out.figures.extend(_figure(main.id, fig, text, s.start, s.end) for s in front for fig in find_figures(s))
    programme_ids: dict[str, str] = {}

    def programme_entity(iri: str, name: str) -> str:
        if iri not in programme_ids:
            pid = f"programme-{len(programme_ids) + 1}"
            programme_ids[iri] = pid
            entities[pid] = Entity(id=pid, type="Programme", name=name)
        return programme_ids[iri]

    # Who the findings are about: the school or LA the document reports on, else the group of
    # schools it surveys, which it does not name ("the schools visited"). The programmes a survey
    # names are what that group takes part in, not the subject of its findings.
    subject = main.id if main is not None else DOCUMENT_SUBJECT
    seen_participation: set[str] = set()
    title_progs = list(gazetteer.find_programmes(doc.title)) if main is None else []
    context = ProgrammeContext(gazetteer, text, title_progs[0][0] if title_progs else None)
    strands = {}  # sentence start -> the programme or strand its passage is about
    for sent in sentences:
        named = list(gazetteer.find_programmes(sent.text))  # read once: for the passage and the participations
        strands[sent.start] = context.of(sent, named)
        for prog, _ps, _pe in named:
            pid = programme_entity(prog.iri, prog.name)
            if prog.iri not in seen_participation and is_prose(sent.text):
                seen_participation.add(prog.iri)
                out.participations.append(Participation(subject, pid, sent.text, sent.start, sent.end))
        for fig in find_figures(sent):
            qs, qe = _figure_quote(sent, fig.start, fig.end)
            out.figures.append(_figure(subject, fig, text, qs, qe))
    for st, concept, kind, theme in find_findings(seg, thesaurus):
        concerns = strands.get(st.sentence.start)
        out.findings.append(
            Finding(
                subject=subject,
                practice=concept.iri if concept else None,
                practice_label=concept.label if concept else None,
                polarity=st.polarity,
                quote=text[st.start : st.end],
                start=st.start,
                end=st.end,
                section=st.sentence.section,
                programme=programme_entity(concerns.iri, concerns.name) if concerns else None,
                kind=kind,
                theme=theme,
            )
        )
    for fig in find_chart_values(body, seg.body_start):
        chart_subject = main.id if main is not None else DOCUMENT_SUBJECT
        out.figures.append(_figure(chart_subject, fig, text, fig.start, fig.end))
    out.entities = list(entities.values())
    if not out.findings:
        out.warnings.append(f"{doc.path}: no evaluative statements found")
    return out


def _figure(subject: str, fig, text: str, qs: int, qe: int) -> Figure:  # type: ignore[no-untyped-def]
    return Figure(
        subject=subject,
        measure=fig.measure,
        value=fig.value,
        unit=fig.unit,
        period=fig.period,
        comparison_group=fig.comparison_group,
        quote=text[qs:qe],
        start=qs,
        end=qe,
    )


def _figure_quote(sent: Sentence, start: int, end: int) -> tuple[int, int]:
    """The clause around a number: from the previous to the next ';' or ',' ... bounded by the sentence."""
    from schoolkg.extract.statements import quote_span

    return quote_span(sent, start, end)


def _front_lines(text: str, pos: int, sentences: tuple[Sentence, ...]) -> list[Sentence]:
    """The lines no sentence covers: headings and table rows such as 'Number of pupils  261'."""
    import bisect

    starts = sorted(s.start for s in sentences)
    out = []
    for m in re.finditer(r"[^\n]+", text[pos:]):
        ls, le = pos + m.start(), pos + m.end()
        i = bisect.bisect_left(starts, ls)
        if i < len(starts) and starts[i] < le:
            continue
        line = text[ls:le]
        lead = len(line) - len(line.lstrip())
        body = line.strip()
        if body:
            out.append(Sentence(ls + lead, ls + lead + len(body), body))
    return out
