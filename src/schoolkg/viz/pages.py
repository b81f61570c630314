"""Draw a networkx graph as one self-contained HTML page (pyvis data, our own offline template).

pyvis 0.3.2's own template loads bootstrap and tom-select from a CDN even with
``cdn_resources="in_line"``; ours inlines the vendored vis-network build (``static/``), a small
stylesheet and script, and the graph as JSON, so a page opens with no network at all.
Text reaches the page only as JSON inside ``<script type="application/json">`` (Jinja's
``tojson`` escapes ``<``, ``>``, ``&`` and quotes) and is put into the page with ``textContent``.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Hashable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import networkx as nx
from pyvis.network import Network

from schoolkg.viz.layout import CHAR_WIDTH, LINE_HEIGHT, SPRING_LIMIT, Box, clusters, layout
from schoolkg.viz.legend import POLARITY_COLOURS, Entry, community_colour, legend_for, style

__all__ = [
    "AGGREGATE_LIMIT",
    "STATIC",
    "Drawn",
    "Page",
    "aggregate",
    "drawing",
    "page_options",
    "render_index",
    "render_page",
    "vis_data",
]

STATIC = Path(__file__).resolve().parent / "static"
TOOLTIP_LIMIT = 3000  # above this many nodes, details show in the side panel only
AGGREGATE_LIMIT = 3000  # above this many nodes, the page opens on clusters (super-nodes)
EDGE_LABEL_LIMIT = 150
FONT_BY_KIND = {"programme": 16, "school": 16, "local authority": 16, "strand": 14, "practice": 14, "document": 13,
                "outcome": 13, "judgement": 12, "finding": 11}  # fmt: skip
WRAP_WIDTH = 190.0  # canvas units: labels wrap at this width (vis-network widthConstraint)
LABEL_THRESHOLD = 7  # a label shows once its font is drawn at least this size - 1 px (level of detail)


@dataclass(frozen=True)
class Page:
    """A written page, for the index: file name, title, description and size."""

    file: str
    title: str
    description: str
    nodes: int
    edges: int


@dataclass(frozen=True)
class Drawn:
    """How a node is drawn: font size and dot radius (canvas units), and its box."""

    font: float
    radius: float
    box: Box


def drawing(graph: nx.Graph) -> dict[Hashable, Drawn]:
    """Font, radius and box of every node: type sets the font, hubs (degree) and size (findings)
    make it bigger, labels wrap at :data:`WRAP_WIDTH` canvas units; the box is what the layout
    keeps apart (not computed above :data:`~schoolkg.viz.layout.SPRING_LIMIT` nodes, whose
    grouped layout does not use it).

    >>> g = nx.Graph([("a", "b")])
    >>> g.add_node("a", label="a practice with a long name to wrap", kind="practice", size=4)
    >>> d = drawing(g)["a"]
    >>> d.font, d.box[1] > 2 * d.radius + d.font
    (15.0, True)
    """
    sizes = [float(d["size"]) for _, d in graph.nodes(data=True) if d.get("size")]
    lo, hi = (min(sizes), max(sizes)) if sizes else (0.0, 0.0)
    degree = dict(graph.degree())
    boxes = graph.number_of_nodes() <= SPRING_LIMIT
    quiet = graph.graph.get("unlabelled", ())
    out = {}
    for n, d in graph.nodes(data=True):
        kind = str(d.get("kind", ""))
        font = float(FONT_BY_KIND.get(kind, 13) + min(6, math.floor(math.log2(1 + degree[n]))))
        share = (float(d["size"]) - lo) / (hi - lo) if d.get("size") and hi > lo else 0.3
        radius = 5.0 + 9.0 * math.sqrt(share)
        box: Box = (0.0, 0.0)
        if boxes:
            _, shape = style(d)
            text = "" if kind in quiet else str(d.get("label", n))
            chars = max(4, int(WRAP_WIDTH / (font * CHAR_WIDTH)))
            lines = [line for part in text.split("\n") for line in textwrap.wrap(part, chars)]
            # as wide as the longest part unwrapped, up to the wrap width (the browser may fit more
            # on a line than the estimate), as tall as the estimate's lines
            longest = max((len(part) for part in text.split("\n")), default=0) if text else 0
            text_w = min(WRAP_WIDTH, longest * font * CHAR_WIDTH)
            text_h = len(lines) * font * LINE_HEIGHT
            if shape in ("box", "ellipse", "database", "text"):
                box = (round(text_w + 12, 1), round(text_h + 12, 1))
            else:
                box = (round(max(text_w, 2 * radius), 1), round(2 * radius + text_h + 6, 1))
        out[n] = Drawn(font, round(radius, 1), box)
    return out


def vis_data(
    graph: nx.Graph, positions: dict | None = None, drawn: dict[Hashable, Drawn] | None = None
) -> tuple[list[dict], list[dict]]:
    """vis-network node and edge records for ``graph`` (ids are integers, text stays plain).

    Examples
    --------
    >>> g = nx.DiGraph()
    >>> g.add_node("a", label="<b>A</b>", kind="programme", info="x")
    >>> g.add_edge("a", "a", info="loop")
    >>> nodes, edges = vis_data(g, {"a": (1.0, 2.0)})
    >>> nodes[0]["label"], nodes[0]["x"], nodes[0]["shape"], edges[0]["from"]
    ('<b>A</b>', 1.0, 'box', 0)

    Node types in ``graph.graph["unlabelled"]`` are drawn without a label (it moves to ``name``,
    which search matches, and stays in the details).
    """
    drawn = drawn if drawn is not None else drawing(graph)
    quiet = graph.graph.get("unlabelled", ())
    ids = {n: i for i, n in enumerate(graph.nodes)}
    nodes = []
    for n, d in graph.nodes(data=True):
        colour, shape = style(d)
        name = str(d.get("label", n))
        rec: dict = {"id": ids[n], "label": name, "color": colour, "shape": shape}
        if str(d.get("kind", "")) in quiet:
            rec["label"], rec["name"] = "", name
        look = drawn[n]
        rec["font"] = (
            {"size": look.font, "color": "#ffffff"} if shape == "box" and _dark(colour) else {"size": look.font}
        )
        if shape != "box":
            rec["size"] = look.radius
        for key in ("kind", "theme", "polarity", "info"):
            if d.get(key):
                rec[key] = str(d[key])
        if d.get("size"):
            rec["weight"] = float(d["size"])  # findings behind it (its radius is already in "size")
        if "community" in d:
            rec["community"] = int(d["community"])
        if positions is not None and n in positions:
            rec["x"], rec["y"] = (round(float(v), 1) for v in positions[n])
        nodes.append(rec)
    show_labels = graph.number_of_edges() <= EDGE_LABEL_LIMIT
    edges = []
    for i, (u, v, d) in enumerate(graph.edges(data=True)):
        rec = {"id": i, "from": ids[u], "to": ids[v]}
        if show_labels and d.get("label"):
            rec["label"] = str(d["label"])
        for key in ("polarity", "info"):
            if d.get(key):
                rec[key] = str(d[key])
        if d.get("polarity") in POLARITY_COLOURS:
            rec["color"] = {"color": POLARITY_COLOURS[str(d["polarity"])], "opacity": 0.7}
        if d.get("weight") is not None:
            rec["weight"] = float(d["weight"])
        edges.append(rec)
    _widths(edges)
    return nodes, edges


def _widths(edges: list[dict]) -> None:
    """Edge widths 1-8 from their ``weight``, set here: a vis-network ``value`` makes every data
    change rescale (and re-measure) every item, which made opening a cluster of a large page slow.

    >>> e = [{"weight": 1.0}, {"weight": 3.0}, {}]
    >>> _widths(e); [x.get("width") for x in e]
    [1.0, 8.0, None]
    """
    weights = [float(e["weight"]) for e in edges if e.get("weight") is not None]
    if not weights:
        return
    lo, hi = min(weights), max(weights)
    for e in edges:
        if e.get("weight") is not None:
            share = (float(e["weight"]) - lo) / (hi - lo) if hi > lo else 0.0
            e["width"] = round(1.0 + 7.0 * share, 2)


def _dark(colour: str) -> bool:
    """True for a colour white text reads on.

    >>> _dark("#1f5fa8"), _dark("#e6a117")
    (True, False)
    """
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.299 * r + 0.587 * g + 0.114 * b < 150


def page_options(n_nodes: int, directed: bool) -> dict:
    """vis-network options: physics off (positions come from Python), lighter drawing when large.

    >>> page_options(30000, True)["interaction"]["hideEdgesOnDrag"]
    True
    """
    large = n_nodes > SPRING_LIMIT
    return {
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False},
        "interaction": {
            "hover": not large or n_nodes <= TOOLTIP_LIMIT,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": large,
            "hideEdgesOnZoom": large,
            "navigationButtons": False,
            "multiselect": True,
        },
        "nodes": {
            "font": {"size": 14, "face": "system-ui, sans-serif", "color": "#1d2731"},
            "widthConstraint": {"maximum": WRAP_WIDTH},
            "scaling": {"min": 6, "max": 20, "label": {"enabled": False, "drawThreshold": LABEL_THRESHOLD}},
            "borderWidth": 1,
        },
        "edges": {
            "arrows": {"to": {"enabled": directed, "scaleFactor": 0.5}},
            "color": {"color": "#9aa5b1", "highlight": "#1f3b57", "opacity": 0.6},
            "smooth": False,
            "scaling": {"min": 1, "max": 8},
            "font": {"size": 11, "align": "middle"},
            "selectionWidth": 2,
        },
    }


def aggregate(nodes: list[dict], edges: list[dict], cluster: list[int]) -> tuple[list[dict], list[dict]]:
    """Super-nodes (one per cluster, at its centre) and the edges between them.

    ``cluster[i]`` is the cluster of ``nodes[i]`` (records from :func:`vis_data`, with x/y).

    Examples
    --------
    >>> nodes = [{"id": 0, "label": "a", "x": 0, "y": 0, "weight": 3}, {"id": 1, "label": "b", "x": 2, "y": 0},
    ...          {"id": 2, "label": "c", "x": 9, "y": 9}]
    >>> sup, sup_edges = aggregate(nodes, [{"from": 0, "to": 2}, {"from": 1, "to": 2}], [0, 0, 1])
    >>> sup[0]["label"], sup[0]["x"], sup[0]["members"], sup_edges[0]["weight"]
    ('a +1', 1.0, 2, 2.0)
    """
    members: dict[int, list[dict]] = {}
    for rec, k in zip(nodes, cluster, strict=True):
        members.setdefault(k, []).append(rec)
    supers = []
    biggest = max((len(r) for r in members.values()), default=1)
    for k, recs in sorted(members.items()):
        top = max(recs, key=lambda r: (r.get("weight", 0), -r["id"]))
        names = ", ".join(r.get("name", r["label"]) for r in sorted(recs, key=lambda r: -r.get("weight", 0))[:8])
        supers.append(
            {
                "id": f"c{k}",
                "cluster": k,
                "super": True,
                "label": f"{top.get('name', top['label'])} +{len(recs) - 1}",
                "x": round(sum(r["x"] for r in recs) / len(recs), 1),
                "y": round(sum(r["y"] for r in recs) / len(recs), 1),
                "size": round(10.0 + 30.0 * math.sqrt(len(recs) / biggest), 1),
                "members": len(recs),
                "shape": "dot",
                "color": community_colour(k),
                "info": f"cluster {k + 1}: {len(recs):,} nodes (click to open)\n{names}, ...",
            }
        )
    counts: dict[tuple[int, int], int] = {}
    for e in edges:
        a, b = sorted((cluster[e["from"]], cluster[e["to"]]))
        if a != b:
            counts[(a, b)] = counts.get((a, b), 0) + 1
    super_edges = [
        {
            "id": f"c{a}-c{b}",
            "from": f"c{a}",
            "to": f"c{b}",
            "weight": float(n),
            "info": f"{n:,} edges between clusters",
        }
        for (a, b), n in sorted(counts.items())
    ]
    _widths(super_edges)
    return supers, super_edges


def render_page(graph: nx.Graph, title: str, description: str = "", note: str = "", *, seed: int = 1) -> str:
    """The HTML of one view: positions from :func:`layout`, data, legend, search and filters.

    Above :data:`AGGREGATE_LIMIT` nodes the page opens on clusters drawn as super-nodes;
    clicking one (or finding a node in it by search) opens it.
    """
    groups = clusters(graph, seed=seed) if graph.number_of_nodes() > SPRING_LIMIT else None
    drawn = drawing(graph)
    positions = layout(graph, seed=seed, groups=groups, boxes={n: d.box for n, d in drawn.items()})
    nodes, edges = vis_data(graph, positions, drawn)
    net = Network(directed=graph.is_directed(), heading=title)
    net.nodes, net.edges, net.node_ids = nodes, edges, [n["id"] for n in nodes]
    net.options = page_options(len(nodes), graph.is_directed())
    net.set_template_dir(str(STATIC), "page.html")
    data = {"nodes": net.nodes, "edges": net.edges, "options": net.options, "tooltipLimit": TOOLTIP_LIMIT}
    legend = legend_for(nodes, edges)
    if groups is not None and len(nodes) > AGGREGATE_LIMIT:
        cluster = [groups[n] for n in graph.nodes]
        for rec, k in zip(nodes, cluster, strict=True):
            rec["cluster"] = k
        data["clusters"], data["clusterEdges"] = aggregate(nodes, edges, cluster)
        legend.append(Entry("cluster (click to open)", community_colour(0)))
        note = note or (
            f"{len(nodes):,} nodes in {len(data['clusters']):,} clusters: click a cluster to open it; "
            "search opens the cluster of the first match."
        )
    return net.templateEnv.get_template(net.path).render(
        heading=net.heading,
        description=description,
        note=note,
        stats=f"{len(nodes):,} nodes · {len(edges):,} edges",
        legend=legend,
        data=data,
        css=_static("page.css"),
        vis_js=_static("vis-network/vis-network.min.js"),
        app_js=_static("page.js"),
    )


def render_index(pages: list[Page], store: str, *, analysis: str | None = None) -> str:
    """The index page linking every written view (and the analysis page at ``analysis``, a relative URL)."""
    net = Network()
    net.set_template_dir(str(STATIC), "index.html")
    return net.templateEnv.get_template("index.html").render(
        pages=pages, store=store, analysis=analysis, css=_static("page.css")
    )


@cache
def _static(name: str) -> str:
    return (STATIC / name).read_text(encoding="utf-8")
