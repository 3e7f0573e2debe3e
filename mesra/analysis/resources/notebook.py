"""The resource centre in a notebook: :func:`ressources` lists every resource as a DataFrame."""

from __future__ import annotations

import pandas as pd

from mesra.analysis.resources.derive import derive

__all__ = ["ressources", "COLUMNS"]

#: The DataFrame's columns (the hand table's French names, plus ``derivee`` and the object).
COLUMNS = (
    "ressource_id",
    "type",
    "titre",
    "resume",
    "territoires",
    "echelon",
    "themes",
    "axes",
    "acteurs",
    "date",
    "source",
    "auteur",
    "licence",
    "statut",
    "derivee",
    "ressource",
)


def ressources(corpus, type: str | None = None) -> pd.DataFrame:
    """Every resource of ``corpus`` (derived, completed by ``ressources.csv``), one row each.

    List columns (``territoires``, ``themes``, ``axes``, ``acteurs``, ``source``: the
    locators of the resource's sources) hold tuples; ``ressource`` holds the
    :class:`~mesra.analysis.resources.model.Resource` itself, which a notebook shows as HTML.
    ``type`` keeps one kind (``outil``, ``initiative``, ``portrait``, ``veille``).

    >>> import mesra
    >>> df = mesra.ressources(mesra.load_corpus(), type="outil")
    >>> "outil-evalumip" in set(df["ressource_id"])
    True
    """
    rows = [
        (
            r.ressource_id,
            r.kind,
            r.title,
            r.summary,
            r.territoires,
            r.echelon,
            r.themes,
            r.axes,
            r.acteurs,
            r.date,
            tuple(c.locator for c in r.citations),
            r.author,
            r.licence,
            r.status,
            r.derived,
            r,
        )
        for r in derive(corpus)
        if type is None or r.kind == type
    ]
    return pd.DataFrame(rows, columns=list(COLUMNS), dtype=object)
