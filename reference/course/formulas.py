"""Nodes' formulas and local derivatives as sympy expressions, from the tapes that give numbers."""

from __future__ import annotations

import sympy  # type: ignore[import-untyped]

from reference.autograd import Tape
from reference.table.symbolic import SYMBOLIC


def symbols(names: tuple[str, ...]) -> list[sympy.Symbol]:
    return [sympy.Symbol(n, real=True) for n in names]


def tape_formulas(tape: Tape) -> tuple[sympy.Expr, dict[str, sympy.Expr]]:
    """The formula and d(formula)/d(each argument), in the arguments' names."""
    slots = tape.forward(SYMBOLIC, symbols(tape.args))
    partials = tape.backward(SYMBOLIC, slots)
    return slots[tape.output], {
        a: sympy.Integer(d) if isinstance(d, int) else d for a, d in zip(tape.args, partials)
    }
