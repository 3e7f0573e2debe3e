"""What people write in ``reports/`` is never lost, and a batch writes only inside ``--out`` (issue 19).

* item 4: a cell a researcher adds to a published notebook, a column added to an export CSV,
  a file of one's own at a name a notebook exports: moved to ``OUT/sauvegardes/<date-heure>/``
  before mesra replaces or removes it, and the French summary says so;
* item 5: two notebooks exporting the same file name: the second fails before publishing,
  with a French message naming the first, whose pages stay (and are not redone);
* item 8: a symbolic link inside ``--out`` that leads out of it is never written through.

The runs use the tiny notebooks of ``test_batch`` (one process, in this one).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import nbformat
import pytest
from test_batch import LOAD, PARAMS, _notebook, run, write_corpus, write_notebooks
from test_batch_safety import _briefs, unvouched

from mesra import MesraError
from mesra.batch import plan as batch_plan
from mesra.batch.guard import BACKUP_FOLDER
from mesra.cli import main


@pytest.fixture
def corpus_dir(tmp_path) -> Path:
    return write_corpus(tmp_path / "corpus")


@pytest.fixture
def notebooks_dir(tmp_path) -> Path:
    return write_notebooks(tmp_path / "carnets", fail_for=None)


@pytest.fixture(autouse=True)
def frozen_code(monkeypatch):
    monkeypatch.setattr(batch_plan, "code_digest", lambda: "code-fige")


def backups(out: Path) -> dict[str, Path]:
    """Every file of ``OUT/sauvegardes``, by its path relative to the dated folder."""
    root = out / BACKUP_FOLDER
    if not root.exists():
        return {}
    return {p.relative_to(root).as_posix().split("/", 1)[1]: p for p in root.rglob("*") if p.is_file()}


FOLDER = "territoires/occitanie"


# --- 4. what users write is never deleted silently ---------------------------------------------------
def test_a_cell_added_to_a_published_notebook_is_kept_in_a_dated_backup(corpus_dir, notebooks_dir, tmp_path):
    out = tmp_path / "out"
    assert run(corpus_dir, out, notebooks_dir, territoires=["occitanie"]).ok
    path = out / FOLDER / "04-note.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("Analyse de la chercheuse : à garder"))
    nbformat.write(nb, path)  # as JupyterLab saves it: the stamp stays, the bytes change
    again = run(corpus_dir, out, notebooks_dir, territoires=["occitanie"])
    assert [r.job.ident for r in again.done] == [f"{FOLDER}/04-note"]  # the note is redone
    saved = backups(out)
    assert list(saved) == [f"{FOLDER}/04-note.ipynb"]
    assert "Analyse de la chercheuse" in saved[f"{FOLDER}/04-note.ipynb"].read_text("utf-8")
    assert "Analyse de la chercheuse" not in path.read_text("utf-8")
    dated = saved[f"{FOLDER}/04-note.ipynb"].relative_to(out / BACKUP_FOLDER).parts[0]
    assert dated[:4].isdigit() and dated[4] == "-"  # 2025-01-31_14-05-12
    summary = again.summary()
    assert "1 fichier(s) modifié(s) depuis leur publication" in summary
    assert f"{FOLDER}/04-note.ipynb → {saved[f'{FOLDER}/04-note.ipynb']}" in summary
    assert unvouched(out) == []


def test_a_column_added_to_an_export_is_kept_and_the_command_says_where(corpus_dir, notebooks_dir, tmp_path, capsys):
    out = tmp_path / "out"
    assert run(corpus_dir, out, notebooks_dir, territoires=["occitanie"]).ok
    export = out / FOLDER / "export.csv"
    export.write_text("acteur_id,mon_commentaire\n", encoding="utf-8")
    assert main(_briefs(corpus_dir, out, notebooks_dir, "--workers", "1", "--territoire", "occitanie")) == 0
    printed = capsys.readouterr().out
    saved = backups(out)
    assert saved[f"{FOLDER}/export.csv"].read_text("utf-8") == "acteur_id,mon_commentaire\n"
    assert export.read_text("utf-8") == "acteur_id\n"
    assert "mis de côté" in printed and str(saved[f"{FOLDER}/export.csv"]) in printed


def test_a_file_of_ones_own_at_an_exported_name_is_kept(corpus_dir, notebooks_dir, tmp_path):
    out = tmp_path / "out"
    (out / FOLDER).mkdir(parents=True)
    (out / FOLDER / "export.csv").write_text("mes notes\n", encoding="utf-8")
    result = run(corpus_dir, out, notebooks_dir, territoires=["occitanie"])
    assert result.ok
    assert backups(out)[f"{FOLDER}/export.csv"].read_text("utf-8") == "mes notes\n"
    assert [rel for rel, _ in result.all_moved()] == [f"{FOLDER}/export.csv"]


def test_unchanged_files_are_replaced_without_backup(corpus_dir, notebooks_dir, tmp_path):
    out = tmp_path / "out"
    assert run(corpus_dir, out, notebooks_dir, territoires=["occitanie"]).ok
    again = run(corpus_dir, out, notebooks_dir, territoires=["occitanie"], force=True)
    assert again.ok and again.all_moved() == [] and not (out / BACKUP_FOLDER).exists()
    assert "mis de côté" not in again.summary()


def test_pages_of_another_run_are_still_removed_not_kept(corpus_dir, notebooks_dir, tmp_path):
    """A page with real names put by a worker that outlived its batch is mesra's, not a person's:
    it is removed (a backup would keep the real names in a pseudonymised folder)."""
    import shutil

    out, other = tmp_path / "out", tmp_path / "autre"
    assert run(corpus_dir, out, notebooks_dir, territoires=["occitanie"], pseudonymiser=True).ok
    assert run(corpus_dir, other, notebooks_dir, territoires=["occitanie"]).ok
    for name in ("04-note.html", "04-note.code.html", "04-note.ipynb"):
        shutil.copy2(other / FOLDER / name, out / FOLDER / name)
    again = run(corpus_dir, out, notebooks_dir, territoires=["occitanie"], pseudonymiser=True)
    assert again.all_moved() == [] and not (out / BACKUP_FOLDER).exists()


# --- 5. two notebooks, one file name ------------------------------------------------------------------
def _colliding_notebooks(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for stem, text in (("01-premier", "du premier"), ("02-second", "du second")):
        cells = [LOAD, f"with open('commun.csv', 'w', encoding='utf-8') as fh:\n    fh.write('{text}\\n')"]
        nbformat.write(_notebook(f"Carnet {stem}", PARAMS, cells), folder / f"{stem}.ipynb")
    return folder


def test_two_notebooks_exporting_one_name_never_make_pages_vanish(corpus_dir, tmp_path):
    out, notebooks = tmp_path / "out", _colliding_notebooks(tmp_path / "carnets")
    first = run(corpus_dir, out, notebooks, territoires=["fr"])
    assert [r.job.ident for r in first.done] == ["corpus/01-premier"]
    [failed] = first.failed
    assert failed.job.ident == "corpus/02-second"
    assert "« commun.csv »" in failed.error and "par le carnet 01-premier" in failed.error
    assert "rien de ce carnet n’a été publié" in failed.error
    assert "Renommez l’export" in first.summary()
    assert (out / "corpus" / "commun.csv").read_text("utf-8") == "du premier\n"
    for name in ("01-premier.html", "01-premier.code.html", "01-premier.ipynb"):
        assert (out / "corpus" / name).exists()
    assert not (out / "corpus" / "02-second.html").exists()
    assert (out / "corpus" / "02-second.erreur.html").exists()  # the index links the failure
    assert unvouched(out) == []
    # the next run does not redo the first notebook: its pages are intact
    again = run(corpus_dir, out, notebooks, territoires=["fr"])
    assert [j.ident for j in again.skipped] == ["corpus/01-premier"]
    assert [r.job.ident for r in again.failed] == ["corpus/02-second"]
    manifest = json.loads((out / "corpus" / ".01-premier.mesra.json").read_text("utf-8"))
    assert "corpus/commun.csv" in manifest["rapport"]["fichiers"]


def test_a_notebook_cannot_publish_a_file_named_like_a_manifest(corpus_dir, tmp_path):
    notebooks = tmp_path / "carnets"
    notebooks.mkdir()
    cells = [LOAD, "open('.01-vue.mesra.json', 'w').write('{}')"]
    nbformat.write(_notebook("Vue", PARAMS, cells), notebooks / "01-vue.ipynb")
    result = run(corpus_dir, tmp_path / "out", notebooks, territoires=["fr"])
    [failed] = result.failed
    assert "nom réservé à mesra" in failed.error


# --- 8. nothing written through a link that leaves --out ----------------------------------------------
def test_a_link_inside_out_that_leads_elsewhere_is_never_written_through(corpus_dir, notebooks_dir, tmp_path, capsys):
    out, elsewhere = tmp_path / "out", tmp_path / "ailleurs"
    (out / "territoires").mkdir(parents=True)
    elsewhere.mkdir()
    os.symlink(elsewhere, out / "territoires" / "occitanie")
    with pytest.raises(MesraError, match="lien symbolique qui mène hors du dossier de sortie"):
        run(corpus_dir, out, notebooks_dir, territoires=["occitanie"])
    assert list(elsewhere.iterdir()) == []
    code = main(_briefs(corpus_dir, out, notebooks_dir, "--workers", "1", "--territoire", "occitanie"))
    err = capsys.readouterr().err
    assert code == 1 and "territoires/occitanie" in err and "erreur interne" not in err
    assert list(elsewhere.iterdir()) == []


def test_a_linked_staging_folder_is_replaced_by_a_real_one(corpus_dir, notebooks_dir, tmp_path):
    out, elsewhere = tmp_path / "out", tmp_path / "ailleurs"
    out.mkdir()
    elsewhere.mkdir()
    os.symlink(elsewhere, out / ".mesra-tmp")
    os.symlink(elsewhere / "verrou", out / ".mesra-verrou")
    assert run(corpus_dir, out, notebooks_dir, territoires=["occitanie"]).ok
    assert list(elsewhere.iterdir()) == []
    assert (out / FOLDER / "04-note.html").exists()


def test_a_link_to_a_folder_inside_out_is_fine(corpus_dir, notebooks_dir, tmp_path):
    out = tmp_path / "out"
    (out / "vrai-dossier").mkdir(parents=True)
    os.symlink(out / "vrai-dossier", out / "territoires")
    assert run(corpus_dir, out, notebooks_dir, territoires=["occitanie"]).ok
    assert (out / "vrai-dossier" / "occitanie" / "04-note.html").exists()


def test_the_publication_itself_checks_its_folder(corpus_dir, notebooks_dir, tmp_path, monkeypatch):
    """A link made while the batch runs (after the first check) stops the job, not the machine."""
    from mesra.batch import run as batch_run

    out, elsewhere = tmp_path / "out", tmp_path / "ailleurs"
    elsewhere.mkdir()
    real = batch_run.check_links

    def check_then_link(out_, jobs):
        real(out_, jobs)
        (out_ / "territoires").mkdir(parents=True, exist_ok=True)
        os.symlink(elsewhere, out_ / "territoires" / "occitanie")

    monkeypatch.setattr(batch_run, "check_links", check_then_link)
    result = run(corpus_dir, out, notebooks_dir, territoires=["occitanie"])
    assert [r.job.ident for r in result.failed] == [f"{FOLDER}/04-note"]
    assert "lien symbolique" in result.failed[0].error
    assert list(elsewhere.iterdir()) == []


def test_pdfs_of_ones_own_and_exported_pdfs_are_kept(corpus_dir, tmp_path):
    """Only the PDFs of mesra's reader pages are removed when stale: a notebook's exported PDF stays
    (its note is not redone each time), and so does a PDF of one's own elsewhere in the folder."""
    notebooks = tmp_path / "carnets"
    notebooks.mkdir()
    cells = [LOAD, "open('carte.pdf', 'wb').write(b'%PDF-1.4 export du carnet')"]
    nbformat.write(_notebook("Vue", PARAMS, cells), notebooks / "01-vue.ipynb")
    out = tmp_path / "out"
    (out / "documents").mkdir(parents=True)
    (out / "documents" / "lettre.pdf").write_bytes(b"%PDF-1.4 la mienne")
    assert run(corpus_dir, out, notebooks, territoires=["fr"]).ok
    again = run(corpus_dir, out, notebooks, territoires=["fr"])
    assert [j.ident for j in again.skipped] == ["corpus/01-vue"]
    assert (out / "corpus" / "carte.pdf").read_bytes() == b"%PDF-1.4 export du carnet"
    assert (out / "documents" / "lettre.pdf").read_bytes() == b"%PDF-1.4 la mienne"
