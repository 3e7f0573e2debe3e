"""Commune / EPCI resolution against the reference geography (package data)."""

from __future__ import annotations

import pytest

from mesra.corpus.communes import (
    commune_table,
    departement_from_postal_code,
    epci_table,
    resolve_address,
    split_address,
    territory_rows,
)
from mesra.corpus.geo import ancestors, reference_territories


def _code(tid):
    communes = commune_table()
    return communes.loc[communes["territoire_id"] == tid, "code_insee"].item()


@pytest.mark.parametrize(
    "postal_code, commune, insee",
    [
        ("21000", "Dijon", "21231"),
        ("75011", "Paris 11e Arrondissement", "75056"),  # arrondissement → the commune
        ("69003", "Lyon 3eme", "69123"),
        ("13001", "MARSEILLE CEDEX 01", "13055"),  # case, Cedex
        ("42000", "ST ETIENNE", "42218"),  # St → Saint
        ("72000", "Mans (Le)", "72181"),  # INSEE's article form
        ("20200", "Bastia", "2B033"),  # Haute-Corse
        ("20000", "Ajaccio", "2A004"),  # Corse-du-Sud
        ("97400", "Saint-Denis", "97411"),  # overseas, homonym of Saint-Denis (93)
        ("93200", "Saint-Denis", "93066"),
    ],
)
def test_postal_code_and_name_resolve_the_commune(postal_code, commune, insee):
    r = resolve_address(postal_code=postal_code, commune=commune)
    assert r.status == "commune"
    assert r.commune_code == insee
    assert _code(r.territoire_id) == insee


def test_insee_code_wins():
    r = resolve_address(insee="30007", commune="nimporte", postal_code="75001")
    assert (r.status, r.commune_code) == ("commune", "30007")


def test_unknown_commune_falls_back_to_the_departement_of_the_postal_code():
    r = resolve_address(postal_code="21000", commune="Lieu-dit Imaginaire")
    assert r.status == "departement"
    assert r.territoire_id == "cote-d-or"
    assert "introuvable" in r.message


def test_homonym_without_postal_code_is_ambiguous_and_lists_candidates():
    r = resolve_address(commune="Saint-Martin")
    assert r.status == "ambigu"
    assert len(r.candidates) > 1
    assert "code postal" in r.message
    # candidates spread over several régions: nothing common is claimed
    assert r.territoire_id is None


def test_ambiguous_candidates_in_one_region_give_that_region():
    communes = commune_table()
    # find a name shared only by communes of one région (computed, not hard-coded)
    ref = reference_territories()
    dep_region = {r.code_insee: r.parent_id for r in ref[ref["niveau"] == "departement"].itertuples()}
    groups = communes.groupby("nom")["departement"].agg(list)
    name = next(
        n
        for n, deps in groups.items()
        if len(deps) > 1 and len(set(deps)) > 1 and len({dep_region[d] for d in deps}) == 1
    )
    r = resolve_address(commune=name)
    assert r.status == "ambigu"
    assert r.territoire_id == dep_region[groups[name][0]]


def test_unique_name_without_postal_code_resolves():
    r = resolve_address(commune="Fontaine-lès-Dijon")
    assert (r.status, r.commune_code) == ("commune", "21278")


def test_foreign_and_empty_addresses_are_not_found():
    assert resolve_address(postal_code="1000", commune="Bruxelles", country="Belgique").status == "introuvable"
    assert resolve_address().status == "introuvable"
    assert resolve_address(commune="Nulle-Part-Imaginaire").territoire_id is None
    assert resolve_address(postal_code="99999", commune="Nulle-Part").status == "introuvable"


@pytest.mark.parametrize(
    "postal_code, expected",
    [
        ("21000", "21"),
        ("20090", "2A"),
        ("20200", "2B"),
        ("97400", "974"),
        ("01000", "01"),
        ("1000", None),
        ("98000", None),
        ("ABCDE", None),
        ("", None),
        (None, None),
    ],
)
def test_departement_from_postal_code(postal_code, expected):
    assert departement_from_postal_code(postal_code) == expected


def test_lost_leading_zero_is_restored_only_when_asked():
    assert departement_from_postal_code("1000", pad=True) == "01"
    assert resolve_address(postal_code="1000", commune="Bourg-en-Bresse", country="France").commune_code == "01053"


def test_identifiers_are_unique_and_every_commune_rolls_up_to_a_region():
    ref = reference_territories()
    communes, epcis = commune_table(), epci_table()
    ids = [*ref["territoire_id"], *communes["territoire_id"], *epcis["territoire_id"]]
    assert len(ids) == len(set(ids))
    rows = territory_rows(communes["territoire_id"])
    assert len(rows) == len(communes) + len(set(communes["parent_id"]) & set(epcis["territoire_id"]))
    parent = dict(zip(ref["territoire_id"], ref["parent_id"])) | {r["territoire_id"]: r["parent_id"] for r in rows}
    # a région, or an overseas collectivity (Saint-Barthélemy…), which belongs to none
    regions = set(ref.loc[ref["niveau"].isin(["region", "collectivite_outre_mer"]), "territoire_id"])
    for tid in communes["territoire_id"]:
        chain, current = [], parent[tid]
        while current and len(chain) < 10:
            chain.append(current)
            current = parent.get(current)
        assert regions & set(chain), tid
    # the corpus API agrees on one of them
    import pandas as pd

    table = pd.concat([ref, pd.DataFrame(rows)], ignore_index=True)
    assert "bourgogne-franche-comte" in ancestors(table, resolve_address(insee="21231").territoire_id)


def test_commune_parent_is_its_epci_or_its_own_departement():
    communes = commune_table()
    epcis = epci_table().set_index("territoire_id")
    ref = reference_territories()
    dep_id = dict(zip(ref["code_insee"], ref["territoire_id"]))
    for row in communes.itertuples():
        if row.parent_id in epcis.index:
            assert epcis.loc[row.parent_id, "parent_id"] == dep_id[row.departement]
        else:
            assert row.parent_id == dep_id[row.departement]


def test_territory_rows_follow_the_chain_and_skip_the_reference():
    r = resolve_address(postal_code="21000", commune="Dijon")
    rows = territory_rows([r.territoire_id, "occitanie", "pas-un-territoire"])
    by_id = {row["territoire_id"]: row for row in rows}
    assert set(by_id) == {r.territoire_id, by_id[r.territoire_id]["parent_id"]}
    epci = by_id[by_id[r.territoire_id]["parent_id"]]
    assert epci["niveau"] == "epci" and epci["parent_id"] == "cote-d-or"


# --- the postal code's département is authoritative (issue 14) ----------------------------------
def test_a_commune_found_only_outside_the_postal_codes_departement_is_a_conflict():
    # "16370 Cherves" in the real GoGoCarto sample: 16370 is in Charente, the only Cherves in Vienne
    communes = commune_table()
    assert set(communes.loc[communes["nom"] == "Cherves", "departement"]) == {"86"}
    r = resolve_address(postal_code="16370", commune="Cherves")
    assert r.status == "conflit"
    assert r.territoire_id == "charente"  # left at the postal code's département, never moved to Vienne
    assert r.candidates == ("86073",)
    assert "16370" in r.message and "Charente" in r.message and "Cherves (86073, Vienne)" in r.message


def test_a_name_of_several_communes_outside_the_departement_lists_them_all():
    r = resolve_address(postal_code="21000", commune="Saint-Martin")
    assert r.status == "conflit" and r.territoire_id == "cote-d-or"
    communes = commune_table()
    assert len(r.candidates) == (communes["nom"] == "Saint-Martin").sum()


def test_corsican_postal_codes_search_both_departements():
    # 20xxx: the split at 20200 is La Poste's habit, not a rule; a Corsican commune is never a conflict
    r = resolve_address(postal_code="20200", commune="Ajaccio")
    assert (r.status, r.commune_code) == ("commune", "2A004")


@pytest.mark.parametrize(
    "text, postal_code, commune",
    [
        ("Hôtel de ville, Dijon (21000)", "21000", "Dijon"),
        ("21000 DIJON CEDEX", "21000", "DIJON CEDEX"),
        ("12 rue Fictive, 21000 Dijon", "21000", "Dijon"),
        ("Place X, Dijon 21000", "21000", "Dijon"),
        ("1 place de la Libération, 21000 Dijon, France", "21000", "Dijon"),
        ("Maison des associations, Chenôve", "", "Chenôve"),
        ("Chenôve", "", "Chenôve"),
        ("12 rue Fictive", "", ""),
        ("", "", ""),
    ],
)
def test_split_address(text, postal_code, commune):
    assert split_address(text) == (postal_code, commune)


@pytest.mark.parametrize(
    "text, insee",
    [
        ("Hôtel de ville, Dijon (21000)", "21231"),
        ("Mairie annexe, 21000 DIJON CEDEX", "21231"),
        ("Maison des associations, Chenôve", "21166"),  # unique in France: no postal code needed
    ],
)
def test_split_addresses_resolve(text, insee):
    cp, commune = split_address(text)
    assert resolve_address(postal_code=cp, commune=commune).commune_code == insee


def test_a_bare_name_that_is_no_commune_is_not_found():
    cp, commune = split_address("Hôtel de ville")
    assert resolve_address(postal_code=cp, commune=commune).status == "introuvable"


# --- overseas collectivities, communes nouvelles, La Poste localities (issue 23) -----------------
@pytest.mark.parametrize(
    "postal_code, commune, collectivity, insee",
    [
        ("97133", "Gustavia", "saint-barthelemy", "97701"),  # chef-lieu of Saint-Barthélemy, no commune
        ("97133", "SAINT-BARTHELEMY", "saint-barthelemy", "97701"),
        ("97150", "Marigot", "saint-martin", "97801"),
        ("97500", "Saint-Pierre", "saint-pierre-et-miquelon", "97502"),
        ("98714", "Papeete", "polynesie-francaise", "98735"),
        ("98800", "Nouméa", "nouvelle-caledonie", "98818"),
        ("98600", "Uvea", "wallis-et-futuna", "98613"),
    ],
)
def test_overseas_collectivities_hold_their_addresses(postal_code, commune, collectivity, insee):
    r = resolve_address(postal_code=postal_code, commune=commune)
    assert (r.status, r.commune_code) == ("commune", insee)
    assert departement_from_postal_code(postal_code) == insee[:3]
    rows = {row["territoire_id"]: row for row in territory_rows([r.territoire_id])}
    assert rows[r.territoire_id]["parent_id"] == collectivity
    ref = reference_territories().set_index("territoire_id")
    assert ref.loc[collectivity, "niveau"] == "collectivite_outre_mer" and ref.loc[collectivity, "parent_id"] == "fr"


def test_guadeloupe_keeps_its_own_postal_codes():
    r = resolve_address(postal_code="97100", commune="Basse-Terre")
    assert r.commune_code == "97105" and departement_from_postal_code("97100") == "971"
    assert departement_from_postal_code("97133") == "977" and departement_from_postal_code("97150") == "978"


def test_a_former_commune_resolves_to_its_commune_nouvelle_with_a_note():
    # Montmoreau-Saint-Cybard (Charente) merged into Montmoreau (16230) in 2017; postal code 16190
    for address in (
        {"postal_code": "16190", "commune": "Montmoreau-Saint-Cybard"},
        {"commune": "Montmoreau-St-Cybard"},
    ):
        r = resolve_address(**address)
        assert (r.status, r.commune_code, r.territoire_id) == ("commune", "16230", "montmoreau")
        assert "Montmoreau (16230, Charente)" in r.note
    # a commune déléguée of the COG: Bellegarde-sur-Valserine is in Valserhône (01033)
    r = resolve_address(postal_code="01200", commune="Bellegarde-sur-Valserine")
    assert r.commune_code == "01033" and "commune déléguée" in r.note
    # a former INSEE code (Saint-Amant-de-Montmoreau, 16311) and an arrondissement's code
    r = resolve_address(insee="16311")
    assert r.commune_code == "16230" and "commune nouvelle" in r.note
    assert resolve_address(insee="75111").commune_code == "75056"


def test_a_la_poste_locality_resolves_to_the_commune_that_serves_it():
    # « Luynes 13080 » is a locality (ligne 5) of Aix-en-Provence, not Luynes of Indre-et-Loire
    r = resolve_address(postal_code="13080", commune="Luynes")
    assert (r.status, r.commune_code, r.territoire_id) == ("commune", "13001", "aix-en-provence")
    assert "localité" in r.note and "La Poste" in r.note
    r = resolve_address(postal_code="37230", commune="Luynes")
    assert (r.status, r.commune_code, r.note) == ("commune", "37139", "")
    # « Luynes » alone names a commune (Indre-et-Loire), and only one
    assert resolve_address(commune="Luynes").commune_code == "37139"
    r = split_address("Chemin de la Gare, 13080 LUYNES")
    assert resolve_address(postal_code=r[0], commune=r[1]).commune_code == "13001"


def test_every_commune_a_postal_code_serves_is_known():
    from mesra.corpus.communes import postal_code_communes

    assert postal_code_communes("13080") == ["13001"]
    assert {"37139", "37109"} <= set(postal_code_communes("37230"))  # Luynes, Fondettes
    # a commune of another département served by the code is no conflict: 05110 serves Claret and Curbans (04)
    served = postal_code_communes("05110")
    other = [c for c in served if not c.startswith("05")]
    assert other
    communes = commune_table().set_index("code_insee")
    r = resolve_address(postal_code="05110", commune=communes.loc[other[0], "nom"])
    assert (r.status, r.commune_code) == ("commune", other[0])


def test_a_postal_code_alone_resolves_only_when_it_serves_one_commune():
    r = resolve_address(postal_code="13080")
    assert r.commune_code == "13001" and "ne dessert que" in r.note
    r = resolve_address(postal_code="37230")  # several communes
    assert (r.status, r.territoire_id) == ("departement", "indre-et-loire")
