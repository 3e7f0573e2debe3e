"""What a notebook shows of a brief and its sections: French HTML, never a Python repr."""

from __future__ import annotations

import pytest
from IPython.core.formatters import DisplayFormatter

import mesra


@pytest.fixture(scope="module")
def corpus():
    return mesra.load_corpus()


def test_a_brief_displays_its_header_and_sections_in_french(corpus):
    brief = mesra.Brief(corpus, "Occitanie")
    data, _ = DisplayFormatter().format(brief)
    assert "<h1>Note de recherche-action — Occitanie</h1>" in data["text/html"]
    assert "<code>actors_section()</code> : les acteurs du territoire" in data["text/html"]
    assert data["text/plain"].startswith("Note de recherche-action — Occitanie (occitanie), au ")
    assert "object at 0x" not in data["text/plain"]
    assert all(callable(getattr(brief, method)) for method, _ in brief.SECTIONS)


@pytest.mark.parametrize(
    "make", [lambda c: mesra.plan_section(c, "occitanie"), lambda c: mesra.Brief(c, "fr").actors_section()]
)
def test_sections_display_as_html(corpus, make):
    data, _ = DisplayFormatter().format(make(corpus))
    assert data["text/html"].startswith("<h2>") and "object at 0x" not in data["text/plain"]
