"""The coverage table of the sources (contract v3): the audit of how every line was coded.

Unit tests on a tiny synthetic corpus (a copy of ``tests/fixtures/mini``, whose
8-line text ``doc-test.txt`` is synthetic) with a complete coverage table, then each
rule broken once; ``mesra check`` reports the problems of form only; and the audit of
the default corpus.
"""

from __future__ import annotations

import shutil

import pytest
from helpers import FIXTURES, ROOT

from mesra.corpus import coverage
from mesra.corpus.coverage import COVERAGE_FILE, coverage_problems
from mesra.corpus.load import check_corpus

HEADER = "source_id,lignes,devenu,hors_champ"
#: A complete coverage table of the synthetic mini corpus, one row per line (L5-6 together).
COMPLETE = [
    "doc-test,L1,,titre du document de test",
    "doc-test,L2,acteurs:reseau-alpha|acteurs:cooperative-beta|liens:reseau-alpha>cooperative-beta>accompagne,",
    "doc-test,L3,acteurs:cooperative-beta|acteurs:collectif-gamma|liens:cooperative-beta>collectif-gamma>membre_de,",
    "doc-test,L4,personnes:jeanne-martin|roles:jeanne-martin>reseau-alpha|roles:jeanne-martin>"
    "|liens:jeanne-martin>reseau-alpha>represente,",
    "doc-test,L5-6,acteurs:projet-delta|acteurs:mairie-ales|territoires:ales|liens:reseau-alpha>projet-delta>porte"
    "|liens:mairie-ales>projet-delta>partenaire_de|monographies:projet-delta,",
    "doc-test,L7,actions:reunion-membres|actions:mobiliser-mairie,",
    "doc-test,L8,suivi:reunion-membres>2020-03-20,",
]


def corpus_with(tmp_path, rows: list[str] | None, header: str = HEADER):
    """A copy of the mini corpus with ``rows`` as its coverage table (None: no table)."""
    root = tmp_path / "corpus"
    shutil.copytree(FIXTURES / "mini", root)
    if rows is not None:
        (root / COVERAGE_FILE).write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return root


def replaced(old_start: str, new: str | None) -> list[str]:
    """:data:`COMPLETE` with the row starting with ``old_start`` replaced by ``new`` (None: removed)."""
    rows = [r for r in COMPLETE]
    i = next(i for i, r in enumerate(rows) if r.startswith(old_start))
    if new is None:
        del rows[i]
    else:
        rows[i] = new
    return rows


def test_a_complete_table_has_no_problem(tmp_path):
    root = corpus_with(tmp_path, COMPLETE)
    assert coverage_problems(root) == []
    assert check_corpus(root) == []


def test_a_corpus_without_table_says_so_and_stays_valid(tmp_path):
    root = corpus_with(tmp_path, None)
    assert coverage_problems(root) == [f"{COVERAGE_FILE}: fichier absent"]
    assert check_corpus(root) == []  # the table is optional: only its form is checked


# --- the audit (coverage_problems), each rule broken once ----------------------------------
def test_a_non_blank_line_covered_by_no_range(tmp_path):
    problems = coverage_problems(corpus_with(tmp_path, replaced("doc-test,L1,", None)))
    assert problems == [f"doc-test#L1: ligne non blanche couverte par aucune plage de {COVERAGE_FILE}"]


def test_a_cited_line_whose_range_does_not_name_the_row(tmp_path):
    rows = replaced("doc-test,L2,", "doc-test,L2,acteurs:reseau-alpha|acteurs:cooperative-beta,")
    problems = coverage_problems(corpus_with(tmp_path, rows))
    assert problems == [
        "doc-test#L2: citée par liens:reseau-alpha>cooperative-beta>accompagne, mais aucune plage qui la couvre "
        "ne la nomme"
    ]


def test_a_set_aside_range_holding_a_cited_line(tmp_path):
    problems = coverage_problems(corpus_with(tmp_path, [*COMPLETE, "doc-test,L3,,phrase jugée hors sujet"]))
    line = len(COMPLETE) + 2  # header, then the rows
    assert f"{COVERAGE_FILE}:{line}: hors champ, mais L3 est citée par acteurs:collectif-gamma" in problems
    assert all(p.startswith(f"{COVERAGE_FILE}:{line}: hors champ, mais L3") for p in problems)


def test_each_set_aside_range_gives_its_own_reason(tmp_path):
    problems = coverage_problems(corpus_with(tmp_path, [*COMPLETE, "doc-test,L1,,titre du document de test"]))
    assert problems == [
        f"{COVERAGE_FILE}:{line}: hors_champ : motif repris d'une autre plage ; chaque plage dit sa propre raison"
        for line in (2, len(COMPLETE) + 2)
    ]


def test_a_range_may_not_span_a_whole_section(tmp_path, monkeypatch):
    monkeypatch.setattr(coverage, "MAX_RANGE", 1)
    problems = coverage_problems(corpus_with(tmp_path, COMPLETE))
    assert problems == [f"{COVERAGE_FILE}:6: lignes : plage de 2 lignes (au plus 1)"]


def test_a_reference_to_no_row(tmp_path):
    rows = replaced("doc-test,L7,", "doc-test,L7,actions:reunion-membres|actions:mobiliser-mairie|acteurs:fantome,")
    problems = coverage_problems(corpus_with(tmp_path, rows))
    assert problems == [
        f"{COVERAGE_FILE}:7: devenu : « acteurs:fantome » ne désigne aucune ligne du corpus qui cite cette source"
    ]


# --- the problems of form, in the audit and in mesra check ------------------------------------
FORM_CASES = {
    # name: (broken row, what mesra check says, what the audit says)
    "both": (
        "doc-test,L1,acteurs:reseau-alpha,titre du document de test",
        "devenu: remplir soit « devenu »",
        "remplir soit « devenu », soit « hors_champ »",
    ),
    "neither": ("doc-test,L1,,", "devenu: remplir soit « devenu »", "remplir soit « devenu », soit « hors_champ »"),
    "outside": (
        "doc-test,L1-9,,titre du document de test",
        "lignes: L1-9 hors du texte (lignes 1 à 8)",
        "hors du texte",
    ),
    "syntax": ("doc-test,1,,titre du document de test", "lignes: « 1 » invalide : attendu L12 ou L12-20", "invalide"),
    "source": (
        "doc-inconnu,L1,,titre du document de test",
        "source_id: source « doc-inconnu » sans texte",
        "pas de texte",
    ),
    "unknown row": (
        "doc-test,L1,acteurs:fantome,",
        "devenu: « acteurs:fantome » ne désigne aucune ligne du corpus",
        "ne désigne aucune ligne",
    ),
    "bad reference": (
        "doc-test,L1,fantome,",
        "devenu: « fantome » invalide : attendu table:clé",
        "ne désigne aucune ligne",
    ),
}


@pytest.mark.parametrize("case", sorted(FORM_CASES))
def test_problems_of_form_in_check_and_in_the_audit(tmp_path, case):
    row, in_check, in_audit = FORM_CASES[case]
    root = corpus_with(tmp_path, replaced("doc-test,L1,", row))
    problems = [str(p) for p in check_corpus(root)]
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{COVERAGE_FILE.as_posix()}:2: {in_check}"), problems
    assert any(in_audit in p for p in coverage_problems(root))


def test_check_reports_a_missing_column(tmp_path):
    root = corpus_with(tmp_path, [r.rsplit(",", 1)[0] for r in COMPLETE], header="source_id,lignes,devenu")
    problems = check_corpus(root)
    assert [str(p) for p in problems] == [
        f"{COVERAGE_FILE.as_posix()}:1: colonnes: colonne(s) manquante(s) : hors_champ "
        "(attendu : source_id,lignes,devenu,hors_champ)"
    ]
    assert problems[0].kind == "colonne"


def test_check_leaves_completeness_to_the_audit(tmp_path):
    # an incomplete table (a line uncovered, a row unnamed) is a corpus under audit, not a broken one
    rows = replaced("doc-test,L2,", "doc-test,L2,acteurs:reseau-alpha,")[1:]
    root = corpus_with(tmp_path, rows)
    assert check_corpus(root) == []
    assert len(coverage_problems(root)) >= 2


def test_a_broken_table_stops_the_loading(tmp_path):
    from mesra import CorpusError, load_corpus

    root = corpus_with(tmp_path, replaced("doc-test,L1,", "doc-test,L1-9,,titre du document de test"))
    with pytest.raises(CorpusError, match="hors du texte"):
        load_corpus(root)


# --- the default corpus --------------------------------------------------------------------------
def test_every_line_of_the_proceedings_is_accounted_for():
    problems = coverage_problems(ROOT / "data")
    assert problems == [], "\n".join(problems[:50]) + f"\n… {len(problems)} problème(s)"
