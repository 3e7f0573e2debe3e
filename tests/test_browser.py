"""Browser check: headless Chromium opens the reports from the file system.

Chromium is driven over the DevTools protocol (``--remote-debugging-port`` and a
websocket client): every image must have loaded (``naturalWidth > 0``), no console
error or uncaught exception may occur, and a screenshot of each page is saved
under the test's tmp dir. Without Chromium (Debian package ``chromium``, which
``.ci/run`` installs) the tests are skipped with the reason.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import nbformat
import pytest

from mesra.batch.run import run_briefs

pytestmark = pytest.mark.browser


def _chromium() -> str:
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    pytest.skip(
        "Chromium introuvable (paquet Debian « chromium », installé par .ci/run) : "
        "vérification dans le navigateur non faite"
    )


class Browser:
    """A headless Chromium and one page, over the DevTools protocol."""

    def __init__(self, executable: str, profile: Path):
        websocket = pytest.importorskip("websocket", reason="websocket-client manquant (dépendance de dev)")
        profile.mkdir(parents=True, exist_ok=True)
        self.proc = subprocess.Popen(
            [
                executable,
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
        self.ws = websocket.create_connection(f"ws://127.0.0.1:{port}{path}", timeout=60, suppress_origin=True)
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
