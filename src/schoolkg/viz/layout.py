"""Node positions computed in Python, so pages open with physics off.

Small graphs get a seeded spring layout (a few hundred nodes take well under a second).
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

__all__ = ["SPRING_LIMIT", "clusters", "grouped_layout", "layout", "sunflower"]

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
    graph: nx.Graph, *, seed: int = 1, groups: Mapping[Hashable, object] | None = None
) -> dict[Hashable, tuple[float, float]]:
    """Positions for every node: spring up to :data:`SPRING_LIMIT` nodes, grouped above.

    Large graphs are grouped by ``groups`` (node → cluster) or by :func:`clusters`.
    """
    n = graph.number_of_nodes()
    if n == 0:
        return {}
    if n <= SPRING_LIMIT:
        scale = 60.0 * math.sqrt(n) + 100
        raw = nx.spring_layout(graph, seed=seed, k=2.0 / math.sqrt(n), iterations=60, weight=None)
        return {v: (float(x) * scale, float(y) * scale) for v, (x, y) in raw.items()}
    return grouped_layout(graph, groups if groups is not None else clusters(graph, seed=seed))
