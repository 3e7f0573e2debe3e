"""Decidim exports without a spaces file (older versions, partial downloads): issue 23.

The spaces are rebuilt from the URLs of comments and proposals, said in the report; a CSV of
the folder that is no Decidim table is listed as unused and never stops the import. Counts are
taken from the source files themselves.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from helpers import snapshot

from mesra import check_corpus, load_corpus
from mesra.importers.decidim import import_decidim

FIX = Path(__file__).parent / "fixtures" / "decidim"
OLD = FIX / "participer.example.org-open-data"
NEW = FIX / "actuel" / "participer.example.org-open-data"
HOST = "participer.example.org-open-data"


def rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text("utf-8-sig")), delimiter=";"))


def space_of(url: str) -> str:
    parts = url.split("/")
    kind = next(p for p in parts if p in ("processes", "assemblies"))
    return f"{kind}/{parts[parts.index(kind) + 1]}"


@pytest.fixture
def partial(tmp_path):
    """Comments and proposals only (no participatory_processes file), plus an unrelated table."""
    folder = tmp_path / "export"
    folder.mkdir()
    shutil.copy(OLD / f"{HOST}-proposal_comments.csv", folder)
    shutil.copy(NEW / f"{HOST}-proposals.csv", folder)
    (folder / "budget-2021.csv").write_text("poste,montant\nvoirie,12\n", "utf-8")  # not Decidim
    (folder / "notes.csv").write_text("une seule colonne\nrien\n", "utf-8")
    return folder


def test_spaces_are_rebuilt_from_the_urls_and_said(partial, tmp_path):
    out = tmp_path / "corpus"
    report = import_decidim(partial, out)
    assert check_corpus(out) == []
    comments = rows(partial / f"{HOST}-proposal_comments.csv")
    proposals = rows(partial / f"{HOST}-proposals.csv")
    spaces = {space_of(r["root_commentable_url"]) for r in comments} | {
        space_of(r["participatory_space/url"]) for r in proposals
    }
    corpus = load_corpus(out)
    rebuilt = corpus.acteurs[corpus.acteurs["nom"].str.startswith("Espace participatif")]
    assert len(rebuilt) == len(spaces) == 2
    assert {n.split("« ")[1].rstrip(" »") for n in rebuilt["nom"]} == {s.split("/")[1] for s in spaces}
    notes = " ".join(report.notes)
    assert "Pas de table des espaces participatifs" in notes and "2 espaces reconstitués" in notes


def test_every_comment_author_is_kept_and_tied_to_its_space(partial, tmp_path):
    out = tmp_path / "corpus"
    import_decidim(partial, out)
    corpus = load_corpus(out)
    comments = rows(partial / f"{HOST}-proposal_comments.csv")
    authors = {r["author/id"] for r in comments if r["author/id"]}
    proposal_users = {
        i.strip()
        for r in rows(partial / f"{HOST}-proposals.csv")
        for i, url in zip(r["author/id"].split(","), (r["author/url"] + "," * 5).split(","))
        if "/profiles/" in url or not url.strip()  # a profile, or a deleted user (id, no name, no URL)
    }
    assert len(corpus.personnes) == len(authors | proposal_users) == 5
    # author kinds kept apart: user 1 is a person, organisation 1 and meeting 11 are actors
    assert "1" in proposal_users
    assert "Ville d'Exemple" in set(corpus.acteurs["nom"])
    meeting = corpus.acteurs[corpus.acteurs["nom"] == "Atelier de concertation alimentation"]
    assert list(meeting["type"]) == ["evenement"]
    tied = set(corpus.liens.loc[corpus.liens["relation"] == "participe_a", "source_id"])
    assert set(corpus.personnes["personne_id"]) <= tied
    # the comment's user group is an actor taking part in the rebuilt space
    groups = {r["user_group/name"] for r in comments if r["user_group/name"]}
    assert groups and groups <= set(corpus.acteurs["nom"])
    for data in snapshot(out).values():
        assert b"Alex Essai" not in data and b"Camille Exemple" not in data  # pseudonymised


def test_unrelated_files_are_listed_never_fatal(partial, tmp_path):
    report = import_decidim(partial, tmp_path / "corpus")
    unused = next(n for n in report.notes if n.startswith("Tables non utilisées"))
    assert "budget-2021.csv" in unused and "notes.csv" in unused
    assert report.applied


def test_a_malformed_decidim_table_still_stops_the_import(partial, tmp_path):
    from mesra import MesraError

    (partial / f"{HOST}-proposal_comments.csv").write_text("une seule colonne\n", "utf-8")
    with pytest.raises(MesraError, match="proposal_comments"):
        import_decidim(partial, tmp_path / "corpus")
    assert not (tmp_path / "corpus").exists()


def test_a_person_named_among_free_text_organisations_is_a_pseudonymised_person(tmp_path):
    # synthetic (labelled so): the 0.27 meetings table with a person added to a meeting's organisations
    folder = tmp_path / "export"
    shutil.copytree(OLD, folder)
    meetings = folder / f"{HOST}-meetings.csv"
    text = meetings.read_text("utf-8")
    assert "Coopérative Exemple Bio" in text
    meetings.write_text(
        text.replace("Coopérative Exemple Bio", "Coopérative Exemple Bio, Nathalie Colfort", 1), "utf-8"
    )
    out = tmp_path / "corpus"
    report = import_decidim(folder, out)
    assert check_corpus(out) == []
    corpus = load_corpus(out)
    assert "Nathalie Colfort" not in set(corpus.acteurs["nom"])
    for data in snapshot(out).values():
        assert b"Colfort" not in data
    assert any("1 nom de personne parmi les organisations" in n for n in report.notes)
    tied = set(corpus.liens.loc[corpus.liens["relation"] == "participe_a", "source_id"])
    assert set(corpus.personnes["personne_id"]) <= tied
