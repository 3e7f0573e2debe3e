"""The resource centre's site (mesra.batch.site), built from SYNTHETIC resources (tests/resource_fixtures.py).

Pages escape what they show, say "non renseigné" for the unknown, quote their sources (hover and
footnote), link to the briefs of their territories and load nothing from outside; publishing
replaces ``OUT/ressources`` whole, after the run's name scan, and keeps what a person edited.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from pathlib import Path

import markupsafe
import pandas as pd
import pytest
from helpers import ROOT
from resource_fixtures import ACTOR_NAMES, TERRITORY_NAMES, cite, synthetic_resources

from mesra.analysis.resources.links import ResourceLinks, named_by
from mesra.analysis.resources.model import Item, Resource, Section
from mesra.batch import site
from mesra.batch.site import SITE_FOLDER, BriefLink, build_site, publish_site
from mesra.corpus.privacy import NameScan
from mesra.errors import MesraError

LINKS = {"occitanie": (BriefLink("Note de recherche-action", "territoires/occitanie/04-note.html"),)}


def _build(tmp_path: Path, resources=None, **kwargs) -> Path:
    build_site(
        synthetic_resources() if resources is None else resources,
        tmp_path,
        brief_links=kwargs.pop("brief_links", LINKS),
        territoires=TERRITORY_NAMES,
        acteurs=ACTOR_NAMES,
        sources={"source-synthetique": "Source synthétique"},
        **kwargs,
    )
    return tmp_path / SITE_FOLDER


def _embedded(index_html: str) -> list[dict]:
    m = re.search(r'<script type="application/json" id="mesra-ressources">(.*?)</script>', index_html, re.S)
    assert m is not None
    return json.loads(m.group(1))


def test_one_page_per_resource_and_an_index(tmp_path):
    folder = _build(tmp_path)
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(["index.html", *(f"{r.ressource_id}.html" for r in synthetic_resources())])
    index = (folder / "index.html").read_text("utf-8")
    for r in synthetic_resources():
        assert f'href="{r.ressource_id}.html"' in index
    assert {d["id"] for d in _embedded(index)} == {r.ressource_id for r in synthetic_resources()}
    # the facets offer each value present, with its count
    assert '<option value="outil">Outil (3)</option>' in index
    assert '<option value="occitanie">Occitanie (4)</option>' in index
    assert '<option value="2">Axe 2 (2)</option>' in index
    assert 'data-echelon="[&#34;regional&#34;]"' in index
    assert index.count('<select id="filtre-') == 5


def test_unknown_is_said_and_known_facts_are_shown(tmp_path):
    page = (_build(tmp_path) / "outil-grille-test.html").read_text("utf-8")
    assert '<tr><th>Licence</th><td><span class="inconnu">non renseigné</span></td></tr>' in page
    assert '<tr><th>Auteur</th><td><span class="inconnu">non renseigné</span></td></tr>' in page
    assert "<tr><th>Statut</th><td>en usage</td></tr>" in page
    assert "<tr><th>Territoires</th><td>Occitanie</td></tr>" in page
    assert "<tr><th>Échelon</th><td>Régional</td></tr>" in page
    # a tool always says whether its notice is known
    assert "<tr><th>Notice d&#39;utilisation</th><td>non fournie dans ce jeu synthétique</td></tr>" in page
    assert '<tr><th>Étapes</th><td><span class="inconnu">non renseigné</span></td></tr>' in page
    veille = (tmp_path / SITE_FOLDER / "veille-test.html").read_text("utf-8")
    assert "Notice" not in veille  # only tools have one
    empty = (tmp_path / SITE_FOLDER / "portrait-reseau-beta.html").read_text("utf-8")
    assert '<p class="resume"><span class="inconnu">non renseigné</span></p>' in empty


def test_sources_hover_on_screen_and_footnotes_in_print(tmp_path):
    page = (_build(tmp_path) / "outil-grille-test.html").read_text("utf-8")
    hover = "« Asso Alpha a conçu la grille. » (Source synthétique, ligne 11)"
    assert f'<span class="mesra-cite" title="{html.escape(hover)}">[2]</span>' in page
    assert "<li>[2] « Asso Alpha a conçu la grille. » (ligne 11)</li>" in page  # the source named once, below
    assert "<li>[3] Source synthétique, ligne 12</li>" in page  # no passage known: where it is
    assert '<p class="meta sources-citees">Source citée : Source synthétique.</p>' in page
    css = page[page.index("<style>") : page.index("</style>")]
    assert "ol.mesra-footnotes { display: none;" in css
    assert re.search(r"@media print \{.*ol\.mesra-footnotes \{ display: block;", css, re.S)
    assert "@page { size: A4;" in css


def test_links_to_portraits_and_to_the_briefs_of_its_territories(tmp_path):
    folder = _build(tmp_path)
    page = (folder / "outil-grille-test.html").read_text("utf-8")
    assert '<a href="portrait-asso-alpha.html">Asso Alpha</a>' in page
    assert '<a href="portrait-asso-alpha.html">Développée par Asso Alpha.</a>' in page
    assert '<span class="comment">(prévu)</span>' in page
    assert 'href="../territoires/occitanie/04-note.html">Note de recherche-action</a>' in page
    beta = (folder / "portrait-reseau-beta.html").read_text("utf-8")
    assert (
        '<strong>Hauts-de-France</strong> : <span class="note">aucune note produite pour ce territoire</span>' in beta
    )
    alpha = (folder / "portrait-asso-alpha.html").read_text("utf-8")
    assert 'href="portrait-asso-alpha.html"' not in alpha  # a portrait does not link to itself


def _handlers(page: str) -> set[tuple[str, str]]:
    """Every (element, on* attribute) a browser would build from ``page``."""
    from html.parser import HTMLParser

    found: set[tuple[str, str]] = set()

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.update((tag, name) for name, _ in attrs if name.startswith("on"))

    Parser().feed(page)
    return found


HOSTILE = '</script><script>alert("x")</script><img src=x onerror=alert(1)>'


def test_everything_from_the_data_is_escaped(tmp_path):
    hostile = Resource(
        ressource_id="outil-hostile",
        kind="outil",
        title=HOSTILE,
        summary=HOSTILE,
        territoires=("occitanie",),
        themes=(HOSTILE,),
        citations=(cite("L1", HOSTILE),),
        sections=(Section(HOSTILE, (Item(HOSTILE, None, None, (cite("L2", HOSTILE),)),), markdown=HOSTILE),),
        extra={"notice": 'javascript:alert(1)" onclick="x'},
    )
    folder = _build(tmp_path, [*synthetic_resources(), hostile])
    for page in folder.iterdir():
        text = page.read_text("utf-8")
        assert "<script>alert" not in text and "<img src=x" not in text, page.name
        assert _handlers(text) == set(), page.name
        assert 'href="javascript:' not in text, page.name
    index = (folder / "index.html").read_text("utf-8")
    assert index.count("</script>") == 3  # the data, MiniSearch, the page's script: nothing closes them early
    doc = next(d for d in _embedded(index) if d["id"] == "outil-hostile")
    assert doc["titre"] == HOSTILE and HOSTILE in doc["texte"]  # the JSON round-trips, escaped
    page = (folder / "outil-hostile.html").read_text("utf-8")
    assert str(markupsafe.escape(HOSTILE)) in page  # shown as text (the title, the summary…)


def test_a_hand_written_markdown_body_is_rendered_and_sanitised(tmp_path):
    page = (_build(tmp_path) / "outil-grille-test.html").read_text("utf-8")
    assert "<strong>Étape 1</strong>" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (Resource("../evasion", "outil", "x"), "Identifiant de ressource invalide"),
        (Resource("index", "outil", "x"), "réservé"),
        (Resource("outil-grille-test", "outil", "x"), "Deux ressources"),
        (Resource("fiche-x", "fiche", "x"), "Type de ressource inconnu"),
    ],
)
def test_bad_resources_are_refused_in_french(tmp_path, bad, message):
    with pytest.raises(MesraError, match=message):
        _build(tmp_path, [*synthetic_resources(), bad])
    assert not (tmp_path / SITE_FOLDER / "index.html").exists()


# --- nothing from outside ------------------------------------------------------------------------
_EXTERNAL = re.compile(
    r"<(?:script|img|iframe|link|source|video|audio|embed|object)\b[^>]*\b(?:src|href|data)\s*=\s*[\"']?\s*(?:https?:)?//",
    re.I,
)


def external_loads(folder: Path) -> list[str]:
    """Pages of ``folder`` with an element that would load something from a web address (or @import / url())."""
    found = []
    for page in sorted(folder.rglob("*.html")):
        text = page.read_text("utf-8")
        if _EXTERNAL.search(text) or re.search(r"@import|url\(\s*['\"]?(?:https?:)?//", text, re.I):
            found.append(page.name)
        if re.search(r"<script\b[^>]*\bsrc=", text, re.I) or re.search(r"<link\b", text, re.I):
            found.append(page.name)  # everything is inlined: no script or stylesheet file at all
    return found


def test_no_page_loads_anything_from_outside(tmp_path):
    folder = _build(tmp_path)
    assert external_loads(folder) == []
    index = (folder / "index.html").read_text("utf-8")
    assert "sourceMappingURL" not in index  # a browser would ask for the map
    assert "MiniSearch" in index and "MIT" in index


def test_minisearch_is_vendored_whole_with_its_licence():
    vendor = ROOT / "mesra" / "batch" / "static" / "vendor" / "minisearch"
    code = (vendor / "minisearch.umd.js").read_bytes()
    assert hashlib.sha256(code).hexdigest() == "03c27931eb603af1d3358579e9885eafdb6a2f5fa9929557b3e77d7e99d06d03"
    licence = (vendor / "LICENSE.txt").read_text("utf-8")
    assert "Luca Ongaro" in licence and "Permission is hereby granted" in licence
    pyproject = (ROOT / "pyproject.toml").read_text("utf-8")
    assert '"batch/static/vendor/minisearch/*"' in pyproject
    assert '"batch/templates/ressources/*.j2"' in pyproject


# --- publishing ------------------------------------------------------------------------------------
class _Corpus:
    """The few tables publish_site reads for names (SYNTHETIC)."""

    territoires = pd.DataFrame({"territoire_id": list(TERRITORY_NAMES), "nom": list(TERRITORY_NAMES.values())})
    acteurs = pd.DataFrame({"acteur_id": list(ACTOR_NAMES), "nom": list(ACTOR_NAMES.values())})
    sources = pd.DataFrame({"source_id": ["source-synthetique"], "titre": ["Source synthétique"]})


def _scan() -> NameScan:
    people = pd.DataFrame({"personne_id": ["camille-testeur"], "nom": ["TESTEUR"], "prenom": ["Camille"]})
    return NameScan.from_people(people, protected=[*TERRITORY_NAMES.values(), *ACTOR_NAMES.values()])


def test_publish_replaces_the_site_whole_and_keeps_what_a_person_edited(tmp_path):
    out = tmp_path / "reports"
    out.mkdir()
    index = publish_site(_Corpus(), out, resources=synthetic_resources(), links=LINKS)
    assert index == out / SITE_FOLDER / "index.html" and index.is_file()
    assert not (out / ".mesra-tmp").exists() or not any((out / ".mesra-tmp").iterdir())
    edited = out / SITE_FOLDER / "veille-test.html"
    edited.write_text(edited.read_text("utf-8") + "<!-- ma note -->", encoding="utf-8")
    (out / SITE_FOLDER / "a-moi.txt").write_text("mes notes", encoding="utf-8")
    moved: list = []
    publish_site(_Corpus(), out, resources=synthetic_resources()[:2], links=LINKS, moved=moved)
    assert sorted(p.name for p in (out / SITE_FOLDER).glob("*.html")) == sorted(
        ["index.html", "outil-grille-test.html", "outil-mesure-test.html"]
    )
    assert sorted(rel for rel, _ in moved) == ["ressources/a-moi.txt", "ressources/veille-test.html"]
    kept = [out / backup for _, backup in moved]
    assert all(p.is_file() for p in kept)
    assert any("ma note" in p.read_text("utf-8") for p in kept)


def test_a_file_at_the_sites_name_is_set_aside_not_lost(tmp_path):
    out = tmp_path / "reports"
    out.mkdir()
    (out / SITE_FOLDER).write_text("mes ressources à moi", encoding="utf-8")
    moved: list = []
    publish_site(_Corpus(), out, resources=synthetic_resources(), links={}, moved=moved)
    assert (out / SITE_FOLDER / "index.html").is_file()
    assert [rel for rel, _ in moved] == [SITE_FOLDER]
    assert (out / moved[0][1]).read_text("utf-8") == "mes ressources à moi"


def test_a_page_with_a_real_name_is_never_published(tmp_path):
    out = tmp_path / "reports"
    out.mkdir()
    publish_site(_Corpus(), out, resources=synthetic_resources()[:2], links={}, scan=_scan(), pseudonymised=True)
    before = {p.name: p.read_bytes() for p in (out / SITE_FOLDER).iterdir()}
    # the synthetic portrait of Asso Alpha names "Camille Testeur" (a synthetic person)
    with pytest.raises(MesraError, match="nom de personne .* n’est pas publié"):
        publish_site(_Corpus(), out, resources=synthetic_resources(), links={}, scan=_scan(), pseudonymised=True)
    assert {p.name: p.read_bytes() for p in (out / SITE_FOLDER).iterdir()} == before  # the previous site stays
    assert "pseudonymes" in (out / SITE_FOLDER / "index.html").read_text("utf-8")


def test_brief_links_read_the_manifests_of_the_output_folder(tmp_path, monkeypatch):
    checked = {
        "a": (
            "p",
            {
                "territoire": "occitanie",
                "carnet": "04-note",
                "titre": "Note",
                "rapport": {
                    "fichiers": {
                        "territoires/occitanie/04-note.html": "x",
                        "territoires/occitanie/04-note.code.html": "y",
                    }
                },
            },
        ),
        "b": (
            "p",
            {
                "territoire": "occitanie",
                "carnet": "03-reseau",
                "titre": "Réseau",
                "rapport": {"fichiers": {"territoires/occitanie/03-reseau.html": "x"}},
            },
        ),
        "c": ("p", {"territoire": None, "carnet": "01-vue", "rapport": {"fichiers": {"corpus/01-vue.html": "x"}}}),
        "d": ("p", {"territoire": "herault", "carnet": "04-note", "echec": {"fichiers": {}}}),
    }
    monkeypatch.setattr("mesra.batch.manifest.scan", lambda out: checked)
    assert site.brief_links(tmp_path) == {
        "occitanie": (
            BriefLink("Réseau", "territoires/occitanie/03-reseau.html"),
            BriefLink("Note", "territoires/occitanie/04-note.html"),
        )
    }


# --- from a brief back to the resources -------------------------------------------------------------
def test_a_brief_links_back_to_the_resources_it_names():
    named = named_by(synthetic_resources(), {"asso-alpha"}, {"jardin"})
    assert named == []  # the synthetic resources carry no extra["acteur_id"]: nothing is guessed
    tagged = [
        Resource("outil-x", "outil", "Outil <X>", extra={"acteur_id": "x"}),
        Resource("portrait-a", "portrait", "Asso A", extra={"acteur_id": "a"}),
        Resource("initiative-m", "initiative", "Jardin", extra={"monographie": "m", "acteur_id": None}),
        Resource("portrait-z", "portrait", "Ailleurs", extra={"acteur_id": "z"}),
    ]
    named = named_by(tagged, {"x", "a"}, {"m"})
    assert [r.ressource_id for r in named] == ["outil-x", "initiative-m", "portrait-a"]
    links = ResourceLinks("occitanie", "Occitanie", (("outil", (("Outil <X>", "outil-x"),)),))
    shown = links._repr_html_()
    assert '<a href="../../ressources/outil-x.html">Outil &lt;X&gt;</a>' in shown
    assert 'href="../../ressources/index.html#territoire=occitanie"' in shown
    from mesra.batch.render import sanitize_html

    assert 'href="../../ressources/outil-x.html"' in sanitize_html(shown)  # the reader page keeps the link


# --- mesra ressources, on a small corpus (tests/fixtures/mini: SYNTHETIC) ------------------------------
def test_mesra_ressources_builds_the_centre_of_a_corpus_alone(mini_dir, tmp_path, capsys):
    from mesra.cli import main

    out = tmp_path / "sortie"
    assert main(["ressources", "--data", str(mini_dir), "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert "Centre de ressources :" in said and str(out / SITE_FOLDER / "index.html") in said
    pages = sorted(p.name for p in (out / SITE_FOLDER).glob("*.html"))
    assert "index.html" in pages and "portrait-reseau-alpha.html" in pages
    assert external_loads(out / SITE_FOLDER) == []
    assert not (out / "index.html").exists()  # the briefs' index is the batch's: not written here
    page = (out / SITE_FOLDER / "portrait-reseau-alpha.html").read_text("utf-8")
    assert 'href="../index.html"' not in page  # no link to a page that does not exist
    assert "Jeanne" in page or "MARTIN" in page.upper()  # not pseudonymised: the person of the portrait shows


def test_mesra_ressources_pseudonymised_shows_no_real_name(mini_dir, tmp_path):
    from mesra.cli import main
    from mesra.corpus.load import load_corpus

    out = tmp_path / "sortie"
    assert main(["ressources", "--data", str(mini_dir), "--out", str(out), "--pseudonymiser"]) == 0
    scan = NameScan.from_corpus(load_corpus(mini_dir))
    pages = sorted((out / SITE_FOLDER).glob("*.html"))
    assert len(pages) > 3
    for page in pages:
        text = page.read_text("utf-8")
        assert scan.find(text) is None, page.name
        assert "martin" not in text.lower(), page.name
    assert "pseudonymes" in (out / SITE_FOLDER / "index.html").read_text("utf-8")


def test_mesra_ressources_refuses_an_invalid_corpus_and_writes_nothing(mini_dir, tmp_path, capsys):
    from mesra.cli import main

    (mini_dir / "acteurs.csv").write_text("acteur_id,nom\n,sans identifiant\n", encoding="utf-8")
    out = tmp_path / "sortie"
    assert main(["ressources", "--data", str(mini_dir), "--out", str(out)]) == 1
    assert "aucune ressource produite" in capsys.readouterr().out
    assert not out.exists()


def test_the_reports_index_links_to_the_resource_centre():
    from datetime import datetime

    from mesra.batch.render import render_index

    common = {"corpus_hash": "x", "version": "0", "generated": datetime(2026, 1, 1)}
    linked = render_index([], [], resources_href="ressources/index.html", **common)
    assert '<a href="ressources/index.html"><strong>Centre de ressources du réseau</strong></a>' in linked
    assert "Centre de ressources" not in render_index([], [], **common)


# --- the default corpus's centre ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def default_site(tmp_path_factory) -> Path:
    from mesra.batch.site import run_site

    out = tmp_path_factory.mktemp("rapports")
    run_site(None, out)
    return out


def test_the_default_centre_reads_as_french_prose_and_loads_nothing(default_site):
    from test_reader_pages import _problems

    pages = sorted((default_site / SITE_FOLDER).glob("*.html"))
    assert len(pages) > 100
    found = [problem for page in pages for problem in _problems(page, default_site)]
    assert not found, "\n".join(found[:20])
    assert external_loads(default_site / SITE_FOLDER) == []


def test_every_link_of_the_default_centre_resolves_inside_it(default_site):
    from html.parser import HTMLParser

    hrefs: list[tuple[Path, str]] = []

    class Links(HTMLParser):
        def __init__(self, page):
            super().__init__()
            self.page = page

        def handle_starttag(self, tag, attrs):
            if tag == "a":
                hrefs.extend((self.page, v) for k, v in attrs if k == "href" and v)

    for page in sorted((default_site / SITE_FOLDER).glob("*.html")):
        Links(page).feed(page.read_text("utf-8"))
    local = [(p, h) for p, h in hrefs if not h.startswith(("http://", "https://", "#"))]
    assert len(local) > 500
    missing = sorted({h for p, h in local if not (p.parent / h.split("#")[0]).resolve().is_file()})
    assert missing == []  # no brief here (no batch): no link to one either


def test_the_index_filter_on_a_territory_finds_what_lies_below_it(tmp_path):
    """Ninth reading: the Gard's note linked to « #territoire=gard », which no resource had, and the filter
    showed the whole centre. A resource placed in the Gard is found from the Gard, Occitanie and France."""
    import json
    import re

    import mesra
    from mesra.analysis.resources.derive import derive
    from mesra.batch import site

    corpus = mesra.load_corpus()
    names = site._names_of(corpus)
    site.build_site(derive(corpus), tmp_path, **names)
    index = (tmp_path / site.SITE_FOLDER / "index.html").read_text(encoding="utf-8")
    options = set(re.findall(r'<option value="([^"]+)"', index))
    assert {"gard", "occitanie", "fr", "pas-de-calais", "provence-alpes-cote-d-azur"} <= options
    item = re.search(r'<li data-id="initiative-terres-de-convergence"[^>]*data-territoire="([^"]+)"', index)
    assert item and {"gard", "occitanie", "fr"} <= set(json.loads(item.group(1).replace("&#34;", '"')))


def test_a_resource_s_footnotes_give_the_printed_page_and_its_hover_the_line(tmp_path):
    """Twenty-ninth reading: a coordinator holds the printed proceedings; the resource centre says « p. 20 » as the
    notes do (``sources/pages.csv``), the line one hover away."""
    import mesra
    from mesra.analysis.resources.derive import derive

    corpus = mesra.load_corpus()
    site.build_site(derive(corpus), tmp_path, **site._names_of(corpus))
    page = (tmp_path / site.SITE_FOLDER / "outil-evalumip.html").read_text(encoding="utf-8")
    # EVALUMIP, developed by the MES Occitanie (L548-550, p. 20)
    assert re.search(r"<li>\[\d+\] « [^<]*» \(p\. 20\)</li>", page), page[-3000:]
    assert re.search(r'title="[^"]*ligne 550, p\. 20\)"', page)  # on hover, the line too
