"""What a question asks for, and the reference's answer to it.

A question's ``answer:`` in the YAML only names a quantity (``{local: w1}``, ``{grad: w1}``,
``nodes_with_parameters`` …); a :class:`Target` is that name checked against the model, and
this module computes it: as numbers at many points at once, as a sympy formula, or as a fact
about the graph.  Nothing here is specific to the lesson's A, B, C, G, S, L.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from reference.autograd import run
from reference.course.model import Model
from reference.table import NUMERIC

#: Quantities computed as functions of a node's own arguments.
NODE = ("value", "local", "backward")
#: Quantities computed as functions of all inputs, parameters and data of the model.
LEAVES = ("grad", "update", "loss_after")
#: Quantities computed at one point (the student's own values).
AT_POINT = ("change", "sign")
#: Facts about the graph (quiz answers).
FACTS = ("nodes_with_parameters", "arguments", "consumers")
SIGNS = ("up", "down", "zero")


@dataclass(frozen=True)
class Target:
    what: str
    node: str | None = None  # value, local, backward; `of` for change and sign
    wrt: str | None = None  # local, grad, update, loss_after, change, sign
    by: float | None = None  # change

    def args(self, model: Model) -> tuple[str, ...]:
        """The names a function answering this takes, in order (the stub's signature)."""
        if self.what in ("value", "local"):
            return model.node(self.node).args
        if self.what == "backward":
            return (*model.node(self.node).args, upstream_name(model, self.node))
        if self.what in LEAVES:
            return model.leaves
        return ()

    @property
    def returns_mapping(self) -> bool:
        return self.what in ("backward", "arguments", "consumers")


def upstream_name(model: Model, node: str) -> str:
    """``dL_dA``: the name of the upstream derivative ``backward`` receives."""
    return f"d{model.loss}_d{node}"


def evaluate(target: Target, model: Model, point: dict[str, Any]) -> Any:
    """The reference's value at ``point`` (arrays evaluate many points at once).

    ``point`` maps ``target.args(model)`` for function targets, every leaf for the others.
    """
    what = target.what
    with np.errstate(all="ignore"):
        if what in NODE:
            node = model.node(target.node)
            tape = node.tape
            slots = tape.forward(NUMERIC, [np.asarray(point[a], float) for a in node.args])
            if what == "value":
                return _full(slots[tape.output], point)
            local = dict(zip(node.args, tape.backward(NUMERIC, slots)))
            if what == "local":
                return _full(local[target.wrt], point)
            upstream = np.asarray(point[upstream_name(model, node.name)], float)
            return {a: _full(upstream * d, point) for a, d in local.items()}
        if what == "grad":
            return model.trace(point).grad[target.wrt]
        if what == "update":
            return point[target.wrt] - model.learning_rate * model.trace(point).grad[target.wrt]
        if what == "loss_after":
            stepped = dict(
                point,
                **{target.wrt: evaluate(dataclasses.replace(target, what="update"), model, point)},
            )
            return model.trace(stepped).values[model.loss]
        if what in AT_POINT:
            d = derivative(model, target.node, target.wrt, point)
            if what == "change":
                return d * target.by
            return np.where(np.abs(d) < 1e-12, "zero", np.where(d > 0, "up", "down"))
    return fact(target, model)


def _full(x: Any, point: dict[str, Any]) -> np.ndarray:
    shape = np.broadcast_shapes(*(np.shape(v) for v in point.values()))
    return np.broadcast_to(np.asarray(x, dtype=float), shape)


def evaluate_at_leaves(target: Target, model: Model, leaves: dict[str, Any]) -> Any:
    """The answer where the whole model sits at ``leaves`` (a student's own values).

    A node target's arguments (and backward's upstream derivative) are what the forward and
    backward passes give there.
    """
    if target.what in NODE:
        trace = model.trace(leaves)
        point = {a: trace.values[a] for a in model.node(target.node).args}
        if target.what == "backward":
            point[upstream_name(model, target.node)] = trace.grad[target.node]
        return evaluate(target, model, point)
    return evaluate(target, model, leaves)


def derivative(model: Model, of: str, wrt: str, point: dict[str, Any]) -> np.ndarray:
    """d(of)/d(wrt) through the graph: the chain rule from ``of`` instead of from the loss."""
    if of in model.leaves:
        return np.asarray(1.0 if of == wrt else 0.0)
    upto = model.nodes[: [n.name for n in model.nodes].index(of) + 1]
    return run(dataclasses.replace(model, nodes=upto, loss=of), point).grad[wrt]


def fact(target: Target, model: Model) -> Any:
    """Answers about the graph's shape, for the preparatory quiz."""
    if target.what == "nodes_with_parameters":
        return sorted(n.name for n in model.nodes if set(n.args) & set(model.parameters))
    if target.what == "arguments":
        return {n.name: list(n.args) for n in model.nodes}
    if target.what == "consumers":
        return {n.name: [m.name for m in model.nodes if n.name in m.args] for n in model.nodes}
    raise ValueError(f"not a fact: {target.what}")


def sample_args(
    target: Target, model: Model, rng: np.random.Generator, n: int
) -> dict[str, np.ndarray]:
    """``n`` random argument tuples for a function target.

    Leaves come uniformly from their ranges; a node's arguments that are themselves nodes
    (G's A, B, C; L's S) and the upstream derivative take the values the whole model gives
    them there, so every point is one a real forward and backward pass produces.
    """
    leaves = model.sample(rng, n)
    if target.what in LEAVES:
        return leaves
    trace = model.trace(leaves)
    args = {a: np.asarray(trace.values[a]) for a in model.node(target.node).args}
    if target.what == "backward":
        args[upstream_name(model, target.node)] = np.asarray(trace.grad[target.node])
    return args


def formula(target: Target, model: Model):
    """The answer as a sympy expression in ``target.args(model)`` (node and leaf quantities)."""
    import sympy

    from reference.course.formulas import symbols, tape_formulas
    from reference.table.symbolic import SYMBOLIC

    if target.what in ("value", "local"):
        value, partials = tape_formulas(model.node(target.node).tape)
        return value if target.what == "value" else partials[target.wrt]
    if target.what in LEAVES:
        leaves = dict(zip(model.leaves, symbols(model.leaves)))
        trace = run(model, leaves, SYMBOLIC)
        grad = trace.grad[target.wrt]
        if target.what == "grad":
            return grad
        lr = Fraction(str(model.learning_rate))
        stepped = leaves[target.wrt] - sympy.Rational(lr.numerator, lr.denominator) * grad
        if target.what == "update":
            return stepped
        return trace.values[model.loss].subs(leaves[target.wrt], stepped)
    raise ValueError(f"{target.what} has no formula")
