"""Shared fixtures: a small valid corpus to copy and break, figures closed after each test.

Helpers that test files import live in ``helpers.py``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")

import pytest  # noqa: E402
from helpers import FIXTURES  # noqa: E402


def pytest_addoption(parser):
    parser.addoption("--runslow", action="store_true", default=False, help="run tests marked slow")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--runslow"):
        return
    skip = pytest.mark.skip(reason="lent : lancez pytest --runslow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


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
