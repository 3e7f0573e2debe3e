"""Rebuild what a change touches (issue 24): each job's key hashes the slice of the corpus it reads."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import nbformat
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_batch import PARAMS, _notebook, write_corpus

import mesra
from mesra.batch import plan as batch_plan
from mesra.batch.inputs import CorpusInputs, reasons
from mesra.batch.run import run_briefs
from mesra.cli import main
from mesra.corpus.load import load_corpus


# --- the slice, without running anything ---------------------------------------------------
@pytest.fixture(scope="module")
def default_corpus():
    return load_corpus()


def _keys(corpus, territories) -> dict[str, str]:
    reads = CorpusInputs(corpus)
    return {t: json.dumps(reads.territory(t), sort_keys=True) for t in territories}


def test_a_row_a_territory_does_not_read_leaves_its_key_unchanged(default_corpus):
    corpus = copy.deepcopy(default_corpus)
    before = _keys(corpus, ["occitanie", "bourgogne-franche-comte", "fr"])
    # a tie of Bourgogne-Franche-Comté only: Occitanie does not read it, BFC and France do
    t = corpus.liens
    where = dict(zip(corpus.acteurs["acteur_id"], corpus.acteurs["territoire_id"]))
    bfc = set(corpus.territory_ids("bourgogne-franche-comte"))
    occ = set(corpus.actors_in("occitanie")["acteur_id"]) | set(
        corpus.personnes.loc[
            corpus.personnes["acteur_id"].isin(corpus.actors_in("occitanie")["acteur_id"]), "personne_id"
        ]
    )
    rows = [
        i
        for i, (s, c) in enumerate(zip(t["source_id"], t["cible_id"]))
        if where.get(s) in bfc and where.get(c) in bfc and not {s, c} & occ
    ]
    assert rows, "the default corpus has ties inside Bourgogne-Franche-Comté"
    corpus.liens.loc[rows[0], "objet"] = "objet modifié pour l'essai"
    after = _keys(corpus, ["occitanie", "bourgogne-franche-comte", "fr"])
    assert after["occitanie"] == before["occitanie"]
    assert after["bourgogne-franche-comte"] != before["bourgogne-franche-comte"]
    assert after["fr"] != before["fr"]
    assert reasons({"donnees": json.loads(before["fr"])}, {"donnees": json.loads(after["fr"])}) == ["liens modifiés"]


def test_the_slice_does_not_depend_on_row_order(default_corpus):
    corpus = copy.deepcopy(default_corpus)
    before = _keys(corpus, ["occitanie"])
    for name in ("acteurs", "liens", "personnes"):
        setattr(corpus, name, getattr(corpus, name).iloc[::-1].reset_index(drop=True))
    assert _keys(corpus, ["occitanie"]) == before


def test_the_slice_is_the_same_from_csv_and_from_a_workbook(tmp_path):
    import shutil

    from mesra.corpus.spreadsheet import export_xlsx

    folder = write_corpus(tmp_path / "csv")
    shutil.copytree(folder / "sources", tmp_path / "classeur" / "sources")
    book = export_xlsx(folder, tmp_path / "classeur" / "corpus.xlsx")
    a, b = load_corpus(folder), load_corpus(book)
    assert _keys(a, ["occitanie", "cote-d-or"]) == _keys(b, ["occitanie", "cote-d-or"])


# --- property: whenever an edit changes a brief's facts, its key changes --------------------
def _facts(corpus, territoire: str) -> str:
    """Every section dataclass of the brief, and the facts « Depuis la note précédente » compares."""
    from mesra.analysis.brief import (
        actors,
        advocacy,
        axes,
        fiche,
        findings,
        header,
        monographs,
        network,
        nextsteps,
        people,
        practices,
    )
    from mesra.analysis.since import note_facts

    b = mesra.Brief(corpus, territoire)
    found = [
        header.facts(b),
        actors.facts(b),
        people.facts(b),
        network.facts(b),
        advocacy.facts(b, b.advocacy_ties),
        monographs.facts(b),
        practices.facts(b, b.practices),
        axes.facts(b),
        fiche.facts(b),
        findings.facts(b),
        nextsteps.facts(b, b.connection_suggestions),
        b.plan_facts,
    ]
    cited = [loc for s in [b.key_findings(), *b.sections()] for loc in s.sources]
    found.append(b.sources_section().paragraphs + [str(x) for x in cited])
    found.append(note_facts(corpus, territoire, date_reference=b.reference, findings=b.key_findings().bullets))
    return repr(found)


EDITABLE = {
    "liens": ["relation", "attestation", "objet", "cible_id", "source", "axe"],
    "acteurs": ["nom", "type", "territoire_id", "membre_mes", "echelon"],
    "personnes": ["fonction", "acteur_id"],
    "monographies": ["territoire", "porteur"],
    "actions": ["statut", "porteurs", "fin"],
    "suivi": ["statut", "date"],
}
TERRITORIES = ["occitanie", "herault", "bourgogne-franche-comte", "cote-d-or", "fr", "hauts-de-france"]
_BEFORE: dict[str, str] = {}


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    table=st.sampled_from(sorted(EDITABLE)),
    pick=st.integers(min_value=0, max_value=10_000),
    other=st.integers(min_value=0, max_value=10_000),
    column=st.integers(min_value=0, max_value=10),
    territoire=st.sampled_from(TERRITORIES),
)
def test_an_edit_that_changes_a_brief_changes_its_key(default_corpus, table, pick, other, column, territoire):
    frame = getattr(default_corpus, table)
    if not len(frame):
        return
    col = EDITABLE[table][column % len(EDITABLE[table])]
    if col not in frame.columns:
        return
    edited = copy.deepcopy(default_corpus)
    target = getattr(edited, table)
    row, source = pick % len(frame), other % len(frame)
    target.at[target.index[row], col] = copy.deepcopy(frame[col].iloc[source])  # a value the column holds
    if territoire not in _BEFORE:
        _BEFORE[territoire] = _facts(default_corpus, territoire)
    key_before = _keys(default_corpus, [territoire])[territoire]
    key_after = _keys(edited, [territoire])[territoire]
    try:
        facts_after = _facts(edited, territoire)
    except Exception:  # noqa: BLE001 - an edit the contract would refuse (the batch validates first)
        return
    if facts_after != _BEFORE[territoire]:
        assert key_after != key_before, f"{table}.{col} ligne {row} : faits changés, clé inchangée ({territoire})"


# --- a rebuild after each kind of edit redoes exactly the expected jobs ---------------------
def write_small_corpus(folder: Path) -> Path:
    """The mini fixture corpus, with an association in a second commune (Uzès) tied to the Mairie d'Alès."""
    import shutil

    shutil.copytree(MINI, folder)
    with open(folder / "territoires.csv", "a", encoding="utf-8") as fh:
        fh.write("uzes,Uzès,commune,30334,gard,doc-test#L5\n")
    with open(folder / "acteurs.csv", "a", encoding="utf-8") as fh:
        fh.write("asso-uzes,Association d'Uzès,,association,uzes,local,false,doc-test#L5\n")
    with open(folder / "liens.csv", "a", encoding="utf-8") as fh:
        fh.write("asso-uzes,mairie-ales,partenaire_de,,local,,doc-test#L5\n")
    return folder


def _territory_notebooks(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    load = "import mesra\ncorpus = mesra.load_corpus(data or None, pseudonymiser=pseudonymiser)"
    nbformat.write(_notebook("Vue d'ensemble", PARAMS, [load, "len(corpus.liens)"]), folder / "01-vue.ipynb")
    nb = _notebook(
        "Note",
        PARAMS + '\nterritoire: str = "occitanie"  # territoire',
        [load, "b = mesra.Brief(corpus, territoire)\nb.header()"],
    )
    nb.metadata["mesra"] = {"entrees": "territoire"}
    nbformat.write(nb, folder / "04-note.ipynb")
    return folder


MINI = Path(__file__).parent / "fixtures" / "mini"
TERR = ["ales", "fr", "gard", "occitanie", "uzes"]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_each_kind_of_edit_redoes_exactly_the_expected_jobs(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(batch_plan, "code_digest", lambda: "code-fige")
    corpus, notebooks, out = write_small_corpus(tmp_path / "c"), _territory_notebooks(tmp_path / "nb"), tmp_path / "o"

    def go(**kw):
        return run_briefs(corpus, out, notebooks_dir=notebooks, territoires=TERR, workers=1, progress=False, **kw)

    first = go()
    assert first.ok and len(first.done) == 1 + len(TERR)
    assert all(w == ["pas encore produit"] for w in first.why.values())
    assert go().done == []

    def redo(expected: set[str], reason: str) -> None:
        planned = go(plan=True)
        assert set(planned.why) == expected, planned.plan_text()
        assert all(reason in why for ident, why in planned.why.items() if ident != "corpus/01-vue")
        assert "rien n’a été exécuté" in planned.summary()
        code = main(
            [
                "briefs",
                "--data",
                str(corpus),
                "--out",
                str(out),
                "--carnets",
                str(notebooks),
                "--plan",
                *[a for t in TERR for a in ("--territoire", t)],
            ]
        )
        shown = capsys.readouterr().out
        assert code == 0 and all(ident in shown for ident in expected) and reason in shown
        done = go()
        assert {r.job.ident for r in done.done} == expected
        assert reason in done.summary().splitlines()[1]

    note = "territoires/{}/04-note".format
    # one tie between two communes' actors (Uzès, Alès): the communes, their ancestors, the overview
    _edit(corpus / "liens.csv", "asso-uzes,mairie-ales,partenaire_de", "asso-uzes,mairie-ales,accompagne")
    everywhere = {"corpus/01-vue", note("ales"), note("gard"), note("occitanie"), note("fr")}
    redo(everywhere | {note("uzes")}, "liens modifiés")
    # one monograph field (projet-delta, in Alès): Alès and its ancestors, the overview
    _edit(corpus / "monographies" / "projet-delta.md", "origine: inconnue", "origine: mixte")
    redo(everywhere, "monographie projet-delta")
    # one action's status (a partner in Alès): Alès and its ancestors, the overview; not Uzès
    _edit(corpus / "actions.csv", ",2021,,,prevu,", ",2021,,,en_cours,")
    redo(everywhere, "plan d’action ou suivi modifié")


def test_co_evaluations_and_hand_resources_are_inputs(tmp_path):
    """A changed answer redoes a campaign's page; a brief reads the campaigns alone (issue 26, issue 25)."""
    import shutil

    folder = tmp_path / "corpus"
    shutil.copytree(Path(__file__).parent / "fixtures" / "coevaluation", folder)
    before = CorpusInputs(mesra.load_corpus(folder))
    answers = folder / "evaluation" / "reponses.csv"
    lines = answers.read_text("utf-8").splitlines()
    header, first = lines[0].split(","), lines[1].split(",")
    first[header.index("commentaire")] = "Un commentaire changé"
    answers.write_text("\n".join([lines[0], ",".join(first), *lines[2:]]) + "\n", "utf-8")
    after = CorpusInputs(mesra.load_corpus(folder))
    assert before.whole()["evaluation"] and before.whole()["evaluation"] != after.whole()["evaluation"]
    some = next(iter(mesra.load_corpus(folder).territoires["territoire_id"]))
    assert before.territory(some)["evaluation"] == after.territory(some)["evaluation"]  # campaigns unchanged
    assert before.whole()["ressources"] == ""
    (folder / "ressources.csv").write_text(
        "ressource_id,type,titre,resume,territoires,themes,axes,acteurs,date,source,auteur,licence,statut\n"
        "outil-x,outil,Un outil (exemple synthétique),Résumé,,,,,,,,,\n",
        "utf-8",
    )
    assert CorpusInputs(mesra.load_corpus(folder)).whole()["ressources"]


# --- a territory's page reads nothing of the whole corpus -----------------------------------
def test_describe_corpus_of_a_territory_counts_its_own_rows(default_corpus):
    from mesra.analysis.counts import monographs_of, territory_ties
    from mesra.french import plural

    c = default_corpus
    text = " ".join(mesra.describe_corpus(c, territoire="occitanie").paragraphs)
    actors = c.actors_in("occitanie")
    assert text.startswith(f"Occitanie et ses sous-territoires : {plural(len(actors), 'acteur')}")
    assert plural(len(territory_ties(c, "occitanie")), "lien") in text
    assert plural(len(monographs_of(c, "occitanie")), "monographie") in text
    assert f"{len(c.acteurs)} acteurs" not in text  # not the whole corpus's total
    assert "Sources citées : " in text and "CoConstruire" in text  # the seminar's proceedings, cited by its rows


def test_which_notebooks_describe_the_whole_corpus():
    from mesra.batch.plan import describes_whole_corpus, reads_slice

    assert describes_whole_corpus("%matplotlib inline\nimport mesra\nmesra.describe_corpus(corpus)")
    assert describes_whole_corpus("mesra.describe_corpus(corpus, territoire=None)")
    assert describes_whole_corpus("d = mesra.describe_corpus\nd(corpus)")  # handed around: taken as whole
    assert describes_whole_corpus("mesra.describe_corpus(corpus") is True  # unreadable: taken as whole
    assert not describes_whole_corpus("mesra.describe_corpus(corpus, territoire=territoire)")
    assert not describes_whole_corpus("mesra.describe_corpus(corpus, 'occitanie')")
    assert not describes_whole_corpus("import mesra")
    nbs = Path(__file__).parents[1] / "notebooks"
    assert reads_slice(nbs / "03-reseau-territorial.ipynb") == (True, False)
    assert reads_slice(nbs / "04-note-recherche-action.ipynb") == (True, False)
    assert reads_slice(nbs / "01-corpus.ipynb")[1]  # the overview keeps the corpus's totals


# --- the fixed cost of a run: what nothing changed leaves untouched ----------------------------
def test_a_run_that_changes_nothing_leaves_the_index_its_map_and_the_resource_centre(tmp_path, monkeypatch):
    from mesra.batch import index as batch_index

    monkeypatch.setattr(batch_plan, "code_digest", lambda: "code-fige")
    corpus, notebooks, out = write_small_corpus(tmp_path / "c"), _territory_notebooks(tmp_path / "nb"), tmp_path / "o"
    drawn: list[int] = []
    draw = batch_index.national_map
    monkeypatch.setattr(batch_index, "national_map", lambda c: drawn.append(1) or draw(c))

    def go():
        r = run_briefs(corpus, out, notebooks_dir=notebooks, territoires=TERR, workers=1, progress=False)
        assert r.ok
        return r

    def stamps() -> dict[str, int]:
        files = [out / "index.html", *sorted((out / "ressources").iterdir())]
        return {p.relative_to(out).as_posix(): p.stat().st_mtime_ns for p in files}

    go()
    assert drawn == [1]
    first, page = stamps(), (out / "index.html").read_bytes()
    assert go().done == []
    assert stamps() == first and (out / "index.html").read_bytes() == page and drawn == [1]  # untouched, not drawn

    # a page edited by hand is rewritten (the index is compared with what mesra wrote, not trusted)
    (out / "index.html").write_text("modifié à la main", encoding="utf-8")
    go()
    assert (out / "index.html").read_bytes() != b"modifi\xc3\xa9 \xc3\xa0 la main" and drawn == [1]
    assert b"<img" in (out / "index.html").read_bytes()  # with its map, kept from the last run

    # a tie changes what the index shows (the corpus's fingerprint, the pages' dates) and what the
    # resource centre is made from: both are written again; the map (actors' places) is not redrawn
    before = stamps()
    _edit(corpus / "liens.csv", "asso-uzes,mairie-ales,partenaire_de", "asso-uzes,mairie-ales,accompagne")
    go()
    after = stamps()
    assert after["index.html"] != before["index.html"]
    assert after["ressources/index.html"] != before["ressources/index.html"]
    assert drawn == [1]
    # an actor moved to another département: the map is drawn again
    uzes = "asso-uzes,Association d'Uzès,,association,"
    _edit(corpus / "acteurs.csv", uzes + "uzes", uzes + "gard")
    go()
    assert drawn == [1, 1]
