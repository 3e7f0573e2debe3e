"""Bounded outputs: what a notebook's cells print is kept up to a budget per notebook.

A cell printing 150 MB used to make a 150 MB reader page and a 1.6 GB peak (the text was
held by the notebook client, written into the executed notebook, then rendered twice).
Text that cells print or display (streams, ``text/*`` and JSON outputs) counts against
:data:`TEXT_BUDGET` characters per notebook; past it, the output in progress is cut with
a visible French note (:data:`NOTE`), and later text outputs are dropped (the note once
more for each stream, so that the readers' page, which hides ``stderr``, says it too).
Figures (images) do not count: what mesra embeds in a page has its own budget
(:data:`mesra.batch.render.EMBED_BUDGET`).

The budget applies while the notebook runs (:func:`bounded_outputs`: the notebook client
keeps only what fits, so the text beyond is never held), and again on the executed
notebook (:func:`bound_notebook`) whatever ran it.
"""

from __future__ import annotations

import contextlib
import contextvars
import copy
import functools

#: Characters of text a notebook's outputs may hold (≈ 10 MB).
TEXT_BUDGET = 10_000_000
NOTE = (
    "\n[… sortie tronquée par mesra : les cellules de ce carnet ont affiché plus de {mo} Mo de texte ; "
    "la suite n’est pas reprise dans la note. Écrivez les gros résultats dans un fichier plutôt "
    "que de les afficher.]\n"
)
_TEXT_TYPES = ("text/", "application/json")


def note(limit: int) -> str:
    return NOTE.format(mo=f"{limit / 1_000_000:g}")


class Budget:
    """What is left of one notebook's text budget."""

    def __init__(self, limit: int | None = None):
        self.limit = limit if limit is not None else TEXT_BUDGET
        self.left = self.limit
        self.noted: set[str] = set()  # the streams (or "affichage") that already carry the note

    @property
    def cut(self) -> bool:
        return bool(self.noted)

    def text(self, text: str, where: str) -> str | None:
        """``text`` as kept: whole, cut with the note, the note alone, or ``None`` (dropped)."""
        if len(text) <= self.left:
            self.left -= len(text)
            return text
        kept = text[: max(self.left, 0)]
        self.left = 0
        if where in self.noted:
            return kept or None
        self.noted.add(where)
        return kept + note(self.limit)

    def output(self, out: dict) -> dict | None:
        """An output (nbformat dict) as kept; ``None`` when nothing of it is left."""
        kind = out.get("output_type")
        if kind == "stream":
            text = out.get("text", "")
            text = "".join(text) if isinstance(text, list) else str(text)
            kept = self.text(text, str(out.get("name", "stdout")))
            if kept is None:
                return None
            if kept is not text:
                out = dict(out, text=kept)
            return out
        if kind in ("execute_result", "display_data", "update_display_data"):
            return self._rich(out)
        return out

    def _rich(self, out: dict) -> dict | None:
        data = out.get("data") or {}
        size = sum(_size(v) for k, v in data.items() if k.startswith(_TEXT_TYPES))
        if size <= self.left:
            self.left -= size
            return out
        self.left = 0
        kept = {k: v for k, v in data.items() if not k.startswith(_TEXT_TYPES)}
        if "affichage" not in self.noted:
            self.noted.add("affichage")
            kept["text/plain"] = note(self.limit).strip()
        if not kept:
            return None
        return dict(out, data=kept)


def _size(value) -> int:
    if isinstance(value, str):
        return len(value)
    if isinstance(value, list):
        return sum(len(str(v)) for v in value)
    return len(str(value))


def bound_notebook(nb, limit: int | None = None) -> bool:
    """Apply the budget to the outputs of an executed notebook, in place; True when something was cut."""
    import nbformat

    budget = Budget(limit)
    for cell in nb.cells:
        if cell.get("cell_type") != "code" or not cell.get("outputs"):
            continue
        outputs = []
        for out in cell.outputs:
            kept = budget.output(out)
            if kept is not None:
                outputs.append(kept if kept is out else nbformat.from_dict(kept))
        cell.outputs = outputs
    return budget.cut


# --- while the notebook runs ------------------------------------------------------------------------
_CURRENT: contextvars.ContextVar[Budget | None] = contextvars.ContextVar("mesra_budget", default=None)


@functools.cache
def _install() -> None:
    """Make nbclient's notebook client keep only what fits the current budget (when one is set)."""
    from nbclient import NotebookClient

    original = NotebookClient.output

    def output(self, outs, msg, display_id, cell_index):
        budget = _CURRENT.get()
        if budget is not None and msg.get("msg_type") in ("stream", "execute_result", "display_data"):
            whole = {"output_type": msg["msg_type"], **(msg.get("content") or {})}
            kept = budget.output(whole)
            if kept is None:
                return None
            if kept is not whole:
                msg = copy.copy(msg)
                msg["content"] = {k: v for k, v in kept.items() if k != "output_type"}
        return original(self, outs, msg, display_id, cell_index)

    NotebookClient.output = output


@contextlib.contextmanager
def bounded_outputs(limit: int | None = None):
    """Within the block, notebooks run by nbclient in this thread keep at most ``limit`` characters of text."""
    _install()
    token = _CURRENT.set(Budget(limit))
    try:
        yield
    finally:
        _CURRENT.reset(token)
