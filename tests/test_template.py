"""`mesra new-monograph`: a template of the common frame that `mesra check` names until it is filled."""

from __future__ import annotations

import pytest

from mesra import MesraError, ParameterError, check_corpus, load_corpus
from mesra.cli import main
from mesra.corpus import contract
from mesra.corpus.monographs import read_monograph
from mesra.corpus.template import monograph_template, new_monograph


def _fill(path, titre="Une recyclerie de test", origine="mobilisation_citoyenne", sources='["doc-test#L2"]'):
    text = path.read_text("utf-8")
    for key, value in (("titre", f'"{titre}"'), ("origine", origine), ("sources", sources)):
        old = "\n" + {"titre": 'titre: ""', "origine": "origine: null", "sources": "sources: []"}[key]
        assert text.count(old) == 1, old
        text = text.replace(old, f"\n{key}: {value}")
    path.write_text(text, "utf-8")


def test_every_field_and_section_is_there_with_a_french_comment(tmp_path):
    text = monograph_template("ma-recyclerie", "gard", "reseau-alpha")
    lines = text.splitlines()
    for key in contract.MONOGRAPH_FIELDS:
        i = next(n for n, line in enumerate(lines) if line.startswith(f"{key}:"))
        assert lines[i - 1].startswith("# "), key
    for section in contract.MONOGRAPH_SECTIONS:
        assert f"## {section}" in lines
    for sub in (
        *contract.AXES_RECHERCHE,
        *contract.RESSOURCES,
        "processus_participation",
        "regulation_frictions",
        "outils",
        "description",
    ):
        i = next(n for n, line in enumerate(lines) if line.startswith(f"  {sub}:"))
        assert lines[i - 1].startswith("  # "), sub
    # vocabularies are spelled out where they are chosen
    assert all(o in text for o in contract.ORIGINES) and all(o in text for o in contract.OUTILS_COOPERATION)
    assert all(s in text for s in contract.INNOVATION_SOURCES)


def test_template_parses_as_a_monograph(tmp_path):
    path = tmp_path / "ma-recyclerie.md"
    path.write_text(monograph_template("ma-recyclerie", "gard", "reseau-alpha"), "utf-8")
    problems = []
    mono = read_monograph(path, path.name, problems)
    assert problems == []
    assert mono.meta["id"] == "ma-recyclerie" and mono.meta["porteur"] == "reseau-alpha"
    assert mono.meta["acteurs"] == ["reseau-alpha"]
    assert set(mono.sections) == set(contract.MONOGRAPH_SECTIONS)


def test_unfilled_template_is_reported_clearly(mini_dir):
    path = new_monograph("ma-recyclerie", "gard", porteur="reseau-alpha", data=mini_dir)
    assert path == mini_dir / "monographies" / "ma-recyclerie.md"
    problems = [p for p in check_corpus(mini_dir) if p.file == "monographies/ma-recyclerie.md"]
    assert {p.field for p in problems} == {"titre", "origine", "sources"}
    assert all("obligatoire" in p.message for p in problems)
    lines = path.read_text("utf-8").splitlines()
    for p in problems:
        assert lines[p.line - 1].startswith(f"{p.field}:")


def test_filled_template_passes(mini_dir):
    path = new_monograph("ma-recyclerie", "ales", porteur="projet-delta", data=mini_dir)
    _fill(path)
    assert check_corpus(mini_dir) == []
    mono = load_corpus(mini_dir).monographies.set_index("id").loc["ma-recyclerie"]
    assert mono["territoire"] == "ales" and mono["origine"] == "mobilisation_citoyenne"


def test_half_filled_template_names_what_remains(mini_dir):
    path = new_monograph("ma-recyclerie", "gard", data=mini_dir)
    _fill(path, origine="spontanee")
    [p] = [p for p in check_corpus(mini_dir) if p.file.endswith("ma-recyclerie.md")]
    assert p.field == "origine" and "hors vocabulaire" in p.message


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        (
            {"identifier": "Ma Recyclerie", "territoire": "gard"},
            ParameterError,
            "identifiant « Ma Recyclerie » invalide",
        ),
        ({"identifier": "../evil", "territoire": "gard"}, ParameterError, "invalide"),
        ({"identifier": "x", "territoire": "gardd"}, ParameterError, "Territoire « gardd » inconnu.*« gard »"),
        (
            {"identifier": "x", "territoire": "gard", "porteur": "reseau-alfa"},
            ParameterError,
            "porteur « reseau-alfa » inconnu.*reseau-alpha",
        ),
    ],
)
def test_bad_parameters(mini_dir, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        new_monograph(data=mini_dir, **kwargs)
    assert sorted(p.name for p in (mini_dir / "monographies").iterdir()) == ["projet-delta.md"]


def test_existing_file_needs_force(mini_dir):
    existing = mini_dir / "monographies" / "projet-delta.md"
    before = existing.read_bytes()
    with pytest.raises(MesraError, match="existe déjà.*--force"):
        new_monograph("projet-delta", "gard", data=mini_dir)
    assert existing.read_bytes() == before
    new_monograph("projet-delta", "gard", data=mini_dir, force=True)
    assert existing.read_bytes() != before


def test_missing_corpus_folder(tmp_path):
    with pytest.raises(MesraError, match="introuvable"):
        new_monograph("x", "gard", data=tmp_path / "absent")


def test_cli(mini_dir, capsys):
    assert main(["new-monograph", "ma-recyclerie", "--territoire", "ales", "--data", str(mini_dir)]) == 0
    assert "Modèle écrit" in capsys.readouterr().out
    assert main(["check", str(mini_dir)]) == 1
    assert "champ obligatoire manquant" in capsys.readouterr().out
    assert main(["new-monograph", "ma-recyclerie", "--territoire", "ales", "--data", str(mini_dir)]) == 1
    assert "existe déjà" in capsys.readouterr().err
    assert main(["new-monograph", "y", "--territoire", "nulle-part", "--data", str(mini_dir)]) == 1
    assert "inconnu" in capsys.readouterr().err


def test_a_workbook_is_read_where_csv_files_are(mini_dir, tmp_path, capsys):
    """With the corpus as a workbook, territory and carrier come from its sheets (no "acteurs.csv")."""
    from mesra.corpus.spreadsheet import export_xlsx

    folder = tmp_path / "classeur"
    folder.mkdir()
    (folder / "monographies").mkdir()
    export_xlsx(mini_dir, folder / "corpus.xlsx")
    path = new_monograph("ma-recyclerie", "Alès", porteur="projet-delta", data=folder)
    assert "territoire: ales" in path.read_text(encoding="utf-8")
    with pytest.raises(ParameterError, match=r"porteur « projet-delt » inconnu dans corpus\.xlsx.*« projet-delta »"):
        new_monograph("autre", "30", porteur="projet-delt", data=folder / "corpus.xlsx")
    assert main(["new-monograph", "autre", "--territoire", "Gard", "--data", str(folder / "corpus.xlsx")]) == 0
    assert (folder / "monographies" / "autre.md").is_file()
    assert "acteurs.csv" not in capsys.readouterr().out


def test_territories_by_name_or_code(mini_dir):
    path = new_monograph("ma-recyclerie", "30", data=mini_dir)
    assert "territoire: gard" in path.read_text(encoding="utf-8")
