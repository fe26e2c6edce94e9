"""A number computed by hand, at the student's own values (seeded by the student's id)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from grader.course import solutions
from grader.course.questions import Question
from grader.kinds.base import Kind, compare
from grader.kinds.precision import (
    HAND_TOLERANCE,
    NEAR_MISS,
    digits,
    near_miss,
    precision,
    significant,
)
from grader.scoring.plan import Answers
from grader.scoring.result import Result
from grader.scoring.within import close
from reference.course.model import Model, Tolerance
from reference.course.targets import Update, evaluate_at_leaves
from reference.i18n import Text, pick, t


def _finite(value: Any) -> float | None:
    """A number handed in as the report carries it: a finite float, else None."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if np.isfinite(number) else None


def is_step(q: Question) -> bool:
    """A parameter after one gradient-descent step: judged on the step, not on the value."""
    return isinstance(q.target, Update)


def right_at(
    q: Question, students: Sequence[str], own: Sequence[dict[str, float]] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The right answer to ``q`` at each student's own values, all in one evaluation (what
    :meth:`Number.judge` compares with, one student at a time), and the scale its tolerance is
    relative to: the answer itself, or for a new parameter the step taken to it.  A number
    ``a`` is right at student k's values when ``|a − right[k]| ≤ abs + rel·scale[k]``.
    ``own``: the students' own values for ``q.model``, when the caller has them already."""
    if own is None:
        own = [q.model.own_values(s) for s in students]
    point = {k: np.array([v[k] for v in own], float) for k in q.model.leaves}
    right = np.asarray(evaluate_at_leaves(q.target, q.model, point), float)
    right = np.broadcast_to(right, (len(own),)).copy()
    if is_step(q):
        return right, np.abs(point[q.target.wrt] - right)  # type: ignore[union-attr]
    return right, np.abs(right)


def step_precision(tol: Tolerance) -> Text:
    """The stub's sentence for a new parameter: its digits are the step's."""
    n = significant(digits(tol))
    return t("kinds.keep_at_least_step_old", digits=n)


def digits_rule(q: Question) -> Text:
    """How exact the question's answer must be: said once, in its stub."""
    return step_precision(q.tolerance) if is_step(q) else precision(q.tolerance)


class Number(Kind):
    name = "number"
    about = "computed by hand at the student's own values"
    form = "number"
    public_note = "number_ok"
    answers = ("value", "local", "grad", "update", "loss_after", "change")
    expect = "number"
    mistakes = ("answer",)
    at_leaves = True
    instruction = t("kinds.number_computed_by_hand_at")

    def tolerance(self, model: Model) -> Tolerance:
        return HAND_TOLERANCE

    def details(self, q: Question, lang: str) -> str:
        """Said once per question (the prompt does not repeat it): where the student's values
        come from, and how many digits; the instruction on a line of its own, so the notebooks
        can put their own way of printing the values in its place."""
        return f"# {pick(self.instruction, lang)}\n# {pick(digits_rule(q), lang)}"

    def score(self, q: Question, answers: Answers) -> Result:
        """The kind's verdict, carrying the number handed in (finite ones): the report line
        alone then tells whose values a wrong number is right at (``grade --similarity``)."""
        result = super().score(q, answers)
        got = answers.value(q, self.expect)
        if got.status == "ok" and result.status != "missing":
            result.number = _finite(got.value)
        return result

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
