"""Second cold read of the briefs' sections (issue 21): the network's few pairs, practices, the action
heading, the funders a plan seeks, unqualified origins, an empty six-axes grid.

Line numbers are those of ``data/sources/actes-coconstruire-2019.txt``.
"""

from __future__ import annotations

import re

import pytest

import mesra
from mesra.analysis.brief import Brief, network, practices


@pytest.fixture(scope="module")
def corpus():
    return mesra.load_corpus()


@pytest.fixture(scope="module")
def briefs(corpus):
    return {t: Brief(corpus, t) for t in ("normandie", "ile-de-france", "seine-saint-denis", "hauts-de-france")}


def _said(section) -> str:
    return "\n".join([*section.paragraphs, *section.bullets])


# --- 1. a network of few pairs names them, with the kind of their tie ----------------------------------
def test_normandies_network_names_its_pair_and_how_it_is_tied(briefs):
    # L328: « L'ARDES en partenariat avec le COORACE »
    f = network.facts(briefs["normandie"])
    said = "l'ARDES est partenaire du COORACE (objet : animation de nouveaux territoires"
    assert f.ties == 2 and len(f.pairs) == 2 and f.pairs[0].startswith(said) and f.pairs[0].endswith("p. 13)")
    # and the chantier it co-animates with the MES (L257, L696)
    assert (
        f.pairs[1]
        == "le Mouvement pour l'Économie Solidaire, par sa coordination nationale, et l'ARDES, par Jean-Baptiste "
        "CAZIN, co-animent le chantier de l'Axe 3 (p. 11 et 24)"
    )
    assert said in _said(briefs["normandie"].network_section())


def test_many_pairs_are_counted_not_listed(corpus):
    f = network.facts(Brief(corpus, "fr"))
    assert f.ties > network.FEW_PAIRS and f.pairs == ()


def test_frances_network_leaves_generic_actors_out_and_ties_the_seminars_funders_to_its_carrier(corpus):
    # L314, L320: « Collectivités territoriales (non nommées) » are different councils in two regions
    b = Brief(corpus, "fr")
    f = network.facts(b)
    # a common noun in a sentence (« les collectivités territoriales (non nommées) »), sixteenth session
    assert ("collectivités territoriales (non nommées)", "les") in f.generic
    assert not any("non nommé" in name for name, _ in f.brokers)
    assert not any(line.lower().startswith("collectivités territoriales") for line in f.without_tie)
    assert f.carry_fund == 2  # the APES and the FPH fund the seminar the MES carries (L140, L1090-1092)
    notes = "\n".join(b.network_method().bullets)  # the method in full, on the researchers' page
    assert "ne sont pas des membres du réseau" in notes and "nœud" not in notes  # plain words (twelfth reading)
    # the note itself says how to read the network in two sentences, without the method's words (fourteenth)
    said = "\n".join(b.network_section().notes)
    assert len(b.network_section().notes) == 2 and "contexte" not in said and "non nommées" not in said
    assert "les collectivités territoriales (non nommées)" in notes
    assert "seuls ceux qui le portent sont reliés à ceux qui le financent" in notes
    said = network._carry_fund_sentence(b, "mes", "apes", "seminaire-coconstruire-2019")
    # twenty-fourth reading: the funding of the seminar of December 2019 (L1090-1092) is said in the past
    assert said.startswith("Acteurs Pour l'Économie Solidaire Hauts-de-France a soutenu financièrement le Séminaire")
    # the credits follow the conclusion, p. 36, the last page the table of contents numbers (L35)
    assert "qu'a porté le Mouvement pour l'Économie Solidaire" in said and said.endswith("(p. 6, 7 et 36)")


# --- 2. practices: an accompaniment is one whatever its workshop; a practice done here counts here ------
def test_an_accompaniment_reported_by_another_workshop_is_an_axe_3_practice(briefs):
    # L328-330: the ARDES « porteur et accompagnateur de projets » (reported in Axe 1)
    p = briefs["normandie"].practices
    rows = p[(p["source_id"] == "ardes") & (p["relation"] == "accompagne") & (p["cible_id"] == "tzcld-normandie")]
    assert list(rows["axe"]) == [3]
    # with the ARDES's role in the Axe 3 workshop and its partnership with the stakeholders of L795
    # and its co-animation of the Axe 3 chantier (L257, L696)
    said = _said(briefs["normandie"].practices_section())
    assert "Accompagnement des petites organisations (thème du chantier de l'Axe 3) : l'ARDES" in said


def test_a_tie_whose_object_is_an_accompaniment_is_an_axe_3_practice(briefs):
    # L910 (reported in Axe 4): the Réseau des AMAP Île-de-France takes part in Devenir paysan « pour l'accompagnement
    # des porteurs de projets agricoles » — twenty-ninth reading: the note said « aucune pratique documentée » for
    # Axe 3 above it
    p = briefs["ile-de-france"].practices
    rows = p[(p["source_id"] == "reseau-amap-idf") & (p["cible_id"] == "devenir-paysan")]
    assert list(rows["axe"]) == [3]
    said = _said(briefs["ile-de-france"].practices_section())
    assert "aucune pratique documentée" not in said
    assert "participe à Devenir paysan (accompagnement des porteurs de projets agricoles" in said
    # filed here by the note's reading, and said so (thirtieth reading): the proceedings report it in Axe 4
    assert "biologique, paysanne et solidaire), fait rapporté par le chantier de l'Axe 4." in said
    assert "Zéro Chômeur de Longue Durée en Normandie, fait rapporté par le chantier de l'Axe 1" in _said(
        briefs["normandie"].practices_section()
    )


def test_a_territory_s_only_initiative_says_how_its_actors_take_part(corpus):
    # thirtieth reading: the Générateur « requiert l'implication des élus et des techniciens des collectivités »
    # (L312), what an elected reader needs, was only in the note
    from mesra.analysis.brief import findings

    said = "\n".join(findings.section(Brief(corpus, "bourgogne-franche-comte")).bullets)
    assert (
        "processus de participation : implication des élus et des techniciens des collectivités, que requiert la "
        "démarche d'animation de territoire)" in said
    )
    fr = "\n".join(findings.section(Brief(corpus, "fr")).bullets)
    assert "processus de participation" not in fr  # several initiatives: each one's table says it


def test_accompanying_a_council_in_another_workshop_is_not_an_axe_3_practice(briefs):
    # L322, L898: the APES's territorial animation for Béthune-Bruay (Axe 1) and the CU d'Arras (Axe 4) is
    # cooperation with councils (the écoquartier des Alouettes is a result of it, L322, not something the
    # APES accompanies: no tie)
    p = briefs["hauts-de-france"].practices
    axe3 = set(p.loc[p["axe"] == 3, "cible_id"])
    assert not axe3 & {"ca-bethune-bruay", "cu-arras", "collectivites-territoriales", "pole-cooperation-alouettes"}


def test_one_practice_fact_per_pair_citing_every_sentence(briefs):
    # the APES's partnership with the ChairESS (L524, Axe 2; L793, Axe 3) is one fact; the VISES declaration,
    # « commune », is one the APES took part in (L578; L542 lists it among the project's deliverables), not one it
    # « développe » (nineteenth reading)
    p = briefs["hauts-de-france"].practices
    assert not p.duplicated(["source_id", "cible_id"]).any()
    (chair,) = p[(p["source_id"] == "apes") & (p["cible_id"] == "chairess-hdf")].itertuples()
    assert chair.axe == 2 and [s.rpartition("#")[2] for s in chair.sources] == ["L524", "L793"]
    (vises,) = p[(p["source_id"] == "apes") & (p["cible_id"] == "declaration-commune-vises")].itertuples()
    assert vises.relation == "participe_a" and [s.rpartition("#")[2] for s in vises.sources] == ["L542,L578"]
    f = practices.facts(briefs["hauts-de-france"], p)
    assert [n for _, _, n, _ in f.by_axis] == [13, 2]  # with its co-animation of the Axe 2 chantier (L257, L478)
    assert any(s.startswith("actes-coconstruire-2019#") and "L578" in s.split("#")[1].split(",") for s in f.sources)


@pytest.mark.parametrize("territoire", ["ile-de-france", "seine-saint-denis"])
def test_a_practice_done_in_the_territory_by_a_national_body_counts_there(briefs, territoire):
    # L576: the UFISC « intervient lors de la construction des pratiques évaluatives ... (ex: création de lieux
    # intermédiaires en Seine St. Denis) », under « Actions de plaidoyer » (L570): it takes part in building the
    # conventions' evaluation practices (``participe_a``; twenty-fourth reading: not ``accompagne``), it does not take
    # part in creating the venues
    p = briefs[territoire].practices
    assert ("ufisc", "participe_a", "lieux-intermediaires-seine-saint-denis") in set(
        zip(p["source_id"], p["relation"], p["cible_id"])
    )
    text = _said(briefs[territoire].practices_section())
    assert "Aucune pratique" not in text and "0 fait" not in text


# --- 3. actions the territory only joins are not said to be carried by its actors ----------------------
def test_actions_a_territory_only_joins_are_headed_apart(corpus):
    # L772-782: the PESAD21 is among the structures of the Axe 3 actions, which name no carrier
    from mesra.analysis.brief import fiche

    b = Brief(corpus, "bourgogne-franche-comte")
    f = fiche.facts(b)
    assert {"axe3-capitaliser-outils-wiki", "axe3-etapes-accompagnement"} <= f.joined
    text = str(b.fiche())
    assert "auxquelles les acteurs du territoire sont associés" in text
    assert "que portent ou co-portent les acteurs du territoire" not in text
    # Occitanie carries some (the MES Occitanie, L660-661) and joins others: two headings
    occ = str(Brief(corpus, "occitanie").fiche())
    carried, joined = occ.index("que portent ou co-portent"), occ.index("auxquelles les acteurs du territoire")
    assert "Communication autour de décisions" in occ[carried:joined]
    assert "Échanger sur les outils d'accompagnement" in occ[joined:]


# --- 4. funders the plan intends to seek are said so, with the line that names them --------------------
def test_funders_the_plan_seeks_are_worded_as_such_with_the_line_naming_them(corpus):
    # L662: « Recherche de financements (ESS France, Fondation crédit coopératif, Union européenne ...) par MES
    # France »; L660 is the RIPESS Europe's working group, which names none of them
    from mesra.analysis import plan

    steps = [s for s in plan.plan_next_steps(corpus, "hauts-de-france", None) if "Union européenne" in s]
    assert steps == [
        "Prendre contact avec les financeurs que le plan prévoit de solliciter et dont les sources ne rapportent "
        "encore aucune coopération constatée avec le réseau : la Fondation Crédit coopératif et l'Union européenne "
        "(p. 23)."
    ]
    wanted = plan.partners_to_mobilise(corpus, "hauts-de-france")
    assert dict(zip(wanted["acteur_id"], wanted["source"]))["union-europeenne"] == ["actes-coconstruire-2019#L662"]
    # France: the SGET is both a financial (L463) and an operational partner (L464)
    fr = " ".join(plan.plan_next_steps(corpus, "fr", None))
    assert "le Groupe MACIF, SGET et l'Union européenne (p. 17 et 23)" in fr
    # twenty-eighth reading: the Labo de l'ESS carries only its own meeting on the PTCE (L370)
    assert "Fabrique des Transitions, le Labo de l'ESS et SGET (p. 17)" in fr


# --- 5. an origin the text speaks of, without qualifying it, is « non qualifiée », not unknown -----------
def test_an_origin_the_text_speaks_of_is_unqualified_not_unknown(corpus, briefs):
    # L328: « L'ARDES, qui s'est engagée dans l'expérimentation ... avant sa reconnaissance par la loi »: how it
    # began, not whether a public commission or a citizen mobilisation began it
    from mesra.analysis import frame
    from mesra.analysis.brief import findings

    said = {m.id: frame.origin_said(m) for m in corpus.monographies.itertuples(index=False)}
    assert said["tzcld-ardes"] == ("actes-coconstruire-2019#L328",)
    # « un dispositif régional » (L762), among « dispositifs d'accompagnement étatiques » (L796): not who began it
    assert said["generateur-bfc"] == ("actes-coconstruire-2019#L762", "actes-coconstruire-2019#L796")
    assert said["ecosysteme"] == ()  # « Origine du projet ... : non documentées dans les actes. »
    section = findings.section(briefs["normandie"])
    text = "\n".join(section.bullets)
    # twenty-ninth to thirty-first readings: what the text says of how it began is said, in the monograph's words (the
    # source's: « proche des principes de l'ESS », L328), not denied, not « commande publique ? » read as silence
    assert (
        "l'origine de « L'ARDES et l'expérimentation Territoires Zéro Chômeur de Longue Durée en Normandie » reste à "
        "préciser : les actes disent seulement que l'ARDES s'est engagée dans l'expérimentation, proche des principes "
        "de l'ESS, avant sa reconnaissance par la loi" in text
    )
    assert "non qualifiée" not in text
    (gen,) = [m for m in corpus.monographies.itertuples(index=False) if m.id == "generateur-bfc"]
    assert frame.origin_told(gen).startswith("Les actes le disent « un dispositif régional », cité parmi les ")
    bfc = "\n".join(findings.section(Brief(corpus, "bourgogne-franche-comte")).bullets)
    assert (
        "l'origine de « Le Générateur Bourgogne-Franche-Comté » reste à préciser : les actes le disent « un dispositif "
        "régional », cité parmi les « dispositifs d'accompagnement étatiques », sans dire qui l'a créé ni à la demande "
        "de qui." in bfc
    )
    idf = "\n".join(findings.section(Brief(corpus, "ile-de-france")).bullets)
    assert "les sources ne disent pas l'origine de l'initiative « Devenir paysan en Île-de-France »" in idf
    # thirtieth and thirty-first readings: « d'ailleurs » said where the UFISC and the MIRAMAP are, which the sources
    # do not; they list them among the national networks (L70, L76)
    assert "Ce que des organisations nationales membres du Mouvement mènent sur ce territoire" in idf
    assert "n'est pas connue" not in text
    assert "actes-coconstruire-2019#L328" in section.sources
    fr = "\n".join(findings.section(Brief(corpus, "fr")).bullets)
    # twenty-seventh reading: the two cases said apart read as two unclear things; together, once, in the fiche
    assert "l'origine de 5 initiatives reste à préciser (commande publique ou mobilisation citoyenne ?)" in fr
    assert "non qualifiée" not in fr and "n'est pas connue" not in fr


# --- 6. no grid of dashes: a sentence and the open questions -----------------------------------------
def test_a_territory_without_any_axis_element_has_no_grid_of_dashes(corpus, briefs):
    from mesra.analysis import frame
    from mesra.analysis.brief import axes

    empty = briefs["seine-saint-denis"]
    assert not len(empty.axis_evidence)
    s = empty.axes_section()
    assert not s.tables
    assert "Rien ne remplit encore la grille des six axes" in "\n".join(s.paragraphs)
    assert s.bullets == list(frame.AXIS_QUESTIONS.values()) and axes.facts(empty).questions
    # a territory whose initiative brings something keeps its grid (in the annex)
    assert [t.caption for t in briefs["normandie"].axes_section().tables] == ["Grille des six axes"]
    assert axes.facts(briefs["normandie"]).questions == ()


MADE = "Ce que les acteurs du territoire ont fait ou mènent"


def test_the_fiche_says_what_the_territorys_actors_have_made(corpus, briefs):
    # fourth cold read: « rien de ce que l'APES a déjà fait n'y figure » (Alterguide L542, VISES L560, L578);
    # EVALUMIP (L550) for Occitanie; only observed ties of making (a planned tool is not a realisation)
    from mesra.analysis.brief import findings

    hdf = [f for f in findings.facts(briefs["hauts-de-france"]).findings if f.kind == "made"]
    assert len(hdf) == 1 and hdf[0].names[0].startswith("Alterguide")
    assert hdf[0].names[0].endswith(", par Acteurs Pour l'Économie Solidaire Hauts-de-France")
    assert "actes-coconstruire-2019#L542" in hdf[0].sources
    briefs = {**briefs, **{t: Brief(corpus, t) for t in ("occitanie", "fr", "gard")}}
    occ = " ".join(b for b in briefs["occitanie"].key_findings().bullets if b.startswith(MADE))
    assert "EVALUMIP, par le MES Occitanie" in occ
    # fifth cold read: the Gard's own fact, the event of 13-18 August 2019 (L348); never brackets in brackets
    gard = " ".join(b for b in briefs["gard"].key_findings().bullets if b.startswith(MADE))
    assert "Événement Terre de Convergence (Gard, 13-18 août 2019)" in gard and "))" not in gard, gard  # L348
    # the things being made (« en cours d'élaboration », L558, L896) are not realisations
    fr = [f for f in findings.facts(briefs["fr"]).findings if f.kind == "made"][0]
    assert not any("auto-diagnostic" in n or "kit" in n.lower() for n in fr.names)
    assert "Séminaire" not in " ".join(fr.names)  # a maker's tools and projects come before its events
    for t in ("hauts-de-france", "occitanie", "fr", "gard"):
        assert 3 <= len(findings.facts(briefs[t]).findings) <= findings.MAX_FINDINGS, t


def test_a_separate_set_around_a_member_of_the_mouvement_says_it_is_one(corpus):
    """Sixteenth reading: « 2 ensembles sans lien entre eux … autour du MIRAMAP » read as the MIRAMAP working apart
    from the Mouvement, of which it is a member (L76)."""
    said = " ".join(Brief(corpus, "fr").network_section().paragraphs)
    assert "autour du MIRAMAP (8 organisations). Le MIRAMAP est pourtant membre du Mouvement" in said
    # seventeenth reading: Île-de-France's set « autour de Devenir paysan » holds the MIRAMAP (L910), its hub or not;
    # the set apart is the one without the national coordination (L257), not the smaller
    idf = " ".join(Brief(corpus, "ile-de-france").network_section().paragraphs)
    assert "autour de Devenir paysan (6 organisations)" in idf and "Le MIRAMAP est pourtant membre du Mouvement" in idf
    assert "pourtant membre" not in " ".join(Brief(corpus, "hauts-de-france").network_section().paragraphs)


def test_the_lists_the_note_cuts_are_printed_whole_with_it(corpus):
    """Sixteenth reading: « … et 17 autres (liste complète en annexe) » pointed to a page the note did not carry."""
    b = Brief(corpus, "fr")
    cut = b.short(b.network_section(), "1. Le réseau de coopération constaté")
    assert cut.bullets[-1].startswith("… et ") and cut.bullets[-1].endswith("(suite de la liste en annexe).")
    annex = b.lists_annex()
    (table,) = [t for t in annex.tables if t.caption.startswith("1. Le réseau")]
    # the rest only, after the note's first items (twentieth reading: the annex repeated them)
    whole = b.network_section().bullets
    assert list(table.frame.iloc[:, 0]) == whole[b.SHORT_LIST :] and len(whole) > b.SHORT_LIST
    # nothing cut: the annex holds only the plan, titles whole
    assert [t.caption for t in Brief(corpus, "normandie").lists_annex().tables] == [
        "Les actions du plan, titres entiers"
    ]


def test_the_practices_part_says_some_of_its_facts_in_words(corpus):
    """Sixteenth reading: « Chantier de l'Axe 2 : 12 faits documentés » said nothing an official could use; the first
    facts are said, one organisation at a time (Occitanie: KPsens, the MES Occitanie's Balance sociale 2020, L528)."""
    occ = Brief(corpus, "occitanie")
    f = practices.facts(occ, occ.practices)
    (said, more), _ = f.examples
    # seventeenth reading: a region's note says them all (« et 7 autres » sent the reader to a page he lacks)
    assert more == 0 and len(said) == f.by_axis[0][2] - f.by_axis[0][3] <= practices.SHOWN
    assert said[1] == "le MES Occitanie participe à Balance sociale 2020"
    assert len({s.split(" ")[0] for s in said[:3]}) == 3  # three organisations first, not three facts of one
    text = " ".join(occ.practices_section().paragraphs)
    # twenty-fourth reading: the facts in words, without « 12 faits documentés, dont 2 rôles »
    assert "(thème du chantier de l'Axe 2) : KPsens porte les Ateliers" in text and "faits documentés" not in text
    assert "des personnes du territoire prennent part à l'atelier du chantier" in text
    assert "par exemple" not in text
    fr = Brief(corpus, "fr")
    (said, more), _ = practices.facts(fr, fr.practices).examples
    assert len(said) == practices.WIDE_SHOWN and more > 0


# --- 7. the six axes in sentences: the printed note stands alone ------------------------------------------
def test_part_5_says_what_each_axis_rests_on_and_points_to_no_missing_page(corpus, briefs):
    """Sixteenth reading: part 5 gave a count and « Le tableau « Grille des six axes » est en annexe, dans la version
    détaillée », which the printed note does not carry. Each axis now says its initiatives and one example."""
    from mesra.analysis.brief import axes

    occ = Brief(corpus, "occitanie")
    short = occ.short(occ.axes_section(), occ.titles["axes"])
    assert "version détaillée" not in " ".join([*short.paragraphs, *short.bullets])  # a reading note, if anywhere
    assert not any("version détaillée" in n for n in short.notes)  # said once, at the end
    (a2,) = [b for b in short.bullets if b.startswith("Axe d'analyse 2,")]
    assert "Relais Locaux" in a2 and "Terres de Convergence" in a2
    (six,) = [b for b in short.bullets if b.startswith("Sixième axe")]
    assert "réflexion sur l'extension au-delà de l'ex-région Midi-Pyrénées" in six  # L342
    # seventeenth reading: the sixth axis is the research-action's programme; eighteenth: what the corpus retains of
    # the initiatives is its reading, and each named initiative says its part (Terres de Convergence's too, L358)
    assert six.startswith(
        "Sixième axe, programme d'action (à établir) — ce que la note y range, à sa lecture, de 2 initiatives"
    )
    assert "Terres de Convergence et la plateforme Decidim : des fiches pratiques" in six
    assert [a.number for a in axes.facts(occ).said] == [2, 3, 6]
    # a list is said as one, with its own heading, not after « Ce qu'en disent les sources : »
    normandie = _said(briefs["normandie"].axes_section())
    assert "Normandie, acteurs repérés : ARDES et COORACE." in normandie and ": acteurs repérés" not in normandie
    # twenty-eighth reading: an event or a platform is not an actor (the TZCLD experiment, L326; Terres de
    # Convergence's event and Decidim, L348-350): Terres de Convergence names no actor of its own
    assert "Expérimentation Territoires Zéro Chômeur" not in normandie.partition("acteurs repérés")[2]
    gard = _said(Brief(corpus, "gard").axes_section())
    assert "acteurs repérés" not in gard and "Decidim" not in gard.partition("Axe d'analyse 3")[2]
    # more initiatives than are named: their number, which the grid agrees with
    fr = Brief(corpus, "fr")
    grid = fr.axes_grid().set_index("Axe")
    (a2,) = [a for a in axes.facts(fr).said if a.number == 2]
    assert len(a2.initiatives) == len(grid.loc[2, "Initiatives"].split("; ")) > axes.NAMED_INITIATIVES
    assert f"— {len(a2.initiatives)} initiatives. Par exemple, " in _said(fr.axes_section())


def test_the_people_and_advocacy_the_fiche_cuts_are_printed_whole_with_the_note(corpus):
    """Seventeenth reading: France's fiche named 8 of its 29 people and 6 of its engagements, « tableau complet dans
    la version détaillée », a page the printed note does not carry; the note's annex lists them all."""
    from mesra.analysis.brief import fiche

    fr = Brief(corpus, "fr")
    f = fiche.facts(fr)
    annex = {t.caption: t.frame for t in fr.lists_annex().tables}
    people, advocacy = (
        annex["Les personnes nommées et leurs rôles"],
        annex["Plaidoyer, sensibilisation et partenariats : où et pour quoi"],
    )
    assert len(people) == f.people_total > len(f.people)
    whole = fiche.facts(fr, whole=True).advocacy  # one line may say several actors' engagement (L936)
    assert len(advocacy) == len(whole) and sum(a.count for a in whole) == f.advocacy_total > len(f.advocacy)
    assert any(x.startswith("Laurent FRAISSE") for x in people.iloc[:, 0])  # L217, cut from the fiche
    said = " ".join(b for p in fr.fiche().parts for b in p.bullets)
    assert "(liste complète en annexe de la note entière)" in said and "version détaillée" not in said
    assert fiche.facts(Brief(corpus, "normandie")).people_total == len(fiche.facts(Brief(corpus, "normandie")).people)
    assert [t.caption for t in Brief(corpus, "normandie").lists_annex().tables] == [
        "Les actions du plan, titres entiers"
    ]


def test_a_region_says_each_initiative_s_aims_whole(corpus):
    """Seventeenth reading: Bourgogne-Franche-Comté's one initiative said two of its four aims (« et 2 autres »);
    the third is « faire converger des services vers un guichet unique » (L314). France still counts beyond two."""
    from mesra.analysis.brief import monographs

    bfc = Brief(corpus, "bourgogne-franche-comte")
    said = " ".join(bfc.short(bfc.monographs_section()).bullets)
    assert "faire converger des services vers un guichet unique" in said and "et 2 autres" not in said
    fr = monographs.facts(Brief(corpus, "fr")).monographs
    assert max(len(m.aims) for m in fr) <= monographs.AIMS_MAX


def test_every_note_names_the_text_its_line_numbers_refer_to(corpus, briefs):
    """Seventeenth and eighteenth readings: « ligne 459 » pointed to nothing the reader held; the header names the
    proceedings (its title without its subtitle, its author and year, from ``sources.csv``)."""
    for t, brief in briefs.items():
        said = " ".join(brief.header().paragraphs)
        # the author is one of the actors (L1060: « ces actes ont été rédigées … par le Mouvement »): said as such
        assert re.search(
            r"Source : « Les actes du séminaire CoConstruire l'Économie Solidaire ! \(Bergerie de Villarceaux, 2 au 4 "
            r"décembre 2019\) » \(2020\), un texte rédigé par le Mouvement pour l'Économie Solidaire( \(MES\))? "
            r"lui-même : la note rapporte ce qu'il dit de ses membres et partenaires ; chaque fait renvoie au "
            r"passage qui le dit\.",
            said,
        ), t
        assert "Découpage administratif" not in said  # a reference table, not a text the note cites by line


def test_the_annex_lists_every_action_of_the_plan_with_its_whole_title(corpus):
    """Eighteenth and nineteenth readings: France's note counted 44 actions and asked who carries them without
    listing them; the annex lists each, its title whole (L661's « … par APES, MES Occitanie et MES France »)."""
    fr = Brief(corpus, "fr")
    (plan,) = [t.frame for t in fr.lists_annex().tables if t.caption == "Les actions du plan, titres entiers"]
    assert len(plan) == len(fr.plan_actions()) and list(plan.columns) == ["Axe", "Action", "Quand", "Statut"]
    assert not plan["Action"].str.endswith("…").any()
    occ = Brief(corpus, "occitanie")
    (plan,) = [t.frame for t in occ.lists_annex().tables if t.caption.startswith("Les actions du plan")]
    assert len(plan) == len(occ.plan_actions())


def test_a_fiche_that_names_few_made_things_says_what_the_text_says_of_each(corpus):
    """Thirty-first reading: Bourgogne-Franche-Comté's fiche named the PESAD 21's accompaniment without those who come
    to it for advice (L762) and its evaluation without the results it means to spread in 2020 (L530)."""
    from mesra.analysis.brief import findings

    made = findings._made(Brief(corpus, "bourgogne-franche-comte"))
    (said,) = made.names
    assert "(beaucoup de jeunes, des collectivités et des EPCI viennent chercher conseil" in said
    # the objet goes inside the name's own brackets, never brackets after brackets
    assert (
        "Évaluation de l'utilité sociale du PESAD 21 (2019 ; résultats à diffuser et méthodes à vulgariser en 2020)"
        in said
    )
    # a territory that names more keeps its names bare (Normandie: four things of the ARDES; the grille's objet,
    # « co-construite avec les chercheurs … », L544, stays for the note)
    made = findings._made(Brief(corpus, "normandie"))
    assert "Grille référentielle de l'évaluation de l'utilité sociale, Portraits" in made.names[0]


def test_two_footnotes_of_one_section_never_print_the_same_words(corpus):
    """Thirty-first reading: France's fiche printed « LE SÉMINAIRE… » (p. 36) twice, for two passages of the credits
    (L1064-1067 and L1064,L1070-1071); the second quotes its own end."""
    from mesra.analysis.sections import Section

    fiche = Brief(corpus, "fr").fiche()
    for part in fiche.parts:
        notes = re.findall(r"<li>\[\d+\] (.*?)</li>", part._sources_html(lambda x: x))
        assert len(notes) == len(set(notes)), (part.title, notes)
    s = Section("t", sources=["actes#L1", "actes#L2"], footnote_width=24)
    s.quotes = {
        "actes#L1": ("", "Les mêmes mots au début. Puis A.", "l. 1"),
        "actes#L2": ("", "Les mêmes mots au début. Puis B, autrement.", "l. 1"),
    }
    notes = re.findall(r"<li>\[\d+\] (.*?)</li>", s._sources_html(lambda x: x))
    assert notes == ["« Les mêmes mots au début. » (l. 1)", "« …Puis B, autrement. » (l. 1)"]


def test_each_fact_of_national_organisations_here_has_its_footnote_on_the_fiche(corpus):
    """Thirty-first reading: Île-de-France's fiche said the UFISC's part in the conventions of Seine-Saint-Denis (L576)
    with no footnote; the MIRAMAP's part in Devenir paysan has its own (L452)."""
    fiche = Brief(corpus, "ile-de-france").fiche()
    found = fiche.parts[0]
    assert {"actes-coconstruire-2019#L452", "actes-coconstruire-2019#L576"} <= set(found.sources)


def test_an_acronym_a_name_starts_with_is_spelled_out():
    """Thirty-first reading: « le GAB d'Île-de-France » (L910) was never spelled out; « GAB IdF » is its sigle."""
    corpus = mesra.load_corpus()
    text = " ".join(_said(s) for s in Brief(corpus, "ile-de-france").sections() if hasattr(s, "bullets"))
    assert "GAB d'Île-de-France" in text
    said = _said(Brief(corpus, "ile-de-france").glossary())
    assert "GAB : Groupement des agriculteurs biologiques¹" in said


def test_occitanie_s_forum_is_said_yearly_and_the_start_of_the_campaign(corpus):
    """Thirty-first reading: the FRESS the MES Occitanie organises « chaque année » (L916) and whose 2019 work starts
    the campaign towards the Forum Social Mondial 2020 (L993) was a bare name on the fiche."""
    fiche = Brief(corpus, "occitanie").fiche()
    said = " ".join(b for p in fiche.parts for b in p.bullets)
    assert (
        "Forum Régional de l'Économie Sociale et Solidaire en Occitanie (échelon régional) ; "
        "objet : l'organiser chaque année ;" in said
    )
    assert "campagne de mobilisation prévue vers le Forum Social Mondial" in said


def test_the_apes_s_european_projects_are_said_as_the_proceedings_date_them(corpus):
    """Thirty-second reading: « l'APES participe à VISES … à la Déclaration politique commune » said as under way
    projects the proceedings call « en cours ou clôturés récemment » (L524) and a declaration the APES « a récemment
    participé » to (L578)."""
    said = _said(Brief(corpus, "hauts-de-france").practices_section())
    assert "l'APES participe à VISES (projet européen en cours ou clôturé récemment, pour concevoir" in said
    assert "l'APES participe à Corus-ESS (projet en cours ou clôturé récemment, qui a produit un Alterguide)" in said
    assert "l'APES a participé à la Déclaration politique commune (projet européen VISES)" in said
    # an objet the name already says is not said again (L566)
    said = _said(Brief(corpus, "normandie").practices_section())
    assert "pour l'échange de bonnes pratiques ;" in said and "(l'échange de bonnes pratiques)" not in said
    # nor brackets in brackets (L564: « (co-construction d'évaluations) »)
    assert "des chiffres, co-construction d'évaluations)" in said


def test_thirty_second_reading_of_occitanie_normandie_and_bourgogne_franche_comte(corpus):
    """The tool KPsens created is said done in part 1 as in part 4 (L532: « a créé »); Normandie's fiche does not say
    « instances de concertation territoriales » twice (L330);
    Bourgogne-Franche-Comté's empty advocacy part points to the cooperations it has (L530); the glossary spells out
    EPCI (L762) and COORACE; the axes' grid has no « . ; »."""
    said = _said(Brief(corpus, "occitanie").network_section())
    assert "a développé le Label départemental basé sur l'auto-évaluation" in said
    assert "; développe le Label" not in said
    nor = " ".join(Brief(corpus, "normandie").key_findings().bullets)
    assert nor.count("instances de concertation territoriales") == 1
    assert "processus de participation" not in nor
    bfc = Brief(corpus, "bourgogne-franche-comte")
    adv = " ".join(p for part in bfc.fiche().parts for p in part.paragraphs if "plaidoyer" in p)
    assert adv.endswith("; leurs coopérations sont dites plus haut, dans « À retenir ».")
    assert "EPCI : établissement public de coopération intercommunale" in _said(bfc.glossary())
    assert "COORACE : Coordination des associations d'aide aux chômeurs par l'emploi¹" in _said(
        Brief(corpus, "normandie").glossary()
    )
    grid = bfc.axes_grid()
    assert not grid["Ce qu'elles en disent"].fillna("").str.contains(r"\. ;", regex=True).any()


def test_the_analysis_axes_are_told_apart_from_the_chantiers_and_l251_says_liens(corpus):
    """Thirty-second reading, four readers: « 2 des 5 axes d'analyse de la note de cadrage (le sixième de ses 6 axes est
    le programme d'action) » read as the chantiers' Axes 1 to 4; the ChairESS « partenaire du MES » where L251 says
    « les liens avec … le ChairESS »."""
    bfc = " ".join(Brief(corpus, "bourgogne-franche-comte").key_findings().bullets)
    assert "des 5 axes d'analyse de la note de cadrage (distincts des chantiers du séminaire)" in bfc
    assert "le sixième de ses 6 axes" not in bfc
    net = _said(Brief(corpus, "hauts-de-france").network_section())
    assert "partenaire du MES (objet : liens par lesquels l'alliance entre chercheurs et acteurs est entretenue" in net


def test_thirty_third_reading(corpus):
    """Organisations without a named partner are said so, not judged (Terres de Convergence is « porté par près d'une
    centaine d'associations », L348); a name the proceedings write, in the plural or across a line break, is not marked
    « ¹ » (L762, L310); the RIPESS Europe is never shortened to « RIPESS » (L936); Opale carries the DLA as a resource
    centre for culture (L504, L764)."""
    net = _said(Brief(corpus, "occitanie").network_section())
    assert "Pour 3 organisations du territoire, les sources ne nomment ni partenariat" in net
    assert "avec une autre organisation nommée ; elles les citent autrement" in net
    said = _said(Brief(corpus, "bourgogne-franche-comte").glossary())
    assert "EPCI : établissement public de coopération intercommunale ;" in said
    assert "BFC : Bourgogne-Franche-Comté ;" in said
    fr = Brief(corpus, "fr")
    assert "membres du RIPESS." not in " ".join(_said(s) for s in fr.sections() if hasattr(s, "bullets"))
    assert "comme centre de ressources pour la culture sur les DLA), par Opale" in str(fr.lists_annex())
    # the Axe 4 plan is p. 31-32: the cartography's announcement on p. 30 (L950) is context, not the plan
    occ = " ".join(p for part in Brief(corpus, "occitanie").fiche().parts for p in part.paragraphs)
    assert "le plan du chantier compte 10 actions et 2 besoins exprimés (p. 31-32)" in occ
