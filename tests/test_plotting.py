"""Network figures: deterministic, French legends and labels, PNG and SVG saving."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import networkx as nx  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import mesra  # noqa: E402
from mesra.corpus import contract  # noqa: E402
from mesra.network.plots import MAX_LABELS, TYPE_GROUPS, layout, plot_echelons, plot_network, save_figure  # noqa: E402


@pytest.fixture(scope="module")
def graph():
    return mesra.cooperation_graph(mesra.load_corpus(), territoire="occitanie", personnes=True)


def _offsets(ax) -> np.ndarray:
    return np.concatenate([c.get_offsets() for c in ax.collections if hasattr(c, "get_sizes") and len(c.get_sizes())])


def _texts(ax) -> list[str]:
    return [t.get_text() for t in ax.texts]


def _big_graph(n: int = 120) -> nx.Graph:
    g = nx.barabasi_albert_graph(n, 2, seed=1)
    nx.set_node_attributes(g, {i: {"nom": f"Acteur {i}", "type": "association", "echelon": "local"} for i in g})
    return g


def test_same_seed_same_positions_other_seed_other_positions(graph):
    a = _offsets(plot_network(graph, seed=3))
    b = _offsets(plot_network(graph, seed=3))
    c = _offsets(plot_network(graph, seed=4))
    assert np.array_equal(a, b)
    assert not np.allclose(a, c)
    p, q = layout(graph, 3), layout(graph, 3)
    assert list(p) == list(graph.nodes) and all(np.array_equal(p[n], q[n]) for n in graph)


def test_legend_in_french_with_the_types_present(graph):
    ax = plot_network(graph)
    legend = ax.get_legend()
    labels = [t.get_text() for t in legend.get_texts()]
    assert legend.get_title().get_text() == "Type d'acteur"
    types = {d["type"] for _, d in graph.nodes(data=True)}
    families = {name for name, _, members in TYPE_GROUPS.values() if set(members) & types}
    assert families <= set(labels) and len(families) <= 8
    assert "Personnes" in labels and "Partenaire extérieur au territoire" in labels
    assert "Taille : nombre de liens" in labels
    assert ax.get_title() == "Réseau de coopération — Occitanie"


def test_colour_by_type_and_size_by_degree(graph):
    ax = plot_network(graph)
    scatter = [c for c in ax.collections if hasattr(c, "get_sizes") and len(c.get_sizes())]
    sizes = np.concatenate([c.get_sizes() for c in scatter])
    assert len(sizes) == graph.number_of_nodes()
    assert sizes.max() > sizes.min()
    colours = {tuple(np.round(fc, 3)) for c in scatter for fc in c.get_facecolors()[:, :3]}
    types = {d["type"] for _, d in graph.nodes(data=True)}
    assert len(colours) == sum(1 for _, _, members in TYPE_GROUPS.values() if set(members) & types) <= 8


def test_every_node_is_labelled_up_to_the_limit(graph):
    if graph.number_of_nodes() > MAX_LABELS:  # the limit itself, whatever the corpus
        graph = graph.subgraph(list(graph.nodes)[:MAX_LABELS]).copy()
    assert 20 <= graph.number_of_nodes() <= MAX_LABELS
    ax = plot_network(graph)
    assert len(ax.texts) == graph.number_of_nodes()
    assert "MES Occitanie" in _texts(ax) or any(t.startswith("MES") for t in _texts(ax))


def test_larger_graphs_label_only_the_top_brokers():
    g = _big_graph()
    ax = plot_network(g, top_labels=7)
    assert len(ax.texts) == 7
    top = mesra.brokers(mesra.metrics(g), 7)
    assert set(_texts(ax)) == {f"Acteur {n}" for n in top["noeud"]}  # brokers first


def test_a_large_network_also_labels_the_hubs_of_its_communities():
    # two cliques joined by nothing: no broker at all, so the labels go to each community's hub
    g = nx.disjoint_union(nx.complete_graph(25), nx.complete_graph(20))
    nx.set_node_attributes(g, {i: {"nom": f"Acteur {i}", "type": "association"} for i in g})
    assert g.number_of_nodes() > MAX_LABELS and mesra.brokers(mesra.metrics(g)).empty
    ax = plot_network(g, top_labels=2)
    assert set(_texts(ax)) == {"Acteur 0", "Acteur 25"}  # the first node of each clique, the largest first


def test_echelon_bands_from_local_to_international(graph):
    ax = plot_echelons(graph, seed=0)
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    expected = [contract.label(e) for e in contract.ECHELONS]
    assert ticks[-5:] == expected  # local at the bottom, international at the top
    unknown = any(d.get("echelon") not in contract.ECHELONS for _, d in graph.nodes(data=True))
    assert (ticks[0] == "Échelon non renseigné") is unknown
    band = {e: i + (1 if unknown else 0) for i, e in enumerate(contract.ECHELONS)}
    pos = _offsets(ax)
    internal = [n for n in graph if not graph.nodes[n]["externe"]]
    external = [n for n in graph if graph.nodes[n]["externe"]]
    for n, (_, y) in zip(internal + external, pos):
        assert abs(y - band.get(graph.nodes[n].get("echelon"), 0)) < 0.5, n
    assert ax.get_ylabel() == "Échelon d'action"
    assert np.array_equal(pos, _offsets(plot_echelons(graph, seed=0)))


def test_plots_draw_on_the_given_axes_and_handle_an_empty_graph():
    fig, (a, b) = plt.subplots(1, 2)
    assert plot_network(nx.path_graph(3), ax=a) is a
    assert plot_echelons(nx.Graph(), ax=b) is b
    assert "Aucun nœud à représenter" in _texts(b)
    assert plot_echelons(nx.path_graph(2)).get_yticklabels()[0].get_text() == "Échelon non renseigné"


def test_save_figure_writes_png_and_svg_atomically_and_deterministically(graph, tmp_path):
    ax = plot_network(graph, seed=0)
    paths = save_figure(ax, tmp_path / "reseau.png")
    assert [p.name for p in paths] == ["reseau.png", "reseau.svg"]
    assert paths[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = paths[1].read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reseau.png", "reseau.svg"]
    save_figure(plot_network(graph, seed=0).figure, tmp_path / "encore")
    assert (tmp_path / "encore.svg").read_bytes() == paths[1].read_bytes()
    assert (tmp_path / "encore.png").read_bytes() == paths[0].read_bytes()


def test_errors(tmp_path):
    ax = plot_network(nx.path_graph(2))
    with pytest.raises(mesra.ParameterError, match=r"Extension « \.pdf » non prise en charge"):
        save_figure(ax, tmp_path / "reseau.pdf")
    with pytest.raises(mesra.ParameterError, match="n'existe pas"):
        save_figure(ax, tmp_path / "absent" / "reseau.png")
    with pytest.raises(mesra.ParameterError, match="Un graphe networkx est attendu"):
        plot_network([(0, 1)])


def test_graph_without_ties_is_a_small_message_not_an_empty_canvas():
    import networkx as nx

    g = nx.Graph(titre="Réseau de coopération — Bretagne")
    g.add_node("cress-bretagne", nom="CRESS Bretagne", type="instance_ess", externe=False)
    ax = mesra.plot_network(g)
    assert "Aucun lien à représenter (1 nœud sans lien)" in _texts(ax)
    assert ax.figure.get_figheight() < 3


@pytest.mark.parametrize("territoire", ["occitanie", "fr"])
def test_echelon_labels_never_overlap(territoire):
    g = mesra.cooperation_graph(mesra.load_corpus(), territoire=territoire)
    ax = plot_echelons(g, seed=0)
    renderer = ax.figure.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in ax.texts]
    assert len(boxes) >= 5
    assert not [(i, j) for i in range(len(boxes)) for j in range(i) if boxes[i].overlaps(boxes[j])]


@pytest.mark.parametrize(
    "draw",
    [
        lambda g, **kw: plot_network(g, seed=0, **kw),
        lambda g, **kw: plot_echelons(g, seed=0, **kw),
        lambda g, **kw: mesra.plot_counts(mesra.counts_by(mesra.load_corpus(), "type"), **kw),
        lambda g, **kw: mesra.plot_map(mesra.load_corpus(), "occitanie", **kw),
        lambda g, **kw: mesra.plot_timeline(mesra.actions_for(mesra.load_corpus(), "occitanie"), "2020-01-01", **kw),
    ],
)
def test_a_figure_made_by_a_plot_function_is_drawn_once_for_its_image(graph, draw):
    """A finished figure is marked up to date: pyplot's drawing after a notebook cell skips it
    (the inline backend draws it for its PNG). A change made after marks it changed again;
    axes given by the caller are left as they are."""
    ax = draw(graph)
    assert ax.figure.stale is False
    ax.set_title("Titre du lecteur")
    assert ax.figure.stale is True
    _, own = plt.subplots()
    assert draw(graph, ax=own) is own
    assert own.figure.stale is True
    plt.close("all")


def test_distinct_nodes_get_distinct_labels():
    """Three actors sharing an acronym are told apart by their names (then by their identifiers)."""
    from mesra.network.plots import node_labels

    g = nx.Graph()
    common = {"type": "association", "echelon": "local", "sigle": "ADESS"}
    g.add_node("adess-29", nom="ADESS Pays de Brest", **common)
    g.add_node("adess-cornouaille", nom="ADESS Cornouaille", **common)
    g.add_node("adess-bis", nom="ADESS Cornouaille", **common)
    g.add_node("mes", nom="Mouvement pour l'économie solidaire", sigle="MES", type="reseau_territorial")
    g.add_edges_from([("adess-29", "mes"), ("adess-cornouaille", "mes"), ("adess-bis", "mes")])
    labels = node_labels(g)
    assert labels["mes"] == "MES" and labels["adess-29"] == "ADESS Pays de Brest"
    assert labels["adess-cornouaille"] == "ADESS Cornouaille (adess-cornouaille)"
    assert len(set(labels.values())) == g.number_of_nodes()
    ax = plot_network(g)
    assert sorted(_texts(ax)) == sorted(labels.values())


# --- one layout per graph, fast for large components (issue 27) --------------------------------------
def _normalised(pos: dict, nodes) -> np.ndarray:
    xy = np.array([pos[n] for n in nodes], dtype=float)
    xy -= (xy.max(axis=0) + xy.min(axis=0)) / 2
    return xy / np.abs(xy).max()


def _named_graph(n: int, m: int, seed: int = 2) -> nx.Graph:
    """A connected graph with string identifiers (as mesra's), weights on the ties."""
    h = nx.gnm_random_graph(n, m, seed=seed)
    h.add_edges_from((i, i + 1) for i in range(n - 1))  # connected: one component
    g = nx.Graph()
    g.add_nodes_from(f"org-{i}" for i in range(n))
    g.add_edges_from((f"org-{u}", f"org-{v}", {"weight": 1 + (u + v) % 3}) for u, v in h.edges)
    return g


def test_the_figures_and_the_view_of_one_graph_share_one_layout(graph, monkeypatch):
    from mesra.network import interactive, plots

    calls = []
    compute = plots._compute_layout
    monkeypatch.setattr(plots, "_compute_layout", lambda g, seed: calls.append(seed) or compute(g, seed))
    plots.clear_layout_cache()
    plot_network(graph)
    plot_echelons(graph)
    data = interactive.view_data(graph)
    assert calls == [0]  # one computation for the two figures and the view
    first = layout(graph)
    assert data["n"]["x"] == [round(float(first[n][0]) * 1000) for n in graph]
    first[next(iter(graph))][0] = 99.0  # the caller's copy: the cache keeps its own
    assert layout(graph)[next(iter(graph))][0] != 99.0
    layout(graph, 1)
    changed = graph.copy()
    u, v = [n for n in graph if not graph.has_edge(next(iter(graph)), n)][1], next(iter(graph))
    changed.add_edge(u, v, weight=1)
    layout(changed)
    assert calls == [0, 1, 0]  # another seed, another graph (a tie more): computed again


def test_small_components_keep_networkx_spring_layout():
    """Figures of small graphs are unchanged: a connected graph's positions are networkx's, rescaled."""
    from mesra.network import plots

    g = _named_graph(80, 160)
    plots.clear_layout_cache()
    expected = nx.spring_layout(g, seed=0, weight="weight", iterations=100)
    assert np.allclose(_normalised(layout(g), g), _normalised(expected, g))


def test_a_large_component_is_laid_out_fast_and_deterministically(monkeypatch):
    import os
    import subprocess
    import sys
    import time

    from mesra.network import plots

    g = _named_graph(plots.LARGE_COMPONENT + 100, 4 * (plots.LARGE_COMPONENT + 100))

    def refuse(*args, **kwargs):
        raise AssertionError("networkx's spring_layout on a large component")

    monkeypatch.setattr(nx, "spring_layout", refuse)
    plots.clear_layout_cache()
    t = time.perf_counter()
    p = layout(g)
    assert time.perf_counter() - t < 30  # seconds with igraph (networkx: about a minute on a loaded machine)
    plots.clear_layout_cache()
    q = layout(g)
    xy = np.array([p[n] for n in g])
    assert np.array_equal(xy, np.array([q[n] for n in g]))
    assert np.abs(xy).max() == pytest.approx(1.0) and len(np.unique(xy.round(6), axis=0)) == len(xy)
    # another process, with another string hashing: the same coordinates
    code = (
        "import sys, networkx as nx, numpy as np; sys.path.insert(0, sys.argv[1]); "
        "from test_plotting import _named_graph; from mesra.network.plots import layout, LARGE_COMPONENT; "
        "g = _named_graph(LARGE_COMPONENT + 100, 4 * (LARGE_COMPONENT + 100)); p = layout(g); "
        "print(repr([[float(c) for c in p[n]] for n in g]))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345", "MPLBACKEND": "Agg"}
    out = subprocess.run(
        [sys.executable, "-c", code, os.path.dirname(__file__)], capture_output=True, text=True, env=env, check=True
    )
    assert np.array_equal(np.array(eval(out.stdout)), xy)  # noqa: S307 (our own output)
