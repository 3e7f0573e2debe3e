"""Passages of a source text as a reader reads them: the lines a locator points to, as plain text.

Shared by the brief's sources section (:mod:`mesra.analysis.brief.sources`) and the interactive
network view's cards (:mod:`mesra.network.interactive`), so that both quote a source alike.
"""

from __future__ import annotations

import re

from mesra.corpus.validate import line_ranges

__all__ = ["plain", "excerpt"]

_MARKDOWN = [
    (re.compile(r"\*\*(.+?)\*\*"), r"\1"),
    (re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<!\w)__(.+?)__(?!\w)"), r"\1"),
    (re.compile(r"(?<!\w)_(?!\s)(.+?)(?<!\s)_(?!\w)"), r"\1"),
    (re.compile(r"`([^`]+)`"), r"\1"),
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),
]


def plain(line: str) -> str:
    """One line of a Markdown source as a reader reads it: no heading marks, list marks, emphasis or links.

    >>> plain("## Axe 4 : **le plaidoyer**, *du local* au [global](http://x)")
    'Axe 4 : le plaidoyer, du local au global'
    """
    text = re.sub(r"^\s{0,3}(#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)", "", line)
    for pattern, repl in _MARKDOWN:
        text = pattern.sub(repl, text)
    return text.replace("*", "").strip()


def excerpt(text: str | None, where: str, width: int = 220) -> str | None:
    """The lines ``where`` (``L12-20,L25``) of ``text``, as plain text, cut at ``width`` characters."""
    ranges = line_ranges(where)
    if text is None or not ranges:
        return None
    lines = text.splitlines()
    chunk = " […] ".join(" ".join(plain(line) for line in lines[a - 1 : b] if line.strip()) for a, b in ranges)
    chunk = re.sub(r"\s+", " ", chunk).strip()
    return chunk if len(chunk) <= width else chunk[: width - 1].rstrip() + "…"
