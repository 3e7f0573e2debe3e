"""Validation of a raw corpus against the data contract.

Every problem is reported, one per line, as ``file:line: field: what is wrong and what
is expected`` (French wording). :func:`iter_problems` yields them as it finds them, in
one pass over the corpus whose cost is linear in its size: the suggestions for an
unknown identifier (« vouliez-vous dire … ? ») come from one
:class:`~mesra.errors.CloseMatcher` per set of identifiers, built once. :func:`validate`
returns them all, sorted by file and line.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator

from mesra.corpus import contract
from mesra.corpus.dates import date_problem, period
from mesra.corpus.monographs import missing_sections
from mesra.errors import CloseMatcher, Problem
from mesra.text import ID_PATTERN

__all__ = ["validate", "iter_problems", "Kind", "formula_risk", "parse_bool", "LOCATOR", "line_ranges"]

LOCATOR = re.compile(r"^(?P<source>[a-z0-9]+(?:-[a-z0-9]+)*)(?:#(?P<where>.+))?$")
_LINES = re.compile(r"^L(?P<a>\d+)(?:-L?(?P<b>\d+))?$")


class Kind:
    """The nature of a problem, in French (:attr:`Problem.kind`, counted by ``mesra check``)."""

    READING = "lecture du fichier"
    FILE = "fichier manquant ou refusé"
    COLUMN = "colonne"
    MISSING = "valeur obligatoire manquante"
    BAD_ID = "identifiant invalide"
    DUPLICATE = "identifiant en double"
    UNKNOWN = "identifiant inconnu"
    VOCABULARY = "valeur hors vocabulaire"
    VALUE = "valeur invalide"
    LOCATOR = "référence de source"
    FORMULA = "formule de tableur"
    CONTROL = "caractère de contrôle"
    FIELD = "champ inconnu"
    CONSISTENCY = "incohérence"
    SECTION = "section manquante"


def line_ranges(where: str | None) -> list[tuple[int, int]] | None:
    """Line ranges of a locator such as ``L12``, ``L12-20`` or ``L12-20,L31``; None if not lines."""
    parts = [p.strip() for p in (where or "").split(",")]
    out = []
    for part in parts:
        m = _LINES.match(part)
        if not m:
            return None
        out.append((int(m.group("a")), int(m.group("b") or m.group("a"))))
    return out


def parse_bool(value: str) -> bool | None:
    """``true``/``false`` (also ``vrai``/``faux``, ``oui``/``non``, ``1``/``0``)."""
    v = value.strip().lower()
    if v in contract.TRUE_WORDS:
        return True
    if v in contract.FALSE_WORDS:
        return False
    return None


_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")


def formula_risk(written: str) -> str | None:
    """Why a spreadsheet opening the CSV file would run this cell as a formula, or None.

    Flagged: a cell starting with ``=``; with ``+``, ``-`` or ``@`` followed by anything
    but a blank (``@SUM(1)``, ``+A1``, ``-2+3+cmd|…``); with a tab or a carriage return.
    Not flagged, because a spreadsheet reads them as what they are: a number (``-5``,
    ``+3,5``: years, quantities) and ``-``, ``+`` or ``@`` alone or followed by a blank
    (a dash that opens a text, « - à revoir », « + de liens »), unless that text holds a
    ``(`` or a ``|``, which a formula needs to call a function or another program.

    >>> formula_risk("=HYPERLINK(A1)"), formula_risk("-5"), formula_risk("- à revoir")
    ('commence par « = »', None, None)
    """
    if written[:1] in ("\t", "\r") and written.strip():
        return "commence par une tabulation ou un retour chariot"
    text = written.strip()
    first, rest = text[:1], text[1:]
    if first == "=":
        return "commence par « = »"
    if not first or first not in "+-@" or not rest:
        return None
    if first != "@" and _NUMBER.match(text):
        return None
    if rest[0].isspace() and "(" not in rest and "|" not in rest:
        return None
    return f"commence par « {first} »"


def _choices(values) -> str:
    values = list(values)
    shown = ", ".join(values[:12])
    return shown + (", …" if len(values) > 12 else "")


def _shown(text: str, width: int = 40) -> str:
    text = text.replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n").strip()
    return text if len(text) <= width else text[: width - 1] + "…"


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


_GROUPS = {
    "innovation": {"sources": contract.INNOVATION_SOURCES, "description": None},
    "cooperation": {
        "processus_participation": None,
        "regulation_frictions": None,
        "outils": contract.OUTILS_COOPERATION,
    },
    "axes_recherche_action": {k: None for k in contract.AXES_RECHERCHE},
}

#: How each front-matter field of a monograph is checked (``id`` and the body apart):
#: field → (check, argument). ``ref``/``ref_list`` name the table and the message.
MONOGRAPH_CHECKS: dict[str, tuple[str, object]] = {
    "titre": ("text", None),
    "marge_de_manoeuvre": ("text", None),
    "territoire": (
        "ref",
        (
            "territoires",
            "territoire « {value} » inconnu : identifiant de la géographie de référence ou de territoires.csv, "
            "ou commune (code INSEE, « nom (code postal) ») attendu",
        ),
    ),
    "porteur": ("ref", ("acteurs", "acteur « {value} » inconnu dans la table acteurs")),
    "acteurs": ("ref_list", ("acteurs", "acteur « {value} » inconnu dans la table acteurs")),
    "annee": ("year", None),
    "origine": ("vocab", contract.ORIGINES),
    "etat": ("vocab", contract.MONOGRAPH_STATES),
    "besoins_non_couverts": ("text_list", None),
    "objectifs": ("text_list", None),
    "contexte": ("text_list", None),
    "resultats": ("text_list", None),
    "innovation": ("group", _GROUPS["innovation"]),
    "cooperation": ("group", _GROUPS["cooperation"]),
    "axes_recherche_action": ("group", _GROUPS["axes_recherche_action"]),
    "ressources": ("resources", None),
    "chiffres": ("numbers", None),
    "sources": ("locators", None),
}


class _Validator:
    """One pass over a raw corpus; problems wait in ``pending`` until the caller takes them."""

    def __init__(self, raw, hints: int | None = None, already: int = 0):
        self.raw = raw
        self.ids: dict[str, set[str]] = {}
        self.pending: list[Problem] = []
        self.emitted = already
        self.hint_limit = hints
        self._known_cache: dict[tuple[str, ...], set[str]] = {}
        self._matchers: dict[object, CloseMatcher] = {}
        self._locators: dict[str, tuple[str, str] | None] = {}
        self._good_locators: set[str] = set()

    # --- problems and suggestions ------------------------------------------
    def add(self, label, line, field, message, kind):
        self.pending.append(Problem(label, line, field, message, kind))

    def flush(self) -> list[Problem]:
        out, self.pending = self.pending, []
        if len(out) > 1:
            out = list(dict.fromkeys(out))
        self.emitted += len(out)
        return out

    def hint(self, value: object, key: object, known: Callable[[], Iterable[str]]) -> str:
        """The suggestion for ``value`` among ``known()`` (one matcher per ``key``), within the budget."""
        if self.hint_limit is not None and self.emitted + len(self.pending) >= self.hint_limit:
            return ""
        matcher = self._matchers.get(key)
        if matcher is None:
            matcher = self._matchers[key] = CloseMatcher(known())
        return matcher.hint(value)

    def known(self, tables: tuple[str, ...]) -> set[str]:
        """Identifiers of ``tables`` together (cached: ids are final once keys are read)."""
        if tables not in self._known_cache:
            self._known_cache[tables] = set().union(*(self.ids.get(t, set()) for t in tables))
        return self._known_cache[tables]

    def id_hint(self, value: object, tables: tuple[str, ...]) -> str:
        return self.hint(value, tables, lambda: self.known(tables))

    def words_hint(self, value: object, words: Iterable[str]) -> str:
        words = tuple(words)
        return self.hint(value, words, lambda: words)

    # --- the whole pass ------------------------------------------------------
    def run(self) -> Iterator[Problem]:
        for name in contract.TABLE_ORDER:
            yield from self.read_keys(name)
        for name in contract.TABLE_ORDER:
            yield from self.check_rows(name)
        self.check_territory_cycles()
        self.check_self_ties()
        self.check_source_files()
        self.check_coverage()
        self.check_pages()
        self.check_resources()
        self.check_evaluation()
        yield from self.flush()
        seen: dict[str, str] = {}
        for mono in self.raw.monographs:
            self.check_monograph(mono, seen)
            yield from self.flush()

    # --- locators ------------------------------------------------------------
    def check_locator(self, label, line, field, value):
        if value not in self._locators:
            self._locators[value] = self._locator_problem(value)
        found = self._locators[value]
        if found is None:
            self._good_locators.add(value)
        else:
            self.add(label, line, field, found[1], found[0])

    def _locator_problem(self, value) -> tuple[str, str] | None:
        m = LOCATOR.match(value)
        if not m:
            return (
                Kind.LOCATOR,
                f"référence de source « {value} » invalide : attendu « identifiant_source#repère » "
                "(ex. actes-coconstruire-2019#L120-135)",
            )
        sid = m.group("source")
        if sid not in self.ids.get("sources", set()):
            hint = self.id_hint(sid, ("sources",))
            return Kind.UNKNOWN, f"source « {sid} » inconnue : elle doit figurer dans la table sources{hint}"
        ranges = line_ranges(m.group("where"))
        n_lines = self.raw.source_lines.get(sid)
        for a, b in (ranges or []) if n_lines is not None else []:
            if not (1 <= a <= b <= n_lines):
                return Kind.LOCATOR, f"lignes {a}-{b} hors du texte de la source « {sid} » (1 à {n_lines})"
        return None

    # --- tables: header and keys ----------------------------------------------
    def read_keys(self, name) -> Iterator[Problem]:
        table = contract.TABLES[name]
        raw = self.raw.tables.get(name)
        ref_ids = set(self.raw.reference["territoire_id"]) if name == "territoires" else set()
        if raw is None:
            if not table.optional and name not in self.raw.unreadable:
                self.add(
                    table.filename,
                    1,
                    "fichier",
                    f"table « {name} » manquante : créez {table.filename} ({table.description})",
                    Kind.FILE,
                )
            self.ids[name] = ref_ids
            yield from self.flush()
            return
        self.check_header(raw, table)
        yield from self.flush()
        keys: dict[str, int] = {}
        if table.key and table.key in raw.header:
            for row, line in zip(raw.rows, raw.lines):
                self.check_key(raw.label, line, table.key, row.get(table.key, ""), keys, ref_ids)
                if self.pending:
                    yield from self.flush()
        self.ids[name] = set(keys) | ref_ids
        if name == "personnes":
            yield from self.check_person_actor_clash(raw)

    def check_header(self, raw, table):
        for col in (c.name for c in table.columns if c.required and c.name not in raw.header):
            self.add(
                raw.label,
                raw.header_line,
                col,
                f"colonne obligatoire absente ; colonnes attendues : {', '.join(table.column_names)}",
                Kind.COLUMN,
            )
        for col in (h for h, n in Counter(raw.header).items() if n > 1 and h):
            self.add(raw.label, raw.header_line, col, "colonne présente deux fois dans l'en-tête", Kind.COLUMN)

    def check_key(self, label, line, key, value, keys, ref_ids):
        if not value:
            return
        if value in ref_ids:
            self.add(
                label,
                line,
                key,
                f"« {value} » est déjà dans la géographie de référence : n'ajoutez que les territoires qui y manquent",
                Kind.DUPLICATE,
            )
        elif value in keys:
            self.add(label, line, key, f"identifiant « {value} » en double (déjà ligne {keys[value]})", Kind.DUPLICATE)
        else:
            keys[value] = line

    def check_person_actor_clash(self, raw) -> Iterator[Problem]:
        clash = self.ids["personnes"] & self.ids.get("acteurs", set())
        if not clash:
            return
        for row, line in zip(raw.rows, raw.lines):
            if row.get("personne_id") in clash:
                self.add(
                    raw.label,
                    line,
                    "personne_id",
                    f"« {row['personne_id']} » est aussi un identifiant d'acteur : "
                    "les identifiants doivent être uniques entre acteurs et personnes",
                    Kind.DUPLICATE,
                )
                yield from self.flush()

    # --- tables: cells ---------------------------------------------------------
    def check_rows(self, name) -> Iterator[Problem]:
        raw = self.raw.tables.get(name)
        if raw is None:
            return
        checks = [
            (col.name, col.required, self.known_good(col), self.cell_check(col))
            for col in contract.TABLES[name].columns
            if col.name in raw.header
        ]
        label, add = raw.label, self.add
        span = self.period_columns(name, raw)
        for row, line in zip(raw.rows, raw.lines):
            for column, required, good, check in checks:
                value = row.get(column, "")
                if not value:
                    if required:
                        add(label, line, column, "valeur obligatoire manquante", Kind.MISSING)
                elif check is not None and value not in good:
                    check(label, line, column, value)
            if span:
                self.check_period(label, line, span, row.get(span[0], ""), row.get(span[1], ""))
            if self.pending:
                yield from self.flush()
        self.check_formulas(raw)
        self.check_controls(raw)
        yield from self.flush()

    def known_good(self, col: contract.Column) -> set[str] | frozenset[str]:
        """Values of column ``col`` known to pass its check, looked up before calling it."""
        if col.kind == "ref":
            return self.known(col.ref)
        if col.kind == "vocab":
            return frozenset(contract.VOCABULARIES[col.vocab])
        if col.kind == "bool":
            return contract.TRUE_WORDS | contract.FALSE_WORDS
        if col.kind == "locator":
            return self._good_locators  # grows as locators pass
        return frozenset()

    def cell_check(self, col: contract.Column) -> Callable[[str, int, str, str], None] | None:
        """The check of one non-empty cell of column ``col`` (None: any text goes)."""
        if col.kind == "ref":
            return self.ref_check(col.ref)
        if col.kind == "vocab":
            return self.vocab_check(col.vocab)
        if col.kind == "int":
            return self.int_check(col.minimum, col.maximum)
        if col.kind == "refs":
            return self.refs_check(col.ref)
        if col.kind == "date":
            return self.date_check(col.minimum, col.maximum)
        return {"id": self.check_id, "bool": self.check_bool, "locator": self.check_locator}.get(col.kind)

    def check_id(self, label, line, field, value):
        if not ID_PATTERN.match(value):
            self.add(
                label,
                line,
                field,
                f"identifiant « {value} » invalide : lettres minuscules sans accent, chiffres "
                "et tirets uniquement (ex. mes-occitanie)",
                Kind.BAD_ID,
            )

    def ref_check(self, tables: tuple[str, ...]):
        what = " ou ".join(contract.TABLES[t].filename for t in tables)
        known = self.known(tables)  # final: every key is read before the first cell

        def check(label, line, field, value):
            if value not in known:
                hint = self.id_hint(value, tables)
                where = what
                if "territoires" in tables:  # or name a commune mesra knows (a misspelt one gets a hint)
                    hint = hint or self.raw.territory_hints.get(value, "")
                    where += " ou la géographie de référence, ou nommer une commune (code INSEE, « nom (code postal) »)"
                self.add(
                    label,
                    line,
                    field,
                    f"identifiant « {value} » inconnu : il doit exister dans {where}{hint}",
                    Kind.UNKNOWN,
                )

        return check

    def vocab_check(self, vocab: str):
        allowed = contract.VOCABULARIES[vocab]
        members = frozenset(allowed)

        def check(label, line, field, value):
            if value not in members:
                self.add(
                    label,
                    line,
                    field,
                    f"valeur « {value} » hors vocabulaire{self.words_hint(value, allowed)} ; "
                    f"valeurs possibles : {_choices(allowed)}",
                    Kind.VOCABULARY,
                )

        return check

    def check_bool(self, label, line, field, value):
        if parse_bool(value) is None:
            self.add(label, line, field, f"valeur « {value} » invalide : true ou false attendu", Kind.VALUE)

    def int_check(self, minimum: int | None, maximum: int | None):
        def check(label, line, field, value):
            try:
                number = int(value)
            except ValueError:
                self.add(label, line, field, f"« {value} » n'est pas un nombre entier", Kind.VALUE)
                return
            if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
                self.add(
                    label, line, field, f"{number} hors de l'intervalle attendu ({minimum} à {maximum})", Kind.VALUE
                )

        return check

    def refs_check(self, tables: tuple[str, ...]):
        """``a|b|c``: each identifier known (like a tie's endpoint), none empty or repeated."""
        sep = contract.LIST_SEPARATOR
        what = " ou ".join(contract.TABLES[t].filename for t in tables)
        known = self.known(tables)

        def check(label, line, field, value):
            items = [item.strip() for item in value.split(sep)]
            if any(not item for item in items):
                self.add(
                    label,
                    line,
                    field,
                    f"identifiant vide dans « {value} » : séparez les identifiants par « {sep} »",
                    Kind.VALUE,
                )
            for item in dict.fromkeys(i for i in items if i):
                if item not in known:
                    hint = self.id_hint(item, tables)
                    if not hint and any(c in item for c in ",; "):
                        hint = f" (séparez les identifiants par « {sep} », ex. apes{sep}ardes)"
                    self.add(
                        label,
                        line,
                        field,
                        f"identifiant « {item} » inconnu : il doit exister dans {what}{hint}",
                        Kind.UNKNOWN,
                    )
                elif items.count(item) > 1:
                    self.add(
                        label, line, field, f"identifiant « {item} » présent deux fois dans la liste", Kind.DUPLICATE
                    )

        return check

    def date_check(self, minimum: int | None, maximum: int | None):
        def check(label, line, field, value):
            problem = date_problem(value, minimum, maximum)
            if problem:
                self.add(label, line, field, problem, Kind.VALUE)

        return check

    @staticmethod
    def period_columns(name, raw) -> tuple[str, str] | None:
        """The (start, end) date columns of table ``name`` when the file has both."""
        span = contract.TABLES[name].period
        return span if span and all(c in raw.header for c in span) else None

    def check_period(self, label, line, span, start: str, end: str):
        if not start or not end or date_problem(start) or date_problem(end):
            return
        if period(end)[1] < period(start)[0]:
            self.add(
                label,
                line,
                span[1],
                f"fin « {end} » avant le début « {start} » : la fin ne peut précéder le début",
                Kind.CONSISTENCY,
            )

    def check_formulas(self, raw):
        for line, column, written in raw.formula_like:
            why = formula_risk(written)
            if why is None:
                continue
            if why.startswith("commence par « "):
                fix = (
                    "si c'est un texte, faites-le précéder d'une apostrophe (') que mesra retire à la "
                    "lecture, sinon supprimez ce caractère"
                )
            else:
                fix = "supprimez ce caractère en début de cellule"
            self.add(
                raw.label,
                line,
                column or "ligne",
                f"« {_shown(written)} » {why} : un tableur (Excel, LibreOffice) l'exécuterait comme une "
                f"formule à l'ouverture du fichier ; {fix}",
                Kind.FORMULA,
            )

    def check_controls(self, raw):
        for line, column, char in getattr(raw, "controls", ()):
            self.add(
                raw.label,
                line,
                column,
                f"caractère de contrôle invisible ({char}, souvent collé depuis un traitement de texte ou un PDF) : "
                "supprimez-le ; aucun export (Gephi, GraphML) ne peut le contenir",
                Kind.CONTROL,
            )

    # --- tables: whole-table consistency -----------------------------------------
    def check_territory_cycles(self):
        raw = self.raw.tables.get("territoires")
        if raw is None:
            return
        parent = dict(zip(self.raw.reference["territoire_id"], self.raw.reference["parent_id"]))
        for row in raw.rows:
            if row.get("territoire_id"):
                parent[row["territoire_id"]] = row.get("parent_id") or None
        for row, line in zip(raw.rows, raw.lines):
            tid = row.get("territoire_id")
            seen = {tid}
            current = parent.get(tid)
            while current:
                if current in seen:
                    self.add(
                        raw.label,
                        line,
                        "parent_id",
                        f"la chaîne des parents de « {tid} » boucle sur elle-même",
                        Kind.CONSISTENCY,
                    )
                    break
                seen.add(current)
                current = parent.get(current)

    def check_self_ties(self):
        raw = self.raw.tables.get("liens")
        if raw is None:
            return
        for row, line in zip(raw.rows, raw.lines):
            if row.get("source_id") and row.get("source_id") == row.get("cible_id"):
                self.add(raw.label, line, "cible_id", "un lien relie un acteur à lui-même", Kind.CONSISTENCY)

    def check_source_files(self):
        raw = self.raw.tables.get("sources")
        if raw is None:
            return
        for row, line in zip(raw.rows, raw.lines):
            fichier = row.get("fichier", "")
            if fichier and row.get("source_id") not in self.raw.source_lines:
                self.add(raw.label, line, "fichier", f"fichier « {fichier} » introuvable à côté du corpus", Kind.FILE)

    def check_coverage(self):
        """The coverage table of the sources, when the corpus has one: problems of form only."""
        table = getattr(self.raw, "coverage", None)
        if table is None:
            return
        from mesra.corpus import coverage  # coverage reads corpora, hence imports this module

        self.pending += coverage.form_problems(table, self.raw.source_lines, coverage.row_keys(self.raw))

    def check_pages(self):
        """The printed pages of the sources, when the corpus has them: problems of form only."""
        table = getattr(self.raw, "pages", None)
        if table is None:
            return
        from mesra.corpus import pages  # pages reads locators, hence imports this module

        self.pending += pages.form_problems(table, self.raw.source_lines)

    def check_resources(self):
        """The resource centre's hand table and bodies, when the corpus has them (issue 25)."""
        if getattr(self.raw, "resources", None) is None and not getattr(self.raw, "resource_bodies", None):
            return
        from mesra.corpus import resource_table

        resource_table.check(self)

    def check_evaluation(self):
        """The co-evaluations (``evaluation/``) and ``actions.critere``, when the corpus has them."""
        ev = getattr(self.raw, "evaluation", None)
        actions = self.raw.tables.get("actions")
        if ev is None or (not ev.present and (actions is None or "critere" not in actions.header)):
            return
        from mesra.corpus.evaluation import evaluation_problems

        self.pending += evaluation_problems(ev, self.ids, actions, people=self.ids.get("personnes", ()))

    # --- monographs -----------------------------------------------------------------
    def check_monograph(self, mono, seen: dict[str, str]):
        self.check_fields(mono)
        self.check_monograph_id(mono, seen)
        for key, (check, arg) in MONOGRAPH_CHECKS.items():
            value = mono.meta.get(key)
            if value is not None:
                getattr(self, f"_mono_{check}")(mono, key, value, arg)
        for section in missing_sections(mono):
            self.add(
                mono.label,
                mono.body_line,
                "corps",
                f"section « ## {section} » manquante (cadre commun : "
                + ", ".join(f"## {s}" for s in contract.MONOGRAPH_SECTIONS)
                + ")",
                Kind.SECTION,
            )

    @staticmethod
    def at(mono, key) -> int:
        return mono.lines.get(key, 2)

    def check_fields(self, mono):
        for key, required in contract.MONOGRAPH_FIELDS.items():
            if required and mono.meta.get(key) in (None, "", []):
                self.add(mono.label, self.at(mono, key), key, "champ obligatoire manquant", Kind.MISSING)
        for key in mono.meta:
            if key not in contract.MONOGRAPH_FIELDS:
                self.add(
                    mono.label,
                    self.at(mono, key),
                    str(key),
                    "champ inconnu ; champs possibles : "
                    + _choices(contract.MONOGRAPH_FIELDS)
                    + self.words_hint(str(key), contract.MONOGRAPH_FIELDS),
                    Kind.FIELD,
                )

    def check_monograph_id(self, mono, seen: dict[str, str]):
        mid = mono.meta.get("id")
        line, label = self.at(mono, "id"), mono.label
        if mid is None:
            return
        if not isinstance(mid, str) or not ID_PATTERN.match(mid):
            self.add(label, line, "id", f"identifiant « {mid} » invalide (ex. generateur-bfc)", Kind.BAD_ID)
        elif mid != mono.path.stem:
            self.add(label, line, "id", f"« {mid} » diffère du nom du fichier : renommez-le {mid}.md", Kind.VALUE)
        elif mid in seen:
            self.add(label, line, "id", f"monographie « {mid} » en double ({seen[mid]})", Kind.DUPLICATE)
        else:
            seen[mid] = label

    def _mono_text(self, mono, key, value, _):
        if not isinstance(value, str):
            self.add(mono.label, self.at(mono, key), key, "texte attendu", Kind.VALUE)

    def _mono_ref(self, mono, key, value, arg):
        table, message = arg
        if not isinstance(value, str) or value not in self.known((table,)):
            hint = self.id_hint(str(value), (table,))
            if not hint and table == "territoires":  # a commune mesra knows, misspelt
                hint = self.raw.territory_hints.get(value, "") if isinstance(value, str) else ""
            self.add(mono.label, self.at(mono, key), key, message.format(value=value) + hint, Kind.UNKNOWN)

    def _mono_ref_list(self, mono, key, value, arg):
        if not isinstance(value, list):
            self.add(
                mono.label, self.at(mono, key), key, "liste d'identifiants attendue, ex. [pesad21, apes]", Kind.VALUE
            )
            return
        for item in value:
            self._mono_ref(mono, key, item, arg)

    def _mono_year(self, mono, key, value, _):
        if not isinstance(value, int) or isinstance(value, bool) or not 1800 <= value <= 2100:
            self.add(
                mono.label,
                self.at(mono, key),
                key,
                f"année « {value} » invalide : entier (ex. 2019) ou null",
                Kind.VALUE,
            )

    def _mono_vocab(self, mono, key, value, vocab):
        if not isinstance(value, str) or value not in vocab:
            self.add(
                mono.label,
                self.at(mono, key),
                key,
                f"valeur « {value} » hors vocabulaire ; valeurs possibles : {_choices(vocab)}",
                Kind.VOCABULARY,
            )

    def _mono_text_list(self, mono, key, value, _):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.add(
                mono.label, self.at(mono, key), key, 'liste de textes attendue, ex. ["mobilité", "emploi"]', Kind.VALUE
            )

    def _mono_numbers(self, mono, key, value, _):
        if not isinstance(value, dict):
            self.add(mono.label, self.at(mono, key), key, "dictionnaire « nom: nombre » attendu", Kind.VALUE)
            return
        for k, v in value.items():
            if v is not None and not _is_number(v):
                where = mono.lines.get(f"{key}.{k}", self.at(mono, key))
                self.add(mono.label, where, f"{key}.{k}", f"nombre attendu, trouvé « {v} »", Kind.VALUE)

    def _mono_locators(self, mono, key, value, _):
        if value in ("", []):
            return
        if not isinstance(value, list):
            self.add(mono.label, self.at(mono, key), key, "liste de références attendue", Kind.VALUE)
            return
        for s in value:
            self.check_locator(mono.label, self.at(mono, key), key, str(s))

    def _mono_group(self, mono, key, value, spec):
        line = self.at(mono, key)
        if not isinstance(value, dict):
            self.add(mono.label, line, key, f"dictionnaire attendu avec les champs : {', '.join(spec)}", Kind.VALUE)
            return
        for sub, sub_value in value.items():
            where, field = mono.lines.get(f"{key}.{sub}", line), f"{key}.{sub}"
            if sub not in spec:
                self.add(
                    mono.label,
                    where,
                    field,
                    f"champ inconnu ; champs possibles : {', '.join(spec)}" + self.words_hint(str(sub), spec),
                    Kind.FIELD,
                )
            elif sub_value is not None:
                self.check_group_value(mono.label, where, field, sub_value, spec[sub])

    def check_group_value(self, label, where, field, value, vocab):
        if vocab is None:
            if not isinstance(value, str):
                self.add(label, where, field, "texte ou null attendu", Kind.VALUE)
            return
        if not isinstance(value, list):
            self.add(label, where, field, f"liste attendue parmi : {_choices(vocab)}", Kind.VALUE)
            return
        for item in value:
            if not isinstance(item, str) or item not in vocab:
                self.add(
                    label,
                    where,
                    field,
                    f"valeur « {item} » hors vocabulaire{self.words_hint(str(item), vocab)} ; "
                    f"valeurs possibles : {_choices(vocab)}",
                    Kind.VOCABULARY,
                )

    def _mono_resources(self, mono, key, value, _):
        line = self.at(mono, key)
        if not isinstance(value, dict):
            self.add(
                mono.label,
                line,
                key,
                "dictionnaire attendu : marchand, redistribution, reciprocite (parts sommant à 1)",
                Kind.VALUE,
            )
            return
        shares = []
        for k, v in value.items():
            where = mono.lines.get(f"{key}.{k}", line)
            if k not in contract.RESSOURCES:
                self.add(
                    mono.label,
                    where,
                    f"{key}.{k}",
                    f"champ inconnu ; champs possibles : {', '.join(contract.RESSOURCES)}",
                    Kind.FIELD,
                )
            elif v is None:
                continue
            elif not _is_number(v) or not math.isfinite(v) or not 0 <= v <= 1:
                self.add(
                    mono.label, where, f"{key}.{k}", f"part « {v} » invalide : nombre entre 0 et 1 attendu", Kind.VALUE
                )
                return
            else:
                shares.append(v)
        self.check_shares(mono.label, line, key, [value.get(k) for k in contract.RESSOURCES], shares)

    def check_shares(self, label, line, key, known, shares):
        if all(v is not None for v in known) and shares and abs(sum(shares) - 1) > 0.01:
            self.add(
                label,
                line,
                key,
                f"les parts somment à {sum(shares):.3g} au lieu de 1 (marchand + redistribution + réciprocité)",
                Kind.VALUE,
            )
        elif any(v is None for v in known) and sum(shares) > 1.01:
            self.add(label, line, key, f"les parts connues dépassent 1 ({sum(shares):.3g})", Kind.VALUE)


def iter_problems(raw, *, hints: int | None = None) -> Iterator[Problem]:
    """Every problem of a :class:`~mesra.corpus.RawCorpus`, yielded as soon as it is found.

    Problems of form met while reading come first, then the tables (identifiers, then
    cells, table by table), the source files and the monographs, each in file order.

    Parameters
    ----------
    hints : int, optional
        Suggest close identifiers (« vouliez-vous dire … ? ») in the first ``hints``
        problems only; ``None`` (default) for every problem. A listing that shows only
        the first problems spares the search for the others.
    """
    for p in raw.problems:
        yield p if p.kind else dataclasses.replace(p, kind=Kind.READING)
    if any(p.field == "dossier" for p in raw.problems):
        return
    yield from _Validator(raw, hints=hints, already=len(raw.problems)).run()


def validate(raw) -> list[Problem]:
    """All problems of a :class:`~mesra.corpus.RawCorpus`, sorted by file and line."""
    return sorted(set(iter_problems(raw)), key=lambda p: (p.file, p.line, p.field, p.message))
