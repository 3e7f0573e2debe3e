"""Derive mesra's reference geography (package data) from ../shared/data/geo.

Source: npm package ``@etalab/decoupage-administratif`` 6.0.0 (2026 vintage),
Licence Ouverte (Etalab): INSEE Code officiel géographique, DGCL epcicom2026.
Run: ``python scripts/build_geo.py [GEO_DIR] --decoupage PACKAGE_DIR --laposte HEXASMAL_CSV``;
writes ``mesra/data/geo/``: ``territoires.csv`` (régions, départements, overseas collectivities)
and, for resolving imported addresses (:mod:`mesra.corpus.communes`), ``communes.csv.gz``
(code, nom, epci), ``epci.csv.gz`` (code, nom, departement: the département holding most of the
EPCI's population), ``anciennes_communes.csv.gz`` (former communes: code, nom, code_actuel, type)
and ``codes_postaux.csv.gz`` (code_postal, code_insee, localite).

``PACKAGE_DIR`` is the unpacked npm package (``npm pack @etalab/decoupage-administratif@6.0.0``,
its ``data/communes.json`` holds the communes déléguées/associées and every commune's
``codesPostaux``); ``HEXASMAL_CSV`` is La Poste's « Base officielle des codes postaux »
(Licence Ouverte; the copy used is cited in ``mesra/data/geo/README.md``).
"""

from __future__ import annotations

import argparse
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
#: The niveau of an overseas collectivity (Saint-Barthélemy, Polynésie française…) in the contract.
COM_LEVEL = "collectivite_outre_mer"


def main(geo_dir: Path, decoupage: Path, laposte: Path) -> None:
    out = ROOT / "mesra" / "data" / "geo"
    out.mkdir(parents=True, exist_ok=True)
    regions = [r for r in json.loads((geo_dir / "regions.json").read_text("utf-8")) if r["zone"] in ("metro", "drom")]
    all_deps = json.loads((geo_dir / "departements.json").read_text("utf-8"))
    deps = [d for d in all_deps if d["zone"] in ("metro", "drom")]
    coms = [d for d in all_deps if d["zone"] == "com"]
    assert len(regions) == 18 and len(deps) == 101 and len(coms) == 8, (len(regions), len(deps), len(coms))
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
        taken.add(slug)
    # Overseas collectivities (Saint-Pierre-et-Miquelon 975, Saint-Barthélemy 977, Saint-Martin 978,
    # TAAF 984, Wallis-et-Futuna 986, Polynésie française 987, Nouvelle-Calédonie 988, Clipperton 989):
    # neither régions nor départements, directly under ``fr``.
    for d in sorted(coms, key=lambda d: d["code"]):
        slug = slugify(d["nom"])
        if slug in taken:
            slug = f"{slug}-{d['code']}"
        rows.append((slug, d["nom"], COM_LEVEL, d["code"], "fr", SOURCE))
    ids = [r[0] for r in rows]
    assert len(ids) == len(set(ids)), "duplicate slug in reference geography"
    with open(out / "territoires.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["territoire_id", "nom", "niveau", "code_insee", "parent_id", "source"])
        w.writerows(rows)
    print(f"{len(rows)} territoires -> {out / 'territoires.csv'}")
    build_communes(geo_dir, out, {d["code"] for d in deps} | {d["code"] for d in coms})
    with gzip.open(out / "communes.csv.gz", "rt", encoding="utf-8") as fh:
        current = {c["code"] for c in csv.DictReader(fh)}
    build_history_and_postal_codes(decoupage, laposte, out, current)


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

    Communes of the 101 départements and of the overseas collectivities (which
    have no EPCI) are kept. An EPCI may span several départements: it is
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


def build_history_and_postal_codes(decoupage: Path, laposte: Path, out: Path, current: set[str]) -> None:
    """Former communes and postal codes (package data for :mod:`mesra.corpus.communes`).

    ``anciennes_communes.csv.gz``: every commune déléguée or associée of the COG with its name
    and the current commune it belongs to (``chefLieu``), the former INSEE codes a current
    commune lists (``anciensCodes``, names unknown there: type ``ancienne``), and the municipal
    arrondissements of Paris, Lyon and Marseille (type ``arrondissement``). ``codes_postaux.csv.gz``: each
    (postal code, commune) pair of ``codesPostaux`` (``localite`` empty) and of La Poste's table
    (``localite`` = its ``Ligne_5``, the locality or former commune the code names, empty when
    none); La Poste's municipal arrondissements (Paris, Lyon, Marseille) and codes of communes
    merged since its vintage are mapped to the current commune.
    """
    communes = json.loads((decoupage / "data" / "communes.json").read_text("utf-8"))
    old: dict[str, tuple[str, str, str]] = {}
    arrondissement: dict[str, str] = {}
    pairs: set[tuple[str, str, str]] = set()
    for c in communes:
        if c["type"] in ("commune-deleguee", "commune-associee") and c["chefLieu"] in current:
            old[(c["code"], c["nom"])] = (c["code"], c["nom"], c["chefLieu"], c["type"].removeprefix("commune-"))
        elif c["type"] == "arrondissement-municipal":
            arrondissement[c["code"]] = c["commune"]
            old[(c["code"], c["nom"])] = (c["code"], c["nom"], c["commune"], "arrondissement")
        if c["type"] in ("commune-actuelle", "arrondissement-municipal"):
            code = c["commune"] if c["type"] == "arrondissement-municipal" else c["code"]
            pairs |= {(cp, code, "") for cp in c.get("codesPostaux", [])}
    named_codes = {k[0] for k in old}
    assert len(arrondissement) == 45, len(arrondissement)
    for c in communes:
        for code in c.get("anciensCodes", []) if c["type"] == "commune-actuelle" else []:
            if code not in named_codes and code != c["code"]:
                old[(code, "")] = (code, "", c["code"], "ancienne")
    to_current = {code: cur for code, _, cur, _ in old.values()} | arrondissement
    dropped = 0
    text = laposte.read_bytes().decode("latin-1")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert rows[0][:5] == [
        "#Code_commune_INSEE",
        "Nom_de_la_commune",
        "Code_postal",
        "Libellé_d_acheminement",
        "Ligne_5",
    ]
    for row in rows[1:]:
        if not row:
            continue
        insee, _, cp, _, ligne5 = (v.strip() for v in row[:5])
        code = insee if insee in current else to_current.get(insee)
        if code is None:
            dropped += 1
            continue
        pairs.add((cp, code, ligne5))
    _write_gz(out / "anciennes_communes.csv.gz", ["code", "nom", "code_actuel", "type"], sorted(old.values()))
    _write_gz(out / "codes_postaux.csv.gz", ["code_postal", "code_insee", "localite"], sorted(pairs))
    print(
        f"{len(old)} anciennes communes, {len(pairs)} (code postal, commune, localité) "
        f"({len(rows) - 1} lignes La Poste, {dropped} sans commune actuelle) -> {out}"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("geo_dir", nargs="?", type=Path, default=ROOT.parent / "shared" / "data" / "geo")
    parser.add_argument("--decoupage", type=Path, required=True, help="unpacked @etalab/decoupage-administratif")
    parser.add_argument("--laposte", type=Path, required=True, help="La Poste's 019HexaSmal.csv")
    args = parser.parse_args()
    main(args.geo_dir, args.decoupage, args.laposte)
