"""Shared fixtures: a small valid corpus to copy and break, figures closed after each test."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")

import pytest  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parents[1]


def pytest_addoption(parser):
    parser.addoption("--runslow", action="store_true", default=False, help="run tests marked slow")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--runslow"):
        return
    skip = pytest.mark.skip(reason="lent : lancez pytest --runslow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


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


@pytest.fixture
def mini_dir(tmp_path) -> Path:
    """A writable copy of the small valid corpus ``tests/fixtures/mini``."""
    dest = tmp_path / "corpus"
    shutil.copytree(FIXTURES / "mini", dest)
    return dest


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import sys

    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
