"""``OUT/index.html``: every brief, grouped by territory."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from mesra import __version__
from mesra.batch.state import safe_relative
from mesra.corpus.geo import parent_map, walk_up
from mesra.files import atomic_write_text
from mesra.text import ID_PATTERN, fold


def _index_rows(state: dict[str, Any], corpus, out: Path):
    from mesra.batch.render import NotebookLink, TerritoryRow

    def link(entry: dict[str, Any]) -> NotebookLink | None:
        files = [f for f in entry.get("fichiers", []) if (p := safe_relative(out, f)) and p.is_file()]
        stem = entry.get("carnet", "")
        reader = next((f for f in files if f.endswith(f"/{stem}.html")), None)
        code = next((f for f in files if f.endswith(f"/{stem}.code.html")), None)
        failure = entry.get("echec") or {}
        error = next(
            (
                f
                for f in failure.get("fichiers", [])
                if f.endswith(".html") and (p := safe_relative(out, f)) and p.is_file()
            ),
            None,
        )
        if not (reader or code or error):
            return None
        return NotebookLink(
            title=str(entry.get("titre") or stem),
            reader=reader,
            code=code,
            error=error,
            outdated=bool(reader or code) and entry.get("corpus") != corpus.hash,
        )

    overview: list[tuple[str, NotebookLink]] = []
    by_territory: dict[str, list[tuple[str, NotebookLink]]] = {}
    for entry in state["jobs"].values():
        item = link(entry)
        if item is None:
            continue
        tid = entry.get("territoire")
        if tid is None:
            overview.append((entry.get("carnet", ""), item))
        elif isinstance(tid, str) and ID_PATTERN.match(tid):
            by_territory.setdefault(tid, []).append((entry.get("carnet", ""), item))
    known = dict(zip(corpus.territoires["territoire_id"], corpus.territoires["nom"]))
    levels = dict(zip(corpus.territoires["territoire_id"], corpus.territoires["niveau"]))
    shown = set(by_territory)

    parents = parent_map(corpus.territoires)

    def path(tid: str) -> tuple[str, ...]:
        chain = [t for t in reversed(walk_up(parents, tid)) if t in shown]
        return tuple(fold(known.get(t, t)) for t in [*chain, tid])

    from mesra.corpus import contract

    rows = [
        TerritoryRow(
            territoire_id=tid,
            nom=str(known.get(tid, tid)),
            niveau=contract.label(levels.get(tid, "")),
            depth=len(path(tid)) - 1,
            links=tuple(item for _, item in sorted(by_territory[tid], key=lambda x: x[0])),
        )
        for tid in sorted(shown, key=path)
    ]
    return [item for _, item in sorted(overview, key=lambda x: x[0])], rows


def write_index(out: Path, state: dict[str, Any], corpus, corpus_label: str) -> Path:
    from mesra.batch.render import render_index

    overview, rows = _index_rows(state, corpus, out)
    flags = {
        bool((e.get("parametres") or {}).get("pseudonymiser")) for e in state["jobs"].values() if e.get("fichiers")
    }
    pseudonymised = True if flags == {True} else (None if len(flags) > 1 else False)
    page = render_index(
        overview,
        rows,
        corpus_hash=corpus.hash,
        version=__version__,
        generated=datetime.now().astimezone(),
        pseudonymised=pseudonymised,
        corpus_label=corpus_label,
    )
    index = out / "index.html"
    atomic_write_text(index, page)
    return index
