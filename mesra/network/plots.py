"""Figures of cooperation networks: the network, and the network in echelon bands.

Both figures are deterministic (positions from a seeded layout), colour nodes by
type with a legend in French, size them by degree, draw outside partners as
squares, and label every node up to ``max_labels`` nodes (only the top brokers
above). They draw on ``ax`` and return it; :func:`save_figure` writes PNG and
SVG atomically.

>>> import networkx as nx
>>> ax = plot_network(nx.path_graph(3), seed=0)
>>> ax.get_legend() is not None
True
"""

from __future__ import annotations

import hashlib
import io
import math
from collections import Counter, OrderedDict
from pathlib import Path

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D

from mesra.corpus import contract
from mesra.errors import ParameterError
from mesra.figures import drawn_once, new_axes
from mesra.files import atomic_write_bytes
from mesra.french import plural
from mesra.network.graphs import PERSON_TYPE

__all__ = [
    "plot_network",
    "plot_echelons",
    "layout",
    "clear_layout_cache",
    "save_figure",
    "TYPE_COLOURS",
    "TYPE_GROUPS",
    "MAX_LABELS",
]

#: Up to this many nodes every node is labelled; above it the brokers and the hubs of the
#: largest communities.
MAX_LABELS = 40
#: Actor types grouped into at most eight families, each one colour (Kenneth Kelly's colours
#: of maximum contrast, 1965), so that a board tells them apart at a glance.
TYPE_GROUPS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "reseaux": ("Réseaux et fédérations", "#0067a5", ("reseau_territorial", "federation")),
    "associations": ("Associations et collectifs", "#f38400", ("association", "collectif")),
    "economie": ("Coopératives et entreprises", "#008856", ("cooperative", "entreprise")),
    "public": ("Collectivités et État", "#a1caf1", ("collectivite", "etat")),
    "instances": ("Instances de l'ESS et plateformes", "#be0032", ("instance_ess", "plateforme")),
    "recherche": ("Recherche et financeurs", "#875692", ("recherche", "financeur")),
    "contextes": ("Projets, événements, outils, autres", "#c2b280", ("projet", "evenement", "chantier", "outil")),
    "personnes": ("Personnes", "#222222", (PERSON_TYPE,)),
}
_GROUP_OF = {t: key for key, (_, _, types) in TYPE_GROUPS.items() for t in types}
#: Colour of each actor type (the colour of its family); unknown types go with "autres".
TYPE_COLOURS: dict[str, str] = {t: TYPE_GROUPS[key][1] for t, key in _GROUP_OF.items()}
_UNKNOWN_COLOUR = TYPE_GROUPS["contextes"][1]
_UNKNOWN_ECHELON = "Échelon non renseigné"


def _group(t) -> str:
    return _GROUP_OF.get(t, "contextes")


def _label_of_type(t) -> str:
    return TYPE_GROUPS[_group(t)][0]


#: Connected components of at least this many nodes are laid out by igraph's Fruchterman–Reingold on a
#: grid (compiled: seconds at 5,000 nodes) instead of networkx's ``spring_layout`` (minutes at 5,000
#: nodes: networkx switches to its slow sparse code from 500 nodes on). Smaller ones keep networkx's.
LARGE_COMPONENT = 500
#: Iterations of the large components' layout (igraph's default).
LARGE_ITERATIONS = 500
#: How many layouts a process keeps (:func:`layout`): the figures and the interactive view of a few graphs.
LAYOUT_CACHE_SIZE = 8
_LAYOUTS: OrderedDict[str, tuple[list, np.ndarray]] = OrderedDict()


def _layout_key(g: nx.Graph, seed: int) -> str:
    """What a layout depends on: the nodes in order, the ties with their weights, the seed."""
    h = hashlib.sha256(repr((seed, LARGE_COMPONENT, LARGE_ITERATIONS)).encode())
    h.update(repr(list(g.nodes)).encode("utf-8", "backslashreplace"))
    h.update(repr(list(g.edges(data="weight"))).encode("utf-8", "backslashreplace"))
    return h.hexdigest()


def clear_layout_cache() -> None:
    """Forget the layouts computed so far (:func:`layout` computes them again)."""
    _LAYOUTS.clear()


def _large_component(sub: nx.Graph, seed: int) -> np.ndarray:
    """Positions of a large component: igraph's Fruchterman–Reingold on a grid, from seeded random
    starting positions, with igraph's random numbers seeded too (same graph and seed, same positions)."""
    from mesra.network.measures import _ig, _igraph_seed

    nodes = list(sub.nodes)
    index = {n: i for i, n in enumerate(nodes)}
    edges = [(index[u], index[v]) for u, v in sub.edges()]
    weights = [float(w) for _, _, w in sub.edges(data="weight", default=1)]
    start = np.random.default_rng(seed).uniform(-1.0, 1.0, (len(nodes), 2)) * math.sqrt(len(nodes))
    with _igraph_seed(seed):
        coords = (
            _ig()
            .Graph(n=len(nodes), edges=edges)
            .layout_fruchterman_reingold(weights=weights, seed=start.tolist(), niter=LARGE_ITERATIONS, grid=True)
            .coords
        )
    return np.array(coords, dtype=float)


def layout(g: nx.Graph, seed: int = 0) -> dict:
    """Seeded positions: each connected component laid out by force (Fruchterman–Reingold,
    weighted), components packed in rows by decreasing size, isolated nodes in a grid below.

    The same graph and seed always give the same positions (a dict in the graph's node order),
    in any process. A component of :data:`LARGE_COMPONENT` nodes or more is laid out by igraph
    (seconds), a smaller one by networkx. The positions are kept for the process, keyed by the
    graph's content (nodes, ties, weights) and the seed: the static figures and the interactive
    view of one graph share one computation (:func:`clear_layout_cache` forgets them).
    """
    if g.number_of_nodes() == 0:
        return {}
    key = _layout_key(g, seed)
    if key in _LAYOUTS:
        _LAYOUTS.move_to_end(key)
    else:
        _LAYOUTS[key] = (list(g.nodes), _compute_layout(g, seed))
        while len(_LAYOUTS) > LAYOUT_CACHE_SIZE:
            _LAYOUTS.popitem(last=False)
    nodes, xy = _LAYOUTS[key]
    xy = xy.copy()  # the caller may change its positions: the cache keeps its own
    return {n: xy[i] for i, n in enumerate(nodes)}


def _component(g: nx.Graph, members: list) -> nx.Graph:
    """The subgraph of ``members``, its nodes and ties in the graph's order (not a set's: the same in every process)."""
    keep = set(members)
    ordered = [n for n in g.nodes if n in keep]
    sub = nx.Graph()
    sub.add_nodes_from(ordered)
    sub.add_edges_from((u, v, d) for u in ordered for v, d in g.adj[u].items() if v in keep)
    return sub


def _compute_layout(g: nx.Graph, seed: int) -> np.ndarray:
    from mesra.network.projection import node_sort_key

    comps = sorted(
        (sorted(c, key=node_sort_key) for c in nx.connected_components(g)), key=lambda c: (-len(c), node_sort_key(c[0]))
    )
    groups = [c for c in comps if len(c) > 1]
    isolated = [c[0] for c in comps if len(c) == 1]
    gap = 0.6
    sides = [max(1.0, math.sqrt(len(c))) for c in groups]
    width = max([*sides, math.sqrt(sum(x * x for x in sides) + len(isolated)) * 1.3, 1.0])
    pos: dict = {}
    x = y = row = 0.0
    for c, side in zip(groups, sides):
        sub = _component(g, c)
        if len(c) >= LARGE_COMPONENT:
            at = {n: i for i, n in enumerate(sub.nodes)}
            xy = _large_component(sub, seed)[[at[n] for n in c]]
        else:
            p = nx.spring_layout(sub, seed=seed, weight="weight", iterations=100)
            xy = np.array([p[n] for n in c], dtype=float)
        xy -= xy.mean(axis=0)
        radius = np.abs(xy).max()
        xy = xy / radius * side / 2 if radius > 0 else xy
        if x > 0 and x + side > width:
            x, y, row = 0.0, y - row - gap, 0.0
        for n, (a, b) in zip(c, xy):
            pos[n] = (x + side / 2 + a, y - side / 2 + b)
        x += side + gap
        row = max(row, side)
    if isolated:
        y = y - row - gap if groups else 0.0
        per_row = max(1, int(width // 0.8) + 1)
        for i, n in enumerate(isolated):
            pos[n] = ((i % per_row) * 0.8, y - (i // per_row) * 0.8)
    xy = np.array([pos[n] for n in g.nodes], dtype=float)
    xy -= (xy.max(axis=0) + xy.min(axis=0)) / 2
    span = np.abs(xy).max()
    if span > 0:
        xy /= span
    return xy


def _short(text, width: int = 28) -> str:
    text = str(text)
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _node_label(n, d) -> str:
    return _short(d.get("sigle") or d.get("nom") or n)


def node_labels(g: nx.Graph) -> dict:
    """A distinct label per node: its acronym (or name); nodes sharing one take their names instead,
    and nodes whose names are shared as well take their identifiers too (three « ADESS » are told apart).
    """
    labels = {n: _node_label(n, d) for n, d in g.nodes(data=True)}
    seen = Counter(labels.values())
    for n, d in g.nodes(data=True):
        if seen[labels[n]] > 1:
            labels[n] = _short(d.get("nom") or n)
    seen = Counter(labels.values())
    for n in g.nodes:
        if seen[labels[n]] > 1:
            labels[n] = f"{_short(labels[n], 20)} ({n})"
    return labels


def _labelled(g: nx.Graph, max_labels: int, top: int, table) -> list:
    """Every node of a small graph; in a larger one the ``top`` brokers (then hubs), never isolated nodes."""
    if g.number_of_nodes() <= max_labels:
        return list(g.nodes)
    from mesra.network.measures import brokers, metrics

    t = table if table is not None else metrics(g)
    chosen = list(brokers(t, top)["noeud"])  # those the others' paths go through…
    if len(t) and "communaute" in t.columns:  # …then the hub of each community, largest first
        sizes = t.groupby("communaute")["noeud"].count().sort_values(ascending=False, kind="stable")
        # each community's hub: its first row once the whole table is sorted (one sort, not one per community)
        ranked = t.sort_values(["degre", "noeud"], ascending=[False, True], kind="stable").drop_duplicates("communaute")
        hubs = dict(zip(ranked["communaute"], zip(ranked["noeud"], ranked["degre"])))
        for c in sizes.index:
            if len(chosen) >= top:
                break
            hub, degree = hubs[c]
            if hub not in chosen and degree > 0:
                chosen.append(hub)
    for n in brokers(t, top, positive=False)["noeud"]:  # still room: the most connected
        if len(chosen) >= top:
            break
        if n not in chosen:
            chosen.append(n)
    return chosen[:top]


def _sizes(g: nx.Graph, nodes: list) -> np.ndarray:
    deg = np.array([g.degree(n) for n in nodes], dtype=float)
    top = deg.max() if len(deg) and deg.max() > 0 else 1.0
    largest = 500.0 if len(nodes) <= 40 else max(80.0, 500.0 * math.sqrt(40.0 / len(nodes)))
    return 15.0 + (largest - 15.0) * np.sqrt(deg / top)


def _draw(g: nx.Graph, pos: dict, ax, *, max_labels: int, top_labels: int, table) -> None:
    nodes = list(g.nodes)
    if g.number_of_edges():
        segments = [(pos[u], pos[v]) for u, v in g.edges()]
        weights = np.array([d.get("weight", 1) for _, _, d in g.edges(data=True)], dtype=float)
        ax.add_collection(
            LineCollection(
                segments,
                colors="#777777",
                alpha=0.45,
                linewidths=0.6 + 0.8 * np.log1p(weights - weights.min()),
                zorder=1,
            )
        )
    sizes = dict(zip(nodes, _sizes(g, nodes)))
    for externe, marker in ((False, "o"), (True, "s")):
        chosen = [n for n in nodes if bool(g.nodes[n].get("externe")) is externe]
        if not chosen:
            continue
        xy = np.array([pos[n] for n in chosen])
        colours = [TYPE_COLOURS.get(g.nodes[n].get("type"), _UNKNOWN_COLOUR) for n in chosen]
        ax.scatter(
            xy[:, 0],
            xy[:, 1],
            s=[sizes[n] for n in chosen],
            c=colours,
            marker=marker,
            edgecolors="#333333" if not externe else "#888888",
            linewidths=0.6,
            alpha=0.95 if not externe else 0.6,
            zorder=2,
        )
    labels = node_labels(g)
    for n in _labelled(g, max_labels, top_labels, table):
        x, y = pos[n]
        ax.annotate(
            labels[n],
            (x, y),
            xytext=(0, 6),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=7,
            zorder=3,
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.7},
        )
    groups = [key for key in TYPE_GROUPS if key in {_group(g.nodes[n].get("type")) for n in nodes}]
    handles = [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            markersize=7,
            markerfacecolor=TYPE_GROUPS[key][1],
            markeredgecolor="#333333",
            label=TYPE_GROUPS[key][0],
        )
        for key in groups
    ]
    if any(g.nodes[n].get("externe") for n in nodes):
        handles.append(
            Line2D(
                [],
                [],
                marker="s",
                linestyle="",
                markersize=7,
                markerfacecolor="white",
                markeredgecolor="#888888",
                label="Partenaire extérieur au territoire",
            )
        )
    handles.append(Line2D([], [], marker="o", linestyle="", markersize=0, label="Taille : nombre de liens"))
    ax.legend(
        handles=handles,
        title="Type d'acteur",
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        fontsize=8,
        title_fontsize=9,
        frameon=False,
    )


def _check_graph(g) -> None:
    if not isinstance(g, nx.Graph):
        raise ParameterError(
            "Un graphe networkx est attendu (mesra.cooperation_graph, affiliation_graph ou "
            "project) ; pour une projection creuse, utilisez p.to_networkx()."
        )


def _empty(ax, title: str, message: str = "Aucun nœud à représenter"):
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes)
    ax.set_title(title)
    ax.set_axis_off()
    return ax


@drawn_once
def plot_network(
    g: nx.Graph,
    *,
    ax=None,
    seed: int = 0,
    max_labels: int = MAX_LABELS,
    top_labels: int = 10,
    metrics=None,
    title: str | None = None,
):
    """Draw a cooperation (or affiliation) network.

    Parameters
    ----------
    g : networkx.Graph
        From :func:`mesra.cooperation_graph`, :func:`mesra.affiliation_graph` or
        :func:`mesra.project`.
    ax : matplotlib.axes.Axes, optional
        Where to draw (a new figure when omitted).
    seed : int
        Seed of the layout: same graph and seed, same figure.
    max_labels : int
        Label every node up to this many nodes (default 80) …
    top_labels : int
        … and above it only this many top brokers (:func:`mesra.brokers`).
    metrics : pandas.DataFrame, optional
        A table from :func:`mesra.metrics` (saves computing it to pick the brokers).
    title : str, optional
        Default: the graph's ``titre``.

    Returns
    -------
    matplotlib.axes.Axes
        Node colour: type (legend in French); size: number of ties; squares:
        partners outside the territory; edge width: number of ties between the two.
    """
    _check_graph(g)
    title = title or g.graph.get("titre") or "Réseau"
    if g.number_of_edges() == 0:  # nothing to draw but a message: keep the figure small
        ax = new_axes(ax, (7, 1.6))
        n = g.number_of_nodes()
        return _empty(
            ax, title, f"Aucun lien à représenter ({plural(n, 'nœud')} sans lien)" if n else "Aucun nœud à représenter"
        )
    ax = new_axes(ax, (10, 7.5))
    pos = layout(g, seed)
    _draw(g, pos, ax, max_labels=max_labels, top_labels=top_labels, table=metrics)
    ax.set_title(title)
    ax.set_axis_off()
    ax.margins(0.08)
    return ax


@drawn_once
def plot_echelons(
    g: nx.Graph,
    *,
    ax=None,
    seed: int = 0,
    max_labels: int = MAX_LABELS,
    top_labels: int = 10,
    metrics=None,
    title: str | None = None,
):
    """Draw the network in horizontal bands, from local (bottom) to international (top).

    Each node sits in the band of its ``echelon`` (nodes without one in a band
    of their own at the bottom); its horizontal position comes from the seeded
    layout of :func:`plot_network`, and a seeded jitter spreads it inside the band.
    Parameters and returned value as :func:`plot_network`.
    """
    _check_graph(g)
    title = title or ("Échelons — " + str(g.graph.get("titre") or "Réseau"))
    if g.number_of_nodes() == 0:
        return _empty(new_axes(ax, (7, 1.6)), title)
    ax = new_axes(ax, (10, 7.5))
    nodes = list(g.nodes)
    unknown = any(g.nodes[n].get("echelon") not in contract.ECHELONS for n in nodes)
    bands = ([_UNKNOWN_ECHELON] if unknown else []) + [contract.label(e) for e in contract.ECHELONS]
    band_of = {e: i + (1 if unknown else 0) for i, e in enumerate(contract.ECHELONS)}
    spread = layout(g, seed)
    # inside a band, nodes keep the left-to-right order of the layout but are spaced
    # evenly and staggered up and down, so that their labels do not overlap
    pos = {}
    for band in range(len(bands)):
        members = [n for n in nodes if band_of.get(g.nodes[n].get("echelon"), 0) == band]
        members.sort(key=lambda n: (spread[n][0], str(n)))
        for k, n in enumerate(members):
            stagger = (-0.22, 0.0, 0.22)[k % 3] if len(members) > 2 else 0.0
            pos[n] = ((k + 0.5) / len(members), band + stagger)
    for i in range(len(bands)):
        if i % 2 == 0:
            ax.axhspan(i - 0.5, i + 0.5, color="#f2f2f2", zorder=0)
    _draw(g, pos, ax, max_labels=max_labels, top_labels=top_labels, table=metrics)
    ax.set_yticks(range(len(bands)), bands)
    ax.set_ylim(-0.5, len(bands) - 0.5)
    ax.set_xlim(-0.05, 1.05)
    labels = node_labels(g)
    _declutter(ax, {str(labels[n]): g.degree(n) for n in nodes})
    ax.set_xticks([])
    ax.set_ylabel("Échelon d'action")
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    ax.set_title(title)
    return ax


def _declutter(ax, priority: dict[str, float]) -> None:
    """No two labels overlap: a label that would cover a more important one moves below its
    node, and is left out if it still overlaps (the most connected nodes keep theirs)."""
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    texts = sorted(ax.texts, key=lambda t: (-priority.get(t.get_text(), 0), t.get_text()))
    kept = []
    for text in texts:
        box = text.get_window_extent(renderer).expanded(1.02, 1.05)
        if any(box.overlaps(other) for other in kept):
            text.xyann = (0, -8)  # below the node instead of above
            text.set_va("top")
            box = text.get_window_extent(renderer).expanded(1.02, 1.05)
            if any(box.overlaps(other) for other in kept):
                text.remove()
                continue
        kept.append(box)


def save_figure(fig, path: str | Path, *, dpi: int = 150) -> list[Path]:
    """Write a figure as PNG and SVG, each atomically; return both paths.

    Parameters
    ----------
    fig : matplotlib.figure.Figure or matplotlib.axes.Axes
        The figure (or one of its axes).
    path : str or Path
        ``reseau.png``, ``reseau.svg`` or ``reseau``: ``reseau.png`` and
        ``reseau.svg`` are written either way.
    dpi : int
        Resolution of the PNG.

    Raises
    ------
    ParameterError
        Other suffix, or a folder that does not exist.
    """
    if hasattr(fig, "get_figure") and not hasattr(fig, "savefig"):
        fig = fig.get_figure()
    path = Path(path)
    if path.suffix.lower() in (".png", ".svg"):
        path = path.with_suffix("")
    elif path.suffix:
        raise ParameterError(
            f"Extension « {path.suffix} » non prise en charge : la figure est écrite en .png "
            "et en .svg (donnez par exemple reseau.png)."
        )
    if not path.parent.is_dir():
        raise ParameterError(f"Le dossier « {path.parent} » n'existe pas : créez-le avant d'enregistrer la figure.")
    written = []
    for fmt, metadata in (("png", {"Software": None}), ("svg", {"Date": None, "Creator": None})):
        buf = io.BytesIO()
        with plt.rc_context({"svg.hashsalt": "mesra", "svg.fonttype": "path"}):
            fig.savefig(buf, format=fmt, dpi=dpi, bbox_inches="tight", metadata=metadata)
        written.append(Path(atomic_write_bytes(path.with_suffix(f".{fmt}"), buf.getvalue())))
    return written
