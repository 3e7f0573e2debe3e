"""The batch layer: ``mesra briefs`` executes the notebooks with Papermill and renders them.

:mod:`~mesra.batch.jobs` (jobs, results, summary), :mod:`~mesra.batch.plan` (which
notebook for which territory, input hashes), :mod:`~mesra.batch.state` (lock,
incremental state, leftovers), :mod:`~mesra.batch.worker` (one job),
:mod:`~mesra.batch.pool` (the process pool), :mod:`~mesra.batch.render` (HTML pages),
:mod:`~mesra.batch.index` (``index.html``) and :mod:`~mesra.batch.run` (:func:`run_briefs`).
"""

from __future__ import annotations

from mesra.batch.jobs import KERNEL_NAME, STATE_FILE, BatchResult, Job, JobResult
from mesra.batch.plan import default_territories
from mesra.batch.run import run_briefs

__all__ = ["run_briefs", "BatchResult", "JobResult", "Job", "default_territories", "STATE_FILE", "KERNEL_NAME"]
