"""The batch's processes start without paying for what they never use."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest
from helpers import ROOT

CHECK = r"""
import importlib.util, sys
from mesra.batch.startup import defer_iri_grammar
assert defer_iri_grammar()
import nbformat, papermill  # noqa: F401 - what a worker imports
assert "lark" not in sys.modules, "the IRI grammars were built at import"
assert importlib.util.find_spec("rfc3987_syntax").name == "rfc3987_syntax"  # as without the stand-in
from jsonschema import Draft7Validator
v = Draft7Validator({"format": "iri"}, format_checker=Draft7Validator.FORMAT_CHECKER)
assert v.is_valid("https://exemple.fr/économie-solidaire")
assert not v.is_valid("https://[mauvaise")
assert "lark" in sys.modules and type(sys.modules["rfc3987_syntax"]).__name__ == "module"
import rfc3987_syntax
assert rfc3987_syntax.is_valid_syntax("iri", "https://exemple.fr/é")
assert not defer_iri_grammar()  # already imported: left alone
"""


SUBMODULE = r"""
import sys
from mesra.batch.startup import defer_iri_grammar
assert defer_iri_grammar()
import rfc3987_syntax.utils  # a submodule
assert callable(rfc3987_syntax.utils.load_grammar)
from rfc3987_syntax import is_valid_syntax
assert is_valid_syntax("iri", "https://exemple.fr/é") and not is_valid_syntax("iri", "https://[mauvaise")
"""


@pytest.mark.skipif(importlib.util.find_spec("rfc3987_syntax") is None, reason="rfc3987_syntax absent")
def test_a_submodule_of_the_deferred_package_still_imports():
    done = subprocess.run([sys.executable, "-c", SUBMODULE], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


@pytest.mark.skipif(importlib.util.find_spec("rfc3987_syntax") is None, reason="rfc3987_syntax absent")
def test_iri_grammar_is_built_only_when_an_iri_is_checked():
    done = subprocess.run([sys.executable, "-c", CHECK], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_deferring_does_nothing_once_jsonschema_is_loaded():
    import jsonschema  # noqa: F401 - loads its format checkers

    from mesra.batch.startup import defer_iri_grammar

    assert defer_iri_grammar() is False
