"""The reference geography and territory hierarchy.

mesra ships ``monde``, ``europe``, ``fr`` and every French région and département
of the INSEE Code officiel géographique (derived by ``scripts/build_geo.py`` from
``@etalab/decoupage-administratif`` 6.0.0, Licence Ouverte). A corpus adds what the
reference lacks (EPCI, communes, places abroad).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import pandas as pd

__all__ = ["reference_territories", "descendants", "ancestors"]


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


def ancestors(territoires: pd.DataFrame, territoire_id: str) -> list[str]:
    """The parents of ``territoire_id``, nearest first (cycles are cut)."""
    parent = dict(zip(territoires["territoire_id"], territoires["parent_id"]))
    out: list[str] = []
    current = parent.get(territoire_id)
    while isinstance(current, str) and current and current not in out and current != territoire_id:
        out.append(current)
        current = parent.get(current)
    return out
