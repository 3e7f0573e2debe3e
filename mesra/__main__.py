"""``python -m mesra``: the command line, from any current folder.

``python -m`` puts the current folder first in ``sys.path``: run from the folder that
holds the clone, the clone's own folder ``mesra/`` (no ``__init__.py`` at its top) is
taken for the package before the installed one, and nothing works. The current folder
is taken out of ``sys.path`` and a ``mesra`` imported from it is forgotten before the
command line is imported; the processes the commands start inherit the cleaned path.
"""

import os
import sys
from pathlib import Path

_OURS = Path(__file__).resolve().parent


def _is_cwd(entry: str) -> bool:
    try:
        return entry == "" or Path(entry).resolve() == Path(os.getcwd()).resolve()
    except OSError:
        return False


def _unshadow() -> None:
    if _OURS.parent == Path(os.getcwd()).resolve():
        return  # run from the clone itself: the current folder is where the package is
    sys.path[:] = [p for p in sys.path if not _is_cwd(p)]
    imported = sys.modules.get("mesra")
    found = getattr(imported, "__file__", None)
    if imported is not None and (found is None or Path(found).resolve() != _OURS / "__init__.py"):
        for name in [m for m in sys.modules if m == "mesra" or m.startswith("mesra.")]:
            del sys.modules[name]


_unshadow()

from mesra.cli import main  # noqa: E402

sys.exit(main())
