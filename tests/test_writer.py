"""Writing corpus tables: contract column order, extra columns kept, atomic, read back identically."""

from __future__ import annotations

import pandas as pd
import pytest

from mesra import check_corpus, load_corpus
from mesra.corpus import contract
from mesra.corpus.writer import cell_text, table_text, write_table


@pytest.mark.parametrize(
    "value, text",
    [
        (None, ""),
        (float("nan"), ""),
        (pd.NA, ""),
        (True, "true"),
        (False, "false"),
        (2019.0, "2019"),
        (2019, "2019"),
        ("01", "01"),
        ("a,b", "a,b"),
    ],
)
def test_cell_text(value, text):
    assert cell_text(value) == text


def test_contract_order_and_extra_columns():
    rows = [{"nom": "Réseau, « Alpha »", "acteur_id": "ra", "type": "association", "notes": "x", "source": "s#1"}]
    text = table_text("acteurs", rows, extra_columns=["notes"])
    header, line = text.splitlines()
    assert header.split(",") == [*contract.TABLES["acteurs"].column_names, "notes"]
    assert line == 'ra,"Réseau, « Alpha »",,association,,,,s#1,,x'


def test_written_corpus_reads_back_the_same(mini_dir, tmp_path):
    corpus = load_corpus(mini_dir)
    out = tmp_path / "copie"
    for name in ("acteurs", "personnes", "liens", "sources"):
        write_table(out, name, getattr(corpus, name))
    own = corpus.territoires[corpus.territoires["territoire_id"] == "ales"]
    write_table(out, "territoires", own)
    (out / "sources").mkdir()
    (out / "sources" / "doc-test.txt").write_bytes((mini_dir / "sources" / "doc-test.txt").read_bytes())
    assert check_corpus(out) == []
    again = load_corpus(out)
    for name in ("acteurs", "personnes", "liens", "sources"):
        pd.testing.assert_frame_equal(getattr(corpus, name), getattr(again, name), obj=name)
    assert not list(out.glob(".*.tmp"))


def test_a_bare_carriage_return_in_a_cell_is_quoted_and_reads_back(tmp_path):
    """Found by hypothesis on a Decidim id holding a CR: written unquoted, it split the row in two."""
    text = table_text("sources", [{"source_id": "doc", "titre": "a\rb", "fichier": ""}])
    assert '"a\rb"' in text
    (tmp_path / "sources.csv").write_text(text, encoding="utf-8", newline="")
    from mesra.corpus.tables import read_csv_table

    raw = read_csv_table(tmp_path / "sources.csv", "sources.csv", [])
    assert [r["titre"] for r in raw.rows] == ["a\rb"]
