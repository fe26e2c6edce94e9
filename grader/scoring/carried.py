"""Error carried forward: one mistake costs points once.

``backward`` is also checked against the student's own local derivatives, and the chain
questions against the chain rule applied to the student's own local derivatives; an answer
right *given the student's own earlier answers* earns full credit, and the feedback says so.
"""

from __future__ import annotations

import numpy as np

from grader.scoring.diagnose import close
from grader.scoring.plan import Answers, Point, local_function
from grader.scoring.result import Result
from reference.autograd import backprop
from reference.course.exercises import Question
from reference.course.targets import Backward, Grad, Local, upstream_name
from reference.i18n import t


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
    if all(close(student[a], upstream * own[a], q.tolerance) for a in node.args):
        return Result(
            q.qid,
            q.points,
            q.points,
            "passed",
            t(
                f"Right for your own d{node.name}/d… functions, which have a mistake: this "
                "question does not count it again.",
                f"Верно для ваших собственных функций d{node.name}/d…, в которых есть ошибка: "
                "здесь она повторно не учитывается.",
            ),
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
        local.setdefault(lq.exercise, {})[lq.target.wrt] = np.array([o.value for o in got])
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
        t(
            "Right for your own local derivatives, some of which have a mistake: the chain itself "
            "is assembled correctly, so it is not counted again.",
            "Верно для ваших собственных локальных производных, в некоторых из которых есть "
            "ошибка: сама цепочка собрана верно, поэтому ошибка повторно не учитывается.",
        ),
    )
