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

>>> import mesra
>>> g = cooperation_graph(mesra.load_corpus(), "occitanie")
>>> g.graph["type_graphe"]
'cooperation'

Column names and relation vocabularies come from :mod:`mesra.corpus.contract`.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Sequence

import networkx as nx
import numpy as np
import pandas as pd

from mesra.corpus import contract
from mesra.corpus.geo import resolve_territory
from mesra.errors import MesraWarning, ParameterError

__all__ = [
    "cooperation_graph",
    "affiliation_graph",
    "planned_cooperations",
    "leads",
    "COLLECTIVE_SUFFIX",
    "PERSON_TYPE",
    "NATIONAL",
]

#: ``type`` of a person's node (people are not actors, so not in ``contract.TYPES``).
PERSON_TYPE = contract.PERSON_TYPE
#: Suffix of a collective's node in an affiliation graph when the same identifier is
#: also a member (e.g. a federation that is itself a member of a European network):
#: the two roles must be two nodes for the graph to stay bipartite.
COLLECTIVE_SUFFIX = "#collectif"

#: The national level: with ``sans_territoire=True``, actors without a territory belong to its graph.
NATIONAL = "fr"

_ECHELON_RANK = {e: i for i, e in enumerate(contract.ECHELONS)}
_RELATION_RANK = {r: i for i, r in enumerate(contract.RELATIONS)}


# --- parameters -----------------------------------------------------------------
def _check_territory(corpus, territoire: str | None) -> tuple[str | None, list[str] | None]:
    """The identifier of the territory and the territory with its sub-territories (None: whole
    corpus), or a French error (:func:`~mesra.corpus.geo.resolve_territory`: names and codes too)."""
    if territoire is None:
        return None, None
    tid = resolve_territory(territoire, corpus.territoires, hint="En Python, territoire=None prend tout le corpus.")
    return tid, corpus.territory_ids(tid)


def _check_relations(relations: Iterable[str], default: Sequence[str]) -> tuple[str, ...]:
    if isinstance(relations, str):
        relations = (relations,)
    rels = tuple(dict.fromkeys(relations))
    unknown = [r for r in rels if r not in contract.RELATIONS]
    if unknown or not rels:
        raise ParameterError(
            f"Relation(s) inconnue(s) : {', '.join(map(str, unknown)) or '(aucune)'}. Relations possibles : "
            f"{', '.join(contract.RELATIONS)} (par défaut : {', '.join(default)})."
        )
    return rels


def _check_attestations(attestations: Iterable[str]) -> tuple[str, ...]:
    """The attestations a reading counts: ``constate`` and ``prevu`` only (``envisage`` feeds leads)."""
    if isinstance(attestations, str):
        attestations = (attestations,)
    atts = tuple(dict.fromkeys(attestations))
    unknown = [a for a in atts if a not in contract.ATTESTATIONS]
    if unknown or not atts:
        raise ParameterError(
            f"Attestation(s) inconnue(s) : {', '.join(map(str, unknown)) or '(aucune)'}. Attestations possibles : "
            f"{contract.OBSERVED} (par défaut : les coopérations constatées) et prevu (avec constate : les "
            "coopérations prévues)."
        )
    if contract.LEADS in atts:
        raise ParameterError(
            f"Les liens « {contract.LEADS} » (possibilités citées en exemple) ne comptent dans aucun réseau : "
            "ce sont des pistes, que donne mesra.leads(corpus, territoire). Attestations possibles : "
            f"{contract.OBSERVED}, prevu."
        )
    return atts


def _check_context_relations(relations: Iterable[str]) -> tuple[str, ...]:
    rels = _check_relations(relations, contract.CONTEXT_RELATIONS)
    used = [r for r in rels if r in contract.USE_RELATIONS]
    if used:
        raise ParameterError(
            f"Relation(s) {', '.join(used)} refusée(s) dans relations_contexte : utiliser un dispositif ou un outil "
            "(le DLA, une plateforme) est une pratique, pas un contexte partagé ; ses utilisateurs ne sont reliés ni "
            f"entre eux ni à son porteur. Relations possibles : {', '.join(contract.CONTEXT_RELATIONS)}."
        )
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
        a["acteur_id"], a["nom"], a["sigle"], a["type"], a["territoire_id"], a["echelon"], a["membre_mes"]
    ):
        out[aid] = {
            "nom": _clean(nom),
            "sigle": _clean(sigle),
            "type": _clean(typ),
            "territoire": _clean(terr),
            "echelon": _clean(ech),
            "membre_mes": _clean(mem),
        }
    if personnes:
        p = corpus.personnes
        for pid, nom, prenom, aid in zip(p["personne_id"], p["nom"], p["prenom"], p["acteur_id"]):
            structure = out.get(_clean(aid)) if _clean(aid) else None
            full = " ".join(x for x in (_clean(prenom), _clean(nom)) if x)
            out[pid] = {
                "nom": full or pid,
                "sigle": None,
                "type": PERSON_TYPE,
                "territoire": structure["territoire"] if structure else None,
                "echelon": structure["echelon"] if structure else None,
                "membre_mes": None,
                "structure": _clean(aid),
            }
    return out


def _inside(attrs: dict[str, dict], ids: list[str] | None, unlocated: bool = False) -> set[str]:
    """The nodes located in ``ids`` (every node when None); with ``unlocated``, those without a territory too."""
    if ids is None:
        return set(attrs)
    wanted = set(ids)
    return {n for n, d in attrs.items() if d.get("territoire") in wanted or (unlocated and d.get("territoire") is None)}


def _unlocated(territoire: str | None, sans_territoire: bool) -> bool:
    return bool(sans_territoire) and territoire == NATIONAL


def _count_unlocated(g: nx.Graph) -> int:
    """How many of the graph's own (not external) actors have no territory (a member that is also a
    collective counts once)."""
    return len(
        {d.get("identifiant", n) for n, d in g.nodes(data=True) if d.get("territoire") is None and not d.get("externe")}
    )


def _attestation(liens: pd.DataFrame) -> pd.Series:
    """``liens.attestation``, ``constate`` where empty or missing (a corpus built by hand may lack it)."""
    if "attestation" not in liens.columns:
        return pd.Series(contract.OBSERVED, index=liens.index, dtype=object)
    return liens["attestation"].where(liens["attestation"].notna(), contract.OBSERVED)


def _ties(corpus, relations: tuple[str, ...], attestations: tuple[str, ...] = (contract.OBSERVED,)) -> pd.DataFrame:
    """The ties of ``relations`` known with one of ``attestations``, with ``attestation`` filled."""
    liens = corpus.liens
    att = _attestation(liens)
    out = liens[liens["relation"].isin(relations) & att.isin(attestations)].copy()
    out["attestation"] = att[out.index]
    return out


def _aggregate(
    corpus, relations, attrs: dict, inside: set, *, undirected: bool, attestations=(contract.OBSERVED,)
) -> tuple[dict, int]:
    """Ties of ``relations`` with at least one end inside, aggregated per pair of endpoints.

    Also returns how many ties were left out because an end is a person and people
    are not in ``attrs`` (``personnes=False``).
    """
    t = _ties(corpus, relations, attestations)
    p = corpus.personnes
    people = dict(zip(p["personne_id"], p["acteur_id"]))  # person -> structure
    ties: dict[tuple[str, str], _Tie] = {}
    without_people = 0
    for s, c, rel, axe, ech, src, att in zip(
        t["source_id"], t["cible_id"], t["relation"], t["axe"], t["echelon"], t["source"], t["attestation"]
    ):
        if s == c or s not in attrs or c not in attrs or (s not in inside and c not in inside):
            if (s in people and s not in attrs) or (c in people and c not in attrs):
                # a tie of a person of the graph's territory (or with one of its actors)
                ends = {x for x in (s, c, people.get(s), people.get(c)) if isinstance(x, str)}
                without_people += bool(ends & inside)
            continue
        key = (c, s) if undirected and c < s else (s, c)
        tie = ties.get(key)
        if tie is None:
            tie = ties[key] = _Tie()
        tie.add(rel, axe, ech, src, att == contract.OBSERVED)
    return ties, without_people


def _say_why_empty(g: nx.Graph, without_people: int, function: str) -> None:
    """Record the ties the ``personnes`` filter left out; warn when they are why the graph is empty."""
    g.graph["liens_personnes_ignores"] = without_people
    if without_people and g.number_of_edges() == 0:
        warnings.warn(
            f"{function} : aucun lien retenu, alors que {without_people} lien(s) de ces relations relient des "
            "personnes, laissées de côté parce que personnes=False ; passez personnes=True pour les inclure.",
            MesraWarning,
            stacklevel=3,
        )


def _context_ties(
    corpus,
    relations,
    attrs: dict,
    inside: set,
    contexts: set[str],
    max_size: int | None,
    attestations=(contract.OBSERVED,),
):
    """Pairs of organisations attached to the same context, aggregated per pair.

    An organisation is attached to a context by a tie of ``relations`` in either
    direction (``apes —porte→ vises``); two organisations attached to the same
    context are joined once per context, and at least one of them must be inside.
    Contexts of more than ``max_size`` organisations (with one inside) join nobody
    and are returned apart, with their size, except that their carriers are tied to
    their funders (:data:`~mesra.corpus.contract.CARRY_FUND`): funding what another
    organisation carries is a direct ``finance`` tie between them. In the planned reading, a context that
    only the intentions make too large still joins the organisations attached to it by
    observed ties (the planned reading keeps every observed tie); it is returned in
    the third dict.
    """
    t = _ties(corpus, relations, attestations)
    attached: dict[str, dict[str, list]] = {}
    for s, c, rel, axe, ech, src, att in zip(
        t["source_id"], t["cible_id"], t["relation"], t["axe"], t["echelon"], t["source"], t["attestation"]
    ):
        for org, ctx in ((s, c), (c, s)):
            if ctx in contexts and org in attrs and org not in contexts:
                attached.setdefault(ctx, {}).setdefault(org, []).append((axe, ech, src, att == contract.OBSERVED, rel))
    ties: dict[tuple[str, str], _Tie] = {}
    large: dict[str, int] = {}
    large_planned: dict[str, int] = {}
    for ctx in sorted(attached):
        orgs = sorted(attached[ctx])
        if not inside.intersection(orgs):
            continue
        if max_size is not None and len(orgs) > max_size:
            observed = [o for o in orgs if any(inc[3] for inc in attached[ctx][o])]
            if len(observed) > max_size or len(observed) == len(orgs):
                large[ctx] = len(orgs)
                _carry_fund(ctx, attached[ctx], inside, ties)
                continue
            large_planned[ctx] = len(orgs)
            orgs = observed
        for i, u in enumerate(orgs):
            for v in orgs[i + 1 :]:
                if u not in inside and v not in inside:
                    continue
                tie = ties.get((u, v))
                if tie is None:
                    tie = ties[(u, v)] = _Tie()
                tie.add_context(ctx, attached[ctx][u], attached[ctx][v])
    return ties, large, large_planned


def _carry_fund(ctx: str, attached: dict[str, list], inside: set, ties: dict) -> None:
    """In a context too large to join its organisations, tie each carrier to each funder (a direct ``finance``
    tie, recorded with the context in ``through``); the participants stay apart."""
    carry, fund = contract.CARRY_FUND
    carriers = [o for o, incs in attached.items() if any(inc[4] == carry for inc in incs)]
    funders = [o for o, incs in attached.items() if any(inc[4] == fund for inc in incs)]
    for u in carriers:
        for v in funders:
            if u == v or (u not in inside and v not in inside):
                continue
            key = (u, v) if u < v else (v, u)
            tie = ties.get(key)
            if tie is None:
                tie = ties[key] = _Tie()
            mine = [inc for inc in attached[u] if inc[4] == carry]
            theirs = [inc for inc in attached[v] if inc[4] == fund]
            observed = any(inc[3] for inc in mine) and any(inc[3] for inc in theirs)
            if fund not in tie.relations:
                tie.relations.add(fund)
                tie.weight += 1
            tie.observed |= observed
            tie.through.add(ctx)
            for axe, echelon, source, *_ in (*mine, *theirs):
                tie.note(axe, echelon, source)


class _Tie:
    """Aggregate of the ties between two endpoints (relations, count, axes, echelons, sources)."""

    __slots__ = ("relations", "weight", "axes", "echelons", "sources", "contexts", "observed", "through")

    def __init__(self):
        self.relations: set[str] = set()
        self.weight = 0
        self.axes: set[int] = set()
        self.echelons: set[str] = set()
        self.sources: set[str] = set()
        self.contexts: set[str] = set()
        #: At least one observed tie, or one context both ends are attached to by observed ties.
        self.observed = False
        #: Too-large contexts through which one end funds what the other carries (a direct ``finance`` tie).
        self.through: set[str] = set()

    def add(self, relation, axe, echelon, source, observed: bool = True):
        # the same tie reported in two places of the sources (two rows) is one tie, cited twice
        if relation not in self.relations:
            self.relations.add(relation)
            self.weight += 1
        self.observed |= observed
        self.note(axe, echelon, source)

    def add_context(self, context: str, mine, theirs) -> None:
        """One shared context (counted once), with the ties that attach each end to it."""
        if context not in self.contexts:
            self.contexts.add(context)
            self.weight += 1
        self.observed |= any(inc[3] for inc in mine) and any(inc[3] for inc in theirs)
        for axe, echelon, source, *_ in (*mine, *theirs):
            self.note(axe, echelon, source)

    def note(self, axe, echelon, source) -> None:
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

    def cooperation_attributes(self) -> dict:
        """:meth:`attributes` plus the shared contexts, the count of direct ties and how the edge is known."""
        return {
            **self.attributes(),
            "liens_directs": self.weight - len(self.contexts),
            "contextes": sorted(self.contexts),
            "finance_porte": sorted(self.through),
            "attestation": contract.OBSERVED if self.observed else "prevu",
        }


def _generic_left_out(corpus, generic: set, inside: set, ids: list[str] | None, contexts: set, relations) -> list[str]:
    """The generic actors left out of a cooperation graph: located in its territory, or tied by one of ``relations``
    to one of its organisations or to a context one of them is attached to (any reading)."""
    if not generic:
        return []
    a = corpus.acteurs.set_index("acteur_id")["territoire_id"]
    out = {n for n in generic if ids is not None and a.get(n) in set(ids)}
    t = corpus.liens
    t = t[t["relation"].isin(relations)]
    ends = list(zip(t["source_id"], t["cible_id"]))
    near = (
        inside
        | {c for s, c in ends if s in inside and c in contexts}
        | {s for s, c in ends if c in inside and s in contexts}
    )
    for s, c in ends:
        if s in generic and c in near:
            out.add(s)
        elif c in generic and s in near:
            out.add(c)
    return sorted(out)


def _title(kind: str, corpus, territoire: str | None) -> str:
    return f"{kind} — {corpus.territory_name(territoire)}"


# --- cooperation graph ----------------------------------------------------------------------
def cooperation_graph(
    corpus,
    territoire: str | None = None,
    *,
    personnes: bool = False,
    relations: Iterable[str] = contract.COOPERATION_RELATIONS,
    contextes: bool = True,
    types_contexte: Iterable[str] = contract.CONTEXT_TYPES,
    relations_contexte: Iterable[str] = contract.CONTEXT_RELATIONS,
    taille_max_contexte: int | None = 12,
    sans_territoire: bool = False,
    attestations: Iterable[str] = (contract.OBSERVED,),
    generiques: bool = False,
) -> nx.Graph:
    """The cooperation network of a territory: a network of organisations.

    Two organisations are tied when a *direct* tie joins them (partnership,
    support, co-organisation, funding, carrying: :data:`~mesra.corpus.contract.COOPERATION_RELATIONS`)
    and, with ``contextes=True``, when they share a *context*: a project, event,
    workshop, tool or platform (:data:`~mesra.corpus.contract.CONTEXT_TYPES`) that
    both carry, fund, co-organise, take part in or develop. Contexts are not
    nodes, so they never rank as brokers; each shared context adds 1 to the weight.
    Using a scheme or a tool (``utilise``: the DLA, a shared platform) is a practice,
    not a shared context: its users are tied neither to each other nor to its carrier
    through it. Memberships (the affiliation reading, :func:`affiliation_graph`) and
    advocacy (Axe 4's reading) are not cooperation ties.

    Only *observed* ties (``liens.attestation`` ``constate``) count by default; with
    ``attestations=("constate", "prevu")`` the graph is the planned reading
    ("coopérations prévues"), which adds the intentions of plans and fiches-actions
    (:func:`planned_cooperations` lists those without an observed counterpart).
    Possibilities cited as examples (``envisage``) never count: they are leads
    (:func:`leads`).

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
        Direct tie types kept (default: partnership, support, co-organisation,
        funding, carrying).
    contextes : bool
        Join organisations through the contexts they share (default). With False,
        every actor is a node, contexts included, joined by direct ties only.
    types_contexte : iterable of str
        Actor types treated as contexts.
    relations_contexte : iterable of str
        Tie types that attach an organisation to a context (``utilise`` is refused).
    taille_max_contexte : int or None
        A context that gathers more organisations than this (a national seminar, a
        large forum) does not join them two by two: it would tie almost everyone to
        everyone and hide who actually works together. Such contexts are listed in the
        graph attribute ``contextes_larges``. ``None``: no limit.
    sans_territoire : bool
        With True, organisations without a territory count as located at the national
        level: they are the graph's own nodes at ``fr`` (default False: only located
        organisations are). The graph attribute ``sans_territoire`` counts them.
    attestations : iterable of str
        How the ties counted are known: ``("constate",)`` (default: what is done or in
        place) or ``("constate", "prevu")`` (the planned reading). ``envisage`` is refused.
    generiques : bool
        Keep the actors that stand for unnamed bodies (:func:`~mesra.corpus.contract.is_generic`:
        « Collectivités territoriales (non nommées) »). Default False: they are not nodes, for one
        such node would join organisations the sources never put together (the APES's partner
        councils in Hauts-de-France and the Générateur's in Bourgogne-Franche-Comté); their ties
        are reported in words elsewhere. The graph attribute ``generiques_exclus`` lists those
        left out that had a tie with the territory.

    Returns
    -------
    networkx.Graph
        Undirected. Nodes are identifiers, inserted in sorted order, with
        ``nom, sigle, type, territoire, echelon, membre_mes, externe`` (and
        ``structure`` for people; ``type`` is ``"personne"``). Outside organisations
        tied to the territory's ones are included with ``externe=True``. Each edge
        aggregates everything between its two ends: ``relations`` (direct tie types,
        sorted), ``liens_directs`` (how many direct ties), ``contextes`` (the shared
        contexts), ``weight`` (direct ties + shared contexts), ``axes``,
        ``echelons`` and ``sources`` (lists), ``attestation`` (``constate`` when an
        observed tie or an observed shared context supports the edge, else ``prevu``).
        Graph attributes: ``territoire``, ``titre``, ``relations``, ``contextes``,
        ``types_contexte``, ``taille_max_contexte``, ``contextes_larges`` (``{context:
        number of organisations}``), ``noms_contextes_larges`` (``{context: its name}``),
        ``contextes_larges_prevus`` (contexts that only the intentions make too large: they
        still join the organisations attached to them by observed ties), ``attestations``,
        ``type_graphe``.

    Raises
    ------
    ParameterError
        When the territory, a relation or a type is unknown.

    Examples
    --------
    >>> import mesra
    >>> g = mesra.cooperation_graph(mesra.load_corpus(), territoire="occitanie")
    >>> any(d["type"] == "evenement" for _, d in g.nodes(data=True))  # the seminar is a context
    False
    """
    territoire, ids = _check_territory(corpus, territoire)
    rels = _check_relations(relations, contract.COOPERATION_RELATIONS)
    atts = _check_attestations(attestations)
    attrs = _node_attributes(corpus, personnes)
    context_types = _check_types(types_contexte) if contextes else ()
    context_ids = {n for n, d in attrs.items() if d["type"] in context_types}
    orgs = {n: d for n, d in attrs.items() if n not in context_ids}
    generic = set() if generiques else {n for n, d in orgs.items() if contract.is_generic(d.get("nom"))}
    orgs = {n: d for n, d in orgs.items() if n not in generic}
    inside = _inside(orgs, ids, _unlocated(territoire, sans_territoire))
    ties, without_people = _aggregate(corpus, rels, orgs, inside, undirected=True, attestations=atts)
    large: dict[str, int] = {}
    large_planned: dict[str, int] = {}
    if contextes:
        ctx_rels = _check_context_relations(relations_contexte)
        ctx_ties, large, large_planned = _context_ties(
            corpus, ctx_rels, orgs, inside, context_ids, taille_max_contexte, atts
        )
        for key, shared in ctx_ties.items():
            tie = ties.setdefault(key, _Tie())
            tie.contexts |= shared.contexts
            tie.weight += len(shared.contexts) + len(shared.relations - tie.relations)
            tie.relations |= shared.relations
            tie.through |= shared.through
            tie.axes |= shared.axes
            tie.echelons |= shared.echelons
            tie.sources |= shared.sources
            tie.observed |= shared.observed
    nodes = set(inside)
    for u, v in ties:
        nodes.update((u, v))
    g = nx.Graph(
        territoire=territoire,
        titre=_title("Réseau de coopération", corpus, territoire),
        type_graphe="cooperation",
        relations=list(rels),
        contextes=bool(contextes),
        types_contexte=list(context_types),
        taille_max_contexte=taille_max_contexte,
        contextes_larges=large,
        noms_contextes_larges={c: attrs[c].get("nom") or c for c in large},
        contextes_larges_prevus=large_planned,
        attestations=list(atts),
        generiques_exclus=_generic_left_out(
            corpus,
            generic,
            inside,
            ids,
            context_ids,
            {*rels, *(_check_context_relations(relations_contexte) if contextes else ())},
        ),
    )
    g.add_nodes_from((n, {**orgs[n], "externe": n not in inside}) for n in sorted(nodes))
    g.add_edges_from((u, v, ties[(u, v)].cooperation_attributes()) for u, v in sorted(ties))
    g.graph["sans_territoire"] = _count_unlocated(g) if _unlocated(territoire, sans_territoire) else 0
    _say_why_empty(g, without_people, "cooperation_graph")
    return g


def _check_types(types: Iterable[str]) -> tuple[str, ...]:
    if isinstance(types, str):
        types = (types,)
    types = tuple(dict.fromkeys(types))
    unknown = [x for x in types if x not in contract.TYPES]
    if unknown:
        raise ParameterError(
            f"Type(s) d'acteur inconnu(s) : {', '.join(map(str, unknown))}. Types possibles : "
            f"{', '.join(contract.TYPES)}."
        )
    return types


# --- affiliation graph ----------------------------------------------------------------------
def affiliation_graph(
    corpus,
    territoire: str | None = None,
    *,
    relations: Iterable[str] = contract.AFFILIATION_RELATIONS,
    personnes: bool = False,
    sans_territoire: bool = False,
    attestations: Iterable[str] = (contract.OBSERVED,),
) -> nx.Graph:
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
    sans_territoire : bool
        With True, members and collectives without a territory count as located at the
        national level (``fr``), as in :func:`cooperation_graph`; the graph attribute
        ``sans_territoire`` counts them.
    attestations : iterable of str
        As in :func:`cooperation_graph`: observed memberships and participations only by
        default; ``("constate", "prevu")`` adds those a plan intends (who should take part).

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
    territoire, ids = _check_territory(corpus, territoire)
    rels = _check_relations(relations, contract.AFFILIATION_RELATIONS)
    atts = _check_attestations(attestations)
    attrs = _node_attributes(corpus, personnes)
    inside = _inside(attrs, ids, _unlocated(territoire, sans_territoire))
    ties, without_people = _aggregate(corpus, rels, attrs, inside, undirected=False, attestations=atts)
    members = {s for s, _ in ties}
    collectives = {c for _, c in ties}

    def coll_key(c: str) -> str:
        return c + COLLECTIVE_SUFFIX if c in members else c

    g = nx.Graph(
        territoire=territoire,
        titre=_title("Réseau d'affiliation", corpus, territoire),
        type_graphe="affiliation",
        relations=list(rels),
        attestations=list(atts),
    )
    g.add_nodes_from(
        (n, {**attrs[n], "externe": n not in inside, "bipartite": 0, "identifiant": n}) for n in sorted(members)
    )
    g.add_nodes_from(
        (coll_key(c), {**attrs[c], "externe": c not in inside, "bipartite": 1, "identifiant": c})
        for c in sorted(collectives)
    )
    g.add_edges_from((s, coll_key(c), ties[(s, c)].attributes()) for s, c in sorted(ties))
    g.graph["sans_territoire"] = _count_unlocated(g) if _unlocated(territoire, sans_territoire) else 0
    _say_why_empty(g, without_people, "affiliation_graph")
    return g


# --- the planned reading and the leads --------------------------------------------------------
_PLANNED_COLUMNS = ["organisation_a", "organisation_b", "nom_a", "nom_b", "relations", "contextes", "sources"]


def planned_cooperations(corpus, territoire: str | None = None, **options) -> pd.DataFrame:
    """The planned cooperations that have no observed counterpart yet (what a research-action follows up).

    The edges of the planned reading (``cooperation_graph(..., attestations=("constate",
    "prevu"))``) that only intentions support: no observed tie, and no context both
    organisations are attached to by observed ties, joins them.

    Parameters
    ----------
    corpus, territoire
        As in :func:`cooperation_graph`.
    **options
        Other parameters of :func:`cooperation_graph` (``relations``, ``contextes``…);
        ``attestations`` is set by this function.

    Returns
    -------
    pandas.DataFrame
        One row per pair: ``organisation_a``, ``organisation_b`` (identifiers, sorted),
        ``nom_a``, ``nom_b``, ``relations`` (planned direct tie types), ``contextes`` (planned
        shared contexts), ``sources`` (locators), sorted by names.
    """
    options.pop("attestations", None)
    g = cooperation_graph(corpus, territoire, attestations=contract.PLANNED, **options)
    t = corpus.liens[corpus.liens["attestation"] == contract.OBSERVED]
    # an observed tie of any kind (a membership, a seat) is a counterpart: the pair already works together
    known = {frozenset(p) for p in zip(t["source_id"], t["cible_id"])}
    rows = [
        (u, v, g.nodes[u].get("nom") or u, g.nodes[v].get("nom") or v, d["relations"], d["contextes"], d["sources"])
        for u, v, d in sorted(g.edges(data=True))
        if d["attestation"] != contract.OBSERVED and frozenset((u, v)) not in known
    ]
    out = pd.DataFrame(rows, columns=_PLANNED_COLUMNS)
    return out.sort_values(["nom_a", "nom_b"], kind="stable").reset_index(drop=True)


_LEAD_COLUMNS = ["source_id", "cible_id", "nom_source", "nom_cible", "relation", "axe", "objet", "source"]


def leads(corpus, territoire: str | None = None) -> pd.DataFrame:
    """The ties the sources cite only as possibilities (``attestation`` ``envisage``): leads, never counts.

    A tie is kept when one of its ends is an actor located in ``territoire`` or below it,
    or a person of such an actor (``None``: every such tie of the corpus).

    Returns
    -------
    pandas.DataFrame
        ``source_id``, ``cible_id``, ``nom_source``, ``nom_cible``, ``relation``, ``axe``,
        ``objet``, ``source`` (locator), sorted by source line then names.
    """
    _, ids = _check_territory(corpus, territoire)
    liens = corpus.liens
    t = liens[_attestation(liens) == contract.LEADS]
    attrs = _node_attributes(corpus, personnes=True)
    if ids is not None:
        wanted = set(ids)
        inside = {n for n, d in attrs.items() if d.get("territoire") in wanted}
        t = t[t["source_id"].isin(inside) | t["cible_id"].isin(inside)]
    names = {n: d.get("nom") or n for n, d in attrs.items()}
    out = pd.DataFrame(
        {
            "source_id": t["source_id"],
            "cible_id": t["cible_id"],
            "nom_source": [names.get(x, x) for x in t["source_id"]],
            "nom_cible": [names.get(x, x) for x in t["cible_id"]],
            "relation": t["relation"],
            "axe": t["axe"],
            "objet": t["objet"] if "objet" in t.columns else None,
            "source": t["source"],
        },
        columns=_LEAD_COLUMNS,
    )
    return out.sort_values(["source", "nom_source", "nom_cible"], kind="stable").reset_index(drop=True)
