"""The output folder: its lock, the incremental state file, leftovers of interrupted runs."""

from __future__ import annotations

import contextlib
import json
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

from mesra.batch.jobs import (
    LOCK_FILE,
    OVERVIEW_FOLDER,
    STATE_FILE,
    STATE_VERSION,
    TERRITORY_FOLDER,
    TMP_DIR,
    Job,
    JobResult,
)
from mesra.errors import MesraError
from mesra.files import TEMP_SUFFIX


# --- output folder: lock, state, leftovers -----------------------------------------------
@contextlib.contextmanager
def locked(out: Path):
    path = out / LOCK_FILE
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
                raise MesraError(
                    f"Une autre production de notes est en cours dans {out} ; attendez "
                    "qu’elle se termine ou choisissez un autre dossier (--out)."
                ) from None
        yield
    finally:
        fh.close()


def clean_leftovers(out: Path) -> None:
    """Remove what an interrupted (killed) run left: staging folders and temporary files."""
    shutil.rmtree(out / TMP_DIR, ignore_errors=True)
    for folder in (out, out / OVERVIEW_FOLDER, out / TERRITORY_FOLDER):
        if not folder.is_dir():
            continue
        candidates = folder.rglob(f".*{TEMP_SUFFIX}") if folder != out else folder.glob(f".*{TEMP_SUFFIX}")
        for p in candidates:
            with contextlib.suppress(OSError):
                if p.is_file():
                    p.unlink()


def read_state(out: Path) -> dict[str, Any]:
    path = out / STATE_FILE
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"version": STATE_VERSION, "jobs": {}}
    if not isinstance(state, dict) or state.get("version") != STATE_VERSION or not isinstance(state.get("jobs"), dict):
        return {"version": STATE_VERSION, "jobs": {}}
    return state


def safe_relative(out: Path, rel: str) -> Path | None:
    p = (out / rel).resolve()
    return p if out.resolve() in p.parents else None


def up_to_date(entry: dict[str, Any] | None, job: Job, out: Path) -> bool:
    if not entry or entry.get("cle") != job.key or entry.get("echec") or not entry.get("fichiers"):
        return False
    return all((p := safe_relative(out, f)) is not None and p.is_file() for f in entry["fichiers"])


def record(state: dict[str, Any], result: JobResult, out: Path, corpus_hash: str) -> None:
    job = result.job
    entry = state["jobs"].get(job.ident, {})
    now = datetime.now().astimezone().isoformat(timespec="seconds")
    if result.ok:
        for old in set(entry.get("fichiers", [])) - set(result.files):
            p = safe_relative(out, old)
            if p is not None:
                with contextlib.suppress(OSError):
                    p.unlink()
        for old in entry.get("echec", {}).get("fichiers", []):
            p = safe_relative(out, old)
            if p is not None:
                with contextlib.suppress(OSError):
                    p.unlink()
        state["jobs"][job.ident] = {
            "carnet": job.stem,
            "titre": job.title,
            "territoire": job.territoire,
            "cle": job.key,
            "corpus": corpus_hash,
            "parametres": job.parameters,
            "fichiers": result.files,
            "date": now,
            "secondes": round(result.seconds, 2),
        }
    else:
        entry = dict(entry) or {"carnet": job.stem, "titre": job.title, "territoire": job.territoire, "fichiers": []}
        entry["echec"] = {
            "date": now,
            "erreur": result.error,
            "cellule": result.cell_number,
            "source": result.cell_first_line,
            "fichiers": result.error_files,
            "parametres": job.parameters,
        }
        state["jobs"][job.ident] = entry
