"""Warm kernels against the Papermill floor (issue 13), in one run on one machine.

* **floor**: Papermill executing an empty notebook (one ``pass`` cell) with a fresh
  standard kernel, as ``mesra briefs --engine papermill`` starts them (median of N);
* **default corpus, warm engine**: ``run_briefs`` over every default territory from
  scratch (``--force`` into an empty folder), 1 worker then 2 workers, ``--batches`` times
  alternately (best kept, every run printed), without the memory sampler: wall time, wall
  time per notebook (1 worker) against the floor, speed-up; then once more with 2 workers
  and the memory sampler, for the peak memory;
* **default corpus, --engine papermill**: the same batch with fresh kernels, for the record;
* **synthetic membership corpus** (``membership_corpus.py``: about 6,000 actors, 13,600
  ``membre_de`` ties, 1,230 territories): a sample of territories of every level run
  with 2 workers, time per notebook by level, extrapolated to every territory by the
  count of each level; peak memory of each worker (proportional set size, PSS, of the
  worker, its warm parent and its kernels, sampled every 0.2 s).

Usage::

    python benchmarks/warm_batch.py                      # everything (≈ 10 min on 2 cores)
    python benchmarks/warm_batch.py --no-papermill --communes 20
    python benchmarks/warm_batch.py --json results.json
    python benchmarks/warm_batch.py --tiny               # seconds: the test suite's run (see below)

``--tiny`` checks that the benchmark still runs, nothing more: one floor run, the fixture
corpus ``tests/fixtures/mini`` for one territory (``ales``) in place of the default corpus,
one batch with 1 worker (with one job, 2 workers would run the same way), the brief
notebook alone in every batch, no ``--engine papermill`` batch, and the synthetic corpus
at its tiny size (one EPCI) with one commune sampled, 1 worker and the memory sampler
(the other levels are not sampled: their mean job is the commune's).

Results and machine: ``benchmarks/README.md`` (section "Warm kernels").
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

import nbformat
import papermill
import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import membership_corpus  # noqa: E402

from mesra.batch.jobs import KERNEL_NAME  # noqa: E402
from mesra.batch.plan import default_territories  # noqa: E402
from mesra.batch.worker import PAPERMILL_OPTIONS  # noqa: E402
from mesra.corpus.load import load_corpus  # noqa: E402

PAPERMILL_ARGS = dict(kernel_name=KERNEL_NAME, **PAPERMILL_OPTIONS)
#: ``--tiny``: the test suite's run (seconds; no figure worth keeping).
TINY_DATA = ROOT / "tests" / "fixtures" / "mini"
TINY_TERRITORY = "ales"
TINY_NOTEBOOK = "04-note-recherche-action"


def _machine() -> dict:
    def run(*cmd: str) -> str:
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=10).stdout
        except (OSError, subprocess.SubprocessError):
            return ""

    lscpu = {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in run("lscpu").splitlines())}
    return {
        "cpu": lscpu.get("Model name"),
        "cpus": os.cpu_count(),
        "free_g": run("free", "-g").strip(),
        "python": sys.version.split()[0],
        "papermill": papermill.__version__,
    }


class MemorySampler:
    """Peak PSS of each worker's process tree (worker, warm parent, kernels), sampled in a thread."""

    def __init__(self, root: int, interval: float = 0.2, *, in_process: bool = False):
        self.root = root  # the batch's process
        self.interval = interval
        self.in_process = in_process  # 1 worker: the batch's process is the worker
        self.peaks: dict[int, float] = defaultdict(float)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def _pss(proc: psutil.Process) -> float:
        total = 0.0
        for p in [proc, *proc.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):
                total += p.memory_full_info().pss
        return total / 2**20

    @staticmethod
    def _is_worker(p: psutil.Process) -> bool:
        with contextlib.suppress(psutil.Error):
            return "spawn_main" in " ".join(p.cmdline())
        return False

    def _run(self) -> None:
        me = psutil.Process(self.root)
        while not self._stop.is_set():
            with contextlib.suppress(psutil.Error):
                workers = [me] if self.in_process else [p for p in me.children() if self._is_worker(p)]
                for w in workers:
                    with contextlib.suppress(psutil.Error):
                        self.peaks[w.pid] = max(self.peaks[w.pid], self._pss(w))
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def _floor(tmp: Path, repeat: int, *, warm_up: bool = True) -> list[float]:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": KERNEL_NAME, "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell("pass")]
    path = tmp / "vide.ipynb"
    nbformat.write(nb, path)
    work = tmp / "cwd"
    work.mkdir(exist_ok=True)
    if warm_up:  # of the disk caches
        papermill.execute_notebook(str(path), None, cwd=str(work), **PAPERMILL_ARGS)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        papermill.execute_notebook(str(path), None, cwd=str(work), **PAPERMILL_ARGS)
        times.append(time.perf_counter() - start)
    return times


#: One batch in a process of its own, as ``mesra briefs`` runs it: a light ``__main__`` (spawned
#: workers import the parent's main module; this script's imports would weigh on each of them).
_RUN = """
import json, sys, time
from mesra.batch.run import run_briefs
a = json.loads(sys.argv[1])
start = time.perf_counter()
r = run_briefs(a["data"], a["out"], workers=a["workers"], force=True, progress=False, engine=a["engine"],
               territoires=a["territoires"], notebooks_dir=a["notebooks"])
wall = time.perf_counter() - start
jobs = [(x.job.territoire, x.job.stem, round(x.seconds, 3)) for x in r.done + r.failed]
print(json.dumps({"wall": wall, "jobs": jobs, "failed": len(r.failed)}))
"""


def _batch(
    out: Path, *, workers: int, engine: str = "mesra", data=None, territoires=None, memory=False, notebooks=None
) -> dict:
    """``run_briefs`` from scratch in a subprocess: its wall time, the CPU of its process tree."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    args = {"data": str(data) if data else None, "out": str(out), "workers": workers, "engine": engine}
    args["territoires"] = territoires
    args["notebooks"] = str(notebooks) if notebooks else None
    proc = subprocess.Popen([sys.executable, "-c", _RUN, json.dumps(args)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    sampler = MemorySampler(proc.pid, in_process=workers == 1) if memory else None
    if sampler:
        sampler.__enter__()
    try:
        printed, _ = proc.communicate()
    finally:
        if sampler:
            sampler.__exit__(None, None, None)
    if proc.returncode != 0:
        raise RuntimeError(f"batch failed ({proc.returncode})")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = json.loads(printed.strip().splitlines()[-1])
    n = len(done["jobs"])
    measure = {
        "engine": engine,
        "workers": workers,
        "notebooks": n,
        "failed": done["failed"],
        "wall_s": round(done["wall"], 1),
        "per_notebook_s": round(done["wall"] / n, 3),
        "cpu_s": round(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, 1),
        "jobs": [tuple(j) for j in done["jobs"]],
    }
    if sampler:
        measure["peak_pss_mib"] = sorted(round(v) for v in sampler.peaks.values())
    return measure


def _synthetic(tmp: Path, communes: int, epci: int, seed: int, *, tiny: bool = False, notebooks=None) -> dict:
    folder = membership_corpus.write(
        tmp / "synthetique", size=membership_corpus.TINY if tiny else membership_corpus.FULL
    )
    corpus = load_corpus(folder)
    levels = dict(zip(corpus.territoires["territoire_id"], corpus.territoires["niveau"]))
    everything = default_territories(corpus)
    counts = Counter(levels[t] for t in everything)
    rng = random.Random(seed)
    sample = [] if tiny else [t for t in everything if levels[t] in ("pays", "region", "departement")]
    sample += rng.sample([t for t in everything if levels[t] == "epci"], epci)
    sample += rng.sample([t for t in everything if levels[t] == "commune"], communes)
    measure = _batch(
        tmp / "out-synthetique",
        workers=1 if tiny else 2,
        data=folder,
        territoires=sample,
        memory=True,
        notebooks=notebooks,
    )
    per_level: dict[str, list[float]] = defaultdict(list)
    for tid, _stem, seconds in measure["jobs"]:
        per_level[levels.get(tid, "vue d'ensemble") if tid else "vue d'ensemble"].append(seconds)
    means = {level: statistics.mean(v) for level, v in per_level.items()}
    sampled = [seconds for tid, _stem, seconds in measure["jobs"] if tid]
    means.update({level: statistics.mean(sampled) for level in counts if level not in means})  # --tiny: unsampled
    per_territory = len({stem for tid, stem, _ in measure["jobs"] if tid})  # notebooks run for each territory
    job_seconds = sum(counts[level] * per_territory * means[level] for level in counts)
    job_seconds += sum(per_level["vue d'ensemble"])
    notebooks = per_territory * len(everything) + len(per_level["vue d'ensemble"])
    measure.update(
        corpus={"acteurs": len(corpus.acteurs), "liens": len(corpus.liens), "territoires": len(everything)},
        levels={level: {"territories": counts.get(level, 0), "mean_job_s": round(means[level], 3)} for level in means},
        full_notebooks=notebooks,
        full_mean_job_s=round(job_seconds / notebooks, 3),
        full_estimate_2_workers_s=round(job_seconds / 2, 0),
    )
    return measure


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="repeats of the floor")
    parser.add_argument("--batches", type=int, default=2, help="timed runs of the default batch, per worker count")
    parser.add_argument("--communes", type=int, default=40, help="communes in the synthetic sample")
    parser.add_argument("--epci", type=int, default=6, help="EPCI in the synthetic sample")
    parser.add_argument("--no-papermill", action="store_true", help="skip the batch with fresh kernels")
    parser.add_argument("--no-synthetic", action="store_true", help="skip the synthetic corpus")
    parser.add_argument("--json", default=None, help="also save the measures to this file")
    parser.add_argument("--tiny", action="store_true", help="seconds: fixture corpus, one territory, the brief alone")
    args = parser.parse_args(argv)
    if args.tiny:
        args.repeat, args.batches, args.communes, args.epci, args.no_papermill = 1, 1, 1, 0, True
    results: dict = {"machine": _machine(), "loadavg_before": os.getloadavg()}
    if args.tiny:
        results["corpus"] = f"{TINY_DATA.relative_to(ROOT)} [{TINY_TERRITORY}, {TINY_NOTEBOOK}]"
    with tempfile.TemporaryDirectory(prefix="mesra-bench-") as tmp:
        tmp = Path(tmp)
        floor = _floor(tmp, args.repeat, warm_up=not args.tiny)
        results["floor"] = {"median_s": round(statistics.median(floor), 3), "runs": [round(x, 3) for x in floor]}
        scope: dict = {}  # the default corpus, every notebook
        if args.tiny:
            scope["notebooks"] = tmp / "notebooks"
            scope["notebooks"].mkdir()
            shutil.copy(ROOT / "notebooks" / f"{TINY_NOTEBOOK}.ipynb", scope["notebooks"])
            scope.update(data=TINY_DATA, territoires=[TINY_TERRITORY])
        # timed runs without the memory sampler (reading smaps costs CPU beside the batch),
        # 1 and 2 workers alternately; the best of each is kept, every run reported
        for i in range(args.batches):
            results.setdefault("warm_1_runs", []).append(_batch(tmp / f"out-1-{i}", workers=1, **scope))
            if not args.tiny:
                results.setdefault("warm_2_runs", []).append(_batch(tmp / f"out-2-{i}", workers=2))
        results["warm_1"] = min(results["warm_1_runs"], key=lambda b: b["wall_s"])
        if not args.tiny:
            results["warm_2"] = min(results["warm_2_runs"], key=lambda b: b["wall_s"])
            results["warm_2_memory"] = _batch(tmp / "out-2-memoire", workers=2, memory=True)
        if not args.no_papermill:
            results["papermill_2"] = _batch(tmp / "out-p2", workers=2, engine="papermill")
            results["papermill_1"] = _batch(tmp / "out-p1", workers=1, engine="papermill")
        if not args.no_synthetic:
            results["synthetic"] = _synthetic(
                tmp, args.communes, args.epci, seed=0, tiny=args.tiny, notebooks=scope.get("notebooks")
            )
    results["loadavg_after"] = os.getloadavg()
    _report(results)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    return 0


def _report(r: dict) -> None:
    floor = r["floor"]["median_s"]
    m = r["machine"]
    print(f"Machine: {m['cpus']} CPU {m['cpu']}, Python {m['python']}, papermill {m['papermill']}")
    print(m["free_g"])
    print(f"load average before {r['loadavg_before']}, after {r['loadavg_after']}\n")
    print(f"floor (empty notebook, fresh kernel): {floor:.2f} s (runs {r['floor']['runs']})\n")
    print("| batch | notebooks | wall (s) | per notebook (s) | × floor | CPU, batch (s) | peak PSS/worker (MiB) |")
    print("|---|---:|---:|---:|---:|---:|---|")
    rows = [("run", b) for key in ("warm_1_runs", "warm_2_runs") for b in r.get(key, [])]
    rows += [(key, r.get(key)) for key in ("warm_2_memory", "papermill_1", "papermill_2", "synthetic")]
    for key, b in rows:
        if not b:
            continue
        base = r.get("corpus", "default")
        kind = {"synthetic": "synthetic sample, ", "warm_2_memory": f"{base} (memory sampled), "}.get(key, f"{base}, ")
        name = f"{kind}{b['engine']}, {b['workers']} worker(s)"
        print(
            f"| {name} | {b['notebooks']} ({b['failed']} failed) | {b['wall_s']:.1f} | {b['per_notebook_s']:.2f} | "
            f"{b['per_notebook_s'] / floor:.2f} | {b['cpu_s']:.1f} | {b.get('peak_pss_mib', '')} |"
        )
    w1 = r["warm_1"]["wall_s"]
    print(f"\nbest of the timed runs: 1 worker {w1:.1f} s ({r['warm_1']['per_notebook_s'] / floor:.2f}× the floor)")
    w2 = r["warm_2"]["wall_s"] if "warm_2" in r else None
    if w2:
        print(f"2 workers {w2:.1f} s; warm speed-up 2 vs 1 worker: {w1 / w2:.2f}×")
    if "papermill_2" in r and w2:
        print(f"warm vs papermill engine, 2 workers: {r['papermill_2']['wall_s'] / w2:.2f}× faster")
    s = r.get("synthetic")
    if s:
        default_job = statistics.mean(x[2] for x in r["warm_2" if w2 else "warm_1"]["jobs"])
        print(f"\nsynthetic corpus: {s['corpus']}")
        for level, v in s["levels"].items():
            print(f"  {level}: {v['territories']} territories, mean job {v['mean_job_s']:.2f} s")
        print(
            f"  every territory: {s['full_notebooks']} notebooks, mean job {s['full_mean_job_s']:.2f} s "
            f"({s['full_mean_job_s'] / default_job:.2f}× the {r.get('corpus', 'default')} corpus's "
            f"{default_job:.2f} s), "
            f"≈ {s['full_estimate_2_workers_s'] / 60:.0f} min with 2 workers"
        )


if __name__ == "__main__":
    sys.exit(main())
