"""Benchmark data: synthetic N-Quads at a given number of schools, optionally with a national history.

``schoolkg synth`` gives each school two inspections, one report with its findings and the
improvement between them (about 210 triples a school). For the national scale,
:func:`write_history` appends what an England-sized graph also holds, in the
``docs/modelling.md`` patterns: more inspections so that they span 20 years (2005-2024), four
key judgements each, a report with findings per inspection, the overall-effectiveness
improvements between consecutive inspections, and KS2 or KS4 results (two measures a year for
20 years) as ``skg:Observation``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from schoolkg import iris
from schoolkg.synth.graph import thesaurus_practices, write_synth
from schoolkg.vocab import SKG

__all__ = ["SCALES", "Dataset", "count_lines", "make_dataset", "nq_literal", "write_history"]

#: Synthetic points measured at each ``--scale``, as (label, schools, with national history).
SCALES: dict[str, list[tuple[str, int, bool]]] = {
    "tiny": [("tiny", 30, False)],
    "small": [("300k", 1_400, False)],
    "medium": [("300k", 1_400, False), ("3M", 14_000, False)],
    "national": [("300k", 1_400, False), ("3M", 14_000, False), ("national", 22_000, True)],
}

_XSD = "http://www.w3.org/2001/XMLSchema#"
_RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_DCT_DATE = "<http://purl.org/dc/terms/date>"
_STARTED = "<http://www.w3.org/ns/prov#startedAtTime>"
_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
_NOTATION = "<http://www.w3.org/2004/02/skos/core#notation>"
_OFSTED = "<https://w3id.org/schoolkg/id/org/ofsted>"
_AREAS = ("overallEffectiveness", "qualityOfTeaching", "leadershipAndManagement", "achievement")
_MEASURES = {
    "ks2": (("PTRWM_EXP", "Percentage of pupils reaching the expected standard in reading, writing and maths"),
            ("READ_AVERAGE", "Average scaled score in reading")),
    "ks4": (("PTAC5EM", "Percentage of pupils gaining 5+ A*-C GCSEs including English and maths"),
            ("ATT8SCR", "Average Attainment 8 score")),
}  # fmt: skip


@dataclass(frozen=True)
class Dataset:
    """One generated benchmark graph: its label, N-Quads file and size."""

    label: str
    schools: int
    path: Path
    quads: int


def nq_literal(text: str, datatype: str | None = None) -> str:
    """An N-Quads literal for ``text`` (escaped), typed with an XSD local name if given.

    >>> nq_literal('say "hi"', "string")
    '"say \\\\"hi\\\\""^^<http://www.w3.org/2001/XMLSchema#string>'
    """
    body = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{body}"' + (f"^^<{_XSD}{datatype}>" if datatype else "")


def count_lines(path: Path) -> int:
    """Number of lines (quads) of an N-Quads file."""
    n = 0
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 24), b""):
            n += block.count(b"\n")
    return n


def make_dataset(folder: Path, label: str, schools: int, history: bool, seed: int = 9) -> Dataset:
    """Write ``folder/synth.nq`` (``schoolkg synth`` output, plus the national history if asked)."""
    path, _ = write_synth(folder, schools, seed)
    if history:
        with path.open("a", encoding="utf-8") as fh:
            write_history(fh, schools, seed)
    return Dataset(label, schools, path, count_lines(path))


def write_history(fh, schools: int, seed: int, findings: int = 15) -> None:
    """Append the national history of synthetic schools ``900000 ..`` to an open N-Quads text file.

    Per school: three more inspections (one in 2005-2009, two in 2019-2024), each with four key
    judgements, a report naming ``findings`` practices, the overall-effectiveness improvements
    between consecutive ones of them, and two KS2 (primary) or KS4 (secondary) measures for
    each year 2005/06 .. 2024/25.
    """
    rng = random.Random(seed)
    practices = thesaurus_practices()
    table_id = f"table-bench-history-{seed}"
    tg = f"<{iris.table_graph(table_id)}>"
    table = f"<{iris.document_iri(table_id)}>"
    w = fh.write
    w(f"{table} {_RDF_TYPE} <{SKG.Document}> {tg} .\n")
    w(f"{table} <{SKG.documentKind}> {nq_literal('table')} {tg} .\n")
    measures = {}
    for phase, pairs in _MEASURES.items():
        measures[phase] = []
        for notation, label in pairs:
            m = f"<{iris.measure_iri(notation)}>"
            measures[phase].append(m)
            w(f"{m} {_RDF_TYPE} <{SKG.Measure}> {tg} .\n{m} {_LABEL} {nq_literal(label)} {tg} .\n")
            w(f"{m} {_NOTATION} {nq_literal(notation)} {tg} .\n")
    grade = {1: SKG.outstanding, 2: SKG.good, 3: SKG.requiresImprovement, 4: SKG.inadequate}
    for k in range(schools):
        urn = f"{900000 + k:06d}"
        school = f"<{iris.school_iri(urn)}>"
        subj = f"school-{urn}"
        dates = [
            date(2005, 1, 3) + timedelta(days=rng.randrange(5 * 365)),
            date(2019, 1, 7) + timedelta(days=rng.randrange(2 * 365)),
            date(2021, 6, 1) + timedelta(days=rng.randrange(3 * 365)),
        ]
        overall = []
        for step, when in enumerate(dates, start=3):
            day = when.isoformat()
            insp = f"<{iris.inspection_iri(f'hist{urn}{step}')}>"
            w(f"{insp} {_RDF_TYPE} <{SKG.Inspection}> {tg} .\n{insp} <{SKG.inspected}> {school} {tg} .\n")
            w(f"{insp} <{SKG.inspectorate}> {_OFSTED} {tg} .\n")
            w(f"{insp} {_STARTED} {nq_literal(day + 'T00:00:00', 'dateTime')} {tg} .\n")
            for area in _AREAS:
                j = f"<{iris.ID}judgement/{table_id}/{subj}/{area.lower()}/{day}>"
                g = rng.choice((1, 2, 2, 2, 3, 3, 4))
                if area == "overallEffectiveness":
                    overall.append((j, g, when))
                w(f"{j} {_RDF_TYPE} <{SKG.Judgement}> {tg} .\n{j} <{SKG.about}> {school} {tg} .\n")
                w(f"{j} <{SKG.area}> <{SKG[area]}> {tg} .\n{j} <{SKG.grade}> <{grade[g]}> {tg} .\n")
                w(f"{j} {_DCT_DATE} {nq_literal(day, 'date')} {tg} .\n{j} <{SKG.inspection}> {insp} {tg} .\n")
                w(f"{j} <{SKG.source}> {table} {tg} .\n")
            _report(w, rng, practices, school, subj, urn, day, findings)
        for (j1, g1, d1), (j2, g2, d2) in zip(overall, overall[1:], strict=False):
            imp = f"<{iris.improvement_iri(j1[1:-1], j2[1:-1])}>"
            direction = SKG.improved if g2 < g1 else SKG.declined if g2 > g1 else SKG.stable
            w(f"{imp} {_RDF_TYPE} <{SKG.Improvement}> {tg} .\n{imp} <{SKG.about}> {school} {tg} .\n")
            w(f"{imp} <{SKG.before}> {j1} {tg} .\n{imp} <{SKG.after}> {j2} {tg} .\n")
            w(f"{imp} <{SKG.direction}> <{direction}> {tg} .\n")
            w(f"{imp} <{SKG.change}> {nq_literal(f'{g1 - g2}.0', 'decimal')} {tg} .\n")
            w(f"{imp} <{SKG.intervalDays}> {nq_literal(str((d2 - d1).days), 'integer')} {tg} .\n")
            w(f"{imp} <{SKG.source}> {table} {tg} .\n")
        phase = "ks2" if k % 3 else "ks4"
        for year in range(2005, 2025):
            period = f"{year}/{str(year + 1)[2:]}"
            for n, m in enumerate(measures[phase]):
                o = f"<{iris.ID}observation/{table_id}/{subj}-{phase}-{n}-{year}>"
                value = round(rng.uniform(30, 95), 1) if n == 0 or phase == "ks2" else round(rng.uniform(20, 70), 1)
                w(f"{o} {_RDF_TYPE} <{SKG.Observation}> {tg} .\n{o} <{SKG.about}> {school} {tg} .\n")
                w(f"{o} <{SKG.measure}> {m} {tg} .\n{o} <{SKG.value}> {nq_literal(str(value), 'decimal')} {tg} .\n")
                unit = SKG.percent if n == 0 else SKG.score
                w(f"{o} <{SKG.unit}> <{unit}> {tg} .\n{o} <{SKG.period}> {nq_literal(period)} {tg} .\n")
                w(f"{o} <{SKG.source}> {table} {tg} .\n")


def _report(w, rng, practices, school, subj, urn, day, findings) -> None:
    doc_id = f"hist-{urn}-{day}"
    doc, g = f"<{iris.document_iri(doc_id)}>", f"<{iris.document_graph(doc_id)}>"
    text = f"Inspection report for school {urn}, {day}."
    spans = []
    for iri, label, pol in rng.sample(practices, min(findings, len(practices))):
        lead = " Inspectors found " if pol == "strength" else " Inspectors were concerned about "
        start = len(text) + len(lead)
        text += f"{lead}{label}."
        spans.append((iri, pol, label, start))
    w(f"{doc} {_RDF_TYPE} <{SKG.Document}> {g} .\n")
    w(f"{doc} <{SKG.documentKind}> {nq_literal('inspection_report')} {g} .\n")
    w(f"{doc} <{SKG.sourcePath}> {nq_literal('synthetic:' + doc_id)} {g} .\n")
    w(f"{doc} <{SKG.text}> {nq_literal(text)} {g} .\n")
    for iri, pol, label, start in spans:
        end = start + len(label)
        f = f"<{iris.ID}finding/{doc_id}/{start}-{end}/{iri.rsplit('/', 1)[-1]}/{subj}>"
        polarity = SKG.strength if pol == "strength" else SKG.weakness
        w(f"{f} {_RDF_TYPE} <{SKG.Finding}> {g} .\n{f} <{SKG.about}> {school} {g} .\n")
        w(f"{f} <{SKG.practice}> <{iri}> {g} .\n{f} <{SKG.polarity}> <{polarity}> {g} .\n")
        w(f"{f} <{SKG.source}> {doc} {g} .\n{f} <{SKG.quote}> {nq_literal(label)} {g} .\n")
        w(f"{f} <{SKG.startOffset}> {nq_literal(str(start), 'integer')} {g} .\n")
        w(f"{f} <{SKG.endOffset}> {nq_literal(str(end), 'integer')} {g} .\n")
