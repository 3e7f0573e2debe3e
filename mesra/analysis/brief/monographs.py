"""5. Monographs located in the territory (:func:`mesra.analysis.counts.monographs_of`), every field of the
common frame, and the axes each documents (:func:`mesra.analysis.counts.documented_axes`)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from mesra import french
from mesra.analysis import frame
from mesra.analysis.brief.view import TerritoryView, present
from mesra.analysis.brief.wording import render
from mesra.analysis.counts import documented_axes, monograph_states
from mesra.analysis.sections import Section
from mesra.corpus.contract import label


@dataclass(frozen=True)
class MonographFacts:
    id: str
    title: str
    axes: tuple[int, ...]
    sources: tuple[str, ...]
    state: str = "redigee"  # contract.MONOGRAPH_STATES


@dataclass(frozen=True)
class MonographsFacts:
    monographs: tuple[MonographFacts, ...]
    states: tuple[tuple[str, int], ...] = ()  # counts.monograph_states


def facts(view: TerritoryView) -> MonographsFacts:
    m = view.monographs
    axes = documented_axes(m)
    states = m["etat"] if "etat" in m.columns else ["redigee"] * len(m)
    return MonographsFacts(
        tuple(
            MonographFacts(i, t, axes[i], tuple(srcs), st)
            for i, t, srcs, st in zip(m["id"], m["titre"], m["sources"], states)
        ),
        monograph_states(m),
    )


def section(view: TerritoryView) -> Section:
    f = facts(view)
    s = Section("Les initiatives, selon le cadre commun")
    w = render("monographs", f=f)
    s.paragraphs, s.bullets = w.paragraphs, w.bullets
    for row, mf in zip(view.monographs.itertuples(), f.monographs):
        fields = [
            ("Territoire", view.corpus.territory_name(row.territoire)),
            ("Porteur", view.name_of(row.porteur) if present(row.porteur) else french.UNKNOWN),
            ("Acteurs", french.join(view.name_of(a) for a in row.acteurs) or french.UNKNOWN),
            ("Année", str(row.annee) if not pd.isna(row.annee) else french.UNKNOWN),
            ("État", label(getattr(row, "etat", "redigee"))),
            *frame.frame_fields(row),
            (
                "Axes de la note de cadrage éclairés",
                french.join(f"axe {a}" for a in mf.axes) if mf.axes else "aucun",
            ),
        ]
        s.add_table(row.titre, pd.DataFrame(fields, columns=["Champ", "Contenu"]))
        s.cite(*mf.sources)
    return s
