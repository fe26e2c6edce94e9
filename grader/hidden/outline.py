"""What a session of the built-in hidden test needs of a course, as a sibling process holds
it before the course itself is loaded (:mod:`.sibling`, :mod:`.plugin`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from grader.course.questions import Course


@dataclass(frozen=True)
class Asked:
    """A question as the built-in test and the plugin see it."""

    qid: str
    points: float
    auto: bool


@dataclass(frozen=True)
class Outline:
    """What a session of the built-in test needs of a course: where it is, its questions."""

    root: Path
    questions: tuple[Asked, ...]

    @classmethod
    def of(cls, course: Course) -> Outline:
        return cls(course.root, tuple(Asked(q.qid, q.points, q.auto) for q in course.questions))
