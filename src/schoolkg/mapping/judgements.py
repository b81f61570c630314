"""Map a document's inspection and judgements to quads: the report format and framework, each
judgement with its area, scale and grade, the previous inspection's judgements, and the dated
before/after pair (skg:Improvement) one report states (docs/modelling.md, "Judgements")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

from pyoxigraph import Literal, NamedNode, Quad

from schoolkg import iris
from schoolkg.mapping.terms import OFSTED, lit
from schoolkg.model import Extraction, Judgement
from schoolkg.vocab import DCT, PROV, RDF, SKG

__all__ = ["AREA_TERMS", "FORMAT_TERMS", "FRAMEWORK_TERMS", "GRADE_TERMS", "SCALE_TERMS", "inspection_quads"]

Q = Callable[[NamedNode, NamedNode, "NamedNode | Literal"], Quad]

# area key (SCHEMA.md) -> JudgementArea; areas a later framework renamed share the lineage individual
AREA_TERMS = {
    "overall effectiveness": SKG.overallEffectiveness,
    "capacity to improve": SKG.capacityToImprove,
    "achievement": SKG.achievement,
    "outcomes for pupils": SKG.achievement,
    "quality of teaching": SKG.qualityOfTeaching,
    "quality of education": SKG.qualityOfEducation,
    "curriculum": SKG.curriculum,
    "care guidance and support": SKG.careGuidanceAndSupport,
    "personal development and well-being": SKG.personalDevelopmentAndWellbeing,
    "behaviour and safety": SKG.behaviourAndSafety,
    "personal development behaviour and welfare": SKG.personalDevelopment,
    "behaviour and attitudes": SKG.behaviourAndSafety,
    "personal development": SKG.personalDevelopment,
    "leadership and management": SKG.leadershipAndManagement,
    "early years": SKG.earlyYears,
    "sixth form": SKG.sixthForm,
    "inclusion": SKG.inclusion,
    "curriculum and teaching": SKG.curriculumAndTeaching,
    "attendance and behaviour": SKG.attendanceAndBehaviour,
    "leadership and governance": SKG.leadershipAndGovernance,
    "safeguarding": SKG.safeguarding,
    "category of concern": SKG.categoryOfConcernArea,
    "monitoring outcome": SKG.monitoringOutcome,
    "ungraded outcome": SKG.ungradedOutcome,
    "equality provision": SKG.equalityProvision,
    "school improvement arrangements": SKG.schoolImprovementArrangements,
}
SCALE_TERMS = {
    "four-point-2005": SKG.fourPoint2005Scale,
    "four-point": SKG.ofstedFourPointScale,
    "report-card": SKG.reportCardScale,
    "safeguarding": SKG.safeguardingScale,
    "ungraded-outcome": SKG.ungradedOutcomeScale,
    "monitoring-outcome": SKG.monitoringOutcomeScale,
    "category-of-concern": SKG.categoryOfConcernScale,
    "la-effectiveness": SKG.effectivenessScale,
}
GRADE_TERMS = {
    "outstanding": SKG.outstanding,
    "good": SKG.good,
    "satisfactory": SKG.satisfactory,
    "requires improvement": SKG.requiresImprovement,
    "inadequate": SKG.inadequate,
    "exceptional": SKG.exceptional,
    "strong standard": SKG.strongStandard,
    "expected standard": SKG.expectedStandard,
    "needs attention": SKG.needsAttention,
    "urgent improvement": SKG.urgentImprovement,
    "met": SKG.met,
    "not met": SKG.notMet,
    "effective": SKG.effective,
    "not effective": SKG.ineffective,
    "ineffective": SKG.ineffective,
    "continues to be outstanding": SKG.continuesToBeOutstanding,
    "may be outstanding": SKG.mayBeOutstanding,
    "continues to be good": SKG.continuesToBeGood,
    "may not be as good": SKG.mayNotBeAsGood,
    "may be inadequate": SKG.mayBeInadequate,
    "taking effective action": SKG.takingEffectiveAction,
    "not taking effective action": SKG.notTakingEffectiveAction,
    "special measures": SKG.specialMeasures,
    "serious weaknesses": SKG.seriousWeaknesses,
    "notice to improve": SKG.noticeToImprove,
}
FORMAT_TERMS = {
    "s5-2005": SKG.formatS52005,
    "s5-2009": SKG.formatS52009,
    "s5-2012": SKG.formatS52012,
    "s5-2015": SKG.formatS52015,
    "short-2015": SKG.formatShort2015,
    "eif-full": SKG.formatEifFull,
    "eif-ungraded": SKG.formatEifUngraded,
    "monitoring": SKG.formatMonitoring,
    "report-card": SKG.formatReportCard,
    "survey-letter": SKG.formatSurveyLetter,
    "survey-report": SKG.formatSurveyReport,
    "la-inspection": SKG.formatLaInspection,
}
FRAMEWORK_TERMS = {
    "ofsted-2005": SKG.framework2005,
    "ofsted-2009": SKG.framework2009,
    "ofsted-2012": SKG.framework2012,
    "cif-2015": SKG.framework2015,
    "eif-2019": SKG.framework2019,
    "renewed-2025": SKG.framework2025,
    "monitoring": SKG.monitoringInspections,
    "survey": SKG.surveyInspections,
    "la-inspection": SKG.laInspections,
}
# grades whose values are comparable (lower is better), for the before/after pair
_VALUES = {"outstanding": 1, "good": 2, "satisfactory": 3, "requires improvement": 3, "inadequate": 4}


def inspection_quads(
    ex: Extraction,
    q: Q,
    document: NamedNode,
    ids: dict[str, NamedNode],
    evidence: Callable[[NamedNode, str, int, int], Iterator[Quad]],
) -> Iterator[Quad]:
    """Quads for the document's format, its inspection and previous inspection, and its judgements."""
    insp = ex.inspection
    if insp.format in FORMAT_TERMS:
        yield q(document, SKG.reportFormat, FORMAT_TERMS[insp.format])
    subject = ids.get(ex.subject) if ex.subject else None
    current: NamedNode | None = None
    if subject is not None and (insp.format or ex.judgements):
        current = NamedNode(f"{iris.document_iri(ex.document.id)}/inspection")
        yield from _inspection_node(q, current, subject, insp.start_date, insp.framework, insp.type, insp.number)
        if insp.end_date:
            yield q(current, PROV.endedAtTime, lit(f"{insp.end_date}T00:00:00", "dateTime"))
    previous: NamedNode | None = None
    pairs: dict[tuple[str, str], dict[bool, tuple[NamedNode, Judgement]]] = {}
    for j in ex.judgements:
        subj = ids[j.subject]
        inspection = current
        if j.previous:
            if previous is None:
                previous = NamedNode(f"{iris.document_iri(ex.document.id)}/previous-inspection")
                yield from _inspection_node(q, previous, subj, j.date or insp.previous_date, None, None, None)
            inspection = previous
        if not j.grade_label:  # the previous inspection's date without its grade: no judgement
            continue
        key = f"{j.area}/previous" if j.previous else j.area
        if j.area == "ungraded outcome":
            key += "/" + j.grade_label
        node = NamedNode(iris.judgement_iri(ex.document.id, subj.value, key, j.date))
        yield q(node, RDF.type, SKG.Judgement)
        yield q(node, SKG.about, subj)
        yield q(node, SKG.area, AREA_TERMS[j.area])
        yield q(node, SKG.areaName, lit(j.area))
        yield q(node, SKG.grade, GRADE_TERMS[j.grade_label])
        if j.scale in SCALE_TERMS:
            yield q(node, SKG.scale, SCALE_TERMS[j.scale])
        if j.date:
            yield q(node, DCT.date, lit(j.date, "date"))
        if inspection is None:
            inspection = NamedNode(f"{node.value}/inspection")
            yield from _inspection_node(q, inspection, subj, j.date, None, None, None)
        yield q(node, SKG.inspection, inspection)
        if j.previous and current is not None:
            yield q(current, SKG.previousJudgement, node)
        if j.quote:
            yield from evidence(node, j.quote, j.start, j.end)
        if j.grade_label in _VALUES:
            pairs.setdefault((subj.value, j.area), {})[j.previous] = (node, j)
    yield from _improvements(q, document, pairs)


def _inspection_node(q: Q, node: NamedNode, subject: NamedNode, date, framework, kind, number) -> Iterator[Quad]:  # type: ignore[no-untyped-def]
    yield q(node, RDF.type, SKG.Inspection)
    yield q(node, SKG.inspectorate, OFSTED)
    yield q(node, SKG.inspected, subject)
    if date:
        yield q(node, PROV.startedAtTime, lit(f"{date}T00:00:00", "dateTime"))
    if framework in FRAMEWORK_TERMS:
        yield q(node, SKG.framework, FRAMEWORK_TERMS[framework])
    if kind:
        yield q(node, SKG.inspectionType, lit(kind))
    if number:
        yield q(node, SKG.inspectionNumber, lit(number))


def _improvements(
    q: Q, document: NamedNode, pairs: dict[tuple[str, str], dict[bool, tuple[NamedNode, Judgement]]]
) -> Iterator[Quad]:
    """One skg:Improvement per area the report grades both now and at the previous inspection."""
    for (subject, _area), both in sorted(pairs.items()):
        if True not in both or False not in both:
            continue
        (j1, before), (j2, after) = both[True], both[False]
        change = _VALUES[before.grade_label] - _VALUES[after.grade_label]
        imp = NamedNode(iris.improvement_iri(j1.value, j2.value))
        yield q(imp, RDF.type, SKG.Improvement)
        yield q(imp, SKG.about, NamedNode(subject))
        yield q(imp, SKG.before, j1)
        yield q(imp, SKG.after, j2)
        yield q(imp, SKG.direction, SKG.improved if change > 0 else SKG.declined if change < 0 else SKG.stable)
        yield q(imp, SKG.change, lit(f"{change}.0", "decimal"))
        if before.date and after.date:
            days = (dt.date.fromisoformat(after.date) - dt.date.fromisoformat(before.date)).days
            yield q(imp, SKG.intervalDays, lit(days))
        yield q(imp, SKG.source, document)
