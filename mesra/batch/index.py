"""``OUT/index.html``: every brief, grouped by territory."""

from __future__ import annotations

import base64
import hashlib
import json
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mesra import __version__
from mesra.analysis.counts import TieCount, actor_counts, monograph_counts, tie_counts
from mesra.batch.manifest import scan
from mesra.corpus.geo import parent_map, walk_up
from mesra.files import atomic_write_json, atomic_write_text
from mesra.text import ID_PATTERN, fold

if TYPE_CHECKING:
    from mesra.batch.render import NotebookLink


def _link(checked: dict[str, Any], corpus_hash: str, current: dict | None = None):
    """The index entry of one job, from its checked manifest (``None`` when it has no valid file)."""
    from mesra.batch.render import NotebookLink

    stem = str(checked.get("carnet", ""))
    report = checked.get("rapport") or {}
    failure = checked.get("echec") or {}
    files = list(report.get("fichiers", {}))
    reader = next((f for f in files if f.endswith(f"/{stem}.html")), None)
    code = next((f for f in files if f.endswith(f"/{stem}.code.html")), None)
    error = next((f for f in failure.get("fichiers", {}) if f.endswith(".html")), None)
    if not (reader or code or error):
        return None
    return NotebookLink(
        title=str(checked.get("titre") or stem),
        reader=reader,
        code=code,
        error=error,
        outdated=bool(reader or code)
        and _outdated(report, (current or {}).get((checked.get("territoire"), stem)), corpus_hash),
    )


def _outdated(report: dict[str, Any], expected: str | None, corpus_hash: str) -> bool:
    """Made from another state of what it reads: its slice of the corpus when known, else the whole corpus."""
    if expected and report.get("donnees"):
        return report.get("donnees") != expected
    return report.get("corpus") != corpus_hash


def _index_rows(manifests: list[dict[str, Any]], corpus, current: dict | None = None):
    from mesra.batch.render import TerritoryRow

    overview: list[tuple[str, NotebookLink]] = []
    by_territory: dict[str, list[tuple[str, NotebookLink]]] = {}
    for checked in manifests:
        item = _link(checked, corpus.hash, current)
        if item is None:
            continue
        tid = checked.get("territoire")
        if tid is None:
            overview.append((str(checked.get("carnet", "")), item))
        elif isinstance(tid, str) and ID_PATTERN.match(tid):
            by_territory.setdefault(tid, []).append((str(checked.get("carnet", "")), item))
    known = dict(zip(corpus.territoires["territoire_id"], corpus.territoires["nom"]))
    levels = dict(zip(corpus.territoires["territoire_id"], corpus.territoires["niveau"]))
    shown = set(by_territory)

    parents = parent_map(corpus.territoires)

    def path(tid: str) -> tuple[str, ...]:
        chain = [t for t in reversed(walk_up(parents, tid)) if t in shown]
        return tuple(fold(known.get(t, t)) for t in [*chain, tid])

    from mesra.corpus import contract

    # the same computations as the briefs' (one number, one computation)
    actors = actor_counts(corpus)
    monographs = monograph_counts(corpus)
    ties = tie_counts(corpus)
    dates = {
        c.get("territoire"): str((c.get("rapport") or {}).get("date") or "") for c in manifests if c.get("rapport")
    }
    rows = [
        TerritoryRow(
            territoire_id=tid,
            nom=str(known.get(tid, tid)),
            niveau=contract.label(levels.get(tid, "")),
            depth=len(path(tid)) - 1,
            links=tuple(item for _, item in sorted(by_territory[tid], key=lambda x: x[0])),
            acteurs=int(actors.get(tid, 0)),
            monographies=int(monographs.get(tid, 0)),
            liens=ties.get(tid, TieCount()).known,  # observed or planned; examples apart (counts.tie_count)
            date=dates.get(tid, ""),
        )
        for tid in sorted(shown, key=path)
    ]
    return [item for _, item in sorted(overview, key=lambda x: x[0])], rows


def pseudonymised(manifests: list[dict[str, Any]]) -> bool | None:
    """True when every page has pseudonyms, False when none has, None when the folder mixes both."""
    flags = {
        bool((part.get("parametres") or {}).get("pseudonymiser"))
        for checked in manifests
        for part in (checked.get("rapport"), checked.get("echec"))
        if part
    }
    return True if flags == {True} else (None if len(flags) > 1 else False)


def national_map(corpus) -> bytes | None:
    """The map of France with the corpus's actors per département (PNG), or None without actors.

    Drawn on a figure of its own (not pyplot's): it may be drawn in a thread while the
    notebooks run (:func:`start_national_map`).
    """
    if not len(corpus.acteurs):
        return None
    import io

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from mesra.analysis.maps import plot_map

    figure = Figure(figsize=(7.5, 8))
    FigureCanvasAgg(figure)
    ax = plot_map(corpus, None, ax=figure.subplots(), title="Où sont les acteurs du corpus")
    buf = io.BytesIO()
    ax.figure.savefig(buf, format="png", dpi=90, bbox_inches="tight", metadata={"Software": None})
    return buf.getvalue()


def start_national_map(corpus) -> Future:
    """Draw the index's map in a thread, while the notebooks run: the index waits for it at the end."""
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mesra-carte")
    try:
        return executor.submit(national_map, corpus)
    finally:
        executor.shutdown(wait=False)


#: What the last index was made from (``OUT/.mesra-index.json``): the digest of its page (written
#: without its date), the SHA-256 of ``index.html``, and the national map with the digest of its inputs.
INDEX_CACHE = ".mesra-index.json"
INDEX_CACHE_VERSION = 1
_UNDATED = datetime(2000, 1, 1, tzinfo=timezone.utc)


def map_key(corpus, code: str = "") -> str:
    """The digest of what the national map reads: where the actors are, the territory tree, mesra's code."""
    from mesra.batch.inputs import _digest, _row_hashes

    places = corpus.acteurs["territoire_id"]
    return _digest(
        [
            code,
            sorted(str(p) for p in places.dropna()),
            int(places.isna().sum()),
            sorted(_row_hashes(corpus.territoires)),
        ]
    )


def _read_cache(out: Path) -> dict[str, Any]:
    try:
        cache = json.loads((out / INDEX_CACHE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return cache if isinstance(cache, dict) and cache.get("version") == INDEX_CACHE_VERSION else {}


def start_index_map(out: Path, corpus, code: str = "") -> tuple[str, Future]:
    """The index's map: the last run's, when what it reads did not change, else drawn in a thread (its key, it)."""
    key = map_key(corpus, code)
    cache = _read_cache(out)
    if cache.get("carte") == key and isinstance(cache.get("png"), str):
        done: Future = Future()
        try:
            done.set_result(base64.b64decode(cache["png"]) if cache["png"] else None)
            return key, done
        except ValueError:
            pass
    return key, start_national_map(corpus)


def write_index(
    out: Path,
    corpus,
    corpus_label: str,
    manifests: list[dict[str, Any]] | None = None,
    *,
    drawing: Future | None = None,
    current: dict | None = None,
    map_digest: str | None = None,
) -> Path:
    """``OUT/index.html`` from the manifests that match their files (nothing else is linked).

    ``manifests``: the checked manifests when the caller has just read them (see :func:`scan`);
    ``current``: the digest of what each job reads now, by ``(territoire, carnet)`` (a page made
    from another digest is flagged; without it, the whole corpus's hash is compared);
    ``drawing``: the map, from :func:`start_national_map` (drawn here when not given);
    ``map_digest``: the digest of what the map reads (:func:`start_index_map`): when given, the
    index is left untouched if the page it would write differs from the one in place by its date
    alone (nothing it shows changed), and what it was made from is kept in ``OUT/.mesra-index.json``.
    """
    from mesra.batch.render import render_index

    if manifests is None:
        manifests = [checked for _, checked in scan(out).values()]
    overview, rows = _index_rows(manifests, corpus, current)

    def page(generated: datetime, map_png: bytes | None) -> str:
        return render_index(
            overview,
            rows,
            corpus_hash=corpus.hash,
            version=__version__,
            generated=generated,
            pseudonymised=pseudonymised(manifests),
            corpus_label=corpus_label,
            map_png=map_png,
            resources_href="ressources/index.html" if (out / "ressources" / "index.html").is_file() else None,
        )

    index = out / "index.html"
    if map_digest is None:
        atomic_write_text(index, page(datetime.now().astimezone(), _map(drawing, corpus)))
        return index
    undated = hashlib.sha256(page(_UNDATED, map_digest.encode()).encode()).hexdigest()
    cache = _read_cache(out)
    if cache.get("page") == undated and cache.get("carte") == map_digest and _sha_of(index) == cache.get("sha"):
        if drawing is not None:
            drawing.cancel()
        return index  # nothing the index shows changed: left as it is (with the date it was made)
    png = _map(drawing, corpus)
    text = page(datetime.now().astimezone(), png)
    atomic_write_text(index, text)
    atomic_write_json(
        out / INDEX_CACHE,
        {
            "version": INDEX_CACHE_VERSION,
            "page": undated,
            "sha": hashlib.sha256(text.encode()).hexdigest(),
            "carte": map_digest,
            "png": base64.b64encode(png).decode() if png else "",
        },
    )
    return index


def _map(drawing: Future | None, corpus) -> bytes | None:
    return drawing.result() if drawing is not None else national_map(corpus)


def _sha_of(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None
