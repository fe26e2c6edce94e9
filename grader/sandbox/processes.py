"""The fork server, a process of ours: started with the child package as text, forgotten
when it died or a fork copied it, stopped with its Sandbox; and asked for one child per
session, which it forks with the job's pipes."""

from __future__ import annotations

import contextlib
import json
import mmap
import os
import select
import shutil
import socket
import subprocess
import sys
import time
import weakref
from pathlib import Path

from grader.sandbox.children import SETUP_TIMEOUT, Child, finish
from grader.sandbox.frames import PROGRESS, Frames, OutSplitter, frame_bytes
from grader.sandbox.host import HostPaths
from grader.sandbox.protocol import Limits, SandboxError

#: Imported once in the fork server, before any child: a fork costs no import of them.
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
#: The fork server's program (``-c``): run the first message, child/boot.py, as ``<sandbox>``.
_BOOT = (
    "import socket as s;c=s.socket(fileno=0);g={'__name__':'_sandbox'};"
    "exec(compile(c.recv(1<<20),'<sandbox>','exec'),g);g['serve'](c)"
)


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


CHILD = Path(__file__).with_name("child")  # the code that runs in the fork server, as text


def child_sources() -> tuple[bytes, bytes]:
    """What the fork server is sent: the loader it runs first (``child/boot.py``), then every
    other module of the child package by name, as JSON (``boot`` imports them)."""
    boot = (CHILD / "boot.py").read_bytes()
    modules = {
        path.stem: path.read_text(encoding="utf-8")
        for path in sorted(CHILD.glob("*.py"))
        if path.name != "boot.py"
    }
    return boot, json.dumps(modules).encode()


class ForkServer:
    """The fork server of one Sandbox (none until started)."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen | None = None
        self.ctl: socket.socket | None = None
        self.owner = 0
        self.finalizer: weakref.finalize | None = None
        self.pid = 0

    def running(self) -> bool:
        """Whether our server is up; a dead one, or one a fork of ours copied, is forgotten."""
        if self.proc is not None and self.owner == os.getpid():
            if self.proc.poll() is None:
                return True
            self.drop()
        if self.proc is not None:  # we are a forked copy: the server is not ours
            if self.finalizer is not None:
                self.finalizer.detach()
                self.finalizer = None
            if self.ctl is not None:
                with contextlib.suppress(OSError):
                    self.ctl.close()
            self.proc = None
            self.ctl = None
        return False

    def drop(self) -> None:
        """Stop the server (if any); the next start begins a new one."""
        if self.finalizer is not None:
            self.finalizer()
            self.finalizer = None
        self.proc = None
        self.ctl = None

    def start(self, paths: HostPaths) -> None:
        """Start a fork server, send it the child package and its configuration, await its
        hello."""
        boot, modules = child_sources()
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
        self.finalizer = weakref.finalize(self, _stop_server, proc, parent)
        self.proc, self.ctl, self.owner = proc, parent, os.getpid()
        try:
            parent.settimeout(SETUP_TIMEOUT + 30)
            parent.send(boot)
            parent.send(modules)
            config = {
                "sys_path": paths.sys_path,
                "preload": list(_PRELOAD),
                "project": paths.project,
            }
            parent.send(json.dumps(config).encode())
            hello = json.loads(parent.recv(65536) or b"{}")
        except (OSError, ValueError) as exc:
            self.drop()
            raise SandboxError(f"the sandbox server did not start: {exc}") from exc
        if hello.get("op") != "hello":
            self.drop()
            raise SandboxError("the sandbox server did not start")
        self.pid = int(hello["pid"])

    def fork(self, data: bytes, lim: Limits, workdir: str | None, by_pid: bool) -> Child:
        """A new child, its job (`data`) handed over; `workdir` is removed with it, and
        `by_pid` says whether its runner may be killed by pid (see :class:`Child`)."""
        assert self.ctl is not None
        job_r, job_w = os.pipe()
        res_r, res_w = os.pipe()
        out_r, out_w = os.pipe()
        ctl, ctl_child = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        slot_fd = os.memfd_create("sandbox-progress", os.MFD_CLOEXEC)
        os.ftruncate(slot_fd, PROGRESS.size)
        slot = mmap.mmap(slot_fd, PROGRESS.size)
        slot[:] = PROGRESS.pack(-1, 0)
        ours = [job_w, res_r, out_r]
        os.set_blocking(job_w, False)
        sent = 0
        with contextlib.suppress(BlockingIOError):  # usually all of it fits in the pipe
            while sent < len(data):
                sent += os.write(job_w, data[sent : sent + (1 << 16)])
        try:
            socket.send_fds(
                self.ctl,
                [b'{"op": "fork"}'],
                [job_r, ctl_child.fileno(), res_w, out_w, slot_fd],
            )
            self.ctl.settimeout(SETUP_TIMEOUT)
            msg, fds, _, _ = socket.recv_fds(self.ctl, 4096, 1)
            reply = json.loads(msg or b"{}")
            if reply.get("op") != "forked":
                raise SandboxError("the sandbox server did not fork")
        except (OSError, ValueError) as exc:
            for fd in ours:
                os.close(fd)
            ctl.close()
            if workdir:
                shutil.rmtree(workdir, ignore_errors=True)
            self.drop()
            raise SandboxError(f"the sandbox server failed: {exc}") from exc
        finally:
            for fd in (job_r, res_w, out_w, slot_fd):
                os.close(fd)
            ctl_child.close()
        child = Child(
            res=res_r,
            out=out_r,
            ctl=ctl,
            c_pidfd=fds[0] if fds else None,
            c_pid=int(reply.get("pid", 0)),
            workdir=workdir,
            frames=Frames(frame_bytes(lim) + 64),
            output=OutSplitter(lim.output_bytes),
            slot=slot,
            by_pid=by_pid,
        )
        try:
            _write_with_deadline(job_w, data[sent:], SETUP_TIMEOUT)
        except OSError as exc:
            finish(child)
            raise SandboxError(f"the sandbox child did not take its job: {exc}") from exc
        os.set_blocking(res_r, False)
        os.set_blocking(out_r, False)
        ctl.setblocking(False)
        with contextlib.suppress(OSError):
            import fcntl

            fcntl.fcntl(out_r, 1031, 1 << 20)  # F_SETPIPE_SZ: fewer wake-ups on floods
        return child
