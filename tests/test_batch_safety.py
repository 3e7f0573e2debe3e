"""Batch safety (issue 9): nothing lost, nothing leaked, whatever kills the batch or fills its disk.

A batch can be killed (``kill -9``), a worker can die, a disk can be full or read-only,
and the reader of ``mesra check`` can go away. After each, no page made with other
parameters (real names in a pseudonymised folder) may be published or trusted, no
process may live on, and the user gets a French message. The kill tests run the real
command (``python -m mesra briefs``) in a subprocess on the tiny notebooks of
``test_batch``.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from helpers import snapshot
from test_batch import ROOT, run, write_corpus, write_notebooks

from mesra.batch import plan as batch_plan
from mesra.batch.warm import KERNEL_PROCESS_NAME
from mesra.cli import main

REAL = "dupontel"  # the one person of the test corpus, as pages without pseudonyms show her


@pytest.fixture
def corpus_dir(tmp_path) -> Path:
    return write_corpus(tmp_path / "corpus")


@pytest.fixture
def notebooks_dir(tmp_path) -> Path:
    return write_notebooks(tmp_path / "carnets", fail_for=None)


@pytest.fixture(autouse=True)
def frozen_code(monkeypatch):
    """Other engineers edit mesra while tests run: freeze the source digest."""
    monkeypatch.setattr(batch_plan, "code_digest", lambda: "code-fige")


def real_names(out: Path) -> list[str]:
    """Files of ``out`` that show the real name of the person."""
    return sorted(
        p.relative_to(out).as_posix()
        for p in out.rglob("*")
        if p.is_file() and REAL in p.read_bytes().decode("utf-8", "replace").lower()
    )


def unvouched(out: Path) -> list[str]:
    """Files in the jobs' folders that no valid manifest vouches for (nothing half-written stays)."""
    from mesra.batch.manifest import scan

    vouched = set()
    for path, checked in scan(out).values():
        vouched.add(path.relative_to(out).as_posix())
        for kind in ("rapport", "echec"):
            vouched |= set((checked.get(kind) or {}).get("fichiers", {}))
    files = [p for folder in ("corpus", "territoires") for p in (out / folder).rglob("*") if p.is_file()]
    return sorted(rel for p in files if (rel := p.relative_to(out).as_posix()) not in vouched)


# --- 2. a page is trusted only when its own bytes say what made it ---------------------------


def test_each_page_and_notebook_says_what_it_was_made_from(corpus_dir, notebooks_dir, tmp_path):
    out = tmp_path / "out"
    assert run(corpus_dir, out, notebooks_dir, territoires=["occitanie"], pseudonymiser=True).ok
    folder = out / "territoires" / "occitanie"
    manifest = json.loads((folder / ".04-note.mesra.json").read_text("utf-8"))
    report = manifest["rapport"]
    key = report["cle"]
    assert report["parametres"]["pseudonymiser"] is True and report["mesra"]
    assert set(report["fichiers"]) == {
        f"territoires/occitanie/{name}" for name in ("04-note.html", "04-note.code.html", "04-note.ipynb", "export.csv")
    }
    for rel, sha in report["fichiers"].items():
        assert hashlib.sha256((out / rel).read_bytes()).hexdigest() == sha
    for name in ("04-note.html", "04-note.code.html"):
        page = (folder / name).read_text("utf-8")
        assert f'<meta name="mesra-cle" content="{key}">' in page
        assert '<meta name="mesra-pseudonymiser" content="oui">' in page
    assert nbformat.read(folder / "04-note.ipynb", as_version=4).metadata.mesra.cle == key


def test_pages_replaced_behind_the_batch_are_not_trusted(corpus_dir, notebooks_dir, tmp_path):
    """What a worker that outlived a killed batch did: put pages with real names over pseudonymised
    ones, the state file unchanged. The next pseudonymised run must not skip them."""
    out, other = tmp_path / "out", tmp_path / "autre"
    assert run(corpus_dir, out, notebooks_dir, territoires=["occitanie"], pseudonymiser=True).ok
    assert run(corpus_dir, other, notebooks_dir, territoires=["occitanie"]).ok
    for p in (other / "territoires" / "occitanie").iterdir():
        if not p.name.startswith("."):
            shutil.copy2(p, out / "territoires" / "occitanie" / p.name)
    assert real_names(out)
    again = run(corpus_dir, out, notebooks_dir, territoires=["occitanie"], pseudonymiser=True)
    assert [r.job.ident for r in again.done] == ["territoires/occitanie/04-note"]
    assert [j.ident for j in again.skipped] == ["corpus/01-vue"]
    assert real_names(out) == []
    assert "Les noms des personnes sont remplacés par des pseudonymes" in (out / "index.html").read_text("utf-8")


KILLED_WHILE_PUBLISHING = """
import os, signal, sys
import mesra.batch.plan
mesra.batch.plan.code_digest = lambda: "code-fige"
from mesra.batch import run_briefs
real, renamed = os.replace, []
def replace(src, dst, *args, **kwargs):
    if ".mesra-tmp" in str(src) and "territoires" in str(dst):
        renamed.append(dst)
        if len(renamed) == 3:  # two files of the new run are published, two are not
            os.kill(os.getpid(), signal.SIGKILL)
    return real(src, dst, *args, **kwargs)
os.replace = replace
run_briefs(sys.argv[1], sys.argv[2], notebooks_dir=sys.argv[3], territoires=["occitanie"], workers=1,
           progress=False, force=True)
"""


def test_a_run_killed_while_publishing_is_not_trusted_by_the_next(corpus_dir, notebooks_dir, tmp_path):
    """kill -9 between two renames of a run without pseudonyms: the next pseudonymised run
    removes what that run left and redoes the job instead of calling it unchanged."""
    out = tmp_path / "out"
    assert run(corpus_dir, out, notebooks_dir, territoires=["occitanie"], pseudonymiser=True).ok
    args = [sys.executable, "-c", KILLED_WHILE_PUBLISHING, str(corpus_dir), str(out), str(notebooks_dir)]
    proc = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert real_names(out), "le lot aurait dû être tué après avoir publié une page avec les vrais noms"
    again = run(corpus_dir, out, notebooks_dir, territoires=["occitanie"], pseudonymiser=True)
    # the overview ran whole without pseudonyms before the kill: it is redone too
    assert again.ok and [r.job.ident for r in again.done] == ["corpus/01-vue", "territoires/occitanie/04-note"]
    assert real_names(out) == []
    assert unvouched(out) == []
    assert not (out / ".mesra-tmp").exists()


def test_files_mesra_did_not_write_are_left_alone(corpus_dir, notebooks_dir, tmp_path):
    out = tmp_path / "out"
    assert run(corpus_dir, out, notebooks_dir, territoires=["occitanie"]).ok
    folder = out / "territoires" / "occitanie"
    (folder / "notes-perso.txt").write_text("à moi", encoding="utf-8")
    (folder / "04-note.html").write_text("modifiée à la main", encoding="utf-8")
    again = run(corpus_dir, out, notebooks_dir, territoires=["occitanie"])
    assert [r.job.ident for r in again.done] == ["territoires/occitanie/04-note"]  # not trusted: redone
    assert (folder / "notes-perso.txt").read_text(encoding="utf-8") == "à moi"
    assert "<html" in (folder / "04-note.html").read_text(encoding="utf-8")


# --- 1. and 2. kill -9 of the batch: its workers and kernels die with it -------------------------


def _start_briefs(corpus_dir, out, folder, *options, sleep: float | None = None) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "MESRA_TEST_SLEEP"}
    if sleep is not None:
        env["MESRA_TEST_SLEEP"] = str(sleep)
    command = [sys.executable, "-m", "mesra", "briefs", "--data", str(corpus_dir), "--out", str(out)]
    command += ["--carnets", str(folder), "--workers", "2", "--territoire", "occitanie", "--territoire", "cote-d-or"]
    return subprocess.Popen(
        [*command, *options],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _kernels_running(proc: subprocess.Popen, n: int, psutil):
    """The batch's descendants once ``n`` kernels run (they run the notebooks' sleep)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        family = psutil.Process(proc.pid).children(recursive=True)
        kernels = [p for p in family if "ipykernel" in " ".join(_cmdline(p)) or _name(p) == KERNEL_PROCESS_NAME]
        if len(kernels) >= n:
            time.sleep(2.0)  # the kernels load the corpus and reach the sleep
            return psutil.Process(proc.pid).children(recursive=True)
        time.sleep(0.2)
    pytest.fail("les noyaux des carnets n’ont pas démarré : " + (proc.stdout.read() if proc.poll() is not None else ""))


def _name(p) -> str:
    """The process name (a warm kernel, forked from its warm parent, has that one's command line)."""
    with contextlib.suppress(Exception):
        return p.name()
    return ""


def _cmdline(p) -> list[str]:
    with contextlib.suppress(Exception):
        return p.cmdline()
    return []


def _alive(processes, psutil) -> list:
    """Those still running (a zombie waiting for its reaper is dead)."""
    alive = []
    for p in processes:
        with contextlib.suppress(psutil.Error):
            if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                alive.append(p)
    return alive


def _kill_all(processes, psutil) -> None:
    for p in processes:
        with contextlib.suppress(psutil.Error):
            p.kill()


def _sleeping_notebooks(tmp_path) -> Path:
    folder = write_notebooks(tmp_path / "carnets", fail_for=None, sleep_env=True)
    (folder / "01-vue.ipynb").unlink()
    return folder


@pytest.mark.slow
def test_kill_9_of_the_batch_ends_its_workers_and_kernels_at_once(corpus_dir, tmp_path):
    """Before: the workers finished their notebooks, published 30 s after the batch died, then
    blocked forever."""
    psutil = pytest.importorskip("psutil")
    out = tmp_path / "out"
    proc = _start_briefs(corpus_dir, out, _sleeping_notebooks(tmp_path), sleep=20)
    family = []
    try:
        family = _kernels_running(proc, 2, psutil)
        before = snapshot(out)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        deadline = time.monotonic() + 10
        while _alive(family, psutil) and time.monotonic() < deadline:
            time.sleep(0.2)
        survivors = [" ".join(_cmdline(p))[:120] for p in _alive(family, psutil)]
        assert not survivors, f"encore en vie après la mort du lot : {survivors}"
        assert snapshot(out) == before  # and nothing was published after it
    finally:
        _kill_all(family, psutil)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        proc.stdout.close()


@pytest.mark.slow
def test_a_killed_run_with_real_names_never_ends_up_in_a_pseudonymised_folder(corpus_dir, tmp_path):
    """The hostile sequence: --pseudonymiser, then --force without it killed mid-run, then
    --pseudonymiser again. Before: the orphans published real-name pages that the last run
    skipped as unchanged."""
    psutil = pytest.importorskip("psutil")
    out = tmp_path / "out"
    folder = _sleeping_notebooks(tmp_path)
    first = _start_briefs(corpus_dir, out, folder, "--pseudonymiser")
    assert first.wait(timeout=300) == 0, first.stdout.read()
    first.stdout.close()
    assert real_names(out) == []
    proc = _start_briefs(corpus_dir, out, folder, "--force", sleep=4)
    family = []
    try:
        family = _kernels_running(proc, 2, psutil)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        time.sleep(12)  # what outlived the batch would have woken up and published by now
    finally:
        _kill_all(family, psutil)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        proc.stdout.close()
    last = _start_briefs(corpus_dir, out, folder, "--pseudonymiser")
    printed = last.communicate(timeout=300)[0]
    assert last.returncode == 0, printed
    assert real_names(out) == []
    assert unvouched(out) == []


# --- 4. the output disk: full, read-only, not a folder; a closed pipe -----------------------------


def _briefs(corpus_dir, out, notebooks_dir, *options) -> list[str]:
    return ["briefs", "--data", str(corpus_dir), "--out", str(out), "--carnets", str(notebooks_dir), *options]


def test_an_output_path_through_a_file_is_a_french_error(corpus_dir, notebooks_dir, tmp_path, capsys):
    (tmp_path / "rapport.txt").write_text("", encoding="utf-8")
    out = tmp_path / "rapport.txt" / "notes"
    assert main(_briefs(corpus_dir, out, notebooks_dir, "--workers", "1", "--territoire", "occitanie")) == 1
    err = capsys.readouterr().err
    assert f"Impossible d’écrire les notes dans le dossier {out}" in err
    assert "un élément de ce chemin est un fichier" in err
    assert "erreur interne" not in err


def test_a_full_disk_stops_the_batch_with_a_french_message_and_nothing_half_written(
    corpus_dir, notebooks_dir, tmp_path, capsys, monkeypatch
):
    out = tmp_path / "out"
    assert run(corpus_dir, out, notebooks_dir, territoires=["occitanie"]).ok
    before = snapshot(out / "territoires")
    real = os.replace

    def full(src, dst, *args, **kwargs):
        if ".mesra-tmp" in str(src) and "cote-d-or" in str(dst):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", full)
    options = ("--workers", "1", "--territoire", "cote-d-or", "--territoire", "herault", "--force")
    assert main(_briefs(corpus_dir, out, notebooks_dir, *options)) == 1
    monkeypatch.setattr(os, "replace", real)
    err = capsys.readouterr().err
    assert f"Impossible d’écrire les notes dans le dossier {out} : le disque est plein" in err
    assert "libérez de la place" in err and "erreur interne" not in err
    assert not (out / "territoires" / "herault").exists()  # the batch stopped at the first full disk
    assert snapshot(out / "territoires") == before  # occitanie was not in this batch: untouched
    assert unvouched(out) == []
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]
    assert not (out / ".mesra-tmp").exists()


@contextlib.contextmanager
def tmpfs(path: Path, options: str):
    """A small file system of its own at ``path`` (root only: skipped elsewhere)."""
    if os.name != "posix" or os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("monter un système de fichiers demande les droits root")
    path.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"montage tmpfs impossible ici : {mounted.stderr.decode(errors='replace').strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], capture_output=True)


def test_a_read_only_disk_is_a_french_error_and_changes_nothing(corpus_dir, notebooks_dir, tmp_path, capsys):
    with tmpfs(tmp_path / "cle-usb", "size=16m") as disk:
        out = disk / "notes"
        options = ("--workers", "1", "--territoire", "occitanie")
        assert main(_briefs(corpus_dir, out, notebooks_dir, *options)) == 0
        before = snapshot(out)
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        capsys.readouterr()
        assert main(_briefs(corpus_dir, out, notebooks_dir, *options, "--force")) == 1
        err = capsys.readouterr().err
        assert f"Impossible d’écrire les notes dans le dossier {out} : le disque est en lecture seule" in err
        assert snapshot(out) == before
        assert main(_briefs(corpus_dir, disk / "nouveau", notebooks_dir, *options)) == 1
        assert "le disque est en lecture seule" in capsys.readouterr().err


def test_a_really_full_disk_ends_cleanly_and_the_next_run_completes(corpus_dir, notebooks_dir, tmp_path, capsys):
    with tmpfs(tmp_path / "petit-disque", "size=4m") as disk:
        filler = disk / "remplissage"
        free = shutil.disk_usage(disk).free
        filler.write_bytes(b"\0" * (free - 160 * 1024))
        out = disk / "notes"
        options = ("--workers", "1", "--territoire", "occitanie", "--territoire", "cote-d-or")
        assert main(_briefs(corpus_dir, out, notebooks_dir, *options)) == 1
        err = capsys.readouterr().err
        assert f"Impossible d’écrire les notes dans le dossier {out} : le disque est plein" in err
        assert unvouched(out) == []
        assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]
        filler.unlink()
        assert main(_briefs(corpus_dir, out, notebooks_dir, *options)) == 0
        assert (out / "territoires" / "cote-d-or" / "04-note.html").is_file()


def test_a_reader_that_goes_away_ends_mesra_check_quietly(tmp_path):
    """`mesra check | head -1`: no traceback, no « erreur interne »."""
    folder = write_corpus(tmp_path / "corpus")
    with open(folder / "acteurs.csv", "a", encoding="utf-8") as fh:
        for i in range(3000):  # far more than a pipe holds
            fh.write(f"asso-{i},Association {i},,banque,occitanie,local,false,essai#L1\n")
    proc = subprocess.Popen(
        [sys.executable, "-m", "mesra", "check", str(folder)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    first = proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read().decode("utf-8", "replace")
    proc.stderr.close()
    proc.wait(timeout=60)
    assert b"acteurs.csv" in first
    assert err == ""
    assert proc.returncode == 141
