"""The benchmarks still run: every script of ``benchmarks/`` at its tiny size, in a subprocess.

Speed and memory targets live in the benchmarks (run on demand, ``make benchmarks``, figures
in ``benchmarks/README.md`` with the machine); here nothing is timed. Each test checks that
the script ran to its end against the current API and wrote its result rows, and what
those rows must say whatever the machine (no failed job, mesra's values equal igraph's,
every dangling reference reported…).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = ROOT / "benchmarks"


def run(script: str, *args: str, cwd: Path) -> str:
    """Run ``benchmarks/<script> args`` with this Python; its standard output (fails on a non-zero exit)."""
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / script), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, f"{script} a échoué ({done.returncode}) :\n{done.stderr[-4000:]}"
    return done.stdout


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def test_every_benchmark_script_is_tested():
    scripts = {p.name for p in BENCHMARKS.glob("*.py")}
    tested = {
        "network_scale.py",
        "import_scale.py",
        "check_scale.py",
        "membership_corpus.py",
        "brief_cost.py",
        "warm_batch.py",
        "interactive_view.py",
        "incremental.py",
    }
    assert scripts == tested


def test_network_scale_tiny(tmp_path):
    out = run("network_scale.py", "--tiny", "--json", str(tmp_path / "r.json"), cwd=tmp_path)
    assert "| 200 | mesra | métriques de la projection |" in out
    assert "| 200 | igraph | métriques sans contrainte (igraph) |" in out
    [result] = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["resultats"]
    assert result["n"] == 200 and result["mesra"]["liens_projection"] > 0
    comparison = result["comparaison"]
    assert comparison["memes_noeuds"]
    for column in ("intermediarite", "pagerank", "contrainte", "degre_pondere"):
        assert comparison[f"ecart_max_{column}"] < 1e-9, column
    figures = result["chiffres"]  # the table alone and projection + table, for both pipelines
    for kind in ("mesra", "igraph"):
        assert 0 < figures[f"{kind}_table"] < figures[f"{kind}_projection_table"] < figures[f"{kind}_complet"]
    assert figures["ratio_projection_table"] == figures["mesra_projection_table"] / figures["igraph_projection_table"]


def test_import_scale_tiny(tmp_path):
    [row] = json_lines(run("import_scale.py", "--tiny", cwd=tmp_path))
    assert row["n"] == 100
    assert row["actors"] + row["merged_within_export"] == 100
    assert sum(row["resolution"].values()) == row["actors"]
    assert {"import_s", "reimport_s", "load_s", "xlsx_s", "peak_mib"} <= row.keys()


def test_check_scale_tiny(tmp_path):
    rows = json_lines(run("check_scale.py", "--tiny", cwd=tmp_path))
    [corpus] = [r["corpus"] for r in rows if "corpus" in r]
    assert corpus["actors"] == 200 and corpus["dangling"] == 20
    listings = {r["listing"]: r for r in rows if "listing" in r}
    assert set(listings) == {"default", "--tout"}
    for listing in listings.values():  # every dangling target reported, none more
        assert listing["exit"] == 1
        assert listing["last_line"].startswith("20 problèmes"), listing["last_line"]
    [agreement] = [r["agreement"] for r in rows if "agreement" in r]
    assert agreement["sampled"] == 10


def test_membership_corpus_tiny(tmp_path):
    from mesra.corpus.load import load_corpus

    out = run("membership_corpus.py", "--tiny", str(tmp_path / "corpus"), cwd=tmp_path)
    counts = dict(line.split(": ") for line in out.splitlines()[1:])
    corpus = load_corpus(tmp_path / "corpus")  # valid under today's contract
    assert int(counts["acteurs"]) == len(corpus.acteurs) > 0
    assert int(counts["liens"]) == len(corpus.liens) > 0
    assert set(corpus.liens["relation"]) == {"membre_de"}
    assert (corpus.territoires["niveau"] == "epci").sum() == 1


def test_brief_cost_tiny(tmp_path):
    out = run("brief_cost.py", "--tiny", "--json", str(tmp_path / "r.json"), cwd=tmp_path)
    assert "| 04-note-recherche-action [ales], job (exec + 2 HTML + publish) |" in out
    results = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert set(results["single"]) == {
        "floor (empty notebook)",
        "imports (import mesra + load_corpus)",
        "04-note-recherche-action [ales], job (exec + 2 HTML + publish)",
    }
    assert all(r["median_s"] > 0 for r in results["single"].values())


def test_warm_batch_tiny(tmp_path):
    out = run("warm_batch.py", "--tiny", "--json", str(tmp_path / "r.json"), cwd=tmp_path)
    assert "| synthetic sample, mesra, 1 worker(s) | 1 (0 failed) |" in out
    results = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert results["warm_1"]["notebooks"] == 1 and results["warm_1"]["failed"] == 0
    assert results["warm_1"]["jobs"][0][:2] == ["ales", "04-note-recherche-action"]
    synthetic = results["synthetic"]
    assert synthetic["notebooks"] == 1 and synthetic["failed"] == 0
    assert len(synthetic["peak_pss_mib"]) == 1 and synthetic["peak_pss_mib"][0] > 0  # the sampler saw the batch
    assert synthetic["full_notebooks"] == synthetic["corpus"]["territoires"]  # one notebook a territory


def test_interactive_view_tiny(tmp_path):
    """The view's page opens in Chromium, draws every node and edge, and fetches nothing (no browser: fails)."""
    out = run("interactive_view.py", "--tiny", "--json", str(tmp_path / "r.json"), cwd=tmp_path)
    assert "| 200 | 600 |" in out
    row = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert row["noeuds"] == 200 and row["liens"] == 600 and row["pixels_dessines"] > 0
    assert row["json_octets"] < row["page_octets"]


def test_incremental_tiny(tmp_path):
    out = run("incremental.py", "--tiny", "--json", str(tmp_path / "r.json"), cwd=tmp_path)
    assert "| full batch (`--force`) | 3 (0 failed) |" in out
    [result] = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["corpora"].values()
    assert result["full"]["failed"] == [] and len(result["full"]["done"]) == 3
    assert result["plan_unchanged"]["to_redo"] == []  # nothing changed, nothing to redo
    note = "territoires/{}/04-note-recherche-action".format
    tie = result["edits"]["tie"]
    a, b = tie["edit"]["places"]
    assert a != b and tie["rebuild"]["done"] == sorted([note(a), note(b)])  # the tie's two communes, not the third
    assert "liens modifiés (2)" in tie["rebuild"]["why"]
    for edit in ("monograph", "action"):  # both in the tie's first commune
        assert result["edits"][edit]["rebuild"]["done"] == [note(a)], edit
    for edit in result["edits"].values():
        assert edit["plan_matches_rebuild"] and edit["rebuild"]["failed"] == []
        assert edit["share_of_full"] > 0
