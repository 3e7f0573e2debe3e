"""Every reader page of the default corpus reads as French prose, not as program output (issue 11)."""

from __future__ import annotations

import html
import re

import pytest

from mesra.batch import run_briefs

#: What a reader must never see, with what it looks like.
FORBIDDEN = {
    "« (s) » au lieu d'un pluriel accordé": re.compile(r"\w\(s\)"),
    "un nombre écrit avec un point décimal": re.compile(r"(?<![\w.#/:-])\d+\.\d+(?![\w.])"),
    "un identifiant snake_case": re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b"),
    "une représentation Python": re.compile(
        r"dtype|PosixPath|\bNaN\b|\bNone\b|\bTrue\b|\bFalse\b|<Figure|Name: |<matplotlib|Axes\(|\[\d+ rows"
    ),
    "une mention de cellule ou de paramètre": re.compile(r"\bcellules?\b|\bparam[eè]tres?\b", re.IGNORECASE),
}


def _visible_text(page: str) -> str:
    page = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", page)
    page = re.sub(r"data:[^\"')]+", " ", page)
    return html.unescape(re.sub(r"(?s)<[^>]*>", " ", page))


@pytest.mark.slow
def test_no_reader_page_of_the_default_corpus_looks_like_program_output(tmp_path):
    out = tmp_path / "rapports"
    result = run_briefs(out=out, workers=2, progress=False)
    assert result.ok, result.summary()
    pages = [p for p in out.rglob("*.html") if not p.name.endswith(".code.html")]
    assert len(pages) > 40
    found = []
    for page in sorted(pages):
        text = _visible_text(page.read_text(encoding="utf-8"))
        for what, pattern in FORBIDDEN.items():
            hits = sorted({m.group(0) for m in pattern.finditer(text)})
            if hits:
                found.append(f"{page.relative_to(out)} : {what} : {hits[:5]}")
    assert not found, "\n".join(found)
