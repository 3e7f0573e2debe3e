"""Cooperation and affiliation graphs, projections (Davis Southern Women), exports, ``mesra network``."""

from __future__ import annotations

import warnings

import networkx as nx
import pytest
from networkx.algorithms import bipartite

import mesra
from mesra.cli import main
from mesra.corpus import contract
from mesra.network.export import _exportable, export_graph
from mesra.network.graphs import COLLECTIVE_SUFFIX, PERSON_TYPE, affiliation_graph, cooperation_graph
from mesra.network.projection import SparseProjection, project

# Extra rows for the small fixture corpus (tests/fixtures/mini): an Occitan network with
# partners in Provence and at national and European scale, people, affiliations, and a
# federation that is both a member (of a European network) and a collective (with members).
EXTRA_ACTEURS = """\
tiers-lieu-epsilon,Tiers-lieu Epsilon,TLE,association,bouches-du-rhone,local,true,doc-test#L2
federation-zeta,Fédération Zêta,FZ,federation,fr,national,false,doc-test#L2
reseau-europeen,Réseau européen,RE,reseau_territorial,europe,europeen,false,doc-test#L2
cress-hdf,CRESS Hauts-de-France,,instance_ess,hauts-de-france,regional,false,doc-test#L2
isolee-occitane,Association isolée,,association,occitanie,local,,doc-test#L2
"""
EXTRA_PERSONNES = """\
paul-durand,DURAND,Paul,federation-zeta,Délégué,doc-test#L4
sans-structure,SANS,Structure,,,doc-test#L4
"""
EXTRA_LIENS = """\
reseau-alpha,cooperative-beta,partenaire_de,2,regional,,doc-test#L2
reseau-alpha,federation-zeta,partenaire_de,4,national,,doc-test#L2
tiers-lieu-epsilon,reseau-alpha,co_organise,,local,,doc-test#L2
federation-zeta,reseau-europeen,membre_de,4,europeen,,doc-test#L2
reseau-alpha,federation-zeta,membre_de,,national,,doc-test#L2
tiers-lieu-epsilon,federation-zeta,membre_de,,national,,doc-test#L2
cress-hdf,federation-zeta,membre_de,,national,,doc-test#L2
reseau-alpha,collectif-gamma,participe_a,1,,,doc-test#L2
jeanne-martin,collectif-gamma,participe_a,1,,,doc-test#L4
paul-durand,cress-hdf,accompagne,,regional,,doc-test#L4
"""


@pytest.fixture
def corpus_dir(mini_dir):
    for name, rows in (("acteurs", EXTRA_ACTEURS), ("personnes", EXTRA_PERSONNES), ("liens", EXTRA_LIENS)):
        with open(mini_dir / f"{name}.csv", "a", encoding="utf-8") as fh:
            fh.write(rows)
    return mini_dir


@pytest.fixture
def corpus(corpus_dir):
    return mesra.load_corpus(corpus_dir)


@pytest.fixture
def davis():
    return nx.davis_southern_women_graph()


def _women(g):
    return [n for n, d in g.nodes(data=True) if d["bipartite"] == 0]


# --- cooperation graph ------------------------------------------------------------------
def test_cooperation_graph_of_a_territory_rolls_up_and_flags_outside_partners(corpus):
    g = cooperation_graph(corpus, territoire="occitanie")
    inside = {"reseau-alpha", "cooperative-beta", "mairie-ales", "isolee-occitane"}  # projet-delta is a context
    assert {n for n, d in g.nodes(data=True) if not d["externe"]} == inside  # gard and alès roll up
    assert {n for n, d in g.nodes(data=True) if d["externe"]} == {"tiers-lieu-epsilon", "federation-zeta"}
    assert list(g.nodes) == sorted(g.nodes)
    assert list(g.edges) == sorted(tuple(sorted(e)) for e in g.edges)
    assert g.degree("isolee-occitane") == 0
    assert g.nodes["federation-zeta"]["echelon"] == "national"
    assert g.nodes["reseau-alpha"] == {
        "nom": "Réseau Alpha",
        "sigle": "RA",
        "type": "reseau_territorial",
        "territoire": "occitanie",
        "echelon": "regional",
        "membre_mes": True,
        "externe": False,
    }
    assert cooperation_graph(corpus, "occitanie", contextes=False).nodes["projet-delta"]["membre_mes"] is None
    assert g.graph["titre"] == "Réseau de coopération — Occitanie"


def test_organisations_sharing_a_context_are_joined_and_the_context_is_not_a_node(corpus):
    # reseau-alpha carries projet-delta, the town of Alès is its partner: they share a context
    g = cooperation_graph(corpus, territoire="occitanie")
    assert "projet-delta" not in g
    d = g.edges["mairie-ales", "reseau-alpha"]
    assert d["contextes"] == ["projet-delta"] and d["liens_directs"] == 0 and d["relations"] == []
    assert d["weight"] == 1 and d["sources"] == ["doc-test#L5"]
    direct = g.edges["cooperative-beta", "reseau-alpha"]
    assert direct["contextes"] == [] and direct["liens_directs"] == direct["weight"] == 2
    # without contexts, every actor is a node and only direct ties join them
    raw = cooperation_graph(corpus, territoire="occitanie", contextes=False)
    assert raw.has_edge("projet-delta", "reseau-alpha") and not raw.has_edge("mairie-ales", "reseau-alpha")
    # memberships and advocacy are other readings: never cooperation ties
    assert all(
        not set(d["relations"]) & {"membre_de", "participe_a", "represente", "plaide_aupres_de"}
        for _, _, d in g.edges(data=True)
    )


def test_a_shared_context_counts_once_per_pair_and_adds_to_direct_ties(tmp_path, corpus_dir):
    with open(corpus_dir / "liens.csv", "a", encoding="utf-8") as fh:
        fh.write("mairie-ales,projet-delta,finance,1,local,,doc-test#L5\n")  # a second tie to the same context
        fh.write("mairie-ales,reseau-alpha,partenaire_de,1,local,,doc-test#L5\n")
    g = cooperation_graph(mesra.load_corpus(corpus_dir), territoire="occitanie")
    d = g.edges["mairie-ales", "reseau-alpha"]
    assert d["contextes"] == ["projet-delta"] and d["liens_directs"] == 1 and d["weight"] == 2


def test_context_types_are_parameters(corpus):
    g = cooperation_graph(corpus, territoire="occitanie", types_contexte=["evenement"])
    assert "projet-delta" in g  # a project is an organisation here
    with pytest.raises(mesra.ParameterError, match="Type\\(s\\) d'acteur inconnu"):
        cooperation_graph(corpus, types_contexte=["lieu"])


def test_ties_between_two_actors_are_aggregated_into_one_weighted_edge(corpus):
    g = cooperation_graph(corpus, territoire="occitanie")
    d = g.edges["cooperative-beta", "reseau-alpha"]
    assert d["relations"] == ["accompagne", "partenaire_de"]
    assert d["weight"] == 2
    assert d["axes"] == [1, 2]
    assert d["echelons"] == ["local", "regional"]
    assert d["sources"] == ["doc-test#L2"]
    # affiliations are not direct ties
    assert all(set(d["relations"]) <= set(contract.DIRECT_RELATIONS) for _, _, d in g.edges(data=True))
    assert g.edges["federation-zeta", "reseau-alpha"]["relations"] == ["partenaire_de"]


def test_whole_corpus_has_no_outside_node(corpus):
    g = cooperation_graph(corpus)
    contexts = set(corpus.acteurs.loc[corpus.acteurs["type"].isin(contract.CONTEXT_TYPES), "acteur_id"])
    assert set(g.nodes) == set(corpus.acteurs["acteur_id"]) - contexts
    assert not any(d["externe"] for _, d in g.nodes(data=True))
    assert g.graph["territoire"] is None


def test_people_are_included_only_when_asked_and_located_by_their_structure(corpus):
    without = cooperation_graph(corpus, territoire="occitanie")
    assert "jeanne-martin" not in without
    g = cooperation_graph(corpus, territoire="occitanie", personnes=True, relations=contract.DIRECT_RELATIONS)
    jeanne = g.nodes["jeanne-martin"]
    assert jeanne["type"] == PERSON_TYPE and jeanne["nom"] == "Jeanne MARTIN"
    assert jeanne["territoire"] == "occitanie" and jeanne["structure"] == "reseau-alpha"
    assert jeanne["externe"] is False
    assert g.edges["jeanne-martin", "reseau-alpha"]["relations"] == ["represente"]
    # a person with no structure is nowhere, so not in a territory's graph
    assert "sans-structure" not in g
    whole = cooperation_graph(corpus, personnes=True)
    assert not cooperation_graph(corpus, "occitanie", personnes=True).has_edge("jeanne-martin", "reseau-alpha")
    assert "sans-structure" in whole and whole.nodes["sans-structure"]["territoire"] is None
    assert whole.has_edge("paul-durand", "cress-hdf")


def test_relations_can_be_chosen(corpus):
    g = cooperation_graph(corpus, relations=["porte"], contextes=False)
    assert [tuple(e) for e in g.edges] == [("projet-delta", "reseau-alpha")]
    g = cooperation_graph(corpus, relations=["porte"], relations_contexte=["porte"])
    assert g.number_of_edges() == 0  # the town is a partner of the project, not a carrier


def test_unknown_territory_is_refused_with_close_identifiers(corpus):
    with pytest.raises(
        mesra.ParameterError, match=r"Territoire « occitani » inconnu \(vouliez-vous dire « occitanie »"
    ):
        cooperation_graph(corpus, territoire="occitani")
    with pytest.raises(mesra.ParameterError, match="inconnu"):
        affiliation_graph(corpus, territoire="atlantide")


def test_unknown_relation_is_refused(corpus):
    with pytest.raises(mesra.ParameterError, match=r"Relation\(s\) inconnue\(s\) : amie_de"):
        cooperation_graph(corpus, relations=("partenaire_de", "amie_de"))
    with pytest.raises(mesra.ParameterError, match="inconnue"):
        affiliation_graph(corpus, relations=())


# --- affiliation graph --------------------------------------------------------------------------
def test_affiliation_graph_is_bipartite_with_networkx_attribute(corpus):
    b = affiliation_graph(corpus, personnes=True)
    assert bipartite.is_bipartite(b)
    members = {n for n, d in b.nodes(data=True) if d["bipartite"] == 0}
    collectives = {n for n, d in b.nodes(data=True) if d["bipartite"] == 1}
    assert members == {
        "cooperative-beta",
        "reseau-alpha",
        "jeanne-martin",
        "tiers-lieu-epsilon",
        "cress-hdf",
        "federation-zeta",
    }
    # the federation is a member (of the European network) and a collective: two nodes
    fz = "federation-zeta" + COLLECTIVE_SUFFIX
    assert collectives == {"collectif-gamma", "reseau-europeen", fz}
    assert b.nodes[fz]["identifiant"] == "federation-zeta" and b.nodes[fz]["nom"] == "Fédération Zêta"
    assert b.has_edge("federation-zeta", "reseau-europeen") and b.has_edge("reseau-alpha", fz)
    assert all(b.nodes[u]["bipartite"] != b.nodes[v]["bipartite"] for u, v in b.edges)
    assert b.edges["reseau-alpha", "collectif-gamma"]["relations"] == ["participe_a"]
    assert "jeanne-martin" not in affiliation_graph(corpus)


def test_affiliation_graph_of_a_territory(corpus):
    b = affiliation_graph(corpus, territoire="hauts-de-france")
    assert set(b.edges) == {("cress-hdf", "federation-zeta")}
    assert b.nodes["cress-hdf"]["externe"] is False and b.nodes["federation-zeta"]["externe"] is True


# --- projection: Davis Southern Women ---------------------------------------------------------------
def test_count_projection_equals_networkx_on_davis(davis):
    women = _women(davis)
    ref = bipartite.weighted_projected_graph(davis, women)
    p = project(davis, "count")
    assert set(p.nodes) == set(ref.nodes)
    assert {frozenset(e) for e in p.edges} == {frozenset(e) for e in ref.edges}
    assert all(p.edges[u, v]["weight"] == d["weight"] for u, v, d in ref.edges(data=True))
    # Davis (1941): Evelyn Jefferson and Theresa Anderson attended 7 events together
    assert p["Evelyn Jefferson"]["Theresa Anderson"]["weight"] == 7
    assert isinstance(p["Evelyn Jefferson"]["Theresa Anderson"]["weight"], int)


def test_newman_projection_equals_networkx_on_davis(davis):
    ref = bipartite.collaboration_weighted_projected_graph(davis, _women(davis))
    p = project(davis, "newman")
    assert {frozenset(e) for e in p.edges} == {frozenset(e) for e in ref.edges}
    for u, v, d in ref.edges(data=True):
        assert p.edges[u, v]["weight"] == pytest.approx(d["weight"], rel=1e-12)


def test_newman_projection_ignores_collectives_of_one_member():
    b = nx.Graph()
    b.add_nodes_from(["a", "b", "c"], bipartite=0)
    b.add_nodes_from(["solo", "pair", "trio"], bipartite=1)
    b.add_edges_from([("a", "solo"), ("a", "pair"), ("b", "pair"), ("a", "trio"), ("b", "trio"), ("c", "trio")])
    p = project(b, "newman")
    assert p["a"]["b"]["weight"] == pytest.approx(1 + 1 / 2)
    assert p["a"]["c"]["weight"] == pytest.approx(1 / 2)
    ref = bipartite.collaboration_weighted_projected_graph(b, ["a", "b", "c"])
    assert p["a"]["b"]["weight"] == pytest.approx(ref["a"]["b"]["weight"])


def test_projection_keeps_member_attributes_and_sorted_order(davis):
    p = project(davis)
    assert list(p.nodes) == sorted(_women(davis))
    assert all(d["bipartite"] == 0 for _, d in p.nodes(data=True))
    assert list(p.edges) == sorted(p.edges, key=lambda e: (sorted(p.nodes).index(e[0]), sorted(p.nodes).index(e[1])))


def test_projection_onto_the_other_mode_with_nodes(davis):
    events = [n for n, d in davis.nodes(data=True) if d["bipartite"] == 1]
    ref = bipartite.weighted_projected_graph(davis, events)
    p = project(davis, nodes=events)
    assert {frozenset(e): d["weight"] for *e, d in p.edges(data=True)} == {
        frozenset(e): d["weight"] for *e, d in ref.edges(data=True)
    }


def test_sparse_projection_is_the_same_graph(davis):
    for weighting in ("count", "newman"):
        s = project(davis, weighting, sparse=True)
        assert isinstance(s, SparseProjection)
        assert s.number_of_nodes() == 18 and s.number_of_edges() == project(davis, weighting).number_of_edges()
        assert nx.utils.graphs_equal(s.to_networkx(), project(davis, weighting))
        assert (s.matrix != s.matrix.T).nnz == 0 and s.matrix.diagonal().sum() == 0


def test_projection_of_an_affiliation_graph_from_a_corpus(corpus):
    b = affiliation_graph(corpus, personnes=True)
    p = project(b)
    assert p["reseau-alpha"]["tiers-lieu-epsilon"]["weight"] == 1  # both members of the federation
    assert p["reseau-alpha"]["jeanne-martin"]["weight"] == 1  # both take part in collectif-gamma
    assert p["federation-zeta"].get("reseau-alpha") is None  # member of the federation ≠ co-member
    assert p.graph["ponderation"] == "count"


def test_projection_errors(davis):
    with pytest.raises(mesra.ParameterError, match="Pondération « jaccard » inconnue"):
        project(davis, "jaccard")
    with pytest.raises(mesra.ParameterError, match="bipartite=0"):
        project(nx.path_graph(3))
    with pytest.raises(mesra.ParameterError, match="n'est pas biparti"):
        project(nx.path_graph(3), nodes=[0, 1])
    with pytest.raises(mesra.ParameterError, match="absent"):
        project(davis, nodes=["Personne inconnue"])
    with pytest.raises(mesra.ParameterError, match="non orienté"):
        project(nx.DiGraph(davis))


# --- exports --------------------------------------------------------------------------------------
def _same_graph(a: nx.Graph, b: nx.Graph):
    assert set(a.nodes) == set(b.nodes)
    assert {frozenset(e) for e in a.edges} == {frozenset(e) for e in b.edges}
    for n, d in a.nodes(data=True):
        assert b.nodes[n] == d, n
    for u, v, d in a.edges(data=True):
        got = {k: x for k, x in b.edges[u, v].items() if k != "id"}
        assert got == d, (u, v)


def test_gexf_is_read_back_by_networkx_with_the_same_nodes_edges_and_attributes(corpus, tmp_path):
    g = cooperation_graph(corpus, territoire="occitanie", personnes=True, contextes=False)
    out = tmp_path / "exports"
    out.mkdir()
    [path] = export_graph(g, out / "occitanie.gexf")
    back = nx.read_gexf(path)
    _same_graph(_exportable(g), back)
    assert set(back.nodes) == set(g.nodes) and back.number_of_edges() == g.number_of_edges()
    assert back.nodes["reseau-alpha"]["membre_mes"] is True
    assert "membre_mes" not in back.nodes["projet-delta"]  # None cannot be stored: left out
    assert back.nodes["reseau-alpha"]["label"] == "Réseau Alpha"
    assert back.edges["cooperative-beta", "reseau-alpha"]["relations"] == "accompagne, partenaire_de"
    assert back.edges["cooperative-beta", "reseau-alpha"]["weight"] == 2
    assert [p.name for p in out.iterdir()] == ["occitanie.gexf"]  # no temporary file left


def test_graphml_round_trip_and_bipartite_graph(corpus, tmp_path):
    b = affiliation_graph(corpus, personnes=True)
    [path] = export_graph(b, tmp_path / "affiliation.graphml")
    back = nx.read_graphml(path)
    _same_graph(_exportable(b), back)
    assert back.nodes["federation-zeta" + COLLECTIVE_SUFFIX]["bipartite"] == 1


def test_csv_export_writes_gephi_nodes_and_edges_tables(corpus, tmp_path):
    import pandas as pd

    g = cooperation_graph(corpus, territoire="occitanie")
    paths = export_graph(g, tmp_path / "reseau.csv")
    assert [p.name for p in paths] == ["reseau-noeuds.csv", "reseau-liens.csv"]
    nodes = pd.read_csv(paths[0])
    edges = pd.read_csv(paths[1])
    assert list(nodes.columns[:2]) == ["Id", "Label"] and list(edges.columns[:4]) == [
        "Source",
        "Target",
        "Type",
        "Weight",
    ]
    assert sorted(nodes["Id"]) == sorted(g.nodes) and len(edges) == g.number_of_edges()
    row = edges[(edges["Source"] == "cooperative-beta") & (edges["Target"] == "reseau-alpha")].iloc[0]
    assert row["Weight"] == 2 and row["relations"] == "accompagne, partenaire_de"


def test_export_errors(corpus, tmp_path):
    g = cooperation_graph(corpus)
    with pytest.raises(mesra.ParameterError, match=r"Format d'export « \.xlsx » non pris en charge"):
        export_graph(g, tmp_path / "reseau.xlsx")
    with pytest.raises(mesra.ParameterError, match="n'existe pas"):
        export_graph(g, tmp_path / "absent" / "reseau.gexf")
    with pytest.raises(mesra.ParameterError, match="attend un graphe networkx"):
        export_graph([("a", "b")], tmp_path / "reseau.gexf")


def test_a_sparse_projection_is_exported_as_its_graph(davis, tmp_path):
    [path] = export_graph(project(davis, sparse=True), tmp_path / "davis.graphml")
    back = nx.read_graphml(path)
    assert back.number_of_edges() == project(davis).number_of_edges()
    assert back.edges["Evelyn Jefferson", "Theresa Anderson"]["weight"] == 7


# --- command line ----------------------------------------------------------------------------------
def test_cli_network_prints_a_french_summary_and_writes_files(corpus_dir, tmp_path, capsys):
    gexf, table = tmp_path / "occ.gexf", tmp_path / "occ.csv"
    code = main(["network", "occitanie", "--data", str(corpus_dir), "--export", str(gexf), "--metrics", str(table)])
    out = capsys.readouterr().out
    assert code == 0
    assert "Réseau de coopération — Occitanie" in out
    assert "6 nœuds (dont 2 extérieurs au territoire)" in out
    assert "Principaux intermédiaires" in out and "Réseau Alpha (reseau-alpha)" in out
    assert "Modularité (Leiden)" in out
    assert nx.read_gexf(gexf).number_of_nodes() == 6
    import pandas as pd

    m = pd.read_csv(table)
    assert "intermediarite" in m.columns and len(m) == 6


def test_cli_network_with_people(corpus_dir, capsys):
    assert main(["network", "occitanie", "--data", str(corpus_dir), "--personnes"]) == 0
    assert "7 nœuds" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv, message",
    [
        (["network", "occitani"], "vouliez-vous dire « occitanie »"),
        (["network", "occitanie", "--export", "reseau.pdf"], "--export : extension « .pdf » non prise en charge"),
        (["network", "occitanie", "--metrics", "/nonexistent-dir/m.csv"], "--metrics : le dossier"),
    ],
)
def test_cli_network_errors_are_french_without_traceback(corpus_dir, capsys, argv, message):
    assert main([*argv, "--data", str(corpus_dir)]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


# --- default corpus ----------------------------------------------------------------------------------
def test_every_territory_with_data_of_the_default_corpus_has_a_network():
    corpus = mesra.load_corpus()
    territories = corpus.territories_with_data()
    assert "occitanie" in territories
    for t in territories:
        g = cooperation_graph(corpus, territoire=t, personnes=True)
        a = corpus.actors_in(t)
        located = set(a.loc[~a["type"].isin(contract.CONTEXT_TYPES) & ~a["nom"].map(contract.is_generic), "acteur_id"])
        assert located <= set(g.nodes), t
        assert all(not g.nodes[n]["externe"] for n in located), t
        m = mesra.metrics(g)
        assert len(m) == g.number_of_nodes() and m.attrs["liens"] == g.number_of_edges(), t
        b = affiliation_graph(corpus, territoire=t, personnes=True)
        assert bipartite.is_bipartite(b), t
        assert len(mesra.metrics(project(b))) == sum(1 for _, d in b.nodes(data=True) if d["bipartite"] == 0), t


@pytest.fixture
def people_only_corpus(corpus_dir):
    """Workshop participation by people only (as the seminar's workshops, or the Davis women)."""
    liens = corpus_dir / "liens.csv"
    lines = liens.read_text(encoding="utf-8").splitlines(keepends=True)
    liens.write_text("".join(x for x in lines if not x.startswith("reseau-alpha,collectif-gamma,participe_a")))
    return mesra.load_corpus(corpus_dir)


def test_an_affiliation_graph_emptied_by_the_people_filter_says_why(people_only_corpus):
    with pytest.warns(mesra.MesraWarning, match=r"1 lien\(s\) .* personnes=False ; passez personnes=True"):
        b = mesra.affiliation_graph(people_only_corpus, relations=("participe_a",))
    assert b.number_of_edges() == 0 and b.graph["liens_personnes_ignores"] == 1
    with pytest.warns(mesra.MesraWarning, match=r"projection vide.* 1 lien\(s\) de personnes"):
        p = mesra.project(b)
    assert p.number_of_nodes() == 0
    text = str(mesra.describe_graph(b))
    assert "1 lien de ces relations relie des personnes" in text and "personnes=True" in text
    # with people, the ties are there and nothing is said
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        full = mesra.affiliation_graph(people_only_corpus, relations=("participe_a",), personnes=True)
    assert full.number_of_edges() == 1 and full.graph["liens_personnes_ignores"] == 0


def test_a_graph_that_is_not_empty_does_not_warn(corpus):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        b = mesra.affiliation_graph(corpus, relations=("participe_a",))
    assert b.number_of_edges() == 1 and b.graph["liens_personnes_ignores"] == 1


def test_contexts_too_large_to_tie_are_named_not_identified():
    """The seminar joins too many organisations to tie them: the network's description names it
    (as the brief does), it does not show its identifier to readers."""
    corpus = mesra.load_corpus()
    g = mesra.cooperation_graph(corpus, territoire="normandie", contextes=True, taille_max_contexte=12)
    assert "seminaire-coconstruire-2019" in g.graph["contextes_larges"]
    name = corpus.acteurs.set_index("acteur_id").loc["seminaire-coconstruire-2019", "nom"]
    assert g.graph["noms_contextes_larges"]["seminaire-coconstruire-2019"] == name
    text = str(mesra.describe_graph(g))
    assert name in text and "seminaire-coconstruire-2019" not in text


def test_generic_actors_are_not_nodes_of_the_cooperation_network():
    """« Collectivités territoriales (non nommées) » stands for the APES's partner councils in Hauts-de-France (L320)
    and the Générateur's in Bourgogne-Franche-Comté (L314): as one node it would join the APES to PESAD 21."""
    corpus = mesra.load_corpus()
    g = cooperation_graph(corpus, territoire="fr")
    names = nx.get_node_attributes(g, "nom")
    assert not [n for n in g if contract.is_generic(names[n])]
    assert "collectivites-territoriales" in g.graph["generiques_exclus"]
    # the APES and PESAD 21 are joined only through the MES, with whom each co-animates a chantier (L257)
    assert nx.has_path(g, "apes", "pesad21") and not nx.has_path(g.subgraph(set(g) - {"mes"}), "apes", "pesad21")
    kept = cooperation_graph(corpus, territoire="fr", generiques=True)
    assert "collectivites-territoriales" in kept
    assert nx.has_path(kept.subgraph(set(kept) - {"mes"}), "apes", "pesad21")  # the generic node joins them
    assert kept.graph["generiques_exclus"] == []
    bfc = cooperation_graph(corpus, territoire="bourgogne-franche-comte")
    # tied to the Générateur (L312-314); the Axe 3 Cercle 2, « certains adhérents » of three networks (L782)
    assert bfc.graph["generiques_exclus"] == ["adherents-accompagnement-reseaux-mes", "collectivites-territoriales"]
    # the ARDES pleads with councils (L580): advocacy, not cooperation, so they were not left out of Normandy's
    # network; its partners of L795, stakeholders the text leaves unnamed, were
    left_out = cooperation_graph(corpus, territoire="normandie").graph["generiques_exclus"]
    assert "parties-prenantes-cress-region-normandie" in left_out


def test_a_too_large_context_ties_its_carrier_to_its_funders_only():
    """The seminar (18 organisations) joins nobody two by two, but the APES and the FPH fund what the MES carries
    (L140, L1090-1092): a direct funding tie; its participants stay apart."""
    g = cooperation_graph(mesra.load_corpus(), territoire="fr")
    assert "seminaire-coconstruire-2019" in g.graph["contextes_larges"]
    for funder in ("apes", "fph"):
        d = g.edges[funder, "mes"]
        assert d["finance_porte"] == ["seminaire-coconstruire-2019"] and "finance" in d["relations"]
        # the APES also co-animates the Axe 2 chantier with the MES (L257, L478); the seminar is never a context
        assert d["contextes"] == (["chantier-axe-2"] if funder == "apes" else []) and d["liens_directs"] >= 1
        assert any(src.endswith("#L1090-1092") or src.endswith("#L1090-1091") for src in d["sources"])
    assert not g.has_edge("apes", "fph")  # two funders are not tied by the context
    assert not g.has_edge("pesad21", "ardes")  # two participants neither
    assert not any("seminaire-coconstruire-2019" in d["contextes"] for *_, d in g.edges(data=True))
    small = cooperation_graph(mesra.load_corpus(), territoire="fr", taille_max_contexte=None)
    assert small.edges["apes", "mes"]["finance_porte"] == []  # not too large: a shared context as any other
    assert "seminaire-coconstruire-2019" in small.edges["apes", "mes"]["contextes"]
