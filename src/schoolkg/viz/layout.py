"""Node positions computed in Python, so pages open with physics off.

Every node has a box (its shape and label, estimated in canvas units: :func:`node_box`), and
layouts up to :data:`SPRING_LIMIT` nodes place boxes so that none is drawn on another:
:func:`layered_layout` puts each layer (node type: programmes, strands, practices, outcomes)
in its own band of columns, ordered by the barycentre of their neighbours in earlier bands;
:func:`community_layout` lays out each community on its own (seeded spring layout) and packs
the communities apart; :func:`separate` pushes any remaining overlaps apart.
Large ones get a grouped layout that is linear in the number of nodes: nodes are grouped (by
community, or by node type), each group is laid out as a sunflower disc, and the discs are
themselves placed on a sunflower, largest first. A spring layout of 25,000 nodes takes minutes;
this takes well under a second.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Mapping

import networkx as nx
import numpy as np
from scipy.spatial import cKDTree

__all__ = [
    "SPRING_LIMIT",
    "clusters",
    "community_layout",
    "grouped_layout",
    "layered_layout",
    "layout",
    "node_box",
    "overlaps",
    "separate",
    "sunflower",
]

Box = tuple[float, float]  # width and height, canvas units, centred on the node position
CHAR_WIDTH = 0.62  # of the font size: DejaVu Sans / system-ui, with a little slack
LINE_HEIGHT = 1.25
GAP = 10.0  # between boxes

SPRING_LIMIT = 1000
_GOLDEN = math.pi * (3 - math.sqrt(5))


def sunflower(n: int, spacing: float = 1.0) -> list[tuple[float, float]]:
    """``n`` points spread evenly over a disc (Vogel's spiral), ``spacing`` apart on average.

    Examples
    --------
    >>> sunflower(1)
    [(0.0, 0.0)]
    >>> [round(math.hypot(*p), 3) for p in sunflower(3)]
    [0.0, 1.0, 1.414]
    """
    return [
        (spacing * math.sqrt(i) * math.cos(i * _GOLDEN), spacing * math.sqrt(i) * math.sin(i * _GOLDEN))
        for i in range(n)
    ]


def grouped_layout(
    graph: nx.Graph, group: str | Mapping[Hashable, object] = "community", spacing: float = 30.0
) -> dict[Hashable, tuple[float, float]]:
    """Positions in O(n): one sunflower disc per value of node attribute (or mapping) ``group``.

    Within a disc, nodes are ordered by degree (hubs in the middle); discs are ordered by size.

    Examples
    --------
    >>> g = nx.Graph([(1, 2), (3, 4)])
    >>> nx.set_node_attributes(g, {1: 0, 2: 0, 3: 1, 4: 1}, "community")
    >>> pos = grouped_layout(g)
    >>> len(pos), pos[1] == pos[3]
    (4, False)
    """
    groups: dict[object, list[Hashable]] = defaultdict(list)
    values = graph.nodes(data=group, default=None) if isinstance(group, str) else group.items()
    for n, value in values:
        groups[value].append(n)
    small = [m for key in [k for k, v in groups.items() if len(v) < 3] for m in groups.pop(key)]
    if small:  # pooled, so thousands of singleton groups do not each need a disc
        groups[("small groups",)] = small
    ordered = sorted(groups.values(), key=len, reverse=True)
    radii = [spacing * math.sqrt(len(members)) for members in ordered]
    # centres: a sunflower whose spacing fits the largest disc, then pushed out until discs clear
    centres = _place_discs(radii, spacing)
    pos: dict[Hashable, tuple[float, float]] = {}
    degree = dict(graph.degree())
    for members, (cx, cy) in zip(ordered, centres, strict=True):
        members = sorted(members, key=lambda m: (-degree[m], str(m)))
        for m, (x, y) in zip(members, sunflower(len(members), spacing), strict=True):
            pos[m] = (cx + x, cy + y)
    return pos


def _place_discs(radii: list[float], spacing: float) -> list[tuple[float, float]]:
    """Centres for discs of the given radii (largest first), greedy along a spiral, no overlap."""
    placed: list[tuple[float, float, float]] = []
    centres = []
    step = 0
    for r in radii:
        while True:
            t = step * _GOLDEN
            d = (spacing * 2 + (radii[0] if radii else 0)) * math.sqrt(step) * 0.9
            x, y = d * math.cos(t), d * math.sin(t)
            step += 1
            if all(math.hypot(x - px, y - py) >= r + pr + spacing for px, py, pr in placed):
                break
        placed.append((x, y, r))
        centres.append((x, y))
    return centres


def clusters(graph: nx.Graph, *, seed: int = 1, max_size: int = 1500) -> dict[Hashable, int]:
    """Cluster number of every node: its ``community`` attribute, else Louvain communities.

    Clusters are numbered largest first; clusters of fewer than 3 nodes are pooled into one,
    and clusters above ``max_size`` are cut into pieces, so opening any one stays quick.

    Examples
    --------
    >>> g = nx.Graph([(1, 2), (2, 3), (4, 5), (5, 6), (6, 4)])
    >>> g.add_node(7)
    >>> sorted(clusters(g).items())
    [(1, 0), (2, 0), (3, 0), (4, 1), (5, 1), (6, 1), (7, 2)]
    """
    if all("community" in d for _, d in graph.nodes(data=True)):
        found: dict[object, list[Hashable]] = defaultdict(list)
        for n, c in graph.nodes(data="community"):
            found[c].append(n)
        groups = list(found.values())
    else:
        groups = [list(c) for c in nx.community.louvain_communities(graph, seed=seed)]
    small = [n for g in groups if len(g) < 3 for n in g]
    groups = [g for g in groups if len(g) >= 3]
    pieces = [g[i : i + max_size] for g in groups for i in range(0, len(g), max_size)]
    pieces.sort(key=lambda g: (-len(g), str(min(g, key=str))))
    if small:
        pieces.append(small)
    return {n: k for k, members in enumerate(pieces) for n in members}


def layout(
    graph: nx.Graph,
    *,
    seed: int = 1,
    groups: Mapping[Hashable, object] | None = None,
    boxes: Mapping[Hashable, Box] | None = None,
    layers: Mapping[str, int] | None = None,
) -> dict[Hashable, tuple[float, float]]:
    """Positions for every node: layered or community-grouped up to :data:`SPRING_LIMIT` nodes,
    grouped discs above.

    ``boxes`` are the nodes' boxes (default: :func:`node_box` of each node's data); ``layers``
    maps a node ``kind`` to its band (default ``graph.graph["layers"]``, else communities).
    Large graphs are grouped by ``groups`` (node → cluster) or by :func:`clusters`.
    """
    n = graph.number_of_nodes()
    if n == 0:
        return {}
    if n > SPRING_LIMIT:
        return grouped_layout(graph, groups if groups is not None else clusters(graph, seed=seed))
    if boxes is None:
        boxes = {
            v: node_box(str(d.get("label", v)), 14.0, 10.0, str(d.get("shape", "dot")))
            for v, d in graph.nodes(data=True)
        }
    layers = layers if layers is not None else graph.graph.get("layers")
    if layers:
        band = {v: layers.get(str(d.get("kind")), max(layers.values()) + 1) for v, d in graph.nodes(data=True)}
        return separate(layered_layout(graph, band, boxes), boxes)
    return community_layout(graph, boxes, seed=seed)


def node_box(label: str, font: float, radius: float, shape: str) -> Box:
    """Width and height of a node as drawn (canvas units): a box around its label, or a shape
    with the label under it.

    >>> node_box("ab", 10, 5, "box"), node_box("", 10, 5, "dot")
    ((22.4, 22.5), (10, 10))
    """
    lines = label.split("\n") if label else []
    text_w = max((len(line) for line in lines), default=0) * font * CHAR_WIDTH
    text_h = len(lines) * font * LINE_HEIGHT
    if shape in ("box", "ellipse", "database", "text"):
        return (round(text_w + 10, 1), round(text_h + 10, 1))
    if not lines:
        return (2 * radius, 2 * radius)
    return (round(max(text_w, 2 * radius), 1), round(2 * radius + text_h + 4, 1))


def layered_layout(
    graph: nx.Graph, band: Mapping[Hashable, int], boxes: Mapping[Hashable, Box], aspect: float = 1.5
) -> dict[Hashable, tuple[float, float]]:
    """Bands left to right (``band[node]``), each band's nodes in columns of the same number of rows.

    Within a band nodes are ordered by the mean row of their neighbours in earlier bands (the
    first band by degree), so edges run mostly level; the number of rows is the one that brings
    the drawing's width/height nearest ``aspect``. Boxes never overlap.

    Examples
    --------
    >>> g = nx.Graph([("p", "a"), ("p", "b")])
    >>> pos = layered_layout(g, {"p": 0, "a": 1, "b": 1}, dict.fromkeys("pab", (20.0, 10.0)))
    >>> pos["p"][0] < pos["a"][0] == pos["b"][0], pos["a"][1] != pos["b"][1]
    (True, True)
    """
    bands: dict[int, list[Hashable]] = defaultdict(list)
    for v in graph.nodes:
        bands[band[v]].append(v)
    order = sorted(bands)
    degree = dict(graph.degree())
    rank: dict[Hashable, float] = {}
    for b in order:
        members = bands[b]

        def key(v: Hashable) -> tuple[float, float, str]:
            seen = [rank[u] for u in graph.adj[v] if u in rank]
            return (sum(seen) / len(seen) if seen else math.inf, -degree[v], str(graph.nodes[v].get("label", v)))

        members.sort(key=key)
        for i, v in enumerate(members):
            rank[v] = i / max(1, len(members) - 1)
    cell = {b: (max(boxes[v][0] for v in bands[b]) + GAP * 3, max(boxes[v][1] for v in bands[b]) + GAP) for b in order}
    biggest = max(len(m) for m in bands.values())

    def extent(rows: int) -> tuple[float, float]:
        width = sum(math.ceil(len(bands[b]) / rows) * cell[b][0] for b in order) + GAP * 6 * (len(order) - 1)
        height = max(min(rows, len(bands[b])) * cell[b][1] for b in order)
        return width, height

    rows = min(range(1, biggest + 1), key=lambda r: abs(math.log(extent(r)[0] / extent(r)[1] / aspect)))
    height = extent(rows)[1]
    pos: dict[Hashable, tuple[float, float]] = {}
    x = 0.0
    for b in order:
        w, h = cell[b]
        members = bands[b]
        columns = math.ceil(len(members) / rows)
        per_column = math.ceil(len(members) / columns)
        for i, v in enumerate(members):
            col, row = divmod(i, per_column)
            count = min(per_column, len(members) - col * per_column)
            top = (height - count * h) / 2
            pos[v] = (x + col * w + w / 2, top + row * h + h / 2)
        x += columns * w + GAP * 6
    return pos


def community_layout(
    graph: nx.Graph, boxes: Mapping[Hashable, Box], *, seed: int = 1, aspect: float = 1.5
) -> dict[Hashable, tuple[float, float]]:
    """Each community (``community`` attribute, else Louvain) laid out alone, then packed apart.

    A community is a seeded spring layout scaled to its boxes and :func:`separate`-d; single
    nodes are pooled into a grid. Communities are packed in rows (largest first) with a wide gap,
    so groups read as groups and no box overlaps another.

    Examples
    --------
    >>> g = nx.Graph([(1, 2), (2, 3), (3, 1), (4, 5), (5, 6), (6, 4)])
    >>> pos = community_layout(g, dict.fromkeys(g, (30.0, 20.0)))
    >>> overlaps(pos, dict.fromkeys(g, (30.0, 20.0)))
    0
    """
    found: dict[object, list[Hashable]] = defaultdict(list)
    if all("community" in d for _, d in graph.nodes(data=True)):
        for v, c in graph.nodes(data="community"):
            found[c].append(v)
    else:
        for i, members in enumerate(nx.community.louvain_communities(graph, seed=seed)):
            found[i] = list(members)
    groups = [m for m in found.values() if len(m) > 1]
    single = sorted(
        (v for m in found.values() if len(m) == 1 for v in m), key=lambda v: str(graph.nodes[v].get("label", v))
    )
    pieces: list[dict[Hashable, tuple[float, float]]] = []
    for members in groups:
        sub = graph.subgraph(members)
        spread = math.sqrt(sum((boxes[v][0] + GAP) * (boxes[v][1] + GAP) for v in members)) * 0.55
        raw = nx.spring_layout(sub, seed=seed, k=1.5 / math.sqrt(len(members)), iterations=80, weight=None)
        pieces.append(separate({v: (float(x) * spread, float(y) * spread) for v, (x, y) in raw.items()}, boxes))
    if single:
        pieces.append(_grid(single, boxes, aspect))
    return _pack(pieces, boxes, aspect)


def separate(
    pos: Mapping[Hashable, tuple[float, float]], boxes: Mapping[Hashable, Box], *, gap: float = GAP, rounds: int = 300
) -> dict[Hashable, tuple[float, float]]:
    """Positions moved apart until no two boxes (plus ``gap``) overlap, or ``rounds`` are spent.

    Each round finds the pairs near enough to overlap (a k-d tree on coordinates scaled by the
    largest box) and pushes each overlapping pair apart along the axis where they overlap
    least, half each.

    Examples
    --------
    >>> out = separate({1: (0.0, 0.0), 2: (1.0, 0.0)}, {1: (10.0, 10.0), 2: (10.0, 10.0)}, gap=0)
    >>> overlaps(out, {1: (10.0, 10.0), 2: (10.0, 10.0)})
    0
    """
    keys = list(pos)
    if len(keys) < 2:
        return {v: (float(x), float(y)) for v, (x, y) in pos.items()}
    xy = np.array([pos[k] for k in keys], dtype=float)
    wh = np.array([boxes[k] for k in keys], dtype=float) + gap
    for _ in range(rounds):
        i, j, ox, oy = _overlapping(xy, wh)
        if not len(i):
            break
        dx, dy = xy[i, 0] - xy[j, 0], xy[i, 1] - xy[j, 1]
        sx = np.where(dx > 0, 1.0, np.where(dx < 0, -1.0, np.where(i > j, 1.0, -1.0)))
        sy = np.where(dy > 0, 1.0, np.where(dy < 0, -1.0, np.where(i > j, 1.0, -1.0)))
        along_x = ox < oy
        px = np.where(along_x, (ox / 2 + 0.5) * sx, 0.0)
        py = np.where(along_x, 0.0, (oy / 2 + 0.5) * sy)
        move = np.zeros_like(xy)
        np.add.at(move[:, 0], i, px)
        np.add.at(move[:, 0], j, -px)
        np.add.at(move[:, 1], i, py)
        np.add.at(move[:, 1], j, -py)
        xy += move
    return {k: (round(float(x), 1), round(float(y), 1)) for k, (x, y) in zip(keys, xy, strict=True)}


def overlaps(pos: Mapping[Hashable, tuple[float, float]], boxes: Mapping[Hashable, Box]) -> int:
    """How many nodes' boxes overlap another's.

    >>> overlaps({1: (0, 0), 2: (5, 0), 3: (50, 0)}, dict.fromkeys((1, 2, 3), (10, 10)))
    2
    """
    keys = list(pos)
    if len(keys) < 2:
        return 0
    xy = np.array([pos[k] for k in keys], dtype=float)
    wh = np.array([boxes[k] for k in keys], dtype=float)
    i, j, _, _ = _overlapping(xy, wh)
    return len(set(i.tolist()) | set(j.tolist()))


def _overlapping(xy: np.ndarray, wh: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Pairs (i, j) of boxes that overlap, with how far along x and y."""
    scale = wh.max(axis=0)
    pairs = cKDTree(xy / scale).query_pairs(1.0, p=np.inf, output_type="ndarray")
    if not len(pairs):
        empty = np.zeros(0)
        return empty.astype(int), empty.astype(int), empty, empty
    i, j = pairs[:, 0], pairs[:, 1]
    ox = (wh[i, 0] + wh[j, 0]) / 2 - np.abs(xy[i, 0] - xy[j, 0])
    oy = (wh[i, 1] + wh[j, 1]) / 2 - np.abs(xy[i, 1] - xy[j, 1])
    hit = (ox > 0) & (oy > 0)
    return i[hit], j[hit], ox[hit], oy[hit]


def _grid(members: list[Hashable], boxes: Mapping[Hashable, Box], aspect: float) -> dict[Hashable, tuple[float, float]]:
    w = max(boxes[v][0] for v in members) + GAP
    h = max(boxes[v][1] for v in members) + GAP
    columns = max(1, round(math.sqrt(len(members) * aspect * h / w)))
    return {v: ((i % columns) * w, (i // columns) * h) for i, v in enumerate(members)}


def _pack(
    pieces: list[dict[Hashable, tuple[float, float]]], boxes: Mapping[Hashable, Box], aspect: float
) -> dict[Hashable, tuple[float, float]]:
    """Pieces (each a layout) packed in rows, largest first, ``GAP * 8`` apart."""
    rects = []
    for piece in pieces:
        x0 = min(x - boxes[v][0] / 2 for v, (x, y) in piece.items())
        x1 = max(x + boxes[v][0] / 2 for v, (x, y) in piece.items())
        y0 = min(y - boxes[v][1] / 2 for v, (x, y) in piece.items())
        y1 = max(y + boxes[v][1] / 2 for v, (x, y) in piece.items())
        rects.append((x1 - x0, y1 - y0, x0, y0, piece))
    rects.sort(key=lambda r: (-r[0] * r[1], -len(r[4])))
    space = GAP * 8
    area = sum((w + space) * (h + space) for w, h, *_ in rects)
    row_width = max(max(r[0] for r in rects), math.sqrt(area * aspect))
    pos: dict[Hashable, tuple[float, float]] = {}
    x = y = row_h = 0.0
    for w, h, x0, y0, piece in rects:
        if x > 0 and x + w > row_width:
            x, y, row_h = 0.0, y + row_h + space, 0.0
        for v, (px, py) in piece.items():
            pos[v] = (round(px - x0 + x, 1), round(py - y0 + y, 1))
        x += w + space
        row_h = max(row_h, h)
    return pos
