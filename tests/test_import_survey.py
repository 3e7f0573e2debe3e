"""`mesra import decidim-enquete` / `mesra import kobo`: co-evaluation answers, counted against the exports."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from mesra import MesraError
from mesra.cli import main
from mesra.importers.survey import RESPONSE_COLUMNS, import_survey

FIX = Path(__file__).parent / "fixtures"
DEC = FIX / "enquete-decidim"
KOBO = FIX / "kobo"
DEC_CSV = DEC / "reponses-enquete.csv"
DEC_MAP = DEC / "correspondance.csv"
REF = DEC / "referentiel-utilite-sociale-v1.yaml"
KOBO_LAB = KOBO / "coevaluation-libelles.csv"
KOBO_XML = KOBO / "coevaluation-xml.csv"
DEC_VIEW = "1. Vous répondez en tant que :"
KOBO_VIEW = "Vous répondez en tant que"


def source(path: Path, skip_tags: bool = False) -> list[dict[str, str]]:
    """The export's rows as the csv module reads them (the reference the counts are checked against)."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    return rows[1:] if skip_tags else rows


def mapping(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        text = fh.read()
    return list(csv.DictReader(text.splitlines(), delimiter=";" if text.count(";") > text.count(",") else ","))


def expected(rows, map_rows, nsp_label: str) -> tuple[int, int, int]:
    """(answers, nsp answers, empty level cells) computed from the export and the mapping files."""
    level_cols = {m["colonne"]: m["question_id"] for m in map_rows if m["question_id"] and not m["niveau"]}
    text_cols = {
        m["colonne"]: m["question_id"]
        for m in map_rows
        if m["question_id"] and m["niveau"] in ("commentaire", "preuve")
    }
    answers, nsp, empty = 0, 0, 0
    for r in rows:
        questions = {q for c, q in {**level_cols, **text_cols}.items() if r[c].strip()}
        answers += len(questions)
        nsp += sum(r[c].strip() == nsp_label for c in level_cols)
        empty += sum(not r[c].strip() for c in level_cols)
    return answers, nsp, empty


def written(out: Path) -> list[dict[str, str]]:
    with open(out / "evaluation" / "reponses.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and list(rows[0]) == list(RESPONSE_COLUMNS)
    return rows


def decidim(out: Path, **kw):
    args = dict(correspondance=DEC_MAP, campagne="ag-2024", colonne_point_de_vue=DEC_VIEW, referentiel=REF)
    return import_survey("decidim", kw.pop("path", DEC_CSV), out, **(args | kw))


def kobo(path: Path, out: Path, map_path: Path, view: str, **kw):
    args = dict(correspondance=map_path, campagne="ag-2024", colonne_point_de_vue=view, referentiel=REF)
    return import_survey("kobo", path, out, **(args | kw))


# --- Decidim -----------------------------------------------------------------------------------
def test_decidim_every_respondent_and_answer_counted_from_the_export(tmp_path):
    rows = source(DEC_CSV)
    answers, nsp, empty = expected(rows, mapping(DEC_MAP), "Ne sait pas")
    report = decidim(tmp_path / "c")
    out = written(tmp_path / "c")
    assert report.respondents == len(rows) == 7
    assert report.answers == len(out) == answers
    assert report.nsp == nsp == sum(r["niveau"] == "nsp" for r in out)
    assert report.empty == empty
    assert len({r["evaluateur_id"] for r in out}) == len(rows)  # every respondent answered something
    # the bare matrix column Decidim adds for a respondent who skipped the matrix is empty, said so
    assert report.empty_columns == ["3. Pour chaque affirmation, indiquez votre avis"]
    assert report.unused == []
    assert "Statut de l'utilisateur" in report.ignored_metadata


def test_decidim_levels_matrix_rows_viewpoints_and_texts(tmp_path):
    decidim(tmp_path / "c")
    out = written(tmp_path / "c")
    src = source(DEC_CSV)
    by = {(r["evaluateur_id"], r["question_id"]): r for r in out}
    first = next(iter(dict.fromkeys(r["evaluateur_id"] for r in out)))
    levels = {"Pas du tout": "1", "Un peu": "2", "Beaucoup": "3", "Tout à fait": "4", "Ne sait pas": "nsp"}
    matrix = "3. Pour chaque affirmation, indiquez votre avis/"
    assert (
        by[first, "q-benevoles-formes"]["niveau"] == levels[src[0][matrix + "Les bénévoles sont formés, accompagnés"]]
    )
    assert (
        by[first, "q-decisions-expliquees"]["niveau"]
        == levels[src[0][matrix + "Les décisions sont expliquées aux membres"]]
    )
    # a multiple answer (choices joined by ", ", one holding a comma) goes whole to the evidence
    assert by[first, "q-comptes-accessibles"]["preuve"] == src[0]["4. Quels documents avez-vous consultés ?"]
    assert by[first, "q-participation-1"]["commentaire"] == src[0]["5. Un commentaire sur la participation ?"]
    assert "\n" in next(r["commentaire"] for r in out if "Réunions" in r["commentaire"])
    views = {"Membre de la structure": "soi", "Bénéficiaire": "beneficiaire", "Partenaire": "partenaire"}
    per_respondent = dict(zip(dict.fromkeys(r["evaluateur_id"] for r in out), src))
    for r in out:
        assert r["point_de_vue"] == views[per_respondent[r["evaluateur_id"]][DEC_VIEW]]


def test_decidim_evaluators_are_pseudonymous_and_stable(tmp_path):
    decidim(tmp_path / "a")
    decidim(tmp_path / "b")
    a, b = written(tmp_path / "a"), written(tmp_path / "b")
    assert [r["evaluateur_id"] for r in a] == [r["evaluateur_id"] for r in b]
    text = (tmp_path / "a" / "evaluation" / "reponses.csv").read_text(encoding="utf-8")
    for r in source(DEC_CSV):
        assert r["ID de réponse"] not in text and r["Hachage IP"] not in text and r["Répondu le"] not in text
    assert all(re.fullmatch(r"e-[0-9a-f]{10}", r["evaluateur_id"]) for r in a)
    other = import_survey(
        "decidim", DEC_CSV, tmp_path / "o", correspondance=DEC_MAP, campagne="ag-2025", colonne_point_de_vue=DEC_VIEW
    )
    assert other.answers == len(a)
    assert not {r["evaluateur_id"] for r in a} & {r["evaluateur_id"] for r in written(tmp_path / "o")}


def test_decidim_formulas_stay_guarded(tmp_path):
    decidim(tmp_path / "c")
    comments = [r["commentaire"] for r in written(tmp_path / "c") if r["commentaire"]]
    assert "'=SOMME(A1:A3) n'est pas une formule" in comments
    assert "'-- rien à ajouter" in comments
    assert not any(c[:1] in "=+-@" for c in comments)


def test_decidim_json_export_gives_the_same_answers(tmp_path):
    import json

    decidim(tmp_path / "csv")
    decidim(tmp_path / "json", path=DEC / "reponses-enquete.json")
    n = len(json.loads((DEC / "reponses-enquete.json").read_text(encoding="utf-8")))
    from_json = written(tmp_path / "json")
    ids = list(dict.fromkeys(r["evaluateur_id"] for r in from_json))
    assert len(ids) == n
    assert from_json == [r for r in written(tmp_path / "csv") if r["evaluateur_id"] in ids]


def test_decidim_free_text_choice_goes_to_the_comment(tmp_path):
    text = DEC_CSV.read_text(encoding="utf-8").replace(
        ";Beaucoup;Beaucoup;Un peu;Un peu;", ";Beaucoup (souvent);Beaucoup;Un peu;Un peu;"
    )
    path = tmp_path / "export.csv"
    path.write_text(text, encoding="utf-8")
    report = decidim(tmp_path / "c", path=path)
    assert report.free_text == 1
    row = next(r for r in written(tmp_path / "c") if r["commentaire"].startswith("souvent"))
    assert row["niveau"] == "3" and row["question_id"] == "q-participation-1"


# --- KoboToolbox ---------------------------------------------------------------------------------
def test_kobo_labels_counted_from_the_export(tmp_path):
    rows = source(KOBO_LAB)
    answers, nsp, empty = expected(rows, mapping(KOBO / "correspondance-libelles.csv"), "Ne sait pas")
    report = kobo(KOBO_LAB, tmp_path / "c", KOBO / "correspondance-libelles.csv", KOBO_VIEW)
    out = written(tmp_path / "c")
    assert report.respondents == len(rows) == 6
    assert report.answers == len(out) == answers
    assert report.nsp == nsp and report.empty == empty
    # unmapped columns with content are named; metadata (usernames included) never copied
    assert "Quelles pratiques existent dans la structure ?" in report.unused
    assert {"_uuid", "_submitted_by", "_submission_time"} <= set(report.ignored_metadata)
    text = (tmp_path / "c" / "evaluation" / "reponses.csv").read_text(encoding="utf-8")
    assert not any(r["_uuid"] in text or r["_submission_time"] in text for r in rows)


def test_kobo_select_multiple_choice_column_mapped_to_levels(tmp_path):
    kobo(KOBO_LAB, tmp_path / "c", KOBO / "correspondance-libelles.csv", KOBO_VIEW)
    out = [r for r in written(tmp_path / "c") if r["question_id"] == "q-ag-annuelle"]
    col = "Quelles pratiques existent dans la structure ?/AG annuelle"
    src = [r[col] for r in source(KOBO_LAB) if r[col]]
    assert [r["niveau"] for r in out] == [{"1": "2", "0": "1"}[v] for v in src]
    assert "1" in src and "0" in src


def test_kobo_xml_headers_with_groups_and_tags_row_give_the_same_answers(tmp_path):
    xml = kobo(KOBO_XML, tmp_path / "x", KOBO / "correspondance-xml.csv", "gouvernance/point_de_vue")
    lab = kobo(KOBO_LAB, tmp_path / "l", KOBO / "correspondance-libelles.csv", KOBO_VIEW)
    assert xml.respondents == len(source(KOBO_XML, skip_tags=True)) == lab.respondents
    strip = [{k: v for k, v in r.items() if k != "preuve"} for r in written(tmp_path / "x")]
    assert strip == [{k: v for k, v in r.items() if k != "preuve"} for r in written(tmp_path / "l")]


def test_kobo_select_multiple_summary_with_spaces_in_labels(tmp_path):
    m = tmp_path / "map.csv"
    m.write_text(
        "colonne;question_id;choix;niveau\n"
        "Quels documents avez-vous consultés ?;q-comptes-accessibles;;\n"
        ";;Compte rendu d'AG;3\n;;Budget prévisionnel;3\n;;Rapport d'activité;2\n",
        encoding="utf-8",
    )
    with pytest.raises(MesraError) as err:
        kobo(KOBO_LAB, tmp_path / "c", m, None, point_de_vue="soi")
    # "Budget prévisionnel Rapport d'activité": two labels, two different levels
    assert "plusieurs choix de niveaux différents (Budget prévisionnel ; Rapport d'activité)" in str(err.value)
    assert not (tmp_path / "c").exists()
    m.write_text(m.read_text(encoding="utf-8").replace("activité;2", "activité;3"), encoding="utf-8")
    report = kobo(KOBO_LAB, tmp_path / "c", m, None, point_de_vue="soi")
    filled = [r for r in source(KOBO_LAB) if r["Quels documents avez-vous consultés ?"]]
    assert report.answers == len(filled) and all(r["niveau"] == "3" for r in written(tmp_path / "c"))


# --- bad mappings and inputs: French messages, nothing written ---------------------------------
@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t.replace("5. Un commentaire", "5. Une remarque"), "absente de l'export"),
        (lambda t: t + ",,Tout à fait,nsp\n", "le choix « Tout à fait » a déjà le niveau 4"),
        (lambda t: t.replace(",,Tout à fait,4", ",,Tout à fait,7"), "niveau 7 absent des niveaux"),
        (lambda t: t.replace("q-benevoles-formes", "q-inconnue"), "question « q-inconnue » absente"),
        (
            lambda t: t.replace(
                '"3. Pour chaque affirmation, indiquez votre avis/Les comptes sont accessibles à tous"',
                "3. Pour chaque affirmation, indiquez votre avis/Les comptes sont accessibles à tous",
            ),
            "doit être entre guillemets",
        ),
        (lambda t: t.replace(",,Un peu,2", ",,Un peu,deux"), "un entier (la valeur du niveau) ou « nsp »"),
        (lambda t: t.replace("Partenaire,partenaire", "Partenaire,Partenaire"), "point de vue « Partenaire »"),
        (lambda t: t.replace(",Membre de la structure,soi\n", ",Membre,soi\n"), "« Membre de la structure » inconnu"),
    ],
)
def test_bad_mapping_is_refused_in_french(tmp_path, edit, message):
    m = tmp_path / "correspondance.csv"
    m.write_text(edit(DEC_MAP.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(MesraError) as err:
        decidim(tmp_path / "c", correspondance=m)
    assert message in str(err.value)
    assert "rien n'a été écrit" in str(err.value) or "--point-de-vue" not in str(err.value)
    assert not (tmp_path / "c").exists()


def test_unmapped_choice_without_referential(tmp_path):
    m = tmp_path / "correspondance.csv"
    m.write_text(DEC_MAP.read_text(encoding="utf-8").replace(",,Tout à fait,4\n", ""), encoding="utf-8")
    with pytest.raises(MesraError, match="choix « Tout à fait » sans niveau") as err:
        decidim(tmp_path / "c", correspondance=m, referentiel=None)
    assert "rien n'a été écrit" in str(err.value) and not (tmp_path / "c").exists()
    # with the referential, its level labels are recognised without a mapping row
    report = decidim(tmp_path / "c", correspondance=m)
    assert report.answers == expected(source(DEC_CSV), mapping(DEC_MAP), "")[0]


def test_viewpoint_options_and_campaign(tmp_path):
    with pytest.raises(MesraError, match="--point-de-vue"):
        decidim(tmp_path / "c", point_de_vue="soi")  # both a constant and a column
    with pytest.raises(MesraError, match="point de vue « voisin » inconnu"):
        decidim(tmp_path / "c", colonne_point_de_vue=None, point_de_vue="voisin")
    out = tmp_path / "c"
    (out / "evaluation" / "referentiels").mkdir(parents=True)
    (out / "evaluation" / "referentiels" / "utilite-sociale-v1.yaml").write_bytes(REF.read_bytes())
    (out / "evaluation" / "campagnes.csv").write_text(
        "campagne_id,titre,referentiel,version,acteur_id,territoire_id,debut,fin,points_de_vue,synthetique,source\n"
        "ag-2024,Exemple,utilite-sociale,1,,occitanie,2024-03,2024-04,soi|beneficiaire,oui,\n",
        encoding="utf-8",
    )
    with pytest.raises(MesraError, match="campagne « ag-2023 » n'est pas décrite"):
        decidim(out, campagne="ag-2023")
    with pytest.raises(MesraError, match="point de vue « Partenaire » inconnu"):
        decidim(out, referentiel=None)  # the campaign lists only soi|beneficiaire
    report = decidim(out, referentiel=None, point_de_vue="soi", colonne_point_de_vue=None)
    assert report.referential == out / "evaluation" / "referentiels" / "utilite-sociale-v1.yaml"


# --- writing into an existing reponses.csv ------------------------------------------------------
def test_existing_answers_preview_then_force_appends_without_loss(tmp_path):
    out = tmp_path / "c"
    decidim(out)
    path = out / "evaluation" / "reponses.csv"
    first = path.read_bytes()
    again = decidim(out)
    assert not again.applied and again.already == again.answers and path.read_bytes() == first
    assert "--force" in again.summary()
    same = decidim(out, force=True)
    assert same.applied and same.written is None and path.read_bytes() == first
    # the group's own edits (separator, extra column, line ends) are kept, new rows follow
    own = first.decode().replace(",", ";").replace("\n", "\r\n").replace("preuve\r\n", "preuve;note\r\n", 1)
    path.write_bytes(own.encode())
    preview = decidim(out, campagne="ag-2025")
    assert not preview.applied and path.read_bytes() == own.encode()
    added = decidim(out, campagne="ag-2025", force=True)
    data = path.read_bytes()
    assert data.startswith(own.encode()) and added.backup is not None
    assert (added.backup / "reponses.csv").read_bytes() == own.encode()
    new = data[len(own.encode()) :].decode().split("\r\n")[:-1]
    assert len(new) == added.answers and all(line.startswith("ag-2025;") for line in new)


def test_conflicting_answer_is_refused(tmp_path):
    out = tmp_path / "c"
    decidim(out)
    path = out / "evaluation" / "reponses.csv"
    text = path.read_text(encoding="utf-8")
    changed = text.replace(",q-participation-1,4,", ",q-participation-1,1,", 1)
    assert changed != text
    path.write_text(changed, encoding="utf-8")
    with pytest.raises(MesraError, match="contient déjà d'autres réponses"):
        decidim(out, force=True)
    assert path.read_text(encoding="utf-8") == changed


# --- command line ----------------------------------------------------------------------------------
def test_cli_kobo_and_decidim(tmp_path, capsys):
    out = tmp_path / "c"
    args = ["--out", str(out), "--campagne", "ag-2024", "--referentiel", str(REF)]
    rc = main(["import", "kobo", str(KOBO_LAB), "--correspondance", str(KOBO / "correspondance-libelles.csv"),
               "--colonne-point-de-vue", KOBO_VIEW, *args])  # fmt: skip
    printed = capsys.readouterr().out
    assert rc == 0 and "6 répondant(s) lu(s)" in printed and "Colonnes non utilisées" in printed
    rc = main(["import", "decidim-enquete", str(DEC_CSV), "--correspondance", str(DEC_MAP), "--point-de-vue", "soi",
               *args])  # fmt: skip
    assert rc == 1 and "--force" in capsys.readouterr().out  # a reponses.csv exists: preview only
    rc = main(["import", "decidim-enquete", str(DEC_CSV), "--correspondance", str(DEC_MAP), "--point-de-vue", "soi",
               "--force", *args])  # fmt: skip
    assert rc == 0
    kobo_answers = expected(source(KOBO_LAB), mapping(KOBO / "correspondance-libelles.csv"), "")[0]
    assert len(written(out)) == kobo_answers + expected(source(DEC_CSV), mapping(DEC_MAP), "")[0]
