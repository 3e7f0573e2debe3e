"""`mesra import decidim`: an open-data export becomes a valid corpus, authors pseudonymised."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import pytest
from helpers import assert_import_writes_nothing, snapshot

from mesra import MesraError, ParameterError, check_corpus, load_corpus
from mesra.cli import main
from mesra.importers.decidim import import_decidim, read_decidim, read_decidim_csv

FIX = Path(__file__).parent / "fixtures" / "decidim" / "participer.example.org-open-data"
HOST = "participer.example.org"


def rows(entity):
    data = (FIX / f"{HOST}-open-data-{entity}.csv").read_text("utf-8")
    return list(csv.DictReader(io.StringIO(data), delimiter=";"))


@pytest.fixture
def archive(tmp_path):
    path = tmp_path / f"{HOST}-open-data.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for p in sorted(FIX.glob("*.csv")):
            zf.write(p, p.name)
    return path


@pytest.fixture
def imported(tmp_path, archive):
    out = tmp_path / "plateforme"
    report = import_decidim(archive, out, territoire="cote-d-or")
    return out, report


def test_zip_becomes_a_valid_corpus(imported):
    out, report = imported
    assert report.applied
    assert check_corpus(out) == []
    corpus = load_corpus(out)
    assert report.source_id == "decidim-participer-example-org"
    assert corpus.acteurs["source"].str.startswith(report.source_id + "#").all()


def test_processes_and_meetings_become_projects_and_events(imported):
    out, _ = imported
    corpus = load_corpus(out)
    by_source = dict(zip(corpus.acteurs["source"], corpus.acteurs["type"]))
    for p in rows("participatory_processes"):
        assert by_source[f"decidim-participer-example-org#participatory_processes:{p['id']}"] == "projet"
    for m in rows("meetings"):
        assert by_source[f"decidim-participer-example-org#meetings:{m['id']}"] == "evenement"


def test_two_sessions_of_one_workshop_stay_two_events(imported):
    out, _ = imported
    corpus = load_corpus(out)
    titles = [m["title/fr"] for m in rows("meetings")]
    repeated = next(t for t in titles if titles.count(t) == 2)
    events = corpus.acteurs[corpus.acteurs["nom"].str.startswith(repeated)]
    assert len(events) == 2 and events["acteur_id"].is_unique


def test_free_text_organisations_become_actors_tied_to_meetings(imported):
    out, _ = imported
    corpus = load_corpus(out)
    names = dict(zip(corpus.acteurs["nom"], corpus.acteurs["acteur_id"]))
    meeting = next(m for m in rows("meetings") if m["id"] == "11")
    expected = [s.strip() for s in re.split(r"[,;]", meeting["organizations"])]
    event = corpus.acteurs.loc[corpus.acteurs["source"].str.endswith("#meetings:11"), "acteur_id"].item()
    ties = corpus.liens[(corpus.liens["cible_id"] == event) & (corpus.liens["relation"] == "participe_a")]
    assert {names[n] for n in expected} == set(ties["source_id"])
    # the same organisation named twice (a meeting, a promoter group) is one actor
    assert list(corpus.acteurs["nom"]).count("Association Exemple des jardins") == 1
    assert names["Association Exemple des jardins"] in set(
        corpus.liens.loc[corpus.liens["relation"] == "porte", "source_id"]
    )
    # types from the organisation's name
    types = dict(zip(corpus.acteurs["nom"], corpus.acteurs["type"]))
    assert types["Association Exemple des jardins"] == "association"
    assert types["Coopérative Exemple Bio"] == "cooperative"
    assert types["Ville d'Exemple"] == "collectivite"


def test_meetings_are_tied_to_their_process(imported):
    out, _ = imported
    corpus = load_corpus(out)
    process = corpus.acteurs.loc[
        corpus.acteurs["source"].str.endswith("#participatory_processes:2"), "acteur_id"
    ].item()
    members = set(
        corpus.liens.loc[
            (corpus.liens["cible_id"] == process) & (corpus.liens["relation"] == "participe_a"), "source_id"
        ]
    )
    ids = dict(zip(corpus.acteurs["source"], corpus.acteurs["acteur_id"]))
    for m in rows("meetings"):
        if m["participatory_space/id"] == "2":
            assert ids[f"decidim-participer-example-org#meetings:{m['id']}"] in members


def test_meeting_territories(imported):
    out, report = imported
    corpus = load_corpus(out)
    terr = dict(zip(corpus.acteurs["source"], corpus.acteurs["territoire_id"]))
    codes = dict(zip(corpus.territoires["territoire_id"], corpus.territoires["code_insee"]))
    src = "decidim-participer-example-org#meetings:"
    assert codes[terr[src + "11"]] == "21231"  # 21000 Dijon
    assert codes[terr[src + "12"]] == "21278"  # 21121 Fontaine-lès-Dijon
    assert terr[src + "13"] == "cote-d-or"  # online: the platform's territory
    assert terr[src + "14"] == "cote-d-or"  # 99999: not found, platform's territory
    assert report.territories.counts["introuvable"] == 1
    assert "99999" in report.territories.unresolved[0][2] and "cote-d-or" in report.territories.unresolved[0][2]


def test_translated_fields_fall_back_to_another_locale(imported):
    out, _ = imported
    names = set(load_corpus(out).acteurs["nom"])
    walk = next(m for m in rows("meetings") if not m["title/fr"])
    assert any(n.startswith(walk["title/en"]) for n in names)


def test_authors_are_pseudonymised_and_stable(tmp_path, archive, imported):
    out, _ = imported
    real = {r["author/name"] for r in rows("proposals") + rows("proposal_comments") if r["author/name"]}
    assert real
    for data in snapshot(out).values():
        assert not any(name in data.decode("utf-8") for name in real)
    corpus = load_corpus(out)
    ids = set(corpus.personnes["personne_id"])
    assert all(re.fullmatch(r"personne-[0-9a-f]{6}", i) for i in ids)
    authors = {r["author/id"] for r in rows("proposals") + rows("proposal_comments") if r["author/id"]}
    assert len(ids) == len(authors)  # one person per Decidim author, proposals and comments alike
    again = tmp_path / "encore"
    import_decidim(archive, again)
    assert set(load_corpus(again).personnes["personne_id"]) == ids
    assert (corpus.liens["source_id"].isin(ids) & (corpus.liens["relation"] == "participe_a")).sum() >= len(ids)


def test_real_names_only_on_request(tmp_path, archive, capsys):
    out = tmp_path / "noms"
    assert main(["import", "decidim", str(archive), "--out", str(out), "--no-pseudonymiser"]) == 0
    names = set(load_corpus(out).personnes["nom"])
    assert {r["author/name"] for r in rows("proposals") if r["author/name"]} <= names
    assert "vrais noms" in capsys.readouterr().out


def test_folder_comma_separator_and_bom_are_accepted(tmp_path):
    folder = tmp_path / "csv"
    folder.mkdir()
    for p in FIX.glob("*.csv"):
        records = list(csv.reader(io.StringIO(p.read_text("utf-8")), delimiter=";"))
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\r\n").writerows(records)
        (folder / p.name).write_bytes(b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8"))
    a = read_decidim(FIX)
    b = read_decidim(folder)
    assert a.tables == b.tables


def test_single_csv_and_renamed_file(tmp_path):
    renamed = tmp_path / "reunions.csv"
    renamed.write_bytes((FIX / f"{HOST}-open-data-meetings.csv").read_bytes())
    batch = read_decidim(renamed)
    assert {a["type"] for a in batch.tables["acteurs"]} >= {"evenement"}
    assert len([a for a in batch.tables["acteurs"] if a["type"] == "evenement"]) == len(rows("meetings"))


def test_formula_guard_is_kept():
    # Decidim prefixes formula-like cells with « ' »; removing it would hand the formula to a spreadsheet
    header, data = read_decidim_csv(b"id;title/fr;body/fr\n1;'=A1;'-1 pas d'accord\n", "x.csv")
    assert data[0]["title/fr"] == "'=A1" and data[0]["body/fr"] == "'-1 pas d'accord"


def _zip(tmp_path, members):
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for name, content in members.items():
            zf.writestr(name, content)
    return path


def _truncated_zip(tmp_path):
    good = _zip(tmp_path, {f"{HOST}-open-data-meetings.csv": (FIX / f"{HOST}-open-data-meetings.csv").read_bytes()})
    path = tmp_path / "tronque.zip"
    path.write_bytes(good.read_bytes()[:200])
    return path


def _tab(tmp_path):
    path = tmp_path / "meetings.csv"
    text = (FIX / f"{HOST}-open-data-meetings.csv").read_text("utf-8")
    path.write_text(text.replace(";", "\t"), "utf-8")
    return path


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda t: _zip(t, {}), "aucun fichier CSV"),
        (lambda t: _zip(t, {"LISEZMOI.md": "rien"}), "aucun fichier CSV"),
        (_truncated_zip, "zip"),
        (_tab, "séparateur « tabulation »"),
        (lambda t: _zip(t, {"x-open-data-meetings.csv": "titre;date\nA;B\n"}), "colonne « id » absente"),
        (lambda t: _zip(t, {"x-open-data-meetings.csv": ""}), "est vide"),
        (lambda t: _zip(t, {"x-open-data-meetings.csv": 'id;title/fr\n1;"non fermé\n'}), "CSV mal formé"),
        (lambda t: _zip(t, {"x-open-data-results.csv": "id;title/fr\n1;Résultat\n"}), "aucune table Decidim reconnue"),
        (lambda t: _zip(t, {"x-open-data-meetings.csv": "id;title/fr\n1;\n"}), "aucun processus"),
        (lambda t: t / "absent.zip", "introuvable"),
    ],
)
def test_malformed_exports_write_nothing(tmp_path, mini_dir, make, match):
    assert_import_writes_nothing(import_decidim, make(tmp_path), tmp_path, mini_dir, match)


def test_unknown_platform_territory(tmp_path, archive):
    with pytest.raises(ParameterError, match="territoire « cote-dor » inconnu.*cote-d-or"):
        import_decidim(archive, tmp_path / "out", territoire="cote-dor")
    assert not (tmp_path / "out").exists()


def test_platform_territory_may_come_from_the_corpus(archive, mini_dir):
    report = import_decidim(archive, mini_dir, territoire="ales", force=True)
    assert report.applied
    assert check_corpus(mini_dir) == []
    corpus = load_corpus(mini_dir)
    online = corpus.acteurs.loc[corpus.acteurs["source"].str.endswith("#meetings:13"), "territoire_id"].item()
    assert online == "ales"


def test_cli_summary_and_errors(tmp_path, archive, capsys):
    out = tmp_path / "out"
    assert main(["import", "decidim", str(archive), "--out", str(out), "--territoire", "cote-d-or"]) == 0
    text = capsys.readouterr().out
    assert "Acteurs :" in text and "Personnes : 3 créée(s)" in text and "pseudonymisées" in text
    assert "Fichiers écrits : sources.csv, territoires.csv, acteurs.csv, personnes.csv, liens.csv" in text
    assert main(["import", "decidim", str(archive), "--out", str(out)]) == 1
    assert "--force" in capsys.readouterr().out
    assert main(["import", "decidim", str(_tab(tmp_path)), "--out", str(tmp_path / "x")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("erreur : ") and "Traceback" not in err


# --- fuzzing: whatever the cells, a French error or a valid corpus --------------
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_COLUMNS = [
    "id",
    "title/fr",
    "title/en",
    "slug",
    "start_date",
    "developer_group/fr",
    "organizations",
    "address",
    "start_time",
    "participatory_space/id",
    "participatory_space/url",
    "author/id",
    "author/name",
    "user_group/name",
    "root_commentable_url",
    "published_at",
    "created_at",
]
_cell = st.text(max_size=15) | st.sampled_from(
    ["1", "2", "21000 Dijon", "'=A1", "https://x/processes/a", "Association A, Mairie B ; C", "2021-04-12 18:00"]
)


@st.composite
def _csv_file(draw):
    header = draw(st.lists(st.sampled_from(_COLUMNS), min_size=1, max_size=8, unique=True))
    rows = draw(st.lists(st.lists(_cell, min_size=len(header), max_size=len(header)), max_size=5))
    buf = io.StringIO()
    csv.writer(buf, delimiter=draw(st.sampled_from([";", ",", "\t"]))).writerows([header, *rows])
    entity = draw(
        st.sampled_from(
            ["participatory_processes", "meetings", "proposals", "proposal_comments", "assemblies", "autre"]
        )
    )
    return f"x-open-data-{entity}.csv", buf.getvalue().encode(
        draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"])), "replace"
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(files=st.lists(_csv_file(), min_size=1, max_size=4, unique_by=lambda f: f[0]))
def test_fuzzed_exports_give_a_french_error_or_a_valid_corpus(tmp_path_factory, files):
    folder = tmp_path_factory.mktemp("fuzz")
    path = _zip(folder, dict(files))
    try:
        report = import_decidim(path, folder / "out")
    except MesraError as exc:
        assert str(exc)
        assert not (folder / "out").exists()
        return
    assert report.applied
    assert check_corpus(folder / "out") == []
