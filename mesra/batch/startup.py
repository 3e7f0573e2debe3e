"""What the batch's processes do before importing Papermill and nbconvert, to start faster.

nbformat imports ``jsonschema``, whose format checkers import ``rfc3987_syntax`` at
import time when it is installed (``jsonschema[format-nongpl]``, which Jupyter's
packages require). That module builds about 35 Earley parsers with Lark as it is
imported: ≈ 0.7 s in every process that reads a notebook — the batch, each of its
workers — for a check (IRI syntax) that no notebook schema uses
(python-jsonschema/jsonschema#1428, opendatahub-io/notebooks#3532).
:func:`defer_iri_grammar` puts a stand-in module in its place that imports the real
one on first use and hands everything on to it: nothing changes but when the cost
is paid (never, in a batch).
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types

__all__ = ["defer_iri_grammar"]

_SLOW = "rfc3987_syntax"


def defer_iri_grammar() -> bool:
    """Defer the import of ``rfc3987_syntax`` to its first use; True when deferred.

    Does nothing when it is not installed, already imported, or when ``jsonschema``'s
    format checkers are already loaded (they hold the real functions).

    >>> import jsonschema  # its format checkers are loaded: nothing left to defer
    >>> defer_iri_grammar()
    False
    """
    if _SLOW in sys.modules or "jsonschema._format" in sys.modules:
        return False
    try:
        spec = importlib.util.find_spec(_SLOW)
    except (ImportError, ValueError):
        return False
    if spec is None:
        return False
    stand_in = _Deferred(_SLOW)
    stand_in.__spec__ = spec  # importlib.util.find_spec answers as before
    stand_in.__file__ = spec.origin
    if spec.submodule_search_locations is not None:  # its submodules import as before
        stand_in.__path__ = list(spec.submodule_search_locations)
    sys.modules[_SLOW] = stand_in
    return True


class _Deferred(types.ModuleType):
    """Stands for ``rfc3987_syntax`` until it is used: its function ``is_valid_syntax`` (what
    jsonschema imports) is handed over as a forwarder without importing anything; any other
    name imports the real module and answers with it. Its spec and path are the real module's:
    ``importlib.util.find_spec`` and the import of a submodule work as without it."""

    def _real(self) -> types.ModuleType:
        real = self.__dict__.get("_module")
        if real is None:
            if sys.modules.get(self.__name__) is self:
                del sys.modules[self.__name__]
            real = importlib.import_module(self.__name__)
            self.__dict__["_module"] = real
        return real

    def __getattr__(self, name: str):
        if name in _FUNCTIONS:
            return _forward(self, name)
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return getattr(self._real(), name)


#: The deferred module's functions that may be imported before they are used.
_FUNCTIONS = frozenset({"is_valid_syntax"})


def _forward(module: _Deferred, name: str):
    def forwarded(*args, **kwargs):
        return getattr(module._real(), name)(*args, **kwargs)

    forwarded.__name__ = name
    forwarded.__qualname__ = name
    return forwarded
