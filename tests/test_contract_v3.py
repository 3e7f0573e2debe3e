"""Contract v3 in code: attestation, article and roles loaded; readings that follow attestation.

Synthetic corpora (copies of ``tests/fixtures/mini``, labelled synthetic) with the
v3 columns added; each reading's rule checked in both directions.
"""

from __future__ import annotations

import shutil

import pytest
from helpers import FIXTURES

import mesra
from mesra import ParameterError
from mesra.corpus import contract
from mesra.corpus.load import check_corpus, load_corpus

LIENS_HEADER = "source_id,cible_id,relation,axe,echelon,annee,source,attestation"
# Synthetic: a scheme (projet-delta stands for the DLA) carried by one, used by two others;
# an intention and an example between organisations.
EXTRA_ACTORS = [
    "asso-un,Association Un,,association,occitanie,local,false,doc-test#L2,l'",
    "asso-deux,Association Deux,,association,occitanie,local,false,doc-test#L2,",
    "fiche-action,Fiche-action synthétique,,projet,occitanie,regional,,doc-test#L7,la",
]
LIENS = [
    "reseau-alpha,cooperative-beta,accompagne,1,local,2019,doc-test#L2,constate",
    "cooperative-beta,collectif-gamma,membre_de,,national,,doc-test#L3,",
    "reseau-alpha,projet-delta,porte,1,local,,doc-test#L5,constate",
    "asso-un,projet-delta,utilise,1,local,,doc-test#L5,constate",
    "asso-deux,projet-delta,utilise,1,local,,doc-test#L5,constate",
    "jeanne-martin,reseau-alpha,represente,,regional,,doc-test#L4,",
    "reseau-alpha,fiche-action,porte,1,regional,,doc-test#L7,prevu",
    "asso-un,fiche-action,participe_a,1,regional,,doc-test#L7,prevu",
    "reseau-alpha,asso-deux,partenaire_de,1,local,,doc-test#L7,prevu",
    "cooperative-beta,asso-deux,partenaire_de,1,local,,doc-test#L6,envisage",
    "reseau-alpha,collectif-gamma,plaide_aupres_de,,national,,doc-test#L7,prevu",
    "cooperative-beta,collectif-gamma,plaide_aupres_de,,national,,doc-test#L3,constate",
]


@pytest.fixture
def v3(tmp_path):
    root = tmp_path / "corpus"
    shutil.copytree(FIXTURES / "mini", root)
    acteurs = (root / "acteurs.csv").read_text(encoding="utf-8").splitlines()
    acteurs = [acteurs[0] + ",article", *(line + "," for line in acteurs[1:]), *EXTRA_ACTORS]
    (root / "acteurs.csv").write_text("\n".join(acteurs) + "\n", encoding="utf-8")
    (root / "liens.csv").write_text("\n".join([LIENS_HEADER, *LIENS]) + "\n", encoding="utf-8")
    return root


# --- loading ----------------------------------------------------------------------------------
def test_attestation_defaults_to_constate():
    c = load_corpus(FIXTURES / "mini")  # no attestation column
    assert set(c.liens["attestation"]) == {"constate"}


def test_attestation_article_and_roles_are_loaded(v3):
    c = load_corpus(v3)
    assert c.liens["attestation"].value_counts().to_dict() == {"constate": 7, "prevu": 4, "envisage": 1}
    assert dict(zip(c.acteurs["acteur_id"], c.acteurs["article"]))["asso-un"] == "l'"
    assert list(c.roles["fonction"]) == ["Présidente", "Autrice de la synthèse"]
    assert list(c.roles.columns) == list(contract.TABLES["roles"].column_names)


def test_roles_frame_is_empty_with_its_columns_when_absent(tmp_path):
    root = tmp_path / "c"
    shutil.copytree(FIXTURES / "mini", root)
    (root / "roles.csv").unlink()
    c = load_corpus(root)
    assert len(c.roles) == 0 and list(c.roles.columns) == ["personne_id", "acteur_id", "fonction", "source"]


def test_roles_are_pseudonymised():
    c = load_corpus(FIXTURES / "mini", pseudonymiser=True)
    assert "jeanne-martin" not in set(c.roles["personne_id"])
    assert set(c.roles["personne_id"]) == set(c.personnes["personne_id"])


@pytest.mark.parametrize(
    ("file", "line_from", "line_to", "field", "message"),
    [
        ("liens.csv", ",constate\n", ",observe\n", "attestation", "« observe »"),
        ("acteurs.csv", "doc-test#L2,l'\n", "doc-test#L2,Le\n", "article", "« Le »"),
        ("roles.csv", "Présidente", "", "fonction", "manquante"),
    ],
)
def test_check_reports_bad_v3_values(v3, file, line_from, line_to, field, message):
    path = v3 / file
    text = path.read_text(encoding="utf-8")
    assert line_from in text
    path.write_text(text.replace(line_from, line_to, 1), encoding="utf-8")
    problems = check_corpus(v3)
    assert len(problems) == 1, problems
    p = problems[0]
    assert (p.file, p.field) == (file, field) and message in p.message, str(p)


# --- readings -----------------------------------------------------------------------------------
def edges(g):
    return {tuple(sorted(e)) for e in g.edges()}


def test_cooperation_counts_observed_ties_by_default(v3):
    c = load_corpus(v3)
    g = mesra.cooperation_graph(c, "occitanie")
    assert g.graph["attestations"] == ["constate"]
    # reseau-alpha carries the scheme, asso-un and asso-deux use it: no tie through it
    assert edges(g) == {("cooperative-beta", "reseau-alpha")}
    assert all(d["attestation"] == "constate" for *_, d in g.edges(data=True))


def test_the_planned_reading_adds_intentions_and_keeps_the_observed(v3):
    c = load_corpus(v3)
    observed = mesra.cooperation_graph(c, "occitanie")
    planned = mesra.cooperation_graph(c, "occitanie", attestations=("constate", "prevu"))
    assert edges(observed) < edges(planned)
    assert edges(planned) - edges(observed) == {("asso-deux", "reseau-alpha"), ("asso-un", "reseau-alpha")}
    assert planned.edges["asso-un", "reseau-alpha"]["contextes"] == ["fiche-action"]
    table = mesra.planned_cooperations(c, "occitanie")
    assert list(zip(table["organisation_a"], table["organisation_b"])) == [
        ("asso-deux", "reseau-alpha"),
        ("asso-un", "reseau-alpha"),
    ]
    assert list(table["sources"].iloc[1]) == ["doc-test#L7"]


def test_a_context_only_intentions_make_too_large_keeps_its_observed_pairs(v3):
    # synthetic: three observed carriers of projet-delta, and asso-deux planned: with at most 3,
    # the planned reading keeps the three observed pairs and adds none through the context
    text = (v3 / "liens.csv").read_text(encoding="utf-8")
    text = text.replace("asso-un,projet-delta,utilise", "asso-un,projet-delta,porte")
    text += "cooperative-beta,projet-delta,finance,1,local,,doc-test#L5,constate\n"
    text += "asso-deux,projet-delta,participe_a,1,local,,doc-test#L7,prevu\n"
    (v3 / "liens.csv").write_text(text, encoding="utf-8")
    c = load_corpus(v3)
    observed = mesra.cooperation_graph(c, "occitanie", taille_max_contexte=3)
    planned = mesra.cooperation_graph(c, "occitanie", taille_max_contexte=3, attestations=contract.PLANNED)
    assert edges(observed) <= edges(planned)
    assert planned.graph["contextes_larges_prevus"] == {"projet-delta": 4}
    assert not planned.has_edge("asso-deux", "cooperative-beta")


def test_envisaged_ties_are_leads_never_counts(v3):
    c = load_corpus(v3)
    for atts in (("constate",), ("constate", "prevu")):
        assert not mesra.cooperation_graph(c, "occitanie", attestations=atts).has_edge("cooperative-beta", "asso-deux")
    with pytest.raises(ParameterError, match="pistes"):
        mesra.cooperation_graph(c, "occitanie", attestations=("constate", "envisage"))
    with pytest.raises(ParameterError, match="Attestation"):
        mesra.cooperation_graph(c, "occitanie", attestations=("observe",))
    found = mesra.leads(c, "occitanie")
    assert list(zip(found["source_id"], found["cible_id"], found["relation"])) == [
        ("cooperative-beta", "asso-deux", "partenaire_de")
    ]
    assert list(found["nom_cible"]) == ["Association Deux"]
    assert len(mesra.leads(c, "bretagne")) == 0


def test_utilise_never_attaches_to_a_context(v3):
    assert "utilise" not in contract.CONTEXT_RELATIONS
    c = load_corpus(v3)
    with pytest.raises(ParameterError, match="pratique"):
        mesra.cooperation_graph(c, relations_contexte=("porte", "utilise"))


def test_affiliation_follows_attestation(v3):
    c = load_corpus(v3)
    assert not mesra.affiliation_graph(c, "occitanie").has_node("asso-un")
    planned = mesra.affiliation_graph(c, "occitanie", attestations=contract.PLANNED)
    assert planned.has_edge("asso-un", "fiche-action")


def test_brief_advocacy_counts_observed_advocacy(v3):
    brief = mesra.Brief(load_corpus(v3), "occitanie")
    t = brief.advocacy_ties
    pairs = list(zip(t["source_id"], t["cible_id"], t["relation"]))
    assert ("cooperative-beta", "collectif-gamma", "plaide_aupres_de") in pairs
    assert ("reseau-alpha", "collectif-gamma", "plaide_aupres_de") not in pairs  # an intention of a plan
    planned = brief.planned_section()
    steps = " ".join([*brief.next_steps_section().bullets, *planned.paragraphs, *planned.bullets])
    # planned pairs are said as intentions, each name with the article the corpus gives it (none here)
    assert "Association Deux et Réseau Alpha (coopération prévue)" in steps
    assert "l'Association Deux" not in steps


# --- the workbook ----------------------------------------------------------------------------------
def test_workbook_has_roles_sheet_and_v3_vocabularies(v3, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    from mesra.corpus.spreadsheet import copy_companions, export_xlsx

    (tmp_path / "tableur").mkdir()  # a folder of its own (one source per table), with the source texts
    out = export_xlsx(v3, tmp_path / "tableur" / "corpus.xlsx")
    copy_companions(v3, tmp_path / "tableur")
    wb = openpyxl.load_workbook(out)
    assert "roles" in wb.sheetnames
    vocab = wb["vocabulaires"]
    columns = {vocab.cell(1, j).value: j for j in range(1, vocab.max_column + 1)}
    for name, codes in (("attestation", contract.ATTESTATIONS), ("article", contract.ARTICLES)):
        j = columns[name]
        assert [vocab.cell(i, j).value for i in range(2, 2 + len(codes))] == list(codes)
        labels = [vocab.cell(i, j + 1).value for i in range(2, 2 + len(codes))]
        assert all(labels) and labels != list(codes)
    liens = wb["liens"]
    header = [c.value for c in liens[1]]
    letter = openpyxl.utils.get_column_letter(header.index("attestation") + 1)
    assert any(letter in str(dv.sqref) for dv in liens.data_validations.dataValidation)
    # and the workbook reads back as the same corpus
    assert load_corpus(out).liens["attestation"].value_counts().to_dict() == {"constate": 7, "prevu": 4, "envisage": 1}
