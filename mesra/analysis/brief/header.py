"""Title and what the brief rests on."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from mesra.analysis.brief.view import TerritoryView, present
from mesra.analysis.brief.wording import render
from mesra.analysis.counts import (
    HOME,
    TieCount,
    actor_places,
    is_member,
    monograph_states,
    noted_territories,
    person_places,
    tie_count,
)
from mesra.analysis.sections import Section
from mesra.corpus.contract import is_generic, label


@dataclass(frozen=True)
class HeaderFacts:
    territoire: str
    name: str
    level: str
    parents: tuple[str, ...]
    below: tuple[str, ...]
    #: the same, grouped: each sub-territory right below the territory with those below it (« Hauts-de-France »
    #: with « Pas-de-Calais », …; twenty-seventh reading: France's « et 12 autres » were never listed)
    below_groups: tuple[tuple[str, tuple[str, ...]], ...]
    actors: int
    people: int
    ties: TieCount  # every tie with one end in the territory, observed/planned and examples apart (counts.tie_count)
    monographs: int
    monograph_states: tuple[tuple[str, int], ...]  # mesra.analysis.counts.monograph_states
    pseudonymised: bool
    organisations: int | None = None  # of the actors, those that are organisations (not contexts); None: not said
    unnamed: int = 0  # of the actors, those that stand for unnamed groups (contract.is_generic)
    #: In a country's note and wider: the actors and people the corpus cites without saying where they are,
    #: counted in no note (ninth reading: France's ALICE COOP, BABALEX, Mathieu ROUYER), and of those actors
    #: the members of the movement, named.
    #: The parent said in brackets (« département (Hauts-de-France) ») rather than after « de ».
    bracketed: bool = False
    unplaced_actors: int = 0
    unplaced_people: int = 0
    unplaced_members: tuple[str, ...] = ()
    #: The texts whose lines the note cites: ``(title, author, year)`` each (seventeenth and eighteenth readings: the
    #: note never named the proceedings, so « ligne 459 » pointed to nothing the reader held).
    texts: tuple[tuple[str, str | None, int | None], ...] = ()
    #: Of those texts' authors, the actors of the corpus: a text written by one of the actors it describes is that
    #: actor's own account (twenty-first reading: the proceedings are « rédigées … par le Mouvement », L1060).
    own_report: tuple[tuple[str, str | None], ...] = ()  # (name, article) each


#: The levels whose name is their label, said otherwise (ninth reading: « Europe : europe de Monde. »).
LEVEL_SAID = {"monde": "tout le corpus", "europe": "continent"}


#: Levels whose names read well after « de » with no article (« d'Europe »); of the countries, France only.
BARE_PARENTS = ("europe",)


def _lower(level: str) -> str:
    """« région », but « EPCI » kept as an acronym."""
    return level if level.isupper() else level.lower()


def _level_of(corpus, territoire) -> str | None:
    t = corpus.territoires
    found = t.loc[t["territoire_id"] == territoire, "niveau"]
    return found.iloc[0] if len(found) else None


def facts(view: TerritoryView) -> HeaderFacts:
    c = view.corpus
    terr = c.territoires.set_index("territoire_id").loc[view.territoire]
    below = tuple(c.territory_name(t) for t in noted_below(view))
    below_groups = tuple(
        (c.territory_name(top), tuple(c.territory_name(t) for t in inside))
        for top, inside in grouped_below(view).items()
    )
    return HeaderFacts(
        territoire=view.territoire,
        name=view.name,
        level=LEVEL_SAID.get(terr["niveau"]) or _lower(label(terr["niveau"])),
        parents=()
        if terr["niveau"] in LEVEL_SAID
        else tuple(
            c.territory_name(t) for t in c.territory_ancestors(view.territoire) if _level_of(c, t) != "monde"
        ),  # « Canada : pays », never « pays de Monde »
        below=below,
        below_groups=below_groups,
        actors=len(view.actors),
        people=len(view.people),
        ties=tie_count(view.ties),
        monographs=len(view.monographs),
        monograph_states=monograph_states(view.monographs),
        pseudonymised=bool(c.pseudonymised),
        # « région de France », « pays d'Europe »; below a region, the parent in brackets: a département's or a
        # region's name takes an article that the corpus does not give (« du Pas-de-Calais », « des Hauts-de-France »)
        bracketed=(parent := next(iter(c.territory_ancestors(view.territoire)), None)) != HOME
        and _level_of(c, parent) not in BARE_PARENTS,
        # the unnamed groups (« Adhérents (non nommés) ») are not organisations of the network: counted apart
        # (ninth reading: « 61 organisations » in the header, 32 + 23 in the network section)
        organisations=len(view.organisations) - (unnamed := sum(map(is_generic, view.organisations["nom"]))),
        unnamed=unnamed,
        texts=(texts := _texts(c)),
        own_report=_own_report(c, texts),
        **(_unplaced(view) if view.territoire in (HOME, *c.territory_ancestors(HOME)) else {}),
    )


def _without_subtitle(title: str) -> str:
    """A title without its subtitle, its closing brackets kept: « Les actes du séminaire CoConstruire l'Économie
    Solidaire ! (Bergerie de Villarceaux, 2 au 4 décembre 2019) » (France's fiche holds on two pages).

    >>> _without_subtitle("Les actes ! Vers une transition (Villarceaux, 2019)")
    'Les actes ! (Villarceaux, 2019)'
    >>> _without_subtitle("Guide : une méthode")
    'Guide'
    >>> _without_subtitle("Un titre (2019)")
    'Un titre (2019)'
    """
    m = re.match(r"^(?P<head>.+?(?P<mark>\s!|\s\?|:))\s+[^()]+?(?P<tail>\s*\([^()]*\))?$", title)
    if not m:
        return title
    head = m["head"][:-1].rstrip() if m["mark"] == ":" else m["head"]
    return head + (m["tail"] or "")


def _texts(corpus) -> tuple[tuple[str, str | None, int | None], ...]:
    """The corpus's sources that are texts (a ``fichier``): those whose lines the notes cite."""
    s = corpus.sources
    if "fichier" not in s.columns:
        return ()
    out = []
    for titre, auteur, annee, fichier in zip(s["titre"], s.get("auteur", [None] * len(s)), s["annee"], s["fichier"]):
        if present(fichier):
            year = int(annee) if annee is not None and not pd.isna(annee) else None
            out.append((_without_subtitle(str(titre)), str(auteur) if present(auteur) else None, year))
    return tuple(out)


def _own_report(corpus, texts) -> tuple[tuple[str, str | None], ...]:
    """The authors of ``texts`` that are actors of the corpus (by name, with their article), each once, in order."""
    a = corpus.acteurs
    articles = dict(zip(a["nom"].astype(str), a["article"] if "article" in a else [None] * len(a)))
    return tuple(
        (name, articles[name] if present(articles[name]) else None)
        for name in dict.fromkeys(author for _, author, _ in texts)
        if name in articles
    )


def _unplaced(view: TerritoryView) -> dict:
    c = view.corpus
    places = actor_places(c)
    a = c.acteurs[[not places.get(i) for i in c.acteurs["acteur_id"]]]
    members = a.loc[is_member(a), "acteur_id"]
    return {
        "unplaced_actors": len(a),
        "unplaced_people": sum(1 for where in person_places(c).values() if not where),
        "unplaced_members": tuple(sorted((view.name_of(i) for i in members), key=str.casefold)),
    }


def noted_below(view: TerritoryView) -> tuple[str, ...]:
    """The sub-territories that have a note of their own (those the batch writes by default:
    :func:`mesra.batch.plan.default_territories`), in the territory's order: the header names these."""
    c = view.corpus
    noted = set(noted_territories(c))
    return tuple(t for t in c.territory_ids(view.territoire)[1:] if t in noted)


def grouped_below(view: TerritoryView) -> dict[str, tuple[str, ...]]:
    """:func:`noted_below` grouped under the highest of them: each key is a noted sub-territory that no other noted
    sub-territory contains, with the noted ones it contains, in the territory's order."""
    noted = noted_below(view)
    inside = set(noted)
    groups: dict[str, list[str]] = {}
    for t in noted:
        above = [a for a in view.corpus.territory_ancestors(t) if a in inside]
        groups.setdefault(above[-1] if above else t, [])
        if above:
            groups[above[-1]].append(t)
    return {top: tuple(groups[top]) for top in sorted(groups, key=noted.index)}


def section(view: TerritoryView) -> Section:
    f = facts(view)
    s = Section(f"Note de recherche-action — {f.name}", level=1)
    s.paragraphs = render("header", f=f).paragraphs
    return s
