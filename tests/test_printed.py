"""The printing backend: derivatives as the lesson writes them, and always the right ones.

The oracle is the numeric backend of the same table at random points: a printed derivative is
parsed back with the students' own parser and evaluated, so a tidying rule that changed a value
(a lost sign, a factor moved across a division) fails here.
"""

from __future__ import annotations

import numpy as np
import pytest

from reference import expr as ex
from reference.autograd import compile_expr
from reference.table import ENTRIES, FUNCTIONS, NUMERIC
from reference.table.printed import derivatives, formula

FORMULAS = [
    "(gold - S)**2",
    "(S - gold)**2",
    "-(gold - S)**2",
    "sigmoid(G)",
    "tanh(G)",
    "exp(-G)/(1 + exp(-G))",
    "1/(1 + exp(-G))",
    "log(1 + exp(G))",
    "sqrt(A*B)",
    "-A*B/(A + 2)",
    "gold*log(S) + (1 - gold)*log(1 - S)",
    "2*A - 3*B + A*B*G",
    "relu(G)*G - G/4",
    "A**3 - 1/(B**2 + 1)",
]


def _evaluate(text: str, point: dict[str, np.ndarray]) -> np.ndarray:
    tree = ex.parse(text, names=list(point), functions=FUNCTIONS)
    names = sorted(ex.names_in(tree))
    tape = compile_expr(tree, names)
    slots = tape.forward(NUMERIC, [point[n] for n in names])
    return np.broadcast_to(slots[tape.output], next(iter(point.values())).shape)


def _check(tree: ex.Expr, names: list[str], point: dict[str, np.ndarray]) -> None:
    tape = compile_expr(tree, names)
    slots = tape.forward(NUMERIC, [point[n] for n in names])
    exact = tape.backward(NUMERIC, slots)
    printed = derivatives(tape)
    assert np.allclose(_evaluate(formula(tape), point), slots[tape.output], rtol=1e-12)
    for name, want in zip(names, exact):
        got = _evaluate(printed[name], point)
        assert np.allclose(got, np.broadcast_to(want, got.shape), rtol=1e-10), (name, printed)


@pytest.mark.parametrize("text", FORMULAS)
def test_printed_derivatives_are_the_engines(text):
    rng = np.random.default_rng(7)
    names = ["A", "B", "G", "S", "gold"]
    point = {n: rng.uniform(0.1, 0.9, 50) for n in names}
    tree = ex.parse(text, names=names, functions=FUNCTIONS)
    _check(tree, sorted(ex.names_in(tree)), point)


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.name)
def test_every_row_prints_a_derivative_that_parses_back(entry):
    rng = np.random.default_rng(3)
    names = list("ab"[: entry.arity])
    lo, hi = entry.domain
    point = {n: rng.uniform(lo, hi, 50) for n in names}
    point = {n: np.where(np.abs(v) < 0.05, 0.5, v) for n, v in point.items()}  # off kinks
    _check(ex.Call(entry.name, tuple(ex.Name(n) for n in names)), names, point)


def test_the_lesson_rows_read_as_in_the_lesson():
    """The factored forms the lesson's table uses, not sympy's expanded ones."""
    names = ["G", "S", "gold"]
    loss = compile_expr(ex.parse("(gold - S)**2", names=names, functions=FUNCTIONS), ["S", "gold"])
    assert derivatives(loss) == {"S": "-2*(gold - S)", "gold": "2*(gold - S)"}
    assert derivatives(loss)["S"] != "2*S - 2*gold"  # what sympy prints
    sigma = compile_expr(ex.parse("sigmoid(G)", names=names, functions=FUNCTIONS), ["G"])
    assert derivatives(sigma) == {"G": "sigmoid(G)*(1 - sigmoid(G))"}
