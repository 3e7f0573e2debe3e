"""5. Monographs located in the territory (:func:`mesra.analysis.counts.monographs_of`), every field of the
common frame, and the axes each documents (:func:`mesra.analysis.counts.documented_axes`)."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from mesra import french
from mesra.analysis import frame
from mesra.analysis.brief.view import TerritoryView, is_generic, present
from mesra.analysis.brief.wording import render, short_title
from mesra.analysis.counts import documented_axes, monograph_states
from mesra.analysis.sections import Section
from mesra.corpus import contract
from mesra.corpus.contract import label


@dataclass(frozen=True)
class MonographFacts:
    id: str
    title: str
    axes: tuple[int, ...]
    sources: tuple[str, ...]
    #: ``(axis, what rests the claim: the first element the monograph gives for it, shortened)``.
    evidence: tuple[tuple[int, str], ...] = ()
    state: str = "redigee"  # contract.MONOGRAPH_STATES
    #: What it is for (``objectifs``), the first :data:`AIMS_MAX` (twelfth reading: Bourgogne-Franche-Comté's note
    #: never said what the Générateur does, L314).
    aims: tuple[str, ...] = ()
    #: How many aims it has in all.
    aims_total: int = 0
    #: What the sources count of it (« 23 collectivités accompagnées »), as the fiche says them (twelfth reading:
    #: France's note gave no figure where its regions' fiches did, L314, L320).
    figures: tuple[str, ...] = ()
    #: The frame's « innovation sociale » as the corpus describes it, cut at :data:`INNOVATION_WIDTH` characters; said
    #: as the corpus's reading, to check. The origin is not said: its coding (« commande publique ») was read as the
    #: sources' words or as public procurement (thirteenth and fifteenth readings, L320, L368); the annex has it.
    innovation: str | None = None
    #: The first unmet need the sources name (the frame's « besoins non couverts », L404), cut at
    #: :data:`NEED_WIDTH` (fifteenth reading: Normandie's note never said which need the TZCLD answers, L328).
    need: str | None = None
    #: The organisations the sources name in it (its ``acteurs`` that are not projects, events or tools), whole: the
    #: note said them only inside cut fragments (fifteenth reading: Normandie's COORACE, L328).
    actors: tuple[str, ...] = ()
    #: How it began and what holds it back (``contexte``), and what it has done or brought (``resultats``), in the
    #: sources' words (nineteenth reading: the RRL's « pas vraiment de méthodologie d'essaimage », L342, the
    #: Générateur's 23 collectivités, L314, the TZCLD's « apport majeur », L330, the PTCE's « effondrement du soutien
    #: étatique », L370, were in no note). Whole for a territory of few initiatives, else the first ones, cut.
    context: tuple[str, ...] = ()
    results: tuple[str, ...] = ()


#: A territory of many initiatives (France) says the first :data:`CONTEXT_MAX` of an initiative's context and of its
#: results, each cut at :data:`CONTEXT_WIDTH` characters (the annex's table has them whole).
CONTEXT_MAX = 2
CONTEXT_WIDTH = 120


#: An initiative's first unmet need is said in the note cut at this many characters (most are whole).
NEED_WIDTH = 230

#: An initiative's innovation is said in the note cut at this many characters (its table in the annex has it whole).
INNOVATION_WIDTH = 90

#: At most this many aims of an initiative are said in the note (its table in the annex has them all).
AIMS_MAX = 2
#: A territory with at most this many initiatives (a region, a département) says each one's aims whole and its
#: innovation at :data:`FEW_INNOVATION_WIDTH` (seventeenth reading: Bourgogne-Franche-Comté's one initiative said
#: two of its four aims, « et 2 autres », and its printed note has room).
FEW = 3
FEW_INNOVATION_WIDTH = 240


@dataclass(frozen=True)
class MonographsFacts:
    monographs: tuple[MonographFacts, ...]
    states: tuple[tuple[str, int], ...] = ()  # counts.monograph_states


def facts(view: TerritoryView) -> MonographsFacts:
    m = view.monographs
    axes = documented_axes(m)
    ev = view.axis_evidence

    def said(mid: str, axis: int) -> str:
        element = str(ev.loc[(ev["id"] == mid) & (ev["axe"] == axis), "element"].iloc[0])
        return short_title(element[:1].lower() + element[1:], EVIDENCE_WIDTH)

    states = m["etat"] if "etat" in m.columns else ["redigee"] * len(m)
    aims = [[x for x in a if present(x)] if isinstance(a, list) else [] for a in m["objectifs"]]
    figures = [
        tuple(p for p in (frame.figure_phrase(k, n) for k, n in sorted(f.items())) if p) if isinstance(f, dict) else ()
        for f in (m["chiffres"] if "chiffres" in m.columns else [None] * len(m))
    ]

    needs = [
        short_title(str(b[0]).strip().rstrip("."), NEED_WIDTH) if isinstance(b, list) and b and present(b[0]) else None
        for b in m["besoins_non_couverts"]
    ]
    few = len(m) <= FEW
    innovations = [
        short_title(str(d).strip().rstrip("."), FEW_INNOVATION_WIDTH if few else INNOVATION_WIDTH)
        if present(d)
        else None
        for d in (m["innovation_description"] if "innovation_description" in m.columns else [None] * len(m))
    ]

    def said_list(column: str) -> list[tuple[str, ...]]:
        values = m[column] if column in m.columns else [None] * len(m)
        out = []
        for v in values:
            items = [str(x).strip().rstrip(".") for x in (v if isinstance(v, list) else []) if present(x)]
            out.append(tuple(items) if few else tuple(short_title(x, CONTEXT_WIDTH) for x in items[:CONTEXT_MAX]))
        return out

    return MonographsFacts(
        tuple(
            MonographFacts(
                i,
                t,
                axes[i],
                tuple(srcs),
                tuple((a, said(i, a)) for a in axes[i]),
                st,
                tuple(aim if few else aim[:AIMS_MAX]),
                len(aim),
                fig,
                innovation,
                need,
                tuple(
                    view.name_of(a)
                    for a in (acts or [])
                    if a != i and view.types.get(a) not in contract.CONTEXT_TYPES and not is_generic(view.name_of(a))
                ),
                context,
                results,
            )
            for i, t, srcs, st, aim, fig, innovation, need, acts, context, results in zip(
                m["id"],
                m["titre"],
                m["sources"],
                states,
                aims,
                figures,
                innovations,
                needs,
                m["acteurs"],
                said_list("contexte"),
                said_list("resultats"),
            )
        ),
        monograph_states(m),
    )


#: Each axis a monograph is said to document is followed by what it rests on, cut at this many characters.
EVIDENCE_WIDTH = 70


def section(view: TerritoryView) -> Section:
    f = facts(view)
    s = Section("Les initiatives, selon le cadre commun")
    # those presented first, then those the sources report, then the examples; the most documented first: a long
    # list shows its first items (twelfth reading: France's note left out the TZCLD, the only one giving axis 5)
    rank = {"redigee": 0, "presentee": 0, "rapportee": 1, "citee": 2}
    shown = sorted(f.monographs, key=lambda x: (rank.get(x.state, 1), -len(x.axes)))
    w = render("monographs", f=replace(f, monographs=tuple(shown)))
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
                "Axes d'analyse de la note de cadrage (1 à 5) documentés",
                french.join(f"axe {a}" for a in mf.axes) if mf.axes else "aucun",
            ),
        ]
        s.add_table(row.titre, pd.DataFrame(fields, columns=["Champ", "Contenu"]))
        s.cite(*mf.sources)
    return s
