"""The reference engine on random compositions of table rows, vs sympy and finite differences."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reference import expr as ex
from reference.autograd import compile_expr
from reference.course.formulas import tape_formulas
from reference.table import NUMERIC
from reference.table.symbolic import elementary

ARGS = ("a", "b", "c")
SYMS = {n: sympy.Symbol(n, real=True) for n in ARGS}


def to_sympy(node):
    """The tree as a sympy expression, built here independently of the table."""
    if isinstance(node, ex.Num):
        return sympy.Rational(node.value.numerator, node.value.denominator)
    if isinstance(node, ex.Name):
        return SYMS[node.id]
    xs = [to_sympy(a) for a in node.args]
    return {
        "add": lambda: xs[0] + xs[1],
        "sub": lambda: xs[0] - xs[1],
        "mul": lambda: xs[0] * xs[1],
        "div": lambda: xs[0] / xs[1],
        "pow": lambda: xs[0] ** xs[1],
        "neg": lambda: -xs[0],
        "exp": lambda: sympy.exp(xs[0]),
        "log": lambda: sympy.log(xs[0]),
        "sqrt": lambda: sympy.sqrt(xs[0]),
        "tanh": lambda: sympy.tanh(xs[0]),
        "sigmoid": lambda: 1 / (1 + sympy.exp(-xs[0])),
        "relu": lambda: sympy.Piecewise((xs[0], xs[0] > 0), (0, True)),
        "cosh": lambda: (sympy.exp(xs[0]) + sympy.exp(-xs[0])) / 2,
        "sinh": lambda: (sympy.exp(xs[0]) - sympy.exp(-xs[0])) / 2,
        "cos": lambda: sympy.re(sympy.exp(sympy.I * xs[0])),
        "sin": lambda: sympy.im(sympy.exp(sympy.I * xs[0])),
        "abs": lambda: sympy.Piecewise((xs[0], xs[0] >= 0), (-xs[0], True)),
    }[node.fn]()


def call(fn, *args):
    return ex.Call(fn, tuple(args))


leaves = st.one_of(
    st.sampled_from(ARGS).map(ex.Name),
    st.sampled_from([Fraction(1, 2), Fraction(2), Fraction(3), Fraction(-1, 4)]).map(ex.Num),
)


def extend(children):
    one_plus_square = children.map(
        lambda c: call("add", ex.Num(Fraction(1)), call("pow", c, ex.Num(Fraction(2))))
    )
    return st.one_of(
        st.tuples(
            st.sampled_from(["sigmoid", "tanh", "neg", "relu", "cos", "sin", "abs"]), children
        ).map(lambda t: call(*t)),
        st.tuples(st.sampled_from(["add", "sub", "mul"]), children, children).map(
            lambda t: call(*t)
        ),
        st.tuples(children, one_plus_square).map(lambda t: call("div", *t)),
        one_plus_square.map(lambda c: call("log", c)),
        one_plus_square.map(lambda c: call("sqrt", c)),
        st.tuples(one_plus_square, children.map(lambda c: call("tanh", c))).map(
            lambda t: call("pow", *t)
        ),
        st.tuples(children, st.sampled_from([Fraction(3), Fraction(-1)])).map(
            lambda t: call(
                "pow", call("add", ex.Num(Fraction(2)), call("sigmoid", t[0])), ex.Num(t[1])
            )
        ),
        children.map(lambda c: call("exp", call("tanh", c))),
        st.tuples(st.sampled_from(["cosh", "sinh"]), children).map(  # bounded: no overflow
            lambda t: call(t[0], call("tanh", t[1]))
        ),
    )


trees = st.recursive(leaves, extend, max_leaves=10)


def sample(n=64, seed=0):
    rng = np.random.default_rng(seed)
    return [rng.uniform(-2.5, 2.5, n) for _ in ARGS]


def away_from_kinks(tree, cols):
    """Points where no relu or abs argument is near 0 (their derivatives jump there)."""
    ok = np.ones_like(cols[0], dtype=bool)
    for node in _walk(tree):
        if isinstance(node, ex.Call) and node.fn in ("relu", "abs"):
            inner = sympy.lambdify([SYMS[a] for a in ARGS], to_sympy(node.args[0]), "numpy")
            ok &= np.abs(np.broadcast_to(inner(*cols), ok.shape)) > 1e-3
    return ok


def _walk(node):
    yield node
    if isinstance(node, ex.Call):
        for a in node.args:
            yield from _walk(a)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trees)
def test_random_compositions_match_sympy_diff_and_finite_differences(tree):
    tape = compile_expr(tree, ARGS)
    cols = sample()
    slots = tape.forward(NUMERIC, cols)
    value = np.broadcast_to(slots[tape.output], cols[0].shape)
    grads = [np.broadcast_to(g, cols[0].shape) for g in tape.backward(NUMERIC, slots)]
    oracle = to_sympy(tree)
    variables = [SYMS[a] for a in ARGS]
    expected_value = np.broadcast_to(
        sympy.lambdify(variables, oracle, "numpy")(*cols), cols[0].shape
    )
    np.testing.assert_allclose(value, expected_value, rtol=1e-9, atol=1e-12)
    ok = away_from_kinks(tree, cols)
    for i, v in enumerate(variables):
        expected = np.broadcast_to(
            sympy.lambdify(variables, sympy.diff(oracle, v), "numpy")(*cols), cols[0].shape
        )
        np.testing.assert_allclose(grads[i][ok], expected[ok], rtol=1e-8, atol=1e-10)
        h = 1e-6
        up = [c + h if j == i else c for j, c in enumerate(cols)]
        down = [c - h if j == i else c for j, c in enumerate(cols)]
        fwd = [
            np.broadcast_to(tape.forward(NUMERIC, p)[tape.output], cols[0].shape)
            for p in (up, down)
        ]
        central = (fwd[0] - fwd[1]) / (2 * h)
        np.testing.assert_allclose(grads[i][ok], central[ok], rtol=1e-4, atol=1e-5)


@settings(max_examples=25, deadline=None)
@given(trees)
def test_symbolic_backend_gives_the_derivatives_sympy_gives(tree):
    formula, partials = tape_formulas(compile_expr(tree, ARGS))
    oracle = to_sympy(tree)
    variables = [SYMS[a] for a in ARGS]
    cols = sample(n=16, seed=3)
    ok = away_from_kinks(tree, cols)
    for name, v in zip(ARGS, variables):
        ours = sympy.lambdify(variables, elementary(partials[name]), "numpy")(*cols)
        theirs = sympy.lambdify(variables, sympy.diff(oracle, v), "numpy")(*cols)
        np.testing.assert_allclose(
            np.broadcast_to(ours, ok.shape)[ok],
            np.broadcast_to(theirs, ok.shape)[ok],
            rtol=1e-9,
            atol=1e-12,
        )
    ours = sympy.lambdify(variables, elementary(formula), "numpy")(*cols)
    np.testing.assert_allclose(
        np.broadcast_to(ours, ok.shape),
        np.broadcast_to(sympy.lambdify(variables, oracle)(*cols), ok.shape),
        rtol=1e-9,
        atol=1e-12,
    )


def parse(text, names=ARGS):
    from reference.table import ALIASES, FUNCTIONS

    return ex.parse(text, names=names, functions=FUNCTIONS, aliases=ALIASES)


def test_fan_out_inside_a_formula_adds_up():
    tape = compile_expr(parse("a*a + a*b"), ARGS)
    slots = tape.forward(NUMERIC, [3.0, 5.0, 0.0])
    assert tape.backward(NUMERIC, slots) == [2 * 3.0 + 5.0, 3.0, 0]


def test_equal_subtrees_share_a_slot_and_constants_are_not_differentiated():
    tape = compile_expr(parse("sigmoid(a)*(1 - sigmoid(a))"), ARGS)
    assert [i.entry.name for i in tape.instrs].count("sigmoid") == 1
    tape = compile_expr(parse("a**2.5"), ARGS)
    assert [i.entry.name for i in tape.instrs] == ["pow"]
    # d/db of pow (which would need log of the constant's base) is never asked for
    slots = tape.forward(NUMERIC, [-1.0, 0.0, 0.0])
    with np.errstate(invalid="raise"):
        tape.backward(NUMERIC, slots)


def test_square_is_the_lessons_row():
    tape = compile_expr(parse("(b - a)^2"), ARGS)
    assert [i.entry.name for i in tape.instrs] == ["sub", "square"]


@pytest.mark.parametrize("text", ["2*3 + a", "a + 2^3", "a*(1/4)"])
def test_constant_subtrees_are_folded(text):
    tape = compile_expr(parse(text), ARGS)
    assert len(tape.instrs) == 1
