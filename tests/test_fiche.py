"""The *fiche territoire* (issue 21, item 1): what pages 1–2 of each region's and France's brief must state.

The lists below are read from the proceedings (``data/sources/actes-coconstruire-2019.txt``): our
people and their functions, the chantier plan each region's référent co-animates (the lists of
``tests/test_plan_follow_up.py``), where the territory's actors advocate and for what, the
seminar's funders (L160). Each expected passage is checked against the line it comes from, so
a list that drifted from the proceedings fails here too.
"""

from __future__ import annotations

import re

import pytest
from test_plan_follow_up import REFERENTS, line

from mesra import load_corpus
from mesra.analysis.brief import Brief
from mesra.analysis.brief.fiche import short_title

# a name given in full once on the fiche, then by its acronym (thirty-second reading: France's fiche on a third page)
FUNDED = "a reçu le soutien financier de la Fondation pour le Progrès de l'Homme et de l'APES"
#: Territory → (words the fiche states, the proceedings' line that says it, words of that line).
FICHE = {
    "occitanie": [
        ("Bérénice DONDEYNE : référente, animatrice et rapporteuse du chantier de l'Axe 4", 1077, "DONDEYNE"),
        ("co-présidente du MES Occitanie", 189, "DONDEYNE"),
        ("Le MES Occitanie est l'un des 5 réseaux territoriaux membres du", 52, "MES Occitanie"),
        ("Cédric DUPAS : chargé de mission du MES Occitanie", 190, "DUPAS"),
        ("; objet : remise en cause de la tendance à l'uniformisation de la mesure d'impact", 586, "uniformisation"),
        ("; objet : revoir le développement local autrement.", 902, "développement local autrement"),
    ],
    "hauts-de-france": [
        ("Olivia RUEL-MAILFERT : référente, animatrice et rapporteuse du chantier de l'Axe 2", 1075, "RUEL-MAILFERT"),
        ("L'APES est l'un des 5 réseaux territoriaux membres du Mouvement", 50, "APES"),
        (
            "participe aux Projets de territoire, par exemple celui de la Communauté urbaine d'Arras (échelon local)",
            898,
            "Arras",
        ),
        # the seminar's funders (L160: FPH and APES), shown in the APES's region
        (FUNDED, 160, "Fondation pour le Progrès de l'Homme et l'APES"),
    ],
    "normandie": [
        ("Jean-Baptiste CAZIN : référent, animateur et rapporteur du chantier de l'Axe 3", 1076, "CAZIN"),
        ("L'ARDES est l'un des 5 réseaux territoriaux membres du", 48, "ARDES"),
        ("; objet : sensibiliser les lycéens à l'Économie solidaire", 900, "lycéens"),
        # « mène des actions d'éducation populaire avec l'organisation d'Un autre marché ... ainsi que le Festival »
        (
            "L'ARDES participe au Festival des Solidarités (échelon local) ; objet : éducation populaire",
            900,
            "Festival",
        ),
    ],
    "bourgogne-franche-comte": [
        ("Fabrice PENASSE : référent, animateur et rapporteur du chantier de l'Axe 1", 1074, "PENASSE"),
        ("directeur du PESAD 21", 273, "PENASSE"),  # named in full once, then by its sigle
        # the region's territorial network (L46-56), twelfth reading
        ("Le PESAD 21 (Côte-d'Or) est l'un des 5 réseaux territoriaux membres du", 56, "PES 21"),
    ],
    "fr": [
        ("Josette COMBES : présidente de NOVETAT", 184, "COMBES Josette\tNOVETAT\tPrésidente"),
        ("co-présidente du MES", 217, "Co-présidente du MES"),
        # France's national representation first (issue 21, cold read 4): the MES in ESS France (L928)
        (
            "Le MES siège au conseil d'administration d'ESS France",
            928,
            "conseil d'administration de ESS France",
        ),
    ],
}


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


@pytest.fixture(scope="module")
def fiches(corpus):
    return {t: Brief(corpus, t).fiche() for t in sorted(set(FICHE) | set(REFERENTS) | {"fr"})}


def test_the_lists_follow_the_proceedings():
    for t, items in FICHE.items():
        for _, n, words in items:
            assert words.lower() in line(n).lower(), (t, n, line(n))


@pytest.mark.parametrize("territoire", sorted(FICHE))
def test_the_fiche_states_our_people_their_chantier_and_our_advocacy(fiches, territoire):
    text = str(fiches[territoire])
    missing = [said for said, _, _ in FICHE[territoire] if said not in text]
    assert not missing, missing
    assert fiches[territoire].title == "Fiche territoire"  # under the note's title, that names the territory
    # the four parts, in order: findings, people, actions, advocacy
    titles = [p.title for p in fiches[territoire].parts]
    assert titles[0] == "À retenir" and titles[1] == "Les personnes nommées et leurs rôles"
    assert titles[-1] == "Plaidoyer, sensibilisation et partenariats : où et pour quoi"
    assert 3 <= len(fiches[territoire].parts[0].bullets) <= 5


@pytest.mark.parametrize("territoire", sorted(REFERENTS))
def test_a_region_fiche_lists_the_plan_its_referent_co_animates_one_status_line_each(corpus, fiches, territoire):
    axe, chantier, _, _, _, named = REFERENTS[territoire]
    part = next(p for p in fiches[territoire].parts if p.title.startswith(f"Chantier de l'Axe {axe} : "))
    assert part.paragraphs[0].startswith(f"Le chantier de l'Axe {axe} est co-animé par")
    assert named in part.paragraphs[0] and "coordination nationale" in part.paragraphs[0]
    titles = corpus.actions.loc[corpus.actions["axe"] == axe, "intitule"]
    assert len(part.bullets) == len(titles)
    for title in titles:  # one status line per action: its title quoted (a long one cut), when, its status
        # the corpus's title, never in guillemets: it sums up the line it cites (twentieth reading)
        assert any(b.startswith(f"{short_title(title)} : ") and b.endswith(".") for b in part.bullets), title
    # no follow-up recorded: said once for the fiche, no line calls an action overdue
    head = next(
        p
        for p in fiches[territoire].parts
        if p.title.startswith(("Les actions que le territoire", "Les actions du plan qui concernent"))
    )
    assert head.paragraphs[-1].startswith(
        "Les sources ne disent pas où en sont les actions depuis le plan de décembre 2019"
    )
    assert not any("retard" in b or "échéance passée" in b for b in part.bullets)


def test_france_names_the_four_chantiers_and_their_referents(fiches):
    text = str(fiches["fr"])
    # the co-animation every chantier shares said once (L257), then each chantier with its référent
    assert "Chaque chantier est co-animé par la coordination nationale du MES" in text
    for axe, _, _, _, _, named in REFERENTS.values():
        assert f"Chantier de l'Axe {axe} : {named}" in text


def test_no_named_person_is_a_referent_with_a_midpoint(fiches):
    for t, f in fiches.items():
        assert "référent·e" not in str(f), t


def test_the_funders_of_the_seminar_are_shown_where_they_are(fiches):
    """L160: the FPH and the APES fund the seminar; the APES's region says so, not Occitanie (nor France's fiche,
    which holds on two printed pages)."""
    said = (
        "Les plans sont issus du Séminaire CoConstruire l'Économie Solidaire ! (Bergerie de Villarceaux, 2-4 décembre "
        "2019), qui a reçu le soutien"
    )
    assert said in str(fiches["hauts-de-france"]) and said not in str(fiches["fr"])
    assert said not in str(fiches["occitanie"])


# --- the note proper: the words the cold readers found wrong (issue 21, a–e) --------------------
#: A « monographie » may be named only as what remains to be written (L398, L420), never as done.
TO_WRITE = re.compile(
    r"monographies? restent? à écrire|[Ll]es monographies restent à écrire"
    r"|Écrire selon le cadre commun (la monographie|les monographies)"  # a lead: to write, not written
    r"|à produire : monographies"  # what the Axe 1 plan is to produce (L458)
)


def _reader_text(brief: Brief) -> str:
    """What the reader page shows of a brief (the notebook's reader cells)."""
    parts = [
        brief.header(),
        brief.fiche(),
        brief.short(brief.network_section()),
        brief.short(brief.planned_section()),
        brief.short(brief.monographs_section()),
        brief.short(brief.practices_section()),
        brief.short(brief.axes_section()),
        brief.short(brief.next_steps_section()),
    ]
    return "\n".join(str(p) for p in parts)


def test_no_reader_page_says_monographs_exist_nor_leads_in_the_indicative(corpus):
    for t in [*corpus.territories_with_data(), "lozere"]:
        text = _reader_text(Brief(corpus, t))
        # the proceedings' own words, quoted (a planned action « … rédaction de monographies … », prévue), are theirs
        left = re.sub(r"«[^»]*»", "", TO_WRITE.sub("", text))
        assert "monographie" not in left.lower(), (t, [m for m in re.findall(r"[^.]*monographie[^.]*", left, re.I)])
        assert "documentent" not in text and "monographies documentent" not in text, t
        assert not re.search(r"\b0 (personne|organisation|acteur|lien|partenaire)\b", text), t
        assert "niveau région (" not in text, t
        assert "référent·e" not in text, t


def test_leads_read_as_possibilities_and_planned_ties_as_intentions(corpus):
    brief = Brief(corpus, "fr")
    steps = " ".join(brief.next_steps_section().bullets)
    if "Pistes possibles" in steps:
        leads = steps.split("Pistes possibles", 1)[1].split(". ", 1)[0]
        assert ", en lien avec " in leads and "que les sources citent comme exemples, sans les constater" in leads
    planned = brief.planned_section()
    assert all(b.endswith(("(coopération prévue).", "(coopération proposée).")) for b in planned.bullets)
    # Boulogne's is a proposal (L322: « a formulé une proposition »), not a plan (fifteenth reading)
    (boulogne,) = [b for b in planned.bullets if "Boulogne" in b]
    assert boulogne.endswith("proposée par le territoire de Boulogne (coopération proposée).")
    if planned.bullets:
        assert "intentions, pas des faits" in planned.paragraphs[0]


def test_a_small_star_is_said_plainly_and_a_large_hub_holds_the_network(corpus):
    occ = Brief(corpus, "occitanie")
    assert not any("que passent le plus de chemins" in f for f in occ.key_findings().bullets)
    assert "Qui relie les autres" not in " ".join(occ.network_section().paragraphs)
    fr = Brief(corpus, "fr")
    said = (
        "Dans le réseau de coopération, c'est par le Mouvement pour l'Économie Solidaire (MES) que passent le plus de "
        "chemins entre organisations sans lien direct (12 partenaires directs dans ce réseau)"
    )
    assert fr.key_findings().bullets[0].startswith(said)
    # fifth cold read: Île-de-France's MES lies between the CNAM and the IEP only (L251, L1094-1097), beside
    # Devenir paysan's six (L910): not what to retain, and the network section names the two it links
    idf = Brief(corpus, "ile-de-france")
    assert not any("le plus le lien" in f for f in idf.key_findings().bullets)
    said = " ".join(idf.network_section().paragraphs)
    # tenth reading: « qui relie le CNAM Paris et l'IEP » read as a tie between them (L251, L1094-1097)
    assert "le MES est la seule organisation liée à d'autres" in said
    # two separate sets, the one that Devenir paysan ties whole named after it (fourteenth reading)
    assert "2 ensembles sans lien entre eux : autour de Devenir paysan (6 organisations) ; autour du Mouvement" in said
    assert "qui n'ont pas de lien entre elles, le CNAM Paris et l'IEP Sciences Po Paris." in said
    assert "passent les chemins" not in said and "qui relie le CNAM" not in said


def test_the_network_counts_its_ties_in_words_that_say_what_they_count(corpus):
    """Twenty-first reading: « paires d'organisations » read as counting jargon; the header no longer says the
    network's count beside its own count of ties of every kind (issue 21: « 46 liens » and « 14 liens »).
    Twenty-second: « 17 liens de coopération » in Île-de-France were 15 pairs of one project's six organisations
    (L452, L910): the network counts its direct cooperations and its shared projects, not pairs."""
    for t in ("occitanie", "fr", "hauts-de-france", "ile-de-france"):
        b = Brief(corpus, t)
        g = b.graph
        direct = sum(1 for *_, d in g.edges(data=True) if d.get("liens_directs"))
        projects = len({c for *_, d in g.edges(data=True) for c in d.get("contextes") or ()})
        said = " ".join(b.network_section().paragraphs)
        words = "coopération directe" if direct == 1 else "coopérations directes"
        if direct:
            assert (
                f": {direct} {words} entre deux organisations (partenariat, accompagnement, financement…) et " in said
            )
            assert f" et {projects} projet" in said and "plusieurs d'entre elles prennent part" in said, t
        else:  # no « aucune coopération directe … et 2 projets » (twenty-sixth reading: Occitanie, its RRL its own)
            assert f" : {projects} projets, événements ou chantiers auxquels plusieurs" in said, t
            assert "coopération directe" not in said.split(".")[0], t
        assert "paire" not in said and "paire" not in " ".join(b.header().paragraphs), t
        assert "réseau de coopération" not in " ".join(b.header().paragraphs), t


# --- the fiche printed alone (mesra briefs --pdf) ------------------------------------------------
def test_the_fiche_alone_hides_every_other_cell_and_only_a_fiche_cell_asks_for_it(tmp_path):
    """Synthetic page: a fiche cell, then a note cell on its own page; the stylesheet in a page names the
    class too, which must not count as a fiche."""
    weasyprint = pytest.importorskip("weasyprint")
    from mesra.batch.pdf import FICHE_ONLY, _has_fiche, fiche_pdf

    style = "<style>.celltag_fiche { color: black; } .note { break-before: page; }</style>"
    page = tmp_path / "04-note.html"
    page.write_text(
        f"<html><head>{style}</head><body><div class='x'></div>"
        '<div class="jp-Cell jp-CodeCell celltag_fiche"><p>Fiche territoire</p></div>'
        '<div class="jp-Cell jp-CodeCell note"><p>La note</p></div></body></html>',
        "utf-8",
    )
    other = tmp_path / "01-vue.html"
    other.write_text(f"<html><head>{style}</head><body><div class='jp-Cell'>Vue</div></body></html>", "utf-8")
    assert _has_fiche(page) and not _has_fiche(other)
    assert fiche_pdf(page).name == "04-note.fiche.pdf"
    whole = weasyprint.HTML(filename=str(page)).render()
    alone = weasyprint.HTML(filename=str(page)).render(stylesheets=[weasyprint.CSS(string=FICHE_ONLY)])
    assert len(whole.pages) == 2 and len(alone.pages) == 1


def test_a_territory_outside_france_gets_a_note_only_with_data_of_its_own(corpus):
    """Europe and Monde contain France: by default they get a note because actors are located there
    outside France (RIPESS Europe, the FAO…), not through France's roll-up alone."""
    from mesra.batch.plan import default_territories
    from mesra.corpus.geo import parent_map, walk_up

    parents = parent_map(corpus.territoires)
    french_ids = set(corpus.actors_in("fr")["acteur_id"])
    for t in default_territories(corpus):
        if t == "fr" or "fr" in walk_up(parents, t):
            continue
        own = set(corpus.actors_in(t)["acteur_id"]) - french_ids
        assert own, t


def test_fifth_cold_read_small_contradictions_are_gone(corpus):
    """Fifth cold read: Gard said « aucune action … ne concerne ce territoire » then « l'état des actions depuis
    n'est pas connu »; Bretagne's header « 1 cité seulement » had no noun; « ces organisations ne sont pas reliées
    entre elles » for AGROSUP, the INRA and the Université de Bourgogne, whom L530 names together."""
    gard = Brief(corpus, "gard").fiche()
    plan = next(
        p
        for p in gard.parts
        if p.title.startswith(("Les actions que le territoire", "Les actions du plan qui concernent"))
    )
    assert plan.paragraphs == ["Aucune action des plans du séminaire ne concerne ce territoire."]
    assert "elles en citent 1 lien seulement comme exemple possible" in " ".join(
        Brief(corpus, "bretagne").header().paragraphs
    )
    bfc = Brief(corpus, "bourgogne-franche-comte")
    said = " ".join([*bfc.key_findings().bullets, *bfc.network_section().paragraphs])
    assert "pas reliées entre elles" not in said
    # ninth reading: said in one sentence, with how they are tied
    head = "AGROSUP, l'INRA et l'Université de Bourgogne ont accompagné le Pôle d'économie solidaire 21"
    tail = "en 2019 (objet : évaluation de son utilité sociale ; p. 19)"
    first = bfc.key_findings().bullets[0]
    assert first.startswith(f"Les liens de coopération documentés entre organisations nommées : {head}")
    assert f"{tail} ;" in first
    assert f"{head} (PESAD 21) {tail}" in " ".join(bfc.network_section().paragraphs)
    # the chantier's co-animation (L257, L273) is a cooperation, said with the source's word
    assert first.endswith(
        "le Mouvement pour l'Économie Solidaire, par sa coordination nationale, et le PESAD 21, par Fabrice "
        "PENASSE, co-animent le chantier de l'Axe 1 (p. 11 et 12)."
    )


def test_planned_cooperations_of_one_context_are_said_together_and_cite_no_example(corpus):
    """Fifth cold read: 20 of France's 29 « coopérations prévues » were the pairs of the Axe 3 action's Cercle 1 and
    Cercle 2 (L781-782), and the section cited L447, an example, among its sources."""
    planned = Brief(corpus, "fr").planned_section()
    axe3 = [b for b in planned.bullets if "que le plan du chantier de l'Axe 3 nomme comme partenaires" in b]
    assert len(axe3) == 1 and axe3[0].endswith("(coopération prévue).")
    assert all(n in axe3[0] for n in ("ARDES", "MES Occitanie", "Opale", "Pôle d'économie solidaire 21"))
    # sixth reading: Cercle 2 is « certains adhérents » of the APES, the MIRAMAP and the UFISC (L782), not them
    assert not any(n in axe3[0] for n in ("MIRAMAP", "UFISC", "Acteurs Pour"))
    assert len(planned.bullets) < 10
    assert "actes-coconstruire-2019#L781" in planned.sources
    assert not any(src.startswith("actes-coconstruire-2019#L44") for src in planned.sources)  # L443-452: examples


def test_the_researchers_version_is_said_once_at_the_end_not_after_each_section(corpus):
    """Twenty-second reading: « Pour aller plus loin : … dans la version détaillée de la note » after each section sent
    the reader of the printed note to pages it does not hold; the closing part says once what that version holds."""
    b = Brief(corpus, "fr")
    for build in (b.network_section, b.monographs_section, b.practices_section, b.axes_section, b.planned_section):
        short = b.short(build())
        said = " ".join([*short.paragraphs, *short.bullets, *short.notes])
        assert "version détaillée" not in said and "Pour aller plus loin" not in said, short.title
    closing = b.changes_section()
    assert closing.title == "À propos de cette note"
    assert closing.paragraphs[-1].startswith("Pour les chercheurs, une version détaillée de cette note est publiée")
    assert closing.paragraphs[0].startswith("C'est la première note de ce territoire")
    # what « p. 17 » refers to: the printed proceedings (twenty-ninth reading), the lines in the detailed version
    assert closing.paragraphs[1].startswith("Les renvois « p. 17 » désignent la page de la source imprimée")


def test_a_region_s_fiche_says_the_other_workshops_its_people_join(corpus):
    """Fifth cold read: Normandie's Jean-Baptiste CAZIN and Isabelle COURTET are in the Axe 2 group (L482-484), whose
    plan the fiche never mentioned; the Gard's Richard PAWLOWSKY is in the Axe 3 workshop (L716)."""
    normandie = Brief(corpus, "normandie").fiche()
    part = next(p for p in normandie.parts if p.title == "Autres ateliers")
    said = "aux ateliers des axes 1, 2 et 4 : leurs plans, de 5, 18 et 10 actions, sont ceux de tout le Mouvement."
    assert said in str(part)
    titles = [p.title for p in normandie.parts]  # after the lists of actions, before the advocacy
    assert (
        titles.index("Autres ateliers")
        == titles.index("Plaidoyer, sensibilisation et partenariats : où et pour quoi") - 1
    )
    gard = " ".join(next(p for p in Brief(corpus, "gard").fiche().parts if p.title == "Autres ateliers").paragraphs)
    assert gard.startswith("Une personne du territoire participe à l'atelier de l'Axe 3 : son plan, de 9 actions,")
    assert not any(p.title == "Autres ateliers" for p in Brief(corpus, "fr").fiche().parts)


def test_an_organisation_without_tie_that_the_plan_names_is_said_so(corpus):
    # fifth cold read: « Fondation Crédit coopératif : aucun lien documenté » while the plan names it (L662)
    said = Brief(corpus, "fr").network_section().bullets
    untied = "aucun lien de coopération, d'adhésion ou de plaidoyer relevé par cette note"
    assert f"Fondation Crédit coopératif : {untied} ; figure dans 2 actions du plan." in said
    assert f"Conseil national des CRESS : {untied}." in said


def test_a_planned_tie_and_a_lead_say_what_they_are_about(corpus):
    """Boulogne's proposal (L322) is a cooperation proposed, said with its objet; Occitanie's example is one rural
    relais (L447), not the whole network."""
    hdf = Brief(corpus, "hauts-de-france")
    assert "Hauts-de-France (APES) et le Territoire de Boulogne : mise en récit du territoire" in " ".join(
        hdf.planned_section().bullets
    )
    assert "prévues (plans du séminaire) ou proposées" in hdf.planned_section().paragraphs[0]
    occ = " ".join(Brief(corpus, "occitanie").next_steps_section().bullets)
    # twenty-fourth reading: one relay, unnamed, of the network (L447), not the network
    assert "un relais local en milieu rural du Réseau des Relais Locaux de l'Économie Solidaire en Occitanie" in occ


def test_an_initiative_in_the_findings_says_what_it_is_for_never_the_corpus_s_coding_of_its_origin(corpus):
    # sixth reading asked for the APES's origin (« souvent à la demande des collectivités », L320); the twelfth read
    # the corpus's coding « commande publique » as public procurement: the fiche leaves the coding to the table
    hdf = " ".join(Brief(corpus, "hauts-de-france").key_findings().bullets)
    assert "(16 territoires d'intervention, pour développer des écosystèmes d'acteurs" in hdf  # L320, twelfth reading
    assert "commande publique" not in hdf and "lue par le corpus" not in hdf
    bfc = " ".join(Brief(corpus, "bourgogne-franche-comte").key_findings().bullets)
    assert (
        "23 collectivités accompagnées, pour recréer de l'activité économique sur le territoire ; processus de" in bfc
    )  # L314
    normandie = " ".join(Brief(corpus, "normandie").key_findings().bullets)
    assert "origine :" not in normandie  # the TZCLD's origin is left unqualified (L328): not said as known


def test_a_cut_title_is_never_empty_nor_leaves_a_quotation_open():
    from mesra.analysis.brief.fiche import short_title

    # sixth reading: « « … » : sans date, prévue » — the Petit guide's title starts with its quotation (L644)
    guide = short_title(
        "« Petit guide des grandes questions et réponses à l'usage des membres du MES » face aux financeurs"
    )
    assert guide == "« Petit guide des grandes questions et réponses à l'usage des membres du MES »…"
    # ninth reading: « Lancement du groupe de travail… » said nothing of the group (L660): a quotation that
    # ends soon after the cut is kept whole
    event = short_title(
        "Organisation d'un temps fort national de communication publique « Oser le politique ! » (2022)"
    )
    assert event == "Organisation d'un temps fort national de communication publique « Oser le politique ! »…"
    launch = "Lancement du groupe de travail « Évaluation de l'utilité sociale » au sein du RIPESS Europe"
    assert short_title(launch, 50) == "Lancement du groupe de travail « Évaluation de l'utilité sociale »…"
    # one that ends far after it is left out, or closed when the title starts with it
    far = "Organisation d'un temps fort national de communication publique « " + "très " * 20 + "long » (2022)"
    assert short_title(far) == "Organisation d'un temps fort national de communication publique…"
    opening = short_title("« " + "Petit guide " * 12 + "» face aux financeurs")
    assert opening.startswith("« Petit guide") and opening.endswith("… »")
    for title in (guide, event, far, opening):
        assert title.count("«") == title.count("»")


def test_a_region_s_action_names_its_carriers_when_the_territory_s_actors_are_among_them(corpus):
    # sixth reading: « Communication autour de décisions au sein du groupe européen » is carried « par APES, MES
    # Occitanie et MES France » (L661); the fiche of Hauts-de-France listed it without saying the APES carries it
    hdf = [b for p in Brief(corpus, "hauts-de-france").fiche().parts for b in p.bullets]
    line = next(b for b in hdf if b.startswith("Communication autour de décisions"))
    assert line.endswith("; porteurs : l'APES, le MES Occitanie et le MES.")
    fr = [b for p in Brief(corpus, "fr").fiche().parts for b in p.bullets]
    assert not any("porteurs :" in b for b in fr)  # France's fiche groups them under the national coordination


def test_france_s_advocacy_shows_each_level_above_the_country(corpus):
    """Sixth reading: France's fiche showed five national engagements and not the MES's seat in the RIPESS Europe
    (L936), which Occitanie's and Hauts-de-France's fiches show."""
    part = next(p for p in Brief(corpus, "fr").fiche().parts if "Plaidoyer" in p.title)
    shown = part.bullets[:-1]
    assert shown[0].startswith("Le MES siège au conseil d'administration d'ESS")
    assert any("RIPESS Europe (échelon européen)" in b for b in shown)
    assert any("(échelon international)" in b for b in shown)
    # the Transiscope's seat is national and local (L906, L928): one engagement, both levels (twentieth reading)
    # one national engagement since the header names every sub-territory (twenty-eighth reading): ESS France (L249)
    assert sum("(échelon national)" in b or "(échelons national et local)" in b for b in shown) == 1
    # twelfth reading: the first engagement of each other level too, the national coordination's own first: the
    # Pacte pour la Transition, for the municipal elections (L894, L904), and the APES's seat in its CRESS (L912)
    # (thirteenth: the Pacte itself, never « participe au CTC (échelon local) », which read as a local CTC)
    # (seventeenth: not « plaide auprès des collectivités » from L249, a principle, not an act)
    assert any(
        "participe au Pacte pour la Transition (échelon local) ; objet : pacte de co-construction" in b for b in shown
    )
    assert not any("Collectif pour la Transition Citoyenne (échelon local)" in b for b in shown)
    assert any("au bureau de la CRESS Hauts-de-France (échelon régional)" in b for b in shown)


def test_the_cooperatives_l_ecosysteme_seeks_are_examples_not_planned_partners(corpus):
    # sixth reading: the MES takes part in L'Écosystème (L382, a fact); twelfth: the cooperatives are examples of
    # what it « cherche à assembler autour de coopératives telles qu'Enercoop, la Nef, Mobicoop » (L382): leads only
    b = Brief(corpus, "fr")
    assert "Enercoop" not in " ".join(b.planned_section().bullets)
    leads = " ".join(b.next_steps_section().bullets)
    assert "Enercoop, La Nef et Mobicoop, en lien avec L'Écosystème" in leads and "telles qu'Enercoop" in line(382)
    # twenty-seventh reading: each set of names said once (L424: the research-action with both)
    assert "la recherche-action sur les coopérations économiques territoriales, en lien avec le Carrefour des" in leads
    assert leads.count("en lien avec L'Écosystème") == 1


def test_an_initiative_without_a_figure_says_what_it_is_for(corpus):
    # eighth reading: the Île-de-France note never said what Devenir paysan does (« une couveuse », L452)
    idf = " ".join(Brief(corpus, "ile-de-france").key_findings().bullets)
    assert "Devenir paysan en Île-de-France (pour promouvoir les métiers agricoles et y former, par une couveuse" in idf


def test_france_s_fiche_says_a_need_whole(corpus):
    # eighth reading: « renforcer l'équipe de… » cut the only concrete request (L1054)
    # twenty-second round: the needs outside the chantiers, undated, are one sentence (L221, L1050, L1054)
    (part,) = [p for p in Brief(corpus, "fr").fiche().parts if p.title == "Besoins exprimés hors chantier"]
    (said,) = part.paragraphs
    # with where they are (twenty-eighth reading: the fiche gave none): L221 on p. 9, L1050 and L1054 in the
    # conclusion, p. 36, the last page the table of contents numbers (L35)
    assert said.startswith("3 besoins exprimés, sans date (p. 9 et 36) : ") and not part.bullets
    assert "renforcer l'équipe de permanents (au minimum 1,5 ETP salarié et un service civique) ;" in said
    assert "être soutenu par les pouvoirs publics et accompagné par les chercheurs" in said


def test_frances_fiche_names_the_people_the_plan_names_on_an_action_and_the_first_entry_of_a_calendar(corpus):
    fr = [b for p in Brief(corpus, "fr").fiche().parts for b in p.bullets]
    # ninth reading: L664 names COLER, DONDEYNE and LASNIER on the search for partners of March 2020
    (line,) = [b for b in fr if b.startswith("Identification de partenaires potentiels")]
    assert line.endswith("; personnes nommées : Patricia COLER, Bérénice DONDEYNE et Bruno LASNIER.")
    # the Axe 2 calendar opens with the European group's launch (L660), not one of its sub-items (L661): France's
    # line says what the chantier is to produce instead (sixteenth reading), a region's says the first dated
    from mesra.analysis.plan import first_dated

    facts = Brief(corpus, "fr").plan_facts
    axe2 = next(c for c in facts.chantiers if c.axe == 2)
    assert first_dated(facts.of_chantier(axe2.chantier_id)).intitule.startswith("Lancement du groupe de travail")


def test_frances_fiche_names_the_other_carriers_of_the_coordinations_actions(corpus):
    # tenth reading: « par APES, MES Occitanie et MES France » (L661), « par le groupe de travail Axe 2 et le MES
    # France » (L679) read as carried by the coordination alone
    fr = [b for p in Brief(corpus, "fr").fiche().parts for b in p.bullets]
    (communication,) = [b for b in fr if b.startswith("Communication autour de décisions")]
    assert communication.endswith("; avec l'APES et le MES Occitanie.")
    (bilan,) = [b for b in fr if b.startswith("Production d'un bilan d'activité")]
    assert bilan.endswith(": fin 2022, prévue ; avec le groupe de travail de l'Axe 2.")  # « Fin 2022 », L679
    needs = [p for p in Brief(corpus, "fr").fiche().parts if p.title == "Besoins exprimés hors chantier"]
    assert "avec" not in needs[0].paragraphs[0]  # the MES carries them: it is the coordination


def test_a_footnote_covered_by_another_is_left_out():
    from mesra.analysis.sections import Section

    s = Section("Nos personnes")
    s.cite_once("actes#L58-62", "actes#L64")
    s.cite_once("actes#L58-64", "autre#L60", "actes#L64")
    assert s.sources == ["actes#L58-64", "autre#L60"]  # L58-62 and L64 lie within L58-64; another source stays
    s.cite_once("actes#L273", "actes#L273,L1073-1074")
    assert s.sources == ["actes#L58-64", "autre#L60", "actes#L273,L1073-1074"]


def test_a_regions_fiche_names_every_carrier_the_plan_names(corpus):
    # eleventh reading: « par MES France » (L662, L678) and « par MES France (Patricia COLER, Bérénice DONDEYNE,
    # Bruno LASNIER) » (L664) were missing from Hauts-de-France's Axe 2 list
    hdf = [b for p in Brief(corpus, "hauts-de-france").fiche().parts for b in p.bullets]
    (money,) = [b for b in hdf if b.startswith("Recherche de financements")]
    assert money.endswith("; porteur : le MES.")
    (partners,) = [b for b in hdf if b.startswith("Identification de partenaires potentiels")]
    assert partners.endswith("; porteur : le MES (Patricia COLER, Bérénice DONDEYNE et Bruno LASNIER).")
    (bilan,) = [b for b in hdf if b.startswith("Production d'un bilan")]
    assert bilan.endswith("; porteurs : le groupe de travail de l'Axe 2 et le MES.")
    assert any(b.startswith("Charte commune") and "porteur" not in b for b in hdf)  # no carrier named (L641)


def test_twelfth_reading_what_others_carry_here_and_what_each_chantier_needs(corpus):
    # the UFISC's support in Seine-Saint-Denis (L576) was on no page of Île-de-France's fiche
    idf = Brief(corpus, "ile-de-france").key_findings().bullets
    (hosted,) = [
        b
        for b in idf
        if b.startswith("Ce que des organisations nationales membres du Mouvement mènent sur ce territoire")
    ]
    assert "l'UFISC participe à la construction des pratiques évaluatives de conventions pluriannuelles" in hosted
    assert "Seine St. Denis" in line(576) and "UFISC" in line(576)
    assert not any("d'ailleurs" in b for b in Brief(corpus, "occitanie").key_findings().bullets)
    # France's fiche names each chantier's expressed need (L458, L844, L1001), not only their number
    fr = next(p for p in Brief(corpus, "fr").fiche().parts if p.title == "Les chantiers et leur co-animation")
    said = " ".join(fr.bullets)
    assert "1 besoin exprimé (Des moyens dédiés au travail…)" in said and "moyens dédiés" in line(458)
    assert "Créer un poste de chargé de communication" in said and "chargé de communication" in line(1001)
    assert "(Trouver une ressource au niveau national" in said and "ressource au niveau national" in line(844)


def test_thirteenth_reading_an_initiative_without_figure_nor_aim_says_its_innovation(corpus):
    # Normandie's fiche named the TZCLD and said nothing of what the ARDES does in it (L330)
    normandie = " ".join(Brief(corpus, "normandie").key_findings().bullets)
    assert "(selon les sources : accompagnement principalement de micro-initiatives" in normandie
    assert "innovation selon" not in normandie  # the proceedings never call it an innovation (fourteenth reading)
    assert "micro-initiatives" in line(330) and ".)" not in normandie


def test_a_member_network_the_proceedings_name_only_in_the_list_of_members_is_said_so(corpus):
    """Fifteenth reading: CRE-SOL (L54) is the one territorial network at no workshop and on no list of the seminar
    (L179-204, L1073-1077, L1084-1086); the other four each have a référent."""
    said = str(Brief(corpus, "centre-val-de-loire").fiche())
    assert "CRE-SOL est l'un des 5 réseaux territoriaux" in said
    assert "Les actes ne le citent nulle part ailleurs : ni parmi les participants du séminaire" in said
    for t in ("hauts-de-france", "normandie", "occitanie", "bourgogne-franche-comte"):
        assert "nulle part ailleurs" not in str(Brief(corpus, t).fiche()), t
