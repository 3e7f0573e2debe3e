"""Jobs on a Dask cluster: ``mesra briefs --scheduler tcp://host:8786``.

Beyond one machine, the jobs go to an existing distributed engine, Dask's
(``dask.distributed``), rather than to a scheduler of mesra's own. This process stays
the only one that writes the output folder:

* the corpus validated here is sent once to every worker (``scatter``), in parsed form,
  and each worker's warm kernels use it for the notebooks' ``data`` whatever the
  worker's disk holds (:mod:`mesra.batch.preparsed`, ``authoritative``);
* each job is one task: the worker runs the notebook (sent with the job) in a folder of
  its own, renders both pages and returns every file as bytes;
* this process publishes them as a local job would: staged in ``OUT/.mesra-tmp``, then
  one atomic rename each, the manifest last.

A worker lost mid-job (killed, out of memory, machine gone) costs that job only: Dask
runs it again on another worker, and after ``distributed.scheduler.allowed-failures``
losses (3 by default) the job fails with a French message; the others go on. When the
cluster has no worker left for :data:`WORKER_WAIT` seconds, the jobs left fail with a
French message instead of waiting forever. A scheduler lost (stopped, network cut) ends
the batch with a French :class:`~mesra.errors.MesraError` saying how many notes were
published before. A worker whose mesra differs from this one's (other source files)
fails its jobs rather than making pages from other code than their key says.

In a pseudonymised batch the cluster receives only pseudonymised data: the corpus sent
is the pseudonymised one alone (source texts included), with no path of this machine;
each job's paths that hold a person's name are masked before it leaves; each worker
process pseudonymises any corpus its notebooks load (:data:`~mesra.corpus.privacy.RUN_ENV`).
Pages come back as bytes and are scanned here before they are published. Dask's
``tcp://`` is not encrypted: beyond a trusted network, use ``tls://`` (certificates in
Dask's configuration, ``distributed.comm.tls``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from mesra.batch.jobs import TMP_DIR, Job, JobResult
from mesra.batch.worker import Staged, prepare_engine, produce, publish_staged, rendering_failure, shorten, stage_prefix
from mesra.errors import MesraError
from mesra.files import package_digest

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
    """Hash of mesra's files, code and templates (the same on the client and on every worker, or jobs fail)."""
    return package_digest()


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
    from mesra.corpus.privacy import RUN_ENV

    if job.parameters.get("pseudonymiser"):  # whatever a notebook loads in this worker is pseudonymised
        os.environ[RUN_ENV] = "1"
    else:
        os.environ.pop(RUN_ENV, None)
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
    except (OSError, TimeoutError, ValueError, TypeError) as exc:
        tls = (
            " Avec tls://, indiquez les certificats dans la configuration de Dask (variables "
            "DASK_DISTRIBUTED__COMM__TLS__CA_FILE, DASK_DISTRIBUTED__COMM__TLS__CLIENT__CERT et "
            "DASK_DISTRIBUTED__COMM__TLS__CLIENT__KEY)."
            if str(address).startswith("tls://")
            else ""
        )
        raise MesraError(
            f"Impossible de joindre le planificateur Dask {address} ({exc}). Vérifiez l’adresse "
            "(tcp://serveur:8786, ou tls://serveur:8786 hors d’un réseau de confiance) et que le planificateur "
            f"tourne (dask scheduler), puis relancez.{tls}"
        ) from None


#: Seconds the batch waits when the cluster has no worker (all lost) before the jobs left fail.
WORKER_WAIT = 120.0
#: Seconds between two looks at the jobs running; between two counts of the workers.
_POLL = 0.2
_COUNT_EVERY = 2.0


def _remote_entries(preparsed: tuple, jobs: list[Job]) -> list:
    """What the cluster receives: the corpora, with no path of this machine and, when asked, no real name."""
    pseudonymised = any(j.parameters.get("pseudonymiser") for j in jobs)
    entries = []
    for entry in preparsed:
        if pseudonymised:
            if entry.pseudonymised is None:
                continue  # never the real corpus: the workers then read nothing they were not sent
            entry = dataclasses.replace(entry, payload=entry.pseudonymised)
        entries.append(dataclasses.replace(entry, location="", files=(), listing=()))
    return entries


def _remote_job(job: Job, scan) -> Job:
    """The job as it leaves for a worker: in a pseudonymised run, its paths holding a name masked."""
    if scan is None:
        return job
    from mesra.batch.manifest import public_parameters

    return dataclasses.replace(
        job,
        out=scan.scrub_path(job.out),
        notebook=scan.scrub_path(job.notebook),
        parameters=public_parameters(job, scan),
    )


class _SchedulerLost(Exception):
    pass


def _no_worker_left(job: Job) -> JobResult:
    error = (
        f"aucun travailleur Dask n’est resté connecté au planificateur pendant {WORKER_WAIT:.0f} s (tous "
        "perdus ou arrêtés) : ce carnet n’a pas été exécuté ; relancez quand la grappe a des travailleurs"
    )
    return JobResult(job, ok=False, cell_first_line="avant l’exécution des cellules", error=error)


def scheduler_lost(address: str, published: int) -> MesraError:
    return MesraError(
        f"Le planificateur Dask {address} ne répond plus (arrêté, ou réseau coupé) : le lot s’arrête. "
        f"{published} note(s) publiée(s) pendant ce lot, complètes (voir l’index) ; les autres seront "
        "produites à la prochaine exécution, une fois le planificateur relancé."
    )


def run_on_cluster(jobs: list[Job], address: str, on_result, show_running, *, preparsed: tuple = (), scan=None) -> None:
    """Run ``jobs`` on the Dask cluster at ``address``, publishing here as they end.

    No more jobs are in the cluster than it has threads: a job waits here, not on a
    worker, so that a worker lost costs only the jobs it was running (Dask counts a
    loss against every job a worker holds, running or waiting). ``scan``: the name scan
    of a pseudonymised run (the jobs' paths holding a name are masked before they leave).
    """
    import logging
    import pickle
    import uuid

    from distributed import Variable

    client = connect(address)
    running: dict = {}
    published = [0]

    def told(result: JobResult) -> None:
        published[0] += bool(result.ok)
        on_result(result)

    quiet = logging.getLogger("distributed")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)  # a lost connection is told in French, once
    corpora = Variable(f"mesra-corpus-{uuid.uuid4().hex}", client=client)
    try:
        try:
            corpora.set(pickle.dumps(_remote_entries(preparsed, jobs), protocol=pickle.HIGHEST_PROTOCOL))
            _run(client, corpora.name, jobs, running, told, show_running, scan)
        except MesraError:
            raise
        except Exception as exc:  # the scheduler went away (CommClosedError, OSError, cancelled futures…)
            if client.status == "running" and not isinstance(exc, _SchedulerLost):
                raise
            raise scheduler_lost(address, published[0]) from None
    except BaseException:
        with contextlib.suppress(Exception):
            client.cancel(list(running), force=True)
        raise
    finally:
        with contextlib.suppress(Exception):
            corpora.delete()
        with contextlib.suppress(Exception):
            client.close(timeout=5)
        quiet.setLevel(level)


def _run(client, name: str, jobs: list[Job], running: dict, on_result, show_running, scan) -> None:
    """Submit, wait, publish, until every job has ended (or the cluster has no worker for too long)."""
    pending = list(reversed(jobs))
    digest = source_digest()

    def fill() -> None:
        capacity = max(1, sum(client.nthreads().values()))
        while pending and len(running) < capacity:
            job = pending.pop()
            notebook = Path(job.notebook).read_bytes()
            remote = _remote_job(job, scan)
            future = client.submit(remote_job, remote, notebook, name, digest, key=_key(job), pure=False)
            running[future] = job
        show_running(list(running.values()))

    fill()
    idle_since: float | None = None
    counted = time.monotonic()
    while running:
        done = [f for f in running if f.done()]
        if not done:
            if client.status != "running":
                raise _SchedulerLost
            time.sleep(_POLL)
            if time.monotonic() - counted >= _COUNT_EVERY:
                counted = time.monotonic()
                idle_since = None if client.nthreads() else (idle_since or counted)
                if idle_since is not None and counted - idle_since >= WORKER_WAIT:
                    client.cancel(list(running), force=True)
                    for job in [*running.values(), *reversed(pending)]:
                        on_result(_no_worker_left(job))
                    running.clear()
                    pending.clear()
            continue
        _collect(client, done, running, on_result)
        fill()
    show_running([])


def _collect(client, done: list, running: dict, on_result) -> None:
    """Publish here what the ended futures ``done`` bring back (or say why they failed)."""
    for future in done:
        if future.status == "cancelled" and client.status != "running":
            raise _SchedulerLost  # not run: the scheduler went away (the job stays among the running)
        job = running.pop(future)
        try:
            outcome = future.result()
        except Exception as exc:  # noqa: BLE001 - the worker was lost, or the task could not run
            on_result(_lost(job, exc))
        else:
            on_result(_publish(job, outcome))


def _key(job: Job) -> str:
    """A task name that says which job it is (the dashboard shows it), unique per run."""
    import uuid

    return f"mesra-{job.ident.replace('/', '-')}-{uuid.uuid4().hex[:8]}"
