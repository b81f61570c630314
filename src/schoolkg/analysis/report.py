"""Write an analysis: CSV tables, a Markdown report with PNG plots, ``analysis.json`` for the
analysis page, and the results as RDF with PROV."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pyoxigraph import Quad, RdfFormat, parse

from schoolkg import iris
from schoolkg.analysis.attainment import AttainmentResult, analyse_attainment
from schoolkg.analysis.consistency import check_data
from schoolkg.analysis.designs import ATTAINMENT_LAG, DESIGNS, describe_design
from schoolkg.analysis.graphs import read_analysis_data
from schoolkg.analysis.run import AnalysisResult, analyse
from schoolkg.store.base import Store, select
from schoolkg.vocab import PROV, RDF, SKG_NS, SPARQL_PREFIXES, XSD

__all__ = [
    "analyse_to_folder",
    "analysis_json",
    "analysis_nquads",
    "analysis_quads",
    "read_quotes",
    "render_markdown",
    "write_report",
]

QUOTES_PER_PRACTICE = 3

TOP = 20


def analyse_to_folder(store: Store, out: Path, **options: Any) -> tuple[AnalysisResult, dict[str, Path]]:
    """Read the store, analyse it (``options`` as for :func:`~schoolkg.analysis.run.analyse`), and
    write the report, tables, plots and RDF under ``out``, with the consistency check of the
    sources' figures. Returns the result and the written files by name (``schoolkg analyse``).
    """
    started = datetime.now(UTC)
    lag = int(options.pop("attainment_lag", ATTAINMENT_LAG))
    data = read_analysis_data(store)  # the one read of the run: every consumer below shares it
    result = analyse(data, **options)
    attainment = analyse_attainment(
        data,
        polarity=options.get("polarity", "split"),
        lag=lag,
        min_support=options.get("min_support", 10),
        fdr=options.get("fdr", 0.05),
    )
    result.attainment = attainment
    quotes = read_quotes(store, _tested_features(result))
    files = write_report(
        result,
        out,
        used=data.graphs,
        started=started,
        consistency=check_data(data),
        quotes=quotes,
        attainment=attainment,
    )
    return result, files


def read_quotes(store: Store, features: Sequence[str], per_feature: int = QUOTES_PER_PRACTICE) -> dict[str, list]:
    """Up to ``per_feature`` evidence quotes of each feature (``practice:polarity``), with their source.

    One small query per tested feature (``LIMIT``), so the cost does not grow with the findings.
    """
    out: dict[str, list[dict[str, str]]] = {}
    for feature in features:
        local, _, pol = feature.partition(":")
        pattern = f"?f skg:practice <{iris.PRACTICE_BASE}{local}> ; skg:quote ?q ; skg:source ?doc ."
        if pol:
            pattern += f" ?f skg:polarity skg:{pol} ."
        body = (
            f"SELECT ?q ?doc ?path WHERE {{ {{ SELECT ?q ?doc WHERE {{ {pattern} }} LIMIT {per_feature} }} "
            "OPTIONAL { ?doc skg:sourcePath ?path } }"
        )
        rows = []
        for sol in select(store, SPARQL_PREFIXES + body):
            doc = sol["doc"].value
            path = sol["path"]
            rows.append({"text": sol["q"].value, "source": path.value if path is not None else doc, "document": doc})
        out[feature] = rows
    return out


def write_report(
    result: AnalysisResult,
    out: Path,
    *,
    used: Sequence[str],
    started: datetime,
    consistency: pd.DataFrame | None = None,
    quotes: Mapping[str, Sequence[Mapping[str, str]]] | None = None,
    attainment: AttainmentResult | None = None,
) -> dict[str, Path]:
    """Write everything under ``out``; return the written files by name. ``attainment`` is the
    attainment design's result (:mod:`schoolkg.analysis.attainment`), written beside the main one."""
    out.mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}
    comparison = result.comparison
    tables = {
        "associations.csv": _with_design(result.associations, result.design),
        "adjusted.csv": None if result.adjusted is None else _with_design(result.adjusted, result.design),
        "covariates.csv": None if result.covariates is None else _with_design(result.covariates, result.design),
        "by_baseline.csv": None if result.by_baseline is None else _with_design(result.by_baseline, result.design),
        "associations_cross_sectional.csv": None
        if comparison is None
        else _with_design(comparison.associations, comparison.design),
        "labels.csv": pd.DataFrame(
            {"subject": result.subjects, "improved": result.improved, "evidence": result.evidence}
        ),
        "network_nodes.csv": pd.DataFrame([{"feature": v, **d} for v, d in result.network.nodes(data=True)]),
        "network_edges.csv": pd.DataFrame([{"a": a, "b": b, **d} for a, b, d in result.network.edges(data=True)]),
        "consistency.csv": consistency,
        "attainment.csv": None if attainment is None else attainment.effects,
        "attainment_covariates.csv": None if attainment is None else attainment.covariates,
        "attainment_labels.csv": None
        if attainment is None
        else pd.DataFrame(
            {
                "subject": attainment.episodes.subjects,
                "change": attainment.episodes.change,
                "evidence": attainment.episodes.evidence,
                "design": attainment.design,
            }
        ),
    }
    for name, frame in tables.items():
        if frame is not None:
            frame.to_csv(out / name, index=False)
            files[name] = out / name
    files.update(_plots(result, out))
    payload = analysis_json(result, quotes, attainment)
    (out / "analysis.json").write_text(json.dumps(payload, indent=1, allow_nan=False), encoding="utf-8")
    files["analysis.json"] = out / "analysis.json"
    ended = datetime.now(UTC)
    run_id = f"{result.params.get('improvement', 'matrix')}-{started.strftime('%Y%m%dT%H%M%S')}"
    nquads = analysis_nquads(result, run_id=run_id, used=used, started=started, ended=ended)
    (out / "analysis.nq").write_text(nquads, encoding="utf-8")
    files["analysis.nq"] = out / "analysis.nq"
    md = render_markdown(
        result, files, consistency=consistency, seconds=(ended - started).total_seconds(), attainment=attainment
    )
    (out / "report.md").write_text(md, encoding="utf-8")
    files["report.md"] = out / "report.md"
    return files


def analysis_json(
    result: AnalysisResult,
    quotes: Mapping[str, Sequence[Mapping[str, str]]] | None = None,
    attainment: AttainmentResult | None = None,
) -> dict[str, Any]:
    """The results as plain data for the analysis page (schema: docs/analysis.md, "analysis.json").

    One entry in ``practices`` per tested practice and design: the result's design (temporal by
    default) with marginal, adjusted and Mantel-Haenszel odds ratios, and the cross-sectional
    comparison with its own. Numbers that are not finite are ``null``.
    """
    window = int(result.params.get("window_days", 90))
    designs = {name: describe_design(name, window) for name in DESIGNS}
    if result.design not in designs:
        designs[result.design] = result.definition
    practices = _practice_rows(result, quotes)
    if result.comparison is not None:
        practices += _practice_rows(result.comparison, quotes)
    by_base = [] if result.by_baseline is None else result.by_baseline.to_dict("records")
    covs = [] if result.covariates is None else result.covariates.to_dict("records")
    if attainment is not None:
        designs[attainment.design] = attainment.episodes.description
    g = result.network
    return _clean(
        {
            "attainment": None if attainment is None else _attainment_json(attainment),
            "designs": designs,
            "design": result.design,
            "definition": result.definition,
            "params": result.params,
            "n": len(result.subjects),
            "improved": int(np.sum(result.improved)),
            "notes": result.notes,
            "practices": practices,
            "by_baseline": [{**r, "design": result.design} for r in by_base],
            "covariates": [{**r, "design": result.design} for r in covs],
            "model": {**result.model, "design": result.design},
            "network": {
                "nodes": [{"iri": v, "label": d.get("label", v)} for v, d in g.nodes(data=True)],
                "edges": [{"a": a, "b": b, "weight": float(d.get("jaccard", 1.0))} for a, b, d in g.edges(data=True)],
            },
        }
    )


def _attainment_json(att: AttainmentResult) -> dict[str, Any]:
    """The attainment design's entry of analysis.json: every row names its design."""
    ep = att.episodes
    return {
        "design": att.design,
        "definition": ep.description,
        "measure": ep.measure,
        "windows": ep.windows,
        "n": len(ep.subjects),
        "notes": att.notes,
        "model": att.model,
        "practices": att.effects.to_dict("records"),
        "covariates": att.covariates.to_dict("records"),
    }


def _attainment_markdown(att: AttainmentResult, files: Mapping[str, Path]) -> list[str]:
    ep = att.episodes
    d = f"(design: {att.design})"
    lines = [
        f"## Attainment change after the inspection {d}",
        "",
        f"{ep.description} Measure: {ep.measure}; {len(ep.subjects)} schools with results in both years around a "
        f"dated report (of {ep.candidates} with {ep.measure} results); mean change {float(ep.change.mean()):+.2f}.",
        "",
        *[f"- {note}" for note in att.notes[1:]],
        "",
    ]
    if len(att.effects):
        lines += [
            f"| practice | schools with it | change of {ep.measure} (95% CI) | p | q |",
            "| --- | ---: | --- | ---: | ---: |",
        ]
        for r in att.effects.head(TOP).itertuples(index=False):
            lines.append(
                f"| {r.feature}{' **' if r.discovery else ''} | {r.exposed} | {r.effect:+.2f} "
                f"({r.ci_low:+.2f} to {r.ci_high:+.2f}) | {r.p:.2g} | {r.q:.2g} |"
            )
        lines += ["", f"Covariates {d}:", "", "| covariate | effect (95% CI) | p |", "| --- | --- | ---: |"]
        for r in att.covariates.itertuples(index=False):
            lines.append(f"| {r.description} | {r.effect:+.2f} ({r.ci_low:+.2f} to {r.ci_high:+.2f}) | {r.p:.2g} |")
        lines += [
            "",
            f"- Model: {att.model.get('kind')}; {att.model.get('fit')}; n = {att.model.get('n')}; "
            f"R^2 {att.model.get('r_squared', float('nan')):.2f}; {att.model.get('multiple_testing')}.",
            "",
        ]
    if "attainment.csv" in files:
        lines += ["Tables: attainment.csv, attainment_covariates.csv, attainment_labels.csv (column `design`).", ""]
    return lines


def _practice_rows(result: AnalysisResult, quotes: Mapping[str, Sequence[Mapping[str, str]]] | None) -> list:
    assoc = result.associations
    singles = assoc[assoc.kind == "practice"] if len(assoc) else assoc
    adjusted = {} if result.adjusted is None else {r.feature: r for r in result.adjusted.itertuples(index=False)}
    n = len(result.subjects)
    rows = []
    for r in singles.itertuples(index=False):
        local = str(r.feature).partition(":")[0]
        a = adjusted.get(r.feature)
        rows.append(
            {
                "iri": iris.PRACTICE_BASE + local,
                "feature": r.feature,
                "label": _label(result, str(r.feature)),
                "design": result.design,
                "n_with": int(r.exposed),
                "n_without": n - int(r.exposed),
                "or": r.odds_ratio,
                "ci_low": r.ci_low,
                "ci_high": r.ci_high,
                "p": r.p,
                "q": r.q,
                "discovery": bool(r.discovery),
                "adjusted_or": None if a is None else a.adj_odds_ratio,
                "adjusted_ci_low": None if a is None else a.adj_ci_low,
                "adjusted_ci_high": None if a is None else a.adj_ci_high,
                "adjusted_p": None if a is None else a.adj_p,
                "adjusted_q": None if a is None else a.adj_q,
                "adjusted_discovery": None if a is None else bool(a.adj_discovery),
                "mh_or": getattr(a, "mh_odds_ratio", None),
                "mh_ci_low": getattr(a, "mh_ci_low", None),
                "mh_ci_high": getattr(a, "mh_ci_high", None),
                "mh_p": getattr(a, "mh_p", None),
                "quotes": [dict(q) for q in (quotes or {}).get(str(r.feature), [])],
            }
        )
    return rows


def _label(result: AnalysisResult, feature: str) -> str:
    """The practice's prefLabel, with the polarity of a split feature: ``strategic leadership (strength)``."""
    local, _, pol = feature.partition(":")
    name = result.practice_labels.get(local, local)
    return f"{name} ({pol})" if pol else name


def _clean(value: Any) -> Any:
    """JSON-safe: numpy scalars to Python, NaN and infinities to None."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, (np.integer, int)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        return float(value) if math.isfinite(float(value)) else None
    return value


def _tested_features(result: AnalysisResult) -> list[str]:
    feats = set(result.associations.feature[result.associations.kind == "practice"])
    if result.comparison is not None:
        a = result.comparison.associations
        feats |= set(a.feature[a.kind == "practice"])
    return sorted(feats)


def _with_design(frame: pd.DataFrame, design: str) -> pd.DataFrame:
    return frame.assign(design=design)


def analysis_quads(
    result: AnalysisResult, *, run_id: str, used: Sequence[str], started: datetime, ended: datetime
) -> list[Quad]:
    """The analysis as RDF in the named graph ``…/graph/analysis``: a PROV activity and its associations
    (the quads of :func:`analysis_nquads`)."""
    text = analysis_nquads(result, run_id=run_id, used=used, started=started, ended=ended)
    return list(parse(text.encode("utf-8"), format=RdfFormat.N_QUADS))


def analysis_nquads(
    result: AnalysisResult, *, run_id: str, used: Sequence[str], started: datetime, ended: datetime
) -> str:
    """:func:`analysis_quads` as N-Quads text, written directly: the same lines pyoxigraph's
    serialiser writes for them, without making a ``Quad`` and its terms for each of the ~17
    statements of every association (~11 us a quad, 1.4 CPU-s for 120k quads; issue 19)."""
    g = f" <{iris.GRAPH_ANALYSIS}> .\n"
    run_iri = iris.analysis_iri(run_id)
    run = f"<{run_iri}> "
    pred = {name: f"<{SKG_NS}{name}> " for name in _ASSOCIATION_PROPS}
    typ, gen, label_p, exposure_p = (
        f"<{RDF.type.value}> ",
        f"<{PROV.wasGeneratedBy.value}> ",
        pred["exposureLabel"],
        pred["exposure"],
    )
    double, integer, boolean = f"^^<{XSD.double.value}>", f"^^<{XSD.integer.value}>", f"^^<{XSD.boolean.value}>"
    out = [
        f"{run}{typ}<{SKG_NS}Analysis>{g}",
        f"{run}<{PROV.startedAtTime.value}> {_nt_dt(started)}{g}",
        f"{run}<{PROV.endedAtTime.value}> {_nt_dt(ended)}{g}",
        f"{run}<{SKG_NS}improvementDefinition> {_nt_string(result.definition or 'given outcome')}{g}",
        f'{run}<{SKG_NS}minSupport> "{int(result.params.get("min_support", 1))}"{integer}{g}',
        f'{run}<{SKG_NS}fdrLevel> "{float(result.params.get("fdr", 0.05))!r}"{double}{g}',
        f'{run}<{SKG_NS}subjectCount> "{len(result.subjects)}"{integer}{g}',
    ]
    out += [f"{run}<{PROV.used.value}> <{u}>{g}" for u in used]
    adjusted = (
        {}
        if result.adjusted is None
        else dict(zip(result.adjusted.feature, result.adjusted.adj_odds_ratio, strict=True))
    )
    assoc = result.associations
    counts = [(pred[name], assoc[col].to_numpy()) for name, col in _COUNT_COLUMNS]
    values = [(pred[name], assoc[col].to_numpy(dtype=float)) for name, col in _VALUE_COLUMNS]
    adjusted_p = pred["adjustedOddsRatio"]
    discovery_p = pred["discovery"]
    keys: dict[str, str] = {}
    practices: dict[str, str] = {}
    run_prefix = f"<{run_iri}/"
    for i, (feature, feature_b, discovery) in enumerate(
        zip(assoc.feature, assoc.feature_b, assoc.discovery, strict=True)
    ):
        key = keys.get(feature) or keys.setdefault(feature, iris.slug(feature))
        label = feature
        if feature_b:
            key += "--" + (keys.get(feature_b) or keys.setdefault(feature_b, iris.slug(feature_b)))
            label += f" & {feature_b}"
        a = f"{run_prefix}{key}> "
        out += [f"{a}{typ}<{SKG_NS}Association>{g}", f"{a}{gen}<{run_iri}>{g}", f"{a}{label_p}{_nt_string(label)}{g}"]
        for f in (feature, feature_b):
            if f:
                node = practices.get(f) or practices.setdefault(f, f"<{iris.PRACTICE_BASE}{f.split(':', 1)[0]}>")
                out.append(f"{a}{exposure_p}{node}{g}")
        out += [f'{a}{p}"{int(column[i])}"{integer}{g}' for p, column in counts]
        out += [f'{a}{p}"{v!r}"{double}{g}' for p, column in values if math.isfinite(v := float(column[i]))]
        if not feature_b and feature in adjusted:
            out.append(f'{a}{adjusted_p}"{float(adjusted[feature])!r}"{double}{g}')
        out.append(f'{a}{discovery_p}"{"true" if discovery else "false"}"{boolean}{g}')
    return "".join(out)


_COUNT_COLUMNS = (
    ("exposedImprovedCount", "improved_exposed"),
    ("exposedOtherCount", "other_exposed"),
    ("unexposedImprovedCount", "improved_unexposed"),
    ("unexposedOtherCount", "other_unexposed"),
)
_VALUE_COLUMNS = (
    ("support", "support"),
    ("confidence", "confidence"),
    ("lift", "lift"),
    ("oddsRatio", "odds_ratio"),
    ("oddsRatioLower", "ci_low"),
    ("oddsRatioUpper", "ci_high"),
    ("pValue", "p"),
    ("qValue", "q"),
)
_ASSOCIATION_PROPS = (
    "exposureLabel",
    "exposure",
    "adjustedOddsRatio",
    "discovery",
    *(name for name, _ in _COUNT_COLUMNS + _VALUE_COLUMNS),
)
_NT_ESCAPES = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"}
_NT_ESCAPE = str.maketrans({**{chr(c): f"\\u{c:04X}" for c in [*range(0x20), 0x7F]}, **_NT_ESCAPES})


def _nt_string(text: str) -> str:
    """An xsd:string literal as N-Quads writes it (pyoxigraph's escapes).

    >>> _nt_string('a "b"\\n')
    '"a \\\\"b\\\\"\\\\n"'
    """
    return f'"{text.translate(_NT_ESCAPE)}"'


def _nt_dt(when: datetime) -> str:
    return f'"{when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")}"^^<{XSD.dateTime.value}>'


def render_markdown(
    result: AnalysisResult,
    files: dict[str, Path],
    *,
    consistency: pd.DataFrame | None = None,
    seconds: float | None = None,
    attainment: AttainmentResult | None = None,
) -> str:
    """The report an analyst reads: what was compared, how many, effect sizes with intervals, what cannot be said."""
    n, n_yes = len(result.subjects), int(np.sum(result.improved))
    assoc = result.associations
    singles, pairs = assoc[assoc.kind == "practice"], assoc[assoc.kind == "pair"]
    p = result.params
    lines = [
        "# Which practices go with improvement",
        "",
        "## What was compared",
        "",
        f"- Design: **{result.design}**. Every table and figure below says which design it comes from.",
        f"- Improvement: {result.definition or 'given outcome'}.",
        f"- Unit: {result.unit}; {result.labels_total} labelled, {n} with both a label and findings; "
        f"{n_yes} improved, {n - n_yes} did not.",
        f"- Features: {len(result.features)} practice x polarity columns; tested: {len(singles)} practices and "
        f"{len(pairs)} pairs with at least {p.get('min_support')} subjects with and without them.",
        f"- Multiple testing: Benjamini-Hochberg at FDR {p.get('fdr')}, separately for practices and for pairs.",
        "",
        "## What can and cannot be concluded",
        "",
        *[f"- {note}" for note in result.notes],
        "",
    ]
    d = f"(design: {result.design})"
    if result.by_baseline is not None and len(result.by_baseline):
        lines += [
            f"## Improvement by baseline grade {d}",
            "",
            "Regression to the mean: a school graded 1 at t cannot improve, a school graded 4 usually does. "
            "Grade-1 schools are left out of the model; the Mantel-Haenszel odds ratios compare schools within "
            "the same baseline grade.",
            "",
            "| baseline grade at t | schools | improved at t+1 | share |",
            "| ---: | ---: | ---: | ---: |",
        ]
        for r in result.by_baseline.itertuples(index=False):
            lines.append(f"| {r.baseline_grade} | {r.n} | {r.improved} | {r.share:.0%} |")
        lines.append("")
        if "baseline.png" in files:
            lines += [f"![improvement by baseline grade {d}](baseline.png)", ""]
    if result.adjusted is not None and len(result.adjusted):
        adj = result.adjusted.sort_values("adj_q").head(TOP)
        has_mh = "mh_odds_ratio" in adj.columns
        title = (
            "baseline grade, context and the other practices held fixed"
            if has_mh
            else "each practice holding the others fixed"
        )
        lines += [
            f"## Adjusted odds ratios ({title}) {d}",
            "",
            "| practice | exposed | adjusted OR (95% CI) | p | q |"
            + (" MH OR within baseline (95% CI) |" if has_mh else ""),
            "| --- | ---: | --- | ---: | ---: |" + (" --- |" if has_mh else ""),
        ]
        for r in adj.itertuples(index=False):
            line = (
                f"| {r.feature}{' **' if r.adj_discovery else ''} | {r.exposed} | {r.adj_odds_ratio:.2f} "
                f"({r.adj_ci_low:.2f}-{r.adj_ci_high:.2f}) | {r.adj_p:.2g} | {r.adj_q:.2g} |"
            )
            if has_mh:
                line += f" {r.mh_odds_ratio:.2f} ({r.mh_ci_low:.2f}-{r.mh_ci_high:.2f}) |"
            lines.append(line)
        lines.append("")
        if "forest_adjusted.png" in files:
            lines += [f"![adjusted odds ratios with 95% intervals {d}](forest_adjusted.png)", ""]
        if result.model:
            lines += [
                f"- Model: {result.model.get('kind')}; fit: {result.model.get('fit')}; n = {result.model.get('n')} "
                f"({result.model.get('excluded_baseline_1')} grade-1 schools left out); "
                f"{result.model.get('multiple_testing')}; "
                f"events per variable {result.model.get('events_per_variable')}."
            ]
            if "warning" in result.model:
                lines.append(f"- **{result.model['warning']}.**")
            lines.append("")
    if result.covariates is not None and len(result.covariates):
        lines += [f"## Covariates of the model {d}", "", "| covariate | OR (95% CI) | p |", "| --- | --- | ---: |"]
        for r in result.covariates.itertuples(index=False):
            lines.append(f"| {r.description} | {r.odds_ratio:.2f} ({r.ci_low:.2f}-{r.ci_high:.2f}) | {r.p:.2g} |")
        lines.append("")
    if len(singles):
        lines += [f"## Practices one at a time: marginal 2x2 tables {d}", "", _md_table(singles.head(TOP), result), ""]
        if "forest.png" in files:
            lines += [f"![marginal odds ratios with 95% intervals {d}](forest.png)", ""]
        if "volcano.png" in files:
            lines += [f"![effect size against evidence {d}](volcano.png)", ""]
    comp = result.comparison
    if comp is not None:
        cs = comp.associations[comp.associations.kind == "practice"] if len(comp.associations) else comp.associations
        lines += [
            f"## For comparison: reported in the same inspection (design: {comp.design})",
            "",
            f"{comp.definition} {len(comp.subjects)} schools.",
            "",
        ]
        if len(cs):
            lines += [_md_table(cs.head(10), comp), ""]
            if comp.adjusted is not None and "mh_odds_ratio" in comp.adjusted.columns:
                found = int(comp.adjusted.adj_discovery.sum())
                lines += [
                    f"Adjusted for baseline and context: {found} discoveries (associations_cross_sectional.csv).",
                    "",
                ]
    if attainment is not None:
        lines += _attainment_markdown(attainment, files)
    if len(pairs):
        lines += [f"## Pairs of practices {d}", "", _md_table(pairs.head(TOP), result), ""]
    g = result.network
    lines += [
        f"## Co-occurrence network {d}",
        "",
        f"{g.number_of_nodes()} practices, {g.number_of_edges()} edges (pairs held together by at least "
        f"{p.get('min_support')} subjects, more often than chance at FDR {p.get('fdr')}); "
        f"{len([c for c in result.communities if len(c) > 1])} Louvain communities of two or more.",
        "",
    ]
    central = sorted(g.nodes(data=True), key=lambda kv: -kv[1].get("eigenvector", 0))[:10]
    if g.number_of_edges():
        lines += [
            "| practice | frequency | community | degree | betweenness | eigenvector |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for v, d in central:
            lines.append(
                f"| {v} | {d['frequency']} | {d['community']} | {d['degree']:.3f} | {d['betweenness']:.3f} "
                f"| {d['eigenvector']:.3f} |"
            )
        lines.append("")
    if consistency is not None:
        lines += ["## Consistency of stated figures", ""]
        if len(consistency) == 0:
            lines += ["No stated derived figure disagrees with the figures it derives from.", ""]
        for r in consistency.itertuples(index=False):
            lines.append(
                f"- **{r.kind}** stated {r.stated:g}, recomputed {r.recomputed:g} ({r.derivation}); "
                f"difference {r.difference:+.3g}. Stated: \u201c{r.stated_quote}\u201d. "
                f"From: \u201c{r.source_quote}\u201d."
            )
        lines.append("")
    lines += [
        "## Files",
        "",
        *[f"- [{name}]({name})" for name in sorted(files) if name != "report.md"],
        "",
        "Columns of associations.csv: the 2x2 table (improved/other x exposed/unexposed), support (share exposed), "
        "confidence (share of the exposed that improved), lift, the odds ratio with the Haldane-Anscombe "
        "correction and its 95% Wald interval, Fisher's exact p (two-sided) and the BH q.",
    ]
    if seconds is not None:
        lines += ["", f"Analysis time: {seconds:.1f} s."]
    return "\n".join(lines) + "\n"


def _md_table(frame: pd.DataFrame, result: AnalysisResult) -> str:
    rows = [
        "| exposure | exposed | improved if exposed | OR (95% CI) | lift | p | q |",
        "| --- | ---: | ---: | --- | ---: | ---: | ---: |",
    ]
    for r in frame.itertuples(index=False):
        name = r.feature + (f" & {r.feature_b}" if r.feature_b else "")
        mark = " **" if r.discovery else ""
        rows.append(
            f"| {name}{mark} | {r.exposed} | {r.confidence:.0%} | {r.odds_ratio:.2f} ({r.ci_low:.2f}-{r.ci_high:.2f}) "
            f"| {r.lift:.2f} | {r.p:.2g} | {r.q:.2g} |"
        )
    return "\n".join(rows) + "\n\n** = discovery at the FDR."


def _plots(result: AnalysisResult, out: Path) -> dict[str, Path]:
    """The report's PNG figures: marginal and adjusted forest plots, the volcano plot and improvement
    by baseline grade.

    Drawn on matplotlib ``Figure`` objects with the Agg canvas and margins computed from the widths
    of the labels, not ``tight_layout`` (which lays every tick label out once more before the draw),
    and log axes labelled with plain numbers at fixed ticks (``0.5``, ``1``, ``2``), not the default
    formatter's mathtext (``$10^{0}$``), whose parser is the slowest part of a draw (issue 19)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    def new(width: float, height: float) -> tuple[Any, Any]:
        fig = Figure(figsize=(width, height), dpi=DPI)
        FigureCanvasAgg(fig)
        return fig, fig.add_subplot()

    singles = result.associations[result.associations.kind == "practice"]
    files: dict[str, Path] = {}
    design = f"design: {result.design}"
    if len(singles):
        top = singles.assign(_e=-np.abs(np.log(singles.odds_ratio))).sort_values(["q", "_e"]).head(TOP)[::-1]
        files["forest.png"] = _forest(
            new,
            top.feature,
            top.odds_ratio,
            top.ci_low,
            top.ci_high,
            out / "forest.png",
            f"marginal odds ratio of improving (95% CI, log scale)\n{design}",
        )
        fig, ax = new(6, 4)
        ax.scatter(np.log2(singles.odds_ratio), -np.log10(np.maximum(singles.p, 1e-300)), c=singles.discovery, s=10)
        ax.set_xlabel("log2 odds ratio")
        ax.set_ylabel("-log10 p (Fisher)")
        ax.set_title(design, fontsize=8)
        _margins(fig, left=0.62, right=0.15, bottom=0.5, top=0.3)
        fig.savefig(out / "volcano.png")
        files["volcano.png"] = out / "volcano.png"
    adj = result.adjusted
    if adj is not None and len(adj):
        finite = adj[np.isfinite(np.log(adj.adj_ci_low)) & np.isfinite(np.log(adj.adj_ci_high))]
        top = finite.sort_values(["adj_q", "adj_p"]).head(TOP)[::-1]
        if len(top):
            held = (
                "baseline grade, context and other practices held fixed"
                if result.model
                else "other practices held fixed"
            )
            files["forest_adjusted.png"] = _forest(
                new,
                top.feature,
                top.adj_odds_ratio,
                top.adj_ci_low,
                top.adj_ci_high,
                out / "forest_adjusted.png",
                f"adjusted odds ratio of improving (95% CI, log scale;\n{held})\n{design}",
            )
    if result.by_baseline is not None and len(result.by_baseline):
        b = result.by_baseline
        fig, ax = new(5, 3.4)
        ax.bar(b.baseline_grade.astype(str), b.share, color="#4a7aa8")
        for x, (share, n) in enumerate(zip(b.share, b.n, strict=True)):
            ax.text(x, share + 0.01, f"{share:.0%}\nn={n}", ha="center", va="bottom", fontsize=7)
        ax.set_ylim(0, 1.15)
        ax.set_xlabel("baseline grade at inspection t (1 outstanding, 4 inadequate)")
        ax.set_ylabel("share improved at t+1")
        ax.set_title(f"improvement by baseline grade ({design})", fontsize=8)
        _margins(fig, left=0.6, right=0.1, bottom=0.5, top=0.3)
        fig.savefig(out / "baseline.png")
        files["baseline.png"] = out / "baseline.png"
    return files


DPI = 110
LOG_TICKS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1, 1.5, 2, 3, 5, 7, 10, 20, 50, 100)
"""Where a forest plot's log axis is labelled (the ones inside its limits; at least 1)."""


def _forest(new: Any, names: Any, est: Any, lo: Any, hi: Any, path: Path, xlabel: str) -> Path:
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

    names = [str(n) for n in names]
    fig, ax = new(7, 0.3 * len(names) + 1.4 + 0.14 * xlabel.count("\n"))
    y = np.arange(len(names))
    est, lo, hi = (np.asarray(v, dtype=float) for v in (est, lo, hi))
    ax.errorbar(est, y, xerr=[est - lo, hi - est], fmt="o", color="black", ecolor="grey")
    ax.axvline(1.0, color="red", lw=0.8)
    ax.set_xscale("log")
    shown = np.concatenate([lo, hi, est, [1.0]])
    shown = shown[np.isfinite(shown) & (shown > 0)]
    low, high = float(shown.min()), float(shown.max())
    pad = (high / low) ** 0.05
    ax.set_xlim(low / pad, high * pad)
    ticks = [t for t in LOG_TICKS if low / pad <= t <= high * pad] or [1.0]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_ylim(-0.6, len(names) - 0.4)
    ax.set_yticks(y, names, fontsize=7)
    ax.set_xlabel(xlabel, fontsize=8)
    widest = max((_text_width(fig, n, 7) for n in names), default=0.0)
    _margins(fig, left=widest + 0.2, right=0.15, bottom=0.45 + 0.14 * (xlabel.count("\n") + 1), top=0.15)
    fig.savefig(path)
    return path


def _text_width(fig: Any, text: str, size: float) -> float:
    """Width in inches of ``text`` at ``size`` points in the figure's default font (as Agg draws it)."""
    from matplotlib.font_manager import FontProperties

    renderer = fig.canvas.get_renderer()
    width, _, _ = renderer.get_text_width_height_descent(text, FontProperties(size=size), ismath=False)
    return float(width) / fig.dpi


def _margins(fig: Any, *, left: float, right: float, bottom: float, top: float) -> None:
    """Margins in inches (the layout ``tight_layout`` would compute, given the labels' sizes)."""
    w, h = fig.get_size_inches()
    fig.subplots_adjust(
        left=min(left / w, 0.8), right=1 - right / w, bottom=min(bottom / h, 0.8), top=1 - min(top / h, 0.19)
    )
