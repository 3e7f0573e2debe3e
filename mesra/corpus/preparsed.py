"""Corpora parsed once per batch and handed, in parsed form, to the kernels that run its notebooks.

A batch validates its corpus once (:func:`prepare`), and installs the result in each
warm kernel's parent process (:func:`install`, see :mod:`mesra.batch.warm`). Then
:func:`~mesra.corpus.load.load_corpus`, called by a notebook in a kernel forked from
that process, asks :func:`lookup` first: when the folder it is asked for still holds
exactly the files the corpus was read from (same names, same bytes, hence the same
fingerprint ``corpus.hash``), it gets the parsed corpus without reading, parsing or
validating anything; otherwise it loads normally. Each call returns a new, independent
object (unpickled from bytes): a notebook that modifies its corpus cannot change what
the next call, or the next notebook, gets.

Pseudonymisation is applied by :func:`~mesra.corpus.privacy.pseudonymise`, exactly as
``load_corpus(..., pseudonymiser=True)`` does, once per batch rather than once per
notebook. In a process where nothing was installed (JupyterLab, nbval, a script),
:func:`lookup` returns ``None`` at once.
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass
from pathlib import Path

from mesra.corpus import contract

__all__ = [
    "Preparsed",
    "prepare",
    "entry_for",
    "install",
    "forget",
    "entry_key",
    "installed_keys",
    "installed",
    "lookup",
    "location_of",
    "corpus_listing",
]


@dataclass(frozen=True)
class Preparsed:
    """A validated corpus in parsed form, and what it was read from."""

    fingerprint: str  # corpus.hash
    location: str  # the corpus folder or workbook, resolved
    files: tuple[tuple[str, str], ...]  # every file read, resolved, with its SHA-256
    listing: tuple[str, ...]  # the files a load would read besides source texts (an added monograph shows)
    payload: bytes  # the pickled Corpus
    pseudonymised: bytes | None = None  # the pickled pseudonymise(corpus), when the batch asks for it
    #: Trusted without looking at the disk (a worker of another machine, whose disk is not the batch's)
    #: for ``load_corpus(parameter)``, ``parameter`` being the ``data`` the notebooks receive.
    authoritative: bool = False
    parameter: str = ""


_INSTALLED: dict[tuple, Preparsed] = {}


def location_of(path: str | Path | None) -> Path:
    """The corpus folder or workbook that ``load_corpus(path)`` reads, resolved."""
    from mesra.corpus.load import default_data_dir

    return (Path(path) if path else default_data_dir()).resolve()


def corpus_listing(location: Path) -> list[Path]:
    """The files :func:`~mesra.corpus.load.read_raw` reads at ``location``, source texts aside."""
    if location.is_file():
        root, books = location.parent, [location]
        tables: list[Path] = []
    elif location.is_dir():
        root = location
        books = sorted(p for p in root.glob("*.xlsx") if not p.name.startswith(("~$", ".")))
        tables = [root / contract.TABLES[n].filename for n in contract.TABLE_ORDER]
        tables = [p for p in tables if p.exists()]
    else:
        return []
    mono_dir = root / contract.MONOGRAPH_DIR
    monographs = sorted(mono_dir.glob("*.md")) if mono_dir.is_dir() else []
    hand = [p for p in [root / contract.RESOURCE_TABLE.filename] if location.is_dir() and p.is_file()]
    body_dir = root / contract.RESOURCE_DIR
    bodies = sorted(body_dir.glob("*.md")) if location.is_dir() and body_dir.is_dir() else []
    return [*books, *tables, *monographs, *hand, *bodies]


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def prepare(path: str | Path | None = None, *, pseudonymiser: bool = False) -> tuple[object, Preparsed | None]:
    """Load and validate the corpus at ``path`` once; return it and its parsed form for the kernels.

    Raises :class:`~mesra.errors.CorpusError` like :func:`~mesra.corpus.load.load_corpus`.
    """
    from mesra.corpus.load import build_corpus

    corpus, raw = build_corpus(path or None)
    return corpus, entry_for(corpus, raw, path, pseudonymiser=pseudonymiser)


def _stat(path: Path) -> tuple[int, int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ino)


def entry_for(corpus, raw, path: str | Path | None, *, pseudonymiser: bool = False) -> Preparsed | None:
    """The parsed form of ``corpus``, read by ``raw`` at ``path`` (see :func:`prepare`).

    ``None`` when a file changed since it was read: the kernels then read the corpus themselves.
    """
    location = location_of(path)
    files = tuple(sorted({(str(p.resolve()), _sha256(p) or "") for p in raw.files}))
    listing = tuple(str(p.resolve()) for p in corpus_listing(location))
    if any(_stat(p) != raw.stats.get(p) for p in raw.files) or not set(listing) <= {n for n, _ in files}:
        return None  # written to (or added) while or since it was read: not what was parsed
    pseudo = None
    if pseudonymiser:
        from mesra.corpus.privacy import pseudonymise

        pseudo = pickle.dumps(pseudonymise(corpus), protocol=pickle.HIGHEST_PROTOCOL)
    return Preparsed(
        fingerprint=corpus.hash,
        location=str(location),
        files=files,
        listing=listing,
        payload=pickle.dumps(corpus, protocol=pickle.HIGHEST_PROTOCOL),
        pseudonymised=pseudo,
    )


#: How many corpora a process keeps (the last ones installed).
KEEP = 4


def entry_key(entry: Preparsed) -> tuple:
    """What tells two installed corpora apart."""
    return (entry.fingerprint, entry.location, entry.authoritative, entry.parameter)


def install(entries: list[Preparsed]) -> None:
    """Add ``entries`` to the corpora :func:`lookup` knows (the :data:`KEEP` last ones are kept)."""
    for entry in entries:
        _INSTALLED.pop(entry_key(entry), None)
        _INSTALLED[entry_key(entry)] = entry
    while len(_INSTALLED) > KEEP:
        _INSTALLED.pop(next(iter(_INSTALLED)))


def forget() -> None:
    """Forget every installed corpus."""
    _INSTALLED.clear()


def installed() -> list[str]:
    """Fingerprints of the installed corpora."""
    return sorted({entry.fingerprint for entry in _INSTALLED.values()})


def installed_keys() -> list[tuple]:
    """:func:`entry_key` of each installed corpus."""
    return list(_INSTALLED)


def _unchanged(entry: Preparsed, location: Path) -> bool:
    """The files at ``location`` are still those the entry was read from, byte for byte."""
    listing = tuple(str(p.resolve()) for p in corpus_listing(location))
    if listing != entry.listing:
        return False
    return all(_sha256(Path(name)) == sha for name, sha in entry.files)


def _matches(entry: Preparsed, location: Path) -> bool:
    if entry.authoritative:  # the folder the notebooks' ``data`` names, seen from this process
        from mesra.files import find_in_project

        return location_of(find_in_project(entry.parameter) if entry.parameter else None) == location
    return entry.location == str(location) and _unchanged(entry, location)


def lookup(path: str | Path | None, pseudonymiser: bool):
    """A fresh copy of the installed corpus that ``load_corpus(path)`` would load, or ``None``."""
    if not _INSTALLED:
        return None
    location = location_of(path)
    entry = next((e for e in reversed(_INSTALLED.values()) if _matches(e, location)), None)
    if entry is None:
        return None
    if pseudonymiser and entry.pseudonymised is None:
        from mesra.corpus.privacy import pseudonymise

        corpus = pseudonymise(pickle.loads(entry.payload))
    else:
        corpus = pickle.loads(entry.pseudonymised if pseudonymiser else entry.payload)
    from mesra.corpus.load import default_data_dir

    corpus.path = Path(path) if path else default_data_dir()  # what read_raw records
    return corpus
