"""How exact a hand-computed number must be, and what a near miss earns: shared by the number
kind and the step of gradient descent (:mod:`.number`, :mod:`.steps`)."""

from __future__ import annotations

import math
from typing import Any

from grader.course.questions import Question
from grader.kinds.base import where_wrong
from grader.scoring.result import Result
from reference.course.model import Tolerance
from reference.i18n import Text, t

#: Numbers computed by hand are rounded on the way: relative to the answer, so that no small
#: answer passes with 0 or a 10% error (the absolute part only absorbs float noise at 0).
HAND_TOLERANCE = Tolerance(rel=1e-3, abs=1e-12)
#: An answer within this many tolerances is a near miss: right, but rounded too early.
NEAR_MISS = 10.0


def digits(tol: Tolerance) -> int:
    """The significant digits an answer rounded to passes ``tol.rel`` with (4 for 1e-3):
    rounding to d digits errs by up to half a unit in the d-th, 5·10^-d of the answer."""
    if tol.rel <= 0:
        return 17
    return max(1, math.ceil(1 - math.log10(2 * tol.rel) - 1e-9))


def significant(n: int) -> Text:
    """ "4 significant digits", as it reads after "at least" (the catalogue's
    ``kinds.significant_digits``: a language declines it as that place needs)."""
    return t("kinds.significant_digits", n=n)


def precision(tol: Tolerance) -> Text:
    """The sentence of the stub that says how exact a hand-computed answer must be."""
    digits_text = significant(digits(tol))
    return t("kinds.give_at_least", digits=digits_text)


def near_miss(q: Question, student: float, right: Any, point: Any) -> Result:
    """Close, but outside the tolerance: the teacher's share of the points (near_miss_credit)."""
    credit = q.model.near_miss_credit
    digits_text = significant(digits(q.tolerance))
    note = t("kinds.close_but_not_within_keep", digits=digits_text)
    if credit <= 0:
        wrong = where_wrong(q, student, right, point, True)
        return Result(q.qid, 0.0, q.points, "failed", {k: f"{wrong[k]} {note[k]}" for k in note})
    return Result(q.qid, round(q.points * credit, 6), q.points, "partial", note)
