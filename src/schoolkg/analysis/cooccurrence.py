"""Co-occurrence network of practices: a plain networkx graph with counts, Jaccard, lift and PMI."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import networkx as nx
import numpy as np
from numpy.typing import ArrayLike
from scipy import sparse

from schoolkg.analysis.association import bh_q

__all__ = ["annotate_network", "basket_matrix", "cooccurrence_counts", "cooccurrence_graph", "hypergeom_sf", "pmi"]


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
                eig.update(nx.eigenvector_centrality_numpy(g.subgraph(part), weight=weight))
    comms = sorted((set(c) for c in comms), key=lambda c: (-len(c), sorted(c)))
    for k, members in enumerate(comms):
        for v in members:
            g.nodes[v]["community"] = k
    deg = nx.degree_centrality(g) if len(g) > 1 else dict.fromkeys(g, 0.0)
    btw = nx.betweenness_centrality(g, weight="distance") if len(g) > 2 else dict.fromkeys(g, 0.0)
    for v in g:
        g.nodes[v]["degree"] = float(deg[v])
        g.nodes[v]["betweenness"] = float(btw[v])
        g.nodes[v]["eigenvector"] = float(abs(eig[v]))
    return comms
