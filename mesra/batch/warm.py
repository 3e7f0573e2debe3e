"""Warm kernels: Jupyter kernels forked from a process that has already imported the stack.

A fresh kernel pays, for every notebook, the start of a Python interpreter, the
imports of pandas, matplotlib, networkx, igraph and scipy, and the parsing of the
corpus: three to four times what Papermill costs for an empty notebook. Here a
*warm parent* process does all that once (and holds the corpus the batch validated,
see :mod:`mesra.batch.preparsed`); for each notebook it forks a child that becomes
an ordinary IPython kernel (``ipykernel``'s ``IPKernelApp``) talking to its client
over ZeroMQ IPC sockets in a private folder (mode 0700), never TCP.

Why forked children rather than long-lived kernels reset between notebooks: a reset
cannot be proven complete (module attributes, rcParams, environment variables,
``sys.path``, C-level state of extensions, threads a notebook started, open files),
while a process forked from the warm parent starts, by construction, from the parent's
state: the notebook before it ran in another process, which is gone. A notebook that
crashes or hangs its kernel loses only that process. Copy-on-write keeps the memory
shared with the parent; the parent never runs a notebook, never opens a ZeroMQ
context and never starts a thread, so forking it is safe.

The parent mirrors what ``ipykernel_launcher`` does before the kernel's own imports
(current folder out of ``sys.path``, ``MPLBACKEND`` set to the inline backend), and
imports nothing that hooks into IPython at import time (``matplotlib_inline``): the
child does that as a fresh kernel would. Each child gets the environment the client
asks for, its working folder, a fresh NumPy random state, its own session and process
group, and dies with the parent (``PR_SET_PDEATHSIG``); the parent dies when its
client closes the connection (the client died, or is done).

Spare kernels: once it has answered a request for a kernel, the parent forks and
initialises the next one at once (the *spare*), while the notebook it has just served runs;
the spare waits, sockets bound, until a notebook claims it, then moves to that notebook's
folder and takes the client's connection file. A claim by a notebook started another way
(other command, other environment), or a new corpus installed, drops it. The spare is forked
from the parent like any kernel, never from the previous notebook's process.

The parent is started per client process (a batch worker, a Dask worker, a
``papermill --engine mesra`` run) by :func:`warm_parent`, and restarted when the client's
environment, interpreter or mesra's code changed since it started.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import importlib
import json
import os
import secrets
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path

#: Modules the warm parent imports before forking (the mesra API's modules are added).
WARM_MODULES = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.zmqshell",
    "ipykernel.debugger",
    "ipykernel.comm",
    "ipykernel.heartbeat",
    "ipykernel.parentpoller",
    "IPython.core.history",
    "sqlite3",
    "pdb",
    "faulthandler",
    "IPython.core.pylabtools",
    "IPython.display",
    # what a kernel imports as it starts and as it runs its first cells (%matplotlib inline)
    "IPython.core.completerlib",
    "IPython.core.debugger",
    "IPython.core.oinspect",
    "IPython.core.magic_arguments",
    "IPython.core.magics.execution",
    "IPython.core.magics.pylab",
    "IPython.extensions.storemagic",
    "IPython.utils.wildcard",
    "IPython.utils.module_paths",
    "tornado.platform.asyncio",
    "encodings.utf_8_sig",
    "pandas.io.formats.string",
    "pandas.io.formats.csvs",
    "jupyter_client.session",
    "tornado.ioloop",
    "zmq",
    "numpy",
    "pandas",
    "scipy.sparse",
    "scipy.sparse.csgraph",
    "networkx",
    "igraph",
    "matplotlib",
    "matplotlib.pyplot",
    "matplotlib.figure",
    "matplotlib.backends.backend_agg",
)
#: Imported in the child only: at import, it hooks into the running IPython shell.
CHILD_ONLY = ("matplotlib_inline",)
#: How long a client waits for the warm parent to start (imports) and to answer.
START_TIMEOUT = 180.0
ANSWER_TIMEOUT = 60.0
#: The name kernels show in ``ps -o comm`` (and psutil's ``name()``).
KERNEL_PROCESS_NAME = "mesra-noyau"
_PR_SET_PDEATHSIG = 1
_PR_SET_NAME = 15


class WarmParentError(RuntimeError):
    """The warm parent process is gone or does not answer."""


# --- the warm parent process ------------------------------------------------------------------
def _prctl(option: int, value) -> None:
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(option, value, 0, 0, 0)


class _KernelShellStandIn:
    """What ``get_ipython()`` answers while the warm parent imports.

    Some libraries ask at import whether they run in a Jupyter kernel (pandas sets
    ``display.max_columns`` to 20 in a kernel, 0 in a terminal): a module imported here
    must get the answer it would get in the kernel.
    """

    kernel = None


def _check_own_package(module) -> None:
    """Refuse a ``mesra`` that is not this package (a folder of the current directory shadowing it)."""
    ours = Path(__file__).resolve().parents[1]
    found = getattr(module, "__file__", None)
    if found is None or Path(found).resolve().parent != ours:
        where = found or ", ".join(str(p) for p in getattr(module, "__path__", [])) or "?"
        raise ImportError(
            f"le module « mesra » importé vient de {where} et non du paquet ({ours}) : "
            "un dossier « mesra » du dossier courant le masque"
        )


def _warm_up() -> None:
    """Import the stack and draw one figure off-screen (fonts loaded), as a notebook would."""
    import builtins
    import io

    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")  # as IPKernelApp does
    import mesra

    _check_own_package(mesra)
    modules = list(WARM_MODULES) + sorted(set(mesra._API.values()))
    builtins.get_ipython = _KernelShellStandIn  # type: ignore[attr-defined] - as in a kernel (answers .kernel)
    try:
        with contextlib.redirect_stderr(io.StringIO()):  # the debugger's notes, which a kernel does not show
            for name in modules:
                with contextlib.suppress(Exception):  # an optional module missing is not fatal
                    importlib.import_module(name)
    finally:
        del builtins.get_ipython
    with contextlib.suppress(Exception):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        fig = Figure(figsize=(2, 2))
        FigureCanvasAgg(fig)
        ax = fig.subplots()
        ax.plot([0, 1], [0, 1])
        ax.set_title("Réseau")
        ax.text(0.5, 0.5, "Acteurs", fontweight="bold")  # the bold face, loaded once here
        fig.savefig(io.BytesIO(), format="png")
    with contextlib.suppress(Exception):  # package data every brief reads (cached, the same for all)
        from mesra.analysis.maps import map_outlines
        from mesra.corpus.communes import _commune_names
        from mesra.corpus.geo import reference_territories

        reference_territories()
        map_outlines()
        _commune_names()  # what a corpus declaring communes is checked against
    leaked = [m for m in sys.modules if m.split(".")[0] in CHILD_ONLY]
    if leaked:  # pragma: no cover - a new version of a dependency imports it eagerly
        raise RuntimeError(f"imported too early in the warm parent: {', '.join(leaked)}")


class _Parent:
    """The warm parent's state: its connection and the kernels it forked."""

    def __init__(self, conn: Connection):
        self.conn = conn
        self.children: dict[int, int | None] = {}  # pid → exit code (None: running)
        self.spare: _Spare | None = None
        self.after_answer = None  # what to do once the answer is sent (start the next spare)
        self.spares_started = 0

    def reap(self) -> None:
        """Collect the kernels that ended (at each request: no signal handler races with a fork)."""
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            self.children[pid] = os.waitstatus_to_exitcode(status)

    def serve(self) -> None:
        while True:
            try:
                request = self.conn.recv()
            except (EOFError, OSError):
                return  # the client is gone: so are we
            op = request.get("op")
            try:
                answer = getattr(self, f"op_{op}")(request)
            except Exception as exc:  # noqa: BLE001 - reported to the client
                answer = {"error": f"{type(exc).__name__}: {exc}"}
            try:
                self.conn.send(answer)
            except OSError:
                return
            after, self.after_answer = self.after_answer, None
            if after is not None:
                with contextlib.suppress(Exception):  # a spare that cannot start: the next claim forks
                    after()

    def op_ping(self, request) -> dict:
        return {"pid": os.getpid()}

    def op_install(self, request) -> dict:
        from mesra.batch import preparsed

        self.drop_spare()  # forked before these corpora: it would not have them
        preparsed.install(request["entries"])
        gc.collect()
        gc.freeze()
        return {"keys": preparsed.installed_keys()}

    def op_fork(self, request) -> dict:
        """Fork a kernel; answer once its sockets are bound (its client connects at once, no retry)."""
        pid, ready_r = self._fork(request)
        try:
            select.select([ready_r], [], [], float(request.get("timeout", START_TIMEOUT)))
        finally:
            os.close(ready_r)
        self.reap()
        return {"pid": pid}

    def op_claim(self, request) -> dict:
        """A kernel for a notebook: the spare started after the previous claim when it was started
        the same way (same command and environment; only the folder differs), else a new one.
        Either way a spare is started for the next claim once the answer is sent: its start
        (≈ 0.06 s) overlaps the notebook that runs now instead of preceding the next one."""
        template = _template(request)
        spare, self.spare = self.spare, None
        answer = None
        if spare is not None and spare.template == template and spare.wait_ready(self):
            try:
                theirs = _connection_file(request["args"])
                os.write(spare.claim_w, json.dumps({"cwd": request["cwd"], "connection_file": theirs}).encode())
                answer = {"pid": spare.pid, "connection": spare.connection}
            except OSError:
                answer = None
            finally:
                os.close(spare.claim_w)
        elif spare is not None:
            spare.drop(self)
        if answer is None:
            answer = self.op_fork(request)
        self.after_answer = lambda: self._start_spare(request, template)
        return answer

    def _start_spare(self, request: dict, template: tuple) -> None:
        from jupyter_client.connect import write_connection_file

        self.spares_started += 1
        theirs = _connection_file(request["args"])
        folder = Path(theirs).parent
        name = f"s{os.getpid()}-{self.spares_started}"
        path, info = write_connection_file(  # mode 0600, as the client writes its own
            str(folder / f"{name}.json"),
            shell_port=1,
            iopub_port=2,
            stdin_port=3,
            control_port=4,
            hb_port=5,
            ip=str(folder / name),
            key=secrets.token_hex(16).encode(),
            transport="ipc",
        )
        connection = {k: v for k, v in info.items() if k != "kernel_name"}  # the client's name stays
        args = [path if a == theirs else a for a in request["args"]]
        argv = [path if a == theirs else a for a in request["argv"]]
        claim_r, claim_w = os.pipe()
        pid, ready_r = self._fork({**request, "args": args, "argv": argv, "cwd": str(folder)}, claim_r, claim_w)
        os.close(claim_r)
        self.spare = _Spare(pid, template, connection, path, ready_r, claim_w)

    def drop_spare(self) -> None:
        spare, self.spare = self.spare, None
        if spare is not None:
            spare.drop(self)

    def _fork(self, request: dict, claim: int | None = None, claim_w: int | None = None) -> tuple[int, int]:
        """Fork a kernel child; its pid and the pipe it writes to once its sockets are bound
        (``claim``, ``claim_w``: the pipe a spare is claimed through, read end and write end)."""
        sys.stdout.flush()
        sys.stderr.flush()
        ready_r, ready_w = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            code = 1
            try:
                os.close(ready_r)
                if claim_w is not None:  # the parent's end: the spare must see end of file if dropped
                    os.close(claim_w)
                if self.spare is not None:  # another spare's pipes are not this child's
                    self.spare.close_fds()
                _become_kernel(self.conn, request, ready_w, claim)
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
            except BaseException:  # noqa: BLE001 - the child must never return into the parent's loop
                import traceback

                traceback.print_exc()
            finally:
                os._exit(code)
        os.close(ready_w)
        self.children[pid] = None
        return pid, ready_r

    def op_poll(self, request) -> dict:
        self.reap()
        pid = request["pid"]
        return {"known": pid in self.children, "exit": self.children.get(pid)}

    def op_signal(self, request) -> dict:
        self.reap()
        pid, signum = request["pid"], request["signal"]
        if self.children.get(pid, 0) is not None:  # unknown or already reaped: nothing to signal
            return {"sent": False}
        try:
            os.killpg(pid, signum)  # the kernel leads its own group (and what it started)
        except OSError:
            with contextlib.suppress(OSError):
                os.kill(pid, signum)
        if signum == signal.SIGKILL:  # it ends at once: let the next poll say so
            deadline = time.monotonic() + 2.0
            while self.children.get(pid) is None and time.monotonic() < deadline:
                time.sleep(0.001)
                self.reap()
        return {"sent": True}

    def op_forget(self, request) -> dict:
        self.reap()
        if self.children.get(request["pid"]) is not None:
            del self.children[request["pid"]]
        return {}

    def kill_all(self) -> None:
        self.reap()
        for pid, code in list(self.children.items()):
            if code is None:
                with contextlib.suppress(OSError):
                    os.killpg(pid, signal.SIGKILL)
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)


def _connection_file(args: list[str]) -> str:
    """The connection file a kernel is started with: the value of its ``-f``."""
    return args[args.index("-f") + 1]


def _template(request: dict) -> tuple:
    """How a kernel is started, but for its connection file and folder: spares are claimed by equal ones."""
    args = list(request["args"])
    path = _connection_file(args) if "-f" in args[:-1] else None
    argv = tuple("{connection}" if a == path else a for a in request["argv"])
    return argv, tuple("{connection}" if a == path else a for a in args), tuple(sorted(request["env"].items()))


class _Spare:
    """A kernel forked and initialised before its notebook is known, waiting to be claimed."""

    def __init__(self, pid: int, template: tuple, connection: dict, path: str, ready_r: int, claim_w: int):
        self.pid, self.template, self.connection, self.path = pid, template, connection, path
        self.ready_r, self.claim_w = ready_r, claim_w
        self.ready = False

    def wait_ready(self, parent: _Parent) -> bool:
        """Whether it initialised (waiting for it if it has not finished); False if it died."""
        if not self.ready:
            select.select([self.ready_r], [], [], START_TIMEOUT)
            try:
                self.ready = os.read(self.ready_r, 1) == b"1"
            except OSError:
                self.ready = False
            os.close(self.ready_r)
            self.ready_r = -1
        parent.reap()
        return self.ready and parent.children.get(self.pid, 0) is None

    def close_fds(self) -> None:
        for fd in (self.ready_r, self.claim_w):
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)

    def drop(self, parent: _Parent) -> None:
        """End it unclaimed: it reads end of file and exits (killed if it does not)."""
        self.close_fds()
        with contextlib.suppress(OSError):
            os.killpg(self.pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            os.unlink(self.path)


def _become_kernel(conn: Connection, request: dict, ready: int, claim: int | None = None) -> None:
    """In the forked child: become a fresh IPython kernel for one notebook, then exit.

    ``claim``: a spare kernel, started before its notebook is known (see ``_Parent.op_claim``),
    reads the notebook's folder from this pipe once initialised."""
    parent = os.getppid()
    _prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL))  # the parent dies: so does the kernel
    if os.getppid() != parent:
        os._exit(1)
    os.setsid()  # its own session and process group, as jupyter_client starts kernels
    conn.close()
    for signum in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
        signal.signal(signum, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    _prctl(_PR_SET_NAME, KERNEL_PROCESS_NAME.encode())
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    os.environ["JPY_PARENT_PID"] = str(parent)  # as jupyter_client tells a kernel it starts
    sys.argv = list(request["argv"])
    gc.enable()  # the parent's objects stay frozen: never scanned, their pages stay shared
    with contextlib.suppress(Exception):
        import numpy

        numpy.random.seed()  # a fresh kernel's global random state, not the parent's
    from ipykernel.kernelapp import IPKernelApp

    app = IPKernelApp.instance(parent_handle=parent)  # its default was read in the parent's environment
    app.initialize(list(request["args"]))
    os.write(ready, b"1")  # sockets bound
    os.close(ready)
    if claim is not None:  # a spare: wait for the notebook it will run, then move to its folder
        _claimed(app, claim, request["args"])
    app.start()


def _claimed(app, claim: int, args: list[str]) -> None:
    """In a spare kernel: block until the parent hands it a notebook's folder and the client's
    connection file (end of file: never claimed, exit), go there as if started there, and take
    that file for its own (the client writes the spare's connection information in it)."""
    chunks = []
    while chunk := os.read(claim, 65536):
        chunks.append(chunk)
    os.close(claim)
    if not chunks:
        os._exit(0)
    claim_data = json.loads(b"".join(chunks))
    cwd = claim_data["cwd"]
    os.chdir(cwd)
    shell = app.shell
    shell.starting_dir = os.getcwd()  # what IPython read at start: the folder the kernel started in
    shell.history_manager.dir_hist[:] = [Path.cwd()]
    with contextlib.suppress(OSError, ValueError, IndexError):
        os.unlink(_connection_file(args))  # read at initialize; its sockets are the client's to remove
    app.connection_file = claim_data["connection_file"]  # what get_connection_file() answers


def main(argv: list[str] | None = None) -> int:
    """``python -m mesra.batch.warm FD``: serve the client connected on file descriptor ``FD``."""
    argv = sys.argv[1:] if argv is None else argv
    conn = Connection(int(argv[0]))
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the batch's: it ends us by closing the connection
    if sys.path and (sys.path[0] == "" or Path(sys.path[0]) == Path.cwd()):
        del sys.path[0]  # as ipykernel_launcher does; the kernel's shell adds '' back
    parent = _Parent(conn)
    try:
        gc.disable()  # no collection between fork and exec: pages stay shared
        try:
            _warm_up()
        except Exception as exc:  # the client names the cause instead of "ne répond plus"
            conn.send({"failed": f"{type(exc).__name__}: {exc}"})
            return 1
        gc.collect()
        gc.freeze()
        conn.send({"ready": os.getpid()})
        parent.serve()
    finally:
        parent.kill_all()
    return 0


# --- the client side -------------------------------------------------------------------------------
#: Runs a module as ``python -m`` does, with the current folder out of ``sys.path`` before any import:
#: a folder named ``mesra`` in the current directory (the clone, seen from its parent) never shadows
#: the package. (``python -P`` does the same from Python 3.11, but its flag would reach the kernels,
#: whose shell then leaves the notebook's folder out of ``sys.path``.)
_SAFE_START = (
    "import sys; del sys.path[0]; import runpy; runpy.run_module(sys.argv.pop(1), run_name='__main__', alter_sys=True)"
)


def module_command(module: str, *args: str) -> list[str]:
    """The command that runs ``python -m module args`` without the current folder in ``sys.path``."""
    return [sys.executable, "-c", _SAFE_START, module, *args]


def _environment_signature(env: dict[str, str]) -> str:
    h = hashlib.sha256()
    for key in sorted(env):
        h.update(f"{key}={env[key]}\0".encode("utf-8", "surrogateescape"))
    return h.hexdigest()


#: Private folders of the kernels' sockets and connection files: ``<tmp>/mesra-noyaux-<pid>-<random>``.
FOLDER_PREFIX = "mesra-noyaux-"


def _remove_stale_folders() -> None:
    """Remove the private folders of processes killed before they could (``kill -9``)."""
    import psutil

    for folder in Path(tempfile.gettempdir()).glob(f"{FOLDER_PREFIX}*"):
        with contextlib.suppress(OSError, ValueError):
            pid = int(folder.name[len(FOLDER_PREFIX) :].split("-", 1)[0])
            if folder.stat().st_uid == os.getuid() and not psutil.pid_exists(pid):
                shutil.rmtree(folder, ignore_errors=True)


class WarmParent:
    """A warm parent process started by this process, and the connection to it."""

    def __init__(self, *, code: str = ""):
        self.lock = threading.Lock()
        self.environment = _environment_signature(dict(os.environ))
        self.executable = sys.executable
        self.code = code
        self.installed: set[tuple] = set()
        _remove_stale_folders()
        self.folder = Path(tempfile.mkdtemp(prefix=f"{FOLDER_PREFIX}{os.getpid()}-"))  # mode 0700
        ours, theirs = socket.socketpair()
        try:
            self.process = subprocess.Popen(
                module_command("mesra.batch.warm", str(theirs.fileno())),
                pass_fds=[theirs.fileno()],
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # Ctrl-C in a terminal is for the batch, which ends us
                env=dict(os.environ),
            )
        finally:
            theirs.close()
        self.conn = Connection(ours.detach())
        self.ready = False

    # -- requests --
    def _wait_ready(self) -> None:
        if self.ready:
            return
        if not self.conn.poll(START_TIMEOUT):
            self.close()
            raise WarmParentError("le processus parent des noyaux ne démarre pas (délai dépassé)")
        try:
            answer = self.conn.recv()
        except (EOFError, OSError):
            raise WarmParentError(self._gone()) from None
        if "failed" in answer:
            self.close()
            raise WarmParentError(f"le processus parent des noyaux n’a pas pu démarrer : {answer['failed']}")
        self.ready = True

    def _gone(self) -> str:
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=1.0)  # an exit just now: say how it ended rather than "ne répond plus"
        code = self.process.poll()
        if code is None:
            return "le processus parent des noyaux ne répond plus"
        return f"le processus parent des noyaux s’est arrêté ({describe_exit(code)})"

    def request(self, op: str, **fields) -> dict:
        with self.lock:
            self._wait_ready()
            try:
                self.conn.send({"op": op, **fields})
                if not self.conn.poll(ANSWER_TIMEOUT):
                    raise WarmParentError("le processus parent des noyaux ne répond plus")
                answer = self.conn.recv()
            except (EOFError, OSError, BrokenPipeError):
                raise WarmParentError(self._gone()) from None
        if "error" in answer:
            raise WarmParentError(answer["error"])
        return answer

    def alive(self) -> bool:
        return self.process.poll() is None

    def install(self, entries: list) -> None:
        """Hand the parsed corpora to the parent (the kernels it forks next find them)."""
        from mesra.batch.preparsed import entry_key

        new = [e for e in entries if entry_key(e) not in self.installed]
        if new:
            self.installed = set(self.request("install", entries=new)["keys"])

    def claim_kernel(self, *, argv: list[str], args: list[str], cwd: str, env: dict[str, str]) -> dict:
        """A kernel for a notebook: ``pid``, and ``connection`` when it is a spare started before
        (its connection information replaces the one in ``args``, which it never read)."""
        return self.request("claim", argv=argv, args=args, cwd=cwd, env=env)

    def poll(self, pid: int) -> int | None:
        """The kernel's exit code (``-N``: killed by signal N), or None while it runs."""
        answer = self.request("poll", pid=pid)
        return answer["exit"] if answer["known"] else 0

    def signal(self, pid: int, signum: int) -> bool:
        return bool(self.request("signal", pid=pid, signal=int(signum))["sent"])

    def forget(self, pid: int) -> None:
        with contextlib.suppress(WarmParentError):
            self.request("forget", pid=pid)

    def close(self) -> None:
        """End the parent (and any kernel it still has) and remove the private folder."""
        with contextlib.suppress(OSError):
            self.conn.close()
        with contextlib.suppress(Exception):
            self.process.wait(timeout=5)
        if self.process.poll() is None:
            with contextlib.suppress(OSError):
                self.process.kill()
            with contextlib.suppress(Exception):
                self.process.wait(timeout=5)
        shutil.rmtree(self.folder, ignore_errors=True)

    def suits(self, code: str) -> bool:
        """Still the right parent for this process: same interpreter, environment and mesra code."""
        return (
            self.alive()
            and self.executable == sys.executable
            and self.environment == _environment_signature(dict(os.environ))
            and code == self.code
        )


_CURRENT: WarmParent | None = None
_CURRENT_LOCK = threading.Lock()


def code_stamp() -> str:
    """A stamp of mesra's source files (names, sizes, modification times): cheap enough for every notebook."""
    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    for p in sorted(root.rglob("*.py")):
        with contextlib.suppress(OSError):
            st = p.stat()
            h.update(f"{p.relative_to(root).as_posix()}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
    return h.hexdigest()


def warm_parent() -> WarmParent:
    """This process's warm parent, started (or restarted) when needed.

    A new one replaces the current one when it died, or when the interpreter, the
    environment variables or mesra's source files changed since it started (a fresh
    kernel would see the change: so must a warm one).
    """
    global _CURRENT
    code = code_stamp()
    with _CURRENT_LOCK:
        if _CURRENT is not None and not _CURRENT.suits(code):
            _CURRENT.close()
            _CURRENT = None
        if _CURRENT is None:
            _CURRENT = WarmParent(code=code)
            _register_exit()
        return _CURRENT


def close_warm_parent() -> None:
    """End this process's warm parent, if any."""
    global _CURRENT
    with _CURRENT_LOCK:
        if _CURRENT is not None:
            _CURRENT.close()
            _CURRENT = None


_EXIT_REGISTERED = False


def _register_exit() -> None:
    global _EXIT_REGISTERED
    if not _EXIT_REGISTERED:
        import atexit

        atexit.register(close_warm_parent)
        _EXIT_REGISTERED = True


def describe_exit(code: int) -> str:
    """An exit code in French: ``signal 9, SIGKILL`` or ``code de sortie 3``."""
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = "inconnu"
        return f"signal {-code}, {name}"
    return f"code de sortie {code}"


def wait_gone(pid: int, seconds: float) -> None:  # pragma: no cover - helper for callers
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except OSError:
            return
        time.sleep(0.05)


if __name__ == "__main__":
    sys.exit(main())
