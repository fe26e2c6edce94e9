"""The sympy backend of the derivative table.

Imported only when formulas are needed (sympy costs ~0.3 s to import, which ``course trace``
and the numeric grading path never pay).  ``sigmoid`` and ``relu`` are sympy functions of
their own, so a derivative prints the way the lesson writes it, ``sigmoid(G)*(1 - sigmoid(G))``
rather than ``exp(-G)/(1 + exp(-G))**2``; ``elementary`` rewrites them into exp/Piecewise for
checks that must not trust our own definitions.
"""

from __future__ import annotations

from types import SimpleNamespace

import sympy  # type: ignore[import-untyped]

from reference.table import NUMERIC


class sigmoid(sympy.Function):
    """σ(a) = 1 / (1 + e^(−a))."""

    nargs = 1

    @classmethod
    def eval(cls, a):
        if a.is_zero:
            return sympy.Rational(1, 2)
        return None

    def fdiff(self, argindex=1):
        s = sigmoid(self.args[0])
        return s * (1 - s)

    def _eval_rewrite_as_exp(self, a, **kwargs):
        return 1 / (1 + sympy.exp(-a))

    def _eval_evalf(self, prec):
        return self.rewrite(sympy.exp)._eval_evalf(prec)

    def _eval_is_real(self):
        return self.args[0].is_real

    def _eval_is_positive(self):
        return True if self.args[0].is_real else None


class relu(sympy.Function):
    """max(0, a); its derivative at 0 is taken as 0, like the numeric backend."""

    nargs = 1

    @classmethod
    def eval(cls, a):
        if a.is_number and a.is_real:
            return sympy.Max(a, 0)
        return None

    def fdiff(self, argindex=1):
        return step(self.args[0])

    def _eval_rewrite_as_Piecewise(self, a, **kwargs):
        return sympy.Piecewise((a, a > 0), (0, True))

    def _eval_evalf(self, prec):
        return self.rewrite(sympy.Piecewise)._eval_evalf(prec)


class step(sympy.Function):
    """1 for a > 0, else 0: relu's derivative, written so students can type it."""

    nargs = 1

    @classmethod
    def eval(cls, a):
        if a.is_number and a.is_real:
            return sympy.Integer(1) if a > 0 else sympy.Integer(0)
        return None

    def fdiff(self, argindex=1):
        return sympy.Integer(0)

    def _eval_rewrite_as_Piecewise(self, a, **kwargs):
        return sympy.Piecewise((1, a > 0), (0, True))

    def _eval_evalf(self, prec):
        return self.rewrite(sympy.Piecewise)._eval_evalf(prec)


#: The sympy backend: the table's rules evaluated on sympy expressions.
SYMBOLIC = SimpleNamespace(
    exp=sympy.exp,
    log=sympy.log,
    sqrt=sympy.sqrt,
    tanh=sympy.tanh,
    cosh=sympy.cosh,
    sinh=sympy.sinh,
    cos=sympy.cos,
    sin=sympy.sin,
    abs=sympy.Abs,
    sign=sympy.sign,
    sigmoid=sigmoid,
    relu=relu,
    step=step,
    const=lambda c: sympy.Rational(c.numerator, c.denominator),
    value=lambda x: x,
    full=lambda x, like: sympy.Integer(x) if isinstance(x, int) else x,
)


def elementary(expr: sympy.Expr) -> sympy.Expr:
    """The same expression with the table's own functions written out in elementary terms."""
    return (
        expr.replace(sigmoid, lambda a: 1 / (1 + sympy.exp(-a)))
        .replace(relu, lambda a: sympy.Piecewise((a, a > 0), (0, True)))
        .replace(step, lambda a: sympy.Piecewise((1, a > 0), (0, True)))
    )


#: Numeric implementations for ``sympy.lambdify`` of expressions that use the table's functions.
LAMBDIFY_MODULES = [
    {"sigmoid": NUMERIC.sigmoid, "relu": NUMERIC.relu, "step": NUMERIC.step},
    "numpy",
]
