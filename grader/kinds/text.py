"""Free text, in the student's own words: the teacher grades it (nbgrader's formgrader)."""

from __future__ import annotations

from grader.course.questions import Question
from grader.kinds.base import Kind
from grader.sandbox import clean_text
from grader.scoring.plan import Answers
from grader.scoring.result import Result
from reference.i18n import pick, same, t

#: The longest free-text answer exported (characters); a longer one is cut.
MAX_ANSWER = 4000

#: What the filled stub and the source notebook hold in place of an answer.
SOLUTION = t("kinds.free_text_graded_by_teacher")


class Text(Kind):
    name = "text"
    about = "free text, graded by the teacher in nbgrader"
    public_note = "text_ok"
    expect = "text"
    auto = False
    instruction = t("kinds.your_answer_your_own_words")

    def score(self, q: Question, answers: Answers) -> Result:
        """Not a score: the answer, exported for the teacher (status ``manual``).  It is the
        student's text, so data only: cut, control characters shown, surrogates replaced."""
        got = answers.value(q, self.expect)
        if got.status != "ok":
            where = f" ({got.where})" if got.where else ""
            why = {lang: f"{text}{where}" for lang, text in got.message.items()}
            return Result(q.qid, 0.0, 0.0, "manual", why, answer="")
        answer = clean_text(got.value, MAX_ANSWER, newlines=True).strip()[:MAX_ANSWER]
        note = same("") if answer else t("kinds.no_answer")
        return Result(q.qid, 0.0, 0.0, "manual", note, answer=answer)

    def blank(self, q: Question, lang: str) -> str:
        return '""'

    def solution(self, q: Question, lang: str, student: str) -> str:
        return repr(pick(SOLUTION, lang))
