"""Why a wrong answer is wrong: known mistakes and automatic diagnoses, from values alone.

A wrong answer (a function's values, a formula evaluated at the same points, a hand-computed
number) is compared with other quantities the reference can compute at the same points: the
teacher's known mistakes first (they carry feedback and partial credit), then the usual
slips — the sign flipped, a constant factor, the derivative by the wrong variable, the
function itself instead of its derivative, a link of the chain left out, σ(1+σ) for the
sigmoid's σ(1−σ), the product rule where the table's w·a row applies, two arguments of a
backward swapped.  Feedback names the slip, never the right answer.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np

from grader.course.questions import Question
from grader.scoring.within import close
from reference.autograd import compile_expr
from reference.course.model import Model, Tolerance
from reference.course.targets import (
    Backward,
    Change,
    Grad,
    Local,
    Target,
    Update,
    Value,
    derivative,
    evaluate,
    evaluate_at_leaves,
    upstream_name,
)
from reference.expr.trees import Call, Name
from reference.i18n import Text, t
from reference.table import NUMERIC, TABLE


@dataclass(frozen=True)
class Finding:
    feedback: Text
    credit: float = 0.0


def alternatives(
    q: Question, point: dict[str, np.ndarray], at_leaves: bool, automatic: bool = True
) -> Iterator[tuple[Callable[[], Any], Finding]]:
    """Candidate wrong answers, each lazily computed, with what to tell the student: the
    teacher's known mistakes, then (``automatic``) the usual slips."""
    model, target = q.model, q.target

    def value_of(t: Target) -> Callable[[], Any]:
        if at_leaves:
            return lambda: evaluate_at_leaves(t, model, point)
        return lambda: evaluate(t, model, point)

    yield from _known(q, point, value_of)
    if not automatic:
        return
    if isinstance(target, Local):
        yield from _local_slips(target, model, value_of)
    if isinstance(target, Change):
        yield from _change_slips(target, model, value_of)
    if isinstance(target, (Grad, Update)):
        yield from _gradient_slips(target, model, point, at_leaves, value_of)
    right = value_of(target)
    yield from _link_slips(q, point, at_leaves, right)
    yield (
        (lambda: -np.asarray(right())),
        Finding(t("scoring.sign_flipped_check_each_minus")),
    )


Slips = Iterator[tuple[Callable[[], Any], Finding]]


def _known(
    q: Question, point: dict[str, np.ndarray], value_of: Callable[[Target], Callable[[], Any]]
) -> Slips:
    """The teacher's known mistakes (a formula, or another quantity of the reference)."""
    for m in q.mistakes:
        if m.is_answer:  # an edit made it right: never "a known mistake"
            continue
        if m.tree is not None:
            tape = compile_expr(m.tree, q.args)

            def by_formula(tape=tape):
                with np.errstate(all="ignore"):
                    return tape.forward(NUMERIC, [point[a] for a in q.args])[tape.output]

            yield by_formula, Finding(m.feedback, m.credit)
        elif m.target is not None:
            yield value_of(m.target), Finding(m.feedback, m.credit)


def _local_slips(
    target: Local, model: Model, value_of: Callable[[Target], Callable[[], Any]]
) -> Slips:
    """A local derivative given as the function itself, or with respect to another input."""
    node = model.node(target.node)
    yield (
        value_of(Value(node.name)),
        Finding(t("scoring.this_function_itself_not_derivative", name=node.name, wrt=target.wrt)),
    )
    for other in node.args:
        if other != target.wrt:
            yield (
                value_of(Local(node.name, other)),
                Finding(
                    t("scoring.this_derivative_with_respect_question", other=other, wrt=target.wrt)
                ),
            )


def _gradient_slips(
    target: Grad | Update,
    model: Model,
    point: dict[str, np.ndarray],
    at_leaves: bool,
    value_of: Callable[[Target], Callable[[], Any]],
) -> Slips:
    """dL/d of another leaf, a chain stopped short of the loss, a step the wrong way or
    without the learning rate."""
    p = target.wrt
    for other in model.leaves:
        if other != p and isinstance(target, Grad):
            yield (
                value_of(Grad(other)),
                Finding(t("scoring.this_dl_d_question_asks", other=other, p=p)),
            )
    if isinstance(target, Grad) and not at_leaves:
        for node in model.nodes:
            if node.name != model.loss and _feeds(model, p, node.name):
                yield (
                    _chain_to(model, node.name, p, point),
                    Finding(
                        t("scoring.this_d_d_chain_stops", name=node.name, p=p, loss=model.loss)
                    ),
                )
    if isinstance(target, Update):
        grad = value_of(Grad(p))
        lr = model.learning_rate
        yield (
            (lambda: point[p] + lr * grad()),
            Finding(t("scoring.step_goes_wrong_way_gradient")),
        )
        yield (
            (lambda: point[p] - grad()),
            Finding(t("scoring.learning_rate_missing_from_step", lr=lr)),
        )


def _change_slips(
    target: Change, model: Model, value_of: Callable[[Target], Callable[[], Any]]
) -> Iterator[tuple[Callable[[], Any], Finding]]:
    """How a change (a derivative times a small step) goes wrong: the function instead of its
    derivative, the step left out, the derivative with respect to another argument."""
    of, wrt, by = target.of, target.wrt, target.by
    per_unit = value_of(dataclasses.replace(target, by=1.0))
    if of in model.names and of not in model.leaves:
        itself = value_of(Value(of))
        yield (
            lambda: by * np.asarray(itself()),
            Finding(t("scoring.that_function_itself_times_change", of=of, by=by, wrt=wrt)),
        )
        for other in model.node(of).args:
            if other != wrt:
                yield (
                    value_of(dataclasses.replace(target, wrt=other)),
                    Finding(t("scoring.that_change_when_grows_by", other=other, by=by, wrt=wrt)),
                )
    yield (
        per_unit,
        Finding(t("scoring.that_derivative_d_d_itself", of=of, wrt=wrt, by=by)),
    )


def chain_links(model: Model, target: Target) -> list[tuple[str, str]]:
    """The links (node, argument) whose local derivatives a target multiplies: one for a local
    derivative, the road from ``wrt`` up to ``of`` (the loss for a gradient) otherwise; none
    when the road forks (the sum over roads has no single missing factor)."""
    if isinstance(target, Local):
        return [(target.node, target.wrt)]
    if isinstance(target, Change):
        here, end = target.wrt, target.of
    elif isinstance(target, Grad):
        here, end = target.wrt, model.loss
    else:
        return []
    road = []
    while here != end:
        users = [n.name for n in model.nodes if here in n.args]
        if len(users) != 1:
            return []
        road.append((users[0], here))
        here = users[0]
    return road


def _link_slips(
    q: Question, point: dict[str, np.ndarray], at_leaves: bool, right: Callable[[], Any]
) -> Iterator[tuple[Callable[[], Any], Finding]]:
    """The lesson's typical slips in one link of the chain: the right answer with that link's
    local derivative left out, or replaced by what a student writes instead of the table's row
    (σ(1+σ) for a sigmoid, a product rule's sum for w·a)."""
    model, target = q.model, q.target
    at_node = isinstance(target, Local) and not at_leaves  # point holds the node's arguments

    def at(quantity: Target) -> Any:
        if at_node:
            return evaluate(quantity, model, point)
        return evaluate_at_leaves(quantity, model, point)

    def value(name: str) -> Any:
        return point[name] if name in point else at(Value(name))

    def instead(node: str, arg: str, wrong: Callable[[], Any]) -> Callable[[], Any]:
        """The right answer with d node/d arg replaced by ``wrong``."""
        return lambda: np.asarray(right()) * wrong() / at(Local(node, arg))

    for node_name, arg in chain_links(model, target):
        tree = model.node(node_name).tree
        d = f"d{node_name}/d{arg}"
        if isinstance(target, Grad):
            factor = at(Local(node_name, arg))
            if not np.allclose(factor, 1):
                yield (
                    instead(node_name, arg, lambda: 1.0),
                    Finding(
                        t(
                            "scoring.factor_missing_d_d_multiplies",
                            d=d,
                            loss=model.loss,
                            wrt=target.wrt,
                        )
                    ),
                )
        if not isinstance(tree, Call) or not all(isinstance(a, Name) for a in tree.args):
            continue
        names = [a.id for a in tree.args if isinstance(a, Name)]
        if tree.fn == "sigmoid" and names == [arg]:

            def plus(arg: str = arg) -> Any:
                s = TABLE["sigmoid"].forward(NUMERIC, np.asarray(value(arg), float))
                return s * (1 + s)

            yield (
                instead(node_name, arg, plus),
                Finding(t("scoring.was_taken_as_1_check", d=d)),
            )
        if tree.fn == "mul" and len(names) == 2 and arg in names:
            row = TABLE["mul"]

            def both(names: list[str] = names) -> Any:
                return sum(np.asarray(value(n), float) for n in names)

            yield (
                instead(node_name, arg, both),
                Finding(
                    t(
                        "scoring.looks_like_product_rule_both",
                        d=d,
                        node_name=node_name,
                        arg=arg,
                        row=row.title,
                    )
                ),
            )


def swapped_findings(
    q: Question, student: dict[str, np.ndarray], point: dict[str, np.ndarray], tol: Tolerance
) -> list[Text]:
    """A wrong backward whose two arguments' values are exchanged: each holds the other's."""
    model, target = q.model, q.target
    assert isinstance(target, Backward), "swapped_findings is for backward questions"
    node = model.node(target.node)
    right = evaluate(target, model, point)
    notes: list[Text] = []
    for a, b in combinations(node.args, 2):
        if a not in student or b not in student or close(right[a], right[b], tol):
            continue
        if close(student[a], right[b], tol) and close(student[b], right[a], tol):
            notes.append(t("scoring.are_swapped_each_holds_value", a=a, b=b, name=node.name))
    return notes


def _chain_to(model: Model, node: str, p: str, point: dict[str, np.ndarray]) -> Callable[[], Any]:
    """d node / d p: the chain stopped at ``node``."""
    return lambda: derivative(model, node, p, point)


def _feeds(model: Model, name: str, node: str) -> bool:
    """Does ``name`` reach ``node`` through the graph?"""
    args = model.node(node).args
    return name in args or any(_feeds(model, name, a) for a in args if a not in model.leaves)


def constant_factor(student: np.ndarray, right: np.ndarray) -> float | None:
    """c when the answer is c times the right one everywhere (c ≠ 1), else None."""
    student, right = np.asarray(student, float), np.asarray(right, float)
    mask = np.abs(right) > 1e-9
    if mask.sum() < 2 or not np.isfinite(student).all():
        return None
    ratio = student[mask] / right[mask]
    c = float(np.median(ratio))
    if abs(c - 1) > 1e-6 and abs(c) > 1e-9 and np.allclose(ratio, c, rtol=1e-6):
        return c
    return None


def diagnose(
    q: Question,
    student: Any,
    point: dict[str, np.ndarray],
    at_leaves: bool,
    tol: Tolerance,
    automatic: bool = True,
) -> Finding | None:
    """The first known or (``automatic``) automatic explanation that matches ``student``."""
    for compute, finding in alternatives(q, point, at_leaves, automatic):
        try:
            with np.errstate(all="ignore"):
                candidate = compute()
        except (ValueError, ZeroDivisionError, KeyError):
            continue
        if close(student, candidate, tol):
            return finding
    if not automatic:
        return None
    right = (
        evaluate_at_leaves(q.target, q.model, point)
        if at_leaves
        else evaluate(q.target, q.model, point)
    )
    c = constant_factor(student, right)
    if c is not None:
        return Finding(t("scoring.off_by_constant_factor_coefficient", c=c))
    return None


def backward_findings(
    q: Question, student: dict[str, np.ndarray], point: dict[str, np.ndarray], tol: Tolerance
) -> list[Text]:
    """Per argument of a wrong backward: the upstream factor or the local one left out."""
    model, target = q.model, q.target
    assert isinstance(target, Backward), "backward_findings is for backward questions"
    node = model.node(target.node)
    up = upstream_name(model, node.name)
    right = evaluate(target, model, point)
    local = {a: evaluate(Local(node.name, a), model, point) for a in node.args}
    notes: list[Text] = []
    for a in node.args:
        if a not in student or close(student[a], right[a], tol):
            continue
        if close(student[a], local[a], tol):
            notes.append(t("scoring.that_d_d_alone_multiply", a=a, name=node.name, up=up))
        elif close(student[a], point[up], tol):
            notes.append(t("scoring.that_alone_multiply_by_d", a=a, up=up, name=node.name))
        elif close(student[a], -np.asarray(right[a]), tol):
            notes.append(t("scoring.sign_flipped", a=a))
        else:
            notes.append(t("scoring.not_right", a=a))
    return notes
