"""Atomic file writes: a reader sees the old file or the new one, never half of one.

Every helper writes to a temporary file in the destination's own folder (so the
final :func:`os.replace` is a rename within one file system, which POSIX and
Windows make atomic), flushes it to disk, then renames it over the destination.
If anything fails before the rename, the temporary file is removed and the
previous file is left untouched.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> atomic_write_text(folder / "note.txt", "bonjour").name
'note.txt'
>>> (folder / "note.txt").read_text()
'bonjour'
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

__all__ = [
    "atomic_open",
    "atomic_write_text",
    "atomic_write_bytes",
    "atomic_write_json",
    "publish",
    "TEMP_SUFFIX",
    "project_relative",
    "find_in_project",
    "spreadsheet_safe",
    "csv_text",
    "write_csv",
    "FORMULA_FIRST",
    "output_folder",
]

#: The ``mesra`` package folder, and the repository that holds it (``data/``, ``notebooks/``).
PACKAGE_ROOT = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_ROOT.parent

#: Suffix of every temporary file these helpers create (``.<name>.<random>.tmp``).
TEMP_SUFFIX = ".tmp"


def project_relative(path: str | os.PathLike) -> str:
    """``path`` relative to the project root when it lies inside it, else absolute.

    What a batch stores in its notebooks, so that two checkouts produce the same pages.

    >>> project_relative(PROJECT_ROOT / "data")
    'data'
    """
    p = Path(path).resolve()
    try:
        return p.relative_to(PROJECT_ROOT.resolve()).as_posix()
    except ValueError:
        return str(p)


def find_in_project(path: str | os.PathLike) -> Path:
    """A relative ``path`` from the current folder when it exists there, else from the project root.

    >>> find_in_project("data") == PROJECT_ROOT / "data" or Path("data").exists()
    True
    """
    p = Path(path)
    if p.is_absolute() or p.exists():
        return p
    candidate = PROJECT_ROOT / p
    return candidate if candidate.exists() else p


def output_folder(folder: str | os.PathLike = "") -> Path:
    """Where a notebook writes its exports (created): ``folder`` when given; from the project's
    ``notebooks/`` folder, ``reports/exploration/`` (nothing is written among the notebooks);
    else the current folder (a batch runs each notebook in the folder of its page).

    >>> output_folder(PROJECT_ROOT / "reports") == PROJECT_ROOT / "reports"
    True
    """
    if str(folder):
        out = Path(folder)
    elif Path.cwd().resolve() == (PROJECT_ROOT / "notebooks").resolve():
        out = PROJECT_ROOT / "reports" / "exploration"
    else:
        out = Path(".")
    out.mkdir(parents=True, exist_ok=True)
    return out


_umask_lock = threading.Lock()
_umask_value: int | None = None


def _umask() -> int:
    global _umask_value
    if _umask_value is None:
        with _umask_lock:
            current = os.umask(0o022)
            os.umask(current)
            _umask_value = current
    return _umask_value


def _final_mode(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        return 0o666 & ~_umask()


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":  # pragma: no cover - directories cannot be opened on Windows
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def atomic_open(
    path: str | os.PathLike,
    mode: str = "w",
    *,
    encoding: str | None = "utf-8",
    newline: str | None = None,
    fsync: bool = True,
) -> Iterator[IO[Any]]:
    """Open a temporary file that replaces ``path`` when the ``with`` block ends well.

    Parameters
    ----------
    path : str or PathLike
        The destination. Its folder must exist.
    mode : {"w", "wb"}
        Text or binary writing.
    encoding, newline : str, optional
        As for :func:`open` (text mode only).
    fsync : bool
        Flush the file and its folder to disk before and after the rename.

    Yields
    ------
    file object
        Write to it; on an exception the destination is left as it was and the
        temporary file is removed.
    """
    if mode not in ("w", "wb"):
        raise ValueError(f"mode must be 'w' or 'wb', not {mode!r}")
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    try:
        kwargs = {} if "b" in mode else {"encoding": encoding, "newline": newline}
        with os.fdopen(fd, mode, **kwargs) as fh:
            yield fh
            fh.flush()
            if fsync:
                os.fsync(fh.fileno())
        os.chmod(tmp, _final_mode(path))
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if fsync:
        _fsync_dir(folder)


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically, creating its folder; return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_open(path, "wb") as fh:
        fh.write(data)
    return path


def atomic_write_text(path: str | os.PathLike, text: str, *, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` atomically (``\\n`` line endings kept as given); return the path."""
    return atomic_write_bytes(path, text.encode(encoding))


#: First characters that make a spreadsheet run a cell as a formula (OWASP "CSV injection"): ``=``,
#: ``+``, ``-``, ``@``, a tab, a carriage return, and the full-width forms of the first four.
FORMULA_FIRST = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")


def spreadsheet_safe(text: str) -> str:
    """``text`` guarded by a leading ``'`` when a spreadsheet would run it as a formula.

    Blanks before the formula character do not disarm it (`` =1+1`` is a formula in
    some spreadsheets). A text already guarded (``'=…``, the form ``mesra check``
    accepts and imports write) starts with ``'`` and is left as it is.

    >>> spreadsheet_safe("=SOMME(A1:A2)"), spreadsheet_safe("'=A1"), spreadsheet_safe("Réseau")
    ("'=SOMME(A1:A2)", "'=A1", 'Réseau')
    """
    if text[:1] in FORMULA_FIRST or text.lstrip(" \u00a0")[:1] in FORMULA_FIRST:
        return "'" + text
    return text


def _safe_value(value: Any) -> Any:
    return spreadsheet_safe(value) if isinstance(value, str) else value


def csv_text(frame: Any) -> str:
    """The CSV text of a DataFrame for a spreadsheet: UTF-8 text, ``\n`` line ends, no index.

    The one CSV writer of every export (graphs' node and edge lists, metrics tables):
    every text cell and column name that a spreadsheet would run as a formula is
    guarded by :func:`spreadsheet_safe`; numbers stay numbers (``-0.5`` is not text).
    """
    from pandas.api.types import is_object_dtype, is_string_dtype

    safe = frame.copy()
    safe.columns = [_safe_value(c) for c in safe.columns]
    carriage_return = any("\r" in str(c) for c in safe.columns)
    for i in range(safe.shape[1]):
        column = safe.iloc[:, i]
        if is_object_dtype(column.dtype) or is_string_dtype(column.dtype):
            safe.isetitem(i, column.map(_safe_value))
            carriage_return = carriage_return or any(isinstance(v, str) and "\r" in v for v in safe.iloc[:, i])
    # a bare carriage return is a line end to CSV readers, but not to Python's writer with "\n" line
    # ends: then every text cell is quoted
    quoting = csv.QUOTE_NONNUMERIC if carriage_return else csv.QUOTE_MINIMAL
    return safe.to_csv(index=False, lineterminator="\n", quoting=quoting)


def write_csv(path: str | os.PathLike, frame: Any) -> Path:
    """Write ``frame`` as a spreadsheet-safe CSV file (:func:`csv_text`) atomically; return the path."""
    return atomic_write_text(path, csv_text(frame))


def atomic_write_json(path: str | os.PathLike, value: Any) -> Path:
    """Write ``value`` as indented, key-sorted UTF-8 JSON to ``path`` atomically; return the path."""
    return atomic_write_text(path, json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True) + "\n")


def publish(src: str | os.PathLike, dst: str | os.PathLike) -> None:
    """Move the finished file ``src`` over ``dst`` in one rename.

    ``src`` must be on the same file system as ``dst`` (for instance a staging
    folder inside the output folder); the folders of ``dst`` are created.
    """
    dst = Path(dst)
    dst.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(src, _final_mode(dst))
    os.replace(src, dst)
    _fsync_dir(dst.parent)


def package_digest() -> str:
    """Hash of mesra's own files: its code, and its templates, styles and vendored scripts, which change what it
    writes as much as its code does (a reworded brief template re-runs the briefs). Compiled caches are left out."""
    import hashlib

    h = hashlib.sha256()
    for p in sorted(PACKAGE_ROOT.rglob("*")):
        if not p.is_file() or "__pycache__" in p.parts or p.suffix == ".pyc":
            continue
        h.update(p.relative_to(PACKAGE_ROOT).as_posix().encode())
        h.update(b"\0")
        h.update(p.read_bytes())
    return h.hexdigest()
