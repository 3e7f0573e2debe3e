"""Metrics: equal to networkx on small graphs, published values (Davis, karate club), scale routes."""

from __future__ import annotations

import importlib
import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from networkx.algorithms import bipartite
from networkx.algorithms.community import modularity as nx_modularity

import mesra
from mesra.network.measures import brokers, graph_summary, metrics, metrics_from_affiliation
from mesra.network.projection import project

M = importlib.import_module("mesra.network.measures")  # the package exports the function under the same name

TOL = 1e-9


@pytest.fixture
def karate():
    return nx.karate_club_graph()


@pytest.fixture
def davis():
    return nx.davis_southern_women_graph()


def _by_node(m: pd.DataFrame, col: str) -> dict:
    return dict(zip(m["noeud"], m[col]))


def _close(ours: dict, ref: dict, tol: float) -> None:
    assert set(ours) == set(ref)
    for k, v in ref.items():
        if isinstance(v, float) and math.isnan(v):
            assert math.isnan(ours[k]), k
        else:
            assert ours[k] == pytest.approx(v, abs=tol), k


def _random_affiliation(seed: int, members: int = 60, collectives: int = 15) -> nx.Graph:
    """A seeded bipartite graph with a hub, collectives of one member and an unaffiliated member."""
    rng = np.random.default_rng(seed)
    b = nx.Graph()
    b.add_nodes_from((f"m{i:02d}" for i in range(members)), bipartite=0)
    b.add_nodes_from((f"c{j:02d}" for j in range(collectives)), bipartite=1)
    for i in range(members - 1):
        for j in rng.choice(collectives - 2, size=rng.integers(1, 4), replace=False):
            b.add_edge(f"m{i:02d}", f"c{j:02d}")
        if rng.random() < 0.4:
            b.add_edge(f"m{i:02d}", "c00")  # hub
    b.add_edge("m00", f"c{collectives - 2:02d}")  # a collective of one member
    b.add_edge(f"m{members - 1:02d}", f"c{collectives - 1:02d}")  # a member alone in its collective
    return b


# --- equal to networkx on small graphs -------------------------------------------------------
@pytest.mark.parametrize("weight", ["weight", None])
def test_karate_metrics_equal_networkx(karate, weight):
    m = metrics(karate, weight=weight)
    _close(_by_node(m, "intermediarite"), nx.betweenness_centrality(karate), TOL)
    _close(_by_node(m, "pagerank"), nx.pagerank(karate, weight=weight, tol=1e-12), 1e-9)
    _close(_by_node(m, "contrainte"), nx.constraint(karate, weight=weight), TOL)
    # networkx's per-node definition of effective size (its vectorised shortcut for
    # nodes=None divides by the wrong axis's maximum when weights differ)
    _close(_by_node(m, "taille_effective"), nx.effective_size(karate, nodes=list(karate), weight=weight), TOL)
    _close(_by_node(m, "degre"), dict(karate.degree()), 0)
    _close(_by_node(m, "degre_pondere"), dict(karate.degree(weight=weight)), TOL)
    _close(_by_node(m, "centralite_degre"), nx.degree_centrality(karate), TOL)
    assert m["intermediarite_exacte"].all() and m.attrs["intermediarite"] == "exacte"


def test_sampled_betweenness_equals_networkx_with_the_same_seed(karate):
    m = metrics(karate, weight=None, seed=7, exact_betweenness_max=10, betweenness_pivots=12)
    ref = nx.betweenness_centrality(karate, k=12, seed=7)
    _close(_by_node(m, "intermediarite"), ref, TOL)
    assert not m["intermediarite_exacte"].any()
    assert m.attrs["intermediarite"] == "échantillonnée" and m.attrs["pivots"] == 12
    # and it estimates the exact values
    exact = nx.betweenness_centrality(karate)
    assert abs(m["intermediarite"].sum() - sum(exact.values())) < 0.5 * sum(exact.values())


def test_isolated_nodes_have_undefined_brokerage_like_networkx():
    g = nx.Graph([(0, 1), (1, 2), (0, 2), (2, 3)])
    g.add_node(4)
    m = metrics(g)
    _close(_by_node(m, "contrainte"), nx.constraint(g), TOL)
    _close(_by_node(m, "taille_effective"), nx.effective_size(g), TOL)
    _close(_by_node(m, "pagerank"), nx.pagerank(g, tol=1e-12), 1e-9)
    assert m.attrs["isolats"] == 1 and m.attrs["composantes"] == 2


def _random_weighted_graph(seed: int) -> nx.Graph:
    """Seeded: two dense-ish components, a path, isolated nodes, weights 0.5–5, no self-loop."""
    rng = np.random.default_rng(seed)
    g = nx.Graph()
    g.add_nodes_from(range(40))  # 36–39 stay isolated
    for lo, hi, p in ((0, 18, 0.35), (18, 30, 0.6)):  # two components of different density
        for i in range(lo, hi):
            for j in range(i + 1, hi):
                if rng.random() < p:
                    g.add_edge(i, j, weight=float(rng.uniform(0.5, 5.0)))
    nx.add_path(g, range(30, 36), weight=2.0)  # a third component, a path
    return g


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_vectorised_brokerage_equals_networkx_on_random_weighted_graphs(seed):
    g = _random_weighted_graph(seed)
    with_loop = g.copy()
    with_loop.add_edge(3, 3, weight=4.0)  # a self-loop says nothing about brokerage: ignored
    m = metrics(with_loop)
    assert m.attrs["isolats"] == 4 and m.attrs["composantes"] == nx.number_connected_components(g)
    _close(_by_node(m, "contrainte"), nx.constraint(g, weight="weight"), TOL)
    _close(_by_node(m, "taille_effective"), nx.effective_size(g, nodes=list(g), weight="weight"), TOL)
    unweighted = metrics(g, weight=None)
    _close(_by_node(unweighted, "contrainte"), nx.constraint(g), TOL)
    _close(_by_node(unweighted, "taille_effective"), nx.effective_size(g, nodes=list(g)), TOL)
    for node in range(36, 40):  # isolated: undefined, as networkx says
        assert math.isnan(_by_node(m, "contrainte")[node]) and math.isnan(_by_node(m, "taille_effective")[node])


# --- published values -------------------------------------------------------------------------------
def test_karate_club_reaches_the_optimal_modularity(karate):
    # Zachary's karate club: the optimal partition has modularity 0.4198 (4 communities;
    # Brandes et al., IEEE TKDE 20, 2008, doi:10.1109/TKDE.2007.190689).
    for seed in range(5):
        m = metrics(karate, weight=None, seed=seed)
        assert m.attrs["modularite"] == pytest.approx(0.4198, abs=1e-4)
        assert m.attrs["communautes"] == 4
        parts = [set(m.loc[m["communaute"] == c, "noeud"]) for c in range(4)]
        assert nx_modularity(karate, parts, weight=None) == pytest.approx(m.attrs["modularite"], abs=1e-12)


def test_louvain_option_is_igraphs_multilevel_with_the_seed(karate):
    import random

    import igraph as ig

    m = metrics(karate, weight=None, seed=3, communities="louvain")
    h = ig.Graph(n=34, edges=sorted(karate.edges()))
    ig.set_random_number_generator(random.Random(3))
    ref = h.community_multilevel()
    ig.set_random_number_generator(random)
    assert m.attrs["modularite"] == pytest.approx(ref.modularity, abs=1e-12)
    assert m.attrs["methode_communautes"] == "louvain"
    assert 0.38 <= m.attrs["modularite"] <= 0.4198 + 1e-4  # a heuristic: never above the optimum
    assert metrics(karate, weight=None, seed=3, communities="louvain").equals(m)


# Borgatti & Halgin (2011), Davis Southern Women, as listed in networkx's own tests
# (networkx/algorithms/bipartite/tests/test_centrality.py), two decimals.
DAVIS_BETWEENNESS = {
    "E8": 0.24,
    "E9": 0.23,
    "E7": 0.13,
    "Nora Fayette": 0.11,
    "Evelyn Jefferson": 0.10,
    "Theresa Anderson": 0.09,
    "E6": 0.07,
    "Sylvia Avondale": 0.07,
    "Laura Mandeville": 0.05,
    "Brenda Rogers": 0.05,
    "Katherina Rogers": 0.05,
    "E5": 0.04,
    "Helen Lloyd": 0.04,
    "E3": 0.02,
    "Ruth DeSand": 0.02,
    "Verne Sanderson": 0.02,
    "E12": 0.02,
    "Myra Liddel": 0.02,
    "E11": 0.02,
    "Eleanor Nye": 0.01,
    "Frances Anderson": 0.01,
    "Pearl Oglethorpe": 0.01,
    "E4": 0.01,
    "Charlotte McDowd": 0.01,
    "E10": 0.01,
    "Olivia Carleton": 0.01,
    "Flora Price": 0.01,
    "E2": 0.00,
    "E1": 0.00,
    "Dorothy Murchison": 0.00,
    "E13": 0.00,
    "E14": 0.00,
}
DAVIS_DEGREE = {
    "E8": 0.78,
    "E9": 0.67,
    "E7": 0.56,
    "Nora Fayette": 0.57,
    "Evelyn Jefferson": 0.57,
    "Theresa Anderson": 0.57,
    "E6": 0.44,
    "Sylvia Avondale": 0.50,
    "Laura Mandeville": 0.50,
    "Brenda Rogers": 0.50,
    "Katherina Rogers": 0.43,
    "E5": 0.44,
    "Helen Lloyd": 0.36,
    "E3": 0.33,
    "Ruth DeSand": 0.29,
    "Verne Sanderson": 0.29,
    "E12": 0.33,
    "Myra Liddel": 0.29,
    "E11": 0.22,
    "Eleanor Nye": 0.29,
    "Frances Anderson": 0.29,
    "Pearl Oglethorpe": 0.21,
    "E4": 0.22,
    "Charlotte McDowd": 0.29,
    "E10": 0.28,
    "Olivia Carleton": 0.14,
    "Flora Price": 0.14,
    "E2": 0.17,
    "E1": 0.17,
    "Dorothy Murchison": 0.14,
    "E13": 0.17,
    "E14": 0.17,
}


def test_davis_bipartite_centralities_match_borgatti_and_halgin(davis):
    m = metrics(davis)
    assert "bipartite" in m.columns
    _close(_by_node(m, "intermediarite"), DAVIS_BETWEENNESS, 1e-2)
    _close(_by_node(m, "centralite_degre"), DAVIS_DEGREE, 1e-2)
    women = [n for n, d in davis.nodes(data=True) if d["bipartite"] == 0]
    _close(_by_node(m, "intermediarite"), bipartite.betweenness_centrality(davis, women), TOL)
    _close(_by_node(m, "centralite_degre"), bipartite.degree_centrality(davis, women), TOL)


# --- the projection route -------------------------------------------------------------------------------
@pytest.mark.parametrize("weighting", ["count", "newman"])
def test_sparse_projection_metrics_equal_networkx_projection_metrics(davis, weighting):
    g = project(davis, weighting)
    dense = metrics(g)
    sparse = metrics(project(davis, weighting, sparse=True))
    pd.testing.assert_frame_equal(dense, sparse, check_exact=False, atol=1e-12, rtol=0)
    _close(_by_node(sparse, "contrainte"), nx.constraint(g, weight="weight"), TOL)
    _close(_by_node(sparse, "taille_effective"), nx.effective_size(g, nodes=list(g), weight="weight"), TOL)
    assert sparse.attrs.keys() == dense.attrs.keys()
    for k, v in dense.attrs.items():
        assert sparse.attrs[k] == v or (isinstance(v, float) and math.isnan(v) and math.isnan(sparse.attrs[k])), k


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("weighting", ["count", "newman"])
def test_incidence_brokerage_equals_networkx_on_random_affiliations(seed, weighting):
    b = _random_affiliation(seed)
    g = project(b, weighting)
    assert g.degree("m59") == 0  # alone in its collective: isolated in the projection
    m = metrics_from_affiliation(b, weighting)
    _close(_by_node(m, "contrainte"), nx.constraint(g, weight="weight"), TOL)
    some = [*sorted(g)[:6], "m59"]  # networkx's per-node effective size is slow: a sample of nodes
    ours = {k: v for k, v in _by_node(m, "taille_effective").items() if k in some}
    _close(ours, nx.effective_size(g, nodes=some, weight="weight"), TOL)
    _close(_by_node(m, "intermediarite"), nx.betweenness_centrality(g), TOL)
    _close(_by_node(m, "degre_pondere"), dict(g.degree(weight="weight")), TOL)


@pytest.mark.parametrize("weighting", ["count", "newman"])
def test_igraph_graph_of_a_projection_is_the_projection(weighting):
    # a count projection is rebuilt by igraph's bipartite_projection, not edge by edge: same graph
    b = _random_affiliation(3)
    for weight in ("weight", None):
        p = M._prepare(project(b, weighting, sparse=True), weight)
        h, w = M._igraph(p)
        assert h.vcount() == len(p.nodes) and w == ("weight" if weight else None)
        edges = np.array(h.get_edgelist())
        order = np.lexsort((edges[:, 1], edges[:, 0]))
        assert np.array_equal(edges[order], np.column_stack([p.rows, p.cols]))
        if weight:
            assert np.allclose(np.asarray(h.es["weight"], dtype=float)[order], p.w, rtol=0, atol=1e-12)


def test_chunked_routes_give_the_same_values(monkeypatch):
    b = _random_affiliation(5)
    g = project(b, "newman")
    ref_sparse = metrics(project(b, "newman", sparse=True))
    ref_graph = metrics(g)
    monkeypatch.setattr(M, "_BLOCK_CELLS", 40)  # blocks of one or two members
    monkeypatch.setattr(M, "_MAX_WORK", 50)
    pd.testing.assert_frame_equal(
        metrics(project(b, "newman", sparse=True)), ref_sparse, check_exact=False, atol=1e-12, rtol=0
    )
    pd.testing.assert_frame_equal(metrics(g), ref_graph, check_exact=False, atol=1e-12, rtol=0)


@pytest.mark.parametrize("share", [0.0, 0.3, 0.6, 2.0])
def test_incidence_blocks_dense_or_sparse_give_the_same_values(monkeypatch, share):
    # each block's product is written whole (dense) or entry by entry (sparse); mixing both
    # kinds of block in one run must leave no stale entry in the shared buffer
    b = _random_affiliation(7)
    ref = metrics(project(b, "count", sparse=True))
    monkeypatch.setattr(M, "_BLOCK_CELLS", 60)
    monkeypatch.setattr(M, "_DENSE_SHARE", share)
    pd.testing.assert_frame_equal(metrics(project(b, "count", sparse=True)), ref, check_exact=False, atol=1e-12, rtol=0)


def test_sparse_projection_builds_its_igraph_graph_once():
    b = _random_affiliation(2)
    p = project(b, "count", sparse=True)
    h, w = p.igraph()
    assert w == "weight" and h.ecount() == p.number_of_edges()
    assert p.igraph(weighted=False) == (h, None)  # the same graph, read without weights
    metrics(p)
    metrics(p, weight=None)
    assert p.igraph()[0] is h  # the table reused it
    q = project(b, "newman", sparse=True)
    assert q.igraph(weighted=False)[0] is not q.igraph()[0]  # newman weights: edge by edge


# --- whole-graph figures, determinism, brokers --------------------------------------------------------
def test_whole_graph_figures():
    g = nx.Graph()
    g.add_nodes_from(
        [
            ("a", {"echelon": "local"}),
            ("b", {"echelon": "local"}),
            ("c", {"echelon": "national"}),
            ("d", {"echelon": None}),
            ("e", {"echelon": "regional", "externe": True}),
        ]
    )
    g.add_edges_from([("a", "b"), ("b", "c"), ("c", "d"), ("a", "c")])
    s = graph_summary(g)
    assert s["noeuds"] == 5 and s["liens"] == 4 and s["externes"] == 1
    assert s["densite"] == pytest.approx(nx.density(g))
    assert s["composantes"] == nx.number_connected_components(g) == 2
    assert s["plus_grande_composante"] == 4 and s["isolats"] == 1
    assert s["part_liens_inter_echelons"] == pytest.approx(2 / 3)  # c–d has an unknown end
    m = metrics(g)
    assert {k: m.attrs[k] for k in s.index} == s.to_dict()
    assert m.attrs["modularite"] == pytest.approx(
        nx_modularity(g, [set(m.loc[m["communaute"] == c, "noeud"]) for c in range(m.attrs["communautes"])])
    )


def test_metrics_are_deterministic_and_sorted(karate):
    g = nx.relabel_nodes(karate, {i: f"n{33 - i:02d}" for i in karate})
    a, b = metrics(g, seed=1), metrics(g, seed=1)
    pd.testing.assert_frame_equal(a, b)
    assert list(a["noeud"]) == sorted(g.nodes)
    assert list(a.columns[:7]) == ["noeud", *M.ATTRIBUTE_COLUMNS]
    assert [c for c in M.METRIC_COLUMNS if c not in a.columns] == []


def test_community_numbers_go_by_decreasing_size(karate):
    m = metrics(karate)
    sizes = m["communaute"].value_counts().sort_index()
    assert list(sizes) == sorted(sizes, reverse=True)


def test_empty_graph_gives_an_empty_table():
    m = metrics(nx.Graph())
    assert len(m) == 0 and "intermediarite" in m.columns
    assert m.attrs["noeuds"] == 0 and math.isnan(m.attrs["modularite"])


def test_brokers_rank_by_betweenness_then_constraint(karate):
    m = metrics(karate)
    top = brokers(m, 3)
    assert list(top["noeud"]) == list(m.sort_values("intermediarite", ascending=False)["noeud"][:3])
    assert list(top.columns) == [
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
    g = nx.Graph([("a", "b"), ("c", "d")])  # equal betweenness (0): constraint, then identifier
    g.add_node("z")
    assert list(brokers(metrics(g), positive=False)["noeud"]) == ["a", "b", "c", "d"]
    # a broker lies between others: with betweenness 0 everywhere there is none
    assert brokers(metrics(g)).empty
    assert (brokers(metrics(karate), 34)["intermediarite"] > 0).all()
    assert mesra.top_brokers is brokers


def test_metrics_of_a_corpus_graph_carry_node_attributes():
    corpus = mesra.load_corpus()
    g = mesra.cooperation_graph(corpus, territoire="hauts-de-france")
    m = metrics(g)
    row = m.set_index("noeud").loc["apes"]
    assert row["nom"].startswith("Acteurs Pour l'Économie Solidaire") and row["type"] == "reseau_territorial"
    assert str(m["externe"].dtype) == "boolean" and m["externe"].any() and not m["externe"].all()


# --- errors ---------------------------------------------------------------------------------------------
def test_metrics_errors(karate):
    with pytest.raises(mesra.ParameterError, match="Graphe orienté ou multigraphe"):
        metrics(nx.DiGraph(karate))
    bad = nx.Graph([("a", "b", {"weight": -1})])
    with pytest.raises(mesra.ParameterError, match="Poids « weight » invalide sur le lien a — b"):
        metrics(bad)
    assert metrics(bad, weight=None)["degre_pondere"].tolist() == [1, 1]
    with pytest.raises(mesra.ParameterError, match="Méthode de communautés « infomap » inconnue"):
        metrics(karate, communities="infomap")
    with pytest.raises(mesra.ParameterError, match="attend un graphe networkx"):
        metrics([(0, 1)])
    with pytest.raises(mesra.ParameterError, match="colonnes manquantes"):
        brokers(pd.DataFrame({"noeud": [1]}))
