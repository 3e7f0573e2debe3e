"""Renderable brief sections: escaped HTML in notebooks, plain text elsewhere.

A :class:`Section` holds a title, paragraphs, tables and the source locators of
the facts it states. Everything that comes from the data is HTML-escaped when
rendered, so an actor named ``<script>…</script>`` shows as text.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

import pandas as pd

from mesra import french
from mesra.analysis.readable import table_html
from mesra.corpus.excerpts import cut

__all__ = ["Section", "Table", "join_fr", "sort_locators"]


@dataclass
class Table:
    caption: str
    frame: pd.DataFrame
    empty: str = "Aucune donnée."


@dataclass
class Section:
    """One part of a brief or overview: title, paragraphs, bullet lists, tables, sources."""

    title: str
    paragraphs: list[str] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    level: int = 2
    #: Short explanations shown after the tables ("how to read this"), with their heading.
    notes: list[str] = field(default_factory=list)
    notes_title: str = "Pour lire cette section"
    #: What each source locator cites: ``{locator: (where, passage, short where)}`` ("Les actes…, lignes
    #: 12-20", the text, "lignes 12-20").
    #: With it, the sources show as marks whose hover (on screen) and footnotes (in print) quote the source.
    quotes: dict = field(default_factory=dict)
    #: Numbers of the source marks across a whole brief (``{locator: n}``), and the locators whose
    #: footnote this section prints (a passage cited again later keeps its number, printed once).
    numbers: dict = field(default_factory=dict)
    footnotes: set | None = None
    #: A printed footnote quotes the first sentence of its passage cut at this width (the fiche: shorter); in two
    #: columns, a footnote of this width holds on two lines (seventeenth reading: half of France's note was footnotes).
    footnote_width: int = 64
    #: Links to other pages of the same batch: ``(text, relative href)``, shown after the paragraphs.
    links: list = field(default_factory=list)

    def add_table(self, caption: str, frame: pd.DataFrame, empty: str = "Aucune donnée.") -> None:
        self.tables.append(Table(caption, frame, empty))

    def cite(self, *locators) -> None:
        for loc in locators:
            if isinstance(loc, str) and loc and loc not in self.sources:
                self.sources.append(loc)

    def cite_once(self, *locators) -> None:
        """:meth:`cite`, leaving out a locator whose lines another cited locator of the same source covers (one
        footnote for « lignes 58-62 » and « lignes 58-64 »: tenth reading, France's fiche)."""
        from mesra.corpus.validate import LOCATOR, line_ranges

        def lines(loc: str) -> tuple[str, set[int]] | None:
            m = LOCATOR.match(loc)
            ranges = line_ranges(m.group("where")) if m and m.group("where") else None
            return (m.group("source"), {n for a, b in ranges for n in range(a, b + 1)}) if ranges else None

        self.cite(*locators)
        spans = {loc: lines(loc) for loc in self.sources}

        def covered(loc: str) -> bool:
            mine = spans[loc]
            return mine is not None and any(
                other != loc
                and spans[other] is not None
                and spans[other][0] == mine[0]
                and mine[1] <= spans[other][1]
                and (mine[1] != spans[other][1] or self.sources.index(other) < self.sources.index(loc))
                for other in self.sources
            )

        self.sources = [loc for loc in self.sources if not covered(loc)]

    def _repr_html_(self) -> str:
        def e(text) -> str:
            return html.escape(french.punctuate(text))

        parts = [f"<h{self.level}>{e(self.title)}</h{self.level}>"]
        parts += [f"<p>{e(p)}</p>" for p in self.paragraphs]
        if self.bullets:
            parts.append("<ul>" + "".join(f"<li>{e(b)}</li>" for b in self.bullets) + "</ul>")
        if self.links:
            items = (f"<li><a href='{html.escape(href, quote=True)}'>{e(text)}</a></li>" for text, href in self.links)
            parts.append("<ul class='mesra-links'>" + "".join(items) + "</ul>")
        for table in self.tables:
            parts.append(f"<p class='mesra-caption'><strong>{e(table.caption)}</strong></p>")
            if len(table.frame):
                from mesra.analysis.readable import readable

                t = readable(table.frame)
                parts.append(table_html(t.labels, t.cells, t.numeric))
            else:
                parts.append(f"<p><em>{e(table.empty)}</em></p>")
        if self.notes:
            parts.append(
                f"<div class='mesra-notes'><p><em>{e(self.notes_title)}</em></p><ul>"
                + "".join(f"<li>{e(n)}</li>" for n in self.notes)
                + "</ul></div>"
            )
        if self.sources:
            parts.append(self._sources_html(e))
        return "\n".join(parts)

    def _sources_html(self, e) -> str:
        """The sources as numbered marks: hovering one shows the passage it cites; printed, footnotes quote it."""
        locs = sort_locators(self.sources)
        marks, notes, quoted = [], [], set()
        for i, loc in enumerate(locs, start=1):
            where, text, short = self.quotes.get(loc) or (_where(loc), None, _where(loc))
            hover = f"« {text} » ({where})" if text else where
            n = self.numbers.get(loc, i)
            marks.append(f"<span class='mesra-cite' title='{html.escape(hover, quote=True)}'>[{n}]</span>")
            if self.footnotes is None or loc in self.footnotes:
                first = _distinct_quote(text, self.footnote_width, quoted) if text else None
                quoted.add(first)
                note = f"« {first} » ({short})" if text else where
                notes.append(f"<li>[{n}] {e(note)}</li>")
        return (
            "<p class='mesra-sources'><small>Sources : "
            + " ".join(marks)
            + "</small></p>"
            + ("<ul class='mesra-footnotes'>" + "".join(notes) + "</ul>" if notes else "")
        )

    def __str__(self) -> str:
        lines = [self.title, "=" * len(self.title), *self.paragraphs]
        lines += [f"- {b}" for b in self.bullets]
        lines += [f"- {text} ({href})" for text, href in self.links]
        for table in self.tables:
            lines.append(table.caption)
            lines.append(table.frame.to_string(index=False) if len(table.frame) else table.empty)
        if self.notes:
            lines.append(self.notes_title)
            lines += [f"  · {n}" for n in self.notes]
        if self.sources:
            lines.append("Sources : " + ", ".join(sort_locators(self.sources)))
        return "\n".join(lines)

    __repr__ = __str__


def _distinct_quote(text: str, width: int, quoted: set) -> str:
    """What a printed footnote quotes of its passage: its first sentence, unless a footnote above in the same section
    already quotes the same words; then the first sentence of its last part (four notes on « Chaque chantier,
    co-animé… », L257: each quotes its own référent's line), else its last words (thirty-first reading: France's
    fiche printed « LE SÉMINAIRE… » (p. 36) twice, for the credits' two passages, L1064-1071)."""
    first = _first_sentence(text, width)
    if first not in quoted:
        return first
    if " […] " in text:
        last = _first_sentence(text.rsplit(" […] ", 1)[1], width)
        if last not in quoted:
            return last
    tail = _last_words(text, width)
    return tail if tail not in quoted else first


def _last_words(text: str, width: int) -> str:
    """The end of a passage, whole words within ``width`` characters, after « … »."""
    words, kept = text.replace("*", "").split(), []
    while words and len(" ".join([words[-1], *kept])) <= width:
        kept.insert(0, words.pop())
    return "…" + " ".join(kept or words[-1:])


def _first_sentence(text: str, width: int = 110) -> str:
    """The first sentence of a passage, cut at ``width`` characters (a printed footnote stays one line or two)."""
    m = re.search(r"[.!?…](?=\s)", text)
    first = text[: m.end()] if m else text
    return cut(first, width)


def where_in_words(locators, pages=None) -> str:
    """Where passages are, as a reader finds them: the printed pages when the corpus places them all
    (``sources/pages.csv``: « p. 17 et 23 »), else their lines (« lignes 463 et 662 », with the source's identifier
    when they come from several). The one way every sentence of the notes says it (twenty-ninth reading: a
    coordinator holds the printed proceedings, where « ligne 459 » is nowhere).

    >>> where_in_words(["actes#L663-664", "actes#L12"])
    'lignes 12 et 663-664'
    >>> where_in_words(["actes#L459"], {"actes": ((17, 426), (18, 466))})
    'p. 17'
    """
    from mesra.corpus.pages import locator_pages

    locs = sort_locators(dict.fromkeys(loc for loc in locators if loc))
    if not locs:
        return ""
    if pages:
        placed = [locator_pages(pages, loc) for loc in locs]
        if all(placed):
            return french.pages_in_words([s for spans in placed for s in spans])
    if len({loc.partition("#")[0] for loc in locs}) == 1:
        return french.lines_in_words([loc.partition("#")[2] for loc in locs])
    return french.locator_in_words(", ".join(locs))


def lines_and_pages(locator: str, pages=None) -> tuple[str, str]:
    """One passage's lines and printed pages in words (« lignes 12-20 », « p. 17 »), each empty when unknown: what a
    footnote prints and its hover shows, in the notes and in the resource centre alike.

    >>> lines_and_pages("actes#L459", {"actes": ((17, 426), (18, 466))})
    ('ligne 459', 'p. 17')
    """
    from mesra.corpus.pages import locator_pages

    where = locator.partition("#")[2]
    if not where:
        return "", ""
    return french.lines_in_words([where]), french.pages_in_words(locator_pages(pages or {}, locator))


def _where(locator: str) -> str:
    """``actes-coconstruire-2019#L12-20,L25`` → ``actes-coconstruire-2019, lignes 12-20 et 25``."""
    sid, _, where = locator.partition("#")
    return f"{sid}, {french.lines_in_words([where])}" if where else sid


def sort_locators(locators) -> list[str]:
    """Locators by source, then first cited line (``doc#L9`` before ``doc#L10``)."""

    def key(loc):
        m = re.search(r"#L(\d+)", loc)
        return (loc.split("#")[0], int(m.group(1)) if m else 0, loc)

    return sorted(set(locators), key=key)


def join_fr(items) -> str:
    """``a, b et c``."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " et " + items[-1]
