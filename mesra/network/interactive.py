"""The interactive network view: one self-contained HTML block, offline, for pages and JupyterLab.

The layout is computed here, in Python (the seeded layout of the static figure,
:func:`mesra.network.plots.layout`: same graph and seed, same positions); the browser only
draws, with sigma.js 3.0.3 and graphology 0.26.0 (MIT, vendored in ``static/vendor/`` with their
licences, npm's browser builds unchanged) and mesra's ``static/view.js``. The page needs nothing
from a network: the scripts and the data are inlined.

The graph travels in a compact form (:func:`view_data`): arrays per attribute, short keys,
integer coordinates, shared strings (types, territories, sources) listed once and referred to
by index. Its JSON is escaped for a ``<script>`` element (:func:`data_json`).

In a notebook that the batch renders, :func:`interactive_view` writes the data beside the
notebook (a hidden file named after its content) and shows a small marker;
:func:`embed_views`, called by the page renderer, replaces each marker by the view. The data
is never a cell output: the notebook stays small and its output budget untouched.

Nodes and edges may carry ``etat`` (``"ajoute"``, ``"retire"`` or None): two states of a
corpus compared; the view then colours every node by its state (those of both states in grey, the
types' colours left to the card) and says so in its legend.

>>> import networkx as nx
>>> g = nx.Graph()
>>> g.add_edge("a", "b", relations=["partenaire_de"], weight=1, attestation="constate", sources=[])
>>> d = view_data(g)
>>> d["n"]["id"], d["e"]["a"], d["e"]["b"], d["kinds"]
(['a', 'b'], [0], [1], [['partenaire_de', 'Partenariat']])
>>> "</" in data_json({"x": "</script>"})
False
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import math
import re
from importlib import resources
from pathlib import Path

import networkx as nx

from mesra import french
from mesra.corpus import contract
from mesra.corpus.excerpts import excerpt
from mesra.files import atomic_write_text

__all__ = [
    "view_data",
    "data_json",
    "view_html",
    "standalone_page",
    "write_page",
    "interactive_view",
    "embed_views",
    "InteractiveView",
    "SIDECAR_GLOB",
    "VENDORED",
]

#: The libraries inlined in every view (files of ``static/vendor/``, npm's browser builds, unchanged).
VENDORED = ("graphology-0.26.0.umd.min.js", "sigma-3.0.3.min.js")
#: The hidden files :func:`interactive_view` writes beside a notebook, one per view (its data).
SIDECAR_GLOB = ".mesra-vue-*.json"
_MARKER = re.compile(r'<div\b[^>]*\bid="mesra-vue-([0-9a-f]{16})"[^>]*>.*?</div>', re.S)

#: Plain French names of the kinds of ties (the view's filter), in this order.
KIND_LABELS = {
    "partenaire_de": "Partenariat",
    "accompagne": "Accompagnement",
    "co_organise": "Co-organisation",
    "finance": "Financement",
    "porte": "Portage",
    "contexte": "Projet, événement ou outil partagé",
    "membre_de": "Adhésion",
    "participe_a": "Participation",
    "siege_dans": "Siège dans une instance",
    "plaide_aupres_de": "Plaidoyer",
    "represente": "Représentation",
    "developpe": "Développement",
    "utilise": "Utilisation",
}
_ATTESTATIONS = ("constate", "prevu", "envisage")
_ETATS = {None: 0, "ajoute": 1, "retire": 2}
#: Relations an actor's card lists as its practices (what it does: develops or uses a tool, a scheme).
PRACTICE_RELATIONS = ("developpe", "utilise")
#: The words of the view, in French (reader pages: "groupes", no measure names).
LABELS = {
    "search": "Chercher une organisation…",
    "clear": "Tout afficher",
    "groups": "Groupe",
    "allGroups": "Tous les groupes",
    "group": "groupe",
    "kinds": "Liens",
    "atts": "Comment le lien est connu",
    "echelons": "Échelon",
    "noEchelon": "Non renseigné",
    "echelon": "échelon",
    "external": "partenaire extérieur au territoire",
    "noTerritory": "territoire non renseigné",
    "noTie": "Aucun lien dans ce réseau.",
    "practices": "Pratiques",
    "leads": "Pistes (liens seulement envisagés)",
    "both": "Dans les deux états",
    "added": "Ajouté",
    "removed": "Retiré",
    "shown": "{n} organisations et {m} liens affichés",
    "help": "Cliquez sur une organisation (ou cherchez-la) pour voir ses liens, comment chacun est connu et "
    "la phrase de la source ; son voisinage reste en couleur. Molette : zoom ; glisser : déplacer.",
    "aria": "Réseau interactif des organisations et de leurs liens",
    "noWebgl": "Ce navigateur n'affiche pas la vue interactive (WebGL désactivé) : la figure du réseau "
    "ci-dessus en montre l'ensemble.",
    "legendNote": "Taille : nombre de partenaires. Liens gris : constatés ; liens beiges : prévus.",
    "etatNote": "Deux états du corpus comparés : en vert, ce qui n'est que dans l'état le plus récent ; "
    "en rouge, ce qui n'était que dans l'état antérieur.",
}


# --- data ---------------------------------------------------------------------------
def _type_label(t) -> str:
    if t == contract.PERSON_TYPE:
        return "Personne"
    return contract.label(t) if t else "Type non renseigné"


def _groups(g: nx.Graph, names: dict, articles: dict) -> tuple[dict, list[str]]:
    """Each node's group (community) and the groups' names, « autour de » their best-tied member."""
    if g.number_of_edges() == 0:
        return {}, []
    if all("communaute" in d for _, d in g.nodes(data=True)):
        community = {n: d["communaute"] for n, d in g.nodes(data=True)}
    else:
        from mesra.network.measures import metrics

        m = metrics(g)
        community = dict(zip(m["noeud"], m["communaute"]))
    members: dict = {}
    for n, c in community.items():
        if c is not None and not (isinstance(c, float) and math.isnan(c)):
            members.setdefault(int(c), []).append(n)
    order = sorted(members, key=lambda c: (-len(members[c]), c))
    index, out = {}, []
    strength = dict(g.degree(weight="weight"))
    for i, c in enumerate(order):
        top = min(members[c], key=lambda n: (-strength.get(n, 0), str(names.get(n, n))))
        out.append(f"{i + 1} : autour {french.of(names.get(top, top), articles.get(top))}")
        for n in members[c]:
            index[n] = i
    return index, out


class _Strings:
    """A list of distinct strings and the index of each (shared strings, listed once)."""

    def __init__(self):
        self.items: list = []
        self.index: dict = {}

    def __call__(self, value) -> int:
        i = self.index.get(value)
        if i is None:
            i = self.index[value] = len(self.items)
            self.items.append(value)
        return i


def _corpus_tables(corpus) -> tuple[dict, dict]:
    if corpus is None:
        return {}, {}
    a = corpus.acteurs
    names = {i: n for i, n in zip(a["acteur_id"], a["nom"]) if isinstance(n, str)}
    articles = dict(zip(a["acteur_id"], a["article"])) if "article" in a.columns else {}
    return names, articles


def _extras(corpus, nodes: dict, names: dict, sources: _Strings) -> dict:
    """Per node index: its practices and its leads (ties only envisaged), ``[kind, verb, other, att, [src]]``."""
    if corpus is None:
        return {}
    liens = corpus.liens
    att = (
        liens["attestation"].where(liens["attestation"].notna(), contract.OBSERVED) if "attestation" in liens else None
    )
    if att is None:
        return {}
    keep = liens["relation"].isin(PRACTICE_RELATIONS) | (att == contract.LEADS)
    out: dict[str, list] = {}
    for s, c, rel, a, src in zip(
        liens.loc[keep, "source_id"],
        liens.loc[keep, "cible_id"],
        liens.loc[keep, "relation"],
        att[keep],
        liens.loc[keep, "source"],
    ):
        srcs = [sources(src)] if isinstance(src, str) and src else []
        kind = 0 if a == contract.LEADS else 1
        a_index = _ATTESTATIONS.index(a) if a in _ATTESTATIONS else 0
        for me, other, verb in ((s, c, contract.label(rel)), (c, s, f"{contract.label(rel)} (par)")):
            if me in nodes and (kind == 0 or me == s):
                out.setdefault(str(nodes[me]), []).append([kind, verb, names.get(other, other), a_index, srcs])
    return out


def view_data(graph: nx.Graph, corpus=None, *, seed: int = 0, positions: dict | None = None) -> dict:
    """The compact form of ``graph`` that the view draws (arrays, short keys, rounded coordinates).

    Parameters
    ----------
    graph : networkx.Graph
        A cooperation (or any mesra) graph: nodes with ``nom, sigle, type, territoire, echelon,
        externe``, edges with ``relations``, ``contextes``, ``weight``, ``attestation``, ``sources``;
        optionally ``etat`` (``"ajoute"``, ``"retire"``, None) on nodes and edges.
    corpus : Corpus, optional
        The corpus the graph comes from: territory and context names, the sentence each source
        locator points to, each actor's practices and leads for its card.
    seed : int
        Seed of the layout (:func:`mesra.network.plots.layout`).
    positions : dict, optional
        Positions already computed (``node -> (x, y)`` in [-1, 1]), instead of the layout.
    """
    from mesra.network.plots import TYPE_COLOURS, TYPE_GROUPS, layout

    if positions is None:
        positions = layout(graph, seed)
    names, articles = _corpus_tables(corpus)
    node_names = {n: d.get("nom") or names.get(n) or str(n) for n, d in graph.nodes(data=True)}
    group_of, group_names = _groups(graph, node_names, articles)
    types, terrs, sources, contexts = _Strings(), _Strings(), _Strings(), _Strings()
    colours: list[str] = []
    territory = corpus.territory_name if corpus is not None else str
    nodes = {n: i for i, n in enumerate(graph.nodes)}
    n = {k: [] for k in ("id", "l", "f", "x", "y", "t", "e", "g", "r", "s", "o", "st")}
    degree = dict(graph.degree())
    for node, d in graph.nodes(data=True):
        x, y = positions.get(node, (0.0, 0.0))
        label = str(d.get("sigle") or node_names[node])
        t = types(_type_label(d.get("type")))
        if t == len(colours):
            colours.append(TYPE_COLOURS.get(d.get("type"), TYPE_GROUPS["contextes"][1]))
        n["id"].append(str(node))
        n["l"].append(label)
        n["f"].append(node_names[node] if node_names[node] != label else "")
        n["x"].append(round(float(x) * 1000))
        n["y"].append(round(float(y) * 1000))
        n["t"].append(t)
        ech = d.get("echelon")
        n["e"].append(contract.ECHELONS.index(ech) if ech in contract.ECHELONS else -1)
        n["g"].append(group_of.get(node, -1))
        terr = d.get("territoire")
        n["r"].append(terrs(territory(terr)) if terr else -1)
        n["s"].append(round(10 * min(16.0, 3 + 2 * math.sqrt(degree.get(node, 0)))))
        n["o"].append(1 if d.get("externe") else 0)
        n["st"].append(_ETATS.get(d.get("etat"), 0))
    kinds = _Strings()
    e = {k: [] for k in ("a", "b", "k", "w", "q", "c", "s", "st")}
    for u, v, d in graph.edges(data=True):
        mask = 0
        for rel in d.get("relations") or ():
            mask |= 1 << kinds(rel)
        if d.get("contextes"):
            mask |= 1 << kinds("contexte")
        e["a"].append(nodes[u])
        e["b"].append(nodes[v])
        e["k"].append(mask)
        e["w"].append(int(d.get("weight") or 1))
        att = d.get("attestation") or contract.OBSERVED
        e["q"].append(_ATTESTATIONS.index(att) if att in _ATTESTATIONS else 0)
        e["c"].append([contexts(c) for c in d.get("contextes") or ()])
        e["s"].append([sources(s) for s in d.get("sources") or ()])
        e["st"].append(_ETATS.get(d.get("etat"), 0))
    extras = _extras(corpus, nodes, {**names, **node_names}, sources)
    has_etat = any(n["st"]) or any(e["st"])
    if not has_etat:
        del n["st"], e["st"]
    if not any(e["c"]):
        del e["c"]
    if len(kinds.items) > 31:  # a bitmask per edge: 31 kinds at most (mesra has 13 relations)
        raise ValueError("trop de genres de liens pour la vue interactive")
    texts = corpus.source_texts if corpus is not None else {}
    quotes = []
    for loc in sources.items:
        sid, _, where = str(loc).partition("#")
        quotes.append(excerpt(texts.get(sid), where) if where else None)
    present = {_type_label(t) for _, d in graph.nodes(data=True) for t in [d.get("type")]}
    type_groups = [
        [label, colour]
        for label, colour, members in TYPE_GROUPS.values()
        if any(_type_label(t) in present for t in members)
    ]
    return {
        "v": 1,
        "lab": LABELS,
        "title": str(graph.graph.get("titre") or ""),
        "types": types.items,
        "colours": colours,
        "typeGroups": type_groups,
        "territories": terrs.items,
        "echelons": [contract.label(x) for x in contract.ECHELONS],
        "atts": [contract.label(x) for x in _ATTESTATIONS],
        "kinds": [[k, KIND_LABELS.get(k, contract.label(k))] for k in kinds.items],
        "groups": group_names,
        "contexts": [names.get(c, c) for c in contexts.items],
        "sources": [str(s) for s in sources.items],
        "quotes": quotes,
        "hasEtat": has_etat,
        "x": extras,
        "n": n,
        "e": e,
    }


def data_json(data: dict) -> str:
    """``data`` as compact JSON that a ``<script>`` element holds safely (no ``<``, ``>``, ``&``)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


# --- HTML -----------------------------------------------------------------------------
_STATIC = resources.files("mesra.network") / "static"


@functools.cache
def script() -> str:
    """The JavaScript of the view: graphology, sigma (source-map comments removed: nothing to fetch), view.js."""
    parts = []
    for name in VENDORED:
        text = (_STATIC / "vendor" / name).read_text(encoding="utf-8")
        text = re.sub(r"^//# sourceMappingURL=.*$", "", text, flags=re.M)
        # a UMD build sees neither an AMD loader nor CommonJS: it sets its global (graphology, Sigma)
        parts.append(f"(function(define,module,exports){{{text}\n}}).call(globalThis);")
    parts.append((_STATIC / "view.js").read_text(encoding="utf-8"))
    return "\n".join(parts).replace("</script", "<\\/script")


@functools.cache
def style() -> str:
    """The view's CSS (hidden in print: the static figure is the printed one)."""
    return (_STATIC / "view.css").read_text(encoding="utf-8")


def view_html(data: dict, *, assets: bool = True, key: str | None = None) -> str:
    """The view as an HTML fragment: a block with its data (and, with ``assets``, its CSS and scripts).

    Several views on one page need the assets once: pass ``assets=False`` to the others.
    """
    payload = data_json(data)
    key = key or hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]
    head = f"<style>{style()}</style>\n<script>{script()}</script>\n" if assets else ""
    title = html.escape(data.get("title") or "Réseau")
    return (
        f'<div class="mesra-vue-bloc">\n{head}'
        f'<div class="mesra-vue" id="mesra-vue-{key}-vue" aria-label="{title}"></div>\n'
        f'<script type="application/json" id="mesra-vue-{key}-donnees">{payload}</script>\n'
        "<script>(function(){var d=JSON.parse(document.getElementById("
        f'"mesra-vue-{key}-donnees").textContent);'
        f'mesraNetworkView.mount(document.getElementById("mesra-vue-{key}-vue"),d);}})();</script>\n'
        "</div>"
    )


def standalone_page(data: dict, title: str | None = None) -> str:
    """One self-contained HTML document holding the view (scripts and data inlined)."""
    title = html.escape(title or data.get("title") or "Réseau")
    return (
        '<!DOCTYPE html>\n<html lang="fr">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n</head>\n<body>\n<h1>{title}</h1>\n{view_html(data)}\n</body>\n</html>\n"
    )


def write_page(graph: nx.Graph, path, corpus=None, *, seed: int = 0, title: str | None = None) -> Path:
    """Write the interactive view of ``graph`` as one self-contained HTML file (opens with no network)."""
    path = Path(path)
    atomic_write_text(path, standalone_page(view_data(graph, corpus, seed=seed), title))
    return path


# --- notebooks and pages ------------------------------------------------------------------
class InteractiveView:
    """The marker a notebook shows where the page renderer puts the interactive view."""

    def __init__(self, key: str, path: Path):
        self.key = key
        self.path = path

    def _repr_html_(self) -> str:
        return (
            f'<div class="mesra-vue-marque" id="mesra-vue-{self.key}"><p>Vue interactive du réseau : dans la page '
            "HTML de ce carnet (elle s'ouvre sans connexion). Dans JupyterLab : <code>mesra.explore(graph)</code>."
            "</p></div>"
        )

    def __repr__(self) -> str:
        return f"Vue interactive du réseau (données : {self.path.name})"


def interactive_view(graph: nx.Graph, corpus=None, *, seed: int = 0, folder=".") -> InteractiveView:
    """Prepare the interactive view of ``graph`` for the notebook's HTML page.

    Writes the view's data beside the notebook (``folder``: the folder the notebook runs in) and
    returns a marker that the page renderer (:func:`embed_views`) replaces by the view. In
    JupyterLab, :func:`mesra.explore` shows the same view as a widget.
    """
    payload = data_json(view_data(graph, corpus, seed=seed))
    key = hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]
    path = Path(folder) / f".mesra-vue-{key}.json"
    atomic_write_text(path, payload)
    return InteractiveView(key, path)


def embed_views(page: str, base_dir) -> str:
    """``page`` with each marker of :func:`interactive_view` replaced by the view, its data read in ``base_dir``.

    The CSS and scripts are inlined once, with the first view. A marker whose data is not in
    ``base_dir`` (a page rendered elsewhere) stays as it is: it says where the view is.
    """
    if base_dir is None or "mesra-vue-" not in page:
        return page
    base = Path(base_dir)
    done = [False]

    def replace(match: re.Match) -> str:
        key = match.group(1)
        path = base / f".mesra-vue-{key}.json"
        if not path.is_file():
            return match.group(0)
        data = json.loads(path.read_text(encoding="utf-8"))
        fragment = view_html(data, assets=not done[0], key=key)
        done[0] = True
        return fragment

    return _MARKER.sub(replace, page)
