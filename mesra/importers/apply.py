"""Importing data from the tools practitioners use: GoGoCarto maps, Decidim platforms.

Every importer reads its input completely and turns it into rows of the corpus
tables (:class:`ImportBatch`) before anything is written; malformed input raises
a :class:`~mesra.errors.MesraError` with a French message and leaves the output
folder untouched. :func:`apply_import` then merges the rows into the corpus
folder (:mod:`mesra.importers.merge`) and writes the tables.

Writing rules:

- into a new or empty folder, the tables are written;
- into a folder that already holds corpus tables, the merge is computed and
  every decision listed, but **nothing is written without** ``force=True``
  (``--force``): the report then says what would change (and the command exits
  with status 1, since nothing was done). With ``force``, the changed tables
  are rewritten without losing a byte the user wrote (columns of any name,
  empty headers, multi-line cells, separator and line ends are kept; new rows
  follow, see :func:`mesra.corpus.writer.rewrite_csv`), after a copy of each
  replaced file is kept in ``<corpus>/.mesra-sauvegarde/<date-heure>/``
  (:data:`BACKUP_DIR`; the report says where);
- the files of an import are written all together or not at all
  (:func:`replace_together`): every table is staged in full first, and a failure
  (full disk…) puts back the tables already replaced, with a French message that
  names the backup; an import never leaves some tables rewritten and others not;
- a row of an existing table that cannot be read without loss (more values
  than columns, broken quoting, a contract column named twice) stops the
  import with its file and line, before anything is written;
- the merged corpus is validated before writing: an import never turns a valid
  corpus into an invalid one;
- every imported cell that a spreadsheet would read as a formula (starting
  with ``=``, ``+``, ``-``, ``@``, tab or CR) is prefixed with ``'``
  (:func:`mesra.corpus.writer.neutralise`); integers of integer columns are
  left alone;
- every address the import resolved is listed, with its outcome, in
  ``resolutions-territoires-<source>.csv`` beside the tables
  (:data:`RESOLUTIONS_COLUMNS`), written when the tables are.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from mesra.corpus import contract
from mesra.corpus.tables import CsvFile, header_name, raw_table, read_csv_file
from mesra.corpus.writer import csv_bytes, neutralise, neutralise_row, rewrite_csv, table_text
from mesra.errors import MesraError, Problem
from mesra.files import TEMP_SUFFIX
from mesra.importers.addresses import Resolution, resolve_address, territory_rows
from mesra.importers.merge import DECISION_LABELS, Decision, merge_tables

__all__ = ["ImportBatch", "ImportReport", "apply_import", "ImportInputError", "TerritoryLog", "clean_text"]

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")


def clean_text(value: object) -> str:
    """A one-line value: control characters (NUL, line breaks…) become spaces, runs collapse."""
    if value is None:
        return ""
    return re.sub(r"\s{2,}", " ", _CONTROL.sub(" ", str(value))).strip()


#: Folder of a corpus where a forced import keeps the files it replaces, one subfolder per import.
BACKUP_DIR = ".mesra-sauvegarde"

_ONE = {
    "commune": "commune",
    "departement": "département seulement",
    "ambigu": "ambigu",
    "conflit": "conflit avec le code postal",
    "introuvable": "introuvable",
}
#: Columns of the file listing the territory resolutions of an import.
RESOLUTIONS_COLUMNS = (
    "element",
    "code_postal",
    "commune",
    "statut",
    "territoire_id",
    "candidats",
    "message",
)


class ImportInputError(MesraError):
    """An import input that cannot be read (message in French says why and how to fix)."""


@dataclass
class TerritoryLog:
    """Territory resolutions of one import: counts, every resolution, and the unresolved items."""

    counts: Counter = field(default_factory=Counter)
    unresolved: list[tuple[str, str, str]] = field(default_factory=list)
    noted: list[tuple[str, str]] = field(default_factory=list)
    territories: set[str] = field(default_factory=set)
    records: list[dict[str, str]] = field(default_factory=list)

    def resolve(self, label: str, *, fallback: str | None = None, **address) -> str:
        """Resolve an address (see :func:`mesra.importers.addresses.resolve_address`) and log it.

        Returns the territory identifier to use: the resolved one, else ``fallback``
        (a territory the user stated, such as a platform's), else ``""``.
        """
        r: Resolution = resolve_address(**address)
        self.counts[r.status] += 1
        tid = r.territoire_id or fallback or ""
        msg = r.message
        if r.status != "commune":
            if r.territoire_id and r.status == "ambigu":
                msg += f" ; rattaché à « {r.territoire_id} », qui contient toutes ces communes"
            elif not r.territoire_id and fallback:
                msg += f" ; rattaché au territoire indiqué « {fallback} »"
            self.unresolved.append((label, _ONE[r.status], msg))
        elif r.note:  # resolved through a former commune, a La Poste locality, the only commune of a code
            self.noted.append((label, r.note))
        if r.territoire_id:
            self.territories.add(r.territoire_id)
        self.records.append(
            {
                "element": label,
                "code_postal": str(address.get("postal_code") or ""),
                "commune": str(address.get("commune") or ""),
                "statut": _ONE[r.status],
                "territoire_id": tid,
                "candidats": " | ".join(_candidate_labels(r)),
                "message": msg,
            }
        )
        return tid

    def rows(self) -> list[dict[str, str]]:
        """``territoires.csv`` rows for the communes and EPCI used."""
        return territory_rows(self.territories)

    def conflicts(self) -> list[tuple[str, str, str]]:
        """The unresolved items whose commune lies outside the postal code's département."""
        return [u for u in self.unresolved if u[1] == _ONE["conflit"]]


def _candidate_labels(r: Resolution) -> list[str]:
    """``commune (INSEE code, territory id)`` for each candidate of a resolution."""
    from mesra.importers.addresses import commune_label

    return [commune_label(code) for code in r.candidates]


@dataclass
class ImportBatch:
    """What an importer produced: a source row and rows of the corpus tables."""

    kind: str
    input: Path
    source: dict[str, str]
    tables: dict[str, list[dict[str, str]]]
    territories: TerritoryLog = field(default_factory=TerritoryLog)
    notes: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    """What an import did (or would do, when ``applied`` is False)."""

    kind: str
    input: Path
    out: Path
    source_id: str
    decisions: list[Decision]
    territories: TerritoryLog
    written: list[Path] = field(default_factory=list)
    backup: Path | None = None
    applied: bool = True
    existing: bool = False
    notes: list[str] = field(default_factory=list)
    resolutions: Path | None = None
    #: Actors created by this import under the same name (name → identifiers): distinct elements
    #: of the source, kept apart, to review.
    homonyms: dict[str, list[str]] = field(default_factory=dict)

    def count(self, table: str, kind: str) -> int:
        return sum(1 for d in self.decisions if d.table == table and d.kind == kind)

    def summary(self) -> str:
        """The French summary the CLI prints."""
        lines = [
            f"Import {self.kind} « {self.input.name} » → {self.out}"
            + ("" if self.applied else " (aperçu : rien n'a été écrit)")
        ]
        a = {k: self.count("acteurs", k) for k in DECISION_LABELS}
        lines.append(
            f"  Acteurs : {a['cree']} créé(s), {a['fusionne']} fusionné(s) avec des acteurs existants, "
            f"{a['ambigu']} ambigu(s) laissé(s) à votre décision"
        )
        p = self.count("personnes", "cree") + self.count("personnes", "deja_present")
        if p:
            lines.append(
                f"  Personnes : {self.count('personnes', 'cree')} créée(s), "
                f"{self.count('personnes', 'deja_present')} déjà présente(s)"
            )
        lk = self.count("liens", "cree") + self.count("liens", "deja_present") + self.count("liens", "ecarte")
        if lk:
            lines.append(
                f"  Liens : {self.count('liens', 'cree')} créé(s), {self.count('liens', 'deja_present')} "
                f"déjà présent(s), {self.count('liens', 'ecarte')} écarté(s)"
            )
        c = self.territories.counts
        if sum(c.values()):
            lines.append(
                f"  Territoires ({sum(c.values())} adresse(s)) : {c['commune']} résolue(s) à la commune, "
                f"{c['departement']} au département seulement, {c['ambigu']} ambiguë(s), "
                f"{c['conflit']} en conflit avec le code postal (laissée(s) au département du code postal), "
                f"{c['introuvable']} introuvable(s)"
            )
        lines += [f"  {n}" for n in self.notes]
        if self.homonyms:
            lines.append(_homonym_line(self.homonyms))
        if self.applied:
            names = ", ".join(p.name for p in self.written) or "aucun (rien n'a changé)"
            lines.append(f"  Fichiers écrits : {names}")
            if self.resolutions is not None:
                lines.append(f"  Résolution de chaque adresse : {self.resolutions}")
            if self.backup is not None:
                lines.append(f"  Sauvegarde des fichiers remplacés : {self.backup}")
        else:
            lines.append(
                f"  Aucun fichier écrit : {self.out} contient déjà un corpus. Relisez ce "
                "résumé et les décisions, puis relancez avec --force pour appliquer la fusion."
            )
        shown = [
            d
            for d in self.decisions
            if d.kind in ("fusionne", "ambigu", "ecarte")
            or (d.kind == "cree" and d.table == "acteurs" and d.target != d.imported)
        ]
        if shown:
            lines.append("Décisions de fusion :")
            lines += [f"  - [{DECISION_LABELS[d.kind]}] {d}" for d in shown]
        if self.territories.noted:
            lines.append(
                "Communes trouvées par une ancienne commune (commune nouvelle), une localité de La Poste ou le "
                "seul code postal, à vérifier :"
            )
            lines += [f"  - {label} : {note}" for label, note in self.territories.noted]
        if self.territories.unresolved:
            lines.append("Territoires non résolus à la commune (territoire_id laissé vide ou plus large) :")
            lines += [f"  - {label} : {status} — {msg}" for label, status, msg in self.territories.unresolved]
        return "\n".join(lines)


def _homonym_line(homonyms: dict[str, list[str]], limit: int = 10) -> str:
    """The report's line on same-name actors of one import, kept distinct (their source ids differ)."""
    n = sum(len(ids) for ids in homonyms.values())
    shown = [f"« {name} » ({', '.join(ids)})" for name, ids in sorted(homonyms.items())[:limit]]
    more = f" ; … et {len(homonyms) - limit} autre(s) nom(s)" if len(homonyms) > limit else ""
    return (
        f"  Homonymes à vérifier : {n} acteurs portent {len(homonyms)} même(s) nom(s) mais sont des éléments "
        f"distincts de la source (identifiants différents), gardés séparés : {' ; '.join(shown)}{more}. "
        "S'il s'agit du même acteur, fusionnez-les à la main."
    )


@dataclass
class _Existing:
    """The corpus already in the output folder: its table files as written, their rows, the raw corpus."""

    files: dict[str, CsvFile] = field(default_factory=dict)
    rows: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    raw: object = None


def _file_problems(f: CsvFile, name: str, problems: list) -> None:
    """Problems that keep an import from rewriting ``f`` without loss: the reader's, plus
    rows wider than the header and contract columns named twice."""
    names = [header_name(c) for c in f.header]
    for col in contract.TABLES[name].column_names:
        where = [i + 1 for i, n in enumerate(names) if n == col]
        if len(where) > 1:
            problems.append(
                Problem(
                    f.label,
                    f.header_line,
                    col,
                    f"colonne présente {len(where)} fois (colonnes {', '.join(map(str, where))}) : "
                    "renommez ou supprimez les autres",
                )
            )
    for record, line in zip(f.records, f.lines):
        if len(record) > len(names) and not any(c.strip() for c in record[len(names) :]):
            problems.append(
                Problem(
                    f.label,
                    line,
                    "ligne",
                    f"{len(record)} valeurs pour {len(names)} colonnes (séparateurs « {f.delimiter} » "
                    "en trop en fin de ligne, ou une valeur décalée ?) : supprimez-les ou nommez la colonne",
                )
            )


def _read_existing(out: Path, names: list[str]) -> _Existing:
    """Read the table files ``names`` of ``out`` as written; refuse any row that cannot be read without loss."""
    from mesra.corpus.load import read_raw

    found = _Existing()
    problems: list = []
    for name in names:
        path = out / contract.TABLES[name].filename
        f = read_csv_file(path, path.name, problems)
        if f is None:
            continue
        found.files[name] = f
        found.rows[name] = [dict(r) for r in raw_table(f, problems).rows]
        _file_problems(f, name, problems)
    if problems:
        shown = "\n".join(f"  {p}" for p in sorted(problems)[:10])
        more = f"\n  … et {len(problems) - 10} autre(s)" if len(problems) > 10 else ""
        raise ImportInputError(
            f"le corpus de « {out} » ne peut pas être relu sans perte : table illisible ou ligne mal "
            f"formée ; rien n'a été écrit :\n{shown}{more}\nCorrigez ces lignes (un champ qui contient "
            "le séparateur doit être entre guillemets), puis relancez l'import."
        )
    found.raw = read_raw(out)
    return found


def _existing_tables(out: Path) -> _Existing:
    """The corpus tables already in ``out``, read so that they can be rewritten without loss."""
    if not out.exists():
        return _Existing()
    if not out.is_dir():
        raise ImportInputError(
            f"« {out} » n'est pas un dossier : indiquez avec --out le dossier du corpus à créer ou à compléter."
        )
    names = [n for n in contract.TABLE_ORDER if (out / contract.TABLES[n].filename).exists()]
    if not names:
        books = [p.name for p in out.glob("*.xlsx") if not p.name.startswith(("~$", "."))]
        if books:
            raise ImportInputError(
                f"le corpus de « {out} » est un classeur ({', '.join(sorted(books))}) : importez "
                "dans un autre dossier, ou enregistrez d'abord ses feuilles en CSV."
            )
        return _Existing()
    found = _read_existing(out, names)
    for name in contract.TABLE_ORDER:
        if found.raw.tables.get(name) is not None and name not in found.files:
            raise ImportInputError(
                f"la table {contract.TABLES[name].filename} de « {out} » vient d'un classeur .xlsx : "
                "importez dans un autre dossier, ou enregistrez d'abord ses feuilles en CSV."
            )
    return found


def _validate_merged(raw, out: Path, tables: dict[str, list[dict[str, str]]]) -> tuple[list, list]:
    """Problems of the merged corpus that the existing one did not have, and the existing ones.

    The existing corpus is validated only when the merged one has problems (a valid
    merged corpus means the existing rows, which it contains, raised none).
    """
    from mesra.corpus.geo import reference_territories
    from mesra.corpus.load import RawCorpus
    from mesra.corpus.tables import RawTable
    from mesra.corpus.validate import validate

    if raw is None:
        raw = RawCorpus(out, reference=reference_territories())
    staged = RawCorpus(
        out,
        reference=raw.reference,
        monographs=raw.monographs,
        source_lines=dict(raw.source_lines),
        source_texts=dict(raw.source_texts),
    )
    for name in contract.TABLE_ORDER:
        rows = tables.get(name) or []
        before = raw.tables.get(name)
        if not rows and before is None:
            staged.tables[name] = None
            continue
        header = list(before.header) if before is not None else []
        header += [c for c in contract.TABLES[name].column_names if c not in header]
        lines = list(before.lines) if before is not None else []
        last = max(lines, default=1)
        lines += range(last + 1, last + 1 + len(rows) - len(lines))
        staged.tables[name] = RawTable(
            contract.TABLES[name].filename, header, [{h: r.get(h, "") or "" for h in header} for r in rows], lines
        )
    after = validate(staged)
    if not after:
        return [], []
    before = validate(raw) if raw.tables else []
    old = {(p.file, p.field, p.message) for p in before}
    return [p for p in after if (p.file, p.field, p.message) not in old], before


def _imported_rows(batch: ImportBatch) -> dict[str, list[dict[str, str]]]:
    """The batch's rows with its source (and the geography's) added, every cell neutralised."""
    imported = dict(batch.tables)
    imported["sources"] = [batch.source] + list(imported.get("sources", []))
    imported["territoires"] = batch.territories.rows() + list(imported.get("territoires", []))
    if imported["territoires"]:
        from mesra.importers.addresses import geo_source_id

        imported["sources"].append(
            {
                "source_id": geo_source_id(),
                "titre": "Découpage administratif : Code officiel géographique (INSEE), "
                "EPCI et communes (DGCL), paquet npm @etalab/decoupage-administratif 6.0.0",
                "auteur": "Etalab",
                "annee": "2026",
                "fichier": "",
            }
        )
    return {name: [neutralise_row(name, r) for r in rows] for name, rows in imported.items()}


def _backup_folder(out: Path) -> Path:
    """A new ``out/.mesra-sauvegarde/<date-heure>/`` folder (suffixed when one exists for this second)."""
    from datetime import datetime

    stamp = datetime.now().strftime("%Y-%m-%d_%H-%M-%S")
    folder, n = out / BACKUP_DIR / stamp, 2
    while folder.exists():
        folder, n = out / BACKUP_DIR / f"{stamp}-{n}", n + 1
    folder.mkdir(parents=True)
    return folder


def _keep_copy(src: Path, dst: Path) -> None:
    """``dst`` holds the bytes of ``src``: a hard link (no space needed), else a copy."""
    import shutil

    try:
        os.link(src, dst)
    except OSError:  # a file system without hard links (FAT, some network shares)
        shutil.copy2(src, dst)


def _stage(dst: Path, content: bytes) -> Path:
    """``content`` written and flushed to a temporary file beside ``dst`` (not yet renamed)."""
    fd, tmp = tempfile.mkstemp(dir=dst.parent, prefix=f".{dst.name}.", suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        if dst.exists():
            shutil.copymode(dst, tmp)
        else:
            os.chmod(tmp, 0o666 & ~_umask())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return Path(tmp)


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


@dataclass
class _Group:
    """Files replaced together: staged first, the replaced ones kept in ``backup``, then renamed."""

    out: Path
    staged: list[tuple[Path, Path]] = field(default_factory=list)  # (temporary file, destination)
    backup: Path | None = None
    kept: dict[Path, Path] = field(default_factory=dict)  # destination → its previous bytes in backup
    renamed: list[Path] = field(default_factory=list)

    def restore(self) -> list[Path]:
        """Put back what was there before the renames; return the files that could not be."""
        failed = []
        for dst in reversed(self.renamed):
            try:
                if dst in self.kept:
                    tmp = dst.with_name(f".{dst.name}.restauration{TEMP_SUFFIX}")
                    _keep_copy(self.kept[dst], tmp)
                    os.replace(tmp, dst)
                else:
                    dst.unlink()
            except OSError:
                failed.append(dst)
        return failed

    def clean(self) -> None:
        for tmp, _ in self.staged:
            with contextlib.suppress(OSError):
                tmp.unlink()
        for dst in self.renamed:
            with contextlib.suppress(OSError):
                dst.with_name(f".{dst.name}.restauration{TEMP_SUFFIX}").unlink()


def replace_together(out: Path, contents: dict[Path, bytes]) -> Path | None:
    """Replace the files of ``contents`` all together, or none; return the backup of the replaced ones.

    Every new file is first written in full beside its destination; then each file to
    replace is kept in ``out/.mesra-sauvegarde/<date-heure>/`` (a hard link: no space
    needed); only then are the new files renamed over the old ones, one rename each. A
    failure at any step (full disk, OSError 28, file in use…) puts back the files already
    renamed, removes what was staged and raises a French :class:`MesraError` that says
    what state the folder is in and names the backup.
    """
    group = _Group(out)
    try:
        for dst, content in contents.items():
            group.staged.append((_stage(dst, content), dst))
        replaced = [dst for _, dst in group.staged if dst.exists()]
        if replaced:
            group.backup = _backup_folder(out)
            for dst in replaced:
                group.kept[dst] = group.backup / dst.name
                _keep_copy(dst, group.kept[dst])
        for tmp, dst in group.staged:
            os.replace(tmp, dst)
            group.renamed.append(dst)
    except OSError as exc:
        failed = group.restore()
        if not group.renamed and group.backup is not None:  # nothing was replaced: the backup is moot
            shutil.rmtree(group.backup, ignore_errors=True)
            with contextlib.suppress(OSError):
                group.backup.parent.rmdir()  # only when empty
            group.backup = None
        raise _failure(exc, group, failed) from None
    finally:
        group.clean()
    return group.backup


def _failure(exc: OSError, group: _Group, failed: list[Path]) -> MesraError:
    """The French message of an import that could not write its files (what state, where the backup is)."""
    reason = _REASONS.get(exc.errno) or (os.strerror(exc.errno) if exc.errno else str(exc))
    where = f" ({exc.filename})" if exc.filename else ""
    head = f"L'import n'a pas pu écrire le corpus de « {group.out} » : {reason}{where} (OSError {exc.errno})."
    if failed:
        names = ", ".join(p.name for p in failed)
        state = (
            f" Le corpus est à moitié importé : {names} n'ont pas pu être remis en état. Recopiez-les depuis "
            f"la sauvegarde {group.backup} avant toute autre commande."
        )
    elif group.renamed:
        state = (
            " Rien n'a changé : les tables déjà remplacées ont été remises dans leur état d'avant l'import "
            f"(leur copie reste dans la sauvegarde {group.backup})."
        )
    else:
        state = " Rien n'a changé : aucune table n'a été remplacée."
    advice = " Libérez de la place sur le disque, puis relancez l'import." if exc.errno in _FULL else ""
    advice = advice or " Relancez l'import."
    return MesraError(head + state + advice)


_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_REASONS = {
    errno.ENOSPC: "le disque est plein",
    getattr(errno, "EDQUOT", errno.ENOSPC): "le disque est plein",
    errno.EROFS: "le disque est en lecture seule",
    errno.EACCES: "vous n'avez pas le droit d'y écrire",
    errno.EPERM: "vous n'avez pas le droit d'y écrire",
    errno.EIO: "le disque signale une erreur d'écriture",
}


def _table_contents(report: ImportReport, existing: _Existing, tables: dict, changed: set[str]) -> dict[Path, bytes]:
    """The bytes of every table that changed (existing files rewritten without loss)."""
    out = report.out
    data: dict[Path, bytes] = {}
    for name in contract.TABLE_ORDER:
        rows = tables[name]
        f = existing.files.get(name)
        if f is None:
            if rows:
                data[out / contract.TABLES[name].filename] = table_text(name, rows).encode("utf-8")
            continue
        if name not in changed:
            continue
        data[out / contract.TABLES[name].filename], converted = csv_bytes(f, rewrite_csv(f, name, rows))
        if converted:
            report.notes.append(
                f"{f.label} était en Windows-1252 et reçoit des caractères que cet encodage n'a pas : "
                "il est réécrit en UTF-8 (avec BOM)."
            )
    return data


def _same_bytes(path: Path, content: bytes) -> bool:
    try:
        return path.stat().st_size == len(content) and path.read_bytes() == content
    except OSError:
        return False


def _write(report: ImportReport, existing: _Existing, tables: dict, changed: set[str]) -> None:
    """Write the tables that changed and the resolutions, all together or none (see :func:`replace_together`)."""
    data = _table_contents(report, existing, tables, changed)
    resolutions = _resolutions_bytes(report)
    if not data and resolutions is None:
        return
    report.out.mkdir(parents=True, exist_ok=True)
    contents = dict(data)
    if resolutions is not None:
        contents[resolutions_path(report.out, report.source_id)] = resolutions
    contents = {dst: content for dst, content in contents.items() if not _same_bytes(dst, content)}
    report.backup = replace_together(report.out, contents)
    report.written = list(data)
    if resolutions is not None:
        report.resolutions = resolutions_path(report.out, report.source_id)


def resolutions_path(out: Path, source_id: str) -> Path:
    """Where an import lists its territory resolutions: beside the corpus tables."""
    return out / f"resolutions-territoires-{source_id}.csv"


def _resolutions_bytes(report: ImportReport) -> bytes | None:
    """The territory resolutions of the import (one row per address), or ``None`` when there are none."""
    import csv
    import io

    records = report.territories.records
    if not records:
        return None
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=RESOLUTIONS_COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows({k: neutralise(str(v)) for k, v in r.items()} for r in records)
    return buf.getvalue().encode()


def apply_import(batch: ImportBatch, out: str | Path, *, force: bool = False) -> ImportReport:
    """Merge ``batch`` into the corpus folder ``out`` and write it (see module docstring).

    Returns
    -------
    ImportReport
        ``applied`` is False when ``out`` already held a corpus and ``force`` was not given;
        ``backup`` is the folder holding the files it replaced.

    Raises
    ------
    MesraError
        When ``out`` is not a usable corpus folder, a row of its tables cannot be read
        without loss, or the merge would make it invalid. Nothing is written then.
    """
    out = Path(out)
    existing = _existing_tables(out)
    result = merge_tables(existing.rows, _imported_rows(batch))
    report = ImportReport(
        batch.kind,
        batch.input,
        out,
        batch.source["source_id"],
        result.decisions,
        batch.territories,
        existing=bool(existing.files),
        notes=list(batch.notes),
        homonyms=result.homonyms,
    )
    problems, before = _validate_merged(existing.raw, out, result.tables)
    if problems:
        shown = "\n".join(f"  {p}" for p in problems[:10])
        raise ImportInputError(f"l'import rendrait le corpus de « {out} » invalide ; rien n'a été écrit :\n{shown}")
    if before:
        report.notes.append(
            f"Attention : le corpus existant comportait déjà {len(before)} problème(s) ; lancez mesra check."
        )
    if existing.files and not force:
        report.applied = False
        return report
    _write(report, existing, result.tables, result.changed)
    return report
