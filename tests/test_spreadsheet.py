"""`mesra export xlsx`: one workbook, frozen headers, drop-down vocabularies, exact round trip."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from mesra import MesraError, ParameterError, check_corpus, load_corpus
from mesra.cli import main
from mesra.corpus import contract
from mesra.corpus.load import default_data_dir
from mesra.corpus.spreadsheet import VOCAB_SHEET, copy_companions, export_xlsx

FIX = Path(__file__).parent / "fixtures"
FRAMES = ("acteurs", "personnes", "liens", "territoires", "sources", "monographies", "actions", "suivi")


def assert_same_corpus(a, b):
    for name in FRAMES:
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), obj=name)


def roundtrip(folder: Path):
    """The corpus at ``folder`` and the same written as a workbook in a folder of its own."""
    book = folder.parent / f"{folder.name}-tableur" / "corpus.xlsx"
    book.parent.mkdir()
    export_xlsx(folder, book)
    copy_companions(folder, book.parent)
    return load_corpus(folder), load_corpus(book.parent)


def test_roundtrip_of_the_fixture_corpus(mini_dir):
    a, b = roundtrip(mini_dir)
    assert_same_corpus(a, b)
    assert len(b.acteurs) > 0 and len(b.liens) > 0


def test_roundtrip_of_the_default_corpus(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(default_data_dir(), folder)
    if check_corpus(folder):
        pytest.skip("le corpus par défaut est en cours d'écriture et pas encore valide")
    a, b = roundtrip(folder)
    assert_same_corpus(a, b)


@pytest.mark.parametrize(
    "kind, fixture",
    [
        ("gogocarto", FIX / "gogocarto" / "carte-exemple.json"),
        ("decidim", FIX / "decidim" / "participer.example.org-open-data"),
    ],
)
def test_roundtrip_of_imported_corpora(tmp_path, kind, fixture):
    from mesra.importers.decidim import import_decidim
    from mesra.importers.gogocarto import import_gogocarto

    out = tmp_path / kind
    (import_gogocarto if kind == "gogocarto" else import_decidim)(fixture, out)
    a, b = roundtrip(out)
    assert_same_corpus(a, b)
    # codes with letters or leading zeros stay text
    assert set(a.territoires["code_insee"].dropna()) == set(b.territoires["code_insee"].dropna())


def test_sheets_headers_and_frozen_panes(mini_dir, tmp_path):
    book = export_xlsx(mini_dir, tmp_path / "c.xlsx")
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == [*contract.TABLE_ORDER, VOCAB_SHEET]
    for name in contract.TABLE_ORDER:
        ws = wb[name]
        assert ws.freeze_panes == "A2"
        header = [c.value for c in ws[1]]
        assert header[: len(contract.TABLES[name].column_names)] == list(contract.TABLES[name].column_names)
        assert all(c.font.bold for c in ws[1])


def _validation_values(wb, ws, column_name):
    header = [c.value for c in ws[1]]
    letter = openpyxl.utils.get_column_letter(header.index(column_name) + 1)
    hits = [dv for dv in ws.data_validations.dataValidation if str(dv.sqref).startswith(f"{letter}2:")]
    assert len(hits) == 1, column_name
    dv = hits[0]
    assert dv.type == "list" and dv.showErrorMessage
    sheet, cells = dv.formula1.split("!")
    first, last = cells.replace("$", "").split(":")
    return [c.value for row in wb[sheet][first:last] for c in row]


def test_vocabulary_columns_have_drop_down_lists(mini_dir, tmp_path):
    wb = openpyxl.load_workbook(export_xlsx(mini_dir, tmp_path / "c.xlsx"))
    for table in contract.TABLES.values():
        for col in table.columns:
            if col.kind == "vocab":
                assert _validation_values(wb, wb[table.name], col.name) == list(contract.VOCABULARIES[col.vocab])
            elif col.kind == "bool":
                assert _validation_values(wb, wb[table.name], col.name) == ["true", "false"]
    # French labels sit beside the codes
    voc = wb[VOCAB_SHEET]
    header = [c.value for c in voc[1]]
    j = header.index("type")
    assert voc.cell(2, j + 2).value == contract.label(contract.TYPES[0])


def test_numbers_stay_numbers_and_codes_stay_text(mini_dir, tmp_path):
    wb = openpyxl.load_workbook(export_xlsx(mini_dir, tmp_path / "c.xlsx"))
    liens = wb["liens"]
    header = [c.value for c in liens[1]]
    years = [r[header.index("annee")] for r in liens.iter_rows(min_row=2, values_only=True)]
    assert any(isinstance(y, int) for y in years)
    terr = wb["territoires"]
    header = [c.value for c in terr[1]]
    codes = [r[header.index("code_insee")] for r in terr.iter_rows(min_row=2, values_only=True)]
    assert codes and all(isinstance(c, str) for c in codes if c is not None)
    acteurs = wb["acteurs"]
    header = [c.value for c in acteurs[1]]
    flags = {r[header.index("membre_mes")] for r in acteurs.iter_rows(min_row=2, values_only=True)}
    assert flags <= {True, False, None} and True in flags


def test_text_that_looks_like_a_formula_stays_text(mini_dir, tmp_path):
    path = mini_dir / "acteurs.csv"
    text = path.read_text("utf-8")
    # guarded in the CSV file (mesra check flags a bare formula there), text in the workbook
    path.write_text(text.replace("Collectif Gamma", "'=SOMME(A1:A2)", 1), "utf-8")
    a, b = roundtrip(mini_dir)
    assert "=SOMME(A1:A2)" in set(b.acteurs["nom"])
    assert_same_corpus(a, b)
    wb = openpyxl.load_workbook(mini_dir.parent / f"{mini_dir.name}-tableur" / "corpus.xlsx")
    cells = [c for row in wb["acteurs"].iter_rows() for c in row if c.value == "=SOMME(A1:A2)"]
    assert cells and all(c.data_type == "s" for c in cells)


def test_extra_user_columns_are_kept(mini_dir, tmp_path):
    path = mini_dir / "acteurs.csv"
    lines = path.read_text("utf-8").splitlines()
    lines = [lines[0] + ",notes"] + [line + ",à revoir" for line in lines[1:]]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    wb = openpyxl.load_workbook(export_xlsx(mini_dir, tmp_path / "c.xlsx"))
    header = [c.value for c in wb["acteurs"][1]]
    assert header[-1] == "notes"
    assert wb["acteurs"].cell(2, len(header)).value == "à revoir"


def test_existing_file_needs_force(mini_dir, tmp_path):
    book = tmp_path / "c.xlsx"
    book.write_bytes(b"ancien")
    with pytest.raises(MesraError, match="existe déjà"):
        export_xlsx(mini_dir, book)
    assert book.read_bytes() == b"ancien"
    export_xlsx(mini_dir, book, force=True)
    assert openpyxl.load_workbook(book).sheetnames[0] == "sources"


@pytest.mark.parametrize(
    "name, exc, match",
    [
        ("corpus.csv", ParameterError, "extension .xlsx"),
        ("absent/corpus.xlsx", MesraError, "introuvable"),
    ],
)
def test_bad_targets(mini_dir, tmp_path, name, exc, match):
    with pytest.raises(exc, match=match):
        export_xlsx(mini_dir, tmp_path / name)


def test_missing_corpus_folder(tmp_path):
    with pytest.raises(MesraError, match="illisible"):
        export_xlsx(tmp_path / "nulle-part", tmp_path / "c.xlsx")
    assert not (tmp_path / "c.xlsx").exists()


def test_unreadable_table_is_not_exported_silently(mini_dir, tmp_path):
    (mini_dir / "liens.csv").write_bytes(b'source_id,cible_id\n"non ferme,x\n')
    with pytest.raises(MesraError, match="illisible.*liens.csv"):
        export_xlsx(mini_dir, tmp_path / "c.xlsx")
    assert not (tmp_path / "c.xlsx").exists()


def test_cli_export(mini_dir, tmp_path, capsys):
    book = tmp_path / "c.xlsx"
    assert main(["export", "xlsx", str(mini_dir), str(book)]) == 0
    out = capsys.readouterr().out
    assert "Classeur écrit" in out and "restent dans" in out
    assert main(["export", "xlsx", str(mini_dir), str(book)]) == 1
    assert "existe déjà" in capsys.readouterr().err
    assert main(["export", "xlsx", "a", "b", "c.xlsx"]) == 1
    assert "usage" in capsys.readouterr().err
    assert main(["check", str(book)]) == 1  # outside a folder of its own, the source text is missing…
    own = tmp_path / "tableur" / "c.xlsx"
    assert main(["export", "xlsx", str(mini_dir), str(own)]) == 0
    assert "copiés dans" in capsys.readouterr().out
    assert main(["check", str(own.parent)]) == 0  # …in its own folder, with its companions, it is complete
