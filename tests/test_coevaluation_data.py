"""Co-evaluation data (issue 26): reading and validating ``evaluation/`` (referentials, campaigns, responses)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mesra.corpus import check_corpus, load_corpus
from mesra.corpus.evaluation import looks_like_a_name

FIXTURE = Path(__file__).parent / "fixtures" / "coevaluation"
MINI = Path(__file__).parent / "fixtures" / "mini"
REF = "evaluation/referentiels/utilite-sociale-v1.yaml"


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    out = tmp_path / "corpus"
    shutil.copytree(FIXTURE, out)
    return out


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _messages(folder: Path) -> list[str]:
    return [str(p) for p in check_corpus(folder)]


def test_the_synthetic_example_is_valid_and_loads():
    assert check_corpus(FIXTURE) == []
    ev = load_corpus(FIXTURE).evaluation
    assert ev.campaign_ids() == ["exemple-2023", "exemple-2024"]
    assert ev.campagnes["synthetique"].tolist() == [True, True]
    ref = ev.referential("utilite-sociale", 1)
    assert [d.id for d in ref.dimensions] == ["gouvernance", "territoire", "personnes", "progres"]
    r = ev.reponses
    assert len(r) == 208  # (4 + 5 + 3) × 8 questions in 2023, (4 + 5 + 3 + 2) × 8 in 2024
    assert int(r["nsp"].sum()) == 9
    assert int(r["valeur"].isna().sum()) == 10  # 9 « ne sait pas » and one answer left empty


def test_a_corpus_without_evaluation_is_empty_and_keeps_its_fingerprint(tmp_path):
    corpus = load_corpus(MINI)
    assert corpus.evaluation.campaign_ids() == []
    assert len(corpus.evaluation.reponses) == 0
    copy = tmp_path / "mini"
    shutil.copytree(MINI, copy)
    (copy / "evaluation").mkdir()  # an empty folder: nothing more
    assert check_corpus(copy) == []
    assert load_corpus(copy).hash == corpus.hash


def test_evaluation_files_change_the_fingerprint(corpus_dir):
    before = load_corpus(corpus_dir).hash
    _edit(
        corpus_dir / "evaluation/reponses.csv",
        "exemple-2024,e01,soi,q-besoins-1,4",
        "exemple-2024,e01,soi,q-besoins-1,3",
    )
    assert load_corpus(corpus_dir).hash != before


def test_bad_level(corpus_dir):
    _edit(
        corpus_dir / "evaluation/reponses.csv",
        "exemple-2024,e01,soi,q-besoins-1,4",
        "exemple-2024,e01,soi,q-besoins-1,7",
    )
    (msg,) = _messages(corpus_dir)
    assert msg.startswith("evaluation/reponses.csv:")
    assert "niveau: niveau « 7 » invalide pour « q-besoins-1 » : attendu 1, 2, 3, 4, « nsp »" in msg


def test_unknown_question_and_campaign(corpus_dir):
    _edit(
        corpus_dir / "evaluation/reponses.csv", "exemple-2024,e01,soi,q-besoins-1,", "exemple-2024,e01,soi,q-besoin-1,"
    )
    _edit(
        corpus_dir / "evaluation/reponses.csv", "exemple-2024,e02,soi,q-besoins-1,", "exemple-2025,e02,soi,q-besoins-1,"
    )
    msgs = _messages(corpus_dir)
    assert any("question_id: question « q-besoin-1 » inconnue dans « utilite-sociale » version 1" in m for m in msgs)
    assert any("campagne_id: campagne « exemple-2025 » inconnue" in m for m in msgs)
    assert len(msgs) == 2


def test_referential_version_not_found(corpus_dir):
    _edit(
        corpus_dir / "evaluation/campagnes.csv",
        "utilite-sociale,1,epicerie-exemple,,2024",
        "utilite-sociale,2,epicerie-exemple,,2024",
    )
    msgs = _messages(corpus_dir)
    assert any(
        "campagnes.csv:3: version: version « 2 » du référentiel « utilite-sociale » introuvable "
        "(versions présentes : 1)" in m
        for m in msgs
    ), msgs


def test_mixed_referential_versions_in_one_campaign(corpus_dir):
    ref2 = corpus_dir / "evaluation/referentiels/utilite-sociale-v2.yaml"
    text = (corpus_dir / REF).read_text(encoding="utf-8").replace("version: 1", "version: 2")
    ref2.write_text(text.replace("q-besoins-1", "q-besoins-2024"), encoding="utf-8")
    _edit(
        corpus_dir / "evaluation/reponses.csv",
        "exemple-2024,e01,soi,q-besoins-1,",
        "exemple-2024,e01,soi,q-besoins-2024,",
    )
    (msg,) = _messages(corpus_dir)
    assert "la question « q-besoins-2024 » appartient à la version 2 du référentiel « utilite-sociale »" in msg
    assert "la campagne utilise la version 1 : une campagne ne mélange pas deux versions" in msg


def test_duplicate_ids(corpus_dir):
    _edit(corpus_dir / REF, "id: q-transparence-1", "id: q-participation-1")
    _edit(corpus_dir / "evaluation/campagnes.csv", "exemple-2024,", "exemple-2023,")
    msgs = _messages(corpus_dir)
    assert any(m.startswith(f"{REF}:") and "question « q-participation-1 » en double" in m for m in msgs), msgs
    assert any("campagnes.csv:3: campagne_id: campagne « exemple-2023 » en double" in m for m in msgs), msgs


def test_the_same_answer_twice(corpus_dir):
    path = corpus_dir / "evaluation/reponses.csv"
    path.write_text(path.read_text(encoding="utf-8") + "exemple-2024,e01,soi,q-besoins-1,3,,\n", encoding="utf-8")
    (msg,) = _messages(corpus_dir)
    assert "« e01 » a déjà répondu à « q-besoins-1 »" in msg


def test_an_evaluator_id_that_looks_like_a_name(corpus_dir):
    _edit(corpus_dir / "evaluation/reponses.csv", "exemple-2024,e01,", "exemple-2024,Marie Dupont,", count=8)
    msgs = _messages(corpus_dir)
    assert len(msgs) == 8
    assert "evaluateur_id: « Marie Dupont » ressemble à un nom de personne" in msgs[0]
    assert looks_like_a_name("Jean-Paul Martin") and not looks_like_a_name("benef-03")


def test_an_evaluator_with_two_viewpoints(corpus_dir):
    _edit(
        corpus_dir / "evaluation/reponses.csv", "exemple-2024,e01,soi,q-besoins-1", "exemple-2024,e01,pair,q-besoins-1"
    )
    (msg,) = _messages(corpus_dir)
    assert "l'évaluateur « e01 » répond déjà comme « soi »" in msg


def test_a_viewpoint_outside_the_campaign_list(corpus_dir):
    _edit(
        corpus_dir / "evaluation/campagnes.csv",
        ",,oui,exemple-coevaluation#L3\nexemple-2024",
        ",soi|beneficiaire|partenaire,oui,exemple-coevaluation#L3\nexemple-2024",
    )
    _edit(corpus_dir / "evaluation/reponses.csv", "exemple-2023,p01,partenaire", "exemple-2023,p01,financeur")
    msgs = _messages(corpus_dir)
    assert any(
        "point de vue « financeur » hors de la liste de la campagne : soi, beneficiaire, partenaire" in m for m in msgs
    )


def test_bad_referential_levels_and_yaml(corpus_dir):
    _edit(corpus_dir / REF, '{valeur: 2, libelle: "Un peu"}', '{valeur: 1, libelle: "Un peu"}')
    assert any("deux niveaux ont la même valeur" in m for m in _messages(corpus_dir))
    (corpus_dir / REF).write_text("referentiel: utilite-sociale\nversion: 1\ndimensions: &a [*a]\n", encoding="utf-8")
    msgs = _messages(corpus_dir)
    assert any("ancres et alias YAML" in m for m in msgs)
    (corpus_dir / REF).write_text("!!python/object:os.system x\n", encoding="utf-8")
    assert any(m.startswith(f"{REF}:1: yaml: YAML illisible") for m in _messages(corpus_dir))


def test_actions_critere(corpus_dir):
    assert load_corpus(corpus_dir).actions["critere"].tolist() == [
        "utilite-sociale:participation",
        "utilite-sociale:transparence",
    ]
    _edit(corpus_dir / "actions.csv", "utilite-sociale:transparence", "utilite-sociale:transparance")
    (msg,) = _messages(corpus_dir)
    assert msg.startswith("actions.csv:3: critere: critère « utilite-sociale:transparance » inconnu")


def test_actions_critere_without_any_referential(tmp_path):
    copy = tmp_path / "mini"
    shutil.copytree(MINI, copy)
    _edit(copy / "actions.csv", "livrable,statut,territoire_id,source", "livrable,statut,territoire_id,source,critere")
    _edit(copy / "actions.csv", "doc-test#L7\nmobiliser", "doc-test#L7,utilite-sociale:participation\nmobiliser")
    (msg,) = _messages(copy)
    assert "critère « utilite-sociale:participation » inconnu" in msg and "aucun référentiel" in msg


def test_campaign_needs_what_it_evaluates(corpus_dir):
    _edit(
        corpus_dir / "evaluation/campagnes.csv", "utilite-sociale,1,epicerie-exemple,,2024", "utilite-sociale,1,,,2024"
    )
    _edit(
        corpus_dir / "evaluation/campagnes.csv",
        "utilite-sociale,1,epicerie-exemple,,2023",
        "utilite-sociale,1,epicerie-exempel,,2023",
    )
    msgs = _messages(corpus_dir)
    assert any("campagnes.csv:3: acteur_id: ni acteur ni territoire évalué" in m for m in msgs)
    assert any("campagnes.csv:2: acteur_id: « epicerie-exempel » inconnu" in m for m in msgs)


def test_pseudonymisation_covers_evaluators_and_names_in_comments(corpus_dir):
    _edit(
        corpus_dir / "evaluation/reponses.csv",
        "Les décisions se prennent surtout en bureau.",
        "Marie Dupont décide seule avec l'Épicerie Exemple.",
    )
    plain = load_corpus(corpus_dir).evaluation.reponses
    pseudo = load_corpus(corpus_dir, pseudonymiser=True).evaluation.reponses
    assert not set(plain["evaluateur_id"]) & set(pseudo["evaluateur_id"])
    assert pseudo["evaluateur_id"].nunique() == plain["evaluateur_id"].nunique()
    text = " ".join(str(v) for v in pseudo["commentaire"].dropna())
    assert "Marie Dupont" not in text and "[nom masqué] décide seule avec l'Épicerie Exemple." in text


def test_init_modele_coevaluation_writes_a_valid_skeleton_without_results(tmp_path, capsys):
    from mesra.cli import main

    folder = tmp_path / "groupe"
    assert main(["init", str(folder), "--modele", "coevaluation"]) == 0
    assert check_corpus(folder) == []
    ev = load_corpus(folder).evaluation
    assert ev.campaign_ids() == [] and len(ev.reponses) == 0  # a template, never results
    ref = ev.referential("utilite-sociale", 1)
    assert len(ref.questions()) == 8 and ref.ne_sait_pas == "Ne sait pas"
    text = (folder / REF).read_text(encoding="utf-8")
    for line in ("L502", "L518", "L540", "L544", "L550"):  # the tools the proceedings name, cited
        assert line in text
    assert (folder / REF).read_bytes() == (FIXTURE / REF).read_bytes()  # the example uses the template as is
    (folder / "evaluation/reponses.csv").write_text("mes réponses", encoding="utf-8")
    assert main(["init", str(folder), "--modele", "coevaluation"]) == 1
    assert "mesra ne les écrase pas" in capsys.readouterr().err
    assert (folder / "evaluation/reponses.csv").read_text(encoding="utf-8") == "mes réponses"


def test_the_default_corpus_has_no_evaluation_results():
    from mesra.corpus import default_data_dir

    assert not (default_data_dir() / "evaluation").exists()
    assert load_corpus().evaluation.campaign_ids() == []


def test_a_broken_referential_is_reported_once_not_through_every_campaign(corpus_dir):
    _edit(corpus_dir / REF, "id: q-accueil-1", "id: Q accueil")
    (msg,) = _messages(corpus_dir)
    assert msg.startswith(f"{REF}:") and "question.id: identifiant « Q accueil » invalide" in msg


def test_questions_of_one_dimension_share_their_levels(corpus_dir):
    _edit(
        corpus_dir / REF,
        'libelle: "La structure coopère-t-elle avec d\'autres acteurs du territoire ?"',
        'libelle: "La structure coopère-t-elle avec d\'autres acteurs du territoire ?"\n'
        '            niveaux: [{valeur: 0, libelle: "Non"}, {valeur: 1, libelle: "Oui"}]',
    )
    msgs = _messages(corpus_dir)
    assert len(msgs) == 1 and "dimensions.territoire: les questions d'une même dimension doivent partager" in msgs[0]
