"""Where the teacher's course is: the course.yml given, else the nearest one upwards.

Shared by the command line and nbgrader's kernel, which both grade against the course found
from their current folder, never a copy inside the installed package or a submission.
"""

from __future__ import annotations

from pathlib import Path

COURSE_FILE = "course.yml"


def find_course(given: Path | None) -> Path:
    """course.yml: the one given, else the nearest from here upwards.

    Never a copy inside the installed package or a checkout: a course is the teacher's files.
    """
    if given is not None:
        return given / COURSE_FILE if given.is_dir() else given
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / COURSE_FILE).is_file():
            return folder / COURSE_FILE
    return here / COURSE_FILE  # absent: loading it says so, with the path
