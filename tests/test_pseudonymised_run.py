"""A pseudonymised batch (issue 19): pseudonymisation is a property of the run, not of each call.

The tiny corpus of ``test_batch`` has one person, Marie DUPONTEL (synthetic). Every test
runs ``mesra briefs --pseudonymiser`` on tiny notebooks and reads every file of the
output folder (pages, executed notebooks, exports, manifests, state file, index) for her
name, as :func:`test_batch_safety.real_names` does.
"""

from __future__ import annotations

import html
import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from test_batch import LOAD, PARAMS, ROOT, _notebook, run, write_corpus, write_notebooks
from test_batch_safety import REAL, real_names, unvouched

from mesra.batch import plan as batch_plan
from mesra.batch.manifest import FACTS_SUFFIX

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="noyaux chauds : Linux seulement")


@pytest.fixture(autouse=True)
def frozen_code(monkeypatch):
    """Other engineers edit mesra while tests run: freeze the source digest."""
    monkeypatch.setattr(batch_plan, "code_digest", lambda: "code-fige")


def _one_notebook(folder: Path, cells: list[str], params: str = PARAMS) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(
        _notebook("Note de territoire", params + '\nterritoire: str = "occitanie"  # territoire', cells),
        folder / "04-note.ipynb",
    )
    return folder


def _every_file_text(out: Path) -> str:
    return "\n".join(p.read_bytes().decode("utf-8", "replace") for p in out.rglob("*") if p.is_file())


# --- 1. a notebook that forgets to ask still only sees pseudonyms ------------------------------------------
FORGETFUL = (
    "import mesra\ncorpus = mesra.load_corpus(data or None)  # no pseudonymiser: forgotten\n"
    "print(corpus.personnes.to_string())\nprint(corpus.liens.to_string())\nprint(corpus.pseudonymised)"
)


@pytest.mark.parametrize("engine", ["mesra", "papermill"])
def test_a_notebook_that_forgets_pseudonymiser_still_shows_no_name(tmp_path, engine):
    corpus_dir = write_corpus(tmp_path / "corpus")
    folder = _one_notebook(tmp_path / "carnets", [FORGETFUL])
    out = tmp_path / "out"
    result = run(corpus_dir, out, folder, territoires=["occitanie"], pseudonymiser=True, engine=engine)
    assert result.ok, result.summary()
    page = (out / "territoires" / "occitanie" / "04-note.html").read_text("utf-8")
    assert "Personne " in page and "True" in page  # the pseudonymised corpus, though not asked for
    assert real_names(out) == [] and unvouched(out) == []
    assert not (out / ".mesra-tmp").exists()  # the name scan went with the temporary files


# --- 2. a page that still holds a name is not published ------------------------------------------------------
READS_THE_FILES = (
    "import os, pandas as pd\n"
    "print(pd.read_csv(os.path.join(data, 'personnes.csv'))[['prenom', 'nom']].to_string())  # bypasses mesra"
)


def test_a_page_that_still_holds_a_name_fails_and_the_summary_names_only_the_form(tmp_path):
    corpus_dir = write_corpus(tmp_path / "corpus")
    folder = _one_notebook(tmp_path / "carnets", [LOAD, READS_THE_FILES])
    out = tmp_path / "out"
    result = run(corpus_dir, out, folder, territoires=["occitanie"], pseudonymiser=True)
    assert not result.ok
    [failure] = result.failed
    summary = result.summary()
    assert "contient encore un nom de personne (nom complet (prénom et nom))" in summary, summary
    assert REAL not in summary.lower() and "marie" not in summary.lower()
    assert not (out / "territoires" / "occitanie" / "04-note.html").exists()  # not published
    assert (out / "territoires" / "occitanie" / "04-note.erreur.html").is_file()  # the failure is told
    assert real_names(out) == [] and unvouched(out) == []
    # the same notebook without pseudonyms publishes its page (the scan is for pseudonymised runs only)
    plain = run(corpus_dir, tmp_path / "clair", folder, territoires=["occitanie"])
    assert plain.ok and real_names(tmp_path / "clair")


def test_the_failure_is_told_in_french_on_the_command_line(tmp_path):
    corpus_dir = write_corpus(tmp_path / "corpus")
    folder = _one_notebook(tmp_path / "carnets", [LOAD, READS_THE_FILES])
    out = tmp_path / "out"
    command = [sys.executable, "-m", "mesra", "briefs", "--data", str(corpus_dir), "--out", str(out)]
    command += ["--carnets", str(folder), "--territoire", "occitanie", "--pseudonymiser", "--workers", "1"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert done.returncode == 1, done.stderr
    assert "contient encore un nom de personne" in done.stdout
    assert REAL not in (done.stdout + done.stderr).lower()
    assert real_names(out) == []


# --- 3. folders named after a person --------------------------------------------------------------------------
def test_folders_named_after_a_person_appear_in_no_output(tmp_path):
    corpus_dir = write_corpus(tmp_path / "Marie Dupontel" / "corpus")
    folder = write_notebooks(tmp_path / "carnets", fail_for=None)
    out = tmp_path / "Rapports de Marie DUPONTEL"
    result = run(corpus_dir, out, folder, territoires=["occitanie"], pseudonymiser=True)
    assert result.ok, result.summary()
    assert real_names(out) == []  # pages, notebooks, exports, manifests, state file, index
    texts = _every_file_text(out)
    assert "dossier-masque" in texts  # the paths are there, masked
    nb = json.loads((out / "territoires" / "occitanie" / "04-note.ipynb").read_text("utf-8"))
    assert nb["metadata"]["mesra"]["parametres"]["data"].endswith("dossier-masque/corpus")
    # the next run still knows its pages are up to date (the key is made from the real inputs)
    again = run(corpus_dir, out, folder, territoires=["occitanie"], pseudonymiser=True)
    assert len(again.skipped) == 2 and not again.done


# --- 4. the previous note is compared only with facts of the same origin and pseudonymisation -----------------
PLAN_PARAMS = PARAMS + '\nnote_precedente: str = ""  # note précédente'
PLAN_CELLS = [
    LOAD,
    "from mesra.analysis.plan import plan_section, changes_since\nplan_section(corpus, territoire, '2020-01-01')",
    "print('\\n'.join(changes_since(note_precedente or None, corpus, territoire, date_reference='2020-01-01')))",
]
ACTIONS = "action_id,axe,intitule,porteurs,partenaires,debut,fin,livrable,statut,territoire_id,source\n"


def _with_actions(folder: Path, line: str) -> Path:
    (folder / "actions.csv").write_text(ACTIONS + line, encoding="utf-8")
    return folder


def test_a_plain_previous_note_never_lends_its_titles_to_a_pseudonymised_one(tmp_path):
    corpus_dir = _with_actions(
        write_corpus(tmp_path / "corpus"),
        "rencontre-marie-dupontel,1,Rencontre avec Marie Dupontel,reseau-a,,2020-01,2020-12,,prevu,"
        "occitanie,essai#L1\n",
    )
    folder = _one_notebook(tmp_path / "carnets", PLAN_CELLS, PLAN_PARAMS)
    out = tmp_path / "out"
    page = out / "territoires" / "occitanie" / "04-note.html"
    assert run(corpus_dir, out, folder, territoires=["occitanie"]).ok
    assert "Rencontre avec Marie Dupontel" in page.read_text("utf-8")  # a plain run shows the name
    facts = out / "territoires" / "occitanie" / f".04-note{FACTS_SUFFIX}"
    assert json.loads(facts.read_text("utf-8"))["pseudonymise"] is False
    # the README's advice: --pseudonymiser --force
    result = run(corpus_dir, out, folder, territoires=["occitanie"], pseudonymiser=True, force=True)
    assert result.ok, result.summary()
    text = html.unescape(page.read_text("utf-8"))
    assert "Retirée du plan" not in text
    assert "avec une autre pseudonymisation des noms : elle n'est pas comparée" in text
    assert real_names(out) == []
    # the same corpus, pseudonymised again: compared, from the facts kept beside the note
    assert run(corpus_dir, out, folder, territoires=["occitanie"], pseudonymiser=True, force=True).ok
    assert "Aucun changement du plan d'action" in html.unescape(page.read_text("utf-8"))
    # another corpus published in the same folder never shows the first one's actions
    other = _with_actions(
        write_corpus(tmp_path / "autre"),
        "atelier-b,1,Atelier du second corpus,reseau-a,,2020-01,2020-12,,prevu,occitanie,essai#L1\n",
    )
    assert run(other, out, folder, territoires=["occitanie"], pseudonymiser=True, force=True).ok
    text = html.unescape(page.read_text("utf-8"))
    assert "Rencontre avec" not in text and "Retirée du plan" not in text
    assert "produite à partir d'un autre corpus" in text
    assert real_names(out) == []


# --- 5. no copy with a real name kept inside a pseudonymised folder -----------------------------------------
def _snapshot(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def test_a_plain_page_edited_by_hand_is_not_set_aside_by_a_pseudonymised_run(tmp_path):
    from mesra.errors import MesraError

    corpus_dir = write_corpus(tmp_path / "corpus")
    folder = _one_notebook(tmp_path / "carnets", [FORGETFUL])
    out = tmp_path / "out"
    assert run(corpus_dir, out, folder, territoires=["occitanie"]).ok
    page = out / "territoires" / "occitanie" / "04-note.html"
    assert REAL in page.read_text("utf-8").lower()  # a plain run shows her name
    page.write_text(page.read_text("utf-8") + "<!-- ajouté à la main -->", encoding="utf-8")
    before = _snapshot(out)
    with pytest.raises(MesraError, match="territoires/occitanie/04-note.html") as err:
        run(corpus_dir, out, folder, territoires=["occitanie"], pseudonymiser=True, force=True)
    assert REAL not in str(err.value).lower() and "Rien n’a été écrit" in str(err.value)
    assert _snapshot(out) == before  # nothing written, nothing moved
    assert not (out / "sauvegardes").exists()
    # the edited page moved out of the folder by its owner: the run goes through, nothing plain is kept
    page.rename(tmp_path / "ma-copie.html")
    result = run(corpus_dir, out, folder, territoires=["occitanie"], pseudonymiser=True, force=True)
    assert result.ok, result.summary()
    assert real_names(out) == []


def test_a_set_aside_copy_holding_a_name_stops_a_pseudonymised_run(tmp_path):
    from mesra.errors import MesraError

    corpus_dir = write_corpus(tmp_path / "corpus")
    folder = _one_notebook(tmp_path / "carnets", [FORGETFUL])
    out = tmp_path / "out"
    assert run(corpus_dir, out, folder, territoires=["occitanie"], pseudonymiser=True).ok
    copy = out / "sauvegardes" / "2026-01-01_10-00-00" / "notes.html"
    copy.parent.mkdir(parents=True)
    copy.write_text("<p>Compte rendu de Marie DUPONTEL</p>", encoding="utf-8")
    with pytest.raises(MesraError, match="sauvegardes/2026-01-01_10-00-00/notes.html"):
        run(corpus_dir, out, folder, territoires=["occitanie"], pseudonymiser=True, force=True)
    # a copy without any name does not stop it
    copy.write_text("<p>Compte rendu</p>", encoding="utf-8")
    assert run(corpus_dir, out, folder, territoires=["occitanie"], pseudonymiser=True, force=True).ok
    # nor does a plain run: it pseudonymises nothing and promises nothing
    copy.write_text("<p>Compte rendu de Marie DUPONTEL</p>", encoding="utf-8")
    assert run(corpus_dir, out, folder, territoires=["occitanie"], force=True).ok


def test_mesra_ressources_pseudonymised_refuses_an_edited_plain_resource_page(tmp_path):
    from mesra.batch.site import run_site
    from mesra.errors import MesraError

    corpus_dir = write_corpus(tmp_path / "corpus")
    out = tmp_path / "out"
    index, _ = run_site(corpus_dir, out)
    named = [p for p in (out / "ressources").rglob("*.html") if REAL in p.read_text("utf-8").lower()]
    assert named, "the tiny corpus's person should appear on a plain resource page"
    named[0].write_text(named[0].read_text("utf-8") + "<!-- note -->", encoding="utf-8")
    with pytest.raises(MesraError, match=named[0].name):
        run_site(corpus_dir, out, pseudonymiser=True)
    assert not (out / "sauvegardes").exists()
    named[0].unlink()
    run_site(corpus_dir, out, pseudonymiser=True)
    assert real_names(out) == []
