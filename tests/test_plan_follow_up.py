"""The plans as a coordinator follows them (issue 21, item 4).

- Each chantier is « co-animé par la coordination nationale et des référents désignés »
  (actes L257): a region's note shows the plan of the chantier its référent co-animates,
  with the co-animation named, and tells an action that names nobody apart from one that
  falls to its chantier's co-animation.
- The reference date is the corpus's own (latest follow-up entry, else the plan's sources:
  December 2019), never today; with no follow-up recorded, no page calls an action overdue.
- « Depuis la note précédente » compares facts snapshots (two successive notes of a
  synthetic follow-up), never the previous page, and tells « première note » apart from
  « rien n'a changé ».
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil

import nbformat
import pytest
from helpers import ROOT

import mesra
from mesra import load_corpus
from mesra.analysis import plan, since
from mesra.analysis.brief import Brief
from mesra.corpus.pages import pages_of

TEXT = (ROOT / "data" / "sources" / "actes-coconstruire-2019.txt").read_text("utf-8").splitlines()


def line(n: int) -> str:
    return TEXT[n - 1]


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


@pytest.fixture
def data_dir(tmp_path):
    dest = tmp_path / "data"
    shutil.copytree(ROOT / "data", dest)
    return dest


def _suivi(folder, *rows: str) -> None:
    (folder / "suivi.csv").write_text("action_id,date,statut,note,source\n" + "".join(r + "\n" for r in rows), "utf-8")


# --- what each fiche must state about the plans, read from the proceedings ----------------------
#: Region → (axis, its chantier, its référent, the proceedings' lines naming the référent
#: (« PARTICIPANTS / Référent.e : … » and the credits L1073-1077), words of those lines, how the
#: note names the person).
REFERENTS = {
    "bourgogne-franche-comte": (
        1,
        "chantier-axe-1",
        "fabrice-penasse",
        (273, 1074),
        "PENASSE",
        "Fabrice PENASSE (PESAD 21)",
    ),
    "hauts-de-france": (
        2,
        "chantier-axe-2",
        "olivia-ruel-mailfert",
        (478, 1075),
        "RUEL-MAILFERT",
        "Olivia RUEL-MAILFERT (APES)",
    ),
    "normandie": (3, "chantier-axe-3", "jean-baptiste-cazin", (696, 1076), "CAZIN", "Jean-Baptiste CAZIN (ARDES)"),
    "occitanie": (
        4,
        "chantier-axe-4",
        "berenice-dondeyne",
        (858, 1077),
        "DONDEYNE",
        "Bérénice DONDEYNE (MES Occitanie)",
    ),
}


def test_the_proceedings_say_who_co_animates_each_chantier():
    assert "co-animé par la coordination nationale et des référents désignés" in line(257)
    assert "Référents, animateurs et rapporteurs des chantiers" in line(1073)
    for axe, _, _, (first, credit), surname, _ in REFERENTS.values():
        assert "Référent.e" in line(first) and surname.lower() in line(first).lower(), (axe, line(first))
        assert surname.lower() in line(credit).lower(), (axe, line(credit))


def test_each_axis_has_its_chantier_co_animated_by_the_movement_and_its_referent(corpus):
    works = plan.chantiers(corpus)
    assert sorted(works) == [1, 2, 3, 4]
    for axe, chantier, person, lines, _, _ in REFERENTS.values():
        c = works[axe]
        assert c.chantier_id == chantier and c.referents == (person,)
        assert c.coanimation == ("mes", person)  # the national coordination (L257) and the référent
        cited = {int(n) for loc in c.sources for n in re.findall(r"L(\d+)", loc)}
        # « co-animé par la coordination nationale et des référents désignés » (L257), the référent, the credits
        assert {257, lines[0], 1073} <= cited and 140 not in cited, c.sources


@pytest.mark.parametrize("territoire", sorted(REFERENTS))
def test_a_region_gets_the_plan_of_the_chantier_its_referent_co_animates(corpus, territoire):
    axe, chantier, person, lines, _, named = REFERENTS[territoire]
    facts = plan.territory_plan(corpus, territoire)
    assert [c.chantier_id for c in facts.chantiers] == [chantier]
    axis_actions = set(corpus.actions.loc[corpus.actions["axe"] == axe, "action_id"])
    mine = {a.action_id for a in facts.actions}
    assert axis_actions <= mine  # the whole plan of the axis, besides what the region's actors carry
    assert all("coanime" in a.concerne for a in facts.actions if a.action_id in axis_actions)
    # the fiche names the co-animation: the Movement (national coordination) and the référent, with the lines
    section = plan.plan_section(corpus, territoire)
    text = str(section)
    sentence = next(b for b in section.bullets if b.startswith(f"Le chantier de l'Axe {axe} est co-animé par"))
    assert "la coordination nationale du Mouvement pour l'Économie Solidaire et " in sentence
    assert named in sentence and ("référent" in sentence)
    # where the référent is named, as the printed proceedings number it (twenty-ninth reading: the page, not the line)
    page = pages_of(corpus.source_pages["actes-coconstruire-2019"], lines[0])
    assert re.search(rf"\(p\. ([\d-]+, )*{page.first}\b", sentence), sentence
    axis = corpus.actions[corpus.actions["axe"] == axe]
    needs = int((axis["statut"] == "besoin").sum())  # a need the workshop expressed is counted apart (L844, L1001)
    said = f"le plan du chantier compte {len(axis) - needs} actions" + (
        f" et {needs} besoin exprimé" if needs == 1 else f" et {needs} besoins exprimés" if needs else ""
    )
    assert said in sentence
    # an action of the axis that names no carrier falls to the co-animation, said so; it is not « sans porteur »
    unnamed = [a for a in facts.actions if a.chantier == chantier and not a.porteurs]
    assert unnamed and all(a.portage == "chantier" for a in unnamed)
    table = next(t.frame for t in section.tables if t.caption.startswith("Actions"))
    shown = table.set_index("Action").loc[[a.intitule for a in unnamed], "Porteurs"]
    assert all(v.startswith("co-animation du chantier (Mouvement pour l'Économie Solidaire, ") for v in shown)
    assert not any(t.caption.startswith("Sans porteur :") for t in section.tables)  # no action without chantier here
    assert "Toutes les actions ouvertes" not in text and "ont un porteur" not in text
    # the finding of the fiche: who co-animates which chantier
    finding = plan.plan_finding(corpus, facts)[0]
    assert finding.startswith(f"{named} co-anime le chantier de l'Axe {axe} (")
    assert "aucun suivi" not in finding  # the fiche's part on the actions says it once (twenty-fourth reading)
    # twenty-eighth reading: without a follow-up, the fiche's part on the chantier says it, « À retenir » does not
    brief = Brief(corpus, territoire)
    assert not any(f"co-anime le chantier de l'Axe {axe}" in b for b in brief.key_findings().bullets)
    assert any(p.title.startswith(f"Chantier de l'Axe {axe}") for p in brief.fiche().parts)


def test_france_names_every_chantier_and_the_one_action_without_carrier(corpus):
    facts = plan.territory_plan(corpus, "fr")
    assert [c.axe for c in facts.chantiers] == [1, 2, 3, 4] and len(facts.actions) == len(corpus.actions)
    section = plan.plan_section(corpus, "fr")
    text = str(section)
    assert "Chaque chantier est co-animé par la coordination nationale et des référents désignés (ligne 257)" in text
    for _, _, _, _, _, named in REFERENTS.values():
        assert named in text
    # the conclusion's two items (L1050 « il faut encadrer… », L1054) are needs: every action has a chantier
    assert [a.action_id for a in facts.sans_porteur] == []
    assert not any(t.caption.startswith("Sans porteur : ni porteur nommé") for t in section.tables)
    by_chantier = next(t.frame for t in section.tables if t.caption.startswith("Sans porteur nommé"))
    assert len(by_chantier) == len(facts.au_chantier) and all(
        p.startswith("co-animation") for p in by_chantier["Porteurs"]
    )
    finding = plan.plan_finding(corpus, facts)[0]
    # 49 rows, 7 of them needs (L221, L458, L844, L970, L1001, L1050, L1054): 42 actions, all of the chantiers
    assert finding.startswith("Les actions du plan relèvent des 4 chantiers, chacun co-animé par la coordination")
    # ninth reading: the référents are named just below in France's fiche, each with the chantier, not twice
    assert "chacun co-animé par la coordination nationale et un référent ;" in finding
    # France's fiche has no room for the sentence under its heading: the finding says it (twenty-seventh reading)
    assert finding.endswith("les sources ne disent pas où elles en sont depuis le plan de décembre 2019.")
    from mesra.analysis.brief import Brief

    chantiers = next(p for p in Brief(corpus, "fr").fiche().parts if p.title == "Les chantiers et leur co-animation")
    assert all(any(named in b for b in chantiers.bullets) for *_, named in REFERENTS.values())
    steps = plan.plan_next_steps(corpus, "fr")
    # one step for the four chantiers, each with its co-animation (twenty-seventh reading: four bullets alike)
    (confirm,) = [s for s in steps if s.startswith("Confirmer")]
    assert confirm.count("chantier de l'Axe") == 4 and "Fabrice PENASSE" in confirm and "Bérénice DONDEYNE" in confirm
    assert not any(s.startswith("Trouver qui porte l'action sans porteur ni chantier") for s in steps)


def test_a_departement_and_the_parents_see_the_chantier_plans_they_contain(corpus):
    cote_dor = {a.action_id for a in plan.territory_plan(corpus, "cote-d-or").actions}  # PESAD 21, Dijon
    bfc = {a.action_id for a in plan.territory_plan(corpus, "bourgogne-franche-comte").actions}
    assert set(corpus.actions.loc[corpus.actions["axe"] == 1, "action_id"]) <= cote_dor <= bfc
    every = set(corpus.actions["action_id"])
    for parent in ("fr", "europe", "monde"):  # Europe and the world contain France: every action
        assert {a.action_id for a in plan.territory_plan(corpus, parent).actions} == every


# --- the reference date: the corpus's own ----------------------------------------------------
def test_the_reference_date_is_the_plan_of_december_2019_never_today_nor_a_reference_table(corpus):
    ref = plan.reference_date(corpus)
    assert (ref.jour, ref.origine, ref.suivi, ref.sources) == (
        dt.date(2019, 12, 4),
        "plan",
        False,
        ("actes-coconstruire-2019",),
    )
    assert "2 au 4 décembre 2019" in line(160)  # the seminar's dates, which sources.csv records
    # the geography (a reference table dated 2026) is a source of the corpus, but not of the plan
    assert 2026 in set(corpus.sources["annee"].dropna().astype(int))
    assert plan.reference_sentence(ref) == (
        "Les sources ne disent pas où en sont les actions depuis le plan de décembre 2019 : les statuts "
        "sont ceux du plan ; l'état des actions depuis n'est pas connu."
    )
    # without follow-up, nothing is overdue and nothing is on time: « aucune action n'est dite en retard » read
    # as « on time » to cold readers
    assert "retard" not in plan.reference_sentence(ref) and "à l'heure" not in plan.reference_sentence(ref)
    assert Brief(corpus, "occitanie").date_reference == dt.date(2019, 12, 4)
    assert Brief(corpus, "occitanie", date_reference="").date_reference == dt.date(2019, 12, 4)


def test_the_latest_follow_up_entry_dates_the_plan_and_a_given_date_wins(mini_dir):
    corpus = load_corpus(mini_dir)  # synthetic fixture: one entry, 20 March 2020
    ref = plan.reference_date(corpus)
    assert (ref.jour, ref.origine, ref.suivi) == (dt.date(2020, 3, 20), "suivi", True)
    assert "Date de référence : le 20 mars 2020, date de la dernière entrée du journal de suivi" in (
        plan.reference_sentence(ref)
    )
    given = plan.reference_date(corpus, "2020-01-01")  # before the entry: nothing followed up yet
    assert (given.jour, given.origine, given.suivi) == (dt.date(2020, 1, 1), "parametre", False)
    assert plan.past_due(corpus, date_reference="2020-01-01").empty
    assert plan.reference_date(corpus, plan.reference_date(corpus)) == ref


def test_without_a_date_column_the_plan_is_dated_by_the_year_of_its_sources(data_dir):
    sources = data_dir / "sources.csv"
    rows = sources.read_text("utf-8").splitlines()
    sources.write_text("\n".join(r.rsplit(",", 1)[0] for r in rows) + "\n", "utf-8")  # drop the date column
    ref = plan.reference_date(load_corpus(data_dir))
    assert (ref.jour, ref.origine, ref.plan) == (dt.date(2020, 1, 1), "plan", "2020")


FORBIDDEN = ("toujours prévue sans suivi depuis", "attendent un point", "attend un point", "en retard sans suivi",
             "À faire le point", "Faire le point sur", "6 décembre 2026", "2026")  # fmt: skip


@pytest.mark.parametrize("date_reference", [None, "2026-12-06"])
@pytest.mark.parametrize("territoire", [*sorted(REFERENTS), "fr", "cote-d-or", "gard"])
def test_with_no_follow_up_no_page_calls_an_action_overdue(corpus, territoire, date_reference):
    b = Brief(corpus, territoire, date_reference=date_reference)
    assert plan.past_due(corpus, territoire, date_reference=date_reference).empty
    pages = [str(b.key_findings()), str(b.plan_section()), str(b.next_steps_section())]
    shown = "\n".join(pages)
    for words in FORBIDDEN if date_reference is None else FORBIDDEN[:-2]:
        assert words not in shown, (territoire, words)
    if len(b.plan_facts.actions):
        assert "le corpus ne contient aucun suivi depuis le plan de décembre 2019" in shown.lower()
        assert b.next_steps_section().bullets[0].startswith("Suivre les actions : le corpus ne contient aucun suivi")


def test_notebook_05_says_the_reference_date_and_that_no_follow_up_was_recorded(corpus):
    nb = json.loads((ROOT / "notebooks" / "05-plan-d-action.ipynb").read_text("utf-8"))
    code = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    words = "".join("".join(c["source"]) for c in nb["cells"])
    assert "mesra.follow_up_section(corpus, date_reference=date_reference)" in code
    assert "mesra.reference_date(corpus, date_reference).jour" in code
    assert "le jour de l'exécution" not in words and "Toutes les analyses sont des fonctions" not in words
    s = str(mesra.follow_up_section(corpus))
    assert "Les sources ne disent pas où en sont les actions depuis le plan de décembre 2019" in s
    assert "le 4 décembre 2019" in s and s.count("Le chantier de l'Axe") == 4
    ax = mesra.plot_timeline(mesra.actions_for(corpus), None)  # no date: no line, never today's
    assert not [ln for ln in ax.get_lines() if ln.get_linestyle() == "--"]


# --- two successive notes: statuses and « since the previous note » follow the log ---------------
def _note(path, *outputs):
    """An executed notebook whose cells show ``outputs`` (as the brief's cells do)."""
    from IPython.core.formatters import DisplayFormatter

    nb = nbformat.v4.new_notebook()
    for obj in outputs:
        data, metadata = DisplayFormatter().format(obj)
        cell = nbformat.v4.new_code_cell("brief.section()")
        cell.outputs = [nbformat.v4.new_output("execute_result", data=data, metadata=metadata, execution_count=1)]
        nb.cells.append(cell)
    nbformat.write(nb, path)
    return path


def _publish(tmp_path, name, corpus, previous=None):
    b = Brief(corpus, "occitanie")
    changes = b.changes_section(previous)
    return b, changes, _note(tmp_path / name, b.plan_section(), changes)


def test_two_successive_notes_follow_the_follow_up_log(data_dir, tmp_path):
    first_corpus = load_corpus(data_dir)
    b1, changes1, note1 = _publish(tmp_path, "note-1.ipynb", first_corpus)
    assert changes1.since.premiere and not changes1.since.rien
    assert changes1.paragraphs[0] == (
        "C'est la première note de ce territoire : la suivante dira ce qui a changé depuis celle-ci."
    )
    kept = since.previous_facts(note1)
    assert set(kept) >= {"acteurs", "personnes", "liens", "constats", "plan", "pseudonymise"}
    assert kept["plan"]["date_reference"] == "2019-12-04" and kept["plan"]["suivi"] is False

    # the coordinator records two entries, a new partner joins MES Occitanie (synthetic data)
    _suivi(
        data_dir,
        "axe4-campagne-transformadora,2020-03-10,en_cours,Campagne lancée.,",
        "axe2-communication-groupe-europeen,2020-09-15,fait,,",
    )
    with open(data_dir / "acteurs.csv", "a", encoding="utf-8") as fh:
        fh.write("collectif-test,Collectif d'essai,,collectif,herault,local,false,actes-coconstruire-2019#L916,le\n")
    with open(data_dir / "liens.csv", "a", encoding="utf-8") as fh:
        fh.write("collectif-test,mes-occitanie,membre_de,,regional,2020,,actes-coconstruire-2019#L916,constate\n")
    second_corpus = load_corpus(data_dir)
    b2, changes2, note2 = _publish(tmp_path, "note-2.ipynb", second_corpus, previous=note1)
    # the note is read at its latest follow-up entry; the statuses follow the log
    assert b2.reference.origine == "suivi" and b2.date_reference == dt.date(2020, 9, 15)
    table = next(t.frame for t in b2.plan_section().tables if t.caption.startswith("Actions")).set_index("Action")
    assert table.loc["Campagne sur la plateforme Transformadora", "Statut"] == "En cours"
    # with a log, an action whose end passed with no entry since is to be reviewed, and said so
    late = {a.action_id for a in b2.plan_facts.en_retard}
    assert "axe4-questionnaire-delegation" in late and "axe4-campagne-transformadora" in late  # Aug. 2020 < 10 March
    assert "un point" in b2.key_findings().bullets[-1]
    lines = changes2.bullets
    assert "« Campagne sur la plateforme Transformadora » : prévue → en cours, suivi du 10 mars 2020." in lines
    assert (
        "« Communication autour de décisions au sein du groupe européen « Évaluation de l'utilité sociale » du RIPESS "
        "Europe » : prévue → faite, suivi du 15 septembre 2020."
    ) in lines
    assert "Nouvel acteur : Collectif d'essai." in lines
    assert "Nouveau lien : le Collectif d'essai est membre du MES Occitanie."  # acteurs.article: le in lines
    assert any(x.startswith("Nouveau constat") or x.startswith("Nouveaux constats") for x in lines)
    assert not any(x.startswith(("Première note", "Rien n'a changé")) for x in lines)

    # a third note of the same facts: « rien n'a changé », which is not « première note »
    _, changes3, _ = _publish(tmp_path, "note-3.ipynb", load_corpus(data_dir), previous=note2)
    assert changes3.since.rien and changes3.paragraphs == [
        "Rien n'a changé depuis la note précédente : mêmes acteurs, personnes, liens, constats et plan d'action."
    ]


def test_the_facts_file_beside_a_published_note_is_read_first(data_dir, tmp_path, corpus):
    """The batch keeps ``.<stem>.faits.json`` beside each note (``faits``: this module's dict); a note
    whose page was replaced or emptied still compares with the facts."""
    b = Brief(corpus, "occitanie")
    facts = since.note_facts(corpus, "occitanie", findings=b.key_findings().bullets)
    note = tmp_path / "04-note.ipynb"
    nbformat.write(nbformat.v4.new_notebook(), note)  # a page with no facts in it
    assert since.previous_facts(note) == since.NO_FACTS
    assert "n'a pas enregistré ses faits" in plan.changes_since(note, corpus, "occitanie")[0]
    kept = {"version": 1, "pseudonymise": False, "territoire": "occitanie", "faits": facts}
    (tmp_path / ".04-note.faits.json").write_text(json.dumps(kept, ensure_ascii=False), "utf-8")
    again = b.changes_section(note)
    assert again.since.rien, again.since
    # facts of another pseudonymisation are not compared
    pseudo = Brief(load_corpus(pseudonymiser=True), "occitanie").changes_section(note)
    assert not pseudo.since.comparable and "autre pseudonymisation" in pseudo.paragraphs[0]
    # nor facts of another corpus origin, when both say where they come from
    other = dict(facts, origine="a")
    assert not since.compare_facts(other, dict(facts, origine="b")).comparable
    assert since.compare_facts(other, dict(facts, origine="a")).rien


def test_compare_facts_is_a_pure_function_of_two_dicts():
    before = {
        "acteurs": {"a": "Alpha"},
        "personnes": {},
        "liens": [["a", "membre_de", "b", "constate"]],
        "noms": {"a": ["Alpha", None], "b": ["Bêta", "le"]},
        "constats": ["Un constat."],
        "plan": {"actions": {"x": {"statut": "prevu", "intitule": "X"}}},
    }
    now = json.loads(json.dumps(before))
    assert since.compare_facts(before, now).rien
    assert since.compare_facts(None, now).premiere and not since.compare_facts(None, now).rien
    now["personnes"]["p"] = "Personne Synthétique"
    now["liens"].append(["p", "membre_de", "a", "constate"])
    now["noms"]["p"] = ["Personne Synthétique", None]
    now["plan"]["actions"]["y"] = {"statut": "prevu", "intitule": "Y", "debut": "2021", "fin": None}
    del now["plan"]["actions"]["x"]
    s = since.compare_facts(before, now)
    assert s.personnes_nouvelles == (("p", "Personne Synthétique"),)
    assert s.liens_nouveaux == (("p", "membre_de", "a"),)
    assert s.actions_nouvelles == (("y", "Y", "2021", None),) and s.actions_retirees == (("x", "X"),)
    assert since.since_sentences(s) == [
        "Nouvelle personne : Personne Synthétique.",
        "Nouveau lien : Personne Synthétique est membre d'Alpha.",
        "Nouvelle action : « Y » (en 2021).",
        "Retirée du plan : « X ».",
    ]
    assert json.dumps(before) == json.dumps(json.loads(json.dumps(before)))  # inputs untouched


def test_a_corpus_without_chantiers_or_ties_reads_its_plan(mini_dir):
    """Synthetic fixture: two actions of axis 1, no chantier; then no tie at all."""
    corpus = load_corpus(mini_dir)
    assert plan.chantiers(corpus) == {}
    facts = plan.territory_plan(corpus, "occitanie")
    assert [a.portage for a in facts.actions] == ["nomme", "personne"]
    section = plan.plan_section(corpus, "occitanie")
    assert any(t.caption.startswith("Sans porteur : ni porteur nommé") for t in section.tables)
    assert not any(b.startswith("Le chantier") for b in section.bullets)
    (mini_dir / "liens.csv").write_text(
        (mini_dir / "liens.csv").read_text("utf-8").splitlines()[0] + "\n", "utf-8"
    )  # a header, no tie
    bare = load_corpus(mini_dir)
    assert plan.chantiers(bare) == {} and len(plan.actions_for(bare, "occitanie")) == 2
    assert since.note_facts(bare, "occitanie")["liens"] == []


def test_one_status_line_per_action_says_where_its_follow_up_stands(corpus, data_dir):
    facts = plan.territory_plan(corpus, "occitanie")
    by_id = {a.action_id: a for a in facts.actions}
    line_ = plan.status_line(by_id["axe4-campagne-transformadora"], facts.reference)
    assert line_ == (
        "Campagne sur la plateforme Transformadora : de janvier 2020 à août 2020, prévue "
        "(aucun suivi depuis le plan de décembre 2019)."
    )
    # read at the plan's own date, what falls due is what the plan meant to do first: no order to prepare
    steps = plan.plan_next_steps(corpus, "occitanie")
    assert (
        steps[1].startswith("Dire où en sont les ")
        and "que le plan de décembre 2019 faisait commencer ou finir dans les six mois" in steps[1]
    )
    assert not any(s.startswith("Préparer") for s in steps)
    _suivi(
        data_dir,
        "axe4-campagne-transformadora,2020-03-10,en_cours,,",
        "axe2-communication-groupe-europeen,2020-09-15,fait,,",
    )
    logged = plan.territory_plan(load_corpus(data_dir), "occitanie")
    by_id = {a.action_id: a for a in logged.actions}
    assert plan.status_line(by_id["axe2-communication-groupe-europeen"], logged.reference).endswith(
        "faite (suivi du 15 septembre 2020)."
    )
    assert plan.status_line(by_id["axe4-campagne-transformadora"], logged.reference).endswith(
        "en cours (échéance passée le 31 août 2020 sans suivi depuis : à faire le point)."
    )


def test_a_parent_territory_holds_every_action_of_its_children(corpus):
    parents = dict(zip(corpus.territoires["territoire_id"], corpus.territoires["parent_id"]))
    seen = {t: {a.action_id for a in plan.territory_plan(corpus, t).actions} for t in corpus.territories_with_data()}
    pairs = [(t, parents[t]) for t in seen if isinstance(parents.get(t), str) and parents[t] in seen]
    assert len(pairs) >= 10
    for child, parent in pairs:
        assert seen[child] <= seen[parent], (child, parent, sorted(seen[child] - seen[parent]))


def test_the_facts_of_a_pseudonymised_note_hold_no_real_name(corpus):
    pseudo = load_corpus(pseudonymiser=True)
    b = Brief(pseudo, "occitanie")
    facts = since.note_facts(pseudo, "occitanie", findings=b.key_findings().bullets, people=b.people, ties=b.ties)
    text = json.dumps(facts, ensure_ascii=False)
    assert facts["pseudonymise"] is True and facts["personnes"]
    for nom in corpus.personnes["nom"]:
        assert nom not in text, nom
