"""Spreading jobs over a process pool (or running them in this process).

When a worker dies (killed, crashed), :class:`~concurrent.futures.ProcessPoolExecutor`
breaks and stops every other worker. The job whose worker died fails, with what
happened (signal or exit code); the jobs that were only running beside it are run
again in a new pool, once: a job caught twice in a broken pool fails too, so a batch
always ends. Which worker ran which job is read from the staging folders' names; a
worker ended by SIGTERM looks like one the pool stopped, so its job is run again.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, ThreadPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from mesra.batch.jobs import ENGINE_PAPERMILL, TMP_DIR, Job, JobResult
from mesra.batch.worker import (
    EXIT_STOPPED,
    execute_job,
    finish_job,
    prepare_engine,
    run_job,
    shorten,
    stage_prefix,
    worker_init,
)

#: Exit codes of workers that the pool (or the batch) stopped: they did not break it.
_STOPPED = {EXIT_STOPPED, -signal.SIGTERM}
#: How many times a job may be caught in a pool that another job broke.
_RETRIES = 1


def stop_workers(processes) -> None:
    for proc in list(processes):
        with contextlib.suppress(Exception):
            if proc.is_alive():
                proc.terminate()


def run_jobs(jobs: list[Job], workers: int, on_result, show_running, *, preparsed: tuple = ()) -> None:
    """Execute ``jobs`` (in-process when ``workers == 1``), calling ``on_result`` as they end.

    ``show_running`` receives the jobs running now (an empty list at the end);
    ``preparsed``: the corpora handed to warm kernels (:mod:`mesra.batch.preparsed`).
    """
    engine = jobs[0].engine if jobs else ENGINE_PAPERMILL
    if workers == 1:
        prepare_engine(engine, list(preparsed))
        run_in_process(jobs, on_result, show_running)
        show_running([])
        return
    pending = deque(jobs)
    caught: dict[str, int] = {}  # job → times caught in a pool that another job broke
    while pending:
        again = []
        for job, result in _run_pool(pending, workers, on_result, show_running, (engine, tuple(preparsed))):
            if result is None and caught.get(job.ident, 0) < _RETRIES:
                caught[job.ident] = caught.get(job.ident, 0) + 1
                again.append(job)
            else:
                on_result(result or JobResult(job, ok=False, error=_collateral_message()))
        pending.extendleft(reversed(again))
    show_running([])


def run_in_process(jobs: list[Job], on_result, show_running) -> None:
    """One job after the other in this process; each job's pages are rendered and published in a
    thread while the next notebook runs (its kernel, another process, computes meanwhile).

    Results come in the jobs' order. An interruption lets the page being published finish
    (publication is atomic), then propagates.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="mesra-pages") as pages:
        previous: Future | None = None
        try:
            for job in jobs:
                show_running([job])
                run = run_job(job)
                if previous is not None:
                    done, previous = previous, None
                    on_result(done.result())
                previous = pages.submit(finish_job, run)
            if previous is not None:
                done, previous = previous, None
                on_result(done.result())
        except BaseException:
            if previous is not None:  # its page is being published: let it finish, and say so
                with contextlib.suppress(Exception):
                    on_result(previous.result())
            raise


def _run_pool(
    pending: deque, workers: int, on_result, show_running, setup: tuple
) -> list[tuple[Job, JobResult | None]]:
    """Run jobs from ``pending`` in one pool until none is left or the pool breaks.

    Returns the jobs the pool was running when it broke, once every worker is gone:
    each with its failure when its own worker died, or ``None`` when it was only
    running beside it.
    """
    context = multiprocessing.get_context("spawn")
    executor = ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=worker_init, initargs=(os.getpid(), *setup)
    )
    running: dict[Future, Job] = {}
    processes: dict[int, multiprocessing.Process] = {}
    broken: list[Job] = []
    stop = False  # the pool broke: submit nothing more, collect what runs
    try:
        while (pending and not stop) or running:
            stop = stop or not _submit(executor, pending, running, workers)
            processes.update(getattr(executor, "_processes", None) or {})
            show_running(list(running.values()))
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                job = running.pop(future)
                result = _outcome(future, job)
                if result is None:
                    broken.append(job)
                    stop = True
                else:
                    on_result(result)
    except BaseException:
        for future in running:
            future.cancel()
        stop_workers(processes.values())
        executor.shutdown(wait=True, cancel_futures=True)
        raise
    executor.shutdown(wait=True)
    return _blame(broken, processes)


def _submit(executor: ProcessPoolExecutor, pending: deque, running: dict[Future, Job], workers: int) -> bool:
    """Fill the pool from ``pending``; False when the pool broke (the job stays first in line: it never ran)."""
    while pending and len(running) < workers:
        try:
            future = executor.submit(execute_job, pending[0])
        except BrokenProcessPool:
            return False
        running[future] = pending.popleft()
    return True


def _outcome(future: Future, job: Job) -> JobResult | None:
    """The job's result, or ``None`` when the pool broke under it."""
    try:
        return future.result()
    except BrokenProcessPool:
        return None
    except Exception as exc:  # noqa: BLE001 - e.g. a result that cannot be unpickled
        return JobResult(job, ok=False, error=shorten(f"{type(exc).__name__}: {exc}"))


def _blame(broken: list[Job], processes: dict[int, multiprocessing.Process]) -> list[tuple[Job, JobResult | None]]:
    """Which of the ``broken`` jobs ran in a worker that died (rather than being stopped), and how."""
    if not broken:
        return []
    dead = {pid: p.exitcode for pid, p in processes.items() if p.exitcode not in (None, 0, *_STOPPED)}
    stages = _stage_names(Path(broken[0].out))
    blamed = []
    for job in broken:
        code = next((c for pid, c in dead.items() if any(n.startswith(stage_prefix(job, pid)) for n in stages)), None)
        failure = JobResult(job, ok=False, cell_first_line="pendant l’exécution", error=death_message(code or 0))
        blamed.append((job, None if code is None else failure))
    return blamed


def _stage_names(out: Path) -> list[str]:
    try:
        return [p.name for p in (out / TMP_DIR).iterdir()]
    except OSError:
        return []


def death_message(exitcode: int) -> str:
    """What happened to a worker, in French, from its exit code."""
    if exitcode < 0:
        number = -exitcode
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = "inconnu"
        return f"le processus qui exécutait ce carnet a été arrêté (signal {number}, {name})"
    return f"le processus qui exécutait ce carnet s’est arrêté (code de sortie {exitcode})"


def _collateral_message() -> str:
    return (
        "interrompu deux fois par l’arrêt brutal d’un autre processus du lot (voir les autres échecs) ; "
        "relancez la commande"
    )
