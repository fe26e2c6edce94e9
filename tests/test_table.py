"""Every row of the derivative table against independent oracles.

The oracles are sympy (its own ``diff`` of the row's forward rule written out in elementary
functions, evaluated in high precision) and central finite differences; nothing here reuses
the row's own derivative to check itself.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import sympy

from reference.table import (
    ALIASES,
    CHAIN_RULE,
    ENTRIES,
    FUNCTIONS,
    NUMERIC,
    TABLE,
    listing,
    spellings,
)
from reference.table.symbolic import LAMBDIFY_MODULES, SYMBOLIC, elementary, relu, sigmoid

RNG_SEED = 20261123


def points(entry, n=200, seed=RNG_SEED):
    """Points inside the row's domain, away from relu's kink."""
    rng = np.random.default_rng(seed)
    lo, hi = entry.domain
    cols = []
    for i in range(entry.arity):
        if i in entry.positive_args:
            cols.append(rng.uniform(max(lo, 0.05), hi, n))
        else:
            x = rng.uniform(lo, hi, n)
            cols.append(np.where(np.abs(x) < 1e-3, 0.5, x))
    return cols


def syms(entry):
    return [sympy.Symbol(a, real=True) for a in entry.args]


def sympy_reference(entry):
    """The row's function in elementary sympy terms, written here independently of the table."""
    a, *rest = syms(entry)
    b = rest[0] if rest else None
    return {
        "mul": lambda: a * b,
        "add": lambda: a + b,
        "sub": lambda: a - b,
        "neg": lambda: -a,
        "div": lambda: a / b,
        "square": lambda: a**2,
        "pow": lambda: a**b,
        "exp": lambda: sympy.exp(a),
        "log": lambda: sympy.log(a),
        "sqrt": lambda: sympy.sqrt(a),
        "tanh": lambda: sympy.tanh(a),
        "relu": lambda: sympy.Piecewise((a, a > 0), (0, True)),
        "step": lambda: sympy.Piecewise((1, a > 0), (0, True)),
        "sigmoid": lambda: 1 / (1 + sympy.exp(-a)),
        "cosh": lambda: (sympy.exp(a) + sympy.exp(-a)) / 2,
        "sinh": lambda: (sympy.exp(a) - sympy.exp(-a)) / 2,
        "cos": lambda: sympy.re(sympy.exp(sympy.I * a)),
        "sin": lambda: sympy.im(sympy.exp(sympy.I * a)),
        "abs": lambda: sympy.Piecewise((a, a >= 0), (-a, True)),
        "sign": lambda: sympy.Piecewise((1, a > 0), (-1, a < 0), (0, True)),
    }[entry.name]()


def high_precision(expr, variables, cols, k):
    subs = {v: sympy.Float(repr(float(c[k])), 40) for v, c in zip(variables, cols)}
    return float(elementary(expr).evalf(30, subs=subs))


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.name)
def test_forward_matches_sympy(entry):
    variables = syms(entry)
    oracle = sympy_reference(entry)
    cols = points(entry, n=40)
    numeric = np.broadcast_to(entry.forward(NUMERIC, *cols), cols[0].shape)
    for k in range(len(cols[0])):
        assert numeric[k] == pytest.approx(
            high_precision(oracle, variables, cols, k), rel=1e-12, abs=1e-14
        )
    # and the symbolic rule is the same function as the oracle
    symbolic = elementary(entry.forward(SYMBOLIC, *variables))
    assert sympy.simplify((symbolic - oracle).rewrite(sympy.Piecewise)) == 0


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.name)
def test_partials_match_sympy_diff(entry):
    variables = syms(entry)
    oracle = sympy_reference(entry)
    cols = points(entry, n=40)
    for i, v in enumerate(variables):
        expected = sympy.diff(oracle, v)
        table_sym = sympy.sympify(entry.partials[i](SYMBOLIC, *variables))
        difference = sympy.simplify(elementary(table_sym) - expected)
        assert difference == 0 or all(
            abs(high_precision(difference, variables, cols, k)) < 1e-12 for k in range(10)
        ), f"d{entry.name}/d{v} = {table_sym}, sympy says {expected}"
        numeric = np.broadcast_to(entry.partials[i](NUMERIC, *cols), cols[0].shape)
        for k in range(len(cols[0])):
            assert numeric[k] == pytest.approx(
                high_precision(expected, variables, cols, k), rel=1e-10, abs=1e-12
            )


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.name)
def test_partials_match_finite_differences(entry):
    cols = points(entry, n=500, seed=7)
    for i in range(entry.arity):
        h = 1e-6 * np.maximum(1.0, np.abs(cols[i]))
        up = [c + h if j == i else c for j, c in enumerate(cols)]
        down = [c - h if j == i else c for j, c in enumerate(cols)]
        central = (entry.forward(NUMERIC, *up) - entry.forward(NUMERIC, *down)) / (2 * h)
        analytic = np.broadcast_to(entry.partials[i](NUMERIC, *cols), cols[0].shape)
        np.testing.assert_allclose(analytic, central, rtol=1e-5, atol=1e-6)


def test_the_lessons_rows_are_there():
    lesson = {e.name for e in ENTRIES if e.lesson}
    assert lesson == {"mul", "add", "square", "sigmoid"}
    w, a = sympy.symbols("w a")
    assert TABLE["mul"].partials[0](SYMBOLIC, w, a) == a  # df/dw1 = a
    assert TABLE["mul"].partials[1](SYMBOLIC, w, a) == w  # df/da = w1
    s = TABLE["sigmoid"].partials[0](SYMBOLIC, a)
    assert s == sigmoid(a) * (1 - sigmoid(a))
    assert "df/dx = df/dg" in CHAIN_RULE["en"] and "df/dx = df/dg" in CHAIN_RULE["ru"]


def test_every_row_is_described_in_both_languages():
    for e in ENTRIES:
        assert e.title["en"].strip() and e.title["ru"].strip()
        assert len(e.partials) == e.arity


def test_function_whitelist_comes_from_the_table():
    assert FUNCTIONS == {
        "sigmoid": 1,
        "pow": 2,
        "exp": 1,
        "log": 1,
        "sqrt": 1,
        "tanh": 1,
        "cosh": 1,
        "sinh": 1,
        "cos": 1,
        "sin": 1,
        "abs": 1,
        "sign": 1,
        "relu": 1,
        "step": 1,
    }
    assert set(ALIASES.values()) <= set(FUNCTIONS)
    # every function row is callable by its name; operators only where they say so
    assert {e.name for e in ENTRIES if e.is_function or e.function_form} == set(FUNCTIONS)
    assert "mul" not in FUNCTIONS and "neg" not in FUNCTIONS


def test_the_list_shown_to_people_comes_from_the_table():
    shown = listing()
    assert shown[0] == "sigmoid (\u03c3)" and "log (ln)" in shown
    assert [s.split(" ")[0] for s in shown] == list(FUNCTIONS)
    assert set(spellings()) == set(FUNCTIONS) | set(ALIASES)
    # an alias of a function that is not allowed is not offered
    assert spellings({"exp": 1}, ALIASES) == ["exp"]
    assert listing({"log": 1, "exp": 1}, {"ln": "log"}) == ["log (ln)", "exp"]


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.name)
def test_the_precise_backend_has_every_row(entry):
    """mpmath at 40 digits (the formula check's confirmation) agrees with the sympy oracle."""
    import mpmath

    from reference.table.precise import DIGITS, PRECISE

    variables = syms(entry)
    oracle = sympy_reference(entry)
    cols = points(entry, n=5, seed=3)
    for k in range(5):
        with mpmath.workdps(DIGITS):
            at = [PRECISE.value(float(c[k])) for c in cols]
            got = float(entry.forward(PRECISE, *at))
            partials = [float(PRECISE.full(d(PRECISE, *at), at[0])) for d in entry.partials]
        assert got == pytest.approx(high_precision(oracle, variables, cols, k), rel=1e-13)
        for v, d in zip(variables, partials):
            want = high_precision(sympy.diff(oracle, v), variables, cols, k)
            assert d == pytest.approx(want, rel=1e-12, abs=1e-14)


@pytest.mark.parametrize("backend", ["numeric", "symbolic", "precise"])
def test_abs_and_sign_agree_at_zero_in_every_backend(backend):
    """d|a|/da is written sign(a), 0 at 0, the same in numpy, sympy and mpmath."""
    from reference.table.precise import PRECISE

    m = {"numeric": NUMERIC, "symbolic": SYMBOLIC, "precise": PRECISE}[backend]
    at = [m.value(m.const(Fraction(p))) for p in (0, -2, 3)]
    assert [float(TABLE["abs"].forward(m, a)) for a in at] == [0.0, 2.0, 3.0]
    assert [float(TABLE["abs"].partials[0](m, a)) for a in at] == [0.0, -1.0, 1.0]
    assert [float(TABLE["sign"].forward(m, a)) for a in at] == [0.0, -1.0, 1.0]
    assert TABLE["sign"].partials[0](m, at[0]) == 0  # like step: 0 almost everywhere
    # the twin: abs is not the identity, and its derivative is not 1 on the left
    assert float(TABLE["abs"].partials[0](m, at[1])) != 1.0


def test_sigmoid_is_stable_far_from_zero():
    x = np.array([-800.0, -40.0, 0.0, 40.0, 800.0])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        s = NUMERIC.sigmoid(x)
    assert s[0] == 0.0 and s[-1] == 1.0 and s[2] == 0.5
    assert s[1] == pytest.approx(float(sympy.N(1 / (1 + sympy.exp(40)), 30)), rel=1e-12)


def test_symbolic_functions_print_and_differentiate_like_the_lesson():
    g = sympy.Symbol("G")
    assert str(sympy.diff(sigmoid(g), g)) == "(1 - sigmoid(G))*sigmoid(G)"
    assert sigmoid(0) == sympy.Rational(1, 2)
    assert float(relu(-2.5)) == 0.0 and float(relu(1.5)) == 1.5
    f = sympy.lambdify([g], sigmoid(g) * relu(g), modules=LAMBDIFY_MODULES)
    assert f(2.0) == pytest.approx(2.0 / (1 + np.exp(-2.0)))
