"""A parameter after one gradient-descent step, computed by hand: judged on the step.

``param_new = param_old − lr · dL/dparam``: the step is small (0.001 · the gradient), far
smaller than the parameter, so a tolerance relative to the parameter would pass the old value
itself.  The step the student took (``param_old − their answer``) is compared with the right
step, relative to the step, with the question's tolerance and near miss like any number; the
usual ways of getting it wrong are named.  Feedback never shows the right value.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from grader.course.questions import Course, Question
from grader.kinds.base import verdict, where_wrong
from grader.kinds.precision import NEAR_MISS, near_miss
from grader.scoring.diagnose import Finding, diagnose
from grader.scoring.result import Result
from grader.scoring.within import close
from reference.course.model import Tolerance
from reference.course.targets import Grad, evaluate_at_leaves
from reference.i18n import t


def judge_step(
    q: Question, student: float, right: float, point: dict[str, Any], course: Course
) -> Result:
    """``student``'s new parameter against ``right``, on the step from the old one."""
    p, lr = q.target.wrt, q.model.learning_rate  # type: ignore[union-attr]
    old = float(point[p])
    step, right_step = old - student, old - right
    if close(step, right_step, q.tolerance):
        return verdict(q, None, right=True)
    wider = Tolerance(q.tolerance.rel * NEAR_MISS, q.tolerance.abs * NEAR_MISS)
    grad = float(evaluate_at_leaves(Grad(p), q.model, point))
    finding = _slip(p, lr, old, student, step, right_step, grad, wider)
    if finding is None:  # the teacher's known mistakes (the change itself, …)
        finding = diagnose(q, np.asarray(student), point, True, q.tolerance, automatic=False)
    if finding is not None:
        return verdict(q, finding)
    if close(step, right_step, wider):
        return near_miss(q, student, right, point)
    return verdict(q, None, note=where_wrong(q, student, right, point, True))


def _slip(
    p: str,
    lr: float,
    old: float,
    student: float,
    step: float,
    right_step: float,
    grad: float,
    tol: Tolerance,
) -> Finding | None:
    """The usual wrong steps, each named (``tol``: the near miss's width)."""
    if step == 0 or abs(step) <= abs(right_step) * 1e-6:
        return Finding(t("kinds.that_old_itself_no_step", p=p, lr=lr))
    if close(step, -right_step, tol):
        return Finding(t("kinds.step_goes_wrong_way_gradient"))
    if close(step, grad, tol):
        return Finding(t("kinds.learning_rate_missing_from_step", lr=lr))
    for factor in (10.0, 0.1, 100.0, 0.01):
        if close(step, factor * right_step, tol):
            return Finding(t("kinds.step_times_right_one_learning", factor=factor, lr=lr))
    if close(student, grad, tol):
        return Finding(t("kinds.that_change_dl_d_not", p=p))
    if close(student, right_step, tol) or close(student, -right_step, tol):
        return Finding(t("kinds.that_microchange_itself_subtract_from", p=p))
    return None
