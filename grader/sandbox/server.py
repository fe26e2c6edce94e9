"""Run student code in child processes and bring back plain JSON values.

This module is the trust boundary of the grader: student text is never imported, evaluated
or executed here.  It runs in children of a pre-warmed fork server, and only JSON comes
back, checked again on arrival.

Processes::

    grader (this module) ── control socket ──► fork server: python -s -S -P -B -c BOOT
                                               │ imports numpy etc. once, no grader code;
                                               │ forks one supervisor per child session
                                               ▼
                                         supervisor (trusted): namespaces + new root,
                                               │ writes the student's files, reports the
                                               │ runner's pidfd and exit status
                                               ▼
                                         runner: drops every privilege, then imports the
                                         student's modules and answers the requests

Why a fork server: grading a class then costs a fork per submission, not a Python start
plus a numpy import.  The server gets its code (grader/sandbox/child.py) through its
control socket and compiles it as ``<sandbox>``, so no frame next to student code names a
grader file.  Its argv is fixed, its environment is ours alone (hence ``-I`` without
``-E``: PYTHONHASHSEED=0 makes set orders, and so grades, reproducible), nothing is
pickled, and neither it nor its children import ``grader`` or ``reference``.

Isolation (``Sandbox.isolation``):

* ``"namespaces"``: new mount, network, pid, ipc and uts namespaces (plus a user
  namespace when we are not root).  The runner's root is a read-only tmpfs holding only
  /usr, /lib*, /bin, /etc, four /dev nodes, the standard library and numpy (the rest of
  site-packages, the course repository, /root, /home, /tmp and /proc are not there), and
  a small writable tmpfs ``/sandbox`` as working directory.  It is pid 1 of its pid
  namespace, so it sees and can signal no process of ours; there is no network.  As root
  the runner becomes ``nobody`` (no capability, RLIMIT_NPROC applies, host files are not
  its own); otherwise it drops its namespace capabilities.  no_new_privs is set, a
  seccomp filter (x86_64) denies exec, fork, ptrace, sockets, mounts, namespace changes
  and signals to other processes, and rlimits bound CPU, memory, file size, open files
  and processes (RLIMIT_NPROC=0: no fork, no thread).
* ``"landlock"`` / ``"rlimits-only"``: no namespaces.  A fresh temp working directory,
  a scrubbed environment, its own session, ``nobody`` if we are root, the rlimits and the
  seccomp filter, and where the kernel has it Landlock (read only the system, Python and
  site-packages; write only the working directory; no TCP; no signals out).
  ``Sandbox.warning`` then holds a one-line notice (en / ru) for the command line.

Timeouts: every request has a wall-clock deadline in this process, from the moment the
runner is ready (a module's import counts toward the first request that needs it).  When
it passes, the runner and its supervisor get SIGKILL through pidfds (no pid reuse race;
setsid or a cleared parent-death signal do not help the student), the request is
"timeout", and a fresh child continues with the next request.  A module whose import hung
or crashed is not imported again: its other requests get the same outcome at once.

Why the result channel cannot be abused: the runner writes length-prefixed JSON frames
on a pipe of its own (stdout and stderr go to a separate pipe whose bytes are only shown
as output), and student code runs in the same process, so it can find that fd and write
to it.  That gains nothing: the child only ever holds the student's own values and the
request arguments (this process sends no expected value, and no reference code exists in
the child), so a forged frame can only claim a value the student could have returned
anyway, or an error.  This side reads frames with strict bounds (size, depth, one
expected sequence of request indices and phases), converts nothing it does not check,
and treats any deviation as an error of that request, then continues in a new child.
Values are converted to float in the child against exact types (no rigged __eq__ or
__float__ survives), and checked again here as JSON, whatever the child claims.
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib.util
import json
import mmap
import os
import select
import shutil
import signal
import site
import socket
import struct
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
import weakref
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from grader.sandbox.protocol import (
    CONTROL,
    EXPECTS,
    MAX_SOURCE_BYTES,
    Budget,
    InvalidFrame,
    Limits,
    Outcome,
    Request,
    SandboxError,
    outcome_of,
)
from reference.i18n import Text, pick, t

__all__ = ["Budget", "Limits", "Outcome", "Request", "Sandbox", "SandboxError"]

_SETUP_TIMEOUT = 15.0  # seconds for the server or a child to become ready
_EXIT_CHANNEL_BROKEN = 121  # must match child.EXIT_CHANNEL_BROKEN
_PROGRESS = struct.Struct("<qq")  # must match child.PROGRESS: (request index, phase)
_PHASES = {0: "start", 1: "import", 2: "call"}  # must match child.PHASES
#: The runner sends the results it has every this many seconds (and at the end): a
#: submission's hundreds of requests then cost a few frames, not one each.  A request's
#: timeout counts from the last batch, plus this.
_FLUSH_SECONDS = 0.02
_PRELOAD = (
    "numpy",
    "numpy.linalg",
    "numpy.random",
    "json",
    "math",
    "cmath",
    "random",
    "fractions",
    "decimal",
    "statistics",
    "functools",
    "itertools",
    "collections",
    "operator",
    "re",
    "string",
    "inspect",
    "traceback",
    "typing",
    "dataclasses",
    "enum",
    "copy",
    "numbers",
    "textwrap",
    "tokenize",
    "linecache",
    "types",
    "time",
    "datetime",
    "warnings",
    "pprint",
    "io",
    "abc",
    "heapq",
    "bisect",
    "array",
    "struct",
    "ast",
    "contextlib",
    "importlib.util",
)
_BOOT = (
    "import socket as s;c=s.socket(fileno=0);g={'__name__':'_sandbox'};"
    "exec(compile(c.recv(1<<20),'<sandbox>','exec'),g);g['serve'](c)"
)
#: What a session learnt fails whatever the child: a module's import or a function's call.
Doomed = dict[str | tuple[str, str], tuple[Outcome, int]]

#: Added to the isolation's name when the child could install no seccomp filter.
NO_SECCOMP = "-without-seccomp"
_NO_SECCOMP_WARNING = (
    "sandbox: no seccomp filter on this machine, student code may exec, fork and open "
    "sockets within its sandbox / песочница: на этой машине нет фильтра seccomp, код "
    "студентов может запускать программы, создавать процессы и сокеты внутри песочницы"
)
_WARNINGS = {
    "landlock": (
        "sandbox: Linux user namespaces are unavailable, student code is confined by "
        "resource limits and Landlock only / песочница: пространства имён Linux недоступны, "
        "код студентов ограничен только лимитами ресурсов и Landlock"
    ),
    "rlimits-only": (
        "sandbox: Linux user namespaces are unavailable, student code runs with resource "
        "limits only and can read this user's files / песочница: пространства имён Linux "
        "недоступны, код студентов ограничен только лимитами ресурсов и может читать файлы "
        "этого пользователя"
    ),
}


# ---------------------------------------------------------------------------- host paths

#: This project's top-level packages: hidden from student code like the course repository.
PACKAGES = ("reference", "grader", "publish", "cli")


def _real(path: str) -> str:
    return os.path.realpath(path)


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip("/") + "/")


@dataclass(frozen=True)
class _HostPaths:
    project: list[str]  # the course repository, or our two packages when installed
    sys_path: list[str]
    root_plan: list[list[str]]  # [kind, path]: "bind", "hide" or "symlink", parents first
    readable: list[str]  # for Landlock


def _remove_dir(path: str) -> None:
    with contextlib.suppress(OSError):
        os.rmdir(path)


def _host_paths() -> _HostPaths:
    """Where the standard library, numpy, site-packages and the course repository are."""
    repo = _real(str(Path(__file__).resolve().parents[2]))
    if os.path.basename(repo) in ("site-packages", "dist-packages"):  # a plain install
        project = [os.path.join(repo, name) for name in PACKAGES]
    else:
        project = [repo]
        prefix = _real(sys.prefix)
        if _inside(prefix, repo):  # a venv made in the checkout, as the README's quick start does:
            # everything of the checkout but the venv (numpy lives there)
            entries = (os.path.join(repo, name) for name in sorted(os.listdir(repo)))
            project = [p for p in entries if not _inside(prefix, p)]
    stdlib = [_real(os.path.dirname(os.__file__))]
    for key in ("stdlib", "platstdlib"):
        with contextlib.suppress(KeyError):
            stdlib.append(_real(sysconfig.get_paths()[key]))
    stdlib += [_real(p) for p in sys.path if p.endswith("lib-dynload") and os.path.isdir(p)]
    numpy_dirs: list[str] = []
    spec = importlib.util.find_spec("numpy")
    if spec is not None and spec.submodule_search_locations:
        numpy_dir = _real(next(iter(spec.submodule_search_locations)))
        numpy_dirs.append(numpy_dir)
        libs = os.path.join(os.path.dirname(numpy_dir), "numpy.libs")
        if os.path.isdir(libs):
            numpy_dirs.append(libs)
    sites: list[str] = []
    with contextlib.suppress(Exception):
        sites += [_real(p) for p in site.getsitepackages()]
    with contextlib.suppress(Exception):
        sites.append(_real(site.getusersitepackages()))
    sites += [
        _real(p) for p in sys.path if os.path.basename(p) in ("site-packages", "dist-packages")
    ]
    sites += [os.path.dirname(d) for d in numpy_dirs]
    # The standard library's own folder holds the base interpreter's site-packages: in a venv
    # made from it (pyenv's, say) that is not among the venv's sites, yet is bound with it.
    sites += [
        os.path.join(path, name)
        for path in stdlib
        for name in ("site-packages", "dist-packages")
        if os.path.isdir(os.path.join(path, name))
    ]
    sys_path = list(dict.fromkeys(stdlib))
    if numpy_dirs:
        sys_path.append(os.path.dirname(numpy_dirs[0]))
    sys_path = [p for p in sys_path if os.path.isdir(p) and not any(_inside(p, q) for q in project)]

    plan: list[list[str]] = []

    def visible(path: str) -> bool:
        best, kind = "", "hide"
        for k, p in plan:
            if _inside(path, p) and len(p) > len(best):
                best, kind = p, k
        return bool(best) and kind == "bind"

    for top in ("/usr", "/lib", "/lib64", "/lib32", "/libx32", "/bin", "/sbin", "/etc"):
        if os.path.islink(top):
            plan.append(["symlink", top])
        elif os.path.isdir(top):
            plan.append(["bind", top])
    for dev in ("/dev/null", "/dev/zero", "/dev/urandom", "/dev/random"):
        if os.path.exists(dev):
            plan.append(["bind", dev])
    for path in dict.fromkeys(stdlib):
        if os.path.isdir(path) and not visible(path):
            plan.append(["bind", path])
    for path in dict.fromkeys([*sites, *project]):
        if visible(path):
            plan.append(["hide", path])
    for path in numpy_dirs:
        if not visible(path):
            plan.append(["bind", path])
    plan.sort(key=lambda entry: entry[1].rstrip("/").count("/"))
    readable = [p for k, p in plan if k == "bind"]
    return _HostPaths(project, sys_path, plan, readable)


# ---------------------------------------------------------------------------- frames


def _depth_ok(obj: object, limit: int) -> bool:
    stack = [(obj, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return False
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return True


def _reject_constant(name: str) -> object:
    raise ValueError(f"non-finite number {name}")


class _Frames:
    """Length-prefixed JSON frames from an untrusted writer, with strict bounds.

    A broken frame is remembered, not raised at once: the good frames before it (the
    runner's "ready" frame, written before any student code runs) are still delivered.
    """

    def __init__(self, max_frame: int) -> None:
        self.buf = bytearray()
        self.max_frame = max_frame
        self.ready: deque[dict] = deque()
        self.error: InvalidFrame | None = None

    def __bool__(self) -> bool:
        return bool(self.ready) or self.error is not None

    def pop(self) -> dict:
        """The next frame; raises the stored violation once the good frames are used up."""
        if self.ready:
            return self.ready.popleft()
        assert self.error is not None
        raise self.error

    def feed(self, data: bytes) -> None:
        if self.error is not None:
            return
        self.buf += data
        try:
            self._parse()
        except InvalidFrame as exc:
            self.error = exc
            self.buf.clear()

    def _parse(self) -> None:
        while len(self.buf) >= 4:
            size = int.from_bytes(self.buf[:4], "big")
            if size > self.max_frame:
                raise InvalidFrame(f"a frame of {size} bytes")
            if len(self.buf) < 4 + size:
                return
            payload = bytes(self.buf[4 : 4 + size])
            del self.buf[: 4 + size]
            try:
                obj = json.loads(payload.decode("ascii"), parse_constant=_reject_constant)
            except (ValueError, RecursionError) as exc:
                raise InvalidFrame("a malformed frame") from exc
            if not isinstance(obj, dict) or not _depth_ok(obj, 42):
                raise InvalidFrame("a malformed frame")
            self.ready.append(obj)


# ---------------------------------------------------------------------------- child session


@dataclass
class _Child:
    res: int
    out: int
    ctl: socket.socket
    c_pidfd: int | None
    c_pid: int
    workdir: str | None
    frames: _Frames
    output: _OutSplitter
    slot: mmap.mmap
    g_pidfd: int | None = None
    g_pid: int | None = None
    status: int | None = None
    eof: bool = False
    out_open: bool = True
    ctl_open: bool = True
    closed: bool = False
    setup_error: str = ""


class _Output:
    """The first `limit` bytes of what a request printed; the rest is counted, not kept."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.data = bytearray()
        self.dropped = 0

    def add(self, chunk: bytes) -> None:
        room = self.limit - len(self.data)
        if room > 0:
            self.data += chunk[:room]
        self.dropped += max(0, len(chunk) - max(room, 0))

    def text(self) -> str:
        text = self.data.decode("utf-8", "replace").translate(CONTROL)
        if self.dropped:
            text += f"\n… ({self.dropped} more bytes of output not shown)"
        return text


_MARK = b"\x00\x1b[sandbox-end:"  # must match child.OUTPUT_MARK


class _OutSplitter:
    """Splits the child's stdout/stderr stream at the runner's end-of-request markers.

    The runner writes a marker after each request, before its result frame, so when the
    frame for request k has arrived, everything k printed is already in the pipe, up to
    marker k.  A forged marker only misplaces the student's own output.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.current = _Output(limit)
        self.tail = b""
        self.done: dict[int, _Output] = {}

    def feed(self, data: bytes) -> None:
        buf = self.tail + data
        self.tail = b""
        span = len(_MARK) + 24
        while buf:
            j = buf.find(_MARK)
            if j < 0:
                z = buf.rfind(b"\x00", max(0, len(buf) - len(_MARK)))
                cut = z if z >= 0 and _MARK.startswith(buf[z:]) else len(buf)
                self.current.add(buf[:cut])
                self.tail = buf[cut:]
                return
            self.current.add(buf[:j])
            end = buf.find(b"]", j + len(_MARK), j + span)
            if end < 0:
                if len(buf) - j < span:
                    self.tail = buf[j:]
                    return
                self.current.add(buf[j : j + 1])
                buf = buf[j + 1 :]
                continue
            number = buf[j + len(_MARK) : end]
            if number.isdigit() and len(self.done) < 256:
                self.done[int(number)] = self.current
                self.current = _Output(self.limit)
            buf = buf[end + 1 :]

    def take(self, k: int) -> _Output:
        """The output of request k: up to its marker, or all so far if there is none."""
        out = self.done.pop(k, None)
        for stale in [j for j in self.done if j <= k]:
            del self.done[stale]
        if out is None:
            self.current.add(self.tail)
            self.tail = b""
            out, self.current = self.current, _Output(self.limit)
        return out


def _death_message(status: int | None, doing: Text, limits: Limits) -> Text:
    """Why the runner ended before answering, in every language (`doing`: what it was at)."""

    def says(en: str, ru: str) -> Text:
        return t(f"{en} while {doing['en']}", f"{ru} {doing['ru']}")

    stopped = says("the program stopped unexpectedly", "программа неожиданно остановилась")
    if status is None or status < 0:
        return stopped
    if os.WIFEXITED(status):
        code = os.WEXITSTATUS(status)
        if code == _EXIT_CHANNEL_BROKEN:
            return says(
                "the program broke the sandbox's result channel",
                "программа сломала канал результатов песочницы",
            )
        if code == 0:
            return says(
                "the program ended without giving an answer", "программа завершилась, не дав ответа"
            )
        return says(
            f"the program exited (os._exit({code}))", f"программа завершилась (os._exit({code}))"
        )
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        if sig == signal.SIGXCPU:
            return says(
                f"the program used more than {limits.cpu_seconds} s of CPU time",
                f"программа израсходовала больше {limits.cpu_seconds} с процессорного времени",
            )
        if sig == signal.SIGSEGV:
            return says(
                "the program crashed (segmentation fault)",
                "программа упала (ошибка сегментации)",
            )
        if sig == signal.SIGKILL:
            return says(
                "the program was killed (out of CPU time or memory?)",
                "программа была остановлена (не хватило времени или памяти?)",
            )
        try:
            name = signal.Signals(sig).name
        except ValueError:
            name = f"signal {sig}"
        return says(f"the program was killed by {name}", f"программа остановлена сигналом {name}")
    return stopped


def _failed(status: str, text: Text, output: str = "") -> Outcome:
    """An Outcome without a value, its message in every language (`error` in English)."""
    return Outcome(status, error=pick(text, "en"), output=output, text=text)


# ---------------------------------------------------------------------------- the sandbox


def _frame_bytes(limits: Limits) -> int:
    """The largest batch of results the runner may send in one frame."""
    return max(1 << 20, limits.max_value_bytes + 8192)


def _size(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))


def _write_with_deadline(fd: int, data: bytes, timeout: float) -> None:
    """Write all of `data` to a pipe and close it, or raise OSError after `timeout`."""
    deadline = time.monotonic() + timeout
    view = memoryview(data)
    try:
        os.set_blocking(fd, False)
        while view:
            try:
                n = os.write(fd, view[: 1 << 16])
            except BlockingIOError:
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([], [fd], [], left)[1]:
                    raise TimeoutError("the supervisor did not read its job") from None
                continue
            view = view[n:]
    finally:
        os.close(fd)


def _stop_server(proc: subprocess.Popen, ctl: socket.socket) -> None:
    with contextlib.suppress(OSError):
        ctl.close()
    try:
        proc.wait(timeout=2)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


class Sandbox:
    """Runs student modules in isolated children; one per grading worker, reusable.

    `isolation` may force "namespaces" (fail if impossible), "landlock" or "rlimits-only";
    "auto" takes the strongest this machine allows.
    """

    def __init__(
        self, limits: Limits | None = None, *, isolation: str = "auto", seccomp: bool = True
    ) -> None:
        if isolation not in ("auto", "namespaces", "landlock", "rlimits-only"):
            raise ValueError(f"unknown isolation {isolation!r}")
        self.limits = limits if limits is not None else Limits()
        self._want = isolation
        # False: install no seccomp filter, as on a machine without one (aarch64): to test
        # that such a machine is reported, and refused by isolation="namespaces"
        self._seccomp = seccomp
        self._isolation = ""
        self._mode = ""
        self._lock = threading.RLock()
        self._proc: subprocess.Popen | None = None
        self._ctl: socket.socket | None = None
        self._owner = 0
        self._paths: _HostPaths | None = None
        self._finalizer: weakref.finalize | None = None
        self.server_pid = 0
        # The new root of a namespace child is assembled on a tmpfs mounted (in the child's
        # own mount namespace) over this empty directory: one of its own, so that mount never
        # hides a source still to be bound, such as Python in a venv under /tmp.
        self._staging = ""

    # -- life cycle

    def __enter__(self) -> Sandbox:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def isolation(self) -> str:
        """The isolation in force: namespaces, landlock or rlimits-only (starts if needed)."""
        self.start()
        return self._isolation

    @property
    def warning(self) -> str:
        """One line (en / ru) for the CLI to print once; empty when fully isolated."""
        isolation = self.isolation
        base = isolation.removesuffix(NO_SECCOMP)
        said = [_WARNINGS[base]] if base in _WARNINGS else []
        if isolation.endswith(NO_SECCOMP):
            said.append(_NO_SECCOMP_WARNING)
        return "; ".join(said)

    def start(self) -> None:
        """Start the fork server and find out which isolation works (idempotent)."""
        with self._lock:
            if self._proc is not None and self._owner == os.getpid():
                if self._proc.poll() is None:
                    return
                self._drop_server()
            if self._proc is not None:  # we are a forked copy: the server is not ours
                if self._finalizer is not None:
                    self._finalizer.detach()
                    self._finalizer = None
                if self._ctl is not None:
                    with contextlib.suppress(OSError):
                        self._ctl.close()
                self._proc = None
                self._ctl = None
            self._start_server()
            if not self._mode:
                self._choose_mode()

    def close(self) -> None:
        """Stop the fork server; a later `run` starts a new one."""
        with self._lock:
            self._drop_server()
            if self._staging:
                with contextlib.suppress(OSError):
                    os.rmdir(self._staging)
                self._staging = ""

    def _staging_dir(self) -> str:
        if not self._staging:
            self._staging = tempfile.mkdtemp(prefix="grader-root-")
            weakref.finalize(self, _remove_dir, self._staging)  # also when a worker exits
        return self._staging

    def _drop_server(self) -> None:
        if self._finalizer is not None:
            self._finalizer()
            self._finalizer = None
        self._proc = None
        self._ctl = None

    def _start_server(self) -> None:
        if self._paths is None:
            self._paths = _host_paths()
        source = Path(__file__).with_name("child.py").read_bytes()
        parent, child = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        env = {
            "PATH": "/usr/bin:/bin",
            "LANG": "C.UTF-8",
            "OPENBLAS_NUM_THREADS": "1",
            "OMP_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
        }
        # -I without -E: the environment is ours entirely, and a fixed hash seed makes
        # set and dict-of-set orders, hence grades, reproducible from run to run.
        flags = ["-s", "-S", "-B"] + (["-P"] if sys.version_info >= (3, 11) else [])
        env["PYTHONHASHSEED"] = "0"
        try:
            proc = subprocess.Popen(
                [sys.executable, *flags, "-c", _BOOT],
                stdin=child.fileno(),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                cwd="/",
                env=env,
                close_fds=True,
                start_new_session=True,
            )
        finally:
            child.close()
        self._finalizer = weakref.finalize(self, _stop_server, proc, parent)
        self._proc, self._ctl, self._owner = proc, parent, os.getpid()
        try:
            parent.settimeout(_SETUP_TIMEOUT + 30)
            parent.send(source)
            config = {
                "sys_path": self._paths.sys_path,
                "preload": list(_PRELOAD),
                "project": self._paths.project,
            }
            parent.send(json.dumps(config).encode())
            hello = json.loads(parent.recv(65536) or b"{}")
        except (OSError, ValueError) as exc:
            self._drop_server()
            raise SandboxError(f"the sandbox server did not start: {exc}") from exc
        if hello.get("op") != "hello":
            self._drop_server()
            raise SandboxError("the sandbox server did not start")
        self.server_pid = int(hello["pid"])

    def _choose_mode(self) -> None:
        order = {
            "auto": ["namespaces", "landlock"],
            "namespaces": ["namespaces"],
            "landlock": ["landlock"],
            "rlimits-only": ["rlimits"],
        }[self._want]
        errors = []
        for mode in order:
            try:
                ready = self._probe(mode)
            except SandboxError as exc:
                errors.append(f"{mode}: {exc}")
                continue
            got = ready.get("isolation")
            checks = ready.get("checks") or {}
            if mode == "namespaces" and (got != "namespaces" or checks.get("project_visible")):
                errors.append("namespaces: the course repository stayed visible")
                continue
            isolation = got if got in ("namespaces", "landlock") else "rlimits-only"
            if not checks.get("seccomp"):  # the child says whether its filter went in
                if self._want == "namespaces":
                    errors.append(
                        f"namespaces: no seccomp filter is installed on this machine "
                        f"({os.uname().machine}): exec, fork and sockets would be left open"
                    )
                    continue
                isolation += NO_SECCOMP
            self._mode = mode
            self._isolation = isolation
            return
        raise SandboxError("no sandbox works here: " + "; ".join(errors))

    def _probe(self, mode: str) -> dict:
        child = self._spawn({}, [], mode)
        try:
            return self._wait_ready(child)
        finally:
            self._finish(child)

    # -- running

    def run(
        self,
        files: Mapping[str, str],
        requests: Sequence[Request],
        budget: Budget | None = None,
    ) -> list[Outcome]:
        """Answer `requests` from the student's `files` (module name → source text).

        Returns one Outcome per request, in order.  Raises SandboxError only when the
        sandbox itself fails, ValueError for malformed arguments; never because of
        anything the student's code does.  With a `budget` (the submission's, shared by its
        runs) the runs stop when it is spent: the request running then and every request
        left are `budget.outcome()`, a timeout.
        """
        files = dict(files)
        for module, source in files.items():
            if not isinstance(module, str) or not module.isidentifier():
                raise ValueError(f"bad module name {module!r}")
            if not isinstance(source, str):
                raise TypeError(f"source of {module} must be str")
        reqs = [self._normalize(r) for r in requests]
        too_big = {m for m, src in files.items() if _size(src) > MAX_SOURCE_BYTES}
        files = {m: src for m, src in files.items() if m not in too_big}
        outcomes: list[Outcome | None] = [None] * len(reqs)
        for k, r in enumerate(reqs):
            if r.module in too_big:
                outcomes[k] = _failed(
                    "error", t(f"{r.module}.py is larger than 1 MiB", f"{r.module}.py больше 1 МиБ")
                )
            elif r.module not in files:
                outcomes[k] = _failed(
                    "missing", t(f"{r.module}.py not found", f"{r.module}.py не найден")
                )
        with self._lock, budget.running() if budget else contextlib.nullcontext() as end:
            self.start()
            # A module whose import failed the child, or a function whose call did (hung,
            # exited, crashed), is not tried again: its other requests share the outcome,
            # so an endless loop costs one timeout, not one per point it is called at.
            # (The outcome, and the request after which it holds.)
            doomed: dict[str | tuple[str, str], tuple[Outcome, int]] = {}
            restarts = 0
            careful = False  # one frame a request: after a frame that broke the protocol
            while True:
                todo = []
                for k, r in enumerate(reqs):
                    fate = doomed.get(r.module) or doomed.get((r.module, r.name))
                    if outcomes[k] is None and fate is not None and k > fate[1]:
                        outcomes[k] = fate[0]
                    elif outcomes[k] is None:
                        todo.append(k)
                if not todo:
                    break
                if end is not None and time.monotonic() >= end:
                    assert budget is not None
                    for k in todo:
                        outcomes[k] = budget.outcome()
                    break
                try:
                    careful = self._session(
                        files, reqs, todo, outcomes, doomed, budget, end, careful
                    )
                except SandboxError:
                    if restarts >= 2:
                        raise
                    restarts += 1  # e.g. the server was killed from outside: once more
                    self._drop_server()
                    self.start()
        not_graded = _failed("error", t("not graded", "не проверено"))
        return [o if o is not None else not_graded for o in outcomes]

    @staticmethod
    def _normalize(r: Request) -> Request:
        if not isinstance(r, Request):
            raise TypeError("requests must be Request objects")
        if r.expect not in EXPECTS:
            raise ValueError(f"unknown expect {r.expect!r}")
        if not isinstance(r.module, str) or not r.module.isidentifier():
            raise ValueError(f"bad module name {r.module!r}")
        if not isinstance(r.name, str) or not r.name.isidentifier():
            raise ValueError(f"bad name {r.name!r}")
        args = None if r.args is None else tuple(float(a) for a in r.args)
        return Request(r.module, r.name, args, r.expect)

    def _session(
        self,
        files: dict,
        reqs: list[Request],
        todo: list[int],
        outcomes: list[Outcome | None],
        doomed: dict[str | tuple[str, str], tuple[Outcome, int]],
        budget: Budget | None = None,
        end: float | None = None,
        careful: bool = False,
    ) -> bool:
        """One child answers `todo` in order until done or until one request fails it (or
        the budget, which ends at `end`, runs out); returns whether the next child should
        send one frame a request (``careful``).

        Results come in batches.  When the child dies or is killed, the progress slot says
        which request it was at: that one gets the outcome, the ones before it whose batch
        never came are left for the next child.  A frame that breaks the protocol is
        refused; unless ``careful`` already, the requests left are run again one frame
        each, so that the error lands on the request that wrote it.
        """
        payload = [
            {
                "i": k,
                "module": reqs[k].module,
                "name": reqs[k].name,
                "args": None if reqs[k].args is None else list(reqs[k].args or ()),
                "expect": reqs[k].expect,
            }
            for k in todo
        ]
        flush = 0.0 if careful else _FLUSH_SECONDS
        child = self._spawn(files, payload, self._mode, flush)
        lim = self.limits
        try:
            self._wait_ready(child)
            pos = 0
            seen = time.monotonic()
            while pos < len(todo):
                try:
                    while child.frames and pos < len(todo):
                        pos = self._take_batch(child, child.frames.pop(), reqs, todo, pos, outcomes)
                        seen = time.monotonic()
                except InvalidFrame as exc:
                    self._kill(child)
                    if not careful:
                        return True
                    self._refused_frame(child, exc, reqs, todo, pos, outcomes, doomed)
                    return careful
                if pos == len(todo):
                    break
                if child.eof:
                    self._died(child, reqs, todo, pos, outcomes, doomed)
                    return careful
                deadline = seen + lim.call_timeout + flush
                if end is not None:
                    deadline = min(deadline, end)
                left = deadline - time.monotonic()
                if left > 0:
                    self._pump(child, left)
                    continue
                self._kill(child)
                self._read_output(child, 1 << 20)
                k, phase = self._progress(child, todo, pos)
                if end is not None and time.monotonic() >= end:
                    assert budget is not None
                    outcomes[k] = budget.outcome()  # not this call's fault alone: the budget's
                    return careful
                self._timed_out(child, reqs[k], k, phase, outcomes, doomed)
                return careful
        finally:
            self._finish(child)
        return careful

    def _refused_frame(
        self,
        child: _Child,
        exc: InvalidFrame,
        reqs: list[Request],
        todo: list[int],
        pos: int,
        outcomes: list[Outcome | None],
        doomed: Doomed,
    ) -> None:
        """A frame that broke the protocol, sent one request a frame: its request's error."""
        k = todo[pos]
        msg = t(
            f"the program wrote to the sandbox's result channel ({exc})",
            f"программа писала в канал результатов песочницы ({exc})",
        )
        at, phase = self._progress(child, todo, pos)
        self._settle(
            child, reqs[k], k, phase if at == k else "call", "error", msg, outcomes, doomed
        )

    def _died(
        self,
        child: _Child,
        reqs: list[Request],
        todo: list[int],
        pos: int,
        outcomes: list[Outcome | None],
        doomed: Doomed,
    ) -> None:
        """The child ended before answering: the request it was at gets why."""
        self._await_status(child, 2.0)
        if child.status is None:  # not the student: it cannot reach the supervisor
            raise SandboxError("the sandbox supervisor ended without a report")
        k, phase = self._progress(child, todo, pos)
        req = reqs[k]
        doing = (
            t(f"importing {req.module}.py", f"при импорте {req.module}.py")
            if phase == "import"
            else t(f"computing {req.name}", f"при вычислении {req.name}")
        )
        self._read_output(child, 1 << 20)
        died = _death_message(child.status, doing, self.limits)
        self._settle(child, req, k, phase, "error", died, outcomes, doomed)

    def _timed_out(
        self,
        child: _Child,
        req: Request,
        k: int,
        phase: str,
        outcomes: list[Outcome | None],
        doomed: Doomed,
    ) -> None:
        """The call (or the import) ``k`` ran past its time: a timeout, said as which."""
        secs = f"{self.limits.call_timeout:g}"
        if phase == "import":
            msg = t(
                f"importing {req.module}.py took longer than {secs} s",
                f"импорт {req.module}.py занял больше {secs} с",
            )
        else:
            msg = t(
                f"{req.name} did not finish within {secs} s (an endless loop?)",
                f"{req.name} не закончилась за {secs} с (бесконечный цикл?)",
            )
        self._settle(child, req, k, phase, "timeout", msg, outcomes, doomed)

    def _settle(
        self,
        child: _Child,
        req: Request,
        k: int,
        phase: str,
        status: str,
        msg: Text,
        outcomes: list[Outcome | None],
        doomed: Doomed,
    ) -> None:
        """Request ``k``'s outcome, with what it printed, and what it dooms for the rest."""
        outcome = _failed(status, msg, child.output.take(k).text())
        outcomes[k] = outcome
        self._doom(doomed, req, outcome, k, phase)

    def _take_batch(
        self,
        child: _Child,
        frame: dict,
        reqs: list[Request],
        todo: list[int],
        pos: int,
        outcomes: list[Outcome | None],
    ) -> int:
        """Record a batch of results, which must answer ``todo[pos:]`` in order; the new pos."""
        results = frame.get("results")
        if type(results) is not list or not results or len(results) > len(todo) - pos:
            raise InvalidFrame("a frame out of order")
        for result in results:
            k = todo[pos]
            if type(result) is not dict or type(result.get("i")) is not int or result["i"] != k:
                raise InvalidFrame("a frame out of order")
            output = ""
            if result.get("o"):
                self._read_output(child, 1 << 20, until=k)
                output = child.output.take(k).text()
            outcomes[k] = self._outcome(result, reqs[k], output)
            pos += 1
        return pos

    @staticmethod
    def _progress(child: _Child, todo: list[int], pos: int) -> tuple[int, str]:
        """Which request the (dead) runner was at, and in which phase, from its progress slot;
        the first request not answered when the slot says nothing believable."""
        at, phase = _PROGRESS.unpack(child.slot[: _PROGRESS.size])
        if at in todo[pos:] and phase in _PHASES:
            return at, _PHASES[phase]
        return todo[pos], "call"

    @staticmethod
    def _doom(
        doomed: dict[str | tuple[str, str], tuple[Outcome, int]],
        req: Request,
        outcome: Outcome,
        k: int,
        phase: str,
    ) -> None:
        """The requests after `k` of a module whose import failed the child, or of a function
        whose call did, share its outcome (without its output)."""
        key = req.module if phase == "import" else (req.module, req.name)
        doomed[key] = (dataclasses.replace(outcome, output=""), k)

    def _job(
        self, files: dict, requests: list, mode: str, flush: float, workdir: str | None
    ) -> dict[str, object]:
        """What a child is told: its mode, files, requests, the host's layout and its limits."""
        assert self._paths is not None
        lim = self.limits
        return {
            "mode": mode,
            "workdir": workdir,
            "files": files,
            "requests": requests,
            "project": self._paths.project,
            "staging": self._staging_dir() if mode == "namespaces" else "",
            "root_plan": self._paths.root_plan,
            "readable": self._paths.readable,
            "seccomp": self._seccomp,
            "limits": {
                "cpu_seconds": lim.cpu_seconds,
                "memory_bytes": lim.memory_bytes,
                "file_bytes": lim.file_bytes,
                "max_value_bytes": lim.max_value_bytes,
                "flush_seconds": flush,
                "frame_bytes": _frame_bytes(lim),
                "tmpfs_bytes": max(16 << 20, 4 * lim.file_bytes)
                + 2 * sum(_size(src) for src in files.values()),
            },
        }

    def _spawn(self, files: dict, requests: list, mode: str, flush: float = 0.0) -> _Child:
        assert self._paths is not None and self._ctl is not None
        lim = self.limits
        workdir = None
        if mode != "namespaces":
            workdir = tempfile.mkdtemp(prefix="grader-sandbox-")  # 0700; see the supervisor
        data = json.dumps(self._job(files, requests, mode, flush, workdir)).encode()
        job_r, job_w = os.pipe()
        res_r, res_w = os.pipe()
        out_r, out_w = os.pipe()
        ctl, ctl_child = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        slot_fd = os.memfd_create("sandbox-progress", os.MFD_CLOEXEC)
        os.ftruncate(slot_fd, _PROGRESS.size)
        slot = mmap.mmap(slot_fd, _PROGRESS.size)
        slot[:] = _PROGRESS.pack(-1, 0)
        ours = [job_w, res_r, out_r]
        os.set_blocking(job_w, False)
        sent = 0
        with contextlib.suppress(BlockingIOError):  # usually all of it fits in the pipe
            while sent < len(data):
                sent += os.write(job_w, data[sent : sent + (1 << 16)])
        try:
            socket.send_fds(
                self._ctl,
                [b'{"op": "fork"}'],
                [job_r, ctl_child.fileno(), res_w, out_w, slot_fd],
            )
            self._ctl.settimeout(_SETUP_TIMEOUT)
            msg, fds, _, _ = socket.recv_fds(self._ctl, 4096, 1)
            reply = json.loads(msg or b"{}")
            if reply.get("op") != "forked":
                raise SandboxError("the sandbox server did not fork")
        except (OSError, ValueError) as exc:
            for fd in ours:
                os.close(fd)
            ctl.close()
            if workdir:
                shutil.rmtree(workdir, ignore_errors=True)
            self._drop_server()
            raise SandboxError(f"the sandbox server failed: {exc}") from exc
        finally:
            for fd in (job_r, res_w, out_w, slot_fd):
                os.close(fd)
            ctl_child.close()
        child = _Child(
            res=res_r,
            out=out_r,
            ctl=ctl,
            c_pidfd=fds[0] if fds else None,
            c_pid=int(reply.get("pid", 0)),
            workdir=workdir,
            frames=_Frames(_frame_bytes(lim) + 64),
            output=_OutSplitter(lim.output_bytes),
            slot=slot,
        )
        try:
            _write_with_deadline(job_w, data[sent:], _SETUP_TIMEOUT)
        except OSError as exc:
            self._finish(child)
            raise SandboxError(f"the sandbox child did not take its job: {exc}") from exc
        os.set_blocking(res_r, False)
        os.set_blocking(out_r, False)
        ctl.setblocking(False)
        with contextlib.suppress(OSError):
            import fcntl

            fcntl.fcntl(out_r, 1031, 1 << 20)  # F_SETPIPE_SZ: fewer wake-ups on floods
        return child

    def _pump(self, child: _Child, timeout: float) -> None:
        """Wait up to `timeout` for anything from the child and take it in."""
        poller = select.poll()
        if child.ctl_open:
            poller.register(child.ctl.fileno(), select.POLLIN)
        if not child.eof:
            poller.register(child.res, select.POLLIN)
        if child.out_open:
            poller.register(child.out, select.POLLIN)
        try:
            events = poller.poll(max(0, int(timeout * 1000)))
        except InterruptedError:
            return
        for fd, _ev in events:
            if fd == child.out:
                self._read_output(child, 1 << 20)
            elif fd == child.res:
                try:
                    data = os.read(child.res, 1 << 16)
                except BlockingIOError:
                    continue
                if not data:
                    child.eof = True
                else:
                    child.frames.feed(data)
            else:
                self._read_ctl(child)

    def _read_output(self, child: _Child, budget: int, until: int | None = None) -> None:
        """Take in what the child printed, at most `budget` bytes or until marker `until`."""
        while budget > 0 and child.out_open and (until is None or until not in child.output.done):
            try:
                chunk = os.read(child.out, 1 << 16)
            except BlockingIOError:
                return
            if not chunk:
                child.out_open = False
                return
            budget -= len(chunk)
            child.output.feed(chunk)

    def _read_ctl(self, child: _Child) -> None:
        """Take in the supervisor's messages: the runner's pidfd, its exit status."""
        while child.ctl_open:
            try:
                msg, fds, _, _ = socket.recv_fds(child.ctl, 4096, 1)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                msg, fds = b"", []
            if not msg:
                child.ctl_open = False  # the supervisor is gone
                return
            try:
                info = json.loads(msg)
            except ValueError:
                info = {}
            if info.get("op") == "started":
                child.g_pid = int(info.get("pid", 0))
                if fds:
                    child.g_pidfd = fds[0]
                    fds = []
            elif info.get("op") == "exit":
                child.status = int(info.get("status", -1))
            elif info.get("op") == "setup_error":
                child.status = -1
                child.setup_error = str(info.get("error", ""))[:500]
            for fd in fds:
                os.close(fd)

    def _wait_ready(self, child: _Child) -> dict:
        deadline = time.monotonic() + _SETUP_TIMEOUT
        while True:
            if child.frames.ready:
                frame = child.frames.pop()
                if frame.get("ready") is True:
                    return frame
                raise SandboxError("the sandbox child sent a wrong first frame")
            if child.setup_error:
                raise SandboxError(f"the sandbox child failed: {child.setup_error}")
            if child.eof or child.frames.error:
                self._await_status(child, 1.0)
                err = child.setup_error or f"status {child.status}"
                raise SandboxError(f"the sandbox child failed to start: {err}")
            left = deadline - time.monotonic()
            if left <= 0:
                raise SandboxError("the sandbox child did not start in time")
            self._pump(child, left)

    def _await_status(self, child: _Child, timeout: float) -> None:
        """Wait (briefly) for the supervisor to report how the runner ended."""
        deadline = time.monotonic() + timeout
        while child.status is None and child.ctl_open:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([child.ctl], [], [], left)[0]:
                return
            self._read_ctl(child)

    def _outcome(self, frame: dict, req: Request, output: str) -> Outcome:
        return outcome_of(frame, req.expect, self.limits.max_value_bytes, output)

    def _kill(self, child: _Child) -> None:
        """SIGKILL the runner and its supervisor; wait until both are gone."""
        with contextlib.suppress(Exception):
            self._read_ctl(child)  # the runner's pidfd may still be queued
        pidfds = [fd for fd in (child.g_pidfd, child.c_pidfd) if fd is not None]
        for fd in pidfds:
            with contextlib.suppress(OSError):
                signal.pidfd_send_signal(fd, signal.SIGKILL)
        if child.g_pidfd is None and child.g_pid and self._mode != "namespaces":
            with contextlib.suppress(OSError):
                os.kill(child.g_pid, signal.SIGKILL)
        if child.c_pidfd is None and child.c_pid:
            with contextlib.suppress(OSError):
                os.kill(child.c_pid, signal.SIGKILL)
        deadline = time.monotonic() + 2.0
        for fd in pidfds:
            left = max(0.0, deadline - time.monotonic())
            with contextlib.suppress(OSError):
                select.select([fd], [], [], left)

    def _finish(self, child: _Child) -> None:
        if child.closed:
            return
        child.closed = True
        self._kill(child)
        for fd in (child.res, child.out, child.g_pidfd, child.c_pidfd):
            if fd is not None:
                with contextlib.suppress(OSError):
                    os.close(fd)
        with contextlib.suppress(OSError):
            child.ctl.close()
        child.slot.close()
        if child.workdir:
            shutil.rmtree(child.workdir, ignore_errors=True)
