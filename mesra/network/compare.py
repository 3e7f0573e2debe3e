"""Two states of a corpus side by side: what changed in a territory's network.

:func:`compare` takes two states of a corpus (loaded corpora, folders, workbooks or git
revisions: :mod:`mesra.corpus.states`) and says, for one territory, which actors and ties
appeared and disappeared, which ties changed how they are known (``prevu`` → ``constate``),
and through which organisations more or fewer paths of the cooperation network pass (its
brokers, :func:`mesra.brokers`). Its :class:`Comparison` holds the merged cooperation graph
whose nodes and edges carry ``etat``: ``"ajoute"`` (only in the later state), ``"retire"``
(only in the earlier one) or ``None`` (in both), for the interactive view to colour.

The changes themselves are computed on *facts snapshots* — plain data, ``{"acteurs": {id:
name}, "liens": [[source, relation, cible, attestation], …]}`` — by :func:`diff_named` and
:func:`diff_ties`: the same functions compare the snapshots two notes keep
(:mod:`mesra.analysis.since`), so that « depuis la note précédente » and a comparison of two
states say the same thing of the same change.

>>> diff_ties([["a", "porte", "b", "prevu"]], [["a", "porte", "b", "constate"], ["a", "finance", "c"]])
((('a', 'finance', 'c', 'constate'),), (), (('a', 'porte', 'b', 'prevu', 'constate'),))
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import networkx as nx
import pandas as pd

from mesra import french
from mesra.corpus import contract

__all__ = ["compare", "Comparison", "network_facts", "diff_named", "diff_ties", "merged_graph", "ADDED", "REMOVED"]

#: ``etat`` of a node or edge found only in the later state.
ADDED = "ajoute"
#: ``etat`` of a node or edge found only in the earlier state.
REMOVED = "retire"
#: How strongly a tie is known: when the same tie is given twice, the stronger attestation holds.
_STRENGTH = {contract.LEADS: 0, "prevu": 1, contract.OBSERVED: 2}
#: How many brokers of each state are compared.
BROKERS = 10
COLUMNS = ["Changement", "Élément", "Avant", "Après", "Sources"]


# --- snapshots and their differences (pure functions of plain data) ------------------------------
def diff_named(before: Mapping, now: Mapping) -> tuple[tuple, tuple]:
    """``(added, removed)``: the ``(key, value)`` pairs of ``now`` not in ``before``, and conversely, sorted."""
    added = tuple((k, now[k]) for k in sorted(set(now) - set(before)))
    removed = tuple((k, before[k]) for k in sorted(set(before) - set(now)))
    return added, removed


def _known(ties: Iterable[Sequence]) -> dict[tuple[str, str, str], str]:
    """``(source, relation, cible) -> attestation`` (empty: ``constate``; the stronger of two rows)."""
    out: dict[tuple[str, str, str], str] = {}
    for t in ties:
        key = (str(t[0]), str(t[1]), str(t[2]))
        att = (t[3] if len(t) > 3 else None) or contract.OBSERVED
        if key not in out or _STRENGTH.get(att, -1) > _STRENGTH.get(out[key], -1):
            out[key] = att
    return out


def diff_ties(before: Iterable[Sequence], now: Iterable[Sequence]) -> tuple[tuple, tuple, tuple]:
    """``(added, removed, changed)`` between two lists of ties ``[source, relation, cible, attestation]``.

    A tie is its three first fields; ``added`` and ``removed`` hold ``(source, relation, cible,
    attestation)``, ``changed`` the ties of both whose attestation moved, as ``(source, relation,
    cible, before, after)``. A missing attestation reads ``constate``.
    """
    old, cur = _known(before), _known(now)
    added = tuple((*k, cur[k]) for k in sorted(set(cur) - set(old)))
    removed = tuple((*k, old[k]) for k in sorted(set(old) - set(cur)))
    changed = tuple((*k, old[k], cur[k]) for k in sorted(set(old) & set(cur)) if old[k] != cur[k])
    return added, removed, changed


def _members(corpus, territoire: str | None) -> set[str] | None:
    """The territory's actors and the people attached to them (None: the whole corpus)."""
    if territoire is None:
        return None
    actors = set(corpus.actors_in(territoire)["acteur_id"])
    people = corpus.personnes
    return actors | set(people.loc[people["acteur_id"].isin(actors), "personne_id"])


def _names(corpus) -> dict[str, list]:
    """``id -> [name, article]`` of every actor and person (people as « Prénom NOM », pseudonyms as they are)."""
    a = corpus.acteurs
    articles = a["article"] if "article" in a.columns else [None] * len(a)
    out = {
        i: [n if isinstance(n, str) else i, r if isinstance(r, str) else None]
        for i, n, r in zip(a["acteur_id"], a["nom"], articles)
    }
    p = corpus.personnes
    for pid, nom, prenom in zip(p["personne_id"], p["nom"], p["prenom"]):
        name = f"{prenom} {nom}" if isinstance(prenom, str) and prenom else (nom if isinstance(nom, str) else pid)
        out[pid] = [name, None]
    return out


def _ties_of(corpus, territoire: str | None) -> pd.DataFrame:
    members = _members(corpus, territoire)
    t = corpus.liens
    if members is not None:
        t = t[t["source_id"].isin(members) | t["cible_id"].isin(members)]
    return t


def network_facts(corpus, territoire: str | None) -> dict:
    """The network facts of ``territoire`` as plain data: what :func:`diff_named` and :func:`diff_ties` compare.

    ``acteurs`` (id → name: the actors located in the territory or below it), ``liens``
    (sorted ``[source, relation, cible, attestation]``: every tie of ``liens.csv`` that touches
    one of them or one of their people), ``noms`` (id → ``[name, article]`` of every tie end).
    """
    actors = corpus.actors_in(territoire)
    t = _ties_of(corpus, territoire)
    att = t["attestation"] if "attestation" in t.columns else [None] * len(t)
    links = sorted(
        {(s, r, c, a or contract.OBSERVED) for s, r, c, a in zip(t["source_id"], t["relation"], t["cible_id"], att)}
    )
    names = _names(corpus)
    ends = sorted({i for s, _, c, _ in links for i in (s, c)})
    return {
        "acteurs": {a: (n if isinstance(n, str) else a) for a, n in sorted(zip(actors["acteur_id"], actors["nom"]))},
        "liens": [list(x) for x in links],
        "noms": {i: names.get(i, [i, None]) for i in ends},
    }


def _tie_sources(corpus, territoire) -> dict[tuple[str, str, str], list[str]]:
    t = _ties_of(corpus, territoire)
    out: dict[tuple[str, str, str], list[str]] = {}
    for s, r, c, src in zip(t["source_id"], t["relation"], t["cible_id"], t["source"]):
        if isinstance(src, str) and src:
            out.setdefault((s, r, c), []).append(src)
    return out


# --- the merged graph ------------------------------------------------------------------------------
def merged_graph(before: nx.Graph, after: nx.Graph) -> nx.Graph:
    """Both graphs in one: every node and edge of either, with ``etat`` (see the module's doc).

    Attributes come from ``after`` when the node or edge is in it, else from ``before``; an edge
    of both whose ``attestation`` moved also carries ``attestation_avant``.
    """
    g = nx.Graph(**after.graph)
    g.graph["titre"] = f"{after.graph.get('titre', 'Réseau')} — comparaison de deux états"
    for n in sorted(set(before) | set(after), key=str):
        state = None if n in before and n in after else (ADDED if n in after else REMOVED)
        g.add_node(n, **{**(after.nodes[n] if n in after else before.nodes[n]), "etat": state})
    edges = {tuple(sorted((u, v), key=str)) for u, v in (*before.edges(), *after.edges())}
    for u, v in sorted(edges, key=lambda e: (str(e[0]), str(e[1]))):
        in_before, in_after = before.has_edge(u, v), after.has_edge(u, v)
        attrs = dict(after.edges[u, v] if in_after else before.edges[u, v])
        attrs["etat"] = None if in_before and in_after else (ADDED if in_after else REMOVED)
        if in_before and in_after and before.edges[u, v].get("attestation") != attrs.get("attestation"):
            attrs["attestation_avant"] = before.edges[u, v].get("attestation")
        g.add_edge(u, v, **attrs)
    return g


# --- brokers ------------------------------------------------------------------------------------------
def _broker_ranks(g: nx.Graph, n: int) -> dict[str, tuple[int, str]]:
    """``id -> (rank from 1, name)`` of the ``n`` organisations through which most paths pass."""
    if g.number_of_edges() == 0:
        return {}
    from mesra.network.measures import brokers, metrics

    table = brokers(metrics(g), n)
    return {
        row.noeud: (i + 1, row.nom if isinstance(row.nom, str) else row.noeud)
        for i, row in enumerate(table.itertuples())
    }


def _broker_moves(before: dict, after: dict) -> tuple[tuple, tuple]:
    """``(rose, fell)``: ``(id, name, rank before or None, rank after or None)``."""
    rose = tuple(
        (i, name, before.get(i, (None,))[0], rank)
        for i, (rank, name) in sorted(after.items(), key=lambda x: x[1][0])
        if i not in before or rank < before[i][0]
    )
    fell = tuple(
        (i, name, rank, after.get(i, (None,))[0])
        for i, (rank, name) in sorted(before.items(), key=lambda x: x[1][0])
        if i not in after or after[i][0] > rank
    )
    return rose, fell


# --- the comparison -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Comparison:
    """What changed in a territory's network from the state ``avant`` to the state ``apres``.

    ``acteurs_ajoutes`` / ``acteurs_retires``: ``(id, name)``; ``liens_ajoutes`` /
    ``liens_retires``: ``(source, relation, cible, attestation)``; ``attestations_changees``:
    ``(source, relation, cible, before, after)``; ``intermediaires_en_hausse`` /
    ``intermediaires_en_baisse``: ``(id, name, rank before, rank after)``, a rank among the
    :data:`BROKERS` organisations through which most paths pass (None: not among them);
    ``graphe``: the merged cooperation graph (:func:`merged_graph`).
    """

    territoire: str | None
    avant: str
    apres: str
    acteurs_ajoutes: tuple = ()
    acteurs_retires: tuple = ()
    liens_ajoutes: tuple = ()
    liens_retires: tuple = ()
    attestations_changees: tuple = ()
    intermediaires_en_hausse: tuple = ()
    intermediaires_en_baisse: tuple = ()
    premier_avant: tuple | None = None
    premier_apres: tuple | None = None
    graphe: nx.Graph = field(default_factory=nx.Graph, compare=False, hash=False, repr=False)
    noms: dict = field(default_factory=dict, compare=False, hash=False, repr=False)
    sources: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    @property
    def rien(self) -> bool:
        """Nothing changed."""
        return not any(
            (
                self.acteurs_ajoutes,
                self.acteurs_retires,
                self.liens_ajoutes,
                self.liens_retires,
                self.attestations_changees,
                self.intermediaires_en_hausse,
                self.intermediaires_en_baisse,
            )
        )

    def interactive_view(self, corpus=None, *, seed: int = 0, folder="."):
        """The merged graph in the interactive view (notebook 03): organisations and ties added in
        one colour, removed in another, said in the view's legend; those of both states as usual.

        ``corpus``: the later state, for the cards (names, practices, sentences of the sources).
        Returns the marker of :func:`mesra.interactive_view` (the view is in the notebook's HTML page);
        in JupyterLab, ``mesra.explore(comparison.graphe, corpus)`` shows it as a widget.
        """
        from mesra.network.interactive import interactive_view

        return interactive_view(self.graphe, corpus, seed=seed, folder=folder)

    def _name(self, i: str) -> tuple[str, str | None]:
        name, article = (self.noms.get(i) or [i, None])[:2]
        return name, article

    def tie_text(self, source: str, relation: str, cible: str) -> str:
        """A tie in French: « le Réseau Alpha accompagne la Coopérative Bêta »."""
        try:
            return french.sentence([self._name(source)], relation, [self._name(cible)])
        except ValueError:  # a relation outside the vocabulary's words
            return f"{self._name(source)[0]} → {self._name(cible)[0]} ({relation})"

    def _sources(self, key) -> str:
        return ", ".join(sorted(set(self.sources.get(key, ()))))

    def to_frame(self) -> pd.DataFrame:
        """One row per change, in French: ``Changement``, ``Élément``, ``Avant``, ``Après``, ``Sources``."""
        rank = _rank_words
        rows = [("Acteur ajouté", n, "", "présent", self._sources(i)) for i, n in self.acteurs_ajoutes]
        rows += [("Acteur retiré", n, "présent", "", self._sources(i)) for i, n in self.acteurs_retires]
        rows += [
            ("Lien ajouté", self.tie_text(s, r, c), "", contract.label(a), self._sources((s, r, c)))
            for s, r, c, a in self.liens_ajoutes
        ]
        rows += [
            ("Lien retiré", self.tie_text(s, r, c), contract.label(a), "", self._sources((s, r, c)))
            for s, r, c, a in self.liens_retires
        ]
        rows += [
            (
                "Lien connu autrement",
                self.tie_text(s, r, c),
                contract.label(a),
                contract.label(b),
                self._sources((s, r, c)),
            )
            for s, r, c, a, b in self.attestations_changees
        ]
        rows += [
            ("Plus de chemins passent par lui", n, rank(a), rank(b), "") for _, n, a, b in self.intermediaires_en_hausse
        ]
        rows += [
            ("Moins de chemins passent par lui", n, rank(a), rank(b), "")
            for _, n, a, b in self.intermediaires_en_baisse
        ]
        return pd.DataFrame(rows, columns=COLUMNS)

    def sentences(self) -> list[str]:
        """The comparison in a few French sentences (no measure names)."""
        head = f"Du corpus « {self.avant} » au corpus « {self.apres} »"
        if self.rien:
            return [f"{head} : rien n'a changé dans ce réseau."]
        counts = [
            french.plural(len(items), one, many)
            for items, one, many in (
                (self.acteurs_ajoutes, "acteur ajouté", "acteurs ajoutés"),
                (self.acteurs_retires, "acteur retiré", "acteurs retirés"),
                (self.liens_ajoutes, "lien ajouté", "liens ajoutés"),
                (self.liens_retires, "lien retiré", "liens retirés"),
                (self.attestations_changees, "lien connu autrement", "liens connus autrement"),
            )
            if items
        ]
        out = [f"{head} : {french.join(counts)}." if counts else f"{head} : mêmes acteurs et mêmes liens."]
        for s, r, c, a, b in self.attestations_changees:
            out.append(
                f"{_capital(self.tie_text(s, r, c))} : {contract.label(a).lower()} → {contract.label(b).lower()}."
            )
        first_before, first_after = self.premier_avant, self.premier_apres
        if first_after and (not first_before or first_before[0] != first_after[0]):
            was = f" (auparavant par {french.the(*self._name(first_before[0]))})" if first_before else ""
            out.append(
                f"C'est désormais par {french.the(*self._name(first_after[0]))} que passent le plus de chemins{was}."
            )
        return out


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _rank_words(rank: int | None) -> str:
    if rank is None:
        return f"hors des {BROKERS} premiers"
    return "1er" if rank == 1 else f"{rank}e"


def compare(
    corpus_a,
    corpus_b=None,
    territoire: str | None = None,
    *,
    attestations: Iterable[str] = (contract.OBSERVED,),
    pseudonymiser: bool = False,
    depot=None,
    **options,
) -> Comparison:
    """What changed in ``territoire``'s network from the state ``corpus_a`` to the state ``corpus_b``.

    Parameters
    ----------
    corpus_a, corpus_b
        The earlier and the later state: a loaded corpus (:func:`mesra.load_corpus`), a folder,
        an ``.xlsx`` workbook, or a git revision of the corpus (``"HEAD~3:data"``, or ``"HEAD~3"``
        for the other state's own folder at that revision). ``corpus_b`` None: the default corpus.
        Both are loaded alike and pseudonymised alike (:func:`mesra.corpus.states.load_states`).
    territoire : str, optional
        The territory (its sub-territories included); None: the whole corpus.
    attestations
        The ties the cooperation graphs count (as :func:`mesra.cooperation_graph`; default: observed).
    pseudonymiser : bool
        Pseudonymise both states (they are anyway when the run is, or when either already is).
    depot : str or Path, optional
        A folder of the git repository revisions are read from.
    **options
        Other parameters of :func:`mesra.cooperation_graph` (``contextes``, ``taille_max_contexte``…).

    Returns
    -------
    Comparison
        Its ``to_frame()`` is the table of changes, its ``graphe`` the merged graph with ``etat``.
    """
    from mesra.corpus.states import load_states, state_label
    from mesra.network.graphs import _check_territory, cooperation_graph

    a, b = load_states(corpus_a, corpus_b, pseudonymiser=pseudonymiser, depot=depot)
    tid, _ = _check_territory(b, territoire)
    if tid is not None and not (a.territoires["territoire_id"] == tid).any():
        _check_territory(a, territoire)  # the earlier state does not know it: its own French error
    before, now = network_facts(a, tid), network_facts(b, tid)
    added, removed = diff_named(before["acteurs"], now["acteurs"])
    ties_added, ties_removed, changed = diff_ties(before["liens"], now["liens"])
    g_a = cooperation_graph(a, tid, attestations=attestations, **options)
    g_b = cooperation_graph(b, tid, attestations=attestations, **options)
    ranks_a, ranks_b = _broker_ranks(g_a, BROKERS), _broker_ranks(g_b, BROKERS)
    rose, fell = _broker_moves(ranks_a, ranks_b)
    names = {**_names(a), **_names(b)}
    sources = {**_tie_sources(a, tid), **_tie_sources(b, tid)}
    for corpus in (a, b):
        sources.update(
            {i: [s] for i, s in zip(corpus.acteurs["acteur_id"], corpus.acteurs["source"]) if isinstance(s, str)}
        )

    def first(ranks):
        top = [i for i, (r, _) in ranks.items() if r == 1]
        return (top[0],) if top else None

    # a folder or a branch may be named after a person: a pseudonymised comparison names neither
    labels = ("état antérieur", "état actuel") if b.pseudonymised else (state_label(corpus_a), state_label(corpus_b))
    return Comparison(
        territoire=tid,
        avant=labels[0],
        apres=labels[1],
        acteurs_ajoutes=added,
        acteurs_retires=removed,
        liens_ajoutes=ties_added,
        liens_retires=ties_removed,
        attestations_changees=changed,
        intermediaires_en_hausse=rose,
        intermediaires_en_baisse=fell,
        premier_avant=first(ranks_a),
        premier_apres=first(ranks_b),
        graphe=merged_graph(g_a, g_b),
        noms=names,
        sources=sources,
    )
