"""An empty corpus to start from: ``mesra init DOSSIER``.

Writes, in a new or empty folder:

- ``corpus.xlsx``: the French workbook of ``mesra export xlsx`` with no rows (one sheet per
  table, the contract's columns, drop-down lists fed by the ``vocabulaires`` sheet);
- ``monographies/`` (empty) and ``modele-monographie.md``, the common frame's template to copy
  there (``mesra new-monograph`` writes one already named and placed);
- ``sources/``, for the texts the sources sheet names;
- ``DEMARRER.md``, the French guide "Démarrer avec vos données" (the package's
  ``data/demarrer.md``): from this folder to a first brief.

An empty corpus passes ``mesra check``; nothing in it is invented.

``mesra init DOSSIER --modele coevaluation`` also writes (or, in a folder that already holds a
corpus, writes only) the co-evaluation skeleton (:func:`init_coevaluation`, issue 26):
``evaluation/referentiels/utilite-sociale-v1.yaml``, a referential skeleton whose comments cite
the tools the proceedings name, and ``evaluation/campagnes.csv`` and ``evaluation/reponses.csv``
with their headers only: no evaluation result.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from types import SimpleNamespace

from mesra.corpus import contract
from mesra.errors import MesraError
from mesra.files import atomic_write_bytes, atomic_write_text

__all__ = ["init_corpus", "init_coevaluation", "guide_text", "WORKBOOK", "GUIDE", "TEMPLATE", "MODELES"]

WORKBOOK = "corpus.xlsx"
GUIDE = "DEMARRER.md"
TEMPLATE = "modele-monographie.md"
#: The templates ``mesra init --modele`` knows.
MODELES = ("coevaluation",)


def guide_text() -> str:
    """The French guide « Démarrer avec vos données » (``mesra/data/demarrer.md``)."""
    return resources.files("mesra").joinpath("data/demarrer.md").read_text(encoding="utf-8")


def _existing_corpus(folder: Path) -> list[str]:
    names = [contract.TABLES[n].filename for n in contract.TABLE_ORDER] + [WORKBOOK, GUIDE, TEMPLATE]
    found = [n for n in names if (folder / n).exists()]
    found += sorted(p.name for p in folder.glob("*.xlsx") if p.name not in found)
    monographs = folder / contract.MONOGRAPH_DIR
    if monographs.is_dir() and any(monographs.glob("*.md")):
        found.append(f"{contract.MONOGRAPH_DIR}/*.md")
    return found


def init_corpus(folder: str | Path, *, force: bool = False) -> list[Path]:
    """Write an empty corpus in ``folder`` (created if needed); return the files and folders written.

    Raises
    ------
    MesraError
        ``folder`` is a file, or already holds a corpus (tables, a workbook, monographs) and
        ``force`` is False (with ``force``, mesra's files are rewritten, nothing else is touched).
    """
    from mesra.corpus.spreadsheet import _workbook_bytes
    from mesra.corpus.template import monograph_template

    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise MesraError(f"« {folder} » est un fichier : indiquez un dossier (nouveau ou vide)")
    if folder.is_dir() and not force:
        found = _existing_corpus(folder)
        if found:
            raise MesraError(
                f"« {folder} » contient déjà un corpus ({', '.join(found)}) : choisissez un dossier nouveau "
                "ou vide, ou ajoutez --force pour réécrire les fichiers de mesra (le reste n'est pas touché)"
            )
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for sub in (contract.MONOGRAPH_DIR, "sources"):
        (folder / sub).mkdir(exist_ok=True)
        written.append(folder / sub)
    workbook, _ = _workbook_bytes(SimpleNamespace(tables={}))
    written.append(atomic_write_bytes(folder / WORKBOOK, workbook))
    template = monograph_template("identifiant-de-la-monographie", "identifiant-du-territoire")
    written.append(atomic_write_text(folder / TEMPLATE, template))
    written.append(atomic_write_text(folder / GUIDE, guide_text()))
    return written


def init_coevaluation(folder: str | Path, *, force: bool = False) -> list[Path]:
    """Write the co-evaluation skeleton in ``folder/evaluation/`` (a referential, two empty tables).

    Raises :class:`MesraError` when one of these files exists and ``force`` is False.
    """
    from mesra.corpus.evaluation import (
        CAMPAIGN_COLUMNS,
        CAMPAIGNS_FILE,
        REFERENTIALS_DIR,
        RESPONSE_COLUMNS,
        RESPONSES_FILE,
    )

    folder = Path(folder)
    skeleton = resources.files("mesra").joinpath("data/modeles/coevaluation")
    files = {
        f"{REFERENTIALS_DIR}/{p.name}": p.read_text(encoding="utf-8")
        for p in skeleton.iterdir()
        if p.name.endswith(".yaml")
    }
    files[CAMPAIGNS_FILE] = ",".join(CAMPAIGN_COLUMNS) + "\n"
    files[RESPONSES_FILE] = ",".join(RESPONSE_COLUMNS) + "\n"
    there = [name for name in files if (folder / name).exists()]
    if there and not force:
        raise MesraError(
            f"« {folder} » contient déjà {', '.join(there)} : mesra ne les écrase pas (vos réponses y sont "
            "peut-être) ; ajoutez --force pour les réécrire"
        )
    written = []
    for name, text in sorted(files.items()):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        written.append(atomic_write_text(folder / name, text))
    return written
