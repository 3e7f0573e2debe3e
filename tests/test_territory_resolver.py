"""One territory resolver for every command and the Python API: identifiers, names with accents
and capitals, INSEE codes, close-match suggestions, one French message."""

from __future__ import annotations

import pytest

import mesra
from mesra import ParameterError
from mesra.cli import main
from mesra.corpus.geo import reference_territories, resolve_territory


@pytest.fixture(scope="module")
def corpus():
    return mesra.load_corpus()


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("finistere", "finistere"),
        ("Finistère", "finistere"),
        ("FINISTÈRE", "finistere"),
        ("29", "finistere"),
        (29, "finistere"),
        ("2A", "corse-du-sud"),
        ("2a", "corse-du-sud"),
        ("75", "paris"),  # a bare code names the département before the région (Nouvelle-Aquitaine, 75)
        ("Pays de la Loire", "pays-de-la-loire"),
        ("Côte-d'Or", "cote-d-or"),
        ("Nouvelle-Aquitaine", "nouvelle-aquitaine"),
    ],
)
def test_identifiers_names_and_codes(given, expected):
    assert resolve_territory(given, reference_territories()) == expected


@pytest.mark.parametrize(
    ("given", "close"), [("bretgne", "bretagne"), ("finistre", "finistere"), ("Ocitanie", "occitanie")]
)
def test_unknown_territory_suggests_the_close_one(given, close):
    with pytest.raises(ParameterError, match=rf"Territoire « {given} » inconnu \(vouliez-vous dire « {close} »"):
        resolve_territory(given, reference_territories())


def test_a_name_shared_by_two_territories_asks_which():
    import pandas as pd

    table = pd.DataFrame(
        {
            "territoire_id": ["saint-denis-93066", "saint-denis-97411"],
            "nom": ["Saint-Denis", "Saint-Denis"],
            "niveau": ["commune", "commune"],
            "code_insee": ["93066", "97411"],
        }
    )
    with pytest.raises(ParameterError, match="plusieurs territoires : saint-denis-93066, saint-denis-97411"):
        resolve_territory("Saint-Denis", table)
    assert resolve_territory("97411", table) == "saint-denis-97411"


def test_the_python_api_takes_names(corpus):
    assert mesra.Brief(corpus, "Occitanie").territoire == "occitanie"
    assert mesra.check_parameters(corpus, territoire="Hauts-de-France") == "hauts-de-france"
    g = mesra.cooperation_graph(corpus, "Occitanie")
    assert g.graph["territoire"] == "occitanie"
    assert set(g.nodes) == set(mesra.cooperation_graph(corpus, "occitanie").nodes)
    assert mesra.affiliation_graph(corpus, "Occitanie").graph["territoire"] == "occitanie"
    assert len(mesra.actions_for(corpus, "Occitanie")) == len(mesra.actions_for(corpus, "occitanie"))


def test_the_same_message_in_every_command_and_the_api(corpus, capsys, tmp_path):
    messages = []
    assert main(["network", "bretgne"]) != 0
    messages.append(capsys.readouterr().err)
    assert main(["briefs", "--territoire", "bretgne", "--out", str(tmp_path / "out")]) != 0
    messages.append(capsys.readouterr().err)
    for call in (lambda: mesra.Brief(corpus, "bretgne"), lambda: mesra.cooperation_graph(corpus, "bretgne")):
        with pytest.raises(ParameterError) as info:
            call()
        messages.append(str(info.value))
    for message in messages:
        assert "Territoire « bretgne » inconnu (vouliez-vous dire « bretagne »" in message, message
        assert "Donnez l'identifiant, le nom ou le code INSEE" in message
    assert not (tmp_path / "out").exists()


def test_network_command_takes_a_departement_code(capsys):
    assert main(["network", "29"]) == 0
    assert "Finistère" in capsys.readouterr().out
