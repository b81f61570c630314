"""Mint IRIs: the only place data becomes an IRI. Same input, same IRI."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from schoolkg.errors import InputError
from schoolkg.vocab import BASE

__all__ = [
    "AGGREGATES_ACTIVITY",
    "GRAPH_AGGREGATES",
    "GRAPH_ANALYSIS",
    "GRAPH_ONTOLOGY",
    "GRAPH_PRACTICES",
    "ID",
    "OFSTED",
    "PRACTICE_BASE",
    "PROGRAMME_BASE",
    "aggregate_graph",
    "analysis_iri",
    "association_iri",
    "derived_graph",
    "document_graph",
    "document_iri",
    "extension_graph",
    "figure_iri",
    "finding_iri",
    "gov_school_iri",
    "group_iri",
    "improvement_iri",
    "inspection_iri",
    "judgement_iri",
    "la_iri",
    "link_candidate_iri",
    "measure_iri",
    "participation_iri",
    "practice_pair_iri",
    "practice_polarity_iri",
    "partnership_iri",
    "report_summary_iri",
    "school_iri",
    "school_name_iri",
    "school_summary_iri",
    "slug",
    "table_graph",
]

ID = f"{BASE}id/"
PRACTICE_BASE = f"{BASE}practice/"
PROGRAMME_BASE = f"{BASE}programme/"
GRAPH_ONTOLOGY = f"{BASE}graph/ontology"
GRAPH_PRACTICES = f"{BASE}graph/practices"
OFSTED = f"{ID}org/ofsted"
"""The inspectorate every Ofsted judgement's inspection is by."""


def slug(text: str) -> str:
    """Return a lower-case, hyphenated ASCII slug of ``text``.

    >>> slug("St Mary's C of E Primary School, Leigh-on-Sea")
    'st-marys-c-of-e-primary-school-leigh-on-sea'
    """
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    ascii_ = re.sub(r"['’`]", "", ascii_.lower())
    out = re.sub(r"[^a-z0-9]+", "-", ascii_).strip("-")
    if not out:
        raise InputError(f"cannot make an identifier from {text!r}")
    return out


def school_iri(urn: str) -> str:
    """IRI of the school with DfE URN ``urn`` (six digits).

    >>> school_iri("114820")
    'https://w3id.org/schoolkg/id/school/114820'
    """
    if not (urn.isdigit() and len(urn) == 6):
        raise InputError(f"not a 6-digit URN: {urn!r}", field="URN")
    return f"{ID}school/{urn}"


def gov_school_iri(urn: str) -> str:
    """The government's own linked-data IRI for a school (for owl:sameAs)."""
    school_iri(urn)
    return f"http://education.data.gov.uk/id/school/{urn}"


def school_name_iri(name: str, place: str | None) -> str:
    """Stable IRI for a school known only by name (and place): flagged for linking.

    >>> school_name_iri("Blenheim Primary School", "Leigh-on-sea")
    'https://w3id.org/schoolkg/id/school/name/blenheim-primary-school--leigh-on-sea'
    """
    key = slug(name) + (f"--{slug(place)}" if place else "")
    return f"{ID}school/name/{key}"


def la_iri(name: str) -> str:
    """IRI of a local authority from its (normalised) name.

    >>> la_iri("Kingston upon Hull, City of")
    'https://w3id.org/schoolkg/id/la/kingston-upon-hull-city-of'
    """
    return f"{ID}la/{slug(name)}"


def partnership_iri(programme: str, la_name: str) -> str:
    """IRI of a programme's partnership in a local authority."""
    return f"{ID}partnership/{slug(programme)}/{slug(la_name)}"


def document_iri(doc_id: str) -> str:
    """IRI of a source document or table."""
    return f"{ID}document/{doc_id}"


def group_iri(doc_id: str) -> str:
    """IRI of the unnamed group of schools a document (a survey) reports on without naming them."""
    return f"{ID}group/{doc_id}"


def document_graph(doc_id: str) -> str:
    """Named graph holding what was read from one document."""
    return f"{BASE}graph/document/{doc_id}"


def extension_graph(name: str) -> str:
    """Named graph holding a user's ontology extension file (``corpus/ontology/{name}.ttl``).

    >>> extension_graph("Mentoring Terms")
    'https://w3id.org/schoolkg/graph/extension/mentoring-terms'
    """
    return f"{BASE}graph/extension/{slug(name)}"


def table_graph(table_id: str) -> str:
    """Named graph holding what was read from one table."""
    return f"{BASE}graph/table/{table_id}"


def finding_iri(doc_id: str, start: int, end: int, practice_iri: str, subject_iri: str) -> str:
    """IRI of a finding: its document, quote offsets, practice and subject."""
    practice = practice_iri.rsplit("/", 1)[-1]
    subj = slug(subject_iri.split("/id/", 1)[-1])
    return f"{ID}finding/{doc_id}/{start}-{end}/{practice}/{subj}"


def judgement_iri(source_id: str, subject_iri: str, area: str, date: str | None) -> str:
    """IRI of a judgement of ``area`` about a subject on a date, from one source."""
    subj = slug(subject_iri.split("/id/", 1)[-1])
    return f"{ID}judgement/{source_id}/{subj}/{slug(area)}/{date or 'undated'}"


def figure_iri(source_id: str, key: str) -> str:
    """IRI of an observation read from a source; ``key`` is unique within the source."""
    return f"{ID}observation/{source_id}/{slug(key)}"


def measure_iri(name: str) -> str:
    """IRI of a measure from its name."""
    return f"{ID}measure/{slug(name)}"


def derived_graph(name: str) -> str:
    """Named graph of statements schoolkg inferred (never asserted by a source).

    >>> derived_graph("programme-areas")
    'https://w3id.org/schoolkg/graph/derived/programme-areas'
    """
    return f"{BASE}graph/derived/{slug(name)}"


def inspection_iri(number: str) -> str:
    """IRI of an Ofsted inspection from its inspection number.

    >>> inspection_iri("10033095")
    'https://w3id.org/schoolkg/id/inspection/ofsted-10033095'
    """
    return f"{ID}inspection/ofsted-{slug(number)}"


def improvement_iri(before_iri: str, after_iri: str) -> str:
    """IRI of the change between two judgements or observations (from their IRIs)."""
    a, b = (slug(x.split("/id/", 1)[-1]) for x in (before_iri, after_iri))
    return f"{ID}improvement/{a}--{b}"


def link_candidate_iri(named_iri: str, candidate_iri: str) -> str:
    """IRI of a proposed identity link from a name-only school to a register school."""
    a, b = (slug(x.split("/id/", 1)[-1]) for x in (named_iri, candidate_iri))
    return f"{ID}link-candidate/{a}--{b}"


def succession_iri(old_iri: str, new_iri: str) -> str:
    """IRI of one establishment replacing another (GIAS links), from the two schools' IRIs.

    >>> succession_iri(school_iri("114837"), school_iri("143337"))
    'https://w3id.org/schoolkg/id/succession/114837--143337'
    """
    a, b = (x.rsplit("/", 1)[-1] for x in (old_iri, new_iri))
    return f"{ID}succession/{slug(a)}--{slug(b)}"


def participation_iri(subject_iri: str, programme_iri: str, source_id: str) -> str:
    """IRI of a participation of a subject in a programme, as stated by one source."""
    subj = slug(subject_iri.split("/id/", 1)[-1])
    prog = programme_iri.rsplit("/", 1)[-1]
    return f"{ID}participation/{source_id}/{subj}/{prog}"


GRAPH_ANALYSIS = f"{BASE}graph/analysis"

GRAPH_AGGREGATES = f"{BASE}graph/aggregates/"
"""The prefix of the precomputed aggregate graphs a build writes (issue 19)."""
AGGREGATES_ACTIVITY = f"{ID}activity/aggregates"
"""The build step that computes the aggregate graphs."""


def aggregate_graph(name: str) -> str:
    """Named graph of one kind of precomputed aggregate (recomputed by every build and ingest).

    >>> aggregate_graph("cooccurrence")
    'https://w3id.org/schoolkg/graph/aggregates/cooccurrence'
    """
    return f"{GRAPH_AGGREGATES}{slug(name)}"


def practice_pair_iri(context: str, practice_a: str, practice_b: str) -> str:
    """IRI of the co-occurrence count of two practices in one kind of context.

    >>> practice_pair_iri("document", PRACTICE_BASE + "a-b", PRACTICE_BASE + "c")
    'https://w3id.org/schoolkg/id/aggregate/cooccurrence/document/a-b--c'
    """
    return (
        f"{ID}aggregate/cooccurrence/{_slug_cached(context)}/{_practice_key(practice_a)}--{_practice_key(practice_b)}"
    )


def report_summary_iri(school: str, document: str) -> str:
    """IRI of what one document reports of one school (the ``reports`` aggregate).

    >>> report_summary_iri(school_iri("114837"), document_iri("004-5d77"))
    'https://w3id.org/schoolkg/id/aggregate/report/document--004-5d77/school--114837'
    """
    a, b = ("--".join(slug(part) for part in x.split("/id/", 1)[-1].split("/") if part) for x in (document, school))
    return f"{ID}aggregate/report/{a}/{b}"


def practice_polarity_iri(practice: str, polarity: str) -> str:
    """IRI of a practice as reported with one polarity (the ``reports`` aggregate).

    >>> practice_polarity_iri(PRACTICE_BASE + "a-b", "https://w3id.org/schoolkg/ontology#strength")
    'https://w3id.org/schoolkg/id/aggregate/practice-polarity/a-b/strength'
    """
    return f"{ID}aggregate/practice-polarity/{_practice_key(practice)}/{_slug_cached(re.split('[#/]', polarity)[-1])}"


def school_summary_iri(subject: str, kind: str, key: str) -> str:
    """IRI of the summary of one subject's judgements of an area, or its participation in a programme
    (``kind``: ``area`` or ``programme``; ``key``: the area's or programme's IRI).

    >>> school_summary_iri(ID + "school/123166", "area", "https://w3id.org/schoolkg/ontology#achievement")
    'https://w3id.org/schoolkg/id/aggregate/school/school-123166/area/achievement'
    """
    subj = slug(subject.split("/id/", 1)[-1])
    return f"{ID}aggregate/school/{subj}/{_slug_cached(kind)}/{_local_key(key)}"


@lru_cache(maxsize=4096)
def _local_key(iri: str) -> str:
    return slug(re.split(r"[/#]", iri)[-1])


@lru_cache(maxsize=4096)
def _practice_key(practice: str) -> str:
    return slug(practice.removeprefix(PRACTICE_BASE))


@lru_cache(maxsize=64)
def _slug_cached(text: str) -> str:
    return slug(text)


def analysis_iri(run_id: str) -> str:
    """IRI of one run of ``schoolkg analyse`` (issue 7).

    >>> analysis_iri("grade-20260101T000000")
    'https://w3id.org/schoolkg/id/analysis/grade-20260101t000000'
    """
    return f"{ID}analysis/{slug(run_id)}"


def association_iri(run_id: str, feature: str, feature_b: str = "") -> str:
    """IRI of the association of a feature (or a pair) with improvement in one analysis run."""
    key = slug(feature) + (f"--{slug(feature_b)}" if feature_b else "")
    return f"{analysis_iri(run_id)}/{key}"
