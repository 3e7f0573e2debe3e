"""Exporting a corpus as one spreadsheet workbook, for LibreOffice or Excel users.

``mesra export xlsx [DOSSIER] FICHIER.xlsx`` writes one sheet per table
(``sources``, ``territoires``, ``acteurs``, ``personnes``, ``roles``, ``liens``,
``actions``, ``suivi``) in the contract's column order, with the header row frozen,
drop-down lists on the vocabulary columns (``type``, ``echelon``, ``niveau``,
``relation``, ``statut``, ``attestation``, ``article``, and ``true``/``false`` for
``membre_mes``) fed by a ``vocabulaires`` sheet that gives each code its French
label, years as numbers and every other value as text (so ``01`` stays ``01``, a date
column keeps ``2020-06`` as a month, and a name starting with ``=`` never becomes a
formula).

mesra reads such a workbook back as a corpus (``mesra.load_corpus("corpus.xlsx")``,
``mesra check corpus.xlsx``): the tables are the same. Monographs and source texts
are files, not tables: a workbook finds them in its own folder.

One source per table: a workbook is never written beside the CSV files of the same
tables (the folder would hold two versions of each, and edits made in one would be
ignored; ``mesra check`` refuses such a folder). The round trip writes it to a folder
of its own, ``mesra export xlsx data/ tableur/corpus.xlsx``: the command creates the
folder and copies the monographs and source texts there (:func:`copy_companions`), so
that ``tableur/`` is a complete corpus whose tables live in the workbook only.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from mesra.corpus import contract
from mesra.corpus.validate import parse_bool
from mesra.errors import MesraError, ParameterError
from mesra.files import atomic_write_bytes

__all__ = ["export_xlsx", "copy_companions", "csv_tables_in", "VOCAB_SHEET"]

#: Name of the sheet that lists the vocabularies (ignored when the workbook is read back).
VOCAB_SHEET = "vocabulaires"
_BOOL_CHOICES = ("true", "false")


def _cell_value(column: contract.Column, text: str):
    if text == "":
        return None
    if column.kind == "int":
        try:
            return int(text)
        except ValueError:
            return text
    if column.kind == "bool":
        value = parse_bool(text)
        return text if value is None else value
    return text


def _letter(i: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(i)


def _vocab_sheet(wb, vocabs: list[str]) -> dict[str, str]:
    """Write the vocabulary sheet; return vocabulary name → absolute range of its codes."""
    ws = wb.create_sheet(VOCAB_SHEET)
    ranges = {}
    col = 1
    from openpyxl.styles import Font

    for name in vocabs:
        values = contract.VOCABULARIES[name] if name != "bool" else _BOOL_CHOICES
        ws.cell(1, col, name).font = Font(bold=True)
        ws.cell(1, col + 1, f"{name} (libellé)").font = Font(bold=True)
        for i, code in enumerate(values, start=2):
            ws.cell(i, col, code)
            shown = contract.VOCABULARY_LABELS.get(name, {}).get(code) or contract.label(code)
            ws.cell(i, col + 1, shown if name != "bool" else ("vrai" if code == "true" else "faux"))
        letter = _letter(col)
        ranges[name] = f"{VOCAB_SHEET}!${letter}$2:${letter}${len(values) + 1}"
        ws.column_dimensions[letter].width = max(len(v) for v in values) + 2
        ws.column_dimensions[_letter(col + 1)].width = 40
        col += 3
    ws.freeze_panes = "A2"
    return ranges


def _format_columns(ws, table: contract.Table, columns: list[str], widths: list[int]) -> None:
    """Column widths; date columns as text, so that a typed ``2020-06`` stays a month, not a day."""
    for j, (col, w) in enumerate(zip(columns, widths), start=1):
        ws.column_dimensions[_letter(j)].width = w + 2
        if col in table.column_names and table.column(col).kind == "date":
            ws.column_dimensions[_letter(j)].number_format = "@"


def _workbook_bytes(raw) -> tuple[bytes, dict[str, int]]:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = "mesra"
    counts = {}
    sheets = []
    for name in contract.TABLE_ORDER:
        table = contract.TABLES[name]
        rawt = raw.tables.get(name)
        columns = list(table.column_names)
        if rawt is not None:
            columns += [h for h in rawt.header if h and h not in columns]
        rows = rawt.rows if rawt is not None else []
        ws = wb.create_sheet(name)
        sheets.append((ws, table, columns))
        for j, col in enumerate(columns, start=1):
            ws.cell(1, j, col).font = Font(bold=True)
        widths = [len(c) for c in columns]
        for i, row in enumerate(rows, start=2):
            for j, col in enumerate(columns, start=1):
                text = row.get(col, "") or ""
                column = table.column(col) if col in table.column_names else contract.Column(col)
                value = _cell_value(column, text)
                cell = ws.cell(i, j, value)
                if isinstance(value, str):
                    cell.data_type = "s"  # never a formula, whatever the text starts with
                    cell.number_format = "@"
                widths[j - 1] = max(widths[j - 1], min(len(text), 60))
        _format_columns(ws, table, columns, widths)
        ws.freeze_panes = "A2"
        counts[name] = len(rows)
    vocabs = sorted({c.vocab for t in contract.TABLES.values() for c in t.columns if c.kind == "vocab"})
    ranges = _vocab_sheet(wb, [*vocabs, "bool"])
    for ws, table, columns in sheets:
        for j, col in enumerate(columns, start=1):
            if col not in table.column_names:
                continue
            column = table.column(col)
            key = column.vocab if column.kind == "vocab" else ("bool" if column.kind == "bool" else None)
            if key is None:
                continue
            dv = DataValidation(type="list", formula1=ranges[key], allow_blank=not column.required)
            dv.errorTitle = "Valeur hors vocabulaire"
            dv.error = f"« {col} » : choisissez une valeur de la liste (voir la feuille {VOCAB_SHEET})."
            dv.promptTitle = col
            dv.prompt = "Choisissez dans la liste."
            dv.showErrorMessage = True
            dv.showInputMessage = True
            letter = _letter(j)
            dv.add(f"{letter}2:{letter}1048576")
            ws.add_data_validation(dv)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue(), counts


def csv_tables_in(folder: Path) -> list[str]:
    """The contract's CSV table files present in ``folder`` (``acteurs.csv``, …)."""
    return [t.filename for t in (contract.TABLES[n] for n in contract.TABLE_ORDER) if (folder / t.filename).exists()]


def _refuse_beside_csv(src: Path, file: Path) -> None:
    present = csv_tables_in(file.parent)
    if not present:
        return
    shown = ", ".join(present[:3]) + (", …" if len(present) > 3 else "")
    suggestion = (file.parent.parent if file.parent.name else Path("..")) / "tableur" / file.name
    raise MesraError(
        f"« {file} » : le dossier « {file.parent} » contient déjà les tables en fichiers CSV ({shown}) ; "
        "un classeur à côté en serait une seconde source, et mesra check refuse un tel dossier. Écrivez le "
        f"classeur dans un dossier à lui (nouveau ou vide), ex. : mesra export xlsx {src} {suggestion}"
    )


def copy_companions(corpus_dir: str | Path | None, folder: str | Path) -> list[Path]:
    """Copy the monographs and source texts of a corpus into ``folder``; return the files copied.

    What a workbook written to a folder of its own needs to be a complete corpus. A
    file already present in ``folder`` is left as it is; files whose real path lies
    outside the corpus folder (links) are not copied.
    """
    from mesra.corpus.load import default_data_dir, read_raw

    src = Path(corpus_dir) if corpus_dir is not None else default_data_dir()
    folder = Path(folder)
    root = src.parent if src.is_file() else src
    wanted = sorted((root / contract.MONOGRAPH_DIR).glob("*.md"))
    sources = read_raw(src).tables.get("sources")
    for row in sources.rows if sources is not None else []:
        if row.get("fichier"):
            wanted.append(root / row["fichier"])
    copied = []
    for path in wanted:
        try:
            relative = path.resolve().relative_to(root.resolve())
        except (OSError, ValueError):
            continue
        target = folder / relative
        if path.is_file() and not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
            copied.append(target)
    return copied


def export_xlsx(corpus_dir: str | Path | None, file: str | Path, *, force: bool = False) -> Path:
    """Write the tables of a corpus as one ``.xlsx`` workbook (see module docstring).

    Parameters
    ----------
    corpus_dir : str or Path, optional
        The corpus folder (``None``: the default corpus).
    file : str or Path
        The workbook to write; must end with ``.xlsx``.
    force : bool
        Overwrite an existing file.

    Returns
    -------
    Path
        The workbook written.

    Raises
    ------
    ParameterError
        ``file`` does not end with ``.xlsx``.
    MesraError
        ``file`` exists and ``force`` is False, its folder holds CSV tables (the
        workbook would be a second source of them), or the corpus folder cannot be read.
    """
    from mesra.corpus.load import default_data_dir, read_raw

    file = Path(file)
    if file.suffix.lower() != ".xlsx":
        raise ParameterError(f"« {file.name} » : le classeur doit avoir l'extension .xlsx (ex. corpus.xlsx)")
    if file.exists() and not force:
        raise MesraError(f"« {file} » existe déjà : choisissez un autre nom ou ajoutez --force pour l'écraser")
    if file.exists() and file.is_dir():
        raise MesraError(f"« {file} » est un dossier : indiquez un nom de fichier .xlsx")
    src = Path(corpus_dir) if corpus_dir is not None else default_data_dir()
    _refuse_beside_csv(src, file)
    raw = read_raw(src)
    if any(p.field == "dossier" for p in raw.problems):
        raise MesraError(f"corpus « {src} » illisible : {raw.problems[0].message}")
    if raw.unreadable:
        names = ", ".join(contract.TABLES[n].filename for n in contract.TABLE_ORDER if n in raw.unreadable)
        raise MesraError(
            f"table(s) illisible(s) dans « {src} » : {names} ; corrigez-les (mesra check) avant "
            "d'exporter, pour ne rien perdre"
        )
    if src.resolve() == file.resolve():
        raise MesraError("le classeur à écrire est le corpus lu : choisissez un autre nom de fichier")
    data, _ = _workbook_bytes(raw)
    if not file.parent.exists():
        raise MesraError(f"dossier « {file.parent} » introuvable : créez-le d'abord")
    return atomic_write_bytes(file, data)
