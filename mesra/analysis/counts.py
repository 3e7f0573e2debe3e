"""One number, one computation: the figures that several pages show.

A figure that appears on more than one page (the index, a territory's brief, its
parent's brief, the monographs overview) is computed here and nowhere else:

* the ties of a territory (:func:`territory_ties`): every tie with one end among its
  actors or their people, whatever it says (cooperation, membership, advocacy, a
  person's role) — the cooperation network counts fewer, and says so; counted by
  :func:`tie_count` (:func:`tie_counts` for every territory at once), which sets apart
  the ties the sources observe or plan and those they cite only as possible examples;
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

from dataclasses import dataclass

import pandas as pd

from mesra.corpus import contract
from mesra.corpus.geo import parent_map, walk_up

__all__ = [
    "actor_places",
    "actors_of",
    "actor_counts",
    "person_places",
    "seated_people",
    "HOME",
    "people_of",
    "WIDE_ECHELONS",
    "territory_ties",
    "tie_counts",
    "noted_territories",
    "TieCount",
    "tie_count",
    "monographs_of",
    "monograph_places",
    "monograph_counts",
    "monograph_states",
    "documented_axes",
    "ANALYSIS_AXES",
    "actions_of",
]


#: Échelons of a body that speaks for a whole country or more: its people are not the people of the
#: region or city where its office happens to be (the MES, the CNAM in Paris: issue 21, cold read 1).
WIDE_ECHELONS = ("national", "europeen", "international")
#: Levels of territory that contain a country: a national body's people are theirs.
WIDE_LEVELS = ("monde", "europe", "pays")


def is_member(acteurs: pd.DataFrame) -> pd.Series:
    """Which actors are members of the Mouvement (``membre_mes``, read as text: a CSV's « true », a boolean)."""
    if "membre_mes" not in acteurs.columns:
        return pd.Series(False, index=acteurs.index)
    return acteurs["membre_mes"].astype(str).str.lower() == "true"


def member_networks(acteurs: pd.DataFrame) -> pd.DataFrame:
    """The territorial networks that are members of the Mouvement (L46-56: « LES RÉSEAUX TERRITORIAUX »): what a
    region's fiche counts, and what the batch key of every territory reads."""
    return acteurs[is_member(acteurs) & (acteurs["type"] == "reseau_territorial")]


def _rolled(parents, t) -> set[str]:
    return {t, *walk_up(parents, t)} if isinstance(t, str) else set()


def actor_places(corpus) -> dict[str, set[str]]:
    """Each actor's territories, rolled up: its own and its parents; and, for an actor that a monograph
    places more precisely (Terres de Convergence, in Occitanie, whose event is in the Gard: its
    monograph is the Gard's, :func:`monograph_places`), that place and its parents too — so a
    département's note shows what its region's note shows about the actors located in it. Not a
    national or wider body (the MIRAMAP, named in an Île-de-France monograph)."""
    parents = parent_map(corpus.territoires)
    where = dict(zip(corpus.acteurs["acteur_id"], corpus.acteurs["territoire_id"]))
    wide = set(corpus.acteurs.loc[corpus.acteurs["echelon"].isin(WIDE_ECHELONS), "acteur_id"])
    out = {a: _rolled(parents, t) for a, t in where.items()}
    m = corpus.monographies
    if len(m):
        carried = _carried(corpus)
        for mid, places in monograph_places(corpus).items():
            row = m[m["id"] == mid].iloc[0]
            for actor in [row["porteur"], *(row["acteurs"] or [])]:
                own = where.get(actor)
                if not isinstance(own, str) or actor in wide:  # a national body is not placed by one of its projects
                    continue
                # only below the actor's own territory, and only where what it carries or co-organises is
                # (Terres de Convergence's event, in the Gard, L348) — not every place its monograph names
                # (ninth reading: the APES's people and plans shown as the CU d'Arras's, L898)
                mine = {where.get(c) for c in carried.get(actor, ())}
                for place in places & mine:
                    if place != own and own in walk_up(parents, place):
                        out[actor] |= _rolled(parents, place)
    return out


def _carried(corpus) -> dict[str, set[str]]:
    """What each actor carries or co-organises, as the sources observe it."""
    t = corpus.liens
    if "attestation" in t.columns:
        t = t[t["attestation"].fillna(contract.OBSERVED).isin((contract.OBSERVED, ""))]
    t = t[t["relation"].isin(("porte", "co_organise"))]
    out: dict[str, set[str]] = {}
    for a, c in zip(t["source_id"], t["cible_id"]):
        out.setdefault(a, set()).add(c)
    return out


def actors_of(corpus, territoire: str | None) -> pd.DataFrame:
    """The actors of ``territoire``: located in it or below it, or placed there by a monograph located
    there (:func:`actor_places`)."""
    if territoire is None:
        return corpus.acteurs
    places = actor_places(corpus)
    return corpus.acteurs.loc[[territoire in places.get(a, ()) for a in corpus.acteurs["acteur_id"]]]


def actor_counts(corpus) -> dict[str, int]:
    """:func:`actors_of` counted for every territory at once (for the index)."""
    out: dict[str, int] = {}
    for places in actor_places(corpus).values():
        for t in places:
            out[t] = out.get(t, 0) + 1
    return out


def _levels(corpus) -> dict[str, str]:
    t = corpus.territoires
    return dict(zip(t["territoire_id"], t["niveau"])) if "niveau" in t.columns else {}


def _structures(corpus) -> list[tuple[str, object]]:
    """``(person, structure)``: each person's own structure (``personnes.acteur_id``), then her roles'."""
    p = corpus.personnes
    pairs = list(zip(p["personne_id"], p["acteur_id"]))
    roles = getattr(corpus, "roles", None)
    if roles is not None and len(roles):
        pairs += list(zip(roles["personne_id"], roles["acteur_id"]))
    return pairs


def person_places(corpus) -> dict[str, set[str]]:
    """Each person's territories, rolled up, through her structures (``personnes.acteur_id`` and the
    ``acteur_id`` of her roles, ``roles.csv``): all the places of a local or regional structure; of a
    national, European or international body only the country and what contains it — the people of
    a national body placed in Paris are France's, not Île-de-France's (a person's own territory would
    place her too; the contract v3 has none)."""
    places = actor_places(corpus)
    echelons = dict(zip(corpus.acteurs["acteur_id"], corpus.acteurs["echelon"]))
    levels = _levels(corpus)
    out: dict[str, set[str]] = {pid: set() for pid in corpus.personnes["personne_id"]}
    for pid, aid in _structures(corpus):
        if not isinstance(aid, str) or pid not in out:
            continue
        where = places.get(aid, set())
        if echelons.get(aid) in WIDE_ECHELONS:
            where = {t for t in where if levels.get(t) in WIDE_LEVELS}
        out[pid] |= where
    return out


def seated_people(corpus, territoire: str) -> list[tuple[str, str]]:
    """``(person, structure)`` for the people of a national or wider body seated in ``territoire`` that
    :func:`person_places` leaves to the country (ninth reading: Île-de-France named nobody, while the CNAM
    and Sciences Po, in Paris, have Jean-Louis LAVILLE and Alexane HEREDIA, L64, L85-86). A region's fiche
    names them apart; they are counted in the country's note."""
    places = actor_places(corpus)
    echelons = dict(zip(corpus.acteurs["acteur_id"], corpus.acteurs["echelon"]))
    mine = person_places(corpus)
    out = {}
    for pid, aid in _structures(corpus):
        wide = echelons.get(aid) in WIDE_ECHELONS
        if pid in mine and territoire not in mine[pid] and wide and territoire in places.get(aid, ()):
            out.setdefault(pid, aid)
    return list(out.items())


def people_of(corpus, territoire: str | None) -> pd.DataFrame:
    """The people of ``territoire`` (:func:`person_places`), in ``personnes.csv``'s order."""
    p = corpus.personnes
    if territoire is None:
        return p
    places = person_places(corpus)
    # .loc with a boolean list: an empty list still keeps the columns (p[[]] would select no column)
    return p.loc[[territoire in places.get(pid, ()) for pid in p["personne_id"]]]


def _inside(corpus, territoire: str | None) -> set[str]:
    """The actors of ``territoire`` and its people (:func:`actors_of`, :func:`people_of`)."""
    return set(actors_of(corpus, territoire)["acteur_id"]) | set(people_of(corpus, territoire)["personne_id"])


def territory_ties(corpus, territoire: str | None) -> pd.DataFrame:
    """Every tie with at least one end in ``territoire`` (its actors, or people by their structure)."""
    inside = _inside(corpus, territoire)
    liens = corpus.liens
    return liens[liens["source_id"].isin(inside) | liens["cible_id"].isin(inside)].reset_index(drop=True)


@dataclass(frozen=True)
class TieCount:
    """Ties as a page counts them: those the sources observe or plan (``attestation`` ``constate`` or
    ``prevu``), and those they cite only as possible examples (``envisage``), never added together."""

    known: int = 0
    examples: int = 0


#: Levels of territory that get a note only when data is located there directly (every European place
#: would otherwise drag them in).
NOTED_ONLY_DIRECTLY = ("monde", "europe")


#: The country every corpus is about (the French solidarity economy): always noted; its note and those that
#: contain it say what no note counts (the actors and people whose territory is unknown).
HOME = "fr"


def noted_territories(corpus) -> list[str]:
    """The territories that get a note by default: every territory with an actor or a monograph in it or
    below it, plus ``fr`` always; ``monde`` and ``europe`` only when data is located there directly. The batch
    writes these; a header names those below it (one list, one computation)."""
    located = set(corpus.acteurs["territoire_id"].dropna()) | set(corpus.monographies["territoire"].dropna())
    levels = dict(zip(corpus.territoires["territoire_id"], corpus.territoires["niveau"]))
    out = set(corpus.territories_with_data()) | {HOME}
    return sorted(t for t in out if levels.get(t) not in NOTED_ONLY_DIRECTLY or t in located)


def _examples(ties: pd.DataFrame) -> pd.Series:
    """Whether each tie is only cited as a possible example (an empty attestation reads ``constate``)."""
    if "attestation" not in ties.columns:
        return pd.Series(False, index=ties.index)
    return ties["attestation"].eq(contract.LEADS)


def tie_count(ties: pd.DataFrame) -> TieCount:
    """:class:`TieCount` of ``ties`` (a territory's: :func:`territory_ties`): the header's and the index's."""
    examples = int(_examples(ties).sum())
    return TieCount(known=len(ties) - examples, examples=examples)


def tie_counts(corpus) -> dict[str, TieCount]:
    """:func:`tie_count` of :func:`territory_ties` for every territory at once (for the index)."""
    where = actor_places(corpus)
    where.update(person_places(corpus))
    liens = corpus.liens
    counted: dict[str, list[int]] = {}
    for s, c, example in zip(liens["source_id"], liens["cible_id"], _examples(liens)):
        for t in where.get(s, set()) | where.get(c, set()):
            counted.setdefault(t, [0, 0])[1 if example else 0] += 1
    return {t: TieCount(known, examples) for t, (known, examples) in counted.items()}


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


#: The axes of the note de cadrage that a territory's data can illuminate: the first five. The sixth,
#: « déterminer un programme d'action (sur la base des 5 axes précédents) » (L441), is the
#: research-action's own programme, not something an initiative documents.
ANALYSIS_AXES = (1, 2, 3, 4, 5)


def documented_axes(monographs: pd.DataFrame) -> dict[str, tuple[int, ...]]:
    """The axes of analysis (:data:`ANALYSIS_AXES`, 1–5) each monograph documents, by its identifier:
    by its own text for the axis and by the frame fields that inform it
    (:func:`mesra.analysis.frame.axis_evidence`)."""
    from mesra.analysis.frame import axis_evidence

    ev = axis_evidence(monographs)
    ev = ev[ev["axe"].isin(ANALYSIS_AXES)]
    return {i: tuple(sorted({int(a) for a in ev.loc[ev["id"] == i, "axe"]})) for i in monographs["id"]}


def actions_of(corpus, territoire: str | None, *, date_reference=None) -> pd.DataFrame:
    """The actions of the plans that concern ``territoire`` (:func:`mesra.analysis.plan.actions_for`)."""
    from mesra.analysis.plan import actions_for

    return actions_for(corpus, territoire, date_reference=date_reference)
