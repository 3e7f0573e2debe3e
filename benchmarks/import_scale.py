"""Import scale benchmark: a GoGoCarto export of N = 1 000 … 50 000 elements.

A seeded synthetic ``gogofull`` export is written with N elements located in
real communes of the reference geography (commune name + a postal code of its
département, so that resolution runs its usual path; 5 % of the elements carry a
commune unknown in their département, 5 % no postal code), categories drawn from
the default Transiscope mapping. Steps timed, each N in its own subprocess:

* ``import``: :func:`mesra.importers.gogocarto.import_gogocarto` into an empty
  folder (read, resolve, merge, validate, write);
* ``reimport``: the same export again with ``force=True`` (every element matched
  by its locator, nothing written);
* ``load``: :func:`mesra.load_corpus` of the result;
* ``xlsx``: :func:`mesra.corpus.spreadsheet.export_xlsx` of the result.

Peak memory is the process's resident high-water mark (``ru_maxrss``) at the end.

Usage::

    python benchmarks/import_scale.py                       # N = 1 000, 10 000, 50 000
    python benchmarks/import_scale.py --sizes 1000 5000
    python benchmarks/import_scale.py --tiny                # N = 100 in seconds (the test suite's run)
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TINY_SIZE = 100  # ``--tiny``: the test suite's size (seconds, no figure worth keeping)


def make_export(n: int, path: Path, seed: int = 0) -> None:
    from mesra.corpus.communes import commune_table
    from mesra.importers.gogocarto import load_category_mapping

    rng = random.Random(seed)
    communes = commune_table()
    rows = list(zip(communes["nom"], communes["departement"]))
    cats = [c for c, _ in load_category_mapping().rules] + ["Alimentation", "Mobilité", "Habitat"]
    data = []
    for i in range(n):
        nom, dep = rng.choice(rows)
        cp = {"2A": "20000", "2B": "20200"}.get(dep, dep + "0" * (5 - len(dep)))
        roll = rng.random()
        if roll < 0.05:
            nom = f"Lieu-dit {i}"
        elif roll < 0.10:
            cp = ""
        data.append(
            {
                "id": f"e{i}",
                "name": f"Initiative synthétique {i % (n // 3 + 1)}",
                "geo": {"latitude": 46.0, "longitude": 2.0},
                "address": {"streetAddress": "", "addressLocality": nom, "postalCode": cp, "addressCountry": "FR"},
                "categories": rng.sample(cats, 2),
                "sourceKey": "synthétique",
                "status": 1,
            }
        )
    path.write_text(json.dumps({"ontology": "gogofull", "data": data}, ensure_ascii=False), "utf-8")


def run_one(n: int) -> dict:
    from mesra import load_corpus
    from mesra.corpus.spreadsheet import export_xlsx
    from mesra.importers.gogocarto import import_gogocarto

    out = {"n": n}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        export = tmp / "carte.json"
        make_export(n, export)
        t = time.perf_counter()
        report = import_gogocarto(export, tmp / "corpus")
        out["import_s"] = round(time.perf_counter() - t, 2)
        out["actors"] = report.count("acteurs", "cree")
        out["merged_within_export"] = report.count("acteurs", "fusionne")
        out["resolution"] = dict(report.territories.counts)
        t = time.perf_counter()
        again = import_gogocarto(export, tmp / "corpus", force=True)
        out["reimport_s"] = round(time.perf_counter() - t, 2)
        assert again.written == []
        t = time.perf_counter()
        corpus = load_corpus(tmp / "corpus")
        out["load_s"] = round(time.perf_counter() - t, 2)
        assert len(corpus.acteurs) == out["actors"]
        t = time.perf_counter()
        export_xlsx(tmp / "corpus", tmp / "corpus.xlsx")
        out["xlsx_s"] = round(time.perf_counter() - t, 2)
    out["peak_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000])
    parser.add_argument("--tiny", action="store_true", help=f"N = {TINY_SIZE} only, in seconds")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(args.one)))
        return 0
    for n in [TINY_SIZE] if args.tiny else args.sizes:
        res = subprocess.run([sys.executable, __file__, "--one", str(n)], capture_output=True, text=True)
        if res.returncode != 0:
            sys.stderr.write(res.stderr)
            return res.returncode
        print(res.stdout.strip().splitlines()[-1], flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
