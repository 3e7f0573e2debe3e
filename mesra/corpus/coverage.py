"""The coverage table of a source: the audit trail of how its lines were coded (contract v3).

``sources/couverture.csv`` (in the corpus folder) has one row per range of lines of one
source: ``source_id,lignes,devenu,hors_champ``. ``lignes`` is ``L12`` or ``L12-20``;
``devenu`` lists, ``|``-separated, the rows those lines became (``acteurs:ardes``,
``personnes:luc-belval``, ``roles:luc-belval>apes``, ``liens:ardes>mes>membre_de``,
``actions:axe1-recherche-action``, ``monographies:generateur-bfc``,
``territoires:espagne``); ``hors_champ`` says, for a range set aside, why. Exactly one of
the two is filled. Ranges may overlap; a range spans at most :data:`MAX_RANGE` lines.

:func:`coverage_problems` checks both ways: every non-blank line of the source lies in a
range; every line a corpus row cites lies in a range that names the row; no set-aside
range holds a line that a row cites; each set-aside range gives a reason of its own.
It is the audit of a corpus (a test of the default corpus).

:func:`form_problems` is what ``mesra check`` asks of any corpus that has the table:
problems of form only (columns, ``lignes`` written ``L12`` or ``L12-20`` and inside the
text of a known source, exactly one of ``devenu`` and ``hors_champ``, every reference of
``devenu`` naming a row that exists), as :class:`~mesra.errors.Problem` lines.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from mesra.corpus.load import COVERAGE_TABLE, RawCorpus, read_raw
from mesra.corpus.tables import RawTable, read_csv_table
from mesra.corpus.validate import LOCATOR, Kind, line_ranges
from mesra.errors import Problem

__all__ = [
    "COVERAGE_FILE",
    "COLUMNS",
    "MAX_RANGE",
    "TABLES",
    "CoverageRange",
    "row_key",
    "row_keys",
    "row_citations",
    "coverage_problems",
    "form_problems",
]

#: Where the coverage table lives, relative to the corpus folder.
COVERAGE_FILE = COVERAGE_TABLE
COLUMNS = ("source_id", "lignes", "devenu", "hors_champ")
#: The tables a reference of ``devenu`` may name (``table:clé``).
TABLES = ("territoires", "acteurs", "personnes", "roles", "liens", "actions", "suivi", "monographies")
#: The longest range of lines one coverage row may span (no whole section in one row).
MAX_RANGE = 20
_RANGE = re.compile(r"^L(?P<a>\d+)(?:-L?(?P<b>\d+))?$")


@dataclass(frozen=True)
class CoverageRange:
    line: int  # line of the row in couverture.csv
    source_id: str
    start: int
    end: int
    devenu: tuple[str, ...]
    hors_champ: str


def row_key(table: str, row: dict[str, str]) -> str | None:
    """The reference of a corpus row in ``devenu`` (``acteurs:ardes``, ``liens:a>b>membre_de``)."""
    if table == "liens":
        return f"liens:{row.get('source_id', '')}>{row.get('cible_id', '')}>{row.get('relation', '')}"
    if table == "roles":
        return f"roles:{row.get('personne_id', '')}>{row.get('acteur_id', '')}"
    if table == "suivi":
        return f"suivi:{row.get('action_id', '')}>{row.get('date', '')}"
    key = {"acteurs": "acteur_id", "personnes": "personne_id", "actions": "action_id", "territoires": "territoire_id"}
    if table in key:
        return f"{table}:{row.get(key[table], '')}"
    return None


def _cited(locators: str) -> list[tuple[str, list[tuple[int, int]]]]:
    out = []
    for loc in re.split(r"[;|]", locators or ""):
        m = LOCATOR.match(loc.strip())
        if m and m.group("where"):
            ranges = line_ranges(m.group("where"))
            if ranges:
                out.append((m.group("source"), ranges))
    return out


def row_citations(raw: RawCorpus) -> dict[str, list[tuple[str, int, int]]]:
    """Every row of the corpus that cites lines: reference → ``[(source_id, start, end), …]``."""
    cites: dict[str, list[tuple[str, int, int]]] = {}
    for table, data in raw.tables.items():
        if data is None or table == "sources":
            continue
        for row in data.rows:
            key = row_key(table, row)
            if key is None:
                continue
            for sid, ranges in _cited(row.get("source", "")):
                cites.setdefault(key, []).extend((sid, a, b) for a, b in ranges)
    for mono in raw.monographs:
        key = f"monographies:{mono.meta.get('id', mono.path.stem)}"
        sources = mono.meta.get("sources") or []
        for loc in sources if isinstance(sources, list) else [sources]:
            for sid, ranges in _cited(str(loc)):
                cites.setdefault(key, []).extend((sid, a, b) for a, b in ranges)
    return cites


def row_keys(raw: RawCorpus) -> set[str]:
    """The reference of every row of the corpus (tables and monographs), whether it cites lines or not."""
    keys = {
        key
        for table, data in raw.tables.items()
        if data is not None and table != "sources"
        for key in (row_key(table, row) for row in data.rows)
        if key is not None
    }
    keys.update(f"monographies:{mono.meta.get('id', mono.path.stem)}" for mono in raw.monographs)
    return keys


def parse_coverage(table: RawTable) -> tuple[list[CoverageRange], list[Problem]]:
    """The ranges of a coverage table as read, and its problems of form (columns, ``lignes``)."""
    label = str(COVERAGE_FILE.as_posix())
    missing = [c for c in COLUMNS if c not in table.header]
    if missing:
        return [], [
            Problem(
                label,
                table.header_line,
                "colonnes",
                f"colonne(s) manquante(s) : {', '.join(missing)} (attendu : {','.join(COLUMNS)})",
                Kind.COLUMN,
            )
        ]
    out, problems = [], []
    for line, row in zip(table.lines, table.rows, strict=True):
        m = _RANGE.match(row["lignes"])
        if not m:
            problems.append(
                Problem(label, line, "lignes", f"« {row['lignes']} » invalide : attendu L12 ou L12-20", Kind.VALUE)
            )
            continue
        a, b = int(m.group("a")), int(m.group("b") or m.group("a"))
        devenu = tuple(x.strip() for x in row["devenu"].split("|") if x.strip())
        out.append(CoverageRange(line, row["source_id"], a, b, devenu, row["hors_champ"].strip()))
    return out, problems


def form_problems(table: RawTable, source_lines: dict[str, int], keys: set[str]) -> list[Problem]:
    """The problems of form of a coverage table (what ``mesra check`` reports).

    ``source_lines`` gives the number of lines of each source text of the corpus, ``keys``
    the reference of every row (:func:`row_keys`).
    """
    ranges, problems = parse_coverage(table)
    label = str(COVERAGE_FILE.as_posix())
    for r in ranges:
        n_lines = source_lines.get(r.source_id)
        if n_lines is None:
            problems.append(
                Problem(
                    label,
                    r.line,
                    "source_id",
                    f"source « {r.source_id} » sans texte dans le corpus : identifiant de sources.csv dont le "
                    "fichier est présent attendu",
                    Kind.UNKNOWN,
                )
            )
        elif not (1 <= r.start <= r.end <= n_lines):
            problems.append(
                Problem(label, r.line, "lignes", f"L{r.start}-{r.end} hors du texte (lignes 1 à {n_lines})", Kind.VALUE)
            )
        if bool(r.devenu) == bool(r.hors_champ):
            problems.append(
                Problem(
                    label,
                    r.line,
                    "devenu",
                    "remplir soit « devenu » (les lignes du corpus issues de la plage), soit « hors_champ » "
                    "(pourquoi la plage est laissée de côté), un seul des deux",
                    Kind.MISSING if not r.devenu else Kind.CONSISTENCY,
                )
            )
        for ref in r.devenu:
            table_name, sep, _ = ref.partition(":")
            if not sep or table_name not in TABLES:
                problems.append(
                    Problem(
                        label,
                        r.line,
                        "devenu",
                        f"« {ref} » invalide : attendu table:clé (tables : {', '.join(TABLES)} ; "
                        "ex. acteurs:ardes, liens:ardes>mes>membre_de)",
                        Kind.VALUE,
                    )
                )
            elif ref not in keys:
                problems.append(
                    Problem(label, r.line, "devenu", f"« {ref} » ne désigne aucune ligne du corpus", Kind.UNKNOWN)
                )
    return problems


def read_coverage(root: Path) -> tuple[list[CoverageRange], list[str]]:
    """The coverage rows of the corpus at ``root`` and the problems of form met reading them."""
    path = root / COVERAGE_FILE
    if not path.is_file():
        return [], [f"{COVERAGE_FILE}: fichier absent"]
    read: list = []
    table = read_csv_table(path, str(COVERAGE_FILE), read)
    if table is None:
        return [], [str(p) for p in read] or [f"{COVERAGE_FILE}: illisible"]
    out, problems = parse_coverage(table)
    return out, [str(p) for p in problems]


def _range_problems(r: CoverageRange, n_lines: int | None, known: set[str], reasons: Counter) -> list[str]:
    where = f"{COVERAGE_FILE}:{r.line}"
    if n_lines is None:
        return [f"{where}: source_id : « {r.source_id} » n'a pas de texte dans le corpus"]
    out = []
    if not (1 <= r.start <= r.end <= n_lines):
        out.append(f"{where}: lignes : L{r.start}-{r.end} hors du texte (1 à {n_lines})")
    if r.end - r.start + 1 > MAX_RANGE:
        out.append(f"{where}: lignes : plage de {r.end - r.start + 1} lignes (au plus {MAX_RANGE})")
    if bool(r.devenu) == bool(r.hors_champ):
        out.append(f"{where}: remplir soit « devenu », soit « hors_champ » (un seul des deux)")
    out += [
        f"{where}: devenu : « {ref} » ne désigne aucune ligne du corpus qui cite cette source"
        for ref in r.devenu
        if ref not in known
    ]
    if r.hors_champ and reasons[r.hors_champ] > 1:
        out.append(f"{where}: hors_champ : motif repris d'une autre plage ; chaque plage dit sa propre raison")
    return out


def _source_problems(sid: str, text: str, mine: list[CoverageRange], cites: dict) -> list[str]:
    out = []
    covered: set[int] = set()
    for r in mine:
        covered.update(range(r.start, r.end + 1))
    for n, content in enumerate(text.splitlines(), start=1):
        if content.strip() and n not in covered:
            out.append(f"{sid}#L{n}: ligne non blanche couverte par aucune plage de {COVERAGE_FILE}")
    aside = [r for r in mine if r.hors_champ]
    for key, cited in sorted(cites.items()):
        for n in sorted({n for csid, a, b in cited if csid == sid for n in range(a, b + 1)}):
            if not any(r.start <= n <= r.end and key in r.devenu for r in mine):
                out.append(f"{sid}#L{n}: citée par {key}, mais aucune plage qui la couvre ne la nomme")
            out += [
                f"{COVERAGE_FILE}:{r.line}: hors champ, mais L{n} est citée par {key}"
                for r in aside
                if r.start <= n <= r.end
            ]
    return out


def coverage_problems(path: str | Path | None = None, raw: RawCorpus | None = None) -> list[str]:
    """Problems of the coverage table of the corpus at ``path`` (French, one line each)."""
    raw = raw if raw is not None else read_raw(path)
    root = raw.path if raw.path.is_dir() else raw.path.parent
    ranges, problems = read_coverage(root)
    if not ranges and problems:
        return problems
    cites = row_citations(raw)
    reasons = Counter(r.hors_champ for r in ranges if r.hors_champ)
    for r in ranges:
        problems += _range_problems(r, raw.source_lines.get(r.source_id), set(cites), reasons)
    for sid, text in sorted(raw.source_texts.items()):
        mine = [r for r in ranges if r.source_id == sid]
        if mine:
            problems += _source_problems(sid, text, mine, cites)
    return problems
