"""Title and what the brief rests on."""

from __future__ import annotations

from dataclasses import dataclass

from mesra.analysis.brief.view import TerritoryView
from mesra.analysis.brief.wording import render
from mesra.analysis.counts import TieCount, monograph_states, noted_territories, tie_count
from mesra.analysis.sections import Section
from mesra.corpus.contract import label


@dataclass(frozen=True)
class HeaderFacts:
    territoire: str
    name: str
    level: str
    parents: tuple[str, ...]
    below: tuple[str, ...]
    actors: int
    people: int
    ties: TieCount  # every tie with one end in the territory, observed/planned and examples apart (counts.tie_count)
    cooperation_ties: int  # pairs of organisations the cooperation network ties (section 3)
    monographs: int
    monograph_states: tuple[tuple[str, int], ...]  # mesra.analysis.counts.monograph_states
    pseudonymised: bool
    organisations: int | None = None  # of the actors, those that are organisations (not contexts); None: not said


def facts(view: TerritoryView) -> HeaderFacts:
    c = view.corpus
    terr = c.territoires.set_index("territoire_id").loc[view.territoire]
    below = tuple(c.territory_name(t) for t in noted_below(view))
    return HeaderFacts(
        territoire=view.territoire,
        name=view.name,
        level=label(terr["niveau"]).lower(),
        parents=tuple(c.territory_name(t) for t in c.territory_ancestors(view.territoire)),
        below=below,
        actors=len(view.actors),
        people=len(view.people),
        ties=tie_count(view.ties),
        cooperation_ties=view.graph.number_of_edges(),
        monographs=len(view.monographs),
        monograph_states=monograph_states(view.monographs),
        pseudonymised=bool(c.pseudonymised),
        organisations=len(view.organisations),
    )


def noted_below(view: TerritoryView) -> tuple[str, ...]:
    """The sub-territories that have a note of their own (those the batch writes by default:
    :func:`mesra.batch.plan.default_territories`), in the territory's order: the header names these."""
    c = view.corpus
    noted = set(noted_territories(c))
    return tuple(t for t in c.territory_ids(view.territoire)[1:] if t in noted)


def section(view: TerritoryView) -> Section:
    f = facts(view)
    s = Section(f"Note de recherche-action — {f.name}", level=1)
    s.paragraphs = render("header", f=f).paragraphs
    return s
