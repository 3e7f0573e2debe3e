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
  with status 1, since nothing was done). With ``force``, the
  changed tables are rewritten (UTF-8, ``,``; the user's extra columns kept);
- the merged corpus is validated before writing: an import never turns a valid
  corpus into an invalid one.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from mesra.corpus import contract
from mesra.errors import MesraError
from mesra.importers.addresses import Resolution, resolve_address, territory_rows
from mesra.importers.merge import DECISION_LABELS, Decision, merge_tables

__all__ = ["ImportBatch", "ImportReport", "apply_import", "ImportInputError", "TerritoryLog", "clean_text"]

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")


def clean_text(value: object) -> str:
    """A one-line value: control characters (NUL, line breaks…) become spaces, runs collapse."""
    if value is None:
        return ""
    return re.sub(r"\s{2,}", " ", _CONTROL.sub(" ", str(value))).strip()


_ONE = {"departement": "département seulement", "ambigu": "ambigu", "introuvable": "introuvable"}


class ImportInputError(MesraError):
    """An import input that cannot be read (message in French says why and how to fix)."""


@dataclass
class TerritoryLog:
    """Territory resolutions of one import: counts and the unresolved items."""

    counts: Counter = field(default_factory=Counter)
    unresolved: list[tuple[str, str, str]] = field(default_factory=list)
    territories: set[str] = field(default_factory=set)

    def resolve(self, label: str, *, fallback: str | None = None, **address) -> str:
        """Resolve an address (see :func:`mesra.geo_resolve.resolve_address`) and log it.

        Returns the territory identifier to use: the resolved one, else ``fallback``
        (a territory the user stated, such as a platform's), else ``""``.
        """
        r: Resolution = resolve_address(**address)
        self.counts[r.status] += 1
        tid = r.territoire_id or fallback or ""
        if r.status != "commune":
            msg = r.message
            if r.territoire_id and r.status == "ambigu":
                msg += f" ; rattaché à « {r.territoire_id} », qui contient toutes ces communes"
            elif not r.territoire_id and fallback:
                msg += f" ; rattaché au territoire indiqué « {fallback} »"
            self.unresolved.append((label, _ONE[r.status], msg))
        if r.territoire_id:
            self.territories.add(r.territoire_id)
        return tid

    def rows(self) -> list[dict[str, str]]:
        """``territoires.csv`` rows for the communes and EPCI used."""
        return territory_rows(self.territories)


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
    applied: bool = True
    existing: bool = False
    notes: list[str] = field(default_factory=list)

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
                f"  Territoires ({sum(c.values())} adresse(s)) : {c['commune'] + c['departement']} résolue(s) "
                f"({c['commune']} à la commune, {c['departement']} au département seulement), "
                f"{c['ambigu']} ambiguë(s), {c['introuvable']} introuvable(s)"
            )
        lines += [f"  {n}" for n in self.notes]
        if self.applied:
            names = ", ".join(p.name for p in self.written) or "aucun (rien n'a changé)"
            lines.append(f"  Fichiers écrits : {names}")
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
        if self.territories.unresolved:
            lines.append("Territoires non résolus à la commune (territoire_id laissé vide ou plus large) :")
            lines += [f"  - {label} : {status} — {msg}" for label, status, msg in self.territories.unresolved]
        return "\n".join(lines)


def _existing_tables(out: Path) -> tuple[dict[str, list[dict[str, str]]], dict[str, list[str]], object]:
    """The corpus tables already in ``out`` (rows, extra columns), and the raw corpus."""
    from mesra.corpus.load import read_raw

    if not out.exists():
        return {}, {}, None
    if not out.is_dir():
        raise ImportInputError(
            f"« {out} » n'est pas un dossier : indiquez avec --out le dossier du corpus à créer ou à compléter."
        )
    csvs = [contract.TABLES[n].filename for n in contract.TABLE_ORDER if (out / contract.TABLES[n].filename).exists()]
    if not csvs:
        books = [p.name for p in out.glob("*.xlsx") if not p.name.startswith(("~$", "."))]
        if books:
            raise ImportInputError(
                f"le corpus de « {out} » est un classeur ({', '.join(sorted(books))}) : importez "
                "dans un autre dossier, ou enregistrez d'abord ses feuilles en CSV."
            )
        return {}, {}, None
    raw = read_raw(out)
    for name in contract.TABLE_ORDER:
        if name in raw.unreadable or (
            raw.tables.get(name) is not None and not (out / contract.TABLES[name].filename).exists()
        ):
            where = contract.TABLES[name].filename
            raise ImportInputError(
                f"la table {where} de « {out} » est illisible ou vient d'un classeur .xlsx : "
                "corrigez-la (mesra check) ou importez dans un autre dossier."
            )
    rows, extra = {}, {}
    for name in contract.TABLE_ORDER:
        t = raw.tables.get(name)
        if t is None:
            continue
        rows[name] = [dict(r) for r in t.rows]
        extra[name] = [h for h in t.header if h and h not in contract.TABLES[name].column_names]
    return rows, extra, raw


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
        if not rows and raw.tables.get(name) is None:
            staged.tables[name] = None
            continue
        header = list(contract.TABLES[name].column_names)
        if raw.tables.get(name) is not None:
            header += [h for h in raw.tables[name].header if h not in header]
        staged.tables[name] = RawTable(
            contract.TABLES[name].filename,
            header,
            [{h: r.get(h, "") or "" for h in header} for r in rows],
            list(range(2, len(rows) + 2)),
        )
    after = validate(staged)
    if not after:
        return [], []
    before = validate(raw) if raw.tables else []
    old = {(p.file, p.field, p.message) for p in before}
    return [p for p in after if (p.file, p.field, p.message) not in old], before


def apply_import(batch: ImportBatch, out: str | Path, *, force: bool = False) -> ImportReport:
    """Merge ``batch`` into the corpus folder ``out`` and write it (see module docstring).

    Returns
    -------
    ImportReport
        ``applied`` is False when ``out`` already held a corpus and ``force`` was not given.

    Raises
    ------
    MesraError
        When ``out`` is not a usable corpus folder, or the merge would make it invalid.
    """
    from mesra.corpus.writer import table_text
    from mesra.files import atomic_write_text

    out = Path(out)
    existing, extra, raw = _existing_tables(out)
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
    result = merge_tables(existing, imported)
    report = ImportReport(
        batch.kind,
        batch.input,
        out,
        batch.source["source_id"],
        result.decisions,
        batch.territories,
        existing=bool(existing),
        notes=list(batch.notes),
    )
    problems, before = _validate_merged(raw, out, result.tables)
    if problems:
        shown = "\n".join(f"  {p}" for p in problems[:10])
        raise ImportInputError(f"l'import rendrait le corpus de « {out} » invalide ; rien n'a été écrit :\n{shown}")
    if before:
        report.notes.append(
            f"Attention : le corpus existant comportait déjà {len(before)} problème(s) ; lancez mesra check."
        )
    if existing and not force:
        report.applied = False
        return report
    texts = {}
    for name in contract.TABLE_ORDER:
        rows = result.tables[name]
        if name in existing and name not in result.changed:
            continue
        if not rows and name not in existing:
            continue
        texts[name] = table_text(name, rows, extra.get(name, ()))
    if texts and not out.exists():
        out.mkdir(parents=True)
    for name, text in texts.items():
        report.written.append(atomic_write_text(out / contract.TABLES[name].filename, text))
    return report
