"""A resource as a notebook shows it: one escaped HTML block, French labels, "non renseigné" for unknown."""

from __future__ import annotations

import html

from mesra import french
from mesra.analysis.resources.model import KINDS, Citation, Item, Resource, Section
from mesra.corpus.contract import label

__all__ = ["resource_html", "HOW_LABELS", "FIELD_LABELS"]

#: How a tie is known, as a reader reads it (contract v3).
HOW_LABELS = {"constate": "constaté", "prevu": "prévu", "envisage": "envisagé"}
#: The common fields, in the order they are shown, with their French label.
FIELD_LABELS = (
    ("kind", "Type"),
    ("summary", "Résumé"),
    ("territoires", "Territoires"),
    ("echelon", "Échelon"),
    ("themes", "Thèmes"),
    ("axes", "Axes"),
    ("acteurs", "Acteurs liés"),
    ("date", "Date"),
    ("author", "Auteur"),
    ("licence", "Licence"),
    ("status", "Statut"),
)


def _e(value) -> str:
    return html.escape(str(value), quote=True)


def _value(r: Resource, name: str) -> str:
    value = getattr(r, name)
    if name == "kind":
        return KINDS.get(value, value)
    if name == "echelon" and value:
        return label(value)
    if name == "date" and value:
        return french.date(value)
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value) if value else french.UNKNOWN
    return french.UNKNOWN if value is None or value == "" else str(value)


def _citation(c: Citation) -> str:
    quoted = f" : « {_e(c.text)} »" if c.text else ""
    return f"<code>{_e(c.locator)}</code>{quoted}"


def _item(i: Item) -> str:
    how = f" <em>({_e(HOW_LABELS.get(i.how, i.how))})</em>" if i.how else ""
    cites = "".join(f"<li>{_citation(c)}</li>" for c in i.citations)
    sources = f"<ul class='mesra-sources'>{cites}</ul>" if cites else ""
    return f"<li>{_e(i.text)}{how}{sources}</li>"


def _section(s: Section) -> str:
    body = "".join(_item(i) for i in s.items)
    out = f"<h4>{_e(s.title)}</h4>"
    if body:
        out += f"<ul>{body}</ul>"
    if s.markdown:
        out += f"<pre style='white-space:pre-wrap'>{_e(s.markdown)}</pre>"
    return out


def resource_html(r: Resource) -> str:
    """The resource as an HTML block (every text escaped)."""
    rows = "".join(f"<tr><th>{_e(lab)}</th><td>{_e(_value(r, name))}</td></tr>" for name, lab in FIELD_LABELS)
    origin = "dérivée du corpus" if r.derived else "écrite à la main (ressources.csv)"
    rows += f"<tr><th>Origine</th><td>{_e(origin)}</td></tr>"
    cites = "".join(f"<li>{_citation(c)}</li>" for c in r.citations) or f"<li>{_e(french.UNKNOWN)}</li>"
    sections = "".join(_section(s) for s in r.sections)
    return (
        f"<div class='mesra-ressource' id='{_e(r.ressource_id)}'>"
        f"<h3>{_e(r.title)} <small>({_e(r.ressource_id)})</small></h3>"
        f"<table>{rows}</table><h4>Sources</h4><ul>{cites}</ul>{sections}</div>"
    )
