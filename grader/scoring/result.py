"""One question's grade: score, status and feedback in every language (and, for free text,
the student's answer, which the teacher grades; for a number computed by hand, the number the
student handed in, which ``grade --similarity`` compares with the class's values)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reference.i18n import Text, pick, same

#: What a question's status may be (the JSON report's contract); ``manual``: free text, not
#: scored here, exported with its answer.
STATUSES = ("passed", "partial", "failed", "error", "timeout", "missing", "manual")


@dataclass
class Result:
    qid: str
    score: float
    max_score: float
    status: str  # one of STATUSES
    feedback: Text = field(default_factory=lambda: same(""))
    answer: str | None = None  # free text: the student's words, already cleaned
    number: float | None = None  # a number computed by hand: the (finite) number handed in

    def as_json(self, lang: str) -> dict[str, Any]:
        if self.status == "manual":  # no score: the teacher's to give
            return {
                "id": self.qid,
                "status": self.status,
                "answer": self.answer or "",
                "feedback": " ".join(pick(self.feedback, lang).split()),
            }
        line = {
            "id": self.qid,
            "score": round(self.score, 6),
            "max_score": self.max_score,
            "status": self.status,
            "feedback": " ".join(pick(self.feedback, lang).split()),
        }
        if self.number is not None:  # the report alone then says whose values it fits
            line["answer"] = self.number
        return line
