"""A formula written as a string: parsed by the whitelist parser, never evaluated as Python.

Compared with the reference numerically at random points, then confirmed at 40 significant
digits (the mpmath backend of the same table), so two formulas that merely agree in floats
are told apart.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from grader.kinds.base import Kind, verdict
from grader.scoring.diagnose import close, diagnose
from grader.scoring.plan import Answers, Plan, Point
from grader.scoring.result import Result
from publish import solutions
from publish.text import comment
from reference import expr as ex
from reference import table
from reference.autograd import Tape, compile_expr
from reference.course.exercises import Course, Question
from reference.course.model import Model
from reference.course.sampling import rng_for
from reference.course.targets import Target, evaluate, sample_args
from reference.i18n import pick, t
from reference.table import ALIASES, FUNCTIONS, NUMERIC, precise

POINTS = 12  # random points a formula is compared at (its own, not the function's)
CONFIRMED = 3  # of them, confirmed at 40 digits
UNCONFIRMED = t(
    "This formula could not be checked precisely: its values get astronomically large or small "
    "(such as exp of exp) or take too long to compute. Simplify it and submit it again.",
    "Эту формулу не удалось точно проверить: её значения становятся астрономически большими "
    "или малыми (как exp от exp) или вычисляются слишком долго. Упростите её и сдайте снова.",
)


class Formula(Kind):
    name = "formula"
    public_note = "formula_ok"
    answers = ("value", "local", "grad", "update")
    expect = "text"
    mistakes = ("formula", "answer")
    instruction = t(  # the functions are the derivative table's: a new row shows up here
        'A formula as a string in the function\'s argument names, e.g. "2*a*b" '
        f"(* and **, {', '.join(table.listing())}).",
        'Формула строкой в именах аргументов функции, например "2*a*b" '
        f"(* и **, {', '.join(table.listing())}).",
    )

    def args(self, target: Target, model: Model) -> tuple[str, ...]:
        return target.args(model)

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
        return f"{comment(pick(self.instruction, lang))}\n# ({', '.join(q.args)})"


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


def check(q: Question, text: str, point: Point) -> Result:
    """A formula string against the reference's formula at ``point``."""
    try:
        tree = ex.parse(text, names=q.args, functions=FUNCTIONS, aliases=ALIASES)
        tape = compile_expr(tree, q.args)  # folds constants: 9**9**9**9 stops here
    except ex.ExprError as err:
        return Result(
            q.qid,
            0.0,
            q.points,
            "failed",
            t(f"{q.name}: {err.message('en')}", f"{q.name}: {err.message('ru')}"),
        )
    values = numeric(tape, point, q.args)
    right = evaluate(q.target, q.model, point)
    if not close(values, right, q.tolerance):
        finding = diagnose(q, values, point, False, q.tolerance)
        return verdict(q, finding, note=t("This formula is not the right one.", "Формула неверна."))
    # Floats agree at every point: confirm at 40 digits that it is the same function, under a
    # deadline and a cap on the precision asked for (exp(exp(…)) would never finish).
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
                    note=t(
                        "Close to the right formula at some points, but not the same function.",
                        "В некоторых точках близко к верной формуле, но это другая функция.",
                    ),
                )
    except precise.Unconfirmed:
        return verdict(q, None, note=UNCONFIRMED)
    return verdict(q, None, right=True)
