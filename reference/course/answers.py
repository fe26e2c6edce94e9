"""The answer key at one point: what the teacher needs for the volunteers' round.

Everything is computed by the reference autograd from course.yml; nothing here knows the
lesson's particular nodes.
"""

from __future__ import annotations

import math
from typing import Any

from reference.course.model import Model
from reference.i18n import BilingualError, did_you_mean, t


class PointError(BilingualError, ValueError):
    """A ``--at`` text that does not name every leaf exactly once with a finite number."""

    def __init__(self, en: str, ru: str):
        super().__init__(t(en, ru))


def parse_point(text: str, model: Model) -> dict[str, float]:
    """``"x1=1, x2=2, …"`` → ``{"x1": 1.0, …}``, naming every missing, unknown or bad entry."""
    point: dict[str, float] = {}
    problems_en: list[str] = []
    problems_ru: list[str] = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, eq, raw = (s.strip() for s in part.partition("="))
        if not eq:
            problems_en.append(f"'{part}' is not name=value")
            problems_ru.append(f"'{part}' — не в виде имя=значение")
            continue
        if name not in model.leaves:
            hint = did_you_mean(name, model.leaves)
            problems_en.append(f"unknown name '{name}'{hint['en']}")
            problems_ru.append(f"неизвестное имя '{name}'{hint['ru']}")
            continue
        try:
            value = float(raw)
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            problems_en.append(f"{name}={raw} is not a finite number")
            problems_ru.append(f"{name}={raw} — не конечное число")
            continue
        if name in point:
            problems_en.append(f"{name} is given twice")
            problems_ru.append(f"{name} задано дважды")
        point[name] = value
    missing = [n for n in model.leaves if n not in point]
    if missing:
        problems_en.append(f"missing {', '.join(missing)}")
        problems_ru.append(f"не заданы {', '.join(missing)}")
    if problems_en:
        raise PointError("; ".join(problems_en), "; ".join(problems_ru))
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
