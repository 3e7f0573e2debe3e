"""Interactive network view benchmark: a page of N nodes and M edges, in headless Chromium (software WebGL).

A seeded synthetic cooperation graph (N organisations in N/100 groups, 90 % of the ties inside
a group; each tie with a relation, a source locator and, one in three, a shared context) is
laid out by mesra (the static figure's layout), turned into the view's data and written as one
self-contained page (:func:`mesra.network.interactive.write_page`). Measured:

* Python: layout (then the view's layout: the same graph, taken from the process's cache),
  data (groups included: mesra's community detection; the layout already computed), JSON and page sizes;
* Chromium (``--enable-unsafe-swiftshader``: WebGL on the CPU, as on a machine without GPU,
  network off): load time (navigation to the first frame drawn), then frame times while the
  camera zooms (sigma redraws every frame), the whole graph then one actor's neighbourhood
  highlighted (the reducers run for every node and edge).

Usage::

    python benchmarks/interactive_view.py                 # 5,000 nodes, 20,000 edges
    python benchmarks/interactive_view.py --nodes 2000 --edges 8000 --json r.json
    python benchmarks/interactive_view.py --tiny          # seconds: the test suite's run

``--tiny`` (200 nodes, 600 edges, 10 frames) checks that the benchmark still runs; its times
mean nothing. Results and the machine: ``benchmarks/README.md`` (section "Interactive view").
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # the Chromium driver of the browser tests


def synthetic_graph(n: int, m: int, seed: int = 0):
    import networkx as nx

    rng = random.Random(seed)
    g = nx.Graph(titre=f"Réseau synthétique — {n} organisations (exemple)")
    types = ["association", "cooperative", "collectivite", "reseau_territorial", "entreprise", "instance_ess"]
    groups = max(1, n // 100)
    for i in range(n):
        g.add_node(
            f"org-{i}",
            nom=f"Organisation synthétique {i}",
            sigle=None,
            type=rng.choice(types),
            territoire=f"territoire-{i % groups}",
            echelon=rng.choice(["local", "regional", "national"]),
            externe=i % 10 == 0,
        )
    members = [[f"org-{i}" for i in range(n) if i % groups == k] for k in range(groups)]
    nodes = list(g.nodes)
    while g.number_of_edges() < m:
        if rng.random() < 0.9:
            u, v = rng.sample(members[rng.randrange(groups)], 2)
        else:
            u, v = rng.sample(nodes, 2)
        shared = rng.random() < 1 / 3
        g.add_edge(
            u,
            v,
            relations=[] if shared else [rng.choice(["partenaire_de", "accompagne", "co_organise", "finance"])],
            contextes=[f"projet-{rng.randrange(n // 5 + 1)}"] if shared else [],
            weight=1,
            attestation="constate" if rng.random() < 0.8 else "prevu",
            sources=[f"synthetique#L{rng.randrange(1, 5000)}"],
        )
    return g


def measure(n: int, m: int, frames: int, workdir: Path) -> dict:
    from interactive_browser import evaluate, frame_times, load, open_browser, painted_pixels, problems

    from mesra.network import interactive
    from mesra.network.plots import clear_layout_cache, layout

    g = synthetic_graph(n, m)
    clear_layout_cache()
    t = time.perf_counter()
    layout(g, 0)  # the static figure's layout
    t_layout = time.perf_counter() - t
    t = time.perf_counter()
    layout(g, 0)  # the view's: the same graph, found in the process's cache
    t_shared = time.perf_counter() - t
    t = time.perf_counter()
    data = interactive.view_data(g)
    t_data = time.perf_counter() - t
    payload = interactive.data_json(data)
    page = workdir / f"vue-{n}.html"
    page.write_text(interactive.standalone_page(data), encoding="utf-8")
    browser = open_browser(workdir / "profil-chromium")
    try:
        load_s = load(browser, page)
        counts = evaluate(browser, "mesraViews[0].counts()")
        painted = painted_pixels(browser)
        whole = frame_times(browser, frames)
        hub = max(g.degree, key=lambda p: p[1])[0]
        t = time.perf_counter()
        evaluate(browser, f"mesraViews[0].select({json.dumps(hub)})")
        select_ms = (time.perf_counter() - t) * 1000
        neighbourhood = frame_times(browser, frames)
        errors, requests = problems(browser)
    finally:
        browser.close()
    if errors or requests != [page.resolve().as_uri()]:
        raise SystemExit(f"erreurs {errors} ou requêtes {requests}")
    if counts != {"nodes": n, "edges": m} or painted <= 0:
        raise SystemExit(f"vue incomplète : {counts}, {painted} pixels dessinés")

    def summary(times):
        times = sorted(times)
        return {
            "mediane_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
        }

    return {
        "noeuds": n,
        "liens": m,
        "disposition_s": round(t_layout, 2),
        "disposition_partagee_s": round(t_shared, 3),
        "donnees_s": round(t_data, 2),
        "json_octets": len(payload.encode("utf-8")),
        "page_octets": page.stat().st_size,
        "chargement_s": round(load_s, 2),
        "images_tout": summary(whole),
        "selection_ms": round(select_ms, 1),
        "images_voisinage": summary(neighbourhood),
        "pixels_dessines": painted,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=5000)
    parser.add_argument("--edges", type=int, default=20000)
    parser.add_argument("--frames", type=int, default=60)
    parser.add_argument("--tiny", action="store_true", help="200 nodes, 600 edges, 10 frames (the tests' run)")
    parser.add_argument("--json", default=None, help="also save the result to this file")
    args = parser.parse_args(argv)
    if args.tiny:
        args.nodes, args.edges, args.frames = 200, 600, 10
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="mesra-vue-") as tmp:
        row = measure(args.nodes, args.edges, args.frames, Path(tmp))
    row["machine"] = (
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPU, Python {platform.python_version()}"
    )
    row["charge"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    print(
        "| nœuds | liens | disposition (s) | disposition, vue (s) | données (s) | JSON (Mo) | page (Mo) "
        "| chargement (s) | image, tout (ms, méd. / p95) | sélection (ms) | image, voisinage (ms, méd. / p95) |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(
        f"| {row['noeuds']} | {row['liens']} | {row['disposition_s']} | {row['disposition_partagee_s']} "
        f"| {row['donnees_s']} "
        f"| {row['json_octets'] / 1e6:.2f} | {row['page_octets'] / 1e6:.2f} | {row['chargement_s']} "
        f"| {row['images_tout']['mediane_ms']} / {row['images_tout']['p95_ms']} | {row['selection_ms']} "
        f"| {row['images_voisinage']['mediane_ms']} / {row['images_voisinage']['p95_ms']} |"
    )
    print(json.dumps(row, ensure_ascii=False))
    if args.json:
        Path(args.json).write_text(json.dumps(row, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
