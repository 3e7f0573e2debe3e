"""3. The cooperation network, in plain sentences: who holds it together, who has no cooperation tie.

The measures with their technical names (betweenness, Burt's constraint, effective
size, Leiden communities) are for researchers: :func:`measures_table` (shown on the
researchers' page and in the Gephi export), never in the note.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import pandas as pd

from mesra import french
from mesra.analysis.brief.view import (
    HOLDS,
    INTENTION,
    TerritoryView,
    as_list,
    attestations,
    chantier_axis,
    chantier_carriers,
    is_generic,
    not_leads,
    observed,
    present,
)
from mesra.analysis.brief.view import seat as view_seat
from mesra.analysis.brief.wording import render
from mesra.analysis.counts import is_member
from mesra.analysis.overview import large_contexts
from mesra.analysis.sections import Section
from mesra.corpus import contract
from mesra.corpus import pages as printed_pages
from mesra.corpus.contract import label

#: Up to this many pairs of organisations, the note names each pair and how it is tied instead of counting.
FEW_PAIRS = 5


@dataclass(frozen=True)
class NetworkFacts:
    organisations: int  # of the territory, in the graph
    external: int
    ties: int  # pairs of organisations tied (graph edges)
    direct: int  # ties resting on at least one direct tie
    tied_inside: int
    brokers: tuple[tuple[str, str | None], ...]  # (name, article), strongest first
    contexts: tuple[tuple[str, int], ...]  # (name, organisations) shared by the most
    large: str  # contexts too large to tie two by two
    without_tie: tuple[str, ...]  # what the corpus says of each organisation without cooperation tie
    with_contexts: bool
    max_context: int
    sources: tuple[str, ...]
    #: Below :data:`~mesra.analysis.brief.view.HOLDS` partners, nobody « holds » the network: the first
    #: broker and those it is tied to, ``((name, article), ((name, article), …))``, said plainly instead.
    star: tuple = ()
    #: The only broker's partners, when it has fewer than :data:`~mesra.analysis.brief.view.HOLDS` and the network
    #: is not its star (Île-de-France: the MES between the CNAM and the IEP, beside Devenir paysan's six), in the groups
    #: they form without it, smallest first: ``(((name, article), …), …)``.
    between: tuple = ()
    #: With at most :data:`FEW_PAIRS` pairs and no :attr:`star`, each pair said with the kind of its tie and its lines
    #: (« l'ARDES est partenaire du COORACE (ligne 328) »).
    pairs: tuple[str, ...] = ()
    #: Of :attr:`external`, the partners whose territory the corpus leaves unknown (``territoire_id`` empty): not
    #: said « extérieurs » (ninth reading: France's AGROSUP and FSGT).
    unplaced: int = 0
    #: The actors standing for unnamed bodies left out of the network (« Collectivités territoriales (non nommées) »).
    generic: tuple[tuple[str, str | None], ...] = ()
    #: The projects, events or chantiers that tie two organisations or more (the shared contexts): said as such, not as
    #: the pairs they make (twenty-second reading: Île-de-France's « 17 liens de coopération », 15 of them the pairs
    #: of Devenir paysan's six organisations, L452, L910).
    projects: int = 0
    #: Ties of a carrier with a funder of a context too large to join its organisations two by two.
    carry_fund: int = 0
    #: How many contexts :attr:`large` names (« ne compte pas comme un lien » or « ne comptent pas »).
    large_count: int = 0
    #: When the ties form several separate sets of at least two organisations: each set's most tied organisation
    #: and its size, largest first (fourteenth reading: France's « c'est par le MES que passent le plus de
    #: chemins » hid that the MIRAMAP's eight are tied to none of the MES's).
    pieces: tuple[tuple[tuple[str, str | None], int], ...] = ()
    #: The members of the Mouvement in the sets of :attr:`pieces` but the first (sixteenth reading: « 2 ensembles sans
    #: lien entre eux … autour du MIRAMAP » read as the MIRAMAP working apart from the Mouvement, L76).
    pieces_members: tuple[tuple[str, str | None], ...] = ()


#: An actor the corpus names without any tie: said as cited, not as unrelated (twentieth and twenty-first readings:
#: « Inter-réseaux : aucun lien documenté » where L42 says the MES was founded on its foundations).
UNTIED = "aucun lien de coopération, d'adhésion ou de plaidoyer relevé par cette note"


def community_names(view: TerritoryView) -> dict[int, str]:
    """Each community named after its most connected member (weighted degree, then PageRank)."""
    m = view.network_metrics
    # each community's first row once the whole table is sorted (one sort, not one per community)
    ranked = m.sort_values(["degre_pondere", "pagerank", "nom"], ascending=[False, False, True], kind="stable")
    ranked = ranked[ranked["communaute"].notna()].drop_duplicates("communaute")
    return {
        int(c): f"autour {french.of(nom, view.articles.get(noeud))}"
        for c, nom, noeud in sorted(zip(ranked["communaute"], ranked["nom"], ranked["noeud"]), key=lambda x: x[0])
    }


def _ties_by_end(view: TerritoryView) -> tuple[dict[str, list[tuple]], set[str]]:
    """The observed or planned ties by end, ``(source, cible, relation, attestation)`` in the table's order,
    and every end of any tie (leads included): read once per view, not once per organisation."""
    found = view.__dict__.get("_ties_by_end")
    if found is None:
        every = view.corpus.liens
        t = not_leads(every)
        by_end: dict[str, list[tuple]] = {}
        for row in zip(t["source_id"], t["cible_id"], t["relation"], attestations(t)):
            by_end.setdefault(row[0], []).append(row)
            if row[1] != row[0]:
                by_end.setdefault(row[1], []).append(row)
        found = by_end, set(every["source_id"]) | set(every["cible_id"])
        view.__dict__["_ties_by_end"] = found
    return found


def _seats(view: TerritoryView) -> dict[tuple[str, str], str]:
    """``(member, body) → « conseil d'administration »`` for the memberships the ties say are seats."""
    found = view.__dict__.get("_seats")
    if found is None:
        t = view.corpus.liens
        qualites = t["qualite"] if "qualite" in t.columns else [None] * len(t)
        found = {
            (s, c): w
            for s, c, r, q, o in zip(t["source_id"], t["cible_id"], t["relation"], qualites, t["objet"])
            if (w := view_seat(r, q if isinstance(q, str) else None, o if isinstance(o, str) else None))
        }
        view.__dict__["_seats"] = found
    return found


def what_else(view: TerritoryView, ident: str) -> str:
    """An organisation without cooperation tie, described by the ties it has."""
    by_end, tied = _ties_by_end(view)
    mine = by_end.get(ident, [])
    if not mine:
        if ident in tied:
            return (
                f"{view.name_of(ident)} : aucun lien constaté ni prévu ; "
                "cité seulement comme exemple possible (voir les pistes)"
            )
        from mesra.analysis.plan import named_in_actions

        named = named_in_actions(view.corpus).get(ident, 0)
        if named:  # fifth cold read: the funders the plan names (L662) were said « aucun lien documenté »
            actions = french.plural(named, "action")
            return f"{view.name_of(ident)} : {UNTIED} ; figure dans {actions} du plan"
        return f"{view.name_of(ident)} : {UNTIED}"
    parts = []
    for att in contract.PLANNED:
        mine_att = [r for r in mine if r[3] == att]
        for rel in contract.RELATIONS:
            out = [c for s, c, r, _ in mine_att if r == rel and s == ident]
            if out:
                targets = sorted({view.pair(x) for x in out}, key=lambda p: p[0])
                # a tool developed is said done, as the practices say it (thirty-second reading: « développe le Label
                # départemental » here, « a développé » in part 4, where L532 says « a créé »)
                done = att == "constate" and rel in french.PAST_WORDS
                parts.append(french.relation(rel, targets, subject=done, past=done) + INTENTION.get(att, ""))
        inbound = [r for r in mine_att if r[1] == ident]
        seats = _seats(view)
        for s, _, r, _ in inbound:  # a membership that is a seat said as one (twelfth reading: L914, L916)
            if r == "membre_de" and (s, ident) in seats:
                parts.append(f"{french.the(*view.pair(s))} siège au {seats[(s, ident)]} {french.of(*view.pair(ident))}")
        inbound = [x for x in inbound if not (x[2] == "membre_de" and (x[0], ident) in seats)]
        for rel in contract.RELATIONS:
            who = sorted({view.pair(s) for s, _, r, _ in inbound if r == rel}, key=lambda p: p[0])
            if who:
                # a planned tie whose objet says what is planned is said by it, never by the relation's verb
                # (twenty-seventh reading: « il est prévu ou proposé que l'APES accompagne le Territoire de Boulogne »
                # said more than the proposal L322 reports)
                told = {s: view.proposal_said(s, ident) for s, _, r, _ in inbound if r == rel}
                if att == "prevu" and all(told.values()):
                    parts += [said for _, said in sorted(told.items())]
                    continue
                said = french.sentence(who, rel, [view.pair(ident)])
                parts.append(french.planned(said) if att == "prevu" else said + INTENTION.get(att, ""))
    # one membership the sources state twice (the MES in ESS France, L249 and L928) said once
    # what the corpus says, without « aucun lien retenu » first (fifteenth reading: read as « no relationship » beside
    # « le MES Occitanie siège au conseil d'administration de la CRESS Occitanie », L916)
    return f"{view.name_of(ident)} : " + " ; ".join(dict.fromkeys(parts))


def _lines(view: TerritoryView, locators) -> str:
    """`` (p. 17)``: where the passages are, as every sentence of the note says it (plan._lines)."""
    from mesra.analysis.plan import _lines as plan_lines

    return plan_lines([loc for loc in locators if "#" in loc], pages=printed_pages.of(view.corpus))


#: How an organisation stands in a shared context, said after the context is named (« la Région Occitanie le
#: porte, le MES Occitanie y participe »).
_IN_CONTEXT = {
    "porte": "le porte",
    "finance": "le soutient financièrement",
    "co_organise": "le co-organise",
    "developpe": "le développe",
    "participe_a": "y participe",
}


_IN_CONTEXT_BOTH = {
    "porte": "le portent",
    "finance": "le soutiennent financièrement",
    "co_organise": "le co-organisent",
    "developpe": "le développent",
    "participe_a": "y participent",
}


def _roles_in(view: TerritoryView, pair: tuple[str, str], contexts) -> str:
    """« (ligne 508) : la Région Occitanie le porte, le MES Occitanie y participe » — each one's part in a single
    shared context (ninth reading: « relient le MES Occitanie à la Région » said a working group the Région
    carries, L508, as a cooperation); nothing when there are several contexts or a part is not known."""
    if len(contexts) != 1:
        return ""
    t = observed(view.corpus.liens)
    t = t[(t["cible_id"] == contexts[0]) & t["source_id"].isin(pair)]
    rels, lines = {}, list(t["source"])
    for who in pair:
        rel = next((r for r in t.loc[t["source_id"] == who, "relation"] if r in _IN_CONTEXT), None)
        if rel is None:
            return ""
        rels[who] = rel
    order = sorted(pair, key=lambda w: rels[w] != "porte")  # who carries it first
    if len(set(rels.values())) == 1:  # « l'APES et la ChairESS y participent », not « l'APES y participe, la… »
        return (
            _lines(view, lines)
            + f" : {french.join([french.the(*view.pair(w)) for w in order])} "
            + _IN_CONTEXT_BOTH[next(iter(rels.values()))]
        )
    return _lines(view, lines) + " : " + ", ".join(f"{french.the(*view.pair(w))} {_IN_CONTEXT[rels[w]]}" for w in order)


def pair_sentences(view: TerritoryView) -> tuple[str, ...]:
    """Each pair of the cooperation graph said with how it is tied, when there are at most :data:`FEW_PAIRS`:
    its observed direct ties (« l'ARDES est partenaire du COORACE (ligne 328) »), else the contexts it shares."""
    g = view.graph
    if not 0 < g.number_of_edges() <= FEW_PAIRS:
        return ()
    t = observed(view.corpus.liens)
    t = t[t["relation"].isin(contract.COOPERATION_RELATIONS)]
    out: list = []
    alike: dict[tuple, list[str]] = {}  # (relation, target, locators) → subjects: one direct tie, said together
    for u, v, d in sorted(g.edges(data=True), key=lambda e: sorted((view.name_of(e[0]), view.name_of(e[1])))):
        direct = t[((t["source_id"] == u) & (t["cible_id"] == v)) | ((t["source_id"] == v) & (t["cible_id"] == u))]
        ties = list(dict.fromkeys(zip(direct["source_id"], direct["relation"], direct["cible_id"])))
        where = {
            (a, rel): tuple(sorted(set(direct.loc[(direct["source_id"] == a) & (direct["relation"] == rel), "source"])))
            for a, rel, _ in ties
        }
        if len(ties) == 1 and not d.get("finance_porte") and not d.get("contextes"):
            # the PESAD 21 accompanied by AGROSUP, the INRA and the Université de Bourgogne (L530): one sentence,
            # with the year and the object the sources give (ninth reading: « accompagnent » read as lasting)
            a, rel, b = ties[0]
            row = direct[(direct["source_id"] == a) & (direct["relation"] == rel)].iloc[0]
            year = row.get("annee")
            key = (
                rel,
                b,
                where[a, rel],
                None if year is None or pd.isna(year) else str(int(year)),
                row["objet"] if present(row.get("objet")) else None,
            )
            if key not in alike:
                out.append(key)
            alike.setdefault(key, []).append(a)
            continue
        said = [
            french.sentence([view.pair(a)], rel, [view.pair(b)]) + _lines(view, where[a, rel]) for a, rel, b in ties
        ]
        said.extend(_carry_fund_sentence(view, u, v, c) for c in d.get("finance_porte") or ())
        coanimated = _coanimated(view, (u, v), d.get("contextes") or ())
        if coanimated:  # « le MES et le MES Occitanie co-animent le chantier de l'Axe 4 (lignes 257 et 858) »
            said.append(coanimated)
        elif d.get("contextes"):
            said.append(
                f"{french.join([french.the(*view.pair(u)), french.the(*view.pair(v))])} se retrouvent dans "
                + french.join(french.the(*view.pair(c)) for c in d["contextes"])
                + _roles_in(view, (u, v), d["contextes"])
            )
        out.append(french.join(said))
    return tuple(x if isinstance(x, str) else _alike_sentence(view, alike[x], *x) for x in out)


def _coanimated(view: TerritoryView, pair: tuple[str, str], contexts) -> str:
    """The chantier two organisations co-animate (the MES carries it, the référent's network co-organises it, L257),
    said short, or ``""``."""
    if len(contexts) != 1 or view.types.get(contexts[0]) != "chantier":
        return ""
    t = observed(view.corpus.liens)
    t = t[(t["cible_id"] == contexts[0]) & t["source_id"].isin(pair)]
    rels = {w: set(t.loc[t["source_id"] == w, "relation"]) for w in pair}
    if not all(r & {"porte", "co_organise"} for r in rels.values()):
        return ""
    order = sorted(pair, key=lambda w: "porte" not in rels[w])  # who carries it first
    axis = chantier_axis(view, contexts[0])
    # each organisation with the person through whom it co-animates (twenty-fourth reading: « le MES et le MES
    # Occitanie co-animent » beside « Bérénice DONDEYNE co-anime » read as two claims; L257 names « la coordination
    # nationale et des référents désignés »)
    from mesra.analysis.plan import chantiers

    work = next((c for c in chantiers(view.corpus).values() if c.chantier_id == contexts[0]), None)
    p = view.corpus.personnes
    home = dict(zip(p["personne_id"], p["acteur_id"]))
    by = {w: [view.name_of(r) for r in (work.referents if work else ()) if home.get(r) == w] for w in order}
    said = [
        french.the(*view.pair(w))
        + (
            f", par {french.join(by[w])},"
            if by[w]
            else (", par sa coordination nationale," if "porte" in rels[w] else "")
        )
        for w in order
    ]
    return f"{french.join(said)} co-animent le chantier de l'Axe {axis}" + _lines(view, t["source"])


def _alike_sentence(view: TerritoryView, subjects, rel: str, target: str, lines, year, objet) -> str:
    """« AGROSUP, l'INRA et l'Université de Bourgogne ont accompagné le PESAD 21 en 2019 (objet : évaluation de son
    utilité sociale ; ligne 530) »: a dated act in the past (french.DATED_WORDS)."""
    said = french.sentence([view.pair(a) for a in subjects], rel, [view.pair(target)], dated=bool(year)) + (
        f" en {year}" if year else ""
    )
    where = _lines(view, lines).strip()[1:-1]
    inside = " ; ".join(p for p in (f"objet : {objet}" if objet else "", where) if p)
    return said + (f" ({inside})" if inside else "")


def _carry_fund_sentence(view: TerritoryView, u: str, v: str, ctx: str) -> str:
    """« l'APES finance le Séminaire …, que porte le MES (lignes …) »: a funder and a carrier of a too-large context."""
    t = observed(view.corpus.liens)
    funds = t[(t["cible_id"] == ctx) & (t["relation"] == contract.CARRY_FUND[1])]
    funder, carrier = (u, v) if u in set(funds["source_id"]) else (v, u)
    carries = t[(t["cible_id"] == ctx) & (t["relation"] == contract.CARRY_FUND[0]) & (t["source_id"] == carrier)]
    own = funds[funds["source_id"] == funder]
    where = _lines(view, [*own["source"], *carries["source"]])
    # a dated funding is said in the past (twenty-fourth reading: « l'APES finance le Séminaire » of December 2019,
    # L1090-1092, read as going on), and its carrier too
    dated = bool(len(own)) and own["annee"].notna().any() if "annee" in own.columns else False
    return (
        french.sentence([view.pair(funder)], contract.CARRY_FUND[1], [view.pair(ctx)], dated=dated)
        + ", "
        + ("qu'a porté" if dated else "que porte")
        + f" {french.the(*view.pair(carrier))}{where}"
    )


def pieces(view: TerritoryView) -> tuple[tuple[str, int, frozenset], ...]:
    """The separate sets of tied organisations, when there are several: ``(hub, size, organisations)`` each, largest
    first, the hub being the context that ties the set whole, else its organisation with the most partners."""
    g = view.graph
    sets = [c for c in nx.connected_components(g) if len(c) > 1]
    if len(sets) < 2:
        return ()

    def hub(c):  # a set that one context ties whole is named after it (Île-de-France: « autour de Devenir paysan »)
        common = set.intersection(*(set(d.get("contextes") or ()) for *_, d in g.subgraph(c).edges(data=True)))
        return min(common, key=view.name_of) if common else min(c, key=lambda n: (-g.degree(n), view.name_of(n)))

    hubs = [hub(c) for c in sets]
    ranked = sorted(zip(hubs, sets), key=lambda hc: (-len(hc[1]), view.name_of(hc[0])))
    return tuple((h, len(c), frozenset(c)) for h, c in ranked)


def _members_apart(view: TerritoryView, sets, members: set) -> list[str]:
    """The members of the Mouvement in a set that does not hold its national coordination (who carries its chantiers,
    L257) — or, without it, in any set but the largest."""
    # the whole corpus's observed ties: the coordination may sit outside the territory
    carriers = chantier_carriers(view, observed(view.corpus.liens))
    apart = (
        [c for *_, c in sets if not c & carriers] if any(c & carriers for *_, c in sets) else [c for *_, c in sets[1:]]
    )
    return sorted({o for c in apart for o in c if o in members}, key=view.name_of)


def _contexts(view: TerritoryView) -> tuple[tuple[str, int], ...]:
    counts: dict[str, set] = {}
    for u, v, d in view.graph.edges(data=True):
        for c in d.get("contextes") or ():
            counts.setdefault(c, set()).update((u, v))
    # three organisations at least: two are a pair, said as such (France: four chantiers « (2 organisations) »)
    ranked = sorted(
        ((c, orgs) for c, orgs in counts.items() if len(orgs) >= 3), key=lambda kv: (-len(kv[1]), view.name_of(kv[0]))
    )[:5]
    return tuple((view.name_of(c), len(orgs)) for c, orgs in ranked)


def facts(view: TerritoryView, top: int = 5) -> NetworkFacts:
    g = view.graph
    sets = pieces(view)
    a = view.corpus.acteurs
    members = set(a.loc[is_member(a), "acteur_id"])
    internal = sum(1 for _, d in g.nodes(data=True) if not d.get("externe"))
    tied_inside = view.tied_inside()
    ids = view.brokers(top)["noeud"] if g.number_of_edges() and tied_inside >= 2 else ()
    names = tuple(view.pair(i) for i in ids)
    star = ()
    if len(names) and view.is_star(ids.iloc[0]):
        star = (names[0], tuple(view.pair(n) for n in sorted(g.neighbors(ids.iloc[0]), key=view.name_of)))
        names = ()
    between = ()
    if len(names) == 1 and g.degree(ids.iloc[0]) < HOLDS:
        # its partners in the groups they form without it (twenty-fourth reading: « la ChairESS ; la Communauté … et
        # le MES … n'ont pas de lien entre elles » where the ChairESS and the MES are partners, L251)
        hub = ids.iloc[0]
        around = g.subgraph(set(g.neighbors(hub)))
        groups = [sorted(c, key=view.name_of) for c in nx.connected_components(around)]
        groups.sort(key=lambda c: (len(c), view.name_of(c[0])))
        between = tuple(tuple(view.pair(n) for n in c) for c in groups)
    where = dict(zip(view.corpus.acteurs["acteur_id"], view.corpus.acteurs["territoire_id"]))
    no_tie = [
        o
        for o in view.organisations["acteur_id"]
        if (o not in g or g.degree(o) == 0) and not is_generic(view.name_of(o))
    ]
    return NetworkFacts(
        organisations=internal,
        external=g.number_of_nodes() - internal,
        unplaced=sum(1 for n, d in g.nodes(data=True) if d.get("externe") and not present(where.get(n))),
        ties=g.number_of_edges(),
        direct=sum(1 for *_, d in g.edges(data=True) if d.get("liens_directs")),
        projects=len({c for *_, d in g.edges(data=True) for c in d.get("contextes") or ()}),
        tied_inside=tied_inside,
        brokers=names,
        contexts=_contexts(view) if g.number_of_edges() else (),
        large=large_contexts(g),
        without_tie=tuple(what_else(view, o) for o in sorted(no_tie, key=view.name_of)),
        with_contexts=bool(g.graph.get("contextes", False)),
        max_context=int(g.graph.get("taille_max_contexte") or 0),
        sources=tuple(sorted({src for _, _, d in g.edges(data=True) for src in as_list(d.get("sources"))})),
        star=star,
        between=between,
        pairs=pair_sentences(view),  # how each pair is tied, the star's too (ninth reading: Occitanie, L508)
        generic=tuple(view.pair(n) for n in sorted(g.graph.get("generiques_exclus") or (), key=view.name_of)),
        carry_fund=sum(1 for *_, d in g.edges(data=True) if d.get("finance_porte")),
        large_count=len(g.graph.get("contextes_larges") or {}),
        pieces=tuple((view.pair(h), n) for h, n, _ in sets),
        # the members of the Mouvement in any set but the largest, its hub or not (seventeenth reading: Île-de-France's
        # « autour de Devenir paysan » holds the MIRAMAP, L76, L910, and « sans lien » was read literally)
        pieces_members=tuple(view.pair(o) for o in _members_apart(view, sets, members)),
    )


def section(view: TerritoryView, top: int = 5) -> Section:
    f = facts(view, top)
    w = render("network", f=f)
    s = Section("3. Le réseau de coopération", paragraphs=w.paragraphs, bullets=w.bullets, notes=w.notes)
    s.notes_title = "Comment lire ce réseau"
    s.cite(*f.sources)
    return s


def method(view: TerritoryView) -> Section:
    """How the cooperation network is built, in full (what a tie is, shared contexts, the contexts too large,
    the unnamed bodies left out): for researchers, on the page « avec le code »; the note says how to read it in two
    sentences (fourteenth reading: the method was too technical for an elected official)."""
    w = render("network_method", f=facts(view))
    return Section("Comment le réseau de coopération est construit", paragraphs=w.paragraphs, bullets=w.bullets)


def measures_table(view: TerritoryView, top: int | None = None) -> pd.DataFrame:
    """The network measures with their technical names, for researchers (not in the note)."""
    from mesra.network.measures import brokers

    b = brokers(view.network_metrics, top or len(view.network_metrics))
    names = community_names(view)
    return pd.DataFrame(
        {
            "Organisation": b["nom"],
            "Type": [label(t) for t in b["type"]],
            "Extérieure au territoire": [french.yes_no(x) for x in b["externe"]],
            "Partenaires": b["degre"],
            "Intermédiarité": [french.measure(x) for x in b["intermediarite"]],
            "Contrainte de Burt": [french.measure(x) for x in b["contrainte"]],
            "Taille effective": [french.measure(x) for x in b["taille_effective"]],
            "Communauté (Leiden)": [names.get(int(c), french.UNKNOWN) for c in b["communaute"]],
        }
    )
