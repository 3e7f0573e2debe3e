"""Rendering executed notebooks to self-contained HTML, and the reports' index page.

Each executed notebook is rendered twice with nbconvert's ``lab`` template:

* for readers (``code=False``): no code, no prompts, no ``stderr`` noise;
* for researchers (``code=True``): code and outputs, as in JupyterLab.

Both files stand alone so that one can be mailed: figures are embedded as
``data:`` URIs (outputs, Markdown images and local ``<img>`` files), styles are
inlined, and nothing is fetched from a network (the template's require.js,
MathJax, Mermaid and widget loaders are removed), so a page opens from the file
system with no server and no console error.

Text that comes from the data may reach a page through an HTML or Markdown
output. pandas and nbconvert escape what they render; on top of that every
``text/html`` and ``text/markdown`` output, Markdown cell and raw HTML cell goes
through :func:`sanitize_html`, an allow-list sanitiser (nh3, the binding of
Ammonia): nothing that could run (``<script>``, event handlers, ``javascript:``
links, frames, SVG, MathML) or fetch (remote images, ``srcset``, CSS) is left,
and markup that is not kept shows as text instead.
"""

from __future__ import annotations

import base64
import contextvars
import functools
import html
import mimetypes
import re
import threading
from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path
from urllib.parse import quote, unquote

import nbformat
import nh3

from mesra.files import atomic_write_text

__all__ = [
    "render_notebook",
    "write_html",
    "sanitize_html",
    "notebook_title",
    "NotebookLink",
    "TerritoryRow",
    "render_index",
    "RENDER_VERSION",
]

#: Bumped whenever the rendered HTML changes, so that incremental batches re-render.
RENDER_VERSION = "14"

_TEMPLATE_NAME = "mesra-rapport.html.j2"
#: nbconvert's ``lab`` template as mesra renders it (a file a researcher can edit: ``templates/``).
_TEMPLATE = (resources.files("mesra.batch") / "templates" / _TEMPLATE_NAME).read_text(encoding="utf-8")

# --- sanitising HTML fragments ---------------------------------------------------
# The work is done by nh3, the Python binding of Ammonia: it parses a fragment with
# html5ever (the HTML5 parsing algorithm that browsers follow, so that what it checks is
# what a browser builds) and writes back only an allow-list of elements and attributes.
#: Elements kept: Ammonia's defaults (text, lists, tables, images, links…) with ``tfoot``.
#: No ``style``, ``svg``, ``math``, ``form``, media or embedding element.
_TAGS = frozenset(nh3.ALLOWED_TAGS | {"tfoot"})
#: Attributes kept on every element: none of them loads anything or runs code.
_GENERIC_ATTRIBUTES = frozenset({"class", "id", "title", "lang", "dir"})
#: Attributes kept per element (no ``cite``, ``srcset``, ``background``, ``poster``…).
_ATTRIBUTES = {
    **{tag: set(names) - {"cite"} for tag, names in nh3.ALLOWED_ATTRIBUTES.items()},
    "*": set(_GENERIC_ATTRIBUTES),
    "table": {"align", "summary", "border"},  # pandas writes border="1"
    **{
        tag: nh3.ALLOWED_ATTRIBUTES.get(tag, set()) | {"style"} for tag in ("thead", "tbody", "tfoot", "tr", "th", "td")
    },
}
#: The only CSS a ``style`` attribute keeps (alignment of table cells, as pandas and Markdown tables write it).
_STYLE_PROPERTIES = frozenset({"text-align", "vertical-align"})
#: Schemes that pass Ammonia's first check; ``data:`` is then kept for images only.
_URL_SCHEMES = frozenset({"http", "https", "mailto", "tel", "data"})
_LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
#: Image types kept as ``data:`` URIs. SVG is safe here: a browser runs no script and
#: loads nothing from an SVG document shown through ``<img>``.
_IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml"})
_C0_OR_SPACE = "".join(map(chr, range(0x21)))


def _scheme(url: str) -> str:
    """The scheme of ``url`` as a browser reads it (WHATWG URL: outer C0 controls and
    spaces stripped, tabs and newlines removed anywhere), lowercased; "" if none."""
    compact = url.strip(_C0_OR_SPACE).replace("\t", "").replace("\n", "").replace("\r", "")
    scheme, colon, _ = compact.partition(":")
    return scheme.lower() if colon and scheme[:1].isalpha() and scheme.isascii() else ""


def _data_image(url: str) -> bool:
    """Whether ``url`` is a ``data:`` URI of one of the image types in :data:`_IMAGE_TYPES`."""
    scheme, _, rest = url.strip(_C0_OR_SPACE).partition(":")
    if scheme.lower() != "data":
        return False
    return rest.partition(",")[0].partition(";")[0].strip().lower() in _IMAGE_TYPES


def _link(href: str) -> str | None:
    """``href`` if it is an http(s), mailto or tel URL, or a relative one that starts like a
    path, a query or a fragment (not with a character some browser might skip)."""
    scheme = _scheme(href)
    if scheme:
        return href if scheme in _LINK_SCHEMES else None
    first = href.strip(_C0_OR_SPACE)[:1]
    starts_well = len(first) == 1 and first.isascii() and (first.isalnum() or first in "#/?.")
    return href if starts_well else None


def _embed(src: str, base_dir: Path | None) -> str | None:
    """A local image file under ``base_dir`` as a ``data:`` URI (None if ``src`` is not one)."""
    if base_dir is None or _scheme(src) or src.startswith(("/", "\\")):
        return None
    base = base_dir.resolve()
    path = (base / unquote(src)).resolve()
    if base not in path.parents or not path.is_file():
        return None
    mime = mimetypes.guess_type(path.name)[0] or ""
    if mime not in _IMAGE_TYPES:
        return None
    left = _EMBED_LEFT.get()
    if left is not None and path.stat().st_size * 4 // 3 > left[0]:  # past the page's budget: not even read
        return None
    return _within_budget(f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}")


def _within_budget(uri: str) -> str | None:
    """A ``data:`` image while the page's budget for embedded images lasts (``None`` past it)."""
    left = _EMBED_LEFT.get()
    if left is None:
        return uri
    if len(uri) > left[0]:
        return None
    left[0] -= len(uri)
    return uri


def _attribute_filter(base_dir: Path | None):
    """Ammonia's last word on each attribute it kept (it has already dropped the ones
    not allowed and URLs of other schemes): images only as ``data:`` URIs, local files
    embedded; links to http(s), mailto, tel or relative targets; alignment-only styles."""

    def keep(tag: str, attribute: str, value: str) -> str | None:
        if tag == "img" and attribute == "src":
            return _within_budget(value) if _data_image(value) else _embed(value, base_dir)
        if attribute == "href":
            return _link(value)
        if attribute == "style":  # text-align and vertical-align take keywords, never url(…)
            return None if "(" in value or "\\" in value else value
        return value

    return keep


class _ShowAsText(HTMLParser):
    """Presentation only, before nh3: markup that nh3 would delete is written out as
    text, so that a name like ``<script>…</script>`` that reached an output unescaped
    stays readable (as the design asks of data) instead of vanishing. ``<style>`` is
    dropped with its CSS (pandas writes one for every table). What this pass emits is
    parsed again by nh3, which alone decides what is safe."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.in_style = False

    def _tag(self, tag: str) -> None:
        text = self.get_starttag_text() or f"<{tag}>"
        self.out.append(text if tag in _TAGS else html.escape(text))

    def handle_starttag(self, tag, attrs):
        if tag == "style":
            self.in_style = True
        else:
            self._tag(tag)

    def handle_startendtag(self, tag, attrs):
        if tag != "style":
            self._tag(tag)

    def handle_endtag(self, tag):
        if tag == "style":
            self.in_style = False
        else:
            self.out.append(f"</{tag}>" if tag in _TAGS else html.escape(f"</{tag}>"))

    def handle_data(self, data):
        if not self.in_style:
            self.out.append(html.escape(data, quote=False))

    # comments, declarations and processing instructions: dropped (nh3 would drop them)


def _show_as_text(fragment: str) -> str:
    parser = _ShowAsText()
    try:
        parser.feed(fragment)
        parser.close()
    except AssertionError:  # html.parser gives up on some malformed declarations: nh3 alone
        return fragment
    if parser.rawdata and not parser.in_style:  # a tag cut by the end of the fragment
        parser.out.append(html.escape(parser.rawdata))
    return "".join(parser.out)


def sanitize_html(fragment: str, *, base_dir: str | Path | None = None) -> str:
    """Keep only inert HTML that loads nothing: what a browser cannot run or fetch.

    The fragment is parsed as a browser would (html5ever, through nh3) and written
    back with an allow-list: text structure, lists, tables, links and images. Other
    elements (``script``, ``iframe``, ``svg``, ``math``, ``form``, ``object``,
    ``base``, ``meta``, ``link``…) show as text rather than run; ``<style>`` and
    comments are dropped; so are event handlers (``on*``), ``srcset``, ``poster``,
    ``background`` and any ``style`` beyond ``text-align``/``vertical-align``.
    Links keep http(s), mailto, tel and relative targets and get
    ``rel="noopener noreferrer"`` (a link is not fetched). Images keep only
    ``data:`` URIs of PNG, JPEG, GIF, WebP or SVG: a local file under ``base_dir``
    is embedded as one, any other source is removed.

    >>> sanitize_html("<b>Réseau</b><script>alert(1)</script>")
    '<b>Réseau</b>&lt;script&gt;alert(1)&lt;/script&gt;'
    >>> sanitize_html('<a href="javascript:alert(1)" onclick="x()">lien</a>')
    '<a rel="noopener noreferrer">lien</a>'
    >>> sanitize_html('<img src="https://example.org/pixel.png" alt="suivi">')
    '<img alt="suivi">'
    """
    return _clean(_show_as_text(str(fragment)), Path(base_dir) if base_dir is not None else None)


def _clean(fragment: str, base_dir: Path | None = None) -> str:
    """nh3 with mesra's allow-list: the safety of :func:`sanitize_html` rests on this alone."""
    return nh3.clean(
        fragment,
        tags=set(_TAGS),
        attributes={tag: set(names) for tag, names in _ATTRIBUTES.items()},
        attribute_filter=_attribute_filter(base_dir),
        url_schemes=set(_URL_SCHEMES),
        filter_style_properties=set(_STYLE_PROPERTIES),
        strip_comments=True,
        link_rel="noopener noreferrer",
    )


# --- notebooks -------------------------------------------------------------------
#: The folder whose images the page being rendered may embed (set for each rendering).
_BASE_DIR: contextvars.ContextVar[Path | None] = contextvars.ContextVar("mesra_render_base_dir", default=None)
#: Bytes of local image files one page may embed (what cells print has its own budget:
#: :data:`mesra.batch.bounded.TEXT_BUDGET`); an image past it is left out of the page.
EMBED_BUDGET = 50_000_000
_EMBED_LEFT: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar("mesra_embed_left", default=None)
#: The two exporters (readers, researchers), built once per thread: the template is
#: compiled once, not for every page.
_EXPORTERS = threading.local()


#: What nbconvert's HTML exporter adds after rendering (with BeautifulSoup, ≈ 60 % of a page's
#: time): keyboard focus on each input and output, a text alternative on images without one.
_FOCUSABLE = re.compile(r'(<div\b[^>]*\bclass="[^"]*\b(?:jp-Cell-inputWrapper|jp-OutputArea-output)\b[^"]*"[^>]*)>')
_IMG_WITHOUT_ALT = re.compile(r"(<img\b(?![^>]*\salt=)[^>]*?)(\s*/?>)")


def accessible(page: str) -> str:
    """``page`` with what nbconvert's exporter adds by parsing it, added by two regular expressions.

    Inputs and outputs get ``tabindex="0"``; an image without ``alt`` gets nbconvert's text.
    Applied to the template's own markup and to sanitised fragments, whose tags are well formed.
    """
    page = _FOCUSABLE.sub(lambda m: m.group(0) if "tabindex=" in m.group(1) else f'{m.group(1)} tabindex="0">', page)
    return _IMG_WITHOUT_ALT.sub(r'\1 alt="No description has been provided for this image"\2', page)


#: Code cells already highlighted in this process: the notebooks of a batch share their code
#: but for the parameters, and Pygments is a third of a page with code.
_HIGHLIGHTED: dict[tuple, str] = {}
_HIGHLIGHTED_MAX = 4096


def _highlight_once(highlight):
    """nbconvert's ``highlight_code`` filter, remembering what it returned for each cell's code."""

    def highlight_code(source, language=None, metadata=None):
        key = (highlight.pygments_lexer, str(source), language, (metadata or {}).get("magics_language"))
        html = _HIGHLIGHTED.get(key)
        if html is None:
            if len(_HIGHLIGHTED) >= _HIGHLIGHTED_MAX:
                _HIGHLIGHTED.clear()
            html = _HIGHLIGHTED[key] = highlight(source, language, metadata)
        return html

    return highlight_code


@functools.lru_cache(maxsize=_HIGHLIGHTED_MAX)
def _clean_code_once(element) -> str:
    """nbconvert's ``clean_html`` (bleach), left by the template only on highlighted code: the same
    code gives the same markup, so each cell's is cleaned once per process."""
    from nbconvert.filters.strings import clean_html

    return clean_html(element)


@functools.cache
def _exporter_class():
    """nbconvert's HTML exporter without its BeautifulSoup pass (:func:`accessible` does the same)."""
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class PageExporter(HTMLExporter):
        def from_notebook_node(self, nb, resources=None, **kw):
            # HTMLExporter.from_notebook_node (nbconvert 7) up to the rendering, then accessible()
            langinfo = nb.metadata.get("language_info", {})
            lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
            highlight_code = self.filters.get("highlight_code") or _highlight_once(
                Highlight2HTML(pygments_lexer=lexer, parent=self)
            )
            resources = self._init_resources(resources)
            data_type = WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata, parent=self, resources=resources)
            self.register_filter("highlight_code", highlight_code)
            self.register_filter("filter_data_type", data_type)
            html, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
            self._nb_metadata.clear()  # kept per notebook by nbconvert: an exporter renders thousands
            return accessible(html), resources

        def _validate_preprocessor(self, nbc, preprocessor):
            """Not after each of nbconvert's preprocessors (a fifth of a page): the executed notebook
            was validated when Papermill wrote it, and these preprocessors only remove or annotate."""

    return PageExporter


def _exporter(code: bool):
    cache = _EXPORTERS.__dict__.setdefault("by_code", {})
    if code not in cache:
        from jinja2 import DictLoader

        exporter = _exporter_class()(
            template_name="lab",
            template_file=_TEMPLATE_NAME,
            extra_loaders=[DictLoader({_TEMPLATE_NAME: _TEMPLATE})],
            exclude_input=not code,
            exclude_input_prompt=not code,
            exclude_output_prompt=not code,
            exclude_anchor_links=True,
            embed_images=True,
            language_code="fr",
        )
        exporter.register_filter("mesra_sanitize", lambda text: sanitize_html(text, base_dir=_BASE_DIR.get()))
        exporter.register_filter("clean_html", _clean_code_once)
        cache[code] = exporter
    return cache[code]


#: A cell with this tag is for researchers: on the page with the code, never on the readers' page
#: (the network measures with their technical names, for instance).
RESEARCHERS_TAG = "chercheurs"


def _for_readers(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy without what only a programmer reads: cells tagged :data:`RESEARCHERS_TAG`,
    ``stderr`` streams (warnings), and code cells left with no output (they would render as blank space)."""
    nb = nbformat.from_dict(nb)
    cells = []
    for cell in nb.cells:
        if RESEARCHERS_TAG in cell.get("metadata", {}).get("tags", []):
            continue
        if cell.get("cell_type") == "code":
            cell.outputs = [
                o
                for o in cell.get("outputs", [])
                if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
            ]
            if not cell.outputs:
                continue
        cells.append(cell)
    nb.cells = cells
    return nb


#: What a figure drawn by a mesra function shows, for readers who cannot see it (alt text).
FIGURE_ALT = {
    "plot_map": "Carte de France des départements, colorés selon le nombre d'acteurs",
    "plot_network": "Réseau de coopération : les organisations et leurs liens",
    "plot_echelons": "Réseau de coopération par échelon, du local à l'international",
    "plot_timeline": "Calendrier du plan d'action : une barre par action, colorée selon son statut",
    "plot_coverage": "Tableau des axes documentés par monographie",
    "plot_counts": "Diagramme en barres",
}
_TITLE_ARGUMENT = re.compile(r"""title\s*=\s*(["'])(.+?)\1""")


def figure_alt(source: str) -> str | None:
    """The alt text of a figure from the code that drew it: its ``title=`` or what the function draws.

    >>> figure_alt('mesra.plot_counts(by_type, title="Acteurs par type");')
    'Diagramme en barres : Acteurs par type'
    """
    for name, alt in FIGURE_ALT.items():
        if f"{name}(" in source:
            m = _TITLE_ARGUMENT.search(source)
            return f"{alt} : {m.group(2)}" if m else alt
    return None


def _describe_figures(nb: nbformat.NotebookNode) -> None:
    """Give every image output without one an alt text (metadata ``alt``) from its cell's code."""
    for cell in nb.cells:
        if cell.get("cell_type") != "code":
            continue
        alt = figure_alt(str(cell.get("source", "")))
        for output in cell.get("outputs", []):
            for mime in ("image/png", "image/jpeg", "image/svg+xml"):
                if mime in output.get("data", {}):
                    meta = output.setdefault("metadata", {}).setdefault(mime, {})
                    if not meta.get("alt"):
                        meta["alt"] = alt or "Figure"


def render_notebook(
    nb: nbformat.NotebookNode, *, code: bool, base_dir: str | Path | None = None, title: str | None = None
) -> str:
    """The HTML page of an executed notebook.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        An executed notebook (version 4).
    code : bool
        ``False``: the readers' version (no code, no prompts, no ``stderr``);
        ``True``: the researchers' version, with code.
    base_dir : str or Path, optional
        Folder the notebook ran in: its local images are embedded, and so is the interactive
        network view each :func:`mesra.interactive_view` marker stands for (its data is there).
    title : str, optional
        The page title (default: the notebook's ``metadata.title`` or first heading).

    Returns
    -------
    str
        A self-contained HTML document (figures embedded, no network access).
    """
    base = Path(base_dir) if base_dir is not None else None
    nb = nbformat.from_dict(nb) if code else _for_readers(nb)
    _describe_figures(nb)
    if title is None:
        title = nb.metadata.get("title") or notebook_title(nb) or "Carnet mesra"
    nb.metadata["title"] = title
    resources = {"metadata": {"name": title, "path": str(base) if base else ""}}
    token = _BASE_DIR.set(base)
    budget = _EMBED_LEFT.set([EMBED_BUDGET])
    try:
        body, _ = _exporter(code).from_notebook_node(nb, resources=resources)
    finally:
        _EMBED_LEFT.reset(budget)
        _BASE_DIR.reset(token)
    if base is not None and "mesra-vue-" in body:  # interactive network views: their data is beside the notebook
        from mesra.network.interactive import embed_views

        body = embed_views(body, base)
    return body


def write_html(
    nb: nbformat.NotebookNode,
    path: str | Path,
    *,
    code: bool,
    base_dir: str | Path | None = None,
    title: str | None = None,
) -> Path:
    """Render ``nb`` (see :func:`render_notebook`) and write it to ``path`` atomically."""
    path = Path(path)
    atomic_write_text(path, render_notebook(nb, code=code, base_dir=base_dir, title=title))
    return path


def notebook_title(nb: nbformat.NotebookNode) -> str | None:
    """The text of the notebook's first Markdown heading, if any."""
    for cell in nb.cells:
        if cell.get("cell_type") != "markdown":
            continue
        for line in str(cell.get("source", "")).splitlines():
            match = re.match(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", line)
            if match:
                return re.sub(r"[*_`]", "", match.group(1)).strip()
    return None


# --- the index page ----------------------------------------------------------------
@dataclass(frozen=True)
class NotebookLink:
    """One rendered notebook in the index (paths relative to the index page)."""

    title: str
    reader: str | None = None  # readers' HTML (no code)
    code: str | None = None  # researchers' HTML (with code)
    error: str | None = None  # HTML of the last failed run, when it failed
    outdated: bool = False  # produced from another state of the corpus


@dataclass(frozen=True)
class TerritoryRow:
    """One territory of the index, with its notebooks."""

    territoire_id: str
    nom: str
    niveau: str = ""
    depth: int = 0
    links: tuple[NotebookLink, ...] = field(default_factory=tuple)
    acteurs: int = 0  # located in the territory or below it
    monographies: int = 0
    liens: int = 0  # ties with at least one end among them
    date: str = ""  # when its brief was last made (ISO)

    @property
    def thin(self) -> bool:
        """Little data: fewer than three actors (listed at the end of the index)."""
        return self.acteurs < 3


_INDEX_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2327;
       max-width: 72rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
.meta { color: #50575e; font-size: .92rem; } .meta code { font-size: .85rem; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: .35rem .6rem;
        border-bottom: 1px solid #dcdcde; vertical-align: top; } th { background: #f6f7f7; }
td.niveau { color: #50575e; font-size: .9rem; } a { color: #1b5e9b; }
.secondaire { font-size: .88rem; } .alerte { color: #b32d2e; } .vieux { color: #996800; }
ul.vue { padding-left: 1.2rem; } .note { font-size: .9rem; color: #50575e; }
th.n, td.n { text-align: right; font-variant-numeric: tabular-nums; } td.date { white-space: nowrap; }
figure.carte { margin: 0; } figure.carte img { max-width: 38rem; width: 100%; height: auto; }
"""


def _href(path: str) -> str:
    return quote(path.replace("\\", "/"))


@functools.cache
def _index_template():
    """``templates/index.html.j2``, escaped (autoescape), with mesra's French helpers as filters."""
    from jinja2 import Environment, PackageLoader

    from mesra import french

    env = Environment(loader=PackageLoader("mesra.batch", "templates"), autoescape=True, trim_blocks=True)
    env.filters.update(href=_href, number=french.number, date=french.date)
    env.globals["unknown"] = french.UNKNOWN
    return env.get_template("index.html.j2")


def render_index(
    overview: list[NotebookLink],
    territories: list[TerritoryRow],
    *,
    corpus_hash: str,
    version: str,
    generated: datetime,
    pseudonymised: bool | None = False,
    corpus_label: str = "",
    map_png: bytes | None = None,
    resources_href: str | None = None,
) -> str:
    """The ``index.html`` page linking every rendered notebook.

    Every text that comes from the data (territory names, notebook titles, paths)
    is HTML-escaped; links are relative, so the page opens from the file system.

    Parameters
    ----------
    overview : list of NotebookLink
        The notebooks run once per batch (corpus overview, monographs).
    territories : list of TerritoryRow
        One row per territory, in display order (``depth`` indents sub-territories).
    corpus_hash, version : str
        The corpus content hash and the mesra version shown in the header.
    generated : datetime
        When the index was written.
    pseudonymised : bool or None
        Whether the persons' names are replaced by pseudonyms in every page
        (``None``: in some pages only, which the page warns about).
    corpus_label : str
        Where the corpus comes from (shown in the header).
    map_png : bytes, optional
        The national map of the actors (PNG), embedded in the page.
    resources_href : str, optional
        The resource centre's index (``ressources/index.html``), linked when given.
    """
    titles: list[str] = []
    for row in territories:
        for link in row.links:
            if link.title not in titles:
                titles.append(link.title)
    return _index_template().render(
        css=_INDEX_CSS,
        overview=overview,
        territories=territories,
        main=[row for row in territories if not row.thin],
        thin=[row for row in territories if row.thin],
        titles=titles,
        corpus_hash=corpus_hash,
        version=version,
        generated=generated,
        pseudonymised=pseudonymised,
        corpus_label=corpus_label,
        map_b64=base64.b64encode(map_png).decode("ascii") if map_png else "",
        resources_href=resources_href,
    )
