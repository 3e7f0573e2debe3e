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
from mesra.analysis.brief.wording import render_text
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
    assert m.loc["devenir-paysan", "etat"] == "citee"
    for mono, line in SEED_PRESENTED.items():  # each presented one cites its presentation
        starts = [int(loc.split("#L")[1].split("-")[0].split(",")[0]) for loc in m.loc[mono, "sources"]]
        assert line in starts or any(s <= line + 2 and s >= line for s in starts), (mono, starts)


def test_a_cited_example_is_never_called_presented(corpus):
    brief = Brief(corpus, "ile-de-france")
    assert len(brief.axis_evidence)  # what the sources say of it (L452, L910) still documents axes
    for section in (brief.header(), brief.key_findings(), brief.monographs_section(), brief.axes_section()):
        text = _text(section)
        assert "présentée" not in text and "décrite selon le cadre commun" not in text, text
    assert "citée en exemple" in _text(brief.monographs_section())


def test_france_counts_seven_presentations_and_two_examples(corpus):
    # the list of examples (L443-452) names two initiatives not presented: PoleS's (L448) and Devenir paysan (L452)
    brief = Brief(corpus, "fr")
    assert monograph_states(brief.monographs) == (("presentee", 7), ("citee", 2))
    text = _text(brief.header())
    assert "9 initiatives (7 présentées au séminaire, 2 citées en exemple, à documenter)" in text
    f = monographs.facts(brief)
    assert sorted(m.id for m in f.monographs if m.state == "citee") == ["devenir-paysan", "initiative-poles-marseille"]


def test_the_figures_the_sources_give_show_beside_a_named_initiative(corpus):
    [x] = [x for x in findings.facts(Brief(corpus, "bourgogne-franche-comte")).findings if x.kind == "monographs"]
    assert x.names == ("Le Générateur Bourgogne-Franche-Comté",)
    assert "23 collectivités accompagnées" in x.details[0]  # L314


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
