"""The project's own files agree with each other: dependencies, README, CI."""

from __future__ import annotations

import re

import pytest
import yaml
from helpers import ROOT

tomllib = pytest.importorskip("tomllib")

# conda-forge names that differ from PyPI's
CONDA_TO_PYPI = {"python-igraph": "igraph"}


def _name(spec: str) -> str:
    return re.split(r"[<>=!~ \[]", spec.strip(), maxsplit=1)[0].lower()


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    pypi = {_name(d) for d in project["dependencies"]}
    pypi |= {_name(d) for d in project["optional-dependencies"]["dev"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text("utf-8"))
    conda = set()
    for dep in env["dependencies"]:
        if isinstance(dep, str) and _name(dep) not in ("python", "pip"):
            conda.add(CONDA_TO_PYPI.get(_name(dep), _name(dep)))
    assert conda == pypi, f"only in environment.yml: {conda - pypi}; only in pyproject: {pypi - conda}"


def test_declared_stack_is_present():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    names = {_name(d) for d in project["dependencies"]}
    assert {"jupyterlab", "pandas", "matplotlib", "networkx", "papermill", "nbval"} <= names


def test_readme_and_ci_use_the_two_commands():
    readme = (ROOT / "README.md").read_text("utf-8")
    assert "make briefs" in readme and "make test" in readme
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert "make test" in ci and "set -e" in ci


def test_version_is_single_sourced():
    import mesra

    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    assert project["version"] == mesra.__version__
