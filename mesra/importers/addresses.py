"""Resolving addresses to territories: commune → EPCI → département → région.

Imported data (GoGoCarto maps, Decidim meetings) locate things by postal code and
commune name, sometimes by INSEE code. The reference geography of
:mod:`mesra.geo` stops at départements; this module adds the 34,875 communes and
1,255 EPCI of the 101 départements (package data derived by
``scripts/build_geo.py`` from ``@etalab/decoupage-administratif`` 6.0.0, Licence
Ouverte), and turns an address into a territory without ever guessing:

- an INSEE commune code resolves directly;
- a postal code gives the département (its first two digits; ``20`` splits into
  Corse-du-Sud ``2A`` below 20200 and Haute-Corse ``2B``; ``97x`` overseas), in
  which the commune name is looked up; there are no homonyms within a
  département, so the match is unique;
- a commune name alone resolves only when it is unique in France.

The French postal-code table (La Poste) is not part of the shared data, so a
commune served by a post office of a neighbouring département is found by its
name alone, when that name is unique in France.

Territory identifiers follow the contract (slug of the official name): a
commune or EPCI whose slug is taken (by a région, a département, another EPCI or
a homonymous commune) gets its INSEE code, or SIREN for an EPCI, as a suffix
(``paris-75056``, ``saint-martin-73224``).

>>> r = resolve_address(postal_code="21000", commune="Dijon")
>>> r.status, r.territoire_id
('commune', 'dijon')
"""

from __future__ import annotations

import csv
import gzip
import io
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from mesra.corpus.geo import reference_territories
from mesra.text import slugify

__all__ = [
    "Resolution",
    "resolve_address",
    "territory_rows",
    "departement_from_postal_code",
    "commune_table",
    "epci_table",
    "STATUSES",
    "STATUS_LABELS",
    "is_france",
    "geo_source_id",
]

#: Outcomes of a resolution, finest first.
STATUSES = ("commune", "departement", "ambigu", "introuvable")
STATUS_LABELS = {
    "commune": "résolus à la commune",
    "departement": "résolus au département seulement",
    "ambigu": "ambigus",
    "introuvable": "introuvables",
}
_FRANCE = {"", "fr", "fra", "france", "france-metropolitaine", "republique-francaise"}


@dataclass(frozen=True)
class Resolution:
    """Where an address lies.

    ``status`` is one of :data:`STATUSES`. ``territoire_id`` is the finest
    territory known for sure (a commune, the département of the postal code, or
    the common département/région of ambiguous candidates), ``None`` when
    nothing is known. ``candidates`` lists the INSEE codes of the communes that
    matched when ambiguous; ``message`` explains the outcome in French.
    """

    status: str
    territoire_id: str | None
    commune_code: str | None = None
    candidates: tuple[str, ...] = ()
    message: str = ""


def geo_source_id() -> str:
    """The source identifier the reference geography cites (``etalab-decoupage-administratif-…``)."""
    ref = reference_territories()
    values = ref.loc[ref["niveau"] == "departement", "source"].dropna()
    return str(values.iloc[0]) if len(values) else "etalab-decoupage-administratif"


def _read_gz(name: str) -> list[dict[str, str]]:
    data = resources.files("mesra").joinpath(f"data/geo/{name}").read_bytes()
    text = gzip.decompress(data).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def _departement_of_code(code: str) -> str:
    return code[:3] if code.startswith("97") else code[:2]


@lru_cache(maxsize=1)
def _geo() -> dict:
    ref = reference_territories()
    deps = ref[ref["niveau"] == "departement"]
    dep_id = dict(zip(deps["code_insee"], deps["territoire_id"]))
    parent = dict(zip(ref["territoire_id"], ref["parent_id"]))
    taken = set(ref["territoire_id"])
    epcis = _read_gz("epci.csv.gz")
    epci_slugs = Counter(slugify(e["nom"]) for e in epcis)
    epci: dict[str, dict[str, str]] = {}
    for e in epcis:
        slug = slugify(e["nom"])
        tid = slug if epci_slugs[slug] == 1 and slug not in taken else f"{slug}-{e['code']}"
        epci[e["code"]] = {
            "id": tid,
            "nom": e["nom"],
            "parent": dep_id[e["departement"]],
            "departement": e["departement"],
        }
    taken |= {e["id"] for e in epci.values()}
    communes = _read_gz("communes.csv.gz")
    com_slugs = Counter(slugify(c["nom"]) for c in communes)
    commune: dict[str, dict[str, str]] = {}
    by_dep_name: dict[tuple[str, str], list[str]] = {}
    by_name: dict[str, list[str]] = {}
    for c in communes:
        slug = slugify(c["nom"])
        tid = slug if com_slugs[slug] == 1 and slug not in taken else f"{slug}-{c['code']}"
        dep = _departement_of_code(c["code"])
        # An EPCI spanning several départements hangs under one of them: a commune of
        # another département then hangs under its own département, so that every
        # commune rolls up to its département and région.
        e = epci.get(c["epci"])
        par = e["id"] if e is not None and e["departement"] == dep else dep_id[dep]
        commune[c["code"]] = {
            "id": tid,
            "nom": c["nom"],
            "parent": par,
            "departement": dep,
            "epci": c["epci"] if e is not None else "",
        }
        key = _name_key(c["nom"])
        by_dep_name.setdefault((dep, key), []).append(c["code"])
        by_name.setdefault(key, []).append(c["code"])
    return {
        "epci": epci,
        "commune": commune,
        "dep_id": dep_id,
        "parent": parent,
        "by_dep_name": by_dep_name,
        "by_name": by_name,
        "by_id": {v["id"]: ("commune", k) for k, v in commune.items()}
        | {v["id"]: ("epci", k) for k, v in epci.items()},
    }


def commune_table():
    """Every commune of the reference départements as a DataFrame.

    Columns: ``code_insee, nom, territoire_id, parent_id, departement, epci``.
    """
    import pandas as pd

    g = _geo()
    rows = [(k, v["nom"], v["id"], v["parent"], v["departement"], v["epci"]) for k, v in g["commune"].items()]
    return pd.DataFrame(rows, columns=["code_insee", "nom", "territoire_id", "parent_id", "departement", "epci"])


def epci_table():
    """Every EPCI as a DataFrame: ``code_siren, nom, territoire_id, parent_id``."""
    import pandas as pd

    g = _geo()
    rows = [(k, v["nom"], v["id"], v["parent"]) for k, v in g["epci"].items()]
    return pd.DataFrame(rows, columns=["code_siren", "nom", "territoire_id", "parent_id"])


_ARTICLE = re.compile(r"^(?P<name>.+?)\s*\((?P<art>l'|le|la|les)\)$", re.IGNORECASE)
_TOKENS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}


def _name_key(name: str) -> str:
    """A commune name folded for matching (accents, case, St/Ste, articles, Cedex)."""
    name = str(name).strip()
    m = _ARTICLE.match(name)
    if m:  # "Mans (Le)" -> "Le Mans"
        name = f"{m.group('art')} {m.group('name')}"
    slug = slugify(name)
    slug = re.sub(r"-cedex(-\d+)?$", "", slug)
    # "Paris 11e arrondissement", "Lyon 3eme", "Marseille 13" -> the commune itself
    slug = re.sub(r"-(\d{1,2})(e|er|eme|ème)?(-arrondissement)?$", "", slug)
    slug = re.sub(r"-arrondissement$", "", slug)
    return "-".join(_TOKENS.get(t, t) for t in slug.split("-"))


def is_france(country: object) -> bool:
    """True when a country field says France (or says nothing)."""
    return slugify(str(country or "")) in _FRANCE


def departement_from_postal_code(postal_code: object, *, pad: bool = False) -> str | None:
    """The département code a French postal code belongs to, or None.

    ``pad`` restores a leading zero lost by a spreadsheet (``1000`` → ``01000``);
    use it only when the address is known to be in France.

    >>> departement_from_postal_code("20090"), departement_from_postal_code("97400")
    ('2A', '974')
    """
    code = re.sub(r"\s+", "", str(postal_code or ""))
    if pad and re.fullmatch(r"\d{4}", code):
        code = "0" + code
    if not re.fullmatch(r"\d{5}", code):
        return None
    if code.startswith("97"):
        dep = code[:3]
    elif code.startswith("20"):
        dep = "2A" if int(code) < 20200 else "2B"
    else:
        dep = code[:2]
    return dep if dep in _geo()["dep_id"] else None


def _common_territory(codes: list[str]) -> str | None:
    """The finest territory (département, région) containing every commune code."""
    g = _geo()
    deps = {g["commune"][c]["departement"] for c in codes}
    if len(deps) == 1:
        return g["dep_id"][deps.pop()]
    regions = {g["parent"].get(g["dep_id"][d]) for d in deps}
    return regions.pop() if len(regions) == 1 else None


def _names(codes: list[str]) -> str:
    g = _geo()
    shown = [f"{g['commune'][c]['nom']} ({g['commune'][c]['departement']})" for c in codes[:5]]
    return ", ".join(shown) + (f" et {len(codes) - 5} autres" if len(codes) > 5 else "")


def resolve_address(
    *, insee: object = None, commune: object = None, postal_code: object = None, country: object = None
) -> Resolution:
    """Resolve an address to the finest territory known for sure.

    Parameters
    ----------
    insee : str, optional
        INSEE code of the commune (``21231``); wins over everything else.
    commune : str, optional
        Commune name as written (``Saint-Étienne``, ``ST ETIENNE CEDEX 2``).
    postal_code : str, optional
        French postal code; gives the département.
    country : str, optional
        Country of the address; anything other than France (or empty) is not resolved.

    Returns
    -------
    Resolution
    """
    g = _geo()
    if not is_france(country):
        return Resolution("introuvable", None, message=f"adresse hors de France ({country}) : non résolue")
    code = str(insee or "").strip().upper()
    if code:
        if code in g["commune"]:
            return Resolution("commune", g["commune"][code]["id"], code, message="code INSEE")
        if not commune and not postal_code:
            return Resolution("introuvable", None, message=f"code INSEE « {code} » inconnu")
    name = str(commune or "").strip()
    key = _name_key(name) if name else ""
    dep = departement_from_postal_code(postal_code, pad=bool(country) and is_france(country))
    if key and dep:
        hits = g["by_dep_name"].get((dep, key), [])
        if len(hits) == 1:
            return Resolution("commune", g["commune"][hits[0]]["id"], hits[0], message="code postal et commune")
    if key:
        hits = sorted(g["by_name"].get(key, []))
        if len(hits) == 1:
            why = "commune unique en France (hors du département du code postal)" if dep else "commune unique en France"
            return Resolution("commune", g["commune"][hits[0]]["id"], hits[0], message=why)
        if len(hits) > 1 and not dep:
            return Resolution(
                "ambigu",
                _common_territory(hits),
                None,
                tuple(hits),
                f"« {name} » désigne {len(hits)} communes ({_names(hits)}) : ajoutez le code postal",
            )
    if dep:
        what = f"commune « {name} » introuvable dans le département {dep}" if name else "commune absente"
        return Resolution(
            "departement",
            g["dep_id"][dep],
            None,
            message=f"{what} : rattaché au département du code postal {postal_code}",
        )
    if name:
        return Resolution(
            "introuvable",
            None,
            message=f"commune « {name} » introuvable"
            + (f" (code postal « {postal_code} » non reconnu)" if postal_code else ""),
        )
    return Resolution("introuvable", None, message="ni commune, ni code postal, ni code INSEE")


def territory_rows(territoire_ids) -> list[dict[str, str]]:
    """Rows of ``territoires.csv`` for communes/EPCI and the EPCI above them.

    Identifiers of the reference (régions, départements) and unknown ones are
    skipped; the result is sorted by identifier.
    """
    g = _geo()
    source = geo_source_id()
    out: dict[str, dict[str, str]] = {}
    todo = list(territoire_ids)
    while todo:
        tid = todo.pop()
        if tid in out or tid not in g["by_id"]:
            continue
        kind, code = g["by_id"][tid]
        item = g[kind][code]
        out[tid] = {
            "territoire_id": tid,
            "nom": item["nom"],
            "niveau": kind,
            "code_insee": code,
            "parent_id": item["parent"],
            "source": source,
        }
        todo.append(item["parent"])
    return [out[k] for k in sorted(out)]
