"""Cooperation and affiliation networks of a corpus, projections and Gephi exports.

Users receive :mod:`networkx` graphs: the *cooperation graph* of a territory
(actors, and people when asked, with their direct ties) and the *affiliation
graph* (members × the collectives they belong to or take part in, a bipartite
graph). :func:`project` turns an affiliation graph into a one-mode "who meets
whom" graph as a sparse matrix product, so that a national body with thousands
of members never requires the quadratic clique of its largest collective to be
built edge by edge; with ``sparse=True`` it returns a :class:`SparseProjection`
that :func:`mesra.metrics` reads directly (the metrics of a large corpus never
need the projection as a networkx graph).

>>> import networkx as nx
>>> p = project(nx.davis_southern_women_graph())
>>> p["Evelyn Jefferson"]["Theresa Anderson"]["weight"]
7

Column names and relation vocabularies come from :mod:`mesra.contract`.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Sequence
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from . import contract as C
from .errors import ParameterError
from .writer import atomic_write_bytes, atomic_write_text

__all__ = [
    "cooperation_graph", "affiliation_graph", "project", "SparseProjection", "export_graph",
    "COLLECTIVE_SUFFIX", "PERSON_TYPE", "cli_network",
]

#: ``type`` of a person's node (people are not actors, so not in ``contract.TYPES``).
PERSON_TYPE = "personne"
#: Suffix of a collective's node in an affiliation graph when the same identifier is
#: also a member (e.g. a federation that is itself a member of a European network):
#: the two roles must be two nodes for the graph to stay bipartite.
COLLECTIVE_SUFFIX = "#collectif"

_ECHELON_RANK = {e: i for i, e in enumerate(C.ECHELONS)}
_RELATION_RANK = {r: i for i, r in enumerate(C.RELATIONS)}


# --- parameters -----------------------------------------------------------------
def _check_territory(corpus, territoire: str | None) -> list[str] | None:
    """The territory and its sub-territories (None: whole corpus), or a French error."""
    if territoire is None:
        return None
    known = corpus.territoires["territoire_id"]
    if not isinstance(territoire, str) or territoire not in set(known):
        close = difflib.get_close_matches(str(territoire), sorted(known), n=3, cutoff=0.6)
        hint = f" Vouliez-vous dire : {', '.join(close)} ?" if close else ""
        raise ParameterError(
            f"Territoire « {territoire} » inconnu.{hint} Utilisez un identifiant de territoires.csv ou "
            "de la géographie de référence (ex. occitanie, gard, fr) ; en Python, territoire=None prend tout le "
            "corpus.")
    return corpus.territory_ids(territoire)


def _check_relations(relations: Iterable[str], default: Sequence[str]) -> tuple[str, ...]:
    if isinstance(relations, str):
        relations = (relations,)
    rels = tuple(dict.fromkeys(relations))
    unknown = [r for r in rels if r not in C.RELATIONS]
    if unknown or not rels:
        raise ParameterError(
            f"Relation(s) inconnue(s) : {', '.join(map(str, unknown)) or '(aucune)'}. Relations possibles : "
            f"{', '.join(C.RELATIONS)} (par défaut : {', '.join(default)}).")
    return rels


def _clean(value):
    """``None`` for missing values (NaN, pd.NA), plain Python scalars otherwise."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    return value


# --- node and tie tables ----------------------------------------------------------------
def _node_attributes(corpus, personnes: bool) -> dict[str, dict]:
    """``id -> attributes`` of every actor (and person when asked)."""
    a = corpus.acteurs
    out: dict[str, dict] = {}
    for aid, nom, sigle, typ, terr, ech, mem in zip(
            a["acteur_id"], a["nom"], a["sigle"], a["type"], a["territoire_id"], a["echelon"],
            a["membre_mes"]):
        out[aid] = {"nom": _clean(nom), "sigle": _clean(sigle), "type": _clean(typ),
                    "territoire": _clean(terr), "echelon": _clean(ech), "membre_mes": _clean(mem)}
    if personnes:
        p = corpus.personnes
        for pid, nom, prenom, aid in zip(p["personne_id"], p["nom"], p["prenom"], p["acteur_id"]):
            structure = out.get(_clean(aid)) if _clean(aid) else None
            full = " ".join(x for x in (_clean(prenom), _clean(nom)) if x)
            out[pid] = {"nom": full or pid, "sigle": None, "type": PERSON_TYPE,
                        "territoire": structure["territoire"] if structure else None,
                        "echelon": structure["echelon"] if structure else None,
                        "membre_mes": None, "structure": _clean(aid)}
    return out


def _inside(attrs: dict[str, dict], ids: list[str] | None) -> set[str]:
    if ids is None:
        return set(attrs)
    wanted = set(ids)
    return {n for n, d in attrs.items() if d.get("territoire") in wanted}


def _ties(corpus, relations: tuple[str, ...]) -> pd.DataFrame:
    liens = corpus.liens
    return liens[liens["relation"].isin(relations)]


def _aggregate(corpus, relations, attrs: dict, inside: set, *, undirected: bool) -> dict:
    """Ties of ``relations`` with at least one end inside, aggregated per pair of endpoints."""
    t = _ties(corpus, relations)
    ties: dict[tuple[str, str], _Tie] = {}
    for s, c, rel, axe, ech, src in zip(t["source_id"], t["cible_id"], t["relation"], t["axe"],
                                        t["echelon"], t["source"]):
        if s == c or s not in attrs or c not in attrs or (s not in inside and c not in inside):
            continue
        key = (c, s) if undirected and c < s else (s, c)
        tie = ties.get(key)
        if tie is None:
            tie = ties[key] = _Tie()
        tie.add(rel, axe, ech, src)
    return ties


class _Tie:
    """Aggregate of the ties between two endpoints (relations, count, axes, echelons, sources)."""

    __slots__ = ("relations", "weight", "axes", "echelons", "sources")

    def __init__(self):
        self.relations: set[str] = set()
        self.weight = 0
        self.axes: set[int] = set()
        self.echelons: set[str] = set()
        self.sources: set[str] = set()

    def add(self, relation, axe, echelon, source):
        self.relations.add(relation)
        self.weight += 1
        axe, echelon, source = _clean(axe), _clean(echelon), _clean(source)
        if axe is not None:
            self.axes.add(int(axe))
        if echelon is not None:
            self.echelons.add(echelon)
        if source is not None:
            self.sources.add(source)

    def attributes(self) -> dict:
        return {
            "relations": sorted(self.relations, key=lambda r: (_RELATION_RANK.get(r, 99), r)),
            "weight": self.weight,
            "axes": sorted(self.axes),
            "echelons": sorted(self.echelons, key=lambda e: (_ECHELON_RANK.get(e, 99), e)),
            "sources": sorted(self.sources),
        }


def _title(kind: str, corpus, territoire: str | None) -> str:
    return f"{kind} — {corpus.territory_name(territoire)}"


# --- cooperation graph ----------------------------------------------------------------------
def cooperation_graph(corpus, territoire: str | None = None, *, personnes: bool = False,
                      relations: Iterable[str] = C.DIRECT_RELATIONS) -> nx.Graph:
    """The cooperation network of a territory: actors and their direct ties.

    Parameters
    ----------
    corpus : Corpus
        A loaded corpus (:func:`mesra.load_corpus`).
    territoire : str, optional
        Territory identifier; actors located in it *or in its sub-territories* are
        the graph's own nodes. ``None`` (default) takes the whole corpus.
    personnes : bool
        Also include people (table ``personnes``); a person is located where their
        structure (``personnes.acteur_id``) is. Without it, ties of people are left out.
    relations : iterable of str
        Tie types kept (default :data:`mesra.contract.DIRECT_RELATIONS`).

    Returns
    -------
    networkx.Graph
        Undirected. Nodes are identifiers, inserted in sorted order, with
        ``nom, sigle, type, territoire, echelon, membre_mes, externe`` (and
        ``structure`` for people; ``type`` is ``"personne"``). Outside actors tied to
        the territory's actors are included with ``externe=True``. Each edge
        aggregates every tie between its two ends: ``relations`` (sorted list),
        ``weight`` (number of ties), ``axes``, ``echelons`` and ``sources`` (lists).
        Graph attributes: ``territoire``, ``titre``, ``relations``, ``type_graphe``.

    Raises
    ------
    ParameterError
        When the territory or a relation is unknown.

    Examples
    --------
    >>> import mesra
    >>> g = mesra.cooperation_graph(mesra.load_corpus(), territoire="occitanie")
    >>> sorted(g.nodes(data="externe"))[0][1] in (True, False)
    True
    """
    ids = _check_territory(corpus, territoire)
    rels = _check_relations(relations, C.DIRECT_RELATIONS)
    attrs = _node_attributes(corpus, personnes)
    inside = _inside(attrs, ids)
    ties = _aggregate(corpus, rels, attrs, inside, undirected=True)
    nodes = set(inside)
    for u, v in ties:
        nodes.add(u)
        nodes.add(v)
    g = nx.Graph(territoire=territoire, titre=_title("Réseau de coopération", corpus, territoire),
                 type_graphe="cooperation", relations=list(rels))
    g.add_nodes_from((n, {**attrs[n], "externe": n not in inside}) for n in sorted(nodes))
    g.add_edges_from((u, v, ties[(u, v)].attributes()) for u, v in sorted(ties))
    return g


# --- affiliation graph ----------------------------------------------------------------------
def affiliation_graph(corpus, territoire: str | None = None, *,
                      relations: Iterable[str] = C.AFFILIATION_RELATIONS,
                      personnes: bool = False) -> nx.Graph:
    """The bipartite graph of members × the collectives they belong to or take part in.

    A tie ``source_id —relation→ cible_id`` with a relation of ``relations`` makes
    ``source_id`` a member (``bipartite=0``) and ``cible_id`` a collective
    (``bipartite=1``: a body, project, event, workshop…), as networkx's
    :mod:`~networkx.algorithms.bipartite` expects.

    Parameters
    ----------
    corpus : Corpus
        A loaded corpus.
    territoire : str, optional
        Keep the ties whose member or collective is located in this territory or
        below it (the other end is flagged ``externe=True``). ``None``: whole corpus.
    relations : iterable of str
        Affiliation relations (default :data:`mesra.contract.AFFILIATION_RELATIONS`).
    personnes : bool
        Include people as members (e.g. seminar participants in the workshops).

    Returns
    -------
    networkx.Graph
        Nodes sorted (members first, then collectives) with the attributes of
        :func:`cooperation_graph`, plus ``bipartite`` and ``identifiant`` (the corpus
        identifier). When an identifier is both a member and a collective (a
        federation member of a European network), its collective node is
        ``identifiant + "#collectif"`` so that the graph stays bipartite.
        Edges carry ``relations``, ``weight``, ``axes``, ``echelons``, ``sources``.

    Raises
    ------
    ParameterError
        When the territory or a relation is unknown.
    """
    ids = _check_territory(corpus, territoire)
    rels = _check_relations(relations, C.AFFILIATION_RELATIONS)
    attrs = _node_attributes(corpus, personnes)
    inside = _inside(attrs, ids)
    ties = _aggregate(corpus, rels, attrs, inside, undirected=False)
    members = {s for s, _ in ties}
    collectives = {c for _, c in ties}

    def coll_key(c: str) -> str:
        return c + COLLECTIVE_SUFFIX if c in members else c

    g = nx.Graph(territoire=territoire, titre=_title("Réseau d'affiliation", corpus, territoire),
                 type_graphe="affiliation", relations=list(rels))
    g.add_nodes_from((n, {**attrs[n], "externe": n not in inside, "bipartite": 0, "identifiant": n})
                     for n in sorted(members))
    g.add_nodes_from((coll_key(c), {**attrs[c], "externe": c not in inside, "bipartite": 1,
                                    "identifiant": c})
                     for c in sorted(collectives))
    g.add_edges_from((s, coll_key(c), ties[(s, c)].attributes()) for s, c in sorted(ties))
    return g


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
    """

    def __init__(self, nodes, matrix, weighting, node_attrs, incidence, collective_weights, graph):
        self.nodes = list(nodes)
        self.matrix = matrix
        self.weighting = weighting
        self.node_attrs = node_attrs
        self.incidence = incidence
        self.collective_weights = collective_weights
        self.graph = dict(graph)

    def __repr__(self) -> str:
        return (f"SparseProjection({self.number_of_nodes()} nœuds, {self.number_of_edges()} liens, "
                f"pondération {self.weighting!r})")

    def number_of_nodes(self) -> int:
        return len(self.nodes)

    def number_of_edges(self) -> int:
        return int(self.matrix.nnz // 2)

    def upper(self) -> sp.coo_matrix:
        """The upper triangle (one entry per edge), rows then columns sorted."""
        u = sp.triu(self.matrix, k=1, format="csr")
        u.sort_indices()
        return u.tocoo()

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
        g.add_weighted_edges_from(
            (nodes[i], nodes[j], w) for i, j, w in zip(u.row.tolist(), u.col.tolist(), weights))
        return g


_WEIGHTINGS = ("count", "newman")


def _members(b: nx.Graph, nodes) -> list:
    if nodes is not None:
        wanted = set(nodes)
        missing = [n for n in wanted if n not in b]
        if missing:
            shown = ", ".join(map(str, sorted(missing, key=str)[:5]))
            raise ParameterError(f"Nœud(s) absent(s) du graphe biparti : {shown}. Donnez des nœuds du graphe "
                                 "dans nodes=[…].")
        return sorted(wanted, key=_sort_key)
    modes = dict(b.nodes(data="bipartite"))
    if any(v not in (0, 1) for v in modes.values()):
        raise ParameterError(
            "Le graphe n'est pas un graphe biparti de mesra : chaque nœud doit avoir l'attribut "
            "bipartite=0 (membres) ou 1 (collectifs), comme celui de mesra.affiliation_graph ; "
            "ou indiquez les membres avec nodes=[…].")
    return sorted((n for n, v in modes.items() if v == 0), key=_sort_key)


def _sort_key(node):
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
        for large corpora, read directly by :func:`mesra.metrics`.

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
        raise ParameterError(f"Pondération « {weighting} » inconnue : choisissez « count » (nombre de "
                             "collectifs partagés) ou « newman » (chaque collectif de taille k compte 1/(k−1)).")
    if b.is_directed() or b.is_multigraph():
        raise ParameterError("La projection attend un graphe simple non orienté (networkx.Graph).")
    members = _members(b, nodes)
    index = {n: i for i, n in enumerate(members)}
    coll_index: dict = {}
    rows: list[int] = []
    cols: list[int] = []
    for u, v in b.edges():
        iu, iv = index.get(u), index.get(v)
        if (iu is None) == (iv is None):
            raise ParameterError(
                f"Le lien {u} — {v} relie deux nœuds du même côté : le graphe n'est pas biparti.")
        i, c = (iu, v) if iu is not None else (iv, u)
        j = coll_index.setdefault(c, len(coll_index))
        rows.append(i)
        cols.append(j)
    n, m = len(members), len(coll_index)
    B = sp.csr_matrix((np.ones(len(rows)), (np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64))),
                      shape=(n, m))
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
    graph.update(type_graphe="projection", ponderation=weighting,
                 titre=f"Projection ({weighting}) — {b.graph['titre']}" if b.graph.get("titre") else
                 f"Projection ({weighting})")
    proj = SparseProjection(members, W, weighting, [dict(b.nodes[x]) for x in members], B, lam, graph)
    return proj if sparse else proj.to_networkx()


# --- exports ------------------------------------------------------------------------------
_EXPORT_SUFFIXES = (".gexf", ".graphml", ".csv")


def _export_value(value):
    """A value GEXF/GraphML can store: None dropped, lists joined, numpy scalars plain."""
    value = _clean(value)
    if value is None:
        return None
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return ", ".join(str(x) for x in items)
    if isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def _exportable(g: nx.Graph) -> nx.Graph:
    """A copy of ``g`` whose attributes every format can write (GEXF cannot store None)."""
    h = nx.Graph()
    for key, value in g.graph.items():
        value = _export_value(value)
        if value is not None:
            h.graph[key] = value
    for n, d in g.nodes(data=True):
        attrs = {k: v for k, v in ((k, _export_value(v)) for k, v in d.items()) if v is not None}
        if "nom" in attrs and "label" not in attrs:
            attrs["label"] = str(attrs["nom"])
        h.add_node(str(n), **attrs)
    for u, v, d in g.edges(data=True):
        attrs = {k: v for k, v in ((k, _export_value(x)) for k, x in d.items()) if v is not None}
        h.add_edge(str(u), str(v), **attrs)
    return h


def _csv_bytes(df: pd.DataFrame) -> bytes:
    return df.to_csv(index=False, lineterminator="\n").encode("utf-8")


def export_graph(g: nx.Graph, path: str | Path) -> list[Path]:
    """Write a graph for Gephi or a spreadsheet, atomically; return the files written.

    Parameters
    ----------
    g : networkx.Graph or SparseProjection
        A graph from :func:`cooperation_graph`, :func:`affiliation_graph` or
        :func:`project` (a sparse projection is converted first).
    path : str or Path
        ``.gexf`` (Gephi), ``.graphml``, or ``.csv``: then two files are written,
        ``<nom>-noeuds.csv`` (``Id, Label`` and the node attributes) and
        ``<nom>-liens.csv`` (``Source, Target, Type, Weight`` and the edge
        attributes), the headers Gephi's spreadsheet import recognises.

    Notes
    -----
    Missing values are left out (GEXF cannot store them), lists are joined with
    ``", "``, node identifiers become strings, and each node gets a ``label`` (its
    ``nom``), which Gephi displays.

    Raises
    ------
    ParameterError
        Unknown file suffix, missing folder, or not a graph.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in _EXPORT_SUFFIXES:
        raise ParameterError(f"Format d'export « {path.suffix or path.name} » non pris en charge : utilisez "
                             ".gexf (Gephi), .graphml ou .csv (nœuds et liens).")
    if not path.parent.is_dir():
        raise ParameterError(f"Le dossier « {path.parent} » n'existe pas : créez-le ou choisissez un autre "
                             "chemin d'export.")
    if isinstance(g, SparseProjection):
        g = g.to_networkx()
    if not isinstance(g, nx.Graph):
        raise ParameterError("export_graph attend un graphe networkx (mesra.cooperation_graph, "
                             "affiliation_graph ou project).")
    h = _exportable(g)
    if suffix == ".gexf":
        data = b"".join(line.encode("utf-8") + b"\n" for line in nx.generate_gexf(h))
        return [atomic_write_bytes(path, data)]
    if suffix == ".graphml":
        data = b"".join(line.encode("utf-8") + b"\n" for line in nx.generate_graphml(h))
        return [atomic_write_bytes(path, data)]
    node_rows = [{"Id": n, "Label": d.get("label", n),
                  **{k: v for k, v in d.items() if k != "label"}} for n, d in h.nodes(data=True)]
    nodes = pd.DataFrame(node_rows, columns=_columns(["Id", "Label"], node_rows))
    edge_rows = [{"Source": u, "Target": v, "Type": "Undirected", "Weight": d.get("weight", 1),
                  **{k: x for k, x in d.items() if k != "weight"}} for u, v, d in h.edges(data=True)]
    edges = pd.DataFrame(edge_rows, columns=_columns(["Source", "Target", "Type", "Weight"], edge_rows))
    stem = path.with_suffix("")
    out_nodes = stem.parent / f"{stem.name}-noeuds.csv"
    out_edges = stem.parent / f"{stem.name}-liens.csv"
    return [atomic_write_bytes(out_nodes, _csv_bytes(nodes)), atomic_write_bytes(out_edges, _csv_bytes(edges))]


def _columns(first: list[str], rows: list[dict]) -> list[str]:
    cols = list(first)
    for row in rows:
        for k in row:
            if k not in cols:
                cols.append(k)
    return cols


# --- command line ---------------------------------------------------------------------
def cli_network(args) -> int:
    """``mesra network TERRITOIRE [--data DIR] [--export FICHIER] [--metrics FICHIER.csv] [--personnes]``."""
    from .corpus import load_corpus
    from .metrics import brokers, metrics

    corpus = load_corpus(args.data)
    territoire = args.territoire
    outputs = []
    for option, value, allowed in (("--export", args.export, _EXPORT_SUFFIXES), ("--metrics", args.metrics, (".csv",))):
        if value is None:
            continue
        p = Path(value)
        if p.suffix.lower() not in allowed:
            raise ParameterError(f"{option} : extension « {p.suffix or p.name} » non prise en charge "
                                 f"(attendu : {', '.join(allowed)}).")
        if not p.parent.is_dir():
            raise ParameterError(f"{option} : le dossier « {p.parent} » n'existe pas.")
        outputs.append(p)
    g = cooperation_graph(corpus, territoire, personnes=args.personnes)
    m = metrics(g)
    a = m.attrs
    externes = int(m["externe"].fillna(False).astype(bool).sum()) if len(m) else 0
    print(g.graph["titre"])
    print(f"  {a['noeuds']} nœuds (dont {externes} extérieurs au territoire), {a['liens']} liens, "
          f"densité {_fmt(a['densite'])}, {a['composantes']} composante(s), {a['isolats']} isolé(s).")
    if a["liens"]:
        method = "Leiden" if a.get("methode_communautes") == "leiden" else "Louvain"
        print(f"  Modularité ({method}) : {_fmt(a['modularite'])} en {a['communautes']} communautés ; "
              f"part des liens entre échelons différents : {_fmt(a['part_liens_inter_echelons'])}.")
        top = brokers(m, 5)
        if len(top):
            print("  Principaux intermédiaires :")
            for i, row in enumerate(top.itertuples(index=False), 1):
                print(f"    {i}. {row.nom} ({row.noeud}) — intermédiarité {_fmt(row.intermediarite)}, "
                      f"contrainte {_fmt(row.contrainte)}")
    else:
        print("  Aucun lien de coopération directe documenté pour ce territoire.")
    if args.export:
        for written in export_graph(g, args.export):
            print(f"  Graphe écrit : {written}")
    if args.metrics:
        atomic_write_text(Path(args.metrics), m.to_csv(index=False, lineterminator="\n"))
        print(f"  Métriques écrites : {args.metrics}")
    return 0


def _fmt(x) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n.d."
    return f"{x:.3f}".replace(".", ",")
