"""Every relation sentence a brief can produce reads as written French: articles contracted, verbs agreed.

A table of actor × relation → the exact sentence. The actors are those of the
proceedings, with the article the contract gives them (``acteurs.article``).
"""

from __future__ import annotations

import pytest

from mesra import french
from mesra.corpus import contract

REGION = ("Région Occitanie", "la")
MOUVEMENT = ("Mouvement pour l'Économie Solidaire", "le")
APES = ("APES", "l'")
INSTANCES = ("Instances régionales", "les")
OPALE = ("Opale", None)
ARDES = ("ARDES", None)
KPSENS = ("KPsens", None)

#: (target, relation) → the role phrase of a brief (« Rôle dans les ateliers et au-delà »).
ROLES = {
    (MOUVEMENT, "membre_de"): "membre du Mouvement pour l'Économie Solidaire",
    (REGION, "membre_de"): "membre de la Région Occitanie",
    (APES, "membre_de"): "membre de l'APES",
    (INSTANCES, "membre_de"): "membre des Instances régionales",
    (ARDES, "membre_de"): "membre d'ARDES",
    (KPSENS, "membre_de"): "membre de KPsens",
    (MOUVEMENT, "participe_a"): "participe au Mouvement pour l'Économie Solidaire",
    (REGION, "participe_a"): "participe à la Région Occitanie",
    (APES, "participe_a"): "participe à l'APES",
    (INSTANCES, "participe_a"): "participe aux Instances régionales",
    (OPALE, "participe_a"): "participe à Opale",
    (REGION, "plaide_aupres_de"): "plaide auprès de la Région Occitanie",
    (MOUVEMENT, "plaide_aupres_de"): "plaide auprès du Mouvement pour l'Économie Solidaire",
    (APES, "plaide_aupres_de"): "plaide auprès de l'APES",
    (INSTANCES, "plaide_aupres_de"): "plaide auprès des Instances régionales",
    (OPALE, "plaide_aupres_de"): "plaide auprès d'Opale",
    (KPSENS, "plaide_aupres_de"): "plaide auprès de KPsens",
    (REGION, "partenaire_de"): "partenaire de la Région Occitanie",
    (MOUVEMENT, "partenaire_de"): "partenaire du Mouvement pour l'Économie Solidaire",
    (OPALE, "partenaire_de"): "partenaire d'Opale",
    (REGION, "finance"): "soutient financièrement la Région Occitanie",
    (APES, "accompagne"): "accompagne l'APES",
    (INSTANCES, "represente"): "représente les Instances régionales",
    (OPALE, "porte"): "porte Opale",
    (MOUVEMENT, "co_organise"): "co-organise le Mouvement pour l'Économie Solidaire",
    (KPSENS, "developpe"): "développe KPsens",
    (APES, "utilise"): "utilise l'APES",
}


@pytest.mark.parametrize(("target", "relation"), sorted(ROLES), ids=lambda x: x if isinstance(x, str) else x[0])
def test_role_phrase(target, relation):
    assert french.relation(relation, [target]) == ROLES[(target, relation)]
    assert french.relation(relation, target[0], target[1]) == ROLES[(target, relation)]


#: (subjects, relation, target) → the clause of a brief (« X et Y sont membres du Mouvement »).
SENTENCES = [
    ([ARDES], "membre_de", MOUVEMENT, "ARDES est membre du Mouvement pour l'Économie Solidaire"),
    ([APES, ARDES], "membre_de", MOUVEMENT, "l'APES et ARDES sont membres du Mouvement pour l'Économie Solidaire"),
    ([REGION], "participe_a", INSTANCES, "la Région Occitanie participe aux Instances régionales"),
    (
        [REGION, OPALE],
        "participe_a",
        MOUVEMENT,
        "la Région Occitanie et Opale participent au Mouvement pour l'Économie Solidaire",
    ),  # fmt: skip
    ([INSTANCES], "plaide_aupres_de", REGION, "les Instances régionales plaident auprès de la Région Occitanie"),
    ([OPALE, KPSENS], "plaide_aupres_de", APES, "Opale et KPsens plaident auprès de l'APES"),
    ([OPALE, KPSENS], "partenaire_de", REGION, "Opale et KPsens sont partenaires de la Région Occitanie"),
    ([REGION], "finance", OPALE, "la Région Occitanie soutient financièrement Opale"),
    ([REGION, APES], "finance", OPALE, "la Région Occitanie et l'APES soutiennent financièrement Opale"),
    ([OPALE], "porte", ("DLA", "le"), "Opale porte le DLA"),
    ([OPALE, KPSENS], "utilise", ("DLA", "le"), "Opale et KPsens utilisent le DLA"),
    ([APES, ARDES], "accompagne", KPSENS, "l'APES et ARDES accompagnent KPsens"),
    ([APES, ARDES], "co_organise", ("Séminaire", "le"), "l'APES et ARDES co-organisent le Séminaire"),
    ([APES, ARDES], "represente", MOUVEMENT, "l'APES et ARDES représentent le Mouvement pour l'Économie Solidaire"),
    ([APES, ARDES], "developpe", ("EVALUMIP", None), "l'APES et ARDES développent EVALUMIP"),
]


@pytest.mark.parametrize(("subjects", "relation", "target", "expected"), SENTENCES, ids=[s[3] for s in SENTENCES])
def test_sentence(subjects, relation, target, expected):
    assert french.sentence(subjects, relation, [target]) == expected


def test_every_relation_of_the_contract_has_its_words():
    assert set(french.RELATION_WORDS) == set(contract.RELATIONS)
    for rel in contract.RELATIONS:  # the role phrase starts with the workbook's label of the relation; a funding
        # is a financial support, as the proceedings say it (« avec le soutien financier de », L1090; twenty-eighth
        # reading: « a financé » read as the whole cost)
        said = french.relation(rel, "X")
        assert said.startswith("soutient financièrement" if rel == "finance" else contract.label(rel).split(" ")[0])


def test_several_targets_each_take_their_preposition():
    assert (
        french.relation("membre_de", [MOUVEMENT, REGION, ARDES])
        == "membre du Mouvement pour l'Économie Solidaire, de la Région Occitanie et d'ARDES"
    )
    assert french.relation("participe_a", [INSTANCES, OPALE]) == "participe aux Instances régionales et à Opale"


def test_articles_as_spreadsheets_write_them():
    # a typographic apostrophe, capitals or spaces read as the contract's article; an unknown one as none
    assert french.of("APES", "L’") == "de l'APES"
    assert french.to("Mouvement", " Le ") == "au Mouvement"
    assert french.the("Opale", float("nan")) == "Opale"
    assert french.of("Opale", "") == "d'Opale"


def test_the_helpers_work_as_template_filters():
    # issue 21 moves the wording to Jinja2 templates: value first, then the filter's arguments
    jinja2 = pytest.importorskip("jinja2")
    env = jinja2.Environment(autoescape=True)
    env.filters.update(of=french.of, to=french.to, the=french.the, relation=french.relation)
    template = env.from_string("{{ nom|the(article) }} {{ rel|relation(cible, art) }}")
    out = template.render(nom="Région Occitanie", article="la", rel="plaide_aupres_de", cible="Mouvement", art="le")
    assert out == "la Région Occitanie plaide auprès du Mouvement"


def test_an_unknown_relation_is_refused():
    with pytest.raises(ValueError, match="relation inconnue"):
        french.relation("collabore", "Opale")


def test_brief_relation_sentences_use_the_articles(tmp_path):
    # the brief's "what the corpus says" lines and people's roles read with the corpus's articles
    import shutil

    from helpers import FIXTURES

    import mesra

    root = tmp_path / "corpus"
    shutil.copytree(FIXTURES / "mini", root)
    acteurs = (root / "acteurs.csv").read_text(encoding="utf-8").splitlines()
    acteurs[0] += ",article"
    articles = {"reseau-alpha": "le", "cooperative-beta": "la", "collectif-gamma": "le", "mairie-ales": "la"}
    acteurs[1:] = [line + "," + articles.get(line.split(",")[0], "") for line in acteurs[1:]]
    (root / "acteurs.csv").write_text("\n".join(acteurs) + "\n", encoding="utf-8")
    brief = mesra.Brief(mesra.load_corpus(root), "occitanie")
    roles = brief.people_section().tables[0].frame["Rôle dans les ateliers et au-delà"]
    assert list(roles) == ["représente le Réseau Alpha"]
    said = brief._what_else("collectif-gamma")
    assert "la Coopérative Bêta est membre du Collectif Gamma" in said
