"""The corpus layer: the data contract, reading and validating a corpus, writing it.

What practitioners write (CSV tables, Markdown monographs, an ``.xlsx`` workbook)
becomes a :class:`Corpus` of tidy pandas DataFrames. Nothing in this layer imports
the network, analysis or batch layers.

Modules: :mod:`~mesra.corpus.contract` (file names, columns, vocabularies, French
labels), :mod:`~mesra.corpus.tables` and :mod:`~mesra.corpus.monographs` (readers),
:mod:`~mesra.corpus.validate`, :mod:`~mesra.corpus.load`, :mod:`~mesra.corpus.writer`,
:mod:`~mesra.corpus.geo` (reference geography), :mod:`~mesra.corpus.privacy`,
:mod:`~mesra.corpus.spreadsheet`, :mod:`~mesra.corpus.template`.
"""

from __future__ import annotations

from mesra.corpus.load import Corpus, RawCorpus, check_corpus, default_data_dir, load_corpus, read_raw

__all__ = ["Corpus", "RawCorpus", "check_corpus", "default_data_dir", "load_corpus", "read_raw"]
