"""Planning a batch: which notebooks for which territories, and the hash of every input."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from mesra import __version__
from mesra.batch.jobs import (
    CAMPAIGN_PARAMETER,
    DEFAULT_TIMEOUT,
    ENGINE_WARM,
    OVERVIEW_FOLDER,
    PREVIOUS_PARAMETER,
    REQUIRED_PARAMETERS,
    TERRITORY_FOLDER,
    Job,
)
from mesra.corpus import geo
from mesra.errors import MesraError
from mesra.files import PROJECT_ROOT, package_digest
from mesra.text import check_identifier


# --- inputs ---------------------------------------------------------------------------
def _sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def code_digest() -> str:
    """Hash of mesra's own files, code and templates (a development change re-runs the briefs)."""
    return package_digest()


def _job_key(**inputs: Any) -> str:
    return hashlib.sha256(json.dumps(inputs, sort_keys=True, ensure_ascii=True).encode()).hexdigest()


def _notebook_title(nb_path: Path) -> str:
    import nbformat

    from mesra.batch.render import notebook_title

    try:
        nb = nbformat.read(nb_path, as_version=4)
    except Exception as exc:  # noqa: BLE001 - reported in French
        raise MesraError(
            f"Le carnet {nb_path} est illisible ({exc}) ; vérifiez qu’il s’agit d’un fichier .ipynb valide."
        ) from None
    if nb.metadata.get("title") or notebook_title(nb):
        return str(nb.metadata.get("title") or notebook_title(nb))
    words = re.sub(r"^\d+[-_ ]*", "", nb_path.stem).replace("-", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words else nb_path.stem


def _python_parameters(nb_path: Path) -> set[str] | None:
    """Names assigned in the ``parameters`` cell of a Python notebook (``None``: ask Papermill).

    What ``papermill.inspect_notebook`` finds for Python, without importing Papermill here
    (≈ 1 s: the batch's own process never runs a notebook).
    """
    import ast

    import nbformat

    try:
        nb = nbformat.read(nb_path, as_version=4)
    except Exception:  # noqa: BLE001 - Papermill reports it
        return None
    kernelspec = nb.metadata.get("kernelspec") or {}
    if not kernelspec.get("name") or (kernelspec.get("language") or "python").lower() != "python":
        return None
    cells = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    if not cells:
        return set()
    try:
        tree = ast.parse(cells[0].source)
    except SyntaxError:
        return None
    names = set()
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        names |= {t.id for t in targets if isinstance(t, ast.Name)}
    return names


#: A notebook that reads only its territory's slice of the corpus says so in its metadata
#: (``"mesra": {"entrees": "territoire"}``); any other notebook is taken to read whole tables.
SLICE_DECLARATION = "territoire"


def reads_slice(nb_path: Path) -> tuple[bool, bool]:
    """Whether the notebook declares it reads only its territory's slice, and whether it describes the corpus."""
    import nbformat

    try:
        nb = nbformat.read(nb_path, as_version=4)
    except Exception:  # noqa: BLE001 - the title already said it in French
        return False, True
    declared = (nb.metadata.get("mesra") or {}).get("entrees") == SLICE_DECLARATION
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    return declared, describes_whole_corpus(code)


def overview_profile(nb_path: Path) -> str | None:
    """What an overview notebook declares it reads (``"mesra": {"entrees": "plan"}``: one of
    :data:`mesra.batch.inputs.PROFILES`), or ``None``: every table, whole."""
    import nbformat

    from mesra.batch.inputs import PROFILES

    try:
        nb = nbformat.read(nb_path, as_version=4)
    except Exception:  # noqa: BLE001 - the title already said it in French
        return None
    declared = (nb.metadata.get("mesra") or {}).get("entrees")
    return declared if isinstance(declared, str) and declared in PROFILES else None


def _names_a_territory(call) -> bool:
    import ast

    given = [*call.args[1:2], *(k.value for k in call.keywords if k.arg == "territoire")]
    return any(not (isinstance(v, ast.Constant) and v.value is None) for v in given)


def describes_whole_corpus(code: str) -> bool:
    """Whether ``code`` calls ``describe_corpus`` on the whole corpus (without ``territoire``).

    ``describe_corpus(corpus, territoire=territoire)`` describes the territory's slice only. Code
    that cannot be parsed (other than IPython's ``%``/``!`` lines) is taken to describe the corpus.
    """
    import ast

    if "describe_corpus" not in code:
        return False
    lines = [line for line in code.splitlines() if not line.lstrip().startswith(("%", "!"))]
    try:
        tree = ast.parse("\n".join(lines))
    except SyntaxError:
        return True
    called = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            called.add(id(node.func))
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            if name == "describe_corpus" and not _names_a_territory(node):
                return True
    # the function handed around rather than called: taken to describe the corpus
    return any(
        "describe_corpus" in (getattr(n, "id", None), getattr(n, "attr", None)) and id(n) not in called
        for n in ast.walk(tree)
        if isinstance(n, ast.Name | ast.Attribute)
    )


def _notebook_parameters(nb_path: Path) -> set[str]:
    found = _python_parameters(nb_path)
    if found is not None:
        return found
    import papermill

    try:
        return set(papermill.inspect_notebook(str(nb_path)))
    except Exception as exc:  # noqa: BLE001 - reported in French
        raise MesraError(
            f"Impossible de lire les paramètres du carnet {nb_path.name} ({exc}) ; il doit "
            "indiquer son noyau (metadata.kernelspec) et avoir une cellule « parameters »."
        ) from None


def default_notebooks_dir() -> Path:
    """The repository's ``notebooks/`` folder."""
    return PROJECT_ROOT / "notebooks"


def default_territories(corpus) -> list[str]:
    """Territories that get a brief by default.

    Every territory with an actor or a monograph in it or below it (a région
    includes its départements), plus ``fr`` always; ``monde`` and ``europe`` only
    when data is located there directly (every European place would otherwise
    drag them in).
    """
    from mesra.analysis.counts import noted_territories

    return noted_territories(corpus)


def check_territory_ids(territoires: list[str]) -> list[str]:
    """The identifiers checked (no path traversal: they become folder names), duplicates dropped."""
    return list(dict.fromkeys(check_identifier(tid) for tid in territoires))


def plan_jobs(
    corpus,
    territoires: list[str],
    notebooks: list[Path],
    *,
    data_param: str,
    pseudonymiser: bool,
    out: Path,
    kernel_name: str,
    engine: str = ENGINE_WARM,
    timeout: int | None = DEFAULT_TIMEOUT,
) -> list[Job]:
    code = code_digest()
    from mesra.batch.inputs import CorpusInputs, data_digest
    from mesra.batch.render import RENDER_VERSION

    reads = CorpusInputs(corpus)

    size = rolled_up_counts(corpus)
    size = {t: size.get(t, 0) for t in territoires}
    ordered = sorted(territoires, key=lambda t: (-size[t], t))  # largest first: better balance
    names = dict(zip(corpus.territoires["territoire_id"], corpus.territoires["nom"]))
    overview: list[Job] = []
    per_territory: list[Job] = []
    for nb_path in notebooks:
        declared = _notebook_parameters(nb_path)
        title = _notebook_title(nb_path)
        nb_hash = _sha256_file(nb_path)
        slice_reader, describes = reads_slice(nb_path)
        profile = None if slice_reader else overview_profile(nb_path)
        missing = [name for name in REQUIRED_PARAMETERS if name not in declared]
        if missing:
            raise MesraError(
                f"Le carnet {nb_path.name} ne déclare pas le(s) paramètre(s) {', '.join(missing)} dans sa "
                "cellule « parameters » : sans eux, il ne lirait pas le bon corpus ou montrerait les "
                'vrais noms. Ajoutez par exemple `data: str = ""` et `pseudonymiser: bool = False`.'
            )
        base = {"data": data_param, "pseudonymiser": pseudonymiser}
        if CAMPAIGN_PARAMETER in declared:  # one job per co-evaluation campaign, none without
            jobs = _campaign_jobs(corpus, nb_path, title, nb_hash, base, code, out, kernel_name, engine, timeout)
            overview += [j for j in jobs if j.territoire is None]
            per_territory += [j for j in jobs if j.territoire is not None]
            continue
        targets = ordered if "territoire" in declared else [None]
        for tid in targets:
            params = dict(base)
            if tid is not None:
                params["territoire"] = tid
            folder = f"{TERRITORY_FOLDER}/{tid}" if tid is not None else OVERVIEW_FOLDER
            if PREVIOUS_PARAMETER in declared:  # the copy published by the previous run, read before replaced
                params[PREVIOUS_PARAMETER] = str(out / folder / f"{nb_path.stem}.ipynb")
            if tid is not None and slice_reader:
                data = reads.territory(tid, describes)
            else:
                data = reads.whole(describes, None if tid is not None else profile)
            inputs = {
                "donnees": data,
                "carnet": nb_hash,
                "code": _job_key(mesra=__version__, code=code),
                "parametres": _job_key(**params),  # a digest: a path may hold a name (pseudonymised runs)
                "rendu": RENDER_VERSION,
                "noyau": kernel_name,
            }
            key = _job_key(**inputs)
            job = Job(
                notebook=str(nb_path),
                stem=nb_path.stem,
                title=title,
                territoire=tid,
                label=tid if tid is not None else OVERVIEW_FOLDER,
                parameters=params,
                out=str(out),
                folder=folder,
                key=key,
                kernel_name=kernel_name,
                place=str(names.get(tid, tid or "")),
                corpus=corpus.hash,
                data=data_digest(data),
                engine=engine,
                timeout=timeout,
                inputs=inputs,
            )
            (per_territory if tid is not None else overview).append(job)
    rank = {t: i for i, t in enumerate(ordered)}
    per_territory.sort(key=lambda j: (rank.get(j.territoire, len(rank)), j.stem))
    return overview + per_territory


def _campaign_jobs(corpus, nb_path, title, nb_hash, base, code, out, kernel_name, engine, timeout) -> list[Job]:
    """One job per campaign of ``corpus.evaluation``, in its evaluated territory's folder (issue 26)."""
    from mesra.analysis.coevaluation import campaign_territory
    from mesra.batch.render import RENDER_VERSION

    names = dict(zip(corpus.territoires["territoire_id"], corpus.territoires["nom"]))
    jobs = []
    for cid in corpus.evaluation.campaign_ids():
        check_identifier(cid)
        tid = campaign_territory(corpus, cid)
        params = {**base, CAMPAIGN_PARAMETER: cid}
        folder = f"{TERRITORY_FOLDER}/{tid}" if tid is not None else OVERVIEW_FOLDER
        inputs = dict(corpus=corpus.hash, notebook=nb_hash, mesra=__version__, code=code, parameters=params)
        camp = corpus.evaluation.campaign(cid)
        jobs.append(
            Job(
                notebook=str(nb_path),
                stem=f"{nb_path.stem}-{cid}",
                title=f"{title} : {camp['titre']}",
                territoire=tid,
                label=f"{tid or OVERVIEW_FOLDER} · {cid}",
                parameters=params,
                out=str(out),
                folder=folder,
                key=_job_key(**inputs, render=RENDER_VERSION, kernel=kernel_name),
                kernel_name=kernel_name,
                place=str(names.get(tid, tid or "")),
                corpus=corpus.hash,
                engine=engine,
                timeout=timeout,
            )
        )
    return jobs


def rolled_up_counts(corpus) -> dict[str, int]:
    """Actors and monographs located in each territory or below it."""
    located = [*corpus.acteurs["territoire_id"].dropna(), *corpus.monographies["territoire"].dropna()]
    return dict(geo.rolled_up_counts(geo.parent_map(corpus.territoires), located))
