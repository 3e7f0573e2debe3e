"""7. The six axes of the note de cadrage, from the same frame data as the monographs section."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from mesra.analysis import frame
from mesra.analysis.brief.view import TerritoryView
from mesra.analysis.brief.wording import render
from mesra.analysis.counts import ANALYSIS_AXES
from mesra.analysis.sections import Section
from mesra.corpus import contract
from mesra.corpus.contract import label


@dataclass(frozen=True)
class AxesFacts:
    monographs: int
    documented: tuple[int, ...]  # axes of analysis (1–5) with at least one element
    open_axes: tuple[str, ...]  # titles of the axes without element
    sources: tuple[str, ...]
    #: When no initiative of the territory brings anything to any of the six axes: no grid of dashes (issue 21,
    #: « no empty table »), the open question of each axis instead, briefly.
    questions: tuple[str, ...] = ()


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
                "Ce qu'elles en disent": " | ".join(f"{m} — {e}" for m, e in zip(mine["monographie"], mine["element"]))
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


def facts(view: TerritoryView) -> AxesFacts:
    empty = not len(view.axis_evidence)
    return AxesFacts(
        monographs=len(view.monographs),
        documented=tuple(sorted({int(a) for a in view.axis_evidence["axe"]} & set(ANALYSIS_AXES))),
        open_axes=tuple(open_axes(view)),
        sources=tuple(src for srcs in view.monographs["sources"] for src in srcs),
        questions=tuple(frame.AXIS_QUESTIONS[a] for a in contract.AXES_RECHERCHE) if empty else (),
    )


def section(view: TerritoryView) -> Section:
    f = facts(view)
    w = render("axes", f=f)
    s = Section("Les six axes de la note de cadrage", paragraphs=w.paragraphs, bullets=w.bullets, notes=w.notes)
    if f.questions:  # every cell would be « — »: the sentence and the questions say it
        s.cite(*f.sources)
        return s
    g = grid(view)
    s.add_table("Grille des six axes", g.astype(object).where(g.notna(), "—"))
    s.cite(*f.sources)
    return s
