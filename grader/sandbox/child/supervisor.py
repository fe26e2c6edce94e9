"""The supervisor, trusted, one per session: builds the isolation, writes the student's
files, starts the runner and reports its pidfd and exit status to the parent."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket

from .kernel import NOBODY, PR_SET_PDEATHSIG, prctl
from .mounts import enter_namespaces
from .runner import run


def _read_job(fd: int) -> dict:
    chunks = []
    while True:
        data = os.read(fd, 1 << 20)
        if not data:
            break
        chunks.append(data)
    os.close(fd)
    return json.loads(b"".join(chunks))


def supervise(
    server_pid: int, job_fd: int, ctl_fd: int, res_fd: int, out_fd: int, slot_fd: int
) -> None:
    """Build the isolation, start the runner, report its pidfd and exit status."""
    os.setsid()
    prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != server_pid:
        os._exit(72)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    job_fd, ctl_fd, res_fd, out_fd, slot_fd = _above_stdio(job_fd, ctl_fd, res_fd, out_fd, slot_fd)
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        if fd != devnull:
            os.dup2(devnull, fd)
    keep = sorted({job_fd, ctl_fd, res_fd, out_fd, slot_fd})
    lo = 3
    for fd in keep:
        os.closerange(lo, fd)
        lo = fd + 1
    os.closerange(lo, 1 << 16)
    ctl = socket.socket(fileno=ctl_fd)
    try:
        job = _read_job(job_fd)
        namespaces = job["mode"] == "namespaces"
        workdir = enter_namespaces(job) if namespaces else job["workdir"]
        for module, source in job["files"].items():
            # O_EXCL | O_NOFOLLOW: nothing planted in the directory is followed or reused
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
            fd = os.open(os.path.join(workdir, module + ".py"), flags, 0o644)
            with open(fd, "w", encoding="utf-8", errors="surrogatepass") as f:
                f.write(source)
        if not namespaces and os.geteuid() == 0:
            # only now may the runner (`nobody`) write here; until now only root could
            with contextlib.suppress(OSError):
                os.chown(workdir, NOBODY, NOBODY)
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"
        ctl.send(json.dumps({"op": "setup_error", "error": error}).encode())
        os._exit(73)
    go_r, go_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        code = 74
        try:
            os.close(go_w)
            ctl.close()
            run(job, workdir, res_fd, out_fd, go_r, slot_fd)
        except BaseException:
            code = 75
        finally:
            os._exit(code)
    os.close(go_r)
    os.close(res_fd)
    os.close(out_fd)
    os.close(slot_fd)
    pidfds: list[int] = []
    with contextlib.suppress(OSError, AttributeError):
        pidfds.append(os.pidfd_open(pid))
    socket.send_fds(ctl, [json.dumps({"op": "started", "pid": pid}).encode()], pidfds)
    for fd in pidfds:
        os.close(fd)
    os.write(go_w, b"g")  # the parent holds the pidfd before any student code runs
    os.close(go_w)
    while True:
        try:
            _, status = os.waitpid(pid, 0)
            break
        except InterruptedError:
            continue
        except ChildProcessError:
            status = -1
            break
    with contextlib.suppress(OSError):
        ctl.send(json.dumps({"op": "exit", "status": status}).encode())
    os._exit(0)


def _above_stdio(*fds: int) -> list[int]:
    """Move `fds` to numbers above 2, so that redirecting stdio cannot clobber them."""
    import fcntl

    moved = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in fds]
    for fd in fds:
        os.close(fd)
    return moved
