"""One job, in a worker process: execute the notebook, render it, publish its files atomically.

A worker never outlives its batch: it exits, killing its notebook's kernel, when the
batch stops it (SIGTERM) or dies, even by ``kill -9``. On Linux the kernel tells it at
once (``PR_SET_PDEATHSIG``); everywhere, a thread checks every half second that its
parent is still there. A worker that published files after its batch died could put
pages made with other parameters (real names in a pseudonymised folder) where the
next batch would find them.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from mesra import __version__
from mesra.batch.bounded import bound_notebook
from mesra.batch.jobs import ENGINE_PAPERMILL, ENGINE_WARM, TMP_DIR, Job, JobResult
from mesra.batch.manifest import publish_part, stamp_page
from mesra.batch.state import is_disk_error
from mesra.errors import MesraError
from mesra.files import project_relative

#: How a worker ends when its batch stops it or dies (as a process ended by SIGTERM would).
EXIT_STOPPED = 128 + signal.SIGTERM
_WATCH_SECONDS = 0.5


# --- the worker process ---------------------------------------------------------------------
def worker_init(parent_pid: int, engine: str = ENGINE_PAPERMILL, preparsed: tuple = ()) -> None:
    """In each worker: Ctrl-C is the parent's; SIGTERM or the parent's death end the worker and its kernel."""
    import psutil  # noqa: F401 - imported now: the stop must not wait for an import

    from mesra.batch.startup import defer_iri_grammar

    defer_iri_grammar()  # before Papermill and nbconvert are imported

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda signum, frame: stop_now())
    if sys.platform.startswith("linux"):
        _parent_death_signal(signal.SIGTERM)
    if not _parent_alive(parent_pid):  # it died before the watch began
        stop_now()
    threading.Thread(target=_watch_parent, args=(parent_pid,), name="mesra-parent", daemon=True).start()
    prepare_engine(engine, list(preparsed), warm_up=True)


#: The corpora this process's warm kernels receive in parsed form (:mod:`mesra.batch.preparsed`).
_PREPARSED: list = []


#: How the batch calls Papermill (quiet kernels, no intermediate saves); the benchmarks use the same.
PAPERMILL_OPTIONS = {
    "progress_bar": False,
    "log_output": False,
    "request_save_on_cell_execute": False,
    "start_timeout": 120,
    "extra_arguments": ["--IPKernelApp.log_level=CRITICAL"],
}


def prepare_engine(engine: str, preparsed: list, *, warm_up: bool = False) -> None:
    """Before the jobs: with warm kernels, start the warm parent (it imports while this process
    does) and remember the corpora to hand it; ``warm_up``: render a page once (templates compiled)."""
    _PREPARSED[:] = preparsed
    if engine == ENGINE_WARM:
        from mesra.batch.engine import warm_kernels_available

        if warm_kernels_available():
            from mesra.batch.warm import warm_parent

            warm_parent()
    if warm_up:
        with contextlib.suppress(Exception):
            import nbformat
            import papermill  # noqa: F401

            from mesra.batch.render import render_notebook

            empty = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Page")])
            render_notebook(empty, code=False)
            render_notebook(empty, code=True)


def _warm_kernels(job: Job) -> None:
    """The warm parent of this process, holding the batch's corpus (started again if it died)."""
    from mesra.batch.engine import warm_kernels_available

    if job.engine == ENGINE_WARM and warm_kernels_available():
        from mesra.batch.warm import warm_parent

        warm_parent().install(_PREPARSED)


def stop_now() -> None:
    """Kill this process's children (the kernel and what it started), then exit at once."""
    kill_children()
    os._exit(EXIT_STOPPED)


def kill_children() -> None:
    """Kill every process started by this one (kernels run in sessions of their own)."""
    import psutil

    try:
        children = psutil.Process().children(recursive=True)
    except psutil.Error:
        return
    for child in children:
        with contextlib.suppress(psutil.Error):
            child.kill()


def _parent_death_signal(signum: int) -> None:
    """Ask Linux to send ``signum`` to this process when its parent dies (prctl PR_SET_PDEATHSIG)."""
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, int(signum), 0, 0, 0)


def _parent_alive(parent_pid: int) -> bool:
    if os.name == "posix":  # an orphan is adopted at once: its parent id changes
        return os.getppid() == parent_pid
    import psutil  # pragma: no cover - Windows keeps the parent id of a dead parent

    return psutil.pid_exists(parent_pid)  # pragma: no cover


def _watch_parent(parent_pid: int) -> None:
    while _parent_alive(parent_pid):
        time.sleep(_WATCH_SECONDS)
    stop_now()


def stage_prefix(job: Job, pid: int) -> str:
    """Start of the name of the job's staging folder in process ``pid`` (the batch finds who ran what)."""
    return f"{job.ident.replace('/', '--')}@{pid}-"


# --- one job ----------------------------------------------------------------------------------
def _first_line(source: str) -> str:
    for line in str(source).splitlines():
        if line.strip():
            line = line.strip()
            return line if len(line) <= 80 else line[:79] + "…"
    return ""


def shorten(text: str, limit: int = 300) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _source_cell_number(source: str, parameters: dict, executed_index: int) -> int | None:
    """1-based position in the source notebook of the executed cell ``executed_index``.

    Papermill inserts an ``injected-parameters`` cell after the ``parameters`` cell
    (at the top when there is none) whenever parameters are passed.
    """
    if not parameters:
        return executed_index + 1
    import nbformat

    nb = nbformat.read(source, as_version=4)
    tagged = [i for i, c in enumerate(nb.cells) if "parameters" in c.get("metadata", {}).get("tags", [])]
    injected = tagged[0] + 1 if tagged else 0
    if executed_index == injected:
        return None
    return executed_index + (0 if executed_index < injected else -1) + 1


def _stamp(nb, job: Job, final_ipynb: Path) -> None:
    """Provenance: paths (relative to the project when inside it) and the batch's inputs in the metadata."""
    papermill = nb.metadata.setdefault("papermill", {})
    papermill["input_path"] = project_relative(job.notebook)
    papermill["output_path"] = project_relative(final_ipynb)
    nb.metadata["mesra"] = {
        "version": __version__,
        "territoire": job.territoire,
        "parametres": dict(job.parameters),
        "cle": job.key,
    }


def _stage_files(stage: Path) -> list[tuple[str, Path]]:
    """The files the job made, relative to its folder: exports, then the pages, then the notebook."""
    files = []
    for p in sorted(stage.rglob("*")):
        rel = p.relative_to(stage)
        if any(part in (".ipynb_checkpoints", "__pycache__") for part in rel.parts):
            continue
        if p.is_file() and not p.is_symlink():
            files.append(p)
    files.sort(key=lambda p: (p.suffix == ".ipynb" and p.parent == stage, p.suffix == ".html", str(p)))
    return [(p.relative_to(stage).as_posix(), p) for p in files]


@dataclass
class Staged:
    """What a job made, ready to publish: its files (relative name, finished file) and manifest details."""

    kind: str  # "rapport" (a good run) or "echec" (a failed one)
    files: list[tuple[str, Path]]
    details: dict = field(default_factory=dict)


def execute_job(job: Job) -> JobResult:
    """Execute one job: run the notebook, render it, publish its files atomically.

    Never raises for a notebook error: the result says what failed (``disk_error``
    when the output folder cannot be written). Interruptions (``KeyboardInterrupt``,
    ``SystemExit``) propagate after the staging folder is removed; the published
    files are only ever replaced by complete ones, their manifest written last.
    """
    return finish_job(run_job(job))


@dataclass
class RunJob:
    """A job whose notebook has run: what is left is to render and publish it (:func:`finish_job`)."""

    job: Job
    result: JobResult
    stage: Path | None
    started: float
    pages: Callable[[], Staged | None] | None = None  # renders the pages into the stage
    error: Exception | None = None  # what failed before the pages


def run_job(job: Job) -> RunJob:
    """The first half of :func:`execute_job`: run the notebook in its staging folder."""
    run = RunJob(job, JobResult(job, ok=False), None, time.perf_counter())
    try:
        tmp_root = Path(job.out) / TMP_DIR
        tmp_root.mkdir(parents=True, exist_ok=True)
        run.stage = Path(tempfile.mkdtemp(dir=tmp_root, prefix=stage_prefix(job, os.getpid())))
        run.pages = execute_notebook(job, run.result, run.stage)
    except Exception as exc:  # noqa: BLE001 - reported by finish_job, as execute_job always did
        run.error = exc
    except BaseException:
        if run.stage is not None:
            shutil.rmtree(run.stage, ignore_errors=True)
        raise
    return run


def finish_job(run: RunJob) -> JobResult:
    """The second half of :func:`execute_job`: render the pages, publish, remove the staging folder.

    May run in another thread than :func:`run_job` (the next notebook runs meanwhile)."""
    job, result = run.job, run.result
    try:
        if run.error is not None:
            raise run.error
        staged = run.pages() if run.pages is not None else None
        if staged is not None:
            publish_staged(job, result, staged)
    except Exception as exc:  # noqa: BLE001 - rendering or publishing failed: a failure, not a crash
        rendering_failure(job, result, exc)
    finally:
        if run.stage is not None:
            shutil.rmtree(run.stage, ignore_errors=True)
    result.seconds = time.perf_counter() - run.started
    return result


def rendering_failure(job: Job, result: JobResult, exc: Exception) -> None:
    """``result`` says that rendering or writing failed with ``exc``."""
    result.ok = False
    result.files = []
    result.cell_number = None
    result.cell_first_line = "pendant le rendu HTML ou l’écriture des fichiers"
    result.error = shorten(f"{type(exc).__name__}: {exc}")
    if isinstance(exc, MesraError):  # a French message of mesra's: said as it is
        result.cell_first_line = "à la publication des fichiers"
        result.error = shorten(str(exc), 600)
    if is_disk_error(exc, Path(job.out)):
        result.disk_error = exc.errno


def produce(job: Job, result: JobResult, stage: Path, source: str | None = None) -> Staged | None:
    """Run the notebook in ``stage`` and render it there; ``None`` when nothing is to publish.

    ``source``: where the notebook to run is, when not at ``job.notebook`` (a worker of
    another machine); the provenance still names ``job.notebook``.
    """
    pages = execute_notebook(job, result, stage, source)
    return pages() if pages is not None else None


def execute_notebook(
    job: Job, result: JobResult, stage: Path, source: str | None = None
) -> Callable[[], Staged | None] | None:
    """Run the notebook in ``stage``; what renders its pages there (``None``: nothing to publish)."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    source = source or job.notebook
    nb_path = stage / f"{job.stem}.ipynb"
    from mesra.batch.bounded import bounded_outputs

    try:
        _warm_kernels(job)
        with bounded_outputs():
            executed = papermill.execute_notebook(
                source,
                str(nb_path),
                engine_name=ENGINE_WARM if job.engine == ENGINE_WARM else None,
                parameters=dict(job.parameters),
                kernel_name=job.kernel_name,
                cwd=str(stage),
                execution_timeout=job.timeout or None,
                **PAPERMILL_OPTIONS,
            )
    except PapermillExecutionError as exc:
        return functools.partial(_stage_failure, job, result, stage, nb_path, exc, source)
    except Exception as exc:  # no such kernel, dead kernel, unreadable notebook…
        if is_disk_error(exc, Path(job.out)):
            raise
        if type(exc).__name__ in ("CellTimeoutError", "DeadKernelError"):  # a fresh kernel's (papermill engine)
            result.cell_first_line = "pendant l’exécution"
        result.error = shorten(f"{type(exc).__name__}: {exc}")
        return None
    return functools.partial(_stage_success, job, stage, nb_path, executed)


def publish_staged(job: Job, result: JobResult, staged: Staged) -> None:
    """Publish what :func:`produce` staged, atomically, its manifest last.

    Nothing is written outside the output folder, no file another notebook published is
    replaced (the job fails first), and a file modified since mesra published it is moved
    aside before being replaced or removed (:mod:`mesra.batch.guard`).
    """
    from mesra.batch import guard
    from mesra.batch.manifest import manifest_path, named_files, read_manifest

    out = Path(job.out)
    guard.folder_inside(out, out / job.folder)
    rels = [f"{job.folder}/{name}" for name, _ in staged.files]
    with guard.publishing(out):
        taken = guard.collisions(out, job, rels)
        if taken:
            raise guard.collision_error(job, taken)
        old = read_manifest(manifest_path(out, job.folder, job.stem)) or {}
        kept = set((old.get("rapport") or {}).get("fichiers", {})) if staged.kind == "echec" else set()
        found = guard.records([old])
        for rel in [*rels, *sorted(named_files(old) - set(rels) - kept)]:
            if (out / rel).exists() and not guard.made_by_mesra(out, rel, found.get(rel)):
                guard.set_aside(out, rel, result.moved)
        published = publish_part(job, staged.kind, staged.files, **staged.details)
    if staged.kind == "rapport":
        result.files = published
        result.ok = True
    else:
        result.error_files = published


def _page_title(job: Job) -> str:
    return job.title if job.territoire is None else f"{job.title} — {job.place or job.label}"


def _stage_failure(job: Job, result: JobResult, stage: Path, nb_path: Path, failure, source: str) -> Staged:
    """The failed run (notebook and page, up to the error); the last good files stay."""
    import nbformat

    from mesra.batch.render import render_notebook

    nb = nbformat.read(nb_path, as_version=4)
    bound_notebook(nb)
    result.cell_number = _source_cell_number(source, job.parameters, failure.cell_index)
    injected = "cellule des paramètres injectés par Papermill"
    result.cell_first_line = _first_line(failure.source) if result.cell_number is not None else injected
    result.error = shorten(f"{failure.ename}: {failure.evalue}")
    err_ipynb = stage / f"{job.stem}.erreur.ipynb"
    err_html = stage / f"{job.stem}.erreur.html"
    _stamp(nb, job, Path(job.out) / job.folder / err_ipynb.name)
    nbformat.write(nb, err_ipynb)
    page = render_notebook(nb, code=True, base_dir=stage, title=f"Échec : {_page_title(job)}")
    err_html.write_text(stamp_page(page, job), encoding="utf-8")
    details = {"erreur": result.error, "cellule": result.cell_number}
    return Staged("echec", [(err_ipynb.name, err_ipynb), (err_html.name, err_html)], details)


def _stage_success(job: Job, stage: Path, nb_path: Path, nb) -> Staged:
    """Render the executed notebook ``nb`` (written at ``nb_path``) twice; every file the job made is to publish."""
    import nbformat

    from mesra.batch.provenance import with_provenance
    from mesra.batch.render import render_notebook

    bound_notebook(nb)  # whatever ran it, no more text than the budget
    _stamp(nb, job, Path(job.out) / job.folder / nb_path.name)
    nbformat.write(nb, nb_path)
    for name, code in ((f"{job.stem}.html", False), (f"{job.stem}.code.html", True)):
        shown = with_provenance(nb, job) if code else nb  # the researchers' page says what produced it
        page = render_notebook(shown, code=code, base_dir=stage, title=_page_title(job))
        (stage / name).write_text(stamp_page(page, job), encoding="utf-8")
    from mesra.network.interactive import SIDECAR_GLOB

    for data in stage.glob(SIDECAR_GLOB):  # the interactive views' data: inlined in the pages, not published
        data.unlink()
    return Staged("rapport", _stage_files(stage))


def publish_failure_page(job: Job, result: JobResult) -> None:
    """A page saying why a job failed when its run left none (its process died, no kernel…).

    Published like the failure of a notebook, so that the index marks the failure
    beside the last good files. Runs in the batch process, once no worker runs the job.
    """
    import nbformat

    from mesra.batch.guard import folder_inside
    from mesra.batch.render import render_notebook

    folder_inside(Path(job.out), Path(job.out) / job.folder)  # never through a link that leaves the output folder
    tmp_root = Path(job.out) / TMP_DIR
    tmp_root.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(dir=tmp_root, prefix=stage_prefix(job, os.getpid())))
    try:
        nb = nbformat.v4.new_notebook()
        text = (
            f"{result.describe_failure()}\n"
            "Les fichiers de la dernière exécution réussie, s’il y en a, sont conservés.\n"
        )
        nb.cells = [  # the heading is fixed text; what comes from the data stays plain text
            nbformat.v4.new_markdown_cell("# Échec de la dernière exécution"),
            nbformat.v4.new_code_cell("", outputs=[nbformat.v4.new_output("stream", name="stdout", text=text)]),
        ]
        page = render_notebook(nb, code=False, title=f"Échec : {_page_title(job)}")
        err_html = stage / f"{job.stem}.erreur.html"
        err_html.write_text(stamp_page(page, job), encoding="utf-8")
        result.error_files = publish_part(job, "echec", [(err_html.name, err_html)], erreur=result.error)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
