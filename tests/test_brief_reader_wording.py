"""What cold readers found in the wording of the briefs (issue 21, second read): one test per finding.

The reader page is rebuilt here as the notebook shows it (header, fiche, the note's sections with their
printed titles), as HTML with its hovers and footnotes, then read as text. Line numbers are those of
``data/sources/actes-coconstruire-2019.txt``.
"""

from __future__ import annotations

import html
import json
import re

import pytest

import mesra
from mesra.analysis import counts
from mesra.analysis.brief import Brief, titles
from mesra.analysis.brief.fiche import facts as fiche_facts
from mesra.analysis.brief.header import noted_below
from mesra.analysis.sections import _first_sentence
from mesra.corpus import contract
from mesra.corpus.excerpts import cut, excerpt, plain
from mesra.files import PROJECT_ROOT


@pytest.fixture(scope="module")
def corpus():
    return mesra.load_corpus()


@pytest.fixture(scope="module")
def briefs(corpus):
    return {t: Brief(corpus, t) for t in counts.noted_territories(corpus)}


def _reader_parts(brief):
    return [
        brief.header(),
        brief.fiche(),
        brief.short(brief.network_section(), brief.titles["network"]),
        brief.short(brief.planned_section(), brief.titles["planned"]),
        brief.short(brief.monographs_section(), brief.titles["monographs"]),
        brief.short(brief.practices_section(), brief.titles["practices"]),
        brief.short(brief.axes_section(), brief.titles["axes"]),
        brief.short(brief.next_steps_section(), brief.titles["next_steps"]),
    ]


@pytest.fixture(scope="module")
def pages(briefs):
    """Each territory's reader page as a reader reads it: the HTML's text, hovers (``title``) included."""
    out = {}
    for t, brief in briefs.items():
        markup = "\n".join(p._repr_html_() for p in _reader_parts(brief))
        hovers = " ".join(html.unescape(h) for h in re.findall(r"title='([^']*)'", markup))
        text = html.unescape(re.sub(r"<[^>]+>", " ", markup))
        out[t] = re.sub(r"\s+", " ", text + " " + hovers)
    return out


def _quoted(text: str) -> list[str]:
    """The innermost spans between guillemets."""
    return [m.strip() for m in re.findall(r"«([^«»]*)»", text)]


# --- 1. guillemets hold only the source's own words -------------------------------------------------
def test_no_relation_label_is_quoted_on_any_reader_page(pages):
    labels = {contract.label(r).lower() for r in contract.RELATIONS}
    assert {"participe à", "partenaire de", "membre de"} <= labels
    found = [(t, q) for t, text in pages.items() for q in _quoted(text) if q.lower().rstrip(" ,.…") in labels]
    assert not found, found[:5]


def test_an_advocated_objet_is_a_paraphrase_never_quoted(briefs, pages):
    checked = 0
    for t, brief in briefs.items():
        f = fiche_facts(brief)
        for a in f.advocacy:
            if a.objet:
                checked += 1
                assert f"« {a.objet} »" not in pages[t], (t, a.objet)
                # still said, in plain words (France's fiche cuts a long aim; its annex has it whole)
                assert (a.objet[:40] if f.national else a.objet) in pages[t], (t, a.objet)
    assert checked >= 5


def test_a_lead_says_its_relation_in_plain_words(pages):
    # the proceedings cite PoleS « en lien avec » Avec Nous in a list of examples (L448): no verb of a fact
    text = pages["provence-alpes-cote-d-azur"]
    assert "Pistes possibles, des rapprochements que les sources citent comme exemples, sans les constater" in text
    assert "PoleS, en lien avec Avec Nous" in text and "Exemple possible cité par les sources" not in text
    assert "« partenaire de »" not in text and "« participe à »" not in text
    assert "PoleS — partenaire" not in text and "PoleS — participe" not in text


# --- 2. the header: examples apart, no page numbers, sub-territories that have a note -----------------
def test_the_header_counts_example_ties_apart(briefs):
    paca = " ".join(briefs["provence-alpes-cote-d-azur"].header().paragraphs)
    assert "aucun lien, établi ou prévu, entre ces acteurs ; elles en citent 3 liens seulement comme exemples" in paca
    assert "liens documentés de toutes sortes" not in paca
    for t, brief in briefs.items():
        said = " ".join(brief.header().paragraphs)
        n = counts.tie_count(brief.ties)
        if n.known:  # twenty-fourth reading: the kinds, not a count the network's part could not be reconciled with
            assert "des liens établis ou prévus de plusieurs sortes" in said and f"{n.known} lien" not in said, t
        elif n.examples:
            assert "aucun lien, établi ou prévu, entre ces acteurs ;" in said, t
        # the thin finding, when there is one, says the same numbers
        thin = [b for b in brief.key_findings().bullets if b.startswith("Le corpus documente encore peu")]
        if thin and n.known:
            assert f"{n.known} lien" in thin[0], t
        elif thin:
            assert "aucun lien établi ou prévu" in thin[0], t


def test_the_index_counts_the_same_ties_as_the_header(corpus):
    at_once = counts.tie_counts(corpus)
    for t in ("fr", "provence-alpes-cote-d-azur", "occitanie"):
        assert at_once[t] == counts.tie_count(counts.territory_ties(corpus, t)), t
    assert at_once["provence-alpes-cote-d-azur"] == counts.TieCount(known=0, examples=3)


def test_the_page_hint_names_no_page_numbers():
    nb = json.loads((PROJECT_ROOT / "notebooks" / "04-note-recherche-action.ipynb").read_text(encoding="utf-8"))
    hint = "".join(nb["cells"][0]["source"])
    assert "D'abord la fiche territoire, à transmettre telle quelle ; puis la note." in hint
    assert not re.search(r"[Pp]ages? \d", hint)


def test_sub_territories_are_separated_by_semicolons_and_counted_from_the_notes(corpus, briefs):
    from mesra.batch.plan import default_territories

    noted = set(default_territories(corpus))
    for t, brief in briefs.items():
        below = noted_below(brief)
        assert set(below) == {x for x in corpus.territory_ids(t)[1:] if x in noted}, t
        line = next((p for p in brief.header().paragraphs if p.startswith("Sous-territoires inclus")), None)
        if not below:
            assert line is None, t
            continue
        # every sub-territory is named (twenty-seventh reading: France's « et 12 autres » were never listed),
        # each under the highest of them that contains it
        assert "autre" not in line, (t, line)
        listed = line.removeprefix("Sous-territoires inclus : ").removesuffix(".").rstrip(")")
        items = re.split(r" ; | \(|\) ; ", listed)
        assert sorted(items) == sorted(corpus.territory_name(x) for x in below), (t, line)
    fr = next(p for p in briefs["fr"].header().paragraphs if p.startswith("Sous-territoires"))
    assert "CA de Béthune-Bruay, Artois-Lys Romane ;" in fr  # a comma inside a name is not a separator
    assert "Hauts-de-France (CA de Béthune-Bruay, Artois-Lys Romane ; CU d'Arras ; Pas-de-Calais) ;" in fr
    assert "Occitanie (Gard)" in fr


# --- 3. a part is referred to by its real title ----------------------------------------------------------
def test_the_network_notes_refer_to_the_advocacy_part_by_its_title(briefs, pages):
    net = str(briefs["fr"].network_method())  # the method in full is on the researchers' page
    assert f"« {titles.FICHE['advocacy']} »" in net and "(section 4)" not in net
    assert f"« {titles.NOTE['planned']} »" in str(briefs["fr"].network_section())
    assert titles.FICHE["advocacy"] in [p.title for p in briefs["fr"].fiche().parts]
    for t, text in pages.items():
        for n in re.findall(r"\(section (\d+)\)", text):  # a section named by number is the one printed so
            assert any(v.startswith(f"{n}. ") for v in titles.NOTE.values()), (t, n)


# --- 4. a plan without follow-up is neither late nor on time; the chantier's plan is not the person's ----
def test_without_follow_up_nothing_is_said_late_or_on_time(pages):
    for t, text in pages.items():
        assert "n'est dite en retard" not in text and "à l'heure" not in text, t
        assert "son plan compte" not in text and "à son plan" not in text, t
    assert "l'état des actions depuis n'est pas connu" in pages["occitanie"]
    assert "le plan du chantier compte" in pages["occitanie"]


# --- 5. axes d'analyse (note de cadrage) apart from the seminar's chantiers -----------------------------
def test_axes_of_the_note_de_cadrage_are_never_bare_axes(pages):
    for t, text in pages.items():
        assert not re.search(r"des éléments pour (les axes|l'axe) (?!d'analyse)", text), t
        assert not re.search(r"pour l'axe \d", text), t
    bfc = pages["bourgogne-franche-comte"]
    assert "des éléments pour les axes d'analyse" in bfc.lower()
    assert (
        "(thème du chantier de l'Axe 2)" in bfc
        and "Accompagnement des petites organisations (thème du chantier de l'Axe 3)" in bfc
    )
    assert titles.NOTE["practices"] in bfc and "(chantiers des Axes 2 et 3)" in titles.NOTE["practices"]


# --- 6. excerpts: no markup, cut at a word boundary ------------------------------------------------------
def test_an_excerpt_never_prints_html_markup(corpus, pages):
    # L166 is the seminar's programme, an HTML table pasted as <p> cells; two ties cite it
    assert "<p>" in corpus.source_texts["actes-coconstruire-2019"].splitlines()[165]
    said = excerpt(corpus.source_texts["actes-coconstruire-2019"], "L166")
    assert said.startswith("LUNDI 2/12 14H-16H ACCUEIL DES PARTICIPANTS") and "<" not in said
    assert plain("<p>LUNDI 2/12</p> <p>DINER</p>") == "LUNDI 2/12 DINER"
    for t, text in pages.items():
        assert not re.search(r"</?p>|<br", text), t


def test_a_cut_quote_ends_on_a_whole_word(corpus, pages):
    assert cut("ARDES : Expérimentation Territoires Zéro Chômeur", 30) == "ARDES : Expérimentation…"
    assert _first_sentence("ARDES : Expérimentation Territoires Zéro Chômeur de Longue Durée", 30).endswith(
        "Expérimentation…"
    )
    source = corpus.source_texts["actes-coconstruire-2019"]
    said = [x for col in ("contexte", "resultats", "objectifs") for xs in corpus.monographies[col] for x in xs]
    names = " ".join([*corpus.acteurs["nom"], *corpus.monographies["titre"], *corpus.actions["intitule"], *said])
    words = set(re.findall(r"[\w'’-]+", " ".join(plain(line) for line in source.splitlines()) + " " + names))
    cut_words = {m for text in pages.values() for m in re.findall(r"([\w'’-]+)…", text)}
    assert cut_words, "no quote is cut in any page"
    partial = sorted(w for w in cut_words if w not in words and not w[:1].isdigit())
    assert not partial, partial[:10]


# --- 7. a thin fiche names what it has ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("territoire", "said", "line"),
    [
        ("centre-val-de-loire", "CRE-SOL est membre du Mouvement pour l'Économie Solidaire", "L54"),
        ("bretagne", "à titre d'exemple possible seulement, les sources citent la CRESS Bretagne", "L451"),
        ("provence-alpes-cote-d-azur", "Avec Nous apparaît seulement aux côtés de PoleS", "L448"),
    ],
)
def test_a_thin_fiche_names_its_few_actors_and_what_the_corpus_says(briefs, territoire, said, line):
    findings = briefs[territoire].key_findings()
    thin = findings.bullets[0]
    assert thin.startswith("Le corpus documente encore peu ce territoire") and said in thin
    assert f"actes-coconstruire-2019#{line}" in findings.sources
    for name in briefs[territoire].actors["nom"]:
        assert name in thin
