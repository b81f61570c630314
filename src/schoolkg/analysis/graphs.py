"""Read what the analysis needs from the store into plain records, once; the only store reader here.

One read (:func:`read_analysis_data`) serves every consumer of a run: the improvement labels,
the temporal designs, the context model and the consistency check. It is a handful of
single-pattern SELECTs (``?a <p> ?b``) joined in Python rather than one multi-pattern join:
on the embedded store a pattern scan costs a few microseconds a row (the terms are decoded
once) while each extra triple pattern of a join is an index seek per row (tens of
microseconds), which made the old one-query read ~300 us per finding row (issue 19).

Findings are read from their IRIs: :func:`schoolkg.iris.finding_iri` mints
``…/finding/{doc-id}/{start}-{end}/{practice}/{subject-slug}``, so one scan of
``?f skg:polarity <pol>`` per polarity gives document, practice and subject of every finding.
The parse is checked against a count of ``skg:practice`` triples; when it does not account for
every finding (IRIs minted some other way) the generic join query is used instead.

Stores built with the ``reports`` aggregate (:mod:`schoolkg.mapping.report_aggregates`) are read
from it instead, one row per report rather than one per finding (issue 19): each
``skg:ReportSummary``'s ``skg:summaryDigest`` (its school, document, earliest date and practice and
polarity pairs in one literal), one scan of one row per report. A summary groups findings as the
finding read does (by subject and document) only when no finding is a recommendation with a practice
(summaries leave those out) and no finding's subject has a ``skos:closeMatch`` (summaries add its
findings to the matched school's); otherwise, and for stores without the aggregate or its digests
(built before them), the finding read above is used. Either way the records are the same.
Improvements are read likewise from their ``skg:improvementDigest`` (the same aggregate: subject,
area, dates and grades of both judgements, direction and change in one literal), one row per
improvement instead of nine scans, five of them over every judgement; without a digest on every improvement
they are read from the statements.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from schoolkg import iris
from schoolkg.analysis.improvement import ImprovementRecord, ObservationRecord
from schoolkg.store.base import Store, select
from schoolkg.vocab import SPARQL_PREFIXES

__all__ = ["AnalysisData", "SchoolContext", "parse_finding_iri", "read_analysis_data"]

SKG_NS = "https://w3id.org/schoolkg/ontology#"
FINDING_PREFIX = f"{iris.ID}finding/"
"""What every finding IRI minted by ``iris.finding_iri`` starts with."""
PRACTICE_POLARITY_PREFIX = iris.practice_polarity_iri(iris.PRACTICE_BASE + "x", "x").rsplit("/", 2)[0] + "/"
"""What every ``skg:PracticePolarity`` IRI starts with; ``skg:summaryDigest`` lists the rest."""

FINDINGS = """SELECT ?s ?p ?pol ?doc WHERE {
  ?f a skg:Finding ; skg:about ?s ; skg:practice ?p ; skg:polarity ?pol ; skg:source ?doc }"""

OBSERVATIONS = """SELECT ?o ?s ?group ?m ?period ?value ?src WHERE {
  ?o a skg:Observation ; skg:measure ?m ; skg:period ?period ; skg:value ?value ; skg:source ?src .
  OPTIONAL { ?o skg:about ?s } OPTIONAL { ?o skg:comparisonGroup ?group } }"""

POLARITIES = "SELECT ?pol WHERE { ?pol a skg:Polarity FILTER EXISTS { ?f skg:polarity ?pol } }"

PRACTICES = """SELECT ?p ?label WHERE { ?p a skos:Concept ; skos:prefLabel ?label }"""

SUCCESSIONS = """SELECT ?a ?b ?d WHERE {
  ?n a skg:Succession ; skg:fromSchool ?a ; skg:toSchool ?b . OPTIONAL { ?n dcterms:date ?d } }"""

GRAPHS = """SELECT DISTINCT ?g WHERE {
  VALUES ?t { skg:Finding skg:Improvement skg:Observation } GRAPH ?g { ?x a ?t } }"""

GRAPHS_BY_NAME = """SELECT ?g WHERE { GRAPH ?g { }
  FILTER (EXISTS { GRAPH ?g { ?x a skg:Finding } } || EXISTS { GRAPH ?g { ?x a skg:Improvement } }
          || EXISTS { GRAPH ?g { ?x a skg:Observation } }) }"""
"""The graphs of :data:`GRAPHS`, asked of each named graph in turn (an index seek per graph and type
instead of a scan of every typed finding: 2.2 -> ~0.8 CPU-s at 25,000 schools, issue 19)."""

SUMMARY_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?r a skg:ReportSummary }"
RECOMMENDED = "ASK { ?r a skg:Recommendation ; skg:practice ?p }"
CLOSE_MATCHED = "SELECT DISTINCT ?a WHERE { ?a skos:closeMatch ?b }"
NO_JUDGEMENTS = "none"
"""``skg:improvementDigest`` of an improvement without both judgements (as the reports aggregate writes it)."""

# grade individual -> value (lower is better), as skg:gradeValue in the ontology
GRADE_VALUES = {
    f"{SKG_NS}outstanding": 1,
    f"{SKG_NS}good": 2,
    f"{SKG_NS}satisfactory": 3,
    f"{SKG_NS}requiresImprovement": 3,
    f"{SKG_NS}inadequate": 4,
}


@dataclass(frozen=True)
class SchoolContext:
    """What the context model adjusts for, as the sources give it (None where no source does)."""

    idaci: int | None = None
    pupils: int | None = None
    phase: str | None = None
    establishment_type: str | None = None


@dataclass
class AnalysisData:
    """Plain records read from the graph: findings, improvements, observations, dates and context."""

    findings: list[tuple[str, str, str, str]] = field(default_factory=list)
    report_pairs: dict[tuple[str, str], frozenset[tuple[str, str]]] | None = None
    """The same findings grouped by ``(subject, document)``: ``{(s, doc): {(practice, polarity), ...}}``,
    when read from the ``reports`` aggregate (else None); :func:`~schoolkg.analysis.designs.report_features`
    reads these instead of one record per finding."""
    improvements: list[ImprovementRecord] = field(default_factory=list)
    observations: list[ObservationRecord] = field(default_factory=list)
    practice_labels: dict[str, str] = field(default_factory=dict)
    graphs: list[str] = field(default_factory=list)
    document_dates: dict[str, str] = field(default_factory=dict)
    schools: dict[str, SchoolContext] = field(default_factory=dict)
    document_texts: dict[str, str] = field(default_factory=dict)
    successions: list[tuple[str, str, str | None]] = field(default_factory=list)
    """``(old school, new school, day the new one took over or None)``: academy conversions,
    amalgamations and re-openings, so an outcome can be followed across a change of URN."""
    derived: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)
    """Structures the designs derive from these records, built once per read and shared
    (:func:`schoolkg.analysis.designs.report_features`); not part of what was read."""

    def finding_triples(self, unit: str = "subject") -> list[tuple[str, str, str]]:
        """``(unit, practice, polarity)`` where unit is the finding's subject or its source document."""
        if unit == "document":
            return [(doc, p, pol) for _, p, pol, doc in self.findings]
        return [(s, p, pol) for s, p, pol, _ in self.findings]


def parse_finding_iri(iri: str) -> tuple[str, str, str] | None:
    """``(doc_id, practice local name, subject slug)`` of a finding IRI minted by ``iris.finding_iri``.

    >>> f = iris.finding_iri("synth-900001-2012-01-04", 10, 20, iris.PRACTICE_BASE + "peer-observation",
    ...                      iris.school_iri("900001"))
    >>> parse_finding_iri(f)
    ('synth-900001-2012-01-04', 'peer-observation', 'school-900001')
    >>> parse_finding_iri("https://example.org/x") is None
    True
    """
    prefix = FINDING_PREFIX
    if not iri.startswith(prefix):
        return None
    parts = iri[len(prefix) :].rsplit("/", 3)
    if len(parts) != 4 or "-" not in parts[1]:
        return None
    return parts[0], parts[2], parts[3]


def read_analysis_data(store: Store) -> AnalysisData:
    """Read findings, improvements, observations, document dates, school context and labels from ``store``."""
    data = AnalysisData()
    data.schools = _schools(store)
    summaries = _report_summaries(store)
    if summaries is not None:
        data.report_pairs, data.document_dates = summaries
        data.findings = [(s, p, pol, doc) for (s, doc), pairs in data.report_pairs.items() for p, pol in pairs]
    else:
        data.findings = _findings(store, {_subject_slug(s): s for s in data.schools})
        data.document_dates = _document_dates(store)
    data.improvements = _improvements(store)
    for o, s, group, m, period, value, src in _rows(store, OBSERVATIONS):
        data.observations.append(ObservationRecord(o, s, group, m, period, float(value), src))
    for p, label in _rows(store, PRACTICES):
        data.practice_labels[p.rstrip("/").rsplit("/", 1)[-1]] = label
    data.graphs = sorted(g for (g,) in _rows(store, GRAPHS_BY_NAME) or _rows(store, GRAPHS))
    data.successions = sorted({(a, b, d[:10] if d else None) for a, b, d in _rows(store, SUCCESSIONS)})
    sources = {o.source for o in data.observations if o.group is not None}
    if sources:
        values = " ".join(f"<{d}>" for d in sorted(sources))
        for doc, text in _rows(store, f"SELECT ?d ?t WHERE {{ VALUES ?d {{ {values} }} ?d skg:text ?t }}"):
            data.document_texts.setdefault(doc, text)
    return data


def _report_summaries(
    store: Store,
) -> tuple[dict[tuple[str, str], frozenset[tuple[str, str]]], dict[str, str]] | None:
    """The findings as ``{(subject, document): {(practice, polarity), ...}}`` and the dates of their
    documents, from the ``reports`` aggregate; None when it cannot stand for the findings (see the
    module docstring).

    A document's date is its summaries' ``skg:inspectedOrIssued`` (the earliest, should a report
    give several; the digest holds each summary's earliest), which is the finding read's date
    (``<doc>/inspection``'s start, else the issue date) for every report with a date of the form
    ``YYYY-MM-DD``."""
    total = int(_rows(store, SUMMARY_COUNT)[0][0])
    if not total:
        return None
    digests = _rows(store, "SELECT ?d WHERE { ?r skg:summaryDigest ?d }")
    if len(digests) != total:  # built before the digests (or some summary lacks one)
        return None
    if _ask(store, RECOMMENDED):
        return None
    matched = [a for (a,) in _rows(store, CLOSE_MATCHED) if a is not None]
    for start in range(0, len(matched), 500):
        values = " ".join(f"<{a}>" for a in matched[start : start + 500])
        if _ask(store, f"ASK {{ VALUES ?a {{ {values} }} ?f skg:about ?a . ?f a skg:Finding }}"):
            return None
    prefix = PRACTICE_POLARITY_PREFIX
    practice = dict(_rows(store, "SELECT ?n ?p WHERE { ?n skg:ofPractice ?p }"))
    polarity = dict(_rows(store, "SELECT ?n ?p WHERE { ?n skg:withPolarity ?p }"))
    pair_of = {n[len(prefix) :]: (p, polarity[n]) for n, p in practice.items() if n in polarity}
    dates: dict[str, str] = {}
    out: dict[tuple[str, str], frozenset[tuple[str, str]]] = {}
    parsed: dict[str, frozenset[tuple[str, str]]] = {}
    for (digest,) in digests:
        tokens = digest.split(" ")
        if len(tokens) < 3:  # not a digest this reader knows
            return None
        school, doc, day, *keys = tokens
        if day != "-" and (doc not in dates or day < dates[doc]):
            dates[doc] = day
        if not keys:
            continue
        text = " ".join(keys)
        pairs = parsed.get(text)
        if pairs is None:
            try:
                pairs = parsed[text] = frozenset(map(pair_of.__getitem__, keys))
            except KeyError:  # a key without its skg:PracticePolarity node
                return None
        out[(school, doc)] = pairs
    return out, dates


def _ask(store: Store, body: str) -> bool:
    return bool(store.query(SPARQL_PREFIXES + body))


def _findings(store: Store, subjects: dict[str, str]) -> list[tuple[str, str, str, str]]:
    """Every finding with a practice as ``(subject, practice, polarity, document)``; see the module docstring.

    ``subjects`` maps subject slugs (as finding IRIs end) to IRIs; the schools' usually cover every
    finding, and at the first slug they do not, every subject of a finding is read (a scan of every
    ``skg:about``: 1.2 CPU-s at 25,000 schools, so only when needed; issue 19)."""
    everyone = False
    expected = int(_rows(store, "SELECT (COUNT(*) AS ?n) WHERE { ?f skg:practice ?p }")[0][0])
    # the ontology's polarities that findings use (a lookup each), not a scan of every skg:polarity
    # (0.9 CPU-s at 25,000 schools); a finding with another polarity is not parsed, and the count
    # check below then reads the generic join
    polarities = [p for (p,) in _rows(store, POLARITIES)] or [
        p for (p,) in _rows(store, "SELECT DISTINCT ?pol WHERE { ?f skg:polarity ?pol }")
    ]
    out: set[tuple[str, str, str, str]] = set()
    parsed = 0
    prefix = FINDING_PREFIX
    start = len(prefix)
    # parse_finding_iri inlined (a few microseconds a finding at 25k schools): each practice and
    # document IRI is made once and shared by its findings
    practices: dict[str, str] = {}
    documents: dict[str, str] = {}
    for pol in polarities:
        for sol in select(store, f"{SPARQL_PREFIXES}SELECT ?f WHERE {{ ?f skg:polarity <{pol}> }}"):
            f = sol[0].value  # the solutions themselves: no list of one-tuples of 800k findings
            if not f.startswith(prefix):
                continue
            parts = f[start:].rsplit("/", 3)
            if len(parts) != 4 or "-" not in parts[1] or parts[2].startswith("theme-"):  # no practice
                continue
            doc_id, _, practice, subj = parts
            subject = subjects.get(subj)
            if subject is None and not everyone:
                subjects = {
                    _subject_slug(s): s for (s,) in _rows(store, "SELECT DISTINCT ?s WHERE { ?f skg:about ?s }")
                }
                everyone = True
                subject = subjects.get(subj)
            if subject is None:
                break
            parsed += 1
            p_iri = practices.get(practice) or practices.setdefault(practice, iris.PRACTICE_BASE + practice)
            doc = documents.get(doc_id) or documents.setdefault(doc_id, iris.document_iri(doc_id))
            out.add((subject, p_iri, pol, doc))
    if parsed != expected:  # not every finding's IRI tells its parts: the generic (slow) join
        return list(set(_rows(store, FINDINGS)))
    return list(out)  # unordered: profiles and designs index by name


def _improvements(store: Store) -> list[ImprovementRecord]:
    """Each skg:Improvement between two judgements, with their area, dates and grade values: from
    their ``skg:improvementDigest`` (one row each) when every improvement has one, else from the
    improvements' and judgements' own statements (:func:`_improvements_stated`)."""
    typed = int(_rows(store, "SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE { ?i a skg:Improvement }")[0][0])
    digests = dict(_rows(store, "SELECT ?i ?d WHERE { ?i skg:improvementDigest ?d }")) if typed else {}
    if not typed or len(digests) != typed:
        return _improvements_stated(store)
    out = []
    for imp, digest in sorted(digests.items()):
        if digest == NO_JUDGEMENTS:
            continue
        tokens = digest.split(" ")
        if len(tokens) != 8:
            return _improvements_stated(store)
        s, area, d1, d2, g1, g2, direction, change = ("" if t == "-" else t for t in tokens)
        if not s:  # no subject: not an improvement the statements' read keeps
            continue
        out.append(
            ImprovementRecord(
                imp,
                s,
                area,
                d1,
                d2,
                direction.rsplit("#", 1)[-1],
                None if not change else float(change),
                GRADE_VALUES.get(g1),
                GRADE_VALUES.get(g2),
            )
        )
    return out


def _improvements_stated(store: Store) -> list[ImprovementRecord]:
    """:func:`_improvements` from the statements: eight scans, five of them over every judgement."""
    before = dict(_rows(store, "SELECT ?i ?j WHERE { ?i skg:before ?j }"))
    after = dict(_rows(store, "SELECT ?i ?j WHERE { ?i skg:after ?j }"))
    about = _improvement_subjects(store)
    change = dict(_rows(store, "SELECT ?i ?c WHERE { ?i skg:change ?c }"))
    direction = dict(_rows(store, "SELECT ?i ?d WHERE { ?i skg:direction ?d }"))
    used = set(before.values()) | set(after.values())
    dates = {j: d for j, d in _rows(store, "SELECT ?j ?d WHERE { ?j dcterms:date ?d }") if j in used}
    grades = {j: g for j, g in _rows(store, "SELECT ?j ?g WHERE { ?j skg:grade ?g }") if j in used}
    areas = {j: a for j, a in _rows(store, "SELECT ?j ?a WHERE { ?j skg:area ?a }") if j in used}
    out = []
    for imp, s in sorted(about.items()):
        j1, j2 = before.get(imp), after.get(imp)
        if j1 is None or j2 is None:
            continue
        out.append(
            ImprovementRecord(
                imp,
                s,
                areas.get(j1, ""),
                dates.get(j1, ""),
                dates.get(j2, ""),
                direction.get(imp, "").rsplit("#", 1)[-1],
                None if imp not in change else float(change[imp]),
                GRADE_VALUES.get(grades.get(j1, "")),
                GRADE_VALUES.get(grades.get(j2, "")),
            )
        )
    return out


def _improvement_subjects(store: Store) -> dict[str, str]:
    """Each skg:Improvement's subject. Read graph by graph (the graphs that type improvements):
    within one graph the join is a short index range, while over the union the store scans every
    ``skg:about`` triple (findings too) to join them (0.9 vs 3.3 CPU-s at 25,000 schools; issue 19).
    When that does not give every improvement a subject (its type and subject stated in different
    graphs), the union's join is read instead."""
    graphs = [g for (g,) in _rows(store, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?i a skg:Improvement } }")]
    about: dict[str, str] = {}
    for graph in graphs:
        about.update(
            _rows(store, f"SELECT ?i ?s WHERE {{ GRAPH <{graph}> {{ ?i a skg:Improvement ; skg:about ?s }} }}")
        )
    typed = _rows(store, "SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE { ?i a skg:Improvement }")
    if len(about) != int(typed[0][0]):
        return dict(_rows(store, "SELECT ?i ?s WHERE { ?i a skg:Improvement ; skg:about ?s }"))
    return about


def _document_dates(store: Store) -> dict[str, str]:
    """Each report's inspection date: the start of the inspection it reports (``{doc}/inspection``,
    docs/modelling.md), else the date it was issued."""
    out = {}
    for doc, issued in _rows(store, "SELECT ?d ?t WHERE { ?d dcterms:issued ?t }"):
        out[doc] = issued[:10]
    for insp, started in _rows(store, "SELECT ?i ?t WHERE { ?i prov:startedAtTime ?t }"):
        if insp.endswith("/inspection"):
            out[insp[: -len("/inspection")]] = started[:10]
    return out


def _schools(store: Store) -> dict[str, SchoolContext]:
    """Context of every school: IDACI quintile, pupils on roll, phase, establishment type.

    From each school's ``skg:contextDigest`` (:mod:`schoolkg.mapping.context_aggregates`, one row a
    school) when every school has one, else from the statements (a scan of the schools and one per
    property)."""
    total = int(_rows(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s a skg:School }")[0][0])
    digests = _rows(store, "SELECT ?s ?d WHERE { ?s skg:contextDigest ?d }") if total else []
    if total and len(digests) == total:
        out: dict[str, SchoolContext] = {}
        for s, digest in digests:
            fields = [None if v == "-" else v for v in digest.split("\t")]
            if len(fields) != 4:
                break
            idaci, pupils, phase, kind = fields
            out[s] = SchoolContext(_int(idaci), _int(pupils), phase, kind)
        else:
            if len(out) == total:
                return out
    return _schools_stated(store)


def _schools_stated(store: Store) -> dict[str, SchoolContext]:
    """:func:`_schools` from the statements."""
    schools = [s for (s,) in _rows(store, "SELECT ?s WHERE { ?s a skg:School }")]
    cols = {}
    for name, prop in (
        ("idaci", "idaciQuintile"),
        ("pupils", "numberOfPupils"),
        ("phase", "phaseOfEducation"),
        ("establishment_type", "establishmentType"),
    ):
        cols[name] = dict(_rows(store, f"SELECT ?s ?v WHERE {{ ?s skg:{prop} ?v }}"))
    out = {}
    for s in schools:
        idaci, pupils = cols["idaci"].get(s), cols["pupils"].get(s)
        out[s] = SchoolContext(_int(idaci), _int(pupils), cols["phase"].get(s), cols["establishment_type"].get(s))
    return out


def _int(value: str | None) -> int | None:
    try:
        return None if value is None else int(float(value))
    except ValueError:
        return None


def _subject_slug(subject_iri: str) -> str:
    return iris.slug(subject_iri.split("/id/", 1)[-1])


def _rows(store: Store, body: str) -> list[tuple[Any, ...]]:
    results = select(store, SPARQL_PREFIXES + body)
    width = len(results.variables)
    if width == 1:  # the scans: no per-row tuple of names, one index lookup a row
        return [(None if (t := sol[0]) is None else t.value,) for sol in results]
    if width == 2:
        return [
            (None if (a := sol[0]) is None else a.value, None if (b := sol[1]) is None else b.value) for sol in results
        ]
    return [tuple(None if (term := sol[i]) is None else term.value for i in range(width)) for sol in results]
