"""Two states of a corpus side by side (issue 27, part 3): ``mesra.compare`` and its states.

The fixtures ``tests/fixtures/compare/avant`` and ``apres`` are synthetic (invented actors,
people and ties); their known differences are listed in their README.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import networkx as nx
import pytest
from helpers import FIXTURES

import mesra
from mesra.analysis import since
from mesra.corpus import states
from mesra.corpus.privacy import RUN_ENV
from mesra.errors import ParameterError
from mesra.network.compare import ADDED, REMOVED, diff_ties, network_facts

AVANT = FIXTURES / "compare" / "avant"
APRES = FIXTURES / "compare" / "apres"
#: Real-looking names of the synthetic people: none may show in a pseudonymised comparison.
NAMES = ("durand", "paul", "lucie", "bernard", "jeanne", "martin")


def _everything(c) -> str:
    """Every text a comparison can publish: its table, its sentences, its merged graph."""
    graph = json.dumps(nx.node_link_data(c.graphe, edges="links"), ensure_ascii=False, default=str)
    return "\n".join([c.to_frame().to_csv(), *c.sentences(), graph, c.avant, c.apres]).lower()


@pytest.fixture(scope="module")
def comparison():
    return mesra.compare(str(AVANT), str(APRES), "occitanie")


# --- two fixture corpora with known differences -----------------------------------------------
def test_actors_and_ties_added_and_removed(comparison):
    c = comparison
    assert c.acteurs_ajoutes == (("ressourcerie-eta", "Ressourcerie Êta"),)
    assert c.acteurs_retires == (("atelier-durand", "Atelier Durand"), ("jardin-de-lucie", "Jardin de Lucie"))
    assert c.liens_ajoutes == (("ressourcerie-eta", "partenaire_de", "reseau-alpha", "constate"),)
    assert c.liens_retires == (
        ("atelier-durand", "partenaire_de", "cooperative-beta", "constate"),
        ("paul-durand", "represente", "atelier-durand", "constate"),
    )
    assert not c.rien


def test_a_tie_whose_attestation_changed_is_neither_added_nor_removed(comparison):
    c = comparison
    assert c.attestations_changees == (("association-zeta", "partenaire_de", "reseau-alpha", "prevu", "constate"),)
    assert not any(t[0] == "association-zeta" for t in (*c.liens_ajoutes, *c.liens_retires))
    row = c.to_frame().set_index("Changement").loc["Lien connu autrement"]
    assert (row["Élément"], row["Avant"], row["Après"], row["Sources"]) == (
        "l'Association Zêta est partenaire du Réseau Alpha",
        "Prévu",
        "Constaté",
        "doc-synthetique#L9",
    )
    assert "L'Association Zêta est partenaire du Réseau Alpha : prévu → constaté." in c.sentences()


def test_brokers_that_rose_and_fell(comparison):
    c = comparison
    # before: a star around Bêta; after: most paths pass through Alpha, Bêta second
    assert c.intermediaires_en_hausse == (("reseau-alpha", "Réseau Alpha", None, 1),)
    assert c.intermediaires_en_baisse == (("cooperative-beta", "Coopérative Bêta", 1, 2),)
    frame = c.to_frame()
    rose = frame[frame["Changement"] == "Plus de chemins passent par lui"].iloc[0]
    assert (rose["Élément"], rose["Avant"], rose["Après"]) == ("Réseau Alpha", "hors des 10 premiers", "1er")
    assert (
        "C'est désormais par le Réseau Alpha que passent le plus de chemins (auparavant par la Coopérative Bêta)."
        in c.sentences()
    )
    # reader-facing text names no measure
    text = " ".join([frame.to_csv(), *c.sentences()]).lower()
    assert not any(w in text for w in ("intermédiarité", "centralité", "contrainte", "betweenness"))


def test_the_table_is_in_french_and_sourced(comparison):
    frame = comparison.to_frame()
    assert list(frame.columns) == ["Changement", "Élément", "Avant", "Après", "Sources"]
    assert list(frame["Changement"]) == [
        "Acteur ajouté",
        "Acteur retiré",
        "Acteur retiré",
        "Lien ajouté",
        "Lien retiré",
        "Lien retiré",
        "Lien connu autrement",
        "Plus de chemins passent par lui",
        "Moins de chemins passent par lui",
    ]
    ties = frame[frame["Changement"].str.startswith("Lien")]
    assert ties["Sources"].str.match(r"^doc-synthetique#L\d+$").all()
    assert comparison.sentences()[0] == (
        "Du corpus « avant » au corpus « apres » : 1 acteur ajouté, 2 acteurs retirés, 1 lien ajouté, "
        "2 liens retirés et 1 lien connu autrement."
    )


def test_the_merged_graph_carries_etat_for_the_view(comparison):
    g = comparison.graphe
    etat = nx.get_node_attributes(g, "etat")
    assert etat["ressourcerie-eta"] == ADDED
    assert etat["atelier-durand"] == REMOVED and etat["jardin-de-lucie"] == REMOVED
    assert etat["reseau-alpha"] is None and etat["cooperative-beta"] is None
    assert g.edges["reseau-alpha", "ressourcerie-eta"]["etat"] == ADDED
    assert g.edges["atelier-durand", "cooperative-beta"]["etat"] == REMOVED
    assert g.edges["cooperative-beta", "reseau-alpha"]["etat"] is None
    # observed reading: the tie planned before and observed now is a new observed cooperation
    assert g.edges["association-zeta", "reseau-alpha"]["etat"] == ADDED
    assert {d["etat"] for _, _, d in g.edges(data=True)} <= {ADDED, REMOVED, None}
    assert g.nodes["atelier-durand"]["nom"] == "Atelier Durand"  # attributes of the state that has it


def test_planned_reading_keeps_the_edge_and_says_how_it_was_known():
    c = mesra.compare(str(AVANT), str(APRES), "occitanie", attestations=["constate", "prevu"])
    edge = c.graphe.edges["association-zeta", "reseau-alpha"]
    assert edge["etat"] is None and edge["attestation"] == "constate" and edge["attestation_avant"] == "prevu"


def test_a_state_compared_with_itself_changes_nothing():
    corpus = mesra.load_corpus(APRES)
    c = mesra.compare(corpus, corpus, "occitanie")
    assert c.rien and c.to_frame().empty
    assert c.sentences() == [f"Du corpus « {c.avant} » au corpus « {c.apres} » : rien n'a changé dans ce réseau."]
    assert {d["etat"] for _, d in c.graphe.nodes(data=True)} == {None}


def test_the_whole_corpus_and_a_territory_the_earlier_state_lacks(tmp_path):
    whole = mesra.compare(str(AVANT), str(APRES))
    assert ("ressourcerie-eta", "Ressourcerie Êta") in whole.acteurs_ajoutes
    with pytest.raises(ParameterError):
        mesra.compare(str(AVANT), str(APRES), "bretagne-imaginaire")


# --- the same logic on facts snapshots: « depuis la note précédente » ----------------------------
def test_since_uses_the_same_comparison_on_snapshots():
    a, b = mesra.load_corpus(AVANT), mesra.load_corpus(APRES)
    # two notes of one corpus at two dates: the same origin (here two folders stand for two dates)
    before, now = since.note_facts(a, "occitanie", origine="o"), since.note_facts(b, "occitanie", origine="o")
    s = since.compare_facts(before, now)
    c = mesra.compare(a, b, "occitanie")
    assert s.acteurs_nouveaux == c.acteurs_ajoutes and s.acteurs_retires == c.acteurs_retires
    assert s.liens_nouveaux == tuple(t[:3] for t in c.liens_ajoutes)
    assert s.liens_retires == tuple(t[:3] for t in c.liens_retires)
    assert s.attestations_changees == c.attestations_changees
    assert network_facts(b, "occitanie")["liens"] == now["liens"]
    assert (
        "Lien connu autrement : l'Association Zêta est partenaire du Réseau Alpha (prévu → constaté)."
        in since.since_sentences(s)
    )


def test_an_attestation_change_alone_is_a_change_since_the_previous_note():
    before = {"acteurs": {}, "liens": [["a", "porte", "b", "prevu"]], "noms": {"a": ["A", None], "b": ["B", None]}}
    now = {"acteurs": {}, "liens": [["a", "porte", "b", "constate"]], "noms": before["noms"]}
    s = since.compare_facts(before, now)
    assert not s.rien and s.liens_nouveaux == () and s.liens_retires == ()
    assert s.attestations_changees == (("a", "porte", "b", "prevu", "constate"),)
    assert since.compare_facts(before, before).rien


def test_a_finding_reworded_is_neither_new_nor_withdrawn():
    # twenty-seventh reading: France's « Depuis la note précédente » gave one fact, reworded, as a finding new and
    # withdrawn; findings are compared by what they state (their key), and shown by their sentence
    corpus = mesra.load_corpus(AVANT)
    before = since.note_facts(corpus, None, findings=[("k1", "Le MES relie (12 partenaires)."), ("k2", "Autre.")])
    reworded = since.note_facts(
        corpus, None, findings=[("k1", "Le MES relie (12 partenaires directs dans ce réseau)."), ("k2", "Autre.")]
    )
    assert reworded["constats_cles"] == ["k1", "k2"]
    assert since.compare_facts(before, reworded).rien
    changed = since.compare_facts(before, since.note_facts(corpus, None, findings=[("k3", "Nouveau."), ("k2", "X")]))
    assert changed.constats_nouveaux == ("Nouveau.",)
    assert changed.constats_retires == ("Le MES relie (12 partenaires).",)
    # a previous note that kept only its sentences is compared by them
    old = since.note_facts(corpus, None, findings=["Le MES relie (12 partenaires).", "Autre."])
    assert "constats_cles" not in old
    s = since.compare_facts(old, reworded)
    assert s.constats_nouveaux == ("Le MES relie (12 partenaires directs dans ce réseau).",)


def test_the_brief_keeps_its_findings_keyed_by_what_they_state():
    from mesra.analysis.brief import Brief, findings

    b = Brief(mesra.load_corpus(AVANT), "occitanie")
    bullets = b.key_findings().bullets
    pairs = findings.keyed(b, bullets)
    assert pairs and all(isinstance(p, tuple) for p in pairs)
    assert [text for _, text in pairs] == bullets
    assert len({key for key, _ in pairs}) == len(pairs)


def test_diff_ties_reads_old_snapshots_and_keeps_the_stronger_attestation():
    # a snapshot without attestation reads « constate »; a tie given twice is as strongly known as its best row
    assert diff_ties([["a", "porte", "b"]], [["a", "porte", "b", "constate"]]) == ((), (), ())
    added, removed, changed = diff_ties([], [["a", "porte", "b", "prevu"], ["a", "porte", "b", "constate"]])
    assert added == (("a", "porte", "b", "constate"),) and removed == changed == ()


# --- a workbook state ------------------------------------------------------------------------------
def test_a_workbook_state(tmp_path):
    from mesra.corpus.spreadsheet import copy_companions, export_xlsx

    (tmp_path / "tableur").mkdir()
    copy_companions(AVANT, tmp_path / "tableur")  # the source texts beside the workbook
    book = export_xlsx(AVANT, tmp_path / "tableur" / "corpus.xlsx")
    c = mesra.compare(str(book), str(APRES), "occitanie")
    assert c.avant == "corpus.xlsx"
    assert c.acteurs_retires == (("atelier-durand", "Atelier Durand"), ("jardin-de-lucie", "Jardin de Lucie"))
    assert c.attestations_changees == (("association-zeta", "partenaire_de", "reseau-alpha", "prevu", "constate"),)


def test_a_missing_folder_or_workbook_is_a_french_error(tmp_path):
    with pytest.raises(ParameterError, match="introuvable"):
        mesra.compare(str(tmp_path / "absent.xlsx"), str(APRES))


# --- git revisions --------------------------------------------------------------------------------
GIT_ENV = {
    "GIT_AUTHOR_NAME": "mesra tests",
    "GIT_AUTHOR_EMAIL": "tests@example.invalid",
    "GIT_COMMITTER_NAME": "mesra tests",
    "GIT_COMMITTER_EMAIL": "tests@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def _git(*args, cwd):
    env = {**os.environ, **GIT_ENV, "GIT_CONFIG_GLOBAL": os.devnull}
    subprocess.run(["git", "-c", "commit.gpgsign=false", *args], cwd=cwd, check=True, capture_output=True, env=env)


@pytest.fixture
def repository(tmp_path):
    """A git repository built here: the earlier state committed, then the later one."""
    repo = tmp_path / "depot"
    shutil.copytree(AVANT, repo / "data")
    _git("init", "-q", cwd=repo)
    _git("add", "-A", cwd=repo)
    _git("commit", "-q", "-m", "avant", cwd=repo)
    shutil.rmtree(repo / "data")
    shutil.copytree(APRES, repo / "data")
    _git("add", "-A", cwd=repo)
    _git("commit", "-q", "-m", "apres", cwd=repo)
    return repo


def _extracted() -> set:
    return set(Path(tempfile.gettempdir()).glob("mesra-etat-*"))


def test_two_revisions_of_a_git_repository(repository):
    left = _extracted()
    current = mesra.load_corpus(repository / "data")
    c = mesra.compare("HEAD~1:data", current, "occitanie")
    assert c.avant == "HEAD~1:data"
    assert c.acteurs_ajoutes == (("ressourcerie-eta", "Ressourcerie Êta"),)
    assert c.attestations_changees == (("association-zeta", "partenaire_de", "reseau-alpha", "prevu", "constate"),)
    # the revision alone: the current corpus's own folder at that revision
    alone = mesra.compare("HEAD~1", current, "occitanie")
    assert alone.avant == "HEAD~1" and dataclasses.replace(alone, avant=c.avant) == c
    # both states as revisions, the repository named
    both = mesra.compare("HEAD~1:data", "HEAD:data", "occitanie", depot=repository)
    assert both.apres == "HEAD:data" and dataclasses.replace(both, apres=c.apres) == c
    assert _extracted() <= left  # the extracted revisions are removed once read


def test_a_workbook_in_a_git_revision_comes_with_its_folder(tmp_path):
    from mesra.corpus.spreadsheet import copy_companions, export_xlsx

    repo = tmp_path / "depot"
    (repo / "tableur").mkdir(parents=True)
    copy_companions(AVANT, repo / "tableur")
    export_xlsx(AVANT, repo / "tableur" / "corpus.xlsx")
    _git("init", "-q", cwd=repo)
    _git("add", "-A", cwd=repo)
    _git("commit", "-q", "-m", "classeur", cwd=repo)
    c = mesra.compare("HEAD:tableur/corpus.xlsx", str(APRES), "occitanie", depot=repo)
    assert c.acteurs_ajoutes == (("ressourcerie-eta", "Ressourcerie Êta"),)


def test_git_errors_are_french_and_name_a_shallow_clone(repository, tmp_path, monkeypatch):
    current = mesra.load_corpus(repository / "data")
    with pytest.raises(ParameterError, match=r"Révision git « HEAD~5 » introuvable.*git log"):
        mesra.compare("HEAD~5:data", current)
    with pytest.raises(ParameterError, match=r"« dossier-absent » n'est pas non plus un dossier ni un classeur"):
        mesra.compare("dossier-absent", current)
    with pytest.raises(ParameterError, match=r"Le chemin « corpus » n'existe pas dans la révision git « HEAD~1 »"):
        mesra.compare("HEAD~1:corpus", current)
    shallow = tmp_path / "superficiel"
    _git("clone", "-q", "--depth", "1", f"file://{repository}", str(shallow), cwd=tmp_path)
    with pytest.raises(ParameterError, match=r"clone superficiel.*git fetch --unshallow"):
        mesra.compare("HEAD~1:data", mesra.load_corpus(shallow / "data"))
    outside = tmp_path / "hors-depot"
    shutil.copytree(APRES, outside)
    with pytest.raises(ParameterError, match="n'est pas dans un dépôt git"):
        mesra.compare("HEAD~1", mesra.load_corpus(outside))
    monkeypatch.setattr(states.shutil, "which", lambda _name: None)
    with pytest.raises(ParameterError, match="git est introuvable"):
        mesra.compare("HEAD~1:data", current)


# --- the other state is pseudonymised as the run is ---------------------------------------------------
def test_pseudonymised_comparison_shows_no_name_of_either_state():
    plain = _everything(mesra.compare(str(AVANT), str(APRES), "occitanie"))
    assert "durand" in plain and "lucie" in plain  # the check below can fail
    c = mesra.compare(str(AVANT), str(APRES), "occitanie", pseudonymiser=True)
    text = _everything(c)
    assert not [n for n in NAMES if n in text], text
    # « Jardin de Lucie » exists only before; Lucie Bernard is declared only after: masked all the same
    assert len(c.acteurs_retires) == 2 and all(
        n.startswith(("Atelier Personne", "Jardin de Personne")) for _, n in c.acteurs_retires
    )
    assert (c.avant, c.apres) == ("état antérieur", "état actuel")


def test_run_level_pseudonymisation_reaches_the_other_state(repository, monkeypatch):
    monkeypatch.setenv(RUN_ENV, "1")
    current = mesra.load_corpus(repository / "data")  # pseudonymised by the run
    assert current.pseudonymised
    for other in ("HEAD~1:data", str(AVANT)):
        c = mesra.compare(other, current, "occitanie")
        text = _everything(c)
        assert not [n for n in NAMES if n in text], (other, text)
        assert c.acteurs_ajoutes == (("ressourcerie-eta", "Ressourcerie Êta"),)
    state = mesra.load_state(str(AVANT))
    assert state.pseudonymised and "paul-durand" not in set(state.personnes["personne_id"])


def test_a_pseudonymised_state_is_compared_with_a_pseudonymised_one():
    # one state pseudonymised, the other not: both are, or the earlier state's names would show
    b = mesra.load_corpus(APRES, pseudonymiser=True)
    c = mesra.compare(str(AVANT), b, "occitanie")
    assert not [n for n in NAMES if n in _everything(c)]
    assert c.liens_retires[1][0].startswith("personne-")


# --- notebook 03 ---------------------------------------------------------------------------------------
@pytest.mark.browser
def test_notebook_03_shows_the_comparison_when_asked(tmp_path):
    """The table of changes, and on the readers' page the merged graph in the interactive view, its
    added and removed organisations and ties coloured and said in its legend (headless Chromium)."""
    papermill = pytest.importorskip("papermill")
    from helpers import ROOT

    out = tmp_path / "03.ipynb"
    papermill.execute_notebook(
        str(ROOT / "notebooks" / "03-reseau-territorial.ipynb"),
        str(out),
        parameters={"data": str(APRES), "comparer_a": str(AVANT), "dossier_exports": str(tmp_path / "exports")},
        kernel_name="python3",
        progress_bar=False,
        cwd=str(tmp_path),
    )
    nb = json.loads(out.read_text("utf-8"))
    cell = next(c for c in nb["cells"] if "mesra.compare(" in "".join(c["source"]))
    shown = json.dumps(cell["outputs"], ensure_ascii=False)
    assert "Lien connu autrement" in shown and "Ressourcerie Êta" in shown
    assert "passent le plus de chemins" in shown
    assert "Vue interactive du réseau" in shown  # the marker the page renderer replaces by the view

    import nbformat
    from interactive_browser import evaluate, load, open_browser, problems

    from mesra.batch.render import render_notebook

    page = tmp_path / "03-reseau.html"
    executed = nbformat.reads(out.read_text("utf-8"), as_version=4)
    page.write_text(render_notebook(executed, code=False, base_dir=tmp_path), encoding="utf-8")
    browser = open_browser(tmp_path / "profil-chromium")
    try:
        load(browser, page)
        legends = evaluate(
            browser,
            """[...document.querySelectorAll('.mesra-vue-legende')].map(l => Object.fromEntries(
                 [...l.querySelectorAll('.mesra-vue-cle')].map(k => [k.textContent,
                   getComputedStyle(k.querySelector('.mesra-vue-pastille')).backgroundColor])))""",
        )
        coloured = evaluate(
            browser,
            """mesraViews.map(v => { const c = {};
                 v.graph.forEachNode((n, a) => { c[a.color] = (c[a.color] || 0) + 1; });
                 v.graph.forEachEdge((e, a) => { c[a.color] = (c[a.color] || 0) + 1; });
                 return c; })""",
        )
        errors, requests = problems(browser)
    finally:
        browser.close()
    assert len(legends) == 2  # the network's view, then the comparison's
    assert "Ajouté" not in legends[0] and "Retiré" not in legends[0]
    assert legends[1]["Ajouté"] == "rgb(26, 150, 65)" and legends[1]["Retiré"] == "rgb(215, 25, 28)"
    assert legends[1]["Dans les deux états"] == "rgb(141, 148, 156)" and "Réseaux et fédérations" in legends[0]
    assert coloured[1].get("#1a9641") and coloured[1].get("#d7191c")  # added and removed, drawn in those colours
    assert not coloured[0].get("#1a9641") and not coloured[0].get("#d7191c")
    assert errors == [] and requests == [page.resolve().as_uri()]
