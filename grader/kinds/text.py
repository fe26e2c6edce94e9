"""Free text, in the student's own words: the teacher grades it (nbgrader's formgrader)."""

from __future__ import annotations

from grader.kinds.base import Kind
from grader.scoring.plan import Answers
from grader.scoring.result import Result
from reference.course.exercises import Question
from reference.i18n import pick, t

#: What the filled stub and the source notebook hold in place of an answer.
SOLUTION = t("(free text: graded by the teacher)", "(свободный ответ: проверяет учитель)")


class Text(Kind):
    name = "text"
    public_note = "text_ok"
    expect = "text"
    auto = False
    instruction = t(
        "Your answer in your own words (graded by the teacher).",
        "Ваш ответ своими словами (проверяет учитель).",
    )

    def score(self, q: Question, answers: Answers) -> Result:
        raise TypeError("free text is graded by the teacher")

    def blank(self, q: Question, lang: str) -> str:
        return '""'

    def solution(self, q: Question, lang: str, student: str) -> str:
        return repr(pick(SOLUTION, lang))
