"""Grading one submission: what to ask the sandbox, and each question's score from the answers.

Two steps with the sandbox between them.  :func:`plan` asks each question's kind what it
needs from the student's code; :func:`score` hands each kind the outcomes to compare with the
reference, in this process.  The kinds (``grader.kinds``) hold the checks themselves.
"""

from __future__ import annotations

from grader.course.questions import Course, Question
from grader.kinds import kind_of
from grader.sandbox import Outcome
from grader.scoring.plan import Answers, Plan
from grader.scoring.result import Result

__all__ = ["Plan", "Result", "meanwhile", "plan", "score", "score_question"]


def plan(course: Course, submission: str) -> Plan:
    """Every request the submission's questions need (free text: its answer, to export)."""
    p = Plan()
    for q in course.questions:
        kind_of(q).plan(q, p, course, submission)
    return p


def meanwhile(course: Course) -> None:
    """Let the course's kinds load what scoring will need while the sandbox runs."""
    for kind in {q.kind: kind_of(q) for q in course.questions}.values():
        kind.meanwhile()


def score(course: Course, submission: str, p: Plan, outcomes: list[Outcome]) -> list[Result]:
    """Every question's result (free text: status ``manual``, its answer, no score).  A check
    that raises is a bug of the grader's, never the student's zero: it raises here, and the
    caller marks the submission not graded."""
    return [score_question(course, submission, q, p, outcomes) for q in course.questions]


def score_question(
    course: Course, submission: str, q: Question, p: Plan, outcomes: list[Outcome]
) -> Result:
    """One question's result from the outcomes of ``p``'s requests."""
    return kind_of(q).score(q, Answers(course, submission, p, outcomes))
