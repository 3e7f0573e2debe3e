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
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from mesra.corpus.load import RawCorpus, read_raw
from mesra.corpus.tables import read_csv_table
from mesra.corpus.validate import LOCATOR, line_ranges

__all__ = ["COVERAGE_FILE", "COLUMNS", "MAX_RANGE", "CoverageRange", "row_citations", "coverage_problems"]

#: Where the coverage table lives, relative to the corpus folder.
COVERAGE_FILE = Path("sources") / "couverture.csv"
COLUMNS = ("source_id", "lignes", "devenu", "hors_champ")
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


def read_coverage(root: Path) -> tuple[list[CoverageRange], list[str]]:
    """The coverage rows of the corpus at ``root`` and the problems of form met reading them."""
    path = root / COVERAGE_FILE
    problems: list[str] = []
    if not path.is_file():
        return [], [f"{COVERAGE_FILE}: fichier absent"]
    read: list = []
    table = read_csv_table(path, str(COVERAGE_FILE), read)
    if table is None:
        return [], [f"{p.label}:{p.line}: {p.field} : {p.message}" for p in read] or [f"{COVERAGE_FILE}: illisible"]
    missing = [c for c in COLUMNS if c not in table.header]
    if missing:
        return [], [f"{COVERAGE_FILE}:{table.header_line}: colonnes manquantes : {', '.join(missing)}"]
    out = []
    for line, row in zip(table.lines, table.rows, strict=True):
        m = _RANGE.match(row["lignes"])
        if not m:
            problems.append(f"{COVERAGE_FILE}:{line}: lignes : « {row['lignes']} » invalide (attendu L12 ou L12-20)")
            continue
        a, b = int(m.group("a")), int(m.group("b") or m.group("a"))
        devenu = tuple(x.strip() for x in row["devenu"].split("|") if x.strip())
        out.append(CoverageRange(line, row["source_id"], a, b, devenu, row["hors_champ"].strip()))
    return out, problems


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
