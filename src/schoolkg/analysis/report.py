"""Write an analysis: CSV tables, a Markdown report with PNG plots, and the results as RDF with PROV."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, serialize

from schoolkg import iris
from schoolkg.analysis.consistency import check_store
from schoolkg.analysis.graphs import read_analysis_data
from schoolkg.analysis.run import AnalysisResult, analyse
from schoolkg.mapping.terms import lit
from schoolkg.store.base import Store
from schoolkg.vocab import PROV, RDF, SKG, XSD

__all__ = ["analyse_to_folder", "analysis_quads", "render_markdown", "write_report"]

TOP = 20


def analyse_to_folder(store: Store, out: Path, **options: Any) -> tuple[AnalysisResult, dict[str, Path]]:
    """Read the store, analyse it (``options`` as for :func:`~schoolkg.analysis.run.analyse`), and
    write the report, tables, plots and RDF under ``out``, with the consistency check of the
    sources' figures. Returns the result and the written files by name (``schoolkg analyse``).
    """
    started = datetime.now(UTC)
    data = read_analysis_data(store)
    result = analyse(data, **options)
    files = write_report(result, out, used=data.graphs, started=started, consistency=check_store(store))
    return result, files


def write_report(
    result: AnalysisResult,
    out: Path,
    *,
    used: Sequence[str],
    started: datetime,
    consistency: pd.DataFrame | None = None,
) -> dict[str, Path]:
    """Write everything under ``out``; return the written files by name."""
    out.mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}
    tables = {
        "associations.csv": result.associations,
        "adjusted.csv": result.adjusted,
        "labels.csv": pd.DataFrame(
            {"subject": result.subjects, "improved": result.improved, "evidence": result.evidence}
        ),
        "network_nodes.csv": pd.DataFrame([{"feature": v, **d} for v, d in result.network.nodes(data=True)]),
        "network_edges.csv": pd.DataFrame([{"a": a, "b": b, **d} for a, b, d in result.network.edges(data=True)]),
        "consistency.csv": consistency,
    }
    for name, frame in tables.items():
        if frame is not None:
            frame.to_csv(out / name, index=False)
            files[name] = out / name
    files.update(_plots(result, out))
    ended = datetime.now(UTC)
    run_id = f"{result.params.get('improvement', 'matrix')}-{started.strftime('%Y%m%dT%H%M%S')}"
    quads = analysis_quads(result, run_id=run_id, used=used, started=started, ended=ended)
    (out / "analysis.nq").write_bytes(serialize(quads, format=RdfFormat.N_QUADS) or b"")
    files["analysis.nq"] = out / "analysis.nq"
    md = render_markdown(result, files, consistency=consistency, seconds=(ended - started).total_seconds())
    (out / "report.md").write_text(md, encoding="utf-8")
    files["report.md"] = out / "report.md"
    return files


def analysis_quads(
    result: AnalysisResult, *, run_id: str, used: Sequence[str], started: datetime, ended: datetime
) -> list[Quad]:
    """The analysis as RDF in the named graph ``…/graph/analysis``: a PROV activity and its associations."""
    g = NamedNode(iris.GRAPH_ANALYSIS)
    run = NamedNode(iris.analysis_iri(run_id))
    q: list[Quad] = [
        Quad(run, RDF.type, SKG.Analysis, g),
        Quad(run, PROV.startedAtTime, _dt(started), g),
        Quad(run, PROV.endedAtTime, _dt(ended), g),
        Quad(run, SKG.improvementDefinition, Literal(result.definition or "given outcome"), g),
        Quad(run, SKG.minSupport, _typed(int(result.params.get("min_support", 1)), "integer"), g),
        Quad(run, SKG.fdrLevel, _typed(float(result.params.get("fdr", 0.05)), "double"), g),
        Quad(run, SKG.subjectCount, _typed(len(result.subjects), "integer"), g),
    ]
    for u in used:
        q.append(Quad(run, PROV.used, NamedNode(u), g))
    adjusted = (
        {}
        if result.adjusted is None
        else dict(zip(result.adjusted.feature, result.adjusted.adj_odds_ratio, strict=True))
    )
    for row in result.associations.itertuples(index=False):
        a = NamedNode(iris.association_iri(run_id, row.feature, row.feature_b))
        label = row.feature + (f" & {row.feature_b}" if row.feature_b else "")
        q += [
            Quad(a, RDF.type, SKG.Association, g),
            Quad(a, PROV.wasGeneratedBy, run, g),
            Quad(a, SKG.exposureLabel, Literal(label), g),
        ]
        for f in (row.feature, row.feature_b):
            if f:
                q.append(Quad(a, SKG.exposure, NamedNode(iris.PRACTICE_BASE + f.split(":", 1)[0]), g))
        for prop, value in (
            (SKG.exposedImprovedCount, row.improved_exposed),
            (SKG.exposedOtherCount, row.other_exposed),
            (SKG.unexposedImprovedCount, row.improved_unexposed),
            (SKG.unexposedOtherCount, row.other_unexposed),
        ):
            q.append(Quad(a, prop, _typed(int(value), "integer"), g))
        for prop, value in (
            (SKG.support, row.support),
            (SKG.confidence, row.confidence),
            (SKG.lift, row.lift),
            (SKG.oddsRatio, row.odds_ratio),
            (SKG.oddsRatioLower, row.ci_low),
            (SKG.oddsRatioUpper, row.ci_high),
            (SKG.pValue, row.p),
            (SKG.qValue, row.q),
        ):
            if value is not None and math.isfinite(value):
                q.append(Quad(a, prop, _typed(float(value), "double"), g))
        if not row.feature_b and row.feature in adjusted:
            q.append(Quad(a, SKG.adjustedOddsRatio, _typed(float(adjusted[row.feature]), "double"), g))
        q.append(Quad(a, SKG.discovery, _typed("true" if row.discovery else "false", "boolean"), g))
    return q


def render_markdown(
    result: AnalysisResult,
    files: dict[str, Path],
    *,
    consistency: pd.DataFrame | None = None,
    seconds: float | None = None,
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
    if len(singles):
        lines += ["## Practices: effect sizes first", "", _md_table(singles.head(TOP), result), ""]
        if "forest.png" in files:
            lines += ["![odds ratios with 95% intervals](forest.png)", ""]
        if "volcano.png" in files:
            lines += ["![effect size against evidence](volcano.png)", ""]
    if result.adjusted is not None and len(result.adjusted):
        adj = result.adjusted.sort_values("adj_q").head(TOP)
        lines += [
            "## Adjusted odds ratios (each practice holding the others fixed)",
            "",
            "| practice | exposed | adjusted OR (95% CI) | p | q |",
            "| --- | ---: | --- | ---: | ---: |",
        ]
        for r in adj.itertuples(index=False):
            lines.append(
                f"| {r.feature} | {r.exposed} | {r.adj_odds_ratio:.2f} ({r.adj_ci_low:.2f}-{r.adj_ci_high:.2f}) "
                f"| {r.adj_p:.2g} | {r.adj_q:.2g} |"
            )
        lines.append("")
    if len(pairs):
        lines += ["## Pairs of practices", "", _md_table(pairs.head(TOP), result), ""]
    g = result.network
    lines += [
        "## Co-occurrence network",
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
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    singles = result.associations[result.associations.kind == "practice"]
    files: dict[str, Path] = {}
    if not len(singles):
        return files
    top = singles.assign(_e=-np.abs(np.log(singles.odds_ratio))).sort_values(["q", "_e"]).head(TOP)[::-1]
    fig, ax = plt.subplots(figsize=(7, 0.3 * len(top) + 1.2))
    y = np.arange(len(top))
    ax.errorbar(
        top.odds_ratio,
        y,
        xerr=[top.odds_ratio - top.ci_low, top.ci_high - top.odds_ratio],
        fmt="o",
        color="black",
        ecolor="grey",
    )
    ax.axvline(1.0, color="red", lw=0.8)
    ax.set_xscale("log")
    ax.set_yticks(y, top.feature, fontsize=7)
    ax.set_xlabel("odds ratio of improving (95% CI, log scale)")
    fig.tight_layout()
    fig.savefig(out / "forest.png", dpi=110)
    plt.close(fig)
    files["forest.png"] = out / "forest.png"
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.scatter(np.log2(singles.odds_ratio), -np.log10(np.maximum(singles.p, 1e-300)), c=singles.discovery, s=10)
    ax.set_xlabel("log2 odds ratio")
    ax.set_ylabel("-log10 p (Fisher)")
    fig.tight_layout()
    fig.savefig(out / "volcano.png", dpi=110)
    plt.close(fig)
    files["volcano.png"] = out / "volcano.png"
    return files


def _dt(when: datetime) -> Literal:
    return Literal(when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), datatype=XSD.dateTime)


def _typed(value: Any, datatype: str) -> Literal:
    if datatype == "double":
        return Literal(repr(float(value)), datatype=XSD.double)
    return lit(value, datatype)
