"""The student's own values at one check point, for the graph on their page.

The grade keeps scores and feedback, not the values behind them, and each question is checked
at its own points, so no one point has every node.  Here the student's code is run once more,
in the sandbox, chained: the leaves at one point drawn for this page, then each node's
function at the values the student's own upstream functions gave, and each local derivative
at those same values.  Nothing of the reference's is computed at that point, so a page can
only ever show what the student's code says.  The point is seeded apart from every question's
(and from the hand-computed numbers' values), so it is no question's answer either.

The student's formula strings are fetched the same way, to be drawn as math.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader.intake import routes
from grader.intake.identity import Identity
from grader.intake.submissions import read
from grader.sandbox import Budget, Request, Sandbox
from grader.scoring.plan import local_function
from reference.course.exercises import Course, Question
from reference.course.sampling import rng_for

#: Seconds the student's code may take for one page, all calls together.
BUDGET = 20.0


@dataclass
class Trace:
    """What the student's code gives at one point (None: it gave no number)."""

    point: dict[str, float] = field(default_factory=dict)
    values: dict[str, float | None] = field(default_factory=dict)
    local: dict[str, dict[str, float | None]] = field(default_factory=dict)
    formulas: dict[str, str | None] = field(default_factory=dict)


def graph_point(course: Course, student: str) -> dict[str, float]:
    """The leaves' values the page's graph is drawn at: this student's, no question's."""
    model = course.model
    sample = model.sample(rng_for(model.seed, student, "html.graph"), 1)
    return {name: round(float(v[0]), 4) for name, v in sample.items()}


def forward_question(course: Course, node: str) -> Question | None:
    q = course.by_qid.get(f"{node}.forward")
    return q if q is not None and q.kind == "function" else None


def _number(outcome: Any) -> float | None:
    value = outcome.value if outcome.status == "ok" else None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None


def trace(
    course: Course, sandbox: Sandbox, submission: str, identity: Identity | None = None
) -> Trace:
    """The student's values at their graph point, node by node, in the sandbox."""
    modules = {e.id for e in course.exercises}
    sub = read(Path(submission), modules, identity)
    chosen: list[dict[str, str]] = []

    def keep(files: dict[str, str]) -> list:
        chosen.append(files)
        return []

    routes.grade(course, sub, keep)  # picks the files graded (a .py or a notebook)
    files = chosen[0] if chosen else dict(sub.files)
    budget = Budget(min(BUDGET, course.model.time_budget))
    model = course.model
    out = Trace(point=graph_point(course, sub.id))
    known: dict[str, float | None] = dict(out.point)
    text_qs = [q for q in course.questions if q.kind == "formula" and q.exercise in files]
    todo = list(model.nodes)
    first = True
    while todo:
        ready = [n for n in todo if all(a in known for a in n.args)]
        if not ready:
            break
        asks: list[tuple[str, str, Request]] = []
        for node in ready:
            todo.remove(node)
            args = [known[a] for a in node.args]
            out.local[node.name] = {a: None for a in node.args}
            if any(v is None for v in args):  # an upstream function gave no number
                known[node.name] = None
                continue
            floats = tuple(float(v) for v in args if v is not None)
            fq = forward_question(course, node.name)
            if fq is not None and fq.exercise in files:
                asks.append((node.name, "", Request(fq.exercise, fq.name, floats, "number")))
            else:
                known[node.name] = None
            for a in node.args:
                lq = local_function(course, node.name, a)
                if lq is not None and lq.exercise in files:
                    asks.append((node.name, a, Request(lq.exercise, lq.name, floats, "number")))
        texts = [Request(q.exercise, q.name, None, "text") for q in text_qs] if first else []
        first = False
        outcomes = (
            sandbox.run(files, [r for *_, r in asks] + texts, budget) if asks or texts else []
        )
        for (name, arg, _), outcome in zip(asks, outcomes):
            if arg:
                out.local[name][arg] = _number(outcome)
            else:
                known[name] = _number(outcome)
        for q, outcome in zip(text_qs, outcomes[len(asks) :]):
            value = outcome.value if outcome.status == "ok" else None
            out.formulas[q.qid] = value if isinstance(value, str) else None
    out.values = {n.name: known.get(n.name) for n in model.nodes}
    return out
