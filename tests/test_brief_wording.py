"""Facts apart from wording (issue 21): facts checked on the sections' dataclasses, wording on rendered snippets."""

from __future__ import annotations

import dataclasses
import importlib

import pytest

import mesra
from mesra.analysis import counts
from mesra.analysis.brief import Brief, header, network, people
from mesra.analysis.brief.wording import environment, render, render_text, split

SECTIONS = ("header", "findings", "actors", "people", "network", "monographs", "axes", "nextsteps", "sources")


@pytest.fixture(scope="module")
def corpus():
    return mesra.load_corpus()


def test_every_section_has_frozen_facts_and_a_template():
    templates = set(environment().list_templates())
    for name in SECTIONS:
        module = importlib.import_module(f"mesra.analysis.brief.{name}")
        classes = [c for c in vars(module).values() if dataclasses.is_dataclass(c) and c.__module__ == module.__name__]
        assert classes and all(c.__dataclass_params__.frozen for c in classes), name
        assert f"{name}.j2" in templates, name
    for name in ("advocacy", "practices"):
        assert f"{name}.j2" in templates


def test_facts_are_ids_numbers_and_locators(corpus):
    brief = Brief(corpus, "occitanie")
    f = header.facts(brief)
    assert (f.actors, f.people, f.monographs) == (len(brief.actors), len(brief.people), len(brief.monographs))
    assert f.ties == counts.tie_count(brief.ties)
    with pytest.raises(dataclasses.FrozenInstanceError):
        f.actors = 0
    n = network.facts(brief)
    assert n.ties == brief.graph.number_of_edges() and all(s.startswith("actes-coconstruire-2019#L") for s in n.sources)
    p = people.facts(brief)
    assert {x.personne_id for x in p.people} == set(brief.people["personne_id"])
    dondeyne = next(x for x in p.people if x.personne_id == "berenice-dondeyne")
    assert "référente de l'atelier Axe 4" in dondeyne.roles  # L858, her own form (roles.csv)
    assert dondeyne.functions[0] == ("Co-Présidente", "mes-occitanie")  # L189


def test_the_wording_agrees_with_the_facts():
    f = header.HeaderFacts(
        territoire="t", name="Pays imaginaire (exemple synthétique)", level="région", parents=("France",),
        below=(), below_groups=(), actors=1, people=0, ties=counts.TieCount(2, 1), monographs=0,
        monograph_states=(), pseudonymised=True,
    )  # fmt: skip
    w = render("header", f=f)
    text = " ".join(w.paragraphs)
    assert "Les sources rapportent, entre ces acteurs, des liens établis ou prévus" in text and "1 acteur." in text
    assert "elles en citent un autre seulement comme exemple possible" in text
    assert "0 personne" not in text and "monographie" not in text
    # the cooperation network's count is said by its section, with what it counts (never beside the header's)
    assert "réseau de coopération" not in text and "pseudonymisés" in text
    assert "niveau région (France" not in text and "région de France" in text
    assert "empreinte" not in text


def test_a_template_splits_into_paragraphs_bullets_and_notes():
    w = split("Une phrase\nsur deux lignes.\n\nUne autre.\n- une puce\n  qui continue\n* une note")
    assert w.paragraphs == ["Une phrase sur deux lignes.", "Une autre."]
    assert w.bullets == ["une puce qui continue"] and w.notes == ["une note"]


def test_the_french_helpers_are_filters():
    assert render_text("{{ 1 | plural('lien') }}, {{ 2 | plural('réseau') }}") == "1 lien, 2 réseaux"
    assert render_text("{{ ('ARDES', \"l'\") | the }} et {{ ('MES', 'le') | of }}") == "l'ARDES et du MES"
    assert render_text("{{ 3 | share(8) }} ; {{ 12.78 | number(1) }}") == "3 sur 8 ; 12,8"


def test_sources_are_marks_that_quote_the_passage_numbered_across_the_brief(corpus):
    import re

    brief = Brief(corpus, "occitanie")
    pages = [s._repr_html_() for s in (brief.key_findings(), *brief.sections())]
    assert not any("#L" in p for p in pages)  # no raw locator
    marks = [int(n) for p in pages for n in re.findall(r"class='mesra-cite'[^>]*>\[(\d+)\]", p)]
    printed = [int(n) for p in pages for n in re.findall(r"<li>\[(\d+)\]", p)]
    assert sorted(printed) == sorted(set(marks)) == list(range(1, len(set(marks)) + 1))  # each printed once
    advocacy = brief.advocacy_section()._repr_html_()
    assert "uniformisation de la mesure impact" in advocacy  # L586, quoted in the hover of its mark


def test_no_empty_figure(corpus):
    import matplotlib.pyplot as plt

    assert Brief(corpus, "barcelone").plot_map() is None  # abroad: no map of the départements
    assert Brief(corpus, "barcelone").plot_network() is None  # no cooperation tie
    assert Brief(corpus, "lozere").plot_timeline() is None  # no action
    # one dated action (the meeting of 13 January 2020, L459) is said with its date: no calendar of one bar
    bfc = Brief(corpus, "bourgogne-franche-comte")
    assert int(bfc.plan_actions()["periode_debut"].notna().sum()) == 1 and bfc.plot_timeline() is None
    assert Brief(corpus, "occitanie").plot_timeline() is not None
    assert Brief(corpus, "monde").plot_map() is not None  # Monde contains France: France's map
    plt.close("all")


def test_a_territorys_level_and_parent_read_as_french():
    """Tenth reading: « epci de Pas-de-Calais », « département d'Hauts-de-France », « pays de Monde »."""
    import mesra
    from mesra.analysis.brief import Brief

    corpus = mesra.load_corpus()
    said = {t: Brief(corpus, t).header().paragraphs[0].split(". Cette")[0] for t in corpus.territories_with_data()}
    assert said["cu-d-arras"] == "CU d'Arras : EPCI (Pas-de-Calais)"
    assert said["pas-de-calais"] == "Pas-de-Calais : département (Hauts-de-France)"
    assert said["occitanie"] == "Occitanie : région de France" and said["espagne"] == "Espagne : pays d'Europe"
    assert said["canada"] == "Canada : pays" and said["quebec"] == "Québec : région (Canada)"
    assert said["europe"] == "Europe : continent" and said["monde"] == "Monde : tout le corpus"
