"""One question's grade: score, status and feedback in every language."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reference.i18n import Text, pick, same

#: What a question's status may be (the JSON report's contract).
STATUSES = ("passed", "partial", "failed", "error", "timeout", "missing")


@dataclass
class Result:
    qid: str
    score: float
    max_score: float
    status: str  # one of STATUSES
    feedback: Text = field(default_factory=lambda: same(""))

    def as_json(self, lang: str) -> dict[str, Any]:
        return {
            "id": self.qid,
            "score": round(self.score, 6),
            "max_score": self.max_score,
            "status": self.status,
            "feedback": " ".join(pick(self.feedback, lang).split()),
        }
