"""Batch execution of the notebooks with Papermill: ``mesra briefs``.

One call validates the corpus, then executes the parameterised notebooks of
``notebooks/`` in parallel over a process pool (or on a Dask cluster) and renders each
executed copy to HTML twice (readers / researchers), ending with ``OUT/index.html``.

* By default each notebook runs in a *warm kernel* (mesra's Papermill engine,
  :mod:`mesra.batch.engine`): forked, for that notebook alone, from a process of the
  worker that already holds the imported stack and the corpus this batch validated,
  in parsed form (:mod:`mesra.batch.preparsed`). ``engine="papermill"`` starts a
  fresh standard kernel per notebook, as Papermill does.

* A *job* is one (notebook, territory) pair. Notebooks that declare a
  ``territoire`` parameter run once per territory; the others (corpus overview,
  monographs) run once per batch. Jobs are independent, so they spread over all
  cores, the largest territories first.
* Every job runs in its own staging folder under ``OUT/.mesra-tmp/`` (its working
  directory: export files land there too); only when the notebook has run *and*
  both HTML files are rendered are the files moved into ``OUT/territoires/<id>/``
  (or ``OUT/corpus/``), each with one atomic rename. A failed or interrupted job
  never replaces a previous good report.
* A job is skipped when its inputs did not change since its last success: the
  corpus content hash, the notebook file, the mesra version and source code, the
  parameters (pseudonymisation included) and the renderer. This is read from the
  files themselves: each job's manifest (``.<carnet>.mesra.json``, written after its
  files) gives their SHA-256 and the key of the inputs they were made from, and
  each page carries that key (``<meta name="mesra-cle">``). Before running, a batch
  removes what a crash left: staging folders, and every file mesra wrote that no
  valid manifest vouches for (see :mod:`~mesra.batch.manifest`).
  ``OUT/.mesra-etat.json`` is a journal of the last runs, for people and tools.
* A full, read-only or vanished output folder stops the batch with a French
  :class:`~mesra.errors.MesraError` naming it; nothing is left half-written.
* Pseudonymisation is a property of the run (``pseudonymiser=True``), not of each call:
  the corpus is pseudonymised once, here, before any worker or kernel sees it (the warm
  kernels and a Dask cluster receive only the pseudonymised corpus; every process the batch
  starts has :data:`~mesra.corpus.privacy.RUN_ENV` set, so that ``load_corpus`` pseudonymises
  even when a notebook forgets to ask). Before anything is published, every file of a job is
  scanned for the persons' names (:class:`~mesra.corpus.privacy.NameScan`, built from the real
  corpus here and written, as salted hashes, in ``OUT/.mesra-tmp``): paths holding a name are
  masked, and a page still holding one fails instead of being published. The index and the
  state file show no path holding a name either.
* Beside the briefs, the resource centre ``OUT/ressources/`` (:mod:`mesra.batch.site`) is built
  from the same (pseudonymised) corpus in the staging folder, scanned the same way, and published
  in one rename before the index, which links to it.

>>> result = run_briefs(out="reports")                       # doctest: +SKIP
>>> print(result.summary())                                  # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mesra.batch.guard import check_links
from mesra.batch.index import start_index_map, write_index
from mesra.batch.jobs import (
    DEFAULT_TIMEOUT,
    ENGINE_PAPERMILL,
    ENGINE_WARM,
    ENGINES,
    KERNEL_NAME,
    STATE_FILE,
    TMP_DIR,
    BatchResult,
    Job,
    JobResult,
)
from mesra.batch.manifest import GUARD_FILE, public_text, redo_reasons
from mesra.batch.pdf import sync_pdfs
from mesra.batch.plan import check_territory_ids, default_notebooks_dir, default_territories, plan_jobs
from mesra.batch.pool import run_jobs
from mesra.batch.progress import Progress
from mesra.batch.state import clean_leftovers, is_disk_error, locked, output_error, read_state, record, recover
from mesra.batch.worker import publish_failure_page
from mesra.errors import MesraError, ParameterError
from mesra.files import atomic_write_json, project_relative

__all__ = ["run_briefs"]


def run_briefs(
    data: str | os.PathLike | None = None,
    out: str | os.PathLike = "reports",
    *,
    territoires: list[str] | None = None,
    workers: int | None = None,
    force: bool = False,
    pseudonymiser: bool = False,
    notebooks_dir: str | os.PathLike | None = None,
    progress: bool = True,
    kernel_name: str = KERNEL_NAME,
    pdf: bool = False,
    engine: str = ENGINE_WARM,
    scheduler: str | None = None,
    timeout: int | None = DEFAULT_TIMEOUT,
    plan: bool = False,
) -> BatchResult:
    """Validate a corpus, then execute and render every notebook for every territory.

    Parameters
    ----------
    data : str or PathLike, optional
        Corpus folder or ``.xlsx`` workbook (default: the embedded corpus). The
        notebooks receive it relative to the project root when it lies inside it.
    out : str or PathLike
        Output folder (created): ``index.html``, ``corpus/`` for the overview
        notebooks, ``territoires/<id>/`` for the others.
    territoires : list of str, optional
        Territory identifiers (default: :func:`default_territories`). Each must be
        an identifier slug known to the corpus; checked before anything is written.
    workers : int, optional
        Processes in the pool (default: ``os.cpu_count()``); 1 runs in this process.
    force : bool
        Re-run jobs whose inputs did not change.
    pseudonymiser : bool
        Pseudonymise the whole run: the notebooks receive ``pseudonymiser=True`` and only
        ever see the pseudonymised corpus; a page that still holds a person's name fails.
    pdf : bool
        Also write a PDF beside each reader page (WeasyPrint, A4); without it,
        stale PDFs are removed.
    notebooks_dir : str or PathLike, optional
        Folder of the ``*.ipynb`` to run (default: the repository's ``notebooks/``).
    progress : bool
        Show the progress on stderr: a bar naming the jobs running on a terminal,
        one line per finished job otherwise.
    kernel_name : str
        Jupyter kernel used for every notebook.
    engine : str
        ``"mesra"`` (default): each notebook in a warm kernel forked from a process that
        already holds the imported stack and the corpus validated by this batch
        (:mod:`mesra.batch.engine`); ``"papermill"``: a fresh standard kernel per notebook.
    scheduler : str, optional
        Address of a Dask distributed scheduler (``tcp://host:8786``): the jobs run on
        its workers, which send the pages back; this process publishes them.
    timeout : int, optional
        Seconds a cell may run before it fails and its kernel is stopped (``None`` or
        0: no limit).
    plan : bool
        Only say which jobs a run would redo and why (``result.why``), without running or
        writing anything.

    Returns
    -------
    BatchResult
        Jobs done, failed (with their cell and error) and skipped; ``ok`` is False
        when any failed.

    Raises
    ------
    ParameterError
        An invalid or unknown territory identifier, ``workers < 1``, an unknown engine
        or a negative timeout.
    CorpusError
        The corpus is invalid (``problems`` lists why); nothing is written.
    MesraError
        No notebook to run, another batch is writing to ``out``, or ``out`` cannot
        be written (full, read-only, not a folder…).
    """
    from mesra.batch.startup import defer_iri_grammar
    from mesra.corpus.load import build_corpus

    started = time.perf_counter()
    defer_iri_grammar()  # before nbformat is imported (≈ 0.7 s saved per process)
    _check_options(workers, engine, timeout)
    notebooks = _notebooks(notebooks_dir)
    corpus, raw = build_corpus(data or None)  # validates once: CorpusError, nothing written
    data_param = project_relative(data) if data else ""
    out = Path(out).resolve()
    scan = None
    if pseudonymiser:  # once, before any worker or kernel sees the corpus
        from mesra.corpus.privacy import NameScan, pseudonymise

        scan = NameScan.from_corpus(corpus)
        pseudo = pseudonymise(corpus)  # nor its path, when a folder bears a name (kernels set their own)
        corpus = dataclasses.replace(pseudo, path=Path(scan.scrub_path(str(corpus.path))))
    jobs = plan_jobs(
        corpus,
        _territories(corpus, territoires),
        notebooks,
        data_param=data_param,
        pseudonymiser=pseudonymiser,
        out=out,
        kernel_name=kernel_name,
        engine=engine,
        timeout=timeout or None,
    )
    if scan is not None:  # before anything is written, even a lock
        from mesra.batch.guard import refuse_plain_neighbours
        from mesra.batch.site import site_made

        refuse_plain_neighbours(out, scan, {j.ident for j in jobs}, site_made=site_made(out))
    result = BatchResult(out=out, index=None, corpus_hash=corpus.hash)
    if plan:
        _plan_only(out, jobs, result, force)
        result.seconds = time.perf_counter() - started
        return result

    def preparsed() -> tuple:
        """The corpus in parsed form for the kernels (warm ones, or a cluster's), made when needed."""
        if engine != ENGINE_WARM and not scheduler:
            return ()
        from mesra.batch.preparsed import entry_for

        entry = entry_for(corpus, raw, data or None)  # ``corpus`` is already pseudonymised when asked
        if entry is not None and pseudonymiser:
            entry = dataclasses.replace(entry, pseudonymised=entry.payload)  # no real name in it at all
        return (entry,) if entry is not None else ()

    runner = Runner(workers=workers, scheduler=scheduler, preparsed=preparsed, scan=scan)
    label = scan.scrub_path(data_param) if scan is not None else data_param
    try:
        with _run_environment(pseudonymiser):
            _produce(out, jobs, result, corpus, force=force, runner=runner, progress=progress, label=label, pdf=pdf)
    except OSError as exc:
        if not is_disk_error(exc, out):
            raise
        raise output_error(exc.errno, out) from None
    result.seconds = time.perf_counter() - started
    return result


def _plan_only(out: Path, jobs: list[Job], result: BatchResult, force: bool) -> None:
    """What a run would redo and why, read from the manifests (nothing is written, not even a lock)."""
    from mesra.batch.manifest import scan

    manifests = {ident: checked for ident, (_, checked) in scan(out).items()} if out.is_dir() else {}
    result.planned_only = True
    for job in jobs:
        why = redo_reasons(manifests.get(job.ident), job)
        if force and not why:
            why = ["demandé (--force)"]
        if why:
            result.why[job.ident] = why
        else:
            result.skipped.append(job)


@contextlib.contextmanager
def _run_environment(pseudonymiser: bool):
    """Every process the batch starts (workers, kernels) knows the run is pseudonymised."""
    from mesra.corpus.privacy import RUN_ENV

    before = os.environ.get(RUN_ENV)
    if pseudonymiser:
        os.environ[RUN_ENV] = "1"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(RUN_ENV, None)
        else:
            os.environ[RUN_ENV] = before


def _check_options(workers, engine: str, timeout) -> None:
    if workers is not None and (not isinstance(workers, int) or workers < 1):
        raise ParameterError(
            f"Nombre de processus invalide : {workers!r} ; donnez un entier ≥ 1 "
            "(--workers 2), ou rien pour utiliser tous les cœurs."
        )
    if engine not in ENGINES:
        raise ParameterError(
            f"Moteur inconnu : {engine!r} ; choisissez {ENGINE_WARM} (noyaux chauds, par défaut) "
            f"ou {ENGINE_PAPERMILL} (un noyau neuf par carnet)."
        )
    if timeout is not None and (not isinstance(timeout, int) or timeout < 0):
        raise ParameterError(
            f"Délai invalide : {timeout!r} ; donnez un nombre de secondes entier ≥ 0 (0 : pas de limite)."
        )


@dataclass
class Runner:
    """Where the jobs run: a process pool here, or a Dask cluster."""

    workers: int | None
    scheduler: str | None
    preparsed: Callable[[], tuple]
    scan: object = None  # the NameScan of a pseudonymised run

    def run(self, todo: list[Job], on_result, show_running) -> None:
        if self.scheduler:
            from mesra.batch.distributed import run_on_cluster

            run_on_cluster(todo, self.scheduler, on_result, show_running, preparsed=self.preparsed(), scan=self.scan)
            return
        workers = min(self.workers or os.cpu_count() or 1, len(todo))
        run_jobs(todo, workers, on_result, show_running, preparsed=self.preparsed())


def _notebooks(notebooks_dir: str | os.PathLike | None) -> list[Path]:
    nb_dir = Path(notebooks_dir) if notebooks_dir is not None else default_notebooks_dir()
    notebooks = sorted(p for p in nb_dir.glob("*.ipynb") if not p.name.startswith((".", "_")))
    if not notebooks:
        raise MesraError(
            f"Aucun carnet (.ipynb) dans {nb_dir} : lancez la commande depuis le dépôt mesra "
            "ou indiquez le dossier des carnets (--carnets DOSSIER)."
        )
    return notebooks


def _territories(corpus, territoires: list[str] | None) -> list[str]:
    if territoires is None:
        return default_territories(corpus)
    from mesra.corpus.geo import resolve_territory

    # identifiers, names or INSEE codes (the one resolver); the identifiers found become folder names
    return check_territory_ids([resolve_territory(t, corpus.territoires) for t in territoires])


def _produce(
    out: Path,
    jobs: list[Job],
    result: BatchResult,
    corpus,
    *,
    force: bool,
    runner: Runner,
    progress: bool,
    label: str,
    pdf: bool = False,
) -> None:
    """Under the folder's lock: recover from a crash, run what is not up to date, write the index."""
    out.mkdir(parents=True, exist_ok=True)
    check_links(out, jobs)  # nothing written through a link that leads out of ``out``
    with locked(out):
        code = _code_of(jobs)
        drawing = start_index_map(out, corpus, code)  # the index's map: the last one, or drawn while the notebooks run
        clean_leftovers(out)
        scan = runner.scan
        if scan is not None:  # read by whoever publishes a job's files (pool workers too)
            (out / TMP_DIR).mkdir(exist_ok=True)
            scan.save(out / TMP_DIR / GUARD_FILE)
        state = read_state(out)
        manifests = recover(out, state, result.moved)
        for j in jobs:
            why = redo_reasons(manifests.get(j.ident), j) or (["demandé (--force)"] if force else [])
            if why:
                result.why[j.ident] = why
        todo = [j for j in jobs if j.ident in result.why]
        running = {j.ident for j in todo}
        result.skipped = [j for j in jobs if j.ident not in running]
        shown = Progress(len(todo), enabled=progress)

        def on_result(res: JobResult) -> None:
            if res.disk_error is not None:
                raise output_error(res.disk_error, out)
            if scan is not None:  # the summary and the failure page say the kind of a name form, never a name
                res.error, res.cell_first_line = public_text(res.error, scan), public_text(res.cell_first_line, scan)
            if not res.ok and not res.error_files:
                _failure_page(res)
            (result.done if res.ok else result.failed).append(res)
            record(state, res, scan)
            atomic_write_json(out / STATE_FILE, state)
            shown.done(res)

        try:
            if todo:
                runner.run(todo, on_result, shown.running)
        except BaseException:
            shown.close()
            with contextlib.suppress(Exception):  # best effort: the first error is the one to tell
                _close(out, state, corpus, label, drawing, result.moved, jobs)  # every manifest read again
            raise
        shown.close()
        manifests = recover(out, state, result.moved, known=manifests, ran=running)  # those that ran, read again
        result.pdfs = sync_pdfs(out, list(manifests.values()), make=pdf)
        result.site = _site(out, corpus, scan, label, result.moved, manifests, code)
        result.index = _close(out, state, corpus, label, drawing, result.moved, jobs, manifests)
        if scan is not None:
            _check_index(result.index, scan)


def _code_of(jobs: list[Job]) -> str:
    """The digest of mesra's code the jobs were planned with (computed once, by the planning)."""
    for job in jobs:
        if job.inputs and job.inputs.get("code"):
            return str(job.inputs["code"])
    from mesra.batch.plan import code_digest

    return code_digest()


def _site(out: Path, corpus, scan, label: str, moved: list, manifests: dict, code: str) -> Path:
    """The resource centre beside the briefs (:mod:`mesra.batch.site`): same staging, same name scan.

    Left untouched when nothing it is made from changed (:func:`~mesra.batch.site.site_key`).
    """
    from mesra.batch.site import links_of, publish_site, site_key

    links = links_of(manifests.values())
    pseudonymised = scan is not None
    return publish_site(
        corpus,
        out,
        scan=scan,
        pseudonymised=pseudonymised,
        corpus_label=label,
        moved=moved,
        reports_index=True,
        links=links,
        key=site_key(corpus, links=links, pseudonymised=pseudonymised, label=label, code=code),
    )


def _check_index(index: Path, scan) -> None:
    """The index of a pseudonymised run holds no person's name (else it is removed, and the batch says so)."""
    kind = scan.find(index.read_text("utf-8"))
    if kind is not None:
        with contextlib.suppress(OSError):
            index.unlink()
        raise MesraError(
            f"L’index {index} contiendrait encore un nom de personne ({kind}) alors que le lot est "
            "pseudonymisé : il n’est pas publié. Les notes publiées ont été vérifiées une à une."
        )


def _failure_page(result: JobResult) -> None:
    """Publish a page for a failure that left none; the summary says the failure anyway."""
    try:
        publish_failure_page(result.job, result)
    except OSError as exc:
        if is_disk_error(exc, Path(result.job.out)):
            raise
    except Exception:  # noqa: BLE001 - e.g. the renderer itself is what fails
        pass


def _close(
    out: Path, state, corpus, label: str, drawing=None, moved: list | None = None, jobs=(), manifests=None
) -> Path:
    """Remove what an interrupted job left, then write the state and the index.

    ``drawing``: ``(map digest, future map)`` from :func:`~mesra.batch.index.start_index_map`;
    ``manifests``: the valid manifests when the caller has just recovered them (else read again).
    """
    shutil.rmtree(out / TMP_DIR, ignore_errors=True)
    if manifests is None:
        manifests = recover(out, state, moved)
    atomic_write_json(out / STATE_FILE, state)
    current = {(j.territoire, j.stem): j.data for j in jobs}
    key, future = drawing if drawing is not None else (None, None)
    return write_index(
        out, corpus, label or "intégré", list(manifests.values()), drawing=future, current=current, map_digest=key
    )
