"""The seminar's common frame, read from the monographs once for every section that uses it.

The brief's monographs section (every field of the "cadre commun pour la rédaction",
with French labels) and its six-axes grid (the "note de cadrage") both read
:func:`frame_fields` and :func:`axis_evidence`, so that the two can never disagree:
unmet needs feed axis 5, participation processes and cooperation tools axis 2, the
actors a monograph names axis 3, and each axis's own text of
``axes_recherche_action`` its axis.
"""

from __future__ import annotations

import re

import pandas as pd

from mesra import french
from mesra.corpus import contract
from mesra.corpus.contract import label

__all__ = [
    "FRAME",
    "AXIS_FIELDS",
    "AXIS_QUESTIONS",
    "frame_fields",
    "axis_evidence",
    "brings_elements",
    "CITED_ONLY",
    "figure_label",
    "origin_said",
    "UNQUALIFIED_ORIGIN",
]

#: The common frame, in the order of the proceedings (L400-416): column → French label.
FRAME = (
    ("origine", "Origine du projet"),
    ("marge_de_manoeuvre", "Marge de manœuvre"),
    ("besoins_non_couverts", "Besoins non couverts"),
    ("objectifs", "Objectifs"),
    ("contexte", "Contexte et limites"),
    ("resultats", "Résultats"),
    ("innovation_sources", "D'où vient l'innovation"),
    ("innovation_description", "L'innovation sociale"),
    ("processus_participation", "Processus de participation"),
    ("regulation_frictions", "Régulation des frictions et blocages"),
    ("outils", "Outils de la coopération territoriale"),
    ("ressources", "Hybridation des ressources"),
    ("chiffres", "Chiffres cités"),
)

#: Frame fields that document each axis of the note de cadrage, besides the axis's own text.
AXIS_FIELDS = {
    "economie_territorialisee": (),
    "synergies": ("processus_participation", "outils"),
    "acteurs_ess": ("acteurs",),
    "economie_informelle": (),
    "besoins_non_couverts": ("besoins_non_couverts",),
    "programme_action": (),
}

#: The open question of each axis when no monograph documents it (note de cadrage, L436-441).
AXIS_QUESTIONS = {
    "economie_territorialisee": "Quelle part de l'activité relève d'une économie de marché territorialisée, "
    "et laquelle d'une économie internationalisée ?",
    "synergies": "Quelles initiatives sont prêtes à rechercher une synergie, et avec qui ?",
    "acteurs_ess": "Quels acteurs du territoire se positionnent dans une démarche ESS ?",
    "economie_informelle": "Quelles initiatives de l'économie informelle reconnaître et aider à se formaliser ?",
    "besoins_non_couverts": "Quels besoins non couverts recenser, et comment les travailler ?",
    "programme_action": "Quel programme d'action tirer des cinq axes précédents ?",
}

_FIGURE_LABELS = {
    "territoires_d_intervention": "territoires d'intervention",
    # what the agglomeration asked for, not done (L322: « afin de réunir les 120 entreprises du territoire »)
    "entreprises_reunies_bethune_bruay": "entreprises à réunir (demande de l'agglomération de Béthune-Bruay)",
    "acteurs_reunis": "acteurs réunis",
    "collectivites_accompagnees": "collectivités accompagnées",
    "appels_a_projets": "appels à projets",
    # at its meeting, where they wished to gather again (L370; twenty-ninth reading: « réunis » read as done;
    # thirty-first: « présents » said how many attended, which L370 does not)
    "ptce_reunis_par_le_labo_de_l_ess": "PTCE voulant se rassembler à nouveau (réunion du Labo de l'ESS)",
    "annee_creation": "année de création",
    "structures_signataires_charte_2017_plus_de": "structures signataires de la charte en 2017 (plus de)",
    "associations_et_collectifs_pres_de": "associations et collectifs (près de)",
}


def figure_label(key: str) -> str:
    """A readable French label for a key of ``chiffres`` (free keys: known ones, else humanised).

    >>> figure_label("collectivites_accompagnees"), figure_label("emplois_crees_plus_de")
    ('collectivités accompagnées', 'emplois crees (plus de)')
    """
    if key in _FIGURE_LABELS:
        return _FIGURE_LABELS[key]
    text = str(key)
    qualifier = ""
    for suffix, words in (("_plus_de", "plus de"), ("_pres_de", "près de"), ("_environ", "environ")):
        if text.endswith(suffix):
            text, qualifier = text[: -len(suffix)], f" ({words})"
    text = re.sub(r"\b([dl])_", r"\1'", text).replace("_", " ")
    return text + qualifier


def figure_phrase(key: str, value) -> str | None:
    """A figure of ``chiffres`` as a reader says it, or None for a date (``annee_*``).

    >>> figure_phrase("collectivites_accompagnees", 23), figure_phrase("associations_et_collectifs_pres_de", 100)
    ('23 collectivités accompagnées', 'près de 100 associations et collectifs')
    """
    if str(key).startswith("annee"):
        return None
    text = figure_label(key)
    m = re.fullmatch(r"(.*) \((plus de|près de|environ)\)", text)
    if m:
        return f"{m.group(2)} {french.number(value)} {m.group(1)}"
    return f"{french.number(value)} {text}"


def _missing(value) -> bool:
    if value is None or value is pd.NA:
        return True
    if isinstance(value, float) and value != value:
        return True
    if isinstance(value, (list, tuple, dict, str)):
        return not value or (isinstance(value, str) and not value.strip())
    return False


#: An origin the text speaks of without saying whether a public commission or a citizen mobilisation began it.
UNQUALIFIED_ORIGIN = "non qualifiée (commande publique ou mobilisation citoyenne ?)"
_ORIGIN_SENTENCE = re.compile(r"(?:^|[.!?»]\s+)Origine\b")
_LINE_REF = re.compile(r"\(L(\d+(?:-\d+)?)")


def origin_said(row) -> tuple[str, ...]:
    """Locators of what a monograph whose ``origine`` is ``inconnue`` says of how it began: the lines its body
    cites from its sentence « Origine … » to the end of that paragraph (the TZCLD's « Origine du projet … : non
    documentées dans les actes. Les actes disent seulement que l'ARDES s'est engagée … (L328) »). Empty when the
    origin is qualified, or when the body says only that it is not documented."""
    if getattr(row, "origine", None) != "inconnue":
        return ()
    sources = getattr(row, "sources", None) or []
    sid = str(sources[0]).partition("#")[0] if len(sources) else ""
    found = []
    for flat in _origin_paragraphs(row):
        m = _ORIGIN_SENTENCE.search(flat)
        if m:
            found += _LINE_REF.findall(flat[m.start() :])
    return tuple(dict.fromkeys(f"{sid}#L{x}" if sid else f"L{x}" for x in found))


def origin_told(row) -> str | None:
    """What a monograph whose ``origine`` is ``inconnue`` says of how it began, in its own words, after its sentence
    « Origine … : non qualifiée. » and before « Marge de manœuvre », line references left out: « Les actes le
    disent « un dispositif régional », cité parmi les « dispositifs d'accompagnement étatiques », sans dire qui l'a
    créé ni à la demande de qui » for the Générateur (thirtieth reading: « sans dire si elle vient d'une commande
    publique » read as if the proceedings said nothing, L762, L796). None when the body says only that it is not
    documented."""
    if getattr(row, "origine", None) != "inconnue":
        return None
    for flat in _origin_paragraphs(row):
        m = _ORIGIN_SENTENCE.search(flat)
        if not m:
            continue
        rest = flat[m.end() - len("Origine") :]
        first = re.search(r"[.!?](?:\s|$)", rest)
        told = rest[first.end() :] if first else ""
        told = re.split(r"(?:^|\s)Marge de manœuvre\b", told)[0]
        told = _LINE_REFS.sub("", told).strip().rstrip(".").strip()
        if told:
            return told
    return None


_LINE_REFS = re.compile(r"\s*\(L\d+(?:-\d+)?(?:,\s*L\d+(?:-\d+)?)*\)")


def _origin_paragraphs(row):
    """The paragraphs of a monograph's body, each on one line (the body's sections are its only paragraphs)."""
    if hasattr(row, "_asdict"):  # a named tuple of ``itertuples``
        values = row._asdict().values()
    elif hasattr(row, "__dict__"):  # a namespace (the resource centre's rows)
        values = vars(row).values()
    else:
        values = dict(row).values()
    for text in values:
        if isinstance(text, str):
            yield from (" ".join(p.split()) for p in re.split(r"\n\s*\n", text))


def _field_text(row, column: str) -> str | None:
    """One frame field of a monograph as French text, or None when the file is silent."""
    if column == "ressources":
        shares = {r: getattr(row, f"ressources_{r}") for r in contract.RESSOURCES}
        if all(_missing(v) for v in shares.values()):
            return None
        return "; ".join(f"{label(r).lower()} {french.percent(float(v))}" for r, v in shares.items() if not _missing(v))
    value = getattr(row, column, None)  # a frame loaded before a field existed (contexte, resultats) lacks it
    if _missing(value):
        return None
    if column == "origine":
        if value == "inconnue":
            return UNQUALIFIED_ORIGIN if origin_said(row) else None
        return label(value)
    if column in ("innovation_sources", "outils"):
        return french.join(label(v).lower() for v in value)
    if column == "chiffres":
        return "; ".join(f"{figure_label(k)} : {french.number(v)}" for k, v in sorted(value.items()))
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def frame_fields(row) -> list[tuple[str, str]]:
    """Every field of the common frame for one monograph row: ``(label, text)``, "non renseigné" when silent."""
    return [(title, _field_text(row, column) or french.UNKNOWN) for column, title in FRAME]


#: The state of an initiative only cited as an example (:data:`~mesra.corpus.contract.MONOGRAPH_STATES`).
CITED_ONLY = "citee"


def brings_elements(monograph) -> bool:
    """Whether an initiative brings elements to the axes of analysis: not when it is only cited as an example
    (``etat: citee``). The proceedings cite PoleS's initiative (and Devenir paysan) among the « exemples de démarche
    pouvant intégrer la recherche-action » (L443-452): a possibility, not a presentation of the initiative along the
    common frame (what the sources say of it is still shown field by field, :func:`frame_fields`). Devenir paysan,
    which the Axe 4 cartography also reports as existing (L910), is ``rapportee`` and brings elements. The one rule of
    every page (fiche, monographs and six-axes sections, the monographs overview, the resource pages), all of which
    read :func:`axis_evidence`."""
    state = monograph.get("etat") if isinstance(monograph, dict) else getattr(monograph, "etat", None)
    return state != CITED_ONLY


def axis_evidence(monographs: pd.DataFrame, names: dict[str, str] | None = None) -> pd.DataFrame:
    """What each monograph documents for each of the six axes.

    Returns one row per (axis, monograph, element): ``axe`` (1–6), ``code``,
    ``monographie`` (title), ``element`` (French text) and ``id``. An axis is
    documented by its own text in ``axes_recherche_action`` and by the frame fields
    of :data:`AXIS_FIELDS`. An initiative only cited as an example documents no axis (:func:`brings_elements`).
    """
    names = names or {}
    rows = []
    for m in monographs.itertuples():
        if not brings_elements(m):
            continue
        for i, axis in enumerate(contract.AXES_RECHERCHE, start=1):
            own = getattr(m, f"axe_{axis}")
            if not _missing(own):
                rows.append((i, axis, m.titre, str(own), m.id))
            for column in AXIS_FIELDS[axis]:
                if column == "acteurs":
                    # never the initiative itself (fifteenth reading: Devenir paysan among its own actors, L452), nor
                    # what is not an actor (``acteurs_reperes``, set by the corpus: twenty-eighth reading)
                    spotted = getattr(m, "acteurs_reperes", None)
                    ids = spotted if isinstance(spotted, list) else (m.acteurs or [])
                    actors = [names.get(a, a) for a in ids if a != m.id]
                    if actors:
                        rows.append((i, axis, m.titre, "acteurs repérés : " + french.join(actors), m.id))
                    continue
                text = _field_text(m, column)
                if text is not None:
                    rows.append((i, axis, m.titre, f"{dict(FRAME)[column].lower()} : {text}", m.id))
    return pd.DataFrame(rows, columns=["axe", "code", "monographie", "element", "id"])
