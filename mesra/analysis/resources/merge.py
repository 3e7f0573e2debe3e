"""The hand-written table ``ressources.csv`` (and ``ressources/*.md``) merged with the derived resources.

A row whose identifier is that of a derived resource completes or overrides it: every
non-empty cell wins (``titre``, ``resume``, ``territoires``, ``themes``, ``axes``,
``acteurs``, ``date``, ``source``, ``auteur``, ``licence``, ``statut``); its body, when
``ressources/<ressource_id>.md`` exists, becomes the resource's first section
("Présentation"). Another identifier adds a resource (``derived=False``). ``mesra check``
has already refused a table that breaks the contract (:mod:`mesra.corpus.resource_table`).
"""

from __future__ import annotations

import dataclasses

from mesra.analysis.brief.sources import excerpt
from mesra.analysis.resources.model import Citation, Resource, Section
from mesra.corpus import contract

__all__ = ["merge", "BODY_TITLE"]

#: Title of the section that holds a hand-written body.
BODY_TITLE = "Présentation"


def _text(value) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _words(value) -> tuple[str, ...]:
    text = _text(value)
    if text is None:
        return ()
    return tuple(v.strip() for v in text.split(contract.LIST_SEPARATOR) if v.strip())


def _citations(corpus, value) -> tuple[Citation, ...]:
    out = []
    for loc in _words(value):
        sid, _, where = loc.partition("#")
        out.append(Citation(loc, excerpt(corpus.source_texts.get(sid), where, 300)))
    return tuple(out)


def _changes(corpus, row: dict) -> dict:
    """The fields a row of the hand table sets (its non-empty cells), as :class:`Resource` fields."""
    changes = {}
    for column, name in (
        ("titre", "title"),
        ("resume", "summary"),
        ("date", "date"),
        ("auteur", "author"),
        ("licence", "licence"),
        ("statut", "status"),
    ):
        if _text(row.get(column)):
            changes[name] = _text(row[column])
    for column, name in (("territoires", "territoires"), ("acteurs", "acteurs")):
        values = row.get(column) or []
        if values:
            changes[name] = tuple(values)
    for column in ("themes", "axes"):
        if _words(row.get(column)):
            changes[column] = _words(row[column])
    if _words(row.get("source")):
        changes["citations"] = _citations(corpus, row["source"])
    return changes


def _title_of(corpus, ident: str) -> str | None:
    """The name of the actor or monograph a row names (a row without title completes it)."""
    names = dict(zip(corpus.acteurs["acteur_id"], corpus.acteurs["nom"]))
    names.update(zip(corpus.monographies["id"], corpus.monographies["titre"]))
    return names.get(ident)


def merge(resources, corpus) -> tuple[Resource, ...]:
    """``resources`` completed, overridden and extended by the corpus's hand table, sorted by identifier."""
    table = getattr(corpus, "ressources", None)
    bodies = getattr(corpus, "ressource_bodies", {}) or {}
    out = {r.ressource_id: r for r in resources}
    if table is None or not len(table):
        return tuple(out[k] for k in sorted(out))
    for row in table.to_dict("records"):
        rid = row["ressource_id"]
        kind, _, ident = rid.partition("-")
        changes = _changes(corpus, row)
        body = _text(bodies.get(rid))
        hand = {"ecrit_a_la_main": tuple(sorted(changes)) + (("corps",) if body else ())}
        if rid in out:
            r = out[rid]
            sections = ((Section(BODY_TITLE, markdown=body),) if body else ()) + r.sections
            out[rid] = dataclasses.replace(r, sections=sections, extra={**r.extra, **hand}, **changes)
            continue
        changes.setdefault("title", _title_of(corpus, ident) or rid)
        out[rid] = Resource(
            rid,
            _text(row.get("type")) or kind,
            sections=(Section(BODY_TITLE, markdown=body),) if body else (),
            derived=False,
            extra=hand,
            **changes,
        )
    return tuple(out[k] for k in sorted(out))
