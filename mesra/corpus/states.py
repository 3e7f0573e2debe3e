"""Another state of a corpus: a folder, a workbook or a git revision, pseudonymised as the run is.

Comparing two states of a corpus (:func:`mesra.compare`) needs the other state loaded
exactly as the current one: from a folder or an ``.xlsx`` workbook as
:func:`~mesra.corpus.load.load_corpus` reads them, or from a git revision of the
repository that holds the corpus (``"HEAD~3:data"``: the folder ``data`` of the
revision ``HEAD~3``; ``"HEAD~3"`` alone: the current corpus's own folder at that
revision), extracted with ``git archive`` into a temporary folder that is removed once read.

Both states go through the same pseudonymisation: when the run is pseudonymised
(:data:`~mesra.corpus.privacy.RUN_ENV`), when it is asked, or when one of the states
already is, both are pseudonymised — each with the people of *both* states, so that a
person declared in one state only is masked in the other state's text too (an
organisation named after a person removed since, or added since, does not show the name).
"""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

import pandas as pd

from mesra.errors import MesraError, ParameterError

__all__ = ["load_state", "load_states", "state_label"]

_GIT_TIMEOUT = 120


def _is_corpus(value) -> bool:
    from mesra.corpus.load import Corpus

    return isinstance(value, Corpus)


def _existing_path(spec: str) -> Path | None:
    """``spec`` as an existing folder or workbook (relative paths also from the project root), or None."""
    from mesra.files import find_in_project

    for p in (Path(spec), find_in_project(spec)):
        if p.is_dir() or (p.is_file() and p.suffix.lower() == ".xlsx"):
            return p
    return None


def state_label(spec) -> str:
    """How a state is named in a comparison: its folder or workbook name, or its git revision."""
    if spec is None or spec == "":
        return "corpus intégré"
    if _is_corpus(spec):
        return Path(str(spec.path)).name or str(spec.path)
    text = str(spec)
    path = _existing_path(text)
    return path.name if path is not None else text


# --- git ---------------------------------------------------------------------------------------
def _git(args: list[str], cwd: Path, *, check: bool = False) -> subprocess.CompletedProcess:
    git = shutil.which("git")
    if git is None:
        raise ParameterError(
            "git est introuvable sur cette machine : installez git, ou donnez l'autre état du corpus comme "
            "dossier ou comme classeur .xlsx."
        )
    run = subprocess.run(
        [git, *args], cwd=cwd, capture_output=True, timeout=_GIT_TIMEOUT, stdin=subprocess.DEVNULL, check=False
    )
    if check and run.returncode != 0:
        why = run.stderr.decode("utf-8", "replace").strip().splitlines()
        raise MesraError(f"git {args[0]} a échoué : {why[-1] if why else 'raison inconnue'}.")
    return run


def _repository_folder(depot, alongside) -> Path:
    """The folder git is asked about: ``depot``, else the current corpus's folder, else the project."""
    if depot not in (None, ""):
        return Path(depot)
    if alongside is not None and alongside.path is not None:
        p = Path(str(alongside.path))
        p = p if p.is_dir() else p.parent
        if p.is_dir():
            return p
    from mesra.corpus.load import default_data_dir

    return default_data_dir()


def _top_and_prefix(folder: Path, spec: str) -> tuple[Path, str]:
    run = _git(["rev-parse", "--show-toplevel", "--show-prefix"], folder if folder.is_dir() else folder.parent)
    if run.returncode != 0:
        raise ParameterError(
            f"« {spec} » n'est ni un dossier, ni un classeur .xlsx, ni une révision git lisible : le dossier "
            f"{folder} n'est pas dans un dépôt git. Donnez un dossier, un classeur, ou une révision du dépôt qui "
            "contient le corpus (par exemple HEAD~1:data)."
        )
    lines = run.stdout.decode("utf-8", "surrogateescape").splitlines()
    return Path(lines[0]), (lines[1] if len(lines) > 1 else "")


def _current_path(alongside, folder: Path, prefix: str) -> str:
    """The current corpus's path inside the repository (what ``"HEAD~1"`` alone compares)."""
    if alongside is not None and alongside.path is not None and Path(str(alongside.path)).is_file():
        return prefix + Path(str(alongside.path)).name
    return prefix.rstrip("/")


def _missing_revision(top: Path, rev: str, spec: str) -> ParameterError:
    shallow = _git(["rev-parse", "--is-shallow-repository"], top).stdout.decode().strip() == "true"
    hint = (
        " Ce dépôt est un clone superficiel (« shallow », courant en intégration continue) : l'historique ancien "
        "n'y est pas ; récupérez-le avec `git fetch --unshallow` (ou `fetch-depth: 0` dans la CI)."
        if shallow
        else " Vérifiez son nom avec `git log --oneline`."
    )
    if ":" not in spec:
        hint = f" « {spec} » n'est pas non plus un dossier ni un classeur .xlsx existant.{hint}"
    return ParameterError(f"Révision git « {rev} » introuvable dans le dépôt {top}.{hint}")


def _split_revision(spec: str) -> tuple[str, str | None]:
    rev, sep, path = spec.partition(":")
    return rev.strip(), (path.strip().strip("/") if sep else None)


def _from_git(spec: str, alongside, depot):
    """Read (unpseudonymised) the corpus ``spec`` names as a git revision (see the module's doc)."""
    from mesra.corpus.load import build_corpus

    rev, path = _split_revision(spec)
    if not rev or rev.startswith("-") or (path is not None and ".." in Path(path).parts):
        raise ParameterError(
            f"Révision git « {spec} » illisible : écrivez RÉVISION:CHEMIN (par exemple HEAD~3:data) ou la "
            "révision seule (le dossier du corpus actuel à cette révision)."
        )
    folder = _repository_folder(depot, alongside)
    top, prefix = _top_and_prefix(folder, spec)
    if path is None:
        path = _current_path(alongside, folder, prefix)
    if _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"], top).returncode != 0:
        raise _missing_revision(top, rev, spec)
    if path and _git(["cat-file", "-e", f"{rev}:{path}"], top).returncode != 0:
        raise ParameterError(
            f"Le chemin « {path} » n'existe pas dans la révision git « {rev} » du dépôt {top} : le corpus y "
            "était peut-être ailleurs (voir `git log --stat`)."
        )
    # a workbook comes with its folder: the monographs and source texts beside it
    is_file = bool(path) and _git(["cat-file", "-t", f"{rev}:{path}"], top).stdout.decode().strip() == "blob"
    folder_path = str(Path(path).parent.as_posix()) if is_file else path
    folder_path = "" if folder_path == "." else folder_path
    with tempfile.TemporaryDirectory(prefix="mesra-etat-") as tmp:
        archive = Path(tmp) / "etat.tar"
        wanted = [folder_path] if folder_path else []
        _git(["archive", "--format=tar", "-o", str(archive), rev, "--", *wanted], top, check=True)
        dest = Path(tmp) / "etat"
        with tarfile.open(archive) as tar:
            tar.extractall(dest, filter="data")
        corpus, _ = build_corpus(dest / path if path else dest)
    return dataclasses.replace(corpus, path=Path(f"{rev}:{path}"))


# --- loading -------------------------------------------------------------------------------------
def _read(spec, alongside=None, depot=None):
    """The corpus ``spec`` names, read and validated, not pseudonymised."""
    from mesra.corpus.load import build_corpus

    if _is_corpus(spec):
        return spec
    if spec is None or str(spec).strip() == "":
        return build_corpus(None)[0]
    if not isinstance(spec, str | Path):
        raise ParameterError(
            f"État du corpus illisible ({type(spec).__name__}) : donnez un corpus chargé, un dossier, un classeur "
            ".xlsx ou une révision git (par exemple HEAD~1:data)."
        )
    text = str(spec).strip()
    path = _existing_path(text)
    if path is not None:
        return build_corpus(path)[0]
    if isinstance(spec, Path) or (text.lower().endswith(".xlsx") and ":" not in text):
        raise ParameterError(f"Dossier ou classeur « {text} » introuvable : vérifiez le chemin.")
    return _from_git(text, alongside, depot)


def _real_people(corpus) -> pd.DataFrame:
    """The people of ``corpus`` with their real names (read again from its files when it is pseudonymised)."""
    if not corpus.pseudonymised:
        return corpus.personnes
    from mesra.corpus.load import build_corpus

    p = Path(str(corpus.path))
    if p.is_dir() or p.is_file():
        try:
            return build_corpus(p)[0].personnes
        except (MesraError, OSError):
            pass
    return corpus.personnes


def _pseudonymised_with(corpus, others: pd.DataFrame):
    """``corpus`` pseudonymised with its own people and those of ``others`` (kept out of its table)."""
    from mesra.corpus.privacy import pseudonym, pseudonymise

    own = corpus.personnes
    ids = set(own["personne_id"])
    extra = others[[p not in ids and pseudonym(p)[0] not in ids for p in others["personne_id"]]]
    if not len(extra):
        return pseudonymise(corpus)
    masked = pseudonymise(
        dataclasses.replace(corpus, personnes=pd.concat([own, extra.reindex(columns=own.columns)], ignore_index=True))
    )
    gone = {pseudonym(p)[0] for p in extra["personne_id"]}
    people = masked.personnes[~masked.personnes["personne_id"].isin(gone)].reset_index(drop=True)
    return dataclasses.replace(masked, personnes=people)


def load_states(avant, apres=None, *, pseudonymiser: bool = False, depot=None):
    """The two states of a comparison, loaded alike: ``(avant, apres)``.

    Parameters
    ----------
    avant, apres
        A loaded corpus, a folder, an ``.xlsx`` workbook, or a git revision (``"HEAD~3:data"``,
        or ``"HEAD~3"`` for the other state's own folder at that revision). ``apres`` None:
        the default corpus.
    pseudonymiser : bool
        Pseudonymise both. They are also pseudonymised when the run is, or when either
        already is; each is then masked with the people of both.
    depot : str or Path, optional
        A folder of the git repository to read revisions from (default: the repository of
        the other state's folder, else of the project).

    Raises
    ------
    ParameterError
        A path that does not exist, git missing, a revision or a path unknown to the
        repository (a shallow clone is named as the likely cause).
    CorpusError
        A state that breaks the data contract.
    """
    from mesra.corpus.privacy import run_is_pseudonymised

    after = _read(apres, None, depot)
    before = _read(avant, after, depot)
    if not (pseudonymiser or run_is_pseudonymised() or before.pseudonymised or after.pseudonymised):
        return before, after
    real_before, real_after = _real_people(before), _real_people(after)
    return _pseudonymised_with(before, real_after), _pseudonymised_with(after, real_before)


def load_state(spec, *, alongside=None, pseudonymiser: bool = False, depot=None):
    """One other state of the corpus (see :func:`load_states`), pseudonymised as ``alongside`` and the run are."""
    if alongside is not None:
        return load_states(spec, alongside, pseudonymiser=pseudonymiser, depot=depot)[0]
    from mesra.corpus.privacy import pseudonymise, run_is_pseudonymised

    state = _read(spec, None, depot)
    return pseudonymise(state) if pseudonymiser or run_is_pseudonymised() else state
