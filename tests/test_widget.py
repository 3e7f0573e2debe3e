"""``mesra.explore``: the widget's model round trip in a real kernel, over the Jupyter messaging protocol.

The test plays the front end: it reads the widget's state from the ``comm_open`` message the
kernel sends (the view's data, its ES module with the scripts inlined), sends back the update
message JupyterLab sends when a reader selects an actor, and reads ``widget.selection`` in the
kernel; a selection set in Python reaches the front end as an update.
"""

from __future__ import annotations

import json
import queue

import pytest

import mesra
from mesra.network import interactive


def _iopub(kc, until, timeout=60):
    """iopub messages up to the first for which ``until(msg)`` is true."""
    seen = []
    while True:
        try:
            msg = kc.get_iopub_msg(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"message attendu non reçu ; reçus : {[m['msg_type'] for m in seen]}") from None
        seen.append(msg)
        if until(msg):
            return seen


def _run(kc, code):
    msg_id = kc.execute(code)
    seen = _iopub(
        kc,
        lambda m: (
            m["parent_header"].get("msg_id") == msg_id
            and m["msg_type"] == "status"
            and m["content"]["execution_state"] == "idle"
        ),
    )
    errors = [m["content"] for m in seen if m["msg_type"] == "error"]
    assert not errors, errors
    return seen


@pytest.fixture
def kernel():
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name="python3")
    try:
        yield kc
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_widget_round_trip_in_a_kernel(kernel):
    kc = kernel
    seen = _run(
        kc,
        "import mesra\ncorpus = mesra.load_corpus()\ngraph = mesra.cooperation_graph(corpus, 'occitanie')\n"
        "w = mesra.explore(graph, corpus)\ndisplay(w)",
    )
    opens = [m for m in seen if m["msg_type"] == "comm_open" and m["content"]["target_name"] == "jupyter.widget"]
    state = next(m["content"]["data"]["state"] for m in opens if "selection" in m["content"]["data"]["state"])
    comm_id = next(m["content"]["comm_id"] for m in opens if "selection" in m["content"]["data"]["state"])
    g = mesra.cooperation_graph(mesra.load_corpus(), "occitanie")
    assert state["data"]["n"]["id"] == [str(n) for n in g.nodes]
    assert state["selection"] is None
    assert "mesraNetworkView" in state["_esm"] and "export default" in state["_esm"]
    assert "sourceMappingURL" not in state["_esm"]  # nothing for the front end to fetch
    assert any(m["msg_type"] == "display_data" for m in seen)

    # the front end: a reader clicks an actor; JupyterLab sends the new state to the kernel
    chosen = "mes-occitanie"
    assert chosen in g
    update = {"method": "update", "state": {"selection": chosen}, "buffer_paths": []}
    kc.session.send(kc.shell_channel.socket, kc.session.msg("comm_msg", {"comm_id": comm_id, "data": update}))
    seen = _run(kc, "import json\nprint(json.dumps(w.selection))")
    out = "".join(m["content"].get("text", "") for m in seen if m["msg_type"] == "stream")
    assert json.loads(out.strip().splitlines()[-1]) == chosen

    # and back: a selection set in Python is sent to the front end
    seen = _run(kc, "w.selection = 'cress-occitanie'")
    updates = [m["content"]["data"] for m in seen if m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == comm_id]
    assert {"method": "update", "state": {"selection": "cress-occitanie"}, "buffer_paths": []} in updates


def test_explore_without_kernel_builds_the_same_data():
    corpus = mesra.load_corpus()
    g = mesra.cooperation_graph(corpus, "occitanie")
    w = mesra.explore(g, corpus)
    assert w.data == json.loads(interactive.data_json(interactive.view_data(g, corpus)))
    assert w.selection is None


_HOST = """<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>widget</title></head><body>
<style>{css}</style>
<div id="w"></div>
<script type="application/json" id="esm">{esm}</script>
<script type="application/json" id="data">{data}</script>
<script type="module">
const esm = JSON.parse(document.getElementById("esm").textContent);
const state = {{data: JSON.parse(document.getElementById("data").textContent), selection: null}};
const handlers = {{}};
window.saved = [];
const model = {{
  get: (k) => state[k],
  set: (k, v) => {{ state[k] = v; }},
  save_changes: () => window.saved.push(state.selection),
  on: (event, f) => {{ (handlers[event] = handlers[event] || []).push(f); }},
}};
window.fromPython = (id) => {{ state.selection = id; (handlers["change:selection"] || []).forEach((f) => f()); }};
const url = URL.createObjectURL(new Blob([esm], {{type: "text/javascript"}}));
const widget = (await import(url)).default;
widget.render({{model, el: document.getElementById("w")}});
window.widgetReady = true;
</script></body></html>
"""


@pytest.mark.browser
def test_widget_module_in_chromium_sets_the_selection(tmp_path):
    """The widget's ES module as JupyterLab loads it (a blob URL), with a model standing for anywidget's."""
    from interactive_browser import evaluate, load, open_browser, painted_pixels, problems

    corpus = mesra.load_corpus()
    g = mesra.cooperation_graph(corpus, "occitanie")
    w = mesra.explore(g, corpus)
    page = tmp_path / "widget.html"
    page.write_text(
        _HOST.format(css=w._css, esm=interactive.data_json(w._esm), data=interactive.data_json(w.data)), "utf-8"
    )
    browser = open_browser(tmp_path / "profil-chromium")
    try:
        load(browser, page)
        ready = """new Promise(r => { const end = Date.now() + 30000;
            const t = () => window.widgetReady ? r(true) : Date.now() > end ? r(false) : setTimeout(t, 50); t(); })"""
        assert evaluate(browser, ready, wait=True), problems(browser)
        assert painted_pixels(browser) > 500
        evaluate(
            browser,
            "(() => { const i = document.querySelector('.mesra-vue-recherche'); i.value = 'MES Occitanie';"
            " i.dispatchEvent(new Event('change')); })()",
        )
        assert evaluate(browser, "window.saved") == ["mes-occitanie"]  # what the kernel receives
        evaluate(browser, "window.fromPython('cress-occitanie')")
        assert evaluate(browser, "mesraViews[0].selected()") == "cress-occitanie"
        assert "CRESS Occitanie" in evaluate(browser, "document.querySelector('.mesra-vue-fiche').innerText")
        errors, requests = problems(browser)
        assert errors == []
        assert [u for u in requests if not u.startswith("blob:")] == [page.resolve().as_uri()]
    finally:
        browser.close()
