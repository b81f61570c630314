"""The analysis page: which practices go with improvement, how strongly, how sure, and the quotes behind it.

:func:`render_analysis_page` is pure: a plain dict (the ``analysis.json`` shape) in, one
self-contained HTML page out (inline CSS and SVG drawn here; no script, nothing fetched).
:func:`analysis_dict` builds that dict from today's :class:`~schoolkg.analysis.run.AnalysisResult`
when the analysis wrote no ``analysis.json``.

The dict::

    {"designs": {name: description}, "practices": [{"iri", "label", "design", "n_with", "n_without",
      "or", "ci_low", "ci_high", "p", "q", "adjusted_or", "adjusted_ci_low", "adjusted_ci_high",
      "adjusted_p", "adjusted_q", "mh_or", "mh_ci_low", "mh_ci_high", "quotes": [{"text", "source",
      "document"}]}], "by_baseline": [{"baseline_grade", "n", "improved", "share"}],
      "covariates": [...], "model": {...}, "network": {"nodes": [{"iri", "label"}],
      "edges": [{"a", "b", "weight"}]}}

Every field but ``practices[].label`` may be missing or null; ``network`` is optional (without
it the network is drawn from the practices alone, unlinked).
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from typing import Any

import networkx as nx

from schoolkg import iris

__all__ = ["analysis_dict", "render_analysis_page"]

Z95 = 1.959963984540054
_CSS = """*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
color:#1d2731;background:#fff}header{background:#1f3b57;color:#fff;padding:.6rem 1rem}header a{color:#cfe3ff}
header h1{margin:.2rem 0;font-size:1.3rem}main{max-width:64rem;margin:0 auto;padding:.5rem 1rem 3rem}
h2{font-size:1.1rem;margin:1.6rem 0 .4rem;border-bottom:1px solid #d7dde3}h3{font-size:1rem;margin:.8rem 0 .2rem}
svg{max-width:100%;height:auto;display:block}
.key svg{display:inline-block;vertical-align:middle;margin-right:.3rem}
svg text{font:12px system-ui,sans-serif;fill:#1d2731}
table{border-collapse:collapse;font-size:.85rem;width:100%}th,td{padding:.2rem .4rem;border-bottom:1px solid #e3e8ed;
text-align:right}th:first-child,td:first-child{text-align:left}.scroll{overflow-x:auto}
.key span{display:inline-block;margin-right:1rem}.muted{color:#55626f;font-size:.85rem}
blockquote{margin:.3rem 0 .3rem 1rem;padding:.2rem .6rem;border-left:3px solid #9fb0c0;background:#f7f9fb}
blockquote cite{display:block;font-size:.8rem;color:#55626f;font-style:normal}details{margin:.3rem 0}
summary{cursor:pointer;font-weight:600}dl{display:grid;grid-template-columns:max-content 1fr;gap:.1rem .8rem}
dt{font-weight:600}dd{margin:0}"""
GOOD, BAD, NEUTRAL = "#2e8b57", "#c0392b", "#7f8c99"
FOREST_ROWS = 30  # rows of the forest plot (the table lists every practice)
NETWORK_LABELS = 30  # labelled nodes of the network (every node has a tooltip)


def render_analysis_page(analysis: Mapping[str, Any], *, title: str = "Which practices go with improvement") -> str:
    """One self-contained HTML page of ``analysis`` (the ``analysis.json`` dict).

    Examples
    --------
    >>> page = render_analysis_page({"practices": [{"label": "Mentoring", "or": 2.0, "ci_low": 1.2,
    ...     "ci_high": 3.3, "n_with": 30, "n_without": 40, "q": 0.01}]})
    >>> "<svg" in page and "Mentoring" in page and "<script" not in page
    True
    """
    practices = [p for p in analysis.get("practices") or [] if isinstance(p, Mapping)]
    ordered = sorted(practices, key=_order)
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f"<title>{_e(title)} · schoolkg</title><style>{_CSS}</style></head><body>",
        f'<header><a href="index.html">schoolkg</a><h1>{_e(title)}</h1></header><main>',
        _design_section(analysis, practices),
        '<h2 id="forest">Odds ratios of improving, per practice</h2>',
        _forest_key(ordered),
        _forest_svg(ordered[:FOREST_ROWS]) if ordered else "<p>No practice was tested.</p>",
        (
            f'<p class="muted">The {FOREST_ROWS} most certain of {len(ordered)} practices (lowest q); every one is '
            "in the table below.</p>"
            if len(ordered) > FOREST_ROWS
            else ""
        ),
        _table(ordered),
        '<h2 id="baseline">Improvement by baseline grade</h2>',
        _baseline_svg(analysis.get("by_baseline") or []),
        '<h2 id="network">The practice network, coloured by association</h2>',
        _network_svg(analysis.get("network") or {}, practices),
        '<h2 id="quotes">What the inspectors wrote, per practice</h2>',
        _quotes(ordered),
        "</main></body></html>",
    ]
    return "\n".join(p for p in parts if p) + "\n"


def analysis_dict(result: Any, quotes: Mapping[str, Sequence[Mapping[str, str]]] | None = None) -> dict[str, Any]:
    """The page's dict from today's ``AnalysisResult`` (marginal and adjusted odds ratios, network).

    ``quotes`` maps a feature (``practice-local-name:polarity``) to its quotes. No baseline grades or
    Mantel-Haenszel ratios exist in
    that result, so ``by_baseline`` is empty and ``mh_*`` are null.
    """
    assoc = result.associations
    singles = assoc[assoc.kind == "practice"] if len(assoc) else assoc
    adjusted: dict[str, Any] = {}
    if result.adjusted is not None:
        adjusted = {r.feature: r for r in result.adjusted.itertuples(index=False)}
    labels = {v: _feature_label(v, str(d.get("label") or v)) for v, d in result.network.nodes(data=True)}
    n = len(result.subjects)
    out = []
    for r in singles.itertuples(index=False):
        local = str(r.feature).partition(":")[0]
        name = labels.get(r.feature) or _feature_label(str(r.feature), local)
        a = adjusted.get(r.feature)
        out.append(
            {
                "iri": iris.PRACTICE_BASE + local,
                "feature": r.feature,
                "label": name,
                "design": "marginal",
                "n_with": int(r.exposed),
                "n_without": n - int(r.exposed),
                "or": _num(r.odds_ratio),
                "ci_low": _num(r.ci_low),
                "ci_high": _num(r.ci_high),
                "p": _num(r.p),
                "q": _num(r.q),
                "adjusted_or": None if a is None else _num(a.adj_odds_ratio),
                "adjusted_ci_low": None if a is None else _num(a.adj_ci_low),
                "adjusted_ci_high": None if a is None else _num(a.adj_ci_high),
                "adjusted_p": None if a is None else _num(a.adj_p),
                "adjusted_q": None if a is None else _num(a.adj_q),
                "mh_or": None,
                "mh_ci_low": None,
                "mh_ci_high": None,
                "quotes": [dict(q) for q in (quotes or {}).get(str(r.feature), [])],
            }
        )
    n_yes = int(sum(bool(v) for v in result.improved))
    network = {  # nodes are features (a practice with a polarity), as the practices' "feature"
        "nodes": [
            {"iri": v, "label": _feature_label(v, d.get("label", v))} for v, d in result.network.nodes(data=True)
        ],
        "edges": [
            {"a": a, "b": b, "weight": float(d.get("jaccard", 1.0))} for a, b, d in result.network.edges(data=True)
        ],
    }
    return {
        "designs": {
            "marginal": "Each practice on its own: a 2x2 table of subjects with and without it against improved or "
            "not; odds ratio with the Haldane-Anscombe correction, 95% Wald interval, Fisher's exact p, "
            "Benjamini-Hochberg q.",
            "adjusted": "One logistic regression of improvement on all tested practices at once (each held "
            "fixed for the others), 95% Wald interval.",
        },
        "practices": out,
        "by_baseline": [],
        "covariates": [],
        "model": {
            "improvement": result.definition or str(result.params.get("improvement", "")),
            "unit": result.unit,
            "subjects": n,
            "improved": n_yes,
            "min_support": result.params.get("min_support"),
            "fdr": result.params.get("fdr"),
        },
        "notes": list(result.notes),
        "network": network,
    }


def _feature_label(feature: str, label: str) -> str:
    """A feature's label with its polarity.

    >>> _feature_label("mentoring:weakness", "Mentoring"), _feature_label("mentoring:weakness", "mentoring:weakness")
    ('Mentoring (weakness)', 'mentoring (weakness)')
    """
    local, _, pol = feature.partition(":")
    if label == feature:
        label = local
    return f"{label} ({pol})" if pol and not label.endswith(f"({pol})") else label


def _design_section(analysis: Mapping[str, Any], practices: list[Mapping[str, Any]]) -> str:
    rows = []
    model = analysis.get("model") or {}
    if isinstance(model, Mapping):
        for k, v in model.items():
            if v is not None and v != "" and not isinstance(v, Mapping | list):
                rows.append(f"<dt>{_e(str(k).replace('_', ' '))}</dt><dd>{_e(v)}</dd>")
    covariates = analysis.get("covariates") or []
    if covariates:
        names = [c.get("label") or c.get("name") or str(c) if isinstance(c, Mapping) else str(c) for c in covariates]
        rows.append(f"<dt>adjusted for</dt><dd>{_e(', '.join(names))}</dd>")
    rows.append(f"<dt>practices tested</dt><dd>{len(practices)}</dd>")
    designs = analysis.get("designs") or {}
    design_items = (
        "".join(f"<dt>{_e(k)}</dt><dd>{_e(_text(v))}</dd>" for k, v in designs.items())
        if isinstance(designs, Mapping)
        else ""
    )
    notes = "".join(f"<li>{_e(n)}</li>" for n in analysis.get("notes") or [])
    return (
        "<h2>What was compared</h2>"
        f"<dl>{''.join(rows)}</dl>"
        + (f"<h3>Designs</h3><dl>{design_items}</dl>" if design_items else "")
        + (f"<h3>What can and cannot be concluded</h3><ul>{notes}</ul>" if notes else "")
        + '<p class="muted">Associations are not effects: an odds ratio above 1 means subjects with the practice '
        "improved more often, not that the practice caused it.</p>"
    )


def _forest_key(ordered: list[Mapping[str, Any]]) -> str:
    has_adj = any(_f(p.get("adjusted_or")) for p in ordered)
    has_mh = any(_f(p.get("mh_or")) for p in ordered)
    key = [f'<span><svg width="14" height="14" viewBox="0 0 14 14"><circle cx="7" cy="7" r="5" fill="{GOOD}"/>'
           "</svg> unadjusted (95% CI)</span>"]  # fmt: skip
    if has_adj:
        key.append(
            f'<span><svg width="14" height="14" viewBox="0 0 14 14"><rect x="2" y="2" width="10" height="10" '
            f'fill="none" stroke="{GOOD}" stroke-width="2"/></svg> adjusted (95% CI)</span>'
        )
    if has_mh:
        key.append(
            f'<span><svg width="14" height="14" viewBox="0 0 14 14"><path d="M7 1 13 7 7 13 1 7Z" fill="{NEUTRAL}"/>'
            "</svg> Mantel-Haenszel (95% CI)</span>"
        )
    return (
        f'<p class="key">{"".join(key)}</p><p class="muted">Log scale; right of 1 = improved more often with the '
        f"practice. Green: interval above 1, red: below 1, grey: interval crosses 1 (q at most 0.05 in bold).</p>"
    )


def _forest_svg(ordered: list[Mapping[str, Any]]) -> str:
    row_h, left, right, width = 26, 400, 160, 1000
    plot_w = width - left - right
    values = [
        v
        for p in ordered
        for k in ("ci_low", "ci_high", "or", "adjusted_ci_low", "adjusted_ci_high", "mh_ci_low", "mh_ci_high")
        if (v := _f(p.get(k))) is not None and v > 0
    ]
    lo = min([*values, 0.5])
    hi = max([*values, 2.0])
    lo, hi = max(lo, 1e-3) / 1.15, min(hi, 1e3) * 1.15
    llo, lhi = math.log(lo), math.log(hi)

    def x(v: float) -> float:
        return left + (math.log(min(max(v, lo), hi)) - llo) / (lhi - llo) * plot_w

    top = 24
    height = top + row_h * len(ordered) + 40
    out = [f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="forest plot of odds ratios">']
    for tick in (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100):
        if lo <= tick <= hi:
            tx = x(tick)
            dash = "" if tick == 1 else ' stroke-dasharray="2 3"'
            out.append(
                f'<line x1="{tx:.1f}" y1="{top - 6}" x2="{tx:.1f}" y2="{height - 34}" stroke="#b8c2cc"{dash}/>'
                f'<text x="{tx:.1f}" y="{height - 20}" text-anchor="middle">{tick:g}</text>'
            )
    out.append(
        f'<text x="{left + plot_w / 2:.0f}" y="{height - 4}" text-anchor="middle">odds ratio of improving</text>'
        f'<text x="{width - right + 8}" y="{top - 8}">OR (95% CI)</text>'
    )
    for i, p in enumerate(ordered):
        y = top + row_h * i + row_h / 2
        bold = ' font-weight="700"' if (_f(p.get("q")) or 1) <= 0.05 else ""
        label = _clip(str(p.get("label") or p.get("iri") or "?"), 50)
        n = f" (n {p['n_with']})" if p.get("n_with") is not None else ""
        out.append(f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end"{bold}>{_e(label)}{_e(n)}</text>')
        if i % 2:
            out.insert(1, f'<rect x="0" y="{y - row_h / 2:.1f}" width="{width}" height="{row_h}" fill="#f4f7fa"/>')
        marks = [("", -5.0, "circle"), ("adjusted_", 0.0, "square"), ("mh_", 5.0, "diamond")]
        for prefix, dy, shape in marks:
            est = _f(p.get(f"{prefix}or"))
            if est is None or est <= 0:
                continue
            low, high = _f(p.get(f"{prefix}ci_low")), _f(p.get(f"{prefix}ci_high"))
            colour = _colour(est, low, high)
            yy = y + dy
            if low is not None and high is not None:
                out.append(
                    f'<line x1="{x(low):.1f}" y1="{yy:.1f}" x2="{x(high):.1f}" y2="{yy:.1f}" stroke="{colour}" '
                    'stroke-width="2"/>'
                )
            cx = x(est)
            if shape == "circle":
                out.append(f'<circle cx="{cx:.1f}" cy="{yy:.1f}" r="4.5" fill="{colour}"/>')
            elif shape == "square":
                out.append(
                    f'<rect x="{cx - 4:.1f}" y="{yy - 4:.1f}" width="8" height="8" fill="#fff" stroke="{colour}" '
                    'stroke-width="2"/>'
                )
            else:
                out.append(
                    f'<path d="M{cx:.1f} {yy - 5:.1f} {cx + 5:.1f} {yy:.1f} {cx:.1f} {yy + 5:.1f} {cx - 5:.1f} '
                    f'{yy:.1f}Z" fill="{colour}"/>'
                )
        out.append(f'<text x="{width - right + 8}" y="{y + 4:.1f}">{_e(_ci(p))}</text>')
    out.append("</svg>")
    return "".join(out)


def _table(ordered: list[Mapping[str, Any]]) -> str:
    if not ordered:
        return ""
    head = (
        "<tr><th>practice</th><th>design</th><th>with</th><th>without</th><th>OR (95% CI)</th><th>p</th><th>q</th>"
        "<th>adjusted OR (95% CI)</th><th>adj. q</th><th>MH OR (95% CI)</th></tr>"
    )
    rows = []
    for p in ordered:
        rows.append(
            "<tr>"
            + "".join(
                f"<td>{_e(v)}</td>"
                for v in (
                    p.get("label") or p.get("iri") or "?",
                    p.get("design") or "",
                    _int(p.get("n_with")),
                    _int(p.get("n_without")),
                    _ci(p),
                    _g(p.get("p")),
                    _g(p.get("q")),
                    _ci(p, "adjusted_"),
                    _g(p.get("adjusted_q")),
                    _ci(p, "mh_"),
                )
            )
            + "</tr>"
        )
    table = f'<div class="scroll"><table>{head}{"".join(rows)}</table></div>'
    return f"<details><summary>The numbers, every practice</summary>{table}</details>"


def _baseline_svg(rows: Sequence[Any]) -> str:
    rows = [r for r in rows if isinstance(r, Mapping)]
    if not rows:
        return '<p class="muted">No baseline grades in this analysis.</p>'
    bar_h, left, width = 30, 190, 720
    plot_w = width - left - 120
    height = bar_h * len(rows) + 30
    out = [f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="share improved by baseline grade">']
    for i, r in enumerate(rows):
        n, improved = _f(r.get("n")), _f(r.get("improved"))
        share = _f(r.get("share"))
        if share is None and n:
            share = (improved or 0) / n
        share = min(max(share or 0.0, 0.0), 1.0)
        y = i * bar_h + 4
        out.append(
            f'<text x="{left - 8}" y="{y + 16}" text-anchor="end">'
            f"{_e(_clip(str(r.get('baseline_grade', '?')), 28))}</text>"
            f'<rect x="{left}" y="{y}" width="{plot_w}" height="{bar_h - 8}" fill="#eef2f6"/>'
            f'<rect x="{left}" y="{y}" width="{share * plot_w:.1f}" height="{bar_h - 8}" fill="{GOOD}"/>'
            f'<text x="{left + plot_w + 8}" y="{y + 16}">{share:.0%} of {_int(n)}</text>'
        )
    out.append(f'<text x="{left}" y="{height - 4}">share of subjects that improved, by their grade before</text></svg>')
    return "".join(out)


def _network_svg(network: Mapping[str, Any], practices: list[Mapping[str, Any]]) -> str:
    by_iri: dict[str, Mapping[str, Any]] = {}
    for p in practices:  # a network node names a practice by its feature (practice:polarity) or its IRI
        for key in (p.get("feature"), p.get("iri")):
            if key:
                by_iri.setdefault(str(key), p)
    g = nx.Graph()
    for node in network.get("nodes") or []:
        if isinstance(node, Mapping) and node.get("iri"):
            g.add_node(str(node["iri"]), label=str(node.get("label") or node["iri"]))
    if not g:
        for iri, p in by_iri.items():
            g.add_node(iri, label=str(p.get("label") or iri))
    for e in network.get("edges") or []:
        if isinstance(e, Mapping) and e.get("a") in g and e.get("b") in g:
            g.add_edge(str(e["a"]), str(e["b"]), weight=_f(e.get("weight")) or 1.0)
    if not g:
        return '<p class="muted">No practice network in this analysis.</p>'
    width, height, pad = 960, 640, 90
    if g.number_of_edges():
        raw = nx.spring_layout(g, seed=1, k=1.6 / math.sqrt(g.number_of_nodes()), iterations=100)
    else:
        raw = nx.circular_layout(g)
    xs = [p[0] for p in raw.values()]
    ys = [p[1] for p in raw.values()]
    spanx, spany = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    pos = {
        v: (pad + (x - min(xs)) / spanx * (width - 2 * pad), 30 + (y - min(ys)) / spany * (height - 60))
        for v, (x, y) in raw.items()
    }
    out = [f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="practice network">']
    known = {v: by_iri.get(v) or by_iri.get(iris.PRACTICE_BASE + v.partition(":")[0], {}) for v in g}
    labelled = _free_labels(pos, {v: _clip(g.nodes[v]["label"], 30) for v in g}, known, g)
    for a, b in g.edges:
        (x1, y1), (x2, y2) = pos[a], pos[b]
        out.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#c5ced6"/>')
    for v, (x, y) in pos.items():
        p = by_iri.get(v) or by_iri.get(iris.PRACTICE_BASE + v.partition(":")[0], {})
        est = _f(p.get("adjusted_or")) or _f(p.get("or"))
        if p.get("adjusted_or") is not None:
            low, high = _f(p.get("adjusted_ci_low")), _f(p.get("adjusted_ci_high"))
        else:
            low, high = _f(p.get("ci_low")), _f(p.get("ci_high"))
        colour = "#c9d1d9" if est is None else _colour(est, low, high)
        r = 4 + min(5, math.sqrt(float(_f(p.get("n_with")) or 1)) / 2)
        tip = f"{g.nodes[v]['label']}: {_ci(p) or 'not tested'}"
        out.append(
            f'<g><title>{_e(tip)}</title><circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{colour}" '
            f'stroke="#fff"/>'
            + (
                f'<text x="{x:.1f}" y="{y + 17:.1f}" text-anchor="middle">{_e(_clip(g.nodes[v]["label"], 30))}</text>'
                if v in labelled
                else ""
            )
            + "</g>"
        )
    out.append("</svg>")
    return (
        "".join(out)
        + f'<p class="muted">Green: the practice goes with improvement (interval above 1), red: against it, '
        f"grey: not clear or not tested. Lines: practices found together more often than chance. The {NETWORK_LABELS} "
        "most certain are labelled; hover any node for its name and odds ratio.</p>"
    )


def _quotes(ordered: list[Mapping[str, Any]]) -> str:
    blocks = []
    for p in ordered:
        quotes = [q for q in p.get("quotes") or [] if isinstance(q, Mapping) and q.get("text")]
        items = []
        for q in quotes:
            cite = " · ".join(str(q[k]) for k in ("source", "document") if q.get(k))
            cite = _dedupe(cite)
            items.append(
                f"<blockquote>{_e(q['text'])}" + (f"<cite>{_e(cite)}</cite>" if cite else "") + "</blockquote>"
            )
        body = "".join(items) or '<p class="muted">No quote recorded.</p>'
        blocks.append(
            f"<details><summary>{_e(p.get('label') or p.get('iri') or '?')} — {_e(_ci(p) or 'no estimate')}, "
            f"{len(quotes)} quote{'s' if len(quotes) != 1 else ''}</summary>{body}</details>"
        )
    return "".join(blocks) or "<p>No practice was tested.</p>"


def _order(p: Mapping[str, Any]) -> tuple[float, float, str]:
    """Most certain first (q, then p), then the strongest effect."""
    q = _f(p.get("q"))
    est = _f(p.get("or"))
    return (1.0 if q is None else q, -abs(math.log(est)) if est and est > 0 else 0.0, str(p.get("label")))


def _free_labels(
    pos: Mapping[str, tuple[float, float]], texts: Mapping[str, str], practices: Mapping[str, Any], g: nx.Graph
) -> set[str]:
    """Nodes to label: most salient first, each only where its label box (estimated) is still free."""
    boxes: list[tuple[float, float, float, float]] = []
    chosen: set[str] = set()
    for v in sorted(pos, key=lambda v: _salience(practices.get(v, {}), g.degree(v))):
        x, y = pos[v]
        w = 6.6 * len(texts[v])
        box = (x - w / 2, y + 5, x + w / 2, y + 21)
        if all(box[2] < b[0] or box[0] > b[2] or box[3] < b[1] or box[1] > b[3] for b in boxes):
            boxes.append(box)
            chosen.add(v)
            if len(chosen) == NETWORK_LABELS:
                break
    return chosen


def _salience(p: Mapping[str, Any], degree: int) -> tuple[float, int]:
    """Sort key of the network's labels: the most certain practices first, then the hubs."""
    q = _f(p.get("adjusted_q")) if p.get("adjusted_q") is not None else _f(p.get("q"))
    return (1.0 if q is None else q, -degree)


def _colour(est: float, low: float | None, high: float | None) -> str:
    if low is not None and low > 1:
        return GOOD
    if high is not None and high < 1:
        return BAD
    return NEUTRAL


def _ci(p: Mapping[str, Any], prefix: str = "") -> str:
    est = _f(p.get(f"{prefix}or"))
    if est is None:
        return ""
    low, high = _f(p.get(f"{prefix}ci_low")), _f(p.get(f"{prefix}ci_high"))
    if low is None or high is None:
        return f"{est:.2f}"
    return f"{est:.2f} ({low:.2f} to {high:.2f})"


def _dedupe(text: str) -> str:
    """A citation with each part once.

    >>> _dedupe("Ofsted report · Ofsted report")
    'Ofsted report'
    """
    parts = [s.strip() for s in text.split(" · ")]
    return " · ".join(dict.fromkeys(p for p in parts if p))


def _f(v: Any) -> float | None:
    """A finite float or None."""
    try:
        out = float(v)
    except (TypeError, ValueError):
        return None
    return out if math.isfinite(out) else None


def _num(v: Any) -> float | None:
    return _f(v)


def _g(v: Any) -> str:
    f = _f(v)
    return "" if f is None else f"{f:.2g}"


def _int(v: Any) -> str:
    f = _f(v)
    return "" if f is None else f"{f:,.0f}"


def _text(v: Any) -> str:
    if isinstance(v, Mapping):
        return "; ".join(f"{k}: {_text(x)}" for k, x in v.items())
    if isinstance(v, list | tuple):
        return ", ".join(_text(x) for x in v)
    return str(v)


def _clip(text: str, n: int) -> str:
    """``text`` cut to ``n`` characters with an ellipsis.

    >>> _clip("abcdef", 4)
    'abc…'
    """
    return text if len(text) <= n else text[: n - 1] + "…"


def _e(v: Any) -> str:
    return html.escape(str(v), quote=True)
