"""One option of several: which way a quantity moves (a sign), at the student's own values."""

from __future__ import annotations

from typing import Any

import numpy as np

from grader.course import solutions
from grader.course.questions import Question
from grader.kinds import labels
from grader.kinds.base import Kind, verdict
from grader.scoring.plan import Answers
from grader.scoring.result import Result
from reference.course.model import Model
from reference.course.source import Source
from reference.course.targets import SIGNS, Target, evaluate_at_leaves
from reference.i18n import pick, t


class Choice(Kind):
    name = "choice"
    about = "one option"
    form = "option"
    answers = ("sign",)
    options = "required"
    at_leaves = True
    instruction = t("kinds.one")

    def check_options(
        self, src: Source, path: tuple, target: Target, values: list[str], model: Model
    ) -> bool:
        if target.what == "sign" and (
            not {"up", "down"} <= set(values) or not set(values) <= set(SIGNS)
        ):
            src.error(
                (*path, "options"),
                t("kinds.sign_question_options_are_up"),
            )
            return False
        return True

    def judge(self, q: Question, value: Any, answers: Answers) -> Result:
        options = [o.value for o in q.options]
        leaves = q.model.own_values(answers.submission)
        point = {k: np.asarray(v) for k, v in leaves.items()}
        right = str(evaluate_at_leaves(q.target, q.model, point))
        if isinstance(value, str):
            value = labels.read(value, options)
        if not isinstance(value, str):
            shown = ", ".join(map(repr, options))
            return Result(
                q.qid,
                0.0,
                q.points,
                "failed",
                t("kinds.write_one", shown=shown),
            )
        if value == right:
            return verdict(q, None, right=True)
        chosen = next(o for o in q.options if o.value == value)
        return verdict(q, None, note=chosen.why)  # the lesson's reason, when the YAML gives one

    def blank(self, q: Question, lang: str) -> str:
        return '""'

    def solution(self, q: Question, lang: str, student: str) -> str:
        return repr(str(solutions.at_student_values(q, student)))

    def details(self, q: Question, lang: str) -> str:
        options = "\n".join(f'#   "{o.value}": {pick(o.text, lang)}' for o in q.options)
        return f"# {pick(self.instruction, lang)}:\n{options}"

    def public(self, q: Question) -> dict[str, Any]:
        return {**super().public(q), "options": [o.value for o in q.options]}
