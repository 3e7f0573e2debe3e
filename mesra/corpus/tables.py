"""Reading corpus tables as spreadsheets actually produce them.

CSV files may use ``,`` or ``;``, UTF-8 with or without BOM or Windows-1252,
CRLF line ends and trailing blank lines; ``.xlsx`` workbooks hold one sheet per
table. Every reader returns raw text cells plus the line each row starts on, so
that validation can point at ``file:line``; problems are collected, never raised.

Column names of the contract are matched without regard to case or surrounding
spaces; any other column keeps its name as written, so ``Notes`` and ``notes``
are two columns. :func:`read_csv_file` keeps a CSV file exactly as written (raw
cells, where each record lies in the text) so that an import can rewrite it
without losing a byte (:func:`mesra.corpus.writer.rewrite_csv`).

Zip containers (``.xlsx`` workbooks here, Decidim exports in the importers) are
checked against :data:`MAX_MEMBER_BYTES`, :data:`MAX_UNZIPPED_BYTES`,
:data:`MAX_RATIO` and :data:`MAX_MEMBERS` from their central directory, before
anything is decompressed (:func:`zip_problem`).

A CSV cell that a spreadsheet could take for a formula (it starts with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return) is noted in :attr:`RawTable.formula_like`
for validation to judge. A cell written ``'=…`` (``'`` before ``=``, ``+``, ``-`` or
``@``: the spreadsheet way to say "this is text", which imports write too) is read
without its apostrophe.

A cell holding a control character (a vertical tab pasted from a word processor, any
character below U+0020 but tab and line ends, DEL, C1 controls) is noted in
:attr:`RawTable.controls`: validation refuses it, since no XML export (GEXF, GraphML)
can hold it.

A workbook is read by its actual cells, not by the size it declares: one cell at
``XFD1048576`` costs one cell. Past :data:`MAX_CELLS` cells, or a header wider than
:data:`MAX_COLUMNS` named columns, the sheet is refused with a French problem.
Only the sheets named after a table are read.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import io
import re
import struct
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from mesra.corpus import contract
from mesra.errors import Problem

__all__ = [
    "RawTable",
    "CsvFile",
    "read_csv_table",
    "read_csv_file",
    "raw_table",
    "read_xlsx_tables",
    "decode_text",
    "read_text",
    "header_name",
    "zip_problem",
    "uncached_formulas",
    "MAX_FILE_BYTES",
    "MAX_MEMBER_BYTES",
    "MAX_UNZIPPED_BYTES",
    "MAX_RATIO",
    "RATIO_FLOOR",
    "MAX_MEMBERS",
    "MAX_CELLS",
    "MAX_COLUMNS",
    "control_character",
]

#: Larger files are refused rather than read into memory unchecked.
MAX_FILE_BYTES = 512 * 1024 * 1024

# Decompression limits, read from a zip's central directory before any member is
# decompressed. They hold because :mod:`zipfile` never returns more than a member's
# declared size (and then checks its CRC): a member that lies about its size fails.
#: Largest uncompressed member: a Decidim CSV or a workbook's sheet XML (200 Mo).
MAX_MEMBER_BYTES = 200 * 1024 * 1024
#: Largest uncompressed total of an archive (1 Go).
MAX_UNZIPPED_BYTES = 1024 * 1024 * 1024
#: Largest compression ratio of a member above :data:`RATIO_FLOOR`. Text CSV and the
#: XML of a workbook compress 5 to 30 times; a hundred times is a repeated pattern
#: built to inflate (a "zip bomb").
MAX_RATIO = 100
#: Members smaller than this (1 Mo) may compress as well as they like.
RATIO_FLOOR = 1024 * 1024
#: Most members in one archive (a workbook holds a few dozen parts, a Decidim export ten CSVs).
MAX_MEMBERS = 10_000

#: Most cells (written cells, empty or not) read from one workbook: 100,000 rows of 20 columns,
#: read in about a minute (openpyxl parses some 30,000 cells a second); past this, the sheet is refused.
MAX_CELLS = 2_000_000
#: Widest header of a table's sheet (the contract's tables have a dozen columns).
MAX_COLUMNS = 1_000

_CONTRACT_COLUMNS = frozenset(c for t in contract.TABLES.values() for c in t.column_names)


def header_name(cell: str) -> str:
    """The name of a column as read: a contract column in lowercase, any other as written (trimmed).

    >>> header_name(" Nom "), header_name("Notes"), header_name("")
    ('nom', 'Notes', '')
    """
    name = cell.lstrip("\ufeff").strip()
    return name.lower() if name.lower() in _CONTRACT_COLUMNS else name


@dataclass
class RawTable:
    """A table as read: header, rows of stripped strings, the line of each row."""

    label: str
    header: list[str]
    rows: list[dict[str, str]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    header_line: int = 1
    #: CSV cells a spreadsheet could run as a formula: (line, column, cell as written).
    formula_like: list[tuple[int, str, str]] = field(default_factory=list)
    #: Cells holding a control character: (line, column, ``U+000B``).
    controls: list[tuple[int, str, str]] = field(default_factory=list)


#: Control characters no name or text of a corpus should hold (tab and line ends apart).
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def control_character(text: str) -> str | None:
    """``U+000B`` when ``text`` holds a control character (see module docstring), else None.

    >>> control_character("Jo" + chr(11) + "sette"), control_character("a" + chr(9) + "b")
    ('U+000B', None)
    """
    m = CONTROL_CHARACTERS.search(text)
    return None if m is None else f"U+{ord(m.group()):04X}"


def _control_cells(table: RawTable, line: int, cells: list[str]) -> None:
    for name, cell in zip(table.header, cells):
        char = control_character(cell)
        if char:
            table.controls.append((line, name, char))


_LINE_END = re.compile(r"\r\n?|\n")


@dataclass
class CsvFile:
    """A CSV file exactly as written, to rewrite it without losing a byte.

    ``header`` and ``records`` hold the cells as written (not trimmed);
    ``lines[i]`` and ``last_lines[i]`` are the first and last lines of record ``i``
    (a quoted cell may span several), :meth:`span` the text they occupy.
    """

    label: str
    text: str
    encoding: str
    bom: bool
    delimiter: str
    newline: str
    header: list[str]
    header_line: int = 1
    header_last: int = 1
    records: list[list[str]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    last_lines: list[int] = field(default_factory=list)
    _starts: list[int] | None = field(default=None, repr=False, compare=False)

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Where lines ``first`` to ``last`` lie in :attr:`text`, the end of the last one included."""
        if self._starts is None:
            # where each line starts, as the reader splits them (``\n``, ``\r\n`` or ``\r``)
            starts = [0, *(m.end() for m in _LINE_END.finditer(self.text))]
            if starts[-1] < len(self.text):
                starts.append(len(self.text))
            self._starts = starts
        return self._starts[first - 1], self._starts[last]


def _decode(data: bytes, label: str, problems: list[Problem]) -> tuple[str, str] | None:
    """(text, encoding) of the bytes of a text file: UTF-8 (BOM allowed), else Windows-1252."""
    if b"\x00" in data[:65536]:
        problems.append(
            Problem(label, 1, "fichier", "fichier binaire ou illisible : un fichier texte CSV (UTF-8) est attendu")
        )
        return None
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
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


def decode_text(data: bytes, label: str, problems: list[Problem]) -> str | None:
    """Decode bytes as UTF-8 (BOM allowed), falling back to Windows-1252."""
    decoded = _decode(data, label, problems)
    return None if decoded is None else decoded[0]


def _read_bytes(path: Path, label: str, problems: list[Problem], max_bytes: int) -> bytes | None:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            problems.append(Problem(label, 1, "fichier", f"fichier trop volumineux ({size} octets)"))
            return None
        return path.read_bytes()
    except OSError as exc:
        problems.append(Problem(label, 1, "fichier", f"lecture impossible : {exc.strerror or exc}"))
        return None


def read_text(path: Path, label: str, problems: list[Problem], max_bytes: int = MAX_FILE_BYTES) -> str | None:
    """Read and decode a text file; append a problem and return None when it cannot be."""
    data = _read_bytes(path, label, problems, max_bytes)
    return None if data is None else decode_text(data, label, problems)


def _sniff_delimiter(first_line: str) -> str:
    return ";" if first_line.count(";") > first_line.count(",") else ","


def _sniff_newline(text: str) -> str:
    i = text.find("\n")
    if i > 0 and text[i - 1] == "\r":
        return "\r\n"
    if i < 0 and "\r" in text:
        return "\r"
    return "\n"


def _open_csv(path: Path, label: str, problems: list[Problem]) -> CsvFile | None:
    """A CSV file decoded, its separator and line end found, not parsed yet."""
    data = _read_bytes(path, label, problems, MAX_FILE_BYTES)
    decoded = None if data is None else _decode(data, label, problems)
    if decoded is None:
        return None
    text, encoding = decoded
    stripped = text.lstrip("\r\n")
    if not stripped.strip():
        problems.append(Problem(label, 1, "fichier", "fichier vide : une ligne d'en-tête est attendue"))
        return None
    delimiter = _sniff_delimiter(stripped.splitlines()[0])
    return CsvFile(label, text, encoding, data.startswith(b"\xef\xbb\xbf"), delimiter, _sniff_newline(text), [])


class _Malformed(Exception):
    """A CSV error at ``line``."""


def _records(f: CsvFile) -> Iterator[tuple[list[str], int, int]]:
    """Every non-blank record of ``f`` (the header first) with its first and last line.

    Raises :class:`_Malformed` (line, message) on broken quoting.
    """
    reader = csv.reader(io.StringIO(f.text, newline=""), delimiter=f.delimiter, strict=True)
    line = 1
    try:
        for record in reader:
            first, line = line, reader.line_num + 1
            if "".join(record).strip():  # blank lines (trailing ones included) carry nothing
                yield record, first, line - 1
    except csv.Error as exc:
        raise _Malformed(reader.line_num or 1, str(exc)) from None


def _malformed(label: str, exc: _Malformed) -> Problem:
    return Problem(label, exc.args[0], "fichier", f"CSV mal formé ({exc.args[1]}) : vérifiez les guillemets")


def _empty(label: str) -> Problem:
    return Problem(label, 1, "fichier", "fichier vide : une ligne d'en-tête est attendue")


def read_csv_file(path: Path, label: str, problems: list[Problem]) -> CsvFile | None:
    """Read one CSV file as written; append problems and return None when unreadable."""
    f = _open_csv(path, label, problems)
    if f is None:
        return None
    try:
        for record, first, last in _records(f):
            if not f.header:
                f.header, f.header_line, f.header_last = record, first, last
                continue
            f.records.append(record)
            f.lines.append(first)
            f.last_lines.append(last)
    except _Malformed as exc:
        problems.append(_malformed(label, exc))
        return None
    if not f.header:
        problems.append(_empty(label))
        return None
    return f


#: First characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection").
_FORMULA_FIRST = frozenset("=+-@\t\r")
_GUARDED = re.compile(r"^'(?=[=+\-@])")
#: Could a cell of this CSV text start like a formula, or be guarded? No match means no.
_MAYBE_FORMULA = re.compile(r"[,;\n][ \"]*[=+\-@'\t\r]")


def _formula_cells(table: RawTable, line: int, record: list[str], cells: list[str]) -> None:
    """Note the cells of one record that start like a formula; drop a guarding apostrophe."""
    for i, (written, cell) in enumerate(zip(record, cells)):
        if i >= len(table.header):
            break
        if cell[:1] in _FORMULA_FIRST or written[:1] in ("\t", "\r"):
            table.formula_like.append((line, table.header[i], written))
        elif cell[:1] == "'" and _GUARDED.match(cell):
            cells[i] = cell[1:]


def _add_row(
    table: RawTable,
    record: list[str],
    line: int,
    delimiter: str,
    problems: list[Problem],
    formulas: bool = True,
    controls: bool = True,
) -> None:
    width = len(table.header)
    cells = [cell.strip() for cell in record]
    if formulas:
        _formula_cells(table, line, record, cells)
    if controls:
        _control_cells(table, line, cells)
    if len(cells) > width and any(cells[width:]):
        problems.append(
            Problem(
                table.label,
                line,
                "ligne",
                f"{len(cells)} valeurs pour {width} colonnes (séparateur « {delimiter} ») : "
                "une virgule non protégée par des guillemets ?",
            )
        )
    cells += [""] * (width - len(cells))
    table.rows.append(dict(zip(table.header, cells)))
    table.lines.append(line)


def raw_table(f: CsvFile, problems: list[Problem]) -> RawTable:
    """The table of a CSV file: header names (:func:`header_name`), trimmed cells by column."""
    table = RawTable(f.label, [header_name(c) for c in f.header], header_line=f.header_line)
    formulas = _MAYBE_FORMULA.search(f.text) is not None
    controls = CONTROL_CHARACTERS.search(f.text) is not None
    for record, line in zip(f.records, f.lines):
        _add_row(table, record, line, f.delimiter, problems, formulas, controls)
    return table


def read_csv_table(path: Path, label: str, problems: list[Problem]) -> RawTable | None:
    """Read one CSV table; append problems and return None when unreadable.

    The same reading as :func:`read_csv_file` followed by :func:`raw_table`, without
    keeping the cells as written.
    """
    f = _open_csv(path, label, problems)
    if f is None:
        return None
    table: RawTable | None = None
    formulas = _MAYBE_FORMULA.search(f.text) is not None
    controls = CONTROL_CHARACTERS.search(f.text) is not None
    try:
        for record, first, _ in _records(f):
            if table is None:
                table = RawTable(label, [header_name(c) for c in record], header_line=first)
            else:
                _add_row(table, record, first, f.delimiter, problems, formulas, controls)
    except _Malformed as exc:
        problems.append(_malformed(label, exc))
        return None
    if table is None:
        problems.append(_empty(label))
    return table


# --- zip containers -----------------------------------------------------------------
def _size(n: int) -> str:
    """A size in French units: ``1 Go``, ``300 Mo``, ``12 Ko``."""
    for unit, factor in (("Go", 1 << 30), ("Mo", 1 << 20), ("Ko", 1 << 10)):
        if n >= factor:
            return f"{n / factor:.1f}".rstrip("0").rstrip(".").replace(".", ",") + f" {unit}"
    return f"{n} octets"


def _declared_members(path: Path) -> int | None:
    """The number of members a zip's end record declares (zip64 included), read before parsing it."""
    with open(path, "rb") as fh:
        size = fh.seek(0, 2)
        tail_start = max(0, size - (65535 + 22))
        fh.seek(tail_start)
        tail = fh.read()
        i = tail.rfind(b"PK\x05\x06")
        if i < 0 or len(tail) - i < 22:
            return None
        (count,) = struct.unpack("<H", tail[i + 10 : i + 12])
        locator = tail[i - 20 : i] if i >= 20 else b""
        if count != 0xFFFF or not locator.startswith(b"PK\x06\x07"):
            return count
        (offset,) = struct.unpack("<Q", locator[8:16])
        fh.seek(offset)
        record = fh.read(56)
        if len(record) < 40 or not record.startswith(b"PK\x06\x06"):
            return None
        return struct.unpack("<Q", record[32:40])[0]


def _member_problem(info: zipfile.ZipInfo) -> str | None:
    if info.file_size > MAX_MEMBER_BYTES:
        return (
            f"« {info.filename} » se décompresse en {_size(info.file_size)} "
            f"(au plus {_size(MAX_MEMBER_BYTES)} par fichier)"
        )
    if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        ratio = info.file_size // max(info.compress_size, 1)
        return (
            f"« {info.filename} » est comprimé {ratio} fois ({_size(info.compress_size)} pour "
            f"{_size(info.file_size)} ; au plus {MAX_RATIO} fois au-delà de {_size(RATIO_FLOOR)})"
        )
    return None


def zip_problem(path: Path, label: str) -> str | None:
    """Why the zip archive ``path`` is refused before decompression, in French; None when it is not.

    Checks, from the central directory only: the archive's own size
    (:data:`MAX_FILE_BYTES`), its number of members (:data:`MAX_MEMBERS`, read from
    its end record before the directory is parsed), each member's size
    (:data:`MAX_MEMBER_BYTES`) and compression ratio (:data:`MAX_RATIO`), and their
    total (:data:`MAX_UNZIPPED_BYTES`). An archive that cannot be parsed gives None:
    opening it then fails with the caller's own message.
    """
    why = None
    try:
        size = path.stat().st_size
        count = _declared_members(path)
        if size > MAX_FILE_BYTES:
            why = f"l'archive fait {_size(size)} (au plus {_size(MAX_FILE_BYTES)})"
        elif count is not None and count > MAX_MEMBERS:
            why = f"l'archive contient {count} fichiers (au plus {MAX_MEMBERS})"
        else:
            with zipfile.ZipFile(path) as zf:
                members = zf.infolist()
            why = next(filter(None, map(_member_problem, members)), None)
            total = sum(m.file_size for m in members)
            if why is None and total > MAX_UNZIPPED_BYTES:
                why = f"l'archive se décompresse en {_size(total)} (au plus {_size(MAX_UNZIPPED_BYTES)} en tout)"
    except (OSError, zipfile.BadZipFile, zipfile.LargeZipFile, struct.error, ValueError, EOFError):
        return None
    if why is None:
        return None
    return (
        f"« {label} » refusé avant décompression : {why}. Une archive aussi volumineuse ou aussi "
        "comprimée est inhabituelle (bombe de décompression ?) : vérifiez sa provenance, ou découpez-la."
    )


# --- xlsx workbooks ---------------------------------------------------------------------
def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):  # a date typed in a spreadsheet (suivi, actions)
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")


def _has_formula(zf: zipfile.ZipFile, member: str) -> bool:
    """Whether a sheet's XML holds a formula element (a fast scan, before parsing it)."""
    tail = b""
    with zf.open(member) as fh:
        while chunk := fh.read(1 << 20):
            if _FORMULA_TAG.search(tail + chunk):
                return True
            tail = chunk[-32:]
    return False


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def uncached_formulas(zf: zipfile.ZipFile, member: str) -> list[str]:
    """Coordinates of the formula cells of a sheet that carry no computed value.

    A workbook saved by a spreadsheet stores each formula's last value beside it;
    one written by a program (openpyxl, a script) often does not, and reading it
    for values gives empty cells. A cached empty string (``t="str"``) is a value.
    """
    if not _has_formula(zf, member):
        return []
    found = []
    with zf.open(member) as fh, contextlib.suppress(ElementTree.ParseError):
        for _, el in ElementTree.iterparse(fh, events=("end",)):
            tag = _local(el.tag)
            if tag == "row":
                el.clear()
            if tag != "c":
                continue
            children = {_local(child.tag): child for child in el}
            value = children.get("v")
            if "f" in children and (value is None or not value.text) and el.get("t") != "str":
                found.append(el.get("r") or "?")
    return found


class _TooLarge(Exception):
    """A sheet past :data:`MAX_CELLS` or :data:`MAX_COLUMNS`; the French reason in ``args[0]``."""


def _sheet_rows(ws, budget: list[int]) -> Iterator[tuple[int, dict[int, str]]]:
    """(row number, {column index from 0: text}) for every written row of a read-only sheet.

    Only the cells the sheet's XML holds are visited (openpyxl's own row iterator pads
    every row to the declared width and fills every missing row: one cell at
    ``XFD1048576`` makes it walk 17 billion cells). ``budget`` holds the cells still
    allowed for the workbook; :class:`_TooLarge` past it.
    """
    from openpyxl.worksheet._reader import WorkSheetParser

    wb = ws.parent
    with wb._archive.open(ws._worksheet_path) as src:
        parser = WorkSheetParser(
            src,
            ws._shared_strings,
            data_only=wb.data_only,
            epoch=wb.epoch,
            date_formats=wb._date_formats,
            timedelta_formats=wb._timedelta_formats,
        )
        for number, cells in parser.parse():
            budget[0] -= len(cells)
            if budget[0] < 0:
                raise _TooLarge(
                    f"plus de {MAX_CELLS:,} cellules écrites dans le classeur".replace(",", "\u202f")
                    + " : découpez-le, ou enregistrez ses tables en fichiers CSV"
                )
            texts = {c["column"] - 1: _cell_text(c["value"]) for c in cells if c["value"] is not None}
            texts = {k: v for k, v in texts.items() if v}
            if texts:
                yield number, texts


def _header(cells: dict[int, str]) -> list[str]:
    width = max(cells) + 1
    if width > MAX_COLUMNS:
        from openpyxl.utils import get_column_letter

        raise _TooLarge(
            f"en-tête jusqu'à la colonne {get_column_letter(width)} ({width} colonnes ; au plus {MAX_COLUMNS}) : "
            "effacez les cellules écrites à droite des colonnes du tableau"
        )
    return [header_name(cells.get(k, "")) for k in range(width)]


def _sheet_table(ws, label: str, problems: list[Problem], budget: list[int]) -> RawTable | None:
    table: RawTable | None = None
    blank: dict[str, str] = {}
    for i, cells in _sheet_rows(ws, budget):
        if table is None:
            table = RawTable(label, _header(cells), header_line=i)
            blank = dict.fromkeys(table.header, "")
            continue
        width = len(table.header)
        beyond = [k for k in cells if k >= width]
        if beyond:
            from openpyxl.utils import get_column_letter

            problems.append(
                Problem(
                    label,
                    i,
                    "ligne",
                    f"valeur en colonne {get_column_letter(min(beyond) + 1)}, au-delà des colonnes nommées : "
                    "donnez un nom à cette colonne sur la ligne d'en-tête",
                )
            )
        row = dict(blank)
        for k, text in sorted(cells.items()):
            if k < width:
                row[table.header[k]] = text
                char = control_character(text)
                if char:
                    table.controls.append((i, table.header[k] or "ligne", char))
        table.rows.append(row)
        table.lines.append(i)
    return table


def _formula_problems(zf: zipfile.ZipFile, ws, table: RawTable | None, label: str) -> list[Problem]:
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    member = str(getattr(ws, "_worksheet_path", "") or "").lstrip("/")
    if not member or member not in zf.namelist():
        return []
    out = []
    for coordinate in uncached_formulas(zf, member):
        try:
            letter, row = coordinate_from_string(coordinate)
            column = column_index_from_string(letter) - 1
        except ValueError:
            row, column = 0, -1
        header = table.header if table is not None else []
        name = header[column] if 0 <= column < len(header) and header[column] else "cellule"
        out.append(
            Problem(
                label,
                row,
                name,
                f"cellule {coordinate} de la feuille « {ws.title} » : formule sans valeur calculée "
                "(classeur écrit par un programme ?) ; ouvrez-le dans un tableur, recalculez et "
                "enregistrez-le, ou remplacez la formule par sa valeur",
            )
        )
    return out


def read_xlsx_tables(path: Path, label: str, problems: list[Problem]) -> dict[str, RawTable]:
    """Read every sheet of a workbook as a table named after the sheet.

    The workbook is refused before decompression when :func:`zip_problem` says so;
    a formula cell without a computed value in a table's sheet is reported (see
    :func:`uncached_formulas`) rather than read as empty.
    """
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - declared dependency
        problems.append(Problem(label, 1, "fichier", "lecture .xlsx impossible : installez openpyxl"))
        return {}
    refused = zip_problem(path, label)
    if refused:
        problems.append(Problem(label, 1, "fichier", refused))
        return {}
    try:
        with zipfile.ZipFile(path) as zf:
            return _workbook_tables(openpyxl.load_workbook(path, read_only=True, data_only=True), zf, label, problems)
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


def _workbook_tables(wb, zf: zipfile.ZipFile, label: str, problems: list[Problem]) -> dict[str, RawTable]:
    out: dict[str, RawTable] = {}
    budget = [MAX_CELLS]
    try:
        for ws in wb.worksheets:
            name = ws.title.strip().lower()
            if name not in contract.TABLES:  # notes, the vocabularies: never read
                continue
            sheet = f"{label}[{ws.title}]"
            try:
                table = _sheet_table(ws, sheet, problems, budget)
            except _TooLarge as exc:
                problems.append(Problem(sheet, 1, "fichier", f"feuille « {ws.title} » refusée : {exc.args[0]}"))
                continue
            problems.extend(_formula_problems(zf, ws, table, sheet))
            if table is not None:
                out[name] = table
    finally:
        wb.close()
    return out
