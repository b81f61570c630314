"""Layouts keep node boxes apart; labels are names, never IRIs; sources and quotes read cleanly."""

from __future__ import annotations

import networkx as nx
import pytest

from schoolkg.viz.layout import community_layout, layered_layout, layout, overlaps, separate
from schoolkg.viz.pages import drawing
from schoolkg.viz.query import query_graph
from schoolkg.viz.read import read_findings, source_text
from schoolkg.viz.views import VIEWS, build_view

CONSTRUCT = """PREFIX skg: <https://w3id.org/schoolkg/ontology#>
CONSTRUCT { ?f skg:practice ?c ; skg:about ?s ; skg:quote ?q } WHERE {
  ?f a skg:Finding ; skg:practice ?c ; skg:about ?s ; skg:quote ?q } LIMIT 20"""


@pytest.fixture(scope="module")
def graphs(built) -> dict[str, nx.Graph]:
    out = {v: build_view(v, built.store) for v in VIEWS}
    out["query"] = query_graph(built.store, CONSTRUCT)
    return out


@pytest.mark.parametrize("view", [*sorted(VIEWS), "query"])
def test_no_box_is_drawn_on_another(graphs, view: str) -> None:
    g = graphs[view]
    boxes = {n: d.box for n, d in drawing(g).items()}
    pos = layout(g, boxes=boxes)
    assert set(pos) == set(g) and overlaps(pos, boxes) == 0


def test_layered_bands_run_left_to_right(graphs) -> None:
    g = graphs["programmes"]
    pos = layout(g, boxes={n: d.box for n, d in drawing(g).items()})
    x = {k: [pos[n][0] for n, d in g.nodes(data=True) if d["kind"] == k] for k in ("programme", "practice", "outcome")}
    assert max(x["programme"]) < min(x["practice"]) and max(x["practice"]) < min(x["outcome"])


def test_communities_are_placed_apart() -> None:
    g = nx.Graph([(1, 2), (2, 3), (3, 1), (4, 5), (5, 6), (6, 4)])
    nx.set_node_attributes(g, {1: 0, 2: 0, 3: 0, 4: 1, 5: 1, 6: 1}, "community")
    boxes = dict.fromkeys(g, (40.0, 20.0))
    pos = community_layout(g, boxes)
    assert overlaps(pos, boxes) == 0
    left = max(pos[v][0] + 20 for v in (1, 2, 3)) <= min(pos[v][0] - 20 for v in (4, 5, 6))
    top = max(pos[v][1] + 10 for v in (1, 2, 3)) <= min(pos[v][1] - 10 for v in (4, 5, 6))
    assert left or top, "the two groups' extents do not interleave"


def test_separate_resolves_a_pile() -> None:
    pile = {i: (0.0, 0.0) for i in range(50)}
    boxes = dict.fromkeys(pile, (60.0, 18.0))
    assert overlaps(pile, boxes) == 50 and overlaps(separate(pile, boxes), boxes) == 0


def test_layered_layout_orders_by_parents() -> None:
    g = nx.Graph([("p1", "a"), ("p2", "b"), ("p1", "c")])
    band = {"p1": 0, "p2": 0, "a": 1, "b": 1, "c": 1}
    pos = layered_layout(g, band, dict.fromkeys(g, (30.0, 12.0)))
    assert pos["p1"][1] < pos["p2"][1]
    assert max(pos["a"][1], pos["c"][1]) < pos["b"][1], "children of the first parent come first"


def test_labels_are_names_not_iris(graphs) -> None:
    for view, g in graphs.items():
        raw = [d["label"] for _, d in g.nodes(data=True) if "://" in str(d.get("label"))]
        assert raw == [], f"{view}: {raw[:3]}"
    kinds = {d["kind"] for _, d in graphs["query"].nodes(data=True)}
    assert "finding" in kinds and "practice" in kinds
    findings = [d["label"] for _, d in graphs["query"].nodes(data=True) if d["kind"] == "finding"]
    assert all(label.split(": ", 1)[0] in ("strength", "weakness", "finding") for label in findings)


def test_sources_name_each_part_once(built) -> None:
    for f in read_findings(built.store):
        text = source_text(f)
        title = str(f["doctitle"] or "")
        assert text.count(title) == 1 if title else True, text
        assert "offset" not in text


def test_quotes_are_shown_as_written(graphs) -> None:
    """The details show each quote exactly, with no doubled closing mark when the text has its own."""
    for _, _, d in graphs["evidence"].edges(data=True):
        quote = d.get("quote") or ""
        assert quote in d["info"]
        assert "\u201d\u201d" not in d["info"] and '""' not in d["info"]
