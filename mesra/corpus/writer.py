"""Writing corpus tables as CSV files, atomically, in the contract's column order.

Files are UTF-8, comma-separated, one header row, ``\\n`` line ends: what
``mesra check`` reads best and what diffs well. A file is first written to a
temporary file in the same folder, then renamed over the target
(:mod:`mesra.files`), so that a crash never leaves a half-written table.
Columns the contract does not know (a user's own notes) are kept, after the
contract's columns.

An existing file that an import completes is rewritten by :func:`rewrite_csv`
instead: every byte the user wrote stays (columns of any name, in their order,
empty headers, multi-line cells, separator, line ends, BOM), new rows follow.

Text from outside (an import) may start like a spreadsheet formula
(``=HYPERLINK(…)``, ``=cmd|' /C calc'!A0``): :func:`neutralise` prefixes it with
``'`` as Decidim's own exporter does, so that opening the CSV in a spreadsheet
never runs it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from mesra.corpus import contract
from mesra.corpus.tables import CONTROL_CHARACTERS, CsvFile, header_name
from mesra.files import atomic_write_text

__all__ = [
    "write_table",
    "table_text",
    "cell_text",
    "neutralise",
    "neutralise_row",
    "rewrite_csv",
    "csv_bytes",
    "FORMULA_STARTS",
]

#: First characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_INTEGER = re.compile(r"[+-]?\d+")


def cell_text(value: object) -> str:
    """One value as CSV text: ``None``/NaN → empty, booleans → ``true``/``false``, lists → ``a|b``."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return contract.LIST_SEPARATOR.join(cell_text(v) for v in value)
    try:
        import pandas as pd

        if value is pd.NA or (isinstance(value, float) and value != value):
            return ""
    except ImportError:  # pragma: no cover - pandas is a dependency
        pass
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def neutralise(text: str) -> str:
    """``text`` with a leading ``'`` when it starts like a formula; otherwise unchanged.

    A text already guarded (``'=…``, as Decidim exports it) is left as it is.

    >>> neutralise("=HYPERLINK(\\"http://x\\")"), neutralise("'=A1"), neutralise("Réseau")
    ('\\'=HYPERLINK("http://x")', "'=A1", 'Réseau')
    """
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def neutralise_row(name: str, row: Mapping[str, object]) -> dict[str, str]:
    """A row of table ``name`` with every cell :func:`neutralise`\\ d, integers of ``int`` columns left alone,
    and control characters (which ``mesra check`` refuses) removed."""
    kinds = {c.name: c.kind for c in contract.TABLES[name].columns}
    out = {}
    for key, value in row.items():
        text = CONTROL_CHARACTERS.sub("", cell_text(value))  # invisible, and no export could hold them
        keep = kinds.get(key) == "int" and _INTEGER.fullmatch(text)
        out[key] = text if keep else neutralise(text)
    return out


def _records(rows) -> list[Mapping[str, object]]:
    if hasattr(rows, "to_dict") and hasattr(rows, "columns"):
        return rows.to_dict("records")
    return list(rows)


def table_text(name: str, rows, extra_columns: Iterable[str] = ()) -> str:
    """The CSV text of table ``name`` (a key of :data:`mesra.contract.TABLES`).

    ``rows`` is a DataFrame or an iterable of mappings; missing columns are
    written empty, ``extra_columns`` after the contract's own.
    """
    table = contract.TABLES[name]
    columns = list(table.column_names)
    columns += [c for c in extra_columns if c and c not in columns]
    lines = [_csv_line(columns)]
    lines += [_csv_line([cell_text(row.get(c)) for c in columns]) for row in _records(rows)]
    return "".join(lines)


def _csv_line(cells: Sequence[str], delimiter: str = ",", newline: str = "\n") -> str:
    """One CSV line; a row holding a bare carriage return is fully quoted (readers take it for a line end)."""
    buf = io.StringIO()
    quoting = csv.QUOTE_ALL if any("\r" in str(c) for c in cells) else csv.QUOTE_MINIMAL
    csv.writer(buf, delimiter=delimiter, lineterminator=newline, quoting=quoting).writerow(cells)
    return buf.getvalue()


def write_table(folder: str | Path, name: str, rows, extra_columns: Iterable[str] = ()) -> Path:
    """Write table ``name`` as ``folder/<name>.csv`` atomically; return its path."""
    return atomic_write_text(Path(folder) / contract.TABLES[name].filename, table_text(name, rows, extra_columns))


# --- rewriting an existing file ------------------------------------------------------------
def _contract_positions(f: CsvFile, name: str) -> dict[str, int]:
    """Column of each contract column of table ``name`` present in ``f`` (its first occurrence)."""
    out: dict[str, int] = {}
    for i, cell in enumerate(f.header):
        col = header_name(cell)
        if col in contract.TABLES[name].column_names:
            out.setdefault(col, i)
    return out


def _line(f: CsvFile, cells: Sequence[str]) -> str:
    return _csv_line(cells, f.delimiter, f.newline)


def rewrite_csv(f: CsvFile, name: str, rows: Sequence[Mapping[str, str]]) -> str:
    """The new text of the existing table file ``f`` holding ``rows`` of table ``name``.

    ``rows[i]`` for ``i < len(f.records)`` is record ``i`` of the file, possibly with
    contract cells changed; the rows after are new. A record whose contract cells
    are unchanged is copied as written; a changed one is written again with only
    those cells replaced. Contract columns the file lacks are added at the end
    when a row has a value for them. Every other column, the separator, the line
    ends and what lies between records stay as they were.
    """
    positions = _contract_positions(f, name)
    added = [c for c in contract.TABLES[name].column_names if c not in positions and any(r.get(c) for r in rows)]
    for i, c in enumerate(added):
        positions[c] = len(f.header) + i
    width = len(f.header) + len(added)
    start, cursor = f.span(f.header_line, f.header_last)
    pieces = [f.text[:start], _extended(f.text[start:cursor], f, added)]
    for record, first, last, row in zip(f.records, f.lines, f.last_lines, rows):
        start, end = f.span(first, last)
        pieces.append(f.text[cursor:start])
        cursor = end
        changed = {c: row.get(c) or "" for c, i in positions.items() if (row.get(c) or "") != _cell(record, i)}
        if not changed:
            pieces.append(_extended(f.text[start:end], f, [""] * len(added)))
            continue
        cells = list(record) + [""] * (width - len(record))
        for c, value in changed.items():
            cells[positions[c]] = value
        pieces.append(_line(f, cells))
    tail = f.text[cursor:]
    for row in rows[len(f.records) :]:
        cells = [""] * width
        for c, i in positions.items():
            cells[i] = row.get(c) or ""
        pieces.append(_line(f, cells))
    return "".join(pieces) + tail


def _extended(text: str, f: CsvFile, cells: Sequence[str]) -> str:
    """A record as written, with ``cells`` added at its end (and a line end if it had none)."""
    body = text.rstrip("\r\n")
    end = text[len(body) :] or f.newline
    if cells and not any(cells):
        body += f.delimiter * len(cells)
    elif cells:
        body += f.delimiter + _line(f, cells)[: -len(f.newline)]
    return body + end


def _cell(record: Sequence[str], i: int) -> str:
    return record[i].strip() if i < len(record) else ""


def csv_bytes(f: CsvFile, text: str) -> tuple[bytes, bool]:
    """``text`` encoded as ``f`` was (BOM and encoding); second value True when that was not possible.

    A Windows-1252 file that must hold a character Windows-1252 lacks becomes UTF-8
    with a BOM (which spreadsheets recognise).
    """
    bom = b"\xef\xbb\xbf" if f.bom else b""
    if f.encoding != "utf-8":
        try:
            return text.encode(f.encoding), False
        except UnicodeEncodeError:
            return b"\xef\xbb\xbf" + text.encode("utf-8"), True
    return bom + text.encode("utf-8"), False
