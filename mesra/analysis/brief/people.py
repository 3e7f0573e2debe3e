"""2. Key people: the territory's people, their functions (``roles.csv``), and their roles in the workshops."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from mesra import french
from mesra.analysis.brief.view import INTENTION, TerritoryView, attestations, not_leads, present
from mesra.analysis.brief.wording import render
from mesra.analysis.sections import Section


@dataclass(frozen=True)
class Person:
    personne_id: str
    functions: tuple[tuple[str | None, str], ...]  # (function, structure id)
    roles: tuple[str, ...]  # French phrases: referent of a workshop, takes part in…
    sources: tuple[str, ...]
    said_above: bool = False  # some of the person's roles or functions are said in a sentence of several people
    #: The roles the table lists: :attr:`roles` and the workshops, even when a sentence says them for several people
    #: (fifth cold read: a row gave Charlotte MAURIER the Axe 2 workshop, not the Axe 3 one, said above).
    table_roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class PeopleFacts:
    people: tuple[Person, ...]
    referents: int
    pseudonymised: bool
    #: Roles that several people share (the seminar, a round table): each stated once, with its people,
    #: rather than on every person's row.
    shared: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: Functions that several people hold at one place (speakers of a round table): ``((name, article),
    #: ((person id, function), …))``, said once rather than on every row.
    gatherings: tuple[tuple[tuple[str, str | None], tuple[tuple[str, str | None], ...]], ...] = ()


#: A role shared by at least this many people of the territory is said once, not on each of their rows.
SHARED = 3


def _referent_word(view: TerritoryView, pid: str, chantier: str) -> str:
    from mesra.analysis.plan import _referent_role

    return _referent_role(view.corpus, pid, chantier)


def roles(view: TerritoryView, pid: str) -> list[tuple[str, str, str, str]]:
    """What a person does in the corpus: ``(French phrase, locator, phrase for several people, target)``,
    workshops first."""
    t = not_leads(view.corpus.liens)
    mine = t[t["source_id"] == pid]
    out = []
    for rel, target, axe, src, att in zip(
        mine["relation"], mine["cible_id"], mine["axe"], mine["source"], attestations(mine)
    ):
        if view.types.get(target) == "chantier":
            workshop = f"l'atelier Axe {int(axe)}" if not pd.isna(axe) else f"l'atelier « {view.name_of(target)} »"
            # a named person's own form (« référente », « référent »), as roles.csv words the function
            phrase = (
                f"{_referent_word(view, pid, target)} de {workshop}" if rel == "porte" else f"participe à {workshop}"
            )
            several = f"référent·es de {workshop}" if rel == "porte" else f"participent à {workshop}"
        else:
            phrase = french.relation(rel, [view.pair(target)])
            several = french.relation(rel, [view.pair(target)], n=2, subject=True)
        out.append((phrase + INTENTION.get(att, ""), src, several + INTENTION.get(att, ""), target))
    referent = {r[1] for r in out if r[0].startswith("référent")}
    # the referent's own participation line repeats the referent line
    out = [r for r in out if not (r[0].startswith("participe à l'atelier") and r[1] in referent)]
    return sorted(out, key=lambda r: (not r[0].startswith("référent"), not r[0].startswith("participe"), r))


def _gatherings(people: list[Person]) -> dict[str, list[tuple[str, str | None]]]:
    """Places where at least :data:`SHARED` people hold a function besides their main one."""
    at: dict[str, list[tuple[str, str | None]]] = {}
    for p in people:
        for fn, aid in p.functions[1:]:
            if present(aid):
                at.setdefault(aid, []).append((p.personne_id, fn))
    grouped = {}
    for aid, who in at.items():
        by_person: dict[str, list[str]] = {}
        for pid, fn in who:
            by_person.setdefault(pid, []).extend([fn] if fn else [])
        if len(by_person) >= SHARED:  # one entry per person: « co-présidente ; membre du Mouvement… »
            grouped[aid] = [(pid, " ; ".join(dict.fromkeys(fns)) or None) for pid, fns in by_person.items()]
    return grouped


def facts(view: TerritoryView) -> PeopleFacts:
    people, several, targets = [], {}, {}
    for pid in view.people["personne_id"]:
        mine = roles(view, pid)
        several.update({r[0]: r[2] for r in mine})
        targets.update({r[0]: r[3] for r in mine})
        functions = view.functions(pid)
        people.append(
            Person(
                personne_id=pid,
                functions=tuple((fn, aid) for fn, aid, _ in functions),
                roles=tuple(dict.fromkeys(r[0] for r in mine)),
                sources=tuple(s for s in [*(src for *_, src in functions), *(r[1] for r in mine)] if s),
            )
        )
    referents = sum(1 for p in people if any(r.startswith("référent") for r in p.roles))
    holders: dict[str, list[str]] = {}
    for p in people:
        for r in p.roles:
            holders.setdefault(r, []).append(p.personne_id)
    shared = {r for r, who in holders.items() if len(who) >= SHARED and not r.startswith("référent")}
    gatherings = _gatherings(people)
    people = [
        Person(
            p.personne_id,
            (p.functions[0], *(f for f in p.functions[1:] if f[1] not in gatherings)),
            tuple(r for r in p.roles if r not in shared),
            p.sources,
            any(r in shared for r in p.roles) or any(f[1] in gatherings for f in p.functions[1:]),
            tuple(r for r in p.roles if r not in shared or r.startswith("participe à l'atelier")),
        )
        for p in people
    ]
    # taking part in a gathering where the same people hold a function: the function says more
    shared = {r for r in shared if not set(holders[r]) <= {pid for pid, _ in gatherings.get(targets.get(r), [])}}
    said = tuple((several[r], tuple(holders[r])) for r in sorted(shared, key=lambda r: (-len(holders[r]), r)))
    gathered = tuple(
        (view.pair(aid), tuple(who)) for aid, who in sorted(gatherings.items(), key=lambda kv: view.name_of(kv[0]))
    )
    return PeopleFacts(tuple(people), referents, bool(view.corpus.pseudonymised), said, gathered)


def section(view: TerritoryView) -> Section:
    f = facts(view)
    s = Section("2. Personnes clés")
    names = {p.personne_id: view.name_of(p.personne_id) for p in f.people}
    names.update({pid: view.name_of(pid) for _, who in f.gatherings for pid, _ in who})
    s.paragraphs = render("people", f=f, names=names).paragraphs
    if not f.people:
        return s
    rows = []
    for p in f.people:
        rows.append(
            {
                "Personne": view.name_of(p.personne_id),
                "Structure": view.name_of(p.functions[0][1]),
                "Fonction": p.functions[0][0] or french.UNKNOWN,
                "Rôle dans les ateliers et au-delà": "; ".join(p.table_roles)
                or ("voir ci-dessus" if p.said_above else french.UNKNOWN),
                "Autres fonctions": "; ".join(
                    (fn or french.UNKNOWN) + (f" ({view.name_of(aid)})" if present(aid) else "")
                    for fn, aid in p.functions[1:]
                )
                or "—",
            }
        )
        s.cite(*p.sources)
    table = pd.DataFrame(rows)
    if (table["Autres fonctions"] == "—").all():
        table = table.drop(columns="Autres fonctions")
    s.add_table("Personnes et rôles", table.sort_values(["Structure", "Personne"]).reset_index(drop=True))
    return s
