"""Brief sections: content drawn from the data, escaped HTML, honest when data is thin."""

from __future__ import annotations

import pandas as pd
import pytest

import mesra
from mesra import Brief, ParameterError, check_parameters, load_corpus
from mesra.analysis.brief.sources import plain


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


def test_unknown_territory_is_refused_with_suggestions(corpus):
    with pytest.raises(ParameterError, match=r"« ocitanie » inconnu \(vouliez-vous dire « occitanie »"):
        check_parameters(corpus, territoire="ocitanie")
    with pytest.raises(ParameterError, match="inconnu"):
        Brief(corpus, "../../etc")


def test_actors_roll_up_to_the_region(corpus):
    brief = Brief(corpus, "hauts-de-france")
    located = set(brief.actors["territoire_id"])
    assert "hauts-de-france" in located
    assert located & {"pas-de-calais", "ca-de-bethune-bruay-artois-lys-romane", "cu-d-arras"}
    assert "apes" in brief.actor_ids


def test_sections_cite_their_sources(corpus):
    brief = Brief(corpus, "occitanie")
    actors = brief.actors_section()
    assert set(brief.actors["source"]) <= set(actors.sources)
    monos = brief.monographs_section()
    assert {"relais-locaux-occitanie", "terres-de-convergence"} <= set(brief.monographs["id"])
    assert monos.sources and all(s.startswith("actes-coconstruire-2019#L") for s in monos.sources)


def test_advocacy_is_sorted_local_to_international(corpus):
    brief = Brief(corpus, "occitanie")
    order = {e: i for i, e in enumerate(mesra.corpus.contract.ECHELONS)}
    ranks = [order.get(e, 99) for e in brief.advocacy_ties["echelon"]]
    assert ranks == sorted(ranks) and len(ranks) > 0
    # MES Occitanie sits on the board of CRESS Occitanie (Axe 4, regional)
    t = brief.advocacy_ties
    assert ((t["source_id"] == "mes-occitanie") & (t["echelon"] == "regional")).any()


def test_axes_grid_has_six_rows_and_marks_open_questions(corpus):
    brief = Brief(corpus, "occitanie")
    grid = brief.axes_grid()
    assert brief.axes_section().tables[0].frame["Axe"].tolist() == [1, 2, 3, 4, 5, 6]
    assert grid["Axe"].tolist() == [1, 2, 3, 4, 5, 6]
    open_rows = grid["Initiatives"].isna()
    assert (grid.loc[open_rows, "Question ouverte"].notna()).all()
    assert (grid.loc[~open_rows, "Question ouverte"].isna()).all()


def test_sources_section_quotes_the_cited_lines(corpus):
    brief = Brief(corpus, "normandie")
    refs = brief.sources_section().tables[0].frame
    row = refs.iloc[0]
    assert "#L" not in row["Lignes"]  # lines as readers read them, not raw locators
    line = int(row["Lignes"].split("-")[0].split(" ")[0])
    first_words = plain(corpus.source_texts["actes-coconstruire-2019"].splitlines()[line - 1])[:20]
    assert row["Extrait"].startswith(first_words)
    assert "*" not in "".join(refs["Extrait"])  # quoted excerpts are rendered, no raw markdown


def test_territory_without_data_gets_a_short_honest_brief(corpus):
    brief = Brief(corpus, "lozere")
    assert len(brief.actors) == 0
    assert "aucun acteur" in str(brief.header()).lower()
    assert "Aucun acteur" in str(brief.actors_section())
    assert "Aucune initiative de ce territoire n'est documentée dans le corpus" in str(brief.monographs_section())
    steps = str(brief.next_steps_section())
    assert "Recenser les acteurs" in steps


def test_html_escapes_data(mini_dir):
    path = mini_dir / "acteurs.csv"
    path.write_text(path.read_text("utf-8").replace("Réseau Alpha,RA", "<script>alert(1)</script>,RA"), "utf-8")
    corpus = load_corpus(mini_dir)
    html = Brief(corpus, "occitanie").actors_section()._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_connection_suggestions_exclude_already_tied_pairs(mini_dir):
    # two organisations of the territory share the national Collectif Gamma: that says nothing
    with open(mini_dir / "liens.csv", "a", encoding="utf-8") as fh:
        fh.write("mairie-ales,collectif-gamma,membre_de,,,,doc-test#L3\n")
    assert Brief(load_corpus(mini_dir), "occitanie").connection_suggestions.empty
    # a small local collective does
    with open(mini_dir / "acteurs.csv", "a", encoding="utf-8") as fh:
        fh.write("collectif-cevenol,Collectif cévenol,,collectif,gard,local,false,doc-test#L3\n")
    with open(mini_dir / "liens.csv", "a", encoding="utf-8") as fh:
        fh.write("mairie-ales,collectif-cevenol,membre_de,,,,doc-test#L3\n")
        fh.write("cooperative-beta,collectif-cevenol,membre_de,,,,doc-test#L3\n")
    s = Brief(load_corpus(mini_dir), "occitanie").connection_suggestions
    assert s[["Organisation A", "Organisation B"]].values.tolist() == [["Coopérative Bêta", "Mairie d'Alès"]]
    with open(mini_dir / "liens.csv", "a", encoding="utf-8") as fh:
        fh.write("mairie-ales,cooperative-beta,partenaire_de,,,,doc-test#L3\n")
    assert Brief(load_corpus(mini_dir), "occitanie").connection_suggestions.empty


def test_pseudonymised_brief_shows_no_name(mini_dir):
    corpus = load_corpus(mini_dir, pseudonymiser=True)
    brief = Brief(corpus, "occitanie")
    text = "\n".join(
        str(s) for s in [brief.header(), brief.actors_section(), brief.monographs_section(), brief.sources_section()]
    )
    assert "Jeanne" not in text and "Martin" not in text
    assert "pseudonymisés" in str(brief.header())


def test_overview_tables(corpus):
    summary = mesra.corpus_summary(corpus).set_index("Table")["Lignes"]
    assert summary["Actions des plans"] == len(corpus.actions) > 0
    assert summary["Acteurs"] == len(corpus.acteurs) and summary["Monographies"] == len(corpus.monographies)
    by_type = mesra.counts_by(corpus, "type")
    assert by_type["Nombre"].sum() == len(corpus.acteurs)
    origins = mesra.origins(corpus)
    assert origins["Monographies"].sum() == len(corpus.monographies)
    cov = mesra.axes_coverage(corpus)
    assert cov.shape == (len(corpus.monographies), 5) and cov.dtypes.eq(bool).all()  # axes 1-5 (L441)


def test_monograph_frame_counts_follow_the_data(mini_dir):
    path = mini_dir / "monographies" / "projet-delta.md"
    path.write_text(
        path.read_text("utf-8")
        .replace("origine: inconnue", "origine: mobilisation_citoyenne")
        .replace("  outils: []", "  outils: [monetaire, foncier]"),
        "utf-8",
    )
    corpus = load_corpus(mini_dir)
    o = mesra.origins(corpus).set_index("code")["Monographies"]
    assert o["mobilisation_citoyenne"] == 1 and o["inconnue"] == 0
    t = mesra.cooperation_tools(corpus).set_index("Libellé")["Monographies"]
    assert t["Monétaire"] == 1 and t["Foncier"] == 1 and t["Non documenté"] == 0


def test_plots_return_axes():
    ax = mesra.plot_counts(pd.DataFrame({"Libellé": ["a", "b"], "Nombre": [1, 2]}), title="t")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["b", "a"]
    empty = mesra.plot_counts(pd.DataFrame({"Libellé": [], "Nombre": []}))
    assert empty.texts[0].get_text() == "Aucune donnée"


def test_all_zero_counts_show_no_data():
    ax = mesra.plot_counts(pd.DataFrame({"Libellé": ["Local", "Régional"], "Nombre": [0, 0]}), title="t")
    assert ax.texts[0].get_text() == "Aucune donnée" and not ax.patches


@pytest.mark.parametrize("territoire", ["occitanie", "fr"])
def test_a_section_is_built_once_and_the_sources_are_the_same_either_way(corpus, territoire):
    """The notebook shows each section, then the sources: the sources section reads the sections
    already built, and says the same as in a brief where nothing was shown before it."""
    shown = Brief(corpus, territoire, date_reference="2020-01-01")
    sections = [shown.actors_section(), shown.network_section(), shown.plan_section()]
    assert shown.network_section() is sections[1]
    assert shown.network_section(top=2) is not sections[1]
    fresh = Brief(corpus, territoire, date_reference="2020-01-01")
    assert shown.sources_section()._repr_html_() == fresh.sources_section()._repr_html_()
    assert "Aucun fait" not in fresh.sources_section()._repr_html_()
