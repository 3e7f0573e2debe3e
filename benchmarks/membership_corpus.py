"""A synthetic membership corpus with the shape of a real one (issue 13's benchmark).

The real corpus that motivated the issue held 6,174 local authorities and groupings,
13,511 memberships and 1,248 territories. This one is built, seeded, from mesra's own
reference geography (real communes and EPCI of a few départements, package data): every
commune of the chosen EPCI is a territory and a local authority (``collectivite``); each
EPCI is a territory and a grouping; about 560 inter-communal syndicates and 4,200
associations complete the actors; ties are ``membre_de`` only (commune → its EPCI and
3–9 syndicates, association → one network or, for a quarter, two). Nothing in it is a fact: it is labelled
synthetic and cites one synthetic source line.

    python benchmarks/membership_corpus.py OUT_DIR          # writes the corpus folder
    python benchmarks/membership_corpus.py --tiny OUT_DIR   # one EPCI's communes, a few hundred rows (tests)
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import random
import sys
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mesra.text import slugify  # noqa: E402

#: Départements whose EPCI are taken, in this order, until about 1,190 communes are in.
DEPARTEMENTS = ("21", "71", "89", "58", "39", "25", "70", "90", "62", "59")
SOURCE = "synthetique#L1"


@dataclass(frozen=True)
class Size:
    """How many of each: communes (whole EPCI are taken until this many), syndicates, networks, associations."""

    communes: int = 1190
    syndicates: int = 560
    networks: int = 60
    associations: int = 4200


FULL = Size()
#: ``--tiny``: the first EPCI's communes and a few actors of each kind (the test suite's size).
TINY = Size(communes=1, syndicates=12, networks=4, associations=40)


def _rows(name: str) -> list[dict]:
    data = resources.files("mesra").joinpath(f"data/geo/{name}").read_bytes()
    return list(csv.DictReader(io.StringIO(gzip.decompress(data).decode("utf-8"))))


def _departement_ids() -> dict[str, str]:
    """INSEE code of each département → its territory identifier (reference geography)."""
    text = resources.files("mesra").joinpath("data/geo/territoires.csv").read_text(encoding="utf-8")
    return {
        r["code_insee"]: r["territoire_id"] for r in csv.DictReader(io.StringIO(text)) if r["niveau"] == "departement"
    }


def _groupings(
    deps: dict[str, str], communes_wanted: int
) -> tuple[list[dict], list[dict], list[dict], list[tuple[str, str]]]:
    """EPCI and their communes: territories, local authorities, commune → EPCI memberships."""
    epcis = [e for e in _rows("epci.csv.gz") if e["departement"] in DEPARTEMENTS]
    epcis.sort(key=lambda e: (DEPARTEMENTS.index(e["departement"]), e["code"]))
    communes_by_epci: dict[str, list[dict]] = {}
    for c in _rows("communes.csv.gz"):
        communes_by_epci.setdefault(c["epci"], []).append(c)
    territories, actors, ties, communes, used = [], [], [], [], set(deps.values())

    def ident(name: str, code: str) -> str:
        tid = slugify(name)
        tid = f"{tid}-{code}" if tid in used else tid
        used.add(tid)
        return tid

    for e in (e for e in epcis if communes_by_epci.get(e["code"])):
        if len(communes) >= communes_wanted:
            break
        eid = ident(e["nom"], e["code"])
        territories.append(_territory(eid, e["nom"], "epci", e["code"], deps[e["departement"]]))
        actors.append(_actor(f"{eid}-epci", e["nom"], "collectivite", eid, "local"))
        for c in communes_by_epci[e["code"]]:
            if c["code"][:2] != e["departement"]:  # an EPCI across départements: its communes of this one only
                continue
            cid = ident(c["nom"], c["code"])
            territories.append(_territory(cid, c["nom"], "commune", c["code"], eid))
            actors.append(_actor(f"commune-{cid}", f"Commune de {c['nom']}", "collectivite", cid, "local"))
            ties.append(_membership(f"commune-{cid}", f"{eid}-epci"))
            communes.append((cid, f"{eid}-epci"))
    return territories, actors, ties, communes


def _territory(tid, nom, niveau, code, parent) -> dict:
    return dict(territoire_id=tid, nom=nom, niveau=niveau, code_insee=code, parent_id=parent, source=SOURCE)


def _actor(aid, nom, kind, where, echelon, member=False) -> dict:
    return dict(
        acteur_id=aid,
        nom=nom,
        type=kind,
        territoire_id=where,
        echelon=echelon,
        membre_mes=str(member).lower(),
        source=SOURCE,
    )


def _membership(member: str, group: str) -> dict:
    return dict(source_id=member, cible_id=group, relation="membre_de", echelon="local", source=SOURCE)


def build(seed: int = 0, size: Size = FULL) -> dict[str, list[dict]]:
    """The corpus's tables as lists of rows."""
    rng = random.Random(seed)
    territories, actors, ties, communes = _groupings(_departement_ids(), size.communes)
    epci_ids = [t["territoire_id"] for t in territories if t["niveau"] == "epci"]
    syndicates = [f"syndicat-{i:04d}" for i in range(size.syndicates)]
    for i, sid in enumerate(syndicates):
        actors.append(_actor(sid, f"Syndicat intercommunal {i:04d}", "collectivite", rng.choice(epci_ids), "local"))
    for cid, _ in communes:
        ties += [_membership(f"commune-{cid}", sid) for sid in rng.sample(syndicates, rng.randint(3, 9))]
    networks = [f"reseau-{i:03d}" for i in range(size.networks)]
    for i, nid in enumerate(networks):
        where = rng.choice(epci_ids)
        actors.append(_actor(nid, f"Réseau associatif {i:03d}", "reseau_territorial", where, "regional", i % 3 == 0))
    for i in range(size.associations):
        aid = f"association-{i:05d}"
        actors.append(_actor(aid, f"Association {i:05d}", "association", rng.choice(communes)[0], "local"))
        ties += [_membership(aid, nid) for nid in rng.sample(networks, 2 if i % 4 == 0 else 1)]  # a quarter: two
    return {"territoires": territories, "acteurs": actors, "liens": ties}


def write(folder: Path, seed: int = 0, size: Size = FULL) -> Path:
    """Write the corpus to ``folder`` (created); return it."""
    tables = build(seed, size)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sources").mkdir(exist_ok=True)
    (folder / "sources" / "synthetique.txt").write_text(
        "Corpus synthétique de mesra pour les mesures de benchmarks/ (aucun fait réel).\n", encoding="utf-8"
    )
    columns = {
        "sources": ["source_id", "titre", "auteur", "annee", "fichier"],
        "territoires": ["territoire_id", "nom", "niveau", "code_insee", "parent_id", "source"],
        "acteurs": ["acteur_id", "nom", "sigle", "type", "territoire_id", "echelon", "membre_mes", "source"],
        "personnes": ["personne_id", "nom", "prenom", "acteur_id", "fonction", "source"],
        "liens": ["source_id", "cible_id", "relation", "axe", "echelon", "annee", "source"],
    }
    tables["sources"] = [
        dict(
            source_id="synthetique",
            titre="Corpus synthétique (benchmarks)",
            auteur="mesra",
            annee="2026",
            fichier="sources/synthetique.txt",
        )
    ]
    tables["personnes"] = []
    for name, cols in columns.items():
        with open(folder / f"{name}.csv", "w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=cols, extrasaction="raise")
            writer.writeheader()
            for row in tables[name]:
                writer.writerow({c: row.get(c, "") for c in cols})
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dossier", type=Path, help="dossier du corpus à écrire (créé)")
    parser.add_argument("--tiny", action="store_true", help="les communes d'un seul EPCI, quelques centaines de lignes")
    parser.add_argument("--seed", type=int, default=0, help="graine du générateur")
    args = parser.parse_args(argv)
    out = write(args.dossier, args.seed, TINY if args.tiny else FULL)
    print(out)
    for name in ("territoires", "acteurs", "liens"):
        with open(out / f"{name}.csv", encoding="utf-8", newline="") as fh:
            print(f"{name}: {sum(1 for _ in csv.DictReader(fh))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
