"""The student's own functions chained at their own values: the graph on their page.

Collected while grading (``grade --html``), from the files graded and within the
submission's time budget: the leaves at the student's own values (what ``python check.py
--id ID`` prints for the id graded), then each node's function at the values the student's
own upstream functions gave, and each local derivative at those same values.  Nothing of the
reference's is computed here: a page can only ever show what the student's code says.  The
student's formula strings come along, to be drawn as math.

A trace travels in the report (``graph`` in its JSON line), so a resumed run draws the same
page without running anything again.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from grader.course.questions import Course, Question
from grader.kinds import kind_of
from grader.sandbox import Outcome, Request
from grader.scoring.plan import local_function


@dataclass
class Trace:
    """What the student's code gives at one point (None: it gave no number)."""

    point: dict[str, float] = field(default_factory=dict)
    values: dict[str, float | None] = field(default_factory=dict)
    local: dict[str, dict[str, float | None]] = field(default_factory=dict)
    formulas: dict[str, str | None] = field(default_factory=dict)
    student: str = ""  # whose own values the point is

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def of(cls, data: Any) -> Trace | None:
        """A trace read back from a report's ``graph`` (None: none, or not one)."""
        if not isinstance(data, dict):
            return None
        try:
            return cls(
                point={str(k): float(v) for k, v in data["point"].items()},
                values={str(k): _float(v) for k, v in data["values"].items()},
                local={
                    str(n): {str(a): _float(v) for a, v in args.items()}
                    for n, args in data["local"].items()
                },
                formulas={
                    str(k): v if isinstance(v, str) else None for k, v in data["formulas"].items()
                },
                student=str(data.get("student", "")),
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            return None


def _float(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def graph_point(course: Course, student: str) -> dict[str, float]:
    """The leaves' values the graph is drawn at: the student's own (``check.py --id``)."""
    return course.model.own_values(student)


def forward_question(course: Course, node: str) -> Question | None:
    q = course.by_qid.get(f"{node}.forward")
    return q if q is not None and q.code else None


def _number(outcome: Outcome) -> float | None:
    value = outcome.value if outcome.status == "ok" else None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None


def collect(
    course: Course,
    student: str,
    modules: set[str],
    run: Callable[[list[Request]], list[Outcome]],
) -> Trace:
    """The student's values at their own point, node by node: ``run(requests)`` answers
    from the files graded (``modules``: the exercises they hold), in the sandbox."""
    model = course.model
    out = Trace(point=graph_point(course, student), student=student)
    known: dict[str, float | None] = dict(out.point)
    text_qs = [
        q for q in course.questions if kind_of(q).expect == "formula" and q.exercise in modules
    ]
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
            if fq is not None and fq.exercise in modules:
                asks.append((node.name, "", Request(fq.exercise, fq.name, floats, "number")))
            else:
                known[node.name] = None
            for a in node.args:
                lq = local_function(course, node.name, a)
                if lq is not None and lq.exercise in modules:
                    asks.append((node.name, a, Request(lq.exercise, lq.name, floats, "number")))
        texts = [Request(q.exercise, q.name, None, "formula") for q in text_qs] if first else []
        first = False
        outcomes = run([r for *_, r in asks] + texts) if asks or texts else []
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
