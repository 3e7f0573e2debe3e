"""Warm kernels (issue 13): isolation, crashes and hangs, IPC, the corpus handed in parsed form.

The batch tests run the tiny notebooks of ``test_batch`` on its tiny corpus, in this
process (``workers=1``): every notebook is forked from the same warm parent, which is
what isolation must survive.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from test_batch import PARAMS, ROOT, _notebook, run, write_corpus, write_notebooks

from mesra.batch import preparsed
from mesra.corpus.load import build_corpus, load_corpus
from mesra.corpus.privacy import pseudonymise

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="noyaux chauds : Linux seulement")


@pytest.fixture
def corpus_dir(tmp_path) -> Path:
    return write_corpus(tmp_path / "corpus")


@pytest.fixture(autouse=True)
def _nothing_installed():
    """Each test starts and ends with no corpus installed in this process."""
    preparsed.forget()
    yield
    preparsed.forget()


def outputs(nb_path: Path) -> list[str]:
    """The lines of every stream and plain-text output of an executed notebook."""
    nb = nbformat.read(nb_path, as_version=4)
    texts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                texts += out["text"].splitlines()
            elif "data" in out and "text/plain" in out["data"]:
                texts += out["data"]["text/plain"].splitlines()
    return texts


# --- isolation ----------------------------------------------------------------------------------

LEAVE_STATE = """
import json, os, random, signal, sys, threading, time, types
import numpy as np
import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import mesra
print("pids", os.getpid(), os.getppid())
FUITE = 42
matplotlib.rcParams["lines.linewidth"] = 9.5
plt.rcParams["figure.figsize"] = (1.0, 1.0)
json.fuite = True
mesra.fuite = True
pd.options.display.max_rows = 3
os.environ["MESRA_FUITE"] = "1"
sys.path.insert(0, "/fuite")
sys.modules["module_fuite"] = types.ModuleType("module_fuite")
signal.signal(signal.SIGUSR1, lambda *a: None)
threading.Thread(target=time.sleep, args=(60,), name="fil-fuite", daemon=True).start()
random.seed(1)
np.random.seed(1)
corpus.acteurs.loc[0, "nom"] = "MODIFIÉ"
corpus.source_texts["essai"] = "modifié"
os.chdir("/")
"""

CHECK_NOTHING_LEFT = """
import json, os, random, signal, sys, threading
import numpy as np
import matplotlib
import pandas as pd
import mesra
print("pids", os.getpid(), os.getppid())
leaks = []
if "FUITE" in globals(): leaks.append("variable globale")
if matplotlib.rcParams["lines.linewidth"] != matplotlib.rcParamsDefault["lines.linewidth"]: leaks.append("rcParams")
if list(matplotlib.rcParams["figure.figsize"]) == [1.0, 1.0]: leaks.append("figure.figsize")
if hasattr(json, "fuite") or hasattr(mesra, "fuite"): leaks.append("attribut de module")
if pd.options.display.max_rows == 3: leaks.append("option pandas")
if "MESRA_FUITE" in os.environ: leaks.append("variable d'environnement")
if "/fuite" in sys.path: leaks.append("sys.path")
if "module_fuite" in sys.modules: leaks.append("module")
if signal.getsignal(signal.SIGUSR1) is not signal.SIG_DFL: leaks.append("signal")
if any(t.name == "fil-fuite" for t in threading.enumerate()): leaks.append("fil")
if random.random() == random.Random(1).random(): leaks.append("random")
if np.random.random() == np.random.RandomState(1).random(): leaks.append("numpy.random")
if os.getcwd() == "/": leaks.append("dossier courant")
if "MODIFIÉ" in set(corpus.acteurs["nom"]) or corpus.source_texts["essai"] == "modifié": leaks.append("corpus")
assert not leaks, "état laissé par le carnet précédent : " + ", ".join(leaks)
print("rien ne reste")
"""

USED_PREPARSED = """
from mesra.batch import preparsed
import mesra.corpus.load as loading
loading.read_raw = None  # a corpus read and parsed again would fail here
again = mesra.load_corpus(data or None, pseudonymiser=pseudonymiser)
print("pré-analysé", preparsed.installed() == [again.hash], again is not corpus)
"""


def test_each_notebook_starts_from_a_clean_state_whatever_the_previous_one_did(corpus_dir, tmp_path):
    """The previous notebook set globals, rcParams, module attributes, an environment
    variable, sys.path, a module, a signal handler, a thread, the random seeds, the
    working folder and modified its corpus: the next one, forked from the same warm
    parent, sees none of it, and gets its corpus in parsed form without reading it."""
    folder = tmp_path / "carnets"
    folder.mkdir()
    load = "import mesra\ncorpus = mesra.load_corpus(data or None, pseudonymiser=pseudonymiser)"
    nbformat.write(_notebook("Laisse des traces", PARAMS, [load, LEAVE_STATE]), folder / "01-traces.ipynb")
    cells = [load, CHECK_NOTHING_LEFT, USED_PREPARSED]
    nbformat.write(_notebook("Vérifie", PARAMS, cells), folder / "02-verifie.ipynb")
    out = tmp_path / "out"
    result = run(corpus_dir, out, folder, engine="mesra")
    assert result.ok, result.summary()
    first = outputs(out / "corpus" / "01-traces.ipynb")
    second = outputs(out / "corpus" / "02-verifie.ipynb")
    assert "rien ne reste" in second
    assert "pré-analysé True True" in second
    pid1, ppid1 = map(int, next(t for t in first if t.startswith("pids")).split()[1:])
    pid2, ppid2 = map(int, next(t for t in second if t.startswith("pids")).split()[1:])
    assert pid1 != pid2 and pid1 != os.getpid()
    assert ppid1 == ppid2 != os.getpid()  # both forked from the same warm parent


def test_the_papermill_engine_starts_fresh_standard_kernels(corpus_dir, tmp_path):
    folder = tmp_path / "carnets"
    folder.mkdir()
    cell = "import os, sys\nprint('parent', os.getppid(), 'mesra' in sys.modules)"
    nbformat.write(_notebook("Noyau", PARAMS, [cell]), folder / "01-noyau.ipynb")
    out = tmp_path / "out"
    assert run(corpus_dir, out, folder, engine="papermill").ok
    assert f"parent {os.getpid()} False" in outputs(out / "corpus" / "01-noyau.ipynb")


def test_both_engines_make_the_same_notebooks(corpus_dir, tmp_path):
    """Same outputs (text, tables, figures) from a warm kernel as from a fresh one."""
    folder = write_notebooks(tmp_path / "carnets", fail_for=None)
    pages = {}
    for engine in ("mesra", "papermill"):
        out = tmp_path / engine
        assert run(corpus_dir, out, folder, engine=engine, territoires=["occitanie"]).ok
        nb = nbformat.read(out / "territoires" / "occitanie" / "04-note.ipynb", as_version=4)
        pages[engine] = [
            [{k: v for k, v in o.items() if k != "execution_count"} for o in c.get("outputs", [])]
            for c in nb.cells
            if c.cell_type == "code"
        ]
    assert pages["mesra"] == pages["papermill"]
    assert any("image/png" in o.get("data", {}) for cell in pages["mesra"] for o in cell)


# --- crashes and hangs -------------------------------------------------------------------------------

CRASH_OR_HANG = """
import os, signal, time
if territoire == "fr":
    os.kill(os.getpid(), signal.SIGKILL)      # the kernel crashes
elif territoire == "cote-d-or":
    os.kill(os.getppid(), signal.SIGKILL)     # its warm parent dies, and it with it:
    time.sleep(30)                            # (a matter of milliseconds)
elif territoire == "herault":
    time.sleep(120)                           # the kernel hangs
"""


def test_a_kernel_that_crashes_or_hangs_costs_only_its_own_notebook(corpus_dir, tmp_path):
    folder = tmp_path / "carnets"
    folder.mkdir()
    load = "import mesra\ncorpus = mesra.load_corpus(data or None, pseudonymiser=pseudonymiser)"
    params = PARAMS + '\nterritoire: str = "occitanie"'
    cells = [load, CRASH_OR_HANG, "print('fini pour', territoire)"]
    nbformat.write(_notebook("Note", params, cells), folder / "04-note.ipynb")
    out = tmp_path / "out"
    started = time.monotonic()
    # jobs run largest territory first: fr, occitanie, bourgogne-franche-comte, cote-d-or, herault
    result = run(corpus_dir, out, folder, engine="mesra", timeout=3)
    assert time.monotonic() - started < 100
    failed = {r.job.territoire: r for r in result.failed}
    assert sorted(failed) == ["cote-d-or", "fr", "herault"], result.summary()
    assert sorted(r.job.territoire for r in result.done) == ["bourgogne-franche-comte", "occitanie"]
    for tid in failed:
        assert failed[tid].cell_number == 4 and failed[tid].cell_first_line == "import os, signal, time"
    assert failed["fr"].error == "DeadKernelError: le noyau s’est arrêté pendant cette cellule (signal 9, SIGKILL)"
    assert failed["cote-d-or"].error.startswith("DeadKernelError: le noyau s’est arrêté pendant cette cellule")
    assert failed["herault"].error.startswith("CellTimeoutError: la cellule n’a pas fini en 3 s")
    summary = result.summary()
    assert "herault · 04-note.ipynb : cellule 4 « import os, signal, time » : CellTimeoutError" in summary
    for tid in failed:  # each failure has its page, up to the cell that failed
        assert (out / "territoires" / tid / "04-note.erreur.html").is_file()
    assert "fini pour occitanie" in outputs(out / "territoires" / "occitanie" / "04-note.ipynb")


# --- IPC, and Papermill's engine outside the batch ----------------------------------------------------

CONNECTION = """
import json, os
from ipykernel import get_connection_file
cf = get_connection_file()
info = json.load(open(cf))
print("transport", info["transport"], oct(os.stat(os.path.dirname(cf)).st_mode & 0o777))
"""


@pytest.mark.parametrize("engine", ["mesra", None])
def test_papermill_engine_mesra_uses_ipc_sockets_in_a_private_folder(tmp_path, engine):
    """`papermill --engine mesra` (the engine entry point) runs the kernel over IPC in a 0700 folder:
    no 'Kernel is running over TCP without encryption' (which the standard engine shows)."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(CONNECTION)]
    nbformat.write(nb, tmp_path / "connexion.ipynb")
    command = [sys.executable, "-m", "papermill", "connexion.ipynb", "sortie.ipynb", "--no-progress-bar"]
    proc = subprocess.run(
        command + (["--engine", engine] if engine else []),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert proc.returncode == 0, proc.stderr
    printed = outputs(tmp_path / "sortie.ipynb")
    if engine == "mesra":
        assert printed == ["transport ipc 0o700"]
        assert "without encryption" not in proc.stderr
    else:
        assert printed[0].startswith("transport tcp")
        assert "Kernel is running over TCP without encryption" in proc.stderr


# --- the corpus in parsed form ---------------------------------------------------------------------


def _same(a, b) -> None:
    for name in ("acteurs", "personnes", "liens", "territoires", "monographies", "sources"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))
    assert (a.hash, a.path, a.source_texts, a.pseudonymised) == (b.hash, b.path, b.source_texts, b.pseudonymised)


@pytest.mark.parametrize("pseudonymiser", [False, True])
def test_the_installed_corpus_is_what_a_load_gives_pseudonymised_or_not(corpus_dir, pseudonymiser):
    _, entry = preparsed.prepare(corpus_dir, pseudonymiser=pseudonymiser)
    preparsed.install([entry])
    given = preparsed.lookup(corpus_dir, pseudonymiser)
    assert given is not None
    expected = build_corpus(corpus_dir)[0]  # read and parsed again
    _same(given, pseudonymise(expected) if pseudonymiser else expected)
    if pseudonymiser:
        assert "DUPONTEL" not in pickle.dumps(given).decode("latin-1")
    # through the notebook API too, with the path as the notebooks receive it
    import mesra

    assert mesra.load_corpus(str(corpus_dir), pseudonymiser=pseudonymiser).hash == entry.fingerprint


def test_the_unpseudonymised_form_is_pseudonymised_as_load_corpus_does(corpus_dir):
    _, entry = preparsed.prepare(corpus_dir, pseudonymiser=False)
    preparsed.install([entry])
    _same(preparsed.lookup(corpus_dir, True), pseudonymise(build_corpus(corpus_dir)[0]))


def test_each_call_gets_an_independent_copy(corpus_dir):
    _, entry = preparsed.prepare(corpus_dir)
    preparsed.install([entry])
    first = load_corpus(corpus_dir)
    first.acteurs.loc[0, "nom"] = "MODIFIÉ"
    first.source_texts["essai"] = "modifié"
    second = load_corpus(corpus_dir)
    assert "MODIFIÉ" not in set(second.acteurs["nom"])
    assert second.source_texts["essai"].startswith("ligne 1")


def test_a_changed_added_or_other_corpus_is_read_normally(corpus_dir, tmp_path):
    _, entry = preparsed.prepare(corpus_dir)
    preparsed.install([entry])
    assert preparsed.lookup(corpus_dir, False) is not None
    assert preparsed.lookup(None, False) is None  # the default corpus: not the one installed
    other = write_corpus(tmp_path / "autre")
    assert preparsed.lookup(other, False) is None
    with open(corpus_dir / "acteurs.csv", "a", encoding="utf-8") as fh:
        fh.write("asso-d,Association D,,association,gard,local,false,essai#L4\n")
    assert preparsed.lookup(corpus_dir, False) is None
    assert "asso-d" in set(load_corpus(corpus_dir).acteurs["acteur_id"])  # read from the files
    _, entry = preparsed.prepare(corpus_dir)
    preparsed.install([entry])
    assert preparsed.lookup(corpus_dir, False) is not None
    (corpus_dir / "monographies").mkdir()
    (corpus_dir / "monographies" / "nouvelle.md").write_text("---\nid: nouvelle\n---\n", encoding="utf-8")
    assert preparsed.lookup(corpus_dir, False) is None


def test_a_file_changed_while_it_was_read_is_not_handed_out(corpus_dir):
    corpus, raw = build_corpus(corpus_dir)
    with open(corpus_dir / "liens.csv", "a", encoding="utf-8") as fh:
        fh.write("coop-c,reseau-a,partenaire_de,,regional,,essai#L3\n")
    assert preparsed.entry_for(corpus, raw, corpus_dir) is None


def test_a_worker_of_another_machine_trusts_the_batch_s_corpus_for_its_data_parameter(corpus_dir, tmp_path):
    """On a Dask worker the corpus folder may not exist: the entry the batch sent answers
    for the notebooks' `data`, and for nothing else."""
    import dataclasses

    _, entry = preparsed.prepare(corpus_dir)
    remote = dataclasses.replace(entry, authoritative=True, parameter="ailleurs/corpus", location="/n/existe/pas")
    preparsed.install([remote])
    os.chdir(tmp_path)
    try:
        assert preparsed.lookup("ailleurs/corpus", False).hash == entry.fingerprint
        assert preparsed.lookup("autre/chose", False) is None
    finally:
        os.chdir(ROOT)


def test_nothing_installed_costs_nothing(corpus_dir, monkeypatch):
    """Outside a warm kernel, load_corpus reads the corpus without looking at its files first."""
    monkeypatch.setattr(preparsed, "location_of", None)  # would fail if called
    assert preparsed.installed() == []
    assert load_corpus(corpus_dir).hash


# --- spare kernels ---------------------------------------------------------------------------------

WHERE_AM_I = """
import json, os, sys
from ipykernel import get_connection_file
print("dossier", os.getcwd() == os.path.realpath(attendu), get_ipython().starting_dir == os.getcwd())
print("historique", [str(d) for d in _dh] == [os.getcwd()])
print("connexion", json.load(open(get_connection_file()))["transport"], os.environ.get("MESRA_ESSAI_RESERVE"))
print("fichier", os.path.basename(sys.argv[sys.argv.index("-f") + 1])[0])
"""


def test_a_spare_kernel_runs_its_notebook_as_a_kernel_started_for_it(tmp_path, monkeypatch):
    """After each notebook the warm parent starts the next kernel ahead (a spare): the next
    notebook runs in it, in its own folder, with its directory history, a connection file that
    says how to reach it, and the environment of its client; a spare never claimed ends with
    the parent."""
    import papermill
    import psutil

    from mesra.batch import warm
    from mesra.batch.worker import PAPERMILL_OPTIONS

    monkeypatch.setenv("MESRA_ESSAI_RESERVE", "premier")
    warm.close_warm_parent()
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell('attendu = ""', metadata={"tags": ["parameters"]})]
    nb.cells.append(nbformat.v4.new_code_cell(WHERE_AM_I))
    nbformat.write(nb, tmp_path / "ou.ipynb")
    seen = []
    for name in ("a", "b", "c"):
        folder = tmp_path / name
        folder.mkdir()
        papermill.execute_notebook(
            str(tmp_path / "ou.ipynb"),
            str(folder / "sortie.ipynb"),
            engine_name="mesra",
            kernel_name="python3",
            cwd=str(folder),
            parameters={"attendu": str(folder)},
            **PAPERMILL_OPTIONS,
        )
        seen.append(outputs(folder / "sortie.ipynb"))
    for printed in seen:
        assert printed[:3] == ["dossier True True", "historique True", "connexion ipc premier"]
    assert [p[3] for p in seen] == ["fichier k", "fichier s", "fichier s"]  # the 2nd and 3rd: spares
    parent = warm.warm_parent()
    spares = psutil.Process(parent.process.pid).children()
    assert [p.name() for p in spares] == [warm.KERNEL_PROCESS_NAME]  # the one for the next notebook
    warm.close_warm_parent()
    assert not psutil.pid_exists(spares[0].pid) or spares[0].status() == psutil.STATUS_ZOMBIE
