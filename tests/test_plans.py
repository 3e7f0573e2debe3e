"""The action plans as data (contract v2): actions.csv and suivi.csv, from plan to brief.

The default corpus holds the four workshops' plans as the proceedings give them; a
follow-up log moves an action's status; what is due, past due or without carrier is
computed as of a fixed reference date; ``mesra check`` refuses malformed plans with
their line; the workbook round trip and pseudonymisation cover the new tables.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil

import matplotlib.dates as mdates
import nbformat
import openpyxl
import pandas as pd
import pytest
from helpers import ROOT

import mesra
from mesra import check_corpus, load_corpus
from mesra.analysis import plan
from mesra.cli import main
from mesra.corpus.privacy import pseudonym
from mesra.corpus.spreadsheet import export_xlsx
from mesra.corpus.validate import line_ranges
from mesra.errors import ParameterError


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


@pytest.fixture
def data_dir(tmp_path):
    """A writable copy of the default corpus."""
    dest = tmp_path / "data"
    shutil.copytree(ROOT / "data", dest)
    return dest


def _lines(locator: str) -> set[int]:
    return {n for a, b in line_ranges(locator.partition("#")[2]) or [] for n in range(a, b + 1)}


def _at(corpus, line: int) -> pd.DataFrame:
    a = corpus.actions
    return a[[line in _lines(loc) for loc in a["source"]]]


def _suivi(folder, *rows: str) -> None:
    (folder / "suivi.csv").write_text("action_id,date,statut,note,source\n" + "".join(r + "\n" for r in rows), "utf-8")


# --- the default corpus holds the plans ------------------------------------------------------------
#: Axe 2's calendar (L656-679) and Axe 4's campaign (L989-1001), read from the proceedings:
#: line → (debut, fin, carriers the text names, partners the text names).
CALENDARS = {
    660: ("2020-01", None, set(), {"ripess-europe"}),  # groupe de travail au sein du RIPESS Europe
    661: ("2020-01", None, {"apes", "mes-occitanie", "mes"}, set()),
    662: ("2020-01", None, {"mes"}, {"ess-france", "fondation-credit-cooperatif", "union-europeenne"}),
    664: ("2020-03", None, {"mes", "patricia-coler", "berenice-dondeyne", "bruno-lasnier"}, set()),
    668: ("2020-06", None, {"chantier-axe-2"}, set()),  # premier document de plaidoyer commun
    673: ("2021-01", "2021-06", {"chantier-axe-2"}, set()),
    674: ("2021-06", "2021-12", set(), set()),  # plateforme en ligne
    678: ("2022", None, {"mes"}, set()),  # « Oser le politique quand vous évaluez ! », début 2022
    679: (None, "2022", {"chantier-axe-2", "mes"}, set()),  # bilan, fin 2022
    993: ("2020-01", "2020-08", set(), set()),  # campagne vers le FSMET
    994: ("2020-01", "2020-08", set(), {"transformadora"}),
    995: ("2020-01", "2020-08", set(), set()),  # questionnaire pour la délégation
    996: ("2020-01", "2020-08", set(), {"attac-france", "crid"}),  # université d'été
    997: ("2020-01", "2020-08", set(), set()),  # plaidoyer auprès des instances nationales
}


def test_an_outside_milestone_is_not_an_action(corpus):
    # L663 « Mars 2020 : Fusion ESS France/CNCRESS » dates the Axe 2 calendar; the Mouvement does not carry it
    carried = {p for ps in corpus.actions["porteurs"] for p in ps}
    assert not carried & {"ess-france", "cncress"}
    assert not [t for t in corpus.actions["intitule"] if t.lower().startswith("fusion")]


def test_the_communication_post_is_a_need_with_no_calendar(corpus):
    # L1001: « l'atelier n'a pas permis d'établir un calendrier d'action plus précis » : no dates are invented (the
    # thirty-second reading asked for « Août 2020 - Décembre 2022 », L997; the thirty-third read that as a schedule the
    # workshop could not set: the post is what would set it)
    rows = _at(corpus, 1001)
    assert len(rows) == 1
    assert rows["debut"].isna().all() and rows["fin"].isna().all()
    # the status says it is a need (``besoin``); the title is the need itself, in the text's words
    assert rows["statut"].iloc[0] == "besoin"
    assert rows["intitule"].iloc[0].startswith("Créer un poste de chargé de communication")


@pytest.mark.parametrize("line", sorted(CALENDARS))
def test_every_dated_step_of_the_calendars_is_an_action(corpus, line):
    debut, fin, carriers, partners = CALENDARS[line]
    rows = _at(corpus, line)
    match = rows[
        [
            (d or None) == debut and (f or None) == fin and set(p) == carriers and set(q) == partners
            for d, f, p, q in zip(rows["debut"], rows["fin"], rows["porteurs"], rows["partenaires"])
        ]
    ]
    assert len(match) == 1, (line, rows[["action_id", "debut", "fin", "porteurs", "partenaires"]].to_dict("records"))
    assert set(match["statut"]) == {"prevu"}  # as of the proceedings, December 2019


def test_the_formation_action_of_march_to_october_2020_has_its_two_steps(corpus):
    rows = _at(corpus, 666)
    assert set(zip(rows["debut"], rows["fin"])) == {("2020-03", "2020-10")} and len(rows) == 2
    assert {tuple(p) for p in rows["porteurs"]} == {(), ("chantier-axe-2",)}  # « par le groupe de travail Axe 2 »


def test_every_action_is_sourced_to_a_plan_of_the_proceedings(corpus):
    # the workshops' plans, the conclusion, and the round table's need of public support (L221)
    plans = [(221, 221), (454, 464), (620, 679), (772, 844), (946, 1001), (1040, 1058)]
    a = corpus.actions
    # the needs: L221, L458, L844, L970, L1001, L1050, L1054
    assert len(a) >= 40 and set(a["statut"]) == {"prevu", "besoin"} and corpus.suivi.empty
    for loc in a["source"]:
        lines = _lines(loc)
        assert loc.startswith("actes-coconstruire-2019#L") and lines, loc
        assert all(any(x <= n <= y for x, y in plans) for n in lines), loc
    assert set(a["axe"].dropna()) == {1, 2, 3, 4}
    # the meeting of 13 January 2020 at the MSH, and the partners to mobilise of Axe 1
    msh = a.set_index("action_id").loc["axe1-rencontre-msh"]
    assert msh["debut"] == "2020-01-13" and set(msh["partenaires"]) == {
        "jean-louis-laville",
        "college-etudes-mondiales",
    }
    wanted = {p for ps in _at(corpus, 463)["partenaires"] for p in ps} | {
        p for ps in _at(corpus, 464)["partenaires"] for p in ps
    }
    assert wanted == {
        "fondation-credit-cooperatif",
        "groupe-macif",
        "sget",
        "labo-ess",
        "fabrique-des-transitions",
        "rtes",
    }


def test_intentions_are_actions_not_ties(corpus):
    """L459, L461-464 and L662 say whom to meet, mobilise or ask for money: plans, not ties."""
    liens = corpus.liens
    intentions = [loc for loc in liens["source"] if _lines(loc) & {459, 461, 462, 463, 464, 662}]
    assert intentions == []
    mobilise = set(plan.partners_to_mobilise(corpus, date_reference="2019-12-04")["acteur_id"])
    assert {"fondation-credit-cooperatif", "groupe-macif", "sget", "union-europeenne"} <= mobilise
    assert "rtes" not in mobilise and "ess-france" not in mobilise  # already tied to the network


# --- territories -----------------------------------------------------------------------------------
def test_actions_of_a_territory_are_those_its_actors_and_people_carry_or_join(corpus):
    occ = set(plan.actions_for(corpus, "occitanie", date_reference="2020-01-01")["action_id"])
    assert "axe2-communication-groupe-europeen" in occ  # MES Occitanie carries it (L661)
    assert "axe2-partenaires-nouvelle-structure" in occ  # Bérénice DONDEYNE, MES Occitanie (L664)
    assert "axe3-capitaliser-outils-wiki" in occ  # cercle 1 (L781)
    assert "axe1-rencontre-msh" not in occ
    # Bérénice DONDEYNE (MES Occitanie) is the référente of Axe 4 (L858): the whole Axe 4 plan is Occitanie's
    assert "axe4-campagne-transformadora" in occ
    idf = set(plan.actions_for(corpus, "ile-de-france", date_reference="2020-01-01")["action_id"])
    # the meeting at the MSH (L459) takes place in Paris; no Île-de-France actor carries it (the fiche lists it
    # among the actions its actors are associated with, test_brief_cold_read)
    assert idf == {"axe1-rencontre-msh"}
    assert len(plan.actions_for(corpus, "fr", date_reference="2020-01-01")) == len(corpus.actions)
    assert len(plan.actions_for(corpus, None, date_reference="2020-01-01")) == len(corpus.actions)
    with pytest.raises(ParameterError, match="ocitanie"):
        plan.actions_for(corpus, "ocitanie")
    with pytest.raises(ParameterError, match="AAAA-MM-JJ"):
        plan.actions_for(corpus, "occitanie", date_reference="juin 2020")


# --- follow-up -------------------------------------------------------------------------------------
def _table(section, caption_start: str) -> pd.DataFrame:
    return next(t.frame for t in section.tables if t.caption.startswith(caption_start))


def test_a_follow_up_entry_makes_an_action_done_and_no_longer_due(data_dir):
    before = load_corpus(data_dir)
    s = plan.plan_section(before, "fr", "2020-05-01")
    doc = "Production d'un premier document de plaidoyer commun autour de l'évaluation de l'utilité sociale"
    assert doc in set(_table(s, "À échéance")["Action"])  # June 2020: due within six months
    _suivi(data_dir, "axe2-document-plaidoyer,2020-06-20,fait,Document adopté en réunion.,")
    after = load_corpus(data_dir)
    early = plan.plan_section(after, "fr", "2020-05-01")  # the entry is later than the reference date
    assert doc in set(_table(early, "À échéance")["Action"])
    s = plan.plan_section(after, "fr", "2020-07-01")
    rows = _table(s, "Actions")
    assert rows.loc[rows["Action"] == doc, "Statut"].tolist() == ["Fait"]
    assert doc not in set(_table(s, "À échéance")["Action"]) and doc not in set(_table(s, "À faire le point")["Action"])
    assert "1 faite" in next(p for p in s.paragraphs if "le plan d'action compte" in p)
    steps = plan.plan_next_steps(after, "fr", "2020-07-01")
    assert not any("premier document de plaidoyer" in step for step in steps)
    # no follow-up recorded at all: nothing is overdue; with a log (of another action), the document is
    assert plan.past_due(before, "fr", date_reference="2020-07-01").empty
    _suivi(data_dir, "axe1-rencontre-msh,2020-01-13,fait,,")
    logged = load_corpus(data_dir)
    assert plan.past_due(logged, "fr", date_reference="2020-07-01")["action_id"].eq("axe2-document-plaidoyer").any()


def test_a_past_due_action_without_follow_up_is_listed_until_someone_reports(data_dir):
    ref = "2020-09-15"
    assert plan.past_due(load_corpus(data_dir), date_reference=ref).empty  # no follow-up log: nothing overdue
    _suivi(data_dir, "axe1-rencontre-msh,2020-01-13,fait,,")  # the log holds another action's entry
    corpus = load_corpus(data_dir)
    late = plan.past_due(corpus, date_reference=ref).set_index("action_id")
    assert "axe4-campagne-transformadora" in late.index  # January–August 2020, no news
    assert late.loc["axe4-campagne-transformadora", "echeance_depassee"] == dt.date(2020, 8, 31)
    assert "axe2-outils-plaidoyer" not in late.index  # 2021: not yet
    s = plan.plan_section(corpus, "fr", ref)
    assert "Campagne sur la plateforme Transformadora" in set(_table(s, "À faire le point")["Action"])
    assert any("Faire le point" in step for step in plan.plan_next_steps(corpus, "fr", ref))
    # an entry dated before the deadline does not count; one after it does
    _suivi(data_dir, "axe4-campagne-transformadora,2020-05,en_cours,,")
    assert "axe4-campagne-transformadora" in set(plan.past_due(load_corpus(data_dir), date_reference=ref)["action_id"])
    _suivi(
        data_dir,
        "axe4-campagne-transformadora,2020-05,en_cours,,",
        "axe4-campagne-transformadora,2020-09-10,en_cours,,",
    )
    assert "axe4-campagne-transformadora" not in set(
        plan.past_due(load_corpus(data_dir), date_reference=ref)["action_id"]
    )


def test_due_within_six_months_and_without_carrier(corpus):
    due = set(plan.due_within(corpus, date_reference="2019-12-04")["action_id"])
    assert {"axe1-rencontre-msh", "axe2-groupe-ripess-europe", "axe4-campagne-transformadora"} <= due
    assert "axe2-outils-plaidoyer" not in due  # January 2021: beyond six months
    assert "axe2-outils-plaidoyer" in set(plan.due_within(corpus, date_reference="2019-12-04", months=13)["action_id"])
    alone = plan.without_carrier(corpus, date_reference="2019-12-04")
    assert "axe3-ressource-nationale" in set(alone["action_id"]) and all(len(p) == 0 for p in alone["porteurs"])
    counts = plan.actions_by_carrier(corpus, date_reference="2019-12-04").set_index("Libellé")["Nombre"]
    # an action naming no carrier counts for its chantier's co-animation; only one without chantier is « sans porteur »
    nobody = alone[[not c for c in alone["coanimation"]]]
    assert set(nobody["action_id"]) == {"conclusion-projet-global"}  # L1050, no axis
    assert counts["Sans porteur"] == len(nobody) == 1
    for axe in (1, 2, 3, 4):
        n = sum(1 for a in alone["axe"] if not pd.isna(a) and int(a) == axe)
        assert counts.get(f"Co-animation du chantier de l'Axe {axe}", 0) == n > 0
    assert counts["Mouvement pour l'Économie Solidaire"] >= 5


# --- timeline ------------------------------------------------------------------------------------
def _frame(rows):
    cols = ["action_id", "axe", "intitule", "porteurs", "partenaires", "debut", "fin", "statut"]
    return pd.DataFrame([dict(zip(cols, r)) for r in rows], columns=cols)


def test_years_and_months_are_placed_on_the_timeline_as_whole_periods():
    actions = _frame(
        [
            ("annee", 2, "Une année", [], [], "2022", None, "prevu"),
            ("mois", 2, "De mars à octobre", [], [], "2020-03", "2020-10", "en_cours"),
            ("fin-seule", 4, "Échéance en juin", [], [], None, "2020-06", "fait"),
            ("jour", 1, "Une rencontre", [], [], "2020-01-13", "2020-01-13", "prevu"),
            ("sans-date", 3, "Un jour peut-être", [], [], None, None, "prevu"),
        ]
    )
    ax = plan.plot_timeline(actions, "2020-06-15")
    bars = {p.get_gid(): p for p in ax.patches if p.get_gid()}
    assert set(bars) == {"annee", "mois", "fin-seule", "jour"}  # no bar without a date

    def extent(gid):
        p = bars[gid]
        return mdates.num2date(p.get_x()).date(), mdates.num2date(p.get_x() + p.get_width()).date()

    assert extent("annee") == (dt.date(2022, 1, 1), dt.date(2023, 1, 1))
    assert extent("mois") == (dt.date(2020, 3, 1), dt.date(2020, 11, 1))
    assert extent("fin-seule") == (dt.date(2020, 6, 1), dt.date(2020, 7, 1))
    assert extent("jour") == (dt.date(2020, 1, 13), dt.date(2020, 1, 14))
    assert bars["fin-seule"].get_facecolor()[:3] == pytest.approx(
        tuple(int(plan.STATUS_COLOURS["fait"][i : i + 2], 16) / 255 for i in (1, 3, 5))
    )
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[-2:] == ["Sans date (1)", "Axe 3 · Un jour peut-être"]
    line = [ln for ln in ax.get_lines() if ln.get_linestyle() == "--"][0]
    assert mdates.num2date(line.get_xdata()[0]).date() == dt.date(2020, 6, 15)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["Prévu", "En cours", "Fait", "Date de référence : 15 juin 2020"]
    ax.figure.canvas.draw()
    ticks = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert ticks and all(not t.replace("\u2212", "").replace(".", "").isdigit() or len(t) == 4 for t in ticks)
    assert any(m in " ".join(ticks) for m in ("janvier", "avril", "juillet", "octobre")) or all(
        len(t) == 4 for t in ticks
    )


def test_timeline_of_a_short_period_names_the_months_in_french():
    actions = _frame([("a", 2, "Trois mois", [], [], "2020-03", "2020-05", "prevu")])
    ax = plan.plot_timeline(actions, "2020-04-01")
    ax.figure.canvas.draw()
    ticks = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert any(word in t for t in ticks for word in ("mars", "avril", "mai")), ticks


# --- mesra check ---------------------------------------------------------------------------------
def _edit(path, old, new):
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), "utf-8")


@pytest.mark.parametrize(
    "file, old, new, field, line, words",
    [
        ("actions.csv", ",2020-03,,,prevu", ",2020-13,,,prevu", "debut", 2, "inexistante (mois 13)"),
        ("actions.csv", ",2020-03,,,prevu", ",2020/03,,,prevu", "debut", 2, "AAAA, AAAA-MM ou AAAA-MM-JJ"),
        ("actions.csv", ",2020-03,,,prevu", ",mars 2020,,,prevu", "debut", 2, "mal formée"),
        ("actions.csv", ",2020-03,,,prevu", ",2019-02-29,,,prevu", "debut", 2, "28 jours"),
        ("actions.csv", ",2020-03,,,prevu", ",2020-03,2020-02,,prevu", "fin", 2, "avant le début"),
        ("actions.csv", ",2021,,,prevu", ",2021,,,prévu", "statut", 3, "vouliez-vous dire « prevu »"),
        ("actions.csv", "reseau-alpha|jeanne-martin", "reseau-alfa|jeanne-martin", "porteurs", 2, "« reseau-alpha »"),
        ("actions.csv", ",mairie-ales,", ",mairie-ales;collectif-gamma,", "partenaires", 3, "séparez"),
        ("actions.csv", ",mairie-ales,", ",mairie-ales||collectif-gamma,", "partenaires", 3, "identifiant vide"),
        ("actions.csv", ",prevu,occitanie,", ",prevu,ocitanie,", "territoire_id", 2, "occitanie"),
        ("suivi.csv", "reunion-membres,2020-03-20", "reunion-membre,2020-03-20", "action_id", 2, "actions.csv"),
        ("suivi.csv", ",2020-03-20,fait,", ",2020-03-20,fiat,", "statut", 2, "« fait »"),
        ("suivi.csv", ",2020-03-20,fait,", ",20/03/2020,fait,", "date", 2, "mal formée"),
        ("suivi.csv", ",2020-03-20,fait,", ",,fait,", "date", 2, "obligatoire"),
    ],
)
def test_mesra_check_refuses_malformed_plans_with_the_line(mini_dir, file, old, new, field, line, words):
    _edit(mini_dir / file, old, new)
    problems = [p for p in check_corpus(mini_dir) if p.file == file and p.field == field]
    assert problems, check_corpus(mini_dir)
    assert problems[0].line == line and words in problems[0].message, str(problems[0])
    assert str(problems[0]).startswith(f"{file}:{line}: {field}: ")


def test_cli_check_names_the_file_and_line_of_a_bad_carrier(mini_dir, capsys):
    _edit(mini_dir / "actions.csv", "reseau-alpha|jeanne-martin", "reseau-alpha|jeanne-martine")
    assert main(["check", str(mini_dir)]) == 1
    err = capsys.readouterr()
    assert "actions.csv:2: porteurs: identifiant « jeanne-martine » inconnu" in err.out + err.err


def test_a_corpus_without_plans_stays_valid_and_loads_empty_tables(mini_dir):
    (mini_dir / "actions.csv").unlink()
    (mini_dir / "suivi.csv").unlink()
    assert check_corpus(mini_dir) == []
    corpus = load_corpus(mini_dir)
    assert corpus.actions.empty and list(corpus.actions.columns)[:3] == ["action_id", "axe", "intitule"]
    assert corpus.suivi.empty and list(corpus.suivi.columns) == ["action_id", "date", "statut", "note", "source"]
    assert plan.plan_next_steps(corpus, "occitanie", "2020-01-01") == []
    assert "Aucune action" in plan.plan_section(corpus, "occitanie", "2020-01-01").paragraphs[0]


def test_spreadsheet_variants_of_the_plans_load_the_same(mini_dir):
    reference = load_corpus(mini_dir)
    for name in ("actions.csv", "suivi.csv"):
        path = mini_dir / name
        path.write_bytes(path.read_text("utf-8").replace(",", ";").replace("\n", "\r\n").encode("cp1252"))
    again = load_corpus(mini_dir)
    pd.testing.assert_frame_equal(again.actions, reference.actions)
    pd.testing.assert_frame_equal(again.suivi, reference.suivi)


# --- workbook ------------------------------------------------------------------------------------
def test_workbook_round_trip_of_the_plans_with_status_lists(data_dir, tmp_path):
    _suivi(data_dir, "axe2-document-plaidoyer,2020-06-20,fait,Adopté ; voir le compte rendu.,")
    book = tmp_path / "corpus.xlsx"
    export_xlsx(data_dir, book)
    wb = openpyxl.load_workbook(book)
    assert {"actions", "suivi"} <= set(wb.sheetnames)
    for sheet in ("actions", "suivi"):
        ws = wb[sheet]
        header = [c.value for c in ws[1]]
        letter = openpyxl.utils.get_column_letter(header.index("statut") + 1)
        assert any(str(dv.sqref).startswith(f"{letter}2:") for dv in ws.data_validations.dataValidation)
    assert wb["actions"].cell(2, 6).number_format == "@" or wb["actions"].column_dimensions["F"].number_format == "@"
    # beside its source texts, the workbook is the same corpus
    shutil.copytree(data_dir / "sources", tmp_path / "sources")
    shutil.copytree(data_dir / "monographies", tmp_path / "monographies")
    a, b = load_corpus(data_dir), load_corpus(book)
    for name in ("actions", "suivi", "liens"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), obj=name)
    assert a.hash == b.hash


def test_a_date_typed_in_a_spreadsheet_is_read_as_a_day(mini_dir, tmp_path):
    book = tmp_path / "c.xlsx"
    export_xlsx(mini_dir, book)
    wb = openpyxl.load_workbook(book)
    ws = wb["suivi"]
    header = [c.value for c in ws[1]]
    ws.cell(2, header.index("date") + 1).value = dt.datetime(2020, 3, 21)  # what Excel makes of 21/03/2020
    wb.save(book)
    shutil.copytree(mini_dir / "sources", tmp_path / "sources")
    assert check_corpus(book) == []
    assert load_corpus(book).suivi["date"].tolist() == ["2020-03-21"]


# --- privacy -------------------------------------------------------------------------------------
def test_people_among_carriers_and_partners_are_pseudonymised(corpus):
    pseudo = load_corpus(pseudonymiser=True)
    ids = {p for col in ("porteurs", "partenaires") for ps in pseudo.actions[col] for p in ps}
    assert not ids & set(corpus.personnes["personne_id"])
    assert {pseudonym("patricia-coler")[0], pseudonym("jean-louis-laville")[0]} <= ids
    text = json.dumps(pseudo.actions.astype(str).to_dict("records"), ensure_ascii=False)
    assert "Laville" not in text and "LAVILLE" not in text
    section = plan.plan_section(pseudo, "fr", "2020-02-01")
    html = section._repr_html_() + json.dumps(section.snapshot, ensure_ascii=False)
    html += " ".join(plan.plan_next_steps(pseudo, "occitanie", "2020-02-01"))
    for name in ("Patricia", "COLER", "Laville", "LAVILLE", "DONDEYNE", "LASNIER"):
        assert name not in html, name
    assert pseudonym("patricia-coler")[1] in html


# --- since the previous brief --------------------------------------------------------------------
def _previous_brief(path, corpus, territoire, ref):
    """An executed notebook whose output shows the plan section (as the brief does)."""
    from IPython.core.formatters import DisplayFormatter

    data, metadata = DisplayFormatter().format(plan.plan_section(corpus, territoire, ref))
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("mesra.plan_section(corpus, territoire, date_reference)")
    cell.outputs = [nbformat.v4.new_output("execute_result", data=data, metadata=metadata, execution_count=1)]
    nb.cells = [cell]
    nbformat.write(nb, path)
    plan.save_facts(path, corpus, plan.read_plan_snapshot(path))  # as the batch keeps them beside each note
    return path


def test_changes_since_the_previous_brief(data_dir, tmp_path):
    before = load_corpus(data_dir)
    previous = _previous_brief(tmp_path / "note.ipynb", before, "occitanie", "2020-02-01")
    assert plan.read_plan_snapshot(previous)["date_reference"] == "2020-02-01"
    assert plan.changes_since(previous, before, "occitanie", date_reference="2020-02-01") == [
        # an older note kept only its plan
        "Aucun changement du plan d'action depuis la note précédente, la seule partie qu'elle a enregistrée."
    ]
    _suivi(data_dir, "axe2-communication-groupe-europeen,2020-03-02,fait,,")
    with open(data_dir / "actions.csv", "a", encoding="utf-8") as fh:
        fh.write(
            "occ-nouvelle,4,Une nouvelle action régionale,mes-occitanie,,2020-09,,,prevu,,"
            "actes-coconstruire-2019#L916\n"
        )
    after = load_corpus(data_dir)
    changes = plan.changes_since(previous, after, "occitanie", date_reference="2020-04-01")
    assert changes == [
        "« Communication autour de décisions au sein du groupe européen « Évaluation de l'utilité sociale » du RIPESS "
        "Europe » : prévue → faite, suivi du 2 mars 2020.",
        "Nouvelle action : « Une nouvelle action régionale » (en septembre 2020).",
        "La note précédente n'a enregistré que son plan d'action : le reste n'est pas comparé.",
    ]
    first = ["Première note de ce territoire dans ce dossier : il n'y a pas encore de note précédente à comparer."]
    assert plan.changes_since(None, after, "occitanie") == first and plan.changes_since("", after, "occitanie") == first
    assert plan.changes_since(tmp_path / "absente.ipynb", after, "occitanie") == first
    old = nbformat.v4.new_notebook()
    nbformat.write(old, tmp_path / "ancienne.ipynb")
    assert "n'a pas enregistré" in plan.changes_since(tmp_path / "ancienne.ipynb", after, "occitanie")[0]


def test_the_batch_gives_a_notebook_its_previous_copy_and_does_not_redo_it_on_a_new_day(tmp_path, monkeypatch):
    from mesra.batch import plan as batch_plan

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    params = (
        'data: str = ""  # corpus\npseudonymiser: bool = False  # pseudonymes\nterritoire: str = "fr"  # territoire\n'
        'date_reference: str = ""  # date\nnote_precedente: str = ""  # note précédente'
    )
    nb.cells = [nbformat.v4.new_code_cell(params, metadata={"tags": ["parameters"]})]
    path = tmp_path / "04-note.ipynb"
    nbformat.write(nb, path)
    corpus = load_corpus()
    out = tmp_path / "out"

    def jobs():
        return batch_plan.plan_jobs(
            corpus, ["occitanie"], [path], data_param="", pseudonymiser=False, out=out, kernel_name="python3"
        )

    job = jobs()[0]
    assert job.parameters["note_precedente"] == str(out / "territoires" / "occitanie" / "04-note.ipynb")
    assert "date_reference" not in job.parameters  # empty: the corpus's own date, in the notebook
    key = job.key

    class Tomorrow(dt.date):
        @classmethod
        def today(cls):
            return dt.date(2100, 1, 1)

    monkeypatch.setattr(dt, "date", Tomorrow)  # a new day changes nothing the notebook reads
    assert jobs()[0].key == key


def test_the_api_exposes_the_plan_functions():
    for name in ("actions_for", "due_within", "past_due", "without_carrier", "partners_to_mobilise", "plot_timeline",
                 "plan_section", "plan_next_steps", "changes_since"):  # fmt: skip
        assert getattr(mesra, name) is getattr(plan, name)


def test_within_a_year_the_beginning_comes_before_the_end(corpus):
    # twenty-eighth reading: « fin 2022 » (L679) was listed before « début 2022 » (L678) on Hauts-de-France's fiche
    from mesra.analysis import plan

    for t in ("hauts-de-france", "fr"):
        ids = [a.action_id for a in plan.territory_plan(corpus, t).actions]
        assert ids.index("axe2-temps-fort-2022") < ids.index("axe2-bilan-2022"), t


def test_a_partner_tied_only_to_what_it_makes_is_still_to_mobilise(corpus):
    # twenty-eighth reading: the Labo de l'ESS carries its meeting on the PTCE (L370) and develops their map (L378),
    # with no one else: no cooperation with the network, so among the partners to mobilise (Axe 1, L464)
    from mesra.analysis import plan

    wanted = set(plan.partners_to_mobilise(corpus, "bourgogne-franche-comte")["acteur_id"])
    assert "labo-ess" in wanted
    # the CRID co-organises the Université d'été with Attac (L996): a thing shared is a tie
    assert "crid" not in set(plan.partners_to_mobilise(corpus, "fr")["acteur_id"])
