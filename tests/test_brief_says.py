"""How the briefs and the resource centre *say* things (issue 21, second cold read).

Each test names the proceedings' line it rests on (``data/sources/actes-coconstruire-2019.txt``).
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest

from mesra import load_corpus
from mesra.analysis import plan
from mesra.analysis.brief import Brief
from mesra.analysis.brief.fiche import ADVOCACY_MAX
from mesra.corpus import contract

ROOT = Path(__file__).resolve().parents[1]
#: The needs of the proceedings: means to find, with no step nor date (L458, L840-844, L999-1001, L1054).
NEEDS = (
    "axe1-moyens-coordination",
    "axe3-ressource-nationale",
    "axe4-poste-communication",
    "axe4-evenements-amont-fsmet",  # L970: the strategy says the mobilisation « nécessite » them, with a « ? »
    "conclusion-equipe-permanents",
    "conclusion-projet-global",  # L1050: « il faut encadrer les chantiers… » (twentieth reading)
    "table-ronde-soutien-public",  # L221: « le MES a besoin d'être soutenu par les pouvoirs publics » (21st reading)
)
POSTE = "axe4-poste-communication"  # L1001


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


@pytest.fixture(scope="module")
def briefs(corpus):
    return {t: Brief(corpus, t) for t in ("fr", "occitanie", "hauts-de-france", "gard")}


def _fiche_part(brief: Brief, start: str):
    return next(p for p in brief.fiche().parts if p.title.startswith(start))


# --- 2. a need the workshop expressed is not a planned action ----------------------------------------
def test_the_needs_of_the_proceedings_are_needs(corpus):
    a = corpus.actions.set_index("action_id")
    assert {a.loc[i, "statut"] for i in NEEDS} == {contract.NEED}
    assert contract.label(contract.NEED) == "Besoin exprimé"


def test_a_need_is_never_overdue_nor_due_nor_counted_as_planned(tmp_path):
    """Synthetic: the need of L1001 dated like the calendar above it (L999, « Août 2020 - Décembre 2022 ») and a
    follow-up log of 2024: the planned actions of that period are overdue; the need is not."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    rows = (data / "actions.csv").read_text("utf-8").splitlines()
    rows = [r.replace(",,,,,,besoin,", ",,,2020-08,2022-12,,besoin,") if r.startswith(POSTE) else r for r in rows]
    (data / "actions.csv").write_text("\n".join(rows) + "\n", "utf-8")
    (data / "suivi.csv").write_text(
        "action_id,date,statut,note,source\naxe4-campagne-transformadora,2024-01-10,en_cours,,\n", "utf-8"
    )
    corpus = load_corpus(data)
    facts = plan.territory_plan(corpus, "fr")
    assert facts.reference.suivi and facts.en_retard  # the log makes the planned actions of 2020 overdue
    needs = [a for a in facts.actions if a.action_id in NEEDS]
    assert next(a for a in needs if a.action_id == POSTE).fin == "2022-12"
    assert len(needs) == len(NEEDS) and all(a.besoin and not a.ouverte for a in needs)
    assert all(a.en_retard is None and not a.a_echeance for a in needs)
    assert {a.action_id for a in facts.planned}.isdisjoint(NEEDS)
    counts = facts.by_status()
    assert counts[contract.NEED] == len(NEEDS) and sum(counts.values()) == len(facts.actions)
    assert counts.get("prevu", 0) + counts.get("en_cours", 0) == len(facts.planned)  # a need is not planned
    assert not {a.action_id for a in facts.au_chantier + facts.sans_porteur} & set(NEEDS)
    assert not set(plan.past_due(corpus, "fr")["action_id"]) & set(NEEDS)


def test_a_need_is_said_as_one(corpus, briefs):
    part = _fiche_part(briefs["occitanie"], "Chantier de l'Axe 4")
    # L858-1001: 12 items, 2 needs (L970, L1001); the plan is the chantier's, not the person's named before it
    assert "le plan du chantier compte 10 actions et 2 besoins exprimés" in part.paragraphs[0]
    assert "son plan" not in part.paragraphs[0]
    line = next(b for b in part.bullets if "poste de" in b)
    assert line.endswith(": besoin exprimé, sans date.") and "prévue" not in line
    text = str(plan.plan_section(corpus, "fr"))
    assert "le plan d'action compte 42 actions et 7 besoins exprimés : 42 prévues." in text


# --- 4. the seminar's funding is not advocacy --------------------------------------------------------
def test_the_seminars_funding_is_not_under_advocacy(briefs):
    funded = "a reçu le soutien financier de la Fondation pour le Progrès de l'Homme"  # L160
    for t in ("fr", "hauts-de-france"):
        adv = _fiche_part(briefs[t], "Plaidoyer, sensibilisation et partenariats")
        assert funded not in str(adv), t
    # said where the APES's region reads it; France's fiche leaves it out to hold on two printed pages
    assert funded in str(_fiche_part(briefs["hauts-de-france"], "Les actions du plan qui concernent"))


# --- 5. « et 1 autre engagement » hides one item in the space it takes to name it -------------------------
def test_a_single_hidden_item_is_named(briefs):
    occ = briefs["occitanie"]
    f = occ.fiche()
    adv = _fiche_part(occ, "Plaidoyer, sensibilisation et partenariats")
    assert not any("1 autre engagement" in b or "1 autre personne" in b for p in f.parts for b in p.bullets)
    assert any("Forum Régional de l'Économie Sociale et Solidaire en Occitanie" in b for b in adv.bullets)  # L916
    assert len(adv.bullets) == ADVOCACY_MAX + 1


# --- 7. plain words for the network measure -----------------------------------------------------------------
def test_no_brief_says_who_holds_the_network(briefs):
    for t, b in briefs.items():
        text = " ".join(str(s) for s in (b.fiche(), b.key_findings(), b.network_section()))
        assert "tient le réseau" not in text, t
    fr = briefs["fr"].key_findings().bullets[0]
    assert re.match(
        r"Dans le réseau de coopération, c'est par le .+ que passent le plus de chemins entre organisations", fr
    )


# --- 1. what the proceedings say is being made is not shown as available ------------------------------------
IN_THE_MAKING = {  # resource → the line that says « élabore (actuellement) »
    "initiative-recherche-action-droits-humains": 520,
    "outil-auto-diagnostic-droits-culturels": 558,
    "outil-kit-municipales-amap": 896,
}


@pytest.fixture(scope="module")
def resources(corpus):
    from mesra.analysis.resources.derive import derive

    return {r.ressource_id: r for r in derive(corpus)}


def test_what_is_being_made_is_said_so(corpus, resources):
    text = (ROOT / "data" / "sources" / "actes-coconstruire-2019.txt").read_text("utf-8").splitlines()
    for rid, n in IN_THE_MAKING.items():
        assert "élabore" in text[n - 1], rid
        r = resources[rid]
        assert r.status == "en cours d'élaboration", rid
        assert r.extra["statut_sources"] == (f"actes-coconstruire-2019#L{n}",), rid


def test_a_thing_that_only_plans_attest_is_never_available(corpus, resources):
    """Whatever no observed tie attests is « en projet » or « en cours d'élaboration », never without a status."""
    from mesra.analysis.resources.model import NOT_YET, PLANNED_USE

    assert resources["outil-exemole"].status == PLANNED_USE  # an existing platform the plan means to use (L977)
    ties = corpus.liens
    for r in resources.values():
        aid = r.extra.get("acteur_id")
        if r.kind not in ("outil", "initiative") or not aid or r.extra.get("monographie"):
            continue
        mine = ties[(ties["source_id"] == aid) | (ties["cible_id"] == aid)]
        if len(mine) and (mine["attestation"] != contract.OBSERVED).all():
            uses = mine["relation"].isin(contract.USE_RELATIONS).all()
            assert r.status == PLANNED_USE if uses else r.status in NOT_YET, (r.ressource_id, r.status)
        elif r.status in NOT_YET:
            raise AssertionError((r.ressource_id, "observed, yet said not available"))


def test_the_brief_annex_and_the_centre_say_what_is_being_made(briefs, resources):
    links = briefs["fr"].resources()
    said = str(links)
    assert "Charte et outil d'auto-diagnostic sur les droits culturels (UFISC) (en cours d'élaboration, p. 20)" in said
    assert "(élections municipales 2020) (en cours d'élaboration, p. 29)" in said
    assert "Recherche-action autour des droits humains (Opale, UFISC) (en cours d'élaboration, p. 19)" in said
    assert "(en cours d'élaboration, p. 20)" in html.unescape(links._repr_html_())
    assert ", EVALUMIP, " in said  # in use (L564): no status said


# --- 3. the co-animation is cited where the proceedings state it ---------------------------------------------
def test_the_coanimation_cites_the_sentence_that_states_it(briefs):
    """« Chaque chantier, co-animé par la coordination nationale et des référents désignés » is L257, not L140."""
    part = _fiche_part(briefs["fr"], "Les chantiers et leur co-animation")
    assert len(part.bullets) == 4
    for b in part.bullets:  # the lines are in the part's notes, not after each sentence
        assert not re.search(r"\blignes? \d", b), b
    assert "actes-coconstruire-2019#L257" in part.sources and "actes-coconstruire-2019#L140" not in part.sources
    assert "co-animé par la coordination nationale" in part.quotes["actes-coconstruire-2019#L257"][1]


def test_france_fiche_says_what_each_chantier_is_to_produce(briefs):
    """Sixteenth reading: France's fiche counted each chantier's actions and never said what they would deliver
    (L456-459, L643-679, L830-838, L974-983); the dated actions are in the coordination's own list below."""
    lines = dict(zip((1, 2, 3, 4), _fiche_part(briefs["fr"], "Les chantiers et leur co-animation").bullets))
    assert lines[1].endswith("; à produire : monographies et/ou récits de territoire.")
    assert "; à produire : premier document de plaidoyer commun, outils de plaidoyer commun, plateforme" in lines[2]
    assert lines[2].endswith("et 5 autres.")
    # thirty-second reading: the tools shared on the wiki first (L776), the notice joined to each (L777)
    assert lines[3].endswith(
        "; à produire : outils d'accompagnement capitalisés sur le wiki du MES et notice d'utilisation de l'outil."
    )
    assert "cartographie" in lines[4] and "première datée" not in lines[4]


# --- 6. an actor named in full once per section, then by its acronym ----------------------------------------
APES = "Acteurs Pour l'Économie Solidaire Hauts-de-France"


def _all_sections(b: Brief):
    return [*b.fiche().parts, b.key_findings(), *b.sections(), b.planned_section()]


def test_the_apes_is_named_in_full_once_per_section(briefs):
    hdf = briefs["hauts-de-france"]
    full = 0
    for s in _all_sections(hdf):
        text = " ".join([*s.paragraphs, *s.bullets, *s.notes])
        outside = re.sub(r"«[^»]*»", "", text)
        assert outside.count(APES) <= 1, (s.title, text)
        full += outside.count(APES)
        assert "d'APES" not in text and "à APES" not in text, s.title  # « de l'APES », « à l'APES »
    # the cold reader counted about twenty; once per section (practices and the six axes now say their facts)
    assert full <= 12
    part = _fiche_part(hdf, "Les personnes nommées")
    people = " ".join(part.bullets)
    # named in full once on the fiche (thirty-second reading: France's fiche on a third page), then by its sigle, even
    # where the part says what it is (a territorial network of the Mouvement, L50)
    assert part.paragraphs[0].startswith("L'APES est l'un des 5 réseaux territoriaux")
    fiche = " ".join(b for p in hdf.fiche().parts for b in [*p.paragraphs, *p.bullets])
    assert re.sub(r"«[^»]*»", "", fiche).count(APES) == 1 and f"{APES} (APES)" in fiche
    assert "président de l'APES" in people and "chargée de mission de l'APES" in people


def test_acronyms_read_right(corpus):
    from mesra.analysis.brief.wording import acronyms, shorten

    forms = {a.name: a for a in acronyms(corpus.acteurs)}
    assert forms[APES].sigle == "APES" and forms[APES].elide  # no article in the corpus, « l'APES » (L50)
    assert "Groupe MACIF" not in forms  # « le MACIF » or « la MACIF »? the corpus does not say
    assert "IEP Sciences Po Paris" not in forms  # « l'Sciences Po »
    assert forms["Attac France"].sigle == "ATTAC" and not forms["Attac France"].elide
    texts = shorten(
        [
            "L'UFISC et Acteurs Pour l'Économie Solidaire Hauts-de-France, membres du RIPESS Europe.",
            "Acteurs Pour l'Économie Solidaire Hauts-de-France participe ; chargée de mission d'Acteurs Pour "
            "l'Économie Solidaire Hauts-de-France ; « Acteurs Pour l'Économie Solidaire Hauts-de-France » ; "
            "le Groupe de travail « Évaluation de l'utilité sociale » du RIPESS Europe ; le RIPESS Europe.",
        ],
        tuple(forms.values()),
    )
    assert texts[1] == (
        "L'APES participe ; chargée de mission de l'APES ; « Acteurs Pour l'Économie Solidaire Hauts-de-France » ; "
        # thirty-third reading: « membres du RIPESS » read as the intercontinental network where L936 says RIPESS
        # Europe: the corpus gives it no acronym
        "le Groupe de travail « Évaluation de l'utilité sociale » du RIPESS Europe ; le RIPESS Europe."
    )


# --- 8. a département's note shows what its region's note shows about it ------------------------------------
def test_a_child_links_to_the_resources_its_parent_links_to_about_it(corpus, briefs):
    from mesra.analysis.resources.derive import catalogue
    from mesra.analysis.resources.links import brief_links

    cat = catalogue(corpus)
    gard = {rid for _, items in brief_links(briefs["gard"], cat).groups for _, rid in items}
    # Terres de Convergence (the Gard's) develops its « fiches pratiques » (L358), a tool located in Occitanie
    assert "outil-fiches-pratiques-terre-de-convergence" in gard
    pairs = 0
    for child in corpus.territories_with_data():
        for parent in corpus.territory_ancestors(child):
            if parent not in corpus.territories_with_data():
                continue
            mine = {rid for _, items in brief_links(Brief(corpus, child), cat).groups for _, rid in items}
            theirs = {rid for _, items in brief_links(Brief(corpus, parent), cat).groups for _, rid in items}
            assert mine <= theirs, (child, parent, mine - theirs)
            pairs += 1
    assert pairs > 10
