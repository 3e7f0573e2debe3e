"""Network scale benchmark: mesra's graphs, projection and metrics at N = 1 000 … 50 000.

A seeded synthetic affiliation corpus (N members, N/10 collectives, about three
affiliations per member, a few hubs each holding 5 % of the members, plus N
direct partnership ties) is built as the corpus DataFrames, then each pipeline
runs in its own subprocess so that timings and peak memory do not mix:

* ``mesra``: ``affiliation_graph`` and ``cooperation_graph`` from the DataFrames,
  ``project(b, "count", sparse=True)`` (which also builds the python-igraph graph the
  table reads, as igraph's pipeline does in its projection step), ``metrics(p)`` (the
  full table of the projection), ``metrics`` of the cooperation graph;
* ``igraph``: the same steps written directly in python-igraph (bipartite graph
  from the DataFrames, ``bipartite_projection(multiplicity=True)``, degree,
  strength, betweenness, PageRank, Leiden and modularity, then Burt's constraint
  as its own step since igraph's is quadratic in hub size; Louvain timed for
  reference). igraph has no effective size.

Peak memory of each step is the process's resident set high-water mark (VmHWM,
reset before each step through ``/proc/self/clear_refs``; ``ru_maxrss`` where
that is unavailable). With ``--repeat R`` both pipelines run R times, alternately, and
each step keeps its fastest time (the usual estimator on a shared machine) and its
largest peak. The values of both pipelines are compared at the end. The summary gives
the table alone, projection + table, and the whole chain from the DataFrames, for both.

Usage::

    python benchmarks/network_scale.py                      # N = 1 000, 10 000, 50 000
    python benchmarks/network_scale.py --sizes 1000 10000   # a subset
    python benchmarks/network_scale.py --repeat 3           # fastest of 3 alternated runs per step
    python benchmarks/network_scale.py --json results.json  # also save the measures
    python benchmarks/network_scale.py --tiny               # N = 200 in seconds (the test suite's run)

Results and the machine they were measured on: ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

HUBS = 3
TINY_SIZE = 200  # ``--tiny``: the test suite runs the benchmark at this size (seconds, no figure worth keeping)
HUB_SHARE = 0.05
DIRECT_TIES_PER_MEMBER = 1.0


# --- the synthetic corpus -----------------------------------------------------------
def synthetic_frames(n: int, seed: int = 0) -> dict[str, pd.DataFrame]:
    """The seeded synthetic corpus as mesra's DataFrames (``acteurs``, ``liens``).

    N members (associations, cooperatives… in random départements), N/10
    collectives; the first ``HUBS`` collectives each hold ``HUB_SHARE`` of the
    members; each member also joins 1 + Poisson(2) collectives drawn uniformly
    (≈ 3.15 affiliations in all); N direct ``partenaire_de`` ties between random
    members.
    """
    from mesra.corpus import contract
    from mesra.corpus.geo import reference_territories

    rng = np.random.default_rng(seed)
    ref = reference_territories()
    deps = np.sort(ref.loc[ref["niveau"] == "departement", "territoire_id"].to_numpy())
    n_coll = max(n // 10, HUBS + 1)
    width = len(str(n))
    members = np.array([f"m{i:0{width}d}" for i in range(n)], dtype=object)
    collectives = np.array([f"c{i:0{width}d}" for i in range(n_coll)], dtype=object)
    member_types = np.array(["association", "cooperative", "entreprise", "collectivite"], dtype=object)
    coll_types = np.array(["collectif", "projet", "evenement", "instance_ess", "plateforme"], dtype=object)
    acteurs = pd.DataFrame(
        {
            "acteur_id": np.concatenate([members, collectives]),
            "nom": np.concatenate([[f"Membre {i}" for i in range(n)], [f"Collectif {i}" for i in range(n_coll)]]),
            "sigle": None,
            "type": np.concatenate([member_types[rng.integers(0, 4, n)], coll_types[rng.integers(0, 5, n_coll)]]),
            "territoire_id": np.concatenate(
                [deps[rng.integers(0, len(deps), n)], deps[rng.integers(0, len(deps), n_coll)]]
            ),
            "echelon": np.concatenate(
                [
                    np.where(rng.random(n) < 0.8, "local", "regional"),
                    np.where(rng.random(n_coll) < 0.5, "regional", "national"),
                ]
            ).astype(object),
            "membre_mes": pd.array(
                np.concatenate([rng.random(n) < 0.3, np.zeros(n_coll, dtype=bool)]), dtype="boolean"
            ),
            "source": "synthetique#L1",
        }
    )
    src, dst = [], []
    for h in range(HUBS):
        chosen = rng.choice(n, size=int(n * HUB_SHARE), replace=False)
        src.append(chosen)
        dst.append(np.full(len(chosen), h))
    k = 1 + rng.poisson(2.0, size=n)
    src.append(np.repeat(np.arange(n), k))
    dst.append(rng.integers(HUBS, n_coll, size=int(k.sum())))
    pairs = np.unique(np.column_stack([np.concatenate(src), np.concatenate(dst)]), axis=0)
    n_direct = int(n * DIRECT_TIES_PER_MEMBER)
    a, b = rng.integers(0, n, n_direct), rng.integers(0, n, n_direct)
    keep = a != b
    relation = np.array(contract.AFFILIATION_RELATIONS, dtype=object)[rng.integers(0, 2, len(pairs))]
    liens = pd.DataFrame(
        {
            "source_id": np.concatenate([members[pairs[:, 0]], members[a[keep]]]),
            "cible_id": np.concatenate([collectives[pairs[:, 1]], members[b[keep]]]),
            "relation": np.concatenate([relation, np.full(int(keep.sum()), "partenaire_de", dtype=object)]),
        }
    )
    liens["axe"] = pd.array([None] * len(liens), dtype="Int64")
    liens["echelon"] = None
    liens["annee"] = pd.array([None] * len(liens), dtype="Int64")
    liens["source"] = "synthetique#L1"
    return {"acteurs": acteurs, "liens": liens}


def synthetic_corpus(n: int, seed: int = 0):
    """A :class:`mesra.Corpus` holding :func:`synthetic_frames` (no people, no monographs)."""
    from mesra.corpus import contract
    from mesra.corpus.geo import reference_territories
    from mesra.corpus.load import Corpus

    frames = synthetic_frames(n, seed)
    empty = {
        name: pd.DataFrame({c: [] for c in contract.TABLES[name].column_names}, dtype=object)
        for name in ("personnes", "sources")
    }
    return Corpus(
        acteurs=frames["acteurs"],
        personnes=empty["personnes"],
        liens=frames["liens"],
        territoires=reference_territories(),
        monographies=pd.DataFrame(),
        sources=empty["sources"],
        path=Path("<synthétique>"),
        hash="",
    )


# --- measuring ------------------------------------------------------------------------
def _hwm_kib() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _reset_hwm() -> bool:
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


class _Steps:
    def __init__(self):
        self.rows: list[dict] = []

    def run(self, name: str, fn):
        reset = _reset_hwm()
        c0, t0 = time.process_time(), time.perf_counter()
        out = fn()
        seconds = time.perf_counter() - t0
        cpu = time.process_time() - c0  # CPU time of this process: less sensitive to other jobs than wall time
        self.rows.append(
            {
                "etape": name,
                "secondes": seconds,
                "cpu_secondes": cpu,
                "pic_rss_mio": _hwm_kib() / 1024,
                "pic_par_etape": reset,
            }
        )
        print(json.dumps({"etape": name, "secondes": round(seconds, 3)}), file=sys.stderr, flush=True)
        return out


def _pivots(n: int, seed: int, pivots: int, exact_max: int):
    return None if n <= exact_max else random.Random(seed).sample(range(n), pivots)


def worker_mesra(n: int, seed: int, pivots: int, exact_max: int, out: Path) -> dict:
    import igraph  # noqa: F401  (imported before timing, as in worker_igraph: metrics would import it on first use)

    from mesra.network.graphs import affiliation_graph, cooperation_graph
    from mesra.network.measures import metrics
    from mesra.network.projection import project

    steps = _Steps()
    corpus = steps.run("données synthétiques", lambda: synthetic_corpus(n, seed))
    b = steps.run("graphe d'affiliation (networkx)", lambda: affiliation_graph(corpus))
    g = steps.run("graphe de coopération (networkx)", lambda: cooperation_graph(corpus))
    p = steps.run("projection creuse", lambda: project(b, "count", sparse=True))
    m = steps.run(
        "métriques de la projection",
        lambda: metrics(p, seed=seed, exact_betweenness_max=exact_max, betweenness_pivots=pivots),
    )
    steps.run(
        "métriques du graphe de coopération",
        lambda: metrics(g, seed=seed, exact_betweenness_max=exact_max, betweenness_pivots=pivots),
    )
    np.savez(
        out,
        noeud=m["noeud"].to_numpy(dtype=str),
        intermediarite=m["intermediarite"].to_numpy(float),
        pagerank=m["pagerank"].to_numpy(float),
        contrainte=m["contrainte"].to_numpy(float),
        degre_pondere=m["degre_pondere"].to_numpy(float),
    )
    return {
        "steps": steps.rows,
        "liens_projection": int(p.number_of_edges()),
        "noeuds_projection": len(p.nodes),
        "modularite": m.attrs["modularite"],
        "intermediarite": m.attrs["intermediarite"],
        "noeuds_affiliation": b.number_of_nodes(),
        "liens_affiliation": b.number_of_edges(),
    }


def worker_igraph(n: int, seed: int, pivots: int, exact_max: int, out: Path, constraint_max: int) -> dict:
    import igraph as ig

    steps = _Steps()
    corpus = steps.run("données synthétiques", lambda: synthetic_corpus(n, seed))

    def bipartite():
        from mesra.corpus import contract

        t = corpus.liens[corpus.liens["relation"].isin(contract.AFFILIATION_RELATIONS)]
        members = np.sort(t["source_id"].unique())
        colls = np.sort(t["cible_id"].unique())
        mi = pd.Index(members).get_indexer(t["source_id"])
        ci = pd.Index(colls).get_indexer(t["cible_id"]) + len(members)
        h = ig.Graph(n=len(members) + len(colls))
        h.add_edges(np.unique(np.column_stack([mi, ci]), axis=0))
        h.vs["type"] = [False] * len(members) + [True] * len(colls)
        h.vs["name"] = list(members) + list(colls)
        return h

    h = steps.run("graphe d'affiliation (igraph)", bipartite)
    proj = steps.run("projection (bipartite_projection)", lambda: h.bipartite_projection(which=0, multiplicity=True))
    k = proj.vcount()
    sources = _pivots(k, seed, pivots, exact_max)

    def table():
        rng = random.Random(seed)
        ig.set_random_number_generator(rng)
        deg = proj.degree()
        strength = proj.strength(weights="weight")
        bet = proj.betweenness(directed=False, sources=sources)
        pr = proj.pagerank(weights="weight", directed=False)
        comm = proj.community_leiden(objective_function="modularity", weights="weight", n_iterations=-1)
        q = proj.modularity(comm.membership, weights="weight")
        comps = proj.connected_components()
        ig.set_random_number_generator(random)
        return deg, strength, bet, pr, q, len(comps)

    deg, strength, bet, pr, q, _ = steps.run("métriques sans contrainte (igraph)", table)
    constraint = None
    if k <= constraint_max:
        constraint = steps.run("contrainte de Burt (igraph)", lambda: proj.constraint(weights="weight"))
    ig.set_random_number_generator(random.Random(seed))
    steps.run("Louvain (igraph, pour mémoire)", lambda: proj.community_multilevel(weights="weight"))
    ig.set_random_number_generator(random)
    bet = np.asarray(bet, dtype=float)
    if sources is None:
        bet = bet * 2.0 / ((k - 1) * (k - 2))
    else:
        scale = np.full(k, 2.0 / (len(sources) * (k - 2)))
        scale[sources] = 2.0 / ((len(sources) - 1) * (k - 2))
        bet = bet * scale
    np.savez(
        out,
        noeud=np.asarray(proj.vs["name"], dtype=str),
        intermediarite=bet,
        pagerank=np.asarray(pr, dtype=float),
        contrainte=np.asarray(constraint if constraint is not None else np.full(k, np.nan), dtype=float),
        degre_pondere=np.asarray(strength, dtype=float),
    )
    return {"steps": steps.rows, "liens_projection": proj.ecount(), "noeuds_projection": k, "modularite": q}


# --- driver ------------------------------------------------------------------------------------
def _run_worker(kind: str, n: int, args, tmp: Path, constraint_max: int) -> dict:
    out = tmp / f"{kind}-{n}.npz"
    cmd = [
        sys.executable,
        __file__,
        "--worker",
        kind,
        "--sizes",
        str(n),
        "--seed",
        str(args.seed),
        "--pivots",
        str(args.pivots),
        "--exact-max",
        str(args.exact_max),
        "--igraph-constraint-max",
        str(constraint_max),
        "--out",
        str(out),
    ]
    print(f"[N={n}] {kind}…", file=sys.stderr, flush=True)
    done = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["npz"] = str(out)
    return result


def _merge(runs: list[dict]) -> dict:
    """Several runs of one pipeline: per step, the fastest time and the largest peak."""
    merged = dict(runs[0])
    steps: dict[str, dict] = {}
    for run in runs:
        for s in run["steps"]:
            got = steps.setdefault(s["etape"], {**s, "temps": [], "temps_cpu": []})
            got["temps"].append(s["secondes"])
            got["temps_cpu"].append(s["cpu_secondes"])
            got["pic_rss_mio"] = max(got["pic_rss_mio"], s["pic_rss_mio"])
    for s in steps.values():
        s["secondes"] = min(s["temps"])
        s["cpu_secondes"] = min(s["temps_cpu"])
    merged["steps"] = list(steps.values())
    return merged


def _compare(a_path: str, b_path: str) -> dict:
    a, b = np.load(a_path), np.load(b_path)
    same_nodes = bool(np.array_equal(a["noeud"], b["noeud"]))
    out = {"memes_noeuds": same_nodes}
    if same_nodes:
        for col in ("intermediarite", "pagerank", "contrainte", "degre_pondere"):
            x, y = a[col], b[col]
            ok = ~(np.isnan(x) | np.isnan(y))
            out[f"ecart_max_{col}"] = float(np.max(np.abs(x[ok] - y[ok]))) if ok.any() else None
    return out


def machine() -> dict:
    import igraph
    import networkx
    import scipy

    mem = ""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            mem = next(line for line in fh if line.startswith("MemTotal")).split(":")[1].strip()
    except (OSError, StopIteration):
        pass
    cpu = platform.processor()
    try:
        with open("/proc/cpuinfo", encoding="ascii") as fh:
            cpu = next(line for line in fh if line.startswith("model name")).split(":")[1].strip()
    except (OSError, StopIteration):
        pass
    return {
        "cpu": cpu,
        "coeurs": os.cpu_count(),
        "memoire": mem,
        "python": platform.python_version(),
        "systeme": platform.platform(),
        "networkx": networkx.__version__,
        "igraph": igraph.__version__,
        "scipy": scipy.__version__,
        "numpy": np.__version__,
        "pandas": pd.__version__,
    }


def _int(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")


#: Steps of each pipeline: (graph from the DataFrames, projection, table of the projection).
STEPS = {
    "mesra": ("graphe d'affiliation (networkx)", "projection creuse", "métriques de la projection"),
    "igraph": (
        "graphe d'affiliation (igraph)",
        "projection (bipartite_projection)",
        "métriques sans contrainte (igraph)",
    ),
}


def figures(r: dict) -> dict:
    """The compared figures of one size: the table alone, projection + table, and from the DataFrames.

    mesra's projection step builds the python-igraph graph the table reads (as igraph's
    pipeline does in its projection step), so "projection + table" compares the same work;
    "from the DataFrames" adds the bipartite graph (networkx for mesra: what users receive).
    Each step is its fastest run, so the sums are sums of fastest steps. ``*_cpu``: the same
    from the process's CPU time (both pipelines run on one thread), steadier than wall time
    when other jobs share the cores.
    """
    out = {}
    for kind in ("mesra", "igraph"):
        t = {s["etape"]: s["secondes"] for s in r[kind]["steps"]}
        graph, proj, table = (t[k] for k in STEPS[kind])
        out[f"{kind}_table"] = table
        out[f"{kind}_projection_table"] = proj + table
        out[f"{kind}_complet"] = graph + proj + table
        cpu = {s["etape"]: s["cpu_secondes"] for s in r[kind]["steps"]}
        out[f"{kind}_table_cpu"] = cpu[STEPS[kind][2]]
        out[f"{kind}_projection_table_cpu"] = cpu[STEPS[kind][1]] + cpu[STEPS[kind][2]]
    gs = {s["etape"]: s["secondes"] for s in r["igraph"]["steps"]}
    c = gs.get("contrainte de Burt (igraph)")
    out["igraph_avec_contrainte"] = None if c is None else out["igraph_table"] + c
    out["ratio_table"] = out["mesra_table"] / out["igraph_table"]
    out["ratio_projection_table"] = out["mesra_projection_table"] / out["igraph_projection_table"]
    out["ratio_complet"] = out["mesra_complet"] / out["igraph_complet"]
    out["ratio_table_cpu"] = out["mesra_table_cpu"] / out["igraph_table_cpu"]
    out["ratio_projection_table_cpu"] = out["mesra_projection_table_cpu"] / out["igraph_projection_table_cpu"]
    return out


def _markdown(results: list[dict]) -> str:
    lines = ["| N | pipeline | étape | temps (s) | pic RSS (Mio) |", "|---:|---|---|---:|---:|"]
    for r in results:
        for kind in ("mesra", "igraph"):
            for s in r[kind]["steps"]:
                lines.append(
                    f"| {_int(r['n'])} | {kind} | {s['etape']} | {s['secondes']:.2f} | {s['pic_rss_mio']:.0f} |"
                )
    lines += [
        "",
        "| N | liens de la projection | mesra : métriques (s) | igraph : même jeu sans contrainte (s) | "
        "ratio (métriques) | ratio CPU (métriques) | mesra : projection + métriques (s) | "
        "igraph : projection + métriques (s) | "
        "ratio (projection + métriques) | mesra : depuis les tables (s) | igraph : depuis les tables (s) | "
        "igraph : avec contrainte (s) | écarts max (intermédiarité, PageRank, contrainte) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        f = figures(r)
        c = r["comparaison"]
        gaps = ", ".join(
            "n.d." if c.get(f"ecart_max_{k}") is None else f"{c[f'ecart_max_{k}']:.1e}"
            for k in ("intermediarite", "pagerank", "contrainte")
        )
        with_c = f["igraph_avec_contrainte"]
        lines.append(
            f"| {_int(r['n'])} | {_int(r['mesra']['liens_projection'])} | {f['mesra_table']:.2f} | "
            f"{f['igraph_table']:.2f} | {f['ratio_table']:.2f} | {f['ratio_table_cpu']:.2f} | "
            f"{f['mesra_projection_table']:.2f} | "
            f"{f['igraph_projection_table']:.2f} | {f['ratio_projection_table']:.2f} | {f['mesra_complet']:.2f} | "
            f"{f['igraph_complet']:.2f} | {'non mesuré' if with_c is None else f'{with_c:.1f}'} | {gaps} |"
        )
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark réseau : graphes, projection, métriques (mesra vs igraph).")
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=[1_000, 10_000, 50_000],
        metavar="N",
        help="tailles N (défaut : 1000 10000 50000)",
    )
    parser.add_argument("--seed", type=int, default=0, help="graine du générateur et des métriques")
    parser.add_argument("--pivots", type=int, default=200, help="pivots de l'intermédiarité échantillonnée")
    parser.add_argument("--exact-max", type=int, default=5_000, help="intermédiarité exacte jusqu'à ce nombre de nœuds")
    parser.add_argument(
        "--igraph-constraint-max",
        type=int,
        default=10_000,
        help="mesurer la contrainte d'igraph jusqu'à ce nombre de nœuds (≈ 8 min à 50 000)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        metavar="R",
        help="répéter R fois chaque pipeline, en alternance, et garder le temps le plus court "
        "de chaque étape (machine partagée) ; la contrainte d'igraph n'est mesurée qu'une fois",
    )
    parser.add_argument("--json", default=None, metavar="FICHIER", help="enregistrer les mesures en JSON")
    parser.add_argument(
        "--tiny",
        action="store_true",
        help=f"une seule taille, N = {TINY_SIZE}, en quelques secondes (vérifie que le benchmark tourne)",
    )
    parser.add_argument("--worker", choices=("mesra", "igraph"), default=None, help=argparse.SUPPRESS)
    parser.add_argument("--out", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.tiny and not args.worker:
        args.sizes, args.repeat = [TINY_SIZE], 1
    if args.worker:
        n = args.sizes[0]
        if args.worker == "mesra":
            result = worker_mesra(n, args.seed, args.pivots, args.exact_max, Path(args.out))
        else:
            result = worker_igraph(
                n, args.seed, args.pivots, args.exact_max, Path(args.out), args.igraph_constraint_max
            )
        print(json.dumps(result))
        return 0
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            runs: dict[str, list] = {"mesra": [], "igraph": []}
            for rep in range(args.repeat):  # alternate the pipelines: both see the same load
                runs["mesra"].append(_run_worker("mesra", n, args, Path(tmp), 0))
                limit = args.igraph_constraint_max if rep == 0 else 0  # igraph's constraint: once
                runs["igraph"].append(_run_worker("igraph", n, args, Path(tmp), limit))
                if rep == 0:
                    comparison = _compare(runs["mesra"][0]["npz"], runs["igraph"][0]["npz"])
            r = {
                "n": n,
                "repetitions": args.repeat,
                "mesra": _merge(runs["mesra"]),
                "igraph": _merge(runs["igraph"]),
                "comparaison": comparison,
            }
            r["chiffres"] = figures(r)
            results.append(r)
    report = {
        "machine": machine(),
        "parametres": {
            k: getattr(args, k) for k in ("sizes", "seed", "pivots", "exact_max", "igraph_constraint_max", "repeat")
        },
        "resultats": results,
    }
    print(_markdown(results))
    print()
    print(json.dumps(report["machine"], ensure_ascii=False))
    if args.json:
        Path(args.json).write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
