"""The researchers' page says what produced it: version and commit, corpus fingerprint,
parameters in force (the reference date written out) and the command that reproduces it."""

from __future__ import annotations

import shlex

import nbformat

from mesra import __version__
from mesra.batch.jobs import Job
from mesra.batch.provenance import provenance_markdown, with_provenance
from mesra.files import PROJECT_ROOT


def _job(**parameters) -> Job:
    return Job(
        notebook=str(PROJECT_ROOT / "notebooks" / "04-note-recherche-action.ipynb"),
        stem="04-note-recherche-action",
        title="Note",
        territoire="gard",
        label="gard",
        parameters={"data": "", "pseudonymiser": True, "territoire": "gard", **parameters},
        out="/tmp/sortie",
        folder="territoires/gard",
        key="k",
        corpus="a" * 64,
    )


def test_the_block_names_version_corpus_parameters_and_command():
    text = provenance_markdown(_job(), {"territoire", "data", "pseudonymiser", "date_reference"}, today="2026-03-01")
    assert f"**mesra** {__version__}" in text
    assert "a" * 64 in text
    assert "`date_reference` = 2026-03-01 (le jour du calcul)" in text
    assert "`pseudonymiser` = oui" in text
    command = text.rsplit("`", 2)[-2]
    words = shlex.split(command)
    assert words[:4] == ["papermill", "--engine", "mesra", "notebooks/04-note-recherche-action.ipynb"]
    pairs = dict(zip(words[6::3], words[7::3]))
    assert pairs == {"data": "", "pseudonymiser": "True", "territoire": "gard", "date_reference": "2026-03-01"}


def test_a_date_given_is_kept_and_the_block_sits_under_the_title():
    text = provenance_markdown(_job(date_reference="2025-01-31"), {"date_reference"}, today="2026-03-01")
    assert "`date_reference` = 2025-01-31" in text and "le jour du calcul" not in text
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Titre"), nbformat.v4.new_code_cell("1")])
    shown = with_provenance(nb, _job())
    assert [c.cell_type for c in shown.cells] == ["markdown", "markdown", "code"]
    assert shown.cells[1].source.startswith("### D'où vient cette page")
    assert len(nb.cells) == 2  # the executed notebook itself is unchanged
