"""Identifier slugs (lowercase ASCII, every run of other characters turned into one ``-``) and accent folding."""

from __future__ import annotations

import re
import unicodedata

from mesra.errors import ParameterError

__all__ = ["slugify", "ID_PATTERN", "is_identifier", "check_identifier", "fold"]

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

_LIGATURES = str.maketrans(
    {"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"}
    # typographic apostrophes and dashes fold to their ASCII forms: « Villeneuve-d’Ascq » and
    # « Villeneuve-d'Ascq » are one name (for identifiers and matching, never for display)
    | dict.fromkeys("’‘‛ʼ′`´", "'")
    | dict.fromkeys("‐‑‒–—―−", "-")
)


def slugify(text: str) -> str:
    """Return the identifier slug of an official name.

    >>> slugify("Côte-d'Or")
    'cote-d-or'
    >>> slugify("Provence-Alpes-Côte d'Azur")
    'provence-alpes-cote-d-azur'
    """
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def is_identifier(value: object) -> bool:
    """True when ``value`` is a valid identifier slug."""
    return isinstance(value, str) and bool(ID_PATTERN.match(value))


def check_identifier(value: object, what: str = "territoire", example: str = "occitanie, cote-d-or, fr") -> str:
    """Return ``value`` if it is an identifier slug, else raise a French :class:`ParameterError`.

    Every parameter that becomes a file or folder name goes through it (no path traversal).

    >>> check_identifier("cote-d-or")
    'cote-d-or'
    """
    if not is_identifier(value):
        raise ParameterError(
            f"Identifiant de {what} invalide : {value!r}. Un identifiant ne contient que des lettres "
            f"minuscules sans accent, des chiffres et des tirets (ex. {example})."
        )
    return value


def fold(text: object) -> str:
    """Accent- and case-folded text, for comparing and sorting names.

    >>> fold("Île-de-France Œuvre")
    'ile-de-france oeuvre'
    """
    text = unicodedata.normalize("NFKD", str(text).translate(_LIGATURES))
    return text.encode("ascii", "ignore").decode("ascii").lower()
