"""Property-based: whatever the bytes, the checker ends with clear problems, never a traceback."""

from __future__ import annotations

import shutil

import yaml
from helpers import FIXTURES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mesra import Problem, check_corpus
from mesra.cli import main

SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)

yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)
front_keys = st.sampled_from(
    [
        "id",
        "titre",
        "territoire",
        "porteur",
        "acteurs",
        "annee",
        "origine",
        "innovation",
        "cooperation",
        "ressources",
        "chiffres",
        "sources",
        "axes_recherche_action",
        "inconnu",
    ]
)


def _fresh(tmp_path_factory):
    dest = tmp_path_factory.mktemp("fuzz") / "corpus"
    shutil.copytree(FIXTURES / "mini", dest)
    return dest


def _assert_clean(problems):
    assert isinstance(problems, list)
    for p in problems:
        assert isinstance(p, Problem) and p.file and p.message
        assert str(p).count(":") >= 3


@SETTINGS
@given(
    data=st.binary(max_size=400),
    table=st.sampled_from(["acteurs.csv", "liens.csv", "personnes.csv", "territoires.csv", "sources.csv"]),
)
def test_random_bytes_in_a_table(tmp_path_factory, data, table):
    root = _fresh(tmp_path_factory)
    (root / table).write_bytes(data)
    _assert_clean(check_corpus(root))


@SETTINGS
@given(data=st.binary(max_size=400))
def test_random_bytes_in_a_monograph(tmp_path_factory, data):
    root = _fresh(tmp_path_factory)
    (root / "monographies" / "projet-delta.md").write_bytes(b"---\n" + data)
    _assert_clean(check_corpus(root))


@SETTINGS
@given(front=st.dictionaries(front_keys, yaml_values, max_size=8))
def test_random_yaml_front_matter(tmp_path_factory, front):
    root = _fresh(tmp_path_factory)
    text = "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n## Besoins non couverts\n"
    (root / "monographies" / "projet-delta.md").write_text(text, "utf-8")
    _assert_clean(check_corpus(root))


@SETTINGS
@given(text=st.text(max_size=300))
def test_random_text_front_matter_through_the_cli(tmp_path_factory, text):
    root = _fresh(tmp_path_factory)
    (root / "monographies" / "projet-delta.md").write_text("---\n" + text + "\n---\n", "utf-8")
    assert main(["check", str(root)]) in (0, 1)
