"""The volunteers' roster: CSV ``team,student,node``, checked against the model and the class.

A row gives a student one node of the model to own (several students may share a node) or
one of the course's other exercises (``prep``, ``chain``, ``step``) to be graded on.  Every
mistake is a :class:`TeamError` at ``file:line``, found before anything is graded.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from grader.intake.csv_file import read_rows
from grader.intake.identity import clean_id
from reference.course.model import Model
from reference.i18n import BilingualError, Problem, did_you_mean, t

HEADER = ("team", "student", "node")


class TeamError(BilingualError):
    """A roster that cannot be used: a usage error (exit 2), as ``file:line: message``."""


@dataclass(frozen=True)
class Member:
    """One row of the roster: ``student`` owns ``node`` (a node or an extra exercise)."""

    team: str
    student: str
    node: str
    line: int


@dataclass(frozen=True)
class Team:
    name: str
    members: tuple[Member, ...]

    @property
    def students(self) -> list[str]:
        return list(dict.fromkeys(m.student for m in self.members))

    def owners(self, node: str) -> list[str]:
        """Who owns ``node``, in roster order: the first hands its values on in the chain."""
        return [m.student for m in self.members if m.node == node]

    def owned(self, student: str) -> set[str]:
        """The nodes and exercises ``student`` is graded on."""
        return {m.node for m in self.members if m.student == student}


@dataclass(frozen=True)
class Roster:
    path: str
    teams: tuple[Team, ...]

    def team_of(self, student: str) -> Team | None:
        return next((tm for tm in self.teams if student in tm.students), None)

    def members(self) -> Iterable[Member]:
        for tm in self.teams:
            yield from tm.members


def load_team_roster(path: Path, model: Model, exercises: Iterable[str]) -> Roster:
    """The roster at ``path``; every row's node must be a node of ``model`` or one of the
    course's ``exercises``; a student belongs to one team.  Else TeamError (all problems)."""
    where = str(path)
    rows, problems = read_rows(path, HEADER, t("teams.team_roster"))
    nodes = [n.name for n in model.nodes]
    allowed = [*nodes, *(e for e in exercises if e not in nodes)]
    members: list[Member] = []
    team_of: dict[str, str] = {}
    for row in rows:
        line = row.line
        team, student, node = clean_id(row.cells[0]), clean_id(row.cells[1]), row.cells[2]
        if node not in allowed:
            hint = did_you_mean(node, allowed)
            problems.append(
                Problem(
                    where,
                    line,
                    t(
                        "teams.unknown_node_model_nodes_other",
                        clean_id=clean_id(node),
                        hint=hint,
                        nodes=", ".join(nodes),
                        others=", ".join(allowed[len(nodes) :]) or "—",
                    ),
                )
            )
            continue
        if team_of.setdefault(student, team) != team:
            problems.append(
                Problem(
                    where,
                    line,
                    t("teams.already_team", student=student, team=team_of[student]),
                )
            )
            continue
        if any(m.student == student and m.node == node for m in members):
            problems.append(
                Problem(
                    where,
                    line,
                    t("teams.listed_twice", student=student, node=node),
                )
            )
            continue
        members.append(Member(team, student, node, line))
    if not members and not problems:
        problems.append(Problem(where, None, t("teams.roster_lists_no_one")))
    if problems:
        raise TeamError(problems)
    names = list(dict.fromkeys(m.team for m in members))
    teams = tuple(Team(n, tuple(m for m in members if m.team == n)) for n in names)
    return Roster(where, teams)


def check_students(roster: Roster, students: Iterable[str]) -> None:
    """TeamError at each row naming a student with no submission among those graded."""
    known = list(dict.fromkeys(students))
    problems = []
    for m in roster.members():
        if m.student not in known:
            hint = did_you_mean(m.student, known)
            problems.append(
                Problem(
                    roster.path,
                    m.line,
                    t("teams.unknown_student_no_submission_that", student=m.student, hint=hint),
                )
            )
    if problems:
        raise TeamError(problems)
