"""Co-evaluation of social utility (Axe 2): referentials, campaigns and responses.

A corpus folder may hold a sub-folder ``evaluation/`` (all optional; a corpus without it is
valid and its :class:`Evaluation` is empty):

- ``evaluation/referentiels/<referentiel>-v<version>.yaml``: the referential the group wrote
  (dimensions › criteria › questions, ordered levels, the « ne sait pas » label), read with
  the same safe YAML loader as the monographs (no alias, no tag, bounded size and depth);
- ``evaluation/campagnes.csv``: one row per campaign (structure or territory evaluated, dates,
  referential and its version, the group's viewpoints, ``synthetique``);
- ``evaluation/reponses.csv``: one row per evaluator × question (pseudonymous evaluator id,
  viewpoint, level or ``nsp``, comment, evidence).

The format is described in the data README (``data/README.md``). :func:`read_evaluation` reads
the files without judging them; :func:`evaluation_problems` is what ``mesra check`` asks
(``file:line: champ: …`` in French); :func:`build_evaluation` turns what was read into the
frozen :class:`Evaluation` attached to :class:`~mesra.corpus.Corpus`.

Nothing here aggregates answers: that is :mod:`mesra.analysis.coevaluation`, which never
merges viewpoints or dimensions.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from mesra.corpus.dates import date_problem, period
from mesra.corpus.monographs import YamlRefused, safe_yaml
from mesra.corpus.tables import RawTable, read_csv_table, read_text
from mesra.errors import Problem
from mesra.text import ID_PATTERN

__all__ = [
    "EVALUATION_DIR",
    "REFERENTIALS_DIR",
    "CAMPAIGN_COLUMNS",
    "RESPONSE_COLUMNS",
    "DEFAULT_VIEWPOINTS",
    "VIEWPOINT_LABELS",
    "NSP",
    "Level",
    "Question",
    "Criterion",
    "Dimension",
    "Referential",
    "RawEvaluation",
    "Evaluation",
    "read_evaluation",
    "evaluation_problems",
    "build_evaluation",
    "viewpoint_label",
    "looks_like_a_name",
]

EVALUATION_DIR = "evaluation"
REFERENTIALS_DIR = f"{EVALUATION_DIR}/referentiels"
CAMPAIGNS_FILE = f"{EVALUATION_DIR}/campagnes.csv"
RESPONSES_FILE = f"{EVALUATION_DIR}/reponses.csv"
CAMPAIGN_COLUMNS = (
    "campagne_id",
    "titre",
    "referentiel",
    "version",
    "acteur_id",
    "territoire_id",
    "debut",
    "fin",
    "points_de_vue",
    "synthetique",
    "source",
)
CAMPAIGN_REQUIRED = ("campagne_id", "titre", "referentiel", "version")
RESPONSE_COLUMNS = ("campagne_id", "evaluateur_id", "point_de_vue", "question_id", "niveau", "commentaire", "preuve")
RESPONSE_REQUIRED = ("campagne_id", "evaluateur_id", "point_de_vue", "question_id", "niveau")
#: The default viewpoints, when a campaign lists none of its own.
DEFAULT_VIEWPOINTS = ("soi", "pair", "beneficiaire", "partenaire", "financeur")
VIEWPOINT_LABELS = {
    "soi": "auto-évaluation",
    "pair": "pairs",
    "beneficiaire": "bénéficiaires",
    "partenaire": "partenaires",
    "financeur": "financeurs",
}
#: The value of the « ne sait pas » answer in ``reponses.csv``.
NSP = "nsp"
#: The file name of a referential: ``<referentiel>-v<version>.yaml``.
_REF_FILE = re.compile(r"^(?P<ref>[a-z0-9]+(?:-[a-z0-9]+)*)-v(?P<version>\d+)\.ya?ml$")
#: Two words with a capital first letter (« Marie Dupont »): a name, not a pseudonymous id.
_NAME_LIKE = re.compile(r"\b[A-ZÀ-Þ][a-zà-ÿ'’-]+[\s_.-]+[A-ZÀ-Þ][A-Za-zÀ-ÿ'’-]+")

_KIND_VALUE = "valeur invalide"
_KIND_UNKNOWN = "identifiant inconnu"
_KIND_DUPLICATE = "identifiant en double"
_KIND_COLUMN = "colonne"
_KIND_MISSING = "valeur obligatoire manquante"
_KIND_CONSISTENCY = "incohérence"
_KIND_READING = "lecture du fichier"
_KIND_PRIVACY = "nom de personne"


def viewpoint_label(code: str) -> str:
    """French label of a viewpoint (the code itself for a group's own viewpoint)."""
    return VIEWPOINT_LABELS.get(code, code.replace("-", " "))


def looks_like_a_name(value: str) -> bool:
    """True when ``value`` reads like a person's name (two capitalised words).

    >>> looks_like_a_name("Marie Dupont"), looks_like_a_name("e01")
    (True, False)
    """
    return bool(_NAME_LIKE.search(value or ""))


# --- the referential --------------------------------------------------------------------------
@dataclass(frozen=True)
class Level:
    valeur: int
    libelle: str


@dataclass(frozen=True)
class Question:
    id: str
    libelle: str
    niveaux: tuple[Level, ...]


@dataclass(frozen=True)
class Criterion:
    id: str
    libelle: str
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Dimension:
    id: str
    libelle: str
    criteres: tuple[Criterion, ...]


@dataclass(frozen=True)
class Referential:
    """One version of a referential written by the group."""

    referentiel: str
    version: int
    titre: str
    ne_sait_pas: str
    niveaux: tuple[Level, ...]
    dimensions: tuple[Dimension, ...]
    source: str = ""
    fichier: str = ""

    def criteria(self) -> list[tuple[Dimension, Criterion]]:
        return [(d, c) for d in self.dimensions for c in d.criteres]

    def questions(self) -> dict[str, tuple[Dimension, Criterion, Question]]:
        """Every question by identifier, with its dimension and criterion."""
        return {q.id: (d, c, q) for d, c in self.criteria() for q in c.questions}

    def criterion_levels(self, critere: str) -> tuple[Level, ...]:
        """The levels of a criterion (those of its first question; validation makes them shared)."""
        for _, c in self.criteria():
            if c.id == critere and c.questions:
                return c.questions[0].niveaux
        return self.niveaux


@dataclass
class RawReferential:
    label: str
    data: object
    lines: dict[str, int]  # "dimension:id", "critere:id", "question:id" -> line
    name_ref: str
    name_version: int


@dataclass
class RawEvaluation:
    """What ``evaluation/`` holds, as read (problems of form in ``problems``)."""

    present: bool = False
    referentials: list[RawReferential] = field(default_factory=list)
    campagnes: RawTable | None = None
    reponses: RawTable | None = None
    problems: list[Problem] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)


def _id_lines(node, lines: dict[str, int], kind: str = "dimension") -> None:
    """The line of each ``id:`` of the referential's tree (dimensions › criteres › questions)."""
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _id_lines(item, lines, kind)
    elif isinstance(node, yaml.MappingNode):
        children = {"dimension": "critere", "critere": "question"}
        for k, v in node.value:
            if k.value == "id" and isinstance(v, yaml.ScalarNode):
                lines.setdefault(f"{kind}:{v.value}", k.start_mark.line + 1)
            elif k.value == "dimensions":
                _id_lines(v, lines, "dimension")
            elif k.value in ("criteres", "questions") and kind in children:
                _id_lines(v, lines, children[kind])


def _read_referential(path: Path, label: str, out: RawEvaluation) -> None:
    m = _REF_FILE.match(path.name)
    if not m:
        out.problems.append(
            Problem(
                label,
                1,
                "fichier",
                "nom de référentiel invalide : attendu « <referentiel>-v<version>.yaml » (ex. utilite-sociale-v1.yaml)",
                _KIND_READING,
            )
        )
        return
    text = read_text(path, label, out.problems, max_bytes=1024 * 1024)
    if text is None:
        return
    try:
        data, _ = safe_yaml(text)
        lines: dict[str, int] = {}
        _id_lines(yaml.compose(text, Loader=yaml.SafeLoader), lines)
    except YamlRefused as exc:
        out.problems.append(Problem(label, exc.line, "yaml", str(exc), _KIND_READING))
        return
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", 0) + 1
        out.problems.append(
            Problem(label, line, "yaml", f"YAML illisible ({getattr(exc, 'problem', exc)})", _KIND_READING)
        )
        return
    out.referentials.append(RawReferential(label, data, lines, m.group("ref"), int(m.group("version"))))


def read_evaluation(root: Path, inside) -> RawEvaluation:
    """Read ``root/evaluation/`` (nothing when absent). ``inside(path, label)`` refuses files outside the corpus."""
    out = RawEvaluation()
    folder = root / EVALUATION_DIR
    if not folder.is_dir():
        return out
    out.present = True
    refs = root / REFERENTIALS_DIR
    for p in sorted(refs.glob("*.y*ml")) if refs.is_dir() else []:
        label = f"{REFERENTIALS_DIR}/{p.name}"
        if not inside(p, label):
            continue
        out.files.append(p)
        _read_referential(p, label, out)
    for attr, label in (("campagnes", CAMPAIGNS_FILE), ("reponses", RESPONSES_FILE)):
        p = root / label
        if p.is_file() and inside(p, label):
            out.files.append(p)
            setattr(out, attr, read_csv_table(p, label, out.problems))
    return out


# --- validation ----------------------------------------------------------------------------------
class _Checker:
    def __init__(self, raw: RawEvaluation, ids: dict[str, set[str]], people: Iterable[str] = ()):
        self.raw = raw
        self.ids = ids
        self.people = set(people)
        self.problems: list[Problem] = []
        self.referentials: dict[tuple[str, int], Referential] = {}
        self.versions: dict[str, set[int]] = {}
        #: Referentials whose file exists but holds problems: what cites them is not judged again.
        self.broken: set[str] = {f"{rr.name_ref}-v{rr.name_version}" for rr in raw.referentials}
        self.broken |= {_ref_key(p.file) for p in raw.problems if p.file.startswith(REFERENTIALS_DIR)}
        self.campaigns: dict[str, dict[str, str]] = {}

    def add(self, label, line, fieldname, message, kind=_KIND_VALUE):
        self.problems.append(Problem(label, line, fieldname, message, kind))

    # --- referentials
    def levels(self, label, line, where, value) -> tuple[Level, ...] | None:
        if not isinstance(value, list) or not value:
            self.add(label, line, where, 'liste de niveaux attendue : - {valeur: 1, libelle: "Pas du tout"}')
            return None
        out = []
        for item in value:
            ok = isinstance(item, dict) and set(item) == {"valeur", "libelle"}
            if not ok or not isinstance(item["valeur"], int) or isinstance(item["valeur"], bool):
                self.add(
                    label, line, where, f"niveau {item!r} invalide : attendu {{valeur: <entier>, libelle: <texte>}}"
                )
                return None
            out.append(Level(item["valeur"], str(item["libelle"])))
        values = [lv.valeur for lv in out]
        if len(set(values)) != len(values):
            self.add(label, line, where, "deux niveaux ont la même valeur : chaque valeur est unique")
            return None
        if values != sorted(values):
            self.add(label, line, where, "niveaux attendus du plus bas au plus haut (valeurs croissantes)")
            return None
        return tuple(out)

    def ident(self, label, line, where, value) -> str | None:
        if not isinstance(value, str) or not ID_PATTERN.match(value):
            self.add(
                label,
                line,
                where,
                f"identifiant « {value} » invalide : minuscules, chiffres et tirets (ex. participation)",
            )
            return None
        return value

    def referential(self, rr: RawReferential) -> None:
        label, data = rr.label, rr.data
        if not isinstance(data, dict):
            self.add(label, 1, "yaml", "un référentiel est un dictionnaire YAML (referentiel, version, dimensions…)")
            return
        known = {"referentiel", "version", "titre", "source", "ne_sait_pas", "niveaux", "dimensions"}
        for key in sorted(set(map(str, data)) - known):
            self.add(label, 1, key, f"champ inconnu ; champs attendus : {', '.join(sorted(known))}", "champ inconnu")
        ref, version = data.get("referentiel"), data.get("version")
        if ref != rr.name_ref or version != rr.name_version:
            self.add(
                label,
                1,
                "referentiel",
                f"le fichier annonce « {ref} » version {version} mais s'appelle {label.rsplit('/', 1)[-1]} : "
                f"attendu referentiel: {rr.name_ref} et version: {rr.name_version}",
                _KIND_CONSISTENCY,
            )
            return
        if (ref, version) in self.referentials:
            self.add(label, 1, "version", f"référentiel « {ref} » version {version} écrit deux fois", _KIND_DUPLICATE)
            return
        default = self.levels(label, 1, "niveaux", data.get("niveaux"))
        dims = self.dimensions(rr, data.get("dimensions"), default)
        if default is None or dims is None:
            return
        self.referentials[(ref, version)] = Referential(
            ref,
            version,
            str(data.get("titre") or ref),
            str(data.get("ne_sait_pas") or "Ne sait pas"),
            default,
            dims,
            str(data.get("source") or ""),
            label,
        )
        self.versions.setdefault(ref, set()).add(version)
        self.broken.discard(f"{ref}-v{version}")

    def dimensions(self, rr: RawReferential, value, default) -> tuple[Dimension, ...] | None:
        label = rr.label
        if not isinstance(value, list) or not value:
            self.add(label, 1, "dimensions", "liste de dimensions attendue (id, libelle, criteres)", _KIND_MISSING)
            return None
        seen: Counter = Counter()
        out, ok = [], True
        for dim in value:
            made = self.node(rr, "dimension", dim, "criteres", seen)
            if made is None:
                ok = False
                continue
            crits = []
            for crit in dim.get("criteres") or []:
                c = self.node(rr, "critere", crit, "questions", seen)
                if c is None:
                    ok = False
                    continue
                qs = []
                for q in crit.get("questions") or []:
                    qn = self.node(rr, "question", q, None, seen)
                    if qn is None:
                        ok = False
                        continue
                    where = rr.lines.get(f"question:{qn[0]}", 1)
                    lv = (
                        self.levels(label, where, f"questions.{qn[0]}.niveaux", q["niveaux"])
                        if "niveaux" in q
                        else default
                    )
                    if lv is None:
                        ok = False
                        continue
                    qs.append(Question(qn[0], qn[1], lv))
                if len({q.niveaux for q in qs}) > 1:
                    self.add(
                        label,
                        rr.lines.get(f"critere:{c[0]}", 1),
                        f"criteres.{c[0]}",
                        "les questions d'un même critère doivent partager leurs niveaux "
                        "(sinon leurs réponses ne se lisent pas ensemble)",
                        _KIND_CONSISTENCY,
                    )
                    ok = False
                crits.append(Criterion(c[0], c[1], tuple(qs)))
            scales = {q.niveaux for c in crits for q in c.questions}
            if len(scales) > 1 and all(len({q.niveaux for q in c.questions}) == 1 for c in crits):
                self.add(
                    label,
                    rr.lines.get(f"dimension:{made[0]}", 1),
                    f"dimensions.{made[0]}",
                    "les questions d'une même dimension doivent partager leurs niveaux (la médiane de la "
                    "dimension les lit ensemble) : donnez-leur les mêmes niveaux ou placez-les ailleurs",
                    _KIND_CONSISTENCY,
                )
                ok = False
            out.append(Dimension(made[0], made[1], tuple(crits)))
        return tuple(out) if ok else None

    def node(self, rr: RawReferential, kind: str, value, children: str | None, seen: Counter):
        label = rr.label
        if not isinstance(value, dict):
            self.add(label, 1, kind, f"{kind} attendu sous forme « id: …, libelle: … »")
            return None
        ident = self.ident(label, rr.lines.get(f"{kind}:{value.get('id')}", 1), f"{kind}.id", value.get("id"))
        if ident is None:
            return None
        line = rr.lines.get(f"{kind}:{ident}", 1)
        seen[(kind, ident)] += 1
        if seen[(kind, ident)] == 2:
            what = "dans le référentiel" if kind != "question" else "dans cette version du référentiel"
            self.add(
                label,
                line,
                f"{kind}.id",
                f"{kind} « {ident} » en double {what} : chaque identifiant est unique",
                _KIND_DUPLICATE,
            )
            return None
        if not str(value.get("libelle") or "").strip():
            self.add(label, line, f"{kind}.libelle", f"libellé manquant pour {kind} « {ident} »", _KIND_MISSING)
            return None
        allowed = {"id", "libelle", children} if children else {"id", "libelle", "niveaux"}
        for key in sorted(set(map(str, value)) - allowed):
            self.add(
                label,
                line,
                f"{kind}.{key}",
                f"champ inconnu ; attendus : {', '.join(sorted(allowed))}",
                "champ inconnu",
            )
        if children and (not isinstance(value.get(children), list) or not value.get(children)):
            self.add(
                label,
                line,
                f"{kind}.{children}",
                f"liste « {children} » vide ou absente pour {kind} « {ident} »",
                _KIND_MISSING,
            )
            return None
        return ident, str(value["libelle"]).strip()

    # --- tables
    def header(self, table: RawTable, columns, required) -> bool:
        missing = [c for c in required if c not in table.header]
        for c in missing:
            self.add(
                table.label,
                table.header_line,
                c,
                f"colonne obligatoire absente ; colonnes attendues : {', '.join(columns)}",
                _KIND_COLUMN,
            )
        return not missing

    def campaign_rows(self, table: RawTable) -> None:
        if not self.header(table, CAMPAIGN_COLUMNS, CAMPAIGN_REQUIRED):
            return
        for row, line in zip(table.rows, table.lines):
            self.campaign(table.label, line, row)

    def campaign(self, label, line, row) -> None:
        cid = row.get("campagne_id", "")
        if self.ident(label, line, "campagne_id", cid) is None:
            return
        if cid in self.campaigns:
            self.add(label, line, "campagne_id", f"campagne « {cid} » en double", _KIND_DUPLICATE)
            return
        self.campaigns[cid] = row
        ref, version = row.get("referentiel", ""), row.get("version", "")
        if f"{ref}-v{version}" in self.broken:
            pass  # the referential's own problems say what to fix
        elif ref not in self.versions:
            self.add(
                label,
                line,
                "referentiel",
                f"référentiel « {ref} » introuvable : attendu un fichier {REFERENTIALS_DIR}/{ref}-v<version>.yaml",
                _KIND_UNKNOWN,
            )
        elif not version.isdigit() or int(version) not in self.versions[ref]:
            have = ", ".join(str(v) for v in sorted(self.versions[ref]))
            self.add(
                label,
                line,
                "version",
                f"version « {version} » du référentiel « {ref} » introuvable (versions présentes : {have})",
                _KIND_UNKNOWN,
            )
        if not row.get("acteur_id") and not row.get("territoire_id"):
            self.add(
                label,
                line,
                "acteur_id",
                "ni acteur ni territoire évalué : renseignez acteur_id ou territoire_id",
                _KIND_MISSING,
            )
        self.campaign_cells(label, line, row)

    def campaign_cells(self, label, line, row) -> None:
        for col, table in (("acteur_id", "acteurs"), ("territoire_id", "territoires")):
            if row.get(col) and row[col] not in self.ids.get(table, set()):
                self.add(
                    label, line, col, f"« {row[col]} » inconnu : il doit figurer dans la table {table}", _KIND_UNKNOWN
                )
        for col in ("debut", "fin"):
            found = date_problem(row[col], 1800, 2100) if row.get(col) else None
            if found:
                self.add(label, line, col, found)
        dated = row.get("debut") and row.get("fin") and not date_problem(row["debut"]) and not date_problem(row["fin"])
        if dated and period(row["fin"])[1] < period(row["debut"])[0]:
            self.add(label, line, "fin", f"fin « {row['fin']} » avant le début « {row['debut']} »", _KIND_CONSISTENCY)
        for vp in _split(row.get("points_de_vue", "")):
            self.ident(label, line, "points_de_vue", vp)
        if row.get("synthetique", "").lower() not in ("", "oui"):
            self.add(
                label, line, "synthetique", f"« {row['synthetique']} » : attendu « oui » (exemple synthétique) ou vide"
            )
        src = row.get("source", "").split("#", 1)[0]
        if src and src not in self.ids.get("sources", set()):
            self.add(
                label,
                line,
                "source",
                f"source « {src} » inconnue : elle doit figurer dans la table sources",
                _KIND_UNKNOWN,
            )

    def response_rows(self, table: RawTable) -> None:
        if not self.header(table, RESPONSE_COLUMNS, RESPONSE_REQUIRED):
            return
        answered: dict[tuple[str, str, str], int] = {}
        viewpoint_of: dict[tuple[str, str], str] = {}
        for row, line in zip(table.rows, table.lines):
            self.response(table.label, line, row, answered, viewpoint_of)

    def response(self, label, line, row, answered, viewpoint_of) -> None:  # noqa: C901 - one check per column
        cid, who, vp, qid, level = (
            row.get(c, "") for c in ("campagne_id", "evaluateur_id", "point_de_vue", "question_id", "niveau")
        )
        camp = self.campaigns.get(cid)
        if camp is None:
            self.add(
                label,
                line,
                "campagne_id",
                f"campagne « {cid} » inconnue : elle doit figurer dans {CAMPAIGNS_FILE}",
                _KIND_UNKNOWN,
            )
            return
        if looks_like_a_name(who):
            self.add(
                label,
                line,
                "evaluateur_id",
                f"« {who} » ressemble à un nom de personne : un identifiant pseudonyme est attendu (ex. e01)",
                _KIND_PRIVACY,
            )
            return
        if self.ident(label, line, "evaluateur_id", who) is None:
            return
        if who in self.people:
            self.add(
                label,
                line,
                "evaluateur_id",
                f"« {who} » est l'identifiant d'une personne du corpus : "
                "un identifiant pseudonyme est attendu (ex. e01)",
                _KIND_PRIVACY,
            )
        viewpoints = _split(camp.get("points_de_vue", "")) or list(DEFAULT_VIEWPOINTS)
        if vp not in viewpoints:
            self.add(
                label,
                line,
                "point_de_vue",
                f"point de vue « {vp} » hors de la liste de la campagne : {', '.join(viewpoints)}",
                "valeur hors vocabulaire",
            )
        elif viewpoint_of.setdefault((cid, who), vp) != vp:
            self.add(
                label,
                line,
                "point_de_vue",
                f"l'évaluateur « {who} » répond déjà comme « {viewpoint_of[(cid, who)]} » dans cette campagne : "
                "un seul point de vue par évaluateur",
                _KIND_CONSISTENCY,
            )
        version = camp.get("version", "")
        referential = self.referentials.get((camp.get("referentiel", ""), int(version) if version.isdigit() else -1))
        if referential is None:
            return  # the campaign's own problem says why
        questions = referential.questions()
        if qid not in questions:
            self.unknown_question(label, line, qid, referential)
            return
        key = (cid, who, qid)
        if key in answered:
            self.add(
                label,
                line,
                "question_id",
                f"« {who} » a déjà répondu à « {qid} » (ligne {answered[key]}) : "
                "une réponse par évaluateur et par question",
                _KIND_DUPLICATE,
            )
        answered.setdefault(key, line)
        allowed = [str(lv.valeur) for lv in questions[qid][2].niveaux]
        if level and level != NSP and level not in allowed:
            self.add(
                label,
                line,
                "niveau",
                f"niveau « {level} » invalide pour « {qid} » : "
                f"attendu {', '.join(allowed)}, « nsp » (ne sait pas) ou vide",
            )

    def unknown_question(self, label, line, qid, referential: Referential) -> None:
        others = [
            v
            for (r, v), other in sorted(self.referentials.items())
            if r == referential.referentiel and v != referential.version and qid in other.questions()
        ]
        if others:
            self.add(
                label,
                line,
                "question_id",
                f"la question « {qid} » appartient à la version {others[0]} "
                f"du référentiel « {referential.referentiel} » ; "
                f"la campagne utilise la version {referential.version} : une campagne ne mélange pas deux versions",
                _KIND_CONSISTENCY,
            )
        else:
            self.add(
                label,
                line,
                "question_id",
                f"question « {qid} » inconnue dans « {referential.referentiel} » version {referential.version}",
                _KIND_UNKNOWN,
            )

    def actions(self, table: RawTable | None) -> None:
        if table is None or "critere" not in table.header:
            return
        criteria = {f"{r}:{c.id}" for (r, _), ref in self.referentials.items() for _, c in ref.criteria()}
        for row, line in zip(table.rows, table.lines):
            value = row.get("critere", "")
            if any(b.startswith(f"{value.split(':', 1)[0]}-v") for b in self.broken):
                continue  # a referential of that name holds problems: they say what to fix
            if value and value not in criteria:
                shown = ", ".join(sorted(criteria)[:8]) or "aucun référentiel dans evaluation/referentiels"
                self.add(
                    table.label,
                    line,
                    "critere",
                    f"critère « {value} » inconnu : attendu « referentiel:critere » parmi {shown}",
                    _KIND_UNKNOWN,
                )

    def run(self, actions: RawTable | None) -> list[Problem]:
        for rr in self.raw.referentials:
            self.referential(rr)
        if self.raw.campagnes is not None:
            self.campaign_rows(self.raw.campagnes)
        if self.raw.reponses is not None:
            if self.raw.campagnes is None:
                self.add(
                    RESPONSES_FILE,
                    1,
                    "fichier",
                    f"réponses sans campagne : créez {CAMPAIGNS_FILE}",
                    "fichier manquant ou refusé",
                )
            else:
                self.response_rows(self.raw.reponses)
        self.actions(actions)
        return self.problems


def _ref_key(label: str) -> str:
    """``utilite-sociale-v1`` of ``evaluation/referentiels/utilite-sociale-v1.yaml``."""
    return label.rsplit("/", 1)[-1].rsplit(".", 1)[0]


def _split(value: str) -> list[str]:
    return [v.strip() for v in (value or "").split("|") if v.strip()]


def evaluation_problems(
    raw: RawEvaluation, ids: dict[str, set[str]], actions: RawTable | None = None, people: Iterable[str] = ()
) -> list[Problem]:
    """Every problem of ``evaluation/`` (and of ``actions.critere``), given the corpus's identifiers by table."""
    return list(raw.problems) + _Checker(raw, ids, people).run(actions)


# --- the built structure -----------------------------------------------------------------------
@dataclass(frozen=True)
class Evaluation:
    """The co-evaluations of a corpus: referentials, campaigns and responses (empty when none).

    ``campagnes`` has the columns of :data:`CAMPAIGN_COLUMNS` (``version`` an integer,
    ``points_de_vue`` a list, ``synthetique`` a boolean); ``reponses`` those of
    :data:`RESPONSE_COLUMNS` plus ``valeur`` (the level as an integer, missing for
    « ne sait pas » or no answer) and ``nsp`` (True for « ne sait pas »).
    """

    referentiels: tuple[Referential, ...] = ()
    campagnes: pd.DataFrame = field(default_factory=lambda: _empty(CAMPAIGN_COLUMNS))
    reponses: pd.DataFrame = field(default_factory=lambda: _empty((*RESPONSE_COLUMNS, "valeur", "nsp")))

    def referential(self, referentiel: str, version: int) -> Referential:
        for r in self.referentiels:
            if r.referentiel == referentiel and r.version == int(version):
                return r
        raise KeyError(f"{referentiel} v{version}")

    def campaign_ids(self) -> list[str]:
        return sorted(self.campagnes["campagne_id"])

    def campaign(self, campagne_id: str) -> dict:
        rows = self.campagnes[self.campagnes["campagne_id"] == campagne_id]
        if not len(rows):
            raise KeyError(campagne_id)
        return rows.iloc[0].to_dict()

    def viewpoints(self, campagne_id: str) -> list[str]:
        return list(self.campaign(campagne_id)["points_de_vue"]) or list(DEFAULT_VIEWPOINTS)


def _empty(columns) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


def build_evaluation(raw: RawEvaluation) -> Evaluation:
    """The :class:`Evaluation` of what was read (call after :func:`evaluation_problems` found none)."""
    checker = _Checker(raw, {})
    for rr in raw.referentials:
        checker.referential(rr)
    refs = tuple(sorted(checker.referentials.values(), key=lambda r: (r.referentiel, r.version)))
    camps = _empty(CAMPAIGN_COLUMNS)
    if raw.campagnes is not None and raw.campagnes.rows:
        camps = pd.DataFrame(
            [[row.get(c) or None for c in CAMPAIGN_COLUMNS] for row in raw.campagnes.rows],
            columns=list(CAMPAIGN_COLUMNS),
            dtype=object,
        )
        camps["version"] = [int(v) for v in camps["version"]]
        camps["points_de_vue"] = [_split(v or "") for v in camps["points_de_vue"]]
        camps["synthetique"] = [str(v or "").lower() == "oui" for v in camps["synthetique"]]
        camps = camps.sort_values("campagne_id").reset_index(drop=True)
    resp = _empty((*RESPONSE_COLUMNS, "valeur", "nsp"))
    if raw.reponses is not None and raw.reponses.rows:
        resp = pd.DataFrame(
            [[row.get(c) or None for c in RESPONSE_COLUMNS] for row in raw.reponses.rows],
            columns=list(RESPONSE_COLUMNS),
            dtype=object,
        )
        resp["valeur"] = pd.array([int(v) if v not in (None, NSP) else None for v in resp["niveau"]], dtype="Int64")
        resp["nsp"] = [v == NSP for v in resp["niveau"]]
    return Evaluation(refs, camps, resp)


def hash_payload(ev: Evaluation) -> list:
    """What the corpus's content hash takes of the evaluation (stable, JSON-serialisable)."""

    def cell(v):
        if v is None or v is pd.NA or (isinstance(v, float) and v != v):
            return None
        return v.item() if hasattr(v, "item") else v

    return [
        [repr(r) for r in ev.referentiels],
        [[cell(v) if not isinstance(v, list) else v for v in row] for row in ev.campagnes.itertuples(index=False)],
        [[cell(v) for v in row] for row in ev.reponses.itertuples(index=False)],
    ]
