"""A number computed by hand, at the student's own values (seeded by the student's id)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from grader.kinds.base import Kind, compare, where_wrong
from grader.scoring.plan import Answers
from grader.scoring.result import Result
from grader.scoring.within import close
from publish import solutions
from reference.course.exercises import Question
from reference.course.model import Model, Tolerance
from reference.course.targets import Update, evaluate_at_leaves
from reference.i18n import Text, count, pick, t

#: Numbers computed by hand are rounded on the way: relative to the answer, so that no small
#: answer passes with 0 or a 10% error (the absolute part only absorbs float noise at 0).
HAND_TOLERANCE = Tolerance(rel=1e-3, abs=1e-12)
#: An answer within this many tolerances is a near miss: right, but rounded too early.
NEAR_MISS = 10.0


def digits(tol: Tolerance) -> int:
    """The significant digits an answer rounded to passes ``tol.rel`` with (4 for 1e-3):
    rounding to d digits errs by up to half a unit in the d-th, 5·10^-d of the answer."""
    if tol.rel <= 0:
        return 17
    return max(1, math.ceil(1 - math.log10(2 * tol.rel) - 1e-9))


def significant(n: int) -> Text:
    """ "4 significant digits" / "4 значащих цифр" (after "at least" / "до")."""
    return count(
        n,
        en=("significant digit", "significant digits"),
        ru=("значащей цифры", "значащих цифр", "значащих цифр"),
    )


def precision(tol: Tolerance) -> Text:
    """The sentence of the stub that says how exact a hand-computed answer must be."""
    digits_text = significant(digits(tol))
    return t(f"Give at least {digits_text['en']}.", f"Укажите не меньше {digits_text['ru']}.")


def is_step(q: Question) -> bool:
    """A parameter after one gradient-descent step: judged on the step, not on the value."""
    return isinstance(q.target, Update)


def step_precision(tol: Tolerance) -> Text:
    """The stub's sentence for a new parameter: its digits are the step's."""
    n = significant(digits(tol))
    return t(
        f"Keep at least {n['en']} of the step (old value − new value).",
        f"Сохраните не меньше {n['ru']} шага (старое значение − новое).",
    )


def digits_rule(q: Question) -> Text:
    """How exact the question's answer must be: said once, in its stub."""
    return step_precision(q.tolerance) if is_step(q) else precision(q.tolerance)


class Number(Kind):
    name = "number"
    form = "number"
    public_note = "number_ok"
    answers = ("value", "local", "grad", "update", "loss_after", "change")
    expect = "number"
    mistakes = ("answer",)
    at_leaves = True
    instruction = t(
        "A number computed by hand at your own values "
        "(`python check.py --id YOUR_ID` prints them).",
        "Число, посчитанное вручную при ваших значениях "
        "(их печатает `python check.py --id ВАШ_ID`).",
    )

    def tolerance(self, model: Model) -> Tolerance:
        return HAND_TOLERANCE

    def details(self, q: Question, lang: str) -> str:
        """Said once per question (the prompt does not repeat it): where the student's values
        come from, and how many digits; the instruction on a line of its own, so the notebooks
        can put their own way of printing the values in its place."""
        return f"# {pick(self.instruction, lang)}\n# {pick(digits_rule(q), lang)}"

    def judge(self, q: Question, value: Any, answers: Answers) -> Result:
        leaves = q.model.own_values(answers.submission)
        point = {k: np.asarray(leaves[k]) for k in q.model.leaves}
        right = evaluate_at_leaves(q.target, q.model, point)
        student = float(value)
        if is_step(q):
            from grader.kinds.steps import judge_step  # a parameter after one step

            return judge_step(q, student, float(right), point, answers.course)
        wider = Tolerance(q.tolerance.rel * NEAR_MISS, q.tolerance.abs * NEAR_MISS)
        if close(student, right, q.tolerance) or not close(student, right, wider):
            return compare(q, student, right, point, True)
        from grader.scoring.diagnose import diagnose  # only near a right answer, not at it

        if diagnose(q, np.asarray(student), point, True, q.tolerance) is not None:
            return compare(q, student, right, point, True)
        return near_miss(q, student, right, point)

    def solution(self, q: Question, lang: str, student: str) -> str:
        return repr(solutions.at_student_values(q, student))


def near_miss(q: Question, student: float, right: Any, point: Any) -> Result:
    """Close, but outside the tolerance: the teacher's share of the points (near_miss_credit)."""
    credit = q.model.near_miss_credit
    digits_text = significant(digits(q.tolerance))
    note = t(
        f"Close, but not within {digits_text['en']}: keep more digits in "
        "the intermediate steps and round only the final answer.",
        f"Близко, но не с точностью до {digits_text['ru']}: сохраняйте больше "
        "цифр в промежуточных шагах и округляйте только итоговый ответ.",
    )
    if credit <= 0:
        wrong = where_wrong(q, student, right, point, True)
        return Result(q.qid, 0.0, q.points, "failed", {k: f"{wrong[k]} {note[k]}" for k in note})
    return Result(q.qid, round(q.points * credit, 6), q.points, "partial", note)
