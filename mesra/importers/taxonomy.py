"""The taxonomy of a GoGoCarto map: what its option numbers are called.

An export of a map (``gogocompact``, or ``gogofull`` whose elements carry
``optionValues``) often names its categories by number only. ``--taxonomie``
gives the names, in one of the three forms GoGoCarto and Transiscope publish:

- **GoGoCarto's own JSON** (``/api/taxonomy.json``; the sample files of
  ``pixelhumain/GoGoCartoJs``, ``web/data/taxonomy.json`` and ``taxonomy.js``): a
  tree of categories whose ``options`` have an ``id`` and a ``name``, with
  ``subcategories`` below them;
- **the Transiscope taxonomy in SKOS**, as JSON-LD (``web/data/taxonomy-transiscope.js``):
  ``{"@graph": [{"@type": "skos:Concept", "@id": 33, "skos:prefLabel": "…",
  "broader": 5}, …]}``; a concept is found by its ``@id``, by its URI (``@id3``,
  ``http://PWA/SKOS/33``) or by the last part of that URI;
- **an export whose elements carry their categories inline**, with their
  numbers and names (``categoriesFull: [{id, name}]``, ``optionValues: [{optionId,
  name}]``), such as another export of the same map in ``gogofull``.

A file that is a JavaScript assignment (``var taxonomy = {…};``, as the GoGoCartoJs
samples are) is read as the JSON it assigns, with what JavaScript allows and JSON does not
(trailing commas, ``//`` and ``/* */`` comments, 'single-quoted' strings) turned into JSON.
A file none of the three forms recognises is an error, never an empty taxonomy.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from mesra.corpus.tables import MAX_FILE_BYTES
from mesra.importers.apply import ImportInputError

__all__ = ["Taxonomy", "read_taxonomy", "taxonomy_from", "load_json_file", "FORMS", "js_to_json"]

#: The forms of taxonomy recognised, with their French names.
FORMS = {
    "gogocarto": "taxonomie GoGoCarto (arbre d'options)",
    "skos": "taxonomie SKOS en JSON-LD (Transiscope)",
    "inline": "catégories portées par les éléments d'un export (categoriesFull / optionValues)",
}
_ASSIGNMENT = re.compile(r"^\s*(?:var|let|const)\s+[A-Za-z_$][\w$]*\s*=\s*(?P<json>.*?)\s*;?\s*$", re.DOTALL)


@dataclass(frozen=True)
class Taxonomy:
    """Option identifier → name, the form it was read from and the file's name."""

    names: dict[str, str]
    form: str
    label: str

    def __len__(self) -> int:
        return len(set(self.names.values()))


def load_json_file(path: Path, what: str) -> object:
    """Read a JSON file (or a ``var x = {…};`` script holding JSON) with French errors.

    Raises
    ------
    ImportInputError
        Missing, empty, oversized, not UTF-8, malformed or truncated file.
    """
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ImportInputError(f"{what} « {path.name} » trop volumineux ({size} octets)")
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImportInputError(f"{what} « {path} » introuvable : vérifiez le chemin") from None
    except IsADirectoryError:
        raise ImportInputError(f"« {path} » est un dossier : indiquez le fichier JSON exporté") from None
    except OSError as exc:
        raise ImportInputError(f"{what} « {path} » illisible ({exc.strerror or exc})") from None
    if not data.strip():
        raise ImportInputError(f"{what} « {path.name} » est vide : réexportez-le depuis la carte")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportInputError(
            f"{what} « {path.name} » n'est pas du JSON en UTF-8 : exportez-le depuis "
            "l'API de la carte (…/api/elements.json)"
        ) from None
    m = _ASSIGNMENT.match(text)
    if m and not text.lstrip().startswith(("{", "[")):
        text = m.group("json")
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            text = js_to_json(text)
    return _parse(text, path, what)


def js_to_json(text: str) -> str:
    """A JavaScript object literal as JSON: trailing commas and comments dropped, single-quoted
    strings double-quoted (the sample files of GoGoCartoJs are written so)."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in "\"'":
            j = i + 1
            while j < n and text[j] != ch:
                j += 2 if text[j] == "\\" else 1
            body = text[i + 1 : j]
            if ch == "'":
                body = body.replace("\\'", "'").replace('"', '\\"')
            out.append('"' + body + '"')
            i = j + 1
        elif text.startswith("//", i):
            i = text.find("\n", i) if "\n" in text[i:] else n
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
        elif ch == ",":
            j = _skip_blank(text, i + 1)
            if j < n and text[j] in "}]":
                i += 1
                continue
            out.append(ch)
            i += 1
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _skip_blank(text: str, j: int) -> int:
    """The position of the next character of ``text`` from ``j`` that is neither blank nor in a comment."""
    n = len(text)
    while j < n:
        if text[j].isspace():
            j += 1
        elif text.startswith("//", j):
            end = text.find("\n", j)
            j = n if end < 0 else end + 1
        elif text.startswith("/*", j):
            end = text.find("*/", j + 2)
            j = n if end < 0 else end + 2
        else:
            break
    return j


def _parse(text: str, path: Path, what: str) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        hint = (
            "le fichier semble tronqué (téléchargement interrompu ?)"
            if exc.pos >= len(text.rstrip()) - 1
            else "le fichier n'est pas du JSON valide"
        )
        raise ImportInputError(
            f"{what} « {path.name} » : JSON mal formé ligne {exc.lineno}, colonne {exc.colno} "
            f"({exc.msg}) : {hint} ; réexportez-le."
        ) from None
    except RecursionError:
        raise ImportInputError(f"{what} « {path.name} » : JSON trop profondément imbriqué") from None


def _label(value: object) -> str:
    """A SKOS label: a string, ``{"@value": …}``, a language map or a list of them (French first)."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list):
        labels = [(_lang(v), _label(v)) for v in value]
        labels = [x for x in labels if x[1]]
        labels.sort(key=lambda x: x[0] != "fr")
        return labels[0][1] if labels else ""
    if isinstance(value, dict):
        if "@value" in value:
            return _label(value["@value"])
        for key in ("fr", *sorted(value)):
            if isinstance(value.get(key), str) and value[key].strip():
                return value[key].strip()
    return ""


def _lang(value: object) -> str:
    return str(value.get("@language", "")) if isinstance(value, dict) else ""


def _skos_names(doc: object) -> dict[str, str]:
    """Concept identifier (``@id``, its URI, the URI's last part) → ``skos:prefLabel``."""
    graph = doc.get("@graph") if isinstance(doc, dict) else doc if isinstance(doc, list) else None
    out: dict[str, str] = {}
    for node in graph if isinstance(graph, list) else []:
        if not isinstance(node, dict):
            continue
        types = node.get("@type")
        types = types if isinstance(types, list) else [types]
        if not any(str(t).endswith(("skos:Concept", "core#Concept")) for t in types):
            continue
        label = _label(node.get("skos:prefLabel", node.get("prefLabel")))
        if not label:
            continue
        for key in ("@id", "@id3", "id"):
            ident = node.get(key)
            if isinstance(ident, (str, int)) and not isinstance(ident, bool) and str(ident).strip():
                ident = str(ident).strip()
                out.setdefault(ident, label)
                tail = ident.rstrip("/").rsplit("/", 1)[-1]
                out.setdefault(tail, label)
    return out


def _tree_names(tree: object) -> dict[str, str]:
    """Option id → name, from a GoGoCarto taxonomy (categories → options → subcategories)."""
    out: dict[str, str] = {}
    stack = [(tree, False)]
    while stack:
        node, is_option = stack.pop()
        if isinstance(node, list):
            stack.extend((n, is_option) for n in node)
        elif isinstance(node, dict):
            if is_option and "id" in node and isinstance(node.get("name"), str) and node["name"].strip():
                out.setdefault(str(node["id"]), node["name"].strip())
            for key, value in node.items():
                if isinstance(value, (list, dict)):
                    stack.append((value, key == "options"))
    return out


def _inline_names(doc: object) -> dict[str, str]:
    """Option id → name, from the elements of an export that carry both (``categoriesFull``…)."""
    if isinstance(doc, dict):
        items = doc.get("data", doc.get("@graph"))
    else:
        items = doc
    out: dict[str, str] = {}
    for el in items if isinstance(items, list) else []:
        if not isinstance(el, dict):
            continue
        for key in ("categoriesFull", "optionValues", "categories"):
            value = el.get(key)
            for c in value if isinstance(value, list) else []:
                if not isinstance(c, dict):
                    continue
                oid = c.get("optionId", c.get("id"))
                name = c.get("name")
                if oid is not None and isinstance(name, str) and name.strip():
                    out.setdefault(str(oid), name.strip())
    return out


def taxonomy_from(doc: object, label: str) -> Taxonomy:
    """The taxonomy held by a parsed JSON document, whichever of the three forms it has.

    Raises
    ------
    ImportInputError
        When none of the forms is recognised (no option or concept with a name).
    """
    for form, reader in (("skos", _skos_names), ("gogocarto", _tree_names), ("inline", _inline_names)):
        names = reader(doc)
        if names:
            return Taxonomy(names, form, label)
    raise ImportInputError(
        f"taxonomie « {label} » non reconnue : aucune option nommée n'y a été trouvée. Attendu : "
        "la taxonomie de la carte (…/api/taxonomy.json, des « options » avec « id » et « name »), "
        "la taxonomie SKOS de Transiscope (JSON-LD : « @graph » de « skos:Concept » avec « @id » et "
        "« skos:prefLabel »), ou un export dont les éléments portent « categoriesFull » (id et nom)."
    )


def read_taxonomy(path: str | Path) -> Taxonomy:
    """Read a taxonomy file in any of the three forms (see the module docstring).

    Raises
    ------
    ImportInputError
        Unreadable file, or a file that holds no taxonomy.
    """
    path = Path(path)
    return taxonomy_from(load_json_file(path, "taxonomie"), path.name)
