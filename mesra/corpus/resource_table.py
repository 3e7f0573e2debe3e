"""``mesra check`` of the resource centre's hand table: ``ressources.csv`` and ``ressources/*.md`` (issue 25).

The table (:data:`~mesra.corpus.contract.RESOURCE_TABLE`) is optional. A row whose
identifier is that of a resource mesra derives from the corpus completes or overrides it;
another identifier adds a resource written by hand. The corpus layer does not derive
resources (the analysis does), so a row *without a title* must name, after its kind, an
actor or a monograph of the corpus (``outil-evalumip``, ``initiative-generateur-bfc``): it
can only complete what the corpus says. A body ``ressources/<ressource_id>.md`` belongs to
the row of the same identifier.

Checked, each with a French message of the project's form (``ressources.csv:3: acteurs: …``):
header, identifiers (pattern ``<type>-<slug>``, duplicates), ``type`` (vocabulary, and the
same as the identifier's prefix), ``territoires`` and ``acteurs`` (known identifiers),
``axes`` (1 to 4), ``date``, ``source`` (locators of known sources, lines inside their
text), a new resource's title and text (a summary or a body), and every body file (its name
an identifier with a row).
"""

from __future__ import annotations

import re

from mesra.corpus import contract

__all__ = ["check", "AXES"]

_ID = re.compile(contract.RESOURCE_ID_PATTERN)
#: The axes a resource may name: the four workshops of the seminar.
AXES = tuple(str(k) for k in contract.AXES_SEMINAIRE)


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split(contract.LIST_SEPARATOR)]


def check(v) -> None:
    """Add the problems of the hand table to the validator ``v`` (:class:`mesra.corpus.validate._Validator`)."""
    from mesra.corpus.validate import Kind

    raw, bodies = v.raw.resources, getattr(v.raw, "resource_bodies", {})
    table = contract.RESOURCE_TABLE
    rows: dict[str, int] = {}
    if raw is not None:
        v.check_header(raw, table)
        for row, line in zip(raw.rows, raw.lines):
            v.check_key(raw.label, line, table.key, row.get(table.key, ""), rows, set())
        checks = [(c.name, c.required, v.cell_check(c)) for c in table.columns if c.name in raw.header]
        for row, line in zip(raw.rows, raw.lines):
            for column, required, cell in checks:
                value = row.get(column, "")
                if not value:
                    if required:
                        v.add(raw.label, line, column, "valeur obligatoire manquante", Kind.MISSING)
                elif cell is not None and column not in ("source", "ressource_id"):
                    cell(raw.label, line, column, value)
            _check_row(v, raw.label, line, row, bodies)
        v.check_formulas(raw)
        v.check_controls(raw)
    for stem in sorted(bodies):
        label = f"{contract.RESOURCE_DIR}/{stem}.md"
        if not _ID.match(stem):
            v.add(label, 1, "fichier", f"nom « {stem}.md » invalide : {_ID_HELP}", Kind.BAD_ID)
        elif stem not in rows:
            v.add(
                label,
                1,
                "fichier",
                f"corps sans ligne dans {table.filename} : ajoutez-y une ligne « {stem} » "
                "(le corps complète la ressource de même identifiant)",
                Kind.CONSISTENCY,
            )


_ID_HELP = (
    "attendu le type de ressource (outil, initiative, portrait, veille), un tiret, puis des lettres "
    "minuscules sans accent, chiffres et tirets (ex. outil-evalumip, portrait-mes)"
)


def _check_row(v, label: str, line: int, row: dict[str, str], bodies: dict[str, str]) -> None:
    from mesra.corpus.validate import Kind

    rid = row.get("ressource_id", "")
    if rid and not _ID.match(rid):
        v.add(label, line, "ressource_id", f"identifiant « {rid} » invalide : {_ID_HELP}", Kind.BAD_ID)
        return
    kind, _, ident = rid.partition("-")
    given = row.get("type", "")
    if given and given in contract.RESOURCE_KINDS and rid and given != kind:
        v.add(
            label,
            line,
            "type",
            f"type « {given} » différent de celui de l'identifiant « {rid} » ({kind}) : "
            f"renommez la ressource {given}-{ident} ou écrivez le type {kind}",
            Kind.CONSISTENCY,
        )
    for axe in _split(row.get("axes", "")) if row.get("axes") else []:
        if axe not in AXES:
            v.add(
                label,
                line,
                "axes",
                f"axe « {axe} » invalide : {', '.join(AXES)} attendu (les axes du séminaire), séparés par |",
                Kind.VALUE,
            )
    for loc in _split(row.get("source", "")) if row.get("source") else []:
        if not loc:
            v.add(label, line, "source", "référence de source vide dans la liste (deux | de suite ?)", Kind.VALUE)
        else:
            v.check_locator(label, line, "source", loc)
    if rid:
        _check_new(v, label, line, row, ident, bodies)


def _check_new(v, label: str, line: int, row: dict[str, str], ident: str, bodies: dict[str, str]) -> None:
    """A row that names no actor or monograph of the corpus adds a resource: it needs a title and a text."""
    from mesra.corpus.validate import Kind

    monographs = {str(m.meta.get("id")) for m in v.raw.monographs}
    if ident in v.known(("acteurs",)) or ident in monographs:
        return
    rid = row["ressource_id"]
    if not row.get("titre"):
        v.add(
            label,
            line,
            "titre",
            f"titre manquant : « {ident} » n'est ni un acteur ni une monographie du corpus, la ligne « {rid} » "
            "ajoute donc une ressource ; donnez-lui un titre",
            Kind.MISSING,
        )
    if not row.get("resume") and rid not in bodies:
        v.add(
            label,
            line,
            "resume",
            f"ressource « {rid} » sans texte : écrivez un résumé ou le fichier {contract.RESOURCE_DIR}/{rid}.md",
            Kind.MISSING,
        )
