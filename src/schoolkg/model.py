"""Plain data passed between stages: documents, passages and what extraction finds."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "DOCUMENT_KINDS",
    "Document",
    "Entity",
    "Extraction",
    "Figure",
    "Finding",
    "Inspection",
    "Judgement",
    "Participation",
    "SegmentedDocument",
    "Sentence",
    "SkippedRow",
]

DOCUMENT_KINDS = (
    "inspection_report",
    "inspection_letter",
    "survey_report",
    "council_report",
    "press_release",
    "other",
)


@dataclass(frozen=True)
class Document:
    """A source document: its normalised text and what we know about it."""

    id: str
    path: str
    text: str
    sha256: str
    title: str = ""
    publisher: str | None = None
    published: str | None = None
    kind: str = "other"


@dataclass(frozen=True)
class Sentence:
    """A sentence or list item of a document, with absolute offsets and its section."""

    start: int
    end: int
    text: str
    section: str = ""
    intro: str = ""


@dataclass(frozen=True)
class SegmentedDocument:
    """A document cut into sentences by ingest: what the extractors read.

    ``body_start`` is the offset where the document's own text begins (after a scraped
    page's preamble); every sentence lies after it, with offsets into ``document.text``.
    """

    document: Document
    body_start: int
    sentences: tuple[Sentence, ...]

    @property
    def body(self) -> str:
        """The document's own text, from ``body_start`` on."""
        return self.document.text[self.body_start :]


@dataclass(frozen=True)
class Entity:
    """A school, local authority, partnership, programme or other organisation named."""

    id: str
    type: str
    name: str
    urn: str | None = None
    local_authority: str | None = None
    town: str | None = None
    laestab: str | None = None
    postcode: str | None = None
    phase: str | None = None  # primary|secondary|all-through|special|nursery|pru
    school_type: str | None = None  # the document's category wording, lower case ("academy converter")


@dataclass(frozen=True)
class Participation:
    """A subject taking part in a programme, as a source says."""

    subject: str
    programme: str
    quote: str
    start: int
    end: int


@dataclass(frozen=True)
class Finding:
    """An evaluative statement about a subject: a strength, a weakness or a recommendation.

    ``kind`` is ``practice`` (what leaders, staff or the provision do), ``outcome`` (what pupils
    achieve, how they behave or attend) or ``recommendation`` (what the subject should do to
    improve; always a weakness). ``theme`` is a theme key of the practice thesaurus (or
    ``unclassified``); ``practice`` the thesaurus concept the statement names, or None.
    """

    subject: str
    practice: str | None
    practice_label: str | None
    polarity: str
    quote: str
    start: int
    end: int
    section: str = ""
    programme: str | None = None  # entity id of the programme or strand the passage is about
    kind: str = "practice"
    theme: str = "unclassified"


@dataclass(frozen=True)
class Judgement:
    """A graded judgement of one area of a subject on a date, on a named scale.

    ``previous`` marks the previous inspection's judgement as the document states it (its
    ``date`` is that inspection's, when stated); ``grade_label`` is empty when the document
    gives the previous inspection's date but not its grade.
    """

    subject: str
    area: str
    grade: int | None
    grade_label: str
    date: str | None
    quote: str
    start: int
    end: int
    scale: str = ""
    previous: bool = False


@dataclass(frozen=True)
class Inspection:
    """The inspection a document reports: format and framework keys, type, dates and number."""

    format: str | None = None
    framework: str | None = None
    type: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    number: str | None = None
    previous_date: str | None = None


@dataclass(frozen=True)
class Figure:
    """A number a document states: a measure's value for a subject or group in a period."""

    subject: str
    measure: str
    value: float
    unit: str
    period: str | None
    comparison_group: str | None
    quote: str
    start: int
    end: int


@dataclass
class Extraction:
    """Everything read from one document."""

    document: Document
    entities: list[Entity] = field(default_factory=list)
    participations: list[Participation] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    judgements: list[Judgement] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    inspection: Inspection = field(default_factory=Inspection)
    subject: str | None = None  # entity id of the school (or LA) the document is about


@dataclass(frozen=True)
class SkippedRow:
    """A row left out under ``--on-error skip``, with why."""

    path: str
    line: int
    problem: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.problem}"
