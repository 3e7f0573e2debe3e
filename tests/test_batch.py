"""Batch execution (`mesra briefs`): failures, atomicity, incrementality, safety, privacy.

Most tests run tiny fixture notebooks on a tiny fixture corpus, in this process
(``workers=1``) so that a crash can be simulated; one test uses the process pool.
The end-to-end test on the real notebooks is marked ``slow``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from helpers import snapshot

from mesra.batch import STATE_FILE, BatchResult, default_territories, run_briefs
from mesra.batch import plan as batch_plan
from mesra.cli import main
from mesra.corpus.load import load_corpus
from mesra.errors import CorpusError, MesraError, ParameterError

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = "<script>alert(1)</script>"

# --- fixtures -----------------------------------------------------------------------


def write_corpus(folder: Path) -> Path:
    """A tiny valid corpus: actors in Occitanie, Hérault and Côte-d'Or, one person, a hostile name."""
    (folder / "sources").mkdir(parents=True)
    (folder / "sources" / "essai.txt").write_text("ligne 1\nligne 2\nligne 3\nligne 4\n", encoding="utf-8")
    (folder / "sources.csv").write_text(
        "source_id,titre,auteur,annee,fichier\nessai,Document d'essai,Équipe,2024,sources/essai.txt\n", encoding="utf-8"
    )
    (folder / "acteurs.csv").write_text(
        "acteur_id,nom,sigle,type,territoire_id,echelon,membre_mes,source\n"
        "reseau-a,Réseau A,,reseau_territorial,occitanie,regional,true,essai#L1\n"
        f"asso-b,{HOSTILE},,association,herault,local,false,essai#L2\n"
        "coop-c,Coopérative C,,cooperative,cote-d-or,local,false,essai#L3\n",
        encoding="utf-8",
    )
    (folder / "personnes.csv").write_text(
        "personne_id,nom,prenom,acteur_id,fonction,source\n"
        "marie-dupontel,DUPONTEL,Marie,reseau-a,Présidente,essai#L1\n",
        encoding="utf-8",
    )
    (folder / "liens.csv").write_text(
        "source_id,cible_id,relation,axe,echelon,annee,source\n"
        "asso-b,reseau-a,membre_de,,regional,,essai#L2\n"
        "marie-dupontel,reseau-a,membre_de,,regional,,essai#L1\n",
        encoding="utf-8",
    )
    return folder


def _notebook(title: str, params: str, cells: list[str]) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        nbformat.v4.new_markdown_cell(f"# {title}"),
        nbformat.v4.new_code_cell(params, metadata={"tags": ["parameters"]}),
    ]
    nb.cells += [nbformat.v4.new_code_cell(c) for c in cells]
    return nb


LOAD = "import mesra\ncorpus = mesra.load_corpus(data or None, pseudonymiser=pseudonymiser)"
PARAMS = 'data: str = ""  # dossier du corpus\npseudonymiser: bool = False  # pseudonymes'
SHOW_EVERYTHING = (
    "from IPython.display import HTML, Markdown, display\n"
    "names = ', '.join(corpus.acteurs['nom'])\n"
    "print(names)\n"
    "display(Markdown('**Acteurs** : ' + names))\n"
    "display(HTML('<p>' + names + '</p>'))\n"
    "display(corpus.acteurs)\n"
    "display(corpus.personnes)\n"
    "corpus.liens"
)


def write_notebooks(folder: Path, *, fail_for: str | None = "herault", sleep_env: bool = False) -> Path:
    """An overview notebook and a per-territory notebook (failing for ``fail_for``)."""
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(_notebook("Vue d'ensemble", PARAMS, [LOAD, SHOW_EVERYTHING]), folder / "01-vue.ipynb")
    cells = [LOAD]
    if sleep_env:
        cells.append(
            "import os, time\nif os.environ.get('MESRA_TEST_SLEEP'):\n"
            "    time.sleep(float(os.environ['MESRA_TEST_SLEEP']))"
        )
    cells += [
        f"if territoire == {fail_for!r}:\n    raise ValueError('échec voulu pour ' + territoire)",
        "%matplotlib inline\nimport matplotlib.pyplot as plt\n"
        "fig, ax = plt.subplots(figsize=(3, 2))\nax.bar([0, 1], [1, 2])\nax.set_title(territoire)\nplt.show()",
        "with open('export.csv', 'w', encoding='utf-8') as fh:\n    fh.write('acteur_id\\n')",
        SHOW_EVERYTHING,
    ]
    nbformat.write(
        _notebook("Note de territoire", PARAMS + '\nterritoire: str = "occitanie"  # territoire', cells),
        folder / "04-note.ipynb",
    )
    return folder


@pytest.fixture
def corpus_dir(tmp_path) -> Path:
    return write_corpus(tmp_path / "corpus")


@pytest.fixture
def notebooks_dir(tmp_path) -> Path:
    return write_notebooks(tmp_path / "carnets")


def run(corpus_dir, out, notebooks_dir, **kwargs) -> BatchResult:
    kwargs.setdefault("workers", 1)
    kwargs.setdefault("progress", False)
    return run_briefs(corpus_dir, out, notebooks_dir=notebooks_dir, **kwargs)


# --- territories ----------------------------------------------------------------------


def test_default_territories_roll_up_and_always_include_fr(corpus_dir):
    corpus = load_corpus(corpus_dir)
    assert default_territories(corpus) == ["bourgogne-franche-comte", "cote-d-or", "fr", "herault", "occitanie"]


def test_default_territories_include_europe_only_with_data_located_there(corpus_dir):
    with open(corpus_dir / "acteurs.csv", "a", encoding="utf-8") as fh:
        fh.write("reseau-eu,Réseau européen,,reseau_territorial,europe,europeen,false,essai#L4\n")
    territories = default_territories(load_corpus(corpus_dir))
    assert "europe" in territories
    assert "monde" not in territories


def test_fr_is_included_even_without_french_data(tmp_path):
    folder = write_corpus(tmp_path / "c")
    (folder / "acteurs.csv").write_text(
        "acteur_id,nom,sigle,type,territoire_id,echelon,membre_mes,source\n"
        "reseau-eu,Réseau européen,,reseau_territorial,europe,europeen,false,essai#L4\n"
        "asso-b,Association B,,association,,local,false,essai#L2\n"
        "reseau-a,Réseau A,,reseau_territorial,,regional,true,essai#L1\n",
        encoding="utf-8",
    )
    assert default_territories(load_corpus(folder)) == ["europe", "fr"]


@pytest.mark.parametrize("bad", ["../../etc", "..", "occitanie/../../x", "", "a b", "é"])
def test_hostile_territory_is_refused_before_anything_is_written(corpus_dir, notebooks_dir, tmp_path, bad):
    """A territory is resolved to one of the corpus's identifiers (the folder names): anything else is refused."""
    out = tmp_path / "out"
    with pytest.raises(ParameterError, match="Territoire « .* » inconnu"):
        run(corpus_dir, out, notebooks_dir, territoires=["occitanie", bad])
    assert not out.exists()


def test_unknown_territory_is_refused_before_anything_is_written(corpus_dir, notebooks_dir, tmp_path):
    out = tmp_path / "out"
    with pytest.raises(
        ParameterError, match="Territoire « atlantide » inconnu.*Donnez l'identifiant, le nom ou le code"
    ):
        run(corpus_dir, out, notebooks_dir, territoires=["atlantide"])
    with pytest.raises(ParameterError, match="« bretgne » inconnu \\(vouliez-vous dire « bretagne »"):
        run(corpus_dir, out, notebooks_dir, territoires=["bretgne"])
    assert not out.exists()


def test_territories_are_named_by_identifier_name_or_code(corpus_dir):
    from mesra.batch.run import _territories

    corpus = load_corpus(corpus_dir)
    assert _territories(corpus, ["Occitanie", "29", "Finistère", "occitanie"]) == ["occitanie", "finistere"]


def test_cli_refuses_path_traversal(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["briefs", "--territoire", "../../etc", "--out", str(out)]) == 1
    assert "Territoire « ../../etc » inconnu" in capsys.readouterr().err
    assert not out.exists()


def test_invalid_corpus_produces_no_brief(corpus_dir, notebooks_dir, tmp_path, capsys):
    text = (corpus_dir / "acteurs.csv").read_text(encoding="utf-8").replace("cooperative,cote-d-or", "banque,cote-d-or")
    (corpus_dir / "acteurs.csv").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    with pytest.raises(CorpusError, match="problème"):
        run(corpus_dir, out, notebooks_dir)
    assert not out.exists()
    argv = ["briefs", "--data", str(corpus_dir), "--out", str(out), "--workers", "1", "--carnets", str(notebooks_dir)]
    assert main(argv) == 1
    printed = capsys.readouterr().out
    assert "acteurs.csv:4: type" in printed
    assert "aucune note produite" in printed
    assert not out.exists()


def test_workers_must_be_positive(corpus_dir, notebooks_dir, tmp_path):
    with pytest.raises(ParameterError, match="Nombre de processus invalide"):
        run(corpus_dir, tmp_path / "out", notebooks_dir, workers=0)


def test_no_notebook_is_an_error(corpus_dir, tmp_path):
    (tmp_path / "vide").mkdir()
    with pytest.raises(MesraError, match="Aucun carnet"):
        run(corpus_dir, tmp_path / "out", tmp_path / "vide")


def test_notebook_without_the_privacy_parameter_is_refused(corpus_dir, tmp_path):
    folder = tmp_path / "carnets"
    folder.mkdir()
    nbformat.write(_notebook("Sans pseudonymes", 'data: str = ""', ["1"]), folder / "01-x.ipynb")
    with pytest.raises(MesraError, match="ne déclare pas le\\(s\\) paramètre\\(s\\) pseudonymiser"):
        run(corpus_dir, tmp_path / "out", folder)
    assert not (tmp_path / "out").exists()


# --- execution, failures, summary ------------------------------------------------------


def test_failing_territory_leaves_the_others_done_with_the_pool(corpus_dir, notebooks_dir, tmp_path):
    out = tmp_path / "out"
    result = run(corpus_dir, out, notebooks_dir, workers=2, territoires=["occitanie", "herault", "cote-d-or"])
    assert not result.ok
    assert [r.job.territoire for r in result.failed] == ["herault"]
    failure = result.failed[0]
    assert failure.cell_number == 4  # title, parameters, load, then the failing cell
    assert failure.cell_first_line == "if territoire == 'herault':"
    assert failure.error == "ValueError: échec voulu pour herault"
    assert sorted(r.job.ident for r in result.done) == [
        "corpus/01-vue",
        "territoires/cote-d-or/04-note",
        "territoires/occitanie/04-note",
    ]
    for tid in ("occitanie", "cote-d-or"):
        for name in ("04-note.ipynb", "04-note.html", "04-note.code.html", "export.csv"):
            assert (out / "territoires" / tid / name).is_file()
    assert not (out / "territoires" / "herault" / "04-note.html").exists()
    assert (out / "territoires" / "herault" / "04-note.erreur.html").is_file()
    summary = result.summary()
    assert "1 échec —" in summary
    assert (
        "herault · 04-note.ipynb : cellule 4 « if territoire == 'herault': » : ValueError: échec voulu pour herault"
    ) in summary
    assert str(out / "territoires" / "herault" / "04-note.erreur.html") in summary


def test_cli_exit_status_and_summary(corpus_dir, notebooks_dir, tmp_path, capsys):
    argv = ["briefs", "--data", str(corpus_dir), "--out", str(tmp_path / "out"), "--workers", "1"]
    argv += ["--carnets", str(notebooks_dir)]
    assert main([*argv, "--territoire", "herault"]) == 1
    printed = capsys.readouterr().out
    assert "Échecs :" in printed and "cellule 4" in printed
    assert main([*argv, "--territoire", "occitanie"]) == 0
    assert "0 échec —" in capsys.readouterr().out


def test_same_failure_in_many_territories_is_grouped(corpus_dir, tmp_path):
    folder = write_notebooks(tmp_path / "carnets", fail_for=None)
    nb = nbformat.read(folder / "04-note.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("import mesra.module_absent"))
    nbformat.write(nb, folder / "04-note.ipynb")
    result = run(corpus_dir, tmp_path / "out", folder, territoires=["occitanie", "herault", "fr"])
    assert len(result.failed) == 3
    summary = result.summary()
    assert "pour 3 territoires : fr, herault, occitanie" in summary
    assert summary.count("ModuleNotFoundError") == 1


def test_progress_bar_on_a_terminal_names_the_running_territory(
    corpus_dir, notebooks_dir, tmp_path, capsys, monkeypatch
):
    import mesra.batch.progress

    monkeypatch.setattr(mesra.batch.progress, "_is_terminal", lambda stream: True)
    run(corpus_dir, tmp_path / "out", notebooks_dir, territoires=["cote-d-or"], progress=True)
    err = capsys.readouterr().err
    assert "en cours : cote-d-or (04-note)" in err
    assert "2/2" in err


def test_progress_off_a_terminal_is_one_line_per_finished_job(corpus_dir, notebooks_dir, tmp_path, capsys):
    """In CI or `make briefs 2> log`, a bar would write a line per refresh: one line per job instead."""
    run(corpus_dir, tmp_path / "out", notebooks_dir, territoires=["herault"], progress=True)
    err = capsys.readouterr().err
    assert "\r" not in err and "carnet/s" not in err and "it/s" not in err
    lines = err.splitlines()
    assert len(lines) == 2, err
    assert re.fullmatch(r"\[1/2\] corpus · 01-vue : fait en \d+ s", lines[0])
    assert lines[1].startswith("[2/2] échec : herault · 04-note.ipynb : cellule 4")


def test_outputs_record_provenance_and_parameters(corpus_dir, notebooks_dir, tmp_path):
    out = tmp_path / "out"
    run(corpus_dir, out, notebooks_dir, territoires=["occitanie"])
    nb = nbformat.read(out / "territoires" / "occitanie" / "04-note.ipynb", as_version=4)
    assert nb.metadata.papermill.parameters == {
        "data": str(corpus_dir.resolve()),
        "pseudonymiser": False,
        "territoire": "occitanie",
    }
    assert nb.metadata.papermill.output_path == str(out / "territoires" / "occitanie" / "04-note.ipynb")
    assert nb.metadata.mesra.cle
    assert not any(c.get("outputs") and any(o.output_type == "error" for o in c.outputs) for c in nb.cells)
    state = json.loads((out / STATE_FILE).read_text(encoding="utf-8"))
    assert state["jobs"]["territoires/occitanie/04-note"]["corpus"] == load_corpus(corpus_dir).hash


def test_data_path_is_found_whatever_the_working_directory(corpus_dir, notebooks_dir, tmp_path, monkeypatch):
    """A corpus outside the project is passed as an absolute path: found from the notebooks' folder."""
    monkeypatch.chdir(corpus_dir.parent)
    out = tmp_path / "out"
    result = run(Path(corpus_dir.name), out, notebooks_dir, territoires=["occitanie"])
    assert result.ok, result.summary()
    nb = nbformat.read(out / "territoires" / "occitanie" / "04-note.ipynb", as_version=4)
    assert nb.metadata.papermill.parameters["data"] == str(corpus_dir.resolve())


def test_data_path_inside_the_project_is_stored_relative_to_it(notebooks_dir, tmp_path, monkeypatch):
    """Two checkouts in different places produce the same pages: no machine path in them."""
    mini = ROOT / "tests" / "fixtures" / "mini"
    monkeypatch.chdir(ROOT / "tests")
    out = tmp_path / "out"
    result = run(Path("fixtures") / "mini", out, notebooks_dir, territoires=["occitanie"])
    assert result.ok, result.summary()
    nb = nbformat.read(out / "territoires" / "occitanie" / "04-note.ipynb", as_version=4)
    assert nb.metadata.papermill.parameters["data"] == "tests/fixtures/mini"
    assert nb.metadata.mesra.parametres["data"] == "tests/fixtures/mini"
    assert "Réseau Alpha" in (out / "territoires" / "occitanie" / "04-note.html").read_text("utf-8")
    for p in out.rglob("*"):
        if p.is_file():
            assert str(mini) not in p.read_text("utf-8", errors="replace"), p


def test_notebook_api_finds_a_project_relative_corpus_from_any_folder(tmp_path, monkeypatch):
    import mesra

    monkeypatch.chdir(tmp_path)
    assert set(mesra.load_corpus("tests/fixtures/mini").acteurs["acteur_id"]) >= {"reseau-alpha"}
    (tmp_path / "tests" / "fixtures" / "mini").mkdir(parents=True)  # the current folder comes first
    with pytest.raises(CorpusError):
        mesra.load_corpus("tests/fixtures/mini")


# --- incremental runs -------------------------------------------------------------------


@pytest.fixture
def frozen_code(monkeypatch):
    """Other engineers edit mesra while tests run: freeze the source digest."""
    monkeypatch.setattr(batch_plan, "code_digest", lambda: "code-fige")


def test_second_run_with_nothing_changed_skips_everything(corpus_dir, notebooks_dir, tmp_path, frozen_code):
    out = tmp_path / "out"
    first = run(corpus_dir, out, notebooks_dir, territoires=["occitanie", "cote-d-or"])
    assert first.ok and len(first.done) == 3
    before = snapshot(out)
    second = run(corpus_dir, out, notebooks_dir, territoires=["occitanie", "cote-d-or"])
    assert second.ok and second.done == [] and len(second.skipped) == 3
    assert "0 carnet exécuté et rendu, 3 ignorés" in second.summary()
    after = snapshot(out)
    assert after == before  # nothing changed: the index, its map and the resource centre are left as they were


def test_changed_inputs_rerun_only_what_changed(corpus_dir, notebooks_dir, tmp_path, frozen_code, monkeypatch):
    out = tmp_path / "out"
    territories = ["cote-d-or"]
    run(corpus_dir, out, notebooks_dir, territoires=territories)
    # the notebook changed: its jobs only
    nb = nbformat.read(notebooks_dir / "01-vue.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("1 + 1"))
    nbformat.write(nb, notebooks_dir / "01-vue.ipynb")
    assert [r.job.ident for r in run(corpus_dir, out, notebooks_dir, territoires=territories).done] == ["corpus/01-vue"]
    # an output was deleted: that job only
    (out / "territoires" / "cote-d-or" / "04-note.code.html").unlink()
    result = run(corpus_dir, out, notebooks_dir, territoires=territories)
    assert [r.job.ident for r in result.done] == ["territoires/cote-d-or/04-note"]
    # the corpus changed: everything
    with open(corpus_dir / "acteurs.csv", "a", encoding="utf-8") as fh:
        fh.write("asso-d,Association D,,association,gard,local,false,essai#L4\n")
    assert len(run(corpus_dir, out, notebooks_dir, territoires=territories).done) == 2
    # mesra's code changed: everything
    monkeypatch.setattr(batch_plan, "code_digest", lambda: "code-modifie")
    assert len(run(corpus_dir, out, notebooks_dir, territoires=territories).done) == 2
    # a parameter changed: everything
    assert len(run(corpus_dir, out, notebooks_dir, territoires=territories, pseudonymiser=True).done) == 2
    # --force
    forced = run(corpus_dir, out, notebooks_dir, territoires=territories, pseudonymiser=True, force=True)
    assert len(forced.done) == 2 and forced.skipped == []


def test_failed_job_is_retried_and_its_error_files_go_once_fixed(corpus_dir, tmp_path, frozen_code):
    out = tmp_path / "out"
    failing = write_notebooks(tmp_path / "carnets")
    first = run(corpus_dir, out, failing, territoires=["herault"])
    assert len(first.failed) == 1
    assert (out / "territoires" / "herault" / "04-note.erreur.ipynb").is_file()
    again = run(corpus_dir, out, failing, territoires=["herault"])
    assert [r.job.territoire for r in again.failed] == ["herault"]  # not skipped
    write_notebooks(tmp_path / "carnets", fail_for="aucun")
    fixed = run(corpus_dir, out, failing, territoires=["herault"])
    assert fixed.ok
    names = sorted(p.name for p in (out / "territoires" / "herault").iterdir())
    assert names == [".04-note.mesra.json", "04-note.code.html", "04-note.html", "04-note.ipynb", "export.csv"]


def test_a_failure_keeps_the_previous_good_report(corpus_dir, tmp_path, frozen_code):
    out = tmp_path / "out"
    write_notebooks(tmp_path / "carnets", fail_for="aucun")
    run(corpus_dir, out, tmp_path / "carnets", territoires=["herault"])
    good = snapshot(out / "territoires" / "herault")
    write_notebooks(tmp_path / "carnets", fail_for="herault")
    result = run(corpus_dir, out, tmp_path / "carnets", territoires=["herault"])
    assert not result.ok
    now = snapshot(out / "territoires" / "herault")
    good.pop(".04-note.mesra.json")  # the manifest now names the failure too
    assert {k: v for k, v in now.items() if ".erreur." not in k and not k.endswith(".mesra.json")} == good
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "territoires/herault/04-note.html" in index
    assert "échec de la dernière exécution" in index


# --- atomicity ------------------------------------------------------------------------------


def test_crash_mid_job_leaves_previous_files_intact_and_no_temp_file(
    corpus_dir, notebooks_dir, tmp_path, frozen_code, monkeypatch
):
    out = tmp_path / "out"
    run(corpus_dir, out, notebooks_dir, territoires=["occitanie"])
    before = snapshot(out)
    with open(corpus_dir / "acteurs.csv", "a", encoding="utf-8") as fh:  # so that every job re-runs
        fh.write("asso-d,Association D,,association,gard,local,false,essai#L4\n")

    import mesra.batch.render

    real = mesra.batch.render.render_notebook
    calls = []

    def crash_on_second_page(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:  # the readers' page is written in staging, the researchers' one crashes
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(mesra.batch.render, "render_notebook", crash_on_second_page)
    with pytest.raises(KeyboardInterrupt):
        run(corpus_dir, out, notebooks_dir, territoires=["occitanie"])
    after = snapshot(out)
    for made in (before, after):  # the index is written again at the end (and what it was made from)
        made.pop("index.html"), made.pop(".mesra-index.json", None)
    assert after == before
    assert not (out / ".mesra-tmp").exists()
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]


@pytest.mark.slow
def test_killed_run_leaves_no_partial_file_and_next_run_cleans_up(corpus_dir, tmp_path):
    """SIGKILL mid-job (no cleanup possible): published files intact, leftovers removed next run."""
    out = tmp_path / "out"
    folder = write_notebooks(tmp_path / "carnets", fail_for=None, sleep_env=True)
    (folder / "01-vue.ipynb").unlink()  # one job only: the one that is killed
    code = (
        "import sys; from mesra.batch import run_briefs; "
        "r = run_briefs(sys.argv[1], sys.argv[2], notebooks_dir=sys.argv[3], territoires=['occitanie'], "
        "workers=int(sys.argv[4]), progress=False, force=True); sys.exit(0 if r.ok else 1)"
    )
    cmd = [sys.executable, "-c", code, str(corpus_dir), str(out), str(folder)]
    subprocess.run([*cmd, "1"], check=True, cwd=ROOT, capture_output=True, timeout=120)
    before = snapshot(out)
    before.pop("index.html"), before.pop(".mesra-index.json", None)
    env = dict(os.environ, MESRA_TEST_SLEEP="60")
    proc = subprocess.Popen(
        [*cmd, "2"], cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:  # wait until the job has its staging folder
            staged = list((out / ".mesra-tmp").glob("*")) if (out / ".mesra-tmp").exists() else []
            if staged or proc.poll() is not None:
                break
            time.sleep(0.1)
        time.sleep(3.0)  # the kernel starts and sleeps
        assert proc.poll() is None, "le lot s’est terminé avant d’être interrompu"
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    after = snapshot(out)
    leftovers = {k for k in after if k.startswith(".mesra-tmp/")}
    kept = {k: v for k, v in after.items() if k not in leftovers and k not in ("index.html", ".mesra-index.json")}
    assert kept == before
    assert not [k for k in after if k.endswith(".tmp")]
    subprocess.run([*cmd, "1"], check=True, cwd=ROOT, capture_output=True, timeout=120)
    assert not (out / ".mesra-tmp").exists()


def test_a_rendering_error_is_a_failure_not_a_crash(corpus_dir, notebooks_dir, tmp_path, monkeypatch):
    import mesra.batch.render

    def broken(*args, **kwargs):
        raise RuntimeError("gabarit introuvable")

    monkeypatch.setattr(mesra.batch.render, "render_notebook", broken)
    out = tmp_path / "out"
    result = run(corpus_dir, out, notebooks_dir, territoires=["occitanie"])
    assert len(result.failed) == 2 and result.done == []
    assert "pendant le rendu HTML ou l’écriture des fichiers : RuntimeError: gabarit introuvable" in result.summary()
    # no page of a notebook; the resource centre comes from the corpus alone, so it is still published
    assert [p.name for p in out.rglob("*.html") if "ressources" not in p.relative_to(out).parts] == ["index.html"]
    assert not (out / ".mesra-tmp").exists()


#: How a notebook kills the worker that runs it: its kernel's parent, or with warm kernels its
#: kernel's grandparent (kernel → warm parent → worker).
KILL_WORKER = {
    "papermill": "os.kill(os.getppid(), signal.SIGKILL)",
    "mesra": "import psutil\n    os.kill(psutil.Process(os.getppid()).ppid(), signal.SIGKILL)",
}


@pytest.mark.parametrize("engine", ["mesra", "papermill"])
def test_a_killed_worker_fails_its_own_job_only_says_so_and_the_index_marks_it(
    corpus_dir, tmp_path, monkeypatch, engine
):
    """The job beside it runs again; the summary and an error page say which signal; the index
    keeps the last good pages of the territory and marks the failure."""
    folder = write_notebooks(tmp_path / "carnets", fail_for=None)
    (folder / "01-vue.ipynb").unlink()
    nb = nbformat.read(folder / "04-note.ipynb", as_version=4)
    nb.cells.insert(
        3,
        nbformat.v4.new_code_cell(
            f"import os, signal\nif territoire == os.environ.get('MESRA_TEST_KILL'):\n    {KILL_WORKER[engine]}"
        ),
    )
    nbformat.write(nb, folder / "04-note.ipynb")
    out = tmp_path / "out"
    territories = ["fr", "occitanie", "herault", "cote-d-or"]
    assert run(corpus_dir, out, folder, workers=2, territoires=["fr"], engine=engine).ok
    monkeypatch.setenv("MESRA_TEST_KILL", "fr")
    result = run(corpus_dir, out, folder, workers=2, territoires=territories, force=True, engine=engine)
    assert [r.job.territoire for r in result.failed] == ["fr"]  # occitanie ran beside it: run again
    assert sorted(r.job.territoire for r in result.done) == ["cote-d-or", "herault", "occitanie"]
    summary = result.summary()
    assert "fr · 04-note.ipynb : pendant l’exécution : " in summary
    assert "le processus qui exécutait ce carnet a été arrêté (signal 9, SIGKILL)" in summary
    assert "mémoire" not in summary
    page = (out / "territoires" / "fr" / "04-note.erreur.html").read_text("utf-8")
    assert "a été arrêté (signal 9, SIGKILL)" in page
    index = (out / "index.html").read_text(encoding="utf-8")
    row = index[index.index('<tr id="fr">') :]
    row = row[: row.index("</tr>")]
    assert 'href="territoires/fr/04-note.html"' in row  # the last good page stays
    assert 'href="territoires/fr/04-note.erreur.html">échec de la dernière exécution' in row
    assert (out / "territoires" / "herault" / "04-note.html").is_file()


def test_a_second_batch_on_the_same_folder_is_refused(corpus_dir, notebooks_dir, tmp_path):
    fcntl = pytest.importorskip("fcntl")
    out = tmp_path / "out"
    out.mkdir()
    with open(out / ".mesra-verrou", "a+") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(MesraError, match="Une autre production de notes est en cours"):
            run(corpus_dir, out, notebooks_dir, territoires=["occitanie"])
    assert not (out / "territoires").exists()


# --- hostile data and privacy ---------------------------------------------------------------


def test_hostile_names_show_as_text_in_every_page(corpus_dir, notebooks_dir, tmp_path):
    with open(corpus_dir / "territoires.csv", "w", encoding="utf-8") as fh:
        fh.write(
            "territoire_id,nom,niveau,code_insee,parent_id,source\n"
            f'ville-piege,"{HOSTILE}<img src=x onerror=alert(2)>",commune,,herault,essai#L1\n'
        )
    with open(corpus_dir / "acteurs.csv", "a", encoding="utf-8") as fh:
        fh.write("asso-piege,Association piège,,association,ville-piege,local,false,essai#L4\n")
    out = tmp_path / "out"
    result = run(corpus_dir, out, notebooks_dir, territoires=["occitanie", "ville-piege"])
    assert result.ok, result.summary()
    pages = sorted(out.rglob("*.html"))
    site = [p for p in pages if p.parent.name == "ressources"]  # the resource centre (issue 25)
    assert len(pages) - len(site) == 7  # index + 3 notebooks × 2
    assert out / "ressources" / "portrait-asso-piege.html" in site
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for attrs, body in re.findall(r"(?s)<script\b([^>]*)>(.*?)</script>", text):  # inline only, never the data
            assert "src" not in attrs, page
            assert (not set("<>&") & set(body)) if "application/json" in attrs else "alert(" not in body, page
        text = re.sub(r"(?s)<script\b[^>]*>.*?</script>", "", text)
        assert "<script" not in text.lower(), page
        assert not re.search(r"<[a-z][^>]*\son\w+\s*=", text, re.IGNORECASE), page  # no event handler
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;" in index
    brief = (out / "territoires" / "occitanie" / "04-note.html").read_text(encoding="utf-8")
    assert brief.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 3  # print, HTML, table
    assert brief.count("&lt;script&gt;") >= 4  # and Markdown (nbconvert's Markdown moves the text out)


def test_pseudonymised_run_leaves_no_real_name_in_any_output(corpus_dir, notebooks_dir, tmp_path):
    out = tmp_path / "out"
    result = run(corpus_dir, out, notebooks_dir, territoires=["occitanie", "herault"], pseudonymiser=True)
    assert [r.job.territoire for r in result.failed] == ["herault"]  # failure pages are outputs too
    files = [p for p in out.rglob("*") if p.is_file()]
    assert {p.suffix for p in files} >= {".ipynb", ".html", ".csv", ".json"}
    for p in files:
        text = p.read_bytes().decode("utf-8", "replace").lower()
        for real in ("dupontel", "marie-dupontel"):
            assert real not in text, f"{real} dans {p}"
    brief = (out / "territoires" / "occitanie" / "04-note.html").read_text(encoding="utf-8")
    assert re.search(r"Personne [0-9A-F]{6}", brief)
    assert "Les noms des personnes sont remplacés par des pseudonymes" in (out / "index.html").read_text("utf-8")


def test_index_links_every_page_and_shows_provenance(corpus_dir, notebooks_dir, tmp_path):
    out = tmp_path / "out"
    result = run(corpus_dir, out, notebooks_dir, territoires=["occitanie", "herault"])
    index = (out / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'href="([^"]+)"', index)
    assert set(links) == {
        "corpus/01-vue.html",
        "corpus/01-vue.code.html",
        "territoires/occitanie/04-note.html",
        "territoires/occitanie/04-note.code.html",
        "territoires/herault/04-note.erreur.html",
        "ressources/index.html",  # the resource centre, written beside the briefs
    }
    assert all((out / link).is_file() for link in links)
    assert result.corpus_hash in index
    assert "mesra 0.1.0" in index or re.search(r"mesra \d", index)
    assert index.index("Occitanie") < index.index("Hérault")  # département below its région


# --- end to end on the real notebooks --------------------------------------------------------


@pytest.mark.slow
def test_real_notebooks_end_to_end_pseudonymised_with_hostile_data(tmp_path):
    """`python -m mesra briefs` on the default corpus plus a hostile actor, one territory, pseudonymised."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    with open(data / "acteurs.csv", "a", encoding="utf-8") as fh:
        fh.write(
            f"asso-piege,{HOSTILE}<img src=x onerror=alert(2)>,,association,occitanie,regional,false,"
            "actes-coconstruire-2019#L52\n"
        )
    header = (data / "liens.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    tie = dict(source_id="asso-piege", cible_id="mes-occitanie", relation="partenaire_de", echelon="regional")
    tie["source"] = "actes-coconstruire-2019#L52"
    with open(data / "liens.csv", "a", encoding="utf-8") as fh:
        fh.write(",".join(tie.get(col, "") for col in header) + "\n")
    out = tmp_path / "rapports"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "mesra",
            "briefs",
            "--data",
            str(data),
            "--out",
            str(out),
            "--territoire",
            "occitanie",
            "--workers",
            "2",
            "--pseudonymiser",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=900,
        env={k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "CONDA_PREFIX")},
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "5 carnets exécutés" in proc.stdout
    for name in ("04-note-recherche-action", "03-reseau-territorial"):
        for suffix in (".html", ".code.html", ".ipynb"):
            assert (out / "territoires" / "occitanie" / f"{name}{suffix}").is_file()
    for page in out.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if page == out / "ressources" / "index.html":  # the resource centre's search: its own inline scripts only
            data = '<script type="application/json" id="mesra-ressources">'
            assert re.findall(r"<script\b[^>]*>", text) == [data, "<script>", "<script>"]  # inline, no src
        # the page's own inline scripts (the resource centre's search, the interactive network view: vendored
        # libraries and the graph as escaped JSON) never load anything and never carry the data as markup
        for attrs, body in re.findall(r"(?s)<script\b([^>]*)>(.*?)</script>", text):
            assert "src" not in attrs, page
            if "application/json" in attrs:  # data: JSON with <, > and & escaped, so no markup can start in it
                assert not set("<>&") & set(body), page
            else:  # code: the vendored libraries and the page's own script, never the data
                assert "alert(1)" not in body and "alert(2)" not in body, page
        text = re.sub(r"(?s)<script\b[^>]*>.*?</script>", "", text)
        assert "<script" not in text.lower(), page
        assert not re.search(r"<[a-z][^>]*\son\w+\s*=", text, re.IGNORECASE), page
    brief = (out / "territoires" / "occitanie" / "04-note-recherche-action.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in brief
    corpus = load_corpus()
    real = {str(v).lower() for v in corpus.personnes["personne_id"]}
    real |= {f"{p} {n}".lower() for p, n in zip(corpus.personnes["prenom"], corpus.personnes["nom"]) if p and n}
    for p in (q for q in out.rglob("*") if q.is_file()):
        text = p.read_bytes().decode("utf-8", "replace").lower()
        found = sorted(name for name in real if name in text)
        assert not found, f"{found} dans {p}"


def test_pdf_beside_each_reader_page_and_never_stale(corpus_dir, notebooks_dir, tmp_path, frozen_code):
    """--pdf writes an A4 PDF beside each reader page; a later run without it removes the ones it outdated."""
    pytest.importorskip("weasyprint")
    out = tmp_path / "out"
    result = run_briefs(
        data=corpus_dir, out=out, territoires=["herault"], workers=1, notebooks_dir=notebooks_dir,
        progress=False, pdf=True,
    )  # fmt: skip
    pages = sorted(p for p in out.rglob("*.html") if not p.name.endswith(".code.html") and p.name != "index.html")
    pdfs = sorted(out.rglob("*.pdf"))
    assert pdfs and [p.with_suffix(".html") for p in pdfs] == [p for p in pages if p.with_suffix(".pdf").exists()]
    assert all(p.read_bytes().startswith(b"%PDF") for p in pdfs)
    assert set(result.pdfs) == set(pdfs) and ("PDF écrit " in result.summary() or "PDF écrits " in result.summary())
    # unchanged inputs: the PDFs are kept as they are
    again = run_briefs(data=corpus_dir, out=out, territoires=["herault"], workers=1, notebooks_dir=notebooks_dir,
                       progress=False, pdf=True)  # fmt: skip
    assert again.pdfs == [] and sorted(out.rglob("*.pdf")) == pdfs
    # pages redone without --pdf: their old PDFs would say something else, so they go
    run_briefs(data=corpus_dir, out=out, territoires=["herault"], workers=1, notebooks_dir=notebooks_dir,
               progress=False, force=True)  # fmt: skip
    assert not list(out.rglob("*.pdf"))


def test_in_process_pages_are_published_in_a_thread_in_order_and_an_interruption_keeps_what_finished(monkeypatch):
    """With one worker, a job's pages are rendered and published in a thread while the next
    notebook runs; results come in the jobs' order, and an interruption during a notebook still
    reports the job whose pages were being published (they are, atomically), then propagates."""
    import threading

    from mesra.batch import pool

    threads = []

    def run(job):
        if job == "c":
            raise KeyboardInterrupt
        return job

    def finish(job):
        threads.append(threading.current_thread().name)
        time.sleep(0.05)
        return f"fait : {job}"

    monkeypatch.setattr(pool, "run_job", run)
    monkeypatch.setattr(pool, "finish_job", finish)
    seen = []
    pool.run_in_process(["a", "b"], seen.append, lambda running: None)
    assert seen == ["fait : a", "fait : b"]
    seen.clear()
    with pytest.raises(KeyboardInterrupt):
        pool.run_in_process(["a", "b", "c", "d"], seen.append, lambda running: None)
    assert seen == ["fait : a", "fait : b"]
    assert threads and all(name.startswith("mesra-pages") for name in threads)


def test_a_changed_template_re_runs_the_briefs(tmp_path, monkeypatch):
    """A reworded brief template (``*.j2``) changes what the batch writes as much as code does: the code digest
    that keys every job covers it (a ninth-reading rewording was not re-rendered). Caches do not count."""
    import shutil

    from mesra import files

    root = tmp_path / "mesra"
    shutil.copytree(files.PACKAGE_ROOT, root, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(files, "PACKAGE_ROOT", root)
    before = files.package_digest()
    (root / "__pycache__").mkdir(exist_ok=True)
    (root / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"cache")
    assert files.package_digest() == before
    template = root / "analysis" / "brief" / "templates" / "header.j2"
    template.write_text(template.read_text(encoding="utf-8") + "\n{# reworded #}\n", encoding="utf-8")
    assert files.package_digest() != before
