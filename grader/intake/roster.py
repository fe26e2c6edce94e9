"""``--roster FILE``: a CSV with the header ``submission,student`` naming whose each
submission is (a folder or zip name, with or without ``.zip``, → the student's id), and any
more columns the learning platforms need (``name``, ``email``, ``sis_user_id``, …: see
cli/outputs/platforms.py).  Read by :mod:`grader.intake.csv_file`, as ``--teams`` is.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from grader.intake.csv_file import read_rows
from grader.intake.identity import clean_id
from reference.i18n import BilingualError, Problem, t

HEADER = ("submission", "student")


class RosterError(BilingualError):
    """A roster that cannot be used (a usage error), as ``file:line: message``."""


@dataclass(frozen=True)
class Roster:
    ids: dict[str, str]  # a submission's name → the student's id
    details: dict[str, dict[str, str]]  # a student's id → the roster's other columns


def load_roster(path: Path) -> Roster:
    """The roster at ``path``, or RosterError with every problem at ``file:line``."""
    rows, problems = read_rows(path, HEADER, t("intake.roster"))
    ids: dict[str, str] = {}
    details: dict[str, dict[str, str]] = {}
    for row in rows:
        name, student = row.cells[0], clean_id(row.cells[1])
        if ids.get(name, student) != student:
            problems.append(
                Problem(
                    str(path),
                    row.line,
                    t("intake.given_two_students", name=name, name_2=ids[name], student=student),
                )
            )
            continue
        ids[name] = student
        details.setdefault(student, {}).update({k: v for k, v in row.extra.items() if v})
    if problems:
        raise RosterError(problems)
    return Roster(ids, details)
