"""Validation of a raw corpus against the data contract.

Every problem is collected and reported at once, one per line, as
``file:line: field: what is wrong and what is expected`` (French wording).
"""

from __future__ import annotations

import math
import re
from collections import Counter

from mesra.corpus import contract
from mesra.corpus.dates import date_problem, period
from mesra.corpus.monographs import missing_sections
from mesra.errors import Problem, did_you_mean
from mesra.text import ID_PATTERN

__all__ = ["validate", "parse_bool", "LOCATOR", "line_ranges"]

LOCATOR = re.compile(r"^(?P<source>[a-z0-9]+(?:-[a-z0-9]+)*)(?:#(?P<where>.+))?$")
_LINES = re.compile(r"^L(?P<a>\d+)(?:-L?(?P<b>\d+))?$")


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


def _choices(values) -> str:
    values = list(values)
    shown = ", ".join(values[:12])
    return shown + (", …" if len(values) > 12 else "")


class _Validator:
    def __init__(self, raw):
        self.raw = raw
        self.problems: list[Problem] = []
        self.ids: dict[str, set[str]] = {}

    def _known(self, tables: tuple[str, ...]) -> set[str]:
        """Identifiers of ``tables`` together (cached: ids are final once keys are read)."""
        cache = self.__dict__.setdefault("_known_cache", {})
        if tables not in cache:
            cache[tables] = set().union(*(self.ids.get(t, set()) for t in tables))
        return cache[tables]

    def add(self, label, line, field, message):
        self.problems.append(Problem(label, line, field, message))

    # --- locators ---------------------------------------------------------
    def check_locator(self, label, line, field, value):
        m = LOCATOR.match(value)
        if not m:
            self.add(
                label,
                line,
                field,
                f"référence de source « {value} » invalide : attendu « identifiant_source#repère » "
                "(ex. actes-coconstruire-2019#L120-135)",
            )
            return
        sid = m.group("source")
        known = self.ids.get("sources", set())
        if sid not in known:
            hint = did_you_mean(sid, known)
            self.add(label, line, field, f"source « {sid} » inconnue : elle doit figurer dans sources.csv{hint}")
            return
        ranges = line_ranges(m.group("where"))
        n_lines = self.raw.source_lines.get(sid)
        for a, b in (ranges or []) if n_lines is not None else []:
            if not (1 <= a <= b <= n_lines):
                self.add(label, line, field, f"lignes {a}-{b} hors du texte de la source « {sid} » (1 à {n_lines})")

    # --- tables -----------------------------------------------------------
    def check_tables(self):
        reference = self.raw.reference
        ref_ids = set(reference["territoire_id"])
        for name in contract.TABLE_ORDER:
            table = contract.TABLES[name]
            raw = self.raw.tables.get(name)
            if raw is None:
                if not table.optional and name not in self.raw.unreadable:
                    self.add(
                        f"{table.filename}",
                        1,
                        "fichier",
                        f"table « {name} » manquante : créez {table.filename} ({table.description})",
                    )
                self.ids[name] = set()
                if name == "territoires":
                    self.ids[name] = set(ref_ids)
                continue
            missing = [c.name for c in table.columns if c.required and c.name not in raw.header]
            for col in missing:
                self.add(
                    raw.label,
                    raw.header_line,
                    col,
                    f"colonne obligatoire absente ; colonnes attendues : {', '.join(table.column_names)}",
                )
            dup_cols = [h for h, n in Counter(raw.header).items() if n > 1 and h]
            for col in dup_cols:
                self.add(raw.label, raw.header_line, col, "colonne présente deux fois dans l'en-tête")
            keys: dict[str, int] = {}
            if table.key and table.key in raw.header:
                for row, line in zip(raw.rows, raw.lines):
                    value = row.get(table.key, "")
                    if not value:
                        continue
                    if name == "territoires" and value in ref_ids:
                        self.add(
                            raw.label,
                            line,
                            table.key,
                            f"« {value} » est déjà dans la géographie de référence : "
                            "n'ajoutez que les territoires qui y manquent",
                        )
                    elif value in keys:
                        self.add(
                            raw.label, line, table.key, f"identifiant « {value} » en double (déjà ligne {keys[value]})"
                        )
                    else:
                        keys[value] = line
            self.ids[name] = set(keys) | (ref_ids if name == "territoires" else set())
            if name == "personnes":
                clash = self.ids["personnes"] & self.ids.get("acteurs", set())
                for row, line in zip(raw.rows, raw.lines):
                    if row.get("personne_id") in clash:
                        self.add(
                            raw.label,
                            line,
                            "personne_id",
                            f"« {row['personne_id']} » est aussi un identifiant d'acteur : "
                            "les identifiants doivent être uniques entre acteurs et personnes",
                        )
        # cell-level checks, once all keys are known
        for name in contract.TABLE_ORDER:
            raw = self.raw.tables.get(name)
            if raw is None:
                continue
            table = contract.TABLES[name]
            present = [c for c in table.columns if c.name in raw.header]
            for row, line in zip(raw.rows, raw.lines):
                for col in present:
                    self.check_cell(raw.label, line, col, row.get(col.name, ""))
        self.check_territory_cycles()
        self.check_self_ties()
        self.check_lists_and_dates()

    def check_cell(self, label, line, col: contract.Column, value: str):
        if not value:
            if col.required:
                self.add(label, line, col.name, "valeur obligatoire manquante")
            return
        kind = col.kind
        if kind == "id":
            if not ID_PATTERN.match(value):
                self.add(
                    label,
                    line,
                    col.name,
                    f"identifiant « {value} » invalide : lettres minuscules sans accent, chiffres "
                    "et tirets uniquement (ex. mes-occitanie)",
                )
        elif kind == "ref":
            known = self._known(col.ref)
            if value not in known:
                what = " ou ".join(contract.TABLES[t].filename for t in col.ref)
                self.add(
                    label,
                    line,
                    col.name,
                    f"identifiant « {value} » inconnu : il doit exister dans {what}{did_you_mean(value, known)}",
                )
        elif kind == "vocab":
            allowed = contract.VOCABULARIES[col.vocab]
            if value not in allowed:
                self.add(
                    label,
                    line,
                    col.name,
                    f"valeur « {value} » hors vocabulaire{did_you_mean(value, allowed)} ; "
                    f"valeurs possibles : {_choices(allowed)}",
                )
        elif kind == "bool":
            if parse_bool(value) is None:
                self.add(label, line, col.name, f"valeur « {value} » invalide : true ou false attendu")
        elif kind == "int":
            try:
                number = int(value)
            except ValueError:
                self.add(label, line, col.name, f"« {value} » n'est pas un nombre entier")
                return
            if (col.minimum is not None and number < col.minimum) or (col.maximum is not None and number > col.maximum):
                self.add(
                    label, line, col.name, f"{number} hors de l'intervalle attendu ({col.minimum} à {col.maximum})"
                )
        elif kind == "locator":
            self.check_locator(label, line, col.name, value)

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
                    self.add(raw.label, line, "parent_id", f"la chaîne des parents de « {tid} » boucle sur elle-même")
                    break
                seen.add(current)
                current = parent.get(current)

    def check_self_ties(self):
        raw = self.raw.tables.get("liens")
        if raw is None:
            return
        for row, line in zip(raw.rows, raw.lines):
            if row.get("source_id") and row.get("source_id") == row.get("cible_id"):
                self.add(raw.label, line, "cible_id", "un lien relie un acteur à lui-même")

    # --- identifier lists and dates (contract v2: actions, suivi) ------------
    def check_lists_and_dates(self):
        for name in contract.TABLE_ORDER:
            raw = self.raw.tables.get(name)
            if raw is None:
                continue
            table = contract.TABLES[name]
            columns = [c for c in table.columns if c.kind in ("refs", "date") and c.name in raw.header]
            span = table.period if table.period and all(c in raw.header for c in table.period) else None
            for row, line in zip(raw.rows, raw.lines):
                for col in columns:
                    value = row.get(col.name, "")
                    if value and col.kind == "refs":
                        self.check_refs(raw.label, line, col, value)
                    elif value:
                        problem = date_problem(value, col.minimum, col.maximum)
                        if problem:
                            self.add(raw.label, line, col.name, problem)
                if span:
                    self.check_period(raw.label, line, span, row.get(span[0], ""), row.get(span[1], ""))

    def check_refs(self, label, line, col: contract.Column, value: str):
        """``a|b|c``: each identifier known (like a tie's endpoint), none empty or repeated."""
        sep = contract.LIST_SEPARATOR
        known = self._known(col.ref)
        what = " ou ".join(contract.TABLES[t].filename for t in col.ref)
        items = [item.strip() for item in value.split(sep)]
        if any(not item for item in items):
            self.add(
                label, line, col.name, f"identifiant vide dans « {value} » : séparez les identifiants par « {sep} »"
            )
        for item in dict.fromkeys(i for i in items if i):
            if item in known:
                if items.count(item) > 1:
                    self.add(label, line, col.name, f"identifiant « {item} » présent deux fois dans la liste")
                continue
            hint = did_you_mean(item, known)
            if not hint and any(c in item for c in ",; "):
                hint = f" (séparez les identifiants par « {sep} », ex. apes{sep}ardes)"
            self.add(label, line, col.name, f"identifiant « {item} » inconnu : il doit exister dans {what}{hint}")

    def check_period(self, label, line, span, start: str, end: str):
        if not start or not end or date_problem(start) or date_problem(end):
            return
        if period(end)[1] < period(start)[0]:
            self.add(
                label, line, span[1], f"fin « {end} » avant le début « {start} » : la fin ne peut précéder le début"
            )

    # --- source files -----------------------------------------------------
    def check_source_files(self):
        raw = self.raw.tables.get("sources")
        if raw is None:
            return
        for row, line in zip(raw.rows, raw.lines):
            fichier = row.get("fichier", "")
            if fichier and row.get("source_id") not in self.raw.source_lines:
                self.add(raw.label, line, "fichier", f"fichier « {fichier} » introuvable à côté du corpus")

    # --- monographs -------------------------------------------------------
    def check_monographs(self):
        seen: dict[str, str] = {}
        actors = self.ids.get("acteurs", set())
        territories = self.ids.get("territoires", set())
        for mono in self.raw.monographs:
            meta, label = mono.meta, mono.label

            def at(key):
                return mono.lines.get(key, 2)

            for key, required in contract.MONOGRAPH_FIELDS.items():
                if required and meta.get(key) in (None, "", []):
                    self.add(label, at(key), key, "champ obligatoire manquant")
            for key in meta:
                if key not in contract.MONOGRAPH_FIELDS:
                    self.add(
                        label,
                        at(key),
                        str(key),
                        "champ inconnu ; champs possibles : "
                        + _choices(contract.MONOGRAPH_FIELDS)
                        + did_you_mean(str(key), contract.MONOGRAPH_FIELDS),
                    )
            mid = meta.get("id")
            if mid is not None:
                if not isinstance(mid, str) or not ID_PATTERN.match(mid):
                    self.add(label, at("id"), "id", f"identifiant « {mid} » invalide (ex. generateur-bfc)")
                elif mid != mono.path.stem:
                    self.add(label, at("id"), "id", f"« {mid} » diffère du nom du fichier : renommez-le {mid}.md")
                elif mid in seen:
                    self.add(label, at("id"), "id", f"monographie « {mid} » en double ({seen[mid]})")
                else:
                    seen[mid] = label
            for key in ("titre", "marge_de_manoeuvre"):
                if meta.get(key) is not None and not isinstance(meta.get(key), str):
                    self.add(label, at(key), key, "texte attendu")
            terr = meta.get("territoire")
            if terr is not None and (not isinstance(terr, str) or terr not in territories):
                self.add(
                    label,
                    at("territoire"),
                    "territoire",
                    f"territoire « {terr} » inconnu : identifiant de la géographie de référence ou de "
                    f"territoires.csv attendu{did_you_mean(str(terr), territories)}",
                )
            porteur = meta.get("porteur")
            if porteur is not None and (not isinstance(porteur, str) or porteur not in actors):
                self.add(
                    label,
                    at("porteur"),
                    "porteur",
                    f"acteur « {porteur} » inconnu dans acteurs.csv{did_you_mean(str(porteur), actors)}",
                )
            self.check_id_list(label, at("acteurs"), "acteurs", meta.get("acteurs"), actors, "acteurs.csv")
            annee = meta.get("annee")
            if annee is not None and (
                not isinstance(annee, int) or isinstance(annee, bool) or not 1800 <= annee <= 2100
            ):
                self.add(label, at("annee"), "annee", f"année « {annee} » invalide : entier (ex. 2019) ou null")
            origine = meta.get("origine")
            if origine is not None and (not isinstance(origine, str) or origine not in contract.ORIGINES):
                self.add(
                    label,
                    at("origine"),
                    "origine",
                    f"valeur « {origine} » hors vocabulaire ; valeurs possibles : {_choices(contract.ORIGINES)}",
                )
            self.check_text_list(
                label, at("besoins_non_couverts"), "besoins_non_couverts", meta.get("besoins_non_couverts")
            )
            self.check_group(label, mono, "innovation", {"sources": contract.INNOVATION_SOURCES, "description": None})
            self.check_group(
                label,
                mono,
                "cooperation",
                {"processus_participation": None, "regulation_frictions": None, "outils": contract.OUTILS_COOPERATION},
            )
            self.check_group(label, mono, "axes_recherche_action", {k: None for k in contract.AXES_RECHERCHE})
            self.check_resources(label, mono)
            chiffres = meta.get("chiffres")
            if chiffres is not None:
                if not isinstance(chiffres, dict):
                    self.add(label, at("chiffres"), "chiffres", "dictionnaire « nom: nombre » attendu")
                else:
                    for k, v in chiffres.items():
                        if v is not None and (isinstance(v, bool) or not isinstance(v, (int, float))):
                            self.add(
                                label,
                                mono.lines.get(f"chiffres.{k}", at("chiffres")),
                                f"chiffres.{k}",
                                f"nombre attendu, trouvé « {v} »",
                            )
            sources = meta.get("sources")
            if sources not in (None, "", []):
                if not isinstance(sources, list):
                    self.add(label, at("sources"), "sources", "liste de références attendue")
                else:
                    for s in sources:
                        self.check_locator(label, at("sources"), "sources", str(s))
            for section in missing_sections(mono):
                self.add(
                    label,
                    mono.body_line,
                    "corps",
                    f"section « ## {section} » manquante (cadre commun : "
                    + ", ".join(f"## {s}" for s in contract.MONOGRAPH_SECTIONS)
                    + ")",
                )

    def check_id_list(self, label, line, field, value, known, where):
        if value is None:
            return
        if not isinstance(value, list):
            self.add(label, line, field, "liste d'identifiants attendue, ex. [pesad21, apes]")
            return
        for item in value:
            if not isinstance(item, str) or item not in known:
                self.add(label, line, field, f"acteur « {item} » inconnu dans {where}{did_you_mean(str(item), known)}")

    def check_text_list(self, label, line, field, value):
        if value is None:
            return
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.add(label, line, field, 'liste de textes attendue, ex. ["mobilité", "emploi"]')

    def check_group(self, label, mono, key, spec):
        value = mono.meta.get(key)
        if value is None:
            return
        line = mono.lines.get(key, 2)
        if not isinstance(value, dict):
            self.add(label, line, key, f"dictionnaire attendu avec les champs : {', '.join(spec)}")
            return
        for sub, sub_value in value.items():
            where = mono.lines.get(f"{key}.{sub}", line)
            if sub not in spec:
                self.add(
                    label,
                    where,
                    f"{key}.{sub}",
                    f"champ inconnu ; champs possibles : {', '.join(spec)}" + did_you_mean(str(sub), spec),
                )
                continue
            vocab = spec[sub]
            if sub_value is None:
                continue
            if vocab is None:
                if not isinstance(sub_value, str):
                    self.add(label, where, f"{key}.{sub}", "texte ou null attendu")
            elif not isinstance(sub_value, list):
                self.add(label, where, f"{key}.{sub}", f"liste attendue parmi : {_choices(vocab)}")
            else:
                for item in sub_value:
                    if not isinstance(item, str) or item not in vocab:
                        self.add(
                            label,
                            where,
                            f"{key}.{sub}",
                            f"valeur « {item} » hors vocabulaire{did_you_mean(str(item), vocab)} ; "
                            f"valeurs possibles : {_choices(vocab)}",
                        )

    def check_resources(self, label, mono):
        value = mono.meta.get("ressources")
        if value is None:
            return
        line = mono.lines.get("ressources", 2)
        if not isinstance(value, dict):
            self.add(
                label,
                line,
                "ressources",
                "dictionnaire attendu : marchand, redistribution, reciprocite (parts sommant à 1)",
            )
            return
        shares = []
        for k, v in value.items():
            where = mono.lines.get(f"ressources.{k}", line)
            if k not in contract.RESSOURCES:
                self.add(
                    label,
                    where,
                    f"ressources.{k}",
                    f"champ inconnu ; champs possibles : {', '.join(contract.RESSOURCES)}",
                )
            elif v is None:
                continue
            elif isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or not 0 <= v <= 1:
                self.add(label, where, f"ressources.{k}", f"part « {v} » invalide : nombre entre 0 et 1 attendu")
                return
            else:
                shares.append(v)
        known = [value.get(k) for k in contract.RESSOURCES]
        if all(v is not None for v in known) and shares and abs(sum(shares) - 1) > 0.01:
            self.add(
                label,
                line,
                "ressources",
                f"les parts somment à {sum(shares):.3g} au lieu de 1 (marchand + redistribution + réciprocité)",
            )
        elif any(v is None for v in known) and sum(shares) > 1.01:
            self.add(label, line, "ressources", f"les parts connues dépassent 1 ({sum(shares):.3g})")


def validate(raw) -> list[Problem]:
    """All problems of a :class:`~mesra.corpus.RawCorpus`, sorted by file and line."""
    v = _Validator(raw)
    v.problems.extend(raw.problems)
    if any(p.field == "dossier" for p in raw.problems):
        return list(raw.problems)
    v.check_tables()
    v.check_source_files()
    v.check_monographs()
    return sorted(set(v.problems), key=lambda p: (p.file, p.line, p.field, p.message))
