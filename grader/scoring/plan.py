"""What to ask the sandbox for one submission, and where each answer is among the replies.

Each question's kind adds to a :class:`Plan` what it needs (a value, or calls at random
points seeded by the course seed, the submission id and the question id: reproducible,
different for every student); identical requests are asked once.  :class:`Answers` is the
other side: the outcomes, looked up by the same keys when scoring.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from grader.course.questions import Course, Question
from grader.sandbox import Outcome, Request
from reference.course.targets import Backward, Grad

Point = dict[str, np.ndarray]


@dataclass
class Plan:
    """Requests for one submission, and where each question's answers are among them."""

    requests: list[Request] = field(default_factory=list)
    slots: dict[tuple, int] = field(default_factory=dict)
    points: dict[str, Point] = field(default_factory=dict)
    # qid → (the student's local-derivative question, where it is called) for error carried
    # forward: worked out once here, read again when scoring.
    links: dict[str, list[tuple[Question, Point]]] = field(default_factory=dict)

    def ask(self, module: str, name: str, args: tuple[float, ...] | None, expect: str) -> int:
        key = (module, name, args, expect)
        if key not in self.slots:
            self.slots[key] = len(self.requests)
            self.requests.append(Request(module, name, args, expect))
        return self.slots[key]

    def calls(
        self, module: str, name: str, point: Point, args: tuple[str, ...], expect: str
    ) -> list[int]:
        n = len(next(iter(point.values())))
        return [
            self.ask(module, name, tuple(float(point[a][k]) for a in args), expect)
            for k in range(n)
        ]


@dataclass
class Answers:
    """The outcomes of a plan's requests, for scoring one submission."""

    course: Course
    submission: str
    plan: Plan
    outcomes: list[Outcome]

    def value(self, q: Question, expect: str) -> Outcome:
        """What the student assigned to ``q``'s name."""
        return self.outcomes[self.plan.ask(q.exercise, q.name, None, expect)]

    def calls(self, q: Question, point: Point, expect: str) -> list[Outcome]:
        """The student's ``q.name`` called at every point of ``point``."""
        return [
            self.outcomes[i] for i in self.plan.calls(q.exercise, q.name, point, q.args, expect)
        ]


def local_function(course: Course, node: str, arg: str) -> Question | None:
    """The student's ``dN_d<arg>`` function question, if the course has it."""
    q = course.by_qid.get(f"{node}.d{node}_d{arg}")
    return q if q is not None and q.code else None


def links(course: Course, q: Question, point: Point) -> Iterator[tuple[Question, Point]]:
    """(the student's local-derivative question, where to call it) that ``q`` builds on."""
    if isinstance(q.target, Backward):
        node = q.model.node(q.target.node)
        for a in node.args:
            lq = local_function(course, node.name, a)
            if lq is not None and lq.model is q.model:
                yield lq, point
    elif isinstance(q.target, Grad) and q.model is course.model:
        trace = q.model.trace(point)
        for node in q.model.nodes:
            for a in node.args:
                lq = local_function(course, node.name, a)
                if lq is not None:
                    yield lq, {n: np.asarray(trace.values[n]) for n in node.args}
