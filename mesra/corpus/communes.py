"""The official communes and EPCI, and resolving addresses to territories: commune → EPCI →
département → région (the corpus layer's geography, beside :mod:`mesra.corpus.geo`).

A corpus names a commune without declaring it (:func:`resolve_commune`, :func:`add_communes`:
its identifier, its INSEE code or « nom (code postal) »), and ``mesra check`` verifies the
communes ``territoires.csv`` declares (:func:`commune_problems`).

Imported data (GoGoCarto maps, Decidim meetings) locate things by postal code and
commune name, sometimes by INSEE code. The reference geography of
:mod:`mesra.corpus.geo` stops at départements and overseas collectivities; this module adds
the 34,969 communes (those of the 101 départements and of the 8 overseas collectivities) and
the 1,255 EPCI, the former communes merged into a *commune nouvelle*, and La Poste's postal
codes with the localities they name (package data derived by ``scripts/build_geo.py`` from
``@etalab/decoupage-administratif`` 6.0.0 and La Poste's « Base officielle des codes postaux »,
Licence Ouverte; see ``mesra/data/geo/README.md``), and turns an address into a territory
without ever guessing:

- an INSEE commune code resolves directly; the code of a former commune (merged into a
  commune nouvelle) or of a municipal arrondissement resolves to the current commune;
- a postal code gives the département (its first two digits; ``20`` splits into
  Corse-du-Sud ``2A`` below 20200 and Haute-Corse ``2B``; ``97x`` overseas), or the overseas
  collectivity it serves (Saint-Barthélemy 97133, Saint-Martin 97150, Saint-Pierre-et-Miquelon
  975xx, Wallis-et-Futuna 986xx, Polynésie française 987xx, Nouvelle-Calédonie 988xx);
- the commune name is looked up among the communes the postal code serves (La Poste), then in
  the postal code's département (there are no homonyms within a département, so the match is
  unique), then among the former communes (communes déléguées or associées) of the communes the
  code serves, then among the localities La Poste names for that code (its « ligne 5 »:
  ``"13080 Luynes"`` is a locality of Aix-en-Provence, not the Luynes of Indre-et-Loire, 37230).
  The last two resolve with a ``note`` for the import report;
- the postal code's département is authoritative: a commune name found only
  *outside* it is a **conflict** (``"16370 Cherves"``: the only Cherves is in
  Vienne, the postal code is in Charente). The address stays at the postal
  code's département and both candidates are listed; it is never moved to the
  other département;
- a postal code without a commune name resolves to the commune when it serves only one, and an
  overseas collectivity of a single commune (Saint-Barthélemy, Saint-Martin) holds every address
  of its postal code;
- a commune name alone resolves only when it is unique in France (a current commune, else a
  former one, else a La Poste locality).

:func:`split_address` finds the postal code and the commune in a one-line
address as platforms write it (``"12 rue X, 21000 Dijon"``, ``"21000 DIJON
CEDEX"``, ``"Hôtel de ville, Dijon (21000)"``, ``"Maison des associations,
Chenôve"``).

Territory identifiers follow the contract (slug of the official name): a
commune or EPCI whose slug is taken (by a région, a département, an overseas collectivity,
another EPCI or a homonymous commune) gets its INSEE code, or SIREN for an EPCI, as a suffix
(``paris-75056``, ``saint-martin-73224``). The communes of the overseas collectivities, added
later, never take an identifier from a commune of a département: Arue of Polynésie française
is ``arue-98712``, Arue of the Landes stays ``arue``.

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
    "split_address",
    "territory_rows",
    "departement_from_postal_code",
    "commune_table",
    "epci_table",
    "STATUSES",
    "STATUS_LABELS",
    "commune_label",
    "is_france",
    "geo_source_id",
    "resolve_commune",
    "add_communes",
    "commune_problems",
    "overseas_collectivity",
    "OVERSEAS_COLLECTIVITIES",
    "COM_LEVEL",
    "postal_code_communes",
    "former_commune",
]

#: The ``niveau`` of an overseas collectivity (Saint-Barthélemy, Polynésie française…).
COM_LEVEL = "collectivite_outre_mer"
#: Reference levels a commune hangs under directly (when no EPCI of its own unit holds it).
_UNIT_LEVELS = ("departement", COM_LEVEL)

#: Outcomes of a resolution, finest first.
STATUSES = ("commune", "departement", "ambigu", "conflit", "introuvable")
STATUS_LABELS = {
    "commune": "résolus à la commune",
    "departement": "résolus au département seulement",
    "ambigu": "ambigus",
    "conflit": "en conflit avec le code postal",
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
    matched when ambiguous, or of the communes of that name outside the postal
    code's département in a conflict; ``message`` explains the outcome in French.
    ``note`` is set (in French) when a commune was found through a former commune, a
    La Poste locality or the only commune of a postal code, for the import report to list.
    """

    status: str
    territoire_id: str | None
    commune_code: str | None = None
    candidates: tuple[str, ...] = ()
    message: str = ""
    note: str = ""


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
    """The département or overseas collectivity an INSEE commune code belongs to (``97x``, ``98x``: 3 digits)."""
    return code[:3] if code.startswith(("97", "98")) else code[:2]


@lru_cache(maxsize=1)
def _geo() -> dict:
    ref = reference_territories()
    deps = ref[ref["niveau"].isin(_UNIT_LEVELS)]
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
    com_codes = set(ref.loc[ref["niveau"] == COM_LEVEL, "code_insee"])
    com_slugs = Counter(slugify(c["nom"]) for c in communes if _departement_of_code(c["code"]) not in com_codes)
    overseas_slugs = Counter(slugify(c["nom"]) for c in communes if _departement_of_code(c["code"]) in com_codes)
    commune: dict[str, dict[str, str]] = {}
    by_dep_name: dict[tuple[str, str], list[str]] = {}
    by_name: dict[str, list[str]] = {}
    for c in communes:
        slug = slugify(c["nom"])
        dep = _departement_of_code(c["code"])
        if dep in com_codes:  # added after the départements' communes: never takes one of their identifiers
            unique = overseas_slugs[slug] == 1 and slug not in com_slugs
        else:
            unique = com_slugs[slug] == 1
        tid = slug if unique and slug not in taken else f"{slug}-{c['code']}"
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
    by_unit: dict[str, list[str]] = {}
    for code, c in commune.items():
        by_unit.setdefault(c["departement"], []).append(code)
    return {
        "epci": epci,
        "commune": commune,
        "dep_id": dep_id,
        "com_codes": com_codes,
        "parent": parent,
        "by_dep_name": by_dep_name,
        "by_name": by_name,
        "by_unit": by_unit,
        "by_id": {v["id"]: ("commune", k) for k, v in commune.items()}
        | {v["id"]: ("epci", k) for k, v in epci.items()},
    }


@lru_cache(maxsize=1)
def _history() -> dict:
    """Former communes (``anciennes_communes.csv.gz``): by code, by folded name, by current commune."""
    current = _geo()["commune"]
    by_code: dict[str, dict[str, str]] = {}
    by_name: dict[str, list[dict[str, str]]] = {}
    for row in _read_gz("anciennes_communes.csv.gz"):
        if row["code_actuel"] not in current:
            continue
        if row["code"] not in current:
            by_code.setdefault(row["code"], row)
        if (
            row["nom"]
            and row["type"] != "arrondissement"
            and _name_key(row["nom"]) != _name_key(current[row["code_actuel"]]["nom"])
        ):
            by_name.setdefault(_name_key(row["nom"]), []).append(row)
    return {"by_code": by_code, "by_name": by_name}


@lru_cache(maxsize=1)
def _postal() -> dict:
    """La Poste's postal codes (``codes_postaux.csv.gz``): communes served, localities named."""
    current = _geo()["commune"]
    served: dict[str, set[str]] = {}
    localities: dict[tuple[str, str], set[str]] = {}
    by_locality: dict[str, set[str]] = {}
    for row in _read_gz("codes_postaux.csv.gz"):
        cp, code, place = row["code_postal"], row["code_insee"], row["localite"]
        if code not in current:
            continue
        served.setdefault(cp, set()).add(code)
        if place:
            key = _name_key(place)
            localities.setdefault((cp, key), set()).add(code)
            by_locality.setdefault(key, set()).add(code)
    return {"served": served, "localities": localities, "by_locality": by_locality}


def postal_code_communes(postal_code: object) -> list[str]:
    """The INSEE codes of the communes a postal code serves (La Poste and the COG), sorted.

    >>> postal_code_communes("13080"), postal_code_communes("37230")[:2]
    (['13001'], ['37109', '37139'])
    """
    return sorted(_postal()["served"].get(re.sub(r"\s+", "", str(postal_code or "")), ()))


def former_commune(code: object) -> dict[str, str] | None:
    """The former commune (or municipal arrondissement) an INSEE code names, with its current commune.

    ``{"code", "nom", "code_actuel", "type"}`` (``type``: ``deleguee``, ``associee``, ``ancienne``
    — a former code whose name the reference does not give — or ``arrondissement``), else None.
    """
    return _history()["by_code"].get(str(code or "").strip().upper())


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

    The code of an overseas collectivity is given for the postal codes that serve it
    (Saint-Barthélemy ``97133`` → ``977``, although ``971`` is Guadeloupe's prefix).

    >>> departement_from_postal_code("20090"), departement_from_postal_code("97400")
    ('2A', '974')
    >>> departement_from_postal_code("97133"), departement_from_postal_code("98714")
    ('977', '987')
    """
    code = re.sub(r"\s+", "", str(postal_code or ""))
    if pad and re.fullmatch(r"\d{4}", code):
        code = "0" + code
    if not re.fullmatch(r"\d{5}", code):
        return None
    com = _collectivity_of_postal_code(code)
    if com is not None:
        return com
    if code.startswith("97"):
        dep = code[:3]
    elif code.startswith("20"):
        dep = "2A" if int(code) < 20200 else "2B"
    else:
        dep = code[:2]
    return dep if dep in _geo()["dep_id"] else None


def _collectivity_of_postal_code(code: str) -> str | None:
    """The overseas collectivity whose communes are all the ones a postal code serves, else None."""
    g = _geo()
    units = {g["commune"][c]["departement"] for c in _postal()["served"].get(code, ())}
    if len(units) == 1 and (unit := units.pop()) in g["com_codes"]:
        return unit
    for prefix, _, postal in OVERSEAS_COLLECTIVITIES:  # a code La Poste does not list
        if code.startswith(postal) and prefix in g["com_codes"]:
            return prefix
    return None


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
        old = former_commune(code)
        if old is not None:
            return _via_former_code(old)
        if not commune and not postal_code:
            return Resolution("introuvable", None, message=f"code INSEE « {code} » inconnu")
    name = str(commune or "").strip()
    key = _name_key(name) if name else ""
    dep = departement_from_postal_code(postal_code, pad=bool(country) and is_france(country))
    if dep:
        return _with_postal_code(name, key, dep, str(postal_code).strip())
    if key:
        return _by_name_alone(name, key, postal_code)
    return Resolution("introuvable", None, message="ni commune, ni code postal, ni code INSEE")


def _via_former_code(old: dict[str, str]) -> Resolution:
    """The current commune of a former commune's or a municipal arrondissement's INSEE code."""
    g = _geo()
    cur = old["code_actuel"]
    if old["type"] == "arrondissement":
        return Resolution("commune", g["commune"][cur]["id"], cur, message=f"code INSEE d'arrondissement {old['code']}")
    what = f"{old['nom']} ({old['code']})" if old["nom"] else f"code INSEE {old['code']}"
    note = f"{what} : ancienne commune, aujourd'hui dans la commune nouvelle {commune_label(cur)}"
    return Resolution("commune", g["commune"][cur]["id"], cur, message=note, note=note)


#: Overseas collectivities (not départements): INSEE code prefix, name, and the postal codes that
#: serve them (Saint-Barthélemy 97133 and Saint-Martin 97150 share the prefix 971 with Guadeloupe).
#: A fallback: the postal-code table says which collectivity a code serves.
OVERSEAS_COLLECTIVITIES = (
    ("975", "Saint-Pierre-et-Miquelon", ("975",)),
    ("977", "Saint-Barthélemy", ("97133",)),
    ("978", "Saint-Martin", ("97150",)),
    ("984", "Terres australes et antarctiques françaises", ("984",)),
    ("986", "Wallis-et-Futuna", ("986",)),
    ("987", "Polynésie française", ("987",)),
    ("988", "Nouvelle-Calédonie", ("988",)),
    ("989", "Île de Clipperton", ("989",)),
)


def overseas_collectivity(*, postal_code: object = None, insee: object = None) -> tuple[str, str] | None:
    """``(code, name)`` of the overseas collectivity a postal or INSEE code belongs to, else None.

    >>> overseas_collectivity(postal_code="97133"), overseas_collectivity(postal_code="97100")
    (('977', 'Saint-Barthélemy'), None)
    """
    cp = re.sub(r"\s+", "", str(postal_code or ""))
    code = str(insee or "").strip().upper()
    for prefix, name, postal in OVERSEAS_COLLECTIVITIES:
        if (re.fullmatch(r"\d{5}", cp) and cp.startswith(postal)) or (
            re.fullmatch(r"\d{5}", code) and code.startswith(prefix)
        ):
            return prefix, name
    return None


def _corsica(dep: str) -> tuple[str, ...]:
    """Départements searched for a postal code's département (both Corsican ones for ``20…``)."""
    return ("2A", "2B") if dep in ("2A", "2B") else (dep,)


def _with_postal_code(name: str, key: str, dep: str, postal_code: str) -> Resolution:
    """A postal code gives the département, authoritative; the commune is looked up in it.

    Looked up, in order: the communes the code serves, the département's communes, the former
    communes of the communes the code serves (or of the département), La Poste's localities of the
    code; then a conflict when the name is a commune elsewhere only.
    """
    g = _geo()
    dep_id = g["dep_id"][dep]
    served = _postal()["served"].get(postal_code, set())
    if key:
        found = _by_name_with_postal_code(name, key, dep, postal_code, served)
        if found is not None:
            return found
        hits = [c for d in _corsica(dep) for c in g["by_dep_name"].get((d, key), [])]
        outside = sorted(c for c in g["by_name"].get(key, []) if g["commune"][c]["departement"] not in _corsica(dep))
        if outside and not hits:
            return Resolution(
                "conflit",
                dep_id,
                None,
                tuple(outside),
                f"le code postal {postal_code} est dans le département {dep} ({_dep_name(dep)}), où il n'y a "
                f"pas de commune « {name} » ; {'la seule commune' if len(outside) == 1 else 'les communes'} de ce "
                f"nom : {', '.join(commune_label(c) for c in outside[:5])}{' …' if len(outside) > 5 else ''}. "
                "Rattaché au département du code postal ; corrigez le code postal ou la commune",
            )
    units = g["by_unit"].get(dep, [])
    only = sorted(served) if len(served) == 1 and not name else units if len(units) == 1 else []
    if only:
        c = only[0]
        note = (
            f"le code postal {postal_code} ne dessert que {commune_label(c)}"
            if not name
            else f"« {name} » est dans {_dep_name(dep)}, collectivité d'une seule commune, {commune_label(c)}"
        )
        return Resolution("commune", g["commune"][c]["id"], c, message=note, note=note)
    unit = "la collectivité" if dep in g["com_codes"] else "le département"
    what = f"commune « {name} » introuvable dans {unit} {dep}" if name else "commune absente"
    return Resolution("departement", dep_id, None, message=f"{what} : rattaché à {unit} du code postal {postal_code}")


def _by_name_with_postal_code(name: str, key: str, dep: str, postal_code: str, served: set[str]):
    """The commune a name and a postal code give, by the first rule that finds exactly one, else None."""
    g = _geo()
    hits = sorted(c for c in served if _name_key(g["commune"][c]["nom"]) == key)
    if len(hits) == 1:
        return Resolution("commune", g["commune"][hits[0]]["id"], hits[0], message="code postal et commune")
    hits = [c for d in _corsica(dep) for c in g["by_dep_name"].get((d, key), [])]
    if len(hits) == 1:
        return Resolution("commune", g["commune"][hits[0]]["id"], hits[0], message="code postal et commune")
    olds = _history()["by_name"].get(key, [])
    for pool in (served, {c for d in _corsica(dep) for c in g["by_unit"].get(d, [])}):
        current = sorted({o["code_actuel"] for o in olds if o["code_actuel"] in pool})
        if len(current) == 1:
            old = next(o for o in olds if o["code_actuel"] == current[0])
            return _former(name, old, postal_code)
    places = sorted(_postal()["localities"].get((postal_code, key), ()))
    if len(places) == 1:
        c = places[0]
        note = (
            f"« {name} » ({postal_code}) est une localité de {commune_label(c)} selon La Poste "
            "(lieu-dit ou ancienne commune)"
        )
        return Resolution("commune", g["commune"][c]["id"], c, message=note, note=note)
    return None


def _former(name: str, old: dict[str, str], postal_code: str = "") -> Resolution:
    """A former commune's name: the current commune it belongs to, with the note."""
    g = _geo()
    cur = old["code_actuel"]
    kind = {"deleguee": "commune déléguée", "associee": "commune associée"}.get(old["type"], "ancienne commune")
    where = f" ({postal_code})" if postal_code else ""
    note = f"« {name} »{where} est une {kind} de la commune nouvelle {commune_label(cur)}"
    return Resolution("commune", g["commune"][cur]["id"], cur, message=note, note=note)


def _by_name_alone(name: str, key: str, postal_code: object) -> Resolution:
    """A commune name without a usable postal code: resolved only when unique in France."""
    g = _geo()
    hits = sorted(g["by_name"].get(key, []))
    if len(hits) == 1:
        return Resolution("commune", g["commune"][hits[0]]["id"], hits[0], message="commune unique en France")
    if not hits:
        olds = _history()["by_name"].get(key, [])
        current = sorted({o["code_actuel"] for o in olds})
        if len(current) == 1:
            return _former(name, olds[0])
        places = sorted(_postal()["by_locality"].get(key, ()))
        if not current and len(places) == 1:
            note = f"« {name} » est une localité de {commune_label(places[0])} selon La Poste, unique en France"
            return Resolution("commune", g["commune"][places[0]]["id"], places[0], message=note, note=note)
        hits = current or places
    if len(hits) > 1:
        return Resolution(
            "ambigu",
            _common_territory(hits),
            None,
            tuple(hits),
            f"« {name} » désigne {len(hits)} communes ({_names(hits)}) : ajoutez le code postal",
        )
    return Resolution(
        "introuvable",
        None,
        message=f"commune « {name} » introuvable"
        + (f" (code postal « {postal_code} » non reconnu)" if postal_code else ""),
    )


def commune_label(code: str) -> str:
    """``Cherves (86073, Vienne)``: a commune with its INSEE code and département."""
    c = _geo()["commune"].get(code)
    if c is None:
        return code
    return f"{c['nom']} ({code}, {_dep_name(c['departement'])})"


def _dep_name(dep: str) -> str:
    ref = reference_territories()
    names = dict(zip(ref["code_insee"], ref["nom"]))
    return str(names.get(dep, dep))


# "Hôtel de ville, Dijon (21000)"
_NAME_THEN_CODE = re.compile(r"(?P<commune>[^,;()\d\n]+?)\s*\(\s*(?P<cp>\d{5})\s*\)")
# "12 rue X, 21000 Dijon", "21000 DIJON CEDEX 2"
_CODE_THEN_NAME = re.compile(r"(?<!\d)(?P<cp>\d{5})\s+(?P<commune>[^\d,;\n()]+(?:\s+\d{1,2})?)")
# "Place X, Dijon 21000"
_NAME_BEFORE_CODE = re.compile(r"(?:^|[,;]\s*)(?P<commune>[^\d,;\n()]+?)\s+(?P<cp>\d{5})\s*(?:[,;]|$)")


def split_address(text: object) -> tuple[str, str]:
    """The postal code and the commune of a one-line address (``""`` when absent).

    Without a postal code, the last part after a comma (or the whole line) is
    taken as the commune name (``"Maison des associations, Chenôve"`` → ``("", "Chenôve")``); whether it
    is one is for :func:`resolve_address` to say (only a name unique in France
    resolves).

    >>> split_address("Hôtel de ville, Dijon (21000)")
    ('21000', 'Dijon')
    >>> split_address("21000 DIJON CEDEX")
    ('21000', 'DIJON CEDEX')
    """
    line = " ".join(str(text or "").split())
    if not line:
        return "", ""
    for pattern in (_NAME_THEN_CODE, _CODE_THEN_NAME, _NAME_BEFORE_CODE):
        m = pattern.search(line)
        if m:
            return m.group("cp"), m.group("commune").strip(" .-–")
    parts = [p.strip(" .-–") for p in re.split(r"[,;]", line)]
    parts = [p for p in parts if p and not _is_france_name(p)]
    if not parts or re.search(r"\d", parts[-1]):
        return "", ""
    return "", parts[-1]


def _is_france_name(text: str) -> bool:
    """True for a country part of an address that says France (``France``, ``FR``)."""
    return slugify(text) in _FRANCE - {""}


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


# --- communes named in a corpus --------------------------------------------------------------
#: « nom (code postal) », as an address book writes it: ``Quimper (29000)``.
_NAME_POSTAL = re.compile(r"^\s*(?P<nom>[^()]+?)\s*\(\s*(?P<cp>\d{4,5})\s*\)\s*$")
_INSEE = re.compile(r"^(?:\d{5}|2[AB]\d{3})$")
#: Suggestions are looked for for so many distinct unknown values at most (a huge corpus stays fast).
HINT_LIMIT = 200


def _commune_hint(value: str, departement: str | None = None) -> str:
    """« vouliez-vous dire » among the communes' identifiers (of one département when known)."""
    from mesra.errors import CloseMatcher

    g = _geo()
    if departement:
        ids = [c["id"] for c in g["commune"].values() if c["departement"] in _corsica(departement)]
        return CloseMatcher(ids).hint(slugify(value), n=2, cutoff=0.7)
    return _all_communes_matcher().hint(slugify(value), n=2, cutoff=0.8)


@lru_cache(maxsize=1)
def _all_communes_matcher():
    from mesra.errors import CloseMatcher

    return CloseMatcher(c["id"] for c in _geo()["commune"].values())


def resolve_commune(value: object) -> tuple[str | None, str | None, str]:
    """The commune ``value`` names: ``(identifier, INSEE code, "")``, else ``(None, None, hint)``.

    ``value`` is a commune's identifier (``brest``, ``saint-denis-93066``), its INSEE code
    (``29019``) or « nom (code postal) » (``Quimper (29000)``). The hint is a French
    sentence part, `` (vouliez-vous dire « … » ?)`` or the reason, or ``""``.

    >>> resolve_commune("Quimper (29000)")[:2], resolve_commune("29019")[:2]
    (('quimper', '29232'), ('brest', '29019'))
    """
    g = _geo()
    text = str(value or "").strip()
    found = g["by_id"].get(text)
    if found is not None and found[0] == "commune":
        return text, found[1], ""
    code = text.upper()
    if _INSEE.match(code):
        if code in g["commune"]:
            return g["commune"][code]["id"], code, ""
        return None, None, f" (aucune commune n'a le code INSEE {code})"
    m = _NAME_POSTAL.match(text)
    if m:
        r = resolve_address(commune=m.group("nom"), postal_code=m.group("cp").zfill(5))
        if r.status == "commune":
            return r.territoire_id, r.commune_code, ""
        dep = departement_from_postal_code(m.group("cp").zfill(5))
        hint = _commune_hint(m.group("nom"), dep) if dep else ""
        return None, None, hint or f" ({r.message})"
    return None, None, _commune_hint(text)


def _rows(raw, name: str) -> list[dict[str, str]]:
    table = raw.tables.get(name)
    return table.rows if table is not None else []


def _own_rows(raw) -> list[dict[str, str]]:
    table = raw.tables.get("territoires")
    return [r for r in table.rows if r.get("territoire_id")] if table is not None else []


def add_communes(raw) -> None:
    """Resolve the communes a corpus names without declaring them; extend its reference with them.

    An actor's (or an action's) ``territoire_id``, or a monograph's ``territoire``, that is no
    known identifier but names a commune (:func:`resolve_commune`) is replaced by the commune's identifier — the one of
    ``territoires.csv`` when the corpus declares that INSEE code, else the reference's — and the
    commune, with the EPCI above it, joins ``raw.reference``. Values that name nothing keep
    their text, and a suggestion in ``raw.territory_hints`` for the validator's message.
    """
    import pandas as pd

    own = _own_rows(raw)
    known = set(raw.reference["territoire_id"]) | {r["territoire_id"] for r in own}
    own_by_code = {r.get("code_insee", "").upper(): r["territoire_id"] for r in own if r.get("niveau") == "commune"}
    own_by_code.pop("", None)
    added: set[str] = set()
    slots = [(row, "territoire_id") for name in ("acteurs", "actions") for row in _rows(raw, name)]
    slots += [(m.meta, "territoire") for m in raw.monographs if isinstance(m.meta, dict)]
    for holder, key in slots:
        value = holder.get(key, "")
        if isinstance(value, int) and not isinstance(value, bool):  # YAML reads territoire: 29019 as a number
            value = str(value).zfill(5)
        if not isinstance(value, str) or not value or value in known or value in raw.territory_hints:
            continue
        tid, code, hint = resolve_commune(value) if len(raw.territory_hints) < HINT_LIMIT else (None, None, "")
        if tid is None:
            raw.territory_hints[value] = hint
            continue
        tid = own_by_code.get(code or "", tid)
        holder[key] = tid
        if tid not in known:
            added.add(tid)
    rows = [r for r in territory_rows(added) if r["territoire_id"] not in known]
    if rows:
        extra = pd.DataFrame(rows, columns=list(raw.reference.columns))
        raw.reference = pd.concat([raw.reference, extra], ignore_index=True)


@lru_cache(maxsize=1)
def _commune_names() -> dict[str, str]:
    """INSEE code → official name: the light lookup of a check that finds nothing wrong."""
    return {c["code"]: c["nom"] for c in _read_gz("communes.csv.gz")}


def commune_problems(raw) -> list:
    """Problems of the communes ``territoires.csv`` declares, against the official reference.

    A commune row with an INSEE code must carry a code the reference knows, the commune's name,
    and a parent under the commune's département; a French commune row without a code is told
    the code mesra knows. Rows abroad (their parents never reach ``fr``) are left alone.
    """
    from mesra.corpus.geo import parent_map, walk_up
    from mesra.corpus.validate import Kind
    from mesra.errors import Problem

    table = raw.tables.get("territoires")
    if table is None or not any(r.get("niveau") == "commune" for r in table.rows):
        return []
    parents = parent_map(raw.reference) | parent_map(_own_rows(raw))
    ref = raw.reference
    dep_id = dict(
        zip(
            ref.loc[ref["niveau"] == "departement", "code_insee"],
            ref.loc[ref["niveau"] == "departement", "territoire_id"],
        )
    )
    problems = []
    for row, line in zip(table.rows, table.lines):
        if row.get("niveau") != "commune":
            continue
        chain = walk_up(parents, row.get("territoire_id", ""))
        if "fr" not in chain:
            continue
        code = row.get("code_insee", "").strip().upper()
        name = _commune_names().get(code)
        dep = dep_id.get(_departement_of_code(code))
        if name is not None and _name_key(name) == _name_key(row.get("nom", "")) and dep in chain:
            continue  # the usual case, without building the whole reference
        message = _commune_row_problem(_geo(), row, chain)
        if message:
            problems.append(Problem(table.label, line, message[0], message[1], Kind.CONSISTENCY))
    return problems


def _commune_row_problem(g: dict, row: dict[str, str], chain: list[str]) -> tuple[str, str] | None:
    code = row.get("code_insee", "").strip().upper()
    name = row.get("nom", "")
    if not code:
        hits = sorted(g["by_name"].get(_name_key(name), []))
        dep_ids = {g["dep_id"][g["commune"][c]["departement"]] for c in hits}
        inside = [c for c in hits if g["dep_id"][g["commune"][c]["departement"]] in chain] or hits
        if not dep_ids:
            return None
        known = ", ".join(commune_label(c) for c in inside[:3])
        return "code_insee", f"code INSEE manquant : mesra connaît {known} ; donnez le code ou retirez la ligne"
    if code not in g["commune"]:
        same = sorted(g["by_name"].get(_name_key(name), []))
        hint = f" ; {name} : {', '.join(commune_label(c) for c in same[:3])}" if same else ""
        return "code_insee", f"code INSEE « {code} » inconnu des communes officielles{hint}"
    ref = g["commune"][code]
    if _name_key(name) != _name_key(ref["nom"]):
        return "nom", f"le code INSEE {code} est celui de {commune_label(code)}, pas de « {name} »"
    dep = g["dep_id"][ref["departement"]]
    if dep not in chain:
        return (
            "parent_id",
            f"{commune_label(code)} n'est pas sous « {row.get('parent_id', '')} » : son département est « {dep} » "
            "(une commune mal rattachée sort de la note de son département)",
        )
    return None
