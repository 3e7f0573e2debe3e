"""10. Sources: every passage cited above, quoted from the source text (by locator), without raw locators."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from mesra import french
from mesra.analysis.brief.wording import render
from mesra.analysis.sections import Section, lines_and_pages, sort_locators
from mesra.corpus.excerpts import excerpt, plain  # noqa: F401 (plain: the brief's name for it)
from mesra.corpus.pages import of as pages_of_corpus


@dataclass(frozen=True)
class Quote:
    locator: str
    source: str  # its source's title
    lines: str  # "lignes 338-342"
    text: str | None  # the cited passage, markdown rendered as plain text
    #: The printed pages of the passage, when the corpus places them (``sources/pages.csv``): "p. 29".
    pages: str = ""

    @property
    def where(self) -> str:
        """Lines and pages, as a footnote gives them: « ligne 910, p. 29 »."""
        return ", ".join(x for x in (self.lines, self.pages) if x)


@dataclass(frozen=True)
class SourcesFacts:
    quotes: tuple[Quote, ...]
    works: tuple[str, ...]  # "author, title, year" of each source cited
    paged: bool = False  # some passage's printed pages are known


def quote(corpus, locator: str, width: int = 220) -> Quote:
    sid, _, where = locator.partition("#")
    src = corpus.sources.set_index("source_id")
    title = str(src.loc[sid, "titre"]) if sid in src.index else sid
    lines, pages = lines_and_pages(locator, pages_of_corpus(corpus))
    return Quote(locator, title, lines, _excerpt(corpus.source_texts.get(sid), where, width), pages)


def _excerpt(text, where: str, width: int) -> str:
    """The passage of ``where``; several ranges share the width, each quoted (« Chaque chantier, co-animé… […]
    Référent.e : Fabrice PENASSE (PESAD 21) », L257 and L273: the second range was cut away)."""
    parts = [p for p in where.split(",") if p.strip()]
    if len(parts) < 2:
        return excerpt(text, where, width)
    share = max(60, width // len(parts))
    return " […] ".join(excerpt(text, p, share) for p in parts)


def facts(corpus, cited, width: int = 220) -> SourcesFacts:
    src = corpus.sources.set_index("source_id")
    locs = sort_locators(cited)
    works = []
    for sid in sorted({loc.partition("#")[0] for loc in locs}):
        if sid in src.index:
            row = src.loc[sid]
            who = f"{row['auteur']}, " if isinstance(row["auteur"], str) else ""
            year = f", {row['annee']}" if not pd.isna(row["annee"]) else ""
            works.append(f"{who}{row['titre']}{year}")
    quotes = tuple(quote(corpus, loc, width) for loc in locs)
    return SourcesFacts(quotes, tuple(works), any(q.pages for q in quotes))


def section(corpus, cited, width: int = 220) -> Section:
    f = facts(corpus, cited, width)
    w = render("sources", f=f)
    s = Section("10. Sources", paragraphs=w.paragraphs, bullets=w.bullets)
    if f.quotes:
        table = pd.DataFrame(
            {
                "Source": [q.source for q in f.quotes],
                "Lignes": [q.lines.removeprefix("lignes ").removeprefix("ligne ") for q in f.quotes],
                "Pages": [q.pages.removeprefix("p. ") or None for q in f.quotes],
                "Extrait": [q.text or french.UNKNOWN for q in f.quotes],
            }
        )
        if table["Source"].nunique() == 1:  # named once above the table, not on every row
            table = table.drop(columns="Source")
        if table["Pages"].isna().all():  # a corpus that does not place its sources' pages
            table = table.drop(columns="Pages")
        s.add_table("Passages cités", table)
    return s
