"""``--canvas FILE``: Canvas's gradebook import CSV.

Canvas's "Import" of grades (Grades → Import) reads a CSV whose first columns name the
student: ``Student``, ``ID``, ``SIS User ID``, ``SIS Login ID``, ``Section`` (it matches a
row on ID or the SIS columns), then one column per assignment titled as in Canvas, with an
optional ``Points Possible`` row under the header.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cli.outputs.platforms import CANVAS_USER, Platform, number
from cli.reports import cell


class Canvas(Platform):
    """Canvas's gradebook import CSV: the user columns, a Points Possible row, one column
    for the assignment titled as the course's."""

    flag = "--canvas"
    help = (
        "Canvas's gradebook import CSV (the students from --roster's columns: name, "
        "canvas_id, sis_user_id, sis_login_id, section)."
    )

    def finish(self) -> None:
        course = self.run.course
        self.write(self._rows(course.assignment, course.points.auto))

    def _rows(self, assignment: str, max_score: float) -> Iterator[list[Any]]:
        yield [*CANVAS_USER, assignment]
        yield ["Points Possible", "", "", "", "", number(max_score)]
        for student, who, score in self.students():
            row = [
                who.get("name") or student,
                who.get("canvas_id", ""),
                who.get("sis_user_id") or student,
                who.get("sis_login_id", ""),
                who.get("section", ""),
            ]
            yield [cell(v) for v in row] + [number(score)]
