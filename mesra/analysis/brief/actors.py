"""1. The territory and its actors by type and echelon."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from mesra import french
from mesra.analysis.brief.view import TerritoryView
from mesra.analysis.brief.wording import render
from mesra.analysis.sections import Section
from mesra.corpus import contract
from mesra.corpus.contract import label


@dataclass(frozen=True)
class ActorsFacts:
    actors: tuple[str, ...]  # identifiers
    organisations: int
    contexts: int  # projects, events, workshops, tools
    members: int  # members of the Mouvement
    sources: tuple[str, ...]


def counts(view: TerritoryView, column: str = "type") -> pd.DataFrame:
    """Actors by ``column`` (type or echelon), vocabulary order, unknown last: ``Libellé``, ``Nombre``."""
    values = view.actors[column].value_counts()
    rows = [(label(v), int(values[v])) for v in contract.VOCABULARIES[column] if v in values.index]
    missing = int(view.actors[column].isna().sum())
    if missing:
        rows.append(("Non renseigné", missing))
    return pd.DataFrame(rows, columns=["Libellé", "Nombre"])


def facts(view: TerritoryView) -> ActorsFacts:
    a = view.actors
    return ActorsFacts(
        actors=tuple(a["acteur_id"]),
        organisations=len(view.organisations),
        contexts=len(a) - len(view.organisations),
        members=int(a["membre_mes"].fillna(False).sum()),
        sources=tuple(s for s in a["source"] if isinstance(s, str)),
    )


def section(view: TerritoryView) -> Section:
    f = facts(view)
    s = Section("1. Le territoire et ses acteurs")
    s.paragraphs = render("actors", f=f).paragraphs
    if not f.actors:
        return s
    a = view.actors
    t = view.corpus.territoires
    places = {tid: str(nom) for tid, nom in zip(t["territoire_id"], t["nom"])}  # Corpus.territory_name, once
    s.add_table("Acteurs par type", counts(view, "type"))
    s.add_table("Acteurs par échelon", counts(view, "echelon"))
    table = pd.DataFrame(
        {
            "Acteur": a["nom"],
            "Type": [label(t) for t in a["type"]],
            "Territoire": [
                view.corpus.territory_name(None) if t is None else places.get(t, t) for t in a["territoire_id"]
            ],
            "Échelon": [label(e) if isinstance(e, str) else french.UNKNOWN for e in a["echelon"]],
            "Membre du MES": [french.yes_no(None if pd.isna(v) else bool(v)) for v in a["membre_mes"]],
        }
    )
    s.add_table("Liste des acteurs", table.sort_values(["Type", "Acteur"]).reset_index(drop=True))
    s.cite(*f.sources)
    return s
