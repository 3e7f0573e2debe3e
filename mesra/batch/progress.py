"""What a batch shows while it runs, on stderr.

On a terminal, a tqdm progress bar naming the jobs running. Elsewhere (a log file,
CI), a bar would write one line per refresh: one line per finished job instead.
"""

from __future__ import annotations

import sys

from mesra.batch.jobs import Job, JobResult


def _is_terminal(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


class Progress:
    """The batch's progress on stderr: a bar on a terminal, one line per job elsewhere."""

    def __init__(self, total: int, *, enabled: bool = True):
        from tqdm import tqdm

        self.total = total
        self.finished = 0
        self.enabled = enabled
        self.stream = sys.stderr
        self.bar = None
        if enabled and _is_terminal(self.stream):
            self.bar = tqdm(total=total, desc="Notes", unit="carnet", file=self.stream, dynamic_ncols=True)

    def running(self, jobs: list[Job]) -> None:
        """Name the jobs running now (on the bar only)."""
        if self.bar is not None:
            names = ", ".join(f"{j.label} ({j.stem})" for j in jobs)
            self.bar.set_postfix_str(f"en cours : {names}" if names else "", refresh=True)

    def done(self, result: JobResult) -> None:
        """One job ended: a failure is always said; a success moves the bar, or is one line."""
        self.finished += 1
        if not self.enabled:
            return
        if self.bar is not None:
            if not result.ok:
                self.bar.write(f"échec : {result.describe_failure()}", file=self.stream)
            self.bar.update(1)
            return
        job = result.job
        if result.ok:
            what = f"{job.label} · {job.stem} : fait en {result.seconds:.0f} s"
        else:
            what = f"échec : {result.describe_failure()}"
        print(f"[{self.finished}/{self.total}] {what}", file=self.stream, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
