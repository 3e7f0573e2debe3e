"""Loading: tidy DataFrames, and what spreadsheets actually produce loads the same."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from helpers import ROOT

from mesra import load_corpus
from mesra.corpus.contract import TABLE_ORDER, TABLES

TABLE_FILES = [TABLES[name].filename for name in TABLE_ORDER]


def _frames(corpus):
    tables = ("acteurs", "personnes", "liens", "territoires", "sources", "actions", "suivi")
    return {name: getattr(corpus, name) for name in tables} | {
        "monographies": corpus.monographies.drop(columns=["fichier"])
    }


def _assert_same(a, b):
    fa, fb = _frames(a), _frames(b)
    for name in fa:
        pd.testing.assert_frame_equal(fa[name], fb[name], obj=name)


def _rewrite(path, *, delimiter=",", encoding="utf-8", newline="\n", bom=False, trailing=""):
    rows = list(csv.reader(io.StringIO(path.read_text("utf-8"))))
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator=newline).writerows(rows)
    data = buf.getvalue() + trailing
    raw = data.encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + raw)


def test_tidy_frames(mini_dir):
    corpus = load_corpus(mini_dir)
    assert list(corpus.acteurs.columns) == list(TABLES["acteurs"].column_names)
    assert corpus.acteurs["acteur_id"].is_monotonic_increasing
    assert str(corpus.acteurs["membre_mes"].dtype) == "boolean"
    assert corpus.acteurs.set_index("acteur_id").loc["projet-delta", "membre_mes"] is pd.NA
    assert str(corpus.liens["axe"].dtype) == "Int64"
    # the corpus's own territory is added to the reference geography
    assert {"ales", "gard", "occitanie", "fr"} <= set(corpus.territoires["territoire_id"])
    mono = corpus.monographies.set_index("id").loc["projet-delta"]
    assert mono["acteurs"] == ["reseau-alpha", "mairie-ales"]
    assert mono["section_Coopération"].startswith("Le Réseau Alpha")
    assert corpus.territory_ids("occitanie")[:1] == ["occitanie"] and "ales" in corpus.territory_ids("occitanie")


@pytest.mark.parametrize(
    "variant",
    [
        dict(delimiter=";"),
        dict(bom=True),
        dict(encoding="cp1252"),
        dict(newline="\r\n"),
        dict(trailing="\n\n,,,\n\n"),
        dict(delimiter=";", encoding="cp1252", newline="\r\n", trailing="\r\n;;\r\n"),
    ],
)
def test_spreadsheet_variants_load_the_same(mini_dir, tmp_path, variant):
    reference = load_corpus(mini_dir)
    for name in TABLE_FILES:
        _rewrite(mini_dir / name, **variant)
    _assert_same(load_corpus(mini_dir), reference)


def _write_workbook(src, dest):
    with pd.ExcelWriter(dest, engine="openpyxl") as writer:
        for name in TABLE_ORDER:
            df = pd.read_csv(src / TABLES[name].filename, dtype=str, keep_default_na=False)
            df.to_excel(writer, sheet_name=name, index=False)


def test_xlsx_workbook_in_a_folder_loads_the_same(mini_dir, tmp_path):
    reference = load_corpus(mini_dir)
    _write_workbook(mini_dir, mini_dir / "corpus.xlsx")
    for name in TABLE_FILES:
        (mini_dir / name).unlink()
    _assert_same(load_corpus(mini_dir), reference)


def test_xlsx_workbook_path_loads_the_same(mini_dir):
    reference = load_corpus(mini_dir)
    _write_workbook(mini_dir, mini_dir / "corpus.xlsx")
    _assert_same(load_corpus(mini_dir / "corpus.xlsx"), reference)


def test_corrupt_workbook_is_a_problem_not_a_crash(mini_dir):
    from mesra import check_corpus

    (mini_dir / "corpus.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    problems = check_corpus(mini_dir / "corpus.xlsx")
    assert any(p.file == "corpus.xlsx" and "illisible" in p.message for p in problems)


def test_hash_changes_with_content(mini_dir):
    before = load_corpus(mini_dir).hash
    assert load_corpus(mini_dir).hash == before
    path = mini_dir / "monographies" / "projet-delta.md"
    path.write_text(path.read_text("utf-8").replace("Non documenté.", "Toujours non documenté."), "utf-8")
    assert load_corpus(mini_dir).hash != before


def test_pseudonymisation_leaves_no_real_name(mini_dir):
    corpus = load_corpus(mini_dir, pseudonymiser=True)
    text = "\n".join(
        str(getattr(corpus, t).to_dict("records")) for t in ("acteurs", "personnes", "liens", "monographies")
    )
    assert "Jeanne" not in text and "MARTIN" not in text.upper().replace("PERSONNE", "")
    assert "jeanne-martin" not in text
    # stable: the same pseudonym in another load
    again = load_corpus(mini_dir, pseudonymiser=True)
    assert again.personnes["personne_id"].tolist() == corpus.personnes["personne_id"].tolist()
    assert set(corpus.liens["source_id"]) - set(corpus.acteurs["acteur_id"]) == set(corpus.personnes["personne_id"])


def test_fingerprint_ignores_path_file_order_and_format(tmp_path, monkeypatch):
    """One corpus, one fingerprint: relative or absolute path, listing order, CSV or workbook."""
    import shutil

    from mesra.corpus import load as load_module
    from mesra.corpus.spreadsheet import export_xlsx

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    monkeypatch.chdir(tmp_path)
    relative = load_corpus("data").hash
    assert load_corpus(str(data.resolve())).hash == relative == load_corpus().hash
    # files listed in another order
    real = load_module.read_raw

    def reversed_order(path=None):
        raw = real(path)
        raw.files = list(reversed(raw.files))
        raw.monographs = list(reversed(raw.monographs))
        return raw

    monkeypatch.setattr(load_module, "read_raw", reversed_order)
    assert load_corpus("data").hash == relative
    monkeypatch.setattr(load_module, "read_raw", real)
    # the same corpus as a workbook beside its monographs and source texts
    book = tmp_path / "classeur"
    book.mkdir()
    export_xlsx(data, book / "corpus.xlsx")
    shutil.copytree(data / "monographies", book / "monographies")
    shutil.copytree(data / "sources", book / "sources")
    assert load_corpus(book).hash == relative
    # and a change of content changes it
    (data / "liens.csv").write_text((data / "liens.csv").read_text("utf-8").replace("#L48", "#L49", 1), "utf-8")
    assert load_corpus("data").hash != relative


def test_objet_is_an_optional_column_of_liens(mini_dir):
    """Contract v2: ``objet`` (what an advocacy tie argues for) is optional free text."""
    from mesra import check_corpus

    path = mini_dir / "liens.csv"
    assert "objet" not in path.read_text("utf-8").splitlines()[0]
    # an old corpus without the column stays valid and loads it as unknown
    assert check_corpus(mini_dir) == []
    liens = load_corpus(mini_dir).liens
    assert list(liens.columns) == list(TABLES["liens"].column_names) and "objet" in liens.columns
    assert liens["objet"].isna().all()
    # with the column, its text is read as is (commas included), empty cells stay unknown
    rows = list(csv.reader(io.StringIO(path.read_text("utf-8"))))
    rows[0].insert(-1, "objet")
    for i, row in enumerate(rows[1:]):
        row.insert(-1, "la co-construction, la citoyenneté" if i == 4 else "")
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    assert check_corpus(mini_dir) == []
    liens = load_corpus(mini_dir).liens
    row = liens[liens["relation"] == "represente"].iloc[0]
    assert row["objet"] == "la co-construction, la citoyenneté"
    assert liens["objet"].notna().sum() == 1
