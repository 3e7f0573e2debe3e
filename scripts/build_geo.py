"""Derive mesra's reference geography (package data) from ../shared/data/geo.

Source: npm package ``@etalab/decoupage-administratif`` 6.0.0 (2026 vintage),
Licence Ouverte (Etalab): INSEE Code officiel géographique, DGCL epcicom2026.
Run: ``python scripts/build_geo.py [GEO_DIR]``; writes ``mesra/data/geo/``:
``territoires.csv`` (régions, départements) and, for resolving imported addresses
(:mod:`mesra.corpus.communes`), ``communes.csv.gz`` (code, nom, epci) and ``epci.csv.gz``
(code, nom, departement: the département holding most of the EPCI's population).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from mesra.text import slugify  # noqa: E402

SOURCE = "etalab-decoupage-administratif-2026"  # npm 6.0.0, 2026 vintage


def main(geo_dir: Path) -> None:
    out = ROOT / "mesra" / "data" / "geo"
    out.mkdir(parents=True, exist_ok=True)
    regions = [r for r in json.loads((geo_dir / "regions.json").read_text("utf-8")) if r["zone"] in ("metro", "drom")]
    deps = [d for d in json.loads((geo_dir / "departements.json").read_text("utf-8")) if d["zone"] in ("metro", "drom")]
    assert len(regions) == 18 and len(deps) == 101, (len(regions), len(deps))
    reg_id = {r["code"]: slugify(r["nom"]) for r in regions}
    rows = [
        ("monde", "Monde", "monde", "", "", "reference"),
        ("europe", "Europe", "europe", "", "monde", "reference"),
        ("fr", "France", "pays", "", "europe", "reference"),
    ]
    rows += [
        (reg_id[r["code"]], r["nom"], "region", r["code"], "fr", SOURCE)
        for r in sorted(regions, key=lambda r: r["code"])
    ]
    taken = set(reg_id.values())
    for d in sorted(deps, key=lambda d: d["code"]):
        # Overseas départements share their region's name (Guadeloupe, Martinique…):
        # the région keeps the plain slug, the département takes its code as suffix.
        slug = slugify(d["nom"])
        if slug in taken:
            slug = f"{slug}-{d['code']}"
        rows.append((slug, d["nom"], "departement", d["code"], reg_id[d["region"]], SOURCE))
    ids = [r[0] for r in rows]
    assert len(ids) == len(set(ids)), "duplicate slug in reference geography"
    with open(out / "territoires.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["territoire_id", "nom", "niveau", "code_insee", "parent_id", "source"])
        w.writerows(rows)
    print(f"{len(rows)} territoires -> {out / 'territoires.csv'}")
    build_communes(geo_dir, out, {d["code"] for d in deps})


def _write_gz(path: Path, header: list[str], rows: list[tuple]) -> None:
    """Write a gzipped CSV with a fixed timestamp, so that rebuilding is byte-stable."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
        gz.write(buf.getvalue().encode("utf-8"))


def build_communes(geo_dir: Path, out: Path, departements: set[str]) -> None:
    """Compact commune and EPCI tables for address resolution (package data).

    Only communes of the 101 départements of the reference are kept (not the
    overseas collectivities). An EPCI may span several départements: it is
    attached to the one holding most of its population (ties: smallest code).
    """
    with open(geo_dir / "communes_actuelles_slim.csv", encoding="utf-8", newline="") as fh:
        communes = [c for c in csv.DictReader(fh) if c["departement"] in departements]
    with open(geo_dir / "epci.csv", encoding="utf-8", newline="") as fh:
        epcis = list(csv.DictReader(fh))
    population: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for c in communes:
        if c["epci"]:
            population[c["epci"]][c["departement"]] += int(c["population"] or 0)
    epci_rows = []
    for e in sorted(epcis, key=lambda e: e["code"]):
        share = population.get(e["code"])
        if not share:
            continue  # no member commune in the reference départements
        dep = min(share, key=lambda d: (-share[d], d))
        epci_rows.append((e["code"], e["nom"], dep))
    known = {e[0] for e in epci_rows}
    commune_rows = [
        (c["code"], c["nom"], c["epci"] if c["epci"] in known else "")
        for c in sorted(communes, key=lambda c: c["code"])
    ]
    assert len({r[0] for r in commune_rows}) == len(commune_rows), "duplicate commune code"
    _write_gz(out / "communes.csv.gz", ["code", "nom", "epci"], commune_rows)
    _write_gz(out / "epci.csv.gz", ["code", "nom", "departement"], epci_rows)
    print(f"{len(commune_rows)} communes, {len(epci_rows)} EPCI -> {out}/communes.csv.gz, epci.csv.gz")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data" / "geo")
