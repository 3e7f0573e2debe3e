"""6. Evaluation (Axe 2) and support (Axe 3): what actors do."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from mesra import french
from mesra.analysis.brief.view import TerritoryView, is_generic, present
from mesra.analysis.brief.wording import render
from mesra.analysis.sections import Section
from mesra.corpus import contract
from mesra.corpus.contract import label
from mesra.corpus.privacy import fold_word

#: What actors *do* (Axes 2 and 3): memberships are affiliation, not practices.
PRACTICE_RELATIONS = (
    "developpe",
    "utilise",
    "porte",
    "accompagne",
    "participe_a",
    "partenaire_de",
    "co_organise",
    "finance",
    "plaide_aupres_de",
)
#: The relations whose object a practice line says in brackets: what a developed tool is for.
TOOL_PURPOSE = ("developpe",)
_PRACTICE_AXES = {2: "évaluation de l'utilité sociale", 3: "accompagnement des petites organisations"}


@dataclass(frozen=True)
class PracticesFacts:
    by_axis: tuple[tuple[int, str, int, int], ...]  # (axis, title, facts, roles in the axis's workshop)
    tools: tuple[str, ...]
    sources: tuple[str, ...]
    #: Per axis of :attr:`by_axis`, its first :data:`SHOWN` facts said in words (« le MES Occitanie développe
    #: EVALUMIP »), organisations' first, workshop roles left out (sixteenth reading: « 12 faits documentés » said
    #: nothing an official could use), and how many more.
    examples: tuple[tuple[tuple[str, ...], int], ...] = ()
    #: Per fact of :attr:`examples`, what the template adds after it: the objet the sources give (a tool's purpose, an
    #: accompaniment's object) or "", and the workshop that reported a fact filed under another axis, or ``None``.
    asides: tuple[tuple[tuple[str, int | None], ...], ...] = ()


#: Per axis, at most this many practices are said in words in a region's note (the researchers' table has them all):
#: its printed note must stand alone (seventeenth reading: Occitanie said 3 of its 12 and « et 7 autres »).
SHOWN = 12
#: France's (and wider) says this many, one organisation at a time: it has 85 facts and 20 pages.
WIDE_SHOWN = 3


#: Accompanying is the practice of Axe 3 whatever workshop reported it — when the accompanied is an organisation
#: or an initiative (the ARDES accompanies the micro-initiatives of the TZCLD project, reported in Axe 1, L328-330).
ACCOMPANIMENT = "accompagne"
#: …but not when it is a public body or a territory: the APES's territorial animation for Béthune-Bruay or the CU
#: d'Arras (Axe 1, L322; Axe 4, L898) is cooperation with a council, not the support of small organisations.
NOT_SMALL_ORGANISATIONS = ("collectivite", "etat")
#: A tie whose ``objet`` says it is an accompaniment is one too, whatever its verb and workshop (twenty-ninth reading:
#: Île-de-France's note said « aucune pratique documentée » for Axe 3 above the Réseau des AMAP Île-de-France's part
#: in Devenir paysan « pour l'accompagnement des porteurs de projets agricoles », L910, reported in Axe 4; L782 counts
#: the MIRAMAP's members among those « qui font de l'accompagnement »).
ACCOMPANIMENT_OBJECT = "accompagnement"


def _accompanies_an_organisation(view: TerritoryView, target: str) -> bool:
    return view.types.get(target) not in NOT_SMALL_ORGANISATIONS and not is_generic(view.name_of(target))


def _made_with(relation: str, target: str, view: TerritoryView) -> bool:
    """A part in a tool the sources give as made is said done (thirty-second reading: « l'APES participe à la
    Déclaration politique commune » where L578 says « a récemment participé »; the MES « a participé à l'élaboration
    du Guide des bonnes pratiques », L552)."""
    return relation == "participe_a" and view.types.get(target) == "outil"


def _says_accompaniment(objet: object) -> bool:
    return present(objet) and fold_word(str(objet)).startswith(ACCOMPANIMENT_OBJECT)


def practices(view: TerritoryView) -> pd.DataFrame:
    """What is done in Axes 2 and 3 by the territory's actors and people, or for those of the territory (a tie
    whose target is here: the UFISC's support for intermediate venues in Seine-Saint-Denis, L576), workshop roles
    included. An accompaniment of an organisation or an initiative reported by another workshop counts in Axe 3
    (:data:`ACCOMPANIMENT`, :data:`NOT_SMALL_ORGANISATIONS`). One fact per pair: the same practice reported in
    several sentences, or under two verbs (the APES « développe » and « participe à » the VISES declaration, L542,
    L578), or in both workshops (its partnership with the ChairESS, L524, L793), is one fact, in the first axis and
    with the first verb of :data:`PRACTICE_RELATIONS`, citing every sentence (column ``sources``)."""
    t = view.observed_ties.copy()  # what actors do, not what a plan intends
    inside = view.actor_ids | view.people_ids
    said_so = t["objet"].map(_says_accompaniment).astype(bool) if "objet" in t else False
    elsewhere = (
        ~t["axe"].isin([2, 3]).fillna(False)
        & ((t["relation"] == ACCOMPANIMENT) | said_so)
        & t["cible_id"].map(lambda c: _accompanies_an_organisation(view, c)).astype(bool)
    )
    t["axe_rapporte"] = t["axe"].where(elsewhere)  # the workshop that reported it, when it is not Axe 3's
    t.loc[elsewhere, "axe"] = 3
    here = t["source_id"].isin(inside) | t["cible_id"].isin(inside)
    out = t[t["axe"].isin([2, 3]).fillna(False) & here & t["relation"].isin(PRACTICE_RELATIONS)]
    carries = out["relation"] == "porte"
    carried = set(zip(out.loc[carries, "source_id"], out.loc[carries, "cible_id"]))
    repeat = [  # a workshop's referent is listed once, as its referent
        r == "participe_a" and (s, c) in carried and view.types.get(c) == "chantier"
        for s, c, r in zip(out["source_id"], out["cible_id"], out["relation"])
    ]
    out = out[pd.Series([not x for x in repeat], index=out.index, dtype=bool)].copy()
    return _one_per_pair(out)


def _one_per_pair(out: pd.DataFrame) -> pd.DataFrame:
    """One row per (who, what), the first by axis and :data:`PRACTICE_RELATIONS`, with every sentence in ``sources``."""
    out["_rank"] = out["relation"].map(PRACTICE_RELATIONS.index)
    out = out.sort_values(["axe", "_rank", "source"], kind="stable")
    every = out.groupby(["source_id", "cible_id"], sort=False)["source"].agg(lambda x: tuple(dict.fromkeys(x)))
    out = out.drop_duplicates(["source_id", "cible_id"], keep="first").drop(columns="_rank")
    out["sources"] = [every[(s, c)] for s, c in zip(out["source_id"], out["cible_id"])]
    return out.sort_values(["axe", "source_id", "cible_id", "relation"], kind="stable").reset_index(drop=True)


def verb(view: TerritoryView, source: str, relation: str, target: str, year=None) -> str:
    if view.types.get(target) == "chantier" and view.types.get(source) == contract.PERSON_TYPE:
        return "référent·e de" if relation == "porte" else "participe à"
    if year is not None and pd.notna(year) and relation in french.DATED_WORDS:
        return f"{french.DATED_WORDS[relation][0]} en {int(year)}"
    if _made_with(relation, target, view):
        return french.DATED_WORDS[relation][0]
    return label(relation)


def facts(view: TerritoryView, p: pd.DataFrame) -> PracticesFacts:
    by_axis = []
    for axe, title in _PRACTICE_AXES.items():
        rows = p[p["axe"] == axe]
        by_axis.append((axe, title, len(rows), int(rows["cible_id"].map(view.types).eq("chantier").sum())))
    tools = sorted(
        {
            view.name_of(c)
            for c, r in zip(p["cible_id"], p["relation"])
            if r in ("developpe", "utilise") and view.types.get(c) == "outil"
        }
    )
    sources = tuple(dict.fromkeys(x for row in p["sources"] for x in row)) if "sources" in p else tuple(p["source"])
    examples, asides = [], []
    shown = WIDE_SHOWN if view.wide else SHOWN
    for axe, *_ in by_axis:
        rows = p[(p["axe"] == axe) & ~p["cible_id"].map(view.types).eq("chantier")]
        seen: dict[str, int] = {}
        ranked = []
        none = [None] * len(rows)
        facts_ = zip(
            rows["source_id"],
            rows["relation"],
            rows["cible_id"],
            rows.get("objet", none),
            rows.get("annee", none),
            rows.get("axe_rapporte", none),
        )
        for i, (a, r, b, objet, year, reported) in enumerate(facts_):
            seen[a] = seen.get(a, 0) + 1
            # organisations first, one fact of each before a second of any (Occitanie: not three of KPsens's)
            ranked.append(((view.types.get(a) == contract.PERSON_TYPE, seen[a], i), (a, r, b, objet, year, reported)))
        order = [x for _, x in sorted(ranked)]
        # a tool developed is said done (twenty-first reading: « développe Alterguide » where L542 says « a produit »),
        # with what it is for when the sources say it (EVALUMIP, L550; the Alterguide, L542: twenty-first reading); a
        # dated act in the past (twenty-second reading: « AGROSUP accompagne le PESAD 21 », an accompaniment « tout au
        # long de l'année 2019 », L530)
        # a fact another workshop reported is filed here by the note's reading, and says so (thirtieth reading: the
        # Réseau des AMAP Île-de-France's part in Devenir paysan, reported in Axe 4, L910, read as the proceedings'
        # filing)
        said = tuple(
            french.sentence(
                [view.pair(a)], r, [view.pair(b)], past=True, dated=pd.notna(year) or _made_with(r, b, view)
            )
            for a, r, b, objet, year, reported in order[:shown]
        )
        examples.append((said, max(0, len(order) - shown)))
        asides.append(
            tuple(
                (
                    # what the sources say of it, unless the name says it already (« Rencontres … pour l'échange
                    # de bonnes pratiques », L566)
                    objet if present(objet) and objet.casefold() not in view.name_of(b).casefold() else "",
                    int(reported) if pd.notna(reported) else None,
                )
                for a, r, b, objet, year, reported in order[:shown]
            )
        )
    return PracticesFacts(
        tuple(by_axis) if len(p) else (),
        tuple(tools),
        sources,
        tuple(examples) if len(p) else (),
        tuple(asides) if len(p) else (),
    )


def section(view: TerritoryView, p: pd.DataFrame) -> Section:
    f = facts(view, p)
    s = Section("6. Évaluation (Axe 2) et accompagnement (Axe 3)")
    s.paragraphs = render("practices", f=f).paragraphs
    _campaigns(view, s)
    if not len(p):
        return s
    s.add_table(
        "Pratiques, une ligne par fait rapporté",
        pd.DataFrame(
            {
                "Axe": [int(a) for a in p["axe"]],
                "Qui": [view.name_of(x) for x in p["source_id"]],
                # a dated act in the past, as the sentences above say it (twenty-third reading: « ont accompagné … en
                # 2019 » in the text, « accompagne » in the table)
                "Fait": [
                    verb(view, s, r, c, year)
                    for s, r, c, year in zip(
                        p["source_id"], p["relation"], p["cible_id"], p.get("annee", pd.Series([None] * len(p)))
                    )
                ],
                "Quoi ou avec qui": [view.name_of(x) for x in p["cible_id"]],
            }
        ),
    )
    s.cite(*f.sources)
    return s


def _campaigns(view: TerritoryView, s: Section) -> None:
    """The co-evaluation campaigns of a structure of this territory, with links to their pages (issue 26)."""
    from mesra.analysis.coevaluation import campaign_links

    sentence, links = campaign_links(view.corpus, view.territoire)
    if sentence:
        s.paragraphs.append(sentence)
        s.links.extend(links)
