"""``--gradescope FILE``: results.json by Gradescope's autograder specification, for the
one submission graded (publish.gradescope.results is the one writer; course.yml's
``gradescope:`` sets what students see)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cli.common import fail
from cli.outputs.base import Output, Run
from reference.course.source import CourseError
from reference.i18n import Text, t


class Gradescope(Output):
    flag = "--gradescope"
    help = "Gradescope results.json (one submission)."

    def __init__(self, path: Path, run: Run) -> None:
        super().__init__(path, run)
        from publish.gradescope.settings import load

        try:  # a mistake in course.yml's gradescope: is the course's, exit 1, before grading
            self.settings = load(run.course_file, {q.qid for q in run.course.questions})
        except CourseError as e:
            fail(list(e.problems), run.lang)
        self.report: dict[str, Any] | None = None

    @classmethod
    def problem(cls, path: Path, found: int) -> Text | None:
        if found >= 0 and found != 1:
            return t("terminal.gradescope_writes_results_exactly_one")
        return super().problem(path, found)

    def add(self, line: dict[str, Any], mine: bool) -> None:
        if self.report is None and "submission" in line:
            self.report = line

    def finish(self) -> None:
        if self.report is not None:
            from publish.gradescope import results

            results.write(self.path, results.results(self.report, self.settings))
