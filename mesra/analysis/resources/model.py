"""The resource centre's data model: what a *ressource* is, shared by its derivation and its site.

A *ressource* is a thing worth capitalising for the network (proceedings L634, L650, L776-777):
an ``outil`` (a tool: what it is for, who developed it, who uses it, its notice), an
``initiative`` (a monograph or documented project, along the common frame), a ``portrait``
(an organisation: what it is and does, its people, ties, practices, actions, advocacy) or a
``veille`` (a watch activity and what it follows). The word *fiche* is kept for the brief's
*fiche territoire*.

Resources are derived from the corpus (:mod:`mesra.analysis.resources.derive`) and completed
or overridden by a table written by hand (``ressources.csv`` plus Markdown bodies). Unknown
stays ``None`` (shown "non renseigné"); nothing is invented.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: The four kinds, in the order the index lists them, with their French label.
KINDS: dict[str, str] = {
    "outil": "Outil",
    "initiative": "Initiative",
    "portrait": "Portrait d'acteur",
    "veille": "Veille",
}

#: The status of a tool or initiative that only plans or examples attest (no observed tie): it does not exist yet.
IN_PROJECT = "en projet"
#: The same, when the passage its makers' planned tie cites says that it is being made (« élabore actuellement »).
IN_THE_MAKING = "en cours d'élaboration"
#: The status of a tool that only planned uses attest: it may exist; its use is what the plans foresee.
PLANNED_USE = "usage prévu"
#: The statuses of a thing that is not available yet: said next to it wherever it is listed.
NOT_YET = (IN_PROJECT, IN_THE_MAKING)


@dataclass(frozen=True)
class Citation:
    """Where a statement comes from: a locator (``actes-coconstruire-2019#L540``) and its sentence."""

    locator: str
    text: str | None = None  # the quoted passage, plain text (no markdown); None when the source text is absent


@dataclass(frozen=True)
class Item:
    """One line of a resource's body: a statement about an actor (or free text) with its source."""

    text: str  # plain French, already worded
    acteur_id: str | None = None  # the actor it names, when it names one (links to its portrait)
    how: str | None = None  # how it is known: "constate", "prevu", "envisage" (contract v3), or None
    citations: tuple[Citation, ...] = ()


@dataclass(frozen=True)
class Section:
    """A titled part of a resource's body (e.g. "Qui l'a développé", "Qui l'utilise", "Ses liens")."""

    title: str
    items: tuple[Item, ...] = ()
    markdown: str | None = None  # a hand-written body (from ressources/*.md), rendered by the site


@dataclass(frozen=True)
class Resource:
    """One resource of the centre. ``None`` means "non renseigné"."""

    ressource_id: str  # stable, file-name safe: "outil-evalumip", "portrait-mes", ...
    kind: str  # a key of KINDS
    title: str
    summary: str | None = None
    territoires: tuple[str, ...] = ()  # territoire_id of the contract
    echelon: str | None = None  # local, departemental, regional, national, europeen, international
    themes: tuple[str, ...] = ()
    axes: tuple[str, ...] = ()  # "1".."4": the seminar's workshop axes (corpus `axe`); research axes go to themes
    acteurs: tuple[str, ...] = ()  # acteur_id of every linked actor
    date: str | None = None  # ISO date or year
    citations: tuple[Citation, ...] = ()  # the sources of the resource as a whole
    author: str | None = None
    licence: str | None = None
    status: str | None = None  # e.g. "en usage", "en projet", or the hand table's value
    sections: tuple[Section, ...] = ()
    derived: bool = True  # False when the resource comes only from the hand-written table
    extra: dict = field(default_factory=dict, compare=False, hash=False)  # kind-specific facts (e.g. "notice": url)

    def _repr_html_(self) -> str:
        """The resource in a notebook: escaped HTML, French labels, "non renseigné" for unknown."""
        from mesra.analysis.resources.display import resource_html

        return resource_html(self)
