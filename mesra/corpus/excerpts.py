"""Passages of a source text as a reader reads them: the lines a locator points to, as plain text.

Shared by the brief's sources section (:mod:`mesra.analysis.brief.sources`) and the interactive
network view's cards (:mod:`mesra.network.interactive`), so that both quote a source alike.
"""

from __future__ import annotations

import re

from mesra.corpus.validate import line_ranges

__all__ = ["plain", "excerpt", "cut"]

#: An HTML tag (the proceedings' programme, L166-167, is an HTML table pasted as ``<p>`` cells).
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(\s[^<>]*)?/?>")

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
    text = re.sub(r"\s+", " ", _TAG.sub(" ", line))
    text = re.sub(r"^\s{0,3}(#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)", "", text.strip())
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
    return cut(chunk, width)


def cut(text: str, width: int) -> str:
    """``text`` cut to at most ``width`` characters at a word boundary, with « … » (never mid-word).

    >>> cut("Expérimentation Territoires Zéro Chômeur", 20)
    'Expérimentation…'
    """
    if len(text) <= width:
        return text
    head = text[: width - 1]
    if text[width - 1].isspace() or not head or head[-1].isspace():
        kept = head
    else:
        kept = head.rsplit(None, 1)[0] if " " in head.strip() else head
    return kept.rstrip(" ,;:(«—-") + "…"
