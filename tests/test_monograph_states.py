"""How far an initiative is documented (monograph ``etat``): a cited example is not a presentation.

The proceedings present seven initiatives (L310-382); Devenir paysan is only cited as an example of
what Île-de-France could document (L452), and the common frame was defined after the presentations
(L392-416): no page may say that an initiative was "présentée" when it was only cited, or that it was
"décrite selon le cadre commun".
"""

from __future__ import annotations

import pytest

import mesra
from mesra.analysis.brief import Brief, findings, monographs
from mesra.analysis.brief.wording import render, render_text
from mesra.analysis.counts import monograph_states

SEED_PRESENTED = {
    "generateur-bfc": 310,
    "animation-territoriale-apes": 318,
    "tzcld-ardes": 326,
    "relais-locaux-occitanie": 338,
    "terres-de-convergence": 346,
    "ptce-retour-experience": 366,
    "ecosysteme": 380,
}


@pytest.fixture(scope="module")
def corpus():
    return mesra.load_corpus()


def _text(section) -> str:
    return "\n".join([section.title, *section.paragraphs, *section.bullets])


def test_the_default_corpus_says_which_initiatives_were_presented(corpus):
    m = corpus.monographies.set_index("id")
    assert {i for i, s in m["etat"].items() if s == "presentee"} == set(SEED_PRESENTED)
    # Devenir paysan: cited among the examples (L452) and reported as existing by the Axe 4 cartography (L910)
    assert m.loc["devenir-paysan", "etat"] == "rapportee"
    assert m.loc["initiative-poles-marseille", "etat"] == "citee"
    for mono, line in SEED_PRESENTED.items():  # each presented one cites its presentation
        starts = [int(loc.split("#L")[1].split("-")[0].split(",")[0]) for loc in m.loc[mono, "sources"]]
        assert line in starts or any(s <= line + 2 and s >= line for s in starts), (mono, starts)


def test_a_cited_example_is_never_called_presented(corpus):
    brief = Brief(corpus, "provence-alpes-cote-d-azur")
    assert not len(brief.axis_evidence)  # cited among the examples (L448): no element for the axes
    for section in (brief.header(), brief.key_findings(), brief.monographs_section(), brief.axes_section()):
        text = _text(section)
        assert "présentée" not in text and "décrite selon le cadre commun" not in text, text
    assert "citée en exemple" in _text(brief.monographs_section())
    # an initiative the sources report (L910) is neither « présentée » nor a mere example, and brings elements
    idf = Brief(corpus, "ile-de-france")
    assert set(idf.axis_evidence["id"]) == {"devenir-paysan"}
    text = _text(idf.header()) + _text(idf.monographs_section())
    assert "rapportée par les sources, à documenter" in text and "présentée" not in text and "citée" not in text


def test_france_counts_seven_presentations_one_report_and_one_example(corpus):
    # the list of examples (L443-452) names two initiatives not presented: PoleS's (L448), only an example, and
    # Devenir paysan (L452), which the Axe 4 cartography reports as existing (L910)
    brief = Brief(corpus, "fr")
    assert monograph_states(brief.monographs) == (("presentee", 7), ("rapportee", 1), ("citee", 1))
    text = _text(brief.header())
    assert (
        "9 initiatives (7 présentées au séminaire, 1 rapportée par les sources, à documenter, "
        "1 citée en exemple, à documenter)" in text
    )
    f = monographs.facts(brief)
    assert [m.id for m in f.monographs if m.state == "citee"] == ["initiative-poles-marseille"]


def test_the_figures_the_sources_give_show_beside_a_named_initiative(corpus):
    [x] = [x for x in findings.facts(Brief(corpus, "bourgogne-franche-comte")).findings if x.kind == "monographs"]
    assert x.names == ("Le Générateur Bourgogne-Franche-Comté",)
    assert "23 collectivités accompagnées" in x.details[0][1]  # L314
    said = " ".join(render("findings", f=findings.FindingsFacts((x,))).bullets)
    assert "(6 acteurs réunis et 23 collectivités accompagnées, pour recréer de l'activité économique" in said


@pytest.mark.parametrize(
    ("states", "text"),
    [
        (
            (("presentee", 7), ("citee", 1)),
            "8 initiatives (7 présentées au séminaire, 1 citée en exemple, à documenter)",
        ),
        ((("citee", 2),), "2 initiatives citées en exemple, à documenter"),
        ((("redigee", 1),), "1 monographie rédigée selon le cadre commun"),
    ],
)
def test_the_states_in_words(states, text):
    assert render_text('{% from "_initiatives.j2" import initiatives %}{{ initiatives(s) }}', s=states) == text


def test_an_unknown_state_is_a_french_problem(mini_dir):
    [path] = sorted((mini_dir / "monographies").glob("*.md"))[:1]
    text = path.read_text("utf-8")
    path.write_text(text.replace("origine:", "etat: publiee\norigine:", 1), "utf-8")
    problems = [str(p) for p in mesra.check_corpus(mini_dir)]
    assert any("publiee" in p and "etat" in p for p in problems), problems


@pytest.mark.parametrize("territoire", ["provence-alpes-cote-d-azur", "fr"])
def test_a_cited_example_brings_no_element_to_the_axes_on_any_page(corpus, territoire):
    """« une initiative seulement citée en exemple n'en apporte aucun » (PoleS's initiative, L448; Devenir paysan,
    L452): one rule, :func:`mesra.analysis.frame.brings_elements`, read by the fiche's findings, the monographs and
    six-axes sections, the monographs overview (02) and the resource pages."""
    from mesra.analysis import crossanalysis
    from mesra.analysis.counts import documented_axes
    from mesra.analysis.frame import brings_elements
    from mesra.analysis.resources.derive import derive

    cited = ["initiative-poles-marseille"]
    assert brings_elements(corpus.monographies[corpus.monographies["id"] == "devenir-paysan"].iloc[0].to_dict())
    m = corpus.monographies.set_index("id")
    assert not any(brings_elements(r) for r in corpus.monographies[corpus.monographies["id"].isin(cited)].itertuples())
    assert brings_elements(corpus.monographies[corpus.monographies["id"] == "generateur-bfc"].iloc[0].to_dict())
    brief = Brief(corpus, territoire)
    assert not set(brief.axis_evidence["id"]) & set(cited)  # §3, §5 and the fiche read this
    facts = monographs.facts(brief)
    assert all(x.axes == () for x in facts.monographs if x.id in cited)
    assert all(documented_axes(brief.monographs)[i] == () for i in cited if i in set(brief.monographs["id"]))
    summary = crossanalysis.axes_coverage(corpus, territoire)  # the monographs overview (02)
    for i in cited:
        if m.loc[i, "titre"] in summary.index:
            assert not summary.loc[m.loc[i, "titre"]].astype(bool).any(), (i, summary.loc[m.loc[i, "titre"]])
    if territoire == "provence-alpes-cote-d-azur":
        text = _text(brief.axes_section()) + _text(brief.key_findings())
        assert "apporte des éléments à" not in text and "n'apporte encore d'élément à aucun" in text
        assert "une initiative seulement citée en exemple n'en apporte aucun" in " ".join(brief.axes_section().notes)
    resources = {r.ressource_id: r for r in derive(corpus)}
    for i in cited:
        assert not [t for t in resources[f"initiative-{i}"].themes if t.startswith("Axe de recherche")], i
