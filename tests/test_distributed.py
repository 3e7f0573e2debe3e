"""`mesra briefs --scheduler`: the jobs on a Dask cluster (issue 13), pages published by the batch.

A ``LocalCluster`` of two worker processes stands for a real cluster; the tiny
notebooks and corpus of ``test_batch`` run on it.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import nbformat
import pytest
from test_batch import run, write_corpus, write_notebooks
from test_batch_safety import real_names, unvouched

from mesra.batch import distributed as batch_distributed
from mesra.batch import preparsed
from mesra.batch.plan import plan_jobs
from mesra.cli import main
from mesra.errors import MesraError

distributed = pytest.importorskip("distributed")
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="noyaux chauds : Linux seulement")


@pytest.fixture(scope="module")
def cluster():
    """Two worker processes of one thread; a job lost with its worker is tried twice (allowed-failures=1).
    The dashboard takes any free port (``:0``): a fixed one (8787) fails the tests when it is taken."""
    import dask

    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
        cluster = distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=50
        )
    try:
        yield cluster
    finally:
        cluster.close()


@pytest.fixture
def corpus_dir(tmp_path) -> Path:
    return write_corpus(tmp_path / "corpus")


def test_briefs_on_a_cluster_are_published_here_like_local_ones(corpus_dir, tmp_path, cluster, capsys):
    """Through the command line: pseudonymised pages, a failing territory, manifests, index."""
    folder = write_notebooks(tmp_path / "carnets")  # fails for herault
    out = tmp_path / "out"
    command = ["briefs", "--data", str(corpus_dir), "--out", str(out), "--carnets", str(folder)]
    command += ["--territoire", "occitanie", "--territoire", "herault", "--territoire", "cote-d-or"]
    assert main([*command, "--pseudonymiser", "--scheduler", cluster.scheduler_address]) == 1
    printed = capsys.readouterr().out
    assert "3 carnets exécutés et rendus, 0 ignoré (entrées inchangées), 1 échec" in printed
    assert "herault · 04-note.ipynb : cellule 4 « if territoire == 'herault': » : ValueError" in printed
    for tid in ("occitanie", "cote-d-or"):
        for name in ("04-note.ipynb", "04-note.html", "04-note.code.html", "export.csv", ".04-note.mesra.json"):
            assert (out / "territoires" / tid / name).is_file()
    assert (out / "territoires" / "herault" / "04-note.erreur.html").is_file()
    assert unvouched(out) == [] and real_names(out) == []
    assert not (out / ".mesra-tmp").exists()
    index = (out / "index.html").read_text("utf-8")
    assert "territoires/occitanie/04-note.html" in index and "territoires/herault/04-note.erreur.html" in index
    # a second run finds everything up to date, from the manifests the batch wrote
    assert main([*command, "--pseudonymiser", "--scheduler", cluster.scheduler_address]) == 1
    assert "0 carnet exécuté et rendu, 3 ignorés" in capsys.readouterr().out


KILL_DASK_WORKER = """
import os, signal, psutil, pathlib
flag = pathlib.Path({flags!r}) / territoire
if territoire == "fr" or (territoire == "cote-d-or" and not flag.exists()):
    flag.touch()
    os.kill(psutil.Process(os.getppid()).ppid(), signal.SIGKILL)  # kernel → warm parent → Dask worker
"""


def test_a_worker_lost_mid_job_retries_or_fails_that_job_only(corpus_dir, tmp_path, cluster):
    flags = tmp_path / "drapeaux"
    flags.mkdir()
    folder = write_notebooks(tmp_path / "carnets", fail_for=None)
    (folder / "01-vue.ipynb").unlink()
    nb = nbformat.read(folder / "04-note.ipynb", as_version=4)
    nb.cells.insert(3, nbformat.v4.new_code_cell(KILL_DASK_WORKER.format(flags=str(flags))))
    nbformat.write(nb, folder / "04-note.ipynb")
    out = tmp_path / "out"
    result = run(
        corpus_dir, out, folder, territoires=["fr", "occitanie", "cote-d-or"], scheduler=cluster.scheduler_address
    )
    assert [r.job.territoire for r in result.failed] == ["fr"], result.summary()
    assert result.failed[0].error.startswith("le travailleur Dask qui exécutait ce carnet s’est arrêté à chaque essai")
    assert sorted(r.job.territoire for r in result.done) == ["cote-d-or", "occitanie"]  # cote-d-or: tried again
    assert (out / "territoires" / "fr" / "04-note.erreur.html").is_file()
    assert unvouched(out) == []


def _occitanie_job(corpus_dir, tmp_path):
    """The Occitanie note of the tiny corpus, planned as the batch plans it, and the parsed corpus."""
    folder = write_notebooks(tmp_path / "carnets", fail_for=None)
    corpus, entry = preparsed.prepare(corpus_dir)
    [job] = plan_jobs(
        corpus,
        ["occitanie"],
        [folder / "04-note.ipynb"],
        data_param=str(corpus_dir),
        pseudonymiser=False,
        out=tmp_path / "out",
        kernel_name="python3",
    )
    return job, entry


def test_a_worker_runs_the_notebook_on_the_batch_s_corpus_without_its_files(corpus_dir, tmp_path):
    """What a worker of another machine does: its disk has no corpus, the batch sent it parsed."""
    job, entry = _occitanie_job(corpus_dir, tmp_path)
    moved = tmp_path / "ailleurs"
    corpus_dir.rename(moved)  # the folder the notebooks name is gone
    before = set(Path(tempfile.gettempdir()).glob("mesra-dask-*"))
    try:
        outcome = batch_distributed.remote_job(
            job, Path(job.notebook).read_bytes(), [entry], batch_distributed.source_digest()
        )
    finally:
        preparsed.forget()
    assert outcome.error is None and outcome.kind == "rapport"
    files = dict(outcome.files)
    assert sorted(files) == ["04-note.code.html", "04-note.html", "04-note.ipynb", "export.csv"]
    assert "Coopérative C" in files["04-note.html"].decode("utf-8")
    assert set(Path(tempfile.gettempdir()).glob("mesra-dask-*")) == before  # its working folder is gone


def test_a_worker_with_other_mesra_code_fails_its_jobs(corpus_dir, tmp_path):
    job, entry = _occitanie_job(corpus_dir, tmp_path)
    outcome = batch_distributed.remote_job(job, b"{}", [entry], "autre-code")
    assert outcome.kind is None
    assert "n’a pas le même code de mesra" in outcome.error


def test_an_unreachable_scheduler_is_a_french_error(corpus_dir, tmp_path, monkeypatch):
    monkeypatch.setattr(batch_distributed, "CONNECT_TIMEOUT", 1.0)
    folder = write_notebooks(tmp_path / "carnets", fail_for=None)
    with pytest.raises(MesraError, match="Impossible de joindre le planificateur Dask tcp://127.0.0.1:1"):
        run(corpus_dir, tmp_path / "out", folder, territoires=["occitanie"], scheduler="tcp://127.0.0.1:1")
    assert not (tmp_path / "out" / "territoires").exists()


# --- issue 19: only pseudonymised data leaves; the batch always ends -------------------------------------------
WHAT_THE_WORKER_HOLDS = (
    "import os, pickle\nfrom mesra.batch import preparsed\n"
    "blob = pickle.dumps(list(preparsed._INSTALLED.values())).lower()\n"
    "name, path = b'dupon' + b'tel', b'ma' + b'rie'  # not written whole: this cell is in the pages\n"
    "print('entrees', len(preparsed._INSTALLED), 'noms', blob.count(name), 'chemins', blob.count(path))\n"
    "print('lot pseudonymise', os.environ.get('MESRA_PSEUDONYMISER'))"
)


def test_a_pseudonymised_batch_sends_the_cluster_no_name_and_no_path(tmp_path, cluster):
    corpus_dir = write_corpus(tmp_path / "Marie Dupontel" / "corpus")
    folder = write_notebooks(tmp_path / "carnets", fail_for=None)
    (folder / "01-vue.ipynb").unlink()
    nb = nbformat.read(folder / "04-note.ipynb", as_version=4)
    nb.cells.insert(3, nbformat.v4.new_code_cell(WHAT_THE_WORKER_HOLDS))
    nbformat.write(nb, folder / "04-note.ipynb")
    out = tmp_path / "out"
    result = run(
        corpus_dir, out, folder, territoires=["occitanie"], pseudonymiser=True, scheduler=cluster.scheduler_address
    )
    assert result.ok, result.summary()
    page = (out / "territoires" / "occitanie" / "04-note.html").read_text("utf-8")
    assert "entrees 1 noms 0 chemins 0" in page  # the worker's warm kernels hold the pseudonymised corpus only
    assert "lot pseudonymise 1" in page
    assert real_names(out) == [] and unvouched(out) == []


def test_remote_jobs_carry_no_path_holding_a_name(tmp_path):
    from mesra.corpus.privacy import NameScan

    corpus_dir = write_corpus(tmp_path / "Marie Dupontel" / "corpus")
    job, entry = _occitanie_job(corpus_dir, tmp_path)
    scan = NameScan.from_corpus(preparsed.prepare(corpus_dir)[0])
    remote = batch_distributed._remote_job(job, scan)
    assert "Dupontel" in job.parameters["data"] and "Dupontel" not in json.dumps(remote.parameters)
    assert remote.key == job.key
    [sent] = batch_distributed._remote_entries((entry,), [remote])
    assert sent.location == "" and sent.files == () and sent.listing == ()


def test_a_cluster_without_workers_fails_the_jobs_after_a_bounded_wait(tmp_path, monkeypatch):
    import time

    monkeypatch.setattr(batch_distributed, "WORKER_WAIT", 3.0)
    corpus_dir = write_corpus(tmp_path / "corpus")
    folder = write_notebooks(tmp_path / "carnets", fail_for=None)
    empty = distributed.LocalCluster(n_workers=0, processes=True, dashboard_address=":0", silence_logs=50)
    try:
        started = time.monotonic()
        result = run(corpus_dir, tmp_path / "out", folder, territoires=["occitanie"], scheduler=empty.scheduler_address)
        assert time.monotonic() - started < 60
    finally:
        empty.close()
    assert not result.done and len(result.failed) == 2
    assert all(r.error.startswith("aucun travailleur Dask n’est resté connecté") for r in result.failed)


def test_a_lost_scheduler_ends_the_batch_with_a_french_message(tmp_path, capsys):
    import threading
    import time

    corpus_dir = write_corpus(tmp_path / "corpus")
    folder = write_notebooks(tmp_path / "carnets", fail_for=None)
    (folder / "01-vue.ipynb").unlink()
    nb = nbformat.read(folder / "04-note.ipynb", as_version=4)
    nb.cells.insert(3, nbformat.v4.new_code_cell("import time\ntime.sleep(60 if territoire == 'fr' else 0)"))
    nbformat.write(nb, folder / "04-note.ipynb")
    lost = distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=50
    )

    def stop_when_fr_runs() -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if any("territoires-fr" in str(k) for k in list(lost.scheduler.tasks)):
                time.sleep(1)
                lost.close()
                return
            time.sleep(0.2)

    stopper = threading.Thread(target=stop_when_fr_runs, daemon=True)
    stopper.start()
    out = tmp_path / "out"
    command = ["briefs", "--data", str(corpus_dir), "--out", str(out), "--carnets", str(folder), "--workers", "1"]
    command += ["--territoire", "occitanie", "--territoire", "fr", "--scheduler", lost.scheduler_address]
    started = time.monotonic()
    try:
        code = main(command)
    finally:
        stopper.join(timeout=30)
        lost.close()
    err = capsys.readouterr().err
    assert code != 0 and time.monotonic() - started < 90
    assert "ne répond plus" in err and "le lot s’arrête" in err, err
    assert "erreur interne" not in err and "CommClosedError" not in err
    assert (out / "index.html").is_file() and unvouched(out) == []
