"""The default corpus drawn from the 2019 proceedings: valid, complete, every fact sourced."""

from __future__ import annotations

import re

import pytest
from helpers import ROOT

from mesra import check_corpus, load_corpus
from mesra.corpus.validate import line_ranges


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


def test_default_corpus_is_valid():
    assert check_corpus(ROOT / "data") == []


def test_source_text_is_the_founding_document(corpus):
    seed = ROOT.parent / "shared" / "seeds" / "000_789ba75d045d0e43.txt"
    if not seed.exists():
        pytest.skip("shared/seeds absent from this checkout")
    assert (ROOT / "data" / "sources" / "actes-coconstruire-2019.txt").read_bytes() == seed.read_bytes()


def test_the_26_participants_with_their_structure(corpus):
    text = corpus.source_texts["actes-coconstruire-2019"].splitlines()
    start = text.index("BELVAL Luc\tAPES\tPrésident")
    listed = [line.split("\t") for line in text[start : start + 26]]
    assert len(listed) == 26 and all(len(row) == 3 for row in listed)
    people = corpus.personnes.assign(full=lambda d: d["nom"].str.upper() + " " + d["prenom"])
    for name, _structure, fonction in listed:
        nom = name.rsplit(" ", 1)[0]
        row = people[people["full"].str.upper() == name.upper()]
        assert len(row) == 1, name
        assert row["fonction"].iloc[0] == fonction, name
        assert isinstance(row["acteur_id"].iloc[0], str), f"{nom}: structure missing"


def test_spelling_variants_are_one_person(corpus):
    ids = set(corpus.personnes["personne_id"])
    assert "jean-baptiste-jobard" in ids and not ids & {"jean-baptiste-cobard", "jean-baptiste-jobbard"}
    assert "berengere-delfairiere" in ids and "berangere-delfairiere" not in ids


def test_every_workshop_has_its_participants_and_referent(corpus):
    liens = corpus.liens
    referents = {1: "fabrice-penasse", 2: "olivia-ruel-mailfert", 3: "jean-baptiste-cazin", 4: "berenice-dondeyne"}
    for axe, referent in referents.items():
        chantier = f"chantier-axe-{axe}"
        members = set(liens.loc[(liens["cible_id"] == chantier) & (liens["relation"] == "participe_a"), "source_id"])
        assert referent in members
        assert (
            (liens["source_id"] == referent) & (liens["cible_id"] == chantier) & (liens["relation"] == "porte")
        ).any()
        assert len(members) >= 8


def test_figures_exactly_as_stated(corpus):
    monos = corpus.monographies.set_index("id")
    assert monos.loc["generateur-bfc", "chiffres"]["collectivites_accompagnees"] == 23
    assert monos.loc["animation-territoriale-apes", "chiffres"]["territoires_d_intervention"] == 16
    # L322: "afin de réunir les 120 entreprises du territoire" is a goal, not a figure of what was done
    apes = monos.loc["animation-territoriale-apes"]
    assert "entreprises_reunies_bethune_bruay" not in apes["chiffres"]
    assert any("réunir les 120 entreprises" in o for o in apes["objectifs"])
    assert not any("vague connaissance" in b for b in apes["besoins_non_couverts"])


def test_at_least_seven_monographs_following_the_frame(corpus):
    m = corpus.monographies
    assert len(m) >= 7
    assert {
        "generateur-bfc",
        "animation-territoriale-apes",
        "tzcld-ardes",
        "relais-locaux-occitanie",
        "terres-de-convergence",
        "ptce-retour-experience",
        "ecosysteme",
    } <= set(m["id"])
    for col in ("section_Besoins non couverts", "section_Innovation sociale", "section_Coopération"):
        assert m[col].str.len().gt(0).all()


def test_every_row_cites_a_line_range_that_exists(corpus):
    n = len(corpus.source_texts["actes-coconstruire-2019"].splitlines())
    for table in ("acteurs", "personnes", "liens"):
        for loc in getattr(corpus, table)["source"]:
            sid, _, where = loc.partition("#")
            assert sid in set(corpus.sources["source_id"]), loc
            if sid == "actes-coconstruire-2019":
                ranges = line_ranges(where)
                assert ranges and all(1 <= a <= b <= n for a, b in ranges), loc
    for sources in corpus.monographies["sources"]:
        assert sources and all(re.match(r"^actes-coconstruire-2019#L\d+", s) for s in sources)


def test_cited_lines_mention_the_actor(corpus):
    """Spot check: the cited lines of most actors contain their name, acronym or id words."""
    text = corpus.source_texts["actes-coconstruire-2019"].splitlines()

    def fold(s):
        import unicodedata

        return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()

    hits = 0
    for a in corpus.acteurs.itertuples():
        ranges = line_ranges(a.source.partition("#")[2]) or []
        cited = fold(" ".join(" ".join(text[x - 1 : y]) for x, y in ranges))
        keys = [fold(a.nom)[:12], fold(a.sigle or "")] + [w for w in a.acteur_id.split("-") if len(w) > 3]
        hits += any(k and k in cited for k in keys)
    assert hits / len(corpus.acteurs) > 0.9


def test_axe4_advocacy_cartography_covers_the_four_echelons(corpus):
    axe4 = corpus.liens[corpus.liens["axe"] == 4]
    assert {"local", "regional", "national", "international"} <= set(axe4["echelon"].dropna())


def _lines(locator):
    return {n for a, b in line_ranges(locator.partition("#")[2]) or [] for n in range(a, b + 1)}


#: Each practice the Axe 2 (L496-594) and Axe 3 (L760-796) pages attribute to an actor:
#: line -> the actors it names as doing something.
AXE2_PRACTICES = {
    502: ["miramap"],  # capitalisation des démarches d'amélioration des pratiques ; évaluation participative
    504: ["opale"],  # fiches de synthèse pour le DLA, articles de veille
    506: ["apes"],  # état des lieux théorique et pratique
    508: ["mes-occitanie"],  # groupe de travail RSE de la Région
    510: ["kpsens"],  # veille labellisation et chartes
    518: ["miramap"],  # EATingCRAFT
    520: ["opale"],  # recherche-action droits humains, collectif droits culturels
    524: ["apes"],  # VISES, Corus-ESS, thèse CIFRE
    526: ["ardes"],  # portraits vidéo
    528: ["mes-occitanie"],  # Balance sociale 2020
    530: ["pesad21"],  # évaluation de son utilité sociale
    532: ["kpsens"],  # label départemental
    536: ["cnlrq"],  # démarche qualité
    538: ["miramap"],  # SPG des AMAP
    540: ["opale"],  # ESS'perluette
    542: ["apes"],  # Alterguide, déclaration commune, site internet
    544: ["ardes"],  # grille référentielle
    550: ["mes-occitanie"],  # EVALUMIP
    552: ["mes"],  # Guide des bonnes pratiques
    556: ["opale"],  # veille transmise aux chargés DLA
    558: ["ufisc"],  # webinaires, charte et auto-diagnostic
    560: ["apes"],  # formation d'entreprises test
    562: ["ardes"],  # formations ESS, fiches de présentation
    564: ["mes-occitanie"],  # formation EVALUMIP
    566: ["kpsens"],  # ateliers
    568: ["mes"],  # formations génériques
    572: ["miramap"],  # IFOAM, FAO
    574: ["opale"],  # ministère de la Culture
    576: ["ufisc"],  # conventions pluriannuelles, ministère, collectivités
    578: ["apes"],  # déclaration politique commune
    580: ["ardes"],  # sensibilise les collectivités
    586: ["mes-occitanie"],  # instances régionales
    590: ["miramap"],  # réseau national des SPG
    592: ["ardes"],  # rencontres entre structures de l'économie solidaire
    594: ["mes-occitanie"],  # Grand procès de la RSE
}
AXE3_PRACTICES = {
    762: ["pesad21"],
    764: ["opale"],
    776: ["mes"],
    781: ["mes-occitanie", "opale", "pesad21", "ardes"],
    782: ["adherents-accompagnement-reseaux-mes"],  # « certains adhérents » of the APES, MIRAMAP, UFISC
    793: ["apes"],
    794: ["apeas"],
    # L795 gives the ARDES as an illustration (« à l'image de ») of a channel and names no partner: no tie
    796: ["pesad21"],
}


@pytest.mark.parametrize(("axe", "practices"), [(2, AXE2_PRACTICES), (3, AXE3_PRACTICES)])
def test_every_practice_of_axes_2_and_3_has_its_own_row(corpus, axe, practices):
    liens = corpus.liens[corpus.liens["axe"] == axe]
    cited = [(row.source_id, _lines(row.source)) for row in liens.itertuples()]
    missing = [
        (line, actor)
        for line, actors in practices.items()
        for actor in actors
        if not any(src == actor and line in lines for src, lines in cited)
    ]
    assert missing == []


def test_new_practice_targets_are_named_on_their_line(corpus):
    """The targets added for the practices without one: typed, sourced, named where cited."""
    acteurs = corpus.acteurs.set_index("acteur_id")
    expected = {
        "portraits-video-ardes": ("outil", 526),
        "fiches-utilite-sociale-ardes": ("outil", 562),
        "formations-ess-ardes": ("projet", 562),
        "rencontres-economie-solidaire": ("evenement", 592),
        "reseau-national-spg-amap": ("collectif", 590),
        "declaration-commune-vises": ("outil", 542),
    }
    for acteur_id, (kind, line) in expected.items():
        assert acteurs.loc[acteur_id, "type"] == kind
        assert line in _lines(acteurs.loc[acteur_id, "source"])


def test_european_bodies_are_european_not_international(corpus):
    liens, acteurs = corpus.liens, corpus.acteurs.set_index("acteur_id")
    european = ["ripess-europe", "urgenci", "pop-mind", "gt-utilite-sociale-ripess-europe", "erasmus-ripess"]
    ties = liens[liens["cible_id"].isin(european) | liens["source_id"].isin(european)]
    assert len(ties) >= 12 and set(ties["echelon"]) == {"europeen"}
    assert set(acteurs.loc[european, "echelon"]) == {"europeen"}
    # what is truly worldwide stays international
    assert acteurs.loc["fao", "echelon"] == acteurs.loc["fsmet-2020", "echelon"] == "international"
    fao = liens[liens["cible_id"] == "fao"]
    assert set(fao["echelon"]) == {"international"}


def test_no_representation_rests_on_a_planned_task(corpus):
    """L663-664 plans, for March 2020, to identify funding partners: not a representation."""
    represente = corpus.liens[corpus.liens["relation"] == "represente"]
    assert not any(_lines(loc) & {663, 664} for loc in represente["source"])
    assert {"herve-roussel", "jean-baptiste-jobard"} == set(represente["source_id"])


def test_advocacy_ties_say_what_they_argue_for(corpus):
    liens = corpus.liens
    plaidoyer = liens[liens["relation"] == "plaide_aupres_de"]
    assert len(plaidoyer) >= 7 and plaidoyer["objet"].notna().all()
    expected = {
        912: ("apes", "co-construction"),
        914: ("ardes", "hybridation des ressources"),
        916: ("mes-occitanie", "stratégie de la nouvelle CRESS Occitanie"),
    }
    for line, (actor, words) in expected.items():
        at_line = liens["source"].map(lambda loc, line=line: line in _lines(loc))
        rows = liens[at_line & liens["cible_id"].str.startswith("cress-")]
        # a board seat is one membership that says what it argues for, not membership plus advocacy
        assert set(rows["relation"]) == {"membre_de"}
        assert (rows["source_id"] == actor).all() and rows["objet"].str.contains(words).all(), line


def test_a_board_seat_counts_once(corpus):
    """L912-916, L928: a seat on a board is one membership, never also an advocacy tie on the same line."""
    liens = corpus.liens
    pairs = {
        (row.source_id, row.cible_id, row.source)
        for row in liens.itertuples()
        if row.relation in ("plaide_aupres_de", "represente")
    }
    seats = liens[liens["relation"] == "membre_de"]
    assert [r for r in seats.itertuples() if (r.source_id, r.cible_id, r.source) in pairs] == []
    assert len(seats[seats["source"].map(lambda loc: bool(_lines(loc) & {912, 914, 916, 928}))]) >= 6


def test_objet_uses_the_words_of_its_cited_lines(corpus):
    """Nothing invented: most words of every ``objet`` are in the lines the tie cites."""
    import unicodedata

    def words(s):
        s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()
        return set(re.findall(r"[a-z]{5,}", s))

    text = corpus.source_texts["actes-coconstruire-2019"].splitlines()
    filled = corpus.liens[corpus.liens["objet"].notna()]
    assert len(filled) >= 40
    for row in filled.itertuples():
        cited = words(" ".join(text[n - 1] for n in sorted(_lines(row.source))))
        own = words(row.objet)
        assert len(own & cited) >= 0.75 * len(own), (row.source, row.objet, own - cited)


#: The Axe 4 lists of advocacy, sensitisation and partnerships (L894-936): line -> level
#: (the "international" heading holds European bodies, coded ``europeen``, see data/README.md).
AXE4_ENTRIES = {
    **dict.fromkeys((896, 898, 900, 902, 904, 906), "local"),
    **dict.fromkeys((910, 912, 914, 916), "regional"),
    **dict.fromkeys((924, 926, 928), "national"),
    **dict.fromkeys((932, 934, 936), "europeen"),
}


def test_every_entry_of_the_axe4_lists_is_a_tie_at_its_level(corpus):
    liens = corpus.liens[corpus.liens["axe"] == 4]
    at = {line: liens[liens["source"].map(lambda loc, line=line: line in _lines(loc))] for line in AXE4_ENTRIES}
    assert [line for line, level in AXE4_ENTRIES.items() if level not in set(at[line]["echelon"])] == []
    # what the entry argues for or promotes, when the text says it (not L926 nor L934)
    assert [line for line, rows in at.items() if line not in (926, 934) and rows["objet"].isna().all()] == []


def test_people_of_the_closing_pages_have_all_their_roles():
    """L1058-1097: the co-president who signs the conclusion, the credits, the speakers thanked."""
    import csv

    with open(ROOT / "data" / "roles.csv", encoding="utf-8", newline="") as f:
        roles = [(r["personne_id"], r["acteur_id"], r["fonction"], _lines(r["source"])) for r in csv.DictReader(f)]
    expected = [
        ("josette-combes", "mes", 1058),
        ("josette-combes", "", 1058),
        ("bruno-lasnier", "seminaire-coconstruire-2019", 1067),
        ("jowill-mihindou", "seminaire-coconstruire-2019", 1069),
        ("jowill-mihindou", "", 1088),
        ("patricia-coler", "seminaire-coconstruire-2019", 1071),
        ("berenice-dondeyne", "chantier-axe-4", 1077),
        ("fabrice-penasse", "chantier-axe-1", 1074),
        ("herve-roussel", "table-ronde-economie-citoyenne-2019", 1079),
        ("laurent-fraisse", "table-ronde-economie-citoyenne-2019", 1079),
        ("jean-baptiste-jobard", "debat-marchandisation-2019", 1081),
    ]
    missing = [e for e in expected if not any(p == e[0] and a == e[1] and e[2] in lines for p, a, _, lines in roles)]
    assert missing == []
    assert any(p == "josette-combes" and "conclusion" in f for p, _, f, _ in roles)
