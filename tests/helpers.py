"""Helpers that several test files import (fixtures live in ``conftest.py``)."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parents[1]


def snapshot(folder: Path) -> dict[str, bytes] | None:
    """Every file under ``folder`` with its bytes (None when the folder does not exist)."""
    if not folder.exists():
        return None
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_import_writes_nothing(do_import, path, tmp_path, corpus_dir, match):
    """A malformed import raises a French error and writes nothing: neither a new folder
    nor, even with ``force=True``, into an existing corpus."""
    from mesra import MesraError

    out = tmp_path / "nouveau"
    with pytest.raises(MesraError, match=match):
        do_import(path, out)
    assert snapshot(out) is None
    before = snapshot(corpus_dir)
    with pytest.raises(MesraError, match=match):
        do_import(path, corpus_dir, force=True)
    assert snapshot(corpus_dir) == before
