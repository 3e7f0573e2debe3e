"""The output folder: its lock, recovery after a crash, the state file, and disk errors."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

from mesra.batch.jobs import LOCK_FILE, OVERVIEW_FOLDER, STATE_FILE, STATE_VERSION, TERRITORY_FOLDER, TMP_DIR, JobResult
from mesra.batch.manifest import (
    PARTS,
    inside,
    manifest_path,
    named_files,
    public_parameters,
    public_text,
    read_manifest,
    scan,
    scan_jobs,
)
from mesra.errors import MesraError
from mesra.files import TEMP_SUFFIX, atomic_write_json


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


def _remove(out: Path, names: set[str], state: dict[str, Any], moved: list | None) -> None:
    """Remove the files mesra made; move those modified since publication aside (:mod:`~mesra.batch.guard`)."""
    from mesra.batch.guard import keep_or_discard, output_records

    rels = {str(rel) for rel in names if inside(out, str(rel)) is not None}
    rels = {rel for rel in rels if (out / rel).is_file() or (out / rel).is_symlink()}
    if not rels:  # nothing to remove: the manifests are not read again
        return
    keep_or_discard(out, rels, output_records(out, state), moved if moved is not None else [])


def _state_files(entry: Any) -> set[str]:
    if not isinstance(entry, dict):
        return set()
    failure = entry.get("echec") if isinstance(entry.get("echec"), dict) else {}
    return {str(f) for f in [*(entry.get("fichiers") or []), *(failure.get("fichiers") or [])]}


def recover(
    out: Path,
    state: dict[str, Any],
    moved: list | None = None,
    *,
    known: dict[str, dict[str, Any]] | None = None,
    ran=(),
) -> dict[str, dict[str, Any]]:
    """Make the output folder trustworthy again after a crash; return the valid manifests by job.

    Every file that mesra wrote (named by a manifest, by an interrupted publication or
    by the state file) and that no valid manifest vouches for is removed: a page
    replaced by a process that outlived its batch, a run killed halfway through
    publishing, a file edited by hand. Files mesra never wrote are left alone. The
    state file keeps the jobs that still have files, and the failures that left none.

    ``known``: the valid manifests this batch already read (this function's result, under the
    same lock), and ``ran``: the jobs that ran since; only the manifests of ``ran`` are read
    again and their files checked (the others were checked already), so that the end of a run
    costs what its jobs published, not what the folder holds.
    """
    if known is None:
        scanned = scan(out)
        fresh = set(scanned)
    else:
        ran = set(ran)
        scanned = {
            ident: (
                manifest_path(out, *ident.rsplit("/", 1)),
                dict(valid, en_cours=None, nommes=sorted(named_files(valid))),
            )
            for ident, valid in known.items()
            if ident not in ran
        }
        again = scan_jobs(out, ran)
        scanned.update(again)
        fresh = set(again)
    vouched: set[str] = set()
    for _, checked in scanned.values():
        for kind in PARTS:
            vouched |= set((checked.get(kind) or {}).get("fichiers", {}))
    named = set().union(*(set(checked["nommes"]) for _, checked in scanned.values()))
    named |= set().union(*(_state_files(e) for e in state["jobs"].values()))
    _remove(out, named - vouched, state, moved)
    valid: dict[str, dict[str, Any]] = {}
    for ident, (path, checked) in scanned.items():
        if not any(checked.get(kind) for kind in PARTS):
            with contextlib.suppress(OSError):
                path.unlink()
            continue
        kept = {k: v for k, v in checked.items() if k not in ("en_cours", "nommes")}
        if ident in fresh and read_manifest(path) != kept:
            atomic_write_json(path, kept)
        valid[ident] = kept
    state["jobs"] = {
        ident: entry
        for ident, entry in state["jobs"].items()
        if ident in valid or (isinstance(entry, dict) and entry.get("echec") and not _state_files(entry))
    }  # a failure that left no file is still worth telling
    return valid


def record(state: dict[str, Any], result: JobResult, scan=None) -> None:
    """Note the run in the state file (a journal for people and tools: decisions read the manifests).

    ``scan``: the name scan of a pseudonymised run (paths and messages holding a name are masked).
    """
    job = result.job
    entry = dict(state["jobs"].get(job.ident) or {})
    now = datetime.now().astimezone().isoformat(timespec="seconds")
    entry.update({"carnet": job.stem, "titre": job.title, "territoire": job.territoire})
    if result.ok:
        entry = {
            **entry,
            "cle": job.key,
            "corpus": job.corpus,
            "parametres": public_parameters(job, scan),
            "fichiers": result.files,
            "date": now,
            "secondes": round(result.seconds, 2),
        }
        entry.pop("echec", None)
    else:
        entry["echec"] = {
            "date": now,
            "erreur": public_text(result.error, scan),
            "cellule": result.cell_number,
            "source": public_text(result.cell_first_line, scan),
            "fichiers": result.error_files,
            "parametres": public_parameters(job, scan),
        }
    state["jobs"][job.ident] = entry


# --- the output disk --------------------------------------------------------------------------
#: Failures of the disk itself, whatever the file.
_DISK_WIDE = {getattr(errno, n) for n in ("ENOSPC", "EDQUOT", "EROFS", "EIO") if hasattr(errno, n)}
#: Failures that concern the output folder when they name a path inside it.
_FOLDER = {errno.EACCES, errno.EPERM, errno.ENOENT, errno.ENOTDIR, errno.EEXIST}
_REASONS = {
    errno.ENOSPC: "le disque est plein",
    getattr(errno, "EDQUOT", -1): "votre quota d’espace disque est atteint",
    errno.EROFS: "le disque est en lecture seule",
    errno.EIO: "le disque signale une erreur de lecture ou d’écriture (disque retiré ?)",
    errno.EACCES: "vous n’avez pas le droit d’y écrire",
    errno.EPERM: "vous n’avez pas le droit d’y écrire",
    errno.ENOENT: "le dossier a disparu pendant l’exécution (disque retiré ?)",
    errno.ENOTDIR: "un élément de ce chemin est un fichier, pas un dossier",
    errno.EEXIST: "un fichier porte déjà ce nom",
}


def is_disk_error(exc: BaseException, out: Path) -> bool:
    """Whether ``exc`` is a failure of the output disk or folder rather than of one notebook."""
    if not isinstance(exc, OSError) or exc.errno is None:
        return False
    if exc.errno in _DISK_WIDE:
        return True
    if exc.errno not in _FOLDER or exc.filename is None:
        return False
    with contextlib.suppress(OSError, TypeError, ValueError):
        target = Path(os.fsdecode(exc.filename)).resolve()
        return target == out.resolve() or out.resolve() in target.parents or target in out.resolve().parents
    return False


def output_error(code: int | None, out: Path) -> MesraError:
    """The French error for a failed write in the output folder ``out`` (``code``: an errno)."""
    reason = _REASONS.get(code) or (os.strerror(code) if code else "erreur d’écriture")
    full = code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1))
    advice = "libérez de la place ou choisissez" if full else "choisissez"
    return MesraError(
        f"Impossible d’écrire les notes dans le dossier {out} : {reason}. Vérifiez ce dossier, {advice} "
        "un autre dossier (--out), puis relancez. Aucun fichier n’est à moitié écrit : les notes déjà "
        "publiées sont complètes, les autres seront produites à la prochaine exécution."
    )
