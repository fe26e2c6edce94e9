"""The live round on the teacher's board: at one point, what each volunteer receives and what
they must hand on, forward then backward, with their names from the roster."""

from __future__ import annotations

import math
from typing import Any

from grader.teams.roster import Roster
from reference.course.model import Model


def _num(x: Any) -> float | None:
    value = float(x)
    return value if math.isfinite(value) else None


def board(model: Model, point: dict[str, float], roster: Roster) -> dict[str, Any]:
    """``at``, ``volunteers`` (one entry per pass and node, in the order they speak: owners by
    team, ``receives``, ``hands_on``), ``grad`` (the parameters) and ``update``."""
    trace = model.trace(point)
    loss = model.loss

    def owners(node: str) -> dict[str, list[str]]:
        return {tm.name: tm.owners(node) for tm in roster.teams if tm.owners(node)}

    steps: list[dict[str, Any]] = []
    for node in model.nodes:
        steps.append(
            {
                "direction": "forward",
                "node": node.name,
                "owners": owners(node.name),
                "receives": {a: _num(trace.values[a]) for a in node.args},
                "hands_on": {node.name: _num(trace.values[node.name])},
            }
        )
    for node in reversed(model.nodes):
        up = trace.grad[node.name]
        steps.append(
            {
                "direction": "backward",
                "node": node.name,
                "owners": owners(node.name),
                "receives": {
                    **{a: _num(trace.values[a]) for a in node.args},
                    f"d{loss}_d{node.name}": _num(up),
                },
                "hands_on": {
                    f"d{loss}_d{a}": _num(trace.local[node.name][a] * up) for a in node.args
                },
            }
        )
    grad = {p: _num(trace.grad[p]) for p in model.parameters}
    update: dict[str, float | None] = {}
    for p in model.parameters:
        g = grad[p]
        update[p] = None if g is None else point[p] - model.learning_rate * g
    return {
        "at": dict(point),
        "teams": [tm.name for tm in roster.teams],
        "volunteers": steps,
        "grad": grad,
        "learning_rate": model.learning_rate,
        "update": update,
    }
