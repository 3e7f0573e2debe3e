"""Import of a GoGoCarto map export (Transiscope and the other GoGoCarto instances).

The format is defined by GoGoCarto's server (``pixelhumain/GoGoCarto``:
``src/Biopen/GeoDirectoryBundle/Controller/APIController.php`` serves
``/api/elements.json?ontology=…``, ``Document/Element.php`` holds the fields)
and by its client's sample data (``pixelhumain/GoGoCartoJs``, ``web/data/``).
Three shapes are read:

- ``gogofull`` (also ``gogolight``): ``{"ontology": "gogofull", "data": [element, …]}``
  where an element has ``id``, ``name``, ``geo {latitude, longitude}``,
  ``address {streetAddress, addressLocality, postalCode, addressCountry}``, its
  categories as names (``categories``), as ``categoriesFull [{id, name}]`` or as
  ``optionValues [{optionId}]``, ``sourceKey``, ``createdAt`` (``d/m/Y``),
  ``status`` and possibly ``email``/``telephone``;
- ``gogocompact``: ``{"ontology": "gogocompact", "data": [[id, name, lat, lng,
  [optionId, "description"?, …], status?, moderationState?], …]}``. It carries
  option *identifiers* only and no address: the names come from the map's
  taxonomy (``/api/taxonomy.json``, option ``taxonomy=``) or from an
  ``option_id`` column of the mapping file, and territories stay unresolved;
- JSON-LD: ``{"@context": …, "@graph": [element, …]}`` with the same elements.

Each element becomes an actor whose ``source`` points into the export
(``gogocarto-<file>#id=<element id>``); its ``type`` comes from its categories
through a mapping file the user can edit (default:
``categories_transiscope.csv``); its territory is resolved from the postal code
and commune (:mod:`mesra.geo_resolve`), never guessed. Personal fields
(``email``, ``telephone``) are never read into the corpus. Elements refused or
deleted on the map (``status`` < 0) are left out.
"""

from __future__ import annotations

import csv
import math
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from mesra.corpus import contract
from mesra.corpus.communes import split_address
from mesra.french import plural
from mesra.importers.apply import ImportBatch, ImportInputError, ImportReport, TerritoryLog, apply_import, clean_text
from mesra.importers.merge import name_key
from mesra.importers.names import actor_row, person_name, type_from_name, unique_id
from mesra.importers.normalise import normalise_text
from mesra.importers.taxonomy import FORMS, Taxonomy, load_json_file, read_taxonomy
from mesra.text import slugify

__all__ = ["import_gogocarto", "read_gogocarto", "load_category_mapping", "CategoryMapping", "DEFAULT_MAPPING"]

#: The default category → type mapping (Transiscope taxonomy), shipped as package data.
DEFAULT_MAPPING = "categories_transiscope.csv"
_PERSONAL = ("email", "telephone", "phone", "mobile")
_ONTOLOGIES = {"gogofull": "full", "gogolight": "full", "gogocompact": "compact"}


@dataclass(frozen=True)
class CategoryMapping:
    """Category → type: ``rules`` in priority order, ``by_option`` for option ids, ``default`` type.

    ``thematic`` holds the categories the mapping knows but that say nothing of an
    actor's form (a line with an empty type: « Alimentation », « Culture »…).
    """

    rules: tuple[tuple[str, str], ...]
    by_option: dict[str, str]
    default: str
    label: str
    thematic: frozenset[str] = frozenset()

    def type_of(self, names: list[str], option_ids: list[str]) -> tuple[str, bool]:
        """The type for an element's categories; second value True when mapped, False when default."""
        keys = {name_key(n) for n in names}
        for key, typ in self.rules:
            if key in keys:
                return typ, True
        for oid in option_ids:
            if oid in self.by_option:
                return self.by_option[oid], True
        return self.default, False

    def unknown(self, names: list[str]) -> list[str]:
        """The category names that no line of the mapping mentions."""
        known = {key for key, _ in self.rules} | self.thematic
        return [n for n in names if name_key(n) not in known]


def _mapping_text(path: str | Path | None) -> tuple[str, str]:
    """The text of a mapping file and its label (the default mapping when ``path`` is None)."""
    if path is None:
        return resources.files("mesra.importers").joinpath(DEFAULT_MAPPING).read_text("utf-8"), DEFAULT_MAPPING
    p = Path(path)
    try:
        return p.read_bytes().decode("utf-8-sig"), p.name
    except FileNotFoundError:
        raise ImportInputError(f"fichier de correspondance « {p} » introuvable") from None
    except UnicodeDecodeError:
        raise ImportInputError(f"fichier de correspondance « {p} » : encodez-le en UTF-8") from None
    except OSError as exc:
        raise ImportInputError(f"fichier de correspondance « {p} » illisible ({exc.strerror})") from None


def load_category_mapping(path: str | Path | None = None) -> CategoryMapping:
    """Read a mapping CSV: ``categorie,type[,option_id]``; ``#`` lines are comments.

    A category is matched without regard to case, accents or punctuation; the first
    line matching one of an element's categories wins; the ``*`` line gives the
    type of elements no line matches. A line with an empty type names a category
    that says nothing of the actor's form (thematic): known, but not a type.

    Raises
    ------
    ImportInputError
        When the file is missing, malformed, or a type is outside the vocabulary.
    """
    text, label = _mapping_text(path)
    lines = [
        (i, line)
        for i, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not lines:
        raise ImportInputError(f"{label} : fichier vide ; attendu un en-tête « categorie,type »")
    delim = ";" if lines[0][1].count(";") > lines[0][1].count(",") else ","
    rows = list(csv.reader([line for _, line in lines], delimiter=delim))
    header = [h.strip().lower() for h in rows[0]]
    if "categorie" not in header or "type" not in header:
        raise ImportInputError(
            f"{label}:{lines[0][0]} : en-tête « categorie,type[,option_id] » attendu, trouvé « {lines[0][1]} »"
        )
    columns = (
        header.index("categorie"),
        header.index("type"),
        header.index("option_id") if "option_id" in header else None,
    )
    return _mapping_rules(label, [n for n, _ in lines[1:]], rows[1:], len(header), columns)


def _mapping_rules(label: str, numbers: list[int], rows: list[list[str]], width: int, columns) -> CategoryMapping:
    """The mapping from its rows (``columns``: positions of categorie, type and option_id or None)."""
    ci, ti, oi = columns
    rules, by_option, default, thematic = [], {}, None, set()
    for lineno, row in zip(numbers, rows):
        cells = [c.strip() for c in row] + [""] * width
        cat, typ = cells[ci], cells[ti]
        if not typ and cat and cat != "*":
            thematic.add(name_key(cat))
            continue
        if typ not in contract.TYPES:
            raise ImportInputError(
                f"{label}:{lineno} : type « {typ} » hors vocabulaire ; valeurs possibles : " + ", ".join(contract.TYPES)
            )
        if cat == "*":
            default = default or typ
        elif cat:
            rules.append((name_key(cat), typ))
        if oi is not None and cells[oi]:
            by_option.setdefault(cells[oi], typ)
    if default is None:
        raise ImportInputError(
            f"{label} : ligne « *,<type> » manquante (type des éléments sans catégorie reconnue), ex. « *,collectif »"
        )
    return CategoryMapping(tuple(rules), by_option, default, label, frozenset(thematic))


def _text(value: object) -> str:
    """A value of the export as text, decoded and normalised once (:func:`normalise_text`)."""
    return clean_text(normalise_text(value))


def _shape(doc: object, path: Path) -> tuple[str, list]:
    if isinstance(doc, dict):
        if "@graph" in doc:
            items = doc["@graph"]
            kind = "full"
        elif "data" in doc:
            items = doc["data"]
            ontology = doc.get("ontology")
            if ontology is None:
                kind = "compact" if items and isinstance(items[0], list) else "full"
            elif str(ontology).lower() in _ONTOLOGIES:
                kind = _ONTOLOGIES[str(ontology).lower()]
            else:
                raise ImportInputError(
                    f"« {path.name} » : ontologie « {ontology} » inconnue ; attendu gogofull ou gogocompact. "
                    "Réexportez la carte avec …/api/elements.json?ontology=gogofull"
                )
        else:
            raise ImportInputError(
                f"« {path.name} » n'est pas un export GoGoCarto : clé « data » (ou « @graph ») "
                "absente. Exportez la carte avec …/api/elements.json?ontology=gogofull"
            )
    elif isinstance(doc, list):
        items = doc
        kind = "compact" if items and isinstance(items[0], list) else "full"
    else:
        raise ImportInputError(f"« {path.name} » n'est pas un export GoGoCarto (objet JSON attendu)")
    if not isinstance(items, list):
        raise ImportInputError(f"« {path.name} » : la liste des éléments (« data ») n'est pas une liste")
    if not items:
        raise ImportInputError(f"« {path.name} » ne contient aucun élément : vérifiez les filtres de l'export")
    return kind, items


def _is_number(v: object) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _compact(item: list) -> dict:
    """One ``gogocompact`` element as a dict (id, name, option ids, status).

    The documented shape is ``[id, name, lat, lng, [options], status?, moderationState?]``;
    ``[id, name, [lat, lng], [options], …]`` is accepted too. In the option list an id
    may be followed by a string (that option's description, not needed here).
    """
    if len(item) < 2:
        raise ValueError("moins de deux valeurs (identifiant, nom)")
    rest = item[2:]
    if len(rest) >= 3 and _is_number(rest[0]) and _is_number(rest[1]):
        options, tail = rest[2], rest[3:]
    elif len(rest) >= 2 and isinstance(rest[0], list) and isinstance(rest[1], list):
        options, tail = rest[1], rest[2:]
    else:
        lists = [i for i, v in enumerate(rest) if isinstance(v, list)]
        options, tail = (rest[lists[0]], rest[lists[0] + 1 :]) if lists else ([], [])
    if not isinstance(options, list):
        raise ValueError("liste des options attendue après la latitude et la longitude")
    ids = []
    for v in options:
        if isinstance(v, list) and v:
            v = v[0]
        if _is_number(v):
            ids.append(str(int(v)))
        elif isinstance(v, str) and v.isdigit():
            ids.append(v)
    status = tail[0] if tail and _is_number(tail[0]) else None
    return {"id": item[0], "name": item[1], "_options": ids, "status": status}


#: The shapes categories take in GoGoCarto exports, with their French names for the report.
SHAPES = {
    "noms": "noms de catégories",
    "numeros": "numéros d'options",
    "numero_description": "[numéro, description]",
    "objets": "objets {id | optionId, name}",
    "skos": "concepts SKOS {@type, @id}",
}
_CATEGORY_KEYS = ("categories", "categoriesFull", "optionValues", "taxonomy")


def _uri_tail(value: object) -> str:
    text = str(value).strip()
    return text.rstrip("/").rsplit("/", 1)[-1] if "/" in text else text


def _is_id(value: object) -> bool:
    return _is_number(value) or (isinstance(value, str) and value.strip().isdigit())


def _as_id(value: object) -> str:
    return str(int(value)) if _is_number(value) else str(value).strip()


class _Categories:
    """An element's categories read from any of the shapes of :data:`SHAPES`."""

    def __init__(self):
        self.names: list[str] = []
        self.ids: list[str] = []
        self.named: set[str] = set()
        self.shapes: set[str] = set()

    def add_dict(self, c: dict) -> None:
        raw = c.get("optionId", c.get("id"))
        if raw is None and c.get("@id") is not None:
            raw, shape = _uri_tail(c["@id"]), "skos"
        else:
            shape = "objets"
        oid = _as_id(raw) if raw is not None and str(raw).strip() else ""
        label = c.get("name", c.get("skos:prefLabel", c.get("prefLabel")))
        if not oid and not isinstance(label, str):
            return
        self.shapes.add(shape)
        if oid:
            self.ids.append(oid)
        if isinstance(label, str) and label.strip():
            self.names.append(_text(label))
            self.named.add(oid)

    def add_list(self, values: list) -> None:
        previous_id = False
        for c in values:
            if isinstance(c, dict):
                self.add_dict(c)
            elif isinstance(c, list) and c and _is_id(c[0]):
                self.ids.append(_as_id(c[0]))  # [id, "description"]: the description is the element's own
                self.shapes.add("numero_description")
            elif _is_id(c):
                self.ids.append(_as_id(c))
                self.shapes.add("numeros")
                previous_id = True
                continue
            elif isinstance(c, str) and c.strip() and not previous_id:
                self.names.append(_text(c))
                self.shapes.add("noms")
            previous_id = False

    def add_text(self, value: str) -> None:
        """A free-text value (« 'AMAP, paniers bio' »): its comma-separated names."""
        for part in value.split(","):
            part = _text(part).strip(" '\"")
            if part:
                self.names.append(part)
                self.shapes.add("noms")


def _element_categories(el: dict, taxonomy: dict[str, str]) -> tuple[list[str], list[str], list[str], set[str]]:
    """The element's category names, its option ids, those of its ids that nothing names, and the
    shapes they were read from (keys of :data:`SHAPES`)."""
    cats = _Categories()
    for key in _CATEGORY_KEYS:
        value = el.get(key)
        if isinstance(value, str):
            cats.add_text(value) if not value.strip().isdigit() else cats.add_list([value])
        elif isinstance(value, dict):
            cats.add_dict(value)
        elif isinstance(value, list):
            cats.add_list(value)
        elif _is_number(value):
            cats.add_list([value])
    if el.get("_options"):
        cats.ids += list(el["_options"])
        cats.shapes.add("numeros")
    for oid in cats.ids:
        if oid in taxonomy:
            cats.names.append(_text(taxonomy[oid]))
            cats.named.add(oid)
    ids = list(dict.fromkeys(cats.ids))
    names = list(dict.fromkeys(n for n in cats.names if n))
    return names, ids, [i for i in ids if i not in cats.named], cats.shapes


def _address(el: dict) -> dict[str, str]:
    a = el.get("address")
    out = {"postal_code": "", "commune": "", "country": "", "insee": ""}
    if isinstance(a, dict):
        out["postal_code"] = _text(a.get("postalCode"))
        out["commune"] = _text(a.get("addressLocality"))
        out["country"] = _text(a.get("addressCountry"))
        out["insee"] = _text(a.get("codeInsee") or a.get("inseeCode"))
    elif isinstance(a, str):
        out["postal_code"], out["commune"] = split_address(normalise_text(a))
    for key, slot in (("postalCode", "postal_code"), ("addressLocality", "commune"), ("addressCountry", "country")):
        if not out[slot] and el.get(key):
            out[slot] = _text(el.get(key))
    return out


@dataclass
class _Reading:
    """What reading the elements of an export gathers besides the actors."""

    log: TerritoryLog = field(default_factory=TerritoryLog)
    taken: set[str] = field(default_factory=set)
    seen_ids: set[str] = field(default_factory=set)
    skipped: list[str] = field(default_factory=list)
    personal: Counter = field(default_factory=Counter)
    by_source: Counter = field(default_factory=Counter)
    defaulted: int = 0
    option_ids: set[str] = field(default_factory=set)
    unnamed_ids: Counter = field(default_factory=Counter)
    unknown_labels: Counter = field(default_factory=Counter)
    numbers_only: int = 0
    shapes: Counter = field(default_factory=Counter)
    no_address: int = 0
    by_name: int = 0
    people: list[dict[str, str]] = field(default_factory=list)
    pseudonymiser: bool = True


def _element(item: object, n: int, path: Path) -> dict:
    try:
        el = _compact(item) if isinstance(item, list) else item
    except ValueError as exc:
        raise ImportInputError(f"« {path.name} », élément n° {n} : forme gogocompact invalide ({exc})") from None
    if not isinstance(el, dict):
        raise ImportInputError(
            f"« {path.name} », élément n° {n} : objet attendu, trouvé {type(item).__name__} ; "
            "le fichier mélange-t-il deux ontologies ?"
        )
    return el


def _kept(el: dict, n: int, seen: _Reading) -> tuple[str, str] | None:
    """The element's id and name, or None (and why, in ``seen.skipped``) when it is left out."""
    eid = _text(el.get("id", el.get("@id")))
    if "/" in eid:
        eid = eid.rstrip("/").rsplit("/", 1)[-1]
    name = _text(el.get("name", el.get("schema:name")))
    status = el.get("status")
    if not eid or not name:
        seen.skipped.append(f"élément n° {n} sans {'identifiant' if not eid else 'nom'}")
    elif isinstance(status, (int, float)) and not isinstance(status, bool) and status < 0:
        seen.skipped.append(f"« {name} » (id={eid}) refusé ou supprimé sur la carte (status {status})")
    elif eid in seen.seen_ids:
        seen.skipped.append(f"« {name} » (id={eid}) en double dans l'export")
    else:
        seen.seen_ids.add(eid)
        return eid, name
    return None


def _actor(el: dict, eid: str, name: str, kind: str, source_id: str, typ: str, seen: _Reading) -> dict[str, str]:
    locator = f"{source_id}#id={eid}"
    territoire = ""
    addr = _address(el) if kind == "full" else {}
    if kind == "full" and not any(addr.values()):
        seen.no_address += 1  # coordinates only: nothing to resolve, nothing « introuvable »
    elif kind == "full":
        territoire = seen.log.resolve(
            f"« {name} » ({locator})",
            insee=addr["insee"],
            commune=addr["commune"],
            postal_code=addr["postal_code"],
            country=addr["country"],
        )
    aid = unique_id(slugify(name)[:80].strip("-") or f"element-{slugify(eid)[:40]}".strip("-"), seen.taken)
    return actor_row(aid, name, typ, territoire, locator)


def _notes(kind: str, tax: Taxonomy | None, mapping: CategoryMapping, seen: _Reading) -> list[str]:
    notes = []
    if kind == "compact":
        notes.append(
            "Format gogocompact : il ne porte pas d'adresse, les territoires restent vides "
            "(exportez avec ?ontology=gogofull pour les résoudre)."
        )
    if seen.no_address:
        n = seen.no_address
        notes.append(
            f"{plural(n, 'élément')} sans adresse (ni code postal, ni commune, ni code INSEE : des coordonnées "
            "au plus) : territoire laissé vide, sans recherche ; "
            f"{'il n’est pas compté' if n < 2 else 'ils ne sont pas comptés'} "
            "parmi les adresses introuvables."
        )
    notes += _category_notes(tax, mapping, seen)
    if seen.people:
        n = len(seen.people)
        how = "pseudonymisées (personne-…)" if seen.pseudonymiser else "avec leurs vrais noms (--no-pseudonymiser)"
        notes.append(
            f"Personnes : {plural(n, 'élément nomme', 'éléments nomment')} une personne (un prénom et un nom, "
            f"aucune forme d'organisation) : {'importé' if n < 2 else 'importés'} dans personnes.csv, {how}, "
            "et non comme acteurs."
        )
    if seen.personal:
        notes.append(
            "Données personnelles non importées : "
            + ", ".join(f"{k} ({plural(v, 'élément')})" for k, v in sorted(seen.personal.items()))
            + "."
        )
    if seen.by_source:
        notes.append(
            "Sources d'origine (sourceKey) : "
            + ", ".join(f"{k} ({v})" for k, v in sorted(seen.by_source.items(), key=lambda kv: (-kv[1], kv[0])))
        )
    if seen.skipped:
        skipped = seen.skipped
        notes.append(
            f"Éléments écartés : {len(skipped)} — " + " ; ".join(skipped[:10]) + (" ; …" if len(skipped) > 10 else "")
        )
    return notes


def _counted(counter: Counter, limit: int = 12, quote: bool = True) -> str:
    shown = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
    text = ", ".join((f"« {k} »" if quote else k) + f" ({v})" for k, v in shown[:limit])
    return text + (f" et {plural(len(shown) - limit, 'autre')}" if len(shown) > limit else "")


def _category_notes(tax: Taxonomy | None, mapping: CategoryMapping, seen: _Reading) -> list[str]:
    """What the report says of types: the shapes read, the taxonomy's coverage, default types, unknown labels."""
    notes = []
    if seen.shapes:
        shapes = Counter({SHAPES[k]: v for k, v in seen.shapes.items()})
        notes.append(f"Catégories lues sous la forme : {_counted(shapes, quote=False)} (éléments).")
    if seen.by_name:
        notes.append(
            f"Types tirés du nom (« Association … » → association, « SCOP … » → cooperative…) : "
            f"{plural(seen.by_name, 'acteur')}."
        )
    if tax is not None and seen.option_ids:
        named = len(seen.option_ids) - len(seen.unnamed_ids)
        notes.append(
            f"Taxonomie « {tax.label} » ({FORMS[tax.form]}) : elle nomme {named} des {len(seen.option_ids)} "
            "numéros d'options (ou identifiants @id) de l'export"
            + (f" ; sans nom : {_counted(seen.unnamed_ids, 8, quote=False)}." if seen.unnamed_ids else ".")
        )
    elif tax is not None:
        notes.append(
            f"Taxonomie « {tax.label} » ({FORMS[tax.form]}) : l'export nomme ses catégories sans numéro ni "
            "identifiant, elle n'a servi à rien."
        )
    if seen.numbers_only and tax is None and not mapping.by_option:
        notes.append(
            f"{plural(seen.numbers_only, 'élément')} {'ne donne ses' if seen.numbers_only < 2 else 'ne donnent leurs'} "
            "catégories que par numéro (optionValues ou "
            "gogocompact) : donnez la taxonomie de la carte (--taxonomie …/api/taxonomy.json) ou une "
            "colonne option_id dans la correspondance."
        )
    if seen.defaulted:
        notes.append(
            f"Types : {plural(seen.defaulted, 'acteur')} sans catégorie reconnue par {mapping.label} "
            f"{'a' if seen.defaulted < 2 else 'ont'} reçu le "
            f"type par défaut « {mapping.default} » : à vérifier."
        )
    if seen.unknown_labels:
        notes.append(
            f"Catégories absentes de {mapping.label} ({len(seen.unknown_labels)}) : "
            f"{_counted(seen.unknown_labels)} ; ajoutez-les à une copie de la correspondance (--categories)."
        )
    return notes


def _check_taxonomy(tax: Taxonomy | None, seen: _Reading, path: Path) -> None:
    """A taxonomy that names none of the export's option numbers belongs to another map: an error."""
    if tax is None or not seen.option_ids or len(seen.unnamed_ids) < len(seen.option_ids):
        return
    sample = ", ".join(sorted(seen.option_ids, key=lambda x: (len(x), x))[:5])
    raise ImportInputError(
        f"la taxonomie « {tax.label} » ({FORMS[tax.form]}, {len(tax)} catégories) ne nomme aucun des "
        f"{len(seen.option_ids)} numéros d'options de « {path.name} » (ex. {sample}) : elle vient d'une autre "
        "carte. Donnez la taxonomie de la carte exportée (…/api/taxonomy.json de la même carte)."
    )


def _person(eid: str, name: str, source_id: str, n: int, seen: _Reading) -> None:
    """An element that names a person: a row of ``personnes``, pseudonymised unless asked otherwise.

    Its source points to the element by its rank in the export (``#element=12``), since an
    element's id may spell the name (JSON-LD ``@id`` such as ``…/POI/Patrick%20Dupont4560``).
    """
    from mesra.corpus.privacy import pseudonym

    locator = f"{source_id}#element={n}" if seen.pseudonymiser else f"{source_id}#id={eid}"
    if seen.pseudonymiser:
        pid, nom = pseudonym(f"{source_id}-{eid}")
    else:
        pid, nom = slugify(name)[:80].strip("-") or f"personne-{slugify(eid)}", name
    base, k = pid, 2
    while pid in seen.taken:
        pid, k = f"{base}-{k}", k + 1
    seen.taken.add(pid)
    seen.people.append(
        {"personne_id": pid, "nom": nom, "prenom": "", "acteur_id": "", "fonction": "", "source": locator}
    )


def _read_element(
    el: dict, kept, n: int, kind: str, source_id: str, mapping, names: dict, seen: _Reading
) -> dict | None:
    """One kept element as an actor row (None when it names a person, then in ``seen.people``),
    its categories counted in ``seen``.

    The type comes from the name when it states one (« Association … »: :mod:`mesra.importers.names`,
    the rule of every importer), else from the categories through the mapping, else the default.
    """
    seen.personal.update(key for key in _PERSONAL if el.get(key))
    if el.get("sourceKey"):
        seen.by_source[_text(el["sourceKey"])] += 1
    labels, ids, unnamed, shapes = _element_categories(el, names)
    seen.shapes.update(shapes)
    seen.option_ids.update(ids)
    seen.unnamed_ids.update(unnamed)
    seen.numbers_only += bool(ids) and not labels
    seen.unknown_labels.update(mapping.unknown(labels))
    eid, name = kept
    by_name = type_from_name(name)
    if by_name is None and person_name(name):
        _person(eid, name, source_id, n, seen)
        return None
    typ, mapped = mapping.type_of(labels, ids)
    if by_name is not None:
        typ, mapped = by_name, True
        seen.by_name += 1
    seen.defaulted += not mapped
    return _actor(el, eid, name, kind, source_id, typ, seen)


def read_gogocarto(
    path: str | Path,
    *,
    categories: str | Path | None = None,
    taxonomy: str | Path | None = None,
    pseudonymiser: bool = True,
) -> ImportBatch:
    """Read a GoGoCarto export into corpus rows (nothing is written).

    Parameters
    ----------
    path : str or Path
        The JSON export (``gogofull``, ``gogocompact`` or JSON-LD ``@graph``).
    categories : str or Path, optional
        Category → type mapping CSV (default: the Transiscope mapping shipped with mesra).
    taxonomy : str or Path, optional
        The map's taxonomy, to name the option numbers of ``gogocompact`` or ``optionValues``:
        GoGoCarto's ``taxonomy.json``, Transiscope's SKOS taxonomy (JSON-LD) or an export whose
        elements carry ``categoriesFull`` (:mod:`mesra.importers.taxonomy`).
    pseudonymiser : bool
        Elements that name a person (:func:`mesra.importers.names.person_name`) become people
        with a stable pseudonym (default); False keeps their names.

    Raises
    ------
    ImportInputError
        Unreadable, truncated or unrecognised export; malformed mapping; unreadable or
        unrecognised taxonomy, or one that names none of the export's option numbers.
    """
    path = Path(path)
    mapping = load_category_mapping(categories)
    tax = read_taxonomy(taxonomy) if taxonomy is not None else None
    kind, items = _shape(load_json_file(path, "export GoGoCarto"), path)
    stem = slugify(path.stem)[:60].strip("-") or "export"
    source_id = f"gogocarto-{stem}"
    seen = _Reading(pseudonymiser=pseudonymiser)
    actors: list[dict[str, str]] = []
    for n, item in enumerate(items, start=1):
        el = _element(item, n, path)
        kept = _kept(el, n, seen)
        row = _read_element(el, kept, n, kind, source_id, mapping, tax.names if tax else {}, seen) if kept else None
        if row is not None:
            actors.append(row)
    if not actors and not seen.people:
        raise ImportInputError(f"« {path.name} » : aucun élément importable ({'; '.join(seen.skipped[:5])})")
    _check_taxonomy(tax, seen, path)
    source = {
        "source_id": source_id,
        "titre": f"Export GoGoCarto « {path.name} » ({_kind_label(kind)})",
        "auteur": "",
        "annee": "",
        "fichier": "",
    }
    tables = {"acteurs": actors, "personnes": seen.people}
    return ImportBatch("GoGoCarto", path, source, tables, seen.log, _notes(kind, tax, mapping, seen))


def _kind_label(kind: str) -> str:
    return {"full": "gogofull", "compact": "gogocompact"}.get(kind, kind)


def import_gogocarto(
    path: str | Path,
    out: str | Path,
    *,
    categories: str | Path | None = None,
    taxonomy: str | Path | None = None,
    pseudonymiser: bool = True,
    force: bool = False,
) -> ImportReport:
    """Import a GoGoCarto export into the corpus folder ``out``.

    Into a new folder, the tables are written. Into an existing corpus, the merge
    is computed and listed, and written only with ``force=True`` (``report.applied``).

    >>> report = import_gogocarto("carte.json", "corpus-carte")  # doctest: +SKIP
    >>> print(report.summary())  # doctest: +SKIP
    """
    batch = read_gogocarto(path, categories=categories, taxonomy=taxonomy, pseudonymiser=pseudonymiser)
    return apply_import(batch, out, force=force)
