"""Merging imported rows into an existing corpus: identifier, then name + territory, else ambiguous."""

from __future__ import annotations

import copy
import csv

import pytest

from mesra import MesraError, check_corpus, load_corpus
from mesra.importers import ImportBatch, TerritoryLog, apply_import
from mesra.importers.merge import merge_tables


def read(folder):
    out = {}
    for name in ("sources", "territoires", "acteurs", "personnes", "liens"):
        p = folder / f"{name}.csv"
        if p.exists():
            with open(p, encoding="utf-8", newline="") as fh:
                out[name] = list(csv.DictReader(fh))
    return out


def actor(aid, nom, territoire="", source="imp#id=1", typ="association", **kw):
    return {
        "acteur_id": aid,
        "nom": nom,
        "sigle": "",
        "type": typ,
        "territoire_id": territoire,
        "echelon": "",
        "membre_mes": "",
        "source": source,
        **kw,
    }


def decisions(result, kind, table="acteurs"):
    return [d for d in result.decisions if d.kind == kind and d.table == table]


@pytest.fixture
def existing(mini_dir):
    return read(mini_dir)


def test_same_locator_merges_and_fills_empty_cells(existing):
    target = existing["acteurs"][3]  # projet-delta, no membre_mes
    assert not target["membre_mes"]
    row = actor("autre-nom", "Tout autre nom", source=target["source"], membre_mes="false")
    # a locator several existing actors share identifies none of them: make this one unique
    for r in existing["acteurs"]:
        if r is not target and r["source"] == target["source"]:
            r["source"] = r["source"] + "-bis"
    res = merge_tables(existing, {"acteurs": [row]})
    [d] = decisions(res, "fusionne")
    assert d.target == target["acteur_id"] and "même identifiant de source" in d.message
    merged = next(r for r in res.tables["acteurs"] if r["acteur_id"] == target["acteur_id"])
    assert merged["membre_mes"] == "false" and merged["nom"] == target["nom"]
    assert "membre_mes" in d.message
    assert "acteurs" in res.changed


def test_shared_locator_identifies_nobody(existing):
    shared = existing["acteurs"][3]["source"]
    assert sum(r["source"] == shared for r in existing["acteurs"]) > 1
    res = merge_tables(existing, {"acteurs": [actor("x", "Tout autre nom", source=shared)]})
    assert decisions(res, "cree") and not decisions(res, "fusionne")


@pytest.mark.parametrize("nom", ["Réseau Alpha", "RESEAU ALPHA", "Réseau  alpha !", "RA"])
def test_same_normalised_name_and_territory_merges(existing, nom):
    res = merge_tables(existing, {"acteurs": [actor("reseau-alpha-importe", nom, "occitanie")]})
    [d] = decisions(res, "fusionne")
    assert d.target == "reseau-alpha" and "même nom" in d.message
    assert len(res.tables["acteurs"]) == len(existing["acteurs"])


@pytest.mark.parametrize("territoire", ["", "gard", "ales", "fr"])
def test_same_name_with_an_unsettling_territory_is_left_to_the_user(existing, territoire):
    rows = {
        "acteurs": [actor("reseau-alpha", "Réseau Alpha", territoire)],
        "liens": [
            {
                "source_id": "reseau-alpha",
                "cible_id": "projet-delta",
                "relation": "partenaire_de",
                "axe": "",
                "echelon": "",
                "annee": "",
                "source": "imp#id=1",
            }
        ],
    }
    res = merge_tables(existing, rows)
    [d] = decisions(res, "ambigu")
    assert d.target is None
    assert "Non importé" in d.message and "reseau-alpha" in d.message
    assert len(res.tables["acteurs"]) == len(existing["acteurs"])
    [tie] = decisions(res, "ecarte", "liens")
    assert "ambiguë" in tie.message
    assert len(res.tables["liens"]) == len(existing["liens"])


def test_homonym_in_an_unrelated_territory_is_a_new_actor(existing):
    res = merge_tables(existing, {"acteurs": [actor("reseau-alpha", "Réseau Alpha", "bretagne")]})
    [d] = decisions(res, "cree")
    assert d.target == "reseau-alpha-2" and "déjà pris" in d.message


def test_several_candidates_are_ambiguous(existing):
    existing["acteurs"].append(actor("reseau-alpha-bis", "Réseau Alpha", "occitanie", source="doc-test#L9"))
    res = merge_tables(existing, {"acteurs": [actor("ra", "Réseau Alpha", "occitanie")]})
    [d] = decisions(res, "ambigu")
    assert "reseau-alpha-bis" in d.message and "« reseau-alpha »" in d.message


def test_territory_is_matched_by_insee_code(existing):
    row = {
        "territoire_id": "ales-autre",
        "nom": "Alès",
        "niveau": "commune",
        "code_insee": "30007",
        "parent_id": "gard",
        "source": "geo",
    }
    res = merge_tables(existing, {"territoires": [row], "acteurs": [actor("x", "Nouvel acteur", "ales-autre")]})
    assert [d.target for d in res.decisions if d.table == "territoires"] == ["ales"]
    assert res.tables["acteurs"][-1]["territoire_id"] == "ales"
    assert "territoires" not in res.changed


def test_territory_id_clash_gets_a_suffix(existing):
    row = {
        "territoire_id": "ales",
        "nom": "Alès (autre)",
        "niveau": "commune",
        "code_insee": "99999",
        "parent_id": "gard",
        "source": "geo",
    }
    res = merge_tables(existing, {"territoires": [row], "acteurs": [actor("x", "Nouvel acteur", "ales")]})
    assert res.tables["territoires"][-1]["territoire_id"] == "ales-2"
    assert res.tables["acteurs"][-1]["territoire_id"] == "ales-2"


def test_people_and_ties(existing):
    people = [
        {
            "personne_id": "jeanne-martin",
            "nom": "MARTIN",
            "prenom": "",
            "acteur_id": "",
            "fonction": "",
            "source": "imp#id=p",
        },
        {
            "personne_id": "reseau-alpha",
            "nom": "Homonyme d'un acteur",
            "prenom": "",
            "acteur_id": "",
            "fonction": "",
            "source": "imp#id=q",
        },
    ]
    ties = [
        dict(existing["liens"][1]),  # endpoints the import does not redefine
        {
            "source_id": "reseau-alpha",
            "cible_id": "projet-delta",
            "relation": "participe_a",
            "axe": "",
            "echelon": "",
            "annee": "",
            "source": "imp#id=q",
        },
    ]
    res = merge_tables(existing, {"personnes": people, "liens": ties})
    assert [d.kind for d in res.decisions if d.table == "personnes"] == ["deja_present", "cree"]
    new_person = res.tables["personnes"][-1]["personne_id"]
    assert new_person == "reseau-alpha-2"
    assert [d.kind for d in res.decisions if d.table == "liens"] == ["deja_present", "cree"]
    assert res.tables["liens"][-1]["source_id"] == new_person


def test_ties_whose_ends_merge_into_one_actor_are_dropped(existing):
    rows = {
        "acteurs": [
            actor("a", "Réseau Alpha", "occitanie", source="imp#id=a"),
            actor("b", "RA", "occitanie", source="imp#id=b"),
        ],
        "liens": [
            {
                "source_id": "a",
                "cible_id": "b",
                "relation": "partenaire_de",
                "axe": "",
                "echelon": "",
                "annee": "",
                "source": "imp#id=a",
            }
        ],
    }
    res = merge_tables(existing, rows)
    [d] = decisions(res, "ecarte", "liens")
    assert "reseau-alpha" in d.message


def test_inputs_are_not_modified(existing):
    rows = {"acteurs": [actor("reseau-alpha", "Réseau Alpha", "occitanie", sigle="")]}
    before = copy.deepcopy((existing, rows))
    merge_tables(existing, rows)
    assert (existing, rows) == before


def _batch(tmp_path, actors, ties=()):
    return ImportBatch(
        "test",
        tmp_path / "in.json",
        {"source_id": "imp", "titre": "Import de test", "auteur": "", "annee": "", "fichier": ""},
        {"acteurs": actors, "liens": list(ties)},
        TerritoryLog(),
    )


def test_apply_keeps_user_columns_and_order(tmp_path, mini_dir):
    path = mini_dir / "acteurs.csv"
    lines = path.read_text("utf-8").splitlines()
    path.write_text(
        "\n".join([lines[0] + ",notes"] + [f"{line},note {i}" for i, line in enumerate(lines[1:])]) + "\n", "utf-8"
    )
    before = [r["acteur_id"] for r in read(mini_dir)["acteurs"]]
    report = apply_import(
        _batch(tmp_path, [actor("nouveau", "Nouvel acteur", "gard", source="imp#id=n")]), mini_dir, force=True
    )
    assert [p.name for p in report.written] == ["sources.csv", "acteurs.csv"]
    after = read(mini_dir)["acteurs"]
    assert [r["acteur_id"] for r in after] == [*before, "nouveau"]
    assert after[0]["notes"] == "note 0" and after[-1]["notes"] == ""
    assert check_corpus(mini_dir) == []


def test_apply_refuses_to_make_a_corpus_invalid(tmp_path, mini_dir):
    before = {p.name: p.read_bytes() for p in mini_dir.glob("*.csv")}
    bad = _batch(tmp_path, [actor("nouveau", "Nouvel acteur", "nulle-part", source="imp#id=n")])
    with pytest.raises(MesraError, match="rendrait le corpus .* invalide"):
        apply_import(bad, mini_dir, force=True)
    assert {p.name: p.read_bytes() for p in mini_dir.glob("*.csv")} == before


def test_apply_reports_an_already_broken_corpus(tmp_path, mini_dir):
    (mini_dir / "liens.csv").write_text(
        (mini_dir / "liens.csv").read_text("utf-8").replace(",accompagne,", ",accompagnee,"), "utf-8"
    )
    report = apply_import(
        _batch(tmp_path, [actor("nouveau", "Nouvel acteur", source="imp#id=n")]), mini_dir, force=True
    )
    assert any("comportait déjà 1 problème" in n for n in report.notes)
    assert "nouveau" in set(load_corpus_acteurs(mini_dir))


def load_corpus_acteurs(folder):
    return [r["acteur_id"] for r in read(folder)["acteurs"]]


def test_apply_unreadable_table_is_refused(tmp_path, mini_dir):
    (mini_dir / "acteurs.csv").write_bytes(b'acteur_id,nom\n"non ferme,x\n')
    with pytest.raises(MesraError, match="illisible"):
        apply_import(_batch(tmp_path, [actor("n", "N", source="imp#id=n")]), mini_dir, force=True)


def test_summary_lists_ambiguous_decisions(tmp_path, mini_dir):
    report = apply_import(_batch(tmp_path, [actor("ra", "Réseau Alpha", "", source="imp#id=r")]), mini_dir)
    assert not report.applied
    text = report.summary()
    assert "1 ambigu(s)" in text and "[ambigu, laissé à votre décision]" in text and "--force" in text
    assert load_corpus(mini_dir)  # untouched and still valid
