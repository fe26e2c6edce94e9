"""The sandbox's value rules for code that must run in this process (nbgrader's kernel).

nbgrader runs a student's notebook in its own kernel, so a hidden test cell calls the
student's functions there, not in a sandboxed child.  These helpers make that call behave
like the runner's: the same reading of names and the same conversion (the runner's own code,
:mod:`grader.sandbox.child`: exact types, so a float subclass with a rigged ``__eq__`` or
``__float__`` is refused), a wall-clock limit per call (:mod:`grader.sandbox.limit`, the one
limiter), and the frame checked by the one validator,
:func:`grader.sandbox.protocol.outcome_of`.  Isolation this is not.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from grader.sandbox import child
from grader.sandbox.limit import CallTimeout, time_limited
from grader.sandbox.protocol import Request, message

__all__ = ["CallTimeout", "convert", "evaluate", "time_limited"]


def _numpy_ready() -> None:
    if child._NP_ARRAY is None:
        child._init_numpy()


def convert(value: object, expect: str, max_bytes: int) -> tuple[object, str]:
    """(plain JSON value, "") or (None, why not): the runner's conversion of a returned value.

    Exact types only (float, int, numpy's scalars and arrays, str, list, dict …), converted
    by trusted code, so nothing the student defined (a subclass, ``__float__``, ``__eq__``)
    takes part.  The value is still to be checked by :func:`~grader.sandbox.checked_value`.
    """
    _numpy_ready()
    converted, problem = child._convert(value, expect, max_bytes)
    if problem:
        return None, message(problem["key"], problem["fields"])["en"]
    return converted, ""


class _Namespace:
    """A namespace (the kernel's globals) seen as a module, which is what the runner reads."""

    def __init__(self, namespace: Mapping[str, Any]):
        self._ns = namespace

    def __getattr__(self, name: str) -> Any:
        try:
            return self._ns[name]
        except KeyError:
            raise AttributeError(name) from None


def evaluate(namespace: Mapping[str, Any], request: Request, max_bytes: int) -> dict[str, Any]:
    """The result frame the runner would send for `request`, read from `namespace`.

    Runs student code (the call, if any) in this process: wrap it in :func:`time_limited`,
    and check the frame with :func:`~grader.sandbox.outcome_of`.
    """
    _numpy_ready()
    args = list(request.args) if request.args is not None else None
    return child._evaluate(
        _Namespace(namespace),  # type: ignore[arg-type]
        request.module,
        request.name,
        args,
        request.expect,
        {},
        max_bytes,
    )
