"""The batch layer: ``mesra briefs`` executes the notebooks with Papermill and renders them.

:mod:`~mesra.batch.jobs` (jobs, results, summary), :mod:`~mesra.batch.plan` (which
notebook for which territory, input hashes), :mod:`~mesra.batch.state` (lock,
incremental state, leftovers), :mod:`~mesra.batch.worker` (one job),
:mod:`~mesra.batch.pool` (the process pool), :mod:`~mesra.batch.warm` and
:mod:`~mesra.batch.engine` (warm kernels, mesra's Papermill engine),
:mod:`~mesra.batch.distributed` (a Dask cluster), :mod:`~mesra.batch.render` (HTML
pages), :mod:`~mesra.batch.index` (``index.html``) and :mod:`~mesra.batch.run`
(:func:`run_briefs`).

Names are imported on first use: Papermill imports :mod:`mesra.batch.engine` (its
engine entry point) whenever it is imported, and the warm parent process must import
the stack itself, so this package imports nothing eagerly.
"""

from __future__ import annotations

import importlib

_NAMES = {
    "run_briefs": "mesra.batch.run",
    "BatchResult": "mesra.batch.jobs",
    "JobResult": "mesra.batch.jobs",
    "Job": "mesra.batch.jobs",
    "STATE_FILE": "mesra.batch.jobs",
    "KERNEL_NAME": "mesra.batch.jobs",
    "default_territories": "mesra.batch.plan",
}

__all__ = ["run_briefs", "BatchResult", "JobResult", "Job", "default_territories", "STATE_FILE", "KERNEL_NAME"]


def __getattr__(name: str):
    """Import a public name on first access (PEP 562)."""
    module = _NAMES.get(name)
    if module is None:
        raise AttributeError(f"module 'mesra.batch' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_NAMES))
