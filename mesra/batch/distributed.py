"""Jobs on a Dask cluster: ``mesra briefs --scheduler tcp://host:8786``.

Beyond one machine, the jobs go to an existing distributed engine, Dask's
(``dask.distributed``), rather than to a scheduler of mesra's own. This process stays
the only one that writes the output folder:

* the corpus validated here is sent once to every worker (``scatter``), in parsed form,
  and each worker's warm kernels use it for the notebooks' ``data`` whatever the
  worker's disk holds (:mod:`mesra.corpus.preparsed`, ``authoritative``);
* each job is one task: the worker runs the notebook (sent with the job) in a folder of
  its own, renders both pages and returns every file as bytes;
* this process publishes them as a local job would: staged in ``OUT/.mesra-tmp``, then
  one atomic rename each, the manifest last.

A worker lost mid-job (killed, out of memory, machine gone) costs that job only: Dask
runs it again on another worker, and after ``distributed.scheduler.allowed-failures``
losses (3 by default) the job fails with a French message; the others go on. A worker
whose mesra differs from this one's (other source files) fails its jobs rather than
making pages from other code than their key says.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from mesra.batch.jobs import TMP_DIR, Job, JobResult
from mesra.batch.worker import Staged, prepare_engine, produce, publish_staged, rendering_failure, shorten, stage_prefix
from mesra.errors import MesraError
from mesra.files import PACKAGE_ROOT

__all__ = ["run_on_cluster", "remote_job", "RemoteOutcome"]


@dataclass
class RemoteOutcome:
    """What a worker sends back for one job."""

    error: str | None = None
    cell_number: int | None = None
    cell_first_line: str | None = None
    kind: str | None = None  # what to publish: "rapport", "echec" or nothing
    files: list[tuple[str, bytes]] = field(default_factory=list)
    details: dict = field(default_factory=dict)
    seconds: float = 0.0
    worker: str = ""


@functools.cache
def source_digest() -> str:
    """Hash of mesra's source files (the same on the client and on every worker, or jobs fail)."""
    h = hashlib.sha256()
    for p in sorted(PACKAGE_ROOT.rglob("*.py")):
        h.update(p.relative_to(PACKAGE_ROOT).as_posix().encode())
        h.update(b"\0")
        h.update(p.read_bytes())
    return h.hexdigest()


# --- on a worker -------------------------------------------------------------------------------
_CORPORA: dict[str, list] = {}  # by the name the batch published them under, in this worker process


def _corpora(name: str) -> list:
    """The parsed corpora the batch published under ``name`` (fetched once per worker process).

    They are kept by the scheduler (a Dask ``Variable``), not scattered to the workers:
    scattered data is lost with the last worker that held it, and a job retried after
    its worker died must still find them. Jobs do not depend on them in Dask's graph.
    """
    if name not in _CORPORA:
        import pickle

        from distributed import Variable, get_client

        _CORPORA.clear()  # one batch at a time per worker process is the common case
        _CORPORA[name] = pickle.loads(Variable(name, client=get_client()).get(timeout=60))
    return _CORPORA[name]


def remote_job(job: Job, notebook: bytes, corpora: list | str, digest: str) -> RemoteOutcome:
    """Run one job on a Dask worker; return its files (the client publishes them).

    ``corpora``: the parsed corpora, or the name the batch published them under.
    """
    import socket

    started = time.perf_counter()
    outcome = RemoteOutcome(worker=socket.gethostname())
    if digest != source_digest():
        outcome.cell_first_line = "avant l’exécution des cellules"
        outcome.error = (
            f"le travailleur Dask ({outcome.worker}) n’a pas le même code de mesra que le poste qui a lancé "
            "le lot : installez la même version de mesra sur chaque machine de la grappe, puis relancez"
        )
        return outcome
    if isinstance(corpora, str):
        corpora = _corpora(corpora)
    data = str(job.parameters.get("data") or "")
    prepare_engine(job.engine, [dataclasses.replace(e, authoritative=True, parameter=data) for e in corpora])
    work = Path(tempfile.mkdtemp(prefix="mesra-dask-"))
    try:
        source = work / "carnet" / Path(job.notebook).name
        source.parent.mkdir()
        source.write_bytes(notebook)
        stage = work / "sortie"
        stage.mkdir()
        result = JobResult(job, ok=False)
        try:
            staged = produce(job, result, stage, source=str(source))
        except Exception as exc:  # noqa: BLE001 - rendering failed: a failure, not a crash
            rendering_failure(job, result, exc)
            staged = None
        outcome.error, outcome.cell_number, outcome.cell_first_line = (
            result.error,
            result.cell_number,
            result.cell_first_line,
        )
        if staged is not None:
            outcome.kind, outcome.details = staged.kind, staged.details
            outcome.files = [(rel, path.read_bytes()) for rel, path in staged.files]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    outcome.seconds = time.perf_counter() - started
    return outcome


# --- on the client ------------------------------------------------------------------------------
def _publish(job: Job, outcome: RemoteOutcome) -> JobResult:
    """Publish a worker's files here, as a local job would (staged, renamed, manifest last)."""
    result = JobResult(
        job,
        ok=False,
        error=outcome.error,
        cell_number=outcome.cell_number,
        cell_first_line=outcome.cell_first_line,
        seconds=outcome.seconds,
    )
    if outcome.kind is None:
        return result
    tmp_root = Path(job.out) / TMP_DIR
    tmp_root.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(dir=tmp_root, prefix=stage_prefix(job, os.getpid())))
    try:
        files = []
        for rel, data in outcome.files:
            target = (stage / rel).resolve()
            if stage.resolve() not in target.parents:  # a worker's answer is data: no path outside
                raise MesraError(f"nom de fichier refusé dans la réponse du travailleur : {rel!r}")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            files.append((rel, target))
        publish_staged(job, result, Staged(outcome.kind, files, outcome.details))
    except Exception as exc:  # noqa: BLE001 - as a local job: a failure (the disk's stops the batch)
        rendering_failure(job, result, exc)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return result


def _lost(job: Job, exc: BaseException) -> JobResult:
    from distributed import KilledWorker

    if isinstance(exc, KilledWorker):
        error = (
            "le travailleur Dask qui exécutait ce carnet s’est arrêté à chaque essai (tué, mémoire "
            "épuisée ou machine perdue) ; les autres carnets ont continué"
        )
    else:
        error = shorten(f"{type(exc).__name__}: {exc}")
    return JobResult(job, ok=False, cell_first_line="pendant l’exécution", error=error)


#: Seconds to wait for the scheduler to answer.
CONNECT_TIMEOUT = 10.0


def connect(address: str):
    """A Dask client for the scheduler at ``address``, or a French error."""
    try:
        from distributed import Client
    except ImportError:  # pragma: no cover - a dependency of mesra
        raise MesraError(
            "dask.distributed n’est pas installé : installez-le (pip install distributed) pour utiliser --scheduler."
        ) from None
    try:
        return Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise MesraError(
            f"Impossible de joindre le planificateur Dask {address} ({exc}). Vérifiez l’adresse "
            "(tcp://serveur:8786) et que le planificateur tourne (dask scheduler), puis relancez."
        ) from None


def run_on_cluster(jobs: list[Job], address: str, on_result, show_running, *, preparsed: tuple = ()) -> None:
    """Run ``jobs`` on the Dask cluster at ``address``, publishing here as they end.

    No more jobs are in the cluster than it has threads: a job waits here, not on a
    worker, so that a worker lost costs only the jobs it was running (Dask counts a
    loss against every job a worker holds, running or waiting).
    """
    import pickle
    import uuid

    from distributed import Variable, as_completed

    client = connect(address)
    running: dict = {}
    pending = list(reversed(jobs))
    corpora = Variable(f"mesra-corpus-{uuid.uuid4().hex}", client=client)
    try:
        corpora.set(pickle.dumps(list(preparsed), protocol=pickle.HIGHEST_PROTOCOL))
        digest = source_digest()
        finished = as_completed([], loop=client.loop)

        def fill() -> None:
            capacity = max(1, sum(client.nthreads().values()))
            while pending and len(running) < capacity:
                job = pending.pop()
                notebook = Path(job.notebook).read_bytes()
                future = client.submit(remote_job, job, notebook, corpora.name, digest, key=_key(job), pure=False)
                running[future] = job
                finished.add(future)
            show_running(list(running.values()))

        fill()
        for future in finished:
            job = running.pop(future)
            try:
                outcome = future.result()
            except Exception as exc:  # noqa: BLE001 - the worker was lost, or the task could not run
                on_result(_lost(job, exc))
            else:
                on_result(_publish(job, outcome))
            fill()
        show_running([])
    except BaseException:
        with contextlib.suppress(Exception):
            client.cancel(list(running), force=True)
        raise
    finally:
        with contextlib.suppress(Exception):
            corpora.delete()
        with contextlib.suppress(Exception):
            client.close()


def _key(job: Job) -> str:
    """A task name that says which job it is (the dashboard shows it), unique per run."""
    import uuid

    return f"mesra-{job.ident.replace('/', '-')}-{uuid.uuid4().hex[:8]}"
