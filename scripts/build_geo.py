"""Derive mesra's reference geography (package data) from ../shared/data/geo.

Source: npm package ``@etalab/decoupage-administratif`` 6.0.0 (2026 vintage),
Licence Ouverte (Etalab): INSEE Code officiel géographique, DGCL epcicom2026.
Run: ``python scripts/build_geo.py [GEO_DIR]``; writes ``mesra/data/geo/``.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from mesra._slug import slugify  # noqa: E402

SOURCE = "etalab-decoupage-administratif-2026"  # npm 6.0.0, 2026 vintage


def main(geo_dir: Path) -> None:
    out = ROOT / "mesra" / "data" / "geo"
    out.mkdir(parents=True, exist_ok=True)
    regions = [r for r in json.loads((geo_dir / "regions.json").read_text("utf-8"))
               if r["zone"] in ("metro", "drom")]
    deps = [d for d in json.loads((geo_dir / "departements.json").read_text("utf-8"))
            if d["zone"] in ("metro", "drom")]
    assert len(regions) == 18 and len(deps) == 101, (len(regions), len(deps))
    reg_id = {r["code"]: slugify(r["nom"]) for r in regions}
    rows = [
        ("monde", "Monde", "monde", "", "", "reference"),
        ("europe", "Europe", "europe", "", "monde", "reference"),
        ("fr", "France", "pays", "", "europe", "reference"),
    ]
    rows += [(reg_id[r["code"]], r["nom"], "region", r["code"], "fr", SOURCE)
             for r in sorted(regions, key=lambda r: r["code"])]
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


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data" / "geo")
