"""The interactive network view in headless Chromium (software WebGL), opened from the file system.

No request may leave the file (DNS is off and every request is logged); the graph must be drawn
(pixels of the drawing area), searching an actor selects it and shows its card, a filter changes
the visible ties. Without Chromium these tests fail (``tests/test_browser.py``).
"""

from __future__ import annotations

import json

import pytest
from interactive_browser import evaluate, load, open_browser, painted_pixels, problems

import mesra
from mesra.network import interactive

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def corpus():
    return mesra.load_corpus()


@pytest.fixture
def browser(tmp_path):
    b = open_browser(tmp_path / "profil-chromium")
    yield b
    b.close()


def _page(tmp_path, corpus, territoire="occitanie"):
    g = mesra.cooperation_graph(corpus, territoire)
    return g, interactive.write_page(g, tmp_path / f"reseau-{territoire}.html", corpus)


def test_view_loads_draws_searches_and_filters_offline(browser, tmp_path, corpus):
    g, page = _page(tmp_path, corpus)
    load(browser, page)
    counts = evaluate(browser, "mesraViews[0].counts()")
    assert counts == {"nodes": g.number_of_nodes(), "edges": g.number_of_edges()}
    assert painted_pixels(browser) > 500, "le réseau n'est pas dessiné"

    # search an actor by its name, as a reader types it (accents and case aside)
    target = max(g.degree, key=lambda p: (p[1], p[0]))[0]
    name = g.nodes[target]["nom"]
    evaluate(
        browser,
        "(() => { const i = document.querySelector('.mesra-vue-recherche'); i.value = "
        + json.dumps(name.upper())
        + "; i.dispatchEvent(new Event('change')); })()",
    )
    assert evaluate(browser, "mesraViews[0].selected()") == target
    card = evaluate(browser, "document.querySelector('.mesra-vue-fiche').innerText")
    assert name in card
    assert "constaté" in card  # how each tie is known
    assert "«" in card  # the sentence of the source

    # a filter by kind of tie: unticking the shared contexts hides the edges that rest only on them
    only_context = sum(1 for *_, d in g.edges(data=True) if not d["relations"])
    assert only_context
    evaluate(
        browser,
        """(() => { const f = document.querySelector('.mesra-vue-f-liens');
           for (const cb of f.querySelectorAll('input'))
             if (cb.parentNode.textContent.includes('partagé')) { cb.checked = false; cb.dispatchEvent(new Event('change')); }
        })()""",
    )
    after = evaluate(browser, "mesraViews[0].counts()")
    assert after["edges"] == g.number_of_edges() - only_context
    status = evaluate(browser, "document.querySelector('.mesra-vue-etat').textContent")
    assert f"{after['edges']} liens" in status

    errors, requests = problems(browser)
    assert errors == []
    assert requests == [page.resolve().as_uri()], requests


def test_compared_states_are_coloured_and_said_in_the_legend(browser, tmp_path, corpus):
    g = mesra.cooperation_graph(corpus, "occitanie")
    u, v = next(iter(g.edges))
    g.edges[u, v]["etat"] = "retire"
    g.nodes[next(iter(g.nodes))]["etat"] = "ajoute"
    page = interactive.write_page(g, tmp_path / "comparaison.html", corpus)
    load(browser, page)
    legend = evaluate(browser, "document.querySelector('.mesra-vue-legende').innerText")
    assert "Ajouté" in legend and "Retiré" in legend
    colours = evaluate(
        browser,
        "[mesraViews[0].graph.getNodeAttribute('0', 'color'), mesraViews[0].graph.getEdgeAttribute('0', 'color')]",
    )
    assert colours == ["#1a9641", "#d7191c"]
    assert problems(browser) == ([], [page.resolve().as_uri()])
