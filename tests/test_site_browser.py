"""The resource centre in headless Chromium, from ``file://`` with the network disabled.

The index loads (MiniSearch inlined, its data embedded), a search for "évaluation" lists the
evaluation tools, a facet narrows the list, a resource's links to the briefs resolve, and no page
requests anything but files of the site. The first tests use SYNTHETIC resources
(tests/resource_fixtures.py); the last one builds the default corpus's site with ``mesra ressources``.
Without Chromium these tests fail (never skip), as tests/test_browser.py does.
"""

from __future__ import annotations

import base64
import json
import re
import time
from pathlib import Path

import pytest
from resource_fixtures import ACTOR_NAMES, TERRITORY_NAMES, synthetic_resources
from test_browser import Browser, _chromium, _pump

from mesra.batch.site import SITE_FOLDER, BriefLink, build_site

pytestmark = pytest.mark.browser

#: No name resolves and the browser is offline: a page that tried to fetch from a web address would fail.
OFFLINE = ("--host-resolver-rules=MAP * ~NOTFOUND", "--disable-background-networking")


@pytest.fixture
def offline(tmp_path):
    b = Browser(_chromium(), tmp_path / "profil-chromium", extra_args=OFFLINE)
    try:
        b.send("Network.enable", session=True)
        b.send(
            "Network.emulateNetworkConditions",
            {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
            session=True,
        )
        yield b
    finally:
        b.close()


def _eval(b: Browser, expression: str):
    reply = b.send("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session=True)
    if "exceptionDetails" in reply:
        raise AssertionError(f"{expression}: {reply['exceptionDetails']}")
    return reply["result"].get("value")


def _load(b: Browser, page: Path) -> list[str]:
    """Open ``page``; return the URLs the browser requested while loading it, and fail on a script error."""
    b.events.clear()
    b.send("Page.navigate", {"url": page.resolve().as_uri()}, session=True)
    _pump(b, 60, until="Page.loadEventFired")
    _pump(b, 0.5)
    errors = [
        e["params"].get("exceptionDetails", {}).get("text", "exception")
        for e in b.events
        if e.get("method") == "Runtime.exceptionThrown"
    ]
    errors += [
        e["params"]["entry"].get("text", "")
        for e in b.events
        if e.get("method") == "Log.entryAdded" and e["params"].get("entry", {}).get("level") == "error"
    ]
    assert errors == [], f"{page.name}: {errors}"
    return [e["params"]["request"]["url"] for e in b.events if e.get("method") == "Network.requestWillBeSent"]


def _shown(b: Browser) -> list[str]:
    return _eval(b, "Array.from(document.querySelectorAll('#liste > li:not([hidden])')).map(li => li.dataset.id)")


def _search(b: Browser, text: str) -> list[str]:
    _eval(
        b,
        f"(() => {{ const i = document.getElementById('recherche'); i.value = {json.dumps(text)};"
        " i.dispatchEvent(new Event('input')); })()",
    )
    return _shown(b)


def _facet(b: Browser, key: str, value: str) -> list[str]:
    _eval(
        b,
        f"(() => {{ const s = document.getElementById('filtre-{key}'); s.value = {json.dumps(value)};"
        " s.dispatchEvent(new Event('change')); })()",
    )
    return _shown(b)


def _only_local(requests: list[str], root: Path) -> list[str]:
    """The requests that are not files of ``root`` (nor inline data)."""
    base = root.resolve().as_uri()
    return [u for u in requests if not (u.startswith(base + "/") or u.startswith("data:"))]


@pytest.fixture
def synthetic_site(tmp_path) -> Path:
    out = tmp_path / "reports"
    brief = out / "territoires" / "occitanie" / "04-note.html"
    brief.parent.mkdir(parents=True)
    brief.write_text(
        "<!DOCTYPE html><html lang='fr'><head><meta charset='utf-8'><title>Note Occitanie (synthétique)</title>"
        "</head><body><p>Note synthétique.</p></body></html>",
        encoding="utf-8",
    )
    (out / "index.html").write_text("<!DOCTYPE html><title>Notes (synthétique)</title>", encoding="utf-8")
    build_site(
        synthetic_resources(),
        out,
        brief_links={"occitanie": (BriefLink("Note de recherche-action", "territoires/occitanie/04-note.html"),)},
        territoires=TERRITORY_NAMES,
        acteurs=ACTOR_NAMES,
        sources={"source-synthetique": "Source synthétique"},
        reports_index=True,
    )
    return out


def test_the_index_searches_and_filters_offline(offline, synthetic_site):
    index = synthetic_site / SITE_FOLDER / "index.html"
    requests = _load(offline, index)
    assert _eval(offline, "document.documentElement.dataset.pret") == "1"  # the script ran to its end
    everything = sorted(r.ressource_id for r in synthetic_resources())
    assert sorted(_shown(offline)) == everything
    # the full-text search, accents and case folded: the two evaluation tools, nothing else
    assert sorted(_search(offline, "évaluation")) == ["outil-grille-test", "outil-mesure-test"]
    assert sorted(_search(offline, "EVALUATION")) == ["outil-grille-test", "outil-mesure-test"]
    assert _eval(offline, "document.getElementById('compte').textContent") == "2 ressources sur 7"
    # a facet narrows the search, then the list
    assert _facet(offline, "territoire", "hauts-de-france") == ["outil-mesure-test"]
    _search(offline, "")
    assert sorted(_shown(offline)) == ["outil-generateur-test", "outil-mesure-test", "portrait-reseau-beta"]
    assert sorted(_facet(offline, "type", "outil")) == ["outil-generateur-test", "outil-mesure-test"]
    assert _facet(offline, "axe", "3") == ["outil-generateur-test"]
    for key in ("type", "territoire", "axe"):
        _facet(offline, key, "")
    assert sorted(_facet(offline, "echelon", "national")) == ["portrait-reseau-beta", "veille-test"]
    _facet(offline, "echelon", "")
    assert _facet(offline, "theme", 'Alimentation durable, "circuits" | courts') == ["initiative-jardin-test"]
    assert _only_local(requests, synthetic_site) == []


def test_a_filtered_index_opens_from_a_link(offline, synthetic_site):
    index = synthetic_site / SITE_FOLDER / "index.html"
    offline.events.clear()
    offline.send("Page.navigate", {"url": index.resolve().as_uri() + "#territoire=occitanie&q=grille"}, session=True)
    _pump(offline, 60, until="Page.loadEventFired")
    _pump(offline, 0.3)
    assert _shown(offline) == ["outil-grille-test"]


def test_a_resource_links_to_its_briefs_and_portraits(offline, synthetic_site):
    page = synthetic_site / SITE_FOLDER / "outil-grille-test.html"
    requests = _load(offline, page)
    links = _eval(offline, "Array.from(document.querySelectorAll('a.note-territoire')).map(a => a.href)")
    assert links == [(synthetic_site / "territoires" / "occitanie" / "04-note.html").resolve().as_uri()]
    hover = _eval(offline, "document.querySelector('.mesra-cite').title")
    assert hover.startswith("« La grille sert à évaluer")
    # printed, the footnotes show; on screen they do not
    assert _eval(offline, "getComputedStyle(document.querySelector('ol.mesra-footnotes')).display") == "none"
    offline.send("Emulation.setEmulatedMedia", {"media": "print"}, session=True)
    assert _eval(offline, "getComputedStyle(document.querySelector('ol.mesra-footnotes')).display") == "block"
    offline.send("Emulation.setEmulatedMedia", {"media": ""}, session=True)
    pdf = base64.b64decode(offline.send("Page.printToPDF", {"preferCSSPageSize": True}, session=True)["data"])
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 1, "une ressource imprimée tient sur une page A4"
    # every link of the page resolves to a file of the site
    for href in _eval(offline, "Array.from(document.querySelectorAll('a[href]')).map(a => a.href)"):
        assert href.startswith("file://"), href
        target = Path(href.removeprefix("file://").split("#")[0])
        assert target.is_file(), href
    # and the brief opens
    brief_requests = _load(offline, Path(links[0].removeprefix("file://")))
    assert _eval(offline, "document.title") == "Note Occitanie (synthétique)"
    assert _only_local(requests + brief_requests, synthetic_site) == []


def test_the_default_corpus_centre_finds_its_evaluation_tools(offline, tmp_path):
    from mesra.cli import main

    out = tmp_path / "reports"
    started = time.perf_counter()
    assert main(["ressources", "--out", str(out)]) == 0
    built = time.perf_counter() - started
    index = out / SITE_FOLDER / "index.html"
    requests = _load(offline, index)
    found = _search(offline, "évaluation")
    tools = [rid for rid in found if rid.startswith("outil-")]
    assert "outil-evalumip" in tools, found
    for rid in tools:  # each found tool's page says it is about evaluation
        text = (out / SITE_FOLDER / f"{rid}.html").read_text("utf-8").lower()
        assert "évaluation" in text or "evaluation" in text, rid
    assert _facet(offline, "type", "outil") == tools
    # a theme (a label with spaces and accents) narrows the whole list
    _search(offline, "")
    _facet(offline, "type", "")
    everything = _shown(offline)
    theme = _eval(
        offline,
        "Array.from(document.getElementById('filtre-theme').options).map(o => o.value)"
        ".find(v => v.includes('valuation'))",
    )
    assert theme and " " in theme
    narrowed = _facet(offline, "theme", theme)
    assert "outil-evalumip" in narrowed and 0 < len(narrowed) < len(everything)
    for rid in tools[:3]:
        requests += _load(offline, out / SITE_FOLDER / f"{rid}.html")
    assert _only_local(requests, out) == []
    assert built < 120, f"{built:.0f} s pour construire le centre de ressources"
