"""Each job's manifest: what its published files are, read back from the files themselves.

A job's files are published one rename at a time, so a kill can stop it halfway, and a
process that outlived its batch could replace them later. The state file cannot vouch
for files it did not see being written; the manifest does, because it is checked
against the files' bytes. ``OUT/<folder>/.<stem>.mesra.json`` holds:

* ``rapport`` — the last good run: its key (hash of every input, pseudonymisation
  included), mesra version, parameters, corpus hash, and the SHA-256 of every file
  (pages, executed notebook, exports);
* ``echec`` — the last failed run, if it came after (its error page and notebook);
* ``en_cours`` — only while files are being published: their names, written *before*
  the first rename, so that a recovery knows every file an interrupted run may have
  left.

Beside each good note, ``.<stem>.faits.json`` keeps the facts the next note compares
with (the plan's state), with where the corpus came from (a hash, :func:`~mesra.corpus.privacy.origin_of`)
and whether names were pseudonymised: « Depuis la note précédente » compares only facts of
the same origin and the same pseudonymisation, never a page.

In a pseudonymised batch, the job's files are scanned before anything is published
(:class:`~mesra.corpus.privacy.NameScan`, read from the batch's temporary folder): paths
that hold a person's name are replaced (``dossier-masque``), and a file that still holds a
person's name form is not published — the job fails, saying which kind of form, never the name.

Publishing writes the intent, renames the files, then writes the manifest last (each
write atomic). A file whose bytes do not match its manifest, or an HTML page or
notebook whose stamp (``<meta name="mesra-cle">``, ``metadata.mesra.cle``) is not its
manifest's key, makes that part invalid: it is neither trusted as up to date nor
linked from the index, and :func:`~mesra.batch.state.recover` removes its files.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import json
import os
import re
from datetime import datetime
from pathlib import Path
from typing import Any

from mesra import __version__
from mesra.batch.jobs import MANIFEST_SUFFIX, OVERVIEW_FOLDER, TERRITORY_FOLDER, TMP_DIR, Job
from mesra.errors import MesraError
from mesra.files import PROJECT_ROOT, atomic_write_json, publish

MANIFEST_VERSION = 1
#: The facts a note compares with at the next run, beside it: ``.<stem>.faits.json``.
FACTS_SUFFIX = ".faits.json"
FACTS_VERSION = 1
#: The name scan of a pseudonymised batch, in ``OUT/.mesra-tmp`` while it runs (salted hashes only).
GUARD_FILE = "garde-des-noms.json"
PARTS = ("rapport", "echec")
_META_KEY = re.compile(rb'<meta name="mesra-cle" content="([0-9a-f]+)">')
_HEAD = re.compile(r"<head(\s[^>]*)?>", re.IGNORECASE)


# --- stamps: each page and notebook says what it was made from ----------------------------
def stamp_page(page: str, job: Job) -> str:
    """``page`` with ``<meta>`` tags naming the job's key, mesra version and pseudonymisation."""
    pseudo = "oui" if job.parameters.get("pseudonymiser") else "non"
    tags = (
        f'<meta name="mesra-cle" content="{html.escape(job.key, quote=True)}">\n'
        f'<meta name="mesra-version" content="{html.escape(__version__, quote=True)}">\n'
        f'<meta name="mesra-pseudonymiser" content="{pseudo}">\n'
    )
    head = _HEAD.search(page)  # at the top of the page: a check reads only the start
    return page[: head.end()] + "\n" + tags + page[head.end() :] if head else tags + page


def _stamp_of(path: Path, data: bytes) -> str | None:
    """The key a page or notebook carries (``""`` for other files, ``None`` when missing)."""
    if path.suffix == ".html":
        match = _META_KEY.search(data[:4096])
        return match.group(1).decode() if match else None
    if path.suffix == ".ipynb":
        try:
            return str(json.loads(data)["metadata"]["mesra"]["cle"])
        except (ValueError, KeyError, TypeError):
            return None
    return ""


# --- reading and checking ----------------------------------------------------------------
def manifest_path(out: Path, folder: str, stem: str) -> Path:
    return out / folder / f".{stem}{MANIFEST_SUFFIX}"


def job_folders(out: Path) -> list[Path]:
    """The folders that hold jobs' files: ``corpus/`` and ``territoires/<id>/``."""
    folders = [out / OVERVIEW_FOLDER] if (out / OVERVIEW_FOLDER).is_dir() else []
    territories = out / TERRITORY_FOLDER
    if territories.is_dir():
        folders += sorted(p for p in territories.iterdir() if p.is_dir() and not p.is_symlink())
    return folders


def inside(out: Path, rel: str) -> Path | None:
    """``out / rel`` when it stays inside ``out`` (a manifest or state file is data, not trusted).

    The last component is not resolved: a symbolic link is the link, not its target.
    """
    p = out / rel
    if p.name in ("", ".", ".."):
        return None
    try:
        parent, root = p.parent.resolve(), out.resolve()
    except (OSError, ValueError):
        return None
    return parent / p.name if parent == root or root in parent.parents else None


def read_manifest(path: Path) -> dict[str, Any] | None:
    """The manifest at ``path``, or ``None`` when it is missing or not one."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION:
        return None
    for kind in PARTS:
        part = data.get(kind)
        if part is not None and not (isinstance(part, dict) and isinstance(part.get("fichiers"), dict)):
            return None
    return data


def part_is_valid(out: Path, part: dict[str, Any] | None) -> bool:
    """Every file of ``part`` is there, with the bytes the manifest names and the part's stamp."""
    if not part or not part.get("fichiers"):
        return False
    for rel, sha in part["fichiers"].items():
        p = inside(out, rel)
        try:
            data = p.read_bytes() if p is not None and p.is_file() and not p.is_symlink() else None
        except OSError:
            data = None
        if data is None or hashlib.sha256(data).hexdigest() != sha:
            return False
        if _stamp_of(p, data) not in ("", part.get("cle")):
            return False
    return True


def named_files(manifest: dict[str, Any] | None) -> set[str]:
    """Every file a manifest names (both parts and an interrupted publication)."""
    if not manifest:
        return set()
    names = {str(f) for f in manifest.get("en_cours") or []}
    for kind in PARTS:
        names |= set((manifest.get(kind) or {}).get("fichiers", {}))
    return names


def scan(out: Path) -> dict[str, tuple[Path, dict[str, Any]]]:
    """Every manifest of ``out`` by job identifier, each with only its valid parts.

    A part that does not match its files is dropped (``None``), and so is
    ``en_cours``: what it named is not vouched for.
    """
    found: dict[str, tuple[Path, dict[str, Any]]] = {}
    for folder in job_folders(out):
        for path in sorted(folder.glob(f".*{MANIFEST_SUFFIX}")):
            stem = path.name[1 : -len(MANIFEST_SUFFIX)]
            found[f"{folder.relative_to(out).as_posix()}/{stem}"] = (path, _checked(out, path, stem))
    return found


def scan_jobs(out: Path, idents) -> dict[str, tuple[Path, dict[str, Any]]]:
    """:func:`scan` for the jobs ``idents`` alone (``corpus/01-corpus``…): those a run has just published.

    The other manifests of ``out`` are not read again (a batch reads each manifest once before its
    jobs run, and once more only for the jobs that ran: see :func:`mesra.batch.state.recover`).
    """
    found: dict[str, tuple[Path, dict[str, Any]]] = {}
    for ident in sorted(set(idents)):
        folder, _, stem = ident.rpartition("/")
        path = manifest_path(out, folder, stem)
        if folder and stem and path.is_file() and not path.is_symlink():
            found[ident] = (path, _checked(out, path, stem))
    return found


def _checked(out: Path, path: Path, stem: str) -> dict[str, Any]:
    """One manifest with only its valid parts (see :func:`scan`)."""
    manifest = read_manifest(path)
    if manifest is None or manifest.get("carnet") != stem:  # unreadable, or moved from elsewhere
        manifest = {"carnet": stem}
    checked = dict(manifest, en_cours=None, nommes=sorted(named_files(manifest)))
    for kind in PARTS:
        checked[kind] = manifest.get(kind) if part_is_valid(out, manifest.get(kind)) else None
    return checked


def redo_reasons(checked: dict[str, Any] | None, job: Job) -> list[str]:
    """Why ``job`` must run (French, :func:`mesra.batch.inputs.reasons`); empty when it is up to date."""
    from mesra.batch.inputs import reasons

    if is_up_to_date(checked, job):
        return []
    report = (checked or {}).get("rapport") or {}
    if not report:
        return ["pas encore produit"]
    if checked.get("echec") and report.get("cle") == job.key:
        return ["échec de la dernière exécution"]
    entrees = report.get("entrees")
    return reasons(entrees if isinstance(entrees, dict) else {"ancien": True}, job.inputs)


def is_up_to_date(checked: dict[str, Any] | None, job: Job) -> bool:
    """The job's last good files are there, intact, made from exactly these inputs, and no failure since."""
    if not checked:
        return False
    report = checked.get("rapport")
    return bool(report) and report.get("cle") == job.key and not checked.get("echec")


# --- publishing ------------------------------------------------------------------------------
def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


# --- pseudonymised runs: no path and no name in what is published -------------------------------
class PersonNameLeft(MesraError):
    """A file of a pseudonymised run still holds a person's name form: it is not published."""


_GUARDS: dict[str, tuple[float, Any]] = {}


def guard_for(job: Job):
    """The batch's :class:`~mesra.corpus.privacy.NameScan` for a pseudonymised job, else ``None``.

    Fails closed: a pseudonymised job whose batch wrote no scan publishes nothing.
    """
    if not job.parameters.get("pseudonymiser"):
        return None
    from mesra.corpus.privacy import NameScan

    path = Path(job.out) / TMP_DIR / GUARD_FILE
    try:
        mtime = path.stat().st_mtime
    except OSError:
        mtime = None
    cached = _GUARDS.get(str(path))
    if mtime is not None and cached is not None and cached[0] == mtime:
        return cached[1]
    scan = NameScan.load(path) if mtime is not None else None
    if scan is None:
        raise PersonNameLeft(
            "la liste des noms à vérifier de ce lot pseudonymisé est introuvable : rien n’est publié ; "
            "relancez la commande"
        )
    _GUARDS[str(path)] = (mtime, scan)
    return scan


def _path_candidates(job: Job) -> set[str]:
    """Every path a job's files may show: the output folder, the notebook, the corpus, the project, home."""
    from mesra.files import find_in_project

    paths = {job.out, job.notebook, str(PROJECT_ROOT), str(Path.home()), os.getcwd()}
    paths |= {str(v) for v in job.parameters.values() if isinstance(v, str) and v}
    data = job.parameters.get("data")
    if isinstance(data, str) and data:
        paths.add(str(find_in_project(data)))
    for p in list(paths):
        with contextlib.suppress(OSError, ValueError):
            paths.add(str(Path(p).resolve()))
    return {p for p in paths if len(p) > 1}


def path_replacements(job: Job, scan) -> list[tuple[str, str]]:
    """``(path as written, path masked)`` for every path of the job that holds a person's name, longest first."""
    pairs: dict[str, str] = {}
    for path in _path_candidates(job):
        masked = scan.scrub_path(path)
        if masked == path:
            continue
        pairs[path] = masked
        pairs[html.escape(path, quote=True)] = html.escape(masked, quote=True)
        for ascii_only in (True, False):
            pairs[json.dumps(path, ensure_ascii=ascii_only)[1:-1]] = json.dumps(masked, ensure_ascii=ascii_only)[1:-1]
    return sorted(pairs.items(), key=lambda kv: -len(kv[0]))


def public_parameters(job: Job, scan=None) -> dict[str, Any]:
    """The job's parameters as manifests and the state file show them (paths masked in a pseudonymised run)."""
    params = dict(job.parameters)
    if scan is None:
        return params
    return {k: (scan.scrub_path(v) if isinstance(v, str) else v) for k, v in params.items()}


def public_text(text: Any, scan) -> Any:
    """An error message as it may be published: without a name form in a pseudonymised run."""
    if scan is None or not isinstance(text, str) or not scan.find(text):
        return text
    return "message masqué : il contenait le nom d’une personne (voir la note d’échec)"


def _scrub_files(staged: list[tuple[str, Path]], pairs: list[tuple[str, str]]) -> None:
    """Replace the paths of ``pairs`` in every text file staged (before anything is hashed)."""
    if not pairs:
        return
    for _, path in staged:
        try:
            text = path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        new = text
        for old, masked in pairs:
            new = new.replace(old, masked)
        if new != text:
            path.write_bytes(new.encode("utf-8"))


def refuse_names(job: Job, staged: list[tuple[str, Path]], scan) -> None:
    """Raise :class:`PersonNameLeft` when a staged file (name or content) still holds a person's name form."""
    for rel, path in staged:
        kind = scan.find(rel)
        if kind is not None:
            raise PersonNameLeft(
                f"le nom d’un fichier produit par le carnet contient encore un nom de personne ({kind}) : "
                "la note n’est pas publiée ; les fichiers de la dernière exécution réussie sont conservés"
            )
        kind = scan.find_in_file(rel, path.read_bytes())
        if kind is not None:
            raise PersonNameLeft(
                f"« {rel} » contient encore un nom de personne ({kind}) alors que le lot est pseudonymisé : "
                "la note n’est pas publiée ; les fichiers de la dernière exécution réussie sont conservés"
            )


# --- facts beside each note ----------------------------------------------------------------
def facts_path(note: Path) -> Path:
    """Where the facts of the note ``note`` (its ``.ipynb``) are kept."""
    note = Path(note)
    return note.with_name(f".{note.stem}{FACTS_SUFFIX}")


def _facts(job: Job, staged: list[tuple[str, Path]]) -> list[tuple[str, Path]]:
    """``staged`` and, when the notebook recorded facts, the facts file beside it."""
    from mesra.corpus.privacy import origin_of

    note = next((p for rel, p in staged if rel == f"{job.stem}.ipynb"), None)
    if note is None:
        return staged
    from mesra.analysis.since import recorded_facts

    try:
        kept = recorded_facts(json.loads(note.read_bytes()))
    except (OSError, ValueError):
        kept = None
    if kept is None:
        return staged
    facts = {
        "version": FACTS_VERSION,
        "origine": origin_of(job.parameters.get("data") or None),
        "pseudonymise": bool(job.parameters.get("pseudonymiser")),
        "corpus": job.corpus,
        "territoire": job.territoire,
        "faits": kept,
    }
    target = facts_path(note)
    atomic_write_json(target, facts)
    return [*staged[:-1], (target.name, target), staged[-1]] if staged else [(target.name, target)]


def publish_part(job: Job, kind: str, staged: list[tuple[str, Path]], **details: Any) -> list[str]:
    """Publish the staged files as the job's ``kind`` (``rapport`` or ``echec``); return their paths.

    ``staged`` pairs each file's path relative to the job's folder with the finished
    file, in publishing order, on the output folder's file system. The intent is
    written first, the manifest last; a good run drops the last failure and every
    file of the previous runs it does not replace.
    """
    scan = guard_for(job)
    if kind == "rapport":
        staged = _facts(job, staged)
    if scan is not None:  # before anything is written: paths masked, then every file read for names
        _scrub_files(staged, path_replacements(job, scan))
        refuse_names(job, staged, scan)
        details = {k: public_text(v, scan) for k, v in details.items()}
    out = Path(job.out)
    path = manifest_path(out, job.folder, job.stem)
    path.parent.mkdir(parents=True, exist_ok=True)
    old = read_manifest(path) or {}
    rels = [f"{job.folder}/{name}" for name, _ in staged]
    part = {
        "cle": job.key,
        "mesra": __version__,
        "parametres": public_parameters(job, scan),
        "corpus": job.corpus,
        "donnees": job.data,
        "entrees": job.inputs,
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
        **details,
        "fichiers": {rel: _sha256(src) for rel, (_, src) in zip(rels, staged)},
    }
    new = {
        "version": MANIFEST_VERSION,
        "carnet": job.stem,
        "titre": job.title,
        "territoire": job.territoire,
        "rapport": old.get("rapport") if kind == "echec" else part,
        "echec": part if kind == "echec" else None,
    }
    intent = sorted(set(old.get("en_cours") or []) | set(rels))
    atomic_write_json(path, dict(old, version=MANIFEST_VERSION, carnet=job.stem, en_cours=intent))
    for rel, (_, src) in zip(rels, staged):
        publish(src, out / rel)
    atomic_write_json(path, new)
    for rel in named_files(old) - named_files(new):
        p = inside(out, rel)
        if p is not None:
            with contextlib.suppress(OSError):
                p.unlink()
    return rels
