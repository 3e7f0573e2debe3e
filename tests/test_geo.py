"""The reference geography shipped as package data."""

from __future__ import annotations

from mesra.corpus.geo import ancestors, descendants, reference_territories
from mesra.text import ID_PATTERN, slugify


def test_regions_and_departements_with_codes_and_parents():
    ref = reference_territories()
    regions = ref[ref["niveau"] == "region"]
    deps = ref[ref["niveau"] == "departement"]
    assert len(regions) == 18 and len(deps) == 101
    assert set(deps["parent_id"]) <= set(regions["territoire_id"])
    assert (regions["parent_id"] == "fr").all()
    assert ref["territoire_id"].is_unique and ref["territoire_id"].map(lambda s: bool(ID_PATTERN.match(s))).all()
    row = ref.set_index("territoire_id").loc["cote-d-or"]
    assert (row["code_insee"], row["parent_id"]) == ("21", "bourgogne-franche-comte")
    assert ref.set_index("territoire_id").loc["corse-du-sud", "code_insee"] == "2A"
    assert ref.set_index("territoire_id").loc["guadeloupe-971", "parent_id"] == "guadeloupe"


def test_slugs_of_official_names():
    assert slugify("Pays de la Loire") == "pays-de-la-loire"
    assert slugify("Côte-d'Or") == "cote-d-or"
    assert slugify("  Île-de-France ") == "ile-de-france"
    assert slugify("Œuvre & Cœur") == "oeuvre-coeur"


def test_hierarchy_rolls_up():
    ref = reference_territories()
    assert ancestors(ref, "gard") == ["occitanie", "fr", "europe", "monde"]
    below = descendants(ref, "occitanie")
    assert below[0] == "occitanie" and "gard" in below and "herault" in below and "nord" not in below
    assert len(descendants(ref, "fr")) == 1 + 18 + 101 + 8  # + the overseas collectivities


def test_overseas_collectivities_are_territories_of_their_own():
    """Saint-Pierre-et-Miquelon, Saint-Barthélemy, Saint-Martin… : neither régions nor départements, under fr."""
    import json
    from pathlib import Path

    from mesra.corpus.contract import NIVEAUX, label

    ref = reference_territories()
    coms = ref[ref["niveau"] == "collectivite_outre_mer"].set_index("code_insee")
    assert "collectivite_outre_mer" in NIVEAUX and label("collectivite_outre_mer") == "Collectivité d'outre-mer"
    assert (coms["parent_id"] == "fr").all()
    assert coms.loc["977", "territoire_id"] == "saint-barthelemy" and coms.loc["978", "nom"] == "Saint-Martin"
    # every collectivity the official geography lists (zone "com"), when the shared copy is here
    shared = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "geo" / "departements.json"
    expected = {"975", "977", "978", "984", "986", "987", "988", "989"}
    if shared.exists():
        expected = {d["code"] for d in json.loads(shared.read_text("utf-8")) if d["zone"] == "com"}
    assert set(coms.index) == expected
    assert ancestors(ref, "saint-barthelemy") == ["fr", "europe", "monde"]
