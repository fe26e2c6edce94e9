"""A function the student writes: called at random points and compared with the reference."""

from __future__ import annotations

import textwrap
from typing import Any

import numpy as np

from grader.course import solutions
from grader.course.questions import Course, Question
from grader.kinds.base import Kind, compare, refused, verdict
from grader.scoring import carried
from grader.scoring.plan import Answers, Plan, Point, links
from grader.scoring.result import Result
from grader.scoring.within import close
from reference.course.model import Model
from reference.course.sampling import rng_for
from reference.course.targets import Backward, Grad, Target, evaluate, sample_args
from reference.i18n import join, pick, t
from reference.text import docstring

TODO = t("kinds.write_your_answer_here")


class Function(Kind):
    name = "function"
    about = "a Python function called at random points"
    form = "function"
    code = True
    answers = ("value", "local", "backward", "grad", "update", "loss_after")
    expect = "number"
    mistakes = ("formula", "answer")

    def args(self, target: Target, model: Model) -> tuple[str, ...]:
        return target.args(model)

    @staticmethod
    def _expect(q: Question) -> str:
        return "numbers" if q.target.returns_mapping else "number"

    def plan(self, q: Question, plan: Plan, course: Course, submission: str) -> None:
        point = sample_args(
            q.target, q.model, rng_for(q.model.seed, submission, q.qid), q.model.points
        )
        plan.points[q.qid] = point
        plan.calls(q.exercise, q.name, point, q.args, self._expect(q))
        plan.links[q.qid] = list(links(course, q, point))
        for lq, lpoint in plan.links[q.qid]:
            plan.calls(lq.exercise, lq.name, lpoint, lq.args, "number")

    def score(self, q: Question, answers: Answers) -> Result:
        point = answers.plan.points[q.qid]
        got = answers.calls(q, point, self._expect(q))
        bad = refused(q, got)
        if bad:
            return bad
        values = [o.value for o in got]
        if isinstance(q.target, Backward):
            return self._backward(q, q.target, point, values, answers)
        student = np.array(values, float)
        right = evaluate(q.target, q.model, point)
        if isinstance(q.target, Grad) and not close(student, right, q.tolerance):
            ecf = carried.chain(q, q.target, student, answers)
            if ecf is not None:
                return ecf
        return compare(q, student, right, point, False)

    def _backward(
        self, q: Question, target: Backward, point: Point, values: list[Any], answers: Answers
    ) -> Result:
        node = q.model.node(target.node)
        keys = set(node.args)
        for v in values:
            if set(v) != keys:
                return Result(
                    q.qid,
                    0.0,
                    q.points,
                    "failed",
                    t(
                        "kinds.backward_must_return_dict_with",
                        sorted=sorted(keys),
                        sorted_2=sorted(v),
                    ),
                )
        student = {a: np.array([v[a] for v in values], float) for a in node.args}
        right = evaluate(q.target, q.model, point)
        if all(close(student[a], right[a], q.tolerance) for a in node.args):
            return verdict(q, None, right=True)
        ecf = carried.backward(q, target, point, student, answers)
        if ecf is not None:
            return ecf
        from grader.scoring.diagnose import backward_findings, swapped_findings  # wrong only

        notes = swapped_findings(q, student, point, q.tolerance) or backward_findings(
            q, student, point, q.tolerance
        )
        return Result(q.qid, 0.0, q.points, "failed", join(notes))

    def snippet(self, q: Question, lang: str, text: str, filled: bool, student: str) -> str:
        """A ``def`` with the prompt as its docstring (none in a notebook)."""
        body = (
            f"return {solutions.function_code(q)}"
            if filled
            else f'raise NotImplementedError("{q.name}: {pick(TODO, lang)}")'
        )
        head = f"def {q.name}({', '.join(q.args)}):\n"
        if not text.strip():  # a notebook: the prompt is the markdown cell above
            return f"{head}    {body}\n"
        doc = textwrap.indent(docstring(text), "    ").lstrip()
        return f'{head}    """{doc}\n    """\n    {body}\n'

    def public(self, q: Question) -> dict[str, Any]:
        return {**super().public(q), "args": list(q.args)}
