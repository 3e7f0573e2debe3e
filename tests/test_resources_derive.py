"""The resource centre's data: every resource derived from the default corpus matches the corpus (issue 25)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import mesra
from mesra.analysis.brief.sources import excerpt
from mesra.analysis.resources.derive import derive, derived
from mesra.analysis.resources.model import KINDS, Citation, Item, Resource, Section
from mesra.corpus import contract
from mesra.corpus.validate import line_ranges

CORPUS = mesra.load_corpus()
RESOURCES = derive(CORPUS)
BY_ID = {r.ressource_id: r for r in RESOURCES}
ACTORS = CORPUS.acteurs.set_index("acteur_id")
TIES = CORPUS.liens
ID = re.compile(r"^(outil|initiative|portrait|veille)-[a-z0-9]+(?:-[a-z0-9]+)*$")


def _ties_to(target: str, relations) -> set[str]:
    t = TIES[(TIES["cible_id"] == target) & TIES["relation"].isin(relations)]
    return set(t["source_id"])


# --- the whole set ----------------------------------------------------------------------
def test_sorted_unique_deterministic():
    ids = [r.ressource_id for r in RESOURCES]
    assert ids == sorted(ids) and len(ids) == len(set(ids))
    assert derive(CORPUS) == RESOURCES  # the same corpus gives the same resources


def test_every_kind_is_derived():
    kinds = {r.kind for r in RESOURCES}
    assert kinds == set(KINDS)


def test_every_organisation_has_a_portrait():
    organisations = ACTORS[~ACTORS["type"].isin(contract.CONTEXT_TYPES)].index
    assert len(organisations) > 50
    for aid in organisations:
        r = BY_ID.get(f"portrait-{aid}")
        assert r is not None, aid
        assert r.title == ACTORS.loc[aid, "nom"]


def test_no_portrait_for_a_context():
    """Tools, events, workshops, projects and platforms are not portrayed as organisations."""
    contexts = set(ACTORS[ACTORS["type"].isin(contract.CONTEXT_TYPES)].index)
    portrayed = {r.extra["acteur_id"] for r in RESOURCES if r.kind == "portrait"}
    assert not portrayed & contexts


def test_every_tool_and_platform_is_a_resource():
    tools = ACTORS[ACTORS["type"].isin(["outil", "plateforme"])].index
    for aid in tools:
        assert f"outil-{aid}" in BY_ID or f"veille-{aid}" in BY_ID, aid


def test_every_monograph_is_an_initiative():
    for mid, titre in zip(CORPUS.monographies["id"], CORPUS.monographies["titre"]):
        r = BY_ID[f"initiative-{mid}"]
        assert r.title == titre and r.extra["monographie"] == mid
        assert [s.title for s in r.sections][0] == "Le cadre commun"


def test_watch_activities():
    """The corpus has no mark for a watch activity: those whose name says it (L504, L510, L506, L1034)."""
    watch = {r.extra["acteur_id"] for r in RESOURCES if r.kind == "veille"}
    assert {"articles-veille-opale", "veille-labellisation-kpsens"} <= watch
    assert BY_ID["veille-veille-labellisation-kpsens"].extra["porteurs"] == ("kpsens",)
    assert BY_ID["veille-articles-veille-opale"].extra["porteurs"] == ("opale",)
    assert "outil-articles-veille-opale" not in BY_ID  # one resource per thing


# --- the tools the proceedings name (L540-550, L524, L762) --------------------------------------
NAMED_TOOLS = {
    # tool: (developers, users) as the proceedings state them
    "evalumip": ({"mes-occitanie"}, {"mes-occitanie"}),  # L550, L564
    "ess-perluette": ({"opale"}, set()),  # L540, L764
    "alterguide": ({"apes", "corus-ess"}, set()),  # L524, L542
    "grille-ardes": ({"ardes"}, set()),  # L544
    "generateur-bfc": ({"pesad21"}, {"pesad21"}),  # Le Générateur: carried L308-310, used L762, L796
    "spg-amap": ({"miramap"}, set()),  # L538
    "guide-evaluation-impact-social": ({"avise", "essec", "mouves"}, set()),  # L602
    "dla": ({"opale"}, {"pesad21"}),  # L504, L762
}


@pytest.mark.parametrize("tool", sorted(NAMED_TOOLS))
def test_named_tool_has_its_developers_and_users(tool):
    r = BY_ID[f"outil-{tool}"]
    developers, users = NAMED_TOOLS[tool]
    assert set(r.extra["developpeurs"]) == developers == _ties_to(tool, ("developpe", "porte"))
    assert set(r.extra["utilisateurs"]) == users == _ties_to(tool, ("utilise",))
    titles = [s.title for s in r.sections]
    assert "Qui l'a développé" in titles
    assert ("Qui l'utilise" in titles) == bool(users)
    assert r.extra["notice"] is None and r.extra["etapes"] is None  # not in the corpus: unknown
    assert set(r.acteurs) >= developers | users


def test_evaluation_tools_carry_axis_2():
    for tool in ("evalumip", "ess-perluette", "grille-ardes", "alterguide"):
        assert "2" in BY_ID[f"outil-{tool}"].axes


def test_tool_status_from_its_ties():
    assert BY_ID["outil-evalumip"].status == "en usage"  # used, L564
    # set up for the chantiers (« ont été mis en place », L259), the page the Axe 2 plan completes (L634): not a
    # project; its use by the Axe 3 group is only planned (L776), nothing says it is in use
    assert BY_ID["outil-wiki-mes"].status is None
    assert BY_ID["outil-grille-ardes"].status is None  # developed; nothing says it is in use


# --- every resource matches the corpus -------------------------------------------------------------
def _check_citation(c: Citation):
    sid, _, where = c.locator.partition("#")
    assert sid in set(CORPUS.sources["source_id"]), c.locator
    text = CORPUS.source_texts[sid]
    n = len(text.splitlines())
    ranges = line_ranges(where)
    assert ranges, c.locator
    assert all(1 <= a <= b <= n for a, b in ranges), c.locator
    assert c.text == excerpt(text, where, 300)
    assert c.text  # every locator of the default corpus points at text


def _items(r: Resource):
    for s in r.sections:
        yield from s.items


@pytest.mark.parametrize("rid", sorted(BY_ID))
def test_resource_matches_the_corpus(rid):
    r = BY_ID[rid]
    assert ID.match(rid) and rid.startswith(f"{r.kind}-")
    assert r.kind in KINDS and r.derived
    assert r.title
    known_actors = set(ACTORS.index)
    assert set(r.acteurs) <= known_actors
    assert set(r.territoires) <= set(CORPUS.territoires["territoire_id"])
    assert r.echelon is None or r.echelon in contract.ECHELONS
    assert set(r.axes) <= {"1", "2", "3", "4"}
    assert r.author is None and r.licence is None  # the corpus does not say them
    assert r.citations, "a resource without a source"
    for c in r.citations:
        _check_citation(c)
    for item in _items(r):
        assert item.text.strip()
        assert item.acteur_id is None or item.acteur_id in known_actors
        assert item.how is None or item.how in contract.ATTESTATIONS
        assert item.citations, (rid, item.text)
        for c in item.citations:
            _check_citation(c)
        if item.how is not None:  # a tie: it exists in liens.csv, at that locator, attested so
            locs = {c.locator for c in item.citations}
            rows = TIES[TIES["source"].isin(locs) & (TIES["attestation"] == item.how)]
            assert len(rows), (rid, item.text)
            if item.acteur_id is not None:
                assert ((rows["source_id"] == item.acteur_id) | (rows["cible_id"] == item.acteur_id)).any()
    own = r.extra.get("acteur_id")
    if own is not None:
        assert own in known_actors and own in r.acteurs
        assert r.extra.get("monographie") or r.title == ACTORS.loc[own, "nom"]
        territory = ACTORS.loc[own, "territoire_id"]
        assert territory is None or territory in r.territoires or r.kind == "initiative"


@pytest.mark.parametrize("rid", sorted(k for k, r in BY_ID.items() if r.kind == "portrait"))
def test_portrait_facts(rid):
    r = BY_ID[rid]
    aid = r.extra["acteur_id"]
    titles = [s.title for s in r.sections]
    assert titles[0] == "Ce qu'il est"
    row = ACTORS.loc[aid]
    assert r.echelon == row["echelon"]
    # its own territory first, then where a brief places it below (Terres de Convergence's event: the Gard, L348)
    assert r.territoires[: 1 if row["territoire_id"] else 0] == (
        (row["territoire_id"],) if row["territoire_id"] else ()
    )
    assert r.territoires[1:] == (("gard",) if aid == "terres-de-convergence" else ())
    out = TIES[TIES["source_id"] == aid]
    for rel in set(out["relation"]):  # each kind of tie it has gets its section, with every target
        section = next(s for s in r.sections if s.title == f"Ses liens : {contract.label(rel)}")
        targets = set(out.loc[out["relation"] == rel, "cible_id"]) & set(ACTORS.index)
        assert {i.acteur_id for i in section.items} >= targets
    people = set(CORPUS.personnes.loc[CORPUS.personnes["acteur_id"] == aid, "personne_id"])
    people |= set(CORPUS.roles.loc[CORPUS.roles["acteur_id"] == aid, "personne_id"])
    assert ("Ses personnes et leurs rôles" in titles) == bool(people)
    carried = [a for a, p in zip(CORPUS.actions["action_id"], CORPUS.actions["porteurs"]) if aid in p]
    assert ("Les actions qu'il porte" in titles) == bool(carried)


def test_portrait_people_and_advocacy():
    r = BY_ID["portrait-ardes"]
    sections = {s.title: s for s in r.sections}
    names = " ".join(i.text for i in sections["Ses personnes et leurs rôles"].items)
    assert "Jean-Baptiste CAZIN" in names  # personnes.csv
    plea = sections["Son plaidoyer"].items
    assert any(i.acteur_id == "collectivites-territoriales" and i.how == "constate" for i in plea)  # L580


def test_a_tie_reported_twice_is_one_item_with_two_sources():
    section = next(s for s in BY_ID["outil-ess-perluette"].sections if s.title == "Qui l'a développé")
    (item,) = section.items
    assert item.acteur_id == "opale"
    assert {c.locator for c in item.citations} == {"actes-coconstruire-2019#L540", "actes-coconstruire-2019#L764"}


def test_planned_ties_say_so():
    items = [i for s in BY_ID["portrait-ardes"].sections for i in s.items if i.acteur_id == "chantier-axe-3"]
    joins = [i for i in items if " participe au " in i.text]
    assert joins and {i.how for i in joins} == {"prevu"}  # the Axe 3 circle 1, L781
    # its co-animation of the chantier is a fact (L257, L696)
    assert {i.how for i in items if " co-organise " in i.text} == {"constate"}


# --- notebook API -------------------------------------------------------------------------------------
def test_ressources_dataframe():
    df = mesra.ressources(CORPUS)
    assert "ressources" in dir(mesra)
    assert len(df) == len(RESOURCES) and list(df["ressource_id"]) == sorted(BY_ID)
    for col in ("territoires", "themes", "axes", "acteurs", "source"):
        assert all(isinstance(v, tuple) for v in df[col]), col
    assert all(isinstance(v, Resource) for v in df["ressource"])
    tools = mesra.ressources(CORPUS, type="outil")
    assert set(tools["type"]) == {"outil"} and len(tools) == sum(r.kind == "outil" for r in RESOURCES)


def test_resource_html_is_escaped_and_french():
    r = Resource(
        "outil-exemple",
        "outil",
        "Outil <script>alert(1)</script> (exemple synthétique)",
        sections=(Section("Qui l'utilise", (Item("A & B", how="prevu", citations=(Citation("doc#L1", "« x »"),)),)),),
    )
    page = r._repr_html_()
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "A &amp; B" in page and "prévu" in page
    assert "Résumé" in page and "non renseigné" in page and "Licence" in page
    assert BY_ID["outil-evalumip"]._repr_html_().count("actes-coconstruire-2019#L550") >= 1


def test_derived_alone_without_hand_table():
    assert derived(CORPUS) == RESOURCES  # the default corpus has no ressources.csv


def test_mini_corpus(mini_dir):
    corpus = mesra.load_corpus(mini_dir)
    resources = derive(corpus)
    assert resources and all(ID.match(r.ressource_id) for r in resources)
    organisations = corpus.acteurs[~corpus.acteurs["type"].isin(contract.CONTEXT_TYPES)]["acteur_id"]
    assert {f"portrait-{a}" for a in organisations} <= {r.ressource_id for r in resources}
    assert isinstance(mesra.ressources(corpus), pd.DataFrame)


def test_pseudonymised_resources_name_nobody():
    """Derived from a pseudonymised corpus, no resource text holds a person's real name (people, quotes)."""
    resources = derive(mesra.pseudonymise(CORPUS))
    assert len(resources) == len(RESOURCES)
    texts = []
    for r in resources:
        texts += [r.title, r.summary or ""] + [c.text or "" for c in r.citations]
        for s in r.sections:
            texts += (
                [s.markdown or ""] + [i.text for i in s.items] + [c.text or "" for i in s.items for c in i.citations]
            )
    blob = "\n".join(texts)
    surnames = {str(n) for n in CORPUS.personnes["nom"] if len(str(n)) >= 4}
    assert surnames and not [n for n in surnames if n in blob]


def test_readme_counts_match():
    """data/README.md says how many resources of each kind the default corpus gives."""
    text = re.sub(r"\s+", " ", (CORPUS.path / "README.md").read_text(encoding="utf-8"))
    m = re.search(r"en donne (\d+) outils, (\d+) initiatives, (\d+) portraits et (\d+) veilles", text)
    assert m, "data/README.md: counts of the resource centre"
    counts = {k: sum(r.kind == k for r in RESOURCES) for k in ("outil", "initiative", "portrait", "veille")}
    assert tuple(int(x) for x in m.groups()) == tuple(counts.values())


def test_about_links_actors_to_their_resources():
    from mesra.analysis.resources.derive import about

    links = about(RESOURCES)
    assert links["evalumip"] == ("outil-evalumip",)
    assert links["generateur-bfc"] == ("initiative-generateur-bfc", "outil-generateur-bfc")  # L310, L762
    assert links["ardes"] == ("portrait-ardes",)
    for aid, rids in links.items():
        assert aid in ACTORS.index and all(BY_ID[r].extra["acteur_id"] == aid for r in rids)
    organisations = set(ACTORS[~ACTORS["type"].isin(contract.CONTEXT_TYPES)].index)
    assert organisations <= set(links)


def test_the_brief_links_catalogue_names_resources_as_derive_does():
    """Every brief links to the resource centre through :func:`catalogue`, cheap; it must agree with derive."""
    from mesra.analysis.resources.derive import catalogue, derive

    corpus = mesra.load_corpus()
    light, full = catalogue(corpus), derive(corpus)
    assert [(r.ressource_id, r.kind, r.title) for r in light] == [(r.ressource_id, r.kind, r.title) for r in full]
    keys = ("acteur_id", "monographie")
    assert [{k: r.extra.get(k) for k in keys} for r in light] == [{k: r.extra.get(k) for k in keys} for r in full]


def test_a_portrait_says_membership_only_when_the_corpus_records_it():
    """Eleventh reading: « Membre du Mouvement pour l'Économie Solidaire : non » on PoleS, the CRESS Bretagne and the
    MES itself, which the proceedings never state; the 13 members they list (L37-101) say « oui »."""

    def said(rid: str) -> list[str]:
        return [i.text for s in BY_ID[rid].sections for i in s.items if "Membre du Mouvement" in (i.text or "")]

    assert said("portrait-ardes") == ["Membre du Mouvement pour l'Économie Solidaire : oui"]
    assert said("portrait-poles") == [] and said("portrait-mes") == [] and said("portrait-cress-bretagne") == []
    members = ACTORS[ACTORS["membre_mes"].astype(str).str.lower() == "true"].index
    assert len(members) == 13 and all(said(f"portrait-{a}") for a in members if f"portrait-{a}" in BY_ID)


def test_a_project_a_monograph_describes_has_one_page_only():
    # twelfth reading: « L'ARDES et l'expérimentation TZCLD » (the monograph) and the TZCLD project (L326-330) had two
    # initiative pages, one saying Axe 1 and the other the research axes
    ids = {r.ressource_id for r in RESOURCES}
    assert "initiative-tzcld-ardes" in ids and "initiative-tzcld-normandie" not in ids
    (page,) = [r for r in RESOURCES if r.ressource_id == "initiative-tzcld-ardes"]
    assert page.extra["acteur_id"] == "tzcld-normandie" and tuple(map(int, page.axes)) == (1,)  # its chantier
    from mesra.analysis.resources.derive import about

    assert "initiative-tzcld-ardes" in about(RESOURCES)["tzcld-normandie"]
