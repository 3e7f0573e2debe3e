"""Network metrics: centralities, brokerage, communities, whole-graph figures.

:func:`metrics` returns one row per node, with French column names since users
read them; :func:`graph_summary` gives the whole-graph figures; :func:`brokers`
the top mediators.

Backends. The graph is converted once to a scipy sparse matrix and to a
python-igraph graph. igraph (compiled) computes betweenness, PageRank and the
communities (Leiden or Louvain); scipy sparse products compute Burt's constraint
and effective size. The results equal networkx's on small graphs (see the tests).
A :class:`~mesra.networks.SparseProjection` (a large affiliation graph projected
with ``sparse=True``) is read without ever building a networkx graph, and its
brokerage measures are computed from the members × collectives incidence matrix
instead of products of the (much larger) projection with itself; a count projection's
igraph graph is built by igraph's ``bipartite_projection`` from that incidence matrix
rather than edge by edge. Timings at N = 50 000 members: ``benchmarks/README.md``.

>>> import networkx as nx
>>> m = metrics(nx.karate_club_graph(), weight=None)
>>> round(m.attrs["modularite"], 2) >= 0.41
True
"""

from __future__ import annotations

import contextlib
import math
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from mesra.errors import ParameterError
from mesra.network.projection import SparseProjection, node_sort_key

if TYPE_CHECKING:
    import igraph as ig

__all__ = [
    "metrics",
    "metrics_from_affiliation",
    "graph_summary",
    "brokers",
    "top_brokers",
    "EXACT_BETWEENNESS_MAX",
    "BETWEENNESS_PIVOTS",
    "COMMUNITY_METHODS",
    "METRIC_COLUMNS",
    "ATTRIBUTE_COLUMNS",
    "with_measures",
]

#: Betweenness is exact up to this many nodes, and sampled above it.
EXACT_BETWEENNESS_MAX = 5_000
#: Number of source nodes ("pivots") drawn with the seed when betweenness is sampled
#: (Brandes & Pich 2007, as networkx's ``betweenness_centrality(k=…)``).
BETWEENNESS_PIVOTS = 200
#: Node attributes copied into the table (None when a node lacks them).
ATTRIBUTE_COLUMNS = ("nom", "type", "territoire", "echelon", "membre_mes", "externe")
#: Metric columns, in order.
METRIC_COLUMNS = (
    "degre",
    "degre_pondere",
    "centralite_degre",
    "intermediarite",
    "intermediarite_exacte",
    "pagerank",
    "contrainte",
    "taille_effective",
    "communaute",
)
#: Community detection methods (modularity maximisation, igraph): Leiden (default) or Louvain.
COMMUNITY_METHODS = ("leiden", "louvain")
#: PageRank damping factor (networkx's and igraph's default).
DAMPING = 0.85
_BLOCK_CELLS = 500_000  # real cells of one dense block of the incidence route (4 MB: stays in cache)
_DENSE_SHARE = 0.25  # a block's product filling more than this share of its cells is written whole
_MAX_WORK = 10_000_000  # sparse-product work per chunk of rows (generic route)


# --- preparing a graph ------------------------------------------------------------------------
@dataclass
class _Prepared:
    nodes: list
    attrs: list[dict]
    W: sp.csr_matrix  # symmetric weights, zero diagonal, sorted indices
    weighted: bool
    bipartite: np.ndarray | None = None  # 0/1 per node when the graph is bipartite
    projection: SparseProjection | None = None
    graph: dict | None = None
    edges: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None  # upper triangle, computed on first use

    @property
    def m(self) -> int:
        return int(self.W.nnz // 2)

    def _upper_edges(self):
        if self.edges is None:
            self.edges = _upper(self.W)
        return self.edges

    @property
    def rows(self) -> np.ndarray:  # upper-triangle edges (i < j), sorted
        return self._upper_edges()[0]

    @property
    def cols(self) -> np.ndarray:
        return self._upper_edges()[1]

    @property
    def w(self) -> np.ndarray:
        return self._upper_edges()[2]


def _prepare(g, weight: str | None) -> _Prepared:
    if isinstance(g, SparseProjection):
        W = g.matrix.tocsr()
        W.sort_indices()
        if weight is None:
            W = sp.csr_matrix((np.ones(W.nnz), W.indices, W.indptr), shape=W.shape)
            W.has_sorted_indices = True
        # the upper triangle is computed only if something asks for it (not the incidence route)
        return _Prepared(g.nodes, g.node_attrs, W, weight is not None, projection=g, graph=g.graph)
    if not isinstance(g, nx.Graph):
        raise ParameterError(
            "metrics attend un graphe networkx (mesra.cooperation_graph, affiliation_graph, "
            "project) ou une projection creuse (project(…, sparse=True))."
        )
    if g.is_directed() or g.is_multigraph():
        raise ParameterError(
            "Graphe orienté ou multigraphe non pris en charge : convertissez-le avec "
            "nx.Graph(g) (liens non orientés, un lien par paire)."
        )
    nodes = sorted(g.nodes, key=node_sort_key)
    index = {n: i for i, n in enumerate(nodes)}
    rr, cc, ww = [], [], []
    for a, b, d in g.edges(data=True):
        i, j = index[a], index[b]
        if i == j:
            continue  # self-loops say nothing about brokerage
        x = 1.0 if weight is None else d.get(weight, 1)
        try:
            x = float(x)
        except (TypeError, ValueError):
            x = float("nan")
        if not (x > 0 and math.isfinite(x)):
            raise ParameterError(
                f"Poids « {weight} » invalide sur le lien {a} — {b} : {d.get(weight)!r} "
                "(un nombre strictement positif est attendu ; weight=None ignore les poids)."
            )
        rr.append(min(i, j))
        cc.append(max(i, j))
        ww.append(x)
    n = len(nodes)
    rows, cols, w = np.asarray(rr, dtype=np.int64), np.asarray(cc, dtype=np.int64), np.asarray(ww, dtype=float)
    order = np.lexsort((cols, rows))
    rows, cols, w = rows[order], cols[order], w[order]
    W = sp.csr_matrix(
        (np.concatenate([w, w]), (np.concatenate([rows, cols]), np.concatenate([cols, rows]))), shape=(n, n)
    )
    W.sort_indices()
    attrs = [g.nodes[x] for x in nodes]
    modes = np.array([d.get("bipartite") for d in attrs], dtype=object)
    bip = None
    if n and all(v in (0, 1) for v in modes) and len(set(modes)) == 2:
        bip = modes.astype(np.int64)
        if np.any(bip[rows] == bip[cols]):
            bip = None
    return _Prepared(nodes, attrs, W, weight is not None, bipartite=bip, graph=g.graph, edges=(rows, cols, w))


def _upper(W: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Edges (i < j) of a symmetric CSR matrix with sorted indices, sorted by (i, j)."""
    # in the matrix's own index type (int32 up to 2³¹ entries): no copy of the 2m entries
    rows = np.repeat(np.arange(W.shape[0], dtype=W.indices.dtype), np.diff(W.indptr))
    keep = W.indices > rows
    return rows[keep], W.indices[keep], W.data[keep].astype(np.float64, copy=False)


def _ig():
    """python-igraph, imported on first use (it pulls in matplotlib: ~0.3 s)."""
    import igraph

    return igraph


def _igraph(p: _Prepared) -> tuple[ig.Graph, str | None]:
    """The graph as python-igraph, and the name of its weight attribute (None when unweighted).

    A sparse projection hands over the graph it built once (:meth:`SparseProjection.igraph`:
    igraph's own ``bipartite_projection`` whenever the weights are counts); other graphs go
    through ``add_edges`` from a NumPy array.
    """
    if p.projection is not None:
        return p.projection.igraph(p.weighted)
    h = _ig().Graph(n=len(p.nodes), directed=False)
    if not p.m:
        return h, None
    h.add_edges(np.column_stack([p.rows, p.cols]))
    if p.weighted:
        h.es["weight"] = p.w
        return h, "weight"
    return h, None


# --- whole-graph figures ------------------------------------------------------------------------
def _summary(p: _Prepared, h: ig.Graph | None = None) -> dict:
    """Whole-graph figures; components from ``h`` (the igraph graph of ``p``) when given, else from scipy."""
    n, m = len(p.nodes), p.m
    if n and h is not None:
        sizes = h.connected_components().sizes()
        ncomp, biggest = len(sizes), max(sizes)
    elif n:
        ncomp, labels = connected_components(p.W, directed=False)
        biggest = int(np.bincount(labels).max())
    else:
        ncomp, biggest = 0, 0
    degree = np.diff(p.W.indptr)
    codes: dict[str, int] = {}
    labels = [codes.setdefault(e, len(codes)) if isinstance(e := d.get("echelon"), str) and e else -1 for d in p.attrs]
    ech = np.array(labels, dtype=np.int8 if len(codes) < 127 else np.int64)
    # over the stored entries of W (each tie twice: the same share), one byte per entry
    er, ec = np.repeat(ech, degree), ech[p.W.indices]
    known = (er >= 0) & (ec >= 0)
    n_known = int(np.count_nonzero(known))
    crossing = float(np.count_nonzero((er != ec) & known)) / n_known if n_known else float("nan")
    externes = sum(1 for d in p.attrs if d.get("externe") is True)
    return {
        "noeuds": n,
        "liens": m,
        "externes": externes,
        "densite": (2.0 * m / (n * (n - 1))) if n > 1 else 0.0,
        "composantes": int(ncomp),
        "plus_grande_composante": biggest,
        "isolats": int(np.sum(degree == 0)),
        "part_liens_inter_echelons": crossing,
    }


def graph_summary(g) -> pd.Series:
    """Whole-graph figures of a graph (or of a sparse projection).

    Returns
    -------
    pandas.Series
        ``noeuds``, ``liens``, ``externes`` (nodes outside the territory),
        ``densite``, ``composantes`` (connected components),
        ``plus_grande_composante`` (its number of nodes), ``isolats`` (nodes
        without ties) and ``part_liens_inter_echelons``: the share of ties, among
        those whose two ends have a known echelon, that join two different echelons
        (local ↔ regional…); NaN when no tie qualifies.

    Examples
    --------
    >>> import networkx as nx
    >>> graph_summary(nx.path_graph(3))["densite"]
    0.6666666666666666
    """
    return pd.Series(_summary(_prepare(g, None)), name="valeur", dtype=object)


# --- centralities ---------------------------------------------------------------------------------
def _betweenness(h: ig.Graph, n: int, seed: int, exact_max: int, pivots: int) -> tuple[np.ndarray, bool, int]:
    """Normalised betweenness (networkx's convention), exact or sampled with ``pivots`` sources."""
    if n <= 2 or h.ecount() == 0:
        return np.zeros(n), True, n
    if n <= exact_max or pivots >= n:
        raw = np.asarray(h.betweenness(directed=False), dtype=float)
        return raw * 2.0 / ((n - 1) * (n - 2)), True, n
    k = max(int(pivots), 2)
    sources = random.Random(seed).sample(range(n), k)
    half = np.asarray(h.betweenness(directed=False, sources=sources), dtype=float)
    # igraph's subset betweenness counts each (source, target) pair once, i.e. half of the
    # ordered-pair dependencies networkx accumulates; rescale as networkx does for k pivots.
    scale = np.full(n, 2.0 / (k * (n - 2)))
    scale[sources] = 2.0 / ((k - 1) * (n - 2))
    return half * scale, False, k


def _bipartite_max(n: int, m: int) -> float:
    """Largest possible betweenness of a node of a mode of size n facing m (Borgatti & Halgin 2011)."""
    if m == 0:
        return float("nan")
    s, t = divmod(n - 1, m)
    return ((m**2) * ((s + 1) ** 2) + m * (s + 1) * (2 * t - s - 1) - t * (2 * s - t + 3)) / 2.0


@contextlib.contextmanager
def _igraph_seed(seed: int):
    _ig().set_random_number_generator(random.Random(seed))
    try:
        yield
    finally:
        _ig().set_random_number_generator(random)


def _communities(h: ig.Graph, w, nodes: list, seed: int, method: str) -> tuple[np.ndarray, float]:
    n = h.vcount()
    if n == 0:
        return np.zeros(0, dtype=np.int64), float("nan")
    if h.ecount() == 0:
        membership = np.arange(n)
        q = float("nan")
    else:
        with _igraph_seed(seed):
            if method == "leiden":
                clusters = h.community_leiden(objective_function="modularity", weights=w, n_iterations=-1)
            else:
                clusters = h.community_multilevel(weights=w)
        membership = np.asarray(clusters.membership)
        q = float(h.modularity(clusters.membership, weights=w))
    # number communities by decreasing size, then by their first node: stable across runs
    keys = [node_sort_key(x) for x in nodes]
    first: dict[int, tuple] = {}
    for label, key in zip(membership.tolist(), keys):
        if label not in first or key < first[label]:
            first[label] = key
    sizes = np.bincount(membership)
    order = sorted(first, key=lambda c: (-sizes[c], first[c]))
    relabel = np.empty(len(sizes), dtype=np.int64)
    relabel[order] = np.arange(len(order))
    return relabel[membership], q


# --- brokerage: Burt's constraint and effective size ----------------------------------------------
def _inverse(x: np.ndarray) -> np.ndarray:
    return np.divide(1.0, x, out=np.zeros_like(x, dtype=float), where=x > 0)


def _row_max(W: sp.csr_matrix) -> np.ndarray:
    n = W.shape[0]
    out = np.zeros(n)
    has = np.diff(W.indptr) > 0
    if has.any():
        out[has] = np.maximum.reduceat(W.data, W.indptr[:-1][has])
    return out


def _brokerage_generic(W: sp.csr_matrix, s: np.ndarray, deg: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Constraint and effective size from masked sparse products, rows in chunks.

    With P = S⁻¹W: constraint_i = Σ_{j∈N(i)} (P_ij + (P²)_ij)² and, with
    M_jq = W_jq / max_k W_jk, effective size_i = Σ_{j∈N(i)} (1 − (P Mᵀ)_ij)
    (Burt 1992, as networkx's ``constraint`` and ``effective_size``).
    """
    n = W.shape[0]
    inv_s, inv_mx = _inverse(s), _inverse(_row_max(W))
    SW = (sp.diags(inv_s) @ W).tocsr()
    pattern = W.copy()
    pattern.data[:] = 1.0
    work = np.asarray(pattern @ deg.astype(float)).ravel() + 1.0
    total = np.zeros(n)
    redundancy = np.zeros(n)
    cum = np.cumsum(work)
    start = 0
    while start < n:
        stop = int(np.searchsorted(cum, (cum[start - 1] if start else 0.0) + _MAX_WORK, side="right"))
        stop = min(max(stop, start + 1), n)
        Wc, Pc = W[start:stop], pattern[start:stop]
        A = (Wc @ SW).multiply(Pc).tocsr()  # (W S⁻¹ W) on the ties only
        D = (Wc + A).tocsr()
        total[start:stop] = np.asarray(D.multiply(D).sum(axis=1)).ravel()
        WW = (Wc @ W).multiply(Pc).tocsr()  # (W W) on the ties only
        redundancy[start:stop] = np.asarray(WW @ inv_mx).ravel()
        start = stop
    constraint = total * inv_s**2
    esize = deg - redundancy * inv_s
    constraint[deg == 0] = np.nan
    esize[deg == 0] = np.nan
    return constraint, esize


def _brokerage_incidence(p: _Prepared, s: np.ndarray, deg: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Constraint and effective size of a projection W = BΛBᵀ − diag, from B.

    For i ≠ j, (W S⁻¹ W)_ij = b_iᵀ G₁ b_j − W_ij (e_i/s_i + e_j/s_j) and
    (W W)_ij = b_iᵀ G₂ b_j − W_ij (e_i + e_j), with G₁ = Λ(BᵀS⁻¹B)Λ, G₂ = Λ(BᵀB)Λ
    (collectives × collectives) and e = diag(BΛBᵀ): a few look-ups per tie, instead of
    the products of the projection with itself (quadratic in the size of the largest
    collective).

    The two tables travel together as one complex table G = G₁ + iG₂ (one look-up per
    affiliation for both). Members are taken in blocks of consecutive rows: for a block,
    Y = B[block]·G goes into one reused dense buffer (at most ``_BLOCK_CELLS`` real cells:
    it stays in cache), written whole when it is mostly filled, entry by entry (and zeroed
    again after use) when it is mostly empty; each tie (i, j), i < j, of the block adds up
    Y[i, d] over the affiliations d of j (one flat look-up each, summed tie by tie with
    ``np.add.reduceat``); the tie's two terms are then finished and added to both ends
    in the same block, so that no array of one value per tie is ever built. The upper
    triangle is read block by block from W itself.
    """
    proj = p.projection
    B = proj.incidence.tocsr().astype(float)
    B.sort_indices()
    lam = proj.collective_weights.astype(float)
    W = p.W
    n, C = B.shape
    inv_s, inv_mx = _inverse(s), _inverse(_row_max(W))
    e = np.asarray(B @ lam).ravel()
    es = e * inv_s
    L = sp.diags(lam)
    G = (L @ (B.T @ sp.diags(inv_s) @ B) @ L).tocsr() + 1j * (L @ (B.T @ B) @ L).tocsr()
    G = G.tocsr()
    b_ptr, b_idx = B.indptr, B.indices
    w_ptr, w_idx, w_dat = W.indptr, W.indices, W.data
    total, redundancy = np.zeros(n), np.zeros(n)
    block = max(1, _BLOCK_CELLS // max(2 * C, 1))
    Y = np.zeros(min(block, n) * C, dtype=np.complex128)  # one buffer for every block
    dirty = 0  # cells of Y left filled by a dense block
    for r0 in range(0, n, block):
        r1 = min(n, r0 + block)
        a, z = int(w_ptr[r0]), int(w_ptr[r1])
        if a == z:
            continue
        local = np.repeat(np.arange(r1 - r0, dtype=np.int32), np.diff(w_ptr[r0 : r1 + 1]))
        j = w_idx[a:z]
        up = j > local + r0  # the upper triangle of the block's rows
        local, j, w = local[up], j[up], w_dat[a:z][up]
        if not len(j):
            continue
        part = (B[r0:r1] @ G).tocsr()  # block × C
        dense = part.nnz > _DENSE_SHARE * (r1 - r0) * C
        if dense:  # mostly filled (members of large collectives): zeroed and written whole, in C
            part.toarray(out=Y[: (r1 - r0) * C].reshape(r1 - r0, C))
            dirty = (r1 - r0) * C
        else:  # mostly empty: only its entries are put in, and zeroed again after use
            if dirty:
                Y[:dirty] = 0.0
                dirty = 0
            at = np.repeat(np.arange(r1 - r0, dtype=np.int64) * C, np.diff(part.indptr)) + part.indices
            Y.put(at, part.data)
        # the affiliations d of each j, tie after tie (ties are sorted by i: offsets by runs of i)
        nb = b_ptr[j + 1] - b_ptr[j]  # ≥ 1: j is tied to i through a shared collective
        first = np.cumsum(nb) - nb
        k = np.arange(int(first[-1] + nb[-1]), dtype=np.int64)
        k += np.repeat(b_ptr[j] - first, nb)
        where = b_idx[k].astype(np.int64)
        where += np.repeat(local.astype(np.int64) * C, nb)
        T = np.add.reduceat(Y.take(where), first)
        if not dense:
            Y.put(at, 0.0)
        i = local + r0
        # constraint: (W_ij + (W S⁻¹ W)_ij)², added to both ends
        x = T.real - w * (es[i] + es[j] - 1.0)
        x *= x
        total[r0:r1] += np.bincount(local, x, minlength=r1 - r0)
        total += np.bincount(j, x, minlength=n)
        # effective size: (W W)_ij / max_k W_jk for i, / max_k W_ik for j
        y = T.imag - w * (e[i] + e[j])
        redundancy[r0:r1] += np.bincount(local, y * inv_mx[j], minlength=r1 - r0)
        redundancy += np.bincount(j, y * inv_mx[i], minlength=n)
    constraint = total * inv_s**2
    esize = deg - redundancy * inv_s
    constraint[deg == 0] = np.nan
    esize[deg == 0] = np.nan
    return constraint, esize


# --- the table ----------------------------------------------------------------------------------------
def metrics(
    g,
    *,
    weight: str | None = "weight",
    seed: int = 0,
    exact_betweenness_max: int = EXACT_BETWEENNESS_MAX,
    betweenness_pivots: int = BETWEENNESS_PIVOTS,
    communities: str = "leiden",
) -> pd.DataFrame:
    """One row per node: centralities, brokerage and community.

    Parameters
    ----------
    g : networkx.Graph or SparseProjection
        Undirected graph (self-loops are ignored), e.g. from
        :func:`mesra.cooperation_graph`, or a projection from ``project(b, sparse=True)``.
    weight : str or None
        Edge attribute holding tie strength (default ``"weight"``, 1 when absent);
        ``None`` treats every tie alike.
    seed : int
        Seed of the betweenness pivots and of the community detection.
    exact_betweenness_max : int
        Betweenness is exact up to this many nodes (default 5 000) and estimated
        from ``betweenness_pivots`` random sources above it (column
        ``intermediarite_exacte`` and ``attrs["intermediarite"]`` say which).
    betweenness_pivots : int
        Number of sources of the estimate (default 200).
    communities : {"leiden", "louvain"}
        Modularity maximisation by the Leiden algorithm (default: the Louvain
        method plus a refinement step that guarantees connected communities; it
        reaches the optimum 0.4198 on Zachary's karate club with any seed, and is
        several times faster on large graphs) or by the original Louvain method.

    Returns
    -------
    pandas.DataFrame
        Sorted by node, columns: ``noeud``; the node attributes ``nom, type,
        territoire, echelon, membre_mes, externe`` (and ``bipartite`` for a
        bipartite graph); ``degre`` (number of ties), ``degre_pondere`` (sum of
        weights), ``centralite_degre`` (degree / (n − 1), or / size of the other
        mode in a bipartite graph), ``intermediarite`` (betweenness: share of
        shortest paths between other nodes through this one, ties counted as one
        step; normalised by (n − 1)(n − 2)/2, or by the bipartite maximum of
        Borgatti & Halgin 2011 for a bipartite graph), ``intermediarite_exacte``,
        ``pagerank`` (damping 0.85, weighted), ``contrainte`` (Burt's constraint:
        high when contacts are tied to each other; low for brokers),
        ``taille_effective`` (Burt's effective size: non-redundant contacts),
        ``communaute`` (numbered by decreasing size). ``attrs`` holds the
        :func:`graph_summary` figures plus ``modularite``, ``communautes``,
        ``methode_communautes``, ``intermediarite`` (``"exacte"`` or
        ``"échantillonnée"``), ``pivots``, ``graine`` and ``ponderation``.

    Notes
    -----
    Betweenness: U. Brandes, *J. Math. Sociol.* 25 (2001), doi:10.1080/0022250X.2001.9990249;
    sampled: U. Brandes and C. Pich, *Int. J. Bifurc. Chaos* 17 (2007),
    doi:10.1142/S0218127407018403. Constraint and effective size: R. S. Burt,
    *Structural Holes*, Harvard University Press, 1992. Louvain: V. D. Blondel et
    al., *J. Stat. Mech.* (2008) P10008, doi:10.1088/1742-5468/2008/10/P10008; Leiden:
    V. A. Traag, L. Waltman and N. J. van Eck, *Sci. Rep.* 9, 5233 (2019),
    doi:10.1038/s41598-019-41695-z.
    Bipartite normalisation: S. P. Borgatti and D. S. Halgin, "Analyzing affiliation
    networks", *The SAGE Handbook of Social Network Analysis*, 2011.

    Raises
    ------
    ParameterError
        Directed graph or multigraph, weight that is not a positive number.
    """
    if communities not in COMMUNITY_METHODS:
        raise ParameterError(
            f"Méthode de communautés « {communities} » inconnue : choisissez « leiden » (défaut) ou « louvain »."
        )
    p = _prepare(g, weight)
    n = len(p.nodes)
    h, w = _igraph(p)
    deg = np.diff(p.W.indptr).astype(np.int64)
    strength = np.asarray(p.W.sum(axis=1)).ravel()
    between, exact, pivots = _betweenness(h, n, seed, exact_betweenness_max, betweenness_pivots)
    if n:
        pagerank = np.asarray(h.pagerank(weights=w, directed=False, damping=DAMPING), dtype=float)
    else:
        pagerank = np.zeros(0)
    if p.projection is not None and p.m:
        constraint, esize = _brokerage_incidence(p, strength, deg.astype(float))
    else:
        constraint, esize = _brokerage_generic(p.W, strength, deg.astype(float))
    community, modularity = _communities(h, w, p.nodes, seed, communities)
    centrality = deg / (n - 1) if n > 1 else np.zeros(n)
    if p.bipartite is not None:
        sizes = np.bincount(p.bipartite, minlength=2)
        other = sizes[1 - p.bipartite]
        centrality = deg / other
        raw = between * (n - 1) * (n - 2) / 2.0
        between = raw / np.array([_bipartite_max(sizes[x], sizes[1 - x]) for x in (0, 1)])[p.bipartite]
    table = {"noeud": p.nodes}
    for col in ATTRIBUTE_COLUMNS:
        table[col] = [d.get(col) for d in p.attrs]
    if p.bipartite is not None:
        table["bipartite"] = p.bipartite
    table.update(
        {
            "degre": deg,
            "degre_pondere": strength,
            "centralite_degre": centrality,
            "intermediarite": between,
            "intermediarite_exacte": np.full(n, exact),
            "pagerank": pagerank,
            "contrainte": constraint,
            "taille_effective": esize,
            "communaute": community,
        }
    )
    df = pd.DataFrame(table)
    for col in ("membre_mes", "externe"):
        if df[col].map(lambda v: v is None or isinstance(v, bool)).all():
            df[col] = pd.array(df[col].tolist(), dtype="boolean")
    if np.all(strength == np.rint(strength)):
        df["degre_pondere"] = np.rint(strength).astype(np.int64)
    if p.projection is not None:
        order = sorted(range(n), key=lambda i: node_sort_key(p.nodes[i]))
        df = df.iloc[order].reset_index(drop=True)
    df.attrs = {
        **_summary(p, h),
        "modularite": modularity,
        "communautes": int(community.max() + 1) if n else 0,
        "intermediarite": "exacte" if exact else "échantillonnée",
        "pivots": int(pivots),
        "methode_communautes": communities,
        "graine": int(seed),
        "ponderation": weight if p.weighted else None,
    }
    return df


def metrics_from_affiliation(b: nx.Graph, weighting: str = "count", **kwargs) -> pd.DataFrame:
    """Metrics of the one-mode projection of ``b`` without building it as a networkx graph.

    Same as ``metrics(project(b, weighting, sparse=True), **kwargs)``: the route for
    large affiliation corpora (tens of thousands of members).
    """
    from mesra.network.projection import project

    return metrics(project(b, weighting, sparse=True), **kwargs)


# --- brokers -------------------------------------------------------------------------------------------
def brokers(m: pd.DataFrame, n: int = 10, *, positive: bool = True) -> pd.DataFrame:
    """The ``n`` nodes most able to act as mediators.

    Ranked by betweenness (decreasing), then by Burt's constraint (increasing: a
    broker's contacts are not tied to each other), then by identifier. A broker
    lies on paths between others: nodes with betweenness 0 are left out (keep them
    with ``positive=False``, e.g. to rank labels), and so are nodes without ties.

    Parameters
    ----------
    m : pandas.DataFrame
        A table from :func:`metrics`.
    n : int
        How many rows.
    positive : bool
        Keep only nodes with a betweenness above 0 (default).

    Returns
    -------
    pandas.DataFrame
        Columns ``noeud, nom, type, externe, degre, intermediarite, contrainte,
        taille_effective, communaute``.
    """
    cols = [
        "noeud",
        "nom",
        "type",
        "externe",
        "degre",
        "intermediarite",
        "contrainte",
        "taille_effective",
        "communaute",
    ]
    missing = [c for c in cols if c not in m.columns]
    if missing:
        raise ParameterError(f"Le tableau ne vient pas de mesra.metrics (colonnes manquantes : {', '.join(missing)}).")
    t = m[m["degre"] > 0]
    if positive:
        t = t[t["intermediarite"] > 0]

    def key(row):
        c = row.contrainte
        return (
            -round(float(row.intermediarite), 12),
            math.inf if pd.isna(c) else round(float(c), 12),
            node_sort_key(row.noeud),
        )

    order = [i for i, _ in sorted(zip(t.index, t.itertuples(index=False)), key=lambda x: key(x[1]))]
    return t.loc[order[:n], cols].reset_index(drop=True)


#: Alias of :func:`brokers`.
top_brokers = brokers


def with_measures(g, m: pd.DataFrame | None = None):
    """A copy of ``g`` whose nodes carry the measures of :func:`metrics` (for the Gephi export: the
    measures with their technical names belong to researchers, not to the readers' note).

    >>> import networkx as nx
    >>> sorted(with_measures(nx.path_graph(3)).nodes[1])[:3]
    ['centralite_degre', 'communaute', 'contrainte']
    """
    m = metrics(g) if m is None else m
    h = g.copy()
    for row in m.itertuples(index=False):
        if row.noeud in h:
            h.nodes[row.noeud].update(
                {
                    c: (v.item() if hasattr(v, "item") else v)
                    for c in METRIC_COLUMNS
                    if not pd.isna(v := getattr(row, c))
                }
            )
    return h
