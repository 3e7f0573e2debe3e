"""From a brief to the resource centre: the resources of the tools, initiatives and actors it names.

A brief (:class:`mesra.analysis.brief.Brief`) shows :func:`brief_links` in one cell: for each kind,
links to the pages ``ressources/<ressource_id>.html`` that the batch writes beside the briefs
(:mod:`mesra.batch.site`), relative to the brief's page (``territoires/<id>/…``), so they work
from the file system. A resource is named by a brief when the actor it is about
(``extra["acteur_id"]``) is one of the territory's actors, or when it is one of the territory's
monographs (``extra["monographie"]``).
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote

from mesra import french
from mesra.analysis.resources.model import KINDS, NOT_YET, Resource
from mesra.corpus import pages as printed_pages
from mesra.text import fold

__all__ = ["ResourceLinks", "named_by", "brief_links", "made_by", "stage_words"]

#: From a brief's page (``OUT/territoires/<id>/<carnet>.html``) to the resource centre.
CENTRE = "../../ressources/"
#: Links listed per kind; past it, the sentence points to the index filtered on the territory.
LISTED = 25


@dataclass(frozen=True)
class ResourceLinks:
    """The resources a brief names, by kind (``((kind, ((title, ressource_id), …)), …)``), shown as links."""

    territoire: str
    name: str
    groups: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]
    centre: str = CENTRE
    #: ``ressource_id`` → « en cours d'élaboration, ligne 558 »: a tool or initiative that is not available yet,
    #: said next to its link (only plans or « élabore actuellement » attest it).
    stages: tuple[tuple[str, str], ...] = ()

    def __len__(self) -> int:
        return sum(len(items) for _, items in self.groups)

    def _repr_html_(self) -> str:
        e = html.escape
        index = f"{self.centre}index.html#territoire={quote(self.territoire)}"
        parts = [f"<h3>{e('Dans le centre de ressources du réseau')}</h3>"]
        if not self.groups:
            parts.append(
                f"<p>{e(french.punctuate('Aucun outil, initiative ou acteur de cette note n’a de ressource.'))} "
                f'<a href="{e(self.centre)}index.html">{e("Toutes les ressources")}</a></p>'
            )
            return "\n".join(parts)
        intro = (
            "Les outils, initiatives et acteurs de cette note ont leur ressource "
            "(qui les a faits, qui les utilise, leurs sources) :"
        )
        parts.append(f"<p>{e(french.punctuate(intro))}</p><ul>")
        for kind, items in self.groups:
            stages = dict(self.stages)
            shown = ", ".join(
                f'<a href="{e(self.centre + quote(rid))}.html">{e(title)}</a>'
                + (f" ({e(stages[rid])})" if rid in stages else "")
                for title, rid in items[:LISTED]
            )
            rest = len(items) - LISTED
            more = f" … et {french.plural(rest, 'autre')}" if rest > 0 else ""
            parts.append(
                f"<li><strong>{e(KINDS.get(kind, kind))}</strong>{e(french.punctuate(' : '))}{shown}{e(more)}</li>"
            )
        all_of = f"Toutes les ressources liées à ce territoire ({self.name}), à filtrer et à chercher"
        parts.append(f'</ul><p><a href="{e(index)}">{e(all_of)}</a></p>')
        return "\n".join(parts)

    def __str__(self) -> str:
        stages = dict(self.stages)
        lines = [
            f"{KINDS.get(k, k)} : " + ", ".join(t + (f" ({stages[r]})" if r in stages else "") for t, r in items)
            for k, items in self.groups
        ]
        return "\n".join(lines) or "Aucune ressource."


def named_by(resources: Iterable[Resource], actor_ids: set[str], monograph_ids: set[str]) -> list[Resource]:
    """The resources about one of ``actor_ids`` or one of ``monograph_ids``, in the order of :data:`KINDS`."""
    rank = {k: i for i, k in enumerate(KINDS)}
    found = [
        r
        for r in resources
        if (r.extra or {}).get("acteur_id") in actor_ids or (r.extra or {}).get("monographie") in monograph_ids
    ]
    return sorted(found, key=lambda r: (rank.get(r.kind, 99), fold(r.title)))


def brief_links(brief, resources: Iterable[Resource] | None = None) -> ResourceLinks:
    """The links from ``brief`` (a :class:`~mesra.analysis.brief.view.TerritoryView`) to its resources.

    ``resources`` default to :func:`mesra.analysis.resources.derive.catalogue` of the brief's corpus
    (identifiers, titles and what each is about: what a link needs, without deriving the bodies).
    """
    if resources is None:
        from mesra.analysis.resources.derive import catalogue

        resources = catalogue(brief.corpus)
    monographs = set(brief.monographs["id"]) if "id" in brief.monographs else set()
    groups: dict[str, list[tuple[str, str]]] = {}
    stages = []
    for r in named_by(resources, set(brief.actor_ids) | made_by(brief.corpus, brief.actor_ids), monographs):
        groups.setdefault(r.kind, []).append((r.title, r.ressource_id))
        if r.status in NOT_YET:
            stages.append((r.ressource_id, stage_words(r, printed_pages.of(brief.corpus))))
    return ResourceLinks(
        brief.territoire, brief.name, tuple((k, tuple(v)) for k, v in groups.items()), stages=tuple(stages)
    )


#: Ties by which an actor makes or carries a thing (a tool, a project, a watch activity).
MAKERS = ("developpe", "porte")


def made_by(corpus, actor_ids) -> set[str]:
    """The things (tools, projects, watch activities) that one of ``actor_ids`` develops or carries, wherever
    they are located: the Gard's Terres de Convergence makes « Fiches pratiques » located in Occitanie
    (L358), and the Gard's note links to them as Occitanie's does."""
    t = corpus.liens
    ids = set(actor_ids)
    return set(t.loc[t["relation"].isin(MAKERS) & t["source_id"].isin(ids), "cible_id"])


def stage_words(r: Resource, pages=None) -> str:
    """« en cours d'élaboration, p. 20 »: the status of a thing not available yet, with where the sources say so
    (the printed pages when ``pages``, the corpus's ``source_pages``, places them; else the lines)."""
    from mesra.analysis.sections import where_in_words

    locs = [str(x) for x in (r.extra or {}).get("statut_sources", ()) if x]
    if not locs:
        return r.status
    where = where_in_words(locs, pages)
    return f"{r.status}, {where}" if where else r.status
