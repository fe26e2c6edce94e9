"""What crosses the sandbox's boundary, and how an answer is checked on this side of it.

A request goes in (:class:`Request`), an outcome comes back (:class:`Outcome`).  Whatever
produced a result frame (the sandboxed runner, or the nbgrader kernel calling the student's
functions in its own process), :func:`outcome_of` is the one validator that turns it into an
Outcome: values are checked again as plain JSON against the expected shape, text is cut and
its control characters shown, whatever the frame claims.  This module runs no student code.
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from reference.i18n import Text, same, t

__all__ = [
    "EXPECTS",
    "MAX_SOURCE_BYTES",
    "STATUSES",
    "Budget",
    "InvalidFrame",
    "Limits",
    "Outcome",
    "Request",
    "SandboxError",
    "checked_value",
    "clean_text",
    "clean_where",
    "outcome_of",
]

EXPECTS = ("number", "numbers", "text", "json")
STATUSES = ("ok", "error", "timeout", "missing")
MAX_SOURCE_BYTES = 1 << 20


@dataclass(frozen=True)
class Request:
    """One value to fetch from a student module: an attribute, or a call with floats."""

    module: str
    name: str
    args: tuple[float, ...] | None = None
    expect: str = "number"


@dataclass(frozen=True)
class Outcome:
    """What came back for one request; `value` is set only when `status` is "ok".

    `error` is the message in English (what callers read before there was `text`); `text`
    is the same message in every language, when the sandbox knows it in more than one.
    """

    status: str
    value: object = None
    error: str = ""
    where: str = ""
    output: str = ""
    text: Text | None = field(default=None, compare=False)
    budget: bool = field(default=False, compare=False)  # a timeout of the submission's budget

    @property
    def message(self) -> Text:
        """The error in every language (English only where nothing better is known)."""
        return self.text if self.text is not None else same(self.error)


@dataclass(frozen=True)
class Limits:
    """Resource limits of one child; `call_timeout` is per request, import included."""

    call_timeout: float = 2.0
    cpu_seconds: int = 10
    memory_bytes: int = 1 << 30
    file_bytes: int = 1 << 20
    output_bytes: int = 2048
    max_value_bytes: int = 65536


class Budget:
    """Wall-clock seconds one submission's requests may take together, across every
    ``Sandbox.run`` for it (the graded questions and a custom hidden test's calls).

    Only the time spent running this submission counts, so the other submissions of a batch
    do not use it up.  Once it is spent, what is left is ``timeout`` at once.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = float(seconds)
        self.used = 0.0

    @property
    def left(self) -> float:
        return max(0.0, self.seconds - self.used)

    @contextlib.contextmanager
    def running(self) -> Iterator[float]:
        """The deadline (``time.monotonic()``) of a run that starts now; its time is spent."""
        start = time.monotonic()
        try:
            yield start + self.left
        finally:
            self.used += time.monotonic() - start

    def outcome(self) -> Outcome:
        """What a request gets once the budget is spent."""
        text = t(
            f"the submission's time budget ran out ({self.seconds:g} s for all its code "
            "together); this question was not finished",
            f"время на работу истекло ({self.seconds:g} с на весь её код вместе); "
            "этот вопрос не был досчитан",
        )
        return Outcome("timeout", error=text["en"], text=text, budget=True)


class SandboxError(RuntimeError):
    """The sandbox itself failed (not the student's code): grading should stop or retry."""


class InvalidFrame(Exception):
    """A result frame that breaks the protocol (an unknown status, a value of a wrong shape)."""


# ---------------------------------------------------------------------------- text

CONTROL = {c: f"\\x{c:02x}" for c in [*range(32), 127] if chr(c) not in "\n\t"}
CONTROL.update({c: f"\\x{c:02x}" for c in range(0x80, 0xA0)})


def clean_text(value: object, limit: int, newlines: bool = False) -> str:
    """Truncate, and show control characters (terminal escapes) as \\xNN; "" if not a str."""
    if not isinstance(value, str):
        return ""
    value = value if len(value) <= limit else value[: limit - 1] + "…"
    value = value.translate(CONTROL)
    return value if newlines else value.replace("\n", " ").replace("\t", " ")


def clean_where(value: object) -> str:
    """``A.py:12`` as the runner reports a place, or "" for anything else."""
    if not isinstance(value, str) or len(value) > 200:
        return ""
    name, _, line = value.rpartition(":")
    if name.endswith(".py") and name[:-3].isidentifier() and line.isdigit():
        return value
    return ""


# ---------------------------------------------------------------------------- values


def _as_number(value: object) -> float | None:
    if type(value) in (int, float):
        try:
            x = float(value)  # type: ignore[arg-type]
        except OverflowError:
            return None
        return x if math.isfinite(x) else None
    return None


def _json_ok(value: object) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if item is None or type(item) in (bool, str, int):
            continue
        if type(item) is float:
            if not math.isfinite(item):  # type: ignore[arg-type]
                return False
        elif type(item) is list:
            stack.extend(item)  # type: ignore[arg-type]
        elif type(item) is dict:
            if not all(type(k) is str for k in item):  # type: ignore[attr-defined]
                return False
            stack.extend(item.values())  # type: ignore[attr-defined]
        else:
            return False
    return True


def checked_value(value: object, expect: str, max_bytes: int) -> tuple[bool, object]:
    """(valid?, value): a value that came out of student code, checked whatever it claims.

    Exact JSON types only: a finite float for "number", a dict of them for "numbers", a str
    of at most `max_bytes` for "text", plain JSON for "json".
    """
    if expect == "number":
        x = _as_number(value)
        return x is not None, x
    if expect == "numbers":
        if type(value) is not dict or not all(type(k) is str for k in value):
            return False, None
        out = {k: _as_number(v) for k, v in value.items()}
        return all(v is not None for v in out.values()), out
    if expect == "text":
        ok = type(value) is str and len(value.encode("utf-8", "surrogatepass")) <= max_bytes
        return ok, value
    if expect == "json":
        return _json_ok(value), value
    return False, None


def outcome_of(
    frame: Mapping[str, object], expect: str, max_bytes: int, output: str = ""
) -> Outcome:
    """The Outcome a result frame stands for, checked; raises InvalidFrame if it breaks the
    protocol (the caller decides what that costs: the sandbox kills the child)."""
    status = frame.get("status")
    if status == "ok":
        ok, value = checked_value(frame.get("value"), expect, max_bytes)
        if not ok:
            raise InvalidFrame("an invalid value")
        return Outcome("ok", value=value, output=output)
    if status in ("error", "missing"):
        return Outcome(
            str(status),
            error=clean_text(frame.get("error"), 1000) or "error",
            where=clean_where(frame.get("where")),
            output=output,
        )
    raise InvalidFrame("an unknown status")
