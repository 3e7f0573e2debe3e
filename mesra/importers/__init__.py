"""Importing data from the tools practitioners use: GoGoCarto maps, Decidim platforms, tables of actors.

Every importer reads its input completely and turns it into rows of the corpus
tables (:class:`~mesra.importers.apply.ImportBatch`) before anything is written;
:func:`~mesra.importers.apply.apply_import` then merges them into a corpus folder
(:mod:`mesra.importers.merge`). Addresses resolve to territories in
:mod:`mesra.corpus.communes` (the corpus layer's geography; ``mesra.importers.addresses``
re-exports it). What every importer shares: text normalised once on the way in
(:mod:`mesra.importers.normalise`), the name rules for types and people
(:mod:`mesra.importers.names`), identity by source id within one import (:mod:`mesra.importers.merge`).
"""

from __future__ import annotations

from mesra.importers.apply import (
    ImportBatch,
    ImportInputError,
    ImportReport,
    TerritoryLog,
    apply_import,
    clean_text,
)

__all__ = ["ImportBatch", "ImportReport", "apply_import", "ImportInputError", "TerritoryLog", "clean_text"]
