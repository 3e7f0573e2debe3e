"""The reference geography and territory hierarchy.

mesra ships ``monde``, ``europe``, ``fr`` and every French région, département and overseas
collectivity (``collectivite_outre_mer``, under ``fr``) of the INSEE Code officiel géographique
(derived by ``scripts/build_geo.py`` from ``@etalab/decoupage-administratif`` 6.0.0, Licence
Ouverte). A corpus adds what the
reference lacks (EPCI, communes, places abroad).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import resources

import pandas as pd

from mesra.errors import ParameterError, did_you_mean
from mesra.text import slugify

__all__ = [
    "reference_territories",
    "descendants",
    "ancestors",
    "parent_map",
    "walk_up",
    "rolled_up_counts",
    "check_territory",
    "resolve_territory",
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


#: Which level a bare code names first: "29" is the Finistère (a département), not a région;
#: "75" is Paris (département), and the région Nouvelle-Aquitaine is asked by its name.
_CODE_LEVELS = ("departement", "collectivite_outre_mer", "commune", "region", "epci")

#: The one message of an unknown territory, after its « vouliez-vous dire » hint.
UNKNOWN_TERRITORY = (
    "Donnez l'identifiant, le nom ou le code INSEE d'un territoire de la géographie de référence ou de "
    "territoires.csv (ex. occitanie, Finistère, 29, fr)."
)


def _as_table(territoires) -> pd.DataFrame:
    if isinstance(territoires, pd.DataFrame):
        return territoires
    return pd.DataFrame({"territoire_id": list(territoires)})


def _by_name_or_code(value: str, table: pd.DataFrame) -> list[str]:
    """Identifiers whose slugged name, or INSEE code, is ``value`` (the most likely level first)."""
    key = slugify(value)
    if "nom" in table.columns and key:
        names = table["nom"].fillna("").map(slugify)
        found = table.loc[names == key, "territoire_id"].tolist()
        if found:
            return found
    code = value.strip().upper()
    if "code_insee" not in table.columns or not code:
        return []
    rows = table[table["code_insee"].fillna("").str.upper() == code]
    if len(rows) > 1 and "niveau" in rows.columns:
        for level in _CODE_LEVELS:
            if (rows["niveau"] == level).any():
                return rows.loc[rows["niveau"] == level, "territoire_id"].tolist()
    return rows["territoire_id"].tolist()


def resolve_territory(territoire: object, territoires, *, hint: str = "") -> str:
    """The identifier of the territory ``territoire`` names, else a French :class:`ParameterError`.

    The one territory resolver of the commands and of the Python API. ``territoire`` may be an
    identifier (``finistere``), a name written with or without accents and capitals
    (``Finistère``, ``PAYS DE LA LOIRE``), or an INSEE code (``29``, ``2A``, a commune's five
    characters). ``territoires`` is a territory table (``corpus.territoires``: identifiers,
    names, levels, codes) or just identifiers. The message of an unknown territory suggests
    close identifiers (« vouliez-vous dire … ? ») and says what may be given; ``hint`` adds a
    sentence of the caller's.

    >>> table = reference_territories()
    >>> [resolve_territory(t, table) for t in ("finistere", "Finistère", "29", "Pays de la Loire")]
    ['finistere', 'finistere', 'finistere', 'pays-de-la-loire']
    """
    table = _as_table(territoires)
    ids = table["territoire_id"]
    if isinstance(territoire, str) and (ids == territoire).any():
        return territoire
    found: list[str] = []
    if isinstance(territoire, (str, int)) and not isinstance(territoire, bool):
        value = str(territoire)
        key = slugify(value)
        found = [key] if key and (ids == key).any() else _by_name_or_code(value, table)
        if not found and "(" in value:  # « nom (code postal) » of a commune the corpus holds
            from mesra.corpus.communes import resolve_commune

            tid = resolve_commune(value)[0]
            found = [tid] if tid is not None and (ids == tid).any() else []
    found = list(dict.fromkeys(found))
    if len(found) == 1:
        return found[0]
    if found:
        raise ParameterError(
            f"« {territoire} » désigne plusieurs territoires : {', '.join(found[:10])}. Donnez l'identifiant voulu."
            + (f" {hint}" if hint else "")
        )
    wanted = slugify(territoire) if isinstance(territoire, str) else ""
    close = did_you_mean(wanted, ids.dropna(), n=3, cutoff=0.6) if wanted else ""
    raise ParameterError(
        f"Territoire « {territoire} » inconnu{close}. " + UNKNOWN_TERRITORY + (f" {hint}" if hint else "")
    )


def check_territory(territoire: object, known, *, hint: str = "") -> str:
    """:func:`resolve_territory` (kept for callers that pass the known identifiers)."""
    return resolve_territory(territoire, known, hint=hint)
