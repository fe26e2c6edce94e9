"""A number computed by hand, at the student's own values (seeded by the student's id)."""

from __future__ import annotations

from typing import Any

import numpy as np

from grader.kinds.base import Kind, compare
from grader.scoring.plan import Answers
from grader.scoring.result import Result
from publish import solutions
from reference.course.exercises import Question
from reference.course.model import Model, Tolerance
from reference.course.sampling import student_values
from reference.course.targets import evaluate_at_leaves
from reference.i18n import t

#: Numbers computed by hand are rounded on the way.
HAND_TOLERANCE = Tolerance(rel=1e-3, abs=1e-4)


class Number(Kind):
    name = "number"
    form = "number"
    public_note = "number_ok"
    answers = ("value", "local", "grad", "update", "loss_after", "change")
    expect = "number"
    mistakes = ("answer",)
    at_leaves = True
    instruction = t(
        "A number computed by hand at YOUR values: `python check.py --id YOUR_ID` prints them.",
        "Число, посчитанное вручную в ВАШИХ значениях: их печатает `python check.py --id ВАШ_ID`.",
    )

    def tolerance(self, model: Model) -> Tolerance:
        return HAND_TOLERANCE

    def judge(self, q: Question, value: Any, answers: Answers) -> Result:
        leaves = student_values(q.model.seed, answers.submission, q.model.ranges)
        point = {k: np.asarray(leaves[k]) for k in q.model.leaves}
        right = evaluate_at_leaves(q.target, q.model, point)
        return compare(q, float(value), right, point, True)

    def solution(self, q: Question, lang: str, student: str) -> str:
        return repr(solutions.at_student_values(q, student))
