"""An mpmath backend of the derivative table, for confirming that two formulas agree.

Two formulas that agree to 1e-9 in floats at random points could still differ (cancellation,
a tiny term); evaluated again at 40 significant digits they agree to ~1e-30 only if they are
the same function.  This is the fast confirmation step of a formula check: no sympy
simplification (which can take seconds) on the grading path.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import mpmath

from reference.autograd import Tape, run
from reference.course.model import Model

DIGITS = 40


def _relu(a):
    return a if a > 0 else mpmath.mpf(0)


PRECISE = SimpleNamespace(
    exp=mpmath.exp,
    log=mpmath.log,
    sqrt=mpmath.sqrt,
    tanh=mpmath.tanh,
    cosh=mpmath.cosh,
    sinh=mpmath.sinh,
    cos=mpmath.cos,
    sin=mpmath.sin,
    abs=mpmath.fabs,
    sign=mpmath.sign,
    sigmoid=lambda a: 1 / (1 + mpmath.exp(-a)),
    relu=_relu,  # step below: relu's derivative
    step=lambda a: mpmath.mpf(1) if a > 0 else mpmath.mpf(0),
    const=lambda c: mpmath.mpf(c.numerator) / c.denominator,
    value=lambda x: mpmath.mpf(x) if not isinstance(x, mpmath.mpf) else x,
    full=lambda x, like: mpmath.mpf(x) if isinstance(x, int) else x,
)


def tape_value(tape: Tape, args: dict[str, float]) -> Any:
    with mpmath.workdps(DIGITS):
        slots = tape.forward(PRECISE, [PRECISE.value(args[a]) for a in tape.args])
        return slots[tape.output]


def tape_partial(tape: Tape, args: dict[str, float], wrt: str) -> Any:
    with mpmath.workdps(DIGITS):
        slots = tape.forward(PRECISE, [PRECISE.value(args[a]) for a in tape.args])
        return dict(zip(tape.args, tape.backward(PRECISE, slots)))[wrt]


def model_trace(model: Model, leaves: dict[str, float]):
    with mpmath.workdps(DIGITS):
        return run(model, {k: PRECISE.value(v) for k, v in leaves.items()}, PRECISE)


def target_value(target: Any, model: Model, point: dict[str, float]) -> Any:
    """The answer to a value/local/grad/update target at one point, to 40 digits."""
    what = target.what  # value, local (node quantities) or grad, update (leaf quantities)
    if what in ("value", "local"):
        tape = model.node(target.node).tape
        args = {a: point[a] for a in tape.args}
        return tape_value(tape, args) if what == "value" else tape_partial(tape, args, target.wrt)
    trace = model_trace(model, point)
    with mpmath.workdps(DIGITS):
        grad = trace.grad[target.wrt]
        if what == "grad":
            return grad
        if what == "update":
            return mpmath.mpf(point[target.wrt]) - mpmath.mpf(str(model.learning_rate)) * grad
    raise ValueError(f"no precise value for {what}")


def same(a: Any, b: Any, digits: int = 25) -> bool:
    """Equal to ``digits`` significant digits (or both ~0)."""
    with mpmath.workdps(DIGITS):
        try:
            a, b = mpmath.mpf(a), mpmath.mpf(b)
        except (TypeError, ValueError):
            return False
        if not (mpmath.isfinite(a) and mpmath.isfinite(b)):
            return False
        scale = max(abs(a), abs(b), mpmath.mpf(10) ** -20)
        return abs(a - b) <= scale * mpmath.mpf(10) ** -digits
