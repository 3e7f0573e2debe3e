"""Jobs, their results and the batch summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: The kernel every notebook runs with (ipykernel's native spec: the running interpreter).
KERNEL_NAME = "python3"
#: Incremental state, in the output folder.
STATE_FILE = ".mesra-etat.json"
TMP_DIR = ".mesra-tmp"
LOCK_FILE = ".mesra-verrou"
STATE_VERSION = 1
#: Each job's manifest, beside its files: ``OUT/<folder>/.<stem>.mesra.json``.
MANIFEST_SUFFIX = ".mesra.json"
OVERVIEW_FOLDER = "corpus"
TERRITORY_FOLDER = "territoires"
#: Levels that only get a brief when data is located there directly (not just below).
WIDE_LEVELS = ("monde", "europe")
#: Parameters every notebook declares (a batch must not silently ignore them).
REQUIRED_PARAMETERS = ("data", "pseudonymiser")
#: A notebook that declares it receives the path of its own previous published copy
#: (``""`` never: the path is given even before the first run; the file may not exist).
PREVIOUS_PARAMETER = "note_precedente"
#: A notebook that declares it runs once per co-evaluation campaign of the corpus (none: not run), in the
#: folder of the evaluated structure's territory (``territoires/<id>/<stem>-<campagne>``), else in ``corpus/``.
CAMPAIGN_PARAMETER = "campagne"
#: The reference date of the plans; empty, a notebook reads the corpus's own (its latest follow-up
#: entry, else its plan's date: :func:`mesra.analysis.plan.reference_date`), never today, so a job
#: is not redone on a new day: only a change of corpus, notebook, code or parameters redoes it.
DATE_PARAMETER = "date_reference"
#: Engines: warm kernels (mesra's Papermill engine, the default) or fresh standard kernels.
ENGINE_WARM = "mesra"
ENGINE_PAPERMILL = "papermill"
ENGINES = (ENGINE_WARM, ENGINE_PAPERMILL)
#: Seconds a cell may run before it fails and its kernel is stopped (``None``: no limit).
DEFAULT_TIMEOUT = 1800


# --- jobs and results -------------------------------------------------------------
@dataclass(frozen=True)
class Job:
    """One notebook to execute, for one territory (``None``: once per batch)."""

    notebook: str  # absolute path of the source notebook
    stem: str  # its file name without ``.ipynb``
    title: str  # its first heading (shown in the index)
    territoire: str | None
    label: str  # what the progress bar and the summary call the job
    parameters: dict[str, Any]
    out: str  # absolute output folder of the batch
    folder: str  # folder of the job's files, relative to ``out``
    key: str  # hash of every input
    kernel_name: str = KERNEL_NAME
    place: str = ""  # the territory's name (page titles)
    corpus: str = ""  # the corpus content hash (provenance)
    data: str = ""  # the hash of the slice of the corpus it reads (the index flags pages made from another one)
    engine: str = ENGINE_WARM  # how the notebook runs (not an input: the pages are the same)
    timeout: int | None = DEFAULT_TIMEOUT  # seconds per cell
    #: What the key hashes, by part (kept in the manifest: a later run says which one changed).
    inputs: dict[str, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)

    @property
    def ident(self) -> str:
        """Identifier of the job in the state file: ``<folder>/<stem>``."""
        return f"{self.folder}/{self.stem}"


@dataclass
class JobResult:
    """What happened to one job."""

    job: Job
    ok: bool
    files: list[str] = field(default_factory=list)  # published, relative to ``out``
    error_files: list[str] = field(default_factory=list)  # the failed run, for diagnosis
    seconds: float = 0.0
    cell_number: int | None = None  # 1-based position of the failing cell in the source notebook
    cell_first_line: str | None = None
    error: str | None = None  # "ename: evalue"
    disk_error: int | None = None  # errno of a write that failed in the output folder (the batch stops)
    moved: list[tuple[str, str]] = field(default_factory=list)  # files modified since publication: (file, backup)

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
    pdfs: list[Path] = field(default_factory=list)
    moved: list[tuple[str, str]] = field(default_factory=list)  # set aside by the recovery: (file, backup)
    #: Why each job to run is redone (French, :func:`mesra.batch.inputs.reasons`), by job identifier.
    why: dict[str, list[str]] = field(default_factory=dict)
    planned_only: bool = False  # ``--plan``: nothing was run
    site: Path | None = None  # the resource centre's index (OUT/ressources/index.html)

    @property
    def ok(self) -> bool:
        """True when no job failed."""
        return not self.failed

    def why_line(self) -> str:
        """One French line: how many jobs are redone for each reason (« liens modifiés : 3 ; … »)."""
        counted: dict[str, int] = {}
        for reasons in self.why.values():
            for r in reasons:
                counted[r] = counted.get(r, 0) + 1
        if not counted:
            return "Rien à refaire : aucune entrée n’a changé."
        return "Refait parce que : " + " ; ".join(f"{r} ({n})" for r, n in counted.items()) + "."

    def plan_text(self) -> str:
        """``mesra briefs --plan``: every job a run would redo, and why, without running any."""
        from mesra.french import plural

        lines = [
            f"{plural(len(self.why), 'carnet')} à refaire, {len(self.skipped)} à jour (rien n’a été exécuté ni écrit) :"
        ]
        lines += [f"  - {ident} : {', '.join(reasons)}" for ident, reasons in self.why.items()]
        lines.append(self.why_line())
        return "\n".join(lines)

    def summary(self) -> str:
        """The French end-of-run summary (failures with their cell and error)."""
        from mesra.french import agree, plural

        if self.planned_only:
            return self.plan_text()
        n_run = len(self.done) + len(self.failed)
        done = len(self.done)
        lines = [
            f"{plural(done, 'carnet')} {agree(done, 'exécuté')} et {agree(done, 'rendu')}, "
            f"{len(self.skipped)} {agree(len(self.skipped), 'ignoré')} (entrées inchangées), "
            f"{plural(len(self.failed), 'échec')} — {plural(n_run, 'exécution')} en {self.seconds:.0f} s."
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
                    lines.append(f"    pour {len(members)} territoires : " + ", ".join(r.job.label for r in members))
                if detail:
                    lines.append(
                        f"    détail : {self.out / detail}"
                        + (" (et de même pour les autres)" if len(members) > 1 else "")
                    )
            lines.append("Les notes précédentes de ces territoires, s’il y en avait, sont conservées.")
        if n_run:
            lines.append(self.why_line())
        lines += self._moved_lines()
        if self.pdfs:
            lines.append(f"{len(self.pdfs)} PDF {agree(len(self.pdfs), 'écrit')} à côté des notes pour les lecteurs.")
        if self.site is not None:
            lines.append(f"Centre de ressources : {self.site}")
        if self.index is not None:
            lines.append(f"Index : {self.index}")
        return "\n".join(lines)

    def all_moved(self) -> list[tuple[str, str]]:
        """Every file modified since its publication that this batch moved aside: (file, backup), relative to out."""
        return [*self.moved, *(m for r in [*self.done, *self.failed] for m in r.moved)]

    def _moved_lines(self) -> list[str]:
        moved = self.all_moved()
        if not moved:
            return []
        lines = [
            f"{len(moved)} fichier(s) modifié(s) depuis leur publication (ou qui n’étaient pas de mesra) "
            "mis de côté avant d’être remplacés ou retirés, rien n’est perdu :"
        ]
        lines += [f"  - {rel} → {self.out / backup}" for rel, backup in moved]
        return lines
