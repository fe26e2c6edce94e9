"""``--moodle FILE``: Moodle's grade import CSV.

Moodle's "Import grades: CSV file" maps one column to the user (chosen when importing among
``email``, ``username`` and ``idnumber``) and one column to a grade item.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cli.outputs.platforms import MOODLE_KEYS, Platform, number
from cli.reports import cell


class Moodle(Platform):
    """Moodle's grade import CSV keyed on the roster's email, username or idnumber (the id
    graded, as idnumber, without one)."""

    flag = "--moodle"
    help = "Moodle's grade import CSV, keyed on --roster's email, username or idnumber column."

    def finish(self) -> None:
        self.write(self._rows(self.run.course.assignment))

    def _rows(self, assignment: str) -> Iterator[list[Any]]:
        roster = self.run.roster
        columns = {k for who in roster.values() for k, v in who.items() if v}
        key = next((k for k in MOODLE_KEYS if k in columns), "idnumber")
        yield [key, assignment]
        for student, who, score in self.students():
            yield [cell(who.get(key) or student), number(score)]
