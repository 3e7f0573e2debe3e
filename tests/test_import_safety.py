"""Imports lose nothing the user wrote, leak no formula into a spreadsheet, and refuse zip bombs."""

from __future__ import annotations

import csv
import io
import re
import struct
import zipfile
from pathlib import Path

import openpyxl
import pytest
from helpers import snapshot

from mesra import MesraError, check_corpus, load_corpus
from mesra.cli import main
from mesra.corpus import tables
from mesra.corpus.tables import read_xlsx_tables
from mesra.corpus.writer import FORMULA_STARTS, neutralise, neutralise_row
from mesra.importers import ImportBatch, TerritoryLog, apply_import
from mesra.importers.decidim import import_decidim, read_decidim_csv
from mesra.importers.gogocarto import import_gogocarto

FIX = Path(__file__).parent / "fixtures"
DECIDIM = FIX / "decidim" / "participer.example.org-open-data"
HOST = "participer.example.org"

# --- a hand-written acteurs.csv, and what a forced import must keep of it ------------------------
HEADER = "acteur_id,nom,sigle,type,territoire_id,echelon,membre_mes,source,Notes,,notes\n"
ROWS = [
    'reseau-alpha,Réseau Alpha,RA,reseau_territorial,occitanie,regional,true,doc-test#L2,"Première ligne\n'
    'seconde ligne, avec virgule",à garder,autre note\n',
    "cooperative-beta,Coopérative Bêta,,cooperative,gard,local,false,doc-test#L2-3,,,\n",
    "collectif-gamma,Collectif Gamma,,collectif,fr,national,false,doc-test#L3,,,\n",
    'projet-delta,Projet Delta,,projet,ales,local,,doc-test#L5,"note de\nDelta",x, y \n',
]
BAD = "mairie-ales,Mairie d'Alès, service ESS,,collectivite,ales,local,false,doc-test#L5,,,n\n"
GOOD = BAD.replace("Mairie d'Alès, service ESS", '"Mairie d\'Alès, service ESS"')


def actor(aid, nom, territoire="", source="imp#id=1", typ="association", **kw):
    row = dict.fromkeys(("sigle", "echelon", "membre_mes"), "")
    return {**row, "acteur_id": aid, "nom": nom, "type": typ, "territoire_id": territoire, "source": source, **kw}


def batch(tmp_path, actors):
    return ImportBatch(
        "test",
        tmp_path / "in.json",
        {"source_id": "imp", "titre": "Import de test", "auteur": "", "annee": "", "fichier": ""},
        {"acteurs": actors},
        TerritoryLog(),
    )


def records(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


@pytest.fixture
def hostile(mini_dir):
    (mini_dir / "acteurs.csv").write_bytes((HEADER + "".join(ROWS) + BAD).encode("utf-8"))
    return mini_dir


def test_a_row_with_an_unquoted_comma_stops_the_import_before_anything_is_written(tmp_path, hostile):
    before = snapshot(hostile)
    line = 1 + sum(r.count("\n") for r in [HEADER, *ROWS])  # the line BAD starts on
    with pytest.raises(MesraError, match=rf"acteurs\.csv:{line}: ligne: 12 valeurs pour 11 colonnes") as err:
        apply_import(
            batch(tmp_path, [actor("nouveau", "Nouvel acteur", "gard", source="imp#id=n")]), hostile, force=True
        )
    assert "rien n'a été écrit" in str(err.value) and "guillemets" in str(err.value)
    assert snapshot(hostile) == before  # no table rewritten, no backup folder


def test_forced_import_keeps_every_byte_and_a_backup(tmp_path, hostile):
    path = hostile / "acteurs.csv"
    path.write_bytes((HEADER + "".join(ROWS) + GOOD).encode("utf-8"))
    old, old_sources = path.read_bytes(), (hostile / "sources.csv").read_bytes()
    report = apply_import(
        batch(tmp_path, [actor("nouveau", "Nouvel acteur", "gard", source="imp#id=n")]), hostile, force=True
    )
    assert [p.name for p in report.written] == ["sources.csv", "acteurs.csv"]
    new = path.read_bytes()
    assert new.startswith(old)  # the user's file is untouched, the new row follows it
    header, *rows = records(new)
    assert header == ["acteur_id", "nom", "sigle", "type", "territoire_id", "echelon", "membre_mes", "source"] + [
        "Notes",
        "",
        "notes",
    ]
    assert rows[0][8:] == ["Première ligne\nseconde ligne, avec virgule", "à garder", "autre note"]
    assert rows[-2][1] == "Mairie d'Alès, service ESS" and rows[-2][7] == "doc-test#L5"
    assert rows[-1] == ["nouveau", "Nouvel acteur", "", "association", "gard", "", "", "imp#id=n", "", "", ""]
    # a copy of every replaced file, and the summary says where
    assert report.backup is not None and report.backup.parent == hostile / ".mesra-sauvegarde"
    assert (report.backup / "acteurs.csv").read_bytes() == old
    assert (report.backup / "sources.csv").read_bytes() == old_sources
    assert f"Sauvegarde des fichiers remplacés : {report.backup}" in report.summary()
    # Notes and notes are two columns, not one written twice
    assert check_corpus(hostile) == []


def test_a_filled_row_keeps_its_other_cells(tmp_path, hostile):
    path = hostile / "acteurs.csv"
    path.write_bytes((HEADER + "".join(ROWS) + GOOD).replace("\n", "\r\n").encode("utf-8"))
    imported = actor("delta", "Projet Delta", "ales", source="imp#id=d", membre_mes="true", sigle="PD")
    report = apply_import(batch(tmp_path, [imported]), hostile, force=True)
    [merged] = [d for d in report.decisions if d.kind == "fusionne"]
    assert merged.target == "projet-delta"
    text = path.read_bytes().decode("utf-8")
    header, *rows = list(csv.reader(io.StringIO(text, newline="")))
    delta = next(r for r in rows if r[0] == "projet-delta")
    assert delta == [
        "projet-delta",
        "Projet Delta",
        "PD",
        "projet",
        "ales",
        "local",
        "true",
        "doc-test#L5",
        "note de\r\nDelta",
        "x",
        " y ",
    ]
    # the other rows are copied as written, with their line ends
    others = "".join(r for r in ROWS if not r.startswith("projet-delta")).replace("\n", "\r\n")
    assert all(line in text for line in others.split("\r\n") if line)
    assert text.count("\r\n") == text.count("\n")


def test_cli_says_where_the_backup_is(mini_dir, capsys):
    assert main(["import", "gogocarto", str(FIX / "gogocarto" / "carte-exemple.json"), "--out", str(mini_dir)]) == 1
    assert not (mini_dir / ".mesra-sauvegarde").exists()  # a preview writes nothing, backs up nothing
    before = (mini_dir / "acteurs.csv").read_bytes()
    args = ["import", "gogocarto", str(FIX / "gogocarto" / "carte-exemple.json"), "--out", str(mini_dir), "--force"]
    assert main(args) == 0
    out = capsys.readouterr().out
    [folder] = (mini_dir / ".mesra-sauvegarde").iterdir()
    assert f"Sauvegarde des fichiers remplacés : {folder}" in out
    assert (folder / "acteurs.csv").read_bytes() == before


def test_semicolons_bom_and_windows_1252_are_kept(tmp_path, mini_dir):
    path = mini_dir / "acteurs.csv"
    text = "".join([HEADER, *ROWS, GOOD]).replace(",", ";").replace("service ESS", "service ESS").replace("\n", "\r\n")
    path.write_bytes(text.encode("cp1252"))
    apply_import(
        batch(tmp_path, [actor("nouveau", "Nouvel acteur — bis", "gard", source="imp#id=n")]), mini_dir, force=True
    )
    data = path.read_bytes()
    assert data.startswith(text.encode("cp1252"))
    assert data.endswith("nouveau;Nouvel acteur — bis;;association;gard;;;imp#id=n;;;\r\n".encode("cp1252"))
    # a character Windows-1252 lacks: the file becomes UTF-8 with a BOM, and the report says so
    report = apply_import(
        batch(tmp_path, [actor("autre", "Acteur ☺", "gard", source="imp#id=s")]), mini_dir, force=True
    )
    assert path.read_bytes().startswith(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert any("UTF-8" in n for n in report.notes)
    assert check_corpus(mini_dir) == []


@pytest.mark.parametrize(
    "extra, match",
    [
        (",Nom", "acteurs.csv:1: nom: colonne présente 2 fois"),  # which one is the name?
        ("", "acteurs.csv:2: ligne: 9 valeurs pour 8 colonnes"),  # a value shifted by a comma, or nothing?
    ],
)
def test_ambiguous_tables_are_refused(tmp_path, mini_dir, extra, match):
    path = mini_dir / "acteurs.csv"
    header, *rows = path.read_text("utf-8").splitlines()
    path.write_text("\n".join([header + extra, *(row + "," for row in rows)]) + "\n", "utf-8")
    before = snapshot(mini_dir)
    with pytest.raises(MesraError, match=match):
        apply_import(batch(tmp_path, [actor("n", "N", source="imp#id=n")]), mini_dir, force=True)
    assert snapshot(mini_dir) == before


# --- formulas never reach a spreadsheet ------------------------------------------------------
def test_neutralise_keeps_the_text_and_valid_numbers():
    assert neutralise("=cmd|' /C calc'!A0") == "'=cmd|' /C calc'!A0"
    assert [neutralise(s) for s in ("+33 1", "-3", "@x", "\tx", "\rx")] == ["'+33 1", "'-3", "'@x", "'\tx", "'\rx"]
    assert neutralise("'=déjà protégé") == "'=déjà protégé" and neutralise("Réseau = lien") == "Réseau = lien"
    row = neutralise_row("liens", {"annee": "-3", "axe": "=1+1", "source": "-x"})
    assert row == {"annee": "-3", "axe": "'=1+1", "source": "'-x"}


def _no_formula(folder: Path) -> list[str]:
    cells = [c for p in folder.glob("*.csv") for r in records(p.read_bytes()) for c in r]
    assert not [c for c in cells if c.startswith(FORMULA_STARTS)]
    return cells


def test_decidim_keeps_its_formula_guard(tmp_path):
    # Decidim guards what starts like a formula, not what only does once its HTML is removed
    processes = (
        "id;slug;title/fr;developer_group/fr;start_date\n"
        '1;p1;\'=cmd|\' /C calc\'!A0;"<p>=HYPERLINK(""http://x"",""y"")</p>";2021-01-15\n'
        "2;p2;'-1 pas d'accord;<b>@Asso</b>;2021-01-15\n"
    )
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / f"{HOST}-open-data-participatory_processes.csv").write_text(processes, "utf-8")
    _, rows = read_decidim_csv(processes.encode(), "x.csv")
    assert rows[0]["title/fr"] == "'=cmd|' /C calc'!A0"  # as Decidim wrote it
    out = tmp_path / "out"
    import_decidim(folder, out)
    cells = _no_formula(out)
    assert "'=cmd|' /C calc'!A0" in cells and "'-1 pas d'accord" in cells and "'@Asso" in cells
    assert '\'=HYPERLINK("http://x"' in cells  # split at « , » like any list of organisations
    assert check_corpus(out) == []


def test_gogocarto_names_that_look_like_formulas_are_neutralised(tmp_path, mini_dir):
    import json

    doc = {
        "ontology": "gogofull",
        "data": [
            {"id": "a1", "name": '=HYPERLINK("http://x","clic")', "categories": ["Repair café"]},
            {"id": "a2", "name": "+33 1 23 45 67 89", "categories": []},
            {"id": "a3", "name": "-Collectif", "categories": []},
        ],
    }
    path = tmp_path / "carte.json"
    path.write_text(json.dumps(doc), "utf-8")
    for out, force in ((tmp_path / "neuf", False), (mini_dir, True)):
        import_gogocarto(path, out, force=force)
        cells = _no_formula(out)
        assert {'\'=HYPERLINK("http://x","clic")', "'+33 1 23 45 67 89", "'-Collectif"} <= set(cells)
        assert check_corpus(out) == []


# --- zip bombs are refused from the central directory, before any decompression ------------
def _forge_size(path: Path, member: str, size: int) -> None:
    """Declare ``size`` as the uncompressed size of ``member`` (local header and central directory)."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(member)
    struct.pack_into("<I", data, info.header_offset + 22, size)
    end = data.rindex(b"PK\x05\x06")
    (i,) = struct.unpack_from("<I", data, end + 16)
    while data[i : i + 4] == b"PK\x01\x02":
        n, m, k = struct.unpack_from("<HHH", data, i + 28)
        if data[i + 46 : i + 46 + n] == member.encode():
            struct.pack_into("<I", data, i + 24, size)
        i += 46 + n + m + k
    path.write_bytes(bytes(data))


def _refuse(self, *args, **kwargs):
    raise AssertionError("un membre de l'archive a été décompressé")


@pytest.fixture
def forbid_decompression(monkeypatch):
    """Call it once the archives are built: opening any member then fails, so that a refusal
    can only come from the central directory."""
    return lambda: monkeypatch.setattr(zipfile.ZipFile, "open", _refuse)


def _decidim_zip(tmp_path, extra=None):
    path = tmp_path / f"{HOST}-open-data.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in sorted(DECIDIM.glob("*.csv")):
            zf.write(p, p.name)
        if extra:
            with zf.open(extra[0], "w", force_zip64=True) as fh:
                for _ in range(extra[1] >> 20):
                    fh.write(b"1;a\n" * (1 << 18))
    return path


def test_a_decidim_zip_bomb_is_refused_before_decompression(tmp_path, mini_dir, forbid_decompression):
    bomb = _decidim_zip(tmp_path, (f"{HOST}-open-data-comments.csv", 210 << 20))
    assert bomb.stat().st_size < 1 << 20
    before = snapshot(mini_dir)
    forbid_decompression()
    with pytest.raises(MesraError, match=r"refusé avant décompression.*comments\.csv.*210 Mo.*au plus 200 Mo"):
        import_decidim(bomb, mini_dir, force=True)
    assert snapshot(mini_dir) == before


@pytest.mark.parametrize(
    "limit, value, match",
    [
        (None, None, r"comprimé \d+ fois .* au plus 100 fois au-delà de 1 Mo"),
        ("MAX_UNZIPPED_BYTES", 4096, r"se décompresse en .* \(au plus 4 Ko en tout\)"),
        ("MAX_MEMBERS", 3, r"contient 6 fichiers \(au plus 3\)"),
    ],
)
def test_decidim_archive_limits(tmp_path, monkeypatch, forbid_decompression, limit, value, match):
    if limit is None:
        path = _decidim_zip(tmp_path, (f"{HOST}-open-data-comments.csv", 2 << 20))  # 2 Mo of one line repeated
    else:
        monkeypatch.setattr(tables, limit, value)
        path = _decidim_zip(tmp_path, ("LISEZMOI.txt", 0))
    forbid_decompression()
    with pytest.raises(MesraError, match=match):
        import_decidim(path, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_forged_member_size_is_refused(tmp_path, forbid_decompression):
    path = _decidim_zip(tmp_path)
    _forge_size(path, f"{HOST}-open-data-meetings.csv", 300 << 20)
    forbid_decompression()
    with pytest.raises(MesraError, match=r"meetings\.csv » se décompresse en 300 Mo"):
        import_decidim(path, tmp_path / "out")


def _workbook(tmp_path, mini_dir) -> Path:
    from mesra.corpus.spreadsheet import export_xlsx

    return export_xlsx(mini_dir, tmp_path / "corpus.xlsx")


def test_an_xlsx_bomb_is_refused(tmp_path, mini_dir, forbid_decompression):
    book = _workbook(tmp_path, mini_dir)
    _forge_size(book, "xl/worksheets/sheet1.xml", 300 << 20)
    forbid_decompression()
    problems = []
    assert read_xlsx_tables(book, book.name, problems) == {}
    [p] = problems
    assert p.file == "corpus.xlsx" and re.search(r"refusé avant décompression .*sheet1\.xml.*300 Mo", p.message)


def _rewrite_member(path: Path, member: str, change) -> None:
    with zipfile.ZipFile(path) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
    parts[member] = change(parts[member])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


def test_an_xlsx_with_a_huge_string_is_refused(tmp_path):
    path = tmp_path / "gros.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "acteurs"
    wb.active.append(["acteur_id", "nom"])
    wb.active.append(["x", "CHAINE"])
    wb.save(path)  # openpyxl cuts strings at 32,767 characters: put the long one in by hand
    _rewrite_member(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b"CHAINE", b"a" * (3 << 20)))
    assert path.stat().st_size < 100_000
    with pytest.raises(MesraError, match=r"gros\.xlsx:1: fichier: « gros\.xlsx » refusé avant décompression.*comprimé"):
        load_corpus(path)


# --- a formula without a computed value is reported, not read as empty -----------------------
def _formula_book(path: Path, cached: str | None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "sources"
    ws.append(["source_id", "titre", "auteur", "annee", "fichier"])
    ws.append(["doc", "Document", "", "=2000+24", ""])
    wb.save(path)
    if cached is not None:  # what a spreadsheet stores beside the formula when it saves
        cache = f"<f>2000+24</f><v>{cached}</v>".encode()
        _rewrite_member(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b"<f>2000+24</f><v />", cache))
    return path


def test_an_xlsx_formula_without_a_cached_value_is_reported(tmp_path):
    problems = []
    found = read_xlsx_tables(_formula_book(tmp_path / "f.xlsx", None), "f.xlsx", problems)
    assert found["sources"].rows[0]["annee"] == ""
    [p] = problems
    assert (p.file, p.line, p.field) == ("f.xlsx[sources]", 2, "annee")
    assert "cellule D2 de la feuille « sources » : formule sans valeur calculée" in p.message


def test_an_xlsx_formula_with_a_cached_value_reads_that_value(tmp_path):
    problems = []
    found = read_xlsx_tables(_formula_book(tmp_path / "f.xlsx", "2024"), "f.xlsx", problems)
    assert problems == [] and found["sources"].rows[0]["annee"] == "2024"


def test_a_column_the_file_lacks_is_added_only_when_filled(tmp_path, mini_dir):
    path = mini_dir / "acteurs.csv"
    header, *rows = path.read_text("utf-8").splitlines()
    without = [",".join(c for i, c in enumerate(line.split(",")) if i != 2) for line in [header, *rows]]  # no sigle
    text = "\n".join(without) + "\n\n\n"  # trailing blank lines
    path.write_text(text, "utf-8")
    plain = batch(tmp_path, [actor("nouveau", "Nouvel acteur", "gard", source="imp#id=n")])
    apply_import(plain, mini_dir, force=True)
    assert path.read_text("utf-8") == text.rstrip("\n") + "\nnouveau,Nouvel acteur,association,gard,,,imp#id=n\n\n\n"
    # the import fills the acronym of « Projet Delta »: the file gains the column, and only that
    filled = batch(tmp_path, [actor("delta", "Projet Delta", "ales", source="imp#id=d", sigle="PD")])
    report = apply_import(filled, mini_dir, force=True)
    assert any("complété : sigle" in d.message for d in report.decisions)
    lines = path.read_text("utf-8").splitlines()
    assert lines[0] == without[0] + ",sigle"
    assert lines[1] == without[1] + ","
    assert "projet-delta,Projet Delta,projet,ales,local,,doc-test#L5,PD" in lines
    assert check_corpus(mini_dir) == []


def test_a_file_without_a_final_line_end(tmp_path, mini_dir):
    path = mini_dir / "acteurs.csv"
    text = path.read_text("utf-8").rstrip("\n")
    path.write_text(text, "utf-8")
    apply_import(batch(tmp_path, [actor("nouveau", "Nouvel acteur", "gard", source="imp#id=n")]), mini_dir, force=True)
    assert path.read_text("utf-8") == text + "\nnouveau,Nouvel acteur,,association,gard,,,imp#id=n\n"


# --- whatever the user wrote in their own columns, a forced import keeps it --------------------
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from mesra.corpus import contract  # noqa: E402
from mesra.corpus.tables import header_name  # noqa: E402

_names = st.text(st.characters(blacklist_characters=',;"\r\n\x00', blacklist_categories=("Cs",)), max_size=8).filter(
    lambda h: header_name(h) not in contract.TABLES["acteurs"].column_names
)
_cells = st.text(st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)), max_size=12)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    names=st.lists(_names, min_size=1, max_size=3),
    cells=st.lists(st.lists(_cells, min_size=3, max_size=3), min_size=5, max_size=5),
    delimiter=st.sampled_from([",", ";"]),
    newline=st.sampled_from(["\n", "\r\n"]),
)
def test_user_columns_survive_whatever_they_hold(tmp_path_factory, mini_dir, names, cells, delimiter, newline):
    folder = tmp_path_factory.mktemp("corpus")
    for p in mini_dir.iterdir():
        if p.is_file():
            (folder / p.name).write_bytes(p.read_bytes())
    (folder / "sources").mkdir()
    (folder / "sources" / "doc-test.txt").write_bytes((mini_dir / "sources" / "doc-test.txt").read_bytes())
    header, *rows = list(csv.reader(io.StringIO((mini_dir / "acteurs.csv").read_text("utf-8"))))
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator=newline)
    w.writerows([header + names, *(row + extra[: len(names)] for row, extra in zip(rows, cells))])
    (folder / "acteurs.csv").write_text(buf.getvalue(), "utf-8", newline="")
    old = (folder / "acteurs.csv").read_bytes()
    apply_import(batch(folder, [actor("nouveau", "Nouvel acteur", "gard", source="imp#id=n")]), folder, force=True)
    new = (folder / "acteurs.csv").read_bytes()
    assert new.startswith(old)
    parsed = list(csv.reader(io.StringIO(new.decode("utf-8"), newline=""), delimiter=delimiter))
    assert parsed[-1][:8] == ["nouveau", "Nouvel acteur", "", "association", "gard", "", "", "imp#id=n"]
    assert parsed[-1][8:] == [""] * len(names)
