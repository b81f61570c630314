"""Co-occurrence network of practices: a plain networkx graph with counts, Jaccard, lift and PMI."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import networkx as nx
import numpy as np
from numpy.typing import ArrayLike
from scipy import sparse

from schoolkg.analysis.association import bh_q

__all__ = [
    "annotate_network",
    "basket_matrix",
    "betweenness_centrality",
    "cooccurrence_counts",
    "cooccurrence_graph",
    "eigenvector_centrality",
    "hypergeom_sf",
    "pmi",
]


def hypergeom_sf(k: ArrayLike, total: int, successes: ArrayLike, draws: ArrayLike) -> np.ndarray:
    """``scipy.stats.hypergeom.sf(k, total, successes, draws)``, P(X > k), for integer arguments:
    the same Boost function scipy's distribution calls, with its support handling, without
    importing ``scipy.stats`` (about 1 CPU-s at every ``schoolkg analyse``; issue 19).

    >>> [round(float(p), 6) for p in hypergeom_sf([1, 4, -1, 5], 20, [7, 7, 7, 7], [5, 5, 5, 5])]
    [0.594169, 0.001354, 1.0, 0.0]
    """
    k, m, d = (np.asarray(v, dtype=float) for v in (k, successes, draws))
    k, m, d = np.broadcast_arrays(k, m, d)
    try:
        from scipy.special._ufuncs import _hypergeom_sf
    except ImportError:  # a scipy without the private ufunc: the public distribution
        from scipy.stats import hypergeom

        return np.asarray(hypergeom.sf(k, total, m, d), dtype=float)
    low, high = np.maximum(d - (total - m), 0), np.minimum(m, d)
    inside = (k >= low) & (k < high)
    out = np.where(k < low, 1.0, 0.0)
    if inside.any():
        out[inside] = np.clip(_hypergeom_sf(k[inside], m[inside], d[inside], float(total)), 0, 1)
    return out


def pmi(n_ab: ArrayLike, n_a: ArrayLike, n_b: ArrayLike, n: float) -> np.ndarray:
    """Pointwise mutual information in bits: ``log2(n_ab * n / (n_a * n_b))``.

    >>> round(float(pmi(20, 40, 50, 200)), 4)
    1.0
    """
    return np.log2(np.asarray(n_ab, dtype=float) * n / (np.asarray(n_a, dtype=float) * n_b))


def basket_matrix(baskets: Mapping[str, Iterable[str]]) -> tuple[sparse.csr_matrix, list[str], list[str]]:
    """A 0/1 basket-by-item matrix, with the sorted items (columns) and baskets (rows).

    A basket is a context (a source document, or the school or LA findings are about); the
    items are the practices found in it. Counting the same practice twice in one basket counts once.

    >>> x, items, names = basket_matrix({"d1": ["a", "b", "a"], "d2": ["b"]})
    >>> x.toarray().tolist(), items, names
    ([[1, 1], [0, 1]], ['a', 'b'], ['d1', 'd2'])
    """
    names = sorted(baskets)
    items = sorted({i for b in baskets.values() for i in b})
    col = {item: j for j, item in enumerate(items)}
    cells = sorted({(r, col[i]) for r, name in enumerate(names) for i in baskets[name]})
    rows, cols = (np.array([c[k] for c in cells], dtype=np.int64) for k in (0, 1))
    x = sparse.csr_matrix((np.ones(len(cells), dtype=np.int64), (rows, cols)), shape=(len(names), len(items)))
    return x, items, names


def cooccurrence_counts(baskets: Mapping[str, Iterable[str]], min_count: int = 1) -> dict[tuple[str, str], int]:
    """How many baskets hold each pair of items (``a < b``), for pairs in at least ``min_count``.

    The number the co-occurrence page draws and ``queries/practice-cooccurrence.rq`` reports
    (its ``contexts`` column): :func:`cooccurrence_graph`'s edge ``count``.

    >>> cooccurrence_counts({"d1": {"a", "b", "c"}, "d2": {"a", "b"}})
    {('a', 'b'): 2, ('a', 'c'): 1, ('b', 'c'): 1}
    """
    x, items, _ = basket_matrix(baskets)
    g = cooccurrence_graph(x, items, min_count=min_count, min_lift=0.0)
    return {(a, b) if a < b else (b, a): n for a, b, n in sorted(g.edges(data="count"))}


def cooccurrence_graph(
    x: sparse.spmatrix | np.ndarray,
    features: Sequence[str],
    *,
    min_count: int = 5,
    min_lift: float = 1.0,
    fdr: float | None = None,
    labels: Mapping[str, str] | None = None,
) -> nx.Graph:
    """Practices as nodes (``frequency``, ``label``), co-occurrence as edges.

    An edge joins two features held together by at least ``min_count`` subjects with lift
    above ``min_lift`` (and, with ``fdr``, a Benjamini-Hochberg q of the one-sided Fisher
    test of independence at most ``fdr``, so chance co-occurrence is not drawn); it carries
    ``count``, ``jaccard``, ``lift``, ``pmi`` and ``distance`` (``1 / jaccard``, for
    shortest-path centralities).

    Examples
    --------
    >>> x = np.array([[1, 1, 0], [1, 1, 0], [0, 0, 1], [1, 0, 1]])
    >>> g = cooccurrence_graph(x, ["a", "b", "c"], min_count=1)
    >>> sorted(g.edges(data="count")), round(g.edges["a", "b"]["lift"], 3), g.nodes["a"]["frequency"]
    ([('a', 'b', 2)], 1.333, 3)
    """
    x = sparse.csc_matrix(x, dtype=np.int64)
    n = x.shape[0]
    freq = np.asarray(x.sum(axis=0)).ravel()
    both = (x.T @ x).toarray()
    g = nx.Graph()
    for col, f in enumerate(features):
        g.add_node(f, frequency=int(freq[col]), label=(labels or {}).get(f.split(":", 1)[0], f))
    i, j = np.triu_indices(len(features), k=1)
    c = both[i, j]
    with np.errstate(divide="ignore", invalid="ignore"):
        lift = c * n / (freq[i] * freq[j])
    keep = (c >= max(min_count, 1)) & (lift > min_lift)
    i, j, c, lift = i[keep], j[keep], c[keep], lift[keep]
    if fdr is not None and len(c):
        # one-sided Fisher (more together than chance): the hypergeometric upper tail
        q = bh_q(hypergeom_sf(c - 1, n, freq[i], freq[j]))
        i, j, c, lift = i[q <= fdr], j[q <= fdr], c[q <= fdr], lift[q <= fdr]
    jac = c / (freq[i] + freq[j] - c)
    for a, b, cnt, lf, jc in zip(i, j, c, lift, jac, strict=True):
        g.add_edge(
            features[a],
            features[b],
            count=int(cnt),
            jaccard=float(jc),
            lift=float(lf),
            pmi=float(np.log2(lf)),
            distance=float(1 / jc),
        )
    return g


def annotate_network(g: nx.Graph, *, seed: int = 0, weight: str = "jaccard") -> list[set[str]]:
    """Add ``community``, ``degree``, ``betweenness`` and ``eigenvector`` to every node; return the communities.

    Communities are networkx's ``louvain_communities`` (seeded); betweenness uses the edge
    ``distance``; eigenvector centrality is weighted by ``weight`` within each connected component
    (0 for isolated nodes).
    """
    if g.number_of_edges() == 0:
        comms = [{v} for v in sorted(g)]
        eig: dict[str, float] = dict.fromkeys(g, 0.0)
    else:
        comms = nx.community.louvain_communities(g, weight=weight, seed=seed)
        eig = dict.fromkeys(g, 0.0)
        for part in nx.connected_components(g):
            # per component: the measure is undefined across disconnected parts; a lone edge is symmetric
            if len(part) == 2:
                eig.update(dict.fromkeys(part, 2**-0.5))
            elif len(part) > 2:
                eig.update(eigenvector_centrality(g, part, weight=weight))
    comms = sorted((set(c) for c in comms), key=lambda c: (-len(c), sorted(c)))
    for k, members in enumerate(comms):
        for v in members:
            g.nodes[v]["community"] = k
    deg = nx.degree_centrality(g) if len(g) > 1 else dict.fromkeys(g, 0.0)
    btw = betweenness_centrality(g, weight="distance") if len(g) > 2 else dict.fromkeys(g, 0.0)
    for v in g:
        g.nodes[v]["degree"] = float(deg[v])
        g.nodes[v]["betweenness"] = float(btw[v])
        g.nodes[v]["eigenvector"] = float(abs(eig[v]))
    return comms


def betweenness_centrality(g: nx.Graph, weight: str = "distance") -> dict[str, float]:
    """Normalised shortest-path betweenness of every node of the undirected graph ``g`` with positive
    edge lengths ``weight``: ``networkx.betweenness_centrality(g, weight=weight)`` (Brandes), computed
    for all sources at once with numpy (networkx's Dijkstra and accumulation are pure Python: ~1 CPU-s
    on the co-occurrence network of 25,000 schools; issue 19).

    The shortest distances come from ``scipy.sparse.csgraph.dijkstra``, which sums an edge's length onto
    its tail's distance as networkx does, so the two find the same shortest-path DAG (``d[v] + w(v, t) ==
    d[t]``, compared exactly as networkx compares them); path counts are exact; the dependencies are the
    same sums in another order (equal to about 1e-15).

    >>> g = nx.Graph([("a", "b", {"distance": 1.0}), ("b", "c", {"distance": 1.0}), ("a", "c", {"distance": 3.0})])
    >>> betweenness_centrality(g) == nx.betweenness_centrality(g, weight="distance")
    True
    """
    from scipy.sparse.csgraph import dijkstra

    nodes = list(g)
    n = len(nodes)
    if n < 3:
        return dict.fromkeys(nodes, 0.0)
    index = {v: i for i, v in enumerate(nodes)}
    length = np.full((n, n), np.inf)
    for a, b, d in g.edges(data=True):
        w = float(d.get(weight, 1))
        if w <= 0:
            raise ValueError("betweenness_centrality needs positive edge lengths")
        length[index[a], index[b]] = length[index[b], index[a]] = w
    edges = np.isfinite(length)
    dist_all = dijkstra(sparse.csr_matrix(np.where(edges, length, 0.0)), directed=True)
    total = np.zeros(n)
    block = max(1, 4_000_000 // (n * n))  # sources at a time: a (block, n, n) array of booleans
    for first in range(0, n, block):
        sources = np.arange(first, min(n, first + block))
        total += _dependencies(dist_all[sources], sources, length, edges).sum(axis=0)
    return dict(zip(nodes, (total * (1 / ((n - 1) * (n - 2)))).tolist(), strict=True))


def _dependencies(dist: np.ndarray, sources: np.ndarray, length: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Brandes' dependencies ``delta[s, v]`` of each of ``sources`` (rows of ``dist``) on every node."""
    k, n = dist.shape
    reached = np.isfinite(dist)
    # dag[s, v, t]: the edge v -> t lies on a shortest path from source s
    dag = edges[None, :, :] & reached[:, :, None] & (dist[:, :, None] + length[None, :, :] == dist[:, None, :])
    order = np.argsort(dist, axis=1, kind="stable")  # each source's nodes by distance, unreached last
    rows = np.arange(k)
    sigma = np.zeros((k, n))  # shortest paths from s to each node (whole numbers, exact)
    sigma[rows, sources] = 1.0
    for r in range(1, n):
        t = order[:, r]
        sigma[rows, t] += np.einsum("sv,sv->s", dag[rows, :, t], sigma)
    delta = np.zeros((k, n))
    for r in range(n - 1, 0, -1):
        v = order[:, r]
        with np.errstate(divide="ignore", invalid="ignore"):
            coeff = np.where(sigma > 0, (1 + delta) / sigma, 0.0)
        delta[rows, v] = sigma[rows, v] * np.einsum("st,st->s", dag[rows, v, :], coeff)
    delta[rows, sources] = 0.0
    return delta


def eigenvector_centrality(g: nx.Graph, part: Iterable[str], weight: str = "jaccard") -> dict[str, float]:
    """``networkx.eigenvector_centrality_numpy(g.subgraph(part), weight=weight)`` of a connected part of an
    undirected graph: the leading eigenvector of its symmetric weighted adjacency matrix, by
    ``numpy.linalg.eigh`` instead of ARPACK (whose import, ``scipy.sparse.linalg``, and random start are
    the cost and the run-to-run digits of networkx's; equal to about 1e-13), scaled to unit length and a
    positive sum as networkx scales it.

    >>> g = nx.Graph([("a", "b", {"jaccard": 0.5}), ("b", "c", {"jaccard": 0.5})])
    >>> {v: round(c, 6) for v, c in eigenvector_centrality(g, g).items()}
    {'a': 0.5, 'b': 0.707107, 'c': 0.5}
    """
    members = set(part)
    nodes = [v for v in g if v in members]
    index = {v: i for i, v in enumerate(nodes)}
    m = np.zeros((len(nodes), len(nodes)))
    sub = g.subgraph(nodes)
    for a, b, d in sub.edges(data=True):
        m[index[a], index[b]] = m[index[b], index[a]] = float(d.get(weight, 1))
    _, vectors = np.linalg.eigh(m)
    largest = vectors[:, -1]
    largest = largest / (np.sign(largest.sum()) * np.linalg.norm(largest))
    return dict(zip(nodes, largest.tolist(), strict=True))
