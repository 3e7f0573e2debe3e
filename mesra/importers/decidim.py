"""Import of a Decidim open-data export (the zip, a folder of its CSV files, or one CSV).

The format is defined by Decidim itself (``decidim/decidim``):
``decidim-core/lib/decidim/open_data_exporter.rb`` writes one CSV per kind of
resource, named ``<host>-open-data-<resource>.csv``, into
``<host>-open-data.zip``; ``decidim-core/lib/decidim/exporters/csv.rb`` writes
them with ``;`` as separator, nested keys flattened with ``/`` (``category/id``),
translated fields suffixed with the locale (``title/fr``, machine translations as
``title/machine_translations/fr``), arrays joined with ``, ``, and cells starting
with ``=``, ``+``, ``-`` or ``@`` prefixed with ``'`` (formula injection guard:
mesra keeps it, and adds it to what starts like a formula once its HTML is removed).
The columns come from the open-data serializers: ``ParticipatoryProcessSerializer``
(``developer_group/…``, the promoter group), ``MeetingSerializer``
(``organizations``: the attending organisations as free text, ``address``,
``start_time``), ``ProposalSerializer`` (``author/id``, ``author/name``) and
``CommentSerializer`` (``author/…``, ``user_group/name``,
``root_commentable_url``).

What becomes what:

- participatory processes → actors of type ``projet``; assemblies → ``collectif``;
  the promoter group (``developer_group``) → actors that ``porte`` the process;
- meetings → actors of type ``evenement`` (named with their date, so that two
  sessions of the same workshop stay two events), tied ``participe_a`` to their
  process; their territory is resolved from the postal code in ``address``, else
  the platform's territory (``--territoire``);
- the free-text ``organizations`` of meetings → actors ``participe_a`` the meeting;
  user groups of comments → actors ``participe_a`` the process;
- proposal and comment authors → people ``participe_a`` the process,
  **pseudonymised** by default (``personne-3f2a9c``, a stable hash of the
  platform and the author's Decidim id); real names only with
  ``pseudonymiser=False`` (``--no-pseudonymiser``).

The type of an organisation named in free text comes from its first words
(``Association …`` → association, ``Mairie …`` → collectivite…); otherwise
``collectif``, counted in the report.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import Counter
from pathlib import Path

from mesra.corpus import contract
from mesra.corpus.tables import MAX_FILE_BYTES, zip_problem
from mesra.errors import ParameterError, did_you_mean
from mesra.importers.apply import ImportBatch, ImportInputError, ImportReport, TerritoryLog, apply_import, clean_text
from mesra.importers.merge import name_key
from mesra.text import slugify

__all__ = ["import_decidim", "read_decidim", "read_decidim_csv", "ENTITIES"]

#: Resources read, by the name Decidim gives their file; others are listed as ignored.
ENTITIES = ("participatory_processes", "assemblies", "meetings", "proposals", "comments")
_LOCALES = ("fr", "en", "ca", "es", "de", "it", "eu", "gl", "nl", "pt")
_TAGS = re.compile(r"<[^>]+>")
_SPACE_URL = re.compile(r"/(?P<kind>processes|assemblies)/(?P<slug>[^/?#]+)")
_POSTAL = re.compile(r"\b(?P<cp>\d{5})\s+(?P<commune>[^\d,;\n()]+)")
_NAME_TYPES = (
    (("association", "asso"), "association"),
    (("cooperative", "scop", "scic", "cae"), "cooperative"),
    (
        (
            "mairie",
            "ville",
            "commune",
            "conseil-departemental",
            "conseil-regional",
            "departement",
            "region",
            "metropole",
            "communaute-de-communes",
            "communaute-d-agglomeration",
            "agglomeration",
        ),
        "collectivite",
    ),
    (("federation",), "federation"),
    (("reseau",), "reseau_territorial"),
    (("collectif", "groupe", "comite", "conseil-citoyen", "conseil-de-quartier"), "collectif"),
    (("entreprise", "societe", "sarl", "sas"), "entreprise"),
    (("universite", "laboratoire", "labo"), "recherche"),
    (("fondation",), "financeur"),
)


# --- reading ------------------------------------------------------------------
def _decode(data: bytes, label: str) -> str:
    if b"\x00" in data[:65536]:
        raise ImportInputError(f"« {label} » n'est pas un fichier CSV (contenu binaire)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_decidim_csv(data: bytes, label: str) -> tuple[list[str], list[dict[str, str]]]:
    """Read one Decidim CSV (``;`` by default, ``,`` accepted, BOM accepted).

    Raises
    ------
    ImportInputError
        Empty file, unrecognised separator, or malformed quoting.
    """
    text = _decode(data, label)
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise ImportInputError(f"« {label} » est vide : réexportez les données ouvertes de la plateforme")
    first = lines[0]
    delim = ";" if first.count(";") >= first.count(",") and first.count(";") else ","
    if first.count(delim) == 0:
        other = next((d for d in ("\t", "|") if d in first), None)
        found = f"séparateur « {'tabulation' if other == chr(9) else other} » trouvé" if other else "une seule colonne"
        raise ImportInputError(
            f"« {label} » : {found} ; les exports Decidim séparent les colonnes par « ; » "
            "(ou « , »). Réenregistrez le fichier avec « ; » comme séparateur."
        )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=True)
    try:
        rows = [r for r in reader if any(c.strip() for c in r)]
    except csv.Error as exc:
        raise ImportInputError(
            f"« {label} », ligne {reader.line_num} : CSV mal formé ({exc}) ; vérifiez les guillemets"
        ) from None
    header = [h.strip().lstrip("\ufeff").lower() for h in rows[0]]
    if "id" not in header:
        raise ImportInputError(
            f"« {label} » : colonne « id » absente (en-tête : {', '.join(header[:6])}…) ; "
            "ce n'est pas un export open data Decidim, ou son séparateur n'est ni « ; » ni « , »"
        )
    out = []
    for r in rows[1:]:
        cells = [c.strip() for c in r] + [""] * (len(header) - len(r))
        out.append(dict(zip(header, cells)))
    return header, out


def _entity(name: str, header: list[str]) -> str | None:
    stem = Path(name).name.rsplit(".", 1)[0].lower()
    tail = stem.split("open-data-", 1)[1] if "open-data-" in stem else stem
    if tail in ("participatory_processes", "processes"):
        return "participatory_processes"
    if tail in ("assemblies", "meetings", "proposals"):
        return tail
    if tail == "comments" or tail.endswith("_comments"):
        return "comments"
    h = set(header)
    if "commentable_type" in h or "root_commentable_url" in h:
        return "comments"
    if "organizations" in h and "start_time" in h:
        return "meetings"
    if "supports" in h or any(x.startswith("answer/") for x in h) and any(x.startswith("body/") for x in h):
        return "proposals"
    if "slug" in h and "start_date" in h:
        return "participatory_processes"
    return None


def _host(names: list[str], fallback: str) -> str:
    for n in names:
        stem = Path(n).name
        if "-open-data" in stem:
            return stem.split("-open-data", 1)[0]
    return fallback


def _dir_files(path: Path) -> list[tuple[str, bytes]]:
    found = sorted(p for p in path.rglob("*.csv") if p.is_file())
    if not found:
        raise ImportInputError(f"le dossier « {path} » ne contient aucun fichier CSV")
    items = []
    for p in found:
        if p.stat().st_size > MAX_FILE_BYTES:
            raise ImportInputError(f"« {p.name} » trop volumineux ({p.stat().st_size} octets)")
        items.append((str(p.relative_to(path)), p.read_bytes()))
    return items


def _zip_files(path: Path) -> list[tuple[str, bytes]]:
    """The CSV members of an export archive, refused before decompression when it exceeds the limits
    of :func:`mesra.corpus.tables.zip_problem` (a zip bomb)."""
    refused = zip_problem(path, path.name)
    if refused:
        raise ImportInputError(refused)
    try:
        with zipfile.ZipFile(path) as zf:
            members = [m for m in zf.infolist() if not m.is_dir() and m.filename.lower().endswith(".csv")]
            if not members:
                raise ImportInputError(
                    f"l'archive « {path.name} » ne contient aucun fichier CSV : est-ce bien "
                    "l'export « données ouvertes » de la plateforme ?"
                )
            return sorted((m.filename, zf.read(m)) for m in members)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError) as exc:
        raise ImportInputError(f"archive « {path.name} » illisible ({exc}) : retéléchargez-la") from None


def _files(path: Path) -> tuple[list[tuple[str, bytes]], str]:
    """(name, bytes) of every CSV of the export, and the platform host (or the file stem)."""
    if not path.exists():
        raise ImportInputError(
            f"« {path} » introuvable : indiquez l'archive .zip des données ouvertes, "
            "son dossier décompressé ou un de ses fichiers CSV"
        )
    if path.is_dir():
        items = _dir_files(path)
        return items, _host([n for n, _ in items], path.name)
    if zipfile.is_zipfile(path):
        items = _zip_files(path)
        return items, _host([n for n, _ in items], path.stem)
    if path.suffix.lower() == ".zip":
        raise ImportInputError(f"« {path.name} » n'est pas une archive zip valide (tronquée ?) : retéléchargez-la")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ImportInputError(f"« {path.name} » trop volumineux ({path.stat().st_size} octets)")
    return [(path.name, path.read_bytes())], _host([path.name], path.stem)


# --- helpers ----------------------------------------------------------------------
def _plain(value: str) -> str:
    import html

    return clean_text(html.unescape(_TAGS.sub(" ", value or "")))


def _tr(row: dict[str, str], field: str) -> str:
    """A translated field: ``field/fr`` first, then the plain field, other locales, machine translations."""
    for key in (f"{field}/fr", field):
        if row.get(key):
            return _plain(row[key])
    prefix = f"{field}/"
    others = sorted(
        (k for k in row if k.startswith(prefix) and row[k] and "machine_translations" not in k),
        key=lambda k: (_LOCALES.index(k[len(prefix) :]) if k[len(prefix) :] in _LOCALES else 99, k),
    )
    machine = sorted(k for k in row if k.startswith(f"{field}/machine_translations/") and row[k])
    for key in [*others, *machine]:
        return _plain(row[key])
    return ""


def _year(value: str) -> str:
    m = re.match(r"\s*(\d{4})-\d{2}-\d{2}", value or "")
    return m.group(1) if m and 1800 <= int(m.group(1)) <= 2100 else ""


def _date(value: str) -> str:
    m = re.match(r"\s*(\d{4}-\d{2}-\d{2})", value or "")
    return m.group(1) if m else ""


def _split_orgs(text: str) -> list[str]:
    parts = re.split(r"[;,\n]|\s+/\s+", _plain(text.replace("\n", ";")) if text else "")
    return [p.strip(" .-–") for p in parts if len(p.strip(" .-–")) >= 2]


def _type_from_name(name: str) -> tuple[str, bool]:
    slug = slugify(name)
    for prefixes, typ in _NAME_TYPES:
        if any(slug == p or slug.startswith(p + "-") for p in prefixes):
            return typ, True
    return "collectif", False


# --- the importer ---------------------------------------------------------------
class _Builder:
    def __init__(self, source_id: str):
        self.source_id = source_id
        self.actors: list[dict[str, str]] = []
        self.people: list[dict[str, str]] = []
        self.ties: list[dict[str, str]] = []
        self.ids: set[str] = set()
        self.by_name: dict[str, str] = {}
        self.tie_keys: set[tuple[str, str, str]] = set()
        self.defaulted = 0

    def loc(self, entity: str, rid: str) -> str:
        return f"{self.source_id}#{entity}:{clean_text(rid)}"

    def new_id(self, name: str, fallback: str) -> str:
        base = slugify(name)[:80].strip("-") or slugify(fallback)[:80].strip("-") or "element"
        out, n = base, 2
        while out in self.ids:
            out, n = f"{base}-{n}", n + 1
        self.ids.add(out)
        return out

    def actor(self, name: str, typ: str, territoire: str, locator: str, fallback: str) -> str:
        aid = self.new_id(name, fallback)
        self.actors.append(
            {
                "acteur_id": aid,
                "nom": name,
                "sigle": "",
                "type": typ,
                "territoire_id": territoire,
                "echelon": "",
                "membre_mes": "",
                "source": locator,
            }
        )
        return aid

    def organisation(self, name: str, locator: str) -> str:
        key = name_key(name)
        if key in self.by_name:
            return self.by_name[key]
        typ, known = _type_from_name(name)
        self.defaulted += not known
        aid = self.actor(name, typ, "", locator, "organisation")
        self.by_name[key] = aid
        return aid

    def tie(self, a: str, b: str, relation: str, year: str, locator: str) -> None:
        if not a or not b or a == b or (a, b, relation) in self.tie_keys:
            return
        self.tie_keys.add((a, b, relation))
        self.ties.append(
            {
                "source_id": a,
                "cible_id": b,
                "relation": relation,
                "axe": "",
                "echelon": "",
                "annee": year,
                "source": locator,
            }
        )


def _check_territory(territoire: str | None, out: Path | None) -> str:
    if not territoire:
        return ""
    from mesra.corpus.geo import reference_territories

    known = set(reference_territories()["territoire_id"])
    terr = out / contract.TABLES["territoires"].filename if out is not None else None
    if terr is not None and terr.exists():
        from mesra.corpus.tables import read_csv_table

        table = read_csv_table(terr, terr.name, [])
        if table is not None:
            known |= {r.get("territoire_id", "") for r in table.rows}
    if territoire not in known:
        hint = did_you_mean(territoire, known)
        raise ParameterError(
            f"territoire « {territoire} » inconnu{hint} : donnez l'identifiant d'une région ou d'un "
            "département (ex. cote-d-or), ou d'un territoire de territoires.csv"
        )
    return territoire


def _read_tables(files: list[tuple[str, bytes]]) -> tuple[dict[str, list[dict[str, str]]], list[str]]:
    """Rows of each Decidim resource found among ``files``, and the names of the files not used."""
    tables: dict[str, list[dict[str, str]]] = {}
    ignored: list[str] = []
    for name, data in files:
        header, rows = read_decidim_csv(data, Path(name).name)
        entity = _entity(name, header)
        if entity is None:
            ignored.append(Path(name).name)
            continue
        tables.setdefault(entity, []).extend(rows)
    return tables, ignored


class _Spaces:
    """The participatory spaces (processes, assemblies) read, found again from a URL or an id."""

    def __init__(self):
        self.by_slug: dict[str, str] = {}  # "processes/<slug>" -> acteur_id
        self.by_id: dict[str, str] = {}  # "processes:<id>" -> acteur_id

    def of(self, row: dict[str, str], url_key: str) -> str | None:
        m = _SPACE_URL.search(row.get(url_key, "") or "")
        if m:
            return self.by_slug.get(f"{m.group('kind')}/{m.group('slug')}") or self.by_id.get(
                f"{m.group('kind')}:{row.get('participatory_space/id', '')}"
            )
        return None


def _add_spaces(b: _Builder, tables: dict, platform: str) -> _Spaces:
    """Processes and assemblies as actors, their promoter groups tied to them (``porte``)."""
    spaces = _Spaces()
    for entity, typ, kind in (
        ("participatory_processes", "projet", "processes"),
        ("assemblies", "collectif", "assemblies"),
    ):
        for row in tables.get(entity, []):
            rid = row.get("id", "")
            title = _tr(row, "title")
            if not rid or not title:
                continue
            loc = b.loc(entity, rid)
            aid = b.actor(title, typ, platform, loc, f"{kind}-{rid}")
            b.by_name.setdefault(name_key(title), aid)
            if row.get("slug"):
                spaces.by_slug[f"{kind}/{row['slug']}"] = aid
            spaces.by_id[f"{kind}:{rid}"] = aid
            year = _year(row.get("start_date", ""))
            for org in _split_orgs(_tr(row, "developer_group")):
                b.tie(b.organisation(org, f"{loc}/developer_group/{slugify(org)}"), aid, "porte", year, loc)
    return spaces


def _add_meetings(b: _Builder, tables: dict, spaces: _Spaces, log: TerritoryLog, platform: str) -> int:
    """Meetings as events tied to their space, with the organisations that attended; returns
    the number of meetings without a usable address."""
    no_address = 0
    for row in tables.get("meetings", []):
        rid = row.get("id", "")
        title = _tr(row, "title")
        if not rid or not title:
            continue
        day = _date(row.get("start_time", ""))
        name = f"{title} ({day})" if day else title
        loc = b.loc("meetings", rid)
        m = _POSTAL.search(row.get("address", "")) or _POSTAL.search(_tr(row, "location"))
        if m:
            territoire_id = log.resolve(
                f"réunion « {name} » ({loc})", fallback=platform, postal_code=m.group("cp"), commune=m.group("commune")
            )
        else:
            no_address += 1
            territoire_id = platform
        aid = b.actor(name, "evenement", territoire_id, loc, f"reunion-{rid}")
        year = _year(row.get("start_time", ""))
        space = spaces.of(row, "participatory_space/url")
        if space:
            b.tie(aid, space, "participe_a", year, loc)
        for org in _split_orgs(row.get("organizations", "")):
            b.tie(b.organisation(org, f"{loc}/organizations/{slugify(org)}"), aid, "participe_a", year, loc)
    return no_address


class _Authors:
    """Authors of proposals and comments as people, pseudonymised unless asked otherwise."""

    def __init__(self, b: _Builder, slug: str, pseudonymiser: bool):
        self.b, self.slug, self.pseudonymiser = b, slug, pseudonymiser
        self.people: dict[str, str] = {}

    def person(self, author_id: str, author_name: str, locator: str) -> str | None:
        from mesra.corpus.privacy import pseudonym

        key = author_id or author_name
        if not key:
            return None
        if key in self.people:
            return self.people[key]
        if self.pseudonymiser:
            pid, nom = pseudonym(f"decidim-{self.slug}-{key}")
            if pid in self.b.ids:
                pid = self.b.new_id(pid, pid)
            else:
                self.b.ids.add(pid)
        elif author_name:
            pid, nom = self.b.new_id(author_name, "personne"), author_name
        else:
            return None
        self.people[key] = pid
        self.b.people.append(
            {"personne_id": pid, "nom": nom, "prenom": "", "acteur_id": "", "fonction": "", "source": locator}
        )
        return pid


def _add_contributions(b: _Builder, tables: dict, spaces: _Spaces, authors: _Authors) -> list[dict[str, str]]:
    """Proposal and comment authors and user groups tied to their space; returns the people left
    out (no space recognised, so no tie)."""
    for entity, date_key in (("proposals", "published_at"), ("comments", "created_at")):
        for row in tables.get(entity, []):
            loc = b.loc(entity, row.get("id", ""))
            space = spaces.of(row, "participatory_space/url" if entity == "proposals" else "root_commentable_url")
            year = _year(row.get(date_key, ""))
            pid = authors.person(row.get("author/id", ""), _plain(row.get("author/name", "")), loc)
            if pid and space:
                b.tie(pid, space, "participe_a", year, loc)
            group = _plain(row.get("user_group/name", ""))
            if group and space:
                b.tie(b.organisation(group, f"{loc}/user_group/{slugify(group)}"), space, "participe_a", year, loc)
    # People without any tie carry nothing for the networks: keep only the tied ones.
    tied = {t["source_id"] for t in b.ties}
    dropped = [p for p in b.people if p["personne_id"] not in tied]
    b.people = [p for p in b.people if p["personne_id"] in tied]
    return dropped


def _notes(
    tables: dict, ignored: list[str], no_address: int, platform: str, b: _Builder, pseudonymiser: bool, dropped: int
) -> list[str]:
    counts = Counter({e: len(tables.get(e, [])) for e in ENTITIES})
    notes = ["Tables lues : " + ", ".join(f"{e} ({n})" for e, n in counts.items() if n)]
    if ignored:
        notes.append("Tables non utilisées : " + ", ".join(sorted(ignored)))
    if no_address:
        where = (
            f"au territoire de la plateforme « {platform} »" if platform else "sans territoire (donnez --territoire)"
        )
        notes.append(f"{no_address} réunion(s) sans adresse exploitable (en ligne ?) : rattachée(s) {where}.")
    if b.defaulted:
        notes.append(
            f"Types : {b.defaulted} organisation(s) citée(s) en texte libre n'ont pas de forme reconnue "
            "dans leur nom : type « collectif » par défaut, à vérifier."
        )
    if b.people:
        notes.append(
            f"Personnes (auteurs de propositions et commentaires) : {len(b.people)}, "
            + (
                "pseudonymisées (personne-…) ; --no-pseudonymiser pour garder les noms."
                if pseudonymiser
                else "avec leurs vrais noms (--no-pseudonymiser)."
            )
        )
    if dropped:
        notes.append(f"{dropped} auteur(s) sans espace participatif reconnu : non importé(s).")
    return notes


def read_decidim(
    path: str | Path, *, territoire: str | None = None, pseudonymiser: bool = True, out: str | Path | None = None
) -> ImportBatch:
    """Read a Decidim open-data export into corpus rows (nothing is written).

    Parameters
    ----------
    path : str or Path
        The ``…-open-data.zip`` archive, the folder of its CSV files, or one CSV.
    territoire : str, optional
        Territory of the platform: given to processes, and to meetings whose address
        does not resolve.
    pseudonymiser : bool
        Replace authors' names by stable pseudonyms (default). False keeps real names.
    out : str or Path, optional
        The corpus folder the rows are meant for (to accept its own territories).

    Raises
    ------
    ImportInputError
        Missing, empty, truncated, oversized (zip bomb) or unrecognised export.
    ParameterError
        Unknown ``territoire``.
    """
    path = Path(path)
    platform = _check_territory(territoire, Path(out) if out is not None else None)
    files, host = _files(path)
    tables, ignored = _read_tables(files)
    if not tables:
        raise ImportInputError(
            f"« {path.name} » : aucune table Decidim reconnue (processus, réunions, propositions, "
            f"commentaires) parmi {', '.join(Path(n).name for n, _ in files[:5])}"
        )
    slug = slugify(host)[:60].strip("-") or "export"
    source_id = f"decidim-{slug}"
    b = _Builder(source_id)
    log = TerritoryLog()
    spaces = _add_spaces(b, tables, platform)
    no_address = _add_meetings(b, tables, spaces, log, platform)
    dropped = _add_contributions(b, tables, spaces, _Authors(b, slug, pseudonymiser))
    if not b.actors:
        raise ImportInputError(
            f"« {path.name} » : aucun processus, assemblée ni réunion importable (titres ou identifiants absents)"
        )
    notes = _notes(tables, ignored, no_address, platform, b, pseudonymiser, len(dropped))
    source = {
        "source_id": source_id,
        "titre": f"Données ouvertes Decidim de {host} (« {path.name} »)",
        "auteur": "",
        "annee": "",
        "fichier": "",
    }
    return ImportBatch(
        "Decidim", path, source, {"acteurs": b.actors, "personnes": b.people, "liens": b.ties}, log, notes
    )


def import_decidim(
    path: str | Path, out: str | Path, *, territoire: str | None = None, pseudonymiser: bool = True, force: bool = False
) -> ImportReport:
    """Import a Decidim open-data export into the corpus folder ``out``.

    Into a new folder, the tables are written. Into an existing corpus, the merge is
    computed and listed, and written only with ``force=True`` (``report.applied``).
    """
    batch = read_decidim(path, territoire=territoire, pseudonymiser=pseudonymiser, out=out)
    return apply_import(batch, out, force=force)
