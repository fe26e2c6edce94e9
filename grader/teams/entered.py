"""The volunteers' round as it happens in class: the numbers each volunteer entered, judged
link by link exactly as ``grade --teams`` judges their code (:class:`grader.teams.chain.Round`:
right given what they received, an error carried forward), at the round's one point.

A volunteer enters, for the node they own, its output (the quantity named like the node,
``S``) and, once dL/d(output) reached them, dL/d(each input) (``dL_dG``).  What is not
entered yet is ``missing``: the chain goes on with the reference's rule on what was received,
so the next volunteer is judged on their own numbers.  No code runs: numbers only.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from grader.course.questions import Course
from grader.sandbox import Outcome
from grader.teams.chain import Round
from grader.teams.result import TeamResult
from grader.teams.roster import Team
from reference.course.model import Model
from reference.i18n import t

#: (student, node, quantity) → the number they entered.
Entries = Mapping[tuple[str, str, str], float]


def backward_quantities(model: Model, node: str) -> dict[str, str]:
    """What a volunteer hands back for ``node``: dL/d(each of its arguments), by argument."""
    args = next(n.args for n in model.nodes if n.name == node)
    return {a: f"d{model.loss}_d{a}" for a in args}


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
    return Round(course, team, Entered(course.model, entries), at).result()
