"""The printed pages of a source (``sources/pages.csv``): where a reader holding the printed proceedings finds a
passage (issue 21, twenty-ninth reading: « ligne 459 » is nowhere in the document a coordinator holds)."""

from __future__ import annotations

import copy
import json
import re
import shutil

import pytest

from mesra.analysis.brief import Brief
from mesra.batch.inputs import CorpusInputs
from mesra.corpus.load import check_corpus, default_data_dir, load_corpus
from mesra.corpus.pages import PAGES_FILE, PageSpan, locator_pages, pages_of

SOURCE = "actes-coconstruire-2019"


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


def test_each_page_begins_at_a_running_title_and_the_contents_number_the_parts(corpus):
    """Every first line the table gives is a running title of the proceedings (a line in capitals that heads its
    part, « AXE 1: », « TABLE RONDE: »…), and a page the table of contents numbers (L23-35, « - 12 Innovation
    sociale… ») is the one the table says."""
    lines = corpus.source_texts[SOURCE].splitlines()
    pages = corpus.source_pages[SOURCE]
    assert [p for p, _ in pages] == list(range(1, 37))  # the cover to the conclusion, p. 36 (L35)
    for page, first in pages:
        if first is None or page == 1:
            continue
        title = lines[first - 1].strip()
        assert title and title == title.upper(), (page, title)
    contents = {}
    for line in lines[22:35]:  # L23-35
        m = re.match(r"\s*- (\d\d) (.+)", line)
        if m:
            contents.setdefault(int(m.group(1)), m.group(2))
    rows = {p: first for p, first in pages}
    table = (default_data_dir() / PAGES_FILE).read_text(encoding="utf-8").splitlines()[1:]
    cited_contents = 0
    for row in table:
        page = int(row.split(",")[1])
        cited = {int(n) for n in re.findall(r"L(\d+)", row)}
        toc = [n for n in cited if 23 <= n <= 35]
        for n in toc:  # the contents line a row cites numbers that page
            assert re.match(rf"\s*- {page:02d} ", lines[n - 1]) or n == 34, (page, lines[n - 1])
            cited_contents += 1
        if rows[page] is not None and page > 2:
            assert rows[page] in cited, row  # the running title's own line is cited
    assert cited_contents >= 10 and set(contents) <= set(rows)


def test_a_line_lies_on_its_page_or_between_the_pages_the_text_cannot_tell_apart(corpus):
    pages = corpus.source_pages[SOURCE]
    assert pages_of(pages, 910) == PageSpan(29, 29)  # the Réseau des AMAP Île-de-France's Devenir paysan (Axe 4)
    assert pages_of(pages, 257) == PageSpan(11, 11)  # « Chaque chantier, co-animé… »
    assert pages_of(pages, 632, 679) == PageSpan(22, 23)  # the Axe 2 plan
    # the débat runs pp. 33-35 (L34) and p. 35 has no running title: L1030 lies on p. 34 or 35
    assert pages_of(pages, 1030) == PageSpan(34, 35)
    # the last page listed runs to the end of the text: the credits after the conclusion (p. 36, the last page the
    # contents number), not « p. 36 et suiv. », which thirtieth readers took for a page that does not exist
    assert pages_of(pages, 1090) == PageSpan(36, 36)
    spans = locator_pages(corpus.source_pages, f"{SOURCE}#L257,L858")
    assert spans == (PageSpan(11, 11), PageSpan(28, 28))  # each range apart, not « 11 to 28 »
    assert locator_pages(corpus.source_pages, "autre-source#L12") == ()


def test_the_note_gives_pages_in_print_and_lines_on_hover(corpus):
    b = Brief(corpus, "ile-de-france")
    # the IdF fiche cites L910 (Devenir paysan): its footnote gives the page, its hover the title, line and page
    page = "".join(part._repr_html_() for part in b.fiche().parts)
    assert "(p. 29)" in page
    assert re.search(r"title='[^']*ligne 910, p\. 29\)'", page), "the hover gives line and page"
    assert "(ligne 910)" not in page
    # « (ligne 459) » nowhere in the printed sentences either (the next steps: « le 13 janvier 2020 ; p. 17 »)
    steps = " ".join(b.next_steps_section().bullets)
    assert "(le 13 janvier 2020 ; p. 17)" in steps and "ligne 459" not in steps


def test_the_researchers_list_of_passages_gives_lines_and_pages(corpus):
    s = Brief(corpus, "ile-de-france").sources_section()
    (table,) = [t for t in s.tables if t.caption == "Passages cités"]
    rows = dict(zip(table.frame["Lignes"], table.frame["Pages"]))
    assert rows["910"] == "29" and rows["1094-1097"] == "36"
    assert "les pages à la source imprimée" in " ".join(s.paragraphs)


def test_without_the_table_a_note_gives_lines_as_before(tmp_path):
    folder = tmp_path / "corpus"
    shutil.copytree(default_data_dir(), folder)
    (folder / PAGES_FILE).unlink()
    bare = load_corpus(folder)
    assert bare.source_pages == {}
    steps = " ".join(Brief(bare, "ile-de-france").next_steps_section().bullets)
    assert "(le 13 janvier 2020 ; ligne 459)" in steps
    about = " ".join(Brief(bare, "ile-de-france").changes_section().paragraphs)
    assert "non les pages d'un document imprimé" in about
    # the pages are part of what the corpus says: its fingerprint changes with them
    assert bare.hash != load_corpus().hash


@pytest.mark.parametrize(
    "row, field, words",
    [
        (f"{SOURCE},douze,261,{SOURCE}#L261", "page", "numéro de page entier attendu"),
        (f"{SOURCE},37,2000,{SOURCE}#L261", "premiere_ligne", "numéro de ligne du texte attendu (1 à 1098)"),
        (f"{SOURCE},37,1000,{SOURCE}#L1000", "premiere_ligne", "premières lignes croissantes"),
        (f"{SOURCE},20,1050,{SOURCE}#L1050", "page", "pages dans l'ordre"),
        ("inconnue,37,1050,inconnue#L1050", "source_id", "source « inconnue » sans texte dans le corpus"),
        (f"{SOURCE},37,1050,page du colophon", "source", "d'où vient la page"),
    ],
)
def test_mesra_check_says_what_is_wrong_with_the_table_in_french(tmp_path, row, field, words):
    folder = tmp_path / "corpus"
    shutil.copytree(default_data_dir(), folder)
    path = folder / PAGES_FILE
    path.write_text(path.read_text(encoding="utf-8") + row + "\n", encoding="utf-8")
    problems = [p for p in check_corpus(folder) if p.file == PAGES_FILE.as_posix()]
    assert len(problems) == 1, problems
    assert problems[0].field == field and words in problems[0].message, problems[0]
    assert problems[0].line == 38  # the row as the spreadsheet numbers it


def test_an_edit_of_the_pages_redoes_the_notes_that_cite_the_source(corpus):
    before = json.dumps(CorpusInputs(corpus).territory("ile-de-france"), sort_keys=True)
    edited = copy.deepcopy(corpus)
    pages = list(edited.source_pages[SOURCE])
    pages[28] = (29, pages[28][1] + 1)  # p. 29 begins one line later
    edited.source_pages = {SOURCE: tuple(pages)}
    after = json.dumps(CorpusInputs(edited).territory("ile-de-france"), sort_keys=True)
    assert after != before
