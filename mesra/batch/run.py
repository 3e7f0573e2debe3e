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

import os
import shutil
import sys
import time
from pathlib import Path

from mesra.batch.index import write_index
from mesra.batch.jobs import KERNEL_NAME, STATE_FILE, TMP_DIR, BatchResult, JobResult
from mesra.batch.plan import check_territory_ids, default_notebooks_dir, default_territories, plan_jobs
from mesra.batch.pool import run_jobs
from mesra.batch.state import clean_leftovers, locked, read_state, record, up_to_date
from mesra.errors import MesraError, ParameterError
from mesra.files import atomic_write_json

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
) -> BatchResult:
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

    from mesra.corpus.load import load_corpus

    started = time.perf_counter()
    if territoires is not None:
        territoires = check_territory_ids(list(territoires))
    if workers is not None and (not isinstance(workers, int) or workers < 1):
        raise ParameterError(
            f"Nombre de processus invalide : {workers!r} ; donnez un entier ≥ 1 "
            "(--workers 2), ou rien pour utiliser tous les cœurs."
        )
    nb_dir = Path(notebooks_dir) if notebooks_dir is not None else default_notebooks_dir()
    notebooks = sorted(p for p in nb_dir.glob("*.ipynb") if not p.name.startswith((".", "_")))
    if not notebooks:
        raise MesraError(
            f"Aucun carnet (.ipynb) dans {nb_dir} : lancez la commande depuis le dépôt mesra "
            "ou indiquez le dossier des carnets (--carnets DOSSIER)."
        )
    corpus = load_corpus(data or None)  # validates: CorpusError, nothing written
    known = set(corpus.territoires["territoire_id"])
    if territoires is None:
        territoires = default_territories(corpus)
    else:
        unknown = [t for t in territoires if t not in known]
        if unknown:
            raise ParameterError(
                f"Territoire(s) inconnu(s) : {', '.join(unknown)}. Les identifiants sont ceux de la "
                "géographie de référence (ex. occitanie, cote-d-or, fr) ou de territoires.csv."
            )
    data_param = str(Path(data).resolve()) if data else ""
    out = Path(out).resolve()
    jobs = plan_jobs(
        corpus,
        territoires,
        notebooks,
        data_param=data_param,
        pseudonymiser=pseudonymiser,
        out=out,
        kernel_name=kernel_name,
    )

    out.mkdir(parents=True, exist_ok=True)
    result = BatchResult(out=out, index=None, corpus_hash=corpus.hash)
    with locked(out):
        clean_leftovers(out)
        state = read_state(out)
        todo = [j for j in jobs if force or not up_to_date(state["jobs"].get(j.ident), j, out)]
        running = {j.ident for j in todo}
        result.skipped = [j for j in jobs if j.ident not in running]
        n_workers = min(workers or os.cpu_count() or 1, max(1, len(todo)))
        bar = tqdm(
            total=len(todo), desc="Notes", unit="carnet", file=sys.stderr, disable=not progress, dynamic_ncols=True
        )

        def on_result(res: JobResult) -> None:
            (result.done if res.ok else result.failed).append(res)
            record(state, res, out, corpus.hash)
            atomic_write_json(out / STATE_FILE, state)
            if not res.ok:
                bar.write(f"échec : {res.describe_failure()}", file=sys.stderr)
            bar.update(1)

        try:
            if todo:
                run_jobs(todo, n_workers, on_result, bar)
        finally:
            bar.close()
            label = str(Path(data).resolve()) if data else "intégré"
            result.index = write_index(out, state, corpus, label)
            shutil.rmtree(out / TMP_DIR, ignore_errors=True)
    result.seconds = time.perf_counter() - started
    return result
