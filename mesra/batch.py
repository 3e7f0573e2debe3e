"""Batch execution of the notebooks with Papermill: ``mesra briefs``.

One call validates the corpus, then executes the parameterised notebooks of
``notebooks/`` in parallel over a process pool and renders each executed copy to
HTML twice (readers / researchers), ending with ``OUT/index.html``.

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
  parameters and the renderer (state in ``OUT/.mesra-etat.json``).

>>> result = run_briefs(out="reports")                       # doctest: +SKIP
>>> print(result.summary())                                  # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import multiprocessing
import os
import re
import shutil
import signal
import sys
import tempfile
import time
import unicodedata
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from . import __version__
from ._slug import ID_PATTERN
from .atomic import TEMP_SUFFIX, atomic_write_json, atomic_write_text, publish
from .errors import CorpusError, MesraError, ParameterError

__all__ = ["run_briefs", "cli_briefs", "BatchResult", "JobResult", "Job", "default_territories",
           "STATE_FILE", "KERNEL_NAME"]

#: The kernel every notebook runs with (ipykernel's native spec: the running interpreter).
KERNEL_NAME = "python3"
#: Incremental state, in the output folder.
STATE_FILE = ".mesra-etat.json"
_TMP_DIR = ".mesra-tmp"
_LOCK_FILE = ".mesra-verrou"
_STATE_VERSION = 1
_OVERVIEW_FOLDER = "corpus"
_TERRITORY_FOLDER = "territoires"
#: Levels that only get a brief when data is located there directly (not just below).
_WIDE_LEVELS = ("monde", "europe")
#: Parameters every notebook declares (a batch must not silently ignore them).
_REQUIRED_PARAMETERS = ("data", "pseudonymiser")


# --- jobs and results -------------------------------------------------------------
@dataclass(frozen=True)
class Job:
    """One notebook to execute, for one territory (``None``: once per batch)."""

    notebook: str            # absolute path of the source notebook
    stem: str                # its file name without ``.ipynb``
    title: str               # its first heading (shown in the index)
    territoire: str | None
    label: str               # what the progress bar and the summary call the job
    parameters: dict[str, Any]
    out: str                 # absolute output folder of the batch
    folder: str              # folder of the job's files, relative to ``out``
    key: str                 # hash of every input
    kernel_name: str = KERNEL_NAME
    place: str = ""          # the territory's name (page titles)

    @property
    def ident(self) -> str:
        """Identifier of the job in the state file: ``<folder>/<stem>``."""
        return f"{self.folder}/{self.stem}"


@dataclass
class JobResult:
    """What happened to one job."""

    job: Job
    ok: bool
    files: list[str] = field(default_factory=list)        # published, relative to ``out``
    error_files: list[str] = field(default_factory=list)  # the failed run, for diagnosis
    seconds: float = 0.0
    cell_number: int | None = None     # 1-based position of the failing cell in the source notebook
    cell_first_line: str | None = None
    error: str | None = None           # "ename: evalue"

    def describe_failure(self) -> str:
        """One French line naming the job, its notebook, the failing cell and the error."""
        job = self.job
        where = f"{job.label} · {job.stem}.ipynb"
        if self.cell_number is not None:
            cell = f"cellule {self.cell_number}"
            if self.cell_first_line:
                cell += f" « {self.cell_first_line} »"
        elif self.cell_first_line:
            cell = self.cell_first_line
        else:
            cell = "avant l’exécution des cellules"
        return f"{where} : {cell} : {self.error or 'erreur inconnue'}"


@dataclass
class BatchResult:
    """The outcome of :func:`run_briefs`."""

    out: Path
    index: Path | None
    done: list[JobResult] = field(default_factory=list)
    failed: list[JobResult] = field(default_factory=list)
    skipped: list[Job] = field(default_factory=list)
    corpus_hash: str = ""
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """True when no job failed."""
        return not self.failed

    def summary(self) -> str:
        """The French end-of-run summary (failures with their cell and error)."""
        n_run = len(self.done) + len(self.failed)
        lines = [
            f"{len(self.done)} carnet(s) exécuté(s) et rendu(s), {len(self.skipped)} ignoré(s) "
            f"(entrées inchangées), {len(self.failed)} échec(s) — {n_run} exécution(s) "
            f"en {self.seconds:.0f} s."
        ]
        if self.failed:
            lines.append("Échecs :")
            groups: dict[tuple, list[JobResult]] = {}
            for result in sorted(self.failed, key=lambda r: r.job.ident):
                cause = (result.job.stem, result.cell_number, result.cell_first_line, result.error)
                groups.setdefault(cause, []).append(result)
            for members in groups.values():
                first = members[0]
                detail = next((f for f in first.error_files if f.endswith(".html")), None)
                if len(members) == 1:
                    lines.append(f"  - {first.describe_failure()}")
                else:  # the same cell failing with the same error in many territories
                    where = first.describe_failure().split(" · ", 1)[1]
                    lines.append(f"  - {where}")
                    lines.append(f"    pour {len(members)} territoires : "
                                 + ", ".join(r.job.label for r in members))
                if detail:
                    lines.append(f"    détail : {self.out / detail}"
                                 + (" (et de même pour les autres)" if len(members) > 1 else ""))
            lines.append("Les notes précédentes de ces territoires, s’il y en avait, sont conservées.")
        if self.index is not None:
            lines.append(f"Index : {self.index}")
        return "\n".join(lines)


# --- inputs ---------------------------------------------------------------------------
def _sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _code_digest() -> str:
    """Hash of mesra's own source files (a development change re-runs the briefs)."""
    h = hashlib.sha256()
    root = Path(__file__).resolve().parent
    for p in sorted(root.rglob("*.py")):
        h.update(p.relative_to(root).as_posix().encode())
        h.update(b"\0")
        h.update(p.read_bytes())
    return h.hexdigest()


def _job_key(**inputs: Any) -> str:
    return hashlib.sha256(json.dumps(inputs, sort_keys=True, ensure_ascii=True).encode()).hexdigest()


def _notebook_title(nb_path: Path) -> str:
    import nbformat

    from .render import notebook_title

    try:
        nb = nbformat.read(nb_path, as_version=4)
    except Exception as exc:  # noqa: BLE001 - reported in French
        raise MesraError(f"Le carnet {nb_path} est illisible ({exc}) ; vérifiez qu’il s’agit d’un "
                         "fichier .ipynb valide.") from None
    if nb.metadata.get("title") or notebook_title(nb):
        return str(nb.metadata.get("title") or notebook_title(nb))
    words = re.sub(r"^\d+[-_ ]*", "", nb_path.stem).replace("-", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words else nb_path.stem


def _notebook_parameters(nb_path: Path) -> set[str]:
    import papermill

    try:
        return set(papermill.inspect_notebook(str(nb_path)))
    except Exception as exc:  # noqa: BLE001 - reported in French
        raise MesraError(f"Impossible de lire les paramètres du carnet {nb_path.name} ({exc}) ; il doit "
                         "indiquer son noyau (metadata.kernelspec) et avoir une cellule « parameters ».") from None


def default_notebooks_dir() -> Path:
    """The repository's ``notebooks/`` folder."""
    return Path(__file__).resolve().parent.parent / "notebooks"


def default_territories(corpus) -> list[str]:
    """Territories that get a brief by default.

    Every territory with an actor or a monograph in it or below it (a région
    includes its départements), plus ``fr`` always; ``monde`` and ``europe`` only
    when data is located there directly (every European place would otherwise
    drag them in).
    """
    located = set(corpus.acteurs["territoire_id"].dropna()) | set(corpus.monographies["territoire"].dropna())
    levels = dict(zip(corpus.territoires["territoire_id"], corpus.territoires["niveau"]))
    out = set(corpus.territories_with_data()) | {"fr"}
    return sorted(t for t in out if levels.get(t) not in _WIDE_LEVELS or t in located)


def _check_territory_ids(territoires: list[str]) -> list[str]:
    cleaned: list[str] = []
    for tid in territoires:
        if not isinstance(tid, str) or not ID_PATTERN.match(tid):
            raise ParameterError(
                f"Identifiant de territoire invalide : {tid!r}. Un identifiant ne contient que des "
                "lettres minuscules sans accent, des chiffres et des tirets (ex. occitanie, "
                "cote-d-or, fr).")
        if tid not in cleaned:
            cleaned.append(tid)
    return cleaned


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii").lower()


# --- output folder: lock, state, leftovers -----------------------------------------------
@contextlib.contextmanager
def _locked(out: Path):
    path = out / _LOCK_FILE
    fh = open(path, "a+")  # noqa: SIM115 - held for the whole run
    try:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: no lock
            fcntl = None
        if fcntl is not None:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                raise MesraError(f"Une autre production de notes est en cours dans {out} ; attendez "
                                 "qu’elle se termine ou choisissez un autre dossier (--out).") from None
        yield
    finally:
        fh.close()


def _clean_leftovers(out: Path) -> None:
    """Remove what an interrupted (killed) run left: staging folders and temporary files."""
    shutil.rmtree(out / _TMP_DIR, ignore_errors=True)
    for folder in (out, out / _OVERVIEW_FOLDER, out / _TERRITORY_FOLDER):
        if not folder.is_dir():
            continue
        candidates = folder.rglob(f".*{TEMP_SUFFIX}") if folder != out else folder.glob(f".*{TEMP_SUFFIX}")
        for p in candidates:
            with contextlib.suppress(OSError):
                if p.is_file():
                    p.unlink()


def _read_state(out: Path) -> dict[str, Any]:
    path = out / STATE_FILE
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"version": _STATE_VERSION, "jobs": {}}
    if not isinstance(state, dict) or state.get("version") != _STATE_VERSION \
            or not isinstance(state.get("jobs"), dict):
        return {"version": _STATE_VERSION, "jobs": {}}
    return state


def _safe_relative(out: Path, rel: str) -> Path | None:
    p = (out / rel).resolve()
    return p if out.resolve() in p.parents else None


def _up_to_date(entry: dict[str, Any] | None, job: Job, out: Path) -> bool:
    if not entry or entry.get("cle") != job.key or entry.get("echec") or not entry.get("fichiers"):
        return False
    return all((p := _safe_relative(out, f)) is not None and p.is_file() for f in entry["fichiers"])


# --- one job (runs in a worker process) -------------------------------------------------
def _worker_init() -> None:
    """Workers leave Ctrl-C to the parent; SIGTERM unwinds (staging folders are removed)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def _terminate(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, _terminate)


def _first_line(source: str) -> str:
    for line in str(source).splitlines():
        if line.strip():
            line = line.strip()
            return line if len(line) <= 80 else line[:79] + "…"
    return ""


def _short(text: str, limit: int = 300) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _source_cell_number(job: Job, executed_index: int) -> int | None:
    """1-based position in the source notebook of the executed cell ``executed_index``.

    Papermill inserts an ``injected-parameters`` cell after the ``parameters`` cell
    (at the top when there is none) whenever parameters are passed.
    """
    if not job.parameters:
        return executed_index + 1
    import nbformat

    nb = nbformat.read(job.notebook, as_version=4)
    tagged = [i for i, c in enumerate(nb.cells) if "parameters" in c.get("metadata", {}).get("tags", [])]
    injected = tagged[0] + 1 if tagged else 0
    if executed_index == injected:
        return None
    return executed_index + (0 if executed_index < injected else -1) + 1


def _stamp(nb, job: Job, final_ipynb: Path) -> None:
    """Provenance: final output path and the batch's inputs in the notebook's metadata."""
    nb.metadata.setdefault("papermill", {})["output_path"] = str(final_ipynb)
    nb.metadata["mesra"] = {"version": __version__, "territoire": job.territoire,
                            "parametres": dict(job.parameters), "cle": job.key}


def _stage_files(stage: Path) -> list[Path]:
    files = []
    for p in sorted(stage.rglob("*")):
        rel = p.relative_to(stage)
        if any(part in (".ipynb_checkpoints", "__pycache__") for part in rel.parts):
            continue
        if p.is_file() and not p.is_symlink():
            files.append(p)
    return files


def execute_job(job: Job) -> JobResult:
    """Execute one job: run the notebook, render it, publish its files atomically.

    Never raises for a notebook error: the result says what failed. Interruptions
    (``KeyboardInterrupt``, ``SystemExit``) propagate after the staging folder is
    removed; the published files are only ever replaced by complete ones.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    started = time.perf_counter()
    tmp_root = Path(job.out) / _TMP_DIR
    tmp_root.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(dir=tmp_root, prefix=f"{job.ident.replace('/', '--')}-"))
    result = JobResult(job, ok=False)
    try:
        nb_path = stage / f"{job.stem}.ipynb"
        failure: PapermillExecutionError | None = None
        try:
            papermill.execute_notebook(
                job.notebook, str(nb_path), parameters=dict(job.parameters),
                kernel_name=job.kernel_name, cwd=str(stage), progress_bar=False, log_output=False,
                request_save_on_cell_execute=False, start_timeout=120,
                extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
            )
        except PapermillExecutionError as exc:
            failure = exc
        except Exception as exc:  # noqa: BLE001 - no such kernel, dead kernel, unreadable notebook…
            result.error = _short(f"{type(exc).__name__}: {exc}")
        if result.error is not None and failure is None:
            result.seconds = time.perf_counter() - started
            return result
        return _finish(job, result, stage, nb_path, failure, started)
    except Exception as exc:  # noqa: BLE001 - rendering or publishing failed: a failure, not a crash
        result.ok = False
        result.cell_number = None
        result.cell_first_line = "pendant le rendu HTML ou l’écriture des fichiers"
        result.error = _short(f"{type(exc).__name__}: {exc}")
        result.seconds = time.perf_counter() - started
        return result
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _finish(job: Job, result: JobResult, stage: Path, nb_path: Path, failure, started: float) -> JobResult:
    """Render the executed notebook in ``stage`` and publish its files (or the failure's)."""
    import nbformat

    from .render import render_notebook

    final_dir = Path(job.out) / job.folder
    nb = nbformat.read(nb_path, as_version=4)
    title = job.title if job.territoire is None else f"{job.title} — {job.place or job.label}"
    if failure is not None:
        result.cell_number = _source_cell_number(job, failure.cell_index)
        result.cell_first_line = (_first_line(failure.source) if result.cell_number is not None
                                  else "cellule des paramètres injectés par Papermill")
        result.error = _short(f"{failure.ename}: {failure.evalue}")
        err_ipynb = stage / f"{job.stem}.erreur.ipynb"
        err_html = stage / f"{job.stem}.erreur.html"
        _stamp(nb, job, final_dir / err_ipynb.name)
        nbformat.write(nb, err_ipynb)
        err_html.write_text(render_notebook(nb, code=True, base_dir=stage, title=f"Échec : {title}"),
                            encoding="utf-8")
        for p in (err_ipynb, err_html):
            publish(p, final_dir / p.name)
            result.error_files.append(f"{job.folder}/{p.name}")
        result.seconds = time.perf_counter() - started
        return result
    _stamp(nb, job, final_dir / nb_path.name)
    nbformat.write(nb, nb_path)
    (stage / f"{job.stem}.html").write_text(
        render_notebook(nb, code=False, base_dir=stage, title=title), encoding="utf-8")
    (stage / f"{job.stem}.code.html").write_text(
        render_notebook(nb, code=True, base_dir=stage, title=title), encoding="utf-8")
    files = _stage_files(stage)
    files.sort(key=lambda p: (p.name == nb_path.name, p.suffix == ".html", str(p)))
    for p in files:  # exports, then the pages, then the executed notebook
        rel = p.relative_to(stage).as_posix()
        publish(p, final_dir / rel)
        result.files.append(f"{job.folder}/{rel}")
    result.ok = True
    result.seconds = time.perf_counter() - started
    return result


# --- the batch --------------------------------------------------------------------------
def _plan(corpus, territoires: list[str], notebooks: list[Path], *, data_param: str, pseudonymiser: bool,
          out: Path, kernel_name: str) -> list[Job]:
    code = _code_digest()
    from .render import RENDER_VERSION

    size = _rolled_up_counts(corpus)
    size = {t: size.get(t, 0) for t in territoires}
    ordered = sorted(territoires, key=lambda t: (-size[t], t))  # largest first: better balance
    names = dict(zip(corpus.territoires["territoire_id"], corpus.territoires["nom"]))
    overview: list[Job] = []
    per_territory: list[Job] = []
    for nb_path in notebooks:
        declared = _notebook_parameters(nb_path)
        title = _notebook_title(nb_path)
        nb_hash = _sha256_file(nb_path)
        missing = [name for name in _REQUIRED_PARAMETERS if name not in declared]
        if missing:
            raise MesraError(
                f"Le carnet {nb_path.name} ne déclare pas le(s) paramètre(s) {', '.join(missing)} dans sa "
                "cellule « parameters » : sans eux, il ne lirait pas le bon corpus ou montrerait les "
                "vrais noms. Ajoutez par exemple `data: str = \"\"` et `pseudonymiser: bool = False`.")
        base = {"data": data_param, "pseudonymiser": pseudonymiser}
        targets = ordered if "territoire" in declared else [None]
        for tid in targets:
            params = dict(base)
            if tid is not None:
                params["territoire"] = tid
            key = _job_key(corpus=corpus.hash, notebook=nb_hash, mesra=__version__, code=code,
                           parameters=params, render=RENDER_VERSION, kernel=kernel_name)
            job = Job(
                notebook=str(nb_path), stem=nb_path.stem, title=title, territoire=tid,
                label=tid if tid is not None else _OVERVIEW_FOLDER, parameters=params, out=str(out),
                folder=f"{_TERRITORY_FOLDER}/{tid}" if tid is not None else _OVERVIEW_FOLDER,
                key=key, kernel_name=kernel_name, place=str(names.get(tid, tid or "")),
            )
            (per_territory if tid is not None else overview).append(job)
    rank = {t: i for i, t in enumerate(ordered)}
    per_territory.sort(key=lambda j: (rank[j.territoire], j.stem))
    return overview + per_territory


def _parents(corpus) -> dict[str, str]:
    return {t: p for t, p in zip(corpus.territoires["territoire_id"], corpus.territoires["parent_id"])
            if isinstance(p, str) and p}


def _chain(parents: dict[str, str], tid: str) -> list[str]:
    """``tid``'s ancestors, nearest first (cycles cut)."""
    out: list[str] = []
    current = parents.get(tid)
    while current is not None and current not in out and current != tid:
        out.append(current)
        current = parents.get(current)
    return out


def _rolled_up_counts(corpus) -> dict[str, int]:
    """Actors and monographs located in each territory or below it (one pass, no quadratic walk)."""
    parents = _parents(corpus)
    located = [*corpus.acteurs["territoire_id"].dropna(), *corpus.monographies["territoire"].dropna()]
    counts: dict[str, int] = {}
    for tid in located:
        for t in (tid, *_chain(parents, tid)):
            counts[t] = counts.get(t, 0) + 1
    return counts


def _record(state: dict[str, Any], result: JobResult, out: Path, corpus_hash: str) -> None:
    job = result.job
    entry = state["jobs"].get(job.ident, {})
    now = datetime.now().astimezone().isoformat(timespec="seconds")
    if result.ok:
        for old in set(entry.get("fichiers", [])) - set(result.files):
            p = _safe_relative(out, old)
            if p is not None:
                with contextlib.suppress(OSError):
                    p.unlink()
        for old in entry.get("echec", {}).get("fichiers", []):
            p = _safe_relative(out, old)
            if p is not None:
                with contextlib.suppress(OSError):
                    p.unlink()
        state["jobs"][job.ident] = {
            "carnet": job.stem, "titre": job.title, "territoire": job.territoire, "cle": job.key,
            "corpus": corpus_hash, "parametres": job.parameters, "fichiers": result.files,
            "date": now, "secondes": round(result.seconds, 2),
        }
    else:
        entry = dict(entry) or {"carnet": job.stem, "titre": job.title, "territoire": job.territoire,
                                "fichiers": []}
        entry["echec"] = {"date": now, "erreur": result.error, "cellule": result.cell_number,
                          "source": result.cell_first_line, "fichiers": result.error_files,
                          "parametres": job.parameters}
        state["jobs"][job.ident] = entry


def _stop_workers(executor: ProcessPoolExecutor) -> None:
    for proc in list((getattr(executor, "_processes", None) or {}).values()):
        with contextlib.suppress(Exception):
            if proc.is_alive():
                proc.terminate()


def _run_jobs(jobs: list[Job], workers: int, on_result, bar) -> None:
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
        executor = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_worker_init)
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
                        result = JobResult(job, ok=False, error="le processus qui exécutait ce carnet "
                                                                "s’est arrêté brutalement (mémoire ?)")
                    except Exception as exc:  # noqa: BLE001 - e.g. a result that cannot be unpickled
                        result = JobResult(job, ok=False, error=_short(f"{type(exc).__name__}: {exc}"))
                    on_result(result)
        except BaseException:
            for future in running:
                future.cancel()
            _stop_workers(executor)
            executor.shutdown(wait=True, cancel_futures=True)
            raise
        executor.shutdown(wait=True)
    running_label([])


def _index_rows(state: dict[str, Any], corpus, out: Path):
    from .render import NotebookLink, TerritoryRow

    def link(entry: dict[str, Any]) -> NotebookLink | None:
        files = [f for f in entry.get("fichiers", []) if (p := _safe_relative(out, f)) and p.is_file()]
        stem = entry.get("carnet", "")
        reader = next((f for f in files if f.endswith(f"/{stem}.html")), None)
        code = next((f for f in files if f.endswith(f"/{stem}.code.html")), None)
        failure = entry.get("echec") or {}
        error = next((f for f in failure.get("fichiers", []) if f.endswith(".html")
                      and (p := _safe_relative(out, f)) and p.is_file()), None)
        if not (reader or code or error):
            return None
        return NotebookLink(title=str(entry.get("titre") or stem), reader=reader, code=code, error=error,
                            outdated=bool(reader or code) and entry.get("corpus") != corpus.hash)

    overview: list[tuple[str, NotebookLink]] = []
    by_territory: dict[str, list[tuple[str, NotebookLink]]] = {}
    for entry in state["jobs"].values():
        item = link(entry)
        if item is None:
            continue
        tid = entry.get("territoire")
        if tid is None:
            overview.append((entry.get("carnet", ""), item))
        elif isinstance(tid, str) and ID_PATTERN.match(tid):
            by_territory.setdefault(tid, []).append((entry.get("carnet", ""), item))
    known = dict(zip(corpus.territoires["territoire_id"], corpus.territoires["nom"]))
    levels = dict(zip(corpus.territoires["territoire_id"], corpus.territoires["niveau"]))
    shown = set(by_territory)

    parents = _parents(corpus)

    def path(tid: str) -> tuple[str, ...]:
        chain = [t for t in reversed(_chain(parents, tid)) if t in shown]
        return tuple(_fold(known.get(t, t)) for t in [*chain, tid])

    from . import contract as C

    rows = [
        TerritoryRow(territoire_id=tid, nom=str(known.get(tid, tid)), niveau=C.label(levels.get(tid, "")),
                     depth=len(path(tid)) - 1,
                     links=tuple(item for _, item in sorted(by_territory[tid], key=lambda x: x[0])))
        for tid in sorted(shown, key=path)
    ]
    return [item for _, item in sorted(overview, key=lambda x: x[0])], rows


def _write_index(out: Path, state: dict[str, Any], corpus, corpus_label: str) -> Path:
    from .render import render_index

    overview, rows = _index_rows(state, corpus, out)
    flags = {bool((e.get("parametres") or {}).get("pseudonymiser")) for e in state["jobs"].values()
             if e.get("fichiers")}
    pseudonymised = True if flags == {True} else (None if len(flags) > 1 else False)
    page = render_index(overview, rows, corpus_hash=corpus.hash, version=__version__,
                        generated=datetime.now().astimezone(), pseudonymised=pseudonymised,
                        corpus_label=corpus_label)
    index = out / "index.html"
    atomic_write_text(index, page)
    return index


def run_briefs(data: str | os.PathLike | None = None, out: str | os.PathLike = "reports", *,
               territoires: list[str] | None = None, workers: int | None = None, force: bool = False,
               pseudonymiser: bool = False, notebooks_dir: str | os.PathLike | None = None,
               progress: bool = True, kernel_name: str = KERNEL_NAME) -> BatchResult:
    """Validate a corpus, then execute and render every notebook for every territory.

    Parameters
    ----------
    data : str or PathLike, optional
        Corpus folder or ``.xlsx`` workbook (default: the embedded corpus).
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
        Pass ``pseudonymiser=True`` to every notebook (persons' names replaced).
    notebooks_dir : str or PathLike, optional
        Folder of the ``*.ipynb`` to run (default: the repository's ``notebooks/``).
    progress : bool
        Show a progress bar on stderr naming the jobs running.
    kernel_name : str
        Jupyter kernel used for every notebook.

    Returns
    -------
    BatchResult
        Jobs done, failed (with their cell and error) and skipped; ``ok`` is False
        when any failed.

    Raises
    ------
    ParameterError
        An invalid or unknown territory identifier, or ``workers < 1``.
    CorpusError
        The corpus is invalid (``problems`` lists why); nothing is written.
    MesraError
        No notebook to run, or another batch is writing to ``out``.
    """
    from tqdm import tqdm

    from .corpus import load_corpus

    started = time.perf_counter()
    if territoires is not None:
        territoires = _check_territory_ids(list(territoires))
    if workers is not None and (not isinstance(workers, int) or workers < 1):
        raise ParameterError(f"Nombre de processus invalide : {workers!r} ; donnez un entier ≥ 1 "
                             "(--workers 2), ou rien pour utiliser tous les cœurs.")
    nb_dir = Path(notebooks_dir) if notebooks_dir is not None else default_notebooks_dir()
    notebooks = sorted(p for p in nb_dir.glob("*.ipynb") if not p.name.startswith((".", "_")))
    if not notebooks:
        raise MesraError(f"Aucun carnet (.ipynb) dans {nb_dir} : lancez la commande depuis le dépôt mesra "
                         "ou indiquez le dossier des carnets.")
    corpus = load_corpus(data or None)  # validates: CorpusError, nothing written
    known = set(corpus.territoires["territoire_id"])
    if territoires is None:
        territoires = default_territories(corpus)
    else:
        unknown = [t for t in territoires if t not in known]
        if unknown:
            raise ParameterError(
                f"Territoire(s) inconnu(s) : {', '.join(unknown)}. Les identifiants sont ceux de la "
                "géographie de référence (ex. occitanie, cote-d-or, fr) ou de territoires.csv.")
    data_param = str(Path(data).resolve()) if data else ""
    out = Path(out).resolve()
    jobs = _plan(corpus, territoires, notebooks, data_param=data_param, pseudonymiser=pseudonymiser,
                 out=out, kernel_name=kernel_name)

    out.mkdir(parents=True, exist_ok=True)
    result = BatchResult(out=out, index=None, corpus_hash=corpus.hash)
    with _locked(out):
        _clean_leftovers(out)
        state = _read_state(out)
        todo = [j for j in jobs if force or not _up_to_date(state["jobs"].get(j.ident), j, out)]
        running = {j.ident for j in todo}
        result.skipped = [j for j in jobs if j.ident not in running]
        n_workers = min(workers or os.cpu_count() or 1, max(1, len(todo)))
        bar = tqdm(total=len(todo), desc="Notes", unit="carnet", file=sys.stderr, disable=not progress,
                   dynamic_ncols=True)

        def on_result(res: JobResult) -> None:
            (result.done if res.ok else result.failed).append(res)
            _record(state, res, out, corpus.hash)
            atomic_write_json(out / STATE_FILE, state)
            if not res.ok:
                bar.write(f"échec : {res.describe_failure()}", file=sys.stderr)
            bar.update(1)

        try:
            if todo:
                _run_jobs(todo, n_workers, on_result, bar)
        finally:
            bar.close()
            label = str(Path(data).resolve()) if data else "intégré"
            result.index = _write_index(out, state, corpus, label)
            shutil.rmtree(out / _TMP_DIR, ignore_errors=True)
    result.seconds = time.perf_counter() - started
    return result


# --- command line -------------------------------------------------------------------------
def cli_briefs(args) -> int:
    """``mesra briefs``: exit 0 when every job succeeded, 1 otherwise."""
    previous = signal.getsignal(signal.SIGTERM)

    def _terminate(signum, frame):
        raise KeyboardInterrupt

    with contextlib.suppress(ValueError):  # not in the main thread
        signal.signal(signal.SIGTERM, _terminate)
    try:
        result = run_briefs(
            data=args.data, out=args.out, territoires=args.territoire, workers=args.workers,
            force=args.force, pseudonymiser=args.pseudonymiser,
            notebooks_dir=getattr(args, "carnets", None),
        )
    except CorpusError as exc:
        for problem in exc.problems:
            print(problem)
        print(f"{len(exc.problems)} problème(s) dans le corpus : aucune note produite. "
              "Corrigez-les (mesra check) puis relancez.")
        return 1
    finally:
        with contextlib.suppress(ValueError, TypeError):
            signal.signal(signal.SIGTERM, previous)
    print(result.summary())
    return 0 if result.ok else 1
