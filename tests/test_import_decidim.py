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


def rows(entity, folder: Path = FIX):
    """The rows of one of the export's CSV files (``folder``: which export)."""
    data = (folder / f"{HOST}-open-data-{entity}.csv").read_text("utf-8")
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
    assert terr[src + "13"] == "cote-d-or"  # no address: the platform's territory
    assert terr[src + "14"] == "cote-d-or"  # 99999: not found, platform's territory
    assert codes[terr[src + "15"]] == "21231"  # "Hôtel de ville, Dijon (21000)"
    assert codes[terr[src + "16"]] == "21166"  # "Maison des associations, Chenôve": unique in France
    assert report.territories.counts["introuvable"] == 1
    # the 0.27 layout has no type_of_meeting: a meeting without address is not said to be online
    assert any("1 réunion sans adresse : rattachée" in n for n in report.notes)
    assert not any("en ligne" in n for n in report.notes)
    assert "99999" in report.territories.unresolved[0][2] and "cote-d-or" in report.territories.unresolved[0][2]


def test_translated_fields_fall_back_to_another_locale(imported):
    out, _ = imported
    names = set(load_corpus(out).acteurs["nom"])
    walk = next(m for m in rows("meetings") if not m["title/fr"])
    assert any(n.startswith(walk["title/en"]) for n in names)


def test_the_fixture_follows_the_0_27_layout():
    # ProposalSerializer and MeetingSerializer of that layout publish no author; comments do
    assert not any(k.startswith("author/") for k in rows("proposals")[0])
    assert not any(k.startswith("author/") or k == "type_of_meeting" for k in rows("meetings")[0])
    assert {"category/id", "scope/id"} <= set(rows("meetings")[0]) and "author/id" in rows("proposal_comments")[0]


def test_authors_are_pseudonymised_and_stable(tmp_path, archive, imported):
    out, _ = imported
    real = {r["author/name"] for r in rows("proposal_comments") if r["author/name"]}
    assert real
    for data in snapshot(out).values():
        assert not any(name in data.decode("utf-8") for name in real)
    corpus = load_corpus(out)
    ids = set(corpus.personnes["personne_id"])
    assert all(re.fullmatch(r"personne-[0-9a-f]{6}", i) for i in ids)
    authors = {r["author/id"] for r in rows("proposal_comments") if r["author/id"]}
    assert len(ids) == len(authors)  # one person per Decidim author
    again = tmp_path / "encore"
    import_decidim(archive, again)
    assert set(load_corpus(again).personnes["personne_id"]) == ids
    assert (corpus.liens["source_id"].isin(ids) & (corpus.liens["relation"] == "participe_a")).sum() >= len(ids)


def test_real_names_only_on_request(tmp_path, archive, capsys):
    out = tmp_path / "noms"
    assert main(["import", "decidim", str(archive), "--out", str(out), "--no-pseudonymiser"]) == 0
    names = set(load_corpus(out).personnes["nom"])
    assert {r["author/name"] for r in rows("proposal_comments") if r["author/name"]} <= names
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
        (
            lambda t: _zip(t, {"x-open-data-meetings.csv": "id;title/fr\n1;\n"}),
            "rien d.importable.*Tables lues : meetings",
        ),
        (lambda t: t / "absent.zip", "introuvable"),
    ],
)
def test_malformed_exports_write_nothing(tmp_path, mini_dir, make, match):
    assert_import_writes_nothing(import_decidim, make(tmp_path), tmp_path, mini_dir, match)


def test_unknown_platform_territory(tmp_path, archive):
    with pytest.raises(ParameterError, match="Territoire « cote-dor » inconnu.*cote-d-or"):
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


# --- the current serializers' layout (fixtures/decidim/actuel; issue 14) ------------------------------
CURRENT = Path(__file__).parent / "fixtures" / "decidim" / "actuel" / f"{HOST}-open-data"
SRC = "decidim-participer-example-org#"


def current_rows(entity):
    return rows(entity, CURRENT)


@pytest.fixture
def current(tmp_path):
    out = tmp_path / "actuel"
    report = import_decidim(CURRENT, out, territoire="cote-d-or", pseudonymiser=False)
    assert check_corpus(out) == []
    return load_corpus(out), report


def _id_of(corpus, locator):
    return corpus.acteurs.loc[corpus.acteurs["source"] == SRC + locator, "acteur_id"].item()


def _ties_to(corpus, target, relation="participe_a"):
    liens = corpus.liens
    return set(liens.loc[(liens["cible_id"] == target) & (liens["relation"] == relation), "source_id"])


def test_a_list_of_authors_is_split_into_people(current):
    corpus, _ = current
    p21 = next(r for r in current_rows("proposals") if r["id"] == "21")
    assert p21["author/id"] == "101, 102" and p21["author/name"] == "Camille Martin, Dominique Bernard"
    names = set(corpus.personnes["nom"])
    assert {"Camille Martin", "Dominique Bernard"} <= names
    assert not {n for n in names if "," in n}
    ids = dict(zip(corpus.personnes["nom"], corpus.personnes["personne_id"]))
    budget = _id_of(corpus, "participatory_processes:1")
    assert {ids["Camille Martin"], ids["Dominique Bernard"]} <= _ties_to(corpus, budget)


def test_authors_are_typed_and_ids_of_different_tables_never_merge(current):
    corpus, report = current
    # proposal 22 is official (author: the organisation, id 1); proposal 24 is by the user whose id is 1 too
    by_id = {r["id"]: r for r in current_rows("proposals")}
    assert by_id["22"]["author/id"] == by_id["24"]["author/id"] == "1"
    people = set(corpus.personnes["nom"])
    assert "Alex Petit" in people  # user 1
    assert "Ville d'Exemple" not in people  # organisation 1: an actor, not a person
    acteurs = corpus.acteurs.set_index("nom")
    assert acteurs.loc["Ville d'Exemple", "type"] == "collectivite"
    plan = _id_of(corpus, "participatory_processes:2")
    assert acteurs.loc["Ville d'Exemple", "acteur_id"] in _ties_to(corpus, plan)
    # proposal 23 was created in meeting 11: its author is that meeting's event, not a person
    assert by_id["23"]["created_in_meeting"] == "true"
    assert by_id["23"]["author/name"] not in people
    assert _id_of(corpus, "meetings:11") in _ties_to(corpus, plan)
    notes = [n for n in report.notes if n.startswith("Auteurs par type")]
    assert notes and "1 organisation de la plateforme (acteur)" in notes[0] and "1 réunion autrice" in notes[0]


def test_meeting_authors_carry_their_meeting(current):
    corpus, _ = current
    ids = dict(zip(corpus.personnes["nom"], corpus.personnes["personne_id"]))
    assert ids["Camille Martin"] in _ties_to(corpus, _id_of(corpus, "meetings:12"), "porte")
    ville = corpus.acteurs.loc[corpus.acteurs["nom"] == "Ville d'Exemple", "acteur_id"].item()
    assert ville in _ties_to(corpus, _id_of(corpus, "meetings:11"), "porte")


def test_user_groups_are_actors_and_their_members_people(current):
    corpus, _ = current
    group = current_rows("user_groups")[0]
    velo = corpus.acteurs.loc[corpus.acteurs["nom"] == group["name"], "acteur_id"].item()
    members = set(corpus.personnes.loc[corpus.personnes["nom"].isin(group["members/name"].split(", ")), "personne_id"])
    assert len(members) == int(group["members_count"]) == 2
    assert _ties_to(corpus, velo, "membre_de") == members
    # the group named in a meeting's free text is the same actor
    assert velo in _ties_to(corpus, _id_of(corpus, "meetings:11"))


def test_current_meetings_are_placed_by_address_or_type_of_meeting(current):
    corpus, report = current
    terr = dict(zip(corpus.acteurs["source"], corpus.acteurs["territoire_id"]))
    codes = dict(zip(corpus.territoires["territoire_id"], corpus.territoires["code_insee"]))
    assert codes[terr[SRC + "meetings:12"]] == "21231"  # "Hôtel de ville, Dijon (21000)"
    assert codes[terr[SRC + "meetings:14"]] == "21166"  # hybrid, "Maison des associations, Chenôve"
    assert codes[terr[SRC + "meetings:15"]] == "21231"  # "Mairie annexe, 21000 DIJON CEDEX"
    assert terr[SRC + "meetings:13"] == "cote-d-or"  # type_of_meeting online
    assert report.territories.counts["commune"] == 4 and sum(report.territories.counts.values()) == 4
    assert any(n.startswith("1 réunion en ligne (type_of_meeting) : rattachée") for n in report.notes)
    assert not any("sans adresse" in n for n in report.notes)


def test_current_layout_pseudonymised_by_default(tmp_path):
    out = tmp_path / "pseudo"
    import_decidim(CURRENT, out)
    corpus = load_corpus(out)
    assert all(re.fullmatch(r"personne-[0-9a-f]{6}", i) for i in corpus.personnes["personne_id"])
    # users 101, 102, 103, 1 and the deleted user 104 (no name, still a participant)
    assert len(corpus.personnes) == 5
    text = "".join(p.read_text("utf-8") for p in out.glob("*.csv"))
    for name in ("Camille Martin", "Dominique Bernard", "Alex Petit", "Sacha Durand"):
        assert name not in text


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
    "author/url",
    "decidim_author_type",
    "decidim_user_group_id",
    "type_of_meeting",
    "user_group/id",
    "user_group/name",
    "name",
    "nickname",
    "profile_url",
    "members_count",
    "members/id",
    "members/name",
    "root_commentable_url",
    "published_at",
    "created_at",
]
_cell = st.text(max_size=15) | st.sampled_from(
    [
        "1",
        "2",
        "1, 2",
        "A, B",
        "21000 Dijon",
        "Hôtel de ville, Dijon (21000)",
        "'=A1",
        "https://x/processes/a",
        "https://x/profiles/a, https://x/processes/a/f/1/meetings/2",
        "https://x/",
        "Decidim::Organization",
        "online",
        "Association A, Mairie B ; C",
        "2021-04-12 18:00",
    ]
)


@st.composite
def _csv_file(draw):
    header = draw(st.lists(st.sampled_from(_COLUMNS), min_size=1, max_size=8, unique=True))
    rows = draw(st.lists(st.lists(_cell, min_size=len(header), max_size=len(header)), max_size=5))
    buf = io.StringIO()
    csv.writer(buf, delimiter=draw(st.sampled_from([";", ",", "\t"]))).writerows([header, *rows])
    entity = draw(
        st.sampled_from(
            [
                "participatory_processes",
                "meetings",
                "proposals",
                "proposal_comments",
                "assemblies",
                "user_groups",
                "autre",
            ]
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
