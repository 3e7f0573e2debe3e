"""7. The six axes of the note de cadrage, from the same frame data as the monographs section."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from mesra.analysis import frame
from mesra.analysis.brief.view import TerritoryView
from mesra.analysis.brief.wording import render, short_title
from mesra.analysis.counts import ANALYSIS_AXES
from mesra.analysis.sections import Section
from mesra.corpus import contract
from mesra.corpus.contract import label

#: Up to this many initiatives are named for an axis; more are counted.
NAMED_INITIATIVES = 3
#: An axis's example (what one initiative says of it) is cut at a word before this many characters.
EXAMPLE_WIDTH = 170
#: ... or this many when each named initiative says its part (nineteenth reading: « des événements… » cut mid-list).
EACH_WIDTH = 320
#: The prefixes of the frame fields whose text is a list (the actors found, the kinds of tools): an axis's example is
#: one of them only when its initiatives say nothing else of it, and keeps its prefix.
_LIST_FIELDS = ("acteurs repérés : ", f"{dict(frame.FRAME)['outils'].lower()} : ")
#: The prefixes of the other frame fields (« processus de participation : … »): an example says the text alone.
_FIELDS = tuple(f"{title.lower()} : " for _, title in frame.FRAME)


@dataclass(frozen=True)
class AxisSaid:
    """One axis of the note de cadrage as part 5 says it: its number and title, the initiatives whose sources bring
    elements to it (titles), and what they say: ``(title, words cut, is a list)``, one for each initiative when they
    are at most :data:`NAMED_INITIATIVES` (eighteenth reading: « 2 initiatives » and only the first one's words),
    else the first as an example. A list is « acteurs repérés : … », said as such."""

    number: int
    title: str
    initiatives: tuple[str, ...]
    examples: tuple[tuple[str, str, bool], ...] = ()


@dataclass(frozen=True)
class AxesFacts:
    monographs: int
    documented: tuple[int, ...]  # axes of analysis (1–5) with at least one element
    open_axes: tuple[str, ...]  # titles of the axes without element
    sources: tuple[str, ...]
    #: When no initiative of the territory brings anything to any of the six axes: no grid of dashes (issue 21,
    #: « no empty table »), the open question of each axis instead, briefly.
    questions: tuple[str, ...] = ()
    #: Each documented axis (the sixth included) in words (sixteenth reading: part 5 gave a count and sent the
    #: reader to a table the printed note does not carry).
    said: tuple[AxisSaid, ...] = ()


def grid(view: TerritoryView) -> pd.DataFrame:
    """The six axes: which monographs document each, what they say, or the open question."""
    ev = view.axis_evidence
    rows = []
    for i, axis in enumerate(contract.AXES_RECHERCHE, start=1):
        mine = ev[ev["axe"] == i]
        titles = list(dict.fromkeys(mine["monographie"]))
        rows.append(
            {
                "Axe": i,
                "Intitulé": label(axis),
                "Initiatives": "; ".join(titles) if titles else None,
                # one element after another in a sentence (twenty-fourth reading: « | » read as a programmer's mark)
                "Ce qu'elles en disent": " ; ".join(
                    f"{m} — {str(e).rstrip('.')}" for m, e in zip(mine["monographie"], mine["element"])
                )
                or None,
                "Question ouverte": None if titles else frame.AXIS_QUESTIONS[axis],
            }
        )
    return pd.DataFrame(rows)


def open_axes(view: TerritoryView) -> list[str]:
    """Titles of the axes of analysis (1–5, :data:`~mesra.analysis.counts.ANALYSIS_AXES`) that no monograph
    of the territory documents; the sixth is the research-action's own programme (L441)."""
    documented = set(view.axis_evidence["axe"])
    return [
        label(a) for i, a in enumerate(contract.AXES_RECHERCHE, start=1) if i in ANALYSIS_AXES and i not in documented
    ]


def _example(rows: pd.DataFrame, width: int = EXAMPLE_WIDTH) -> tuple[str, str] | None:
    """What one initiative says of an axis: its own text on the axis first, then a frame field in sentences (its
    participation process, its needs), a list (actors, tools) only when nothing else is said."""
    if not len(rows):
        return None
    listed = rows["element"].astype(str).str.startswith(_LIST_FIELDS)
    first = rows[~listed].iloc[0] if (~listed).any() else rows.iloc[0]
    text = str(first["element"]).strip().rstrip(".")
    field = next((f for f in _FIELDS if text.startswith(f) and f not in _LIST_FIELDS), "")
    return str(first["monographie"]), short_title(text[len(field) :], width)


def said(view: TerritoryView) -> tuple[AxisSaid, ...]:
    """Each axis (1–6) that the territory's initiatives bring elements to, in words."""
    ev = view.axis_evidence
    out = []
    for i, axis in enumerate(contract.AXES_RECHERCHE, start=1):
        mine = ev[ev["axe"] == i]
        if len(mine):
            titles = tuple(dict.fromkeys(mine["monographie"]))
            each = [_example(mine[mine["monographie"] == t], EACH_WIDTH) for t in titles]
            if len(titles) > NAMED_INITIATIVES:
                each = [_example(mine)]
            examples = tuple((t, w, w.startswith(_LIST_FIELDS)) for t, w in (e for e in each if e))
            out.append(AxisSaid(i, label(axis), titles, examples))
    return tuple(out)


def facts(view: TerritoryView) -> AxesFacts:
    empty = not len(view.axis_evidence)
    return AxesFacts(
        monographs=len(view.monographs),
        documented=tuple(sorted({int(a) for a in view.axis_evidence["axe"]} & set(ANALYSIS_AXES))),
        open_axes=tuple(open_axes(view)),
        sources=tuple(src for srcs in view.monographs["sources"] for src in srcs),
        questions=tuple(frame.AXIS_QUESTIONS[a] for a in contract.AXES_RECHERCHE) if empty else (),
        said=said(view),
    )


def section(view: TerritoryView) -> Section:
    f = facts(view)
    w = render("axes", f=f, named=NAMED_INITIATIVES)
    s = Section("Les six axes de la note de cadrage", paragraphs=w.paragraphs, bullets=w.bullets, notes=w.notes)
    if f.questions:  # every cell would be « — »: the sentence and the questions say it
        s.cite(*f.sources)
        return s
    g = grid(view)
    s.add_table("Grille des six axes", g.astype(object).where(g.notna(), "—"))
    s.cite(*f.sources)
    return s
