"""HTML rendering of executed notebooks, sanitising, the index page and atomic writes.

No kernel here: the notebooks are built with their outputs, as Papermill leaves them.
"""

from __future__ import annotations

import base64
import json
import os
import re
import stat
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from mesra import files as atomic
from mesra.batch.render import (
    NotebookLink,
    TerritoryRow,
    _clean,
    notebook_title,
    render_index,
    render_notebook,
    sanitize_html,
    write_html,
)
from mesra.files import atomic_open, atomic_write_bytes, atomic_write_json, atomic_write_text, publish

# A 1×1 PNG.
PNG = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360f8cfc00000030101005d1ee1a90000000049454e44ae426082"
    )
).decode()
HOSTILE = "<script>alert(1)</script>"
FIXTURES = Path(__file__).parent / "fixtures"


def executed_notebook() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells.append(nbformat.v4.new_markdown_cell("# Note de recherche-action\n\nIntroduction."))
    params = nbformat.v4.new_code_cell('territoire = "occitanie"  # identifiant', metadata={"tags": ["parameters"]})
    nb.cells.append(params)
    code = nbformat.v4.new_code_cell("resultat_secret_de_code = mesra.brief(corpus)", execution_count=3)
    code.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text=f"acteur : {HOSTILE}\n"),
        nbformat.v4.new_output("stream", name="stderr", text="UserWarning: avertissement technique\n"),
        nbformat.v4.new_output("display_data", data={"image/png": PNG, "text/plain": "<Figure>"}),
        nbformat.v4.new_output(
            "display_data",
            data={
                "text/html": f'<table><tr><td>{HOSTILE}</td></tr></table><img src="x" onerror="alert(2)">',
                "text/plain": "table",
            },
        ),
        nbformat.v4.new_output(
            "display_data", data={"text/markdown": "**Gras** [lien](javascript:alert(3))", "text/plain": "md"}
        ),
        nbformat.v4.new_output("display_data", data={"application/javascript": "alert(4)", "text/plain": "js"}),
    ]
    nb.cells.append(code)
    nb.cells.append(nbformat.v4.new_code_cell("x = 1  # sans sortie"))
    return nb


# --- sanitising --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        (HOSTILE, "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("<b>gras</b> &amp; <i>italique</i>", "<b>gras</b> &amp; <i>italique</i>"),
        ('<img src="x" onerror="alert(1)">', "<img>"),  # images only as data: URIs
        ('<a href="javascript:alert(1)">lien</a>', '<a rel="noopener noreferrer">lien</a>'),
        ('<a href=" JaVa&#x09;ScRiPt:alert(1)">lien</a>', '<a rel="noopener noreferrer">lien</a>'),
        (
            '<a href="https://example.org/?a=1&amp;b=2">lien</a>',
            '<a href="https://example.org/?a=1&amp;b=2" rel="noopener noreferrer">lien</a>',
        ),
        ('<a href="#section-2">lien</a>', '<a href="#section-2" rel="noopener noreferrer">lien</a>'),
        (
            '<a href="mailto:mes@example.org">écrire</a>',
            '<a href="mailto:mes@example.org" rel="noopener noreferrer">écrire</a>',
        ),
        ('<img src="data:image/png;base64,AAAA">', '<img src="data:image/png;base64,AAAA">'),
        ('<img src="data:image/svg+xml;base64,AAAA">', '<img src="data:image/svg+xml;base64,AAAA">'),
        ('<img src="data:text/html;base64,AAAA">', "<img>"),
        ('<a href="data:text/html,&lt;script&gt;">x</a>', '<a rel="noopener noreferrer">x</a>'),
        ('<a href="da&#x0A;ta:text/html,&lt;script&gt;">x</a>', '<a rel="noopener noreferrer">x</a>'),
        (
            '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
            '&lt;iframe srcdoc="&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;"&gt;&lt;/iframe&gt;',
        ),
        ("<svg><script>alert(1)</script></svg>", "&lt;svg&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;/svg&gt;"),
        (
            "<style>td { color: red; }</style><table><tr><td>1</td></tr></table>",
            "<table><tbody><tr><td>1</td></tr></tbody></table>",
        ),
        ("<!-- commentaire --><p>texte</p>", "<p>texte</p>"),
        ('<div style="width: expression(alert(1))">x</div>', "<div>x</div>"),
        (
            '<meta http-equiv="refresh" content="0;url=https://x">',
            '&lt;meta http-equiv="refresh" content="0;url=https://x"&gt;',
        ),
        ("<p>fin ouverte <b", "<p>fin ouverte &lt;b</p>"),
        # the defects of issue 9
        ("<svg><style><img src=x onerror=alert(1)></style></svg>", "&lt;svg&gt;&lt;/svg&gt;"),
        ('<img src="https://example.org/pixel.png" alt="suivi">', '<img alt="suivi">'),
        (
            '<img src="data:image/png;base64,AAAA" srcset="https://example.org/a.png 2x">',
            '<img src="data:image/png;base64,AAAA">',
        ),
        (
            '<video poster="https://example.org/p.png"></video>',
            '&lt;video poster="https://example.org/p.png"&gt;&lt;/video&gt;',
        ),
        (
            '<input type="image" src="https://example.org/i.png">',
            '&lt;input type="image" src="https://example.org/i.png"&gt;',
        ),
        ("<style>@import url(https://example.org/s.css);</style><p>x</p>", "<p>x</p>"),
        ('<div style="background:url(https://example.org/b.png)">x</div>', "<div>x</div>"),
        ('<td style="text-align:url(https://example.org/t.png)">1</td>', "1"),
        (
            "<svg><animate attributeName=href values=javascript:alert(1) /></svg>",
            "&lt;svg&gt;&lt;animate attributeName=href values=javascript:alert(1) /&gt;&lt;/svg&gt;",
        ),
        # what pandas and Markdown tables need
        (
            '<table border="1" class="dataframe"><thead><tr style="text-align: right;"><th>a</th></tr></thead></table>',
            '<table border="1" class="dataframe"><thead><tr style="text-align:right"><th>a</th></tr></thead></table>',
        ),
        (
            '<table><tr><td style="text-align:left; background-image:none">1</td></tr></table>',
            '<table><tbody><tr><td style="text-align:left">1</td></tr></tbody></table>',
        ),
        ('<h2 id="titre">Titre</h2>', '<h2 id="titre">Titre</h2>'),
    ],
)
def test_sanitize_html(fragment, expected):
    assert sanitize_html(fragment) == expected


def test_sanitize_embeds_local_images_only_inside_base_dir(tmp_path):
    (tmp_path / "figure.png").write_bytes(base64.b64decode(PNG))
    (tmp_path / "page.txt").write_text("pas une image", encoding="utf-8")
    (tmp_path.parent / "secret.png").write_bytes(base64.b64decode(PNG))
    out = sanitize_html(
        '<img src="figure.png" alt="1"><img src="../secret.png" alt="2"><img src="page.txt" alt="3">'
        f'<img src="{(tmp_path / "figure.png").as_uri()}" alt="4">',
        base_dir=tmp_path,
    )
    assert out == f'<img src="data:image/png;base64,{PNG}" alt="1"><img alt="2"><img alt="3"><img alt="4">'


def test_pandas_tables_keep_their_look():
    import pandas as pd

    frame = pd.DataFrame(
        {"Acteur": ["MES <Occitanie>", "CRESS"], "Liens": [3, 1]}, index=pd.Index(["a", "b"], name="id")
    )
    for source in (frame.to_html(), frame._repr_html_(), frame.to_html(index=False, border=0, classes="mesra-table")):
        out = sanitize_html(source)
        assert "<style" not in out  # pandas' <style scoped> block: its rules are in the page's own CSS
        assert out.count("<tr") == source.count("<tr") and out.count("<td>") == source.count("<td>")
        assert "MES &lt;Occitanie&gt;" in out
        assert 'class="dataframe' in out
    assert '<table border="1" class="dataframe">' in sanitize_html(frame.to_html())
    assert '<tr style="text-align:right">' in sanitize_html(frame.to_html())


# --- a public XSS corpus -------------------------------------------------------------------------
XSS_VECTORS = json.loads((FIXTURES / "xss" / "vectors.json").read_text(encoding="utf-8"))
TRACKER = "http://127.0.0.1:8765"
FORBIDDEN_TAGS = frozenset(
    {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta", "link", "form", "style"}
    | {"svg", "math", "input", "button", "textarea", "select", "video", "audio", "source", "track", "picture"}
    | {"template", "noscript", "image", "animate", "set", "use", "xmp", "listing", "noembed", "body", "html", "head"}
)
ALIGNMENT = frozenset({"text-align", "vertical-align"})
URL_ATTRIBUTES = frozenset(
    {"src", "srcset", "poster", "background", "xlink:href", "href", "action", "formaction", "data", "ping"}
    | {"lowsrc", "dynsrc", "cite", "codebase", "values", "from", "to", "by"}
)


class _Elements(HTMLParser):
    """Every start tag and its attributes, as Python's HTML parser reads them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str]]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, [(name, value or "") for name, value in attrs]))


def _problems(out: str) -> list[str]:
    """What a sanitised fragment must never contain."""
    parser = _Elements()
    try:
        parser.feed(out)
        parser.close()
    except AssertionError as exc:  # html.parser gives up on some malformed declarations
        return [f"illisible : {exc}"]
    found = []
    for tag, attrs in parser.elements:
        if tag in FORBIDDEN_TAGS:
            found.append(f"<{tag}>")
        for name, value in attrs:
            compact = re.sub(r"[\x00-\x20]", "", value).lower()
            if name.startswith("on"):
                found.append(f"{tag}[{name}]")
            if "javascript:" in compact or "vbscript:" in compact:
                found.append(f"{tag}[{name}] javascript:")
            if name in URL_ATTRIBUTES and not (
                (tag == "img" and name == "src" and compact.startswith("data:image/"))
                or (tag == "a" and name == "href" and not compact.startswith("data:"))
            ):
                found.append(f"{tag}[{name}]={value[:40]}")
            if name == "style" and ("(" in value or not set(re.findall(r"([\w-]+)\s*:", value)) <= ALIGNMENT):
                found.append(f"{tag}[style]={value[:40]}")
    return found


def _sanitise_vector(vector: dict) -> str:
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    payload = vector["payload"].replace("{TRACKER}", TRACKER)
    return sanitize_html(markdown2html_mistune(payload) if vector["kind"] == "markdown" else payload)


def test_xss_corpus_is_the_one_documented():
    readme = (FIXTURES / "xss" / "README.md").read_text(encoding="utf-8")
    counts = {source: sum(v["source"] == source for v in XSS_VECTORS) for source in ("owasp", "dompurify", "mesra")}
    assert counts["owasp"] >= 50 and counts["dompurify"] >= 30 and counts["mesra"] >= 30, counts
    assert len({v["id"] for v in XSS_VECTORS}) == len(XSS_VECTORS)
    for source, count in counts.items():
        assert f"{count} vecteurs `{source}-" in readme


@pytest.mark.parametrize("vector", XSS_VECTORS, ids=[v["id"] for v in XSS_VECTORS])
def test_xss_vector_is_made_inert(vector):
    out = _sanitise_vector(vector)
    assert _problems(out) == [], f"{vector['title']}: {out!r}"
    assert _problems(sanitize_html(out)) == []  # parsed and cleaned again: still inert


@pytest.mark.parametrize("vector", XSS_VECTORS, ids=[v["id"] for v in XSS_VECTORS])
def test_xss_vector_is_made_inert_by_nh3_alone(vector):
    """Safety rests on nh3: without the pass that shows dropped markup as text, the result
    is just as inert."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    payload = vector["payload"].replace("{TRACKER}", TRACKER)
    out = _clean(markdown2html_mistune(payload) if vector["kind"] == "markdown" else payload)
    assert _problems(out) == [], f"{vector['title']}: {out!r}"


def test_the_static_check_finds_what_the_old_sanitiser_let_through():
    """The check above is not blind: it flags the raw vectors and the defects of issue 9."""
    flagged = [
        v["id"] for v in XSS_VECTORS if v["kind"] == "html" and _problems(v["payload"].replace("{TRACKER}", TRACKER))
    ]
    assert len(flagged) >= 0.8 * sum(v["kind"] == "html" for v in XSS_VECTORS)
    assert _problems('<svg><style><img src=x onerror="alert(1)"></style></svg>')
    assert _problems(f'<img src="{TRACKER}/x.png">') and _problems('<td style="background:url(x)">')


# --- rendering ---------------------------------------------------------------------------------


def test_readers_version_has_no_code_prompt_or_stderr():
    page = render_notebook(executed_notebook(), code=False)
    assert "resultat_secret_de_code" not in page
    assert "sans sortie" not in page
    assert 'territoire = "occitanie"' not in page
    assert "avertissement technique" not in page
    body = page[page.index("<body") :]
    assert "jp-InputPrompt" not in body and "jp-OutputPrompt" not in body
    assert "Introduction." in page
    assert f"data:image/png;base64,{PNG}" in page
    assert '<html lang="fr">' in page


def test_researchers_version_has_the_code_and_warnings():
    page = render_notebook(executed_notebook(), code=True)
    assert "resultat_secret_de_code" in page
    assert "avertissement technique" in page
    assert "jp-InputPrompt" in page[page.index("<body") :]
    assert f"data:image/png;base64,{PNG}" in page


@pytest.mark.parametrize("code", [False, True])
def test_pages_are_inert_and_offline(code):
    page = render_notebook(executed_notebook(), code=code)
    assert "<script" not in page.lower()
    assert not re.search(r"<[a-z][^>]*\son\w+\s*=", page, re.IGNORECASE)
    assert "javascript:" not in page.lower()
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)  # nothing fetched
    assert "@import" not in page and "<link" not in page.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'alt="Figure"' in page


@pytest.mark.parametrize("code", [False, True])
def test_pages_are_what_nbconvert_s_exporter_makes_without_its_slow_pass(code):
    """The exporter skips nbconvert's BeautifulSoup pass (most of a page's time) and adds the
    same attributes itself: parsed, the page is exactly nbconvert's (focus on inputs and
    outputs, text alternative on an image without one)."""
    from bs4 import BeautifulSoup
    from nbconvert import HTMLExporter

    from mesra.batch import render

    nb = executed_notebook()
    cell = nbformat.v4.new_code_cell("HTML(...)")
    data = {"text/html": '<img src="data:image/png;base64,' + PNG + '"><img alt="a" src="x.png">'}
    cell.outputs = [nbformat.v4.new_output("display_data", data=data)]
    nb.cells.append(cell)
    nb = nbformat.from_dict(nb) if code else render._for_readers(nb)
    exporter = render._exporter(code)
    ours, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": "t", "path": ""}})
    theirs, _ = HTMLExporter.from_notebook_node(exporter, nb, resources={"metadata": {"name": "t", "path": ""}})
    assert str(BeautifulSoup(ours, features="html.parser")) == theirs
    assert ours.count('tabindex="0"') == theirs.count('tabindex="0"') > 0
    assert "No description has been provided for this image" in ours


def test_markdown_images_and_local_files_are_embedded(tmp_path):
    (tmp_path / "carte.png").write_bytes(base64.b64decode(PNG))
    nb = executed_notebook()
    nb.cells.append(nbformat.v4.new_markdown_cell("![Carte du réseau](carte.png)"))
    cell = nbformat.v4.new_code_cell("HTML(...)")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": '<img src="carte.png" alt="c">'})]
    nb.cells.append(cell)
    page = render_notebook(nb, code=False, base_dir=tmp_path)
    assert 'src="carte.png"' not in page
    assert page.count(f"data:image/png;base64,{PNG}") >= 3


def test_no_cell_or_output_points_outside_the_page():
    """Markdown cells, Markdown and HTML outputs and raw HTML cells are all sanitised:
    a remote image is dropped (its alternative text stays), a Markdown table keeps its alignment."""
    tracker = "http://127.0.0.1:8765/tracker.png"
    nb = executed_notebook()
    nb.cells.append(nbformat.v4.new_markdown_cell(f"![suivi-cellule]({tracker})\n\n| a | b |\n|:--|--:|\n| 1 | 2 |"))
    cell = nbformat.v4.new_code_cell("display(...)")
    cell.outputs = [
        nbformat.v4.new_output("display_data", data={"text/markdown": f"![suivi-sortie]({tracker})"}),
        nbformat.v4.new_output("display_data", data={"text/html": f'<p style="background:url({tracker})">p</p>'}),
    ]
    nb.cells.append(cell)
    nb.cells.append(
        nbformat.v4.new_raw_cell(f'<img src="{tracker}" alt="brut">', metadata={"raw_mimetype": "text/html"})
    )
    for code in (False, True):
        page = render_notebook(nb, code=code)
        assert "127.0.0.1" not in page
        assert 'alt="suivi-cellule"' in page and 'alt="suivi-sortie"' in page and 'alt="brut"' in page
        assert '<td style="text-align:right">2</td>' in page


def test_title_is_the_first_heading_or_given_and_escaped():
    assert notebook_title(executed_notebook()) == "Note de recherche-action"
    page = render_notebook(executed_notebook(), code=False, title=f"Note — {HOSTILE}")
    assert f"<title>Note — {HOSTILE}</title>" not in page
    assert "<title>Note — &lt;script&gt;alert(1)&lt;/script&gt;</title>" in page


def test_write_html_is_atomic(tmp_path, monkeypatch):
    path = tmp_path / "note.html"
    write_html(executed_notebook(), path, code=False)
    first = path.read_bytes()
    assert first.startswith(b"<!DOCTYPE html>")

    import mesra.batch.render

    def broken(*args, **kwargs):
        raise RuntimeError("plantage pendant le rendu")

    monkeypatch.setattr(mesra.batch.render, "render_notebook", broken)
    with pytest.raises(RuntimeError, match="plantage"):
        write_html(executed_notebook(), path, code=True)
    assert path.read_bytes() == first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["note.html"]


# --- index ---------------------------------------------------------------------------------------


def test_index_escapes_data_and_links_relatively():
    rows = [
        TerritoryRow(
            "occitanie",
            "Occitanie",
            "Région",
            0,
            (NotebookLink("Note", "territoires/occitanie/04 note.html", "territoires/occitanie/04.code.html"),),
        ),
        TerritoryRow(
            "piege",
            f"{HOSTILE}<img src=x onerror=alert(2)>",
            "Commune",
            1,
            (
                NotebookLink(f"Note {HOSTILE}", reader=None, code=None, error="territoires/piege/04.erreur.html"),
                NotebookLink("Réseau", "territoires/piege/03.html", None, outdated=True),
            ),
        ),
    ]
    page = render_index(
        [NotebookLink("Vue d'ensemble", "corpus/01.html", "corpus/01.code.html")],
        rows,
        corpus_hash="abc123",
        version="9.9.9",
        generated=datetime(2024, 5, 6, 7, 8),
        pseudonymised=True,
        corpus_label="/données/<b>corpus</b>",
    )
    assert "<script" not in page.lower()
    assert not re.search(r"<[a-z][^>]*\son\w+\s*=", page, re.IGNORECASE)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;" in page
    assert "&lt;b&gt;corpus&lt;/b&gt;" in page
    assert 'href="territoires/occitanie/04%20note.html"' in page
    assert 'href="territoires/piege/04.erreur.html"' in page
    assert "échec de la dernière exécution" in page
    assert "produit avec un autre état du corpus" in page
    assert "06/05/2024 à 07:08" in page and "mesra 9.9.9" in page and "abc123" in page
    assert "remplacés par des pseudonymes" in page
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)


def test_index_warns_when_some_pages_show_real_names():
    page = render_index([], [], corpus_hash="h", version="1", generated=datetime(2024, 1, 1), pseudonymised=None)
    assert "contiennent les vrais noms" in page
    assert "Aucune note de territoire produite" in page
    plain = render_index([], [], corpus_hash="h", version="1", generated=datetime(2024, 1, 1), pseudonymised=False)
    assert "pseudonymes" not in plain and "vrais noms" not in plain


# --- atomic writes -----------------------------------------------------------------------------


def test_atomic_write_replaces_and_leaves_no_temp_file(tmp_path):
    path = tmp_path / "etat.json"
    atomic_write_json(path, {"b": 1, "a": "é"})
    assert path.read_text(encoding="utf-8") == '{\n "a": "é",\n "b": 1\n}\n'
    atomic_write_bytes(path, b"\x00\x01")
    assert path.read_bytes() == b"\x00\x01"
    atomic_write_text(path, "ligne\r\n")
    assert path.read_bytes() == b"ligne\r\n"
    assert [p.name for p in tmp_path.iterdir()] == ["etat.json"]


def test_atomic_open_keeps_the_old_file_when_interrupted(tmp_path):
    path = tmp_path / "note.html"
    path.write_text("ancienne version", encoding="utf-8")
    with pytest.raises(KeyboardInterrupt), atomic_open(path) as fh:
        fh.write("nouvelle version à moi")
        raise KeyboardInterrupt
    assert path.read_text(encoding="utf-8") == "ancienne version"
    assert [p.name for p in tmp_path.iterdir()] == ["note.html"]


def test_atomic_open_refuses_other_modes(tmp_path):
    with pytest.raises(ValueError, match="mode must be"), atomic_open(tmp_path / "x", "a"):
        pass


@pytest.mark.skipif(os.name != "posix", reason="permissions POSIX")
def test_atomic_writes_keep_permissions(tmp_path):
    path = tmp_path / "public.html"
    atomic_write_text(path, "a")
    mode = stat.S_IMODE(path.stat().st_mode)
    assert mode == 0o666 & ~atomic._umask()  # as open() would, not mkstemp's 0600
    path.chmod(0o640)
    atomic_write_text(path, "b")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_publish_moves_a_finished_file_into_new_folders(tmp_path):
    src = tmp_path / "stage" / "note.html"
    src.parent.mkdir()
    src.write_text("fini", encoding="utf-8")
    dst = tmp_path / "out" / "territoires" / "fr" / "note.html"
    publish(src, dst)
    assert dst.read_text(encoding="utf-8") == "fini"
    assert not src.exists()


def test_index_weighs_territories_by_their_data_and_shows_the_national_map():
    import mesra
    from mesra.batch.index import _index_rows, national_map

    corpus = mesra.load_corpus()
    link = NotebookLink(title="Note", reader="territoires/x/04.html", code=None, error=None)
    manifests = [
        {"territoire": t, "carnet": "04", "titre": "Note", "rapport": {"fichiers": {f"territoires/{t}/04.html": "h"}}}
        for t in ("occitanie", "quebec", "gard")
    ]
    _, rows = _index_rows(manifests, corpus)
    by_id = {r.territoire_id: r for r in rows}
    assert by_id["occitanie"].acteurs == len(corpus.actors_in("occitanie")) > 2
    assert by_id["occitanie"].monographies == len(corpus.monographs_in("occitanie")) > 0
    assert by_id["quebec"].thin and not by_id["occitanie"].thin
    png = national_map(corpus)
    assert png.startswith(b"\x89PNG")
    page = render_index([], rows, corpus_hash="h", version="1", generated=datetime(2024, 1, 1), map_png=png)
    main, _, thin = page.partition("<h3>Peu documentés</h3>")
    assert "Occitanie" in main and "Québec" not in main and "Québec" in thin
    assert "data:image/png;base64," in page and "Carte de France" in page
    assert link.title == "Note"


def test_code_highlighted_once_per_process_still_shows_each_notebook_s_code():
    """Highlighting and cleaning are remembered per cell's code: each page still shows its own
    code, and a page made with an empty memory is the same as one made from it."""
    from mesra.batch import render

    pages = []
    for name in ("premier_calcul", "second_calcul"):
        nb = executed_notebook()
        nb.cells.append(nbformat.v4.new_code_cell(f"{name} = 1\nmesra.plot_counts(table)"))
        pages.append(render_notebook(nb, code=True))
    assert "premier_calcul" in pages[0] and "second_calcul" not in pages[0]
    assert "second_calcul" in pages[1] and "premier_calcul" not in pages[1]
    render._HIGHLIGHTED.clear()
    render._clean_code_once.cache_clear()
    assert render_notebook(nb, code=True) == pages[1]


def test_the_index_map_drawn_while_the_notebooks_run_is_the_same_and_leaves_no_figure():
    import matplotlib.pyplot as plt

    import mesra
    from mesra.batch.index import national_map, start_national_map

    corpus = mesra.load_corpus()
    before = plt.get_fignums()
    drawing = start_national_map(corpus)
    assert drawing.result(timeout=120) == national_map(corpus)
    assert plt.get_fignums() == before  # its own figure, not pyplot's: safe in a thread
