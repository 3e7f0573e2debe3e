"""Incremental rebuilds (issue 24): one edit, then ``mesra briefs`` again, against a full batch.

On each corpus, in one run: a full batch (``--force`` into an empty folder), a plan with nothing
changed (the planning cost: ``mesra briefs --plan``), then three edits, each followed by a plan
and a rebuild:

* **tie**: an existing tie between two actors located in communes (the tie whose two ends are
  located deepest in the territory tree, if the corpus has no such tie) goes from observed to
  planned (``attestation``): a change a reader sees, in the counts of every territory above it;
* **monograph**: one field of one monograph (its ``titre``), in the monograph's Markdown file;
* **action**: one action's status in ``actions.csv`` (``prevu`` ↔ ``en_cours``);
* **tie year**, reported beside the three (not one of issue 24's target edits): the ``annee`` of the
  same tie, a column that no territory page shows (left out of their keys).

Each batch, plan and rebuild runs ``run_briefs`` in its own subprocess (what ``mesra briefs``
does): its wall time inside the process, the process's own wall time (imports included), the
time of the planning step (:func:`mesra.batch.plan.plan_jobs`: slicing the corpus and hashing
every job's inputs), and the jobs run, with the run's one-line summary of why.

Corpora:

* the synthetic membership corpus (``membership_corpus.py``; ``--communes N`` for a reduced
  size, the other actors scaled alike), to which are added, labelled synthetic, one
  ``partenaire_de`` tie between two communes of two EPCI, one monograph and one action in a
  commune (the generated corpus has neither monographs nor actions);
* the default corpus (a copy of ``data/``, edited in the copy).

Usage::

    python benchmarks/incremental.py                    # full size (≈ 15–30 min on 2 cores)
    python benchmarks/incremental.py --communes 300     # a reduced membership corpus
    python benchmarks/incremental.py --json results.json
    python benchmarks/incremental.py --tiny             # seconds: the test suite's run

``--tiny`` checks that the benchmark still runs, nothing more: the membership corpus alone at its
tiny size (no default corpus), the brief notebook alone, for the communes the edits touch and
one they do not (not the territories above them), 1 worker.

Results and machine: ``benchmarks/README.md`` (section "Incremental rebuilds").
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import membership_corpus  # noqa: E402
import warm_batch  # noqa: E402  (the machine record, one definition)

from mesra.batch.plan import default_territories  # noqa: E402
from mesra.corpus.geo import parent_map, walk_up  # noqa: E402
from mesra.corpus.load import load_corpus  # noqa: E402

BRIEF = "04-note-recherche-action"
#: Target: an edit's rebuild at most this share of the full batch's wall time (issue 24).
TARGETS = {"membership": 0.05, "default": 0.25}

_RUN = """
import json, sys, time
start = time.perf_counter()
import mesra.batch.run as run
a = json.loads(sys.argv[1])
planning = []
plan_jobs = run.plan_jobs
def timed(*args, **kw):
    t = time.perf_counter()
    try:
        return plan_jobs(*args, **kw)
    finally:
        planning.append(time.perf_counter() - t)
run.plan_jobs = timed
t = time.perf_counter()
r = run.run_briefs(a["data"], a["out"], workers=a["workers"], force=a["force"], progress=False, plan=a["plan"],
                   territoires=a["territoires"], notebooks_dir=a["notebooks"])
wall = time.perf_counter() - t
print(json.dumps({
    "wall": wall, "process_wall": time.perf_counter() - start, "planning": sum(planning),
    "done": sorted(x.job.ident for x in r.done), "failed": sorted(x.job.ident for x in r.failed),
    "to_redo": sorted(r.why), "skipped": len(r.skipped), "why": r.why_line(),
    "job_s": {x.job.ident: round(x.seconds, 2) for x in r.done + r.failed},
}))
"""


def _machine() -> dict:
    """The machine as warm_batch.py records it, with the load and the date of the run."""
    return {
        **warm_batch._machine(),
        "loadavg": list(os.getloadavg()),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


def _batch(data: Path, out: Path, **kw) -> dict:
    result = _run(data, out, **kw)
    print(
        f"  {'plan' if kw.get('plan') else 'run'}: {result['outside_wall']} s, planning {result['planning']} s, "
        f"{len(result['done'])} run, {len(result['to_redo'])} to redo",
        file=sys.stderr,
        flush=True,
    )
    return result


def _run(data: Path, out: Path, *, workers: int, force=False, plan=False, territoires=None, notebooks=None) -> dict:
    args = dict(data=str(data), out=str(out), workers=workers, force=force, plan=plan, territoires=territoires)
    args["notebooks"] = str(notebooks) if notebooks else None
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _RUN, json.dumps(args)], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"batch failed ({done.returncode}):\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["outside_wall"] = time.perf_counter() - start
    return {k: round(v, 2) if isinstance(v, float) else v for k, v in result.items()}


# --- edits ------------------------------------------------------------------------------------
def _rewrite_csv(path: Path, change, add: tuple[str, ...] = ()) -> dict:
    """Apply ``change(rows)`` (it returns the row it edited) to a CSV file, columns kept (``add``: optional
    columns of the contract added, empty, when the file has none: an empty ``attestation`` is ``constate``)."""
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        columns, rows = list(reader.fieldnames or []), list(reader)
    for column in add:
        if column not in columns:
            columns.append(column)
            for row in rows:
                row[column] = ""
    edited = change(rows)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return edited


def _depths(corpus) -> tuple[dict, dict]:
    parents = parent_map(corpus.territoires)
    where = dict(zip(corpus.acteurs["acteur_id"], corpus.acteurs["territoire_id"]))
    depth = {t: len(walk_up(parents, t)) for t in corpus.territoires["territoire_id"]}
    return where, depth


def _deepest_tie(folder: Path):
    """How to find the tie whose two ends are located deepest (two communes when there is such a tie)."""
    corpus = load_corpus(folder)
    where, depth = _depths(corpus)
    levels = dict(zip(corpus.territoires["territoire_id"], corpus.territoires["niveau"]))

    def score(row):
        places = [where.get(row["source_id"]), where.get(row["cible_id"])]
        if not all(isinstance(p, str) for p in places):
            return (-1, -1, 0)
        communes = sum(levels.get(p) == "commune" for p in places)
        return (communes, min(depth.get(p, 0) for p in places), places[0] != places[1])

    return where, score


def edit_tie(folder: Path) -> dict:
    """A tie a reader sees change: the deepest tie goes from observed to planned (``attestation``
    ``constate`` → ``prevu``; back when it already is): it leaves the observed network of its communes and
    of every territory above them, and its counts, for their planned cooperations."""
    where, score = _deepest_tie(folder)

    def change(rows):
        row = max(rows, key=score)
        before = row.get("attestation") or "constate"
        row["attestation"] = "prevu" if before == "constate" else "constate"
        ends = [where.get(row["source_id"]), where.get(row["cible_id"])]
        return {
            "tie": f"{row['source_id']} → {row['cible_id']}",
            "column": f"attestation ({before} → {row['attestation']})",
            "places": ends,
        }

    return _rewrite_csv(folder / "liens.csv", change, add=("attestation",))


def edit_tie_year(folder: Path) -> dict:
    """A column no page of a territory shows: the ``annee`` of the same tie (the overview ``01-corpus``
    counts the empty cells of every column, so it is redone when the year was empty, and it is here)."""
    where, score = _deepest_tie(folder)

    def change(rows):
        row = max(rows, key=score)
        row["annee"] = str(int(row.get("annee") or 2019) + 1)
        ends = [where.get(row["source_id"]), where.get(row["cible_id"])]
        return {"tie": f"{row['source_id']} → {row['cible_id']}", "column": "annee", "places": ends}

    return _rewrite_csv(folder / "liens.csv", change, add=("annee",))


def edit_monograph(folder: Path) -> dict:
    """Edit the title of the monograph located deepest."""
    corpus = load_corpus(folder)
    _, depth = _depths(corpus)
    mono = max(
        zip(corpus.monographies["id"], corpus.monographies["territoire"]), key=lambda m: (depth.get(m[1], -1), m[0])
    )
    path = next(
        p for p in (folder / "monographies").glob("*.md") if re.search(rf"^id: {mono[0]}$", p.read_text("utf-8"), re.M)
    )
    text = path.read_text(encoding="utf-8")
    line = re.search(r"^titre: (.*)$", text, re.M)
    value = line.group(1)
    new = value[:-1] + " (titre modifié)" + value[-1] if value[:1] in "\"'" else value + " (titre modifié)"
    path.write_text(text[: line.start(1)] + new + text[line.end(1) :], encoding="utf-8")
    return {"monograph": mono[0], "column": "titre", "places": [mono[1]]}


def edit_action(folder: Path) -> dict:
    """Change the status of the action located deepest (prevu ↔ en_cours)."""
    corpus = load_corpus(folder)
    _, depth = _depths(corpus)

    def change(rows):
        row = max(rows, key=lambda r: depth.get(r.get("territoire_id") or "", -1))
        row["statut"] = "en_cours" if row["statut"] == "prevu" else "prevu"
        return {"action": row["action_id"], "column": "statut", "places": [row.get("territoire_id") or None]}

    return _rewrite_csv(folder / "actions.csv", change)


EDITS = {"tie": edit_tie, "monograph": edit_monograph, "action": edit_action, "tie year": edit_tie_year}
#: The edits that issue 24's target is about (the year of a tie is reported beside them).
TARGET_EDITS = ("tie", "monograph", "action")


# --- corpora ----------------------------------------------------------------------------------
def _scaled(communes: int) -> membership_corpus.Size:
    full = membership_corpus.FULL
    share = communes / full.communes
    return membership_corpus.Size(
        communes=communes,
        syndicates=max(12, round(full.syndicates * share)),
        networks=max(4, round(full.networks * share)),
        associations=max(40, round(full.associations * share)),
    )


def membership(folder: Path, size: membership_corpus.Size) -> Path:
    """The synthetic membership corpus, plus one tie between two communes, one monograph, one action."""
    membership_corpus.write(folder, size=size)
    corpus = load_corpus(folder)
    parents = parent_map(corpus.territoires)
    communes = [t for t, n in zip(corpus.territoires["territoire_id"], corpus.territoires["niveau"]) if n == "commune"]
    a = communes[0]
    b = next((c for c in communes if parents.get(c) != parents.get(a)), communes[1])  # another EPCI if any
    with open(folder / "liens.csv", "a", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerow(
            [f"commune-{a}", f"commune-{b}", "partenaire_de", "", "local", "2019", "synthetique#L1"]
        )
    (folder / "monographies").mkdir(exist_ok=True)
    (folder / "monographies" / "synthetique.md").write_text(
        f"""---
id: synthetique
titre: Monographie synthétique (mesure)
territoire: {a}
porteur: commune-{a}
acteurs: [commune-{a}]
annee: null
origine: inconnue
marge_de_manoeuvre: null
besoins_non_couverts: []
innovation:
  sources: []
  description: null
cooperation:
  processus_participation: null
  regulation_frictions: null
  outils: []
axes_recherche_action:
  economie_territorialisee: null
  synergies: null
  acteurs_ess: null
  economie_informelle: null
  besoins_non_couverts: null
  programme_action: null
ressources: null
chiffres: {{}}
sources: ["synthetique#L1"]
---

## Besoins non couverts
Monographie synthétique des mesures de benchmarks/, aucun fait réel (synthetique#L1).

## Innovation sociale
Non documenté.

## Coopération
Non documenté.
""",
        encoding="utf-8",
    )
    with open(folder / "actions.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(
            ["action_id", "axe", "intitule", "porteurs", "partenaires", "debut", "fin", "livrable", "statut"]
            + ["territoire_id", "source"]
        )
        writer.writerow(
            ["action-synthetique", "1", "Action synthétique (mesure)", f"commune-{a}", "", "2020", "", "", "prevu"]
            + [a, "synthetique#L1"]
        )
    return folder


def _tiny_scope(folder: Path, edited: dict, tmp: Path) -> tuple[list[str], Path]:
    """--tiny: the territories the edits touch (not those above them), one they do not; the brief alone."""
    corpus = load_corpus(folder)
    touched = {p for e in edited for p in e if isinstance(p, str)}
    levels = dict(zip(corpus.territoires["territoire_id"], corpus.territoires["niveau"]))
    untouched = [t for t in default_territories(corpus) if t not in touched and levels[t] == levels[min(touched)]]
    scope = sorted(touched) + untouched[:1]
    notebooks = tmp / "carnets"
    notebooks.mkdir(exist_ok=True)
    shutil.copy(ROOT / "notebooks" / f"{BRIEF}.ipynb", notebooks)
    return scope, notebooks


def _places_of_edits(folder: Path) -> list[list]:
    """Where each edit will fall, found on a scratch copy (to choose --tiny's territories beforehand)."""
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "c"
        shutil.copytree(folder, copy)
        return [EDITS[name](copy)["places"] for name in EDITS]


def measure(name: str, folder: Path, out: Path, *, workers: int, territoires=None, notebooks=None) -> dict:
    corpus = load_corpus(folder)
    kw = dict(workers=workers, territoires=territoires, notebooks=notebooks)
    result: dict = {
        "corpus": {
            "acteurs": len(corpus.acteurs),
            "liens": len(corpus.liens),
            "monographies": len(corpus.monographies),
            "actions": len(corpus.actions),
            "territoires": len(territoires or default_territories(corpus)),
        },
        "workers": workers,
    }
    print(f"[{name}] full batch…", file=sys.stderr, flush=True)
    result["full"] = _batch(folder, out, force=True, **kw)
    result["plan_unchanged"] = _batch(folder, out, plan=True, **kw)
    result["rebuild_unchanged"] = _batch(folder, out, **kw)  # the fixed cost of a run with nothing to redo
    result["edits"] = {}
    for edit, apply in EDITS.items():
        what = apply(folder)
        print(f"[{name}] {edit}: {what}", file=sys.stderr, flush=True)
        planned = _batch(folder, out, plan=True, **kw)
        rebuilt = _batch(folder, out, **kw)
        result["edits"][edit] = {
            "edit": what,
            "plan": planned,
            "rebuild": rebuilt,
            "share_of_full": round(rebuilt["outside_wall"] / result["full"]["outside_wall"], 4),
            "plan_matches_rebuild": planned["to_redo"] == rebuilt["done"],
        }
    return result


def _report(results: dict) -> None:
    print(f"machine: {json.dumps(results['machine'], ensure_ascii=False)}")
    for name, r in results["corpora"].items():
        full = r["full"]
        print(f"\n### {name}: {r['corpus']}, {r['workers']} worker(s)\n")
        print("| run | jobs run | wall, process (s) | of which planning (s) | share of full batch | why (summary) |")
        print("|---|---:|---:|---:|---:|---|")
        print(
            f"| full batch (`--force`) | {len(full['done'])} ({len(full['failed'])} failed) | "
            f"{full['outside_wall']} | {full['planning']} | 1 | |"
        )
        plan = r["plan_unchanged"]
        print(
            f"| `--plan`, nothing changed | {len(plan['to_redo'])} to redo | {plan['outside_wall']} | "
            f"{plan['planning']} | {plan['outside_wall'] / full['outside_wall']:.2%} | {plan['why']} |"
        )
        same = r["rebuild_unchanged"]
        print(
            f"| rebuild, nothing changed | {len(same['done'])} | {same['outside_wall']} | {same['planning']} | "
            f"{same['outside_wall'] / full['outside_wall']:.2%} | {same['why']} |"
        )
        for edit, e in r["edits"].items():
            p, b = e["plan"], e["rebuild"]
            print(
                f"| {edit}: `--plan` | {len(p['to_redo'])} to redo | {p['outside_wall']} | {p['planning']} | "
                f"{p['outside_wall'] / full['outside_wall']:.2%} | |"
            )
            print(
                f"| {edit}: rebuild | {len(b['done'])} ({len(b['failed'])} failed) | {b['outside_wall']} | "
                f"{b['planning']} | **{e['share_of_full']:.2%}** | {b['why']} |"
            )
        for edit, e in r["edits"].items():
            jobs = e["rebuild"].get("job_s", {})
            slowest = sorted(jobs.items(), key=lambda kv: -kv[1])[:6]
            print(f"\n{edit}: jobs add up to {sum(jobs.values()):.1f} s; slowest: {slowest}")
        target = TARGETS.get(name.split()[0])
        if target:
            worst = max(e["share_of_full"] for edit, e in r["edits"].items() if edit in TARGET_EDITS)
            print(
                f"\ntarget ≤ {target:.0%} of the full batch: "
                f"{'met' if worst <= target else 'NOT met'} (worst {worst:.2%})"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communes", type=int, default=None, help="communes of the membership corpus (full: 1190)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--no-membership", action="store_true", help="skip the synthetic membership corpus")
    parser.add_argument("--no-default", action="store_true", help="skip the default corpus")
    parser.add_argument("--json", default=None, help="also save the measures to this file")
    parser.add_argument("--tiny", action="store_true", help="seconds: tiny corpora, a few territories, the brief alone")
    args = parser.parse_args(argv)
    results: dict = {"machine": _machine(), "corpora": {}}
    with tempfile.TemporaryDirectory(prefix="mesra-incremental-") as scratch:
        tmp = Path(scratch)
        corpora = []
        if not args.no_membership:
            size = membership_corpus.TINY if args.tiny else _scaled(args.communes or membership_corpus.FULL.communes)
            label = "membership" + ("" if args.tiny or not args.communes else f" ({args.communes} communes)")
            corpora.append((label, membership(tmp / "membership", size)))
        if not args.no_default and not args.tiny:
            default = tmp / "default"
            shutil.copytree(ROOT / "data", default)
            corpora.append(("default", default))
        for label, folder in corpora:
            scope, notebooks = (None, None)
            if args.tiny:
                scope, notebooks = _tiny_scope(folder, _places_of_edits(folder), tmp / label.split()[0])
            results["corpora"][label] = measure(
                label,
                folder,
                tmp / f"out-{label.split()[0]}",
                workers=1 if args.tiny else args.workers,
                territoires=scope,
                notebooks=notebooks,
            )
    results["machine"]["loadavg_end"] = list(os.getloadavg())
    _report(results)
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
