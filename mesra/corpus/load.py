"""Loading a corpus: tables and monographs in, tidy DataFrames out.

>>> corpus = load_corpus()          # the embedded default corpus
>>> sorted(corpus.acteurs.columns)[:3]
['acteur_id', 'article', 'echelon']
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from mesra.corpus import contract
from mesra.corpus.evaluation import Evaluation, RawEvaluation, build_evaluation, hash_payload, read_evaluation
from mesra.corpus.geo import ancestors, descendants, parent_map, reference_territories, walk_up
from mesra.corpus.monographs import RawMonograph, read_monograph
from mesra.corpus.pages import PAGES_FILE
from mesra.corpus.pages import parse as parse_pages
from mesra.corpus.tables import RawTable, decode_text, read_csv_table, read_xlsx_tables
from mesra.corpus.validate import Kind, parse_bool, validate
from mesra.errors import CorpusError, Problem
from mesra.files import PROJECT_ROOT

__all__ = ["Corpus", "load_corpus", "check_corpus", "default_data_dir", "read_raw"]


def default_data_dir() -> Path:
    """The default corpus: ``data/`` beside the ``mesra`` package in the source tree.

    The corpus is not package data: mesra is installed in editable mode from its
    repository (``make``), where the corpus lives.
    """
    return PROJECT_ROOT / "data"


@dataclass
class RawCorpus:
    path: Path
    tables: dict[str, RawTable | None] = field(default_factory=dict)
    monographs: list[RawMonograph] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    source_lines: dict[str, int] = field(default_factory=dict)
    source_texts: dict[str, str] = field(default_factory=dict)
    unreadable: set[str] = field(default_factory=set)
    files: list[Path] = field(default_factory=list)
    reference: pd.DataFrame | None = None
    #: Suggestions for territory values that name nothing (a misspelt commune…), for the validator.
    territory_hints: dict[str, str] = field(default_factory=dict)
    #: Size, modification time and inode of each file just before it was read (a later change shows).
    stats: dict[Path, tuple[int, int, int]] = field(default_factory=dict)
    #: The coverage table ``sources/couverture.csv`` as read, when the corpus has one (:mod:`mesra.corpus.coverage`).
    coverage: RawTable | None = None
    #: The printed pages of the sources ``sources/pages.csv`` as read, when the corpus has one (mesra.corpus.pages).
    pages: RawTable | None = None
    #: The resource centre's hand table ``ressources.csv`` as read, when the corpus has one (issue 25).
    resources: RawTable | None = None
    #: The Markdown bodies ``ressources/<ressource_id>.md``: file stem → text.
    resource_bodies: dict[str, str] = field(default_factory=dict)
    #: The folder ``evaluation/`` as read (co-evaluations, :mod:`mesra.corpus.evaluation`); empty when absent.
    evaluation: RawEvaluation = field(default_factory=RawEvaluation)

    def seen(self, path: Path) -> None:
        """Note ``path``'s state before reading it."""
        try:
            st = path.stat()
        except OSError:
            return
        self.stats[path] = (st.st_size, st.st_mtime_ns, st.st_ino)


def read_raw(path: str | Path | None = None) -> RawCorpus:
    """Read every file of a corpus without judging it (problems of form only).

    A table, workbook or monograph whose real path lies outside the corpus folder (a
    symbolic link to elsewhere) is refused unread: a corpus received from someone else
    must not make mesra read, and publish in its briefs, the files of whoever runs it.

    One source per table: a folder whose table exists both as a CSV file and as a sheet
    of a workbook (or in two workbooks) is a problem that says which file is the more
    recent and how to keep one; mesra never picks one silently (the edits made in the
    other would be ignored). A workbook given as the path is read alone.
    """
    root = Path(path) if path is not None else default_data_dir()
    raw = RawCorpus(root, reference=reference_territories())
    workbook: Path | None = None
    if root.is_file() and root.suffix.lower() == ".xlsx":
        workbook, root = root, root.parent
        raw.path = workbook
    elif not root.exists():
        raw.problems.append(Problem(str(root), 0, "dossier", "dossier du corpus introuvable"))
        return raw
    elif not root.is_dir():
        raw.problems.append(Problem(str(root), 0, "dossier", "un dossier de corpus ou un classeur .xlsx est attendu"))
        return raw
    sheets = _read_workbooks(raw, root, workbook)
    _read_tables(raw, root, sheets, from_csv=workbook is None)
    _read_sources(raw, root)
    _read_coverage(raw, root)
    _read_pages(raw, root)
    _read_resources(raw, root)
    if workbook is None:
        _read_evaluation(raw, root)
    _read_monographs(raw, root)
    _read_communes(raw)
    return raw


#: The coverage table of the sources (contract v3), relative to the corpus folder.
COVERAGE_TABLE = Path("sources") / "couverture.csv"


def _read_source_table(raw: RawCorpus, root: Path, relative: Path) -> RawTable | None:
    """Read a table about the sources (``sources/couverture.csv``, ``sources/pages.csv``) when it exists: checked by
    ``mesra check``, never required."""
    p = root / relative
    label = relative.as_posix()
    if not p.is_file() or _outside(raw, root, p, label):
        return None
    raw.seen(p)
    raw.files.append(p)
    return read_csv_table(p, label, raw.problems)


def _read_coverage(raw: RawCorpus, root: Path) -> None:
    raw.coverage = _read_source_table(raw, root, COVERAGE_TABLE)


def _read_pages(raw: RawCorpus, root: Path) -> None:
    raw.pages = _read_source_table(raw, root, PAGES_FILE)


def _read_resources(raw: RawCorpus, root: Path) -> None:
    """Read ``ressources.csv`` and the bodies ``ressources/*.md`` when they exist (never required)."""
    p = root / contract.RESOURCE_TABLE.filename
    if p.is_file() and not _outside(raw, root, p, p.name):
        raw.seen(p)
        raw.resources = read_csv_table(p, p.name, raw.problems)
        raw.files.append(p)
    folder = root / contract.RESOURCE_DIR
    if not folder.is_dir():
        return
    for body in sorted(folder.glob("*.md")):
        label = f"{contract.RESOURCE_DIR}/{body.name}"
        if _outside(raw, root, body, label):
            continue
        raw.seen(body)
        text = decode_text(body.read_bytes(), label, raw.problems)
        if text is not None:
            raw.resource_bodies[body.stem] = text
            raw.files.append(body)


def _read_evaluation(raw: RawCorpus, root: Path) -> None:
    """Read ``evaluation/`` when it exists (referentials, campaigns, responses; never required)."""
    raw.evaluation = read_evaluation(root, lambda p, label: not _outside(raw, root, p, label))
    for p in raw.evaluation.files:
        raw.seen(p)
        raw.files.append(p)


def _read_communes(raw: RawCorpus) -> None:
    """Communes named by INSEE code or « nom (code postal) » join the reference; declared ones are checked."""
    from mesra.corpus.communes import add_communes, commune_problems

    add_communes(raw)
    raw.problems.extend(commune_problems(raw))


def _outside(raw: RawCorpus, root: Path, p: Path, label: str) -> bool:
    """True (and a problem) when ``p`` resolves outside the corpus folder ``root``."""
    try:
        target = p.resolve()
        inside = target.is_relative_to(root.resolve())
    except (OSError, RuntimeError):  # a loop of links
        target, inside = None, False
    if not inside:
        where = f" ({target})" if target is not None else ""
        raw.problems.append(
            Problem(
                label,
                1,
                "fichier",
                f"lien symbolique vers un fichier hors du dossier du corpus{where} : mesra ne le lit pas ; "
                "copiez le fichier dans le dossier du corpus",
                Kind.FILE,
            )
        )
    return not inside


def _read_workbooks(raw: RawCorpus, root: Path, workbook: Path | None) -> dict[str, tuple[RawTable, Path]]:
    """The sheets of the workbook given, or of every workbook in the folder, with their workbook.

    A table found in two workbooks of the folder is a problem (the first one is kept).
    """
    sheets: dict[str, tuple[RawTable, Path]] = {}
    books = [workbook] if workbook else sorted(p for p in root.glob("*.xlsx") if not p.name.startswith(("~$", ".")))
    for book in books:
        if workbook is None and _outside(raw, root, book, book.name):
            continue
        raw.seen(book)
        n = len(raw.problems)
        twice: dict[Path, list[str]] = {}
        for name, table in read_xlsx_tables(book, book.name, raw.problems).items():
            if name in sheets:
                twice.setdefault(sheets[name][1], []).append(name)
            sheets.setdefault(name, (table, book))
        raw.files.append(book)
        if len(raw.problems) > n:
            raw.unreadable.update(contract.TABLE_ORDER)
        for other, names in twice.items():
            raw.problems.append(_two_sources(book, [other], names, f"« {other.name} »"))
    return sheets


def _when(path: Path) -> tuple[float, str]:
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return 0.0, "?"
    return mtime, datetime.datetime.fromtimestamp(mtime).strftime("%d/%m/%Y à %H:%M:%S")


def _two_sources(book: Path, others: list[Path], names: list[str], what: str) -> Problem:
    """The problem of tables given both by ``book`` and by ``others`` (CSV files or another workbook).

    Says which is the more recent, to keep the one the user edited.
    """
    book_time, book_shown = _when(book)
    other_time, other_shown = max(_when(p) for p in others)
    if book_time > other_time:
        advice = (
            f"« {book.name} » est le plus récent (modifié le {book_shown} ; {what} : {other_shown}) : si vos "
            f"modifications y sont, gardez-le et déplacez {what} hors du dossier ; sinon déplacez « {book.name} »"
        )
    else:
        recent = "sont les plus récents (modifiés" if len(others) > 1 else "est le plus récent (modifié"
        advice = (
            f"{what} {recent} le {other_shown} ; "
            f"« {book.name} » : {book_shown}) : si vos modifications y sont, déplacez « {book.name} » hors du "
            f"dossier ; sinon déplacez {what}"
        )
    return Problem(
        book.name,
        1,
        "fichier",
        f"deux sources pour la ou les tables {', '.join(names)} : « {book.name} » et {what} ; mesra n'en "
        f"choisit aucune (les modifications faites dans l'autre seraient ignorées). Gardez-en une seule : "
        f"{advice}. Pour lire le classeur seul : mesra check {book}",
        Kind.FILE,
    )


def _read_tables(raw: RawCorpus, root: Path, books: dict[str, tuple[RawTable, Path]], from_csv: bool) -> None:
    sheets = {name: table for name, (table, _) in books.items()}
    both: dict[Path, list[str]] = {}
    for name in contract.TABLE_ORDER:
        csv_path = root / contract.TABLES[name].filename
        if not (from_csv and csv_path.exists()):
            raw.tables[name] = sheets.get(name)
            continue
        if name in books:
            both.setdefault(books[name][1], []).append(name)
        raw.tables[name] = None
        if _outside(raw, root, csv_path, csv_path.name):
            raw.unreadable.add(name)
            continue
        raw.seen(csv_path)
        n = len(raw.problems)
        raw.tables[name] = read_csv_table(csv_path, csv_path.name, raw.problems)
        raw.files.append(csv_path)
        if raw.tables[name] is None and len(raw.problems) > n:
            raw.unreadable.add(name)
    for book, names in both.items():
        csv_files = [root / contract.TABLES[n].filename for n in names]
        what = csv_files[0].name if len(csv_files) == 1 else "les fichiers CSV de ces tables"
        raw.problems.append(_two_sources(book, csv_files, names, what))


def _read_monographs(raw: RawCorpus, root: Path) -> None:
    mono_dir = root / contract.MONOGRAPH_DIR
    if not mono_dir.is_dir():
        return
    for p in sorted(mono_dir.glob("*.md")):
        label = f"{contract.MONOGRAPH_DIR}/{p.name}"
        if _outside(raw, root, p, label):
            continue
        raw.seen(p)
        raw.files.append(p)
        mono = read_monograph(p, label, raw.problems)
        if mono is not None:
            raw.monographs.append(mono)


def _read_sources(raw: RawCorpus, root: Path) -> None:
    table = raw.tables.get("sources")
    if table is None:
        return
    for row in table.rows:
        sid, fichier = row.get("source_id", ""), row.get("fichier", "")
        if not sid or not fichier:
            continue
        p = (root / fichier).resolve()
        if root.resolve() not in p.parents or not p.is_file():
            continue
        raw.seen(p)
        text = decode_text(p.read_bytes(), fichier, raw.problems)
        if text is not None:
            raw.source_texts[sid] = text
            raw.source_lines[sid] = len(text.splitlines())
            raw.files.append(p)


@dataclass
class Corpus:
    """A validated corpus as tidy DataFrames (French columns, English API).

    Attributes: ``acteurs``, ``personnes``, ``liens``, ``territoires`` (reference
    plus the corpus's own), ``monographies`` (one row per monograph) and
    ``sources``; ``actions`` (the action plans: ``porteurs`` and ``partenaires`` as
    lists of identifiers, dates as written) and ``suivi`` (their follow-up log), empty
    with the contract's columns when the corpus has none; ``roles`` (every role of a
    person, one row each; empty with its columns when the corpus has none); ``path`` and
    ``hash`` (SHA-256 of the corpus files' content).

    ``liens.attestation`` is always filled (``constate`` where the cell is empty or the
    column missing); ``acteurs.article`` is ``le``, ``la``, ``l'``, ``les`` or None.
    """

    acteurs: pd.DataFrame
    personnes: pd.DataFrame
    liens: pd.DataFrame
    territoires: pd.DataFrame
    monographies: pd.DataFrame
    sources: pd.DataFrame
    path: Path
    hash: str
    source_texts: dict[str, str] = field(default_factory=dict, repr=False)
    #: Where each printed page of a source begins in its text (``sources/pages.csv``): source → ``((page, first
    #: line or None), …)``; empty when the corpus does not say (:mod:`mesra.corpus.pages`).
    source_pages: dict[str, tuple[tuple[int, int | None], ...]] = field(default_factory=dict, repr=False)
    pseudonymised: bool = False
    actions: pd.DataFrame = field(default_factory=lambda: _frame(None, contract.TABLES["actions"]), repr=False)
    suivi: pd.DataFrame = field(default_factory=lambda: _frame(None, contract.TABLES["suivi"]), repr=False)
    roles: pd.DataFrame = field(default_factory=lambda: _frame(None, contract.TABLES["roles"]), repr=False)
    #: The resource centre's hand table (``ressources.csv``, issue 25): ``territoires`` and ``acteurs``
    #: as lists; empty with its columns when the corpus has none. Its Markdown bodies: id → text.
    ressources: pd.DataFrame = field(default_factory=lambda: _frame(None, contract.RESOURCE_TABLE), repr=False)
    ressource_bodies: dict[str, str] = field(default_factory=dict, repr=False)
    #: The co-evaluations of the corpus (``evaluation/``): empty when it has none.
    evaluation: Evaluation = field(default_factory=Evaluation, repr=False)

    def __repr__(self) -> str:
        return (
            f"Corpus({self.path}: {len(self.acteurs)} acteurs, {len(self.personnes)} personnes, "
            f"{len(self.liens)} liens, {len(self.monographies)} monographies)"
        )

    # --- territories ------------------------------------------------------
    def territory_ids(self, territoire: str | None) -> list[str]:
        """``territoire`` and all its sub-territories (every territory when None)."""
        if territoire is None:
            return sorted(self.territoires["territoire_id"])
        return descendants(self.territoires, territoire)

    def territory_ancestors(self, territoire: str) -> list[str]:
        return ancestors(self.territoires, territoire)

    def territory_name(self, territoire: str | None) -> str:
        if territoire is None:
            return "Ensemble du corpus"
        match = self.territoires.loc[self.territoires["territoire_id"] == territoire, "nom"]
        return str(match.iloc[0]) if len(match) else territoire

    def actors_in(self, territoire: str | None) -> pd.DataFrame:
        """Actors located in ``territoire`` or below it (rolled up)."""
        if territoire is None:
            return self.acteurs
        ids = set(self.territory_ids(territoire))
        return self.acteurs[self.acteurs["territoire_id"].isin(ids)]

    def monographs_in(self, territoire: str | None) -> pd.DataFrame:
        if territoire is None:
            return self.monographies
        ids = set(self.territory_ids(territoire))
        return self.monographies[self.monographies["territoire"].isin(ids)]

    def territories_with_data(self) -> list[str]:
        """Every territory that has an actor or a monograph in it or below it."""
        located = set(self.acteurs["territoire_id"].dropna()) | set(self.monographies["territoire"].dropna())
        parents = parent_map(self.territoires)
        out = set(located)
        for tid in located:
            out.update(walk_up(parents, tid))
        return sorted(out)


def _frame(raw: RawTable | None, table: contract.Table) -> pd.DataFrame:
    names = list(table.column_names)
    rows = [] if raw is None else [[row.get(c) or None for c in names] for row in raw.rows]
    df = pd.DataFrame(rows, columns=names, dtype=object)
    for col in table.columns:
        if col.kind == "int":
            df[col.name] = pd.array([None if v is None else int(v) for v in df[col.name]], dtype="Int64")
        elif col.kind == "bool":
            df[col.name] = pd.array([None if v is None else parse_bool(v) for v in df[col.name]], dtype="boolean")
        elif col.kind == "refs":
            items = [[i.strip() for i in (v or "").split(contract.LIST_SEPARATOR) if i.strip()] for v in df[col.name]]
            df[col.name] = pd.Series(items, dtype=object)
    if table.name == "liens":  # contract v3: a tie without attestation is an observed one
        df["attestation"] = [v or contract.OBSERVED for v in df["attestation"]]
    if table.key:
        df = df.sort_values(table.key, kind="stable")
    return df.reset_index(drop=True)


def _actors_spotted(monographies: pd.DataFrame, acteurs: pd.DataFrame) -> list[list[str]]:
    """Each monograph's ``acteurs`` that are actors, for the frame's « acteurs repérés » (axis 3, « acteurs dans une
    démarche ESS »): never a project, event, chantier, tool or platform it names (twenty-eighth reading: Terres de
    Convergence's « acteurs repérés : Événement Terre de Convergence … et Decidim », an event and a platform), nor the
    initiative itself."""
    kinds = dict(zip(acteurs["acteur_id"], acteurs["type"])) if len(acteurs) else {}
    return [
        [a for a in (acts or []) if a != mid and kinds.get(a) not in contract.CONTEXT_TYPES]
        for mid, acts in zip(monographies["id"], monographies["acteurs"])
    ]


def _monograph_frame(monos: list[RawMonograph]) -> pd.DataFrame:
    rows = []
    for m in monos:
        meta = m.meta
        row = {k: meta.get(k) for k in contract.MONOGRAPH_FIELDS}
        for group in ("innovation", "cooperation", "axes_recherche_action", "ressources"):
            row.pop(group, None)
        inno = meta.get("innovation") or {}
        coop = meta.get("cooperation") or {}
        row["acteurs"] = list(meta.get("acteurs") or [])
        row["besoins_non_couverts"] = list(meta.get("besoins_non_couverts") or [])
        row["objectifs"] = list(meta.get("objectifs") or [])
        row["contexte"] = list(meta.get("contexte") or [])
        row["resultats"] = list(meta.get("resultats") or [])
        row["innovation_sources"] = list(inno.get("sources") or [])
        row["innovation_description"] = inno.get("description")
        row["processus_participation"] = coop.get("processus_participation")
        row["regulation_frictions"] = coop.get("regulation_frictions")
        row["outils"] = list(coop.get("outils") or [])
        axes = meta.get("axes_recherche_action") or {}
        for axis in contract.AXES_RECHERCHE:
            row[f"axe_{axis}"] = axes.get(axis)
        res = meta.get("ressources") or {}
        for r in contract.RESSOURCES:
            row[f"ressources_{r}"] = res.get(r)
        row["etat"] = meta.get("etat") or "redigee"
        row["chiffres"] = dict(meta.get("chiffres") or {})
        row["sources"] = list(meta.get("sources") or [])
        for section in contract.MONOGRAPH_SECTIONS:
            row[f"section_{section}"] = m.sections.get(section, "")
        row["fichier"] = m.label
        rows.append(row)
    columns = (
        [
            "id",
            "titre",
            "territoire",
            "porteur",
            "acteurs",
            "annee",
            "origine",
            "etat",
            "marge_de_manoeuvre",
            "besoins_non_couverts",
            "objectifs",
            "contexte",
            "resultats",
            "innovation_sources",
            "innovation_description",
            "processus_participation",
            "regulation_frictions",
            "outils",
        ]
        + [f"axe_{a}" for a in contract.AXES_RECHERCHE]
        + [f"ressources_{r}" for r in contract.RESSOURCES]
        + ["chiffres", "sources"]
        + [f"section_{s}" for s in contract.MONOGRAPH_SECTIONS]
        + ["fichier"]
    )
    df = pd.DataFrame(rows, columns=columns)
    if len(df):
        df["annee"] = df["annee"].astype("Int64")
        for r in contract.RESSOURCES:
            df[f"ressources_{r}"] = df[f"ressources_{r}"].astype("Float64")
    return df.sort_values("id").reset_index(drop=True) if len(df) else df


def _content_hash(
    tables: dict[str, pd.DataFrame],
    monographies: pd.DataFrame,
    texts: dict[str, str],
    resources: tuple[pd.DataFrame, dict[str, str]] | None = None,
    evaluation: Evaluation | None = None,
    pages: dict[str, tuple[tuple[int, int | None], ...]] | None = None,
) -> str:
    """SHA-256 of what the corpus says, not of where or how it is stored.

    Computed from the parsed tables (contract columns, sorted by key), the monographs
    (front matter and sections, sorted by identifier) and the source texts, so that
    the same corpus gives the same fingerprint from a relative or an absolute path,
    whatever the order files are listed in, and from CSV files or a workbook.
    """
    h = hashlib.sha256()

    def feed(label: str, value) -> None:
        h.update(label.encode())
        h.update(b"\0")
        h.update(json.dumps(value, ensure_ascii=False, sort_keys=True, default=str).encode())
        h.update(b"\0")

    def cell(v):
        if v is None or v is pd.NA or (isinstance(v, float) and v != v):
            return None
        return v.item() if hasattr(v, "item") else v

    for name in contract.TABLE_ORDER:
        frame = tables[name]
        feed(name, [list(frame.columns), [[cell(v) for v in row] for row in frame.itertuples(index=False)]])
    monos = monographies.drop(columns=["fichier"], errors="ignore")
    feed("monographies", [[cell(v) for v in row] for row in monos.itertuples(index=False)])
    feed("sources", sorted(texts.items()))
    if resources is not None and (len(resources[0]) or resources[1]):  # a corpus without them keeps its hash
        frame, bodies = resources
        feed("ressources", [[cell(v) for v in row] for row in frame.itertuples(index=False)])
        feed("ressources_corps", sorted(bodies.items()))
    if evaluation is not None and (
        len(evaluation.campagnes) or evaluation.referentiels
    ):  # a corpus without evaluation keeps its fingerprint
        feed("evaluation", hash_payload(evaluation))
    if pages:  # a corpus without printed pages keeps its fingerprint
        feed("pages", sorted(pages.items()))
    return h.hexdigest()


def check_corpus(path: str | Path | None = None) -> list[Problem]:
    """Every problem of the corpus at ``path`` (empty list: valid). Never writes."""
    return validate(read_raw(path))


#: Who may already hold a parsed, validated corpus (see :func:`provide_parsed`).
_PROVIDERS: list = []


def provide_parsed(provider) -> None:
    """Let ``provider(path, pseudonymiser)`` give :func:`load_corpus` an already parsed corpus (or ``None``).

    A batch that validated the corpus once installs one in the processes its kernels fork
    from; the corpus layer calls it without knowing who it is. Registered once per function.
    """
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def load_corpus(path: str | Path | None = None, *, pseudonymiser: bool = False) -> Corpus:
    """Load and validate a corpus (default: the embedded one).

    Parameters
    ----------
    path : str or Path, optional
        A corpus folder (CSV files, an ``.xlsx`` workbook, ``monographies/``) or an
        ``.xlsx`` workbook. ``None`` (or ``""``) loads the default corpus of the 2019 seminar.
    pseudonymiser : bool
        Replace every person's name and identifier by a stable pseudonym
        (:func:`mesra.privacy.pseudonymise`).

    In a process started by a pseudonymised batch (``mesra briefs --pseudonymiser``), the
    corpus is pseudonymised whatever ``pseudonymiser`` says (:data:`mesra.corpus.privacy.RUN_ENV`).

    In a kernel started by ``mesra briefs``, the batch has already validated the corpus:
    when the files at ``path`` are still those it read, its parsed form is returned (a
    new copy at each call) instead of reading them again (the batch hands it over with
    :func:`provide_parsed`).

    Raises
    ------
    CorpusError
        When the corpus breaks the data contract; ``.problems`` lists every problem.
    """
    from mesra.corpus.privacy import run_is_pseudonymised

    pseudonymiser = bool(pseudonymiser) or run_is_pseudonymised()  # the run's property, not the call's
    for provider in _PROVIDERS:
        corpus = provider(path or None, pseudonymiser)
        if corpus is not None:
            return corpus
    corpus, _ = build_corpus(path or None)
    if pseudonymiser:
        from mesra.corpus.privacy import pseudonymise

        corpus = pseudonymise(corpus)
    return corpus


def build_corpus(path: str | Path | None = None) -> tuple[Corpus, RawCorpus]:
    """Read, validate and build the corpus at ``path``; also return what was read (its files)."""
    raw = read_raw(path or None)
    problems = validate(raw)
    if problems:
        raise CorpusError(problems, raw.path)
    tables = {name: _frame(raw.tables.get(name), contract.TABLES[name]) for name in contract.TABLE_ORDER}
    ref = raw.reference  # the reference geography and the communes the corpus names without declaring them
    own = tables["territoires"]
    territoires = pd.concat([ref, own], ignore_index=True) if len(own) else ref
    territoires = territoires.astype(object).where(territoires.notna(), None)
    monographies = _monograph_frame(raw.monographs)
    if len(monographies):
        monographies["acteurs_reperes"] = _actors_spotted(monographies, tables["acteurs"])
    ressources = _frame(raw.resources, contract.RESOURCE_TABLE)
    evaluation = build_evaluation(raw.evaluation)
    source_pages = parse_pages(raw.pages)
    corpus = Corpus(
        acteurs=tables["acteurs"],
        personnes=tables["personnes"],
        liens=tables["liens"],
        territoires=territoires.reset_index(drop=True),
        monographies=monographies,
        sources=tables["sources"],
        path=raw.path,
        hash=_content_hash(
            tables, monographies, raw.source_texts, (ressources, raw.resource_bodies), evaluation, source_pages
        ),
        source_texts=dict(raw.source_texts),
        source_pages=source_pages,
        actions=tables["actions"],
        suivi=tables["suivi"],
        roles=tables["roles"],
        ressources=ressources,
        ressource_bodies=dict(raw.resource_bodies),
        evaluation=evaluation,
    )
    return corpus, raw
