"""Print length of every brief of the default corpus (issue 21, item 1), on paper as readers get it.

- The fiche territoire prints on at most 2 A4 pages, a region's (or a smaller territory's) whole
  note, annexes included, on at most 12, France's (and the notes that contain France: Europe,
  Monde) on at most 20.
- Counted twice: on the PDFs that ``mesra briefs --pdf`` writes (WeasyPrint: the note, and the
  fiche alone, ``*.fiche.pdf``), and on headless Chromium's print of the reader page
  (``Page.printToPDF``, A4; the fiche alone with the same stylesheet, :data:`mesra.batch.pdf.FICHE_ONLY`).
  Without Chromium the browser test fails (``tests/test_browser.py``'s helper), it never skips.

One batch of the default corpus serves both tests (slow: ``pytest --runslow -k print_length``).
"""

from __future__ import annotations

import base64
import contextlib
import json
import re
import zlib

import pytest
from test_browser import Browser, _chromium

from mesra import load_corpus
from mesra.batch.pdf import FICHE_ONLY, fiche_pdf
from mesra.batch.run import run_briefs

pytestmark = pytest.mark.slow

NOTE = "04-note-recherche-action"
FICHE_MAX = 2
NOTE_MAX = 12
#: France and the territories that contain it print France's whole note.
WIDE_MAX = 20
_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def _limit(corpus, territoire: str) -> int:
    return WIDE_MAX if "fr" in corpus.territory_ids(territoire) else NOTE_MAX


def pages(pdf: bytes) -> int:
    """Pages of a PDF: its page objects, in the file or in its compressed object streams (WeasyPrint)."""
    text = [pdf]
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        with contextlib.suppress(zlib.error):
            text.append(zlib.decompressobj().decompress(stream))
    n = sum(len(_PAGE.findall(t)) for t in text)
    assert n > 0 and pdf.startswith(b"%PDF"), "PDF illisible"
    return n


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    out = tmp_path_factory.mktemp("rapports")
    result = run_briefs(out=out, workers=2, progress=False, pdf=True)
    assert result.ok, result.summary()
    return out


def test_the_weasyprint_pdfs_are_within_the_limits(printed, corpus):
    counted, over = {}, []
    for folder in sorted((printed / "territoires").iterdir()):
        page = folder / f"{NOTE}.html"
        note = pages(page.with_suffix(".pdf").read_bytes())
        fiche = pages(fiche_pdf(page).read_bytes())
        counted[folder.name] = (fiche, note)
        if fiche > FICHE_MAX or note > _limit(corpus, folder.name):
            over.append((folder.name, fiche, note))
    print("WeasyPrint (fiche, note):", json.dumps(counted, ensure_ascii=False))
    assert {"fr", "occitanie", "hauts-de-france", "normandie", "bourgogne-franche-comte"} <= set(counted)
    assert not over, over


@pytest.mark.browser
def test_chromium_prints_each_reader_page_within_the_limits(printed, corpus, tmp_path):
    browser = Browser(_chromium(), tmp_path / "profil-chromium")
    counted, over = {}, []
    try:
        for folder in sorted((printed / "territoires").iterdir()):
            page = folder / f"{NOTE}.html"
            browser.open(page, tmp_path / f"{folder.name}.png")
            a4 = {"paperWidth": 8.27, "paperHeight": 11.69, "printBackground": True}
            note = pages(base64.b64decode(browser.send("Page.printToPDF", a4, session=True)["data"]))
            style = f"const s = document.createElement('style'); s.textContent = {json.dumps(FICHE_ONLY)};"
            browser.send("Runtime.evaluate", {"expression": style + "document.head.appendChild(s); 1"}, session=True)
            fiche = pages(base64.b64decode(browser.send("Page.printToPDF", a4, session=True)["data"]))
            counted[folder.name] = (fiche, note)
            if fiche > FICHE_MAX or note > _limit(corpus, folder.name):
                over.append((folder.name, fiche, note))
    finally:
        browser.close()
    print("Chromium (fiche, note):", json.dumps(counted, ensure_ascii=False))
    assert len(counted) >= 5
    assert not over, over
