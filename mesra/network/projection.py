"""One-mode projections of affiliation graphs, as a sparse matrix product.

>>> import networkx as nx
>>> p = project(nx.davis_southern_women_graph())
>>> p["Evelyn Jefferson"]["Theresa Anderson"]["weight"]
7
"""

from __future__ import annotations

import warnings

import networkx as nx
import numpy as np
import scipy.sparse as sp

from mesra.errors import MesraWarning, ParameterError

__all__ = ["project", "SparseProjection"]


# --- projection ---------------------------------------------------------------------------------
class SparseProjection:
    """A one-mode projection held as a sparse matrix (the large-corpus route).

    Built by :func:`project` with ``sparse=True``; :func:`mesra.metrics` reads it
    without ever building a networkx graph of the projection. ``to_networkx()``
    gives the same graph as ``project(b, weighting)``.

    Attributes
    ----------
    nodes : list
        Member nodes, in matrix order.
    matrix : scipy.sparse.csr_matrix
        Symmetric weights, zero diagonal.
    weighting : str
        ``"count"`` or ``"newman"``.
    node_attrs : list of dict
        The members' attributes copied from the bipartite graph.
    incidence : scipy.sparse.csr_matrix
        Members × collectives, 0/1 (kept for brokerage measures).
    collective_weights : numpy.ndarray
        What each collective adds to a pair of its members (1, or 1/(k−1)).
    graph : dict
        Graph attributes.

    The python-igraph graph that :func:`mesra.metrics` reads (:meth:`igraph`) is built
    once, by :func:`project`, and kept on the object.
    """

    def __init__(self, nodes, matrix, weighting, node_attrs, incidence, collective_weights, graph):
        self.nodes = list(nodes)
        self.matrix = matrix
        self.weighting = weighting
        self.node_attrs = node_attrs
        self.incidence = incidence
        self.collective_weights = collective_weights
        self.graph = dict(graph)
        self._igraphs: dict = {}  # weighted (bool) -> (igraph.Graph, weight attribute or None)

    def __repr__(self) -> str:
        return (
            f"SparseProjection({self.number_of_nodes()} nœuds, {self.number_of_edges()} liens, "
            f"pondération {self.weighting!r})"
        )

    def number_of_nodes(self) -> int:
        return len(self.nodes)

    def number_of_edges(self) -> int:
        return int(self.matrix.nnz // 2)

    def upper(self) -> sp.coo_matrix:
        """The upper triangle (one entry per edge), rows then columns sorted."""
        u = sp.triu(self.matrix, k=1, format="csr")
        u.sort_indices()
        return u.tocoo()

    def igraph(self, weighted: bool = True):
        """The projection as a python-igraph graph, built on first call and kept.

        Returns ``(graph, weight)``: vertices in the order of :attr:`nodes`, ``weight`` the
        name of the edge attribute holding the weights (``None`` when ``weighted`` is false;
        the graph may then still carry them: pass ``weights=None`` to igraph).

        Handing igraph millions of edges from Python costs about a second per 4 million
        edges (each endpoint is converted on its own). Whenever the weights are counts of
        shared collectives (a ``count`` projection, or any projection read without
        weights), the graph is instead built by igraph's own ``bipartite_projection`` from
        the incidence matrix (a few hundred thousand memberships): the same graph, each
        edge weighted by the number of collectives its two ends share. A ``newman``
        projection read with its weights goes edge by edge. Either graph is built once.
        """
        counts = not weighted or bool(np.all(self.collective_weights == 1.0))
        key = "counts" if counts else "weights"
        if key not in self._igraphs:
            self._igraphs[key] = self._build_igraph(counts)
        h, w = self._igraphs[key]
        return h, (w if weighted else None)

    def _build_igraph(self, counts: bool):
        import igraph

        n = len(self.nodes)
        if not self.matrix.nnz:
            return igraph.Graph(n=n, directed=False), None
        if counts:
            B = self.incidence.tocoo()
            C = B.shape[1]
            b = igraph.Graph(n=n + C, edges=np.column_stack([B.row, B.col.astype(np.int64) + n]), directed=False)
            h = b.bipartite_projection(types=[False] * n + [True] * C, which=0, multiplicity=True)
            if h.ecount() == self.number_of_edges():  # always, unless the incidence and the matrix disagree
                return h, "weight"
        u = self.upper()
        h = igraph.Graph(n=n, directed=False)
        h.add_edges(np.column_stack([u.row, u.col]))
        h.es["weight"] = u.data.astype(np.float64, copy=False)
        return h, "weight"

    def to_networkx(self) -> nx.Graph:
        """The projection as a networkx graph (as :func:`project` without ``sparse``)."""
        g = nx.Graph(**self.graph)
        g.add_nodes_from(zip(self.nodes, self.node_attrs))
        u = self.upper()
        nodes = self.nodes
        if self.weighting == "count":
            weights = np.rint(u.data).astype(np.int64).tolist()
        else:
            weights = u.data.tolist()
        g.add_weighted_edges_from((nodes[i], nodes[j], w) for i, j, w in zip(u.row.tolist(), u.col.tolist(), weights))
        return g


_WEIGHTINGS = ("count", "newman")


def _members(b: nx.Graph, nodes) -> list:
    if nodes is not None:
        wanted = set(nodes)
        missing = [n for n in wanted if n not in b]
        if missing:
            shown = ", ".join(map(str, sorted(missing, key=str)[:5]))
            raise ParameterError(
                f"Nœud(s) absent(s) du graphe biparti : {shown}. Donnez des nœuds du graphe dans nodes=[…]."
            )
        return sorted(wanted, key=node_sort_key)
    modes = dict(b.nodes(data="bipartite"))
    if any(v not in (0, 1) for v in modes.values()):
        raise ParameterError(
            "Le graphe n'est pas un graphe biparti de mesra : chaque nœud doit avoir l'attribut "
            "bipartite=0 (membres) ou 1 (collectifs), comme celui de mesra.affiliation_graph ; "
            "ou indiquez les membres avec nodes=[…]."
        )
    return sorted((n for n, v in modes.items() if v == 0), key=node_sort_key)


def node_sort_key(node):
    """Sort key for node identifiers of any type (numbers first, then text)."""
    if isinstance(node, (int, float, np.integer, np.floating)) and not isinstance(node, bool):
        return (0, float(node), "")
    return (1, 0.0, str(node))


def project(b: nx.Graph, weighting: str = "count", *, nodes=None, sparse: bool = False):
    """One-mode projection of a bipartite graph onto its members.

    Two members are tied when they share at least one collective. With
    ``weighting="count"`` the weight is the number of collectives they share, as
    :func:`networkx.algorithms.bipartite.weighted_projected_graph`; with
    ``"newman"`` each shared collective of size *k* adds 1/(k−1) (collectives of
    size 1 add nothing), as
    :func:`networkx.algorithms.bipartite.collaboration_weighted_projected_graph`
    (M. E. J. Newman, "Scientific collaboration networks. II.", *Phys. Rev. E* 64,
    016132, 2001, doi:10.1103/PhysRevE.64.016132).

    The projection is computed as a sparse product, W = B·Λ·Bᵀ with the diagonal
    removed (B the members × collectives incidence matrix, Λ the collectives'
    weights), never by enumerating the clique of each collective in Python.

    Parameters
    ----------
    b : networkx.Graph
        A bipartite graph, e.g. from :func:`affiliation_graph`.
    weighting : {"count", "newman"}
    nodes : iterable, optional
        The members (default: nodes with ``bipartite=0``).
    sparse : bool
        Return a :class:`SparseProjection` instead of a networkx graph: the route
        for large corpora, read directly by :func:`mesra.metrics`. Its python-igraph
        graph (what :func:`mesra.metrics` computes centralities and communities on) is
        built here, once, as igraph's own pipeline does in its projection step.

    Returns
    -------
    networkx.Graph or SparseProjection
        Members sorted, with their attributes; edges sorted, with
        ``weight`` (int for ``count``).

    Raises
    ------
    ParameterError
        Unknown weighting, graph that is not bipartite.

    Examples
    --------
    >>> import networkx as nx
    >>> p = project(nx.davis_southern_women_graph(), "newman")
    >>> round(p["Evelyn Jefferson"]["Theresa Anderson"]["weight"], 3)
    1.487
    """
    if weighting not in _WEIGHTINGS:
        raise ParameterError(
            f"Pondération « {weighting} » inconnue : choisissez « count » (nombre de "
            "collectifs partagés) ou « newman » (chaque collectif de taille k compte 1/(k−1))."
        )
    if b.is_directed() or b.is_multigraph():
        raise ParameterError("La projection attend un graphe simple non orienté (networkx.Graph).")
    members = _members(b, nodes)
    dropped = int(b.graph.get("liens_personnes_ignores") or 0)
    if not members and dropped:
        warnings.warn(
            f"project : projection vide, car le graphe d'affiliation n'a aucun membre ; {dropped} lien(s) de "
            "personnes ont été laissés de côté (personnes=False dans affiliation_graph).",
            MesraWarning,
            stacklevel=2,
        )
    index = {n: i for i, n in enumerate(members)}
    coll_index: dict = {}
    rows: list[int] = []
    cols: list[int] = []
    for u, v in b.edges():
        iu, iv = index.get(u), index.get(v)
        if (iu is None) == (iv is None):
            raise ParameterError(f"Le lien {u} — {v} relie deux nœuds du même côté : le graphe n'est pas biparti.")
        i, c = (iu, v) if iu is not None else (iv, u)
        j = coll_index.setdefault(c, len(coll_index))
        rows.append(i)
        cols.append(j)
    n, m = len(members), len(coll_index)
    B = sp.csr_matrix(
        (np.ones(len(rows)), (np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64))), shape=(n, m)
    )
    B.sum_duplicates()
    B.data[:] = 1.0
    size = np.asarray(B.sum(axis=0)).ravel()
    if weighting == "count":
        lam = np.ones(m)
    else:
        lam = np.zeros(m)
        big = size > 1
        lam[big] = 1.0 / (size[big] - 1.0)
    W = (B @ sp.diags(lam) @ B.T).tocsr() if m else sp.csr_matrix((n, n))
    W.setdiag(0.0)
    W.eliminate_zeros()
    W.sort_indices()
    graph = {k: v for k, v in b.graph.items() if k != "titre"}
    graph.update(
        type_graphe="projection",
        ponderation=weighting,
        titre=f"Projection ({weighting}) — {b.graph['titre']}" if b.graph.get("titre") else f"Projection ({weighting})",
    )
    proj = SparseProjection(members, W, weighting, [dict(b.nodes[x]) for x in members], B, lam, graph)
    if not sparse:
        return proj.to_networkx()
    proj.igraph(weighted=True)  # built once here, read by metrics (with or without weights)
    return proj
