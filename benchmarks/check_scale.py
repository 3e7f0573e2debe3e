"""`mesra check` on large corpora with many dangling references.

A seeded synthetic corpus is written with N actors (identifiers are slugs of an
ESS kind and a real commune name, ``recyclerie-saint-martin-d-heres``, suffixed
``-2``… on collision, as an import would make them), N valid ties and K ties whose
target does not exist: 80 % are one-keystroke typos of an existing identifier
(substitution, deletion, insertion or swap of two neighbours), 20 % identifiers
that resemble none. Every actor and tie cites ``synthetique#L…`` (a 1 000-line source
text). Writing the corpus is not timed.

Then ``python -m mesra check DIR`` runs in a subprocess, as a user would run it:
wall time to the first problem printed, total wall time, lines printed, and the
process's peak resident memory (``wait4``). Once with the default listing (the
first 200 problems, then counts by file and kind), once with ``--tout`` (every
problem, printed to a pipe that is counted and dropped). For N ≤ 100 000, the
suggestions for 100 sampled unknown targets are compared with difflib's over the
whole set of identifiers (what the index may miss).

Usage::

    python benchmarks/check_scale.py                          # 100k/1k, 100k/500k, 500k/1k, 500k/500k
    python benchmarks/check_scale.py --cases 100000:1000 20000:2000
    python benchmarks/check_scale.py --no-tout                # skip the --tout runs
    python benchmarks/check_scale.py --tiny                   # 200 actors, 20 dangling: seconds (test suite)
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

KINDS = (
    "amap",
    "recyclerie",
    "ressourcerie",
    "epicerie-solidaire",
    "jardin-partage",
    "tiers-lieu",
    "cooperative",
    "scop",
    "scic",
    "association",
    "regie-de-quartier",
    "monnaie-locale",
    "repair-cafe",
    "habitat-partage",
    "cafe-associatif",
    "creche-parentale",
    "atelier-velo",
    "boutique-solidaire",
    "chantier-insertion",
    "centre-social",
)
RELATIONS = ("partenaire_de", "accompagne", "co_organise", "finance", "membre_de", "participe_a")
SOURCE_LINES = 1000
ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
TINY_CASE = "200:20"  # ``--tiny``: the test suite's case (seconds, no figure worth keeping)
TINY_AGREEMENT = 10


def _typo(rng: random.Random, word: str) -> str:
    i = rng.randrange(len(word))
    roll = rng.randrange(4)
    if roll == 0:
        return word[:i] + rng.choice(ALPHABET) + word[i + 1 :]
    if roll == 1 and len(word) > 3:
        return word[:i] + word[i + 1 :]
    if roll == 2:
        return word[:i] + rng.choice(ALPHABET) + word[i:]
    i = min(i, len(word) - 2)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def make_corpus(folder: Path, n_actors: int, n_dangling: int, seed: int = 0) -> dict:
    """Write the synthetic corpus into ``folder``; return what it holds."""
    from mesra.corpus.communes import commune_table
    from mesra.corpus.geo import reference_territories
    from mesra.corpus.writer import write_table
    from mesra.text import slugify

    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sources").mkdir(exist_ok=True)
    (folder / "sources" / "synthetique.txt").write_text(
        "".join(f"ligne {i}\n" for i in range(1, SOURCE_LINES + 1)), "utf-8"
    )
    write_table(
        folder,
        "sources",
        [{"source_id": "synthetique", "titre": "Corpus synthétique", "fichier": "sources/synthetique.txt"}],
    )
    ref = reference_territories()
    departements = list(ref.loc[ref["niveau"] == "departement", "territoire_id"])
    communes = list(commune_table()["nom"])

    def locator() -> str:
        a = rng.randrange(1, SOURCE_LINES - 5)
        return f"synthetique#L{a}-{a + rng.randrange(5)}"

    ids: list[str] = []
    seen: set[str] = set()
    actors = []
    for _ in range(n_actors):
        kind, commune = rng.choice(KINDS), rng.choice(communes)
        base = f"{kind}-{slugify(commune)}"
        aid, k = base, 1
        while aid in seen:
            k += 1
            aid = f"{base}-{k}"
        seen.add(aid)
        ids.append(aid)
        actors.append(
            {
                "acteur_id": aid,
                "nom": f"{kind.replace('-', ' ').capitalize()} de {commune}",
                "type": "association",
                "territoire_id": rng.choice(departements),
                "echelon": "local",
                "membre_mes": rng.choice(("true", "false")),
                "source": locator(),
            }
        )
    write_table(folder, "acteurs", actors)
    del actors
    ties = []
    for _ in range(n_actors):
        a, b = rng.sample(ids, 2)
        ties.append({"source_id": a, "cible_id": b, "relation": rng.choice(RELATIONS), "source": locator()})
    typos = 0
    for _ in range(n_dangling):
        if rng.random() < 0.8:
            bad = _typo(rng, rng.choice(ids))
            typos += 1
        else:
            bad = "-".join(rng.choice(("zx", "qw", "vk", "yj")) + str(rng.randrange(10**6)) for _ in range(2))
        while bad in seen:
            bad += rng.choice(ALPHABET)
        ties.append({"source_id": rng.choice(ids), "cible_id": bad, "relation": "partenaire_de", "source": locator()})
    rng.shuffle(ties)
    write_table(folder, "liens", ties)
    return {"actors": n_actors, "ties": len(ties), "dangling": n_dangling, "typos": typos}


def run_check(folder: Path, *extra: str) -> dict:
    """Run ``python -m mesra check folder`` in a subprocess; time it and count its output."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "mesra", "check", str(folder), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env=env,
    )
    first = None
    lines = 0
    last = b""
    for line in proc.stdout:
        if first is None:
            first = time.perf_counter() - t0
        lines += 1
        last = line
    stderr = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"mesra check a échoué ({proc.returncode}) : {stderr.decode()[-2000:]}")
    return {
        "first_line_s": round(first, 2) if first is not None else None,
        "wall_s": round(wall, 2),
        "lines": lines,
        "exit": proc.returncode,
        "peak_mib": round(usage.ru_maxrss / 1024),
        "last_line": last.decode("utf-8", "replace").strip()[:160],
    }


def agreement(folder: Path, sample: int, seed: int = 0) -> dict:
    """Suggestions of mesra's index against difflib over the whole set, for ``sample`` unknown targets."""
    import difflib

    from mesra.errors import CloseMatcher

    with open(folder / "acteurs.csv", encoding="utf-8") as fh:
        ids = [row["acteur_id"] for row in csv.DictReader(fh)]
    known = set(ids)
    with open(folder / "liens.csv", encoding="utf-8") as fh:
        unknown = sorted({row["cible_id"] for row in csv.DictReader(fh) if row["cible_id"] not in known})
    picked = random.Random(seed).sample(unknown, min(sample, len(unknown)))
    matcher, words = CloseMatcher(ids), sorted(known)
    same = with_hint = 0
    t = time.perf_counter()
    for value in picked:
        ours = matcher.matches(value)
        same += ours == difflib.get_close_matches(value, words, n=1, cutoff=0.75)
        with_hint += bool(ours)
    return {
        "sampled": len(picked),
        "same_as_difflib": same,
        "with_suggestion": with_hint,
        "difflib_s_per_value": round((time.perf_counter() - t) / max(1, len(picked)), 2),
    }


def machine() -> dict:
    info = {"python": platform.python_version(), "cpus": os.cpu_count(), "load": os.getloadavg()}
    with contextlib.suppress(OSError, StopIteration):
        info["lscpu_model"] = next(
            line.split(":", 1)[1].strip()
            for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines()
            if line.startswith("Model name")
        )
    with contextlib.suppress(OSError, StopIteration):
        info["mem_gib"] = next(
            line.split()[1]
            for line in subprocess.run(["free", "-g"], capture_output=True, text=True).stdout.splitlines()
            if line.startswith("Mem:")
        )
    return info


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--cases",
        nargs="+",
        default=["100000:1000", "100000:500000", "500000:1000", "500000:500000"],
        help="N_ACTEURS:N_REFERENCES_PENDANTES",
    )
    parser.add_argument("--no-tout", action="store_true", help="ne pas mesurer mesra check --tout")
    parser.add_argument(
        "--agreement",
        type=int,
        default=100,
        metavar="K",
        help="comparer les suggestions à difflib sur tout l'ensemble pour K cibles inconnues (≤ 100 000 acteurs)",
    )
    parser.add_argument(
        "--tiny",
        action="store_true",
        help=f"un seul cas, {TINY_CASE}, et {TINY_AGREEMENT} cibles comparées à difflib : quelques secondes",
    )
    args = parser.parse_args(argv)
    if args.tiny:
        args.cases, args.agreement = [TINY_CASE], TINY_AGREEMENT
    print(json.dumps({"machine": machine()}), flush=True)
    for case in args.cases:
        n_actors, n_dangling = (int(x) for x in case.split(":"))
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "corpus"
            t = time.perf_counter()
            made = make_corpus(folder, n_actors, n_dangling)
            made["write_s"] = round(time.perf_counter() - t, 1)
            made["liens_mib"] = round((folder / "liens.csv").stat().st_size / 2**20)
            print(json.dumps({"corpus": made}), flush=True)
            print(json.dumps({"case": case, "listing": "default", **run_check(folder)}), flush=True)
            if not args.no_tout:
                print(json.dumps({"case": case, "listing": "--tout", **run_check(folder, "--tout")}), flush=True)
            if args.agreement and n_actors <= 100_000 and n_dangling >= args.agreement:
                print(json.dumps({"case": case, "agreement": agreement(folder, args.agreement)}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
