"""Colours and shapes of node types, polarities and communities, and the legend entries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["COMMUNITY_COLOURS", "KIND_STYLE", "POLARITY_COLOURS", "Entry", "community_colour", "legend_for", "style"]

POLARITY_COLOURS = {"strength": "#2e8b57", "weakness": "#c0392b", "mixed": "#e6a117"}
KIND_STYLE: dict[str, tuple[str, str]] = {
    "programme": ("#1f5fa8", "box"),
    "strand": ("#5b8fd6", "box"),
    "practice": ("#7f7f7f", "dot"),
    "outcome": ("#8e44ad", "diamond"),
    "school": ("#d35400", "star"),
    "local authority": ("#d35400", "star"),
    "document": ("#34495e", "box"),
    "finding": ("#95a5a6", "dot"),
    "judgement": ("#16a085", "triangle"),
    "resource": ("#9aa5b1", "dot"),
}
COMMUNITY_COLOURS = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
    "#e377c2", "#17becf", "#bcbd22", "#393b79", "#ad494a", "#637939",
]  # fmt: skip


@dataclass(frozen=True)
class Entry:
    """One legend line: a swatch of ``colour`` and ``shape`` and its ``text``."""

    text: str
    colour: str
    shape: str = "dot"


def community_colour(index: int) -> str:
    """Colour of community ``index`` (0 is the largest); -1 (no community) is grey.

    >>> community_colour(0), community_colour(12), community_colour(-1)
    ('#1f77b4', '#1f77b4', '#9aa5b1')
    """
    return "#9aa5b1" if index < 0 else COMMUNITY_COLOURS[index % len(COMMUNITY_COLOURS)]


def style(data: dict[str, Any]) -> tuple[str, str]:
    """Colour and shape of a node: community, then polarity, then node type decides colour.

    >>> style({"kind": "practice", "polarity": "weakness"})
    ('#c0392b', 'dot')
    >>> style({"kind": "programme"})
    ('#1f5fa8', 'box')
    """
    colour, shape = KIND_STYLE.get(str(data.get("kind")), KIND_STYLE["resource"])
    if "community" in data:
        return community_colour(int(data["community"])), shape
    if data.get("polarity") in POLARITY_COLOURS:
        return POLARITY_COLOURS[str(data["polarity"])], shape
    return colour, shape


def legend_for(nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> list[Entry]:
    """Legend entries for what the graph actually shows (node types, polarities, communities).

    >>> [e.text for e in legend_for([{"kind": "programme"}, {"kind": "practice", "polarity": "strength"}], [])]
    ['programme', 'practice', 'strength']
    """
    entries: list[Entry] = []
    kinds = list(dict.fromkeys(str(n.get("kind")) for n in nodes))
    for kind in kinds:
        colour, shape = KIND_STYLE.get(kind, KIND_STYLE["resource"])
        entries.append(Entry(kind, colour, shape))
    polarities = {str(x.get("polarity")) for x in [*nodes, *edges]}
    entries += [Entry(p, c, "line") for p, c in POLARITY_COLOURS.items() if p in polarities]
    communities = sorted({int(n["community"]) for n in nodes if "community" in n})
    shown = [c for c in communities if c >= 0][: len(COMMUNITY_COLOURS)]
    entries += [Entry(f"community {c + 1}", community_colour(c)) for c in shown]
    return entries
