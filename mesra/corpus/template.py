"""A monograph template following the seminar's common frame, every field explained in French.

``mesra new-monograph ID --territoire T [--porteur A] [--data DOSSIER]`` writes
``DOSSIER/monographies/ID.md``: the YAML front matter of the data contract, each
field preceded by a French comment (the questions of the "cadre commun pour la
rédaction" and of the "note de cadrage pour une recherche-action", Axe 1 of the
2019 seminar), then the three body sections with their guiding questions. Left
as written, the required fields (``titre``, ``origine``, ``sources``) are empty,
so ``mesra check`` names them; once filled, it passes.
"""

from __future__ import annotations

from pathlib import Path

from mesra.corpus import contract
from mesra.errors import MesraError, ParameterError, did_you_mean
from mesra.files import atomic_write_text
from mesra.text import ID_PATTERN

__all__ = ["monograph_template", "new_monograph"]

_HEAD = """\
# Monographie — cadre commun pour la rédaction (séminaire « CoConstruire l'Économie
# Solidaire », Bergerie de Villarceaux, 2019). Remplissez chaque champ : ce qui est
# inconnu reste « null » (ou une liste vide []) ; n'inventez rien. Chaque information
# doit venir d'une source citée dans « sources ». Vérifiez ensuite : mesra check DOSSIER"""

#: French comment written above each front-matter field.
_COMMENTS = {
    "id": "Identifiant de la monographie : le nom du fichier sans « .md » (minuscules, chiffres, tirets).",
    "titre": "OBLIGATOIRE. Nom de l'initiative tel que les notes l'afficheront, entre guillemets.",
    "territoire": "Territoire de l'initiative : identifiant de la géographie de référence (région, département)\n"
    "# ou de territoires.csv (EPCI, commune).",
    "porteur": "Acteur qui porte l'initiative : identifiant de acteurs.csv, ou null.",
    "acteurs": "Acteurs impliqués : identifiants de acteurs.csv, ex. [pesad21, dla].",
    "annee": "Année de la situation décrite (ex. 2019), ou null.",
    "origine": "OBLIGATOIRE. Satisfaction de besoins non couverts — origine du projet : commande publique ?\n"
    "# mobilisation citoyenne ? Valeurs : " + " | ".join(contract.ORIGINES) + ".",
    "etat": "Où en est la monographie : " + " | ".join(contract.MONOGRAPH_STATES) + "\n"
    "# (rédigée selon le cadre commun ; initiative présentée, monographie à écrire ; initiative seulement citée\n"
    "# en exemple). Par défaut : redigee.",
    "marge_de_manoeuvre": "Quelle marge de manœuvre était à disposition pour faire le cadre de travail ? "
    "Texte ou null.",
    "besoins_non_couverts": "Besoins non couverts auxquels l'initiative répond, un texte par besoin,\n"
    '# ex. ["mobilité", "emploi des jeunes"].',
    "objectifs": "Facultatif. Ce que l'initiative vise (à distinguer des besoins non couverts auxquels elle\n"
    "# répond), un texte par objectif.",
    "contexte": "Facultatif. D'où vient l'initiative et ce qui la freine, dans les mots des sources (historique,\n"
    '# limites), un texte par fait, ex. ["pas vraiment de méthodologie d\'essaimage"].',
    "resultats": "Facultatif. Ce que les sources disent qu'elle a fait ou apporté (à distinguer de ce qu'elle\n"
    "# vise), un texte par fait.",
    "innovation": "L'innovation sociale : comment la définir ici ? D'où vient l'innovation dans le projet ?",
    "cooperation": "Renforcement de la coopération entre acteurs.",
    "axes_recherche_action": "Les six axes de la note de cadrage pour une recherche-action : "
    "un texte par axe, ou null.",
    "ressources": "Facultatif. Hybridation des ressources : parts entre 0 et 1 dont la somme vaut 1, ou null.",
    "chiffres": "Chiffres cités par les sources, tels quels : {nom: nombre}, ex. {collectivites_accompagnees: 23}.",
    "sources": "OBLIGATOIRE. D'où vient chaque information : « identifiant_source#repère » d'une source de\n"
    '# sources.csv, ex. ["actes-coconstruire-2019#L310-316"].',
}

_SUB = {
    "innovation": [
        ("sources", "[]", "D'où vient l'innovation ? " + " | ".join(contract.INNOVATION_SOURCES)),
        ("description", "null", "L'innovation sociale dans ce projet, en quelques phrases."),
    ],
    "cooperation": [
        ("processus_participation", "null", "Quel était le processus de participation ?"),
        (
            "regulation_frictions",
            "null",
            "Quels étaient les modes de régulation des points de frictions et de blocage pour promouvoir "
            "la coopération ?",
        ),
        (
            "outils",
            "[]",
            "Quels outils ont été utilisés pour la coopération territoriale ? "
            + " | ".join(contract.OUTILS_COOPERATION),
        ),
    ],
    "axes_recherche_action": [
        (
            "economie_territorialisee",
            "null",
            "1. Distinguer économie de marché territorialisée et économie de marché internationalisée.",
        ),
        ("synergies", "null", "2. Identifier des initiatives volontaires pour rechercher une synergie."),
        ("acteurs_ess", "null", "3. Repérer des acteurs se positionnant dans une démarche ESS."),
        (
            "economie_informelle",
            "null",
            "4. Identifier les initiatives qui sont dans une économie informelle, "
            "pour contribuer à leur reconnaissance et à leur formalisation.",
        ),
        (
            "besoins_non_couverts",
            "null",
            "5. Recenser des besoins non couverts pour voir comment ils peuvent être travaillés.",
        ),
        ("programme_action", "null", "6. Déterminer un programme d'action (sur la base des 5 axes précédents)."),
    ],
    "ressources": [
        ("marchand", "null", "Part des ressources marchandes (ventes), entre 0 et 1."),
        ("redistribution", "null", "Part de la redistribution (subventions, commande publique), entre 0 et 1."),
        ("reciprocite", "null", "Part de la réciprocité (bénévolat, dons, entraide), entre 0 et 1."),
    ],
}

_SECTIONS = {
    "Besoins non couverts": "Satisfaction de besoins non couverts. Origine du projet (commande publique ? mobilisation "
    "citoyenne ?). Quelle marge de manœuvre était à disposition pour faire le cadre de "
    "travail ? Citez vos sources (ex. « (L312) » ou l'identifiant de la source).",
    "Innovation sociale": "Comment définir l'innovation sociale ? D'où vient l'innovation dans le projet : nouvelles "
    "méthodes d'animation ? reconfiguration des parties prenantes ? nouvelles solutions "
    "proposées ?",
    "Coopération": "Renforcement de la coopération entre acteurs. Quel était le processus de participation ? Quels "
    "étaient les modes de régulation des points de frictions et de blocage pour promouvoir la "
    "coopération ? Quels outils ont été utilisés pour la coopération territoriale (outils monétaires ? "
    "juridiques ? …) ?",
}


def monograph_template(identifier: str, territoire: str, porteur: str | None = None) -> str:
    """The text of a monograph template (front matter with French comments, three sections).

    >>> text = monograph_template("ma-recyclerie", "cote-d-or")
    >>> text.splitlines()[0]
    '---'
    """
    values = {
        "id": identifier,
        "titre": '""',
        "territoire": territoire,
        "porteur": porteur or "null",
        "acteurs": f"[{porteur}]" if porteur else "[]",
        "annee": "null",
        "origine": "null",
        "etat": "redigee",
        "marge_de_manoeuvre": "null",
        "besoins_non_couverts": "[]",
        "objectifs": "[]",
        "contexte": "[]",
        "resultats": "[]",
        "chiffres": "{}",
        "sources": "[]",
    }
    lines = ["---", _HEAD]
    for key in contract.MONOGRAPH_FIELDS:
        lines.append(f"# {_COMMENTS[key]}")
        if key in _SUB:
            lines.append(f"{key}:")
            for sub, value, comment in _SUB[key]:
                lines.append(f"  # {comment}")
                lines.append(f"  {sub}: {value}")
        else:
            lines.append(f"{key}: {values[key]}")
    lines.append("---")
    for section in contract.MONOGRAPH_SECTIONS:
        lines += ["", f"## {section}", "", f"<!-- {_SECTIONS[section]} -->"]
    return "\n".join(lines) + "\n"


def _read(data: Path):
    """The corpus's territories (the reference's and its own) and its actors' table, from CSV files
    or a workbook (the loader's reading: a workbook is read where CSV files are)."""
    import pandas as pd

    from mesra.corpus.load import read_raw

    raw = read_raw(data)
    own = raw.tables.get("territoires")
    rows = [r for r in own.rows if r.get("territoire_id")] if own is not None else []
    columns = ["territoire_id", "nom", "niveau", "code_insee", "parent_id"]
    territories = pd.concat([raw.reference[columns], pd.DataFrame(rows, columns=columns)], ignore_index=True)
    return territories, raw.tables.get("acteurs")


def _territory(value: str, territories, resolve) -> str:
    """The territory's identifier (the corpus's or the reference's), or a commune mesra knows."""
    from mesra.corpus.communes import resolve_commune
    from mesra.errors import ParameterError as _Error

    try:
        return resolve(value, territories)
    except _Error:
        tid, _, _ = resolve_commune(value)
        if tid is None:
            raise
        return tid


def new_monograph(
    identifier: str, territoire: str, *, porteur: str | None = None, data: str | Path = "data", force: bool = False
) -> Path:
    """Write ``data/monographies/<identifier>.md`` from :func:`monograph_template`.

    Raises
    ------
    ParameterError
        Invalid identifier, unknown territory or unknown porteur (with a suggestion).
    MesraError
        The corpus folder does not exist, or the file exists and ``force`` is False.
    """
    from mesra.corpus.geo import resolve_territory

    data = Path(data)
    folder = data.parent if data.suffix.lower() == ".xlsx" and data.is_file() else data
    if not ID_PATTERN.match(identifier or ""):
        raise ParameterError(
            f"identifiant « {identifier} » invalide : lettres minuscules sans accent, chiffres et "
            "tirets (ex. ma-recyclerie)"
        )
    if not folder.is_dir():
        raise MesraError(f"dossier du corpus « {folder} » introuvable : indiquez-le avec --data")
    territories, actors = _read(data)
    territoire = _territory(territoire, territories, resolve_territory)
    if porteur is not None:
        known = {r.get("acteur_id", "") for r in actors.rows} - {""} if actors is not None else set()
        if porteur not in known:
            where = actors.label if actors is not None else "le corpus (aucune table acteurs)"
            raise ParameterError(f"acteur porteur « {porteur} » inconnu dans {where}{did_you_mean(porteur, known)}")
    path = folder / contract.MONOGRAPH_DIR / f"{identifier}.md"
    if path.exists() and not force:
        raise MesraError(f"« {path} » existe déjà : choisissez un autre identifiant ou ajoutez --force pour l'écraser")
    path.parent.mkdir(exist_ok=True)
    return atomic_write_text(path, monograph_template(identifier, territoire, porteur))
