"""One job, in a worker process: execute the notebook, render it, publish its files atomically."""

from __future__ import annotations

import shutil
import signal
import tempfile
import time
from pathlib import Path

from mesra import __version__
from mesra.batch.jobs import TMP_DIR, Job, JobResult
from mesra.files import publish


# --- one job (runs in a worker process) -------------------------------------------------
def worker_init() -> None:
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


def shorten(text: str, limit: int = 300) -> str:
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
    nb.metadata["mesra"] = {
        "version": __version__,
        "territoire": job.territoire,
        "parametres": dict(job.parameters),
        "cle": job.key,
    }


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
    tmp_root = Path(job.out) / TMP_DIR
    tmp_root.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(dir=tmp_root, prefix=f"{job.ident.replace('/', '--')}-"))
    result = JobResult(job, ok=False)
    try:
        nb_path = stage / f"{job.stem}.ipynb"
        failure: PapermillExecutionError | None = None
        try:
            papermill.execute_notebook(
                job.notebook,
                str(nb_path),
                parameters=dict(job.parameters),
                kernel_name=job.kernel_name,
                cwd=str(stage),
                progress_bar=False,
                log_output=False,
                request_save_on_cell_execute=False,
                start_timeout=120,
                extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
            )
        except PapermillExecutionError as exc:
            failure = exc
        except Exception as exc:  # noqa: BLE001 - no such kernel, dead kernel, unreadable notebook…
            result.error = shorten(f"{type(exc).__name__}: {exc}")
        if result.error is not None and failure is None:
            result.seconds = time.perf_counter() - started
            return result
        return _finish(job, result, stage, nb_path, failure, started)
    except Exception as exc:  # noqa: BLE001 - rendering or publishing failed: a failure, not a crash
        result.ok = False
        result.cell_number = None
        result.cell_first_line = "pendant le rendu HTML ou l’écriture des fichiers"
        result.error = shorten(f"{type(exc).__name__}: {exc}")
        result.seconds = time.perf_counter() - started
        return result
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _finish(job: Job, result: JobResult, stage: Path, nb_path: Path, failure, started: float) -> JobResult:
    """Render the executed notebook in ``stage`` and publish its files (or the failure's)."""
    import nbformat

    from mesra.batch.render import render_notebook

    final_dir = Path(job.out) / job.folder
    nb = nbformat.read(nb_path, as_version=4)
    title = job.title if job.territoire is None else f"{job.title} — {job.place or job.label}"
    if failure is not None:
        result.cell_number = _source_cell_number(job, failure.cell_index)
        result.cell_first_line = (
            _first_line(failure.source)
            if result.cell_number is not None
            else "cellule des paramètres injectés par Papermill"
        )
        result.error = shorten(f"{failure.ename}: {failure.evalue}")
        err_ipynb = stage / f"{job.stem}.erreur.ipynb"
        err_html = stage / f"{job.stem}.erreur.html"
        _stamp(nb, job, final_dir / err_ipynb.name)
        nbformat.write(nb, err_ipynb)
        err_html.write_text(render_notebook(nb, code=True, base_dir=stage, title=f"Échec : {title}"), encoding="utf-8")
        for p in (err_ipynb, err_html):
            publish(p, final_dir / p.name)
            result.error_files.append(f"{job.folder}/{p.name}")
        result.seconds = time.perf_counter() - started
        return result
    _stamp(nb, job, final_dir / nb_path.name)
    nbformat.write(nb, nb_path)
    (stage / f"{job.stem}.html").write_text(
        render_notebook(nb, code=False, base_dir=stage, title=title), encoding="utf-8"
    )
    (stage / f"{job.stem}.code.html").write_text(
        render_notebook(nb, code=True, base_dir=stage, title=title), encoding="utf-8"
    )
    files = _stage_files(stage)
    files.sort(key=lambda p: (p.name == nb_path.name, p.suffix == ".html", str(p)))
    for p in files:  # exports, then the pages, then the executed notebook
        rel = p.relative_to(stage).as_posix()
        publish(p, final_dir / rel)
        result.files.append(f"{job.folder}/{rel}")
    result.ok = True
    result.seconds = time.perf_counter() - started
    return result
