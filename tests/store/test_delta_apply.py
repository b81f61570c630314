"""Applying a dump's difference to an on-disk store (issue 18, incremental) keeps the union default
graph exact when a count changes across a value pyoxigraph's pattern scan over-reaches from.

pyoxigraph 0.5.13's ``quads_for_pattern`` on RocksDB returns, for a bound ``xsd:integer`` object of
value 255 modulo 256, the quads of the next larger integers too (see schoolkg.patterns). An update
of ``skg:polarSourceCount`` from 767 to 790 kept "767" in the default graph beside "790": the
removal asked whether any named graph still stated the old triple and the new one answered.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest
from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad

from schoolkg.patterns import quads_matching
from schoolkg.store.delta import apply_delta, diff_sorted

XSD_INTEGER = NamedNode("http://www.w3.org/2001/XMLSchema#integer")
NODE = NamedNode("https://w3id.org/schoolkg/id/aggregate/practice-polarity/phonics-teaching/weakness")
COUNT = NamedNode("https://w3id.org/schoolkg/ontology#polarSourceCount")
GRAPH = NamedNode("https://w3id.org/schoolkg/graph/aggregates/reports")


def _line(value: int) -> bytes:
    return f'<{NODE.value}> <{COUNT.value}> "{value}"^^<{XSD_INTEGER.value}> <{GRAPH.value}> .\n'.encode()


@pytest.mark.parametrize(("before", "after"), [(767, 790), (255, 256), (1023, 1024), (12, 40)])
def test_a_changed_count_leaves_only_the_new_value_in_every_graph(tmp_path: Path, before: int, after: int) -> None:
    old, new = tmp_path / "old.nq", tmp_path / "new.nq"
    old.write_bytes(_line(before))
    new.write_bytes(_line(after))
    store = pyoxigraph.Store(str(tmp_path / "store"))  # on disk: the in-memory store scans exactly
    store.extend([Quad(NODE, COUNT, Literal(str(before), datatype=XSD_INTEGER), g) for g in (GRAPH, DefaultGraph())])
    delta = diff_sorted(old, new, tmp_path)
    apply_delta(store, delta)
    got = sorted((q.object.value, str(q.graph_name)) for q in store.quads_for_pattern(NODE, COUNT, None))
    assert got == sorted([(str(after), "DEFAULT"), (str(after), f"<{GRAPH.value}>")])


def test_quads_matching_keeps_only_the_pattern_on_disk(tmp_path: Path) -> None:
    store = pyoxigraph.Store(str(tmp_path / "store"))
    values = [Literal(str(v), datatype=XSD_INTEGER) for v in range(0, 1100, 7)] + [
        Literal(str(v), datatype=XSD_INTEGER) for v in (255, 511, 767, 1023)
    ]
    store.extend([Quad(NODE, COUNT, v, g) for v in values for g in (GRAPH, DefaultGraph())])
    for v in values:
        for graph in (None, GRAPH, DefaultGraph()):
            got = list(quads_matching(store, NODE, COUNT, v, graph))
            assert {q.object for q in got} == {v}
            assert len(got) == (2 if graph is None else 1)
