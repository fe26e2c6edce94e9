"""A course as the grader holds it: its exercises, their questions, their points.

Plain data: made by :mod:`grader.course.loader` from course.yml and the exercises' YAML,
read by the kinds, the grader, the release and the reports.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from reference import expr as ex
from reference.course.model import Model, Tolerance
from reference.course.targets import Target


@dataclass(frozen=True)
class Option:
    value: str
    text: dict[str, str]
    why: dict[str, str] | None = None  # the lesson's reason, shown when this option is wrong


@dataclass(frozen=True)
class Mistake:
    feedback: dict[str, str]
    credit: float
    formula: str | None = None
    tree: ex.Expr | None = None
    target: Target | None = None
    #: the teacher's "mistake" is now the right answer (an edit of course.yml made it so):
    #: never diagnosed; ``course validate`` warns
    is_answer: bool = False


@dataclass(frozen=True)
class Question:
    exercise: str
    id: str
    kind: str
    points: float  # already multiplied by the exercise's weight
    prompt: dict[str, str]
    hint: dict[str, str] | None
    target: Target  # Manual() for free text
    name: str  # what the student defines in the stub
    args: tuple[str, ...]  # the function's parameters, or the formula's variables
    options: tuple[Option, ...]
    tolerance: Tolerance
    mistakes: tuple[Mistake, ...]
    model: Model = dataclasses.field(repr=False, compare=False)
    line: int = 1
    credit: str = "all"  # how its points are shared, where its kind allows more than one way
    auto: bool = True  # graded automatically (free text is the teacher's): its kind says
    code: bool = False  # the student writes a function the sandbox calls: its kind says
    #: the YAML fields its kind owns (``Kind.fields``), as the kind read them
    fields: dict[str, Any] = dataclasses.field(default_factory=dict, hash=False)

    @property
    def qid(self) -> str:
        return f"{self.exercise}.{self.id}"


@dataclass(frozen=True)
class Points:
    """A maximum, split the way grading is: what the grader scores (``auto``) and what the
    teacher grades by hand (``manual``: free text).  The one definition that validate, the
    student README, ``grade`` and nbgrader all show."""

    auto: float
    manual: float

    @property
    def total(self) -> float:
        return round(self.auto + self.manual, 6)

    @classmethod
    def of(cls, questions: tuple[Question, ...]) -> Points:
        auto = sum(q.points for q in questions if q.auto)
        manual = sum(q.points for q in questions if not q.auto)
        return cls(round(auto, 6), round(manual, 6))


@dataclass(frozen=True)
class Exercise:
    id: str
    file: str
    title: dict[str, str]
    intro: dict[str, str] | None
    node: str | None
    model: Model
    weight: float
    questions: tuple[Question, ...]

    @cached_property
    def points(self) -> Points:
        return Points.of(self.questions)


@dataclass(frozen=True)
class Course:
    root: Path
    model: Model
    exercises: tuple[Exercise, ...]
    assignment: str
    # What other layers compute from the course alone (the released blank answers), kept with
    # it so that the course cache stores them too; never part of what the course *is*.
    derived: dict[str, Any] = dataclasses.field(
        default_factory=dict, compare=False, hash=False, repr=False
    )

    @cached_property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for e in self.exercises for q in e.questions)

    @cached_property
    def points(self) -> Points:
        """The course's maximum: auto-graded and manual points apart."""
        return Points.of(self.questions)

    @cached_property
    def by_qid(self) -> dict[str, Question]:
        return {q.qid: q for q in self.questions}

    def exercise(self, exercise_id: str) -> Exercise:
        return next(e for e in self.exercises if e.id == exercise_id)
