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
from mesra.corpus.communes import split_address
from mesra.corpus.tables import MAX_FILE_BYTES, zip_problem
from mesra.french import agree, plural
from mesra.importers.apply import ImportBatch, ImportInputError, ImportReport, TerritoryLog, apply_import, clean_text
from mesra.importers.merge import name_key
from mesra.importers.names import actor_row, person_name, type_from_name
from mesra.importers.normalise import normalise_text
from mesra.text import slugify

__all__ = ["import_decidim", "read_decidim", "read_decidim_csv", "ENTITIES"]

#: Resources read, by the name Decidim gives their file; others are listed as ignored.
ENTITIES = ("participatory_processes", "assemblies", "user_groups", "meetings", "proposals", "comments")
_LOCALES = ("fr", "en", "ca", "es", "de", "it", "eu", "gl", "nl", "pt")
_TAGS = re.compile(r"<[^>]+>")
_SPACE_URL = re.compile(r"/(?P<kind>processes|assemblies)/(?P<slug>[^/?#]+)")
_MEETING_URL = re.compile(r"/meetings/(?P<id>\d+)(?:[/?#]|$)")
_PROFILE_URL = re.compile(r"/profiles/(?P<nickname>[^/?#]+)")
#: ``decidim_author_type`` of a meeting → author kind.
_AUTHOR_TYPES = {
    "Decidim::Organization": "organization",
    "Decidim::UserBaseEntity": "user",
    "Decidim::User": "user",
    "Decidim::UserGroup": "user_group",
    "Decidim::Meetings::Meeting": "meeting",
}


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
    if tail in ("assemblies", "meetings", "proposals", "user_groups"):
        return tail
    if tail == "comments" or tail.endswith("_comments"):
        return "comments"
    h = set(header)
    if "commentable_type" in h or "root_commentable_url" in h:
        return "comments"
    if "organizations" in h and "start_time" in h:
        return "meetings"
    if "members_count" in h and "nickname" in h:
        return "user_groups"
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
    """A cell as text: HTML tags removed, then decoded and normalised once (:func:`normalise_text`)."""
    return clean_text(normalise_text(_TAGS.sub(" ", value or "")))


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
    """The type a name states (the one rule of every importer, :mod:`mesra.importers.names`), else collectif."""
    typ = type_from_name(name)
    return (typ, True) if typ else ("collectif", False)


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
        self.person_hook = None  # (name, locator) -> personne_id, set once the authors are known
        self.named_people: set[str] = set()

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
        self.actors.append(actor_row(aid, name, typ, territoire, locator))
        return aid

    def organisation(self, name: str, locator: str) -> str | None:
        """An organisation named in free text, as an actor (found again by name); a name that is a
        person's (« Jeanne Dupont », :func:`mesra.importers.names.person_name`) is a person instead."""
        key = name_key(name)
        if key in self.by_name:
            return self.by_name[key]
        if self.person_hook is not None and not type_from_name(name) and person_name(name):
            self.named_people.add(key)
            # the locator names the row, never the person (its slug would spell the name)
            return self.person_hook(name, re.split(r"/(?:organizations|developer_group)/", locator)[0])
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
    """The identifier of the platform's territory (identifier, name or INSEE code: the one resolver)."""
    if not territoire:
        return ""
    import pandas as pd

    from mesra.corpus.geo import reference_territories, resolve_territory

    known = reference_territories()
    terr = out / contract.TABLES["territoires"].filename if out is not None else None
    if terr is not None and terr.exists():
        from mesra.corpus.tables import read_csv_table

        table = read_csv_table(terr, terr.name, [])
        if table is not None:
            rows = [r for r in table.rows if r.get("territoire_id")]
            known = pd.concat([known, pd.DataFrame(rows, columns=list(known.columns))], ignore_index=True)
    return resolve_territory(territoire, known)


def _read_tables(files: list[tuple[str, bytes]]) -> tuple[dict[str, list[dict[str, str]]], list[str]]:
    """Rows of each Decidim resource found among ``files``, and the files not used (with why).

    A file whose name is not one of Decidim's resources and that cannot be read as one (another
    table of the folder, a spreadsheet saved with another separator) is listed as unused: it never
    stops the import. A file Decidim names (``…-open-data-comments.csv``) that is malformed does.
    """
    tables: dict[str, list[dict[str, str]]] = {}
    ignored: list[str] = []
    for name, data in files:
        label = Path(name).name
        try:
            header, rows = read_decidim_csv(data, label)
        except ImportInputError as exc:
            if _entity(name, []) is not None:
                raise
            ignored.append(f"{label} (illisible comme table Decidim : {exc})")
            continue
        entity = _entity(name, header)
        if entity is None:
            ignored.append(label)
            continue
        tables.setdefault(entity, []).extend(rows)
    return tables, ignored


class _Spaces:
    """The participatory spaces (processes, assemblies) read, found again from a URL or an id.

    When the export holds no table of spaces (an older version, a partial download), a space is
    rebuilt from the URLs that name it (``root_commentable_url``, ``participatory_space/url``):
    an actor named by the slug of its URL, counted in :attr:`rebuilt` and said in the report.
    """

    _KINDS = {"processes": ("projet", "participatory_processes"), "assemblies": ("collectif", "assemblies")}

    def __init__(self, b: _Builder | None = None, platform: str = ""):
        self.by_slug: dict[str, str] = {}  # "processes/<slug>" -> acteur_id
        self.by_id: dict[str, str] = {}  # "processes:<id>" -> acteur_id
        self.b, self.platform = b, platform
        self.rebuild = False
        self.rebuilt: list[str] = []

    def of(self, row: dict[str, str], url_key: str) -> str | None:
        m = _SPACE_URL.search(row.get(url_key, "") or "")
        if not m:
            return None
        key = f"{m.group('kind')}/{m.group('slug')}"
        found = self.by_slug.get(key) or self.by_id.get(f"{m.group('kind')}:{row.get('participatory_space/id', '')}")
        if found is None and self.rebuild and self.b is not None:
            typ, entity = self._KINDS[m.group("kind")]
            slug = m.group("slug")
            name = f"Espace participatif « {slug} »"
            found = self.b.actor(
                name, typ, self.platform, self.b.loc(entity, f"slug={slug}"), f"{m.group('kind')}-{slug}"
            )
            self.by_slug[key] = found
            self.rebuilt.append(key)
        return found


def _add_spaces(b: _Builder, tables: dict, platform: str) -> _Spaces:
    """Processes and assemblies as actors, their promoter groups tied to them (``porte``)."""
    spaces = _Spaces(b, platform)
    spaces.rebuild = not (tables.get("participatory_processes") or tables.get("assemblies"))
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


def _meeting_place(row: dict[str, str], name: str, loc: str, log: TerritoryLog, platform: str) -> tuple[str, str]:
    """The meeting's territory and how it was found: ``"adresse"``, ``"en_ligne"`` or ``"sans_adresse"``.

    An online meeting (``type_of_meeting`` = ``online``) takes the platform's territory;
    an address is resolved like any other (:func:`mesra.corpus.communes.split_address`);
    a meeting without one is counted, never guessed to be online.
    """
    online = (row.get("type_of_meeting") or "").strip().lower() == "online"
    cp, commune = split_address(_plain(row.get("address", "")))
    if not (cp or commune):
        cp, commune = split_address(_tr(row, "location")) if re.search(r"\d{5}", _tr(row, "location")) else ("", "")
    if cp or commune:
        tid = log.resolve(f"réunion « {name} » ({loc})", fallback=platform, postal_code=cp, commune=commune)
        return tid, "adresse"
    return platform, "en_ligne" if online else "sans_adresse"


def _add_meetings(
    b: _Builder, tables: dict, spaces: _Spaces, log: TerritoryLog, platform: str, authors: _Authors
) -> Counter:
    """Meetings as events tied to their space, with their author and the organisations that attended;
    returns how many were placed by address, online, or without address."""
    places: Counter = Counter()
    for row in tables.get("meetings", []):
        rid = row.get("id", "")
        title = _tr(row, "title")
        if not rid or not title:
            continue
        day = _date(row.get("start_time", ""))
        name = f"{title} ({day})" if day else title
        loc = b.loc("meetings", rid)
        territoire_id, how = _meeting_place(row, name, loc, log, platform)
        places[how] += 1
        aid = b.actor(name, "evenement", territoire_id, loc, f"reunion-{rid}")
        authors.meetings[rid] = aid
        year = _year(row.get("start_time", ""))
        space = spaces.of(row, "participatory_space/url")
        if space:
            b.tie(aid, space, "participe_a", year, loc)
        for org in _split_orgs(row.get("organizations", "")):
            b.tie(b.organisation(org, f"{loc}/organizations/{slugify(org)}"), aid, "participe_a", year, loc)
        hint = _AUTHOR_TYPES.get((row.get("decidim_author_type") or "").strip())
        for node in authors.of(row, loc, hint):
            b.tie(node, aid, "porte", year, loc)
        group = (row.get("decidim_user_group_id") or "").strip()
        if group:
            b.tie(authors.group(group, "", loc), aid, "porte", year, loc)
    return places


def _split(value: str, n: int | None = None) -> list[str]:
    """A Decidim list cell (``"101, 102"``) as its items; ``n`` > 1 items expected, else the whole cell."""
    value = (value or "").strip()
    if n is not None and n <= 1:
        return [value] if value else []
    return [v.strip() for v in value.split(", ")] if value else []


class _Authors:
    """Authors of a Decidim export, typed and identified by the table their id belongs to.

    Decidim numbers users, user groups, organisations and meetings in separate tables,
    so ``user:1`` and ``organization:1`` are two authors. Users become people,
    **pseudonymised** unless asked otherwise; user groups and organisations become
    actors (found again by name among the organisations already named); a meeting that
    authored a proposal is that meeting's event (a collective author).
    """

    def __init__(self, b: _Builder, slug: str, pseudonymiser: bool):
        self.b, self.slug, self.pseudonymiser = b, slug, pseudonymiser
        self.people: dict[str, str] = {}  # user id -> personne_id
        self.actors: dict[str, str] = {}  # "user_group:7", "organization:1" -> acteur_id
        self.group_names: dict[str, str] = {}  # user group id -> name
        self.group_profiles: dict[str, str] = {}  # user group nickname -> id
        self.meetings: dict[str, str] = {}  # meeting id -> acteur_id
        self.kinds: Counter = Counter()  # distinct authors by kind
        self.unnamed_groups: set[str] = set()
        self.misaligned = 0

    def person(self, user_id: str, name: str, locator: str) -> str | None:
        from mesra.corpus.privacy import pseudonym

        key = user_id or name
        if not key:
            return None
        if key in self.people:
            return self.people[key]
        if self.pseudonymiser:
            pid, nom = pseudonym(f"decidim-{self.slug}-{key}")
            pid = self.b.new_id(pid, pid) if pid in self.b.ids else pid
            self.b.ids.add(pid)
        elif name:
            pid, nom = self.b.new_id(name, "personne"), name
        else:
            return None
        self.people[key] = pid
        self.kinds["user"] += 1
        self.b.people.append(
            {"personne_id": pid, "nom": nom, "prenom": "", "acteur_id": "", "fonction": "", "source": locator}
        )
        return pid

    def group(self, group_id: str, name: str, locator: str) -> str | None:
        """A user group as an actor (by its id; its name from the user groups table when absent)."""
        name = name or self.group_names.get(group_id, "")
        key = f"user_group:{group_id}" if group_id else f"user_group:{name_key(name)}"
        if key in self.actors:
            return self.actors[key]
        if not name:
            self.unnamed_groups.add(group_id)
            return None
        self.actors[key] = self.b.organisation(name, f"{locator}/user_group/{group_id or slugify(name)}")
        self.kinds["user_group"] += 1
        return self.actors[key]

    def organisation(self, org_id: str, name: str, locator: str) -> str | None:
        """The platform's organisation (official proposals and meetings) as an actor."""
        key = f"organization:{org_id or name_key(name)}"
        if key not in self.actors and name:
            self.actors[key] = self.b.organisation(name, f"{locator}/organization/{org_id}")
            self.kinds["organization"] += 1
        return self.actors.get(key)

    def meeting(self, meeting_id: str, name: str, locator: str) -> str | None:
        """The event of a meeting that authored something (created from the author's title when the
        export has no meetings table)."""
        if meeting_id not in self.meetings and name:
            aid = self.b.actor(name, "evenement", "", locator, f"reunion-{meeting_id}")
            self.meetings[meeting_id] = aid
        if meeting_id in self.meetings:
            self.kinds["meeting"] += 1
        return self.meetings.get(meeting_id)

    def kind(self, url: str, hint: str | None) -> tuple[str, str]:
        """The kind of an author from its URL (and the table's hint), with the id the URL carries."""
        m = _MEETING_URL.search(url)
        if m or hint == "meeting":
            return "meeting", m.group("id") if m else ""
        m = _PROFILE_URL.search(url)
        if m and m.group("nickname") in self.group_profiles:
            return "user_group", self.group_profiles[m.group("nickname")]
        if m or hint in ("user", "user_group"):
            return hint or "user", ""
        if url or hint == "organization":
            return "organization", ""  # the organisation's root URL
        return "user", ""  # no URL: a comment's author (0.27) or a deleted user

    def one(self, author_id: str, name: str, url: str, locator: str, hint: str | None = None) -> str | None:
        kind, url_id = self.kind(url, hint)
        if kind == "meeting":
            return self.meeting(url_id or author_id, name, locator)
        if kind == "user_group":
            return self.group(url_id or author_id, name, locator)
        if kind == "organization":
            return self.organisation(author_id, name, locator)
        return self.person(author_id, name, locator)

    def of(self, row: dict[str, str], locator: str, hint: str | None = None) -> list[str]:
        """Every author of a row (``author/id``, ``author/name``, ``author/url``, lists split)."""
        ids = _split(row.get("author/id", ""))
        names = _split(_plain(row.get("author/name", "")), len(ids))
        urls = _split(row.get("author/url", ""), len(ids))
        if len(ids) > 1 and len(names) != len(ids):
            self.misaligned += 1
            names = [""] * len(ids)
        if not ids and names:
            ids = [""] * len(names)
        names += [""] * (len(ids) - len(names))
        urls += [""] * (len(ids) - len(urls))
        nodes = [self.one(i, n, u, locator, hint) for i, n, u in zip(ids, names, urls)]
        return [x for x in dict.fromkeys(nodes) if x]


def _add_user_groups(b: _Builder, tables: dict, authors: _Authors) -> None:
    """User groups (open-data ``user_groups``) as actors, their members as people ``membre_de`` them."""
    for row in tables.get("user_groups", []):
        gid, name = row.get("id", ""), _plain(row.get("name", ""))
        if not gid or not name:
            continue
        authors.group_names[gid] = name
        m = _PROFILE_URL.search(row.get("profile_url", ""))
        nickname = m.group("nickname") if m else row.get("nickname", "").lstrip("@")
        if nickname:
            authors.group_profiles[nickname] = gid
    for row in tables.get("user_groups", []):
        gid = row.get("id", "")
        if gid not in authors.group_names:
            continue
        loc = b.loc("user_groups", gid)
        group = authors.group(gid, "", loc)
        ids = _split(row.get("members/id", ""))
        names = _split(_plain(row.get("members/name", "")), len(ids))
        names = names if len(names) == len(ids) else [""] * len(ids)
        for uid, uname in zip(ids, names):
            b.tie(authors.person(uid, uname, loc), group, "membre_de", "", loc)


def _add_contributions(b: _Builder, tables: dict, spaces: _Spaces, authors: _Authors) -> list[dict[str, str]]:
    """Proposal and comment authors, and the user groups comments were posted for, tied to their
    space; returns the people left out (no space recognised, so no tie)."""
    for entity, date_key in (("proposals", "published_at"), ("comments", "created_at")):
        for row in tables.get(entity, []):
            loc = b.loc(entity, row.get("id", ""))
            space = spaces.of(row, "participatory_space/url" if entity == "proposals" else "root_commentable_url")
            year = _year(row.get(date_key, "") or row.get("created_at", ""))
            for node in authors.of(row, loc):
                if space:
                    b.tie(node, space, "participe_a", year, loc)
            group_id = (row.get("user_group/id") or "").strip()
            group_name = _tr(row, "user_group/name")
            if (group_id or group_name) and space:
                b.tie(authors.group(group_id, group_name, loc), space, "participe_a", year, loc)
    # People without any tie carry nothing for the networks: keep only the tied ones.
    tied = {t["source_id"] for t in b.ties}
    dropped = [p for p in b.people if p["personne_id"] not in tied]
    b.people = [p for p in b.people if p["personne_id"] in tied]
    return dropped


_KIND_LABELS = {
    "user": ("participant (personne)", "participants (personnes)"),
    "user_group": ("groupe d'utilisateurs (acteur)", "groupes d'utilisateurs (acteurs)"),
    "organization": ("organisation de la plateforme (acteur)", "organisations de la plateforme (acteurs)"),
    "meeting": (
        "réunion autrice (collectif : l'événement de la réunion)",
        "réunions autrices (collectifs : l'événement de la réunion)",
    ),
}


def _place_notes(places: Counter, platform: str) -> list[str]:
    where = f"au territoire de la plateforme « {platform} »" if platform else "sans territoire (donnez --territoire)"
    notes = []
    if places["en_ligne"]:
        n = places["en_ligne"]
        notes.append(f"{plural(n, 'réunion')} en ligne (type_of_meeting) : {agree(n, 'rattachée')} {where}.")
    if places["sans_adresse"]:
        n = places["sans_adresse"]
        notes.append(f"{plural(n, 'réunion')} sans adresse : {agree(n, 'rattachée')} {where}.")
    return notes


def _author_notes(authors: _Authors, b: _Builder, pseudonymiser: bool, dropped: int) -> list[str]:
    notes = []
    if authors.kinds:
        notes.append(
            "Auteurs par type : "
            + ", ".join(plural(authors.kinds[k], *forms) for k, forms in _KIND_LABELS.items() if authors.kinds[k])
        )
    if b.people:
        notes.append(
            f"Personnes (auteurs, membres de groupes) : {len(b.people)}, "
            + (
                "pseudonymisées (personne-…) ; --no-pseudonymiser pour garder les noms."
                if pseudonymiser
                else "avec leurs vrais noms (--no-pseudonymiser)."
            )
        )
    if authors.unnamed_groups:
        groups = plural(len(authors.unnamed_groups), "groupe d'utilisateurs", "groupes d'utilisateurs")
        notes.append(
            f"{groups} {agree(len(authors.unnamed_groups), 'connu')} par leur seul numéro "
            f"({', '.join(sorted(authors.unnamed_groups)[:5])}) : non "
            f"{agree(len(authors.unnamed_groups), 'importé')} (ajoutez le fichier user_groups)."
        )
    if authors.misaligned:
        lists = plural(authors.misaligned, "liste d'auteurs", "listes d'auteurs")
        notes.append(
            f"{lists} dont les noms ne s'alignent pas sur les numéros "
            "(un nom contient « , ») : auteurs importés sans leur nom."
        )
    if dropped:
        notes.append(f"{plural(dropped, 'auteur')} sans espace participatif reconnu : non {agree(dropped, 'importé')}.")
    return notes


def _notes(tables: dict, ignored: list[str], places: Counter, platform: str, b: _Builder, spaces: _Spaces) -> list[str]:
    counts = Counter({e: len(tables.get(e, [])) for e in ENTITIES})
    notes = ["Tables lues : " + ", ".join(f"{e} ({n})" for e, n in counts.items() if n)]
    if ignored:
        notes.append("Tables non utilisées : " + ", ".join(sorted(ignored)))
    notes += _place_notes(places, platform)
    if spaces.rebuilt:
        n = len(spaces.rebuilt)
        notes.append(
            "Pas de table des espaces participatifs (participatory_processes, assemblies) dans l'export : "
            f"{plural(n, 'espace reconstitué', 'espaces reconstitués')} depuis les adresses qui les nomment "
            f"(root_commentable_url, participatory_space/url) : {', '.join(sorted(spaces.rebuilt)[:8])}"
            f"{' …' if n > 8 else ''}. Leur nom est l'identifiant de leur adresse : remplacez-le par leur titre."
        )
    if b.named_people:
        n = len(b.named_people)
        notes.append(
            f"{plural(n, 'nom', 'noms')} de personne parmi les organisations en texte libre (organizations, "
            f"developer_group) : {'importé' if n < 2 else 'importés'} comme {plural(n, 'personne')}, pas comme acteurs."
        )
    if b.defaulted:
        notes.append(
            f"Types : {plural(b.defaulted, 'organisation')} (texte libre, groupes, organisation de la plateforme) "
            f"{'n’a' if b.defaulted < 2 else 'n’ont'} pas de forme reconnue dans leur nom : type « collectif » par "
            "défaut, à vérifier."
        )
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
    authors = _Authors(b, slug, pseudonymiser)
    b.person_hook = lambda name, loc: authors.person("", name, loc)
    spaces = _add_spaces(b, tables, platform)
    _add_user_groups(b, tables, authors)
    places = _add_meetings(b, tables, spaces, log, platform, authors)
    dropped = _add_contributions(b, tables, spaces, authors)
    if not b.actors:
        raise ImportInputError(
            f"« {path.name} » : rien d'importable. Il faut au moins une des tables participatory_processes, "
            "assemblies ou meetings (avec titres et identifiants), ou des commentaires ou propositions dont "
            "l'adresse (root_commentable_url, participatory_space/url) nomme leur espace participatif. Tables lues : "
            + (", ".join(f"{e} ({len(r)})" for e, r in tables.items()) or "aucune")
        )
    notes = _notes(tables, ignored, places, platform, b, spaces)
    notes += _author_notes(authors, b, pseudonymiser, len(dropped))
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
