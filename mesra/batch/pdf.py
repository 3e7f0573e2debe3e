"""PDF copies of the reader pages (``mesra briefs --pdf``), with WeasyPrint.

A PDF is written beside each reader page (``04-note-recherche-action.pdf`` beside
``04-note-recherche-action.html``), atomically, from the page's print stylesheet (A4).
A PDF older than its page, or whose page is gone, is stale: it is rewritten when
``--pdf`` is asked and removed otherwise, so that a PDF never says more (or other
names) than the page it was made from.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from mesra.errors import MesraError
from mesra.files import TEMP_SUFFIX, publish

__all__ = ["sync_pdfs", "reader_pages"]


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


def sync_pdfs(out: Path, manifests: list[dict[str, Any]], *, make: bool) -> list[Path]:
    """Write (``make``) or remove the PDFs so that none is older than its page; return those written."""
    pages = reader_pages(out, manifests)
    written: list[Path] = []
    wanted = {p.with_suffix(".pdf") for p in pages}
    for pdf in _orphans(out, manifests):  # a PDF mesra made whose page is no longer vouched for
        if pdf not in wanted and pdf.with_suffix(".html").exists() is False:
            with contextlib.suppress(OSError):
                pdf.unlink()
    weasyprint = _writer() if make else None
    for page in pages:
        pdf = page.with_suffix(".pdf")
        fresh = pdf.exists() and pdf.stat().st_mtime >= page.stat().st_mtime
        if fresh:
            continue
        if not make:
            with contextlib.suppress(OSError):
                pdf.unlink()
            continue
        tmp = pdf.with_name(f".{pdf.name}{TEMP_SUFFIX}")
        try:
            weasyprint.HTML(filename=str(page), base_url=str(page.parent)).write_pdf(str(tmp))
            publish(tmp, pdf)
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink()
        written.append(pdf)
    return written
