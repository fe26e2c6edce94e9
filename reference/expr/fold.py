"""Questions about a tree: the names it uses, and its exact value when it is a constant."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

from reference.expr.errors import ExprError, short
from reference.expr.trees import Call, Expr, Name, Num
from reference.i18n import Text, t


def names_in(expr: Expr) -> list[str]:
    """Distinct variable names in order of first appearance (left to right in the text)."""
    seen: dict[str, None] = {}
    stack: list[Expr] = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, Name):
            seen.setdefault(node.id, None)
        elif isinstance(node, Call):
            stack.extend(reversed(node.args))
    return list(seen)


_ARITHMETIC = {"add": 2, "sub": 2, "mul": 2, "div": 2, "pow": 2, "neg": 1}


def _is_constant(expr: Expr) -> bool:
    stack: list[Expr] = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, Name):
            return False
        if isinstance(node, Call):
            if _ARITHMETIC.get(node.fn) != len(node.args):
                return False
            stack.extend(node.args)
    return True


def _too_large(pos: int | None, detail: Text | None = None) -> ExprError:
    return ExprError(t("expr.number_too_large"), pos, detail)


def _division_by_zero(pos: int | None) -> ExprError:
    return ExprError(t("expr.division_by_zero"), pos)


def fold_constant(expr: Expr, *, max_bits: int = 256, max_exponent: int = 64) -> Fraction | None:
    """Exact value of a subtree made only of numbers and arithmetic, else ``None``.

    ``None`` if the tree contains a Name or a function call (or a power with a non-integer
    exponent, which has no exact rational value in general).  Sizes are checked *before*
    computing, so ``9**9**9**9`` fails at once: integer exponents above ``max_exponent``
    and results wider than ``max_bits`` raise ``ExprError("number too large")``; division
    by zero raises ``ExprError`` too.
    """
    if not _is_constant(expr):
        return None

    def check(value: Fraction, pos: int) -> Fraction:
        if max(value.numerator.bit_length(), value.denominator.bit_length()) > max_bits:
            raise _too_large(
                pos,
                t("expr.exact_values_are_limited_bits", max_bits=max_bits),
            )
        return value

    def power(base: Fraction, exponent: Fraction, pos: int) -> Fraction | None:
        if exponent.denominator != 1:
            return None
        n = exponent.numerator
        if base in (0, 1, -1):  # cheap whatever the exponent
            if base == 0 and n < 0:
                raise _division_by_zero(pos)
            if base == 0:
                return Fraction(1 if n == 0 else 0)
            return Fraction(-1 if base == -1 and n % 2 else 1)
        if abs(n) > max_exponent:
            raise _too_large(
                pos,
                t("expr.exponent_larger_than", n=short(str(n)), max_exponent=max_exponent),
            )
        width = max(base.numerator.bit_length(), base.denominator.bit_length())
        if abs(n) * (width - 1) + 1 > max_bits:  # lower bound of the result's width
            raise _too_large(
                pos,
                t("expr.exact_values_are_limited_bits", max_bits=max_bits),
            )
        return base**n

    def value_of(node: Expr) -> Fraction | None:
        if isinstance(node, Num):
            return check(Fraction(node.value), node.pos)
        assert isinstance(node, Call)
        maybe_args = [value_of(a) for a in node.args]
        args = [a for a in maybe_args if a is not None]
        if len(args) != len(maybe_args):
            return None
        fn = node.fn
        if fn == "neg":
            return -args[0]
        a, b = args
        if fn == "add":
            result = a + b
        elif fn == "sub":
            result = a - b
        elif fn == "mul":
            result = a * b
        elif fn == "div":
            if b == 0:
                raise _division_by_zero(node.pos)
            result = a / b
        else:
            maybe = power(a, b, node.pos)
            if maybe is None:
                return None
            result = maybe
        return check(result, node.pos)

    try:
        return value_of(expr)
    except RecursionError:
        raise ExprError(t("expr.formula_nested_too_deeply")) from None


def substitute(expr: Expr, trees: Mapping[str, Expr]) -> Expr:
    """``expr`` with each ``Name`` in ``trees`` replaced by its tree (a node's own formula).

    Trees, not text: ``S*(1 - S)`` for dS/dG becomes ``sigmoid(G)*(1 - sigmoid(G))`` without
    any string being evaluated or parsed again.
    """
    if isinstance(expr, Name):
        return trees.get(expr.id, expr)
    if isinstance(expr, Call):
        args = tuple(substitute(a, trees) for a in expr.args)
        return expr if args == expr.args else Call(expr.fn, args, expr.pos)
    return expr
