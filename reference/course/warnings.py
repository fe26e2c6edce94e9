"""What ``course validate`` warns about: a course that loads but no longer says what it
grades.  Each warning is a Problem at ``file:line`` whose text begins "warning:", in every
language; ``validate --strict`` makes them errors."""

from __future__ import annotations

from reference.course.exercises import Course
from reference.i18n import Problem


def course_warnings(course: Course) -> list[Problem]:
    """Every warning about ``course``, in file order."""
    return []
