"""Resolving addresses to territories: moved to the corpus layer's geography,
:mod:`mesra.corpus.communes` (the commune reference serves the corpus itself: an actor may
name its commune by INSEE code or « nom (code postal) »). Kept so that existing imports work."""

from mesra.corpus.communes import *  # noqa: F403
from mesra.corpus.communes import __all__  # noqa: F401
