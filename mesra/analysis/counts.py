"""One number, one computation: the figures that several pages show.

A figure that appears on more than one page (the index, a territory's brief, its
parent's brief, the monographs overview) is computed here and nowhere else:

* the ties of a territory (:func:`territory_ties`, :func:`tie_counts`): every tie with
  one end among its actors or their people, whatever it says (cooperation,
  membership, advocacy, a person's role) — the cooperation network counts fewer,
  and says so;
* the monographs of a territory (:func:`monographs_of`, :func:`monograph_counts`):
  those whose territory is in it, and those that one of their actors places more
  precisely in it (Terres de Convergence is an Occitanie monograph whose event is in
  the Gard);
* the axes a monograph documents (:func:`documented_axes`), the same on the
  monographs overview and in every brief;
* the actions of a territory (:func:`actions_of`).

A parent territory contains its children: every count here is rolled up, so a
parent's count is never below a child's (tested over every pair of the default
corpus).
"""

from __future__ import annotations

import pandas as pd

from mesra.corpus.geo import parent_map, walk_up

__all__ = [
    "territory_ties",
    "tie_counts",
    "monographs_of",
    "monograph_places",
    "monograph_counts",
    "monograph_states",
    "documented_axes",
    "actions_of",
]


def _inside(corpus, territoire: str | None) -> set[str]:
    """Actors located in ``territoire`` or below it, and the people attached to them."""
    actors = set(corpus.actors_in(territoire)["acteur_id"])
    p = corpus.personnes
    return actors | set(p.loc[p["acteur_id"].isin(actors), "personne_id"])


def territory_ties(corpus, territoire: str | None) -> pd.DataFrame:
    """Every tie with at least one end in ``territoire`` (its actors, or people by their structure)."""
    inside = _inside(corpus, territoire)
    liens = corpus.liens
    return liens[liens["source_id"].isin(inside) | liens["cible_id"].isin(inside)].reset_index(drop=True)


def tie_counts(corpus) -> dict[str, int]:
    """:func:`territory_ties` counted for every territory at once (for the index)."""
    parents = parent_map(corpus.territoires)
    where = dict(zip(corpus.acteurs["acteur_id"], corpus.acteurs["territoire_id"]))
    p = corpus.personnes
    where.update({pid: where.get(aid) for pid, aid in zip(p["personne_id"], p["acteur_id"])})
    out: dict[str, int] = {}
    for s, c in zip(corpus.liens["source_id"], corpus.liens["cible_id"]):
        places: set[str] = set()
        for end in (s, c):
            t = where.get(end)
            if isinstance(t, str):
                places.update((t, *walk_up(parents, t)))
        for t in places:
            out[t] = out.get(t, 0) + 1
    return out


def monograph_places(corpus) -> dict[str, set[str]]:
    """Each monograph's territories: its own, and those of its carrier and actors located below it."""
    parents = parent_map(corpus.territoires)
    where = dict(zip(corpus.acteurs["acteur_id"], corpus.acteurs["territoire_id"]))
    out = {}
    for m in corpus.monographies.itertuples():
        home = m.territoire
        places = {home} if isinstance(home, str) else set()
        for actor in [m.porteur, *(m.acteurs or [])]:
            t = where.get(actor)
            if isinstance(t, str) and isinstance(home, str) and home in walk_up(parents, t):
                places.add(t)
        out[m.id] = places
    return out


def monographs_of(corpus, territoire: str | None) -> pd.DataFrame:
    """The monographs located in ``territoire`` or below it (see :func:`monograph_places`)."""
    if territoire is None:
        return corpus.monographies.reset_index(drop=True)
    ids = set(corpus.territory_ids(territoire))
    places = monograph_places(corpus)
    keep = [bool(places.get(i, set()) & ids) for i in corpus.monographies["id"]]
    # .loc with a boolean list: an empty list still keeps the columns (df[[]] would select no column)
    return corpus.monographies.loc[keep].reset_index(drop=True)


def monograph_counts(corpus) -> dict[str, int]:
    """:func:`monographs_of` counted for every territory at once (for the index)."""
    parents = parent_map(corpus.territoires)
    out: dict[str, int] = {}
    for places in monograph_places(corpus).values():
        rolled = {t for place in places for t in (place, *walk_up(parents, place))}
        for t in rolled:
            out[t] = out.get(t, 0) + 1
    return out


def monograph_states(monographs: pd.DataFrame) -> tuple[tuple[str, int], ...]:
    """How many of ``monographs`` are in each state of :data:`mesra.corpus.contract.MONOGRAPH_STATES`,
    in that order, states with none left out: ``(("presentee", 7), ("citee", 1))``."""
    from mesra.corpus.contract import MONOGRAPH_STATES

    states = list(monographs["etat"]) if "etat" in monographs.columns else ["redigee"] * len(monographs)
    return tuple((s, states.count(s)) for s in MONOGRAPH_STATES if states.count(s))


def documented_axes(monographs: pd.DataFrame) -> dict[str, tuple[int, ...]]:
    """The axes (1–6) each monograph documents, by its identifier: by its own text for the axis
    and by the frame fields that inform it (:func:`mesra.analysis.frame.axis_evidence`)."""
    from mesra.analysis.frame import axis_evidence

    ev = axis_evidence(monographs)
    return {i: tuple(sorted({int(a) for a in ev.loc[ev["id"] == i, "axe"]})) for i in monographs["id"]}


def actions_of(corpus, territoire: str | None, *, date_reference=None) -> pd.DataFrame:
    """The actions of the plans that concern ``territoire`` (:func:`mesra.analysis.plan.actions_for`)."""
    from mesra.analysis.plan import actions_for

    return actions_for(corpus, territoire, date_reference=date_reference)
