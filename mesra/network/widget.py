"""The interactive network view in JupyterLab: an anywidget widget, offline, with the selection in Python.

:func:`explore` returns a :class:`NetworkWidget` that draws the same view as the pages
(:mod:`mesra.network.interactive`: same data, same JavaScript, sigma.js and graphology
inlined in the widget's module, so nothing is fetched). Clicking or searching an actor sets
``widget.selection`` (its identifier, a synced traitlet); setting ``widget.selection`` from
Python selects it in the view.

anywidget is the standard way to ship a JavaScript widget to JupyterLab without a build step
or a JupyterLab extension of mesra's own: the widget's ES module is a string sent to the front end.
"""

from __future__ import annotations

import functools

import anywidget
import networkx as nx
import traitlets

from mesra.network import interactive

__all__ = ["explore", "NetworkWidget"]

_RENDER = """
export default {
  render({ model, el }) {
    let view = null;
    function draw() {
      if (view) view.destroy();
      view = globalThis.mesraNetworkView.mount(el, model.get("data"));
      const wanted = model.get("selection");
      if (wanted) view.select(wanted);
      view.onSelect((id) => {
        if (model.get("selection") === id) return;
        model.set("selection", id);
        model.save_changes();
      });
    }
    draw();
    model.on("change:data", draw);
    model.on("change:selection", () => {
      const id = model.get("selection");
      if (view && view.selected() !== id) view.select(id);
    });
    return () => { if (view) view.destroy(); view = null; };
  },
};
"""


@functools.cache
def module_source() -> str:
    """The widget's ES module: the view's scripts (the pages' own), then anywidget's ``render``."""
    return interactive.script() + "\n" + _RENDER


class NetworkWidget(anywidget.AnyWidget):
    """The network view as a Jupyter widget; ``selection`` is the identifier of the selected actor (or None)."""

    _esm = traitlets.Unicode(module_source()).tag(sync=True)
    _css = traitlets.Unicode(interactive.style()).tag(sync=True)
    data = traitlets.Dict().tag(sync=True)
    selection = traitlets.Unicode(None, allow_none=True).tag(sync=True)


def explore(graph: nx.Graph, corpus=None, *, seed: int = 0) -> NetworkWidget:
    """Explore ``graph`` by hand in JupyterLab: pan, zoom, search, filters, an actor's card and neighbourhood.

    Parameters
    ----------
    graph : networkx.Graph
        A cooperation graph (:func:`mesra.cooperation_graph`), or any mesra graph.
    corpus : Corpus, optional
        Its corpus: territory names and, in each actor's card, the sentence of each source.
    seed : int
        Seed of the layout (the static figure's: same seed, same positions).

    Returns
    -------
    NetworkWidget
        Shown by JupyterLab; ``widget.selection`` is the identifier of the actor selected in it.
    """
    return NetworkWidget(data=interactive.view_data(graph, corpus, seed=seed))
