"""The co-evaluation pages (issue 26): planned per campaign, rendered, synthetic on every page, never one score."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest
from helpers import ROOT
from test_browser import Browser, _check_pages, _chromium
from test_coevaluation import AGGREGATE_WORDS

from mesra.analysis.brief import Brief
from mesra.batch.jobs import OVERVIEW_FOLDER
from mesra.batch.plan import plan_jobs
from mesra.batch.run import run_briefs
from mesra.corpus import load_corpus

FIXTURE = ROOT / "tests" / "fixtures" / "coevaluation"
NOTEBOOK = ROOT / "notebooks" / "06-co-evaluation.ipynb"


def _text(page: Path) -> str:
    text = page.read_text(encoding="utf-8")
    text = re.sub(r"<(style|script)\b.*?</\1>", " ", text, flags=re.S)
    text = re.sub(r"<img[^>]*>", " ", text)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", text)))


def test_one_job_per_campaign_in_the_territory_folder(tmp_path):
    corpus = load_corpus(FIXTURE)
    common = dict(data_param=str(FIXTURE), pseudonymiser=False, out=tmp_path, kernel_name="python3")
    jobs = plan_jobs(corpus, ["gard"], [NOTEBOOK], **common)
    assert [(j.folder, j.stem, j.parameters["campagne"]) for j in jobs] == [
        ("territoires/gard", "06-co-evaluation-exemple-2023", "exemple-2023"),
        ("territoires/gard", "06-co-evaluation-exemple-2024", "exemple-2024"),
    ]
    assert (
        jobs[1].title
        == "Co-évaluation de l'utilité sociale : Co-évaluation 2024 de l'Épicerie Exemple (exemple synthétique)"
    )
    # a corpus with no campaign runs none
    assert plan_jobs(load_corpus(ROOT / "tests" / "fixtures" / "mini"), ["occitanie"], [NOTEBOOK], **common) == []


def test_a_campaign_without_territory_goes_to_the_corpus_folder(tmp_path):
    folder = tmp_path / "corpus"
    shutil.copytree(FIXTURE, folder)
    (folder / "acteurs.csv").write_text(
        (folder / "acteurs.csv").read_text(encoding="utf-8").replace("association,gard,", "association,,"), "utf-8"
    )
    jobs = plan_jobs(
        load_corpus(folder),
        [],
        [NOTEBOOK],
        data_param=str(folder),
        pseudonymiser=False,
        out=tmp_path,
        kernel_name="python3",
    )
    assert {j.folder for j in jobs} == {OVERVIEW_FOLDER} and all(j.territoire is None for j in jobs)


def test_the_territory_brief_links_to_its_campaigns():
    brief = Brief(load_corpus(FIXTURE), "gard")
    section = brief.practices_section()
    page = section._repr_html_()
    assert "2 campagnes évaluent une structure de ce territoire" in page
    assert (
        "<a href='06-co-evaluation-exemple-2024.html'>"
        "Co-évaluation 2024 de l&#x27;Épicerie Exemple (exemple synthétique)</a>" in page
    )
    assert Brief(load_corpus(FIXTURE), "occitanie").practices_section().links == []


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("coevaluation")
    notebooks = tmp / "carnets"
    notebooks.mkdir()
    shutil.copy(NOTEBOOK, notebooks / NOTEBOOK.name)
    shutil.copy(ROOT / "notebooks" / "04-note-recherche-action.ipynb", notebooks)
    out = tmp / "rapports"
    result = run_briefs(FIXTURE, out, notebooks_dir=notebooks, territoires=["gard"], workers=1, progress=False)
    assert result.ok, result.summary()
    return out


def test_every_page_says_synthetic_and_shows_no_aggregate(published):
    pages = sorted((published / "territoires" / "gard").glob("06-co-evaluation-*.html"))
    assert [p.name for p in pages] == [
        "06-co-evaluation-exemple-2023.code.html",
        "06-co-evaluation-exemple-2023.html",
        "06-co-evaluation-exemple-2024.code.html",
        "06-co-evaluation-exemple-2024.html",
    ]
    for page in pages:
        text = _text(page)
        assert "Exemple synthétique" in text, page.name
        found = [text[max(0, m.start() - 60) : m.end() + 60] for m in AGGREGATE_WORDS.finditer(text)]
        assert found == [], (page.name, found)
        assert "Le financeur n'a pas été invité" not in text  # fewer than 3 financeurs: never quoted
    text = _text(published / "territoires" / "gard" / "06-co-evaluation-exemple-2024.html")
    assert "Les financeurs (2 répondants) ne sont pas montrés à part" in text
    assert "« Les décisions se prennent surtout en bureau. » (bénéficiaires)" in text
    assert "Comparaison avec la campagne précédente" in text
    assert "Ouvrir les assemblées aux bénéficiaires" in text  # the action decided, linked to its criterion
    brief = (published / "territoires" / "gard" / "04-note-recherche-action.html").read_text(encoding="utf-8")
    assert "href='06-co-evaluation-exemple-2024.html'" in brief or 'href="06-co-evaluation-exemple-2024.html"' in brief
    index = _text(published / "index.html")
    assert "Co-évaluation 2024 de l'Épicerie Exemple (exemple synthétique)" in index


def test_the_page_opens_in_chromium(published, tmp_path):
    browser = Browser(_chromium(), tmp_path / "profil-chromium")
    try:
        page = published / "territoires" / "gard" / "06-co-evaluation-exemple-2024.html"
        _check_pages(browser, published, [page], tmp_path / "captures")
        seen = browser.open(page, tmp_path / "captures" / "again.png")
        assert len(seen["images"]) == 2  # the dot plot and the diverging bars
        assert "exemple synthétique" in seen["title"]
    finally:
        browser.close()


def test_a_pseudonymised_run_masks_names_in_quoted_comments(tmp_path):
    folder = tmp_path / "corpus"
    shutil.copytree(FIXTURE, folder)
    answers = folder / "evaluation" / "reponses.csv"
    answers.write_text(
        answers.read_text(encoding="utf-8").replace(
            "Les décisions se prennent surtout en bureau.", "Marie Dupont décide seule en bureau."
        ),
        encoding="utf-8",
    )
    notebooks = tmp_path / "carnets"
    notebooks.mkdir()
    shutil.copy(NOTEBOOK, notebooks / NOTEBOOK.name)
    out = tmp_path / "rapports"
    result = run_briefs(
        folder, out, notebooks_dir=notebooks, territoires=["gard"], workers=1, progress=False, pseudonymiser=True
    )
    assert result.ok, result.summary()
    for page in (out / "territoires" / "gard").glob("06-co-evaluation-exemple-2024*.html"):
        text = _text(page)
        assert "Marie Dupont" not in text and "Dupont" not in text, page.name
        assert "« [nom masqué] décide seule en bureau. » (bénéficiaires)" in text, page.name
