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
``text/html`` and ``text/markdown`` output goes through :func:`sanitize_html`,
which turns active content (``<script>``, event handlers, ``javascript:`` links,
frames…) into visible text instead of letting it run.
"""

from __future__ import annotations

import base64
import html
import mimetypes
import re
from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import nbformat

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
RENDER_VERSION = "1"

_TEMPLATE_NAME = "mesra-rapport.html.j2"
_TEMPLATE = r"""
{%- extends 'index.html.j2' -%}
{#- Self-contained and offline: no script fetched from a CDN. -#}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block extra_css -%}
<style type="text/css">
main { max-width: 70rem; margin: 0 auto; }
.jp-RenderedHTMLCommon table { margin-bottom: 1em; }
.jp-RenderedImage img { max-width: 100%; height: auto; }
</style>
{%- endblock extra_css -%}
{% block data_html scoped -%}
<div class="jp-RenderedHTMLCommon jp-RenderedHTML jp-OutputArea-output {{ extra_class }}" data-mime-type="text/html">
{{ output.data['text/html'] | mesra_sanitize }}
</div>
{%- endblock data_html %}
{% block data_markdown scoped -%}
<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown jp-OutputArea-output {{ extra_class }}" data-mime-type="text/markdown">
{{ output.data['text/markdown'] | markdown2html | mesra_sanitize }}
</div>
{%- endblock data_markdown %}
{#- Figures with a (French) alternative text. -#}
{% block data_png scoped -%}
<div class="jp-RenderedImage jp-OutputArea-output {{ extra_class }}">
<img alt="{{ ((output | get_metadata('alt', 'image/png')) or 'Figure') | escape_html }}" src="data:image/png;base64,{{ output.data['image/png'] | escape_html }}"
{%- set width=output | get_metadata('width', 'image/png') -%}
{%- if width is not none %} width="{{ width | escape_html }}"{% endif -%}
>
</div>
{%- endblock data_png %}
{% block data_jpg scoped -%}
<div class="jp-RenderedImage jp-OutputArea-output {{ extra_class }}">
<img alt="{{ ((output | get_metadata('alt', 'image/jpeg')) or 'Figure') | escape_html }}" src="data:image/jpeg;base64,{{ output.data['image/jpeg'] | escape_html }}"
{%- set width=output | get_metadata('width', 'image/jpeg') -%}
{%- if width is not none %} width="{{ width | escape_html }}"{% endif -%}
>
</div>
{%- endblock data_jpg %}
{% block data_svg scoped -%}
<div class="jp-RenderedSVG jp-OutputArea-output {{ extra_class }}" data-mime-type="image/svg+xml">
<img alt="{{ ((output | get_metadata('alt', 'image/svg+xml')) or 'Figure') | escape_html }}" src="data:image/svg+xml;base64,{{ output.data['image/svg+xml'] | text_base64 | escape_html }}">
</div>
{%- endblock data_svg %}
{%- block data_javascript scoped -%}{%- endblock data_javascript -%}
{%- block data_widget_view scoped -%}{%- endblock data_widget_view -%}
"""

# --- sanitising HTML fragments ---------------------------------------------------
#: Elements shown as text rather than interpreted.
_NEUTRALISED = frozenset(
    {
        "script",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "base",
        "meta",
        "link",
        "form",
        "noscript",
        "template",
        "portal",
    }
)
_URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "xlink:href", "background", "poster", "cite", "data", "srcset", "ping"}
)
_DROPPED_ATTRIBUTES = frozenset({"srcdoc", "http-equiv"})
_SAFE_SCHEMES = frozenset({"", "http", "https", "mailto", "tel"})
_VOID = frozenset({"area", "br", "col", "hr", "img", "input", "source", "track", "wbr"})


def _safe_url(value: str, *, tag: str, attribute: str) -> bool:
    compact = re.sub(r"[\x00-\x20]+", "", html.unescape(value)).lower()
    scheme = urlsplit(compact).scheme
    if scheme == "data":
        return tag == "img" and attribute == "src" and compact.startswith("data:image/")
    return scheme in _SAFE_SCHEMES


class _Sanitiser(HTMLParser):
    def __init__(self, base_dir: Path | None):
        super().__init__(convert_charrefs=False)
        self.base_dir = base_dir
        self.out: list[str] = []
        self.raw_text: str | None = None  # inside <style>: CSS kept verbatim

    def _attributes(self, tag: str, attrs: list[tuple[str, str | None]]) -> str:
        parts = []
        for name, value in attrs:
            name = name.lower()
            if name.startswith("on") or name in _DROPPED_ATTRIBUTES or not re.fullmatch(r"[\w:.-]+", name):
                continue
            if value is None:
                parts.append(f" {name}")
                continue
            if name in _URL_ATTRIBUTES:
                if tag == "img" and name == "src":
                    value = self._embed(value)
                if not _safe_url(value, tag=tag, attribute=name):
                    continue
            if name == "style" and re.search(r"expression\s*\(|url\s*\(\s*['\"]?\s*javascript:", value, re.I):
                continue
            parts.append(f' {name}="{html.escape(value, quote=True)}"')
        return "".join(parts)

    def _embed(self, src: str) -> str:
        """Inline a local image file next to the notebook as a ``data:`` URI."""
        if self.base_dir is None or urlsplit(src).scheme or src.startswith(("/", "\\")):
            return src
        path = (self.base_dir / unquote(src)).resolve()
        base = self.base_dir.resolve()
        if base not in path.parents or not path.is_file():
            return src
        mime = mimetypes.guess_type(path.name)[0] or ""
        if not mime.startswith("image/"):
            return src
        return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"

    def handle_starttag(self, tag, attrs):
        if tag in _NEUTRALISED:
            self.out.append(html.escape(self.get_starttag_text() or f"<{tag}>"))
            return
        self.out.append(f"<{tag}{self._attributes(tag, attrs)}>")
        if tag == "style":
            self.raw_text = tag

    def handle_startendtag(self, tag, attrs):
        if tag in _NEUTRALISED:
            self.out.append(html.escape(self.get_starttag_text() or f"<{tag}/>"))
            return
        self.out.append(
            f"<{tag}{self._attributes(tag, attrs)}>"
            if tag in _VOID
            else f"<{tag}{self._attributes(tag, attrs)}></{tag}>"
        )

    def handle_endtag(self, tag):
        if tag in _NEUTRALISED:
            self.out.append(html.escape(f"</{tag}>"))
            return
        if tag == "style":
            self.raw_text = None
        if tag not in _VOID:
            self.out.append(f"</{tag}>")

    def handle_data(self, data):
        if self.raw_text == "style":
            self.out.append(data.replace("</", "<\\/"))
        else:
            self.out.append(html.escape(data, quote=False))

    def handle_entityref(self, name):
        self.handle_data(html.unescape(f"&{name};"))

    def handle_charref(self, name):
        self.handle_data(html.unescape(f"&#{name};"))

    # comments, declarations and processing instructions are dropped


def sanitize_html(fragment: str, *, base_dir: str | Path | None = None) -> str:
    """Make an HTML fragment inert: active content becomes visible text.

    Elements that run or load code (``script``, ``iframe``, ``object``, ``embed``,
    ``base``, ``meta``, ``link``, ``form``…) are escaped so that they show as text;
    event-handler attributes (``on*``), ``srcdoc`` and URLs with other schemes
    than http(s), mailto, tel and ``data:image/`` (images only) are removed;
    comments are dropped. Everything else, including tables and ``<style>``, is
    kept. Local ``<img>`` files under ``base_dir`` are embedded as ``data:`` URIs.

    >>> sanitize_html("<b>Réseau</b><script>alert(1)</script>")
    '<b>Réseau</b>&lt;script&gt;alert(1)&lt;/script&gt;'
    >>> sanitize_html('<a href="javascript:alert(1)" onclick="x()">lien</a>')
    '<a>lien</a>'
    """
    parser = _Sanitiser(Path(base_dir) if base_dir is not None else None)
    parser.feed(str(fragment))
    parser.close()
    if parser.rawdata:  # an unterminated tag at the end: show it as text
        parser.out.append(html.escape(parser.rawdata))
    return "".join(parser.out)


# --- notebooks -------------------------------------------------------------------
def _exporter(code: bool, base_dir: Path | None):
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
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
    exporter.register_filter("mesra_sanitize", lambda text: sanitize_html(text, base_dir=base_dir))
    return exporter


def _for_readers(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy without what only a programmer reads: ``stderr`` streams (warnings), and
    code cells left with no output (they would render as blank space)."""
    nb = nbformat.from_dict(nb)
    cells = []
    for cell in nb.cells:
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
        Folder the notebook ran in: its local images are embedded.
    title : str, optional
        The page title (default: the notebook's ``metadata.title`` or first heading).

    Returns
    -------
    str
        A self-contained HTML document (figures embedded, no network access).
    """
    base = Path(base_dir) if base_dir is not None else None
    nb = nbformat.from_dict(nb) if code else _for_readers(nb)
    if title is None:
        title = nb.metadata.get("title") or notebook_title(nb) or "Carnet mesra"
    nb.metadata["title"] = title
    resources = {"metadata": {"name": title, "path": str(base) if base else ""}}
    body, _ = _exporter(code, base).from_notebook_node(nb, resources=resources)
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
"""


def _href(path: str) -> str:
    return html.escape(quote(path.replace("\\", "/")), quote=True)


def _link_cell(link: NotebookLink | None) -> str:
    if link is None:
        return '<span class="note">—</span>'
    parts = []
    if link.reader:
        parts.append(f'<a href="{_href(link.reader)}">lire</a>')
    if link.code:
        parts.append(f'<a class="secondaire" href="{_href(link.code)}">avec le code</a>')
    if link.error:
        parts.append(f'<a class="alerte" href="{_href(link.error)}">échec de la dernière exécution</a>')
    if link.outdated:
        parts.append(
            '<span class="vieux" title="produit à partir d’un autre état du corpus">'
            "produit avec un autre état du corpus</span>"
        )
    return " · ".join(parts) if parts else '<span class="note">—</span>'


def render_index(
    overview: list[NotebookLink],
    territories: list[TerritoryRow],
    *,
    corpus_hash: str,
    version: str,
    generated: datetime,
    pseudonymised: bool | None = False,
    corpus_label: str = "",
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
    """
    esc = html.escape
    titles: list[str] = []
    for row in territories:
        for link in row.links:
            if link.title not in titles:
                titles.append(link.title)
    out = [
        "<!DOCTYPE html>",
        '<html lang="fr">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Notes de recherche-action — mesra</title>",
        f"<style>{_INDEX_CSS}</style>",
        "</head>",
        "<body>",
        "<main>",
        "<h1>Notes de recherche-action</h1>",
        '<p class="meta">',
        f"Produit le {esc(generated.strftime('%d/%m/%Y à %H:%M'))} par mesra {esc(version)}"
        + (f" à partir du corpus <code>{esc(corpus_label)}</code>" if corpus_label else "")
        + ".<br>",
        f'Empreinte du corpus (SHA-256) : <code title="{esc(corpus_hash)}">{esc(corpus_hash)}</code>',
        "</p>",
    ]
    if pseudonymised:
        out.append('<p class="meta">Les noms des personnes sont remplacés par des pseudonymes.</p>')
    elif pseudonymised is None:
        out.append(
            '<p class="meta alerte">Attention : certaines pages de ce dossier contiennent les vrais noms '
            "des personnes (produites sans --pseudonymiser) ; relancez avec --pseudonymiser --force "
            "avant de les diffuser.</p>"
        )
    out.append("<h2>Vue d’ensemble du corpus</h2>")
    if overview:
        out.append('<ul class="vue">')
        for link in overview:
            out.append(f"<li><strong>{esc(link.title)}</strong> : {_link_cell(link)}</li>")
        out.append("</ul>")
    else:
        out.append('<p class="note">Aucun carnet de vue d’ensemble produit.</p>')
    out.append("<h2>Territoires</h2>")
    if territories:
        out.append("<table>")
        out.append(
            "<thead><tr><th>Territoire</th><th>Niveau</th>"
            + "".join(f"<th>{esc(t)}</th>" for t in titles)
            + "</tr></thead>"
        )
        out.append("<tbody>")
        for row in territories:
            by_title = {link.title: link for link in row.links}
            indent = f' style="padding-left: {0.6 + 1.2 * max(0, row.depth):.1f}rem"'
            out.append(
                f'<tr id="{esc(row.territoire_id, quote=True)}"><td{indent}>{esc(row.nom)} '
                f'<span class="note">({esc(row.territoire_id)})</span></td>'
                f'<td class="niveau">{esc(row.niveau)}</td>'
                + "".join(f"<td>{_link_cell(by_title.get(t))}</td>" for t in titles)
                + "</tr>"
            )
        out.append("</tbody></table>")
    else:
        out.append('<p class="note">Aucune note de territoire produite.</p>')
    out.append(
        '<p class="note">« lire » : la note sans le code, pour les lecteurs ; « avec le code » : '
        "le carnet exécuté complet, pour les chercheurs. Chaque page est autonome "
        "(figures incluses) et peut être envoyée telle quelle.</p>"
    )
    out += ["</main>", "</body>", "</html>", ""]
    return "\n".join(out)
