"""A membership network from real BANATIC memberships (issue 14): ``mesra network --affiliation / --projection``.

The corpus is built from ``fixtures/banatic/groupement-adhesions.csv``, an excerpt of the
BANATIC memberships published by the api-territoires project (see the README there): each row
says that a body (``groupement_siren``) is a member of another (``adhesion_siren``). The EPCI
are named and located by the package's reference geography; the other bodies (syndicates) have
no territory and no name beyond their SIREN, as in the published file.
"""

from __future__ import annotations

import csv
import io

import networkx as nx
import pandas as pd
import pytest
from helpers import FIXTURES
from networkx.algorithms import bipartite

import mesra
from mesra.cli import main
from mesra.corpus.communes import epci_table, geo_source_id, territory_rows
from mesra.corpus.writer import table_text

ADHESIONS = FIXTURES / "banatic" / "groupement-adhesions.csv"
SOURCE = "banatic-adhesions-api-territoires"


def adhesions() -> list[tuple[str, str, int]]:
    """(member SIREN, body SIREN, line) of every row of the excerpt."""
    rows = csv.DictReader(io.StringIO(ADHESIONS.read_text("utf-8")))
    return [(r["groupement_siren"], r["adhesion_siren"], n) for n, r in enumerate(rows, start=2)]


@pytest.fixture(scope="module")
def banatic(tmp_path_factory):
    """A corpus: one actor per SIREN, one ``membre_de`` tie per row, each citing its line."""
    out = tmp_path_factory.mktemp("banatic")
    rows = adhesions()
    epci = epci_table().set_index("code_siren")
    first: dict[str, int] = {}
    for member, body, line in rows:
        first.setdefault(member, line)
        first.setdefault(body, line)
    actors = [
        {
            "acteur_id": f"siren-{s}",
            "nom": epci.loc[s, "nom"] if s in epci.index else f"SIREN {s}",
            "type": "collectivite",
            "territoire_id": epci.loc[s, "territoire_id"] if s in epci.index else "",
            "echelon": "local",
            "source": f"{SOURCE}#L{first[s]}",
        }
        for s in sorted(first)
    ]
    ties = [
        {"source_id": f"siren-{m}", "cible_id": f"siren-{b}", "relation": "membre_de", "source": f"{SOURCE}#L{n}"}
        for m, b, n in rows
    ]
    sources = [
        {"source_id": SOURCE, "titre": "BANATIC : adhésions des groupements (api-territoires)"},
        {"source_id": geo_source_id(), "titre": "Découpage administratif (Etalab)"},
    ]
    located = [a["territoire_id"] for a in actors if a["territoire_id"]]
    for name, table in (
        ("sources", sources),
        ("territoires", territory_rows(located)),
        ("acteurs", actors),
        ("liens", ties),
    ):
        (out / f"{name}.csv").write_text(table_text(name, table), "utf-8")
    assert mesra.check_corpus(out) == []
    return out


def reference_bipartite() -> nx.Graph:
    """The member × body graph straight from the CSV rows, with networkx alone."""
    b = nx.Graph()
    rows = adhesions()
    members = {m for m, _, _ in rows}
    b.add_nodes_from(members, bipartite=0)
    b.add_nodes_from({f"{body}#c" for _, body, _ in rows}, bipartite=1)
    b.add_edges_from((m, f"{body}#c") for m, body, _ in rows)
    return b


def exported_edges(stem) -> dict[frozenset, float]:
    edges = pd.read_csv(f"{stem}-liens.csv", dtype={"Source": str, "Target": str})
    return {
        frozenset((s.removeprefix("siren-"), t.removeprefix("siren-"))): w
        for s, t, w in edges[["Source", "Target", "Weight"]].itertuples(index=False)
    }


def test_the_excerpt_has_epci_and_bodies_without_territory(banatic):
    corpus = mesra.load_corpus(banatic)
    assert corpus.acteurs["territoire_id"].notna().sum() == 5  # the 5 EPCI of the excerpt
    assert corpus.acteurs["territoire_id"].isna().sum() == 47
    assert len(corpus.liens) == len(adhesions()) == 63


@pytest.mark.parametrize("weighting", ["count", "newman"])
def test_the_command_line_exports_the_projection_of_the_python_api_and_of_networkx(
    banatic, tmp_path, capsys, weighting
):
    stem = tmp_path / f"projection-{weighting}"
    assert main(["network", "fr", "--data", str(banatic), "--projection", weighting, "--export", f"{stem}.csv"]) == 0
    out = capsys.readouterr().out
    assert f"pondération « {weighting} »" in out
    cli = exported_edges(stem)
    # the Python API
    corpus = mesra.load_corpus(banatic)
    p = mesra.project(mesra.affiliation_graph(corpus, "fr", sans_territoire=True), weighting)
    api = {frozenset((u.removeprefix("siren-"), v.removeprefix("siren-"))): w for u, v, w in p.edges(data="weight")}
    # networkx on the rows of the published file
    b = reference_bipartite()
    members = {n for n, d in b.nodes(data="bipartite") if d == 0}
    if weighting == "count":
        ref_graph = bipartite.weighted_projected_graph(b, members)
    else:
        ref_graph = bipartite.collaboration_weighted_projected_graph(b, members)
    ref = {frozenset((u, v)): w for u, v, w in ref_graph.edges(data="weight")}
    assert ref and set(cli) == set(api) == set(ref)
    for pair, w in ref.items():
        assert cli[pair] == pytest.approx(w) and api[pair] == pytest.approx(w)
    # the 4 Haute-Savoie EPCI share syndicates: e.g. Faucigny-Glières and Annemasse share 4 bodies
    if weighting == "count":
        assert cli[frozenset(("200000172", "200011773"))] == 4


def test_affiliation_export_and_metrics(banatic, tmp_path, capsys):
    gexf, table = tmp_path / "affiliation.gexf", tmp_path / "affiliation.csv"
    argv = ["network", "fr", "--data", str(banatic), "--affiliation", "--export", str(gexf), "--metrics", str(table)]
    assert main(argv) == 0
    out = capsys.readouterr().out
    rows = adhesions()
    members, collectives = len({m for m, _, _ in rows}), len({b for _, b, _ in rows})
    assert f"{members} membres, {collectives} collectifs, 63 liens d'affiliation" in out
    g = nx.read_gexf(gexf)
    assert g.number_of_edges() == 63
    m = pd.read_csv(table)
    assert len(m) == g.number_of_nodes() and set(m["bipartite"]) == {0, 1}


def test_actors_without_territory_are_kept_at_the_national_level_and_counted(banatic, capsys):
    assert main(["network", "fr", "--data", str(banatic), "--affiliation"]) == 0
    out = capsys.readouterr().out
    assert "47 acteurs sans territoire, rattachés au niveau national" in out
    assert "dont 0 extérieur au territoire" in out
    # bodies members of bodies, neither located (200009314 → 254600877), are in the national graph
    g = mesra.affiliation_graph(mesra.load_corpus(banatic), "fr", sans_territoire=True)
    assert g.has_edge("siren-200009314", "siren-254600877")
    assert g.graph["sans_territoire"] == 47
    # without the option (the Python default), they are left out as before
    assert not mesra.affiliation_graph(mesra.load_corpus(banatic), "fr").has_edge("siren-200009314", "siren-254600877")


def test_the_cooperation_reading_says_the_membership_corpus_has_no_cooperation_ties(banatic, capsys):
    assert main(["network", "fr", "--data", str(banatic)]) == 0
    out = capsys.readouterr().out
    assert "52 nœuds" in out and "0 lien," in out and "Aucun lien de coopération directe" in out


def test_projection_needs_a_known_weighting(banatic, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["network", "fr", "--data", str(banatic), "--projection", "jaccard"])
    assert exit_.value.code == 2
    assert "choix invalide" in capsys.readouterr().err
