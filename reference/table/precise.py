"""An mpmath backend of the derivative table, for confirming that two formulas agree.

Two formulas that agree to 1e-9 in floats at random points could still differ (cancellation,
a tiny term); evaluated again at 40 significant digits they agree to ~1e-30 only if they are
the same function.  This is the fast confirmation step of a formula check: no sympy
simplification (which can take seconds) on the grading path.

mpmath never overflows: it raises the working precision instead, so ``exp(-exp(exp(x+20)))``
asks for billions of bits and never returns.  Every evaluation here is therefore bounded:
no value may leave 2**±MAX_BITS (a function refuses such an argument, and every step of a
formula is checked), and a :class:`Guard` gives the whole confirmation a deadline.  Past
either bound the answer is :class:`Unconfirmed`, never a hang.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import mpmath

from reference.autograd import Tape, run
from reference.course.model import Model

DIGITS = 40
#: The largest |log2| of a value the confirmation computes with: float's range (2**±1074) and
#: a little more.  It caps the precision any one operation may ask for (exp, sin, pow of an
#: argument of this size stay well under 50 ms); floats that agreed had to stay in that range.
MAX_BITS = 1100
#: Wall-clock seconds for the whole confirmation of one formula (it usually takes ~1 ms).
SECONDS = 1.0


class Unconfirmed(Exception):
    """The confirmation gave up: a value out of range (``reason="range"``) or no time left."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _in_range(x: Any) -> Any:
    """``x`` itself, if mpmath can work with it at a bounded precision."""
    numeric = isinstance(x, (mpmath.mpf, mpmath.mpc)) and x and mpmath.isfinite(x)
    if numeric and abs(mpmath.mag(x)) > MAX_BITS:
        raise Unconfirmed("range")
    return x


def _capped(fn: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``fn`` that refuses an argument whose size would make mpmath raise its precision."""

    def capped(a: Any) -> Any:
        return fn(_in_range(a))

    capped.__name__ = getattr(fn, "__name__", "capped")
    return capped


class Guard:
    """A deadline and a range check for every value one confirmation computes."""

    def __init__(self, seconds: float = SECONDS) -> None:
        self.deadline = time.monotonic() + seconds

    def __call__(self, value: Any) -> Any:
        if time.monotonic() > self.deadline:
            raise Unconfirmed("time")
        return _in_range(value)


def _relu(a):
    return a if a > 0 else mpmath.mpf(0)


_exp = _capped(mpmath.exp)

PRECISE = SimpleNamespace(
    exp=_exp,
    log=_capped(mpmath.log),
    sqrt=_capped(mpmath.sqrt),
    tanh=_capped(mpmath.tanh),
    cosh=_capped(mpmath.cosh),
    sinh=_capped(mpmath.sinh),
    cos=_capped(mpmath.cos),
    sin=_capped(mpmath.sin),
    abs=mpmath.fabs,
    sign=mpmath.sign,
    sigmoid=lambda a: 1 / (1 + _exp(-a)),
    relu=_relu,  # step below: relu's derivative
    step=lambda a: mpmath.mpf(1) if a > 0 else mpmath.mpf(0),
    const=lambda c: mpmath.mpf(c.numerator) / c.denominator,
    value=lambda x: mpmath.mpf(x) if not isinstance(x, mpmath.mpf) else x,
    full=lambda x, like: mpmath.mpf(x) if isinstance(x, int) else x,
)


def _forward(tape: Tape, args: dict[str, Any], guard: Guard) -> list[Any]:
    """``tape.forward`` with every step checked, so no operation ever gets an astronomic
    argument (``a**b`` too, which no backend function sees)."""
    slots = [guard(PRECISE.value(args[a])) for a in tape.args]
    slots += [guard(PRECISE.const(c)) for c in tape.consts]
    for ins in tape.instrs:
        slots.append(guard(ins.entry.forward(PRECISE, *(slots[i] for i in ins.inputs))))
    return slots


def tape_value(tape: Tape, args: dict[str, float], guard: Guard | None = None) -> Any:
    """Raises :class:`Unconfirmed` past the guard's bounds."""
    guard = guard or Guard()
    with mpmath.workdps(DIGITS):
        return _forward(tape, args, guard)[tape.output]


def tape_partial(tape: Tape, args: dict[str, float], wrt: str, guard: Guard | None = None) -> Any:
    """Raises :class:`Unconfirmed` past the guard's bounds."""
    guard = guard or Guard()
    with mpmath.workdps(DIGITS):
        slots = _forward(tape, args, guard)  # bounded slots: each backward rule is cheap
        return guard(dict(zip(tape.args, tape.backward(PRECISE, slots)))[wrt])


def model_trace(model: Model, leaves: dict[str, float], guard: Guard | None = None):
    """Raises :class:`Unconfirmed` past the guard's bounds."""
    guard = guard or Guard()
    with mpmath.workdps(DIGITS):
        values = {k: PRECISE.value(v) for k, v in leaves.items()}
        checked = dict(values)
        for node in model.nodes:  # the forward pass checked first: then run() is cheap
            slots = _forward(node.tape, {a: checked[a] for a in node.args}, guard)
            checked[node.name] = slots[node.tape.output]
        return run(model, values, PRECISE)


def target_value(
    target: Any, model: Model, point: dict[str, float], guard: Guard | None = None
) -> Any:
    """The answer to a value/local/grad/update target at one point, to 40 digits.

    Raises :class:`Unconfirmed` past the guard's bounds (a course whose own formulas explode).
    """
    guard = guard or Guard()
    what = target.what  # value, local (node quantities) or grad, update (leaf quantities)
    if what in ("value", "local"):
        tape = model.node(target.node).tape
        args = {a: point[a] for a in tape.args}
        if what == "value":
            return tape_value(tape, args, guard)
        return tape_partial(tape, args, target.wrt, guard)
    trace = model_trace(model, point, guard)
    with mpmath.workdps(DIGITS):
        grad = guard(trace.grad[target.wrt])
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
