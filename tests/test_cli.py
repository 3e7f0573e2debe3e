"""The command line's structure: each command names its handler function, and ``import mesra.cli`` is light."""

from __future__ import annotations

import argparse
import inspect
import subprocess
import sys
from pathlib import Path

import mesra.cli
from mesra.cli import build_parser, main

ROOT = Path(__file__).resolve().parents[1]


def _leaf_parsers(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    """``(("import", "decidim"), parser)`` for every command that runs something."""
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        yield path, parser
    for action in subs:
        for name, child in action.choices.items():
            yield from _leaf_parsers(child, (*path, name))


def test_every_command_names_its_handler_function():
    leaves = dict(_leaf_parsers(build_parser()))
    assert {" ".join(p) for p in leaves} >= {
        "check",
        "network",
        "briefs",
        "ressources",
        "import gogocarto",
        "import decidim",
        "export xlsx",
        "init",
        "new-monograph",
    }
    for path, parser in leaves.items():
        handler = parser.get_default("handler")
        assert inspect.isfunction(handler), f"mesra {' '.join(path)} : pas de fonction, {handler!r}"
        assert handler.__module__ == "mesra.cli" and handler.__name__.startswith("cli_"), path
        assert list(inspect.signature(handler).parameters) == ["args"], path


def test_a_command_without_its_format_prints_the_help(capsys):
    assert main([]) == 2
    assert main(["import"]) == 2
    assert main(["export"]) == 2
    assert capsys.readouterr().out.count("usage : mesra") == 3


def test_handlers_read_the_parsers_options_without_fallbacks():
    # every option has its default in the parser: no handler guesses one for a hand-made namespace
    source = inspect.getsource(mesra.cli)
    assert "getattr(args" not in source
    assert "import_module" not in source


def test_import_mesra_cli_is_light():
    heavy = ("pandas", "numpy", "matplotlib", "networkx", "igraph", "papermill", "openpyxl", "jinja2")
    code = f"import sys, mesra.cli; print(sorted(m for m in {heavy!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"
