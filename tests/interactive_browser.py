"""Driving the interactive network view in headless Chromium (tests and ``benchmarks/interactive_view.py``).

Chromium runs with software WebGL (SwiftShader) and no name resolution: a request to any host
fails, and every request the page makes is logged (``Network.requestWillBeSent``).
"""

from __future__ import annotations

import base64
import io
import json
import time
from pathlib import Path

from test_browser import Browser, _chromium

#: Software WebGL (no GPU on the test machines) and no DNS: nothing leaves the machine.
ARGS = (
    "--enable-unsafe-swiftshader",
    "--use-angle=swiftshader",
    "--enable-webgl",
    "--ignore-gpu-blocklist",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
)


def open_browser(profile: Path) -> Browser:
    browser = Browser(_chromium(), profile, extra_args=ARGS)
    browser.send("Network.enable", session=True)
    return browser


def evaluate(browser: Browser, expression: str, *, wait: bool = False):
    reply = browser.send(
        "Runtime.evaluate",
        {"expression": expression, "returnByValue": True, "awaitPromise": wait},
        session=True,
    )
    if "exceptionDetails" in reply:
        raise AssertionError(f"{expression[:80]}… : {reply['exceptionDetails']}")
    return reply["result"].get("value")


def load(browser: Browser, page: Path, timeout: float = 120) -> float:
    """Open ``page`` from the file system; seconds until the view has drawn its first frame."""
    browser.events.clear()
    start = time.monotonic()
    browser.send("Page.navigate", {"url": page.resolve().as_uri()}, session=True)
    browser.wait_for("Page.loadEventFired", timeout=timeout)
    evaluate(
        browser,
        "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))",
        wait=True,
    )
    return time.monotonic() - start


def problems(browser: Browser) -> tuple[list[str], list[str]]:
    """(errors and exceptions seen, URLs requested that are not the file itself or data:)."""
    browser.send("Runtime.evaluate", {"expression": "1"}, session=True)  # flush pending events
    errors, requests = [], []
    for event in browser.events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.exceptionThrown":
            errors.append(json.dumps(params.get("exceptionDetails", {}))[:400])
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            errors.append(" ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", [])))
        elif method == "Network.requestWillBeSent":
            url = params["request"]["url"]
            if not url.startswith("data:"):
                requests.append(url)
    return errors, requests


def painted_pixels(browser: Browser, selector: str = ".mesra-vue-graphe") -> int:
    """How many pixels of the drawing area differ from its background (a screenshot of it)."""
    from PIL import Image

    rect = evaluate(
        browser,
        f"(() => {{ const r = document.querySelector('{selector}').getBoundingClientRect();"
        "return {x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height}; })()",
    )
    shot = browser.send(
        "Page.captureScreenshot",
        {"format": "png", "captureBeyondViewport": True, "clip": {**rect, "scale": 1}},
        session=True,
    )
    import numpy as np

    image = np.asarray(Image.open(io.BytesIO(base64.b64decode(shot["data"]))).convert("RGB"), dtype=int)
    return int((np.abs(image - 252).max(axis=2) > 24).sum())  # background #fcfcfc


def frame_times(browser: Browser, frames: int = 30) -> list[float]:
    """Milliseconds of each of ``frames`` frames while the camera zooms (sigma redraws each frame)."""
    return evaluate(
        browser,
        f"""new Promise(done => {{
          const view = mesraViews[0], cam = view.sigma.getCamera(), times = [];
          let last = performance.now(), k = 0;
          function step() {{
            const now = performance.now();
            if (k > 0) times.push(now - last);
            last = now;
            if (k++ >= {frames}) return done(times);
            cam.setState({{ratio: 1 - 0.5 * Math.sin(k / 5), angle: 0, x: 0.5, y: 0.5}});  // sigma renders
            requestAnimationFrame(step);
          }}
          requestAnimationFrame(step);
        }})""",
        wait=True,
    )
