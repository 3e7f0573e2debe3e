"""mesra — research-action notebooks for the French solidarity economy.

>>> import mesra
>>> corpus = mesra.load_corpus()
"""

from __future__ import annotations

__version__ = "0.1.0"

from .corpus import Corpus, check_corpus, load_corpus  # noqa: E402
from .errors import CorpusError, MesraError, ParameterError, Problem  # noqa: E402

__all__ = [
    "__version__", "Corpus", "CorpusError", "MesraError", "ParameterError", "Problem",
    "check_corpus", "load_corpus",
]
