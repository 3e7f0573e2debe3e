"""3. The cooperation network, in plain sentences: who holds it together, who has no cooperation tie.

The measures with their technical names (betweenness, Burt's constraint, effective
size, Leiden communities) are for researchers: :func:`measures_table` (shown on the
researchers' page and in the Gephi export), never in the note.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from mesra import french
from mesra.analysis.brief.view import INTENTION, TerritoryView, as_list, attestations, not_leads
from mesra.analysis.brief.wording import render
from mesra.analysis.overview import large_contexts
from mesra.analysis.sections import Section
from mesra.corpus import contract
from mesra.corpus.contract import label

HOLDS = 4  # the same threshold as the findings (mesra.analysis.brief.findings.HOLDS)


@dataclass(frozen=True)
class NetworkFacts:
    organisations: int  # of the territory, in the graph
    external: int
    ties: int  # pairs of organisations tied (graph edges)
    direct: int  # ties resting on at least one direct tie
    shared: int  # ties resting on at least one shared context
    tied_inside: int
    brokers: tuple[tuple[str, str | None], ...]  # (name, article), strongest first
    contexts: tuple[tuple[str, int], ...]  # (name, organisations) shared by the most
    large: str  # contexts too large to tie two by two
    without_tie: tuple[str, ...]  # what the corpus says of each organisation without cooperation tie
    with_contexts: bool
    max_context: int
    sources: tuple[str, ...]
    #: Below :data:`~mesra.analysis.brief.findings.HOLDS` partners, nobody « holds » the network: the first
    #: broker and those it is tied to, ``((name, article), ((name, article), …))``, said plainly instead.
    star: tuple = ()


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
        return f"{view.name_of(ident)} : aucun lien documenté"
    parts = []
    for att in contract.PLANNED:
        mine_att = [r for r in mine if r[3] == att]
        for rel in contract.RELATIONS:
            out = [c for s, c, r, _ in mine_att if r == rel and s == ident]
            if out:
                targets = sorted({view.pair(x) for x in out}, key=lambda p: p[0])
                parts.append(french.relation(rel, targets) + INTENTION.get(att, ""))
        inbound = [r for r in mine_att if r[1] == ident]
        for rel in contract.RELATIONS:
            who = sorted({view.pair(s) for s, _, r, _ in inbound if r == rel}, key=lambda p: p[0])
            if who:
                parts.append(french.sentence(who, rel, [view.pair(ident)]) + INTENTION.get(att, ""))
    return f"{view.name_of(ident)} : aucun lien retenu dans ce réseau ; " + " ; ".join(parts)


def _contexts(view: TerritoryView) -> tuple[tuple[str, int], ...]:
    counts: dict[str, set] = {}
    for u, v, d in view.graph.edges(data=True):
        for c in d.get("contextes") or ():
            counts.setdefault(c, set()).update((u, v))
    ranked = sorted(counts.items(), key=lambda kv: (-len(kv[1]), view.name_of(kv[0])))[:5]
    return tuple((view.name_of(c), len(orgs)) for c, orgs in ranked)


def facts(view: TerritoryView, top: int = 5) -> NetworkFacts:
    g = view.graph
    internal = sum(1 for _, d in g.nodes(data=True) if not d.get("externe"))
    tied_inside = view.tied_inside()
    ids = view.brokers(top)["noeud"] if g.number_of_edges() and tied_inside >= 2 else ()
    names = tuple(view.pair(i) for i in ids)
    star = ()
    if len(names) and g.degree(ids.iloc[0]) < HOLDS:
        star = (names[0], tuple(view.pair(n) for n in sorted(g.neighbors(ids.iloc[0]), key=view.name_of)))
        names = ()
    no_tie = [o for o in view.organisations["acteur_id"] if o not in g or g.degree(o) == 0]
    return NetworkFacts(
        organisations=internal,
        external=g.number_of_nodes() - internal,
        ties=g.number_of_edges(),
        direct=sum(1 for *_, d in g.edges(data=True) if d.get("liens_directs")),
        shared=sum(1 for *_, d in g.edges(data=True) if d.get("contextes")),
        tied_inside=tied_inside,
        brokers=names,
        contexts=_contexts(view) if g.number_of_edges() else (),
        large=large_contexts(g),
        without_tie=tuple(what_else(view, o) for o in sorted(no_tie, key=view.name_of)),
        with_contexts=bool(g.graph.get("contextes", False)),
        max_context=int(g.graph.get("taille_max_contexte") or 0),
        sources=tuple(sorted({src for _, _, d in g.edges(data=True) for src in as_list(d.get("sources"))})),
        star=star,
    )


def section(view: TerritoryView, top: int = 5) -> Section:
    f = facts(view, top)
    w = render("network", f=f)
    s = Section("3. Le réseau de coopération", paragraphs=w.paragraphs, bullets=w.bullets, notes=w.notes)
    s.notes_title = "Comment ce réseau est construit"
    s.cite(*f.sources)
    return s


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
