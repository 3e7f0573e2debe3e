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
    assert len(descendants(ref, "fr")) == 1 + 18 + 101
