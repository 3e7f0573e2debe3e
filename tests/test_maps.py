"""The map of where the actors are: counts, outlines, what is off the map, attribution."""

from __future__ import annotations

import os

os.environ.setdefault("MPLBACKEND", "Agg")

import pytest  # noqa: E402

import mesra  # noqa: E402
from mesra.analysis import maps  # noqa: E402


@pytest.fixture(scope="module")
def corpus():
    return mesra.load_corpus()


def test_outlines_cover_the_96_metropolitan_departements_keyed_by_insee_code(corpus):
    outlines = maps.map_outlines()
    assert outlines["attribution"].startswith("Carte : svg-maps, Victor Cazanave, CC BY 4.0")
    deps = outlines["departements"]
    assert len(deps) == 96 and {"01", "2A", "2B", "95"} <= set(deps)
    t = corpus.territoires
    names = dict(zip(t["code_insee"], t["nom"]))
    assert deps["21"]["nom"] == names["21"] == "Côte-d'Or"


def test_counts_roll_actors_up_to_their_departement(corpus):
    counts = maps.departement_counts(corpus, "fr").set_index("departement_id")
    actors = corpus.acteurs
    # every actor located in a commune or EPCI of a département is counted there, not above it
    gard = corpus.territory_ids("gard")
    assert counts.loc["gard", "acteurs"] == actors["territoire_id"].isin(gard).sum() > 0
    assert counts["acteurs"].sum() <= len(actors)


@pytest.mark.parametrize("territoire", ["bourgogne-franche-comte", "hauts-de-france", "fr"])
def test_the_numbers_on_the_map_are_the_actors_per_departement(corpus, territoire):
    ax = mesra.plot_map(corpus, territoire)
    shown = sorted(int(t.get_text()) for t in ax.texts if t.get_text().isdigit())
    counts = maps.departement_counts(corpus, territoire)
    assert shown == sorted(counts.loc[counts["sur_la_carte"], "acteurs"].tolist())
    texts = "\n".join(t.get_text() for t in ax.texts)
    assert maps.ATTRIBUTION in texts
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend and all("acteur" in x for x in legend)


def test_a_region_map_outlines_its_departements_and_lists_what_is_off_the_map(corpus):
    ax = mesra.plot_map(corpus, "hauts-de-france")
    thick = [p for p in ax.patches if p.get_linewidth() >= 1.0]
    assert len({tuple(p.get_xy()[0]) for p in thick}) >= 5  # the five départements of the région
    texts = "\n".join(t.get_text() for t in ax.texts)
    assert "À l'échelle d'une région ou du pays : Hauts-de-France" in texts


def test_a_territory_abroad_gets_a_sentence_not_an_empty_map(corpus):
    ax = mesra.plot_map(corpus, "quebec")
    assert not ax.patches and "hors de France" in ax.texts[0].get_text()
