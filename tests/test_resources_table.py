"""The resource centre's hand table: ``ressources.csv`` + ``ressources/*.md`` read, checked and merged (issue 25).

Every row below is a synthetic example written for the test (the small corpus ``tests/fixtures/mini``).
"""

from __future__ import annotations

import pytest

import mesra
from mesra.analysis.resources.derive import derive, derived
from mesra.analysis.resources.merge import BODY_TITLE
from mesra.corpus import contract
from mesra.corpus.privacy import pseudonymise

HEADER = "ressource_id,type,titre,resume,territoires,themes,axes,acteurs,date,source,auteur,licence,statut\n"


def _write(folder, rows: str, bodies: dict[str, str] | None = None):
    (folder / "ressources.csv").write_text(HEADER + rows, encoding="utf-8")
    if bodies:
        (folder / "ressources").mkdir(exist_ok=True)
        for name, text in bodies.items():
            (folder / "ressources" / name).write_text(text, encoding="utf-8")


def _messages(folder) -> list[str]:
    return [f"{p.file}:{p.line}: {p.field}: {p.message}" for p in mesra.check_corpus(folder)]


def test_model_kinds_are_the_contract_kinds():
    from mesra.analysis.resources.model import KINDS

    assert tuple(KINDS) == contract.RESOURCE_KINDS


def test_override_and_new_resource(mini_dir):
    _write(
        mini_dir,
        "portrait-reseau-alpha,portrait,,Résumé écrit à la main (exemple synthétique),,coopération|emploi,2,,2024-05,"
        "doc-test#L2,Équipe du centre,CC BY-SA 4.0,relu\n"
        "outil-guide-exemple,outil,Guide d'exemple (synthétique),,gard,évaluation,2,cooperative-beta,2024,"
        "doc-test#L3,,,en usage\n",
        {"portrait-reseau-alpha.md": "## Histoire\n\nTexte *synthétique*.\n", "outil-guide-exemple.md": "Étapes.\n"},
    )
    assert _messages(mini_dir) == []
    corpus = mesra.load_corpus(mini_dir)
    base = {r.ressource_id: r for r in derived(corpus)}
    merged = {r.ressource_id: r for r in derive(corpus)}
    assert set(merged) == set(base) | {"outil-guide-exemple"}
    before, after = base["portrait-reseau-alpha"], merged["portrait-reseau-alpha"]
    assert after.derived and after.title == before.title  # empty cell: the derived value stays
    assert after.summary == "Résumé écrit à la main (exemple synthétique)"
    assert after.territoires == before.territoires and after.acteurs == before.acteurs
    assert after.themes == ("coopération", "emploi") and after.axes == ("2",)
    assert (after.date, after.author, after.licence, after.status) == (
        "2024-05",
        "Équipe du centre",
        "CC BY-SA 4.0",
        "relu",
    )
    assert [c.locator for c in after.citations] == ["doc-test#L2"] and after.citations[0].text
    assert after.sections[0].title == BODY_TITLE and "synthétique" in after.sections[0].markdown
    assert after.sections[1:] == before.sections
    new = merged["outil-guide-exemple"]
    assert not new.derived and new.kind == "outil" and new.title == "Guide d'exemple (synthétique)"
    assert new.territoires == ("gard",) and new.acteurs == ("cooperative-beta",)
    assert new.sections[0].markdown == "Étapes."
    df = mesra.ressources(corpus)
    assert df.set_index("ressource_id").loc["outil-guide-exemple", "derivee"] is False


def test_hand_table_changes_the_fingerprint(mini_dir):
    plain = mesra.load_corpus(mini_dir).hash
    _write(mini_dir, "portrait-reseau-alpha,,,,,,,,,,,,relu\n")
    assert mesra.load_corpus(mini_dir).hash != plain


def test_row_without_title_completes_an_actor(mini_dir):
    _write(mini_dir, "veille-collectif-gamma,veille,,Suivi des appels à projets (exemple synthétique),,,,,,,,,\n")
    assert _messages(mini_dir) == []
    merged = {r.ressource_id: r for r in derive(mesra.load_corpus(mini_dir))}
    r = merged["veille-collectif-gamma"]
    assert r.title == "Collectif Gamma" and not r.derived and r.kind == "veille"


@pytest.mark.parametrize(
    "row, expected",
    [
        ("Outil-X,outil,Titre,Résumé,,,,,,,,,\n", "ressources.csv:2: ressource_id: identifiant « Outil-X » invalide"),
        ("fiche-x,outil,Titre,Résumé,,,,,,,,,\n", "ressources.csv:2: ressource_id: identifiant « fiche-x » invalide"),
        ("outil-x,outill,Titre,Résumé,,,,,,,,,\n", "ressources.csv:2: type: valeur « outill » hors vocabulaire"),
        ("outil-x,portrait,Titre,Résumé,,,,,,,,,\n", "ressources.csv:2: type: type « portrait » différent"),
        ("outil-x,outil,Titre,Résumé,,,,inconnu,,,,,\n", "ressources.csv:2: acteurs: identifiant « inconnu » inconnu"),
        (
            "outil-x,outil,Titre,Résumé,nulle-part,,,,,,,,\n",
            "ressources.csv:2: territoires: identifiant « nulle-part »",
        ),
        ("outil-x,outil,Titre,Résumé,,,7,,,,,,\n", "ressources.csv:2: axes: axe « 7 » invalide"),
        ("outil-x,outil,Titre,Résumé,,,,,2024-13,,,,\n", "ressources.csv:2: date:"),
        ("outil-x,outil,Titre,Résumé,,,,,,doc-test#L99,,,\n", "ressources.csv:2: source: lignes 99-99 hors du texte"),
        ("outil-x,outil,Titre,Résumé,,,,,,autre#L1,,,\n", "ressources.csv:2: source: source « autre » inconnue"),
        ("outil-x,outil,,Résumé,,,,,,,,,\n", "ressources.csv:2: titre: titre manquant"),
        ("outil-x,outil,Titre,,,,,,,,,,\n", "ressources.csv:2: resume: ressource « outil-x » sans texte"),
        (
            "outil-x,outil,A,B,,,,,,,,,\noutil-x,outil,A,B,,,,,,,,,\n",
            "ressources.csv:3: ressource_id: identifiant « outil-x » en double",
        ),
    ],
)
def test_validation_messages(mini_dir, row, expected):
    _write(mini_dir, row)
    messages = _messages(mini_dir)
    assert any(m.startswith(expected) for m in messages), messages


def test_body_files_are_checked(mini_dir):
    _write(mini_dir, "outil-x,outil,Titre,,,,,,,,,,\n", {"outil-y.md": "Texte.", "Mauvais Nom.md": "Texte."})
    messages = _messages(mini_dir)
    assert any(m.startswith("ressources/outil-y.md:1: fichier: corps sans ligne dans ressources.csv") for m in messages)
    assert any(m.startswith("ressources/Mauvais Nom.md:1: fichier: nom « Mauvais Nom.md » invalide") for m in messages)
    assert any(m.startswith("ressources.csv:2: resume: ressource « outil-x » sans texte") for m in messages)
    with pytest.raises(mesra.CorpusError):
        mesra.load_corpus(mini_dir)


def test_hand_table_is_pseudonymised(mini_dir):
    person = mesra.load_corpus(mini_dir).personnes.iloc[0]
    name = f"{person['prenom']} {person['nom']}"
    _write(
        mini_dir, f"portrait-reseau-alpha,,,Entretien avec {name},,,,,,,{name},,\n", {"portrait-reseau-alpha.md": name}
    )
    masked = pseudonymise(mesra.load_corpus(mini_dir))
    assert str(person["nom"]) not in str(masked.ressources.iloc[0]["auteur"])
    assert str(person["nom"]) not in str(masked.ressources.iloc[0]["resume"])
    assert str(person["nom"]) not in masked.ressource_bodies["portrait-reseau-alpha"]


def test_hand_files_are_part_of_the_corpus_listing(mini_dir):
    """A kernel's parsed corpus is stale when ressources.csv or a body is added (mesra.batch.preparsed)."""
    from mesra.batch.preparsed import corpus_listing

    _write(mini_dir, "outil-x,outil,Titre,Résumé,,,,,,,,,\n", {"outil-x.md": "Texte."})
    names = {p.relative_to(mini_dir).as_posix() for p in corpus_listing(mini_dir)}
    assert {"ressources.csv", "ressources/outil-x.md"} <= names
