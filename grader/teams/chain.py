"""A team's round, as in the lesson: forward through the teammates' own functions, then
backward from the loss owner's ``backward(…, 1)`` down to the parameters.

Each volunteer's code runs in the sandbox, like all student code, and is given exactly what
the teammates handed on.  Every link is checked in this process: carried forward against the
reference's rule applied to what the volunteer received (that decides their point) and
against the reference at the true values.  A node nobody owns, or a volunteer whose code does
not answer, is stood in for by the reference's rule on what was received, so the chain goes
on and the next volunteer is judged on their own work.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from grader.course.questions import Course
from grader.sandbox import Budget, Outcome, Request, Sandbox
from grader.scoring.diagnose import close
from grader.teams.result import Link, TeamResult
from grader.teams.roster import Team
from reference.course.model import Model, Node
from reference.course.sampling import rng_for
from reference.i18n import Text, t
from reference.table import NUMERIC

Arrays = dict[str, np.ndarray]


def points(model: Model, team: str) -> Arrays:
    """The team's random points: seeded by the course and the team's name (reproducible)."""
    return model.sample(rng_for(model.seed, f"team:{team}", "chain"), model.points)


def rule(node: Node, args: list[np.ndarray]) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The reference's value and local derivatives of ``node`` at the values it received."""
    with np.errstate(all="ignore"):
        slots = node.tape.forward(NUMERIC, args)
        value = np.broadcast_to(np.asarray(slots[node.tape.output], float), args[0].shape)
        local = node.tape.backward(NUMERIC, slots)
        return value, {
            a: np.broadcast_to(np.asarray(d, float), args[0].shape)
            for a, d in zip(node.args, local)
        }


def _first(values: Mapping[str, np.ndarray]) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for k, v in values.items():
        x = float(np.asarray(v, float).reshape(-1)[0])
        out[k] = x if np.isfinite(x) else None
    return out


#: Who answers for a volunteer: (student, module, function, rows of arguments, what is
#: expected: "number" or "numbers") → one outcome a row.  Their code in the sandbox for
#: ``grade --teams`` (:class:`InSandbox`); the numbers they entered for a live round.
Ask = Callable[[str, str, str, list[tuple[float, ...]], str], list[Outcome]]


class InSandbox:
    """A volunteer's answers are their code's, run in the sandbox within their budget."""

    def __init__(
        self,
        model: Model,
        files: Mapping[str, Mapping[str, str]],
        sandbox: Sandbox,
        budgets: dict[str, Budget],
    ) -> None:
        self.model, self.files, self.sandbox, self.budgets = model, files, sandbox, budgets

    def __call__(
        self, student: str, module: str, name: str, rows: list[tuple[float, ...]], expect: str
    ) -> list[Outcome]:
        budget = self.budgets.setdefault(student, Budget(self.model.time_budget))
        reqs = [Request(module, name, tuple(float(x) for x in row), expect) for row in rows]
        return self.sandbox.run(dict(self.files.get(student, {})), reqs, budget)


class Round:
    """One team's round: what its volunteers answer (``ask``) at the team's points and the
    links they make, each judged on what the volunteer received."""

    def __init__(self, course: Course, team: Team, ask: Ask, point: Arrays | None = None) -> None:
        self.model = course.model
        self.team = team
        self._run = ask
        self.point = point if point is not None else points(self.model, team.name)
        self.n = len(next(iter(self.point.values())))
        self.truth = self.model.trace(self.point)
        self.links: list[Link] = []

    # -- the two passes

    def forward(self) -> Arrays:
        values: Arrays = {k: np.asarray(v, float) for k, v in self.point.items()}
        for node in self.model.nodes:
            args = [values[a] for a in node.args]
            expected, _ = rule(node, args)
            received = _first({a: values[a] for a in node.args})
            rows = list(zip(*args))
            handed_on = expected
            owners = self.team.owners(node.name)
            for k, student in enumerate(owners):
                got = self._run(student, node.name, node.name, rows, "number")
                status, value, note = self._judge_forward(node, got, expected)
                if k == 0 and value is not None:
                    handed_on = value
                shown = {node.name: value} if value is not None else {}
                self.links.append(
                    Link(
                        node.name,
                        "forward",
                        student,
                        status,
                        received,
                        _first(shown),
                        note,
                        k == 0,
                    )
                )
            if not owners:
                self.links.append(self._stand_in(node, "forward", received, {node.name: expected}))
            values[node.name] = handed_on
        return values

    def backward(self, values: Arrays) -> Arrays:
        model = self.model
        grads: Arrays = {name: np.zeros(self.n) for name in model.names}
        grads[model.loss] = np.ones(self.n)
        for node in reversed(model.nodes):
            args = [values[a] for a in node.args]
            upstream = grads[node.name]
            _, local = rule(node, args)
            expected = {a: local[a] * upstream for a in node.args}
            truth = {
                a: np.asarray(self.truth.local[node.name][a] * self.truth.grad[node.name], float)
                for a in node.args
            }
            up_name = f"d{model.loss}_d{node.name}"
            received = _first({**{a: values[a] for a in node.args}, up_name: upstream})
            rows = [(*row, u) for row, u in zip(zip(*args), upstream)]
            handed_on = expected
            owners = self.team.owners(node.name)
            for k, student in enumerate(owners):
                got = self._run(student, node.name, "backward", rows, "numbers")
                status, value, note = self._judge_backward(
                    node, got, expected, truth, local, upstream, up_name
                )
                if k == 0 and value is not None:
                    handed_on = value
                self.links.append(
                    Link(
                        node.name,
                        "backward",
                        student,
                        status,
                        received,
                        _first({f"d{model.loss}_d{a}": v for a, v in (value or {}).items()}),
                        note,
                        k == 0,
                    )
                )
            if not owners:
                handed = {f"d{model.loss}_d{a}": v for a, v in expected.items()}
                self.links.append(self._stand_in(node, "backward", received, handed))
            for a in node.args:
                grads[a] = grads[a] + handed_on[a]
        return grads

    # -- judging one link

    def _failed(self, got: list[Outcome]) -> Outcome | None:
        return next((o for o in got if o.status != "ok"), None)

    def _judge_forward(
        self, node: Node, got: list[Outcome], expected: np.ndarray
    ) -> tuple[str, np.ndarray | None, Text]:
        bad = self._failed(got)
        if bad is not None:
            return bad.status, None, _did_not_answer(f"{node.name}.py: {node.name}", bad)
        value = np.array([o.value for o in got], float)
        truth = np.asarray(self.truth.values[node.name], float)
        status, note = _verdict(
            close(value, expected, self.model.tolerance),
            close(value, truth, self.model.tolerance),
        )
        return status, value, note

    def _judge_backward(
        self,
        node: Node,
        got: list[Outcome],
        expected: Arrays,
        truth: Arrays,
        local: Arrays,
        upstream: np.ndarray,
        up_name: str,
    ) -> tuple[str, Arrays | None, Text]:
        bad = self._failed(got)
        if bad is not None:
            return bad.status, None, _did_not_answer(f"{node.name}.py: backward", bad)
        keys = set(node.args)
        for o in got:
            if not isinstance(o.value, dict) or set(o.value) != keys:
                shown = sorted(o.value) if isinstance(o.value, dict) else type(o.value).__name__
                return (
                    "wrong",
                    None,
                    t("teams.backward_must_return_dict_with", sorted=sorted(keys), shown=shown),
                )
        value = {a: np.array([_at(o.value, a) for o in got], float) for a in node.args}
        tol = self.model.tolerance
        carried = all(close(value[a], expected[a], tol) for a in node.args)
        right = all(close(value[a], truth[a], tol) for a in node.args)
        status, note = _verdict(carried, right)
        if not carried:
            ignored = all(close(value[a], local[a], tol) for a in node.args)
            if ignored and not close(upstream, 1.0, tol):
                note = t("teams.upstream_factor_teammate_handed_on", up_name=up_name)
        return status, value, note

    def _stand_in(
        self, node: Node, direction: str, received: dict, handed: Mapping[str, np.ndarray]
    ) -> Link:
        return Link(
            node.name,
            direction,
            None,
            "reference",
            received,
            _first(handed),
            t("teams.nobody_team_owns_reference_stands", name=node.name),
        )

    def result(self) -> TeamResult:
        values = self.forward()
        grads = self.backward(values)
        model, tol = self.model, self.model.tolerance
        gradient, step = {}, {}
        # The team's gradient is right only if the team made it: beside a broken link of the
        # chain (the first broken, TeamResult.first_broken) it never reads as correct, even
        # where the reference's number stood in for it.
        grad_ok = step_ok = not any(link.broken and link.hands_on for link in self.links)
        for p in model.parameters:
            mine, truth = grads[p], np.asarray(self.truth.grad[p], float)
            w = np.asarray(self.point[p], float)
            new_mine = w - model.learning_rate * mine
            new_truth = w - model.learning_rate * truth
            grad_ok = grad_ok and close(mine, truth, tol)
            step_ok = step_ok and close(new_mine, new_truth, tol)
            gradient[p] = _first({"team": mine, "reference": truth})
            step[p] = _first({"team": new_mine, "reference": new_truth})
        nodes = [n.name for n in model.nodes]
        members: dict[str, list[str]] = {}
        for m in self.team.members:
            members.setdefault(m.node, []).append(m.student)
        order = {name: k for k, name in enumerate(nodes)}
        members = dict(sorted(members.items(), key=lambda kv: order.get(kv[0], len(order))))
        return TeamResult(
            self.team.name,
            members,
            nodes,
            self.links,
            gradient,
            grad_ok,
            step,
            step_ok,
            [n for n in nodes if not self.team.owners(n)],
        )


def _at(value: object, key: str) -> float:
    assert isinstance(value, dict)  # checked by the caller: a dict of numbers
    return float(value[key])


def _verdict(carried: bool, right: bool) -> tuple[str, Text]:
    if carried and right:
        return "right", t("teams.right")
    if carried:
        return (
            "carried",
            t("teams.right_for_values_received_earlier"),
        )
    return (
        "wrong",
        t("teams.not_right_for_values_this"),
    )


def _did_not_answer(what: str, bad: Outcome) -> Text:
    msg = bad.message
    return t("teams.did_not_answer", what=what, status=bad.status, message=msg)


def play(
    course: Course,
    team: Team,
    files: Mapping[str, Mapping[str, str]],
    sandbox: Sandbox,
    budgets: dict[str, Budget] | None = None,
) -> TeamResult:
    """``team``'s round; ``files``: student → their modules' sources (as graded).  Raises
    SandboxError only when the sandbox itself fails (the grader's failure, exit 1)."""
    ask = InSandbox(course.model, files, sandbox, budgets if budgets is not None else {})
    return Round(course, team, ask).result()
