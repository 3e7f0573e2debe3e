"""Bounded outputs (issue 19, item 8): a cell printing without end does not make an endless page.

A cell that printed 150 MB made a 150 MB reader page and a 1.6 GB peak. The text that cells
print counts against a budget per notebook; past it, a visible French note says that the
rest is left out, on both pages. Figures do not count against it.
"""

from __future__ import annotations

import base64
from pathlib import Path

import nbformat
import pytest
from test_batch import LOAD, PARAMS, _notebook, run, write_corpus

from mesra.batch import bounded
from mesra.batch import plan as batch_plan
from mesra.batch.bounded import Budget, bound_notebook, note

HTML_IMG = '<img src="figure.png">'
PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 5000).decode()


@pytest.fixture(autouse=True)
def frozen_code(monkeypatch):
    monkeypatch.setattr(batch_plan, "code_digest", lambda: "code-fige")


def _executed(*outputs) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("print(x)", outputs=[nbformat.from_dict(o) for o in outputs])]
    return nb


def stream(text: str, name: str = "stdout") -> dict:
    return {"output_type": "stream", "name": name, "text": text}


def test_text_past_the_budget_is_cut_with_a_french_note():
    nb = _executed(stream("a" * 60), stream("b" * 60), stream("c" * 60))
    assert bound_notebook(nb, limit=100)
    outs = nb.cells[0].outputs
    assert [o.text[:1] for o in outs] == ["a", "b"]  # the third is dropped
    assert outs[1].text.startswith("b" * 40) and "sortie tronquée par mesra" in outs[1].text
    assert sum(len(o.text) for o in outs) == 100 + len(note(100))


def test_each_stream_says_it_was_cut_so_that_readers_see_it_too():
    nb = _executed(stream("e" * 200, "stderr"), stream("visible", "stdout"))
    bound_notebook(nb, limit=100)
    stdout = [o for o in nb.cells[0].outputs if o.name == "stdout"]
    assert stdout and "sortie tronquée" in stdout[0].text and "visible" not in stdout[0].text


def test_figures_do_not_count_and_rich_text_is_cut():
    figure = {"output_type": "display_data", "data": {"image/png": PNG}, "metadata": {}}
    table = {"output_type": "execute_result", "execution_count": 1, "metadata": {}, "data": {"text/html": "x" * 500}}
    nb = _executed(figure, figure, table, figure)
    bound_notebook(nb, limit=100)
    outs = nb.cells[0].outputs
    assert [("image/png" in o.data) for o in outs] == [True, True, False, True]
    assert "sortie tronquée" in outs[2].data["text/plain"] and "text/html" not in outs[2].data


def test_within_the_budget_nothing_changes():
    nb = _executed(stream("bonjour\n"))
    before = nbformat.writes(nb)
    assert not bound_notebook(nb, limit=100)
    assert nbformat.writes(nb) == before
    assert Budget(10).text("court", "stdout") == "court"


def test_a_cell_printing_megabytes_makes_a_small_page(tmp_path, monkeypatch):
    """30 MB printed in 30 calls, budget 200 KB: both pages and the notebook stay small, with the note."""
    monkeypatch.setattr(bounded, "TEXT_BUDGET", 200_000)
    notebooks = tmp_path / "carnets"
    notebooks.mkdir()
    cells = [LOAD, "import sys\nfor i in range(30):\n    sys.stdout.write('x' * 1_000_000)\n    sys.stdout.flush()"]
    nbformat.write(_notebook("Bavard", PARAMS, cells), notebooks / "01-bavard.ipynb")
    out = tmp_path / "out"
    result = run(write_corpus(tmp_path / "corpus"), out, notebooks, territoires=["fr"])
    assert result.ok, result.summary()
    folder = out / "corpus"
    for name in ("01-bavard.html", "01-bavard.code.html", "01-bavard.ipynb"):
        size = (folder / name).stat().st_size
        assert size < 1_500_000, (name, size)
        assert "sortie tronquée par mesra" in (folder / name).read_text("utf-8")


def test_the_images_a_page_embeds_have_their_own_budget(tmp_path, monkeypatch):
    from mesra.batch import render

    image = tmp_path / "figure.png"
    image.write_bytes(base64.b64decode(PNG))
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("![une](figure.png) ![deux](figure.png)"),
        nbformat.v4.new_code_cell("", outputs=[nbformat.v4.new_output("display_data", {"text/html": HTML_IMG})]),
    ]
    whole = render.render_notebook(nb, code=False, base_dir=Path(tmp_path)).count("data:image/png;base64,")
    monkeypatch.setattr(render, "EMBED_BUDGET", 8000)  # room for one image of ≈ 6.7 KB in base64
    page = render.render_notebook(nb, code=False, base_dir=Path(tmp_path))
    assert page.count("data:image/png;base64,") == whole - 2
