"""Browser check: headless Chromium opens the reports from the file system.

Chromium is driven over the DevTools protocol (``--remote-debugging-port`` and a
websocket client): every image must have loaded (``naturalWidth > 0``), no console
error or uncaught exception may occur, and a screenshot of each page is saved
under the test's tmp dir. Without Chromium (Debian package ``chromium``, which
``.ci/run`` installs) the tests fail with the reason: a missing browser never passes
for a checked page.

A second test renders the public XSS corpus of ``tests/fixtures/xss`` through the
sanitiser into one page and checks that Chromium runs no script and requests
nothing while it loads it.
"""

from __future__ import annotations

import base64
import contextlib
import http.server
import json
import os
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

import nbformat
import pytest

from mesra.batch.render import write_html
from mesra.batch.run import run_briefs

pytestmark = pytest.mark.browser


def _chromium() -> str:
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    pytest.fail(
        "Chromium introuvable : installez le paquet Debian « chromium » (apt-get install chromium ; "
        ".ci/run l'installe) ; la vérification dans le navigateur ne peut pas être faite sans lui",
        pytrace=False,
    )


class Browser:
    """A headless Chromium and one page, over the DevTools protocol."""

    def __init__(self, executable: str, profile: Path, extra_args: tuple[str, ...] = ()):
        import websocket  # websocket-client, a dev dependency (pyproject.toml)

        profile.mkdir(parents=True, exist_ok=True)
        self.proc = subprocess.Popen(
            [
                executable,
                *extra_args,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={profile}",
                "--remote-debugging-port=0",
                "--window-size=1280,900",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # Debian's /usr/bin/chromium is a wrapper script: stop the whole group
        )
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 60
        while not (port_file.exists() and len(port_file.read_text().splitlines()) >= 2):
            if time.monotonic() > deadline or self.proc.poll() is not None:
                self.close()
                pytest.fail("Chromium n'a pas ouvert son port de débogage")
            time.sleep(0.1)
        port, path = port_file.read_text().splitlines()[:2]
        try:
            self.ws = websocket.create_connection(f"ws://127.0.0.1:{port}{path}", timeout=60, suppress_origin=True)
        except Exception:  # a stale port file, a refused connection: do not leave Chromium running
            self.close()
            raise
        self.next_id = 0
        self.events: list[dict] = []
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.send(f"{domain}.enable", session=True)

    def send(self, method: str, params: dict | None = None, *, session: bool = False) -> dict:
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self.session
        self.ws.send(json.dumps(message))
        while True:
            reply = json.loads(self.ws.recv())
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str, timeout: float = 60) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for i, event in enumerate(self.events):
                if event.get("method") == method:
                    return self.events.pop(i)
            self.ws.settimeout(max(0.1, deadline - time.monotonic()))
            self.events.append(json.loads(self.ws.recv()))
        raise TimeoutError(method)

    def open(self, path: Path, screenshot: Path) -> dict:
        """Load ``path`` via file://; return its images and the errors seen."""
        self.events.clear()
        self.send("Page.navigate", {"url": path.resolve().as_uri()}, session=True)
        try:
            self.wait_for("Page.loadEventFired", timeout=30)
        except Exception as exc:  # websocket timeout
            raise AssertionError(f"{path} ne finit pas de se charger en 30 s (ressource réseau attendue ?)") from exc
        images = self.send(
            "Runtime.evaluate",
            {
                "expression": """
                Promise.all(Array.from(document.images).map(img => img.complete ? null :
                    new Promise(done => { img.onload = img.onerror = done; })))
                .then(() => Array.from(document.images).map(img => ({
                    src: img.src.slice(0, 60), width: img.naturalWidth, alt: img.alt})))""",
                "awaitPromise": True,
                "returnByValue": True,
            },
            session=True,
        )["result"]["value"]
        time.sleep(0.3)  # late console messages
        self.send("Runtime.evaluate", {"expression": "1"}, session=True)  # flush pending events
        errors = []
        for event in self.events:
            params = event.get("params", {})
            if event.get("method") == "Runtime.exceptionThrown":
                errors.append(params.get("exceptionDetails", {}).get("text", "exception"))
            elif event.get("method") == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                errors.append(" ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", [])))
            elif event.get("method") == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
                errors.append(f"{params['entry'].get('text')} {params['entry'].get('url', '')}")
        metrics = self.send("Page.getLayoutMetrics", session=True)
        size = metrics.get("cssContentSize") or metrics["contentSize"]
        shot = self.send(
            "Page.captureScreenshot",
            {
                "format": "png",
                "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": size["width"], "height": min(size["height"], 6000), "scale": 1},
            },
            session=True,
        )
        screenshot.write_bytes(base64.b64decode(shot["data"]))
        title = self.send("Runtime.evaluate", {"expression": "document.title", "returnByValue": True}, session=True)[
            "result"
        ]["value"]
        return {"images": images, "errors": errors, "title": title}

    def close(self) -> None:
        ws = getattr(self, "ws", None)
        if ws is not None:
            ws.close()
        for sig in (signal.SIGTERM, signal.SIGKILL):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, sig)
            try:
                self.proc.wait(timeout=20)
                break
            except subprocess.TimeoutExpired:  # pragma: no cover
                continue


@pytest.fixture
def browser(tmp_path):
    b = Browser(_chromium(), tmp_path / "profil-chromium")
    yield b
    b.close()


def _notebooks(folder: Path) -> Path:
    folder.mkdir()
    params = 'data: str = ""  # corpus\npseudonymiser: bool = False  # pseudonymes'
    load = "import mesra\ncorpus = mesra.load_corpus(data or None, pseudonymiser=pseudonymiser)"
    figure = (
        "%matplotlib inline\nimport matplotlib.pyplot as plt\n"
        "fig, ax = plt.subplots(figsize=(4, 3))\n"
        "ax.bar(corpus.acteurs['type'].value_counts().index, corpus.acteurs['type'].value_counts())\n"
        "ax.set_title('Acteurs par type')\nplt.show()"
    )
    for name, extra, title in (
        ("01-vue", "", "Vue d'ensemble"),
        ("04-note", '\nterritoire: str = "occitanie"  # territoire', "Note"),
    ):
        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nb.cells = [
            nbformat.v4.new_markdown_cell(f"# {title}\n\nTexte d'introduction."),
            nbformat.v4.new_code_cell(params + extra, metadata={"tags": ["parameters"]}),
            nbformat.v4.new_code_cell(load),
            nbformat.v4.new_code_cell(figure),
            nbformat.v4.new_code_cell("corpus.acteurs"),
        ]
        nbformat.write(nb, folder / f"{name}.ipynb")
    return folder


def _check_pages(browser: Browser, out: Path, pages: list[Path], shots: Path) -> None:
    shots.mkdir(exist_ok=True)
    for page in pages:
        seen = browser.open(page, shots / f"{page.parent.name}-{page.stem}.png")
        assert seen["errors"] == [], f"{page}: {seen['errors']}"
        broken = [img for img in seen["images"] if img["width"] <= 0]
        assert broken == [], f"{page}: images non chargées {broken}"
        assert (shots / f"{page.parent.name}-{page.stem}.png").stat().st_size > 1000
        if page.name != "index.html":
            assert seen["images"], f"{page}: aucune figure"


def test_index_and_a_brief_open_from_the_file_system(browser, mini_dir, tmp_path):
    out = tmp_path / "rapports"
    result = run_briefs(
        mini_dir,
        out,
        notebooks_dir=_notebooks(tmp_path / "carnets"),
        territoires=["occitanie"],
        workers=1,
        progress=False,
    )
    assert result.ok, result.summary()
    pages = [
        out / "index.html",
        out / "territoires" / "occitanie" / "04-note.html",
        out / "territoires" / "occitanie" / "04-note.code.html",
        out / "corpus" / "01-vue.html",
    ]
    _check_pages(browser, out, pages, tmp_path / "captures")
    seen = browser.open(out / "index.html", tmp_path / "captures" / "index-2.png")
    assert seen["title"] == "Notes de recherche-action — mesra"


@pytest.mark.slow
def test_real_brief_opens_from_the_file_system(browser, tmp_path):
    """The real notebooks on the default corpus, one territory."""
    out = tmp_path / "rapports"
    result = run_briefs(out=out, territoires=["occitanie"], workers=2, progress=False)
    assert result.ok, result.summary()
    pages = [out / "index.html"] + sorted((out / "territoires" / "occitanie").glob("*.html"))
    _check_pages(browser, out, pages, tmp_path / "captures")
    brief = out / "territoires" / "occitanie" / "04-note-recherche-action.html"
    images = browser.send(
        "Runtime.evaluate",
        {"expression": "Array.from(document.images).filter(i => i.naturalWidth > 0).length", "returnByValue": True},
        session=True,
    )["result"]["value"]
    # the map, the network and the plan's calendar, all loaded (no bar chart repeats a table: issue 21)
    assert images >= 3
    # the page prints on A4 through its print stylesheet, in Chromium too
    browser.open(brief, tmp_path / "captures" / "note-imprimee.png")
    pdf = base64.b64decode(
        browser.send(
            "Page.printToPDF", {"paperWidth": 8.27, "paperHeight": 11.69, "printBackground": True}, session=True
        )["data"]  # fmt: skip
    )
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") > 2


# --- the XSS corpus in a browser ---------------------------------------------------------------
XSS_VECTORS = json.loads((Path(__file__).parent / "fixtures" / "xss" / "vectors.json").read_text(encoding="utf-8"))
#: Positive control, unsanitised: each detector below must see these run or fetch.
CONTROL = ("mesra-001", "mesra-003", "mesra-004", "mesra-011", "owasp-010")


class _Tracker(http.server.ThreadingHTTPServer):
    """A local HTTP server that records every path requested from it."""

    def __init__(self):
        self.paths: list[str] = []
        tracker = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                tracker.paths.append(self.path)
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server_address[1]}"


@pytest.fixture
def tracker():
    server = _Tracker()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _corpus_notebook(tracker_url: str) -> nbformat.NotebookNode:
    """Every vector as the output of a cell (HTML or Markdown), the Markdown ones also
    in a Markdown cell, and one in a raw HTML cell: all the ways into a page."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells.append(nbformat.v4.new_markdown_cell("# Corpus XSS"))
    outputs = []
    for vector in XSS_VECTORS:
        payload = vector["payload"].replace("{TRACKER}", tracker_url)
        mime = "text/markdown" if vector["kind"] == "markdown" else "text/html"
        outputs.append(nbformat.v4.new_output("display_data", data={mime: payload, "text/plain": vector["id"]}))
        if vector["kind"] == "markdown":
            nb.cells.append(nbformat.v4.new_markdown_cell(payload))
    cell = nbformat.v4.new_code_cell("afficher(vecteurs)", execution_count=1)
    cell.outputs = outputs
    nb.cells.append(cell)
    raw = XSS_VECTORS[0]["payload"] + '<img src="' + tracker_url + '/raw-cell.png">'
    nb.cells.append(nbformat.v4.new_raw_cell(raw, metadata={"raw_mimetype": "text/html"}))
    return nb


def _pump(browser: Browser, seconds: float, until: str | None = None) -> None:
    """Read DevTools events for ``seconds`` (or until event ``until``), dismissing any
    JavaScript dialog so that a page that calls ``alert`` does not hang."""
    deadline = time.monotonic() + seconds
    seen = 0
    while time.monotonic() < deadline:
        while seen < len(browser.events):  # send() below may append events: read them all
            method = browser.events[seen].get("method")
            seen += 1
            if method == "Page.javascriptDialogOpening":
                with contextlib.suppress(RuntimeError):  # already closed by a navigation
                    browser.send("Page.handleJavaScriptDialog", {"accept": False}, session=True)
            if until and method == until:
                return
        browser.ws.settimeout(max(0.05, deadline - time.monotonic()))
        try:
            browser.events.append(json.loads(browser.ws.recv()))
        except Exception:  # websocket timeout: nothing more to read
            continue
    if until:
        raise AssertionError(f"{until} non reçu en {seconds} s")


def _visit(browser: Browser, page: Path) -> dict:
    """Load ``page`` and report what ran and what was requested while it loaded."""
    browser.events.clear()
    browser.send("Page.navigate", {"url": page.resolve().as_uri()}, session=True)
    _pump(browser, 60, until="Page.loadEventFired")
    _pump(browser, 1.5)  # late onerror/onload handlers and image requests
    seen = {"dialogs": [], "scripts": 0, "requests": []}
    for event in browser.events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Page.javascriptDialogOpening":
            seen["dialogs"].append(params.get("message", ""))
        elif method == "Debugger.scriptParsed":
            seen["scripts"] += 1
        elif method == "Network.requestWillBeSent":
            seen["requests"].append(params["request"]["url"])
    return seen


# Run in the page after the load (so not counted above): what the browser built from the
# sanitised HTML, element by element, must have no handler, no active element and no URL
# that loads anything but an embedded image.
_DOM_CHECK = """
(() => {
  const bad = [];
  const banned = new Set(['script','iframe','frame','frameset','object','embed','applet','base','meta','link','form',
    'style','svg','math','input','button','textarea','select','video','audio','source','track','picture','template',
    'noscript','xmp','listing','noembed','image','animate','set','use']);
  const urls = ['src','srcset','poster','background','xlink:href','href','action','formaction','data','ping','lowsrc',
    'dynsrc','values','from','to'];
  for (const el of document.querySelectorAll('*')) {  // not document.body: a vector may have replaced it
    const tag = el.localName;
    if (tag === 'html' || tag === 'head' || tag === 'body' || el.closest('head')) continue;
    if (banned.has(tag)) bad.push('<' + tag + '>');
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith('on')) bad.push(tag + '[' + name + ']');
      if (!urls.includes(name)) continue;
      const url = new URL(attr.value, document.baseURI);
      const image = url.protocol === 'data:' && attr.value.trim().startsWith('data:image/');
      const link = ['http:', 'https:', 'mailto:', 'file:'].includes(url.protocol);
      const ok = (tag === 'img' && name === 'src' && image) || (tag === 'a' && name === 'href' && link);
      if (!ok) bad.push(tag + '[' + name + ']=' + attr.value.slice(0, 60));
    }
    if (el.style) for (let i = 0; i < el.style.length; i++)
      if (!['text-align', 'vertical-align'].includes(el.style[i])) bad.push(tag + ' style ' + el.style[i]);
  }
  return bad;
})()
"""


@pytest.mark.slow
def test_xss_corpus_runs_nothing_and_fetches_nothing(tmp_path, tracker):
    browser = Browser(
        _chromium(),
        tmp_path / "profil-chromium",
        # no DNS: a vector that points to a public host is seen trying, never reaches it
        extra_args=("--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",),
    )
    try:
        for domain in ("Network", "Debugger"):
            browser.send(f"{domain}.enable", session=True)

        control = tmp_path / "temoin.html"
        by_id = {v["id"]: v for v in XSS_VECTORS}
        control.write_text(
            "<!DOCTYPE html><html><body>"
            + "".join(by_id[i]["payload"].replace("{TRACKER}", tracker.url) for i in CONTROL)
            + "</body></html>",
            encoding="utf-8",
        )
        seen = _visit(browser, control)
        assert seen["dialogs"] and seen["scripts"] > 0, seen
        assert {"/mxss-svg-style", "/onerror", "/image-http.png", "/import.css"} <= set(tracker.paths), tracker.paths
        tracker.paths.clear()

        page = write_html(_corpus_notebook(tracker.url), tmp_path / "corpus-xss.html", code=False)
        seen = _visit(browser, page)
        assert seen["dialogs"] == [] and seen["scripts"] == 0, seen
        assert [url for url in seen["requests"] if not url.startswith(("file:", "data:"))] == []
        assert tracker.paths == []
        bad = browser.send("Runtime.evaluate", {"expression": _DOM_CHECK, "returnByValue": True}, session=True)
        assert bad["result"]["value"] == []
        shot = browser.send("Page.captureScreenshot", {"format": "png"}, session=True)
        (tmp_path / "corpus-xss.png").write_bytes(base64.b64decode(shot["data"]))
    finally:
        browser.close()
