"""The notebooks: thin, parameterised, run under nbval with stable key tables.

Notebooks are committed without outputs. Each is executed once with Papermill
(default parameters) to make a reference copy, then nbval (``--nbval-lax``)
re-runs every cell of that copy and compares the cells tagged
``nbval-check-output``: the key tables must be identical run to run.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from helpers import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
#: Parameters of a notebook the default corpus cannot feed: the co-evaluation runs on the synthetic campaign.
PARAMETERS = {
    "06-co-evaluation": {"data": str(ROOT / "tests" / "fixtures" / "coevaluation"), "campagne": "exemple-2024"},
}


def test_notebooks_exist_and_are_numbered():
    names = [p.stem for p in NOTEBOOKS]
    assert names == [
        "01-corpus",
        "02-monographies",
        "03-reseau-territorial",
        "04-note-recherche-action",
        "05-plan-d-action",
        "06-co-evaluation",
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_thin_and_clean(path):
    nb = json.loads(path.read_text("utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert not any(c.get("outputs") for c in code), "committed with outputs"
    tagged = [c for c in code if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1
    params = "".join(tagged[0]["source"])
    for line in params.splitlines():  # documented literals: `name: type = value  # help`
        assert ": " in line and " = " in line and "  # " in line, line
    for c in code:
        src = "".join(c["source"])
        assert not any(line.lstrip().startswith(("def ", "class ", "for ", "while ")) for line in src.splitlines())
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    assert any("nbval-check-output" in c.get("metadata", {}).get("tags", []) for c in code)
    # readers never see test markers: nbval reads tags, not comments
    assert not any("NBVAL" in "".join(c["source"]) for c in code)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_and_key_tables_are_stable(path, tmp_path):
    papermill = pytest.importorskip("papermill")
    executed = tmp_path / path.name
    papermill.execute_notebook(
        str(path),
        str(executed),
        parameters=PARAMETERS.get(path.stem, {}),
        kernel_name="python3",
        progress_bar=False,
        cwd=str(tmp_path),
    )
    ini = tmp_path / "pytest.ini"
    ini.write_text("[pytest]\n", "utf-8")
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--nbval-lax",
            "-q",
            "-p",
            "no:cacheprovider",
            "-c",
            str(ini),
            "--rootdir",
            str(tmp_path),
            str(executed),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert " passed" in run.stdout


def test_unknown_territory_is_a_clear_error(tmp_path):
    papermill = pytest.importorskip("papermill")
    path = ROOT / "notebooks" / "04-note-recherche-action.ipynb"
    with pytest.raises(papermill.PapermillExecutionError, match="Territoire « ocitanie » inconnu"):
        papermill.execute_notebook(
            str(path),
            str(tmp_path / "out.ipynb"),
            kernel_name="python3",
            parameters={"territoire": "ocitanie"},
            progress_bar=False,
            cwd=str(tmp_path),
        )
