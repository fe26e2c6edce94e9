"""The one wall-clock limiter for student code run in the student's own process (standard
library only): the release's ``check.py`` gets this module's source copied in by ``course
release``.  The grader never runs student code in its own process: it uses the sandbox.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class CallTimeout(BaseException):
    """Raised in the main thread when a limited call runs out of time.

    A BaseException, so a student's ``except Exception`` does not swallow it.
    """


def time_limited(fn: Callable[[], T], seconds: float) -> tuple[T | None, bool]:
    """(fn(), timed out?): fn stopped after `seconds` of wall-clock time by SIGALRM.

    Only the main thread can take signals: elsewhere, or where the OS has no interval timer,
    fn runs unlimited.  The previous SIGALRM handler is put back afterwards.
    """
    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "setitimer"
    ):
        return fn(), False
    fired: list[bool] = []

    def alarm(_signum: int, _frame: object) -> None:
        fired.append(True)
        raise CallTimeout

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    result: T | None = None
    try:
        result = fn()
    except CallTimeout:
        result = None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    return result, bool(fired)
