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
FACTS = ("nodes_with_parameters", "arguments", "consumers", "outputs")
#: What a function outputs, in the lesson's terms (the answer of ``outputs``): the values a
#: teacher's options name.  A node is judged by its outermost row of the table, the loss node
#: by its role; every row not named in OUTPUT_OF_ROW outputs ANY_NUMBER.
LOSS, ANY_NUMBER = "loss", "any_number"
OUTPUT_OF_ROW = {
    "mul": "product",
    "add": "sum",
    "sigmoid": "probability",
    **dict.fromkeys(("tanh", "sin", "cos", "sign"), "between_-1_and_1"),
    **dict.fromkeys(("square", "abs", "relu", "step", "exp", "sqrt", "cosh"), "non_negative"),
}
OUTPUTS = (*dict.fromkeys(OUTPUT_OF_ROW.values()), LOSS, ANY_NUMBER)
#: What else an output is, so that an option that also holds is also right: a probability
#: lies between −1 and 1 and is non-negative, a loss is non-negative.
ALSO_TRUE = {
    "probability": ("between_-1_and_1", "non_negative"),
    LOSS: ("non_negative",),
}


def true_outputs(output: str) -> set[str]:
    """Every option of ``outputs`` that holds for a node that outputs ``output``."""
    return {output, *ALSO_TRUE.get(output, ())}


SIGNS = ("up", "down", "zero")
#: Backward's upstream derivative is the real one times a factor of this size, either sign.
UPSTREAM_SCALE = (0.5, 2.0)


class _Quantity:
    """What every target answers: its name in the YAML (``what``), its arguments."""

    @property
    def what(self) -> str:
        """The quantity's name in the YAML: a class attribute, or a fact's own name."""
        raise NotImplementedError

    @property
    def returns_mapping(self) -> bool:
        """The answer is a mapping (a dict per point, or per node) rather than a number."""
        return False

    def args(self, model: Model) -> tuple[str, ...]:
        """The names a function answering this takes, in order (the stub's signature)."""
        return ()


@dataclass(frozen=True)
class NodeQuantity(_Quantity):
    """A quantity of one node, as a function of the node's own arguments."""

    node: str

    def args(self, model: Model) -> tuple[str, ...]:
        return model.node(self.node).args


@dataclass(frozen=True)
class Value(NodeQuantity):
    what = "value"


@dataclass(frozen=True)
class Local(NodeQuantity):
    """d node / d wrt, one of the node's own arguments."""

    wrt: str
    what = "local"


@dataclass(frozen=True)
class Backward(NodeQuantity):
    """The node's ``backward``: dL/d(each argument) given the upstream dL/d node."""

    what = "backward"
    returns_mapping = True

    def args(self, model: Model) -> tuple[str, ...]:
        return (*model.node(self.node).args, upstream_name(model, self.node))


@dataclass(frozen=True)
class LeafQuantity(_Quantity):
    """A quantity of the whole model at one leaf, as a function of every leaf."""

    wrt: str

    def args(self, model: Model) -> tuple[str, ...]:
        return model.leaves


@dataclass(frozen=True)
class Grad(LeafQuantity):
    what = "grad"


@dataclass(frozen=True)
class Update(LeafQuantity):
    """The parameter after one gradient-descent step."""

    what = "update"


@dataclass(frozen=True)
class LossAfter(LeafQuantity):
    """The loss after one step on ``wrt``."""

    what = "loss_after"


@dataclass(frozen=True)
class PointQuantity(_Quantity):
    """How ``of`` responds to ``wrt`` at one point (the student's own values)."""

    of: str
    wrt: str


@dataclass(frozen=True)
class Change(PointQuantity):
    """The change of ``of`` when ``wrt`` changes ``by`` (derivative times the step)."""

    by: float
    what = "change"


@dataclass(frozen=True)
class Sign(PointQuantity):
    """Which way ``of`` moves when ``wrt`` grows: up, down or zero."""

    what = "sign"


@dataclass(frozen=True)
class Fact(_Quantity):
    """A fact about the graph's shape (the preparatory quiz)."""

    name: str

    @property
    def what(self) -> str:
        return self.name

    @property
    def returns_mapping(self) -> bool:
        return self.name in ("arguments", "consumers", "outputs")


@dataclass(frozen=True)
class Manual(_Quantity):
    """No quantity of the reference: free text, which the teacher grades."""

    what = "manual"


Target = Value | Local | Backward | Grad | Update | LossAfter | Change | Sign | Fact | Manual


def upstream_name(model: Model, node: str) -> str:
    """``dL_dA``: the name of the upstream derivative ``backward`` receives."""
    return f"d{model.loss}_d{node}"


def evaluate(target: Target, model: Model, point: dict[str, Any]) -> Any:
    """The reference's value at ``point`` (arrays evaluate many points at once).

    ``point`` maps ``target.args(model)`` for function targets, every leaf for the others.
    """
    with np.errstate(all="ignore"):
        if isinstance(target, NodeQuantity):
            node = model.node(target.node)
            tape = node.tape
            slots = tape.forward(NUMERIC, [np.asarray(point[a], float) for a in node.args])
            if isinstance(target, Value):
                return _full(slots[tape.output], point)
            local = dict(zip(node.args, tape.backward(NUMERIC, slots)))
            if isinstance(target, Local):
                return _full(local[target.wrt], point)
            upstream = np.asarray(point[upstream_name(model, node.name)], float)
            return {a: _full(upstream * d, point) for a, d in local.items()}
        if isinstance(target, Grad):
            return model.trace(point).grad[target.wrt]
        if isinstance(target, Update):
            return point[target.wrt] - model.learning_rate * model.trace(point).grad[target.wrt]
        if isinstance(target, LossAfter):
            stepped = dict(point, **{target.wrt: evaluate(Update(target.wrt), model, point)})
            return model.trace(stepped).values[model.loss]
        if isinstance(target, PointQuantity):
            d = derivative(model, target.of, target.wrt, point)
            if isinstance(target, Change):
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
    if isinstance(target, NodeQuantity):
        trace = model.trace(leaves)
        point = {a: trace.values[a] for a in model.node(target.node).args}
        if isinstance(target, Backward):
            point[upstream_name(model, target.node)] = trace.grad[target.node]
        return evaluate(target, model, point)
    return evaluate(target, model, leaves)


def derivative(model: Model, of: str, wrt: str, point: dict[str, Any]) -> np.ndarray:
    """d(of)/d(wrt) through the graph: the chain rule from ``of`` instead of from the loss."""
    if of in model.leaves:
        return np.asarray(1.0 if of == wrt else 0.0)
    upto = model.nodes[: [n.name for n in model.nodes].index(of) + 1]
    return np.asarray(run(dataclasses.replace(model, nodes=upto, loss=of), point).grad[wrt])


def fact(target: Target, model: Model) -> Any:
    """Answers about the graph's shape, for the preparatory quiz."""
    what = target.what
    if what == "nodes_with_parameters":
        return sorted(n.name for n in model.nodes if set(n.args) & set(model.parameters))
    if what == "arguments":
        return {n.name: list(n.args) for n in model.nodes}
    if what == "consumers":
        return {n.name: [m.name for m in model.nodes if n.name in m.args] for n in model.nodes}
    if what == "outputs":
        return {n.name: output_of(model, n.name) for n in model.nodes}
    raise ValueError(f"not a fact: {what}")


def output_of(model: Model, node: str) -> str:
    """What ``node`` outputs (one of :data:`OUTPUTS`): the loss by its role, any other node by
    the table row that computes its result last (``(gold - S)**2`` is a square)."""
    if node == model.loss:
        return LOSS
    tape = model.node(node).tape
    last = tape.output - len(tape.args) - len(tape.consts)
    if last < 0:  # the node is one of its arguments, or a constant
        return ANY_NUMBER
    return OUTPUT_OF_ROW.get(tape.instrs[last].entry.name, ANY_NUMBER)


def sample_args(
    target: Target, model: Model, rng: np.random.Generator, n: int
) -> dict[str, np.ndarray]:
    """``n`` random argument tuples for a function target.

    Leaves come uniformly from their ranges; a node's arguments that are themselves nodes
    (G's A, B, C; L's S) take the values the whole model gives them there.  Backward's
    upstream derivative is the real backward pass's, scaled by a random factor of either sign
    (:data:`UPSTREAM_SCALE`): the loss node's real upstream is always 1, and a backward that
    ignores its upstream must not pass there either.
    """
    leaves = model.sample(rng, n)
    if not isinstance(target, NodeQuantity):
        return leaves
    trace = model.trace(leaves)
    args = {a: np.asarray(trace.values[a]) for a in model.node(target.node).args}
    if isinstance(target, Backward):
        scale = rng.uniform(*UPSTREAM_SCALE, size=n) * rng.choice((-1.0, 1.0), size=n)
        args[upstream_name(model, target.node)] = np.asarray(trace.grad[target.node]) * scale
    return args


def formula(target: Target, model: Model) -> Any:
    """The answer as a sympy expression in ``target.args(model)`` (node and leaf quantities)."""
    import sympy  # type: ignore[import-untyped]

    from reference.course.formulas import symbols, tape_formulas
    from reference.table.symbolic import SYMBOLIC

    if isinstance(target, (Value, Local)):
        value, partials = tape_formulas(model.node(target.node).tape)
        return value if isinstance(target, Value) else partials[target.wrt]
    if isinstance(target, LeafQuantity):
        leaves = dict(zip(model.leaves, symbols(model.leaves)))
        trace = run(model, leaves, SYMBOLIC)
        grad = trace.grad[target.wrt]
        if isinstance(target, Grad):
            return grad
        lr = Fraction(str(model.learning_rate))
        stepped = leaves[target.wrt] - sympy.Rational(lr.numerator, lr.denominator) * grad
        if isinstance(target, Update):
            return stepped
        return trace.values[model.loss].subs(leaves[target.wrt], stepped)
    raise ValueError(f"{target.what} has no formula")
