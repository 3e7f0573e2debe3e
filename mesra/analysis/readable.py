"""Tables as readers see them: French column labels and values, numbers right, text left.

Researchers work on the DataFrames mesra returns (snake_case columns, floats, booleans,
missing values). Readers of a rendered page see them through :func:`readable`: columns
with French labels, codes with their label ("regional" → "Régional"), booleans as
"oui"/"non", missing values as "non renseigné", numbers with a decimal comma and thin
spaces, text columns aligned left and numbers right. The raw frame stays in ``.frame``.

>>> import pandas as pd
>>> t = readable(pd.DataFrame({"nom": ["APES"], "externe": [False], "intermediarite": [0.5931]}))
>>> t.labels, t.cells
(['Nom', 'Extérieur au territoire', 'Intermédiarité'], [['APES', 'non', '0,59']])
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field

import pandas as pd

from mesra import french
from mesra.corpus import contract

__all__ = ["readable", "ReadableTable", "COLUMN_LABELS", "table_html"]

#: French labels of the columns mesra's functions return (anything else is shown as it is).
COLUMN_LABELS = {
    # node attributes and measures (mesra.metrics)
    "noeud": "Identifiant",
    "nom": "Nom",
    "sigle": "Sigle",
    "type": "Type",
    "territoire": "Territoire",
    "territoire_id": "Territoire",
    "echelon": "Échelon",
    "membre_mes": "Membre du MES",
    "externe": "Extérieur au territoire",
    "degre": "Liens",
    "degre_pondere": "Liens pondérés",
    "centralite_degre": "Centralité de degré",
    "intermediarite": "Intermédiarité",
    "intermediarite_exacte": "Intermédiarité exacte",
    "pagerank": "PageRank",
    "contrainte": "Contrainte de Burt",
    "taille_effective": "Taille effective",
    "communaute": "Communauté",
    "acteur_id": "Identifiant",
    "source": "Source",
    "niveau": "Niveau",
    "relation": "Relation",
    # whole-graph figures (mesra.graph_summary)
    "noeuds": "Nœuds",
    "liens": "Liens",
    "externes": "Nœuds extérieurs au territoire",
    "densite": "Densité",
    "composantes": "Composantes connexes",
    "plus_grande_composante": "Taille de la plus grande composante",
    "isolats": "Nœuds sans lien",
    "part_liens_inter_echelons": "Part des liens entre échelons différents",
    "modularite": "Modularité",
    "communautes": "Communautés",
    # action plans (mesra.actions_for and the functions of mesra.analysis.plan)
    "action_id": "Action",
    "axe": "Axe",
    "intitule": "Intitulé",
    "porteurs": "Porteurs",
    "partenaires": "Partenaires",
    "debut": "Début",
    "fin": "Fin",
    "livrable": "Livrable",
    "statut": "Statut prévu",
    "statut_actuel": "Statut",
    "dernier_suivi": "Dernier suivi",
    "periode_debut": "Du",
    "periode_fin": "Au",
    "echeance_depassee": "Échéance dépassée",
    "actions": "Actions",
    "date": "Date",
    "note": "Note",
    # planned cooperations and leads (mesra.planned_cooperations, mesra.leads)
    "organisation_a": "Organisation A (identifiant)",
    "organisation_b": "Organisation B (identifiant)",
    "nom_a": "Organisation A",
    "nom_b": "Organisation B",
    "source_id": "De (identifiant)",
    "cible_id": "Vers (identifiant)",
    "nom_source": "De",
    "nom_cible": "Vers",
    "objet": "Ce qui est en jeu",
    "sources": "Sources",
    "relations": "Relations",
    "contextes": "Contextes partagés",
}
#: Columns whose values are codes of a vocabulary (shown with their French label).
_CODED = {"type", "echelon", "niveau", "relation", "origine", "statut", "statut_actuel"}
#: Columns of plan dates (``AAAA``, ``AAAA-MM``, ``AAAA-MM-JJ`` or dates), shown in French words.
_DATES = {"debut", "fin", "dernier_suivi", "periode_debut", "periode_fin", "echeance_depassee", "date"}
#: Columns of identifier lists, shown with the names of the actors and people (with ``corpus``).
_ID_LISTS = {"porteurs", "partenaires"}
#: Columns that are shares (0–1), shown as percentages.
_SHARES = {"part_liens_inter_echelons"}
#: Columns that hold yes/no values, whatever their dtype.
_BOOLEANS = {"membre_mes", "externe", "intermediarite_exacte"}
#: Columns of source locators, shown as lines in words ("lignes 12-20"), never as ``doc#L12-20``.
_LOCATORS = {"source", "sources", "Source", "Sources"}
#: Columns whose values are names of columns (data-quality tables).
_FIELD_NAMES = {"Champ"}
_FIELD_LABELS = {"territoire_id": "Territoire", "acteur_id": "Acteur", "personne_id": "Personne",
                 "source_id": "Source (lien)", "cible_id": "Cible (lien)", "parent_id": "Territoire parent",
                 "code_insee": "Code INSEE", "membre_mes": "Membre du MES", "annee": "Année", "axe": "Axe",
                 "prenom": "Prénom", "fonction": "Fonction", "objet": "Ce qui est défendu"}  # fmt: skip


def _missing(v) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))


def _cell(column: str, v, decimals: int, floating: bool = False, names: dict | None = None) -> tuple[str, bool]:
    """``(text, is_number)`` of one value; ``floating``: the column holds measures, not counts."""
    if _missing(v):
        return french.UNKNOWN, False
    if column in _BOOLEANS or isinstance(v, bool) or type(v).__name__ == "bool_":
        return french.yes_no(bool(v)), False
    if isinstance(v, (int, float)) or type(v).__module__ == "numpy":
        x = float(v)
        if column in _SHARES:
            return french.percent(x), True
        if "%" in column:
            return french.number(x, 1), True
        if floating or not x.is_integer():
            return (french.measure(x) if decimals is None else french.number(x, decimals)), True
        return french.number(int(x)), True
    return _text(column, v, names or {}), False


def _text(column: str, v, names: dict) -> str:
    """A value that is neither missing, boolean nor a number; ``names``: see :func:`_names`."""
    if isinstance(v, (list, tuple, set)) and column in _LOCATORS:
        return french.locator_in_words(", ".join(str(x) for x in v)) if v else french.UNKNOWN
    if isinstance(v, (list, tuple, set)):
        entities = names.get("entites", {}) if column in _ID_LISTS else {}
        return ", ".join(str(entities.get(x, x)) for x in v) if v else french.UNKNOWN
    if column in _DATES:
        return french.date(v)
    if column in _CODED:
        return contract.label(v)
    if column in _FIELD_NAMES:
        return _FIELD_LABELS.get(str(v), COLUMN_LABELS.get(str(v), contract.label(v).replace("_", " ")))
    if column in ("territoire", "territoire_id"):
        return names.get("territoires", {}).get(str(v), str(v))
    if column in _LOCATORS:
        return french.locator_in_words(str(v))
    return str(v)


@dataclass
class ReadableTable:
    """A table ready for readers; ``frame`` keeps the data as computed."""

    frame: pd.DataFrame
    labels: list[str] = field(default_factory=list)
    cells: list[list[str]] = field(default_factory=list)
    numeric: list[bool] = field(default_factory=list)
    caption: str = ""

    def _repr_html_(self) -> str:
        return table_html(self.labels, self.cells, self.numeric, caption=self.caption)

    def __str__(self) -> str:
        if not self.cells:
            return "Aucune donnée."
        widths = [max(len(x) for x in col) for col in zip(self.labels, *self.cells)]
        lines = ["  ".join(c.ljust(w) for c, w in zip(self.labels, widths))]
        lines += [
            "  ".join(c.rjust(w) if n else c.ljust(w) for c, w, n in zip(row, widths, self.numeric))
            for row in self.cells
        ]
        return "\n".join(line.rstrip() for line in lines)

    __repr__ = __str__


def readable(
    data, *, decimals: int | None = None, labels: dict[str, str] | None = None, caption: str = "", corpus=None
) -> ReadableTable:
    """A DataFrame (or a Series of figures) as readers see it; see the module docstring.

    Measures follow the one rule of decimals of mesra's pages (:func:`mesra.french.measure`:
    two decimals below 1, one from 1 on) unless ``decimals`` is given.

    With ``corpus``, territory identifiers are shown by their names, and so are the
    actors and people of identifier lists (``porteurs``, ``partenaires``).
    """
    territory_names = _names(corpus) if corpus else None
    if isinstance(data, pd.Series):
        frame = pd.DataFrame({"Mesure": list(data.index), "Valeur": list(data.values)})
        rows = [[COLUMN_LABELS.get(str(k), str(k)), _cell(str(k), v, decimals)[0]] for k, v in data.items()]
        numeric = [False, all(_cell(str(k), v, decimals)[1] for k, v in data.items())]
        return ReadableTable(frame, ["Mesure", "Valeur"], rows, numeric, caption)
    names = {**COLUMN_LABELS, **(labels or {})}
    # a ``code`` column beside its French label is for programs, not for readers
    frame = data.drop(columns=["code"]) if "code" in data.columns and len(data.columns) > 1 else data
    columns = [str(c) for c in frame.columns]
    floating = [frame[c].dtype.kind == "f" for c in frame.columns]
    cells = [
        [_cell(c, v, decimals, f, territory_names) for c, v, f in zip(columns, row, floating)]
        for row in frame.itertuples(index=False)
    ]
    numeric = [
        bool(cells) and all(cell[1] or cell[0] == french.UNKNOWN for cell in col) and any(cell[1] for cell in col)
        for col in zip(*cells)
    ] or [False] * len(columns)
    texts = [[c[0] for c in row] for row in cells]
    return ReadableTable(frame, [names.get(c, c) for c in columns], texts, numeric, caption)


def _names(corpus) -> dict[str, dict[str, str]]:
    """Names of territories (for territory columns) and of actors and people (for identifier lists)."""
    entities = dict(zip(corpus.acteurs["acteur_id"], corpus.acteurs["nom"]))
    for pid, nom, prenom in zip(corpus.personnes["personne_id"], corpus.personnes["nom"], corpus.personnes["prenom"]):
        entities[pid] = f"{prenom} {nom}" if isinstance(prenom, str) and prenom else str(nom)
    return {
        "territoires": dict(zip(corpus.territoires["territoire_id"], corpus.territoires["nom"])),
        "entites": entities,
    }


def table_html(labels: list[str], rows: list[list[str]], numeric: list[bool], *, caption: str = "") -> str:
    """An escaped HTML table: class ``n`` on number columns (right-aligned by the page's style)."""
    e = html.escape
    cls = [' class="n"' if n else "" for n in numeric]
    head = "".join(f"<th{c}>{e(french.punctuate(label))}</th>" for label, c in zip(labels, cls))
    body = "".join(
        "<tr>" + "".join(f"<td{c}>{e(french.punctuate(v))}</td>" for v, c in zip(row, cls)) + "</tr>" for row in rows
    )
    cap = f"<caption>{e(french.punctuate(caption))}</caption>" if caption else ""
    return f'<table class="mesra-table">{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
