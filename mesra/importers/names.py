"""What a name says: the one place for the name rules every importer uses.

- :func:`type_from_name`: the type an organisation's name states by its first words
  (« Association … » → ``association``, « Mairie de … » → ``collectivite``, « SCOP … » →
  ``cooperative``…), or ``None`` when its name says nothing;
- :func:`person_name`: True when a name is a person's (a first name and a surname, and no
  organisation form): « Nathalie Colfort », « Lespagnol Patrick ». The first names are those of
  ``prenoms_fr.csv`` (package data, cited in its header); a name of one word, with a digit, an
  ampersand, an organisation word or an article is never a person's.

Both fold case, accents and typographic apostrophes (:func:`mesra.text.slugify`).

>>> type_from_name("Association la ferme d'yvonne"), type_from_name("Les délices du potager")
('association', None)
>>> person_name("Nathalie Colfort"), person_name("Baldens Sylvie"), person_name("La Louve")
(True, True, False)
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from mesra.text import slugify

__all__ = ["type_from_name", "person_name", "NAME_TYPES", "first_names"]

#: First words of a name → type, in priority order (slugs: without accents or case).
NAME_TYPES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("association", "asso", "assoc"), "association"),
    (("cooperative", "scop", "scic", "cae", "sca"), "cooperative"),
    (
        (
            "mairie",
            "ville",
            "commune",
            "conseil-departemental",
            "conseil-regional",
            "departement",
            "region",
            "metropole",
            "communaute-de-communes",
            "communaute-d-agglomeration",
            "agglomeration",
        ),
        "collectivite",
    ),
    (("federation",), "federation"),
    (("reseau",), "reseau_territorial"),
    (("collectif", "groupe", "comite", "conseil-citoyen", "conseil-de-quartier", "amap"), "collectif"),
    (("entreprise", "societe", "sarl", "sas", "sasu", "eurl", "sa", "earl", "gaec"), "entreprise"),
    (("universite", "laboratoire", "labo"), "recherche"),
    (("fondation",), "financeur"),
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Words that make a name an organisation's, wherever they stand.
_ORGANISATION_WORDS = _words(
    "association asso assoc cooperative scop scic sarl sas eurl sa earl gaec ferme jardin jardins atelier "
    "ateliers maison collectif groupe reseau federation amap epicerie librairie cafe restaurant boutique "
    "magasin marche biocoop bio centre comite conseil mairie ville commune fondation institut universite "
    "ecole college lycee club compagnie cie espace ressourcerie recyclerie union syndicat mutuelle banque "
    "credit caisse le la les l du de des et au aux pour en sur chez"
)
_PARTICLES = frozenset({"de", "du", "des", "d", "le", "la", "van", "von", "da", "di"})
#: First names that are also words or places (« Utopia Lorraine », « Réserve Marine »): read as a
#: first name only in front (« Marine Dupont »), never at the end of a name.
_AMBIGUOUS_LAST = _words(
    "lorraine marine rose aurore france olive claire blanche fleur victoire constance prudence capucine "
    "violette margot reine colombe patience ange dominique"
)


def type_from_name(name: object) -> str | None:
    """The type a name states by its first words, or ``None`` (see :data:`NAME_TYPES`)."""
    slug = slugify(str(name or ""))
    for prefixes, typ in NAME_TYPES:
        if any(slug == p or slug.startswith(p + "-") for p in prefixes):
            return typ
    return None


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """The first names of ``prenoms_fr.csv``, as slugs (``helene``, ``jean-pierre``)."""
    text = resources.files("mesra.importers").joinpath("prenoms_fr.csv").read_text("utf-8")
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return frozenset(slugify(n) for n in lines[1:])


def _is_first_name(word: str) -> bool:
    slug = slugify(word)
    names = first_names()
    return slug in names or ("-" in slug and all(p in names for p in slug.split("-")))


def person_name(name: object) -> bool:
    """True when ``name`` is a person's: two or three words, one end a first name, the others a
    surname (capitalised, particles allowed), and nothing of an organisation."""
    text = str(name or "").strip()
    if not text or re.search(r"[\d&@/()«»\"“”:;,.!?+]", text):
        return False
    words = text.split()
    if not 2 <= len(words) <= 3 or type_from_name(text):
        return False
    if any(slugify(w) in _ORGANISATION_WORDS - _PARTICLES for w in words):
        return False
    if _is_first_name(words[0]):
        first, last = words[0], words[1:]
    elif len(words) == 2 and slugify(words[1]) not in _AMBIGUOUS_LAST:  # « Lespagnol Patrick »
        first, last = words[1], words[:1]
    else:
        return False
    if not _is_first_name(first) or not first[:1].isupper():
        return False
    surname = [w for w in last if slugify(w) not in _PARTICLES]
    return bool(surname) and all(w[:1].isupper() for w in surname)


def unique_id(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3``… the first not in ``taken``; the identifier is added to ``taken``."""
    aid, n = base, 2
    while aid in taken:
        aid, n = f"{base}-{n}", n + 1
    taken.add(aid)
    return aid


def actor_row(acteur_id: str, nom: str, typ: str, territoire: str, source: str) -> dict[str, str]:
    """A row of ``acteurs.csv`` as an importer writes it (no acronym, echelon or MES membership known)."""
    return {
        "acteur_id": acteur_id,
        "nom": nom,
        "sigle": "",
        "type": typ,
        "territoire_id": territoire,
        "echelon": "",
        "membre_mes": "",
        "source": source,
    }
