"""Brief cost benchmark: a brief against the Papermill floor, and the batch's parallel speed-up.

Measured in the same run, with the same kernel and the same Papermill arguments as
``mesra briefs`` (``mesra.batch.execute_job``):

* **floor**: Papermill executing an empty notebook (one ``pass`` cell) — kernel
  start, one round trip, kernel shutdown;
* **imports**: a notebook that only does ``import mesra`` and ``load_corpus()`` —
  what every brief pays before computing anything;
* **brief**: ``04-note-recherche-action`` (and ``03-reseau-territorial``) for one
  territory, executed by Papermill;
* **job**: the same notebook as one batch job: execution, rendering to HTML twice,
  atomic publication;
* **batch**: ``run_briefs`` over every default territory (``--force``), with 1 then
  2 workers; wall time, CPU time of the process tree, speed-up.

Usage::

    python benchmarks/brief_cost.py                        # 5 repeats, occitanie and fr, full batch
    python benchmarks/brief_cost.py --repeat 3 --territoire gard --no-batch
    python benchmarks/brief_cost.py --json results.json
    python benchmarks/brief_cost.py --tiny                 # seconds: the test suite's run (see below)

``--tiny`` checks that the benchmark still runs, nothing more: one repeat, no warm-up, the
fixture corpus ``tests/fixtures/mini`` and its territory ``ales``, the brief as one job only
(not through Papermill alone), no batch (``warm_batch.py --tiny`` runs one).

Results and the machine they were measured on: ``benchmarks/README.md`` (section
"Brief cost"). Other processes on the machine distort the figures: the load average
before and after is printed with them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import papermill

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mesra import __version__  # noqa: E402
from mesra.batch.jobs import KERNEL_NAME, Job  # noqa: E402
from mesra.batch.plan import default_notebooks_dir  # noqa: E402
from mesra.batch.run import run_briefs  # noqa: E402
from mesra.batch.worker import PAPERMILL_OPTIONS, execute_job  # noqa: E402
from mesra.corpus.load import load_corpus  # noqa: E402

PAPERMILL_ARGS = dict(kernel_name=KERNEL_NAME, **PAPERMILL_OPTIONS)
BRIEF = "04-note-recherche-action"
STEMS = (BRIEF, "03-reseau-territorial")
#: ``--tiny``: the test suite's run (seconds; no figure worth keeping).
TINY_DATA = ROOT / "tests" / "fixtures" / "mini"
TINY_TERRITORY = "ales"


def _notebook(path: Path, *sources: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": KERNEL_NAME, "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    nbformat.write(nb, path)
    return path


def _children_cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _time(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def _machine() -> dict:
    info = {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "mesra": __version__,
        "papermill": papermill.__version__,
    }
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        mem = next(line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
        info["ram_gib"] = round(int(mem.split()[1]) / 1024 / 1024, 1)
    except (OSError, StopIteration):
        pass
    return info


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="repeats of each single-notebook measure")
    parser.add_argument(
        "--territoire",
        action="append",
        default=None,
        help="territories of the single-brief measures (default: occitanie, fr)",
    )
    parser.add_argument("--no-batch", action="store_true", help="skip the 1- vs 2-worker batch")
    parser.add_argument("--no-single", action="store_true", help="skip the single-notebook measures")
    parser.add_argument("--json", default=None, help="also save the measures to this file")
    parser.add_argument("--data", default=None, help="corpus folder (default: the embedded corpus)")
    parser.add_argument(
        "--tiny",
        action="store_true",
        help=f"seconds: 1 repeat, {TINY_DATA.relative_to(ROOT)}, {TINY_TERRITORY}, the brief as a job, no batch",
    )
    args = parser.parse_args(argv)
    if args.tiny:
        args.repeat, args.data, args.territoire, args.no_batch = 1, str(TINY_DATA), [TINY_TERRITORY], True
    territories = args.territoire or ["occitanie", "fr"]
    data = str(Path(args.data).resolve()) if args.data else ""
    notebooks = default_notebooks_dir()
    results: dict = {"machine": _machine(), "loadavg_before": os.getloadavg(), "single": {}, "batch": {}}
    corpus = load_corpus(data or None)

    with tempfile.TemporaryDirectory(prefix="mesra-bench-") as tmp:
        tmp = Path(tmp)
        empty = _notebook(tmp / "vide.ipynb", "pass")
        imports = _notebook(tmp / "imports.ipynb", f"import mesra\ncorpus = mesra.load_corpus({data!r} or None)")
        work = tmp / "cwd"
        work.mkdir()

        def pm(path: Path, **params):
            return lambda: papermill.execute_notebook(
                str(path), None, parameters=params or None, cwd=str(work), **PAPERMILL_ARGS
            )

        if not args.tiny:  # warm-up: first kernel start reads caches from disk
            pm(empty)()
        measures = {
            "floor (empty notebook)": _time(pm(empty), args.repeat),
            "imports (import mesra + load_corpus)": _time(pm(imports), args.repeat),
        }
        for tid in [] if args.no_single else territories:
            params = {"data": data, "pseudonymiser": False, "territoire": tid}
            for stem in () if args.tiny else STEMS:
                measures[f"{stem} [{tid}], Papermill"] = _time(pm(notebooks / f"{stem}.ipynb", **params), args.repeat)
            job_out = tmp / "job"
            job = Job(
                notebook=str(notebooks / f"{BRIEF}.ipynb"),
                stem=BRIEF,
                title="Note",
                territoire=tid,
                label=tid,
                parameters=params,
                out=str(job_out),
                folder=f"territoires/{tid}",
                key="bench",
            )
            measures[f"{BRIEF} [{tid}], job (exec + 2 HTML + publish)"] = _time(
                lambda job=job: execute_job(job), args.repeat
            )
        floor = statistics.median(measures["floor (empty notebook)"])
        for name, values in measures.items():
            med = statistics.median(values)
            results["single"][name] = {
                "median_s": round(med, 3),
                "min_s": round(min(values), 3),
                "max_s": round(max(values), 3),
                "ratio_to_floor": round(med / floor, 2),
            }

        if not args.no_batch:
            for workers in (1, 2):
                out = tmp / f"batch-{workers}"
                cpu0, start = _children_cpu(), time.perf_counter()
                result = run_briefs(data or None, out, workers=workers, force=True, progress=False)
                wall = time.perf_counter() - start
                results["batch"][workers] = {
                    "wall_s": round(wall, 1),
                    "cpu_s": round(_children_cpu() - cpu0, 1),
                    "jobs": len(result.done) + len(result.failed),
                    "failed": len(result.failed),
                }
            one, two = results["batch"][1]["wall_s"], results["batch"][2]["wall_s"]
            results["batch"]["speedup"] = round(one / two, 2)
    results["loadavg_after"] = os.getloadavg()
    _report(results, corpus, args.repeat)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    return 0


def _report(results: dict, corpus, repeat: int) -> None:
    m = results["machine"]
    print(
        f"Machine: {m.get('cpus')} CPU {m.get('cpu', '?')}, {m.get('ram_gib', '?')} GiB, Python {m['python']}, "
        f"papermill {m['papermill']}, mesra {m['mesra']}; load average before {results['loadavg_before']}, "
        f"after {results['loadavg_after']}"
    )
    print(
        f"Corpus: {len(corpus.acteurs)} acteurs, {len(corpus.liens)} liens, "
        f"{len(corpus.monographies)} monographies; repeats: {repeat}\n"
    )
    print("| measure | median (s) | min–max (s) | × floor |")
    print("|---|---:|---:|---:|")
    for name, r in results["single"].items():
        print(f"| {name} | {r['median_s']:.2f} | {r['min_s']:.2f}–{r['max_s']:.2f} | {r['ratio_to_floor']:.2f} |")
    if results["batch"]:
        print("\n| batch (all default territories, --force) | jobs | wall (s) | CPU (s) |")
        print("|---|---:|---:|---:|")
        for workers in (1, 2):
            b = results["batch"][workers]
            print(
                f"| {workers} worker(s) | {b['jobs']} ({b['failed']} failed) | {b['wall_s']:.1f} | {b['cpu_s']:.1f} |"
            )
        print(f"\nSpeed-up 2 vs 1 worker: {results['batch']['speedup']:.2f}×")


if __name__ == "__main__":
    sys.exit(main())
