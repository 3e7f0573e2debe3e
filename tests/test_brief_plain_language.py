"""Twenty-second round: the whole note in plain French for a reader who holds only the printed pages.

- no pointer to a page the reader lacks after each section (« Pour aller plus loin … version détaillée », « voir le
  centre de ressources »): the closing part says once what the researchers' version holds, and « À retenir »'s
  rest is in the annex;
- the acronyms the note uses are said in full, or by what the corpus knows of the organisation;
- the network's counts and the chantiers in words (no « paires », no « plus court chemin », each chantier's subject);
- the proceedings are the Mouvement's own account (L1060), said where the note names its source.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

import mesra
from mesra.analysis.brief import Brief, glossary, header, titles
from mesra.analysis.brief.wording import render
from mesra.analysis.counts import TieCount

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def corpus():
    return mesra.load_corpus()


@pytest.fixture(scope="module")
def occitanie(corpus):
    return Brief(corpus, "occitanie")


def _printed_text(b: Brief) -> str:
    """The note as the notebook shows it, without the glossary itself."""
    parts = [b.header(), b.fiche()]
    for build in (b.network_section, b.planned_section, b.monographs_section, b.practices_section, b.axes_section):
        parts.append(b.short(build()))
    parts += [b.short(b.next_steps_section()), b.lists_annex()]
    return html.unescape(re.sub(r"<[^>]+>", " ", "\n".join(p._repr_html_() for p in parts if p is not None)))


def test_the_glossary_says_each_acronym_the_note_uses_and_only_those(corpus, occitanie):
    said = " ".join(occitanie.glossary().paragraphs)
    # in full when the corpus gives the full name; otherwise what the corpus knows (L48: « ARDES, Normandie »)
    assert "MES : Mouvement pour l'Économie Solidaire ;" in said
    # its name's brackets (« ensemble des CRESS ») left out; a name the sources never write marked (twenty-sixth)
    assert "CRESS : Chambres régionales de l'ESS¹ ;" in said
    # the proceedings never spell these out (L48, L70): said so, with what the corpus knows (twenty-second reading:
    # « COORACE : fédération » read as an expansion)
    assert "ARDES : sigle non développé (réseau territorial membre du Mouvement ; Normandie) ;" in said
    assert "UFISC : Union fédérale d'intervention des structures culturelles¹" in said  # twenty-fourth reading
    assert "ESS : économie sociale et solidaire ;" in said
    assert "E2DS2 : transition économique, écologique, démocratique, sociale et sociétale" in said  # L33
    # only what the note uses: the TIESS (Québec, L650) is in France's note, not in Occitanie's
    text = _printed_text(occitanie)
    assert not glossary._found("TIESS", text) and "TIESS" not in said
    terms = [t.sigle for t in glossary.facts(occitanie, text).terms]
    assert terms == sorted(terms, key=str.casefold) and all(glossary._found(t, text) for t in terms)
    # every acronym of an actor that the printed note uses is there
    for sigle in occitanie.corpus.acteurs["sigle"].dropna():
        if glossary.is_acronym(str(sigle)) and glossary._found(str(sigle), text):
            assert f"{sigle} : " in said, sigle


def test_the_glossary_reads_the_note_without_changing_its_annex(corpus):
    """Twenty-second reading: France's annex printed the rest of two lists twice, under « 3. Le réseau de coopération »
    and « 9. Pistes pour la suite », parts the note does not have: the glossary had shortened them again."""
    b = Brief(corpus, "fr")
    for key in ("network", "planned", "monographs", "practices", "axes", "next_steps"):
        b.short(getattr(b, f"{key}_section")(), b.titles[key])  # as the notebook does
    before = [(title, t.caption, len(t.frame)) for title, t in b._annexed]
    b.glossary()
    annex = b.lists_annex()
    assert [(title, t.caption, len(t.frame)) for title, t in b._annexed] == before
    captions = [t.caption for t in annex.tables]
    assert len(captions) == len(set(captions)), captions
    assert not any(c.startswith(("3. Le réseau", "9. Pistes")) for c in captions)


def test_an_acronym_the_corpus_does_not_spell_out_is_said_by_what_it_knows():
    f = glossary.GlossaryFacts(
        (
            glossary.Term("ABC", None, "association", True, "Gard", None),
            glossary.Term("XYZ", None, None, False, None, None),
            glossary.Term("DLA", "Dispositif local d'accompagnement", None, False, None, None),
        )
    )
    said = " ".join(render("glossary", f=f).paragraphs)
    assert said.startswith(
        "ABC : sigle non développé (association membre du Mouvement ; Gard) ; XYZ : sigle non développé ; "
        "DLA : Dispositif local d'accompagnement."
    )
    assert "Les sources ne développent pas tous les sigles" in said
    full_only = glossary.GlossaryFacts(
        (glossary.Term("DLA", "Dispositif local d'accompagnement", None, False, None, None),)
    )
    assert "ne développe pas" not in " ".join(render("glossary", f=full_only).paragraphs)


def test_what_the_fiche_counts_without_naming_it_is_in_the_annex(occitanie):
    made = next(b for b in occitanie.key_findings().bullets if b.startswith("Ce que les acteurs du territoire"))
    n = int(re.search(r"et (\d+) autres \(liste en annexe de la note entière\)\.$", made).group(1))
    assert "centre de ressources" not in made
    annex = occitanie.lists_annex()
    (rest,) = [t for t in annex.tables if t.caption == titles.MADE_REST]
    assert len(rest.frame) == n
    assert "Label départemental basé sur l'auto-évaluation (KPsens), par KPsens" in list(rest.frame.iloc[:, 0])  # L532
    # none of the names « À retenir » says is repeated there
    assert not any(row.split(", par ")[0] in made for row in rest.frame.iloc[:, 0])


def test_the_resource_centre_is_on_screen_only_and_the_glossary_closes_the_note():
    nb = json.loads((ROOT / "notebooks" / "04-note-recherche-action.ipynb").read_text(encoding="utf-8"))
    cells = {"".join(c["source"]).strip(): c for c in nb["cells"]}
    assert "ecran" in cells["brief.resources()"]["metadata"].get("tags", [])
    order = [("".join(c["source"]).strip()) for c in nb["cells"]]
    assert order.index("brief.changes_section(note_precedente)") < order.index("brief.glossary()")
    assert order.index("brief.glossary()") < order.index("brief.lists_annex()")
    css = (ROOT / "mesra" / "batch" / "templates" / "mesra-rapport.html.j2").read_text(encoding="utf-8")
    assert ".celltag_ecran { display: none; }" in css


def test_the_network_is_counted_in_plain_words(corpus):
    fr = Brief(corpus, "fr")
    said = " ".join([*fr.network_section().paragraphs, *fr.network_section().notes, *fr.key_findings().bullets])
    assert "plus court chemin" not in said and "paire" not in said and "fait le plus le lien" not in said
    assert (
        "c'est par le MES que passent le plus de chemins entre deux organisations qui n'ont pas de lien direct" in said
    )
    assert "Ce qui les relie" in " ".join(Brief(corpus, "occitanie").network_section().paragraphs)
    idf = " ".join(Brief(corpus, "ile-de-france").network_section().paragraphs)
    # one project of six organisations is one project, not 15 pairs (L452, L910)
    assert "6 coopérations directes entre deux organisations" in idf and "et 1 projet, événement ou chantier" in idf
    most = "dont les sources nomment les organisations, celui qui en réunit le plus : Devenir paysan (6 organisations)."
    assert most in idf


def test_a_chantier_is_said_with_its_subject(corpus, occitanie):
    fiche = occitanie.fiche()
    titles_ = [p.title for p in fiche.parts]
    assert "Chantier de l'Axe 4 : plaidoyer en faveur d'une transition E2DS2" in titles_  # L154
    from mesra.analysis import plan as plans

    said = plans.plan_finding(corpus, plans.territory_plan(corpus, "occitanie"))[0]
    assert said.startswith(
        "Bérénice DONDEYNE (MES Occitanie) co-anime le chantier de l'Axe 4 (plaidoyer en faveur d'une transition "
        "E2DS2), référente, avec la coordination nationale"
    )
    bfc = plans.plan_finding(corpus, plans.territory_plan(corpus, "bourgogne-franche-comte"))[0]
    assert "chantier de l'Axe 1 (innovation sociale et citoyenne au service du développement des territoires)" in bfc


def test_a_text_by_one_of_the_actors_it_describes_is_said_to_be_its_own_account():
    def facts(own):
        return header.HeaderFacts(
            territoire="t", name="Pays imaginaire (exemple synthétique)", level="région", parents=("France",),
            below=(), below_groups=(), actors=3, people=0, ties=TieCount(2, 0), monographs=0, monograph_states=(),
            pseudonymised=False, texts=(("Compte rendu", "Réseau A", 2024),), own_report=own,
        )  # fmt: skip

    mine = " ".join(render("header", f=facts((("Réseau A", "le"),))).paragraphs)
    assert "« Compte rendu » (2024), un texte rédigé par le Réseau A lui-même" in mine
    other = " ".join(render("header", f=facts(())).paragraphs)
    assert "lui-même" not in other and "« Compte rendu » (Réseau A, 2024) ; chaque fait renvoie" in other


def test_twenty_third_reading_the_axe4_cartography_and_the_cress_as_the_text_says(corpus):
    # L884: « plaidoyer/sensibilisation/partenariats »; Devenir paysan (L910) is a partnership listed there, and the
    # part bears the cartography's heading rather than being said empty
    idf = Brief(corpus, "ile-de-france").fiche()
    (part,) = [p for p in idf.parts if p.title == titles.FICHE["advocacy"]]
    assert part.title == "Plaidoyer, sensibilisation et partenariats : où et pour quoi"
    assert any(b.startswith("Le Réseau des AMAP Île-de-France participe à Devenir paysan") for b in part.bullets)
    # L320: « une complémentarité avec la CRESS et de partenariat avec les collectivités »: no partnership with it
    t = corpus.liens
    assert not len(
        t[(t["source_id"] == "apes") & (t["cible_id"] == "cress-hauts-de-france") & (t["relation"] == "partenaire_de")]
    )
    hdf = Brief(corpus, "hauts-de-france")
    assert "partenaire de la CRESS" not in " ".join([*hdf.network_section().paragraphs, *hdf.key_findings().bullets])
    # sharing a network or a workshop is not cooperating (twenty-third reading: the APES and the MES Occitanie are
    # both members of the RIPESS Europe, L936)
    planned = Brief(corpus, "occitanie").planned_section().paragraphs[0]
    assert "ne rapportent encore aucune coopération entre ces organisations" in planned
    assert "aucun lien constaté" not in planned


def test_a_dated_practice_is_said_in_the_past_in_the_table_too(corpus):
    s = Brief(corpus, "bourgogne-franche-comte").practices_section()
    text = " ".join(s.paragraphs)
    assert "AGROSUP a accompagné le Pôle d'économie solidaire 21" in text  # L530, « tout au long de l'année 2019 »
    facts = dict(zip(s.tables[0].frame["Qui"], s.tables[0].frame["Fait"]))
    assert facts["AGROSUP"] == "a accompagné en 2019"


def test_twenty_fourth_reading_an_acronym_the_sources_leave_bare_is_said_in_full_with_its_address(corpus):
    # « UFISC, Culture » (L70), « RIPESS » (L936): the readers wanted the name, not « sigle non développé »; the names
    # come from public presentations of the organisations, each row with its address, and the page says so
    import csv

    path = ROOT / "mesra" / "analysis" / "brief" / glossary.KNOWN_FILE
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert rows and all(glossary.is_acronym(r["sigle"]) for r in rows)
    # each from a public page, or from the sources themselves (a line of the proceedings)
    assert all(r["developpe"].strip() and r["source"].startswith(("https://", "http://", "actes-")) for r in rows)
    assert len({r["sigle"] for r in rows}) == len(rows)
    said = " ".join(Brief(corpus, "ile-de-france").glossary().paragraphs)
    assert "UFISC : Union fédérale d'intervention des structures culturelles¹" in said
    assert "MIRAMAP : Mouvement inter-régional des AMAP¹" in said and "sigle non développé (fédération" not in said
    assert "¹ Nom absent des sources de la note : il est développé d'après une présentation publique" in said
    # a full name the sources never write is marked too (twenty-sixth reading: AMAP, MSH, IEP); one they write is not
    assert "AMAP : association pour le maintien d'une agriculture paysanne¹ ;" in said
    occitanie = " ".join(Brief(corpus, "occitanie").glossary().paragraphs)
    assert "MES : Mouvement pour l'Économie Solidaire ;" in occitanie
    # twenty-eighth reading: the RIPESS is named by the sources (L936), in their words, not marked
    assert "RIPESS : réseau intercontinental pour la promotion de l'Économie solidaire dans le monde ;" in occitanie


def test_twenty_fifth_reading_what_the_territory_does_with_a_named_local_authority_is_retained(corpus):
    # L322: « la nouvelle agglomération de Béthunes-Bruet a sollicité l'APES afin de réunir les 120 entreprises du
    # territoire »: the concrete fact an elected official needs, on the fiche of Hauts-de-France
    hdf = Brief(corpus, "hauts-de-france").key_findings().bullets
    (said,) = [b for b in hdf if b.startswith("Avec les collectivités, selon les sources : ")]
    assert "l'APES accompagne la Communauté d'agglomération de Béthune-Bruay" in said and "120 entreprises" in said
    # twenty-eighth reading: Boulogne's proposal (L322) too, said as a proposal, never as done
    assert said.endswith("; mise en récit du territoire et du développement de l'ESS, proposée par le territoire de "
                         "Boulogne (avec l'APES).")  # fmt: skip
    # never twice: where the pairs of the network say it already (the agglomeration's own note)
    ca = Brief(corpus, "ca-de-bethune-bruay-artois-lys-romane").key_findings().bullets
    assert sum("120 entreprises" in b for b in ca) == 1
    # a body standing for unnamed authorities is not one (« collectivités territoriales (non nommées) »)
    for t in ("normandie", "bourgogne-franche-comte"):
        assert not any("Avec les collectivités" in b for b in Brief(corpus, t).key_findings().bullets), t
