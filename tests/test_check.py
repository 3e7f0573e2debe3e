"""`mesra check`: one fixture per class of problem, each message names file, line and field."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from helpers import FIXTURES, snapshot

from mesra import CorpusError, check_corpus, load_corpus
from mesra.cli import main


def _edit(path, old, new):
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def _one(problems, file, field):
    hits = [p for p in problems if p.file == file and p.field == field]
    assert hits, f"no problem for {file}/{field} in {[str(p) for p in problems]}"
    return hits[0]


def test_valid_fixture_has_no_problem(mini_dir):
    assert check_corpus(mini_dir) == []


@pytest.mark.parametrize(
    "file, old, new, field, line, words",
    [
        # missing required value
        ("acteurs.csv", "cooperative-beta,Coopérative Bêta,", "cooperative-beta,,", "nom", 3, "obligatoire"),
        # value outside a vocabulary
        ("acteurs.csv", ",cooperative,gard,", ",coop,gard,", "type", 3, "hors vocabulaire"),
        ("liens.csv", ",accompagne,", ",accompagnee,", "relation", 2, "accompagne"),
        ("acteurs.csv", ",local,false,doc-test#L2-3", ",locale,false,doc-test#L2-3", "echelon", 3, "vocabulaire"),
        # unknown identifier / tie whose endpoint does not exist
        ("liens.csv", "reseau-alpha,cooperative-beta,", "reseau-alpha,cooperative-betta,", "cible_id", 2, "inconnu"),
        (
            "personnes.csv",
            "jeanne-martin,MARTIN,Jeanne,reseau-alpha",
            "jeanne-martin,MARTIN,Jeanne,reseau-zeta",
            "acteur_id",
            2,
            "inconnu",
        ),
        # unknown territory
        (
            "acteurs.csv",
            "Réseau Alpha,RA,reseau_territorial,occitanie",
            "Réseau Alpha,RA,reseau_territorial,ocitanie",
            "territoire_id",
            2,
            "occitanie",
        ),
        # invalid identifier
        ("acteurs.csv", "mairie-ales,Mairie", "Mairie_Alès,Mairie", "acteur_id", 6, "minuscules"),
        # duplicate identifier
        ("acteurs.csv", "collectif-gamma,Collectif Gamma", "reseau-alpha,Collectif Gamma", "acteur_id", 4, "double"),
        # not a boolean, not an integer
        ("acteurs.csv", "regional,true,", "regional,peut-être,", "membre_mes", 2, "true ou false"),
        ("liens.csv", "accompagne,1,local,2019", "accompagne,5,local,2019", "axe", 2, "intervalle"),
        # source locator outside the source text, unknown source
        ("acteurs.csv", "doc-test#L3\n", "doc-test#L300\n", "source", 4, "hors du texte"),
        (
            "liens.csv",
            "partenaire_de,1,local,,doc-test#L5",
            "partenaire_de,1,local,,rapport-x#L5",
            "source",
            5,
            "inconnue",
        ),
        # a territory already in the reference geography
        ("territoires.csv", "ales,Alès", "gard,Gard", "territoire_id", 2, "référence"),
    ],
)
def test_each_problem_class_is_located(mini_dir, file, old, new, field, line, words):
    _edit(mini_dir / file, old, new)
    problem = _one(check_corpus(mini_dir), file, field)
    assert problem.line == line
    assert words in problem.message
    assert str(problem).startswith(f"{file}:{line}: {field}: ")


def test_missing_column_is_reported_on_the_header(mini_dir):
    _edit(mini_dir / "acteurs.csv", "acteur_id,nom,sigle,type", "acteur_id,name,sigle,type")
    problem = _one(check_corpus(mini_dir), "acteurs.csv", "nom")
    assert problem.line == 1 and "colonne obligatoire absente" in problem.message


def test_missing_table(mini_dir):
    (mini_dir / "acteurs.csv").unlink()
    problems = check_corpus(mini_dir)
    assert any(p.file == "acteurs.csv" and "manquante" in p.message for p in problems)


def test_malformed_csv(mini_dir):
    with open(mini_dir / "liens.csv", "a", encoding="utf-8") as fh:
        fh.write('reseau-alpha,"cooperative-beta,partenaire_de\n')
    problem = _one(check_corpus(mini_dir), "liens.csv", "fichier")
    assert "CSV mal formé" in problem.message or "valeurs" in problem.message


def test_too_many_cells_points_at_the_line(mini_dir):
    _edit(mini_dir / "personnes.csv", "Présidente,", "Présidente, vice-présidente,")
    problem = _one(check_corpus(mini_dir), "personnes.csv", "ligne")
    assert problem.line == 2 and "colonnes" in problem.message


def test_binary_file(mini_dir):
    (mini_dir / "acteurs.csv").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    problem = _one(check_corpus(mini_dir), "acteurs.csv", "fichier")
    assert "binaire" in problem.message


def test_malformed_yaml(mini_dir):
    _edit(mini_dir / "monographies" / "projet-delta.md", "titre: Le projet Delta", "titre: [Le projet Delta")
    problem = _one(check_corpus(mini_dir), "monographies/projet-delta.md", "en-tête")
    assert "YAML mal formé" in problem.message and problem.line >= 2


def test_monograph_without_front_matter(mini_dir):
    (mini_dir / "monographies" / "vide.md").write_text("# Juste un titre\n", "utf-8")
    problem = _one(check_corpus(mini_dir), "monographies/vide.md", "en-tête")
    assert "---" in problem.message


@pytest.mark.parametrize(
    "old, new, field, words",
    [
        ("territoire: ales", "territoire: atlantide", "territoire", "inconnu"),
        ("porteur: reseau-alpha", "porteur: reseau-omega", "porteur", "inconnu"),
        ("origine: inconnue", "origine: spontanee", "origine", "hors vocabulaire"),
        ("  outils: []", "  outils: [telepathique]", "cooperation.outils", "hors vocabulaire"),
        (
            "ressources: null",
            "ressources: {marchand: 0.5, redistribution: 0.3, reciprocite: 0.1}",
            "ressources",
            "somment à 0.9",
        ),
        (
            "ressources: null",
            "ressources: {marchand: 2, redistribution: 0, reciprocite: 0}",
            "ressources.marchand",
            "entre 0 et 1",
        ),
        ("annee: null", "annee: deux-mille", "annee", "invalide"),
        ("chiffres: {}", "chiffres: {salaries: beaucoup}", "chiffres.salaries", "nombre"),
        ("id: projet-delta", "id: projet-epsilon", "id", "nom du fichier"),
        ('sources: ["doc-test#L5-6"]', 'sources: ["doc-test#L5-60"]', "sources", "hors du texte"),
        ("titre: Le projet Delta\n", "titre: Le projet Delta\ntheme: mobilité\n", "theme", "champ inconnu"),
    ],
)
def test_monograph_problems(mini_dir, old, new, field, words):
    path = mini_dir / "monographies" / "projet-delta.md"
    _edit(path, old, new)
    problem = _one(check_corpus(mini_dir), "monographies/projet-delta.md", field)
    key = new.rstrip("\n").split("\n")[-1].split(":")[0]
    lines = path.read_text("utf-8").splitlines()
    assert problem.line == 1 + lines.index(next(line for line in lines if line.startswith(key + ":")))
    assert words in problem.message


def test_missing_section(mini_dir):
    _edit(mini_dir / "monographies" / "projet-delta.md", "## Coopération", "## Cooperation")
    problem = _one(check_corpus(mini_dir), "monographies/projet-delta.md", "corps")
    assert "## Coopération" in problem.message


def test_alias_bomb_is_refused_quickly(mini_dir):
    bomb = ["---", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 12):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        bomb.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    bomb += ["---", "## Besoins non couverts", ""]
    (mini_dir / "monographies" / "bombe.md").write_text("\n".join(bomb), "utf-8")
    start = time.perf_counter()
    problems = check_corpus(mini_dir)
    assert time.perf_counter() - start < 10  # a sanity bound, not a benchmark
    problem = _one(problems, "monographies/bombe.md", "en-tête")
    assert "alias" in problem.message and problem.line == 3


def test_deep_nesting_is_refused(mini_dir):
    text = "---\nid: " + "[" * 5000 + "]" * 5000 + "\n---\n"
    (mini_dir / "monographies" / "profond.md").write_text(text, "utf-8")
    problem = _one(check_corpus(mini_dir), "monographies/profond.md", "en-tête")
    assert "imbrication" in problem.message or "imbriqué" in problem.message


def test_every_problem_is_reported_at_once(mini_dir):
    _edit(mini_dir / "acteurs.csv", ",cooperative,gard,", ",coop,gard,")
    _edit(mini_dir / "liens.csv", ",accompagne,", ",aide,")
    _edit(mini_dir / "monographies" / "projet-delta.md", "origine: inconnue", "origine: ?")
    files = {p.file for p in check_corpus(mini_dir)}
    assert {"acteurs.csv", "liens.csv", "monographies/projet-delta.md"} <= files


def test_check_never_writes(mini_dir, capsys):
    _edit(mini_dir / "acteurs.csv", ",cooperative,gard,", ",coop,gard,")
    before = snapshot(mini_dir)
    assert main(["check", str(mini_dir)]) == 1
    assert snapshot(mini_dir) == before


def test_cli_exit_codes_and_summary(mini_dir, capsys):
    assert main(["check", str(mini_dir)]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and out[0].startswith("Corpus valide") and "5 acteurs" in out[0]
    _edit(mini_dir / "acteurs.csv", ",cooperative,gard,", ",coop,gard,")
    assert main(["check", str(mini_dir)]) == 1
    out = capsys.readouterr().out.strip().splitlines()
    assert out[0].startswith("acteurs.csv:3: type: ")
    assert out[-1] == f"1 problème dans {mini_dir}."


def test_load_corpus_refuses_an_invalid_corpus(mini_dir):
    _edit(mini_dir / "acteurs.csv", ",cooperative,gard,", ",coop,gard,")
    with pytest.raises(CorpusError, match=r"comporte 1 problème ; corrigez-le puis") as info:
        load_corpus(mini_dir)
    assert info.value.problems[0].field == "type"


def test_missing_folder(tmp_path, capsys):
    assert main(["check", str(tmp_path / "absent")]) == 1
    assert "introuvable" in capsys.readouterr().out


def test_locator_lists_are_checked_range_by_range(mini_dir):
    _edit(mini_dir / "personnes.csv", "doc-test#L4", '"doc-test#L4,L2-3,L99"')
    problem = _one(check_corpus(mini_dir), "personnes.csv", "source")
    assert "99-99" in problem.message


# --- formula injection in hand-written CSV files ---------------------------------------------
@pytest.mark.parametrize(
    "file, old, new, field, line",
    [
        ("acteurs.csv", "Collectif Gamma", '=HYPERLINK("http://x.example";"clic")', "nom", 4),
        ("acteurs.csv", "Collectif Gamma", "=1+1", "nom", 4),
        ("acteurs.csv", "Collectif Gamma", "+A1", "nom", 4),
        ("acteurs.csv", "Collectif Gamma", "@SUM(1+9)", "nom", 4),
        ("acteurs.csv", "Collectif Gamma", "-2+3+cmd|' /C calc'!A0", "nom", 4),
        ("acteurs.csv", "Collectif Gamma", "- 0&WEBSERVICE(A1)", "nom", 4),
        ("personnes.csv", "Présidente", '"\tPrésidente"', "fonction", 2),
        ("personnes.csv", "Présidente", '"\r=1+1"', "fonction", 2),
        ("acteurs.csv", "RA,reseau_territorial", "=RA,reseau_territorial", "sigle", 2),
    ],
)
def test_a_cell_a_spreadsheet_would_run_is_flagged(mini_dir, file, old, new, field, line):
    _edit(mini_dir / file, old, new)
    [problem] = [p for p in check_corpus(mini_dir) if p.kind == "formule de tableur"]
    assert (problem.file, problem.line, problem.field) == (file, line, field)
    assert "formule" in problem.message and "tableur" in problem.message
    if not new.startswith('"'):
        assert "apostrophe" in problem.message


@pytest.mark.parametrize(
    "file, old, new",
    [
        ("personnes.csv", "Présidente", "- à revoir"),  # a dash that opens a text
        ("personnes.csv", "Présidente", "+ de liens"),
        ("personnes.csv", "Présidente", "-"),
        ("personnes.csv", "Présidente", '"-1,5"'),  # numbers stay numbers
        ("acteurs.csv", "Collectif Gamma", "'=SOMME(A1:A2)"),  # guarded the spreadsheet way
        ("acteurs.csv", "Collectif Gamma", "'-2+3"),
    ],
)
def test_texts_and_numbers_that_merely_start_with_a_sign_pass(mini_dir, file, old, new):
    _edit(mini_dir / file, old, new)
    assert check_corpus(mini_dir) == []


def test_a_negative_year_is_a_range_problem_not_a_formula(mini_dir):
    _edit(mini_dir / "liens.csv", "accompagne,1,local,2019", "accompagne,1,local,-2019")
    [problem] = check_corpus(mini_dir)
    assert problem.field == "annee" and "intervalle" in problem.message


def test_a_guarding_apostrophe_is_removed_when_reading(mini_dir):
    _edit(mini_dir / "acteurs.csv", "Collectif Gamma", "'=SOMME(A1:A2)")
    corpus = load_corpus(mini_dir)
    assert "=SOMME(A1:A2)" in set(corpus.acteurs["nom"])


# --- files outside the corpus folder ------------------------------------------------------------
def _secret_monograph(tmp_path):
    secret = tmp_path / "ailleurs" / "secret.md"
    secret.parent.mkdir()
    text = (FIXTURES / "mini" / "monographies" / "projet-delta.md").read_text("utf-8")
    secret.write_text(text.replace("id: projet-delta", "id: secret").replace("Le projet Delta", "SECRET-42"), "utf-8")
    return secret


def test_a_monograph_linked_from_outside_the_corpus_is_refused_unread(mini_dir, tmp_path, monkeypatch):
    secret = _secret_monograph(tmp_path)
    (mini_dir / "monographies" / "secret.md").symlink_to(secret)
    from mesra.corpus import load, monographs

    read = []
    real = monographs.read_monograph

    def watched(path, label, problems):
        read.append(path.name)
        return real(path, label, problems)

    monkeypatch.setattr(load, "read_monograph", watched)
    problem = _one(check_corpus(mini_dir), "monographies/secret.md", "fichier")
    assert "hors du dossier du corpus" in problem.message and problem.line == 1
    assert read == ["projet-delta.md"]  # never opened
    with pytest.raises(CorpusError) as info:
        load_corpus(mini_dir)
    assert "SECRET-42" not in str(info.value)


def test_a_link_inside_the_corpus_is_followed(mini_dir):
    (mini_dir / "brouillons").mkdir()
    (mini_dir / "monographies" / "projet-delta.md").rename(mini_dir / "brouillons" / "projet-delta.md")
    (mini_dir / "monographies" / "projet-delta.md").symlink_to(Path("..") / "brouillons" / "projet-delta.md")
    assert check_corpus(mini_dir) == []


def test_a_table_linked_from_outside_the_corpus_is_refused(mini_dir, tmp_path):
    outside = tmp_path / "ailleurs.csv"
    (mini_dir / "personnes.csv").rename(outside)
    (mini_dir / "personnes.csv").symlink_to(outside)
    problems = check_corpus(mini_dir)
    problem = _one(problems, "personnes.csv", "fichier")
    assert "hors du dossier du corpus" in problem.message
    assert not any("manquante" in p.message for p in problems if p.file == "personnes.csv")
