"""``--csv FILE``: the gradebook, one row a student, one column a question.

A score per auto-graded question, the totals, then one column per free-text question holding
the answer (for the teacher to grade).  In team mode a question the volunteer does not own is
"—" (not asked), never a 0.  Every cell is a spreadsheet's text, never its formula.
"""

from __future__ import annotations

import csv
from typing import Any

from cli.outputs.base import Output
from cli.reports import cell
from publish.output_files import Replacing

#: a team-mode gradebook's cell for a question the volunteer does not own
NOT_ASKED = "—"


class Gradebook(Output):
    flag = "--csv"
    help = "Gradebook: one row a student, one column a question."
    _out: Replacing | None = None

    def _writer(self) -> Any:
        if self._out is None:
            course = self.run.course
            self.qids = [q.qid for q in course.questions if q.auto]
            self.texts = [q.qid for q in course.questions if not q.auto]
            self._out = Replacing(self.path)
            self._csv = csv.writer(self._out.file)
            header = ["student", "submission", *self.qids, "total", "max_score", *self.texts]
            self._csv.writerow([cell(c) for c in header])
        return self._csv

    def add(self, line: dict[str, Any], mine: bool) -> None:
        w = self._writer()
        if "submission" not in line:
            return
        questions = line["questions"]
        scores = {q["id"]: round(q["score"], 2) for q in questions if "score" in q}
        answers = {q["id"]: q.get("answer", "") for q in questions}
        # a volunteer is asked their own node's questions only; everyone else, all of them
        asked = {q["id"] for q in questions} if line.get("team") else None
        row = [
            line["student"],
            line["submission"],
            *(scores.get(q, 0 if asked is None or q in asked else NOT_ASKED) for q in self.qids),
            round(line["score"], 2),  # as the terminal shows it: 58.58, not 58.583334
            line["max_score"],
            *(answers.get(q, "") for q in self.texts),
        ]
        w.writerow([cell(c) for c in row])

    def finish(self) -> None:
        self._writer()
        assert self._out is not None
        self._out.commit()

    def discard(self) -> None:
        if self._out is not None:
            self._out.discard()
