"""The co-occurrence network's centralities equal networkx's (issue 19: computed with numpy instead)."""

import random

import networkx as nx
import numpy as np
import pytest

from schoolkg.analysis.cooccurrence import (
    annotate_network,
    betweenness_centrality,
    cooccurrence_graph,
    eigenvector_centrality,
)


def _random_graph(seed: int, ties: bool) -> nx.Graph:
    rnd = random.Random(seed)
    n = rnd.randint(3, 45)
    g = nx.Graph()
    g.add_nodes_from(f"p{i}" for i in range(n))
    density = rnd.random() * 0.5
    for i in range(n):
        for j in range(i + 1, n):
            if rnd.random() < density:
                # whole lengths make many shortest paths of equal length (the counts must add up)
                w = float(rnd.choice([1, 2, 3])) if ties else 1 / max(rnd.random(), 1e-3)
                g.add_edge(f"p{i}", f"p{j}", distance=w, jaccard=1 / w)
    return g


@pytest.mark.parametrize("ties", [True, False])
def test_betweenness_equals_networkx(ties: bool) -> None:
    for seed in range(120):
        g = _random_graph(seed, ties)
        ours = betweenness_centrality(g, weight="distance")
        theirs = nx.betweenness_centrality(g, weight="distance")
        assert list(ours) == list(theirs)
        for v in g:
            assert ours[v] == pytest.approx(theirs[v], rel=1e-12, abs=1e-15), (seed, v)


def test_betweenness_of_a_path_and_of_small_graphs() -> None:
    path = nx.Graph([("a", "b", {"distance": 1.0}), ("b", "c", {"distance": 2.0}), ("c", "d", {"distance": 1.0})])
    assert betweenness_centrality(path) == pytest.approx({"a": 0.0, "b": 2 / 3, "c": 2 / 3, "d": 0.0})
    assert betweenness_centrality(nx.Graph([("a", "b", {"distance": 1.0})])) == {"a": 0.0, "b": 0.0}
    with pytest.raises(ValueError):
        betweenness_centrality(nx.Graph([("a", "b", {"distance": 0.0}), ("b", "c", {"distance": 1.0})]))


def test_eigenvector_equals_networkx_on_each_component() -> None:
    for seed in range(60):
        g = _random_graph(seed, ties=False)
        for part in nx.connected_components(g):
            if len(part) < 3:
                continue
            ours = eigenvector_centrality(g, part, weight="jaccard")
            theirs = nx.eigenvector_centrality_numpy(g.subgraph(part), weight="jaccard")
            assert set(ours) == set(theirs) == part
            for v in part:
                assert ours[v] == pytest.approx(theirs[v], rel=1e-9, abs=1e-12), (seed, v)


def test_annotated_network_as_networkx_annotates_it() -> None:
    rng = np.random.default_rng(3)
    x = (rng.random((400, 25)) < 0.25).astype(np.int8)
    x[:, 1] |= x[:, 0]  # some strong co-occurrence
    g = cooccurrence_graph(x, [f"f{i}" for i in range(25)], min_count=5)
    assert g.number_of_edges() > 10
    annotate_network(g, seed=0)
    btw = nx.betweenness_centrality(g, weight="distance")
    eig = dict.fromkeys(g, 0.0)
    for part in nx.connected_components(g):
        if len(part) == 2:
            eig.update(dict.fromkeys(part, 2**-0.5))
        elif len(part) > 2:
            eig.update(nx.eigenvector_centrality_numpy(g.subgraph(part), weight="jaccard"))
    for v, d in g.nodes(data=True):
        assert d["betweenness"] == pytest.approx(btw[v], rel=1e-12, abs=1e-15)
        assert d["eigenvector"] == pytest.approx(abs(eig[v]), rel=1e-9, abs=1e-12)
