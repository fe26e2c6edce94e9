"""The fork server's loop: warm the interpreter once (numpy, the usual standard library,
the seccomp program), forget the project, then fork one supervisor per session."""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import signal
import socket
import sys

from .kernel import SetupError, prctl
from .runner import forget_project
from .seccomp import seccomp_program
from .supervisor import supervise
from .values import init_numpy

PR_SET_CHILD_SUBREAPER = 36


def serve(sock: socket.socket) -> None:
    """Fork server main loop; `sock` is the control socket to the parent (SEQPACKET)."""
    ctl = sock.dup()
    sock.close()
    devnull = os.open(os.devnull, os.O_RDWR)
    if devnull != 0:
        os.dup2(devnull, 0)
        os.close(devnull)
    config = json.loads(ctl.recv(1 << 20))
    sys.path[:] = config["sys_path"]
    sys.dont_write_bytecode = True
    loaded = []
    for name in config["preload"]:
        with contextlib.suppress(Exception):
            importlib.import_module(name)
            loaded.append(name)
    init_numpy()
    if os.uname().machine == "x86_64":
        seccomp_program(1)  # the namespaced runner is pid 1
    forget_project(config["project"])
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # supervisors are reaped by the kernel
    with contextlib.suppress(SetupError):
        prctl(PR_SET_CHILD_SUBREAPER, 1)  # orphans come back to us and are reaped too
    ctl.send(json.dumps({"op": "hello", "pid": os.getpid(), "preloaded": loaded}).encode())
    while True:
        try:
            msg, fds, _flags, _addr = socket.recv_fds(ctl, 65536, 8)
        except InterruptedError:
            continue
        except OSError:
            os._exit(0)
        if not msg:
            os._exit(0)  # the parent is gone
        try:
            op = json.loads(msg).get("op")
        except ValueError:
            op = None
        if op == "fork" and len(fds) == 5:
            _fork_supervisor(ctl, fds)
        elif op == "quit":
            os._exit(0)
        for fd in fds:
            os.close(fd)


def _fork_supervisor(ctl: socket.socket, fds: list[int]) -> None:
    server_pid = os.getpid()
    pid = os.fork()
    if pid == 0:
        code = 70
        try:
            ctl.close()
            supervise(server_pid, *fds)
        except BaseException:
            code = 71
        finally:
            os._exit(code)
    pidfds: list[int] = []
    with contextlib.suppress(OSError, AttributeError):
        pidfds.append(os.pidfd_open(pid))
    reply = json.dumps({"op": "forked", "pid": pid}).encode()
    try:
        socket.send_fds(ctl, [reply], pidfds)
    finally:
        for fd in pidfds:
            os.close(fd)
