"""Draw a networkx graph as one self-contained HTML page (pyvis data, our own offline template).

pyvis 0.3.2's own template loads bootstrap and tom-select from a CDN even with
``cdn_resources="in_line"``; ours inlines the vendored vis-network build (``static/``), a small
stylesheet and script, and the graph as JSON, so a page opens with no network at all.
Text reaches the page only as JSON inside ``<script type="application/json">`` (Jinja's
``tojson`` escapes ``<``, ``>``, ``&`` and quotes) and is put into the page with ``textContent``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import networkx as nx
from pyvis.network import Network

from schoolkg.viz.layout import SPRING_LIMIT, layout
from schoolkg.viz.legend import POLARITY_COLOURS, legend_for, style

__all__ = ["STATIC", "Page", "page_options", "render_index", "render_page", "vis_data"]

STATIC = Path(__file__).resolve().parent / "static"
TOOLTIP_LIMIT = 3000  # above this many nodes, details show in the side panel only
EDGE_LABEL_LIMIT = 150


@dataclass(frozen=True)
class Page:
    """A written page, for the index: file name, title, description and size."""

    file: str
    title: str
    description: str
    nodes: int
    edges: int


def vis_data(graph: nx.Graph, positions: dict | None = None) -> tuple[list[dict], list[dict]]:
    """vis-network node and edge records for ``graph`` (ids are integers, text stays plain).

    Examples
    --------
    >>> g = nx.DiGraph()
    >>> g.add_node("a", label="<b>A</b>", kind="programme", info="x")
    >>> g.add_edge("a", "a", info="loop")
    >>> nodes, edges = vis_data(g, {"a": (1.0, 2.0)})
    >>> nodes[0]["label"], nodes[0]["x"], nodes[0]["shape"], edges[0]["from"]
    ('<b>A</b>', 1.0, 'box', 0)
    """
    ids = {n: i for i, n in enumerate(graph.nodes)}
    nodes = []
    for n, d in graph.nodes(data=True):
        colour, shape = style(d)
        rec = {"id": ids[n], "label": str(d.get("label", n)), "color": colour, "shape": shape}
        for key in ("kind", "theme", "polarity", "info"):
            if d.get(key):
                rec[key] = str(d[key])
        if d.get("size"):
            rec["value"] = float(d["size"])  # type: ignore[arg-type]
        if "community" in d:
            rec["community"] = int(d["community"])
        if positions is not None and n in positions:
            rec["x"], rec["y"] = (round(float(v), 1) for v in positions[n])
        nodes.append(rec)
    show_labels = graph.number_of_edges() <= EDGE_LABEL_LIMIT
    edges = []
    for u, v, d in graph.edges(data=True):
        rec = {"from": ids[u], "to": ids[v]}
        if show_labels and d.get("label"):
            rec["label"] = str(d["label"])
        for key in ("polarity", "info"):
            if d.get(key):
                rec[key] = str(d[key])
        if d.get("polarity") in POLARITY_COLOURS:
            rec["color"] = {"color": POLARITY_COLOURS[str(d["polarity"])], "opacity": 0.7}
        if d.get("weight") is not None:
            rec["value"] = float(d["weight"])
        edges.append(rec)
    return nodes, edges


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
            "font": {"size": 14, "face": "system-ui, sans-serif"},
            "scaling": {"min": 8, "max": 40, "label": {"enabled": True, "min": 12, "max": 28}},
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


def render_page(graph: nx.Graph, title: str, description: str = "", note: str = "", *, seed: int = 1) -> str:
    """The HTML of one view: positions from :func:`layout`, data, legend, search and filters."""
    positions = layout(graph, seed=seed)
    nodes, edges = vis_data(graph, positions)
    net = Network(directed=graph.is_directed(), heading=title)
    net.nodes, net.edges, net.node_ids = nodes, edges, [n["id"] for n in nodes]
    net.options = page_options(len(nodes), graph.is_directed())
    net.set_template_dir(str(STATIC), "page.html")
    heading = net.heading
    data = {"nodes": net.nodes, "edges": net.edges, "options": net.options, "tooltipLimit": TOOLTIP_LIMIT}
    return net.templateEnv.get_template(net.path).render(
        heading=heading,
        description=description,
        note=note,
        stats=f"{len(nodes):,} nodes · {len(edges):,} edges",
        legend=legend_for(nodes, edges),
        data=data,
        css=_static("page.css"),
        vis_js=_static("vis-network/vis-network.min.js"),
        app_js=_static("page.js"),
    )


def render_index(pages: list[Page], store: str) -> str:
    """The index page linking every written view."""
    net = Network()
    net.set_template_dir(str(STATIC), "index.html")
    return net.templateEnv.get_template("index.html").render(pages=pages, store=store, css=_static("page.css"))


@cache
def _static(name: str) -> str:
    return (STATIC / name).read_text(encoding="utf-8")
