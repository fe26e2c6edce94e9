"""Error carried forward: one mistake costs points once.

``backward`` is also checked against the student's own local derivatives, and the chain
questions against the chain rule applied to the student's own local derivatives; an answer
right *given the student's own earlier answers* earns full credit, and the feedback says so.
Only answers that are a real attempt carry: a local derivative that is zero or constant where
the true one is not (``return 0``) would make a zero chain "right", and earns nothing downstream.
"""

from __future__ import annotations

import numpy as np

from grader.course.questions import Question
from grader.scoring.plan import Answers, Point, local_function
from grader.scoring.result import Result
from grader.scoring.within import close
from reference.autograd import backprop
from reference.course.targets import Backward, Grad, Local, evaluate, upstream_name
from reference.i18n import t


def degenerate(own: np.ndarray, true: np.ndarray) -> bool:
    """``own`` is zero, or constant, where the ``true`` values are not: no real attempt."""
    own, true = np.asarray(own, float).ravel(), np.asarray(true, float).ravel()
    if not np.isfinite(own).all():
        return True
    scale = max(float(np.max(np.abs(true), initial=0.0)), 1e-12)
    if np.all(np.abs(own) <= 1e-12 * scale) and np.any(np.abs(true) > 1e-9 * scale):
        return True
    if own.size > 1 and np.ptp(own) <= 1e-12 * max(float(np.max(np.abs(own))), 1e-12):
        return bool(np.ptp(true) > 1e-9 * scale)
    return False


def backward(
    q: Question, target: Backward, point: Point, student: dict[str, np.ndarray], answers: Answers
) -> Result | None:
    """Full credit when backward is right given the student's own (wrong) local derivatives."""
    node = q.model.node(target.node)
    upstream = point[upstream_name(q.model, node.name)]
    own = {}
    for a in node.args:
        lq = local_function(answers.course, node.name, a)
        if lq is None:
            return None
        got = answers.calls(lq, point, "number")
        if any(o.status != "ok" for o in got):
            return None
        own[a] = np.array([o.value for o in got], float)
        if degenerate(own[a], evaluate(lq.target, q.model, point)):
            return None
    if all(close(student[a], upstream * own[a], q.tolerance) for a in node.args):
        return Result(
            q.qid,
            q.points,
            q.points,
            "passed",
            t("scoring.right_for_your_own_d", name=node.name),
        )
    return None


def chain(q: Question, target: Grad, student: np.ndarray, answers: Answers) -> Result | None:
    """Full credit when the chain is assembled right from the student's own local derivatives."""
    local: dict[str, dict[str, np.ndarray]] = {}
    for lq, lpoint in answers.plan.links[q.qid]:
        got = answers.calls(lq, lpoint, "number")
        if any(o.status != "ok" for o in got):
            return None
        if not isinstance(lq.target, Local):
            return None
        values = np.array([o.value for o in got], float)
        if degenerate(values, evaluate(lq.target, lq.model, lpoint)):
            return None
        local.setdefault(lq.exercise, {})[lq.target.wrt] = values
    if set(local) != {n.name for n in q.model.nodes}:
        return None
    own = backprop(q.model, local).get(target.wrt)
    if own is None or not close(student, own, q.tolerance):
        return None
    return Result(
        q.qid,
        q.points,
        q.points,
        "passed",
        t("scoring.right_for_your_own_local"),
    )
