"""The French wording of the brief: Jinja2 templates, with mesra's French helpers as filters.

Each section of a brief has its facts (a frozen dataclass computed in Python) and its
wording, a template in ``templates/`` that a researcher can edit without touching
Python. A template writes plain text:

* blocks separated by a blank line are paragraphs (their lines are joined by a space);
* a line that starts with ``- `` is a bullet, ``* `` a note ("Pour lire cette section");
* the filters are mesra's French helpers: ``plural`` ("3 acteurs"), ``number``,
  ``share`` ("1 sur 8"), ``et`` ("a, b et c"), ``the``/``of``/``to`` (articles and
  elisions: "l'ARDES", "du MES"), ``date``, ``label`` (a vocabulary code's label).

>>> render_text("{{ 3 | plural('acteur') }} et {{ ['A', 'B', 'C'] | et }}")
'3 acteurs et A, B et C'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined

from mesra import french
from mesra.corpus.contract import label

__all__ = ["environment", "render", "render_text", "Wording"]


def _agree(n: int, singular: str, plural: str) -> str:
    """``singular`` for 0 and 1, ``plural`` above (French agreement of a verb or adjective)."""
    return singular if abs(int(n)) < 2 else plural


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


@cache
def environment() -> Environment:
    """The templates of :mod:`mesra.analysis.brief` with the French filters."""
    env = Environment(
        loader=PackageLoader("mesra.analysis.brief", "templates"),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,  # a Section escapes everything when it renders HTML
    )
    env.filters.update(
        plural=french.plural,
        the_count=french.the_count,
        number=french.number,
        share=french.share,
        et=french.join,
        ou=lambda items: french.join(items, "ou"),
        the=lambda pair: french.the(*pair) if isinstance(pair, tuple) else french.the(pair),
        of=lambda pair: french.of(*pair) if isinstance(pair, tuple) else french.of(pair),
        to=lambda pair: french.to(*pair) if isinstance(pair, tuple) else french.to(pair),
        date=french.date,
        label=label,
        agree=_agree,
        lower_first=_lower_first,
        upper_first=lambda text: text[:1].upper() + text[1:] if text else text,
        quote=lambda text: f"« {text} »",
        lookup=lambda key, table: table.get(key, key),
        relation=lambda code, pair: french.relation(code, [pair], subject=True),
    )
    return env


def render_text(source: str, **context) -> str:
    """A template given as a string (for tests and doctests)."""
    return environment().from_string(source).render(**context).strip()


@dataclass
class Wording:
    """What a template wrote: paragraphs, bullets and notes."""

    paragraphs: list[str] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def render(template: str, **context) -> Wording:
    """Render ``templates/<template>.j2`` and split it into paragraphs, bullets and notes."""
    text = environment().get_template(f"{template}.j2").render(**context)
    return split(text)


def split(text: str) -> Wording:
    out = Wording()
    current: list[str] | None = None
    kind = ""
    for raw in text.splitlines() + [""]:
        line = raw.strip()
        starts = line[:2]
        if not line or starts in ("- ", "* "):
            if current:
                joined = re.sub(r"\s+", " ", " ".join(current)).strip()
                {"p": out.paragraphs, "- ": out.bullets, "* ": out.notes}[kind].append(joined)
            current = None
            if line:
                kind, current = starts, [line[2:]]
            continue
        if current is None:
            kind, current = "p", [line]
        else:
            current.append(line)
    return out
