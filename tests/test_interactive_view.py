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
             if (cb.parentNode.textContent.includes('partagé')) {
               cb.checked = false; cb.dispatchEvent(new Event('change')); }
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
    assert "Deux états du corpus comparés" in legend  # what the two colours mean
    colours = evaluate(
        browser,
        "[mesraViews[0].graph.getNodeAttribute('0', 'color'), mesraViews[0].graph.getEdgeAttribute('0', 'color')]",
    )
    assert colours == ["#1a9641", "#d7191c"]
    # the others in grey: the types' greens and reds would read as added or removed
    others = evaluate(browser, "mesraViews[0].graph.getNodeAttribute('1', 'color')")
    assert others == "#8d949c" and "Dans les deux états" in legend and "Coopératives" not in legend
    assert problems(browser) == ([], [page.resolve().as_uri()])


def _notebook_with_marker(marker):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Réseau\n\n## Le réseau"),
        nbformat.v4.new_code_cell(
            "mesra.interactive_view(graph, corpus)",
            outputs=[nbformat.v4.new_output("display_data", data={"text/html": marker._repr_html_()})],
        ),
    ]
    return nb


def test_the_page_renderer_embeds_the_view_from_the_notebook_folder(browser, tmp_path, corpus):
    from mesra.batch.render import render_notebook

    g = mesra.cooperation_graph(corpus, "occitanie")
    run = tmp_path / "execution"
    run.mkdir()
    marker = interactive.interactive_view(g, corpus, folder=run)
    assert marker.path.parent == run and marker.path.name.startswith(".mesra-vue-")
    nb = _notebook_with_marker(marker)
    elsewhere = render_notebook(nb, code=False)  # no folder: the marker stays and says where the view is
    assert "mesraNetworkView" not in elsewhere and "mesra.explore(graph)" in elsewhere
    page_text = render_notebook(nb, code=False, base_dir=run)
    assert page_text.count("mesraNetworkView.mount(document") == 1 and "@media print" in page_text
    assert "sourceMappingURL" not in page_text
    page = tmp_path / "03-reseau.html"
    page.write_text(page_text, encoding="utf-8")
    load(browser, page)
    assert evaluate(browser, "mesraViews[0].counts()") == {"nodes": g.number_of_nodes(), "edges": g.number_of_edges()}
    assert painted_pixels(browser) > 500
    # printed, the view is hidden (the static figure is the printed one)
    browser.send("Emulation.setEmulatedMedia", {"media": "print"}, session=True)
    assert evaluate(browser, "getComputedStyle(document.querySelector('.mesra-vue')).display") == "none"
    assert problems(browser) == ([], [page.resolve().as_uri()])


def test_size_budget_at_5000_nodes_and_20000_edges():
    """At most 3 MB of data for 5,000 nodes and 20,000 edges (synthetic graph, with sources and contexts)."""
    import random

    import networkx as nx

    rng = random.Random(0)
    g = nx.Graph()
    types = ["association", "cooperative", "collectivite", "reseau_territorial", "entreprise"]
    for i in range(5000):
        g.add_node(
            f"acteur-synthetique-{i}",
            nom=f"Organisation synthétique numéro {i}",
            sigle=None,
            type=rng.choice(types),
            territoire=f"territoire-{i % 90}",
            echelon=rng.choice(["local", "regional"]),
            externe=i % 10 == 0,
            communaute=i % 40,
        )
    nodes = list(g.nodes)
    while g.number_of_edges() < 20000:
        u, v = rng.sample(nodes, 2)
        g.add_edge(
            u,
            v,
            relations=rng.sample(["partenaire_de", "accompagne", "finance"], rng.randint(0, 2)),
            contextes=[f"projet-{rng.randrange(500)}"],
            weight=rng.randint(1, 3),
            attestation=rng.choice(["constate", "prevu"]),
            sources=[f"source-{rng.randrange(300)}#L{rng.randrange(900)}"],
        )
    positions = {n: (rng.uniform(-1, 1), rng.uniform(-1, 1)) for n in nodes}
    size = len(interactive.data_json(interactive.view_data(g, positions=positions)).encode("utf-8"))
    assert size <= 3_000_000, size
