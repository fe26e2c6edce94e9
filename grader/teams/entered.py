"""The volunteers' round as it happens in class: the numbers each volunteer entered, judged
link by link exactly as ``grade --teams`` judges their code (:class:`grader.teams.chain.Round`:
right given what they received, an error carried forward), at the round's one point.

A volunteer enters, for the node they own, its output (the quantity named like the node,
``S``), its local derivatives (``dS/dG``) and, once dL/d(output) reached them, dL/d(each
input) (``dL/dG``).  What is not
entered yet is ``missing``: the chain goes on with the reference's rule on what was received,
so the next volunteer is judged on their own numbers.  No code runs: numbers only.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from grader.course.questions import Course
from grader.sandbox import Outcome
from grader.scoring.diagnose import diagnose
from grader.scoring.plan import local_function
from grader.scoring.trace import forward_question
from grader.scoring.within import close
from grader.teams.chain import Round, rule
from grader.teams.result import TeamResult
from grader.teams.roster import Team
from reference.course.model import Model
from reference.i18n import Text, t

#: (student, node, quantity) → the number they entered.
Entries = Mapping[tuple[str, str, str], float]


def backward_quantities(model: Model, node: str) -> dict[str, str]:
    """What a volunteer hands back for ``node``: dL/d(each of its arguments), by argument."""
    args = next(n.args for n in model.nodes if n.name == node)
    return {a: f"d{model.loss}/d{a}" for a in args}


class Entered:
    """A volunteer's answers are the numbers they entered (an :data:`~grader.teams.chain.Ask`)."""

    def __init__(self, model: Model, entries: Entries) -> None:
        self.model, self.entries = model, entries

    def __call__(
        self, student: str, module: str, name: str, rows: list[tuple[float, ...]], expect: str
    ) -> list[Outcome]:
        if name == "backward":
            said = {
                a: self.entries.get((student, module, q))
                for a, q in backward_quantities(self.model, module).items()
            }
            value: object = said if all(v is not None for v in said.values()) else None
        else:
            value = self.entries.get((student, module, module))
        if value is None:
            outcome = Outcome("missing", error="not entered yet", text=t("teams.not_entered"))
        else:
            outcome = Outcome("ok", value)
        return [outcome for _ in rows]


def judge(course: Course, team: Team, point: Mapping[str, float], entries: Entries) -> TeamResult:
    """The team's round at ``point`` (every input, parameter and data value) from what its
    volunteers entered so far."""
    for (_, _, quantity), value in entries.items():
        if not (isinstance(value, (int, float)) and math.isfinite(value)):
            raise ValueError(f"{quantity}: not a finite number")
    at = {name: np.array([float(v)]) for name, v in point.items()}
    result = Round(course, team, Entered(course.model, entries), at).result()
    for link in result.links:  # said of a number not yet entered, not of code that failed
        if link.status == "missing":
            link.feedback = t("teams.not_entered")
    return result


#: What a quantity is: the node's ``output``, a ``local`` derivative, or a ``backward`` one
#: (dL/d(an argument)), in the lesson's order.
KINDS = ("output", "local", "backward")


def quantities(model: Model, node: str) -> dict[str, tuple[str, str | None]]:
    """A node's quantities in the order a volunteer enters them → (kind, argument).  The
    loss's local derivatives are its backward ones (dL/dL = 1): asked once, as backward."""
    args = model.node(node).args
    local = {} if node == model.loss else {f"d{node}/d{a}": ("local", a) for a in args}
    back = {q: ("backward", a) for a, q in backward_quantities(model, node).items()}
    return {node: ("output", None), **local, **back}


class Judged:
    """A team's round judged now, and each number entered judged on its own (a backward link
    waits for all its arguments; a volunteer hears about each number at once)."""

    def __init__(
        self, course: Course, team: Team, point: Mapping[str, float], entries: Entries
    ) -> None:
        self.course, self.team, self.point, self.entries = course, team, point, entries
        self.result = judge(course, team, point, entries)
        self.truth = course.model.trace({k: np.array([float(v)]) for k, v in point.items()})
        #: what a view made of this judgement, by the view's key (a judgement is shared by
        #: the board and each of the team's pages until the next entry)
        self.memo: dict[object, object] = {}

    def received(self, student: str, node: str, direction: str) -> Mapping[str, float | None]:
        """What ``student`` was given for ``node``'s pass (forward: its arguments; backward:
        those and dL/d(its output)), as the chain has it now."""
        return next(
            x.received
            for x in self.result.links
            if x.node == node and x.student == student and x.direction == direction
        )

    def verdict(self, student: str, node: str, quantity: str, value: float) -> tuple[str, Text]:
        """``right``, ``carried`` (right for what was received) or ``wrong`` with the grader's
        diagnosis, never the right value."""
        model, truth = self.course.model, self.truth
        kind, arg = quantities(model, node)[quantity]
        received = self.received(student, node, "backward" if kind == "backward" else "forward")
        args = [np.array([_received(received, a)]) for a in model.node(node).args]
        value_of, local = rule(model.node(node), args)
        upstream = _received(received, f"d{model.loss}_d{node}")  # the chain's name for it
        if kind == "output":
            expected, true = value_of, truth.values[node]
        elif kind == "local":
            expected, true = local[arg or ""], truth.local[node][arg or ""]
        else:
            expected = local[arg or ""] * upstream
            true = truth.local[node][arg or ""] * truth.grad[node]
        got, tol = np.array([float(value)]), model.tolerance
        carried, right = close(got, expected, tol), close(got, true, tol)
        if carried:
            key = "teams.right" if right else "teams.right_for_values_received_earlier"
            return ("right" if right else "carried"), t(key)
        point = dict(zip(model.node(node).args, args))
        hint = _hint(self.course, node, kind, arg, got, point)
        if kind == "backward" and close(got, local[arg or ""], tol) and not close(upstream, 1, tol):
            hint = t("teams.upstream_factor_teammate_handed_on", up_name=f"d{model.loss}/d{node}")
        wrong = t("teams.not_right_for_values_this")
        return "wrong", t("teams.wrong_because", verdict=wrong, hint=hint) if hint else wrong


def _received(received: Mapping[str, float | None], name: str) -> float:
    value = received.get(name)
    return float("nan") if value is None else float(value)


def _hint(
    course: Course,
    node: str,
    kind: str,
    arg: str | None,
    got: np.ndarray,
    point: dict[str, np.ndarray],
) -> Text | None:
    """The grader's own diagnosis of a wrong output or local derivative (the course's function
    question for it: its known mistakes, then the usual slips), at what was received."""
    if kind == "output":
        q = forward_question(course, node)
    elif kind == "local" and arg is not None:
        q = local_function(course, node, arg)
    else:
        return None
    if q is None:
        return None
    finding = diagnose(q, got, point, False, course.model.tolerance)
    return finding.feedback if finding is not None else None
