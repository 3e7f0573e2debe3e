"""Rebuild what a change touches (issue 24): each job's key hashes the slice of the corpus it reads."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import nbformat
import pandas as pd
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


def _graph_data(g) -> list:
    """What a figure and the interactive view draw from a graph: its nodes and edges with their data."""
    nodes = sorted((str(n), repr(sorted(d.items()))) for n, d in g.nodes(data=True))
    edges = sorted((*sorted((str(u), str(v))), repr(sorted(d.items()))) for u, v, d in g.edges(data=True))
    return [nodes, edges, repr(sorted(g.graph.items()))]


def _table(frame) -> str:
    return frame.to_csv() if frame is not None else ""


def _page_facts(corpus, territoire: str) -> str:
    """What the territory's two pages show: the brief's facts (:func:`_facts`), its figures and
    interactive view, and everything ``03-reseau-territorial`` shows or exports."""
    import warnings

    from mesra.analysis.maps import departement_counts, off_map
    from mesra.network.interactive import view_data

    b = mesra.Brief(corpus, territoire)
    found = [_facts(corpus, territoire), _graph_data(b.graph), _table(b.plan_actions()), _table(b.measures_table())]
    found += [repr(b.annex().paragraphs), [_table(t.frame) for t in b.annex().tables]]
    found += [_table(departement_counts(corpus, territoire)), off_map(corpus, territoire)]
    if b.graph.number_of_edges():
        found.append(repr(view_data(b.graph, corpus)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        g = mesra.cooperation_graph(corpus, territoire=territoire, attestations=["constate"])
        table = mesra.metrics(g)
        found += [
            mesra.describe_corpus(corpus, territoire=territoire).paragraphs,
            _graph_data(g),
            _graph_data(mesra.with_measures(g)),
            _table(table),
            _table(mesra.brokers(table)),
            _table(mesra.graph_summary(g)),
            _table(mesra.planned_cooperations(corpus, territoire=territoire)),
            _table(mesra.leads(corpus, territoire=territoire)),
        ]
        if g.number_of_edges():
            found.append(repr(view_data(g, corpus)))
    return repr(found)


def _overview_facts(corpus, profile: str) -> str:
    """What an overview notebook that declares ``profile`` shows (02-monographies, 05-plan-d-action)."""
    import warnings

    from mesra.analysis import crossanalysis, plan

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if profile == "monographies":
            tables = [
                f(corpus)
                for f in (
                    crossanalysis.origins,
                    crossanalysis.innovation_sources,
                    crossanalysis.participation,
                    crossanalysis.cooperation_tools,
                    crossanalysis.unmet_needs,
                    crossanalysis.axes_summary,
                    crossanalysis.axes_coverage,
                    crossanalysis.resources,
                )
            ]
            return repr([mesra.describe_corpus(corpus).paragraphs, *map(_table, tables)])
        actions = plan.actions_for(corpus)
        section = plan.follow_up_section(corpus)
        tables = [
            actions,
            plan.actions_by_status(corpus),
            plan.actions_by_carrier(corpus),
            plan.plan_table(corpus, plan.without_carrier(corpus)),
            plan.plan_table(corpus, plan.past_due(corpus)),
            plan.partners_to_mobilise(corpus),
            plan.plan_table(corpus, actions),
        ]
        return repr([section.paragraphs, [_table(t.frame) for t in section.tables], *map(_table, tables)])


#: Every table of the corpus, every column (``fichier``: where a row was read, not what it says).
TABLES = ["territoires", "acteurs", "personnes", "roles", "liens", "monographies", "actions", "suivi", "sources"]
TERRITORIES = ["occitanie", "herault", "bourgogne-franche-comte", "cote-d-or", "fr", "hauts-de-france"]
_BEFORE: dict[str, str] = {}


def _edited(corpus, table: str, column: str, rows, values):
    """A copy of ``corpus`` whose ``table.column`` holds ``values`` at ``rows`` (None: not an edit)."""
    edited = copy.deepcopy(corpus)
    target = getattr(edited, table)
    for row, value in zip(rows, values):
        target.at[target.index[row], column] = copy.deepcopy(value)
    return edited


_BASE_KEYS: dict[str, str] = {}


def _check_edit(base, edited, territories, what: str, reads=None) -> int:
    """Whenever the edit leaves a territory's key as it was, its pages show the same facts. Returns how
    many territories kept their key (their facts were compared). ``reads``: ``CorpusInputs(edited)``."""
    if any(t not in _BASE_KEYS for t in territories):
        _BASE_KEYS.update(_keys(base, territories))
    before = _BASE_KEYS
    reads = reads or CorpusInputs(edited)
    after = {t: json.dumps(reads.territory(t), sort_keys=True) for t in territories}
    compared = 0
    for t in territories:
        if after[t] != before[t]:
            continue  # redone: nothing to check
        if t not in _BEFORE:
            _BEFORE[t] = _page_facts(base, t)
        try:
            now = _page_facts(edited, t)
        except Exception:  # noqa: BLE001 - an edit the contract would refuse (the batch validates first)
            continue
        compared += 1
        assert now == _BEFORE[t], f"{what} : faits changés, clé inchangée ({t})"
    return compared


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    table=st.sampled_from(TABLES),
    pick=st.integers(min_value=0, max_value=10_000),
    other=st.integers(min_value=0, max_value=10_000),
    column=st.integers(min_value=0, max_value=100),
    territoire=st.sampled_from(TERRITORIES),
)
def test_an_edit_that_changes_a_brief_changes_its_key(default_corpus, table, pick, other, column, territoire):
    frame = getattr(default_corpus, table)
    columns = [c for c in frame.columns if c != "fichier"]
    if not len(frame) or not columns:
        return
    col = columns[column % len(columns)]
    row, source = pick % len(frame), other % len(frame)
    edited = _edited(default_corpus, table, col, [row], [frame[col].iloc[source]])  # a value the column holds
    _check_edit(default_corpus, edited, [territoire], f"{table}.{col} ligne {row}")


def _rotated(frame, column: str) -> list:
    """The column's values shifted by one row (every row takes another's value), or made-up values when
    that changes nothing (a column empty or constant): an edit of every row at once."""
    values = list(frame[column])
    shifted = values[1:] + values[:1]
    if [repr(v) for v in shifted] != [repr(v) for v in values]:
        return shifted
    numeric = pd.api.types.is_numeric_dtype(frame[column].dtype)
    return [2020 + i % 3 if numeric else f"valeur d'essai {i % 3}" for i in range(len(values))]


def test_every_column_left_out_of_a_key_changes_no_page(default_corpus):
    """Each column of each table edited in every row: a territory whose key stays the same shows the same
    facts (brief, figures, interactive view, 03), and so does an overview notebook that declares a profile."""
    from mesra.batch.inputs import PROFILES, UNREAD_BY_TERRITORIES

    # the country reads every tie and every action: its key stays only for a column no territory page reads,
    # which is then checked on a département and a commune too (random rows, other territories: the test above)
    unread_places = ["fr", "bouches-du-rhone", "marseille"]
    compared: dict[str, int] = {}
    reads = CorpusInputs(default_corpus)
    overview_before = {p: (reads.whole(p == "monographies", p), _overview_facts(default_corpus, p)) for p in PROFILES}
    for table in TABLES:
        frame = getattr(default_corpus, table)
        if not len(frame):
            continue
        for col in [c for c in frame.columns if c != "fichier"]:
            edited = _edited(default_corpus, table, col, range(len(frame)), _rotated(frame, col))
            edited_reads = CorpusInputs(edited)
            places = unread_places if col in UNREAD_BY_TERRITORIES.get(table, ()) else ["fr"]
            compared[f"{table}.{col}"] = _check_edit(default_corpus, edited, places, f"{table}.{col}", edited_reads)
            for profile, (key, facts) in overview_before.items():
                if edited_reads.whole(profile == "monographies", profile) != key:
                    continue
                try:
                    now = _overview_facts(edited, profile)
                except Exception:  # noqa: BLE001 - an edit the contract would refuse
                    continue
                compared[f"{profile}: {table}.{col}"] = 1
                assert now == facts, f"{table}.{col} : profil {profile}"
    for table, columns in UNREAD_BY_TERRITORIES.items():  # the columns left out were edited and compared
        assert all(compared[f"{table}.{c}"] == len(unread_places) for c in columns), compared


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
    from mesra.analysis.counts import monographs_of, people_of, territory_ties, tie_count
    from mesra.french import plural

    c = default_corpus
    text = " ".join(mesra.describe_corpus(c, territoire="occitanie").paragraphs)
    actors = c.actors_in("occitanie")
    assert text.startswith(f"Occitanie et ses sous-territoires : {plural(len(actors), 'acteur')}")
    # the same counts as the note's header: people by their structure, ties by how they are known, initiatives
    assert plural(len(people_of(c, "occitanie")), "personne") in text
    known = tie_count(territory_ties(c, "occitanie"))
    assert f"{known.known} liens établis ou prévus" in text
    assert plural(len(monographs_of(c, "occitanie")), "initiative") in text and "monographie" not in text
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


def test_a_tie_between_the_carriers_of_an_action_is_in_the_key(default_corpus):
    """Found by the property test above: Occitanie's note says the APES and the MES, who carry one action with
    the MES Occitanie (L661), are already tied (L50, L160); moving the APES's membership of the MES to another
    network changed that sentence and not Occitanie's key."""
    _moving_a_tie_redoes(default_corpus, ("apes", "membre_de", "mes"), "ardes", "occitanie")


def test_the_practices_of_a_partner_in_the_graph_are_in_the_key(default_corpus):
    """The interactive view's card of each organisation of the graph lists its practices: the MES is Occitanie's
    partner in the Axe 4 chantier (L257, L858), so a tool the MES develops is on Occitanie's page. Giving the AVISE's
    guide (L602) to the MES changed that card and not Occitanie's key (a fresh-session Hypothesis example)."""
    _moving_a_tie_redoes(default_corpus, ("avise", "developpe", "guide-evaluation-impact-social"), "mes", "occitanie")


def _moving_a_tie_redoes(corpus, tie: tuple[str, str, str], new_source: str, territoire: str) -> None:
    """Giving the tie ``(source, relation, cible)`` to ``new_source`` changes ``territoire``'s key, and its pages."""
    t = corpus.liens
    (row,) = [i for i, x in enumerate(zip(t["source_id"], t["relation"], t["cible_id"])) if x == tie]
    edited = _edited(corpus, "liens", "source_id", [row], [new_source])
    before = json.dumps(CorpusInputs(corpus).territory(territoire), sort_keys=True)
    assert json.dumps(CorpusInputs(edited).territory(territoire), sort_keys=True) != before
    _check_edit(corpus, edited, [territoire], f"liens.source_id ({tie[0]} → {new_source})")
