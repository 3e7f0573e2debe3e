"""Reading corpus tables as spreadsheets actually produce them.

CSV files may use ``,`` or ``;``, UTF-8 with or without BOM or Windows-1252,
CRLF line ends and trailing blank lines; ``.xlsx`` workbooks hold one sheet per
table. Every reader returns raw text cells plus the line each row starts on, so
that validation can point at ``file:line``; problems are collected, never raised.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from mesra.errors import Problem

__all__ = ["RawTable", "read_csv_table", "read_xlsx_tables", "decode_text", "read_text", "MAX_FILE_BYTES"]

#: Larger files are refused rather than read into memory unchecked.
MAX_FILE_BYTES = 512 * 1024 * 1024


@dataclass
class RawTable:
    """A table as read: header, rows of stripped strings, the line of each row."""

    label: str
    header: list[str]
    rows: list[dict[str, str]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    header_line: int = 1


def decode_text(data: bytes, label: str, problems: list[Problem]) -> str | None:
    """Decode bytes as UTF-8 (BOM allowed), falling back to Windows-1252."""
    if b"\x00" in data[:65536]:
        problems.append(
            Problem(label, 1, "fichier", "fichier binaire ou illisible : un fichier texte CSV (UTF-8) est attendu")
        )
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        problems.append(
            Problem(
                label,
                1,
                "fichier",
                f"encodage non reconnu (octet {exc.object[exc.start]:#04x}) : enregistrez le fichier en UTF-8",
            )
        )
        return None


def read_text(path: Path, label: str, problems: list[Problem], max_bytes: int = MAX_FILE_BYTES) -> str | None:
    """Read and decode a text file; append a problem and return None when it cannot be."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            problems.append(Problem(label, 1, "fichier", f"fichier trop volumineux ({size} octets)"))
            return None
        data = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(label, 1, "fichier", f"lecture impossible : {exc.strerror or exc}"))
        return None
    return decode_text(data, label, problems)


def _sniff_delimiter(first_line: str) -> str:
    return ";" if first_line.count(";") > first_line.count(",") else ","


def read_csv_table(path: Path, label: str, problems: list[Problem]) -> RawTable | None:
    """Read one CSV table; append problems and return None when unreadable."""
    text = read_text(path, label, problems)
    if text is None:
        return None
    stripped = text.lstrip("\r\n")
    if not stripped.strip():
        problems.append(Problem(label, 1, "fichier", "fichier vide : une ligne d'en-tête est attendue"))
        return None
    delimiter = _sniff_delimiter(stripped.splitlines()[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    table: RawTable | None = None
    start = 1
    try:
        for record in reader:
            line = start
            start = reader.line_num + 1
            if not any(cell.strip() for cell in record):
                continue  # blank lines (trailing ones included) carry nothing
            cells = [cell.strip() for cell in record]
            if table is None:
                table = RawTable(label, [c.lstrip("\ufeff").strip().lower() for c in cells], header_line=line)
                continue
            if len(cells) > len(table.header) and any(cells[len(table.header) :]):
                problems.append(
                    Problem(
                        label,
                        line,
                        "ligne",
                        f"{len(cells)} valeurs pour {len(table.header)} colonnes "
                        f"(séparateur « {delimiter} ») : une virgule non protégée par "
                        "des guillemets ?",
                    )
                )
            cells += [""] * (len(table.header) - len(cells))
            table.rows.append(dict(zip(table.header, cells)))
            table.lines.append(line)
    except csv.Error as exc:
        problems.append(
            Problem(label, reader.line_num or 1, "fichier", f"CSV mal formé ({exc}) : vérifiez les guillemets")
        )
        return None
    if table is None:
        problems.append(Problem(label, 1, "fichier", "fichier vide : une ligne d'en-tête est attendue"))
    return table


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_xlsx_tables(path: Path, label: str, problems: list[Problem]) -> dict[str, RawTable]:
    """Read every sheet of a workbook as a table named after the sheet."""
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - declared dependency
        problems.append(Problem(label, 1, "fichier", "lecture .xlsx impossible : installez openpyxl"))
        return {}
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError) as exc:
        problems.append(
            Problem(
                label,
                1,
                "fichier",
                f"classeur .xlsx illisible ({type(exc).__name__}) : enregistrez-le au format Excel 2007+ (.xlsx)",
            )
        )
        return {}
    out: dict[str, RawTable] = {}
    try:
        for ws in wb.worksheets:
            name = ws.title.strip().lower()
            sheet_label = f"{label}[{ws.title}]"
            table: RawTable | None = None
            for i, row in enumerate(ws.iter_rows(values_only=True), start=1):
                cells = [_cell_text(v) for v in row]
                if not any(cells):
                    continue
                if table is None:
                    header = [c.lower() for c in cells]
                    while header and not header[-1]:
                        header.pop()
                    table = RawTable(sheet_label, header, header_line=i)
                    continue
                cells = (cells + [""] * len(table.header))[: len(table.header)]
                table.rows.append(dict(zip(table.header, cells)))
                table.lines.append(i)
            if table is not None:
                out[name] = table
    finally:
        wb.close()
    return out
