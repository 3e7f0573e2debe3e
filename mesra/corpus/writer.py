"""Writing corpus tables as CSV files, atomically, in the contract's column order.

Files are UTF-8, comma-separated, one header row, ``\\n`` line ends: what
``mesra check`` reads best and what diffs well. A file is first written to a
temporary file in the same folder, then renamed over the target
(:mod:`mesra.files`), so that a crash never leaves a half-written table.
Columns the contract does not know (a user's own notes) are kept, after the
contract's columns.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from pathlib import Path

from mesra.corpus import contract
from mesra.files import atomic_write_text

__all__ = ["write_table", "table_text", "cell_text"]


def cell_text(value: object) -> str:
    """One value as CSV text: ``None``/NaN → empty, booleans → ``true``/``false``."""
    if value is None:
        return ""
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
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    for row in _records(rows):
        w.writerow([cell_text(row.get(c)) for c in columns])
    return buf.getvalue()


def write_table(folder: str | Path, name: str, rows, extra_columns: Iterable[str] = ()) -> Path:
    """Write table ``name`` as ``folder/<name>.csv`` atomically; return its path."""
    return atomic_write_text(Path(folder) / contract.TABLES[name].filename, table_text(name, rows, extra_columns))
