"""The printed pages of a source: where each page of the printed document begins in the text the corpus keeps.

``sources/pages.csv`` (in the corpus folder, never required) has one row per printed page of a source:
``source_id,page,premiere_ligne,source``. ``page`` is the number printed on the page; ``premiere_ligne`` the first
line of the kept text that the page holds (its running title), empty when the text does not show where it begins
(a page without a running title); ``source`` says how it is known, as a locator into the same text (the line of the
running title, the table of contents that numbers the parts). Pages of one source are listed in order, their first
lines rising.

A coordinator holds the printed proceedings, not the corpus's text: a note says « ligne 910, p. 30 »
(:func:`pages_of`), so that the passage is found in the document she has (issue 21, twenty-fifth to twenty-ninth
readings: « ligne N » alone sent readers to count paragraphs).

:func:`form_problems` is what ``mesra check`` asks of the table: columns, numbers, known sources, lines inside the
text, pages and first lines in order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from mesra.corpus.tables import RawTable
from mesra.corpus.validate import LOCATOR, Kind, line_ranges
from mesra.errors import Problem

__all__ = ["PAGES_FILE", "COLUMNS", "PageSpan", "of", "parse", "form_problems", "pages_of", "locator_pages"]

#: Where the table lives, relative to the corpus folder.
PAGES_FILE = Path("sources") / "pages.csv"
COLUMNS = ("source_id", "page", "premiere_ligne", "source")

#: One source's pages: ``(page, first line or None)``, in the table's order.
Pages = tuple[tuple[int, int | None], ...]


@dataclass(frozen=True)
class PageSpan:
    """The printed pages a passage may lie on: ``first`` to ``last``."""

    first: int
    last: int


def of(corpus) -> dict[str, Pages]:
    """The printed pages a corpus places (``Corpus.source_pages``), empty when it does not (or an object without)."""
    return getattr(corpus, "source_pages", None) or {}


def _int(value: str) -> int | None:
    return int(value) if value.strip().isdigit() else None


def parse(table: RawTable | None) -> dict[str, Pages]:
    """Each source's pages as read (rows that are not well formed are left out: :func:`form_problems` names them)."""
    out: dict[str, list[tuple[int, int | None]]] = {}
    if table is None:
        return {}
    for row in table.rows:
        sid, page = row.get("source_id", "").strip(), _int(row.get("page", ""))
        first = row.get("premiere_ligne", "").strip()
        if not sid or page is None or (first and _int(first) is None):
            continue
        out.setdefault(sid, []).append((page, _int(first) if first else None))
    return {sid: tuple(pages) for sid, pages in sorted(out.items())}


def form_problems(table: RawTable, source_lines: Mapping[str, int]) -> list[Problem]:
    """The problems of form of a pages table, in French, one per cell."""
    label = PAGES_FILE.as_posix()
    problems = [
        Problem(label, table.header_line, column, f"colonne « {column} » manquante", Kind.COLUMN)
        for column in COLUMNS
        if column not in table.header
    ]
    if problems:
        return problems
    prev_page: dict[str, int] = {}
    prev_first: dict[str, int] = {}
    for row, line in zip(table.rows, table.lines):
        sid = row.get("source_id", "").strip()
        n_lines = source_lines.get(sid)
        if n_lines is None:
            problems.append(
                Problem(
                    label,
                    line,
                    "source_id",
                    f"source « {sid} » sans texte dans le corpus : identifiant de sources.csv dont le fichier est "
                    "présent attendu",
                    Kind.UNKNOWN,
                )
            )
            continue
        page, first_text = _int(row.get("page", "")), row.get("premiere_ligne", "").strip()
        first = _int(first_text) if first_text else None
        if page is None or page < 1:
            problems.append(Problem(label, line, "page", "numéro de page entier attendu (ex. 12)", Kind.VALUE))
            continue
        if first_text and (first is None or not 1 <= first <= n_lines):
            problems.append(
                Problem(
                    label,
                    line,
                    "premiere_ligne",
                    f"« {first_text} » : numéro de ligne du texte attendu (1 à {n_lines}), ou vide si le texte ne "
                    "montre pas où la page commence",
                    Kind.VALUE,
                )
            )
            continue
        if sid in prev_page and page <= prev_page[sid]:
            problems.append(
                Problem(
                    label, line, "page", f"page {page} après la page {prev_page[sid]} : pages dans l'ordre", Kind.VALUE
                )
            )
        elif first is not None and sid in prev_first and first <= prev_first[sid]:
            problems.append(
                Problem(
                    label,
                    line,
                    "premiere_ligne",
                    f"la page {page} commence ligne {first}, pas après la page précédente (ligne {prev_first[sid]}) : "
                    "premières lignes croissantes",
                    Kind.CONSISTENCY,
                )
            )
        m = LOCATOR.match(row.get("source", "").strip())
        if not m or m.group("source") != sid or line_ranges(m.group("where")) is None:
            problems.append(
                Problem(
                    label,
                    line,
                    "source",
                    f"d'où vient la page : référence des lignes de « {sid} » attendue (ex. {sid}#L261, la ligne de son "
                    "titre courant)",
                    Kind.LOCATOR,
                )
            )
        prev_page[sid] = max(page, prev_page.get(sid, 0))
        if first is not None:
            prev_first[sid] = max(first, prev_first.get(sid, 0))
    return problems


def _pages_at(pages: Pages, line: int) -> tuple[int, int] | None:
    """The pages ``line`` may lie on: the last page that begins at or before it, through the pages whose beginning
    is unknown after it. The last page listed runs to the end of the text (thirtieth reading: « p. 36 et suiv. »
    after the last page the table of contents numbers read as a page that does not exist)."""
    known = [(i, p) for i, (p, first) in enumerate(pages) if first is not None and first <= line]
    if not known:
        return None
    i, page = known[-1]
    last = page
    for p, first in pages[i + 1 :]:
        if first is not None:
            break
        last = p
    else:
        return page, page  # after the last page whose beginning is known, the end of the text
    return page, last


def pages_of(pages: Pages | None, start: int, end: int | None = None) -> PageSpan | None:
    """The pages lines ``start``-``end`` lie on, or None when the table does not place them.

    >>> pp = ((1, 1), (2, None), (3, 37), (4, 91), (34, 1022), (35, None), (36, 1040))
    >>> pages_of(pp, 910), pages_of(pp, 60, 95), pages_of(pp, 1030), pages_of(pp, 1060)
    (PageSpan(first=4, last=4), PageSpan(first=3, last=4), PageSpan(first=34, last=35), PageSpan(first=36, last=36))
    """
    if not pages:
        return None
    a, b = _pages_at(pages, start), _pages_at(pages, end if end is not None else start)
    if a is None or b is None:
        return None
    return PageSpan(a[0], max(a[1], b[1]))


def locator_pages(pages: Mapping[str, Pages], locator: str) -> tuple[PageSpan, ...]:
    """The pages of each range of a locator, each once (``actes#L257,L858`` → pages 11 and 28, not 11 to 28); empty
    when the table does not place them all.

    >>> pp = {"actes": ((11, 255), (12, 261), (28, 846), (29, 890))}
    >>> [(s.first, s.last) for s in locator_pages(pp, "actes#L257,L258-262,L858")]
    [(11, 11), (11, 12), (28, 28)]
    """
    sid, _, where = locator.partition("#")
    ranges = line_ranges(where) if where else None
    if not ranges or sid not in pages:
        return ()
    spans = [pages_of(pages[sid], a, b) for a, b in ranges]
    if any(s is None for s in spans):
        return ()
    return tuple(dict.fromkeys(s for s in spans if s is not None))
