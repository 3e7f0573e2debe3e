"""Import of any table of actors: a CSV or an Excel workbook (``mesra import tableur``).

A list of ESS establishments (a SIRENE extraction, a network's member list, a funder's
beneficiaries) has one actor per row. Its columns are found by their header, or given with
``colonnes`` (``{"nom": "Raison sociale", "code_postal": "CP"}``, on the command line
``--colonnes "nom=Raison sociale,code_postal=CP"``). Recognised fields (:data:`FIELDS`):

- ``nom`` (required): nom, raison sociale, dénomination, enseigne, name…;
- ``type``: type, forme juridique, catégorie juridique… (a contract type, or words such as
  « Association », « SCOP » read by the one name rule of :mod:`mesra.importers.names`);
- ``siret``: SIRET or SIREN (the row's stable identifier in its source locator);
- ``adresse``: a one-line address (its postal code and commune are read when the next two are absent);
- ``code_postal``, ``commune``, ``code_insee``.

Codes a spreadsheet stored as numbers are repaired: ``79500.0`` → ``79500``, ``1000`` →
``01000``, INSEE ``1053.0`` → ``01053`` (counted in the report); ``2A004`` stays. Every address
resolves like the other importers' (:func:`mesra.corpus.communes.resolve_address`): the postal
code gives the département, in which the commune is looked up; an INSEE code wins. Each row
becomes an actor whose ``source`` is ``tableur-<file>#siret=…`` (or ``#ligne=N`` without a
SIRET); a row that names a person (« DUPONT Jeanne ») becomes a pseudonymised person. The
formula guard, the report and the lossless ``--force`` are those of every import
(:mod:`mesra.importers.apply`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from mesra.corpus import contract
from mesra.corpus.communes import split_address
from mesra.french import plural
from mesra.importers.apply import ImportBatch, ImportInputError, ImportReport, TerritoryLog, apply_import, clean_text
from mesra.importers.names import actor_row, person_name, type_from_name, unique_id
from mesra.importers.normalise import normalise_text
from mesra.text import slugify

__all__ = ["import_tableur", "read_tableur", "FIELDS", "parse_columns", "repair_code"]

#: Fields of a row, with the headers (as slugs) that name them, most specific first.
FIELDS: dict[str, tuple[str, ...]] = {
    "nom": (
        "nom",
        "raison-sociale",
        "denomination",
        "denomination-sociale",
        "denominationunitelegale",
        "nom-de-l-etablissement",
        "nom-de-la-structure",
        "structure",
        "organisation",
        "enseigne",
        "enseigne1etablissement",
        "name",
        "libelle",
    ),
    "type": (
        "type",
        "type-de-structure",
        "forme-juridique",
        "categorie-juridique",
        "categoriejuridique",
        "categoriejuridiqueunitelegale",
        "statut",
        "statut-juridique",
    ),
    "siret": ("siret", "numero-siret", "n-siret", "siren", "numero-siren"),
    "adresse": ("adresse", "adresse-postale", "adresse-complete", "address", "adresse-de-l-etablissement"),
    "code_postal": (
        "code-postal",
        "cp",
        "codepostal",
        "codepostaletablissement",
        "postal-code",
        "postalcode",
        "code-postal-de-l-etablissement",
    ),
    "commune": (
        "commune",
        "ville",
        "localite",
        "libelle-commune",
        "libellecommuneetablissement",
        "nom-commune",
        "city",
    ),
    "code_insee": (
        "code-insee",
        "insee",
        "code-commune",
        "codecommuneetablissement",
        "code-commune-insee",
        "code-officiel-geographique",
        "cog",
    ),
}
_FIELD_LABELS = {
    "nom": "nom",
    "type": "type",
    "siret": "SIRET",
    "adresse": "adresse",
    "code_postal": "code postal",
    "commune": "commune",
    "code_insee": "code INSEE",
}
_DEFAULT_TYPE = "collectif"


def parse_columns(text: str | None) -> dict[str, str]:
    """``"nom=Raison sociale,code_postal=CP"`` as ``{"nom": "Raison sociale", "code_postal": "CP"}``.

    Raises
    ------
    ImportInputError
        A part without ``=`` or a field that is not one of :data:`FIELDS`.
    """
    out: dict[str, str] = {}
    for part in (text or "").split(","):
        if not part.strip():
            continue
        if "=" not in part:
            raise ImportInputError(
                f"--colonnes : « {part.strip()} » sans « = » ; écrivez champ=En-tête, ex. « nom=Raison sociale »"
            )
        key, header = (x.strip() for x in part.split("=", 1))
        key = key.lower().replace("-", "_").replace(" ", "_")
        if key not in FIELDS:
            raise ImportInputError(f"--colonnes : champ « {key} » inconnu ; champs possibles : {', '.join(FIELDS)}")
        out[key] = header
    return out


def repair_code(value: object, kind: str) -> tuple[str, bool]:
    """A postal or INSEE code as text, repaired when a spreadsheet stored it as a number.

    Returns the code and whether it was changed (``79500.0`` → ``79500``, ``1000`` → ``01000``).

    >>> repair_code("79500.0", "code_postal"), repair_code(1053.0, "code_insee"), repair_code("2A004", "code_insee")
    (('79500', True), ('01053', True), ('2A004', False))
    """
    if value is None:
        return "", False
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    else:
        text = clean_text(value).replace(" ", "").replace("\u00a0", "")
    original = clean_text(value)
    m = re.fullmatch(r"(\d{3,5})(?:[.,]0+)?", text)
    if m:
        text = m.group(1)
        if len(text) == 4:
            text = "0" + text
        elif len(text) == 3 and kind == "code_insee":
            text = text.zfill(5)
    return text.upper(), text.upper() != original


@dataclass
class _Table:
    """The rows of the file as text cells, with the header and each row's line or sheet row."""

    header: list[str]
    rows: list[list[object]]
    lines: list[int]
    sheet: str = ""


def _read_csv(path: Path) -> _Table:
    from mesra.corpus.tables import read_csv_file

    problems: list = []
    f = read_csv_file(path, path.name, problems)
    if f is None or problems:
        shown = "; ".join(str(p) for p in problems[:3])
        raise ImportInputError(f"« {path.name} » illisible : {shown or 'fichier vide'}")
    return _Table([h.strip() for h in f.header], [list(r) for r in f.records], list(f.lines))


def _read_xlsx(path: Path, sheet: str | None) -> _Table:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 (openpyxl raises many kinds for a damaged file)
        raise ImportInputError(
            f"classeur « {path.name} » illisible ({type(exc).__name__}) : réenregistrez-le"
        ) from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise ImportInputError(f"« {path.name} » n'a pas de feuille « {sheet} » : {', '.join(book.sheetnames)}")
        ws = book[sheet] if sheet is not None else book.worksheets[0]
        values = [(i, list(r)) for i, r in enumerate(ws.iter_rows(values_only=True), start=1)]
    finally:
        book.close()
    values = [(i, r) for i, r in values if any(c not in (None, "") for c in r)]
    if not values:
        raise ImportInputError(f"la feuille « {ws.title} » de « {path.name} » est vide")
    header = ["" if c is None else str(c).strip() for c in values[0][1]]
    return _Table(header, [r for _, r in values[1:]], [i for i, _ in values[1:]], ws.title)


def _read_table(path: Path, sheet: str | None) -> _Table:
    if not path.exists():
        raise ImportInputError(f"« {path} » introuvable : indiquez le fichier .csv ou .xlsx de la liste d'acteurs")
    if path.is_dir():
        raise ImportInputError(f"« {path} » est un dossier : indiquez le fichier .csv ou .xlsx")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, sheet)
    if suffix in (".csv", ".txt", ".tsv"):
        return _read_csv(path)
    raise ImportInputError(
        f"« {path.name} » : format « {suffix or 'sans extension'} » non pris en charge ; "
        "enregistrez la liste en .csv (UTF-8) ou en .xlsx"
    )


def _mapping(header: list[str], given: dict[str, str], label: str) -> dict[str, int]:
    """Field → column index, from the given headers first, then guessed from common ones."""
    slugs = [slugify(h) for h in header]
    out: dict[str, int] = {}
    for key, wanted in given.items():
        hits = [i for i, h in enumerate(header) if h == wanted or slugs[i] == slugify(wanted)]
        if not hits:
            raise ImportInputError(
                f"« {label} » : colonne « {wanted} » (pour {_FIELD_LABELS[key]}) absente ; "
                f"en-têtes : {', '.join(h for h in header if h)}"
            )
        out[key] = hits[0]
    used = set(out.values())
    for key, names in FIELDS.items():
        if key in out:
            continue
        for name in names:
            hits = [i for i, s in enumerate(slugs) if s == name and i not in used]
            if hits:
                out[key] = hits[0]
                used.add(hits[0])
                break
    if "nom" not in out:
        raise ImportInputError(
            f"« {label} » : aucune colonne de nom reconnue parmi « {' | '.join(h for h in header if h)} » ; "
            'nommez-la « nom » ou donnez-la : --colonnes "nom=Votre en-tête"'
        )
    return out


@dataclass
class _Seen:
    log: TerritoryLog = field(default_factory=TerritoryLog)
    taken: set[str] = field(default_factory=set)
    locators: set[str] = field(default_factory=set)
    repaired: Counter = field(default_factory=Counter)
    typed: Counter = field(default_factory=Counter)
    unknown_types: Counter = field(default_factory=Counter)
    no_address: int = 0
    skipped: list[str] = field(default_factory=list)
    people: list[dict[str, str]] = field(default_factory=list)
    pseudonymiser: bool = True


def _cell(row: list[object], cols: dict[str, int], key: str) -> object:
    i = cols.get(key)
    return row[i] if i is not None and i < len(row) else None


#: SIRENE legal categories (level II, the first two digits) that say a type for sure.
_LEGAL_CATEGORIES = {"92": "association", "72": "collectivite"}


def _type(value: object, name: str, seen: _Seen) -> str:
    text = clean_text(normalise_text(value))
    slug = slugify(text).replace("-", "_")
    code = re.fullmatch(r"(\d{2})\d{2}(?:\.0+)?", text)
    if code and code.group(1) in _LEGAL_CATEGORIES:  # SIRENE categorieJuridique (9220: association déclarée)
        seen.typed["colonne"] += 1
        return _LEGAL_CATEGORIES[code.group(1)]
    if slug in contract.TYPES:
        seen.typed["colonne"] += 1
        return slug
    by_text = type_from_name(text) if text else None
    if by_text:
        seen.typed["colonne"] += 1
        return by_text
    if text:
        seen.unknown_types[text] += 1
    by_name = type_from_name(name)
    if by_name:
        seen.typed["nom"] += 1
        return by_name
    seen.typed["defaut"] += 1
    return _DEFAULT_TYPE


def _locator(source_id: str, siret: str, line: int, seen: _Seen) -> str:
    digits = re.sub(r"\D", "", siret)
    loc = f"{source_id}#siret={digits}" if len(digits) in (9, 14) else f"{source_id}#ligne={line}"
    if loc in seen.locators:  # the same SIRET twice: the row's line keeps them apart
        loc = f"{source_id}#ligne={line}"
    seen.locators.add(loc)
    return loc


def _place(row: list[object], cols: dict[str, int], label: str, seen: _Seen) -> str:
    cp, cp_fixed = repair_code(_cell(row, cols, "code_postal"), "code_postal")
    insee, insee_fixed = repair_code(_cell(row, cols, "code_insee"), "code_insee")
    seen.repaired["code_postal"] += cp_fixed
    seen.repaired["code_insee"] += insee_fixed
    commune = clean_text(normalise_text(_cell(row, cols, "commune")))
    if not (cp or commune):
        cp, commune = split_address(normalise_text(_cell(row, cols, "adresse")))
    if not (cp or commune or insee):
        seen.no_address += 1
        return ""
    return seen.log.resolve(label, insee=insee, commune=commune, postal_code=cp)


def _person(name: str, locator: str, seen: _Seen) -> None:
    from mesra.corpus.privacy import pseudonym

    pid, nom = pseudonym(locator) if seen.pseudonymiser else (slugify(name)[:80], name)
    base, k = pid, 2
    while pid in seen.taken:
        pid, k = f"{base}-{k}", k + 1
    seen.taken.add(pid)
    seen.people.append(
        {"personne_id": pid, "nom": nom, "prenom": "", "acteur_id": "", "fonction": "", "source": locator}
    )


def _row(row: list[object], line: int, cols: dict[str, int], source_id: str, seen: _Seen) -> dict[str, str] | None:
    name = clean_text(normalise_text(_cell(row, cols, "nom")))
    if not name:
        seen.skipped.append(f"ligne {line} sans nom")
        return None
    siret = clean_text(_cell(row, cols, "siret"))
    if re.fullmatch(r"\d+\.0+", siret):
        siret = siret.split(".")[0]
    locator = _locator(source_id, siret, line, seen)
    if not type_from_name(name) and person_name(name):
        _person(name, locator, seen)
        return None
    territoire = _place(row, cols, f"« {name} » ({locator})", seen)
    typ = _type(_cell(row, cols, "type"), name, seen)
    aid = unique_id(slugify(name)[:80].strip("-") or f"ligne-{line}", seen.taken)
    return actor_row(aid, name, typ, territoire, locator)


def _notes(table: _Table, cols: dict[str, int], seen: _Seen) -> list[str]:
    read = ", ".join(f"{_FIELD_LABELS[k]} ← « {table.header[i]} »" for k, i in cols.items())
    notes = [f"Colonnes lues{' (feuille « ' + table.sheet + ' »)' if table.sheet else ''} : {read}."]
    unused = [h for i, h in enumerate(table.header) if h and i not in cols.values()]
    if unused:
        notes.append(f"Colonnes non utilisées : {', '.join(unused[:15])}{' …' if len(unused) > 15 else ''}.")
    fixed = [
        f"{plural(seen.repaired[k], what)}"
        for k, what in (("code_postal", "code postal"), ("code_insee", "code INSEE"))
        if seen.repaired[k]
    ]
    if fixed:
        notes.append(
            "Codes enregistrés comme des nombres, réparés (zéro initial remis, « .0 » retiré) : "
            + ", ".join(fixed)
            + "."
        )
    t = seen.typed
    notes.append(
        f"Types : {t['colonne']} de la colonne type, {t['nom']} tiré(s) du nom (« Association … »), "
        f"{t['defaut']} sans indication : « {_DEFAULT_TYPE} » par défaut, à vérifier."
    )
    if seen.unknown_types:
        shown = ", ".join(f"« {k} » ({v})" for k, v in seen.unknown_types.most_common(8))
        notes.append(f"Valeurs de type non reconnues (le nom a décidé, sinon le défaut) : {shown}.")
    if seen.no_address:
        notes.append(f"{plural(seen.no_address, 'ligne')} sans adresse : territoire laissé vide, sans recherche.")
    if seen.people:
        how = "pseudonymisées" if seen.pseudonymiser else "avec leurs vrais noms"
        notes.append(
            f"Personnes : {plural(len(seen.people), 'ligne nomme', 'lignes nomment')} une personne (prénom et nom, "
            f"aucune forme d'organisation) : dans personnes.csv, {how}."
        )
    if seen.skipped:
        notes.append(f"Lignes écartées : {len(seen.skipped)} — " + " ; ".join(seen.skipped[:10]))
    return notes


def read_tableur(
    path: str | Path,
    *,
    colonnes: dict[str, str] | str | None = None,
    feuille: str | None = None,
    pseudonymiser: bool = True,
) -> ImportBatch:
    """Read a table of actors (CSV or .xlsx) into corpus rows (nothing is written).

    Raises
    ------
    ImportInputError
        Unreadable file, unknown format, no name column, a given column absent.
    """
    path = Path(path)
    given = parse_columns(colonnes) if isinstance(colonnes, str) or colonnes is None else dict(colonnes)
    for key in given:
        if key not in FIELDS:
            raise ImportInputError(f"champ « {key} » inconnu ; champs possibles : {', '.join(FIELDS)}")
    table = _read_table(path, feuille)
    cols = _mapping(table.header, given, path.name)
    source_id = f"tableur-{slugify(path.stem)[:60].strip('-') or 'liste'}"
    seen = _Seen(pseudonymiser=pseudonymiser)
    actors = [a for a in (_row(r, n, cols, source_id, seen) for r, n in zip(table.rows, table.lines)) if a]
    if not actors and not seen.people:
        raise ImportInputError(f"« {path.name} » : aucune ligne importable ({'; '.join(seen.skipped[:5]) or 'vide'})")
    source = {
        "source_id": source_id,
        "titre": f"Liste d'acteurs « {path.name} »",
        "auteur": "",
        "annee": "",
        "fichier": "",
    }
    tables = {"acteurs": actors, "personnes": seen.people}
    return ImportBatch("tableur", path, source, tables, seen.log, _notes(table, cols, seen))


def import_tableur(
    path: str | Path,
    out: str | Path,
    *,
    colonnes: dict[str, str] | str | None = None,
    feuille: str | None = None,
    pseudonymiser: bool = True,
    force: bool = False,
) -> ImportReport:
    """Import a table of actors into the corpus folder ``out`` (see the module docstring).

    Into a new folder, the tables are written; into an existing corpus, the merge is listed and
    written only with ``force=True`` (``report.applied``), without losing a byte of the user's files.
    """
    batch = read_tableur(path, colonnes=colonnes, feuille=feuille, pseudonymiser=pseudonymiser)
    return apply_import(batch, out, force=force)
