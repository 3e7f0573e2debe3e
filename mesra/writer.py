"""Writing corpus tables as CSV files, atomically, in the contract's column order.

Files are UTF-8, comma-separated, one header row, ``\\n`` line ends: what
``mesra check`` reads best and what diffs well. A file is first written to a
temporary file in the same folder, then renamed over the target
(:mod:`mesra.atomic`), so that a crash never leaves a half-written table.
Columns the contract does not know (a user's own notes) are kept, after the
contract's columns.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from pathlib import Path

from . import atomic as _atomic
from . import contract as C

__all__ = ["write_table", "table_text", "cell_text", "atomic_write_bytes", "atomic_write_text"]


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
    table = C.TABLES[name]
    columns = list(table.column_names)
    columns += [c for c in extra_columns if c and c not in columns]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    for row in _records(rows):
        w.writerow([cell_text(row.get(c)) for c in columns])
    return buf.getvalue()


def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (see :mod:`mesra.atomic`); create its folder."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    _atomic.atomic_write_bytes(path, data)
    return path


def atomic_write_text(path: str | Path, text: str) -> Path:
    """Write UTF-8 ``text`` to ``path`` atomically; return the path."""
    return atomic_write_bytes(path, text.encode("utf-8"))


def write_table(folder: str | Path, name: str, rows, extra_columns: Iterable[str] = ()) -> Path:
    """Write table ``name`` as ``folder/<name>.csv`` atomically; return its path."""
    return atomic_write_text(Path(folder) / C.TABLES[name].filename, table_text(name, rows, extra_columns))
