"""A team's graded chain as plain data: what the JSON line, the terminal and an HTML page draw.

A *link* is one volunteer's step in one pass: ``forward`` (their function's value from the
values they received) or ``backward`` (dL/d(each argument) from the upstream they received).
Each is judged twice: carried forward (right given what the student received: this decides
the points, so nobody loses any for a teammate's mistake) and against the reference (right at
the true values: tells the teacher where the team's numbers went off).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reference.i18n import Text, pick, t
from reference.statuses import STATUS

#: A link's status: ``right`` (given what it received and against the reference), ``carried``
#: (right given what it received; the reference differs because an earlier link was wrong),
#: ``wrong``, ``error`` / ``timeout`` / ``missing`` (the student's code did not answer), and
#: ``reference`` (nobody owns the node: the reference stands in for the volunteer).
STATUSES = ("right", "carried", "wrong", "error", "timeout", "missing", "reference")
BROKEN = ("wrong", "error", "timeout", "missing")
#: Each link status in words, worded once for the terminal's chain and a team's page; a code
#: that is also a question's status is worded as that status is.
LINK_WORDS: dict[str, Text] = {
    "right": t("teams.link_right"),
    "carried": t("teams.link_carried"),
    "wrong": t("teams.link_wrong"),
    **{code: STATUS[code][1] for code in ("error", "timeout", "missing")},
    "reference": t("teams.reference"),
}


@dataclass
class Link:
    node: str
    direction: str  # "forward" or "backward"
    student: str | None  # None: nobody owns the node, the reference stands in
    status: str
    received: dict[str, float | None]  # at the first point: what the volunteer was given
    handed: dict[str, float | None]  # … and what they handed on (forward: {node: value})
    feedback: Text
    hands_on: bool = True  # the value the team went on with (the first owner's)

    @property
    def broken(self) -> bool:
        return self.status in BROKEN

    @property
    def fallback(self) -> bool:
        return self.student is None

    @property
    def max_score(self) -> float:
        return 0.0 if self.fallback else 1.0

    @property
    def score(self) -> float:
        return 1.0 if self.status in ("right", "carried") else 0.0

    @property
    def reference_ok(self) -> bool:
        return self.status in ("right", "reference")

    def as_json(self, lang: str) -> dict[str, Any]:
        return {
            "node": self.node,
            "direction": self.direction,
            "student": self.student,
            "fallback": self.fallback,
            "status": self.status,
            "carried_ok": self.status in ("right", "carried", "reference"),
            "reference_ok": self.reference_ok,
            "score": self.score,
            "max_score": self.max_score,
            "received": self.received,
            "handed": self.handed,
            "hands_on": self.hands_on,
            "feedback": pick(self.feedback, lang),
        }


@dataclass
class TeamResult:
    """One team's round: its members, every link in chain order, the gradient and the step."""

    team: str
    members: dict[str, list[str]]  # node → its owners (the roster's order); extras included
    nodes: list[str]  # the model's nodes, in forward order
    links: list[Link]
    gradient: dict[str, dict[str, float | None]]  # parameter → {"team", "reference"} (point 1)
    gradient_correct: bool
    step: dict[str, dict[str, float | None]]  # parameter → {"team", "reference"} new values
    step_correct: bool
    fallback: list[str] = field(default_factory=list)  # nodes nobody owns

    @property
    def first_broken(self) -> Link | None:
        """The first broken link of the chain the team went on with (a node's first owner's:
        a second owner's mistake costs them their point but does not break the chain)."""
        return next((link for link in self.links if link.broken and link.hands_on), None)

    @property
    def score(self) -> float:
        return sum(link.score for link in self.links)

    @property
    def max_score(self) -> float:
        return sum(link.max_score for link in self.links)

    def links_of(self, student: str) -> list[Link]:
        return [link for link in self.links if link.student == student]

    def as_json(self, lang: str) -> dict[str, Any]:
        """The team's JSON line (DESIGN.md's contract: kind, team, members {node: student},
        gradient_correct, first_broken, score, max_score, links)."""
        first = self.first_broken
        return {
            "kind": "team",
            "team": self.team,
            "members": {
                node: owners[0] if len(owners) == 1 else owners
                for node, owners in self.members.items()
            },
            "fallback": self.fallback,
            "gradient_correct": self.gradient_correct,
            "step_correct": self.step_correct,
            "first_broken": first.node if first else None,
            "first_broken_direction": first.direction if first else None,
            "score": self.score,
            "max_score": self.max_score,
            "gradient": self.gradient,
            "step": self.step,
            "links": [link.as_json(lang) for link in self.links],
        }
