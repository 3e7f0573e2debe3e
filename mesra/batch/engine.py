"""mesra's Papermill engine: each notebook in a warm kernel (:mod:`mesra.batch.warm`).

Registered under Papermill's engine entry point (``papermill.engine``) as ``mesra``, so
that ``papermill --engine mesra in.ipynb out.ipynb -p territoire occitanie`` works anywhere,
and used by ``mesra briefs`` unless ``--engine papermill`` is given. The engine is
Papermill's own ``nbclient`` engine with another kernel manager: the kernel is forked
from this process's warm parent instead of started from scratch, and talks over IPC
sockets in a private folder (mode 0700), never TCP. A notebook whose kernel is not
the Python of this environment (another language, another interpreter) gets a
standard kernel.

A cell that runs longer than the timeout (``execution_timeout``) or a kernel that dies
mid-cell fails *that cell*: the error is written in the notebook as an error output
(``CellTimeoutError``, ``DeadKernelError`` with the signal that ended the kernel), so
Papermill raises its usual :class:`~papermill.exceptions.PapermillExecutionError`
naming the cell, and the kernel is killed at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import importlib.util
import itertools
import os
import sys
import time
from pathlib import Path
from queue import Empty

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning.local_provisioner import LocalProvisioner

_COUNTER = itertools.count(1)
_KERNEL_MODULES = ("ipykernel_launcher", "ipykernel")


def warm_kernels_available() -> bool:
    """Warm kernels need ``fork`` without surprises: Linux (macOS forbids it to some system libraries)."""
    return sys.platform.startswith("linux")


def _warm_command(cmd: list[str]) -> bool:
    """Whether ``cmd`` starts an IPython kernel of this very interpreter."""
    if len(cmd) < 3 or cmd[1] != "-m" or cmd[2] not in _KERNEL_MODULES:
        return False
    try:
        return os.path.samefile(cmd[0], sys.executable)
    except OSError:
        return False


class WarmProvisioner(LocalProvisioner):
    """A kernel provisioner that forks the kernel from the warm parent (standard launch otherwise)."""

    warm_pid: int | None = None
    exit_code: int | None = None

    @property
    def has_process(self) -> bool:
        return self.warm_pid is not None or super().has_process

    async def launch_kernel(self, cmd: list[str], **kwargs):
        if not _warm_command(cmd) or not warm_kernels_available():
            return await super().launch_kernel(cmd, **kwargs)
        parent = self.parent.mesra_warm_parent
        env = dict(kwargs.get("env") or os.environ)
        cwd = str(kwargs.get("cwd") or os.getcwd())
        args = list(cmd[3:])
        spec = importlib.util.find_spec(cmd[2])  # what sys.argv[0] is in a kernel started with -m
        argv = [spec.origin if spec is not None and spec.origin else cmd[2], *args]
        answer = await asyncio.to_thread(parent.claim_kernel, argv=argv, args=args, cwd=cwd, env=env)
        self.warm_pid = int(answer["pid"])
        self._warm = parent
        self.pid = self.pgid = self.warm_pid
        self.cwd = cwd
        if answer.get("connection"):  # a spare: the manager takes its connection (and removes it after)
            info = dict(answer["connection"], key=answer["connection"]["key"].encode())
            self.connection_info = {**self.connection_info, **info}
        return self.connection_info

    async def poll(self) -> int | None:
        if self.warm_pid is None:
            return await super().poll()
        from mesra.batch.warm import WarmParentError

        try:
            code = self._warm.poll(self.warm_pid)
        except WarmParentError:
            code = self._warm.process.poll()
            code = code if code is not None and code < 0 else -9  # the parent died: so did its kernel
        if code is not None:
            self.exit_code = code
            self.parent.mesra_exit_code = code
        return code

    async def wait(self) -> int | None:
        if self.warm_pid is None:
            return await super().wait()
        while (code := await self.poll()) is None:
            await asyncio.sleep(0.02)
        self._warm.forget(self.warm_pid)  # the parent may drop its exit code
        self.warm_pid = None
        return code

    async def send_signal(self, signum: int) -> None:
        if self.warm_pid is None:
            return await super().send_signal(signum)
        from mesra.batch.warm import WarmParentError

        with contextlib.suppress(WarmParentError):
            self._warm.signal(self.warm_pid, signum)

    async def kill(self, restart: bool = False) -> None:
        if self.warm_pid is None:
            return await super().kill(restart)
        import signal

        await self.send_signal(signal.SIGKILL)

    async def terminate(self, restart: bool = False) -> None:
        if self.warm_pid is None:
            return await super().terminate(restart)
        import signal

        await self.send_signal(signal.SIGTERM)

    async def cleanup(self, restart: bool = False) -> None:
        if self.warm_pid is not None:
            self._warm.forget(self.warm_pid)
        await super().cleanup(restart)

    def get_shutdown_wait_time(self, recommended: float = 5.0) -> float:
        return min(recommended, 1.0)


class WarmKernelClient(AsyncKernelClient):
    """The kernel client, waiting for a warm kernel without the standard 0.2 s pause.

    A warm kernel has bound its sockets before the client connects: the client waits for
    the reply to ``kernel_info`` and for one IOPub message (the subscription works), then
    drops what IOPub already holds, without waiting for more (nbclient ignores messages
    that answer no request of its own).
    """

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (timeout if timeout is not None else float("inf"))
        # ipykernel greets each new IOPub subscriber (iopub_welcome): once greeted, nothing is lost
        with contextlib.suppress(Empty):
            await self.iopub_channel.get_msg(timeout=2)
        while True:
            self.kernel_info()
            try:
                msg = await self.shell_channel.get_msg(timeout=1)
            except Empty:
                pass
            else:
                if msg["msg_type"] == "kernel_info_reply":
                    try:
                        await self.iopub_channel.get_msg(timeout=0.2)
                    except Empty:
                        pass
                    else:
                        self._handle_kernel_info_reply(msg)
                        break
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout} seconds")
        while True:
            try:
                await self.iopub_channel.get_msg(timeout=0)
            except Empty:
                break


class WarmKernelManager(AsyncKernelManager):
    """nbclient's kernel manager, with warm kernels on IPC sockets in the warm parent's private folder."""

    mesra_exit_code: int | None = None
    mesra_warm_parent = None

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        if warm_kernels_available():
            from mesra.batch.warm import warm_parent

            self.client_factory = WarmKernelClient
            self.mesra_warm_parent = warm_parent()
            folder = self.mesra_warm_parent.folder
            name = f"k{os.getpid()}-{next(_COUNTER)}"
            self.transport = "ipc"
            self.connection_file = str(Path(folder) / f"{name}.json")
            self.ip = str(Path(folder) / name)

    async def _async_pre_start_kernel(self, **kw):
        if self.provisioner is None:
            import uuid

            self.kernel_id = self.kernel_id or kw.pop("kernel_id", None) or str(uuid.uuid4())
            self.provisioner = WarmProvisioner(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self)
        return await super()._async_pre_start_kernel(**kw)


def _running_cell(nb) -> int | None:
    """Index of the cell Papermill was executing (the last one it started)."""
    started = [i for i, c in enumerate(nb.cells) if c.get("metadata", {}).get("papermill", {}).get("start_time")]
    return started[-1] if started else None


def _fail_cell(nb_man, index: int, ename: str, evalue: str) -> None:
    import nbformat

    cell = nb_man.nb.cells[index]
    cell.setdefault("outputs", []).append(
        nbformat.v4.new_output("error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])
    )
    nb_man.cell_exception(cell, cell_index=index)
    nb_man.cell_complete(cell, cell_index=index)


def _execute_managed_notebook(
    cls,
    nb_man,
    kernel_name,
    log_output=False,
    stdout_file=None,
    stderr_file=None,
    start_timeout=60,
    execution_timeout=None,
    **kwargs,
):
    """Papermill's nbclient engine's method, with the warm kernel manager and the failures above."""
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.engines import logger
    from papermill.utils import merge_kwargs, remove_args

    kwargs = remove_args(["input_path"], **kwargs)
    safe_kwargs = remove_args(["timeout", "startup_timeout"], **kwargs)
    final_kwargs = merge_kwargs(
        safe_kwargs,
        timeout=execution_timeout if execution_timeout else kwargs.get("timeout"),
        startup_timeout=start_timeout,
        kernel_name=kernel_name,
        log=logger,
        log_output=log_output,
        stdout_file=stdout_file,
        stderr_file=stderr_file,
    )
    final_kwargs.setdefault("kernel_manager_class", WarmKernelManager)
    final_kwargs.setdefault("shutdown_kernel", "immediate")  # a forked kernel has nothing to save
    client = _client_class()(nb_man, **final_kwargs)
    try:
        return client.execute()
    except CellTimeoutError:
        index = _running_cell(nb_man.nb)
        if index is None:
            raise
        evalue = f"la cellule n’a pas fini en {client.timeout} s (délai par cellule) ; son noyau a été arrêté"
        _fail_cell(nb_man, index, "CellTimeoutError", evalue)
    except DeadKernelError:
        index = _running_cell(nb_man.nb)
        if index is None:
            raise
        from mesra.batch.warm import describe_exit

        code = getattr(client.mesra_km, "mesra_exit_code", None)
        how = f" ({describe_exit(code)})" if code is not None else ""
        _fail_cell(nb_man, index, "DeadKernelError", f"le noyau s’est arrêté pendant cette cellule{how}")
    return nb_man.nb


@functools.cache
def _client_class():
    """Papermill's notebook client, keeping its kernel manager for the post-mortem."""
    from papermill.clientwrap import PapermillNotebookClient

    class Client(PapermillNotebookClient):
        mesra_km = None

        def create_kernel_manager(self):
            self.mesra_km = super().create_kernel_manager()
            return self.mesra_km

    return Client


def _engine_class(base):
    return type(
        "MesraEngine",
        (base,),
        {
            "__doc__": "Papermill's nbclient engine, with each notebook in a warm kernel.",
            "__module__": __name__,
            "execute_managed_notebook": classmethod(_execute_managed_notebook),
        },
    )


def __getattr__(name: str):
    """``MesraEngine``, built on first use (PEP 562).

    Papermill imports its engines' entry points while ``papermill.engines`` itself is being
    imported: this module cannot import Papermill at its top (importing it first would
    make Papermill ask for the engine of a half-imported module), so the class is made
    when asked for, from Papermill's ``NBClientEngine``.
    """
    if name != "MesraEngine":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from papermill.engines import NBClientEngine  # may come back here once: Papermill registers us

    if "MesraEngine" not in globals():
        globals()["MesraEngine"] = _engine_class(NBClientEngine)
    return globals()["MesraEngine"]
