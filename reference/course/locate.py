"""Where the teacher's course is: the course.yml given, else the nearest one upwards.

Shared by the command line and nbgrader's kernel, which both grade against the course found
from their current folder, never a copy inside the installed package or a submission.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

COURSE_FILE = "course.yml"


def find_course(given: Path | None) -> Path:
    """course.yml: the one given, else the nearest from here upwards.

    Never a copy inside the installed package or a checkout: a course is the teacher's files.
    """
    if given is not None:
        return given / COURSE_FILE if given.is_dir() else given
    found = courses_upward()
    return found[0] if found else Path.cwd().resolve() / COURSE_FILE  # absent: loading says so


def courses_upward(start: Path | None = None) -> list[Path]:
    """Every course.yml from ``start`` (the current folder) upwards, nearest first."""
    here = (start or Path.cwd()).resolve()
    return [f / COURSE_FILE for f in (here, *here.parents) if (f / COURSE_FILE).is_file()]


def inside(folder: Path, others: Iterable[Path]) -> bool:
    """Whether ``folder`` is one of ``others`` (folders) or below one of them."""
    where = folder.resolve()
    for other in others:
        o = Path(other).resolve()
        if o.is_dir() and (where == o or o in where.parents):
            return True
    return False
