"""Identifier slugs: lowercase ASCII, every run of other characters turned into one ``-``."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["slugify", "ID_PATTERN", "is_identifier"]

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})


def slugify(text: str) -> str:
    """Return the identifier slug of an official name.

    >>> slugify("Côte-d'Or")
    'cote-d-or'
    >>> slugify("Provence-Alpes-Côte d'Azur")
    'provence-alpes-cote-d-azur'
    """
    text = unicodedata.normalize("NFKD", str(text).translate(_LIGATURES))
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def is_identifier(value: object) -> bool:
    """True when ``value`` is a valid identifier slug."""
    return isinstance(value, str) and bool(ID_PATTERN.match(value))
