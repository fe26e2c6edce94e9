"""The reference autograd: a small reverse-mode engine on the derivative table.

Two levels, as in the lesson.  Inside a node (``L = (gold - S)**2``) a :class:`Tape` runs the
formula as straight-line code over table entries and gets the node's *local* derivatives
(dL/dS, dL/dgold) by a backward pass.  Across nodes, :func:`run` applies the chain rule from
the loss down to every node, parameter and input, adding up contributions where a name feeds
several places.  The backend decides what a value is: numpy arrays (many points at once) or
sympy expressions (the formulas), with the same code path for both.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Protocol

import numpy as np

from reference import expr as ex
from reference.table import NUMERIC, TABLE, Entry


@dataclass(frozen=True)
class Instr:
    """``slots[out] = entry.forward(*slots[inputs])``; ``out`` is implied by position."""

    entry: Entry
    inputs: tuple[int, ...]


@dataclass(frozen=True)
class Tape:
    """A formula compiled to straight-line code.

    Slots: the arguments first, then the constants, then one slot per instruction.
    ``live[s]`` says whether slot ``s`` depends on an argument: derivatives are only taken
    through live slots, so ``a**2.5`` never evaluates ``log(2.5)``'s side of pow.
    """

    args: tuple[str, ...]
    consts: tuple[Fraction, ...]
    instrs: tuple[Instr, ...]
    output: int
    live: tuple[bool, ...]

    def forward(self, m: Any, args: Sequence[Any]) -> list[Any]:
        slots = [*args, *(m.const(c) for c in self.consts)]
        for ins in self.instrs:
            slots.append(ins.entry.forward(m, *(slots[i] for i in ins.inputs)))
        return slots

    def backward(self, m: Any, slots: Sequence[Any]) -> list[Any]:
        """d(output)/d(each argument), by one reverse sweep with accumulation at forks."""
        grad: list[Any] = [None] * len(slots)  # None: no path to the output (yet)
        grad[self.output] = 1
        first = len(self.args) + len(self.consts)
        for k in range(len(self.instrs) - 1, -1, -1):
            upstream = grad[first + k]
            if upstream is None:
                continue
            ins = self.instrs[k]
            xs = [slots[i] for i in ins.inputs]
            for j, i in enumerate(ins.inputs):
                if self.live[i]:
                    term = upstream * ins.entry.partials[j](m, *xs)
                    grad[i] = term if grad[i] is None else grad[i] + term
        return [0 if g is None else g for g in grad[: len(self.args)]]


def compile_expr(tree: ex.Expr, args: Sequence[str]) -> Tape:
    """Compile a parsed formula over ``args``.

    Equal subtrees share one slot (``σ(G)·(1 − σ(G))`` computes σ once) and constant subtrees
    fold to one exact constant.
    """
    args = tuple(args)
    consts: list[Fraction] = []
    pending: list[tuple[Entry, tuple[tuple[str, int], ...]]] = []
    memo: dict[ex.Expr, tuple[str, int]] = {}

    def visit(node: ex.Expr) -> tuple[str, int]:
        # References are ("arg"|"const"|"instr", index) until the slot layout is known.
        if node in memo:
            return memo[node]
        value = ex.fold_constant(node)
        if value is not None:
            ref = ("const", _index(consts, value))
        elif isinstance(node, ex.Name):
            ref = ("arg", args.index(node.id))
        else:
            assert isinstance(node, ex.Call)
            entry = TABLE[node.fn]
            operands = node.args
            if node.fn == "pow" and ex.fold_constant(node.args[1]) == 2:
                entry, operands = TABLE["square"], node.args[:1]
            pending.append((entry, tuple(visit(a) for a in operands)))
            ref = ("instr", len(pending) - 1)
        memo[node] = ref
        return ref

    out = visit(tree)
    base = {"arg": 0, "const": len(args), "instr": len(args) + len(consts)}

    def slot(ref: tuple[str, int]) -> int:
        return base[ref[0]] + ref[1]

    instrs = tuple(Instr(e, tuple(slot(r) for r in refs)) for e, refs in pending)
    live = [True] * len(args) + [False] * len(consts)
    for ins in instrs:
        live.append(any(live[i] for i in ins.inputs))
    return Tape(args, tuple(consts), instrs, slot(out), tuple(live))


def _index(items: list[Fraction], value: Fraction) -> int:
    if value not in items:
        items.append(value)
    return items.index(value)


class NodeLike(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def args(self) -> tuple[str, ...]: ...
    @property
    def tape(self) -> Tape: ...


class ModelLike(Protocol):  # read-only members: a frozen Model or its properties fit
    @property
    def leaves(self) -> tuple[str, ...]: ...
    @property
    def nodes(self) -> tuple[NodeLike, ...]: ...
    @property
    def loss(self) -> str: ...


@dataclass
class Trace:
    """Everything the lesson asks for at some points (or symbolically)."""

    values: dict[str, Any]  # every leaf and node
    local: dict[str, dict[str, Any]]  # node -> argument -> d node / d argument
    grad: dict[str, Any]  # every name, the loss included -> d loss / d name


def backprop(
    model: ModelLike, local: Mapping[str, Mapping[str, Any]], names: Any = ()
) -> dict[str, Any]:
    """The chain rule across nodes: dL/d(every name) from each node's local derivatives.

    Reverse topological order makes each node's dL/dnode complete before it is passed on;
    a name that feeds several nodes adds up their contributions.
    """
    grad: dict[str, Any] = dict.fromkeys(names, 0)
    grad[model.loss] = 1
    for node in reversed(model.nodes):
        for arg, d in local[node.name].items():
            grad[arg] = grad.get(arg, 0) + grad.get(node.name, 0) * d
    return grad


#: The numeric traces computed lately, by the model's graph (its nodes' identities, held by
#: the entry so that no id is reused while it lives) and the point's bytes: grading asks for
#: the trace at one point dozens of times (every question, every diagnosis, every
#: ``derivative`` through a shortened copy of the model).  Bounded, so memory stays flat
#: however many submissions a process grades.
_TRACES: OrderedDict[tuple, tuple[tuple[Any, ...], Trace]] = OrderedDict()
TRACE_CACHE_SIZE = 256


def run(model: ModelLike, point: Mapping[str, Any], m: Any = NUMERIC) -> Trace:
    """Forward through every node, local derivatives per node, then the chain rule to every name.

    With the numeric backend ``point`` maps each leaf to a float or an array of floats (all
    points at once); results are float arrays of the broadcast shape (read-only: a numeric
    trace is shared by every caller that asks at the same point).  With the symbolic backend
    it maps leaves to sympy expressions (symbols, usually).
    """
    if m is not NUMERIC or not all(name in point for name in model.leaves):
        return _run(model, point, m)
    leaves = {name: np.array(point[name], dtype=float) for name in model.leaves}  # own copies
    graph = (model.leaves, model.loss, *map(id, model.nodes))
    key = (graph, *((v.shape, v.tobytes()) for v in leaves.values()))
    hit = _TRACES.get(key)
    if hit is None:
        hit = (tuple(model.nodes), _run(model, leaves, m))
        _TRACES[key] = hit
        if len(_TRACES) > TRACE_CACHE_SIZE:
            _TRACES.popitem(last=False)
    else:
        _TRACES.move_to_end(key)
    trace = hit[1]
    return Trace(
        values=dict(trace.values),
        local={n: dict(ds) for n, ds in trace.local.items()},
        grad=dict(trace.grad),
    )


def _run(model: ModelLike, point: Mapping[str, Any], m: Any) -> Trace:
    with np.errstate(all="ignore"):
        values: dict[str, Any] = {name: m.value(point[name]) for name in model.leaves}
        local: dict[str, dict[str, Any]] = {}
        for node in model.nodes:
            slots = node.tape.forward(m, [values[a] for a in node.args])
            values[node.name] = slots[node.tape.output]
            local[node.name] = dict(zip(node.args, node.tape.backward(m, slots)))
        grad = backprop(model, local, names=values)
        like = values[model.loss]
        full = _frozen if m is NUMERIC else m.full
        return Trace(
            values={k: full(v, like) for k, v in values.items()},
            local={n: {a: full(d, like) for a, d in ds.items()} for n, ds in local.items()},
            grad={k: full(v, like) for k, v in grad.items()},
        )


def _frozen(x: Any, like: Any) -> np.ndarray:
    """``NUMERIC.full``, read-only, without a broadcast view when the shape is already right
    (every array here is the trace's own: the leaves are copies, the rest computed)."""
    if type(x) is np.ndarray and x.dtype == np.float64 and x.shape == np.shape(like):
        x.flags.writeable = False
        return x
    return NUMERIC.full(x, like)
