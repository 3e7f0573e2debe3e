"""PDF copies of the reader pages (``mesra briefs --pdf``), with WeasyPrint.

A PDF is written beside each reader page (``04-note-recherche-action.pdf`` beside
``04-note-recherche-action.html``), atomically, from the page's print stylesheet (A4).
A PDF older than its page, or whose page is gone, is stale: it is rewritten when
``--pdf`` is asked and removed otherwise, so that a PDF never says more (or other
names) than the page it was made from.

A page that holds a *fiche territoire* (cells tagged ``fiche``: the brief's first one or two
pages) also gets the fiche alone, ``<page>.fiche.pdf``, printed from the same page with every
other cell hidden (:data:`FICHE_ONLY`), to forward on its own.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path
from typing import Any

from mesra.errors import MesraError
from mesra.files import TEMP_SUFFIX, publish

__all__ = ["sync_pdfs", "reader_pages", "FICHE_ONLY", "FICHE_TAG", "fiche_pdf"]

#: Cells of the fiche territoire carry this tag (nbconvert writes it as the class ``celltag_fiche``).
FICHE_TAG = "fiche"
#: The stylesheet that prints the fiche alone (WeasyPrint here, and the browser test in Chromium).
FICHE_ONLY = f".jp-Cell:not(.celltag_{FICHE_TAG}) {{ display: none !important; }}"


def fiche_pdf(page: Path) -> Path:
    """Where the fiche of ``page`` is printed alone: ``04-note-recherche-action.fiche.pdf``."""
    return page.with_name(f"{page.stem}.fiche.pdf")


def _has_fiche(page: Path) -> bool:
    try:
        text = page.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    # a cell's class, not the stylesheet (which names the class on every page)
    return re.search(rf'class="[^"]*\bcelltag_{FICHE_TAG}\b', text) is not None


def reader_pages(out: Path, manifests: list[dict[str, Any]]) -> list[Path]:
    """The reader pages (not the ``.code.html`` ones) that valid manifests vouch for."""
    pages = []
    for checked in manifests:
        report = checked.get("rapport") or {}
        stem = str(checked.get("carnet", ""))
        for rel in report.get("fichiers", {}):
            if rel.endswith(f"/{stem}.html") or rel == f"{stem}.html":
                pages.append(out / rel)
    return sorted(pages)


def _orphans(out: Path, manifests: list[dict[str, Any]]) -> list[Path]:
    """PDFs in the jobs' folders (``corpus/``, ``territoires/<id>/``) that no notebook exported.

    A PDF elsewhere in the output folder, or published by a notebook as an export, is never removed.
    """
    from mesra.batch.manifest import job_folders

    named = {rel for c in manifests for kind in ("rapport", "echec") for rel in (c.get(kind) or {}).get("fichiers", {})}
    return [
        pdf
        for folder in job_folders(out)
        for pdf in sorted(folder.glob("*.pdf"))
        if pdf.relative_to(out).as_posix() not in named and not pdf.is_symlink()
    ]


def _writer():
    try:
        import weasyprint
    except ImportError:  # pragma: no cover - weasyprint is a dependency of the dev extra and of [pdf]
        raise MesraError(
            "La sortie PDF demande WeasyPrint : installez-le (pip install 'mesra[pdf]', ou make env) "
            "puis relancez avec --pdf."
        ) from None
    return weasyprint


def _remove_stale(page: Path) -> None:
    """Without ``--pdf``: remove the page's PDFs older than it, and a fiche PDF of a page without fiche."""
    for pdf in (page.with_suffix(".pdf"), fiche_pdf(page)):
        try:
            if not pdf.exists():
                continue
            fresh = pdf.stat().st_mtime >= page.stat().st_mtime
        except OSError:
            continue
        if not fresh or (pdf.name.endswith(".fiche.pdf") and not _has_fiche(page)):
            with contextlib.suppress(OSError):
                pdf.unlink()


def sync_pdfs(out: Path, manifests: list[dict[str, Any]], *, make: bool) -> list[Path]:
    """Write (``make``) or remove the PDFs so that none is older than its page; return those written."""
    pages = reader_pages(out, manifests)
    written: list[Path] = []
    plain = {p.with_suffix(".pdf") for p in pages}
    fiches = {fiche_pdf(p): p for p in pages}  # a page is read (is there a fiche?) only when a PDF asks
    for pdf in _orphans(out, manifests):  # a PDF mesra made whose page is no longer vouched for
        wanted = pdf in plain or (pdf in fiches and _has_fiche(fiches[pdf]))
        if not wanted and pdf.with_suffix(".html").exists() is False:
            with contextlib.suppress(OSError):
                pdf.unlink()
    if not make:
        for page in pages:
            _remove_stale(page)
        return written
    weasyprint = _writer()
    for page in pages:
        outputs = [(page.with_suffix(".pdf"), [])]
        if _has_fiche(page):
            outputs.append((fiche_pdf(page), [FICHE_ONLY]))
        else:
            with contextlib.suppress(OSError):
                fiche_pdf(page).unlink()
        for pdf, css in outputs:
            fresh = pdf.exists() and pdf.stat().st_mtime >= page.stat().st_mtime
            if fresh:
                continue
            tmp = pdf.with_name(f".{pdf.name}{TEMP_SUFFIX}")
            try:
                sheets = [weasyprint.CSS(string=c) for c in css]
                weasyprint.HTML(filename=str(page), base_url=str(page.parent)).write_pdf(str(tmp), stylesheets=sheets)
                publish(tmp, pdf)
            finally:
                with contextlib.suppress(OSError):
                    tmp.unlink()
            written.append(pdf)
    return written
