"""The runner, untrusted once student code runs: it drops every privilege in a fixed order,
hides the project, says which isolation it got, then answers the requests."""

from __future__ import annotations

import mmap
import os
import signal
import sys

from .answers import answer, text_stream
from .framing import EXIT_CHANNEL_BROKEN, PROGRESS, RES_FD, send_frame
from .kernel import NOBODY, PR_SET_PDEATHSIG, prctl
from .landlock import apply_landlock
from .privileges import drop_capabilities, set_rlimits
from .seccomp import install_seccomp

PR_SET_DUMPABLE = 4
PR_SET_NO_NEW_PRIVS = 38


def run(job: dict, workdir: str, res_fd: int, out_fd: int, go_r: int, slot_fd: int) -> None:
    """Untrusted side: drop privileges, then answer the requests of `job`."""
    slot = mmap.mmap(slot_fd, PROGRESS.size)  # shared with the parent; the fd goes below
    prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.read(go_r, 1) != b"g":  # the supervisor died before handing over our pidfd
        os._exit(76)
    os.close(go_r)
    mode = job["mode"]
    limits = job["limits"]
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(out_fd, 1)
    os.dup2(out_fd, 2)
    if res_fd != RES_FD:
        os.dup2(res_fd, RES_FD)
    os.closerange(RES_FD + 1, 1 << 16)
    os.chdir(workdir)
    isolation = mode if mode == "namespaces" else "rlimits-only"
    if os.getuid() == 0 and not job.get("userns"):
        try:
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)  # clears every capability
        except OSError:  # root of a user namespace without a `nobody` mapped
            drop_capabilities()
    else:
        drop_capabilities()
    # A change of user clears the parent-death signal: arm it again, so the runner dies with
    # its supervisor (and so with grade, even killed).  Lost in the gap, RLIMIT_CPU ends it.
    prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    prctl(PR_SET_NO_NEW_PRIVS, 1)
    if mode == "landlock" and apply_landlock(workdir, job["readable"]):
        isolation = "landlock"
    seccomp = bool(job.get("seccomp", True)) and install_seccomp(os.getpid())
    prctl(PR_SET_DUMPABLE, 0)
    set_rlimits(limits)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a too large file is an OSError
    signal.signal(signal.SIGINT, signal.default_int_handler)  # KeyboardInterrupt, as usual
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)  # a closed pipe is an OSError
    os.environ.clear()
    os.environ.update(
        {
            "PATH": "/usr/bin:/bin",
            "LANG": "C.UTF-8",
            "HOME": workdir,
            "TMPDIR": workdir,
            "PYTHONHASHSEED": "0",
        }
    )
    project = job["project"]
    forget_project(project, by_file=False)  # the server did it all; make sure, cheaply
    sys.path[:] = [workdir, *sys.path]
    sys.stdout = sys.__stdout__ = text_stream(1, "wb")  # type: ignore[misc]
    sys.stderr = sys.__stderr__ = text_stream(2, "wb")  # type: ignore[misc]
    sys.stdin = text_stream(0, "rb")
    sys.argv = [""]
    checks = {"project_visible": any(map(os.path.exists, project)), "seccomp": seccomp}
    modules = sorted(job["files"])
    requests = job["requests"]
    max_bytes = int(limits["max_value_bytes"])
    batch = (float(limits["flush_seconds"]), int(limits["frame_bytes"]))
    job.clear()  # the supervisor's frame, up our stack, holds the same dict
    del job, limits, project
    try:
        send_frame(RES_FD, {"ready": True, "isolation": isolation, "checks": checks})
    except OSError:
        os._exit(EXIT_CHANNEL_BROKEN)
    answer(requests, workdir, modules, max_bytes, slot, batch)
    os._exit(0)


def forget_project(project: list[str], by_file: bool = True) -> None:
    """Drop the project's directories from sys.path and its modules from sys.modules."""
    sys.path[:] = [p for p in sys.path if p and not any(_inside(p, q) for q in project)]
    for name, mod in list(sys.modules.items()):
        if name.partition(".")[0] in ("grader", "reference") or (
            by_file and any(_inside(getattr(mod, "__file__", None), q) for q in project)
        ):
            del sys.modules[name]


def _inside(path: object, root: str) -> bool:
    if not isinstance(path, str) or not path:
        return False
    path = os.path.abspath(path)
    return path == root or path.startswith(root.rstrip("/") + "/")
