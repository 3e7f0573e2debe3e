"""The resource centre's site: ``OUT/ressources/index.html`` and one page per resource.

The resources (:class:`~mesra.analysis.resources.model.Resource`) are derived from the corpus
(:func:`mesra.analysis.resources.derive.derive`); this module writes them as pages that open
from the file system, with no server and no network (a USB key is enough):

* ``ressources/<ressource_id>.html``: one resource, its facts ("non renseigné" when unknown), its
  sections, its sources as marks that quote the passage on hover and as footnotes in print
  (the briefs' way), links to the portraits of the actors it names and to the briefs and
  network pages of its territories; printed, it holds on one A4 page;
* ``ressources/index.html``: every resource, filtered by kind, territory, axis, theme and
  échelon, and searched in full text by MiniSearch (vendored under its MIT licence in
  ``static/vendor/minisearch/``, inlined in the page); its data is embedded as JSON.
  Without JavaScript the page still lists every resource.

Every text of the data is escaped (Jinja2 autoescape; the hand-written Markdown bodies go
through :func:`mesra.batch.render.sanitize_html`); the embedded JSON cannot close its script.

:func:`build_site` writes the pages into a folder; :func:`publish_site` is what the batch
(``mesra briefs``) and ``mesra ressources`` call: it builds the site in the staging folder,
scans every page for the persons' names of a pseudonymised run, then replaces
``OUT/ressources`` in one rename (a page edited by hand since is first moved to
``OUT/sauvegardes/``).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import re
import shutil
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from importlib import resources as package_files
from pathlib import Path
from urllib.parse import quote

from mesra import __version__, french
from mesra.analysis.resources.links import stage_words
from mesra.analysis.resources.model import KINDS, NOT_YET, Citation, Resource
from mesra.analysis.sections import lines_and_pages
from mesra.corpus import pages as printed_pages
from mesra.corpus.contract import label
from mesra.errors import MesraError
from mesra.text import fold

__all__ = ["SITE_FOLDER", "BriefLink", "brief_links", "build_site", "publish_site"]

#: The resource centre's folder, beside ``territoires/`` and ``corpus/`` in the output folder.
SITE_FOLDER = "ressources"
#: What the site records of its own pages (their SHA-256): a page edited since is set aside, not lost.
SITE_MANIFEST = ".ressources.mesra.json"
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,150}$")
_HOW = {"prevu": "prévu", "envisage": "envisagé"}  # "constate" (or nothing) is the rule: not shown


@dataclass(frozen=True)
class BriefLink:
    """A published page of one territory: its title and its path from the output folder."""

    title: str
    href: str  # "territoires/occitanie/04-note-recherche-action.html"


def brief_links(out: str | os.PathLike) -> dict[str, tuple[BriefLink, ...]]:
    """The readers' pages of each territory that ``out`` holds, from the manifests that match their files."""
    from mesra.batch.manifest import scan

    return links_of(checked for _, checked in scan(Path(out)).values())


def links_of(manifests: Iterable[dict]) -> dict[str, tuple[BriefLink, ...]]:
    """:func:`brief_links` from checked manifests already read (:func:`mesra.batch.state.recover`)."""
    found: dict[str, list[tuple[str, BriefLink]]] = {}
    for checked in manifests:
        tid, stem = checked.get("territoire"), str(checked.get("carnet", ""))
        files = list((checked.get("rapport") or {}).get("fichiers", {}))
        reader = next((f for f in files if f.endswith(f"/{stem}.html")), None)
        if isinstance(tid, str) and reader:
            found.setdefault(tid, []).append((stem, BriefLink(str(checked.get("titre") or stem), reader)))
    return {tid: tuple(link for _, link in sorted(items, key=lambda x: x[0])) for tid, items in found.items()}


# --- the pages ------------------------------------------------------------------------------
@functools.cache
def _environment():
    """``templates/ressources/*.j2``, escaped, with the briefs' French filters."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    from mesra.analysis.brief.wording import environment as wording

    env = Environment(
        loader=PackageLoader("mesra.batch", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
    )
    env.filters.update(wording().filters)
    env.filters.update(
        href=lambda path: quote(str(path).replace("\\", "/")),
        punctuate=lambda text: french.punctuate(_words(str(text))),
    )
    env.globals.update(unknown=french.UNKNOWN, kinds=KINDS)
    return env


@functools.cache
def _minisearch() -> str:
    """MiniSearch's UMD build, ready to inline (no source-map comment, nothing that could close the script)."""
    folder = package_files.files("mesra.batch") / "static" / "vendor" / "minisearch"
    code = (folder / "minisearch.umd.js").read_text(encoding="utf-8")
    code = re.sub(r"\n//# sourceMappingURL=\S+\s*$", "\n", code)
    if re.search(r"</script|<!--", code, re.IGNORECASE):  # pragma: no cover - a vendored update to check
        raise MesraError("La bibliothèque MiniSearch fournie contient « </script » : elle ne peut pas être incluse.")
    return code


def _json_for_script(value) -> str:
    """JSON that a ``<script type="application/json">`` holds as is: ``<``, ``>`` and ``&`` escaped."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@dataclass(frozen=True)
class _Note:
    """A source mark of a page: its number, its hover and its printed footnote."""

    n: int
    hover: str
    footnote: str


class _Notes:
    """The sources of one page, numbered in order of appearance (a passage cited again keeps its number)."""

    def __init__(self, sources: Mapping[str, str], pages: Mapping[str, tuple] | None = None):
        self.sources = sources
        self.pages = pages or {}
        self.by_locator: dict[str, _Note] = {}

    def marks(self, citations: Iterable[Citation]) -> list[_Note]:
        out = []
        for c in citations:
            note = self.by_locator.get(c.locator)
            if note is None:
                where, lines = self._where(c.locator)
                text = " ".join(c.text.split()) if c.text else None
                hover = f"« {text} » ({where})" if text else where
                short = f"« {_cut(text)} » ({lines or where})" if text else where
                note = self.by_locator[c.locator] = _Note(len(self.by_locator) + 1, hover, short)
            if note not in out:
                out.append(note)
        return out

    def _where(self, locator: str) -> tuple[str, str]:
        """("<source title>, lignes 12-20, p. 17", "p. 17") of a locator: printed, the page of the source a reader
        holds when the corpus places it, else the lines; on hover, both."""
        sid = locator.partition("#")[0]
        title = self.sources.get(sid) or sid
        words, pages = lines_and_pages(locator, self.pages)
        both = ", ".join(x for x in (words, pages) if x)
        return (f"{title}, {both}" if both else title), pages or words

    @property
    def titles(self) -> list[str]:
        """The titles of the sources cited, once each (printed under the footnotes)."""
        sids = dict.fromkeys(loc.partition("#")[0] for loc in self.by_locator)
        return [self.sources.get(sid) or sid for sid in sids]

    @property
    def all(self) -> list[_Note]:
        return sorted(self.by_locator.values(), key=lambda n: n.n)


#: A printed footnote quotes its passage up to this many characters (the page holds on one A4 sheet).
FOOTNOTE_WIDTH = 90


def _cut(text: str, width: int = FOOTNOTE_WIDTH) -> str:
    return text if len(text) <= width else text[: width - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


_LINES = re.compile(r"\bL\d{1,5}(?:-\d{1,5})?\b")


def _words(text: str | None) -> str | None:
    """Line numbers a text cites (``(L328)``, a monograph's way) as readers read them: ``(ligne 328)``."""
    return _LINES.sub(lambda m: french.lines_in_words([m.group(0)]), text) if text else text


def _names(ids: Iterable[str], names: Mapping[str, str]) -> list[str]:
    return [names.get(i) or i for i in ids]


def _axis(code: str) -> str:
    """ "Axe 2": the number alone (the axes' names differ between the proceedings' texts)."""
    return f"Axe {code}"


def _portraits(all_resources: Sequence[Resource]) -> dict[str, str]:
    """The page of each actor: ``acteur_id`` → ``ressource_id``, its portrait first, else the tool, initiative
    or watch that is about it. A resource is about ``extra["acteur_id"]``; a portrait without it, about the
    actor its identifier names (``portrait-<acteur_id>``), else about its only linked actor."""
    found: dict[str, str] = {}
    rank = {"portrait": 0, "outil": 1, "veille": 2, "initiative": 3}
    for r in sorted(all_resources, key=lambda r: rank.get(r.kind, 9)):
        actor = _about(r)
        if actor:
            found.setdefault(actor, r.ressource_id)
    return found


def _about(r: Resource) -> str | None:
    """The actor ``r`` is about (see :func:`_portraits`), or None."""
    actor = (r.extra or {}).get("acteur_id")
    if actor or r.kind != "portrait":
        return str(actor) if actor else None
    own = [a for a in r.acteurs if r.ressource_id == f"portrait-{a}"]
    if own:
        return own[0]
    return r.acteurs[0] if len(r.acteurs) == 1 else None


def _markdown(text: str) -> str:
    """A hand-written Markdown body as inert HTML (rendered, then sanitised like the briefs' cells)."""
    import mistune  # nbconvert's Markdown parser (imported alone: nbconvert's package takes seconds to import)

    from mesra.batch.render import sanitize_html

    return sanitize_html(mistune.html(text))


@dataclass
class _Context:
    """What every page of one site shares."""

    territoires: Mapping[str, str]
    acteurs: Mapping[str, str]
    sources: Mapping[str, str]
    links: Mapping[str, Sequence[BriefLink]]
    portraits: Mapping[str, str]
    pseudonymised: bool
    generated: datetime
    corpus_label: str
    reports_index: bool = False  # OUT/index.html (the briefs' index) exists: the pages link to it
    #: ``territoire_id`` → its parent: the index's filter on a territory also finds what lies below it (the
    #: Gard's note links to « Occitanie »'s filter finding the Gard's, a region's to its départements')
    parents: Mapping[str, str] = field(default_factory=dict)
    #: The printed pages of the sources (``sources/pages.csv``): a footnote gives the page a reader holds.
    source_pages: Mapping[str, tuple] = field(default_factory=dict)

    def rolled(self, territories: Iterable[str]) -> list[str]:
        """``territories`` and every territory that contains them, each once."""
        from mesra.corpus.geo import walk_up

        return list(dict.fromkeys(x for t in territories for x in (t, *walk_up(self.parents, t))))


#: Kind-specific facts of ``Resource.extra`` the page shows, with their French label (other keys are internal).
_EXTRA = {"etapes": "Étapes", "notice": "Notice d'utilisation", "documentation": "Où il est documenté"}
#: Shown for every tool, "non renseigné" when unknown (proceedings L776-777: a notice for each tool).
_TOOL_EXTRA = ("etapes", "notice", "documentation")


def _extra(r: Resource) -> list[tuple[str, str | None, bool]]:
    """(label, text or None, is a web address) of the kind-specific facts the page shows."""
    out = []
    for key, title in _EXTRA.items():
        if key not in (r.extra or {}) and not (r.kind == "outil" and key in _TOOL_EXTRA):
            continue
        value = (r.extra or {}).get(key)
        if isinstance(value, (list, tuple)):
            value = " ; ".join(str(v) for v in value if v) or None
        text = str(value).strip() if value is not None and str(value).strip() else None
        out.append((title, text, bool(text) and re.match(r"^https?://\S+$", text) is not None))
    return out


def _facts(r: Resource, ctx: _Context) -> list[tuple[str, str | None]]:
    """The common fields, in order, as text (``None``: "non renseigné")."""

    def joined(values) -> str | None:
        return french.join(list(values)) if values else None

    return [
        ("Type", KINDS.get(r.kind, r.kind)),
        ("Territoires", joined(_names(r.territoires, ctx.territoires))),
        ("Échelon", label(r.echelon) if r.echelon else None),
        ("Thèmes", joined(label(t) for t in r.themes)),
        ("Axes", joined(_axis(a) for a in r.axes)),
        ("Date", french.date(r.date) if r.date else None),
        ("Auteur", r.author),
        ("Licence", r.licence),
        ("Statut", stage_words(r, ctx.source_pages) if r.status in NOT_YET else r.status),
    ]


#: Printed, a section shows its first items only (the page holds on one A4 sheet); the screen shows all.
PRINTED_ITEMS = 3
#: Every this many sections, a resource prints one item fewer in each (a large organisation's portrait), one at least.
MANY_SECTIONS = 6
#: Printed, the linked actors are named up to this many.
PRINTED_ACTORS = 10


def _page(r: Resource, ctx: _Context) -> str:
    notes = _Notes(ctx.sources, ctx.source_pages)
    source_marks = notes.marks(r.citations)
    printed = {m.n for m in source_marks}
    per_section = max(1, PRINTED_ITEMS - len(r.sections) // MANY_SECTIONS)
    sections = []
    for s in r.sections:
        items = []
        for i, item in enumerate(s.items):
            marks = notes.marks(item.citations)
            if i < per_section:
                printed |= {m.n for m in marks}
            items.append(
                {
                    "text": _words(item.text),
                    "portrait": ctx.portraits.get(item.acteur_id or "") if item.acteur_id else None,
                    "how": _HOW.get(item.how or ""),
                    "marks": marks,
                    "printed": i < per_section,
                }
            )
        sections.append(
            {
                "title": s.title,
                "entries": items,
                "markdown": _markdown(_words(s.markdown)) if s.markdown else None,
                "unprinted": max(0, len(items) - per_section),
            }
        )
    acteurs = [(ctx.acteurs.get(a) or a, ctx.portraits.get(a)) for a in r.acteurs if a != _about(r)]
    places = [(tid, ctx.territoires.get(tid) or tid, tuple(ctx.links.get(tid, ()))) for tid in r.territoires]
    extra = _extra(r)
    return (
        _environment()
        .get_template("ressources/ressource.html.j2")
        .render(
            r=r,
            facts=_facts(r, ctx),
            acteurs=acteurs,
            places=places,
            sections=sections,
            source_marks=source_marks,
            notes=notes.all,
            printed=printed,
            printed_actors=PRINTED_ACTORS,
            source_titles=notes.titles,
            extra=extra,
            ctx=ctx,
            version=__version__,
        )
    )


def _document(r: Resource, ctx: _Context) -> dict:
    """What the index searches and filters for one resource (the full text of its page)."""
    body = [_words(item.text) for s in r.sections for item in s.items]
    body += [s.title for s in r.sections] + [_words(s.markdown) for s in r.sections if s.markdown]
    body += [c.text for c in r.citations if c.text]
    return {
        "id": r.ressource_id,
        "titre": r.title,
        "resume": _words(r.summary) or "",
        "texte": "\n".join(body),
        "acteurs": " ".join(_names(r.acteurs, ctx.acteurs)),
        "lieux": " ".join(_names(r.territoires, ctx.territoires)),
        "type": r.kind,
        "territoire": ctx.rolled(r.territoires),
        "axe": list(r.axes),
        "theme": list(r.themes),
        "echelon": [r.echelon] if r.echelon else [],
    }


def _facets(items: Sequence[Resource], ctx: _Context) -> list[dict]:
    """The index's filters: each value present, with its label and its count."""

    def options(values: Iterable[str], label) -> list[tuple[str, str, int]]:
        counts: dict[str, int] = {}
        for v in values:
            counts[v] = counts.get(v, 0) + 1
        return sorted(((v, label(v), n) for v, n in counts.items()), key=lambda o: fold(o[1]))

    kinds = [r.kind for r in items]
    return [
        {
            "key": "type",
            "title": "Type",
            "options": [(k, lab, kinds.count(k)) for k, lab in KINDS.items() if k in kinds],
        },
        {
            "key": "territoire",
            "title": "Territoire",
            "options": options(
                (t for r in items for t in ctx.rolled(r.territoires)), lambda t: ctx.territoires.get(t) or t
            ),
        },
        {"key": "axe", "title": "Axe", "options": sorted(options((a for r in items for a in r.axes), _axis))},
        {"key": "theme", "title": "Thème", "options": options((t for r in items for t in r.themes), label)},
        {
            "key": "echelon",
            "title": "Échelon",
            "options": options((r.echelon for r in items if r.echelon), label),
        },
    ]


#: Who made a tool and who uses it (``Resource.extra``, actor identifiers), shown in the index's list.
_WHO = (("developpeurs", "développé par"), ("utilisateurs", "utilisé par"))


def _who(r: Resource, ctx: _Context) -> list[tuple[str, str | None]]:
    """("développé par", "A et B" or None: "non renseigné") for a tool; nothing for the other kinds."""
    if r.kind != "outil":
        return []
    out = []
    for key, words in _WHO:
        ids = (r.extra or {}).get(key)
        names = _names([str(i) for i in ids or () if i], ctx.acteurs)
        out.append((words, french.join(names) if names else None))
    return out


def _index(items: Sequence[Resource], ctx: _Context) -> str:
    rows = [
        {
            "r": r,
            "territoires": _names(r.territoires, ctx.territoires),
            "who": _who(r, ctx),
            # a tool or initiative that only plans attest, or that is being made (L520, L558, L896): said so
            "stage": stage_words(r, ctx.source_pages) if r.status in NOT_YET else None,
            "data": {  # each facet's values as a JSON list (a value may hold any character)
                key: json.dumps(list(values), ensure_ascii=False)
                for key, values in (
                    ("type", [r.kind]),
                    ("territoire", ctx.rolled(r.territoires)),
                    ("axe", r.axes),
                    ("theme", r.themes),
                    ("echelon", [r.echelon] if r.echelon else []),
                )
            },
        }
        for r in items
    ]
    return (
        _environment()
        .get_template("ressources/index.html.j2")
        .render(
            rows=rows,
            facets=_facets(items, ctx),
            documents=_json_for_script([_document(r, ctx) for r in items]),
            minisearch=_minisearch(),
            ctx=ctx,
            version=__version__,
        )
    )


def _check(items: Sequence[Resource]) -> None:
    seen: set[str] = set()
    for r in items:
        if not isinstance(r, Resource):
            raise MesraError(f"Le centre de ressources attend des ressources (Resource), pas {type(r).__name__}.")
        if not _ID.match(r.ressource_id) or r.ressource_id == "index":
            raise MesraError(
                f"Identifiant de ressource invalide : « {r.ressource_id} » (minuscules, chiffres, tirets ; "
                "« index » est réservé) : il sert de nom de fichier."
            )
        if r.ressource_id in seen:
            raise MesraError(f"Deux ressources portent l’identifiant « {r.ressource_id} » : chacune doit être unique.")
        if r.kind not in KINDS:
            raise MesraError(
                f"Type de ressource inconnu pour « {r.ressource_id} » : « {r.kind} » ; types possibles : "
                + ", ".join(KINDS)
                + "."
            )
        seen.add(r.ressource_id)


def _order(items: Iterable[Resource]) -> list[Resource]:
    rank = {k: i for i, k in enumerate(KINDS)}
    return sorted(items, key=lambda r: (rank.get(r.kind, 99), fold(r.title), r.ressource_id))


def build_site(
    resources: Iterable[Resource],
    out_dir: str | os.PathLike,
    *,
    brief_links: Mapping[str, Sequence[BriefLink]] | None = None,
    pseudonymised: bool = False,
    territoires: Mapping[str, str] | None = None,
    acteurs: Mapping[str, str] | None = None,
    sources: Mapping[str, str] | None = None,
    corpus_label: str = "",
    generated: datetime | None = None,
    reports_index: bool = False,
    parents: Mapping[str, str] | None = None,
    source_pages: Mapping[str, tuple] | None = None,
) -> list[Path]:
    """Write ``out_dir/ressources/index.html`` and ``out_dir/ressources/<ressource_id>.html``; return them.

    Parameters
    ----------
    resources : iterable of Resource
        The resources (identifiers unique and file-name safe, kinds of :data:`KINDS`).
    brief_links : mapping, optional
        ``territoire_id`` → its published pages (:func:`brief_links`), paths from ``out_dir``: each
        resource links to those of its territories.
    pseudonymised : bool
        Whether the resources come from a pseudonymised corpus (the pages say so).
    territoires, acteurs, sources : mapping, optional
        Names shown for the identifiers (territory, actor, source title); the identifier otherwise.
    corpus_label : str
        Where the corpus comes from (shown in the index).
    reports_index : bool
        Whether ``out_dir/index.html``, the briefs' index, exists (the pages then link to it).
    parents : mapping, optional
        ``territoire_id`` → its parent: the index's filter on a territory finds what lies below it too.

    Raises
    ------
    MesraError
        A resource with an invalid or repeated identifier, or an unknown kind.
    """
    items = _order(resources)
    _check(items)
    ctx = _Context(
        territoires=dict(territoires or {}),
        acteurs=dict(acteurs or {}),
        sources=dict(sources or {}),
        links={k: tuple(v) for k, v in (brief_links or {}).items()},
        portraits=_portraits(items),
        pseudonymised=pseudonymised,
        generated=generated or datetime.now().astimezone(),
        corpus_label=corpus_label,
        reports_index=reports_index,
        parents=dict(parents or {}),
        source_pages=dict(source_pages or {}),
    )
    folder = Path(out_dir) / SITE_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for r in items:
        path = folder / f"{r.ressource_id}.html"
        path.write_text(_page(r, ctx), encoding="utf-8")
        written.append(path)
    index = folder / "index.html"
    index.write_text(_index(items, ctx), encoding="utf-8")
    return [index, *written]


# --- publishing ------------------------------------------------------------------------------
def _names_of(corpus) -> dict[str, dict]:
    def pairs(frame, key: str, value: str) -> dict[str, str]:
        if key not in frame or value not in frame:
            return {}
        return {str(k): str(v) for k, v in zip(frame[key], frame[value]) if isinstance(v, str) and v}

    return {
        "territoires": pairs(corpus.territoires, "territoire_id", "nom"),
        "acteurs": pairs(corpus.acteurs, "acteur_id", "nom"),
        "sources": pairs(corpus.sources, "source_id", "titre"),
        "parents": pairs(corpus.territoires, "territoire_id", "parent_id"),
        "source_pages": dict(printed_pages.of(corpus)),
    }


def _derive(corpus) -> tuple[Resource, ...]:
    """The resources of ``corpus`` (:func:`mesra.analysis.resources.derive.derive`)."""
    from mesra.analysis.resources.derive import derive

    return tuple(derive(corpus))


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def site_made(out: Path) -> dict[str, str]:
    """The SHA-256 of each page of ``OUT/ressources`` as mesra published it (its manifest), by relative name."""
    try:
        made = json.loads((Path(out) / SITE_FOLDER / SITE_MANIFEST).read_text(encoding="utf-8")).get("fichiers", {})
    except (OSError, ValueError, AttributeError):
        return {}
    return made if isinstance(made, dict) else {}


def _set_aside_edited(out: Path, moved: list[tuple[str, str]]) -> None:
    """Pages of ``OUT/ressources`` that mesra did not make as they are now are moved to ``sauvegardes/``."""
    from mesra.batch.guard import set_aside

    folder = out / SITE_FOLDER
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        set_aside(out, SITE_FOLDER, moved)  # someone's file (or link) at the site's name: kept, not replaced
        return
    if not folder.is_dir():
        return
    made = site_made(out)
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.name != SITE_MANIFEST):
        rel = path.relative_to(folder).as_posix()
        if made.get(rel) != _sha(path):
            set_aside(out, f"{SITE_FOLDER}/{rel}", moved)


def site_key(corpus, *, links: Mapping[str, Sequence[BriefLink]], pseudonymised: bool, label: str, code: str) -> str:
    """The digest of what the resource centre is made from: the whole corpus (its hash), the briefs it
    links to, the run's pseudonymisation and corpus label, and mesra's code."""
    payload = [
        corpus.hash,
        sorted((t, [[x.title, x.href] for x in v]) for t, v in links.items()),
        bool(pseudonymised),
        label,
        code,
    ]
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def _unchanged(out: Path, key: str) -> bool:
    """The site in place was made from ``key``, and its files are exactly those mesra wrote."""
    folder = out / SITE_FOLDER
    if folder.is_symlink() or not folder.is_dir():
        return False
    try:
        made = json.loads((folder / SITE_MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(made, dict) or made.get("entrees") != key or not isinstance(made.get("fichiers"), dict):
        return False
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and p.name != SITE_MANIFEST}
    if present != set(made["fichiers"]) or any((folder / rel).is_symlink() for rel in present):
        return False
    return all(_sha(folder / rel) == sha for rel, sha in made["fichiers"].items())


def _scan_pages(pages: Iterable[Path], scan) -> None:
    for page in pages:
        kind = scan.find(page.read_text(encoding="utf-8"))
        if kind is not None:
            raise MesraError(
                f"La page {SITE_FOLDER}/{page.name} du centre de ressources contiendrait encore un nom de personne "
                f"({kind}) alors que le lot est pseudonymisé : le centre de ressources n’est pas publié "
                "(l’ancien, s’il y en a un, reste en place)."
            )


def publish_site(
    corpus,
    out: str | os.PathLike,
    *,
    resources: Iterable[Resource] | None = None,
    scan=None,
    pseudonymised: bool = False,
    links: Mapping[str, Sequence[BriefLink]] | None = None,
    corpus_label: str = "",
    moved: list[tuple[str, str]] | None = None,
    reports_index: bool | None = None,
    key: str | None = None,
) -> Path:
    """Build the resource centre of ``corpus`` and publish it as ``OUT/ressources``; return its index.

    The site is built in ``OUT/.mesra-tmp/`` (the batch's staging folder), every page is scanned
    for the persons' names when ``scan`` (the run's :class:`~mesra.corpus.privacy.NameScan`) is
    given, and only then the folder replaces the previous one in one rename: a reader never sees
    half a site, and a failed scan leaves the previous site in place.

    ``corpus`` is the corpus as the run sees it (already pseudonymised in a pseudonymised run);
    ``resources`` default to :func:`mesra.analysis.resources.derive.derive` of it; ``links``
    to :func:`brief_links` of ``out``; ``reports_index`` (the pages link to ``OUT/index.html``) to
    whether it exists (the batch writes it after the site: it says True).

    ``key``: the digest of everything the site is made from (the batch gives :func:`site_key`); when
    the site in place was made from the same key and its files are as mesra wrote them, it is left
    untouched (a run that changed nothing does not rebuild it).
    """
    from mesra.batch.guard import folder_inside
    from mesra.batch.jobs import TMP_DIR
    from mesra.files import atomic_write_json

    out = Path(out)
    folder_inside(out, out / SITE_FOLDER)
    if key is not None and _unchanged(out, key):
        return out / SITE_FOLDER / "index.html"
    if resources is None:
        resources = _derive(corpus)
    staging = out / TMP_DIR / f"site-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        pages = build_site(
            resources,
            staging,
            brief_links=brief_links(out) if links is None else links,
            pseudonymised=pseudonymised,
            corpus_label=corpus_label,
            reports_index=(out / "index.html").is_file() if reports_index is None else reports_index,
            **_names_of(corpus),
        )
        if scan is not None:
            _scan_pages(pages, scan)
        new = staging / SITE_FOLDER
        shas = {p.relative_to(new).as_posix(): _sha(p) for p in pages}
        made = {"version": 1, "fichiers": shas, **({"entrees": key} if key is not None else {})}
        atomic_write_json(new / SITE_MANIFEST, made)
        _set_aside_edited(out, moved if moved is not None else [])
        old = staging / "ancien"
        if (out / SITE_FOLDER).exists():
            os.replace(out / SITE_FOLDER, old)
        os.replace(new, out / SITE_FOLDER)
    finally:
        with contextlib.suppress(OSError):
            shutil.rmtree(staging, ignore_errors=True)
    return out / SITE_FOLDER / "index.html"


def run_site(
    data: str | os.PathLike | None = None,
    out: str | os.PathLike = "reports",
    *,
    pseudonymiser: bool = False,
) -> tuple[Path, int]:
    """``mesra ressources``: the resource centre of a corpus alone, in ``OUT/ressources``; (its index, resources).

    The corpus is validated first (:class:`~mesra.errors.CorpusError`, nothing written). Pseudonymised,
    the resources are derived from the pseudonymised corpus and every page is scanned for the real
    names before it is published, as in ``mesra briefs --pseudonymiser``. The pages link to the briefs
    ``OUT`` already holds; under the batch's lock (not while ``mesra briefs`` writes there). Pseudonymised,
    it refuses an ``OUT`` that holds pages made without pseudonymisation or copies with real names
    (:func:`mesra.batch.guard.refuse_plain_neighbours`).
    """
    from mesra.batch.state import is_disk_error, locked, output_error
    from mesra.corpus.load import build_corpus
    from mesra.files import project_relative

    corpus, _ = build_corpus(data or None)
    label = project_relative(data) if data else "intégré"
    scan = None
    if pseudonymiser:
        import dataclasses

        from mesra.batch.guard import refuse_plain_neighbours
        from mesra.corpus.privacy import NameScan, pseudonymise

        scan = NameScan.from_corpus(corpus)
        refuse_plain_neighbours(Path(out).resolve(), scan, site_folder=SITE_FOLDER, site_made=site_made(Path(out)))
        corpus = dataclasses.replace(pseudonymise(corpus), path=Path(scan.scrub_path(str(corpus.path))))
        label = scan.scrub_path(label)
    out = Path(out).resolve()
    resources = _derive(corpus)
    try:
        out.mkdir(parents=True, exist_ok=True)
        with locked(out):
            index = publish_site(
                corpus, out, resources=resources, scan=scan, pseudonymised=pseudonymiser, corpus_label=label
            )
    except OSError as exc:
        if not is_disk_error(exc, out):
            raise
        raise output_error(exc.errno, out) from None
    return index, len(resources)
