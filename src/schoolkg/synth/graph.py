"""A synthetic schoolkg graph: LAs, EiC participation, schools, two inspections each, findings, improvements.

Follows ``docs/modelling.md``: findings quote a synthetic report text (``quote == text[start:end]``),
judgements and inspections as the Ofsted mappers write them, one ``skg:Improvement`` per school
between its two overall-effectiveness judgements. Practices are the concepts of
``ontology/practices.ttl`` with their usual polarity. By default (``history=True``) the
population comes from :func:`schoolkg.synth.model.simulate_histories`: a dated history of two
inspections per school, the report of inspection t (dated by its ``{doc}/inspection``) naming
the practices that may change the grade at t+1, for ``next_reports`` of the schools the report
of t+1 as well, baseline-dependent improvement, and each school's context (IDACI quintile,
pupils, phase, establishment type) as the outcomes tables give it. ``history=False`` gives the
earlier population of :func:`schoolkg.synth.model.simulate` (profiles and outcome only).
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterator, Mapping
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

import numpy as np
from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, parse, serialize

from schoolkg import iris
from schoolkg.errors import InputError, input_context
from schoolkg.mapping.aggregates import iter_aggregate_quads
from schoolkg.mapping.ontology import ontology_quads
from schoolkg.mapping.terms import lit
from schoolkg.resources import ontology_dir
from schoolkg.synth.model import (
    KS2_YEARS,
    SynthHistories,
    SynthProfiles,
    odds_ratio_of,
    points_of,
    simulate,
    simulate_histories,
    simulate_ks2,
)
from schoolkg.vocab import DCT, PROV, RDF, RDFS, SCHEMA, SKG, SKOS

__all__ = ["read_effects", "read_ks2_effects", "thesaurus_practices", "synth_quads", "write_synth"]

OFSTED = NamedNode(iris.OFSTED)
_GRADES = {1: SKG.outstanding, 2: SKG.good, 4: SKG.inadequate}
SCHOOLS_PER_LA = 150


def thesaurus_practices(path: Path | None = None) -> list[tuple[str, str, str]]:
    """``(iri, prefLabel, polarity local name)`` of every thesaurus concept with a polarity, sorted by IRI."""
    path = path or ontology_dir() / "practices.ttl"
    labels, pols = {}, {}
    for t in parse(path=str(path), format=RdfFormat.TURTLE):
        if t.predicate == SKOS.prefLabel:
            labels[t.subject.value] = t.object.value
        elif t.predicate == SKG.polarity:
            pols[t.subject.value] = t.object.value.rsplit("#", 1)[-1]
    return sorted((iri, labels[iri], pols[iri]) for iri in pols if iri in labels)


@lru_cache(maxsize=1)
def _themes() -> dict[str, str]:
    """Each thesaurus concept's theme (its skos:broader top concept): a finding records both (issue 14)."""
    return {
        t.subject.value: t.object.value
        for t in parse(path=str(ontology_dir() / "practices.ttl"), format=RdfFormat.TURTLE)
        if t.predicate == SKOS.broader
    }


def read_effects(path: Path, practices: list[tuple[str, str, str]], column: str = "odds_ratio") -> dict[int, float]:
    """Planted effects from a CSV ``practice,odds_ratio`` (practice: slug, IRI or prefLabel); with
    ``column="points"`` a KS2 effects file ``practice,points`` (percentage points)."""
    read_value = points_of if column == "points" else odds_ratio_of
    index = {}
    for i, (iri, label, _) in enumerate(practices):
        index[iri] = index[iri.rsplit("/", 1)[-1]] = index[label.lower()] = i
    out: dict[int, float] = {}
    try:
        with path.open(newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
    except OSError as err:
        raise InputError(f"cannot read the effects file: {err}", path=path) from None
    for line, row in enumerate(rows, start=2):
        with input_context(path, line):
            if "practice" not in row or column not in row:
                raise InputError(f"columns must be practice,{column}", field="practice")
            key = row["practice"].strip()
            if key not in index and key.lower() not in index:
                raise InputError(f"not a thesaurus practice: {key!r}", field="practice")
            value = read_value(row)
            out[index[key] if key in index else index[key.lower()]] = value
    return out


def read_ks2_effects(path: Path, practices: list[tuple[str, str, str]]) -> dict[int, float]:
    """Planted KS2 effects from a CSV ``practice,points``: the change of KS2 RWM % after inspection t."""
    return read_effects(path, practices, column="points")


def synth_quads(
    n_schools: int,
    seed: int,
    effects: Mapping[int, float],
    practices: list[tuple[str, str, str]],
    *,
    correlation: float = 0.3,
    history: bool = True,
    confounding: float = 0.5,
    next_reports: float = 0.5,
    ks2: Mapping[int, float] | None = None,
) -> tuple[Iterator[Quad], SynthProfiles]:
    """Quads of a synthetic population (without the ontology) and the simulated truth behind them.

    With ``ks2`` (practice index -> percentage points; ``{}`` for a null), inspection t falls in
    2017/18 and every primary school gets KS2 results for 2016/17-2018/19
    (:func:`schoolkg.synth.model.simulate_ks2`) as the performance tables give them."""
    if not 0 < n_schools < 100_000:
        raise InputError(f"--schools must be between 1 and 99,999 (synthetic URNs are 9xxxxx), not {n_schools}")
    sim: SynthProfiles
    if history:
        sim = simulate_histories(
            n_schools, len(practices), effects, seed=seed, correlation=correlation, confounding=confounding
        )
    else:
        sim = simulate(n_schools, len(practices), effects, seed=seed, correlation=correlation)
    if ks2 is not None and not isinstance(sim, SynthHistories):
        raise InputError("KS2 results need the dated histories (history=True)")
    values = simulate_ks2(sim, ks2, seed=seed) if ks2 is not None and isinstance(sim, SynthHistories) else None
    return _quads(sim, seed, practices, next_reports, values), sim


def write_synth(
    out: Path,
    n_schools: int,
    seed: int,
    effects: Mapping[int, float] | None = None,
    *,
    correlation: float = 0.3,
    history: bool = True,
    confounding: float = 0.5,
    next_reports: float = 0.5,
    ks2: Mapping[int, float] | None = None,
) -> tuple[Path, SynthProfiles]:
    """Write ``out/synth.nq`` (ontology, thesaurus and the synthetic data) and ``out/truth.csv``;
    with ``ks2`` (see :func:`synth_quads`) also KS2 results and ``out/truth-ks2.csv``."""
    practices = thesaurus_practices()
    generated, sim = synth_quads(
        n_schools,
        seed,
        effects or {},
        practices,
        correlation=correlation,
        history=history,
        confounding=confounding,
        next_reports=next_reports,
        ks2=ks2,
    )
    quads = list(ontology_quads(ontology_dir())) + list(generated)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "synth.nq"
    with path.open("wb") as fh:
        serialize(quads, fh, format=RdfFormat.N_QUADS)
        serialize(iter_aggregate_quads(quads), fh, format=RdfFormat.N_QUADS)
    with (out / "truth.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["practice", "feature", "odds_ratio", "prevalence", "theme_group", "confounded", "baseline_linked"])
        hist = sim if isinstance(sim, SynthHistories) else None
        for i, (iri, _, pol) in enumerate(practices):
            local = iri.rsplit("/", 1)[-1]
            w.writerow(
                [
                    iri,
                    f"{local}:{pol}",
                    sim.odds_ratios[i],
                    round(float(sim.prevalence[i]), 4),
                    sim.groups[i],
                    bool(hist.confounded[i]) if hist is not None else False,
                    bool(hist.baseline_linked[i]) if hist is not None else False,
                ]
            )
    if ks2 is not None:
        with (out / "truth-ks2.csv").open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["practice", "feature", "points", "prevalence"])
            for i, (iri, _, pol) in enumerate(practices):
                w.writerow(
                    [iri, f"{iri.rsplit('/', 1)[-1]}:{pol}", ks2.get(i, 0.0), round(float(sim.prevalence[i]), 4)]
                )
    return path, sim


def _quads(
    sim: SynthProfiles,
    seed: int,
    practices: list[tuple[str, str, str]],
    next_reports: float = 0.5,
    ks2: np.ndarray | None = None,
) -> Iterator[Quad]:
    rng = np.random.default_rng(seed + 7919)
    n = sim.x.shape[0]
    table_id = f"table-synth-inspections-{seed}"
    tg, table = NamedNode(iris.table_graph(table_id)), NamedNode(iris.document_iri(table_id))
    yield from _document(table, tg, "table", f"synthetic inspections, seed {seed}, {n} schools")
    n_las = max(1, -(-n // SCHOOLS_PER_LA))
    las = []
    for i in range(n_las):
        name = f"Synthshire {i + 1}"
        la = NamedNode(iris.la_iri(name))
        las.append(la)
        yield Quad(la, RDF.type, SKG.LocalAuthority, tg)
        yield Quad(la, SCHEMA.name, Literal(name), tg)
        yield Quad(la, RDFS.label, Literal(name), tg)
        if i % 3 == 0:  # a third of the authorities are EiC partnerships
            part = NamedNode(iris.participation_iri(la.value, iris.PROGRAMME_BASE + "eic", table_id))
            yield Quad(part, RDF.type, SKG.Participation, tg)
            yield Quad(part, SKG.participant, la, tg)
            yield Quad(part, SKG.programme, NamedNode(iris.PROGRAMME_BASE + "eic"), tg)
            yield Quad(part, SKG.source, table, tg)
    before_grade = rng.choice([2, 3, 4], n, p=[0.45, 0.4, 0.15])
    first = date(2010, 1, 4) + np.array([timedelta(days=int(d)) for d in rng.integers(0, 4 * 365, n)])
    gaps = rng.integers(2 * 365, 5 * 365, n)
    worse = rng.random(n) < 0.3
    hist = sim if isinstance(sim, SynthHistories) else None
    if hist is not None:
        gaps = np.round(hist.years * 365.25).astype(np.int64)
    with_next = rng.random(n) < next_reports if hist is not None else np.zeros(n, dtype=bool)
    x = sim.x.tocsr()
    x_next = hist.x_next.tocsr() if hist is not None else x
    if ks2 is not None:  # inspection t in 2017/18, between the 2016/17 and 2018/19 results
        first = date(2017, 9, 11) + np.array([timedelta(days=int(d)) for d in rng.integers(0, 280, n)])
        yield from _ks2_quads(ks2, seed)
    for k in range(n):
        urn = f"{900000 + k:06d}"
        school = NamedNode(iris.school_iri(urn))
        name = f"Synthetic School {k + 1}"
        yield Quad(school, RDF.type, SKG.School, tg)
        yield Quad(school, SCHEMA.name, Literal(name), tg)
        yield Quad(school, RDFS.label, Literal(name), tg)
        yield Quad(school, SKG.urn, Literal(urn), tg)
        yield Quad(school, SKG.localAuthority, las[k // SCHOOLS_PER_LA], tg)
        if hist is not None:
            g1, g2 = int(hist.baseline[k]), int(hist.after[k])
            yield Quad(school, SKG.idaciQuintile, lit(str(int(hist.idaci[k])), "integer"), tg)
            yield Quad(school, SKG.numberOfPupils, lit(str(int(hist.pupils[k])), "integer"), tg)
            yield Quad(school, SKG.phaseOfEducation, Literal("Secondary" if hist.secondary[k] else "Primary"), tg)
            kind = "Academy converter" if hist.academy[k] else "Community school"
            yield Quad(school, SKG.establishmentType, Literal(kind), tg)
        else:
            g1 = int(before_grade[k])
            g2 = g1 - 1 if sim.y[k] else min(4, g1 + 1) if worse[k] else g1
        d1, d2 = first[k], first[k] + timedelta(days=int(gaps[k]))
        judgements = []
        for step, (grade, when) in enumerate(((g1, d1), (g2, d2)), start=1):
            insp = NamedNode(iris.inspection_iri(f"synth{urn}{step}"))
            j = NamedNode(iris.judgement_iri(table_id, school.value, "overall effectiveness", when.isoformat()))
            judgements.append(j)
            yield Quad(insp, RDF.type, SKG.Inspection, tg)
            yield Quad(insp, SKG.inspected, school, tg)
            yield Quad(insp, SKG.inspectorate, OFSTED, tg)
            yield Quad(insp, PROV.startedAtTime, lit(f"{when.isoformat()}T00:00:00", "dateTime"), tg)
            yield Quad(j, RDF.type, SKG.Judgement, tg)
            yield Quad(j, SKG.about, school, tg)
            yield Quad(j, SKG.area, SKG.overallEffectiveness, tg)
            yield Quad(j, SKG.grade, _grade(grade, when), tg)
            yield Quad(j, DCT.date, lit(when.isoformat(), "date"), tg)
            yield Quad(j, SKG.inspection, insp, tg)
            yield Quad(j, SKG.source, table, tg)
        imp = NamedNode(iris.improvement_iri(judgements[0].value, judgements[1].value))
        direction = SKG.improved if g2 < g1 else SKG.declined if g2 > g1 else SKG.stable
        yield Quad(imp, RDF.type, SKG.Improvement, tg)
        yield Quad(imp, SKG.about, school, tg)
        yield Quad(imp, SKG.before, judgements[0], tg)
        yield Quad(imp, SKG.after, judgements[1], tg)
        yield Quad(imp, SKG.direction, direction, tg)
        yield Quad(imp, SKG.change, lit(f"{g1 - g2}.0", "decimal"), tg)
        yield Quad(imp, SKG.intervalDays, lit(str(int(gaps[k])), "integer"), tg)
        yield Quad(imp, SKG.source, table, tg)
        yield from _report(school, name, urn, d1, x.indices[x.indptr[k] : x.indptr[k + 1]], practices, hist is not None)
        if with_next[k]:
            cols = x_next.indices[x_next.indptr[k] : x_next.indptr[k + 1]]
            yield from _report(school, name, urn, d2, cols, practices, True)


def _ks2_quads(values: np.ndarray, seed: int) -> Iterator[Quad]:
    """KS2 results as the performance mapper writes them: one observation per school, year and measure."""
    table_id = f"table-synth-ks2-{seed}"
    tg, table = NamedNode(iris.table_graph(table_id)), NamedNode(iris.document_iri(table_id))
    yield from _document(table, tg, "table", f"synthetic KS2 results, seed {seed}")
    measure = NamedNode(iris.measure_iri("PTRWM_EXP"))
    yield Quad(measure, RDF.type, SKG.Measure, tg)
    yield Quad(
        measure,
        RDFS.label,
        Literal("Percentage of pupils reaching the expected standard in reading, writing and maths"),
        tg,
    )
    yield Quad(measure, SKOS.notation, Literal("PTRWM_EXP"), tg)
    for k in range(values.shape[0]):
        urn = f"{900000 + k:06d}"
        for y, year in enumerate(KS2_YEARS):
            if np.isnan(values[k, y]):
                continue
            obs = NamedNode(iris.figure_iri(table_id, f"{urn}-PTRWM_EXP-{year}"))
            yield Quad(obs, RDF.type, SKG.Observation, tg)
            yield Quad(obs, SKG.measure, measure, tg)
            yield Quad(obs, SKG.value, lit(f"{values[k, y]:.1f}", "decimal"), tg)
            yield Quad(obs, SKG.unit, SKG.percent, tg)
            yield Quad(obs, SKG.period, Literal(year), tg)
            yield Quad(obs, SKG.source, table, tg)
            yield Quad(obs, SKG.about, NamedNode(iris.school_iri(urn)), tg)


def _report(
    school: NamedNode,
    name: str,
    urn: str,
    when: date,
    cols: np.ndarray,
    practices: list[tuple[str, str, str]],
    dated: bool = False,
) -> Iterator[Quad]:
    doc_id = f"synth-{urn}-{when.isoformat()}"
    doc, g = NamedNode(iris.document_iri(doc_id)), NamedNode(iris.document_graph(doc_id))
    text = f"Synthetic inspection report for {name}, {when.isoformat()}."
    spans = []
    for c in sorted(cols.tolist()):
        iri, label, pol = practices[c]
        lead = " Inspectors found " if pol == "strength" else " Inspectors were concerned about "
        start = len(text) + len(lead)
        text += f"{lead}{label}."
        spans.append((iri, pol, label, start))
    yield from _document(doc, g, "inspection_report", text)
    yield Quad(doc, SKG.text, Literal(text), g)
    if dated:  # the inspection the report gives (docs/modelling.md: …/id/document/{doc-id}/inspection)
        insp = NamedNode(f"{doc.value}/inspection")
        yield Quad(insp, RDF.type, SKG.Inspection, g)
        yield Quad(insp, SKG.inspectorate, OFSTED, g)
        yield Quad(insp, SKG.inspected, school, g)
        yield Quad(insp, PROV.startedAtTime, lit(f"{when.isoformat()}T00:00:00", "dateTime"), g)
    for iri, pol, label, start in spans:
        end = start + len(label)
        f = NamedNode(iris.finding_iri(doc_id, start, end, iri, school.value))
        yield Quad(f, RDF.type, SKG.Finding, g)
        yield Quad(f, SKG.about, school, g)
        yield Quad(f, RDF.type, SKG.PracticeFinding, g)
        yield Quad(f, SKG.practice, NamedNode(iri), g)
        yield Quad(f, SKG.theme, NamedNode(_themes().get(iri, iris.PRACTICE_BASE + "theme-unclassified")), g)
        yield Quad(f, SKG.polarity, SKG.strength if pol == "strength" else SKG.weakness, g)
        yield Quad(f, SKG.source, doc, g)
        yield Quad(f, SKG.quote, Literal(label), g)
        yield Quad(f, SKG.startOffset, lit(str(start), "integer"), g)
        yield Quad(f, SKG.endOffset, lit(str(end), "integer"), g)


def _document(doc: NamedNode, g: NamedNode, kind: str, content: str) -> Iterator[Quad]:
    yield Quad(doc, RDF.type, SKG.Document, g)
    yield Quad(doc, SKG.documentKind, Literal(kind), g)
    yield Quad(doc, SKG.sha256, Literal(hashlib.sha256(content.encode()).hexdigest()), g)
    yield Quad(doc, SKG.sourcePath, Literal(f"synthetic:{doc.value.rsplit('/', 1)[-1]}"), g)


def _grade(value: int, when: date) -> NamedNode:
    if value == 3:
        return SKG.requiresImprovement if when >= date(2012, 9, 1) else SKG.satisfactory
    return _GRADES[value]
