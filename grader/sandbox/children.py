"""One child of the fork server, seen from here: its pipes and control socket read without
blocking, its first frame awaited, and it and its runner killed through pidfds."""

from __future__ import annotations

import contextlib
import json
import mmap
import os
import select
import shutil
import signal
import socket
import time
from dataclasses import dataclass

from grader.sandbox.frames import Frames, OutSplitter
from grader.sandbox.protocol import SandboxError

SETUP_TIMEOUT = 15.0  # seconds for the server or a child to become ready


@dataclass
class Child:
    """A session's child: its result and output pipes, its supervisor's control socket and
    pidfd, the runner's once reported, what was read from them so far, and how it ended."""

    res: int
    out: int
    ctl: socket.socket
    c_pidfd: int | None
    c_pid: int
    workdir: str | None
    frames: Frames
    output: OutSplitter
    slot: mmap.mmap
    # whether the runner may be killed by its pid should its pidfd not come (not when the
    # sandbox runs its children in namespaces)
    by_pid: bool
    g_pidfd: int | None = None
    g_pid: int | None = None
    status: int | None = None
    eof: bool = False
    out_open: bool = True
    ctl_open: bool = True
    closed: bool = False
    setup_error: str = ""


def pump(child: Child, timeout: float) -> None:
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
            read_output(child, 1 << 20)
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
            read_ctl(child)


def read_output(child: Child, budget: int, until: int | None = None) -> None:
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


def read_ctl(child: Child) -> None:
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


def wait_ready(child: Child) -> dict:
    """The child's first frame, "ready" (its isolation and checks); SandboxError if none."""
    deadline = time.monotonic() + SETUP_TIMEOUT
    while True:
        if child.frames.ready:
            frame = child.frames.pop()
            if frame.get("ready") is True:
                return frame
            raise SandboxError("the sandbox child sent a wrong first frame")
        if child.setup_error:
            raise SandboxError(f"the sandbox child failed: {child.setup_error}")
        if child.eof or child.frames.error:
            await_status(child, 1.0)
            err = child.setup_error or f"status {child.status}"
            raise SandboxError(f"the sandbox child failed to start: {err}")
        left = deadline - time.monotonic()
        if left <= 0:
            raise SandboxError("the sandbox child did not start in time")
        pump(child, left)


def await_status(child: Child, timeout: float) -> None:
    """Wait (briefly) for the supervisor to report how the runner ended."""
    deadline = time.monotonic() + timeout
    while child.status is None and child.ctl_open:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([child.ctl], [], [], left)[0]:
            return
        read_ctl(child)


def kill(child: Child) -> None:
    """SIGKILL the runner and its supervisor; wait until both are gone."""
    with contextlib.suppress(Exception):
        read_ctl(child)  # the runner's pidfd may still be queued
    pidfds = [fd for fd in (child.g_pidfd, child.c_pidfd) if fd is not None]
    for fd in pidfds:
        with contextlib.suppress(OSError):
            signal.pidfd_send_signal(fd, signal.SIGKILL)
    if child.g_pidfd is None and child.g_pid and child.by_pid:
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


def finish(child: Child) -> None:
    """Kill the child and free all it holds: its fds, its progress slot, its workdir."""
    if child.closed:
        return
    child.closed = True
    kill(child)
    for fd in (child.res, child.out, child.g_pidfd, child.c_pidfd):
        if fd is not None:
            with contextlib.suppress(OSError):
                os.close(fd)
    with contextlib.suppress(OSError):
        child.ctl.close()
    child.slot.close()
    if child.workdir:
        shutil.rmtree(child.workdir, ignore_errors=True)
