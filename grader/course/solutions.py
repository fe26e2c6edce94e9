"""Every answer filled in from the reference (``--solutions``, the nbgrader source notebooks).

The code of a function is printed from the reference's own formula and a hand-computed number
is the reference's value at the student's own values: nothing here is typed by hand.
"""

from __future__ import annotations

from typing import Any

from grader.course.questions import Question
from reference.course.targets import (
    Backward,
    Local,
    evaluate,
    evaluate_at_leaves,
    formula,
    upstream_name,
)

#: Whose values ``--solutions`` fills the hand-computed numbers for.
SOLUTION_STUDENT = "solution"


def mapping_keys(q: Question) -> list[str]:
    """The names a mapping answer maps: its options, else every node."""
    if q.options:
        return [o.value for o in q.options]
    return [n.name for n in q.model.nodes]


def fact(q: Question) -> Any:
    """The reference's answer to a quiz question about the graph (restricted to its keys)."""
    value = evaluate(q.target, q.model, {})
    if isinstance(value, dict):
        keys = mapping_keys(q)
        return {k: v for k, v in value.items() if k in keys}
    return value


def at_student_values(q: Question, student: str) -> Any:
    """The reference's answer where the model sits at ``student``'s own values."""
    model = q.model
    leaves = model.own_values(student)
    value = evaluate_at_leaves(q.target, model, leaves)
    return value.item() if hasattr(value, "item") else value


def formula_text(q: Question) -> str:
    return str(formula(q.target, q.model))


def function_code(q: Question) -> str:
    """A Python expression computing the answer from the function's arguments."""
    from sympy.printing.pycode import pycode  # type: ignore[import-untyped]

    from reference.course.formulas import symbols
    from reference.table.symbolic import elementary

    def code(expr: Any) -> str:
        return str(pycode(elementary(expr), fully_qualified_modules=True))

    target = q.target
    if isinstance(target, Backward):
        up = upstream_name(q.model, target.node)
        (upstream,) = symbols((up,))
        items = ", ".join(
            f'"{a}": {code(upstream * formula(Local(target.node, a), q.model))}'
            for a in q.model.node(target.node).args
        )
        return "{" + items + "}"
    return code(formula(q.target, q.model))
