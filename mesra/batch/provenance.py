"""What produced a page: the block that heads every researchers' page (with code).

A reviewer reads there the mesra version and commit, the corpus fingerprint (whole), the
parameters in force (the reference date included: an empty ``date_reference`` means the day the
page was computed, which is written out) and the command that reproduces the page from the
project's root folder (``papermill --engine mesra …``, every parameter pinned).
"""

from __future__ import annotations

import contextlib
import datetime
import shlex
import subprocess
from functools import lru_cache
from pathlib import Path

from mesra import __version__
from mesra.batch.jobs import Job
from mesra.files import PROJECT_ROOT, project_relative

__all__ = ["mesra_commit", "provenance_markdown", "with_provenance"]

#: The notebook parameter of the reference date ("" = the day of the run).
DATE_PARAMETER = "date_reference"


@lru_cache(maxsize=1)
def mesra_commit() -> str:
    """The commit of the mesra checkout (12 characters, ``+modifié`` when files differ), or ``""``."""
    if not (PROJECT_ROOT / ".git").exists():
        return ""
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        head = subprocess.run(
            ["git", "-C", str(PROJECT_ROOT), "rev-parse", "--short=12", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
        )
        if head.returncode != 0:
            return ""
        dirty = subprocess.run(
            ["git", "-C", str(PROJECT_ROOT), "status", "--porcelain", "-uno", "--", "mesra", "notebooks"],
            capture_output=True,
            text=True,
            timeout=10,
        )
        return head.stdout.strip() + (" +modifié" if dirty.stdout.strip() else "")
    return ""


def _parameters(job: Job, declared: set[str], today: str) -> dict[str, object]:
    params = {k: v for k, v in job.parameters.items() if k != "note_precedente"}
    if DATE_PARAMETER in declared and not params.get(DATE_PARAMETER):
        params[DATE_PARAMETER] = today
    return params


def _command(job: Job, params: dict[str, object]) -> str:
    words = ["papermill", "--engine", "mesra", project_relative(job.notebook), f"{job.stem}.ipynb"]
    for key, value in params.items():
        words += ["-p", key, str(value) if not isinstance(value, str) else value]
    return " ".join(shlex.quote(w) for w in words)


def provenance_markdown(job: Job, declared: set[str], *, today: str | None = None) -> str:
    """The French block (Markdown) saying what produced the job's page."""
    today = today or datetime.date.today().isoformat()
    params = _parameters(job, declared, today)
    commit = mesra_commit()
    shown = []
    for key, value in params.items():
        text = "non" if value is False else "oui" if value is True else (value or "« » (corpus intégré)")
        if key == DATE_PARAMETER and not job.parameters.get(DATE_PARAMETER):
            text = f"{value} (le jour du calcul)"
        shown.append(f"`{key}` = {text}")
    lines = [
        "### D'où vient cette page",
        "",
        f"- **mesra** {__version__}" + (f", commit `{commit}`" if commit else " (commit inconnu : paquet installé)"),
        f"- **Corpus** : empreinte SHA-256 `{job.corpus}`" if job.corpus else "- **Corpus** : empreinte inconnue",
        "- **Paramètres** : " + " ; ".join(shown),
        f"- **Pour reproduire cette page**, depuis le dossier du projet : `{_command(job, params)}`",
    ]
    return "\n".join(lines)


def with_provenance(nb, job: Job):
    """A copy of the executed notebook ``nb`` headed by its provenance block (for the page with code)."""
    import nbformat

    from mesra.batch.plan import _notebook_parameters

    copy = nbformat.from_dict(nb)
    declared = _notebook_parameters(Path(job.notebook))
    cell = nbformat.v4.new_markdown_cell(provenance_markdown(job, declared))
    if "id" in cell:
        cell["id"] = "mesra-provenance"  # fixed: the same page for the same inputs
    first = copy.cells[0] if copy.cells else None
    titled = first is not None and first.cell_type == "markdown" and str(first.source).lstrip().startswith("# ")
    copy.cells.insert(1 if titled else 0, cell)  # under the notebook's title, above everything else
    return copy
