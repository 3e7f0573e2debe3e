"""What a batch may write in its output folder: only inside it, never over what people wrote.

* **Nothing written outside** ``--out``: the folder is resolved once (:func:`run_briefs`);
  before anything runs, every folder the jobs write to is checked (:func:`check_links`),
  and a symbolic link inside ``--out`` that leads out of it stops the batch with a French
  message naming it. A link at one of mesra's own working names (``.mesra-tmp``,
  ``.mesra-verrou``) is removed: it is not data, and writing through it would put the
  staging folder on another disk. Every publication checks its folder again
  (:func:`folder_inside`).
* **Nothing a person wrote is deleted silently**: before mesra replaces or removes a file
  it published, it checks that the file still holds what mesra made (the SHA-256 its
  manifest recorded, or a page stamped by another run of mesra). A page, notebook or
  export modified since publication (a cell added to a notebook, a column added to a
  CSV), or a file of someone else's at a name a job publishes, is moved to
  ``OUT/sauvegardes/<date-heure>/<same path>`` first (:func:`set_aside`); the batch
  summary lists it.
* **A pseudonymised run keeps no copy of a real name**: it refuses an output folder where a
  set-aside copy holds a person's name, or where it would set aside a plain page edited by hand
  (:func:`refuse_plain_neighbours`). Plain pages it redoes are replaced; those it does not redo
  stay, and the index says the folder mixes both.
* **Two notebooks never publish the same file**: a job that would publish a file another
  notebook's manifest names in the same folder fails before publishing anything
  (:func:`collisions`), with a French message naming both notebooks; the other
  notebook's pages stay.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from mesra.batch.jobs import LOCK_FILE, MANIFEST_SUFFIX, TMP_DIR, Job
from mesra.batch.manifest import PARTS, _stamp_of, manifest_path, read_manifest
from mesra.errors import MesraError
from mesra.files import TEMP_SUFFIX

#: Where files modified since their publication are moved before mesra replaces them.
BACKUP_FOLDER = "sauvegardes"
#: mesra's own working names at the top of the output folder (a link there is removed).
_OWN_NAMES = (TMP_DIR, LOCK_FILE)


# --- a pseudonymised run in a folder of plain pages ------------------------------------------
def _plain_edited(out: Path, idents: set[str]) -> list[str]:
    """Files of the jobs ``idents`` published without pseudonymisation and modified since (kept aside if replaced)."""
    from mesra.batch.manifest import scan as scan_manifests

    found, edited = output_records(out), []
    for ident, (path, _) in scan_manifests(out).items():
        if ident not in idents:
            continue
        raw = read_manifest(path) or {}  # as written: a part whose files were edited is no longer "valid"
        for kind in PARTS:
            part = raw.get(kind)
            if not isinstance(part, dict) or (part.get("parametres") or {}).get("pseudonymiser") is True:
                continue
            for rel in sorted(str(f) for f in part.get("fichiers") or {}):
                if not made_by_mesra(out, rel, found.get(rel)):
                    edited.append(rel)
    return edited


def _files_with_names(out: Path, folder: str, scan, made: dict | None = None) -> list[str]:
    """Files under ``out/folder`` whose name or content holds a person's name form (those in ``made`` with
    the recorded SHA-256 excepted: mesra replaces them without keeping a copy)."""
    root = out / folder
    if root.is_symlink() or not root.is_dir():
        return []
    found = []
    for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink()):
        data = path.read_bytes()
        if made is not None and made.get(path.relative_to(root).as_posix()) == _sha256(data):
            continue
        rel = path.relative_to(out).as_posix()
        if scan.find_in_file(rel, data) is not None:
            found.append(rel)
    return found


def refuse_plain_neighbours(out: Path, scan, idents=(), *, site_folder: str = "ressources", site_made=None) -> None:
    """Raise when a pseudonymised run would leave real names inside ``out`` where nothing warns of them.

    A plain page the run replaces is discarded, and the index warns of plain pages the run does not
    redo; but a set-aside copy is kept silently. So the run refuses ``out`` when ``sauvegardes/``
    already holds a file with a person's name form (``scan``, the run's
    :class:`~mesra.corpus.privacy.NameScan`), when a job it redoes (``idents``) has plain files
    modified by hand (they would be set aside, names and all), or when a resource page it replaces
    was modified and holds a name (``site_made``: the site manifest's SHA-256 by page). The message
    names files, never a name; nothing is written.
    """
    if not out.is_dir():
        return
    left = (
        _files_with_names(out, BACKUP_FOLDER, scan)
        + _plain_edited(out, set(idents))
        + _files_with_names(out, site_folder, scan, site_made or {})
    )
    if not left:
        return
    shown = ", ".join(f"« {p} »" for p in left[:3]) + (f" et {len(left) - 3} autres" if len(left) > 3 else "")
    raise MesraError(
        f"Le dossier de sortie « {out} » contient des fichiers où figurent de vrais noms de personnes et "
        f"qu’un lot pseudonymisé garderait de côté dans ce même dossier ({shown}) : copies mises de côté "
        "(sauvegardes), ou pages produites sans --pseudonymiser puis modifiées à la main. Déplacez-les hors "
        "de ce dossier, ou choisissez un autre dossier (--out). Rien n’a été écrit."
    )


# --- links -------------------------------------------------------------------------------------
def _leaves(out: Path, path: Path) -> Path | None:
    """The first existing component of ``path`` below ``out`` that resolves outside ``out``, if any."""
    root = out.resolve()
    current = out
    for part in path.relative_to(out).parts:
        current = current / part
        if not current.is_symlink() and not current.exists():
            return None  # what is missing is created as a real folder, inside
        try:
            target = current.resolve()
        except (OSError, RuntimeError):  # a loop of links
            return current
        if target != root and root not in target.parents:
            return current
    return None


def link_error(out: Path, link: Path) -> MesraError:
    try:
        target = os.readlink(link)
    except OSError:
        target = "?"
    return MesraError(
        f"« {link} » est un lien symbolique qui mène hors du dossier de sortie {out} (vers {target}) : "
        "mesra n’écrit rien à travers un tel lien. Remplacez-le par un vrai dossier, ou choisissez "
        "directement le dossier visé avec --out, puis relancez."
    )


def folder_inside(out: Path, folder: Path) -> Path:
    """``folder`` (under ``out``) after checking that writing there stays inside ``out``."""
    bad = _leaves(out, folder)
    if bad is not None:
        raise link_error(out, bad)
    return folder


def check_links(out: Path, jobs: list[Job]) -> None:
    """Before a batch: no folder it writes to leads out of ``out`` (French error), mesra's own links removed."""
    for name in _OWN_NAMES:
        p = out / name
        if p.is_symlink():
            p.unlink()
    for folder in sorted({j.folder for j in jobs} | {BACKUP_FOLDER}):
        folder_inside(out, out / folder)


# --- what mesra made ------------------------------------------------------------------------------
@dataclass
class Record:
    """What mesra recorded of one published file: its hashes, and the keys of the runs that made it."""

    shas: set[str] = field(default_factory=set)
    keys: set[str] = field(default_factory=set)
    siblings: set[str] = field(default_factory=set)  # the other files of the same runs


def records(manifests: list[dict[str, Any]], state: dict[str, Any] | None = None) -> dict[str, Record]:
    """What the raw manifests (every part, valid or not) and the state file say of each file."""
    found: dict[str, Record] = {}

    def note(files, key, shas=None) -> None:
        names = {str(f) for f in files}
        for rel in names:
            rec = found.setdefault(rel, Record())
            if shas is not None and isinstance(shas.get(rel), str):
                rec.shas.add(shas[rel])
            if key:
                rec.keys.add(str(key))
            rec.siblings |= names - {rel}

    for manifest in manifests:
        for kind in PARTS:
            part = manifest.get(kind)
            if isinstance(part, dict) and isinstance(part.get("fichiers"), dict):
                note(part["fichiers"], part.get("cle"), part["fichiers"])
        pending = manifest.get("en_cours") or []
        note(pending, None, pending if isinstance(pending, dict) else None)
    for entry in ((state or {}).get("jobs") or {}).values():
        if isinstance(entry, dict):
            note(entry.get("fichiers") or [], entry.get("cle"))
            failure = entry.get("echec") if isinstance(entry.get("echec"), dict) else {}
            note(failure.get("fichiers") or [], None)
    return found


def output_records(out: Path, state: dict[str, Any] | None = None) -> dict[str, Record]:
    """:func:`records` of every manifest of ``out``, as written, and of its state file."""
    from mesra.batch.manifest import job_folders

    manifests = []
    for folder in job_folders(out):
        for path in sorted(folder.glob(f".*{MANIFEST_SUFFIX}")):
            manifest = read_manifest(path)
            if manifest is not None:
                manifests.append(manifest)
    return records(manifests, state)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _stamp(path: Path) -> str | None:
    """The mesra key a page or notebook carries (``""``: a kind of file without one, ``None``: none)."""
    try:
        with open(path, "rb") as fh:
            data = fh.read() if path.suffix == ".ipynb" else fh.read(4096)
    except OSError:
        return None
    return _stamp_of(path, data)


def made_by_mesra(out: Path, rel: str, rec: Record | None) -> bool:
    """Whether ``out/rel`` holds what mesra made (so that replacing or removing it loses nothing).

    Its bytes are those mesra recorded; or it is a page or notebook stamped by another run
    of mesra (a worker that outlived its batch); or a file without stamp (an export) among
    such pages. A page or notebook still stamped with its own run's key but with other bytes
    was edited by someone.
    """
    path = out / rel
    if path.is_symlink() or not path.is_file():
        return True  # a link, or nothing: no data of anyone's is lost
    rec = rec or Record()
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    if h.hexdigest() in rec.shas:
        return True
    stamp = _stamp(path)
    if stamp:
        return stamp not in rec.keys
    if stamp == "":
        return any((s := _stamp(out / sib)) and s not in rec.keys for sib in rec.siblings if (out / sib).is_file())
    return False


_names_lock = threading.Lock()


def set_aside(out: Path, rel: str, moved: list[tuple[str, str]]) -> None:
    """Move ``out/rel`` to ``out/sauvegardes/<date-heure>/rel``; note it in ``moved``."""
    stamp = datetime.now().strftime("%Y-%m-%d_%H-%M-%S")
    with _names_lock:
        target, n = out / BACKUP_FOLDER / stamp / rel, 2
        while target.exists() or target.is_symlink():
            target, n = out / BACKUP_FOLDER / f"{stamp}-{n}" / rel, n + 1
        folder_inside(out, target.parent)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(out / rel, target)
    moved.append((rel, target.relative_to(out).as_posix()))


def keep_or_discard(out: Path, rels, found: dict[str, Record], moved: list[tuple[str, str]]) -> None:
    """Remove the files ``rels`` mesra made; move the others aside (see :func:`made_by_mesra`)."""
    for rel in sorted(rels):
        p = out / rel
        if not (p.is_file() or p.is_symlink()):
            continue
        with contextlib.suppress(OSError):
            if made_by_mesra(out, rel, found.get(rel)):
                p.unlink()
            else:
                set_aside(out, rel, moved)


# --- two notebooks, one file -------------------------------------------------------------------------
def collisions(out: Path, job: Job, rels: list[str]) -> dict[str, str]:
    """The files of ``rels`` that another notebook's manifest in the job's folder names, with that notebook."""
    own = manifest_path(out, job.folder, job.stem)
    taken: dict[str, str] = {}
    for path in sorted((out / job.folder).glob(f".*{MANIFEST_SUFFIX}")):
        if path == own:
            continue
        manifest = read_manifest(path) or {}
        names = {str(f) for f in manifest.get("en_cours") or []}
        for kind in PARTS:
            names |= set((manifest.get(kind) or {}).get("fichiers", {}))
        stem = path.name[1 : -len(MANIFEST_SUFFIX)]
        for rel in rels:
            if rel in names:
                taken.setdefault(rel, stem)
    for rel in rels:
        name = rel.rsplit("/", 1)[-1]
        if name.startswith(".") and name.endswith((MANIFEST_SUFFIX, TEMP_SUFFIX)):
            taken.setdefault(rel, "")  # mesra's own names (manifests, temporary files)
    return taken


def collision_error(job: Job, taken: dict[str, str]) -> MesraError:
    rel, other = next(iter(sorted(taken.items())))
    name = rel.rsplit("/", 1)[-1]
    more = f" (et {len(taken) - 1} autre(s) fichier(s))" if len(taken) > 1 else ""
    if not other:
        return MesraError(
            f"le carnet exporte « {name} »{more}, un nom réservé à mesra (fichier caché) : "
            "renommez cet export ; rien de ce carnet n’a été publié"
        )
    return MesraError(
        f"le carnet exporte « {name} »{more}, déjà publié dans {job.folder}/ par le carnet {other} : deux carnets "
        "ne peuvent pas publier un fichier du même nom au même endroit. Renommez l’export de l’un des deux "
        f"(par exemple en y mettant le nom du carnet : {job.stem}-{name}) ; rien de ce carnet n’a été publié, "
        f"les notes de {other} sont conservées"
    )


@contextlib.contextmanager
def publishing(out: Path):
    """One publication at a time in ``out`` (workers are processes: a lock file in the staging folder)."""
    with _publish_lock:
        folder = out / TMP_DIR
        folder.mkdir(parents=True, exist_ok=True)
        fh = open(folder / ".publication", "a+")  # noqa: SIM115 - held for the publication
        try:
            try:
                import fcntl
            except ImportError:  # pragma: no cover - Windows
                fcntl = None
            if fcntl is not None:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
            yield
        finally:
            fh.close()


_publish_lock = threading.Lock()
