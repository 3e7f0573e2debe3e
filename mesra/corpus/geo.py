"""The reference geography and territory hierarchy.

mesra ships ``monde``, ``europe``, ``fr`` and every French région and département
of the INSEE Code officiel géographique (derived by ``scripts/build_geo.py`` from
``@etalab/decoupage-administratif`` 6.0.0, Licence Ouverte). A corpus adds what the
reference lacks (EPCI, communes, places abroad).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import resources

import pandas as pd

from mesra.errors import ParameterError, did_you_mean

__all__ = [
    "reference_territories",
    "descendants",
    "ancestors",
    "parent_map",
    "walk_up",
    "rolled_up_counts",
    "check_territory",
]


@lru_cache(maxsize=1)
def _reference() -> pd.DataFrame:
    with resources.files("mesra").joinpath("data/geo/territoires.csv").open("r", encoding="utf-8") as fh:
        df = pd.read_csv(fh, dtype=str, keep_default_na=False)
    return df.replace({"": None})


def reference_territories() -> pd.DataFrame:
    """The reference territories: ``territoire_id, nom, niveau, code_insee, parent_id, source``."""
    return _reference().copy()


def _children(territoires: pd.DataFrame) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for tid, parent in zip(territoires["territoire_id"], territoires["parent_id"]):
        if isinstance(parent, str) and parent:
            out.setdefault(parent, []).append(tid)
    return out


def descendants(territoires: pd.DataFrame, territoire_id: str) -> list[str]:
    """``territoire_id`` and every territory below it, sorted after the root."""
    children = _children(territoires)
    seen = [territoire_id]
    stack = [territoire_id]
    marked = {territoire_id}
    while stack:
        for child in children.get(stack.pop(), ()):
            if child not in marked:
                marked.add(child)
                seen.append(child)
                stack.append(child)
    return [seen[0], *sorted(seen[1:])]


def parent_map(territoires: pd.DataFrame | Iterable[Mapping]) -> dict[str, str]:
    """``territoire_id → parent_id`` of a territory table (DataFrame or rows); roots left out."""
    if isinstance(territoires, pd.DataFrame):
        pairs = zip(territoires["territoire_id"], territoires["parent_id"])
    else:
        pairs = ((row.get("territoire_id"), row.get("parent_id")) for row in territoires)
    return {t: p for t, p in pairs if isinstance(t, str) and t and isinstance(p, str) and p}


def walk_up(parents: Mapping[str, str], territoire_id: str) -> list[str]:
    """The parents of ``territoire_id`` in ``parents`` (:func:`parent_map`), nearest first.

    The one walk up the territory tree; a cycle (possible in a hand-written
    ``territoires.csv``, which ``mesra check`` reports) is cut.

    >>> walk_up({"gard": "occitanie", "occitanie": "fr"}, "gard")
    ['occitanie', 'fr']
    """
    out: list[str] = []
    current = parents.get(territoire_id)
    while current and current not in out and current != territoire_id:
        out.append(current)
        current = parents.get(current)
    return out


def ancestors(territoires: pd.DataFrame, territoire_id: str) -> list[str]:
    """The parents of ``territoire_id``, nearest first (cycles are cut)."""
    return walk_up(parent_map(territoires), territoire_id)


def rolled_up_counts(parents: Mapping[str, str], located: Iterable[str]) -> Counter:
    """How many items are located in each territory or below it (one pass, no quadratic walk)."""
    counts: Counter = Counter()
    for tid in located:
        counts[tid] += 1
        for t in walk_up(parents, tid):
            counts[t] += 1
    return counts


def check_territory(territoire: object, known: Iterable[str], *, hint: str = "") -> str:
    """Return ``territoire`` if it is one of ``known``, else raise a French :class:`ParameterError`.

    The message suggests close identifiers and where identifiers come from;
    ``hint`` adds a sentence of the caller's.
    """
    known = set(known)
    if isinstance(territoire, str) and territoire in known:
        return territoire
    raise ParameterError(
        f"Territoire « {territoire} » inconnu{did_you_mean(territoire, known, n=3, cutoff=0.6)}. Utilisez un "
        "identifiant de la géographie de référence ou de territoires.csv (ex. occitanie, cote-d-or, fr)."
        + (f" {hint}" if hint else "")
    )
