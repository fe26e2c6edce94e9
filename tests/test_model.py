"""The lesson's model from course.yml: its gradient against a closed form and finite differences."""

from __future__ import annotations

import numpy as np
import pytest
import sympy
from conftest import LESSON

from reference.autograd import run
from reference.course.model import load_model
from reference.table.symbolic import SYMBOLIC, elementary


@pytest.fixture(scope="module")
def model():
    return load_model(LESSON / "course.yml")


def closed_form(p):
    """The lesson's gradient written out by hand, independently of the engine."""
    g = p["w1"] * p["x1"] + p["w2"] * p["x2"] + p["w3"] * p["x3"]
    s = 1 / (1 + np.exp(-g))
    loss = (p["gold"] - s) ** 2
    dl_ds = -2 * (p["gold"] - s)
    dl_dg = dl_ds * s * (1 - s)
    grad = {
        "L": np.ones_like(g),
        "S": dl_ds,
        "G": dl_dg,
        "A": dl_dg,
        "B": dl_dg,
        "C": dl_dg,
        "gold": 2 * (p["gold"] - s),
    }
    for i in "123":
        grad[f"w{i}"] = dl_dg * p[f"x{i}"]
        grad[f"x{i}"] = dl_dg * p[f"w{i}"]
    return loss, grad


def test_the_lesson_as_declared(model):
    assert model.inputs == ("x1", "x2", "x3")
    assert model.parameters == ("w1", "w2", "w3")
    assert model.data == ("gold",)
    assert [(n.name, n.args) for n in model.nodes] == [
        ("A", ("x1", "w1")),
        ("B", ("x2", "w2")),
        ("C", ("x3", "w3")),
        ("G", ("A", "B", "C")),
        ("S", ("G",)),
        ("L", ("S", "gold")),
    ]
    assert model.loss == "L" and model.learning_rate == 0.001


def test_gradient_matches_the_closed_form_at_many_points(model):
    point = model.sample(np.random.default_rng(1), 10_000)
    trace = model.trace(point)
    loss, grad = closed_form(point)
    np.testing.assert_allclose(trace.values["L"], loss, rtol=1e-12)
    assert set(trace.grad) == set(model.names)
    for name, expected in grad.items():
        np.testing.assert_allclose(trace.grad[name], expected, rtol=1e-12, atol=1e-15)


def test_gradient_matches_finite_differences(model):
    point = model.sample(np.random.default_rng(2), 500)
    trace = model.trace(point)
    for name in model.leaves:
        h = 1e-6
        up = dict(point, **{name: point[name] + h})
        down = dict(point, **{name: point[name] - h})
        central = (model.trace(up).values["L"] - model.trace(down).values["L"]) / (2 * h)
        np.testing.assert_allclose(trace.grad[name], central, rtol=1e-5, atol=1e-8)


def test_local_derivatives_are_the_tables(model):
    point = {"x1": 1.0, "x2": 2.0, "x3": 3.0, "w1": 0.1, "w2": 0.2, "w3": 0.3, "gold": 1.0}
    t = model.trace(point)
    assert float(t.local["A"]["w1"]) == 1.0 and float(t.local["A"]["x1"]) == 0.1
    assert {k: float(v) for k, v in t.local["G"].items()} == {"A": 1.0, "B": 1.0, "C": 1.0}
    s = float(t.values["S"])
    assert float(t.local["S"]["G"]) == pytest.approx(s * (1 - s), rel=1e-15)
    assert float(t.local["L"]["S"]) == pytest.approx(-2 * (1.0 - s), rel=1e-15)


def test_vectorized_equals_point_by_point(model):
    point = model.sample(np.random.default_rng(3), 50)
    batch = model.trace(point)
    for k in range(50):
        one = model.trace({n: float(v[k]) for n, v in point.items()})
        for name in model.names:
            assert float(one.grad[name]) == batch.grad[name][k]


def test_symbolic_gradient_is_sympys_derivative_of_the_whole_function(model):
    leaves = {n: sympy.Symbol(n, real=True) for n in model.leaves}
    trace = run(model, leaves, SYMBOLIC)
    loss = elementary(trace.values["L"])
    for name, sym in leaves.items():
        mine = elementary(trace.grad[name])
        values = {s: 0.3 + 0.1 * i for i, s in enumerate(leaves.values())}
        assert float(mine.evalf(subs=values)) == pytest.approx(
            float(sympy.diff(loss, sym).evalf(subs=values)), rel=1e-12
        )


def test_samples_stay_in_their_ranges(model):
    point = model.sample(np.random.default_rng(4), 1000)
    for name, values in point.items():
        lo, hi = model.ranges[name]
        assert values.min() >= lo and values.max() <= hi
    assert model.ranges["gold"] == (0.0, 1.0) and model.ranges["w2"] == (-1.0, 1.0)


FAN_OUT = """\
seed: 1
inputs: [x]
parameters: [w]
nodes:
  H(x, w): w*x
  K(H, x): H*H + x*H
  L(K, H): (K - H)**2
loss: L
learning_rate: 0.1
ranges: {inputs: [-1.0, 1.0], parameters: [-1.0, 1.0]}
"""


def test_a_students_own_values_are_pinned(model):
    """The values an id gets are fixed for good: a student wrote them down from check.py, the
    grader and the notebooks must keep using exactly these.  A change that moves them (a new
    order of the leaves, another draw) fails here first; the numbers are literal on purpose."""
    assert model.own_values("anna") == {
        "x1": 2.0, "x2": 2.1, "x3": 1.5, "w1": 0.5, "w2": -1.0, "w3": 0.4, "gold": 0.6,
    }  # fmt: skip
    assert list(model.leaf_ranges()) == list(model.leaves)  # the order they are drawn in
    # the twin: the draw depends on the id (and the course's seed), so another id moves
    assert model.own_values("bob") != model.own_values("anna")


def test_fan_out_across_nodes_accumulates(tmp_path):
    """x feeds H and K, H feeds K twice and L once: every path must be added up."""
    (tmp_path / "course.yml").write_text(FAN_OUT)
    model = load_model(tmp_path / "course.yml")
    assert [n.name for n in model.nodes] == ["H", "K", "L"]
    x, w = sympy.symbols("x w", real=True)
    h = w * x
    k = h * h + x * h
    loss = (k - h) ** 2
    for xv, wv in [(0.7, -0.3), (-0.2, 0.9), (1.0, 1.0)]:
        t = model.trace({"x": xv, "w": wv})
        subs = {x: xv, w: wv}
        assert float(t.grad["x"]) == pytest.approx(float(sympy.diff(loss, x).subs(subs)), rel=1e-12)
        assert float(t.grad["w"]) == pytest.approx(float(sympy.diff(loss, w).subs(subs)), rel=1e-12)


def test_a_teacher_can_swap_sigmoid_for_tanh(tmp_path):
    text = (LESSON / "course.yml").read_text().replace("S(G): sigmoid(G)", "S(G): tanh(G)")
    (tmp_path / "course.yml").write_text(text)
    model = load_model(tmp_path / "course.yml")
    point = model.sample(np.random.default_rng(5), 100)
    t = model.trace(point)
    g = sum(point[f"w{i}"] * point[f"x{i}"] for i in "123")
    np.testing.assert_allclose(
        t.grad["G"], -2 * (point["gold"] - np.tanh(g)) * (1 - np.tanh(g) ** 2), rtol=1e-12
    )
