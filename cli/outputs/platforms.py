"""What the learning platforms' gradebook imports share (:mod:`.canvas`, :mod:`.moodle`).

Canvas imports a CSV whose first columns name the student (``Student``, ``ID``, ``SIS User
ID``, ``SIS Login ID``, ``Section``; it matches on the ID or SIS columns), then one column an
assignment titled as in Canvas, with an optional ``Points Possible`` row under the header.
Moodle imports a CSV with any columns, one of which identifies the user (``email``,
``username`` or ``idnumber``: chosen when importing) and one column a grade item.

Who each student is on the platform comes from the ``--roster`` CSV's extra columns (a
roster may carry them: ``name``, ``canvas_id``, ``sis_user_id``, ``sis_login_id``,
``section``, ``email``, ``username``, ``idnumber``); a student the roster does not list is
still written, by the id graded, and named on the terminal: never dropped silently.  Scores
are rounded to 2 decimals, as the platforms show them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cli.outputs.base import Output, Run
from publish import output_files
from reference.i18n import say

#: The user columns Moodle can match on, in the order one is chosen from the roster.
MOODLE_KEYS = ("email", "username", "idnumber")
CANVAS_USER = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")


def number(x: float) -> str:
    """A score as the platforms show it: 2 decimals at most, no trailing zeros (79, 74.83)."""
    return f"{round(float(x), 2):.12g}"


class Platform(Output):
    """A learning platform's gradebook file: each student once, their best submission's
    score (a gradebook holds one grade; team lines are not students), by the roster's
    columns for them; the students the roster does not list are written by their id graded
    and named on the terminal."""

    def __init__(self, path: Path, run: Run) -> None:
        super().__init__(path, run)
        self.best: dict[str, float] = {}  # student → their best score: all that is kept

    def add(self, line: dict[str, Any], mine: bool) -> None:
        if "submission" in line:
            student, score = str(line["student"]), float(line["score"])
            self.best[student] = max(score, self.best.get(student, score))

    def students(self) -> Iterator[tuple[str, dict[str, str], float]]:
        """(id, the roster's columns for them, score), by id; the missing ones said."""
        roster = self.run.roster
        missing = [s for s in sorted(self.best) if s not in roster]
        for student in sorted(self.best):
            yield student, roster.get(student, {}), self.best[student]
        if missing:
            listed = ", ".join(missing)
            said = say("terminal.not_roster_exported_by_id", self.run.lang, students=listed)
            self.run.warn(f"{self.flag}: {said}")

    def write(self, rows: Iterator[list[Any]]) -> None:
        out = io.StringIO(newline="")
        csv.writer(out).writerows(rows)
        output_files.write_text(self.path, out.getvalue())
