"""One source per table, no silent loss at read time, bounded workbook reading (issue 19, item 3)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

import openpyxl
import pytest

from mesra import check_corpus, load_corpus
from mesra.corpus import tables
from mesra.corpus.spreadsheet import export_xlsx
from mesra.corpus.tables import read_xlsx_tables
from mesra.errors import MesraError

ROOT = Path(__file__).parent.parent


def _mesra(*args: str, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mesra", *args], cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
    )


def _rename_actor(book: Path, old: str, new: str) -> None:
    wb = openpyxl.load_workbook(book)
    cells = [c for row in wb["acteurs"].iter_rows() for c in row if c.value == old]
    assert cells
    cells[0].value = new
    wb.save(book)


def _age(path: Path, seconds: float) -> None:
    st = path.stat()
    os.utime(path, (st.st_atime - seconds, st.st_mtime - seconds))


# --- CSV files and a workbook in one folder ---------------------------------------------------
def _workbook_beside_csv(mini_dir: Path) -> Path:
    book = mini_dir / "corpus.xlsx"
    export_xlsx(mini_dir, mini_dir.parent / "ailleurs.xlsx")
    (mini_dir.parent / "ailleurs.xlsx").rename(book)  # as a user copies it there
    return book


def test_tables_in_csv_and_in_a_workbook_are_an_error_naming_the_more_recent(mini_dir, tmp_path):
    """The README's round trip edited the workbook; check said « Corpus valide » and read the CSV."""
    book = _workbook_beside_csv(mini_dir)
    _rename_actor(book, "Réseau Alpha", "Réseau Alpha (modifié dans le tableur)")
    for name in ("acteurs.csv", "liens.csv", "sources.csv"):
        _age(mini_dir / name, 3600)
    run = _mesra("check", str(mini_dir), cwd=tmp_path)
    assert run.returncode == 1 and "Corpus valide" not in run.stdout
    [line] = [x for x in run.stdout.splitlines() if x.startswith("corpus.xlsx:1: fichier:")]
    assert "deux sources pour la ou les tables" in line and "acteurs" in line and "liens" in line
    assert "« corpus.xlsx » est le plus récent" in line and "gardez-le" in line
    with pytest.raises(MesraError, match="deux sources"):
        load_corpus(mini_dir)


def test_when_the_csv_files_are_newer_they_are_the_ones_to_keep(mini_dir):
    book = _workbook_beside_csv(mini_dir)
    for csv in mini_dir.glob("*.csv"):  # the copy keeps the fixture's times: a checkout older than an hour ago
        os.utime(csv)  # made the workbook the newer one (it failed in a working copy, passed in a fresh clone)
    _age(book, 3600)
    [p] = check_corpus(mini_dir)
    assert p.file == "corpus.xlsx" and "les fichiers CSV de ces tables sont les plus récents" in p.message
    assert f"déplacez « {book.name} » hors du dossier" in p.message


def test_one_table_in_both_names_its_csv_file(mini_dir, tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "suivi"
    wb.active.append(["action_id", "date", "statut", "note", "source"])
    wb.save(mini_dir / "suivi.xlsx")
    [p] = check_corpus(mini_dir)
    assert "deux sources pour la ou les tables suivi : « suivi.xlsx » et suivi.csv" in p.message


def test_a_table_in_two_workbooks_is_an_error(mini_dir, tmp_path):
    folder = tmp_path / "classeurs"
    folder.mkdir()
    export_xlsx(mini_dir, folder / "a.xlsx")
    export_xlsx(mini_dir, folder / "b.xlsx")
    problems = [p for p in check_corpus(folder) if "deux sources" in p.message]
    assert len(problems) == 1 and "« a.xlsx »" in problems[0].message and "« b.xlsx »" in problems[0].message


def test_a_workbook_without_table_sheets_is_no_second_source(mini_dir):
    wb = openpyxl.Workbook()
    wb.active.title = "notes de terrain"
    wb.active.append(["à faire", "appeler Jeanne"])
    wb.save(mini_dir / "notes.xlsx")
    assert check_corpus(mini_dir) == []


def test_a_workbook_given_by_path_is_read_alone(mini_dir):
    book = _workbook_beside_csv(mini_dir)
    _rename_actor(book, "Réseau Alpha", "Réseau Alpha bis")
    assert check_corpus(book) == []
    assert "Réseau Alpha bis" in set(load_corpus(book).acteurs["nom"])


# --- the README's round trip --------------------------------------------------------------------
def test_the_readme_round_trip_reads_back_the_edits(mini_dir, tmp_path):
    readme = (ROOT / "README.md").read_text("utf-8")
    assert "mesra export xlsx data/ data/corpus.xlsx" not in readme
    [line] = [x for x in readme.splitlines() if x.startswith("mesra export xlsx data/ ")]
    folder = line.split()[4]  # tableur/corpus.xlsx
    assert Path(folder).parent.name not in ("", "data")
    # beside the CSV files: refused, nothing written
    run = _mesra("export", "xlsx", str(mini_dir), str(mini_dir / "corpus.xlsx"), cwd=tmp_path)
    assert run.returncode == 1 and not (mini_dir / "corpus.xlsx").exists()
    assert "seconde source" in run.stderr and "dans un dossier à lui" in run.stderr
    # into a folder of its own: a complete corpus, whose edits are read
    run = _mesra("export", "xlsx", str(mini_dir), folder, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    book = tmp_path / folder
    assert "copiés dans" in run.stdout
    assert (book.parent / "monographies" / "projet-delta.md").exists()
    _rename_actor(book, "Réseau Alpha", "Réseau Alpha (modifié)")
    run = _mesra("check", str(book.parent), cwd=tmp_path)
    assert run.returncode == 0 and "Corpus valide" in run.stdout, run.stdout
    assert "Réseau Alpha (modifié)" in set(load_corpus(book.parent).acteurs["nom"])
    # the source folder is untouched
    assert check_corpus(mini_dir) == [] and not (mini_dir / "corpus.xlsx").exists()


def test_export_into_a_folder_that_is_not_empty_copies_nothing(mini_dir, tmp_path):
    target = tmp_path / "mes-documents"
    target.mkdir()
    (target / "autre.txt").write_text("à moi", "utf-8")
    run = _mesra("export", "xlsx", str(mini_dir), str(target / "c.xlsx"), cwd=tmp_path)
    assert run.returncode == 0
    assert sorted(p.name for p in target.iterdir()) == ["autre.txt", "c.xlsx"]
    assert "dans un dossier à lui" in run.stdout


def test_a_failed_export_leaves_no_new_folder(tmp_path):
    run = _mesra("export", "xlsx", str(tmp_path / "nulle-part"), str(tmp_path / "neuf" / "c.xlsx"), cwd=tmp_path)
    assert run.returncode == 1 and not (tmp_path / "neuf").exists()


# --- duplicate keys in a monograph's front matter -----------------------------------------------
@pytest.mark.parametrize(
    "addition, field, lines",
    [
        ("titre: Un autre titre\n", "titre", (3, 9)),
        ("origine: endogene\n", "origine", (8, 9)),
    ],
)
def test_a_key_written_twice_is_an_error_with_both_lines(mini_dir, addition, field, lines):
    path = mini_dir / "monographies" / "projet-delta.md"
    text = path.read_text("utf-8")
    assert text.splitlines()[7].startswith("origine:")
    path.write_text(text.replace("marge_de_manoeuvre:", addition + "marge_de_manoeuvre:", 1), "utf-8")
    [p] = check_corpus(mini_dir)
    assert (p.file, p.line) == ("monographies/projet-delta.md", lines[1])
    assert f"champ « {field} » écrit deux fois (lignes {lines[0]} et {lines[1]})" in p.message


def test_a_nested_key_written_twice_is_an_error(mini_dir):
    path = mini_dir / "monographies" / "projet-delta.md"
    text = path.read_text("utf-8")
    assert "\n  sources: []\n" in text
    path.write_text(text.replace("\n  sources: []\n", "\n  sources: []\n  sources: [recherche]\n", 1), "utf-8")
    [p] = check_corpus(mini_dir)
    assert "champ « innovation.sources » écrit deux fois" in p.message


# --- sparse and oversized workbooks --------------------------------------------------------------
def _sparse_book(path: Path, sheet: str = "acteurs", header=("acteur_id", "nom"), far: str = "XFD1048576") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(list(header))
    ws[far] = "x"
    wb.save(path)
    return path


def test_one_cell_at_xfd1048576_is_read_in_well_under_a_second(tmp_path):
    """It took about nine minutes per sheet: openpyxl walked 17 billion empty cells."""
    book = _sparse_book(tmp_path / "creux.xlsx")
    assert book.stat().st_size < 6_000
    problems: list = []
    tracemalloc.start()
    start = time.perf_counter()
    found = read_xlsx_tables(book, book.name, problems)
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < 2 and peak < 30 * 2**20
    assert found["acteurs"].header == ["acteur_id", "nom"]
    [p] = problems
    assert (p.line, p.field) == (
        1048576,
        "ligne",
    ) and "valeur en colonne XFD, au-delà des colonnes nommées" in p.message


def test_check_of_the_sparse_workbook_ends_in_seconds(tmp_path):
    book = _sparse_book(tmp_path / "creux.xlsx")
    start = time.perf_counter()
    run = _mesra("check", str(book), cwd=tmp_path, timeout=60)
    assert time.perf_counter() - start < 30  # the interpreter's start included; the reading is instant
    assert run.returncode == 1 and "au-delà des colonnes nommées" in run.stdout


def test_a_sparse_workbook_sitting_in_a_csv_corpus_folder(mini_dir, tmp_path):
    _sparse_book(mini_dir / "brouillon.xlsx", sheet="Feuil1")
    start = time.perf_counter()
    assert check_corpus(mini_dir) == []
    assert time.perf_counter() - start < 5
    # named after a table, it is a second source: said at once, not after nine minutes
    _sparse_book(mini_dir / "brouillon.xlsx", sheet="liens", header=("source_id", "cible_id"))
    start = time.perf_counter()
    problems = check_corpus(mini_dir)
    assert time.perf_counter() - start < 5
    assert any("deux sources pour la ou les tables liens" in p.message for p in problems)


def test_a_header_wider_than_the_limit_is_refused(tmp_path):
    book = _sparse_book(tmp_path / "large.xlsx", far="XFD1")
    problems: list = []
    assert read_xlsx_tables(book, book.name, problems) == {}
    [p] = problems
    assert p.file == "large.xlsx[acteurs]"
    assert re.search(
        r"feuille « acteurs » refusée : en-tête jusqu'à la colonne XFD \(16384 colonnes ; au plus 1000\)", p.message
    )


def test_past_the_cell_limit_the_workbook_is_refused_in_french(tmp_path, monkeypatch):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "acteurs"
    ws.append(["acteur_id", "nom"])
    for i in range(60):
        ws.append([f"a{i}", f"Acteur {i}"])
    wb.save(tmp_path / "gros.xlsx")
    monkeypatch.setattr(tables, "MAX_CELLS", 100)
    problems: list = []
    assert read_xlsx_tables(tmp_path / "gros.xlsx", "gros.xlsx", problems) == {}
    [p] = problems
    assert "feuille « acteurs » refusée : plus de 100 cellules écrites dans le classeur" in p.message
    with pytest.raises(MesraError, match="refusée"):
        load_corpus(tmp_path / "gros.xlsx")


def test_styled_empty_cells_count_but_cost_nothing_else(tmp_path):
    """A sheet whose XML holds many empty styled cells is read by what they hold."""
    book = _sparse_book(tmp_path / "s.xlsx", far="C3")
    with zipfile.ZipFile(book) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
    rows = b"".join(b'<row r="%d">' % i + b'<c r="D%d" s="0"/>' % i + b"</row>" for i in range(5, 2005))
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(
        b"</sheetData>", rows + b"</sheetData>"
    )
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    problems: list = []
    found = read_xlsx_tables(book, book.name, problems)
    assert len(found["acteurs"].rows) == 1 and found["acteurs"].lines == [3]
