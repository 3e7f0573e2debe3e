"""One number, one computation (issue 21): a figure shown on several pages is the same on each.

Each test is one of the contradictions found in the briefs of the default corpus.
"""

from __future__ import annotations

import re

import pytest

import mesra
from mesra import french
from mesra.analysis import counts
from mesra.analysis.brief import Brief
from mesra.analysis.readable import readable
from mesra.corpus.geo import parent_map


@pytest.fixture(scope="module")
def corpus():
    return mesra.load_corpus()


@pytest.fixture(scope="module")
def pairs(corpus):
    """Every (parent, child) pair of territories with data, the child directly below the parent."""
    parents = parent_map(corpus.territoires)
    data = set(corpus.territories_with_data())
    out = [(parents[t], t) for t in sorted(data) if parents.get(t) in data]
    assert len(out) > 15
    return out


def test_a_parent_territory_counts_at_least_what_its_children_count(corpus, pairs):
    ties, monos = counts.tie_counts(corpus), counts.monograph_counts(corpus)
    actors = counts.actor_counts(corpus)
    smaller = []
    for parent, child in pairs:
        for what, n in {
            "acteurs": lambda t: len(counts.actors_of(corpus, t)),
            "personnes": lambda t: len(counts.people_of(corpus, t)),
            "liens": lambda t: len(counts.territory_ties(corpus, t)),
            "monographies": lambda t: len(counts.monographs_of(corpus, t)),
            "actions": lambda t: len(counts.actions_of(corpus, t)),
        }.items():
            if n(parent) < n(child):
                smaller.append((what, parent, n(parent), child, n(child)))
        # the index counts at once what each brief counts alone
        assert ties.get(child, counts.TieCount()) == counts.tie_count(counts.territory_ties(corpus, child)), child
        assert monos.get(child, 0) == len(counts.monographs_of(corpus, child)), child
        assert actors.get(child, 0) == len(counts.actors_of(corpus, child)), child
    assert not smaller, smaller


def test_monde_and_europe_show_every_action_france_shows(corpus):
    france = set(counts.actions_of(corpus, "fr")["action_id"])
    for t in ("europe", "monde"):
        assert set(Brief(corpus, t).plan_actions()["action_id"]) >= france, t


def test_a_monograph_documents_the_same_axes_on_every_page(corpus):
    coverage = mesra.axes_coverage(corpus)  # the monographs overview (notebook 02)
    summary = mesra.axes_summary(corpus).set_index("Axe")["Documenté"]
    titles = dict(zip(corpus.monographies["id"], corpus.monographies["titre"]))
    overview = {i: tuple(k for k, ok in enumerate(coverage.loc[titles[i]], start=1) if ok) for i in titles}
    assert [summary[a] for a in range(1, 6)] == [sum(a in axes for axes in overview.values()) for a in range(1, 6)]
    assert 6 not in summary.index  # the programme of action is the research-action's own (L441)
    for t in corpus.territories_with_data():
        section = Brief(corpus, t).monographs_section()
        for table in section.tables:
            said = dict(zip(table.frame["Champ"], table.frame["Contenu"]))[
                "Axes d'analyse de la note de cadrage (1 à 5) documentés"
            ]
            mid = next(i for i, title in titles.items() if title == table.caption)
            assert said == (french.join(f"axe {a}" for a in overview[mid]) or "aucun"), (t, table.caption)


def test_the_header_says_which_ties_it_counts_and_the_network_which_it_keeps(corpus):
    brief = Brief(corpus, "fr")
    header = " ".join(brief.header().paragraphs)
    # twenty-fourth reading: the header no longer counts the ties of every kind (« 44 liens » could not be reconciled
    # with the network's count); it says their kinds, and counts apart those cited only as examples
    assert "Les sources rapportent, entre ces acteurs, des liens établis ou prévus de plusieurs sortes" in header
    assert not re.search(r"\d+ liens, établis ou prévus", header)
    examples = int(re.search(r"elles en citent (\d+) autres seulement comme exemples possibles", header).group(1))
    assert counts.tie_count(counts.territory_ties(corpus, "fr")).examples == examples
    assert "(coopérations, adhésions, plaidoyer, rôles des personnes)" in header
    # the network says its own count with what it counts, and the header does not say it beside its own
    direct = sum(1 for *_, d in brief.graph.edges(data=True) if d.get("liens_directs"))
    section = brief.network_section()
    assert f"{french.plural(direct, 'coopération directe', 'coopérations directes')} entre deux organisations" in (
        " ".join(section.paragraphs)
    )
    assert "les adhésions et le plaidoyer ne sont pas comptés ici" in " ".join(section.notes)
    assert "réseau de coopération" not in header


def test_decimals_follow_one_rule_on_every_page(corpus):
    brief = Brief(corpus, "fr")
    measures = brief.measures_table().set_index("Organisation")
    shown = readable(brief.network_metrics)  # notebook 03's table of the same measures
    column = shown.labels.index("Taille effective")
    names = shown.labels.index("Nom")
    for row in shown.cells:
        if row[names] in measures.index:
            assert measures.loc[row[names], "Taille effective"] == row[column], row[names]
    assert french.measure(12.78) == "12,8" and french.measure(0.5931) == "0,59"


def test_a_share_of_a_few_monographs_is_a_count_not_a_percentage(corpus):
    origins = mesra.origins(corpus)
    assert len(corpus.monographies) < french.SMALL_TOTAL
    for n, part in zip(origins["Monographies"], origins["Part"]):
        assert part == f"{n} sur {len(corpus.monographies)}"
    assert french.share(1, 8) == "1 sur 8" and french.share(5, 40) == "12\u202f%"
    quality = mesra.data_quality(corpus)
    monographs = quality[quality["Table"] == "monographies"]
    assert len(monographs) and all(p.endswith(f"sur {len(corpus.monographies)}") for p in monographs["Part vide"])


def test_the_national_note_names_a_shared_role_once(corpus):
    people = Brief(corpus, "fr").people_section()
    table = people.tables[0].frame
    rows = table["Rôle dans les ateliers et au-delà"]
    text = " ".join([*people.paragraphs, *rows, *table.get("Autres fonctions", [])])
    assert text.count("Pour une économie citoyenne") == 1
    # 25 participants of the seminar: one sentence, not 25 rows
    assert text.count("participent au Séminaire CoConstruire") == 1
    assert not any("participe au Séminaire CoConstruire" in r for r in rows)


def test_a_departement_note_shows_what_its_region_shows_about_it(corpus, pairs):
    gard = Brief(corpus, "gard")
    assert "Terres de Convergence et la plateforme Decidim" in set(gard.monographs["titre"])
    assert "aucune monographie" not in str(gard.header()).lower()
    from mesra.network.graphs import leads

    places = counts.monograph_places(corpus)
    where = dict(zip(corpus.acteurs["acteur_id"], corpus.acteurs["territoire_id"]))
    for parent, child in pairs:
        below = set(corpus.territory_ids(child))
        region = set(counts.monographs_of(corpus, parent)["id"])
        expected = {m for m in region if places[m] & below}
        assert expected <= set(counts.monographs_of(corpus, child)["id"]), (parent, child)
        lp = leads(corpus, parent)
        shown = lp[[where.get(s) in below or where.get(c) in below for s, c in zip(lp["source_id"], lp["cible_id"])]]
        assert len(shown) <= len(leads(corpus, child)), (parent, child)


def test_a_corpus_without_people_keeps_its_columns_and_its_briefs():
    """An empty selection is still a table with its columns (``df[[]]`` would select no column)."""
    from pathlib import Path

    from mesra.analysis.brief import Brief
    from mesra.analysis.counts import actors_of, people_of

    corpus = mesra.load_corpus(Path(__file__).parent / "fixtures" / "coevaluation")  # no personnes.csv
    assert "personne_id" in people_of(corpus, "gard").columns and not len(people_of(corpus, "gard"))
    assert "acteur_id" in actors_of(corpus, "bretagne").columns
    assert Brief(corpus, "gard").header().title
