"""Every reader page of the default corpus reads as French prose, not as program output (issues 11, 21).

The pages are rendered once for the territories the session selects: run a few while
working (``pytest --runslow tests/test_reader_pages.py -k "occitanie or gard"``), all of
them before merging.
"""

from __future__ import annotations

import html
import re

import pytest

import mesra
from mesra.batch import run_briefs
from mesra.batch.plan import default_territories

#: What a reader must never see, with what it looks like.
FORBIDDEN = {
    "« (s) » au lieu d'un pluriel accordé": re.compile(r"\w\(s\)"),
    "un nombre écrit avec un point décimal": re.compile(r"(?<![\w.#/:-])\d+\.\d+(?![\w.])"),
    "un identifiant snake_case": re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b"),
    "une représentation Python": re.compile(
        r"dtype|PosixPath|\bNaN\b|\bNone\b|\bTrue\b|\bFalse\b|<Figure|Name: |<matplotlib|Axes\(|\[\d+ rows"
    ),
    "une mention de cellule ou de paramètre": re.compile(r"\bcellules?\b|\bparam[eè]tres?\b", re.IGNORECASE),
    # issue 21: plain French for non-programmers
    "le nom technique d'une mesure de réseau": re.compile(r"PageRank|\bBurt\b|\bLeiden\b|Taille effective"),
    "un localisateur brut": re.compile(r"[\w-]+#L\d+|\bL\d{1,4}(?:-\d+)?\b"),
    "du Markdown brut": re.compile(r"\*\*|(?<![\w*])\*(?=[^\s*])|(?<=[^\s*])\*(?![\w*])|(?<!\w)__\w|\w__(?!\w)"),
    "un nom de commande ou de programme": re.compile(
        r"\bmesra [a-z][a-z-]+|new-monograph|\bempreinte\b|fonctions de mesra|commande «"
    ),
    "une figure vide": re.compile(r"Aucune donnée|Aucun nœud à représenter|Aucun lien à représenter"),
}

#: What the note itself (page 04, fiche included) must not say either: the network page (03) offers the files to
#: download for Gephi by name, the note never (fifth cold read: « page avec le code », « export pour Gephi »,
#: « suivi.csv » in France's note).
NOTE_ONLY = {
    "un nom de fichier ou de logiciel": re.compile(r"\b[\w-]+\.(?:csv|xlsx|gexf|graphml|ipynb)\b|Gephi|avec le code"),
}

TERRITORIES = default_territories(mesra.load_corpus())


def _visible_text(page: str) -> str:
    page = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", page)
    page = re.sub(r"data:[^\"')]+", " ", page)
    return html.unescape(re.sub(r"(?s)<[^>]*>", " ", page))


def _problems(page, root) -> list[str]:
    text = _visible_text(page.read_text(encoding="utf-8"))
    found = []
    rules = {**FORBIDDEN, **(NOTE_ONLY if page.name.startswith("04-") else {})}
    for what, pattern in rules.items():
        hits = sorted({m.group(0) for m in pattern.finditer(text)})
        if hits:
            found.append(f"{page.relative_to(root)} : {what} : {hits[:5]}")
    return found


@pytest.fixture(scope="module")
def rendered(request, tmp_path_factory):
    """The reader pages of the territories this session selected (and the corpus pages), rendered once."""
    wanted = sorted(
        {
            item.callspec.params["territoire"]
            for item in request.session.items
            if getattr(item, "originalname", "") == "test_reader_pages_of_a_territory_read_as_french_prose"
        }
    )
    out = tmp_path_factory.mktemp("rapports")
    result = run_briefs(out=out, territoires=wanted or TERRITORIES[:1], workers=2, progress=False)
    assert result.ok, result.summary()
    return out


@pytest.mark.slow
@pytest.mark.parametrize("territoire", TERRITORIES)
def test_reader_pages_of_a_territory_read_as_french_prose(rendered, territoire):
    pages = [p for p in (rendered / "territoires" / territoire).glob("*.html") if not p.name.endswith(".code.html")]
    assert pages, territoire
    found = [problem for page in sorted(pages) for problem in _problems(page, rendered)]
    assert not found, "\n".join(found)


@pytest.mark.slow
def test_the_corpus_pages_and_the_index_read_as_french_prose(rendered):
    pages = [p for p in (rendered / "corpus").glob("*.html") if not p.name.endswith(".code.html")]
    pages.append(rendered / "index.html")
    assert len(pages) >= 4
    found = [problem for page in sorted(pages) for problem in _problems(page, rendered)]
    assert not found, "\n".join(found)


@pytest.mark.slow
def test_the_measures_stay_on_the_researchers_page(rendered):
    territoire = next(iter(sorted((rendered / "territoires").iterdir()))).name
    code = (rendered / "territoires" / territoire / "04-note-recherche-action.code.html").read_text("utf-8")
    reader = _visible_text((rendered / "territoires" / territoire / "04-note-recherche-action.html").read_text("utf-8"))
    assert "measures_table" in code and "measures_table" not in reader
