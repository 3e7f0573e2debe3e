"""Communes are first-class: named by identifier, INSEE code or « nom (code postal) » without being
declared; declared ones are checked against the official reference; one identifier rule."""

from __future__ import annotations

from collections import Counter

import pytest

from mesra import check_corpus, load_corpus
from mesra.corpus.communes import commune_table, epci_table, resolve_commune
from mesra.corpus.geo import reference_territories
from mesra.text import slugify

ROWS = """\
asso-brest,Asso Brest (fictive),,association,29019,local,false,doc-test#L2
asso-quimper,Asso Quimper (fictive),,association,Quimper (29000),local,false,doc-test#L2
asso-morlaix,Asso Morlaix (fictive),,association,morlaix,local,false,doc-test#L2
asso-ales,Asso Alès (fictive),,association,30007,local,false,doc-test#L2
"""


def _add_actors(folder, rows: str) -> None:
    with (folder / "acteurs.csv").open("a", encoding="utf-8") as fh:
        fh.write(rows)


def _messages(folder) -> list[str]:
    return [str(p) for p in check_corpus(folder)]


def test_an_actor_names_its_commune_by_code_by_name_and_postal_code_or_by_identifier(mini_dir):
    _add_actors(mini_dir, ROWS)
    corpus = load_corpus(mini_dir)
    located = dict(zip(corpus.acteurs["acteur_id"], corpus.acteurs["territoire_id"]))
    assert [located[a] for a in ("asso-brest", "asso-quimper", "asso-morlaix")] == ["brest", "quimper", "morlaix"]
    assert located["asso-ales"] == "ales"  # the commune territoires.csv declares with that code
    assert set(corpus.actors_in("finistere")["acteur_id"]) == {"asso-brest", "asso-quimper", "asso-morlaix"}
    assert set(corpus.actors_in("bretagne")["acteur_id"]) >= {"asso-brest"}
    row = corpus.territoires.set_index("territoire_id").loc["brest"]
    assert (row["niveau"], row["code_insee"]) == ("commune", "29019")
    assert (corpus.territoires["territoire_id"] == "ales").sum() == 1
    from mesra import Brief

    assert [Brief(corpus, t).territoire for t in ("Quimper (29000)", "29019", "Brest", "Alès")] == [
        "quimper",
        "brest",
        "brest",
        "ales",
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Morlai (29600)", "(vouliez-vous dire « morlaix » ?)"),
        ("lorien", "(vouliez-vous dire « lorient » ?)"),
        ("99999", "(aucune commune n'a le code INSEE 99999)"),
    ],
)
def test_a_misspelt_commune_is_told_the_known_one(mini_dir, value, expected):
    _add_actors(mini_dir, f"asso-x,Asso X (fictive),,association,{value},local,false,doc-test#L2\n")
    [message] = _messages(mini_dir)
    assert f"identifiant « {value} » inconnu" in message and message.endswith(expected), message


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            "nimes,Nîmes,commune,30190,gard",
            "code INSEE « 30190 » inconnu des communes officielles ; Nîmes : Nîmes (30189, Gard)",
        ),
        ("nimes,Nîmes,commune,30007,gard", "le code INSEE 30007 est celui de Alès (30007, Gard), pas de « Nîmes »"),
        (
            "nimes,Nîmes,commune,30189,herault",
            "Nîmes (30189, Gard) n'est pas sous « herault » : son département est « gard »",
        ),
        ("sete,Sète,commune,,herault", "code INSEE manquant : mesra connaît Sète (34301, Hérault)"),
    ],
)
def test_declared_communes_are_checked_against_the_reference(mini_dir, row, expected):
    with (mini_dir / "territoires.csv").open("a", encoding="utf-8") as fh:
        fh.write(row + ",doc-test#L5\n")
    messages = _messages(mini_dir)
    assert len(messages) == 1 and expected in messages[0], messages
    assert messages[0].startswith("territoires.csv:3: ")


def test_right_communes_and_places_abroad_pass(mini_dir):
    with (mini_dir / "territoires.csv").open("a", encoding="utf-8") as fh:
        fh.write("nimes,Nîmes,commune,30189,gard,doc-test#L5\n")
        fh.write("ca-nimes,CA de Nîmes Métropole,epci,,gard,doc-test#L5\n")
        fh.write("uzes,Uzès,commune,30334,ca-nimes,doc-test#L5\n")  # under a custom EPCI of the right département
        fh.write("barcelone,Barcelone,commune,,monde,doc-test#L5\n")
    assert _messages(mini_dir) == []


def test_commune_identifiers_follow_one_rule():
    """The slug of the official name; with ``-`` and the INSEE code when another commune has that slug
    or a région, département or EPCI already holds it (data/README.md)."""
    communes = commune_table()
    ref = reference_territories()
    overseas = set(ref.loc[ref["niveau"] == "collectivite_outre_mer", "code_insee"])
    in_com = communes["departement"].isin(overseas)
    slugs = Counter(communes.loc[~in_com, "nom"].map(slugify))
    com_slugs = Counter(communes.loc[in_com, "nom"].map(slugify))
    taken = set(ref["territoire_id"]) | set(epci_table()["territoire_id"])
    for code, name, tid, com in zip(communes["code_insee"], communes["nom"], communes["territoire_id"], in_com):
        slug = slugify(name)
        # the overseas collectivities' communes, added later, never take a département commune's slug
        unique = com_slugs[slug] == 1 and slug not in slugs if com else slugs[slug] == 1
        assert tid == (slug if unique and slug not in taken else f"{slug}-{code}"), (code, name, tid)
    assert communes["territoire_id"].is_unique
    ids0 = dict(zip(communes["code_insee"], communes["territoire_id"]))
    assert (ids0["40014"], ids0["98712"], ids0["97701"]) == ("arue", "arue-98712", "saint-barthelemy-97701")
    ids = dict(zip(communes["code_insee"], communes["territoire_id"]))
    assert (ids["93066"], ids["75056"], ids["29019"]) == ("saint-denis-93066", "paris-75056", "brest")
    assert resolve_commune("saint-denis-93066")[1] == "93066"


def test_a_monograph_names_its_commune_too(mini_dir):
    from mesra.corpus.template import new_monograph

    path = new_monograph("recyclerie-brest", "Brest (29200)", data=mini_dir)
    assert "territoire: brest" in path.read_text(encoding="utf-8")
    text = path.read_text(encoding="utf-8").replace("territoire: brest", "territoire: 29019")
    text = text.replace('titre: ""', "titre: Recyclerie (fictive)").replace("origine: null", "origine: inconnue")
    text = text.replace("\nsources: []", "\nsources: [doc-test]")
    path.write_text(text, encoding="utf-8")
    corpus = load_corpus(mini_dir)
    assert "recyclerie-brest" in set(corpus.monographs_in("finistere")["id"])
    path.write_text(text.replace("territoire: 29019", "territoire: Bres (29200)"), encoding="utf-8")
    [message] = [m for m in _messages(mini_dir) if "recyclerie-brest" in m]
    assert "territoire « Bres (29200) » inconnu" in message and "(vouliez-vous dire « brest" in message
