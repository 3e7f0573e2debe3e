"""Spreading jobs over a process pool (or running them in this process)."""

from __future__ import annotations

import contextlib
import multiprocessing
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from mesra.batch.jobs import Job, JobResult
from mesra.batch.worker import execute_job, shorten, worker_init


def stop_workers(executor: ProcessPoolExecutor) -> None:
    for proc in list((getattr(executor, "_processes", None) or {}).values()):
        with contextlib.suppress(Exception):
            if proc.is_alive():
                proc.terminate()


def run_jobs(jobs: list[Job], workers: int, on_result, bar) -> None:
    """Execute ``jobs`` (in-process when ``workers == 1``), calling ``on_result`` as they end."""

    def running_label(running: dict[Future, Job] | list[Job]) -> None:
        names = [f"{j.label} ({j.stem})" for j in (running.values() if isinstance(running, dict) else running)]
        bar.set_postfix_str("en cours : " + ", ".join(names) if names else "", refresh=True)

    if workers == 1:
        for job in jobs:
            running_label([job])
            on_result(execute_job(job))
        running_label([])
        return
    pending = deque(jobs)
    context = multiprocessing.get_context("spawn")
    while pending:
        executor = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=worker_init)
        running: dict[Future, Job] = {}
        broken = False
        try:
            while (pending and not broken) or running:
                while pending and not broken and len(running) < workers:
                    job = pending.popleft()
                    try:
                        running[executor.submit(execute_job, job)] = job
                    except BrokenProcessPool:
                        # a worker died and the pool noticed before its job reported:
                        # this job never ran; it goes to the next pool
                        pending.appendleft(job)
                        broken = True
                running_label(running)
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    job = running.pop(future)
                    try:
                        result = future.result()
                    except BrokenProcessPool:
                        broken = True
                        result = JobResult(
                            job,
                            ok=False,
                            error="le processus qui exécutait ce carnet s’est arrêté brutalement (mémoire ?)",
                        )
                    except Exception as exc:  # noqa: BLE001 - e.g. a result that cannot be unpickled
                        result = JobResult(job, ok=False, error=shorten(f"{type(exc).__name__}: {exc}"))
                    on_result(result)
        except BaseException:
            for future in running:
                future.cancel()
            stop_workers(executor)
            executor.shutdown(wait=True, cancel_futures=True)
            raise
        executor.shutdown(wait=True)
    running_label([])
