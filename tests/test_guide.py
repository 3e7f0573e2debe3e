"""The French guide « Démarrer avec vos données » as a test: its commands, run in order from an
empty folder, with its example rows typed into the workbook, end in a brief.

The guide's ``console`` blocks are the commands (``$ mesra …``, run as ``python -m mesra …``);
its ``csv <feuille>`` blocks are the rows a user types into that sheet of ``corpus.xlsx``. The
rows are the guide's own fictional example.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT

from mesra.corpus.starter import guide_text, init_corpus

_BLOCK = re.compile(r"^```(\w+)(?: (\w+))?\n(.*?)^```", re.S | re.M)


def _blocks(text: str) -> list[tuple[str, str, str]]:
    return [(m.group(1), m.group(2) or "", m.group(3)) for m in _BLOCK.finditer(text)]


def _commands(text: str) -> list[list[str]]:
    out = []
    for kind, _, body in _blocks(text):
        if kind == "console":
            out += [shlex.split(line[2:]) for line in body.splitlines() if line.startswith("$ ")]
    return out


def _type_rows(workbook: Path, text: str) -> dict[str, int]:
    """Type each ``csv <sheet>`` block's rows into the sheet, under the columns of the same name."""
    from openpyxl import load_workbook

    wb = load_workbook(workbook)
    typed = {}
    for kind, sheet, body in _blocks(text):
        if kind != "csv":
            continue
        ws = wb[sheet]
        header = [c.value for c in ws[1]]
        rows = list(csv.DictReader(io.StringIO(body)))
        for row in rows:
            line = [None] * len(header)
            for key, value in row.items():
                if value:
                    line[header.index(key)] = int(value) if key == "annee" else value
            ws.append(line)
        typed[sheet] = len(rows)
    wb.save(workbook)
    return typed


def _correct(workbook: Path, wrong: str, right: str) -> None:
    """What the guide asks after the first check: correct the misspelt commune."""
    from openpyxl import load_workbook

    wb = load_workbook(workbook)
    cells = [c for row in wb["acteurs"].iter_rows() for c in row if c.value == wrong]
    assert len(cells) == 1
    cells[0].value = right
    wb.save(workbook)


def _fill_monograph(path: Path) -> None:
    """What the guide asks of the user: at least a title, an origin and a source."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r'^titre: ""$', "titre: Recyclerie Exemple (exemple fictif)", text, count=1, flags=re.M)
    text = re.sub(r"^origine: null$", "origine: inconnue", text, count=1, flags=re.M)
    text = re.sub(r"^sources: \[\]$", "sources: [enquete-2025]", text, count=1, flags=re.M)
    path.write_text(text, encoding="utf-8")


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess:
    assert command[0] == "mesra", command
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run(
        [sys.executable, "-m", "mesra", *command[1:]], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )


def test_the_readme_links_the_guide():
    for readme in ("README.md", "LISEZMOI.md"):
        path = ROOT / readme
        if path.exists():
            assert "mesra/data/demarrer.md" in path.read_text(encoding="utf-8"), readme


def test_init_writes_an_empty_valid_corpus_and_refuses_to_overwrite(tmp_path):
    from mesra import MesraError, load_corpus

    folder = tmp_path / "vide"
    written = init_corpus(folder)
    assert {p.name for p in written} >= {"corpus.xlsx", "DEMARRER.md", "modele-monographie.md", "monographies"}
    corpus = load_corpus(folder)
    assert len(corpus.acteurs) == 0
    assert (folder / "DEMARRER.md").read_text(encoding="utf-8") == guide_text()
    before = (folder / "corpus.xlsx").read_bytes()
    with pytest.raises(MesraError, match="contient déjà un corpus.*--force"):
        init_corpus(folder)
    assert (folder / "corpus.xlsx").read_bytes() == before
    (folder / "ma-note.txt").write_text("à moi", encoding="utf-8")
    init_corpus(folder, force=True)
    assert (folder / "ma-note.txt").read_text(encoding="utf-8") == "à moi"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="noyaux chauds : Linux")
def test_the_guide_from_an_empty_folder_to_a_brief(tmp_path):
    text = guide_text()
    commands = _commands(text)
    assert [c[1] for c in commands] == ["init", "check", "check", "new-monograph", "briefs", "init"]
    workbook = tmp_path / "mon-corpus" / "corpus.xlsx"
    checks = 0
    for command in commands:
        done = _run(command, tmp_path)
        if command[1] == "check" and checks == 0:  # the misspelt commune, and what mesra suggests
            checks += 1
            assert done.returncode == 1
            problems = done.stdout.splitlines()[:-1]
            assert len(problems) == 1 and "« Morlai (29600) » inconnu" in problems[0], done.stdout
            assert "(vouliez-vous dire « morlaix » ?)" in problems[0]
            assert problems[0] in text.splitlines()  # the guide shows the very line
            _correct(workbook, "Morlai (29600)", "morlaix")
            continue
        assert done.returncode == 0, (command, done.stdout, done.stderr)
        if command[1] == "init" and "--modele" not in command:
            typed = _type_rows(workbook, text)
            assert typed["acteurs"] >= 3 and typed["liens"] >= 3
        if command[1] == "check":
            assert "Corpus valide" in done.stdout
        if command[1] == "new-monograph":
            _fill_monograph(tmp_path / "mon-corpus" / "monographies" / f"{command[2]}.md")
    page = tmp_path / "mon-corpus" / "notes" / "territoires" / "finistere" / "04-note-recherche-action.html"
    html = page.read_text(encoding="utf-8")
    assert "Recyclerie Exemple" in html and "Pôle ESS Exemple" in html
    from mesra import load_corpus

    corpus = load_corpus(tmp_path / "mon-corpus")
    located = dict(zip(corpus.acteurs["acteur_id"], corpus.acteurs["territoire_id"]))
    assert (located["recyclerie-exemple"], located["cooperative-exemple"]) == ("brest", "quimper")
    assert located["cafe-exemple"] == "morlaix"
    assert set(corpus.territory_ids("finistere")) >= {"brest", "quimper", "morlaix"}
    assert (tmp_path / "mon-corpus" / "notes" / "index.html").is_file()
    # section 9: the co-evaluation template, added to the existing corpus, which stays valid and keeps its rows
    assert (tmp_path / "mon-corpus" / "evaluation" / "referentiels" / "utilite-sociale-v1.yaml").is_file()
    again = load_corpus(tmp_path / "mon-corpus")
    assert again.evaluation.campaign_ids() == [] and len(again.acteurs) == len(corpus.acteurs)
    assert [r.referentiel for r in again.evaluation.referentiels] == ["utilite-sociale"]
