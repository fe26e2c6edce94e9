"""The answer key at one point: what the teacher needs for the volunteers' round.

Everything is computed by the reference autograd from course.yml; nothing here knows the
lesson's particular nodes.
"""

from __future__ import annotations

import math
from typing import Any

from reference.course.model import Model
from reference.i18n import BilingualError, Text, did_you_mean, join, t


class PointError(BilingualError, ValueError):
    """A ``--at`` text that does not name every leaf exactly once with a finite number."""

    def __init__(self, text: Text):
        super().__init__(text)


def parse_point(text: str, model: Model) -> dict[str, float]:
    """``"x1=1, x2=2, …"`` → ``{"x1": 1.0, …}``, naming every missing, unknown or bad entry."""
    point: dict[str, float] = {}
    problems: list[Text] = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, eq, raw = (s.strip() for s in part.partition("="))
        if not eq:
            problems.append(t("course.point_not_name_value", part=part))
            continue
        if name not in model.leaves:
            hint = did_you_mean(name, model.leaves)
            problems.append(join([t("course.point_unknown_name", name=name), hint], sep=""))
            continue
        try:
            value = float(raw)
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            problems.append(t("course.point_not_finite", name=name, raw=raw))
            continue
        if name in point:
            problems.append(t("course.point_given_twice", name=name))
        point[name] = value
    missing = [n for n in model.leaves if n not in point]
    if missing:
        problems.append(t("course.point_missing", names=", ".join(missing)))
    if problems:
        raise PointError(join(problems, sep="; "))
    return point


def _number(x: Any) -> float | None:
    value = float(x)
    return value if math.isfinite(value) else None


def answer_key(model: Model, point: dict[str, float]) -> dict[str, Any]:
    """``values``, ``local``, ``grad`` (every name, the loss included) and the update step.

    Non-finite results (a log of a negative number, say) come out as None, so the JSON stays
    valid; the caller tells the teacher.
    """
    trace = model.trace(point)
    grad = {name: _number(trace.grad[name]) for name in model.names}
    update = {}
    for p in model.parameters:
        g = grad[p]
        update[p] = None if g is None else point[p] - model.learning_rate * g
    return {
        "at": dict(point),
        "values": {name: _number(trace.values[name]) for name in model.names},
        "local": {n: {a: _number(d) for a, d in ds.items()} for n, ds in trace.local.items()},
        "grad": grad,
        "learning_rate": model.learning_rate,
        "update": update,
    }
