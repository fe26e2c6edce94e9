"""The derivative table's printing backend: a rule evaluated to a formula as the lesson writes it.

sympy normalises as it builds (``-2*(gold - S)`` becomes ``2*S - 2*gold``), which hides the
table's factored forms from the student who has to recognise them.  This backend builds the
parser's own trees from the same rules, with only the tidying a person does in their head
(``1·x = x``, ``x + 0 = x``, numbers to the front, ``x·(−1) = −x``), and prints them with the
parser's ``unparse``: the result reads like the table, ``sigmoid(G)*(1 - sigmoid(G))``, and
parses back to the same value.  No sympy: it costs nothing at import.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction
from types import SimpleNamespace
from typing import Any, Protocol

from reference.expr import Call, Expr, Name, Num, unparse
from reference.table import ENTRIES

Operand = Any  # a Printed, or an int/Fraction the table's rules write literally


def _tree(x: Operand) -> Expr:
    if isinstance(x, Printed):
        return x.tree
    return Num(Fraction(x))


def _num(tree: Expr) -> Fraction | None:
    return tree.value if isinstance(tree, Num) else None


def _positive(e: Expr) -> Expr | None:
    """``-e`` if ``e`` reads as negative (its sign sits on its leftmost factor), else None."""
    if isinstance(e, Num):
        return Num(-e.value) if e.value < 0 else None
    if isinstance(e, Call) and e.fn == "neg":
        return e.args[0]
    if isinstance(e, Call) and e.fn in ("mul", "div"):
        p = _positive(e.args[0])
        if p is not None:
            return _mul(p, e.args[1]) if e.fn == "mul" else _div(p, e.args[1])
    return None


def _neg(a: Expr) -> Expr:
    """The sign goes on the leftmost factor: ``-2*x``, ``-a/b**2``, never ``-(a/b**2)``."""
    p = _positive(a)
    if p is not None:
        return p
    if isinstance(a, Num):
        return Num(-a.value)
    if isinstance(a, Call) and a.fn == "mul":
        return _mul(_neg(a.args[0]), a.args[1])
    if isinstance(a, Call) and a.fn == "div":
        return _div(_neg(a.args[0]), a.args[1])
    return Call("neg", (a,))


def _mul(a: Expr, b: Expr) -> Expr:
    x, y = _num(a), _num(b)
    if x is not None and y is not None:
        return Num(x * y)
    if y is not None:  # numbers to the front: 2*a, never a*2
        return _mul(b, a)
    if x == 0:
        return Num(Fraction(0))
    if x == 1:
        return b
    if x == -1:
        return _neg(b)
    p = _positive(b)
    if p is not None:
        return _mul(_neg(a), p)
    if x is not None and isinstance(b, Call) and b.fn == "mul" and isinstance(b.args[0], Num):
        return _mul(Num(x * b.args[0].value), b.args[1])
    for u, v in ((a, b), (b, a)):  # 1/d · v = v/d
        if isinstance(u, Call) and u.fn == "div" and _num(u.args[0]) == 1 and _num(v) is None:
            return _div(v, u.args[1])
    return Call("mul", (a, b))


def _div(a: Expr, b: Expr) -> Expr:
    x, y = _num(a), _num(b)
    if x is not None and y is not None and y != 0:
        return Num(x / y)
    if y == 1:
        return a
    p = _positive(b)
    if p is not None:
        return _div(_neg(a), p)
    return Call("div", (a, b))


def _add(a: Expr, b: Expr) -> Expr:
    x, y = _num(a), _num(b)
    if x is not None and y is not None:
        return Num(x + y)
    if y == 0:
        return a
    if x == 0:
        return b
    p = _positive(b)
    return _sub(a, p) if p is not None else Call("add", (a, b))


def _sub(a: Expr, b: Expr) -> Expr:
    x, y = _num(a), _num(b)
    if x is not None and y is not None:
        return Num(x - y)
    if y == 0:
        return a
    if x == 0:
        return _neg(b)
    p = _positive(b)
    return _add(a, p) if p is not None else Call("sub", (a, b))


def _pow(a: Expr, b: Expr) -> Expr:
    y = _num(b)
    if y == 1:
        return a
    if y == 0:
        return Num(Fraction(1))
    return Call("pow", (a, b))


class Printed:
    """A formula under construction: arithmetic on it builds the tidied tree."""

    __slots__ = ("tree",)

    def __init__(self, tree: Expr) -> None:
        self.tree = tree

    def __add__(self, o: Operand) -> Printed:
        return Printed(_add(self.tree, _tree(o)))

    def __radd__(self, o: Operand) -> Printed:
        return Printed(_add(_tree(o), self.tree))

    def __sub__(self, o: Operand) -> Printed:
        return Printed(_sub(self.tree, _tree(o)))

    def __rsub__(self, o: Operand) -> Printed:
        return Printed(_sub(_tree(o), self.tree))

    def __mul__(self, o: Operand) -> Printed:
        return Printed(_mul(self.tree, _tree(o)))

    def __rmul__(self, o: Operand) -> Printed:
        return Printed(_mul(_tree(o), self.tree))

    def __truediv__(self, o: Operand) -> Printed:
        return Printed(_div(self.tree, _tree(o)))

    def __rtruediv__(self, o: Operand) -> Printed:
        return Printed(_div(_tree(o), self.tree))

    def __pow__(self, o: Operand) -> Printed:
        return Printed(_pow(self.tree, _tree(o)))

    def __rpow__(self, o: Operand) -> Printed:
        return Printed(_pow(_tree(o), self.tree))

    def __neg__(self) -> Printed:
        return Printed(_neg(self.tree))

    def __str__(self) -> str:
        return unparse(self.tree)


def _call(fn: str) -> Callable[[Operand], Printed]:
    return lambda a: Printed(Call(fn, (_tree(a),)))


#: The printing backend: the table's rules evaluated to formulas.
PRINTED = SimpleNamespace(
    **{e.syntax: _call(e.syntax) for e in ENTRIES if e.is_function},
    const=lambda c: Printed(Num(Fraction(c))),
    value=lambda x: x,
    full=lambda x, like: x,
)


class TapeLike(Protocol):  # read-only members: a frozen Tape fits
    @property
    def args(self) -> tuple[str, ...]: ...
    @property
    def output(self) -> int: ...

    def forward(self, m: Any, args: Sequence[Any]) -> list[Any]: ...

    def backward(self, m: Any, slots: Sequence[Any]) -> list[Any]: ...


def text(x: Operand) -> str:
    """A rule's result as the formula a student would write."""
    return unparse(_tree(x))


def formula(tape: TapeLike) -> str:
    """The tape's own formula over its argument names."""
    slots = tape.forward(PRINTED, [Printed(Name(a)) for a in tape.args])
    return text(slots[tape.output])


def derivatives(tape: TapeLike) -> dict[str, str]:
    """d(tape)/d(each argument), as the table writes it: ``-2*(gold - S)``, not ``2*S - 2*gold``."""
    slots = tape.forward(PRINTED, [Printed(Name(a)) for a in tape.args])
    return {a: text(d) for a, d in zip(tape.args, tape.backward(PRINTED, slots))}
