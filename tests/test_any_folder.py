"""mesra works from any current folder: a ``mesra/`` folder there (the clone, seen from the
folder that holds it) never shadows the package, in the command line or in its kernels."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import FIXTURES

PYTHON = sys.executable


@pytest.fixture
def shadowed(tmp_path) -> Path:
    """A current folder holding a ``mesra/`` folder, as ``~`` holds the clone ``~/mesra``."""
    home = tmp_path / "maison"
    (home / "mesra" / "mesra").mkdir(parents=True)  # the clone: a folder, and the package folder in it
    (home / "mesra" / "README.md").write_text("un clone\n", encoding="utf-8")
    return home


def _run(args: list[str], cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run(
        [PYTHON, "-m", "mesra", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )


def test_python_m_mesra_check_from_a_folder_holding_the_clone(shadowed):
    done = _run(["check", str(FIXTURES / "mini")], shadowed)
    assert done.returncode == 0, done.stderr
    assert "Corpus valide" in done.stdout


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="noyaux chauds : Linux")
def test_briefs_from_a_folder_holding_the_clone(shadowed):
    out = shadowed / "notes"
    args = ["briefs", "--data", str(FIXTURES / "mini"), "--out", str(out), "--territoire", "ales", "--workers", "1"]
    done = _run(args, shadowed)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "WarmParentError" not in done.stdout + done.stderr
    assert (out / "territoires" / "ales" / "04-note-recherche-action.html").is_file()
    # the researchers' page says what produced it; the readers' page does not
    from mesra import load_corpus

    code_page = (out / "territoires" / "ales" / "04-note-recherche-action.code.html").read_text(encoding="utf-8")
    assert "vient cette page" in code_page and load_corpus(FIXTURES / "mini").hash in code_page
    assert "papermill --engine mesra notebooks/04-note-recherche-action.ipynb" in code_page
    reader_page = (out / "territoires" / "ales" / "04-note-recherche-action.html").read_text(encoding="utf-8")
    assert "vient cette page" not in reader_page


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="noyaux chauds : Linux")
def test_a_warm_parent_that_cannot_start_says_why(shadowed, monkeypatch):
    """Started the old way (``python -m``, current folder first), the parent imports the shadow:
    the error names the cause instead of "ne répond plus"."""
    from mesra.batch import warm

    monkeypatch.chdir(shadowed)
    monkeypatch.setattr(warm, "module_command", lambda module, *args: [PYTHON, "-m", module, *args])
    parent = warm.WarmParent(code="")
    try:
        with pytest.raises(warm.WarmParentError, match=r"n’a pas pu démarrer.*dossier « mesra » du dossier courant"):
            parent.request("poll", pid=0)
    finally:
        parent.close()


def test_the_safe_command_keeps_the_current_folder_out(shadowed):
    from mesra.batch.warm import module_command

    code = "import sys, os; print(os.getcwd() in sys.path or '' in sys.path)"
    (shadowed / "montre.py").write_text(code, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": ""}
    done = subprocess.run(module_command("montre"), cwd=shadowed, env=env, capture_output=True, text=True, timeout=60)
    # the module itself is found only through the current folder: the safe command cannot run it
    assert done.returncode != 0 and "No module named montre" in done.stderr


def test_notebook_exports_never_land_among_the_notebooks(tmp_path, monkeypatch):
    """From the project's notebooks/ folder, exports go to reports/exploration/; a folder given wins;
    elsewhere (a batch runs each notebook in its page's folder), the current folder."""
    import mesra.files as files

    project = tmp_path / "projet"
    (project / "notebooks").mkdir(parents=True)
    monkeypatch.setattr(files, "PROJECT_ROOT", project)
    monkeypatch.chdir(project / "notebooks")
    assert files.output_folder() == project / "reports" / "exploration"
    assert (project / "reports" / "exploration").is_dir()
    assert files.output_folder(tmp_path / "mes-exports") == tmp_path / "mes-exports"
    monkeypatch.chdir(tmp_path)
    assert files.output_folder() == Path(".")
    assert list((project / "notebooks").iterdir()) == []
