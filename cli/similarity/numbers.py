"""Numbers evidence: a hand-computed number, wrong at its student's own values, that is right
at one classmate's values and nobody else's.

Every student computes the numbers at their own values (drawn from their id), so a number
copied from a classmate is right for the classmate and wrong for the copier: evidence no
look at the code can have.  Each report line carries the number handed in (``answer`` beside
the score); the right answer to each question at every student's values is computed once, in
one vectorised evaluation (:func:`grader.kinds.number.right_at`, what the grader compares
with), and sorted: each wrong number is looked up by bisection in a window as wide as the
tolerance allows, then checked with the question's own tolerance (a new parameter's relative
to the step, as it is graded).  A number right at several classmates' values (a short answer
many share) names none of them and is left out.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from grader.course.questions import Course, Question
from grader.kinds.number import right_at


@dataclass(frozen=True)
class Borrowed:
    """Student ``copier``'s number for ``question`` is right at ``source``'s values only
    (indexes into the students given)."""

    copier: int
    source: int
    question: str


def borrowed(
    course: Course, students: Sequence[str], wrong: Sequence[dict[str, float]]
) -> Iterator[Borrowed]:
    """Each wrong number (``wrong[k]``: question → the number student k handed in, wrong at
    their values: the report lines of the questions that carry one) that is right at exactly
    one other student's values."""
    ids = np.array(students, dtype=object)
    asked = {qid for numbers in wrong for qid in numbers}
    own: dict[Any, list[dict[str, float]]] = {}  # every student's values, once a model
    for q in course.questions:
        if q.qid not in asked:
            continue
        drawn = (q.model.seed, repr(q.model.leaf_ranges()))  # what one's values depend on
        if drawn not in own:
            own[drawn] = [q.model.own_values(s) for s in students]
        values = own[drawn]
        askers = [k for k, numbers in enumerate(wrong) if q.qid in numbers]
        right, scale = right_at(q, students, values)
        yield from _matches(q, students, ids, (right, scale), askers, wrong)


def _matches(
    q: Question,
    students: Sequence[str],
    ids: np.ndarray,
    answers: tuple[np.ndarray, np.ndarray],
    askers: list[int],
    wrong: Sequence[dict[str, float]],
) -> Iterator[Borrowed]:
    """One question (``answers``: its right answers at every student's values, and their
    scales): the askers whose number is right at one other student's values only."""
    right, scale = answers
    numbers = [wrong[k][q.qid] for k in askers]
    tol = q.tolerance
    order = np.argsort(right, kind="stable")
    ordered = right[order]
    a = np.array(numbers, float)
    # every k with |a - right[k]| <= abs + rel*scale[k] lies in this window: the scale is at
    # most its largest, and for a value (scale = |right|) at most (|a| + abs) / (1 - rel)
    bound = float(scale.max()) if len(scale) else 0.0
    if tol.rel < 1:
        bound = np.minimum(bound, (np.abs(a) + tol.abs) / (1 - tol.rel))
    width = tol.abs + tol.rel * bound
    lo = np.searchsorted(ordered, a - width, "left")
    hi = np.searchsorted(ordered, a + width, "right")
    for n in np.flatnonzero(hi > lo):
        near = order[lo[n] : hi[n]]
        near = near[np.abs(a[n] - right[near]) <= tol.abs + tol.rel * scale[near]]
        who = set(ids[near].tolist())
        if len(who) == 1 and students[askers[n]] not in who:  # one classmate, not oneself
            (source,) = who
            first = next(int(k) for k in near if students[k] == source)
            yield Borrowed(askers[n], first, q.qid)
