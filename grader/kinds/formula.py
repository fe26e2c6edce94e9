"""A formula written as a string: parsed by the whitelist parser, never evaluated as Python.

Compared with the reference numerically at random points, then confirmed at 40 significant
digits (the mpmath backend of the same table), so two formulas that merely agree in floats
are told apart.
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib
import sys
import threading
from typing import Any

import numpy as np

from grader.course import solutions
from grader.course.questions import Course, Question
from grader.kinds.base import Kind, verdict
from grader.scoring.plan import Answers, Plan, Point
from grader.scoring.result import Result
from grader.scoring.within import close
from reference import expr as ex
from reference import table
from reference.autograd import Tape, compile_expr
from reference.course.model import Model
from reference.course.sampling import rng_for
from reference.course.targets import Target, evaluate, sample_args
from reference.expr.student import read_answer, reading
from reference.i18n import Text, join, pick, same, t
from reference.table import ALIASES, FUNCTIONS, NUMERIC
from reference.text import comment

POINTS = 12  # random points a formula is compared at (its own, not the function's)
CONFIRMED = 3  # of them, confirmed at 40 digits
UNCONFIRMED = t("kinds.this_formula_could_not_checked")


class Formula(Kind):
    name = "formula"
    about = 'a string like "x1"'
    form = "formula"
    public_note = "formula_ok"
    answers = ("value", "local", "grad", "update")
    expect = "formula"  # a string; a number written without quotes is read as its text
    mistakes = ("formula", "answer")
    #: The rules every formula of a stub shares, said once at its top (see ``preamble``):
    #: the functions are the derivative table's, so a new row shows up here.
    rules = t("kinds.formulas_are_strings_function_argument", listing=", ".join(table.listing()))
    instruction = t("kinds.formula_as_string_what_may")

    def args(self, target: Target, model: Model) -> tuple[str, ...]:
        return target.args(model)

    def meanwhile(self) -> None:
        _preload_precise()

    def plan(self, q: Question, plan: Plan, course: Course, submission: str) -> None:
        rng = rng_for(q.model.seed, submission, q.qid)
        plan.points[q.qid] = sample_args(q.target, q.model, rng, POINTS)
        super().plan(q, plan, course, submission)

    def judge(self, q: Question, value: Any, answers: Answers) -> Result:
        return check(q, value, answers.plan.points[q.qid])

    def blank(self, q: Question, lang: str) -> str:
        return '""'

    def solution(self, q: Question, lang: str, student: str) -> str:
        return repr(solutions.formula_text(q))

    def details(self, q: Question, lang: str) -> str:
        """One line: where the rules are, and the nodes that may stand for their formulas
        in this question (its own: they depend on its arguments)."""
        note = pick(own_nodes_note(q), lang)
        return comment(pick(self.instruction, lang)) + (f"\n{comment(note)}" if note else "")

    def preamble(self, lang: str) -> str:
        return pick(self.rules, lang)

    def public(self, q: Question) -> dict[str, Any]:
        """The names the formula may use, so check.py reads it as grade does (never the
        answer): the arguments, and the nodes that stand for their own trees."""
        nodes = {n: ex.unparse(tree) for n, tree in own_names(q).items()}
        return {**super().public(q), "args": list(q.args), "nodes": nodes}


def own_nodes_note(q: Question) -> Text:
    """ " Here A may stand for w1*x1." when a node's name may be written for its formula in
    this question (reference.expr.student reads it so); empty otherwise."""
    nodes = [f"{n} = {ex.unparse(tree)}" for n, tree in own_names(q).items()]
    if not nodes:
        return same("")
    listed = ", ".join(nodes)
    return t("kinds.node_may_written_by_name", listed=listed)


def numeric(tape: Tape, point: Point, args: tuple[str, ...]) -> np.ndarray:
    """The formula's float values at ``point``; NaN where floats cannot say.

    Two constants meet as Python floats (``2**2000.5``, ``1/(c - c)``, ``(-8)**0.5``): that
    raises OverflowError or ZeroDivisionError, or gives a complex number, where numpy would
    give inf or NaN.  Either way the formula is not the reference's at these points.
    """
    shape = next(iter(point.values())).shape
    try:
        with np.errstate(all="ignore"):
            raw = tape.forward(NUMERIC, [point[a] for a in args])[tape.output]
            if np.iscomplexobj(raw):
                raise ValueError("complex")
            return np.broadcast_to(np.asarray(raw, dtype=float), shape)
    except (ArithmeticError, TypeError, ValueError):
        return np.full(shape, np.nan)


def own_names(q: Question) -> dict[str, ex.Expr]:
    """Nodes a student may name in this formula: those whose arguments are its variables.

    In dS/dG (variable G) ``S`` stands for the node S = sigmoid(G), so ``S*(1 - S)`` is
    read as sigmoid(G)*(1 - sigmoid(G)): the model's tree is put in, no text is evaluated.
    """
    return {
        n.name: n.tree for n in q.model.nodes if n.name not in q.args and set(n.args) == set(q.args)
    }


def read(q: Question, text: str) -> tuple[ex.Expr, ex.Expr]:
    """The tree as the student wrote it (for the echo) and in the question's variables."""
    nodes = own_names(q)
    tree = read_answer(text, q.args, nodes, FUNCTIONS, ALIASES)
    return tree, ex.substitute(tree, nodes)


def read_as(q: Question, tree: ex.Expr) -> Text:
    """How the formula was read, so a student sees what was graded (``2*(S - gold)``)."""
    shown = reading(tree, {n: ex.unparse(node) for n, node in own_names(q).items()})
    return t("kinds.read_as", shown=shown)


_PRECISE = "reference.table.precise"
_PRELOAD: list[threading.Thread] = []


def _preload_precise() -> None:
    """Start importing the 40-digit backend (mpmath, ~20 ms) on a thread, once, while the
    sandbox runs the student's code; every right formula needs it afterwards (``_judge``
    imports it: at worst it waits for the thread's import)."""
    if _PRELOAD or _PRECISE in sys.modules:
        return
    thread = threading.Thread(target=_import_quietly, name="precise-preload", daemon=True)
    _PRELOAD.append(thread)
    thread.start()


def _import_quietly() -> None:
    with contextlib.suppress(Exception):  # a failure shows where the backend is needed
        importlib.import_module(_PRECISE)


def _bare(text: str) -> str:
    return "".join(text.split())


def check(q: Question, text: str, point: Point) -> Result:
    """A formula string against the reference's formula at ``point``.

    The feedback echoes how the formula was read when it is wrong, and when it is right but
    was written differently (``2(S-gold)``, ``e^x``, ``np.exp``, a node's name).
    """
    try:
        written, tree = read(q, text)
        tape = compile_expr(tree, q.args)  # folds constants: 9**9**9**9 stops here
    except ex.ExprError as err:
        return Result(
            q.qid,
            0.0,
            q.points,
            "failed",
            t("kinds.formula_not_read", name=q.name, message=err.problems[0].text),
        )
    result = _judge(q, tape, point)
    if result.status != "passed" or written != tree or _bare(ex.unparse(written)) != _bare(text):
        echo = read_as(q, written)
        result = dataclasses.replace(
            result,
            feedback=join([result.feedback, echo]) if any(result.feedback.values()) else echo,
        )
    return result


def _judge(q: Question, tape: Tape, point: Point) -> Result:
    values = numeric(tape, point, q.args)
    right = evaluate(q.target, q.model, point)
    if not close(values, right, q.tolerance):
        from grader.scoring.diagnose import diagnose  # only for a wrong formula

        finding = diagnose(q, values, point, False, q.tolerance)
        return verdict(q, finding, note=t("kinds.this_formula_not_right_one"))
    # Floats agree at every point: confirm at 40 digits that it is the same function, under a
    # deadline and a cap on the precision asked for (exp(exp(…)) would never finish).
    from reference.table import precise  # mpmath: only once a formula is confirmed

    guard = precise.Guard()
    try:
        for k in range(CONFIRMED):
            args = {a: float(point[a][k]) for a in q.args}
            if not precise.same(
                precise.tape_value(tape, args, guard),
                precise.target_value(q.target, q.model, args, guard),
            ):
                return verdict(
                    q,
                    None,
                    note=t("kinds.close_right_formula_at_some"),
                )
    except precise.Unconfirmed:
        return verdict(q, None, note=UNCONFIRMED)
    return verdict(q, None, right=True)
