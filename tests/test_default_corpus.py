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
    assert monos.loc["animation-territoriale-apes", "chiffres"]["entreprises_reunies_bethune_bruay"] == 120


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
