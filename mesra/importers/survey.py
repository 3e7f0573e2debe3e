"""Co-evaluation answers from the tools groups collect them with: Decidim surveys, KoboToolbox.

``mesra import decidim-enquete EXPORT`` and ``mesra import kobo EXPORT`` turn one export of
answers (one row per respondent, one column per question) into rows of
``<corpus>/evaluation/reponses.csv`` (format: ``COEVAL.md`` / DESIGN.md, issue 26):
``campagne_id,evaluateur_id,point_de_vue,question_id,niveau,commentaire,preuve``.

The formats read (see ``tests/fixtures/enquete-decidim/README.md`` and
``tests/fixtures/kobo/README.md`` for the code each follows):

- **Decidim** survey answers, CSV (``;`` by default, Decidim's ``default_csv_col_sep``) or JSON:
  the columns of the respondent (« ID de réponse » — the session token —, « Répondu le »,
  « Hachage IP », « Statut de l'utilisateur »), then one column per question named
  ``"<position>. <question>"``; a matrix question is one column per row,
  ``"<position>. <question>/<row>"``; the choices of a multiple answer are joined by
  ``", "``; a choice with free text is written ``"<choice> (<text>)"``; cells starting with
  ``= + - @`` are guarded by ``'``.
- **KoboToolbox** CSV (formpack): ``;``-separated, every cell quoted, headers as labels or
  as XML names (``group/question`` when groups are in the headers); a ``select_multiple``
  is a summary column (choices separated by spaces) followed by one ``0``/``1`` column per
  choice (``question/choice``); metadata columns ``_id``, ``_uuid``, ``_submission_time``,
  ``_validation_status``, ``_notes``, ``_status``, ``_submitted_by``, ``_tags``, ``_index``; an
  optional second header row of HXL tags (``#tag``) is skipped.

The mapping file ``correspondance.csv`` (``colonne,question_id[,choix,niveau]``):

- ``colonne,question_id`` — the column (or matrix row) of the export that answers a question
  of the referential; its cells are choice labels (see below) or level values;
- ``colonne,question_id,,commentaire`` (or ``,,preuve``) — the column's text becomes the
  comment (or evidence) of that question's answer;
- ``colonne,question_id,choix,niveau`` — in that column, the choice labelled ``choix`` is the
  level ``niveau`` (an integer, or ``nsp`` for "ne sait pas"); with ``colonne`` empty, the
  choice holds in every column;
- ``colonne,point_de_vue,choix,vue`` — in the column that gives the respondent's viewpoint
  (``--colonne-point-de-vue``), the choice ``choix`` is the viewpoint ``vue``.

When a referential is known (``--referentiel`` or the campaign's in
``evaluation/campagnes.csv``), its question ids and levels are checked, and the labels of its
levels and of its "ne sait pas" are recognised without a mapping row.

Evaluators are pseudonymous: ``evaluateur_id`` is ``e-`` followed by ten hexadecimal digits of
a SHA-256 hash of the campaign and the export's respondent id (the session token or
``_uuid``), stable from one import of the same export to the next; no name, username
(``_submitted_by``), IP hash or date of the export is ever copied.

Nothing is lost silently: every problem (a column of the mapping missing from the export, a
choice without level, a level the question does not have…) is listed with its line, and
nothing is written while there is one; the report counts rows in, answers out, empty cells,
and names every column of the export that was not used.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from mesra.importers.apply import ImportInputError
from mesra.text import ID_PATTERN, fold

__all__ = [
    "RESPONSE_COLUMNS",
    "DEFAULT_VIEWPOINTS",
    "Mapping",
    "SurveyExport",
    "SurveyReport",
    "read_mapping",
    "read_decidim",
    "read_kobo",
    "import_survey",
    "evaluator_id",
]

#: Columns of ``evaluation/reponses.csv`` (COEVAL.md).
RESPONSE_COLUMNS = ("campagne_id", "evaluateur_id", "point_de_vue", "question_id", "niveau", "commentaire", "preuve")
#: The default viewpoints of a campaign and their labels (COEVAL.md).
DEFAULT_VIEWPOINTS = {
    "soi": "auto-évaluation",
    "pair": "pairs",
    "beneficiaire": "bénéficiaires",
    "partenaire": "partenaires",
    "financeur": "financeurs",
}
#: Where the answers go, relative to the corpus folder.
RESPONSES_PATH = Path("evaluation") / "reponses.csv"
VIEWPOINT = "point_de_vue"
_TEXT_FIELDS = ("commentaire", "preuve")
_MAX_SHOWN = 15

#: Decidim's respondent columns (decidim-forms/config/locales/fr.yml, ``user_answers_serializer``).
DECIDIM_ID_COLUMNS = ("ID de réponse", "id", "session_token")
DECIDIM_METADATA = {"ID de réponse", "Répondu le", "Hachage IP", "Statut de l'utilisateur", "id", "session_token"}
#: KoboToolbox's metadata columns (kpi exports, formpack).
KOBO_ID_COLUMNS = ("_uuid", "_id", "_index")
KOBO_METADATA = {
    "start",
    "end",
    "today",
    "deviceid",
    "username",
    "simserial",
    "subscriberid",
    "phonenumber",
    "audit",
    "__version__",
}


class SurveyInputError(ImportInputError):
    """An export or a mapping that cannot be imported (French message lists every problem)."""


def _problems_error(head: str, problems: list[str]) -> SurveyInputError:
    shown = "\n".join(f"  - {p}" for p in problems[:_MAX_SHOWN])
    more = f"\n  … et {len(problems) - _MAX_SHOWN} autre(s)" if len(problems) > _MAX_SHOWN else ""
    return SurveyInputError(f"{head} ; rien n'a été écrit :\n{shown}{more}")


def _norm(label: str) -> str:
    """A choice label as compared: accents, case and runs of blanks ignored."""
    return re.sub(r"\s+", " ", fold(label)).strip()


# --- reading CSV text ---------------------------------------------------------------------
def _read_text(path: Path, what: str) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SurveyInputError(f"{what} « {path} » introuvable : vérifiez le chemin.") from None
    except OSError as exc:
        raise SurveyInputError(f"{what} « {path} » illisible ({exc.strerror}).") from None
    if b"\x00" in data[:65536]:
        raise SurveyInputError(
            f"{what} « {path.name} » n'est pas un fichier texte : exportez les réponses en CSV (ou JSON pour Decidim)."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _csv_records(text: str, label: str) -> list[tuple[list[str], int]]:
    """The non-blank records of a CSV text with their first line; separator ``;`` or ``,``."""
    first = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") and ";" in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    out, line = [], 1
    try:
        for record in reader:
            if "".join(record).strip():
                out.append((record, line))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise SurveyInputError(
            f"{label}, ligne {reader.line_num} : CSV mal formé ({exc}) ; vérifiez les guillemets."
        ) from None
    if not out:
        raise SurveyInputError(f"{label} est vide : une ligne d'en-tête est attendue.")
    return out


# --- the mapping --------------------------------------------------------------------------
@dataclass
class Target:
    """What one column of the export answers: a question's level, comment or evidence."""

    question_id: str
    part: str = "niveau"  # niveau | commentaire | preuve
    line: int = 0


@dataclass
class Mapping:
    """``correspondance.csv`` read: columns → targets, choice labels → levels (per column or global)."""

    path: Path
    targets: dict[str, Target] = field(default_factory=dict)
    choices: dict[str, dict[str, str]] = field(default_factory=dict)  # colonne ("" = every column) → label → level
    labels: dict[str, dict[str, str]] = field(default_factory=dict)  # same, folded label → label as written
    viewpoints: dict[str, str] = field(default_factory=dict)  # folded label → viewpoint id
    viewpoint_columns: set[str] = field(default_factory=set)

    def level_of(self, column: str, label: str) -> str | None:
        key = _norm(label)
        for scope in (column, ""):
            if key in self.choices.get(scope, {}):
                return self.choices[scope][key]
        return None

    def known_labels(self, column: str) -> set[str]:
        return set(self.choices.get(column, {})) | set(self.choices.get("", {}))


def _level_value(value: str) -> bool:
    return value == "nsp" or value.isdigit()


def _mapping_header(records: list[tuple[list[str], int]], label: str) -> dict[str, int]:
    header = [h.strip().lower() for h in records[0][0]]
    where = {name: header.index(name) for name in ("colonne", "question_id", "choix", "niveau") if name in header}
    if "colonne" not in where or "question_id" not in where:
        raise SurveyInputError(
            f"{label} : l'en-tête doit contenir les colonnes « colonne » et « question_id » (puis, si besoin, "
            f"« choix » et « niveau ») ; trouvé : {', '.join(records[0][0])}."
        )
    return where


def read_mapping(path: str | Path) -> Mapping:
    """Read ``correspondance.csv``; raise :class:`SurveyInputError` listing every bad row."""
    path = Path(path)
    label = path.name
    records = _csv_records(_read_text(path, "Le fichier de correspondance"), label)
    where = _mapping_header(records, label)
    mapping, problems = Mapping(path), []
    width = len(records[0][0])
    for record, line in records[1:]:
        qid = record[where["question_id"]].strip() if where["question_id"] < len(record) else ""
        shifted = any(c.strip() for c in record[width:]) or not (not qid or qid == VIEWPOINT or ID_PATTERN.match(qid))
        if len(record) > width and shifted:
            problems.append(
                f"{label}, ligne {line} : {len(record)} valeurs pour {width} colonnes : une valeur qui contient "
                "le séparateur (une virgule dans l'en-tête d'une question…) doit être entre guillemets"
            )
            continue

        def cell(name: str, record=record) -> str:
            i = where.get(name)
            return record[i].strip() if i is not None and i < len(record) else ""

        _mapping_row(mapping, cell("colonne"), cell("question_id"), cell("choix"), cell("niveau"), line, problems)
    if problems:
        raise _problems_error(f"le fichier de correspondance « {label} » a des lignes incorrectes", problems)
    if not mapping.targets:
        raise SurveyInputError(
            f"{label} n'associe aucune colonne de l'export à une question : ajoutez au moins une ligne "
            "« colonne,question_id »."
        )
    return mapping


def _mapping_row(m: Mapping, column: str, qid: str, choice: str, level: str, line: int, problems: list) -> None:
    where = f"{m.path.name}, ligne {line}"
    if qid == VIEWPOINT:
        _viewpoint_row(m, column, choice, level, where, problems)
        return
    if qid:
        _target_row(m, column, qid, choice, level, line, where, problems)
    elif not choice:
        problems.append(f"{where} : ni question_id ni choix ; que faut-il faire de la colonne « {column} » ?")
        return
    if choice:
        _choice_row(m, column, choice, level, where, problems)


def _target_row(m: Mapping, column: str, qid: str, choice: str, level: str, line: int, where: str, problems) -> None:
    if not column:
        problems.append(f"{where} : question « {qid} » sans colonne de l'export")
        return
    if not ID_PATTERN.match(qid):
        problems.append(
            f"{where} : question_id « {qid} » n'est pas un identifiant (minuscules sans accent, chiffres, tirets)"
        )
        return
    part = level if (not choice and level in _TEXT_FIELDS) else "niveau"
    if not choice and level and level not in _TEXT_FIELDS:
        problems.append(
            f"{where} : niveau « {level} » sans choix ; pour une colonne de texte, "
            "écrivez « commentaire » ou « preuve »"
        )
        return
    old = m.targets.get(column)
    if old is not None and (old.question_id, old.part) != (qid, part):
        problems.append(
            f"{where} : la colonne « {column} » va déjà à « {old.question_id} » ({old.part}, ligne {old.line}) ; "
            "une colonne ne répond qu'à une question"
        )
        return
    m.targets[column] = Target(qid, part, line)


def _choice_row(m: Mapping, column: str, choice: str, level: str, where: str, problems: list) -> None:
    if not _level_value(level):
        problems.append(
            f"{where} : niveau « {level} » du choix « {choice} » : un entier (la valeur du niveau) ou « nsp » "
            "est attendu"
        )
        return
    scope = m.choices.setdefault(column, {})
    key = _norm(choice)
    if key in scope and scope[key] != level:
        problems.append(
            f"{where} : le choix « {choice} » a déjà le niveau {scope[key]} ; un choix n'a qu'un niveau par colonne"
        )
        return
    scope[key] = level
    m.labels.setdefault(column, {})[key] = choice


def _viewpoint_row(m: Mapping, column: str, choice: str, view: str, where: str, problems: list) -> None:
    if column:
        m.viewpoint_columns.add(column)
    if not choice:
        return
    if not ID_PATTERN.match(view):
        problems.append(f"{where} : point de vue « {view} » : un identifiant est attendu (ex. beneficiaire)")
        return
    m.viewpoints[_norm(choice)] = view


# --- the exports --------------------------------------------------------------------------
@dataclass
class SurveyExport:
    """An export of answers read: one dict per respondent, the source line of each."""

    kind: str  # decidim | kobo
    path: Path
    header: list[str]
    rows: list[dict[str, str]]
    lines: list[int]
    id_column: str
    metadata: set[str]
    #: separator of the choices of a multiple answer in one cell
    multiple_sep: str


def _unguard(value: str) -> str:
    """A Decidim cell without the ``'`` its exporter puts before ``= + - @``."""
    return value[1:] if value[:1] == "'" and value[1:2] in ("=", "+", "-", "@") else value


def _records_to_rows(records, label: str) -> tuple[list[str], list[dict[str, str]], list[int]]:
    header = [h.strip() for h in records[0][0]]
    dup = [h for h, n in Counter(header).items() if n > 1 and h]
    if dup:
        raise SurveyInputError(f"{label} : colonne(s) présente(s) deux fois dans l'en-tête : {', '.join(dup)}.")
    rows, lines = [], []
    for record, line in records[1:]:
        if len(record) > len(header) and any(c.strip() for c in record[len(header) :]):
            raise SurveyInputError(
                f"{label}, ligne {line} : {len(record)} valeurs pour {len(header)} colonnes : le séparateur "
                "apparaît-il dans une valeur sans guillemets ?"
            )
        rows.append({h: (record[i] if i < len(record) else "") for i, h in enumerate(header)})
        lines.append(line)
    return header, rows, lines


def _id_column(header: list[str], candidates, chosen: str | None, label: str) -> str:
    if chosen:
        if chosen not in header:
            raise SurveyInputError(f"{label} : la colonne d'identifiant « {chosen} » (--colonne-id) est absente.")
        return chosen
    for name in candidates:
        if name in header:
            return name
    raise SurveyInputError(
        f"{label} : aucune colonne d'identifiant de répondant ({', '.join(candidates)}) ; indiquez-la avec "
        "--colonne-id (un identifiant de session ou de soumission, jamais un nom)."
    )


def _flatten_decidim(item: dict) -> dict[str, str]:
    """A respondent of Decidim's JSON export as the columns of its CSV export (Decidim::Exporters::CSV)."""
    flat: dict[str, str] = {}

    def put(key: str, value) -> None:
        if isinstance(value, dict):
            for sub, v in value.items():
                put(f"{key}/{sub}", v)
        elif isinstance(value, list):
            flat[key] = ", ".join(str(v) for v in value if v is not None)
        else:
            flat[key] = "" if value is None else str(value)

    for key, value in item.items():
        put(str(key), value)
    return flat


def _read_decidim_json(path: Path) -> tuple[list[str], list[dict[str, str]], list[int]]:
    try:
        data = json.loads(_read_text(path, "L'export Decidim"))
    except json.JSONDecodeError as exc:
        raise SurveyInputError(f"{path.name} : JSON illisible (ligne {exc.lineno}) : {exc.msg}.") from None
    if not isinstance(data, list) or not all(isinstance(x, dict) for x in data):
        raise SurveyInputError(
            f"{path.name} : l'export JSON des réponses d'une enquête Decidim est une liste d'objets (un par répondant)."
        )
    rows = [_flatten_decidim(x) for x in data]
    header: list[str] = []
    for r in rows:
        header += [k for k in r if k not in header]
    return header, [{h: r.get(h, "") for h in header} for r in rows], list(range(1, len(rows) + 1))


def read_decidim(path: str | Path, *, id_column: str | None = None) -> SurveyExport:
    """A Decidim survey answers export (CSV or JSON)."""
    path = Path(path)
    if path.suffix.lower() in (".xls", ".xlsx"):
        raise SurveyInputError(
            f"{path.name} : exportez les réponses de l'enquête en CSV ou en JSON (menu « Exporter » de l'enquête)."
        )
    if path.suffix.lower() == ".json":
        header, rows, lines = _read_decidim_json(path)
    else:
        header, rows, lines = _records_to_rows(_csv_records(_read_text(path, "L'export Decidim"), path.name), path.name)
    rows = [{k: _unguard(v) for k, v in r.items()} for r in rows]
    ident = _id_column(header, DECIDIM_ID_COLUMNS, id_column, path.name)
    return SurveyExport("decidim", path, header, rows, lines, ident, DECIDIM_METADATA | {ident}, ", ")


def _is_tag_row(record: list[str]) -> bool:
    cells = [c.strip() for c in record if c.strip()]
    return bool(cells) and all(c.startswith("#") for c in cells)


def read_kobo(path: str | Path, *, id_column: str | None = None) -> SurveyExport:
    """A KoboToolbox CSV export (labels or XML names, groups in the headers or not)."""
    path = Path(path)
    if path.suffix.lower() in (".xls", ".xlsx"):
        raise SurveyInputError(f"{path.name} : exportez les données KoboToolbox en CSV (type d'export « CSV »).")
    records = _csv_records(_read_text(path, "L'export KoboToolbox"), path.name)
    if len(records) > 1 and _is_tag_row(records[1][0]):
        del records[1]  # the HXL tags under the header
    header, rows, lines = _records_to_rows(records, path.name)
    ident = _id_column(header, KOBO_ID_COLUMNS, id_column, path.name)
    meta = {h for h in header if h in KOBO_METADATA or h.startswith(("_", "meta/", "formhub/"))}
    return SurveyExport("kobo", path, header, rows, lines, ident, meta | {ident}, " ")


# --- the referential (read minimally: question ids and their levels) --------------------------
@dataclass
class Referential:
    path: Path
    levels: dict[str, dict[str, str]]  # question id → folded label → value ("nsp" for ne sait pas)


def read_referential(path: str | Path) -> Referential:
    """Question ids and level labels of a referential YAML (the full check is ``mesra check``'s)."""
    import yaml

    path = Path(path)
    try:
        doc = yaml.safe_load(_read_text(path, "Le référentiel"))
    except yaml.YAMLError as exc:
        raise SurveyInputError(f"{path.name} : YAML illisible ({exc}).") from None
    if not isinstance(doc, dict):
        raise SurveyInputError(f"{path.name} : un référentiel (referentiel, version, dimensions…) est attendu.")
    default = doc.get("niveaux") or []
    nsp = str(doc.get("ne_sait_pas") or "Ne sait pas")
    levels: dict[str, dict[str, str]] = {}
    for dim in doc.get("dimensions") or []:
        for crit in (dim or {}).get("criteres") or []:
            for q in (crit or {}).get("questions") or []:
                if isinstance(q, dict) and q.get("id"):
                    own = {
                        _norm(str(lv.get("libelle", ""))): str(lv.get("valeur")) for lv in q.get("niveaux") or default
                    }
                    own[_norm(nsp)] = "nsp"
                    levels[str(q["id"])] = own
    if not levels:
        raise SurveyInputError(f"{path.name} : aucune question trouvée (dimensions › criteres › questions › id).")
    return Referential(path, levels)


# --- turning cells into answers -----------------------------------------------------------------
def evaluator_id(campaign: str, respondent: str) -> str:
    """The pseudonymous evaluator id of a respondent of a campaign: stable, never a name."""
    return "e-" + hashlib.sha256(f"{campaign}\x1f{respondent}".encode()).hexdigest()[:10]


_FREE_TEXT = re.compile(r"^(?P<choice>.+?) \((?P<text>.*)\)$", re.S)


@dataclass
class _Context:
    export: SurveyExport
    mapping: Mapping
    referential: Referential | None
    problems: list[str] = field(default_factory=list)

    def where(self, i: int) -> str:
        return f"{self.export.path.name}, ligne {self.export.lines[i]}"


def _split_labels(cell: str, sep: str, known: set[str]) -> list[str] | None:
    """The known labels a multiple answer is made of (labels may hold the separator), or None."""
    parts = cell.split(sep)
    out, i = [], 0
    while i < len(parts):
        for j in range(len(parts), i, -1):
            if _norm(sep.join(parts[i:j])) in known:
                out.append(sep.join(parts[i:j]))
                i = j
                break
        else:
            return None
    return out


def _single_level(ctx: _Context, column: str, qid: str, label: str) -> str | None:
    level = ctx.mapping.level_of(column, label)
    if level is None and ctx.referential is not None:
        level = ctx.referential.levels.get(qid, {}).get(_norm(label))
    return level


def _cell_level(ctx: _Context, column: str, qid: str, cell: str) -> tuple[str | None, str, str]:
    """(level or None, free text of the choice, error) of one answer cell."""
    level = _single_level(ctx, column, qid, cell)
    if level is not None:
        return level, "", ""
    m = _FREE_TEXT.match(cell)
    if m and _single_level(ctx, column, qid, m["choice"]) is not None:
        return _single_level(ctx, column, qid, m["choice"]), m["text"].strip(), ""
    if _level_value(cell) and not ctx.mapping.choices.get(column):
        return cell, "", ""  # a level value written as is (KoboToolbox XML values, a number question)
    known = ctx.mapping.known_labels(column)
    if ctx.referential is not None:
        known |= set(ctx.referential.levels.get(qid, {}))
    parts = _split_labels(cell, ctx.export.multiple_sep, known) if ctx.export.multiple_sep in cell else None
    if parts:
        levels = {_single_level(ctx, column, qid, p) for p in parts}
        if len(levels) == 1:
            return levels.pop(), "", ""
        return None, "", f"plusieurs choix de niveaux différents ({' ; '.join(parts)}) pour la question « {qid} »"
    return (
        None,
        "",
        f"choix « {cell} » sans niveau : ajoutez une ligne « {column},{qid},{cell},NIVEAU » à la correspondance",
    )


def _check_level(ctx: _Context, qid: str, level: str) -> str:
    if ctx.referential is None or level == "nsp":
        return ""
    values = set(ctx.referential.levels.get(qid, {}).values()) - {"nsp"}
    if level not in values:
        return (
            f"niveau {level} absent des niveaux de la question « {qid} » dans {ctx.referential.path.name} "
            f"({', '.join(sorted(values, key=lambda v: (len(v), v)))})"
        )
    return ""


def _viewpoint(ctx: _Context, row: dict[str, str], i: int, constant: str | None, column: str | None, allowed) -> str:
    if constant:
        return constant
    cell = row.get(column or "", "").strip()
    if not cell:
        ctx.problems.append(f"{ctx.where(i)} : point de vue vide (colonne « {column} »)")
        return ""
    view = ctx.mapping.viewpoints.get(_norm(cell))
    if view is None:
        by_label = {_norm(v): k for k, v in DEFAULT_VIEWPOINTS.items()} | {_norm(k): k for k in allowed}
        view = by_label.get(_norm(cell))
    if view is None or view not in allowed:
        ctx.problems.append(
            f"{ctx.where(i)} : point de vue « {cell} » inconnu ({' | '.join(allowed)}) : ajoutez une ligne "
            f"« {column},point_de_vue,{cell},VUE » à la correspondance"
        )
        return ""
    return view


@dataclass
class _Counts:
    cells: int = 0
    empty: int = 0
    nsp: int = 0
    free_text: int = 0


def _row_answers(ctx: _Context, i: int, base: dict[str, str], counts: _Counts) -> dict[str, dict[str, str]]:
    """The answers (question id → row of reponses.csv) of the respondent on row ``i``."""
    row = ctx.export.rows[i]
    answers: dict[str, dict[str, str]] = {}
    for column, target in ctx.mapping.targets.items():
        cell = re.sub(r"\s+", " ", row.get(column, "")).strip() if target.part == "niveau" else row.get(column, "")
        if not cell.strip():
            counts.empty += target.part == "niveau"
            continue
        answer = answers.setdefault(target.question_id, dict(base, question_id=target.question_id))
        if target.part != "niveau":
            answer[target.part] = "\n".join(filter(None, [answer.get(target.part, ""), cell.strip()]))
            continue
        counts.cells += 1
        level, text, error = _cell_level(ctx, column, target.question_id, cell)
        error = error or _check_level(ctx, target.question_id, level or "")
        if error:
            ctx.problems.append(f"{ctx.where(i)}, colonne « {column} » : {error}")
            continue
        if answer.get("niveau") and answer["niveau"] != level:
            ctx.problems.append(
                f"{ctx.where(i)} : deux niveaux ({answer['niveau']} et {level}) "
                f"pour la question « {target.question_id} »"
            )
            continue
        answer["niveau"] = level or ""
        counts.nsp += level == "nsp"
        if text:
            counts.free_text += 1
            answer["commentaire"] = "\n".join(filter(None, [answer.get("commentaire", ""), text]))
    return answers


# --- the corpus side: campaign, referential, existing answers ---------------------------------
def _campaign(out: Path, campaign: str) -> dict[str, str] | None:
    path = out / "evaluation" / "campagnes.csv"
    if not path.exists():
        return None
    header, rows, _ = _records_to_rows(_csv_records(_read_text(path, "Le fichier"), "campagnes.csv"), "campagnes.csv")
    for row in rows:
        if row.get("campagne_id", "").strip() == campaign:
            return {k: v.strip() for k, v in row.items()}
    known = ", ".join(r.get("campagne_id", "") for r in rows) or "aucune"
    raise SurveyInputError(
        f"la campagne « {campaign} » n'est pas décrite dans {path} (campagnes : {known}) : ajoutez-la "
        "(titre, référentiel, version, structure ou territoire évalué, dates) ou corrigez --campagne."
    )


def _referential_for(out: Path, given: str | None, campaign: dict[str, str] | None) -> Referential | None:
    if given:
        return read_referential(given)
    if campaign and campaign.get("referentiel") and campaign.get("version"):
        path = out / "evaluation" / "referentiels" / f"{campaign['referentiel']}-v{campaign['version']}.yaml"
        if path.exists():
            return read_referential(path)
    return None


def _allowed_viewpoints(campaign: dict[str, str] | None) -> list[str]:
    listed = [v.strip() for v in (campaign or {}).get("points_de_vue", "").split("|") if v.strip()]
    return listed or list(DEFAULT_VIEWPOINTS)


@dataclass
class SurveyReport:
    """What an import of answers did (or would do, when ``applied`` is False)."""

    kind: str
    input: Path
    out: Path
    campaign: str
    respondents: int
    answers: int
    nsp: int
    empty: int
    free_text: int
    already: int
    unused: list[str]
    empty_columns: list[str]
    ignored_metadata: list[str]
    referential: Path | None
    applied: bool = True
    written: Path | None = None
    backup: Path | None = None
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """The French summary the CLI prints."""
        name = {"decidim": "enquête Decidim", "kobo": "KoboToolbox"}[self.kind]
        target = self.out / RESPONSES_PATH
        lines = [
            f"Import {name} « {self.input.name} » → {target}"
            + ("" if self.applied else " (aperçu : rien n'a été écrit)"),
            f"  Campagne « {self.campaign} » : {self.respondents} répondant(s) lu(s) → {self.answers} réponse(s) "
            f"(une par répondant et par question), dont {self.nsp} « ne sait pas »",
            f"  Cellules vides (sans réponse, non écrites) : {self.empty}",
        ]
        if self.free_text:
            lines.append(f"  Textes libres joints à un choix, mis en commentaire : {self.free_text}")
        if self.already:
            lines.append(f"  Réponses déjà présentes dans reponses.csv (identiques, non réécrites) : {self.already}")
        lines.append(
            "  Niveaux vérifiés avec le référentiel " + (self.referential.name if self.referential else "")
            if self.referential
            else "  Aucun référentiel indiqué : les niveaux n'ont pas été comparés à ceux des questions"
        )
        lines.append(_listed("Colonnes non utilisées (absentes de la correspondance)", self.unused))
        if self.empty_columns:
            lines.append(_listed("Colonnes vides ignorées", self.empty_columns))
        lines.append(_listed("Métadonnées non copiées (identifiants, dates, statut)", self.ignored_metadata))
        lines += [f"  {n}" for n in self.notes]
        if self.applied:
            lines.append(
                f"  Fichier écrit : {self.written}" if self.written else "  Aucun fichier écrit (rien de neuf)"
            )
            if self.backup is not None:
                lines.append(f"  Sauvegarde du fichier remplacé : {self.backup}")
        else:
            lines.append(
                f"  Aucun fichier écrit : {target} existe déjà. Relisez ce résumé, puis relancez avec --force "
                "pour y ajouter ces réponses."
            )
        return "\n".join(lines)


def _listed(head: str, items: list[str]) -> str:
    if not items:
        return f"  {head} : aucune"
    return f"  {head} ({len(items)}) : " + " ; ".join(f"« {c} »" for c in items)


# --- writing ------------------------------------------------------------------------------
def _existing_answers(path: Path):
    """The existing reponses.csv as written (to append without loss), keyed by answer."""
    from mesra.corpus.tables import raw_table, read_csv_file

    problems: list = []
    f = read_csv_file(path, "evaluation/reponses.csv", problems)
    if f is None or problems:
        raise _problems_error(f"{path} ne peut pas être relu sans perte", [str(p) for p in problems])
    missing = [c for c in RESPONSE_COLUMNS if c not in [h.strip() for h in f.header]]
    if missing:
        raise SurveyInputError(f"{path} : colonne(s) absente(s) de l'en-tête : {', '.join(missing)}.")
    rows = raw_table(f, problems).rows
    return f, {(r["campagne_id"], r["evaluateur_id"], r["question_id"]): r for r in rows}


def _new_file_bytes(rows: list[dict[str, str]]) -> bytes:
    import pandas as pd

    from mesra.files import csv_text

    frame = pd.DataFrame(rows, columns=list(RESPONSE_COLUMNS), dtype=object).fillna("")
    return csv_text(frame).encode("utf-8")


def _appended_bytes(f, rows: list[dict[str, str]]) -> bytes:
    """The existing file's bytes, then ``rows`` in its separator, line end and column order."""
    from mesra.corpus.writer import csv_bytes
    from mesra.files import spreadsheet_safe

    names = [h.strip() for h in f.header]
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=f.delimiter, lineterminator=f.newline)
    for r in rows:
        writer.writerow([spreadsheet_safe(str(r.get(n, ""))) for n in names])
    text = f.text
    if text and not text.endswith(("\n", "\r")):
        text += f.newline
    return csv_bytes(f, text + buf.getvalue())[0]


def _merge_existing(path: Path, rows: list[dict[str, str]]) -> tuple[object, list[dict[str, str]], int]:
    f, existing = _existing_answers(path)
    new, same, conflicts = [], 0, []
    for r in rows:
        old = existing.get((r["campagne_id"], r["evaluateur_id"], r["question_id"]))
        if old is None:
            new.append(r)
        elif all(old.get(c, "").strip() == (r.get(c) or "").strip() for c in RESPONSE_COLUMNS):
            same += 1
        else:
            conflicts.append(
                f"{r['evaluateur_id']} / {r['question_id']} : niveau {old.get('niveau', '')!r} déjà écrit, "
                f"{r.get('niveau', '')!r} dans l'export"
            )
    if conflicts:
        raise _problems_error(
            f"{path} contient déjà d'autres réponses de ces évaluateurs pour la campagne « {rows[0]['campagne_id']} » "
            "(retirez-les d'abord si l'export les corrige)",
            conflicts,
        )
    return f, new, same


def _write(report: SurveyReport, rows: list[dict[str, str]], force: bool) -> None:
    from mesra.importers.apply import replace_together

    path = report.out / RESPONSES_PATH
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        report.backup = replace_together(report.out, {path: _new_file_bytes(rows)})
        report.written = path
        return
    f, new, report.already = _merge_existing(path, rows)
    if not force:
        report.applied = False
        return
    if new:
        report.backup = replace_together(report.out, {path: _appended_bytes(f, new)})
        report.written = path


# --- the import -----------------------------------------------------------------------------
def _check_columns(export: SurveyExport, mapping: Mapping) -> None:
    """Every column of the mapping is a column of the export (KoboToolbox: a unique group path ends with it)."""
    problems, renamed = [], {}
    for column in mapping.targets:
        if column in export.header:
            continue
        ends = [h for h in export.header if h.endswith("/" + column)] if export.kind == "kobo" else []
        if len(ends) == 1:
            renamed[column] = ends[0]
            continue
        near = [h for h in export.header if _norm(h) == _norm(column)]
        hint = f" (vouliez-vous « {near[0]} » ?)" if near else ""
        problems.append(
            f"{mapping.path.name}, ligne {mapping.targets[column].line} : colonne « {column} » absente de "
            f"l'export {export.path.name}{hint}"
        )
    mapping.targets = {renamed.get(c, c): t for c, t in mapping.targets.items()}
    mapping.choices = {renamed.get(c, c): v for c, v in mapping.choices.items()}
    for column in mapping.choices:
        if column and column not in mapping.targets and column not in mapping.viewpoint_columns:
            problems.append(
                f"{mapping.path.name} : des choix sont donnés pour la colonne « {column} », qu'aucune ligne "
                "n'associe à une question (ajoutez « colonne,question_id »)"
            )
    if problems:
        raise _problems_error("la correspondance nomme des colonnes que l'export n'a pas", problems)


def _check_questions(mapping: Mapping, referential: Referential | None) -> None:
    if referential is None:
        return
    unknown = [
        f"{mapping.path.name}, ligne {t.line} : question « {t.question_id} » absente de {referential.path.name}"
        for t in mapping.targets.values()
        if t.question_id not in referential.levels
    ]
    if unknown:
        raise _problems_error("la correspondance nomme des questions que le référentiel n'a pas", unknown)


def _viewpoint_options(export: SurveyExport, mapping: Mapping, constant: str | None, column: str | None, allowed):
    if bool(constant) == bool(column):
        raise SurveyInputError(
            "indiquez le point de vue des répondants : --point-de-vue VUE (le même pour tous, ex. beneficiaire) "
            "ou --colonne-point-de-vue EN-TÊTE (la question de l'export qui le demande), pas les deux."
        )
    if constant and constant not in allowed:
        raise SurveyInputError(f"point de vue « {constant} » inconnu pour cette campagne ({' | '.join(allowed)}).")
    if column and column not in export.header:
        raise SurveyInputError(f"{export.path.name} : colonne du point de vue « {column} » absente de l'export.")


def _unused_columns(export: SurveyExport, used: set[str]) -> tuple[list[str], list[str], list[str]]:
    unused, empty, meta = [], [], []
    for h in export.header:
        if h in used:
            continue
        if h in export.metadata:
            meta.append(h)
        elif any(r.get(h, "").strip() for r in export.rows):
            unused.append(h)
        else:
            empty.append(h)
    return unused, empty, meta


def _respondent_ids(ctx: _Context, campaign: str) -> list[str]:
    export, seen, ids = ctx.export, {}, []
    for i, row in enumerate(export.rows):
        rid = row.get(export.id_column, "").strip()
        if not rid:
            ctx.problems.append(f"{ctx.where(i)} : identifiant de répondant vide (colonne « {export.id_column} »)")
        elif rid in seen:
            ctx.problems.append(
                f"{ctx.where(i)} : même répondant qu'à la ligne {export.lines[seen[rid]]} "
                f"({export.id_column} identique) : l'export contient-il deux fois la même réponse ?"
            )
        seen.setdefault(rid, i)
        ids.append(evaluator_id(campaign, rid))
    return ids


def import_survey(
    kind: str,
    path: str | Path,
    out: str | Path,
    *,
    correspondance: str | Path,
    campagne: str,
    point_de_vue: str | None = None,
    colonne_point_de_vue: str | None = None,
    colonne_id: str | None = None,
    referentiel: str | Path | None = None,
    force: bool = False,
) -> SurveyReport:
    """Import an export of answers (``kind``: ``decidim`` or ``kobo``) into ``out/evaluation/reponses.csv``.

    Raises :class:`SurveyInputError` (nothing written) on any problem of the export, the
    mapping or the corpus folder; see the module docstring.
    """
    from mesra.text import check_identifier

    check_identifier(campagne, "campagne", "ag-2026, evaluation-2025")
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise SurveyInputError(f"« {out} » n'est pas un dossier : indiquez avec --out le dossier du corpus.")
    reader = {"decidim": read_decidim, "kobo": read_kobo}[kind]
    export = reader(path, id_column=colonne_id)
    mapping = read_mapping(correspondance)
    _check_columns(export, mapping)
    campaign = _campaign(out, campagne)
    referential = _referential_for(out, str(referentiel) if referentiel else None, campaign)
    _check_questions(mapping, referential)
    allowed = _allowed_viewpoints(campaign)
    _viewpoint_options(export, mapping, point_de_vue, colonne_point_de_vue, allowed)
    ctx = _Context(export, mapping, referential)
    ids = _respondent_ids(ctx, campagne)
    rows, counts = [], _Counts()
    for i, row in enumerate(export.rows):
        view = _viewpoint(ctx, row, i, point_de_vue, colonne_point_de_vue, allowed)
        base = {c: "" for c in RESPONSE_COLUMNS} | {"campagne_id": campagne, "evaluateur_id": ids[i], VIEWPOINT: view}
        rows += [
            a for a in _row_answers(ctx, i, base, counts).values() if a["niveau"] or a["commentaire"] or a["preuve"]
        ]
    if ctx.problems:
        raise _problems_error(f"l'export « {export.path.name} » ne peut pas être importé tel quel", ctx.problems)
    if not rows:
        raise SurveyInputError(f"{export.path.name} : aucune réponse à importer (toutes les cellules sont vides).")
    used = set(mapping.targets) | ({colonne_point_de_vue} if colonne_point_de_vue else set())
    unused, empty, meta = _unused_columns(export, used)
    report = SurveyReport(
        kind, export.path, out, campagne, len(export.rows), len(rows), counts.nsp, counts.empty, counts.free_text,
        0, unused, empty, meta, referential.path if referential else None,
    )  # fmt: skip
    if campaign is None:
        report.notes.append(
            f"La campagne « {campagne} » n'est pas encore décrite : "
            f"ajoutez-la à {out / 'evaluation' / 'campagnes.csv'}."
        )
    _write(report, rows, force)
    return report
