"""`mesra import tableur`: any table of actors (CSV or .xlsx), counted against the file itself."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from helpers import snapshot

from mesra import MesraError, check_corpus, load_corpus
from mesra.cli import main
from mesra.importers.tableur import import_tableur, parse_columns, repair_code

FIX = Path(__file__).parent / "fixtures" / "tableur"
CSV = FIX / "etablissements-ess.csv"


def source_rows() -> list[dict[str, str]]:
    with open(CSV, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


def as_xlsx(tmp_path: Path) -> Path:
    """The fixture saved as a workbook, numbers as numbers (as a spreadsheet keeps them)."""
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Établissements"
    with open(CSV, encoding="utf-8", newline="") as fh:
        for i, row in enumerate(csv.reader(fh, delimiter=";")):
            ws.append([float(c) if i and c.replace(".", "").isdigit() and "." in c else c for c in row])
    for cells in ws.iter_rows():
        for cell in cells:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # a text cell that looks like a formula, as typed in a spreadsheet
    path = tmp_path / "etablissements-ess.xlsx"
    book.save(path)
    return path


@pytest.fixture(params=["csv", "xlsx"])
def imported(request, tmp_path):
    path = CSV if request.param == "csv" else as_xlsx(tmp_path)
    out = tmp_path / "corpus"
    return out, import_tableur(path, out)


def actor(corpus, siret):
    rows = corpus.acteurs[corpus.acteurs["source"].str.endswith(f"#siret={siret}")]
    assert len(rows) == 1, siret
    return rows.iloc[0]


def test_every_row_comes_in_once(imported):
    out, report = imported
    assert check_corpus(out) == []
    corpus = load_corpus(out)
    rows = source_rows()
    assert len(corpus.acteurs) + len(corpus.personnes) == len(rows)
    assert set(corpus.acteurs["source"]) | set(corpus.personnes["source"]) == {
        f"{report.source_id}#siret={r['siret']}" for r in rows
    }


def test_codes_stored_as_numbers_are_repaired_and_resolve(imported):
    out, report = imported
    corpus = load_corpus(out)
    terr = corpus.territoires.set_index("territoire_id")

    def insee(siret):
        return terr.loc[actor(corpus, siret)["territoire_id"], "code_insee"]

    assert insee("99900000100012") == "79174"  # 79500.0 MELLE: Melle (Deux-Sèvres), not Moselle
    assert insee("99900000600017") == "01053"  # 1000.0: the lost leading zero, Bourg-en-Bresse
    assert insee("99900000700016") == "01053"  # INSEE code 1053.0
    assert insee("99900000200011") == "93066"  # Saint-Denis 93200
    assert insee("99900000300010") == "97411"  # Saint-Denis 97400 (La Réunion): the homonym
    assert insee("99900000400019") == "2A004"  # Ajaccio 20000
    assert insee("99900000500018") == "2B033"  # Bastia 20200
    assert insee("99900000800015") == "69123"  # LYON 1ER ARRONDISSEMENT
    assert insee("99900000900014") == "97213"  # Le Lamentin, Martinique
    assert "haute-corse" in corpus.territory_ancestors(actor(corpus, "99900000500018")["territoire_id"])
    notes = " ".join(report.notes)
    if report.input.suffix == ".csv":  # « 79500.0 » as text: every such code is repaired
        floats = sum(1 for r in source_rows() if r["codePostalEtablissement"].endswith(".0"))
        people = 1  # the row of a person is not placed
        assert f"{floats - people} codes postaux, 1 code INSEE" in notes
    else:  # a workbook keeps numbers: only the lost leading zeros change (1000 → 01000, 1053 → 01053)
        assert "1 code postal, 1 code INSEE" in notes


def test_an_overseas_collectivity_is_never_filed_under_guadeloupe(imported):
    """97133 SAINT-BARTHELEMY: the collectivity's one commune, under Saint-Barthélemy, never Guadeloupe."""
    out, report = imported
    corpus = load_corpus(out)
    barth = actor(corpus, "99900001000010")
    assert barth["territoire_id"] == "saint-barthelemy-97701"
    assert corpus.territory_ancestors(barth["territoire_id"])[0] == "saint-barthelemy"
    assert "guadeloupe" not in corpus.territory_ancestors(barth["territoire_id"])
    assert corpus.actors_in("guadeloupe").empty
    assert len(corpus.actors_in("saint-barthelemy")) == 1
    assert not any("Saint-Barth" in label for label, _, _ in report.territories.unresolved)


def test_no_address_is_not_unfound_and_counts_add_up(imported):
    _, report = imported
    rows = source_rows()
    with_address = [r for r in rows if r["codePostalEtablissement"] or r["codeCommuneEtablissement"]]
    people = 1  # « Nathalie Colfort », 79500.0 MELLE
    assert sum(report.territories.counts.values()) == len(with_address) - people
    assert report.territories.counts["introuvable"] == 0  # Saint-Barthélemy is a territory of its own
    assert any("1 ligne sans adresse" in n for n in report.notes)


def test_a_formula_looking_name_is_neutralised(imported):
    out, _ = imported
    text = (out / "acteurs.csv").read_text("utf-8")
    assert "'=HYPERLINK" in text
    assert not any(line.startswith(("=", "+", "-", "@")) for cell in text.splitlines() for line in cell.split(","))


def test_types_from_the_column_and_the_name(imported):
    out, report = imported
    corpus = load_corpus(out)
    assert actor(corpus, "99900000100012")["type"] == "association"  # categorieJuridique Association
    assert actor(corpus, "99900000300010")["type"] == "cooperative"  # SCIC
    assert actor(corpus, "99900000400019")["type"] == "cooperative"  # « SCOP … » in the name
    assert actor(corpus, "99900000200011")["type"] == "collectif"  # nothing said: the default, counted
    assert any("par défaut, à vérifier" in n for n in report.notes)


def test_a_person_row_is_a_pseudonymised_person(imported):
    out, report = imported
    corpus = load_corpus(out)
    assert len(corpus.personnes) == 1
    for data in snapshot(out).values():
        assert b"Colfort" not in data
    assert any("1 ligne nomme une personne" in n for n in report.notes)


def test_given_columns_and_errors(tmp_path):
    table = tmp_path / "liste.csv"
    table.write_text("Structure adhérente,CP,Ville\nCoopérative Exemple,21000,Dijon\n", "utf-8")
    with pytest.raises(MesraError, match="aucune colonne de nom"):
        import_tableur(table, tmp_path / "a")
    report = import_tableur(table, tmp_path / "b", colonnes="nom=Structure adhérente,code_postal=CP")
    corpus = load_corpus(tmp_path / "b")
    assert list(corpus.acteurs["territoire_id"]) == ["dijon"]
    assert report.territories.counts["commune"] == 1
    with pytest.raises(MesraError, match="champ « siren » inconnu"):
        parse_columns("siren=X")
    with pytest.raises(MesraError, match="colonne « Absente »"):
        import_tableur(table, tmp_path / "c", colonnes="nom=Absente")
    (tmp_path / "liste.ods").write_text("x", "utf-8")
    with pytest.raises(MesraError, match="non pris en charge"):
        import_tableur(tmp_path / "liste.ods", tmp_path / "d")


def test_repair_code():
    assert repair_code("79500.0", "code_postal") == ("79500", True)
    assert repair_code(1000, "code_postal") == ("01000", True)
    assert repair_code("2B033", "code_insee") == ("2B033", False)
    assert repair_code("75011", "code_postal") == ("75011", False)


def test_reimport_with_force_merges_by_siret_and_keeps_the_users_bytes(tmp_path):
    out = tmp_path / "corpus"
    import_tableur(CSV, out)
    acteurs = out / "acteurs.csv"
    acteurs.write_bytes(acteurs.read_bytes() + b"# note de l'utilisateur,,,,,,,,\n")
    preview = import_tableur(CSV, out)
    assert not preview.applied and preview.count("acteurs", "fusionne") == 11
    done = import_tableur(CSV, out, force=True)
    assert done.applied and done.count("acteurs", "cree") == 0
    assert b"# note de l'utilisateur" in acteurs.read_bytes()


def test_the_command(tmp_path, capsys):
    code = main(["import", "tableur", str(CSV), "--out", str(tmp_path / "c")])
    out = capsys.readouterr().out
    assert code == 0 and "Import tableur" in out and "Colonnes lues" in out


def test_former_communes_localities_and_overseas_collectivities_resolve_with_notes(tmp_path):
    """Synthetic rows (invented names, real communes): a commune nouvelle, a La Poste locality, its
    homonym commune, Saint-Barthélemy and Saint-Martin; the summary lists each address resolved by a note."""
    path = tmp_path / "adresses.csv"
    path.write_text(
        "siret;denominationUniteLegale;codePostalEtablissement;libelleCommuneEtablissement\n"
        "99900002000017;Association Exemple A;16190;MONTMOREAU-SAINT-CYBARD\n"
        "99900002100016;Association Exemple B;13080;LUYNES\n"
        "99900002200015;Association Exemple C;37230;LUYNES\n"
        "99900002300014;Association Exemple D;97133;GUSTAVIA\n"
        "99900002400013;Association Exemple E;97150;MARIGOT\n",
        "utf-8",
    )
    out = tmp_path / "corpus"
    report = import_tableur(path, out)
    assert check_corpus(out) == []
    corpus = load_corpus(out)
    where = {siret: actor(corpus, siret)["territoire_id"] for siret in ("99900002000017", "99900002100016")}
    assert where == {"99900002000017": "montmoreau", "99900002100016": "aix-en-provence"}
    assert actor(corpus, "99900002200015")["territoire_id"] == "luynes"  # Indre-et-Loire
    assert "saint-barthelemy" in corpus.territory_ancestors(actor(corpus, "99900002300014")["territoire_id"])
    assert "saint-martin" in corpus.territory_ancestors(actor(corpus, "99900002400013")["territoire_id"])
    assert corpus.actors_in("guadeloupe").empty
    assert report.territories.counts["commune"] == 5 and not report.territories.unresolved
    assert len(report.territories.noted) == 4  # all but the Luynes of Indre-et-Loire
    summary = report.summary()
    assert "Montmoreau (16230, Charente)" in summary and "Aix-en-Provence (13001, Bouches-du-Rhône)" in summary
