"""One student's hidden-test session in a process of its own, forked before numpy loads.

Grading one student was one process's work under one lock (the GIL): pytest's import
(~90 ms) waited behind numpy, the course and the checks, while the second core had only the
sandbox server's start to do.  Forked as ``grade`` starts, a sibling imports pytest there
meanwhile, and nothing else: no numpy, no course.  This process grades (the sandbox, the
reference, the scores) and answers what the sibling's session asks: its ``graded`` fixture
is this process's result.  The session, its test and its verdicts are the sibling's, run as
in-process (:func:`plugin.run_hidden_tests`) on the course's :class:`Outline` (where it is,
each question's id and points); it hands back the ordered results and its problems, and
ends.

Only the built-in test runs there.  A course with hidden tests of its own
(:func:`grader.hidden.folders.custom_tests`) has its session in this process, as for a
class: a custom test may use the course's questions and call the student in the sandbox.

Forked while this process has a single thread (before the sandbox's prestart), so that no
lock a vanished thread held is held in the child.  Both ends are this tool's own code: the
pickles they trade are trusted (the student's code runs only in the sandbox, and never in
either).  A sibling that dies or breaks the exchange is the grader's failure: the submission
is not graded, and ``grade`` exits 1.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pickle
import signal
import socket
import struct
import sys
import threading
import traceback
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from grader.hidden.outline import Outline

if TYPE_CHECKING:  # forked from a process that has loaded little: these come later
    from grader.course.questions import Course
    from grader.hidden.runs import Runs
    from grader.intake.submissions import Submission
    from grader.sandbox import Outcome, Request
    from grader.scoring.result import Result

_SIZE = struct.Struct("!Q")
# The sibling yields its core to the sandbox server's start, which grading needs first
# (one student, medians of alternating runs: nice 0 320-327 ms, 5 313, 10 314-315).
_NICE = 5
# Its session is one test on results already computed here: tens of milliseconds.  This
# long without a word, it is taken as lost (a machine under heavy load still answers).
_PATIENCE = 120.0


@dataclass(frozen=True)
class Handle:
    """A submission as a sibling's session sees it: which one (its results are asked for by
    ``index``) and whose.  Its files stay here: only the sandbox ever needs them."""

    index: int
    id: str


class SiblingLost(Exception):
    """The sibling ended, or broke the exchange: its session's verdicts are lost."""


def _send(sock: socket.socket, message: Any) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    sock.sendall(_SIZE.pack(len(data)) + data)


def _exactly(sock: socket.socket, n: int) -> bytes:
    chunks, left = [], n
    while left:
        chunk = sock.recv(min(left, 1 << 20))
        if not chunk:
            raise EOFError("the other end closed")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _receive(sock: socket.socket) -> Any:
    """A message from the other end of the socket pair: this tool's own other process (the
    pair is anonymous, not inherited by the sandbox; a student's text is only ever a string
    inside these objects, never a class to make)."""
    (n,) = _SIZE.unpack(_exactly(sock, _SIZE.size))
    return pickle.loads(_exactly(sock, n))


class Sibling:
    """This process's end of a forked sibling, which waits for one session to run."""

    def __init__(self, pid: int, sock: socket.socket) -> None:
        self.pid, self.sock = pid, sock
        self.over = False  # its session is done: it ends by itself
        self.status: int | None = None  # its wait status, once reaped

    @classmethod
    def fork(cls) -> Sibling | None:
        """A sibling, forked now; None where there is no fork, or other threads (a fork then
        could inherit a lock held forever)."""
        if not hasattr(os, "fork") or threading.active_count() != 1:
            return None
        for stream in (sys.stdout, sys.stderr):  # nothing buffered is written twice
            with contextlib.suppress(OSError, ValueError):
                stream.flush()
        try:
            ours, theirs = socket.socketpair()
        except OSError:  # no sibling: the session runs in this process
            return None
        try:
            pid = os.fork()
        except OSError:  # out of processes or memory: likewise
            ours.close()
            theirs.close()
            return None
        if pid == 0:  # the sibling: never returns, never runs this process's exit handlers
            ours.close()
            code = 1
            try:
                code = _sibling(theirs)
            except BaseException:  # a bug of the grader's: shown, and grade says it is lost
                with contextlib.suppress(BaseException):
                    traceback.print_exc()
            finally:
                os._exit(code)
        theirs.close()
        ours.settimeout(_PATIENCE)
        sibling = cls(pid, ours)
        atexit.register(sibling.close)
        return sibling

    def session(
        self, course: Course, runs: Runs, subs: list[Submission]
    ) -> tuple[list[list[Result]], list[str]]:
        """The sibling's session over ``subs`` (the ordered results of each, and what kept it
        from running), grading what it asks with ``runs``; :class:`SiblingLost` if it ends or
        breaks the exchange."""
        handed = threading.Thread(  # the outline may be more than the socket holds (8 KB on
            # some systems), and the sibling may still be importing pytest: it reads it then
            target=self._hand,
            args=(("session", Outline.of(course), [Handle(i, s.id) for i, s in enumerate(subs)]),),
            daemon=True,
        )
        handed.start()
        for sub in subs:  # graded now, while the sibling loads (a failure is noted in runs)
            runs.grade(sub)
        handed.join()
        try:
            while True:
                kind, *args = _receive(self.sock)
                if kind == "done":
                    self.over = True
                    return args[0], args[1]
                if kind != "grade":
                    raise SiblingLost(f"an unknown request {kind!r}")
                _send(self.sock, runs.grade(subs[args[0]]))
        except (OSError, EOFError, pickle.PickleError, struct.error) as err:
            raise SiblingLost(self._ended(err)) from err

    def _hand(self, message: Any) -> None:
        with contextlib.suppress(OSError):  # a sibling gone is found by the exchange
            _send(self.sock, message)

    def _ended(self, err: BaseException) -> str:
        """How the sibling ended (its exit status or signal), else what broke."""
        silent = isinstance(err, TimeoutError)
        self.close()
        if silent:
            return f"it did not answer for {_PATIENCE:.0f} s"
        status = self.status
        if status is not None and os.WIFSIGNALED(status):
            return f"killed by signal {os.WTERMSIG(status)}"
        if status is not None and os.WIFEXITED(status):
            return f"exit status {os.WEXITSTATUS(status)}"
        return f"{type(err).__name__}: {err}"

    def close(self) -> None:
        """Dismiss it (unused) or see it end (done, or lost): ended and reaped, either way."""
        if self.status is not None:
            return
        with contextlib.suppress(OSError):
            self.sock.close()
        if not self.over:  # waiting for a session that will not come, or lost
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)
        try:
            _, self.status = os.waitpid(self.pid, 0)
        except ChildProcessError:
            self.status = 0


class Remote:
    """The sibling's stand-in for :class:`grader.hidden.runs.Runs`: a submission's results are
    asked of the process that forked it."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self._graded: dict[int, dict[str, Result]] = {}

    def grade(self, sub: Handle) -> dict[str, Result]:
        if sub.index not in self._graded:
            _send(self.sock, ("grade", sub.index))
            self._graded[sub.index] = _receive(self.sock)
        return self._graded[sub.index]

    def graded(self, sub: Handle) -> dict[str, Result]:
        return self._graded.get(sub.index, {})

    def ask(self, sub: Handle, requests: list[Request]) -> list[Outcome]:
        """Only a custom hidden test calls the student, and none runs in a sibling."""
        raise RuntimeError("custom hidden tests run in grade's own process, not in a sibling")


def _sibling(sock: socket.socket) -> int:
    """The sibling's life: pytest first, then the session it is handed, if one comes."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # ^C ends grade: this too, quietly
    with contextlib.suppress(OSError):
        os.nice(_NICE)
    from grader.hidden import plugin  # pytest: the point of this process

    try:
        _, outline, subs = _receive(sock)
    except (OSError, EOFError):  # dismissed: a class, custom tests, or nothing to grade
        return 0
    session = plugin.run_hidden_tests(outline, Remote(sock), subs)
    _send(sock, ("done", [session.ordered(s) for s in subs], session.problems))
    return 0
