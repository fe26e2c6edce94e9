"""Run student code in child processes and bring back plain JSON values.

This module is the trust boundary of the grader: student text is never imported, evaluated
or executed here.  It runs in children of a pre-warmed fork server, and only JSON comes
back, checked again on arrival.

Processes::

    grader (this package) ─ control socket ──► fork server: python -s -S -P -B -c BOOT
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
plus a numpy import.  The server gets its code (the package grader/sandbox/child/) through
its control socket as text and compiles each module as ``<sandbox.NAME>``, so no frame next
to student code names a grader file.  Its argv is fixed, its environment is ours alone
(hence ``-I`` without ``-E``: PYTHONHASHSEED=0 makes set orders, and so grades,
reproducible), nothing is pickled, and neither it nor its children import ``grader`` or
``reference``.

Isolation (``Sandbox.isolation``): namespaces and a new root, else Landlock, else resource
limits only, each with the seccomp filter where the machine has one; what was achieved is
what the child reports, and a weaker one is said (:mod:`.isolation`).

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

Where each part lives: this module is the API (:class:`Sandbox`: its life cycle, a run's
requests and their retries); :mod:`.processes` starts the fork server and forks a child;
:mod:`.children` reads a child's pipes and kills it; :mod:`.session` is one child's session
and how a request that failed it settles; :mod:`.frames` reads what the runner writes;
:mod:`.host` finds the host's paths and plans the new root; :mod:`.isolation` chooses the
isolation and words its warning.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import threading
import time
import weakref
from collections.abc import Mapping, Sequence

from grader.sandbox import isolation as _isolation
from grader.sandbox.children import Child, finish, wait_ready
from grader.sandbox.frames import frame_bytes
from grader.sandbox.host import HostPaths, host_paths
from grader.sandbox.processes import ForkServer
from grader.sandbox.protocol import (
    EXPECTS,
    MAX_SOURCE_BYTES,
    Budget,
    Limits,
    Outcome,
    Request,
    SandboxError,
)
from grader.sandbox.session import FLUSH_SECONDS, Doomed, answer, failed, requests_of
from reference.i18n import t

__all__ = ["Budget", "Limits", "Outcome", "Request", "Sandbox", "SandboxError"]

#: Added to the isolation's name when the child could install no seccomp filter.
NO_SECCOMP = _isolation.NO_SECCOMP


def _remove_dir(path: str) -> None:
    with contextlib.suppress(OSError):
        os.rmdir(path)


def _size(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))


class Sandbox:
    """Runs student modules in isolated children; one per grading worker, reusable.

    `isolation` may force "namespaces" (fail if impossible), "landlock" or "rlimits-only";
    "auto" takes the strongest this machine allows.
    """

    def __init__(
        self, limits: Limits | None = None, *, isolation: str = "auto", seccomp: bool = True
    ) -> None:
        if isolation not in _isolation.ORDER:
            raise ValueError(f"unknown isolation {isolation!r}")
        self.limits = limits if limits is not None else Limits()
        self._want = isolation
        # False: install no seccomp filter, as on a machine without one (aarch64): to test
        # that such a machine is reported, and refused by isolation="namespaces"
        self._seccomp = seccomp
        self._isolation = ""
        self._mode = ""
        self._lock = threading.RLock()
        self._server = ForkServer()
        self._paths: HostPaths | None = None
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
        return _isolation.warning(self.isolation)

    @property
    def server_pid(self) -> int:
        """The fork server's pid (0 before the first start)."""
        return self._server.pid

    def start(self) -> None:
        """Start the fork server and find out which isolation works (idempotent)."""
        with self._lock:
            if self._server.running():
                return
            if self._paths is None:
                self._paths = host_paths()
            self._server.start(self._paths)
            if not self._mode:
                self._choose_mode()

    def close(self) -> None:
        """Stop the fork server; a later `run` starts a new one."""
        with self._lock:
            self._server.drop()
            if self._staging:
                with contextlib.suppress(OSError):
                    os.rmdir(self._staging)
                self._staging = ""

    def _staging_dir(self) -> str:
        if not self._staging:
            self._staging = tempfile.mkdtemp(prefix="grader-root-")
            weakref.finalize(self, _remove_dir, self._staging)  # also when a worker exits
        return self._staging

    def _choose_mode(self) -> None:
        self._mode, self._isolation = _isolation.choose(self._want, self._probe)

    def _probe(self, mode: str) -> dict:
        child = self._spawn({}, [], mode)
        try:
            return wait_ready(child)
        finally:
            finish(child)

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
                outcomes[k] = failed("error", t("sandbox.py_larger_than_1_mib", module=r.module))
            elif r.module not in files:
                outcomes[k] = failed("missing", t("sandbox.py_not_found", module=r.module))
        with self._lock, budget.running() if budget else contextlib.nullcontext() as end:
            self.start()
            # A module whose import failed the child, or a function whose call did (hung,
            # exited, crashed), is not tried again: its other requests share the outcome,
            # so an endless loop costs one timeout, not one per point it is called at.
            # (The outcome, and the request after which it holds.)
            doomed: Doomed = {}
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
                    self._server.drop()
                    self.start()
        not_graded = failed("error", t("sandbox.not_graded"))
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
        doomed: Doomed,
        budget: Budget | None = None,
        end: float | None = None,
        careful: bool = False,
    ) -> bool:
        """One child answers `todo` (:func:`.session.answer`); returns whether the next child
        should send one frame a request (``careful``)."""
        flush = 0.0 if careful else FLUSH_SECONDS
        child = self._spawn(files, requests_of(reqs, todo), self._mode, flush)
        return answer(child, reqs, todo, outcomes, doomed, self.limits, budget, end, careful, flush)

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
                "frame_bytes": frame_bytes(lim),
                "tmpfs_bytes": max(16 << 20, 4 * lim.file_bytes)
                + 2 * sum(_size(src) for src in files.values()),
            },
        }

    def _spawn(self, files: dict, requests: list, mode: str, flush: float = 0.0) -> Child:
        """A child of the fork server in `mode`, told its job."""
        assert self._paths is not None
        workdir = None
        if mode != "namespaces":
            workdir = tempfile.mkdtemp(prefix="grader-sandbox-")  # 0700; see the supervisor
        data = json.dumps(self._job(files, requests, mode, flush, workdir)).encode()
        return self._server.fork(data, self.limits, workdir, by_pid=self._mode != "namespaces")
