"""9. Next steps: the plan first, then whom to connect, planned cooperations, leads and data gaps."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import pandas as pd

from mesra import french
from mesra.analysis.brief import axes
from mesra.analysis.brief.view import TerritoryView, chantier_axis, merged_locator, observed
from mesra.analysis.brief.wording import render, short_title
from mesra.analysis.sections import Section
from mesra.corpus import contract
from mesra.errors import MesraWarning

#: A collective is small enough to suggest that its members meet when it has at most
#: this many members (sharing a national network or a large body says little).
HANDFUL = 5
#: Echelons at which sharing a collective says nothing about who should meet locally.
_WIDE_ECHELONS = ("national", "europeen", "international")


@dataclass(frozen=True)
class NextStepsFacts:
    plan: tuple[str, ...]  # the plan's own steps (mesra.analysis.plan.plan_next_steps)
    pairs_to_connect: int
    planned: tuple[str, ...]  # "A et B", cooperations planned without observed counterpart
    leads: tuple[str, ...]  # sentences of the ties cited only as examples
    #: the examples of what could take part in a project, by project: ``((project, (example, …)), …)``
    examples: tuple
    undocumented: tuple[str, ...]  # the territory's initiatives whose monograph is still to write
    open_axes: tuple[str, ...]
    unknown_origins: tuple[str, ...]
    members_alone: tuple[str, ...]
    no_actor: bool
    sources: tuple[str, ...]


def connection_suggestions(view: TerritoryView) -> pd.DataFrame:
    """Pairs of the territory's organisations that share a small, local collective but no tie.

    A collective counts when it has at most :data:`HANDFUL` members and acts below
    the national level: sharing a national network or a large body says little
    about who should meet. Pairs already tied in the cooperation graph are left out.
    """
    cols = ["Organisation A", "Organisation B", "Collectifs partagés", "Nombre"]
    liens = observed(view.corpus.liens)
    orgs = set(view.organisations["acteur_id"])
    aff = liens[liens["relation"].isin(contract.AFFILIATION_RELATIONS) & liens["source_id"].isin(orgs)]
    sizes = aff.groupby("cible_id")["source_id"].nunique()
    small = {c for c, n in sizes.items() if 2 <= n <= HANDFUL and view.echelons.get(c) not in _WIDE_ECHELONS}
    pairs = aff.loc[aff["cible_id"].isin(small), ["source_id", "cible_id"]].drop_duplicates()
    joined = pairs.merge(pairs, on="cible_id")
    joined = joined[joined["source_id_x"] < joined["source_id_y"]]
    g = view.graph
    joined = joined[[not g.has_edge(a, b) for a, b in zip(joined["source_id_x"], joined["source_id_y"])]]
    if not len(joined):
        return pd.DataFrame(columns=cols)
    grouped = joined.groupby(["source_id_x", "source_id_y"])["cible_id"].apply(sorted).reset_index()
    out = pd.DataFrame(
        {
            cols[0]: [view.name_of(a) for a in grouped["source_id_x"]],
            cols[1]: [view.name_of(b) for b in grouped["source_id_y"]],
            cols[2]: ["; ".join(view.name_of(c) for c in cs) for cs in grouped["cible_id"]],
            cols[3]: [len(cs) for cs in grouped["cible_id"]],
        }
    )
    return out.sort_values([cols[3], cols[0], cols[1]], ascending=[False, True, True]).reset_index(drop=True)


def _planned_and_leads(view: TerritoryView) -> tuple[tuple[str, ...], tuple, list[str], list[str]]:
    """The planned cooperations and the leads (examples), each with its own sources: a section about the planned
    ones never cites an example's line (fifth cold read: L447 under « Coopérations prévues »)."""
    from mesra.network.graphs import leads, planned_cooperations

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MesraWarning)
        planned = planned_cooperations(view.corpus, view.territoire)
    pairs = _planned_said(view, planned)
    carried, carried_sources = _co_carried(view, planned)
    pairs += carried
    found = leads(view.corpus, view.territoire)
    rows = list(zip(found["source_id"], found["relation"], found["cible_id"], found.get("objet", [None] * len(found))))
    # an example of what could take part in a project is ``(project, example)``, said with the others of the same
    # project once (twenty-fourth reading: « la recherche-action sur … » eight times in France's bullet)
    said = tuple(
        dict.fromkeys(
            (view.project_said(b), view.example_said(a, o))
            if view.joins_project(rel, b)
            else _possible(view, a, rel, b, o)
            for a, rel, b, o in rows
        )
    )
    sources = [src for srcs in planned["sources"] for src in srcs] + carried_sources
    return pairs, said, sources, list(found["source"])


def _by_project(leads) -> tuple:
    """The ``(project, example)`` leads grouped by project, in their order."""
    out: dict[str, list[str]] = {}
    for x in leads:
        if isinstance(x, tuple) and len(x) == 2:
            out.setdefault(x[0], []).append(x[1])
    return tuple((p, tuple(names)) for p, names in out.items())


def plan_partners(view: TerritoryView, said: frozenset = frozenset()) -> tuple[tuple[str, tuple[str, ...], str], ...]:
    """The partners that the open actions of the territory's plan name, by chantier, leaving out the organisations
    ``said`` (those the planned cooperations already name): ``(chantier, names, locator)``, in the chantiers' order,
    each name once, the locator one per chantier (fourteenth reading: France's planned cooperations left out the
    Axe 1 plan's partners, L459-464, the Erasmus project, L666, the Axe 4 map's tools, L977, the Cercle 2, L782)."""
    from mesra.analysis.plan import _naming_lines

    by_chantier: dict[str, tuple[list[str], list[str]]] = {}
    for a in view.plan_facts.actions:
        if not a.ouverte or not a.partenaires:
            continue
        where = f"Axe {a.axe}" if a.axe else "Hors chantier"
        for p in a.partenaires:
            if p in said:
                continue
            names, sources = by_chantier.setdefault(where, ([], []))
            if view.name_of(p) not in names:
                names.append(view.name_of(p))
            # the lines that name the partner (L463 for the Groupe MACIF), not the whole action's passage
            if a.source:
                sources.append(_naming_lines(view.corpus, a.source, p))
    return tuple((k, tuple(n), merged_locator(src)) for k, (n, src) in sorted(by_chantier.items()))


def _co_carried(view: TerritoryView, planned: pd.DataFrame) -> tuple[tuple[str, ...], list[str]]:
    """The organisations that carry one open action of the plan together, one of them the territory's, when no
    observed tie joins two of them (ninth reading: the APES and the MES Occitanie carry the communication of the
    European group's decisions with the MES, L661, and nothing else ties them): « l'APES, le MES Occitanie et le
    MES, ensemble pour l'action « … » du plan »."""
    from mesra.analysis.plan import territory_plan

    facts = getattr(view, "plan_facts", None) or territory_plan(view.corpus, view.territoire, view.date_reference)
    t = observed(view.corpus.liens)
    known = {frozenset(p) for p in zip(t["source_id"], t["cible_id"])}
    known |= {frozenset(p) for p in zip(planned["organisation_a"], planned["organisation_b"])}
    organisations = set(view.corpus.acteurs.loc[~view.corpus.acteurs["type"].isin(contract.CONTEXT_TYPES), "acteur_id"])
    said, sources = [], []
    for a in facts.actions:
        orgs = [p for p in a.porteurs if p in organisations]
        if not a.ouverte or len(orgs) < 2 or not set(orgs) & view.actor_ids:
            continue
        new = [x for x in orgs if any(frozenset((x, y)) not in known for y in orgs if y != x)]
        if not new:
            continue
        # those already tied to each of the others are said apart (tenth reading: the APES and the MES are tied,
        # L160, and the section says that no observed tie joins its organisations)
        rest = [x for x in orgs if x not in new]

        def names(ids) -> str:
            return french.join([french.the(*view.pair(o)) for o in ids])

        # those already tied said after the action, as its carriers too (twenty-ninth reading: « L'APES et le MES
        # Occitanie, ensemble, avec le MES » under « aucune coopération entre ces organisations », while the APES
        # and the MES are tied, L160)
        also = f", que {'porte' if len(rest) == 1 else 'portent'} aussi {names(rest)}" if rest else ""
        said.append(f"{names(new)}, ensemble pour l'action du plan intitulée {short_title(a.intitule)}{also}")
        sources += [a.source] if a.source else []
    return tuple(said), sources


#: From this many organisations, those that one planned context joins (and nothing else) are said together.
TOGETHER = 3


def _planned_said(view: TerritoryView, planned: pd.DataFrame) -> tuple[str, ...]:
    """Each planned cooperation once: a pair (« l'ARDES et l'UFISC »), or the organisations one planned context
    alone joins, together (fifth cold read: 20 of France's 29 « coopérations prévues » were the pairs of the Axe 3
    action's Cercle 1 and Cercle 2, L781-782: « l'ARDES, l'APES… et l'UFISC, ensemble autour du Chantier… »)."""
    by_context: dict[str, set[str]] = {}
    for a, b, rel, ctx in zip(planned["organisation_a"], planned["organisation_b"], planned["relations"],
                              planned["contextes"]):  # fmt: skip
        if not len(rel) and len(ctx) == 1:
            by_context.setdefault(ctx[0], set()).update((a, b))
    together = {c: orgs for c, orgs in by_context.items() if len(orgs) >= TOGETHER}
    said = [_together(view, c, orgs) for c, orgs in sorted(together.items(), key=lambda kv: view.name_of(kv[0]))]
    objets = view.planned_objets
    said += [
        french.join([french.the(*view.pair(a)), french.the(*view.pair(b))])
        + (f" : {objets[frozenset((a, b))]}" if frozenset((a, b)) in objets else "")
        for a, b, rel, ctx in zip(
            planned["organisation_a"], planned["organisation_b"], planned["relations"], planned["contextes"]
        )
        if len(rel) or len(ctx) != 1 or ctx[0] not in together
    ]
    return tuple(said)


def _together(view: TerritoryView, context: str, orgs: set[str]) -> str:
    """« Enercoop, La Nef et Mobicoop, avec le CTC et le MES, déjà engagés, autour de L'Écosystème »: those already
    in the context (an observed tie, L382: the MES and the CTC) are said apart from those whose tie is planned."""
    t = observed(view.corpus.liens)
    there = set(t.loc[t["cible_id"] == context, "source_id"]) & orgs

    def names(ids) -> str:
        return french.join([french.the(*view.pair(o)) for o in sorted(ids, key=view.name_of)])

    axis = chantier_axis(view, context)
    if axis is not None:  # a Cercle names partners of the plan's actions, not their carriers (L779-782)
        said = f"{names(orgs - there)}, que le plan du chantier de l'Axe {axis} nomme comme partenaires de ses actions"
        if there:  # the ARDES co-animates the Axe 3 chantier (L257, L696)
            said += f", avec {names(there)}, qui {'co-anime' if len(there) == 1 else 'co-animent'} ce chantier"
        return said
    if there and orgs - there:
        engaged = "déjà engagé" if len(there) == 1 else "déjà engagés"
        return f"{names(orgs - there)}, avec {names(there)}, {engaged}, " + _around(view, context)
    return f"{names(orgs)}, ensemble " + _around(view, context)


def _around(view: TerritoryView, context: str) -> str:
    """« autour de l'Université d'été… »; a chantier's planned context is one of its actions, not the workshop the
    organisations' people already shared (sixth reading: the Axe 3 atelier, L696-720; its Cercle 1, L781)."""
    axis = chantier_axis(view, context)
    if axis is not None:
        return f"pour le plan du chantier de l'Axe {axis}"  # L781's Cercle 1 joins two actions (L776-777)
    return "autour " + french.of(*view.pair(context))


def _possible(view: TerritoryView, a: str, rel: str, b: str, objet=None) -> str:
    """A lead as a possibility, never in the indicative nor with the relation's verb, which would read as a fact
    (the proceedings cite these « en lien avec », L443-452): « PoleS, en lien avec Avec Nous », in the bullet « Pistes
    possibles, des rapprochements que les sources citent comme exemples, sans les constater » (never the same words
    again in it)."""
    who = view.in_sentence(a)  # « la recherche-action sur … »
    what = f" ({objet})" if isinstance(objet, str) and objet.strip() else ""
    # the examples of a project are said with it, in the source's words (« Exemples de démarche pouvant intégrer … »,
    # L443: :func:`_planned_and_leads`); otherwise the kind of tie an example suggests is the corpus's reading, not
    # the source's words; :func:`_linked` says them, grouped
    return (LINKED, f"{who}{what}", french.the(*view.pair(b)))  # under « Pistes possibles … comme exemples »


#: The mark of a lead said « A, en lien avec B » (:func:`_possible`), beside the examples of a project.
LINKED = "en lien avec"


def _linked(leads) -> tuple[str, ...]:
    """The « A, en lien avec B » leads, each set of names said once: those linked with the same ones together
    (twenty-seventh reading: « Enercoop, en lien avec L'Écosystème ; La Nef, en lien avec L'Écosystème ; … » and
    « PoleS, en lien avec Avec Nous ; PoleS, en lien avec le Collectif … » in France's next steps)."""
    by_who: dict[str, list[str]] = {}
    for x in leads:
        if isinstance(x, tuple) and len(x) == 3 and x[0] == LINKED:
            by_who.setdefault(x[1], []).append(x[2])
    by_targets: dict[tuple[str, ...], list[str]] = {}
    for who, targets in by_who.items():
        by_targets.setdefault(tuple(dict.fromkeys(targets)), []).append(who)
    return tuple(f"{french.join(whos)}, {LINKED} {french.join(list(ts))}" for ts, whos in by_targets.items())


def _undocumented(view: TerritoryView) -> tuple[str, ...]:
    """The territory's initiatives whose monograph is still to write, those presented at the seminar first. The
    monographs are of « expériences de développement d'écosystèmes économiques territoriaux portées par le
    Mouvement » (L392): never any project of the corpus (fourteenth reading: Normandie's note proposed monographs of
    sessions for lycéens, L900, and of training courses, L562)."""
    m = view.monographs
    if not len(m):
        return ()
    states = m["etat"] if "etat" in m.columns else ["redigee"] * len(m)
    rank = {"presentee": 0, "rapportee": 1}  # an example (« citee », L443-452) is a lead, not an initiative to write
    todo = [(rank[st], t) for t, st in zip(m["titre"], states) if st in rank]
    return tuple(t for _, t in sorted(todo))


def facts(view: TerritoryView, suggestions: pd.DataFrame) -> NextStepsFacts:
    from mesra.analysis.plan import plan_next_steps

    planned, leads, planned_sources, lead_sources = _planned_and_leads(view)
    sources = lead_sources  # the planned cooperations are named, with their lines, in part 2 only
    m = view.monographs
    tied = set(view.corpus.liens["source_id"]) | set(view.corpus.liens["cible_id"])
    o = view.organisations
    alone = o.loc[~o["acteur_id"].isin(tied) & o["membre_mes"].fillna(False).astype(bool), "nom"]
    return NextStepsFacts(
        plan=tuple(plan_next_steps(view.corpus, view.territoire, getattr(view, "reference", view.date_reference))),
        pairs_to_connect=len(suggestions),
        planned=planned,
        leads=_linked(leads),
        examples=_by_project(leads),
        undocumented=_undocumented(view),
        open_axes=tuple(axes.open_axes(view)) if len(m) else (),
        unknown_origins=tuple(t for t, o in zip(m["titre"], m["origine"]) if o == "inconnue"),
        members_alone=tuple(sorted(alone)),
        no_actor=not len(view.actors),
        sources=tuple(sources),
    )


def section(view: TerritoryView, suggestions: pd.DataFrame, top: int = 10) -> Section:
    f = facts(view, suggestions)
    s = Section("9. Pistes pour la suite")
    said = render("nextsteps", f=f)
    s.paragraphs, s.bullets = said.paragraphs, said.bullets
    if len(suggestions):
        s.add_table("Organisations à relier", suggestions.head(top))
    s.cite(*f.sources)
    return s
