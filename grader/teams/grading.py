"""``grade --teams``: the roster read against the course, each student's own share, and every
team's round: in this process for one team (a round is a few short runs), else in a pool of
grading workers, one sandbox each, the teams shared among them."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from grader.course.questions import Course
from grader.grading import in_worker, path_text, worker_pool
from grader.intake.identity import Identity
from grader.intake.submissions import read
from grader.sandbox import Budget, Sandbox, SandboxError
from grader.teams.chain import play
from grader.teams.own import own_share, with_links
from grader.teams.result import TeamResult
from grader.teams.roster import Roster, Team, load_team_roster


def load(path: Path, course: Course) -> Roster:
    return load_team_roster(path, course.model, [e.id for e in course.exercises])


def digest(course_digest: str, roster: Path) -> str:
    """The course's digest joined with the roster's bytes: what a resumed run compares."""
    h = hashlib.sha256(course_digest.encode())
    h.update(roster.read_bytes())
    return h.hexdigest()[:16]


def own(obj: dict[str, Any], roster: Roster) -> dict[str, Any]:
    """A student's line cut to what they own (unchanged for a student in no team)."""
    team = roster.team_of(obj["student"])
    return own_share(obj, team) if team is not None else obj


def play_all(
    course: Course,
    roster: Roster,
    paths: Iterable[Path],
    ids: dict[str, Identity],
    graded_from: dict[str, dict[str, str]],
    workers: int | None = None,
    spent: dict[str, float] | None = None,
) -> list[TeamResult]:
    """Every team's round, from each member's submission (the first one of their id), each
    exercise from the file its grade was given from (``graded_from``: a submission's path as
    its report names it → its report's ``routes``); ``workers`` at once (default: the cores),
    each with its own sandbox.  A member's code has what is left of their submission's time
    budget (``spent``: its path → the seconds its grading used), not a budget of its own.
    The results in the roster's order of teams."""
    modules = {e.id for e in course.exercises} | {n.name for n in course.model.nodes}
    path_of: dict[str, Path] = {}
    for p in paths:
        ident = ids.get(str(p))
        if ident is not None:
            path_of.setdefault(ident.student, p)
    used = {student: (spent or {}).get(path_text(str(p)), 0.0) for student, p in path_of.items()}
    jobs = [
        (
            team,
            {
                s: _as_graded(path_of[s], modules, ids, graded_from)
                for s in team.students
                if s in path_of
            },
            {s: used[s] for s in team.students if s in used},
        )
        for team in roster.teams
    ]  # a student is in one team (the roster says so)
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    if workers == 1:
        with Sandbox() as sandbox:
            return [
                play(course, team, files, sandbox, _left(course, spent_by))
                for team, files, spent_by in jobs
            ]
    from concurrent.futures.process import BrokenProcessPool

    try:
        with worker_pool(course, workers) as pool:
            return list(pool.map(_round_in_worker, jobs))
    except BrokenProcessPool as err:  # a worker died: the grader's failure, never a grade
        raise SandboxError(f"a worker of the teams' rounds died: {err}") from err


def _round_in_worker(
    job: tuple[Team, dict[str, dict[str, str]], dict[str, float]],
) -> TeamResult:
    """A team's round in a grading worker, with its course and sandbox."""
    course, sandbox = in_worker()
    team, files, spent_by = job
    return play(course, team, files, sandbox, _left(course, spent_by))


def _left(course: Course, spent_by: dict[str, float]) -> dict[str, Budget]:
    """Each member's time budget as their grading left it."""
    budgets = {}
    for student, seconds in spent_by.items():
        budgets[student] = budget = Budget(course.model.time_budget)
        budget.used = max(0.0, float(seconds))
    return budgets


def linking(results: list[TeamResult], lang: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """What gives a member's line the verdicts on the links they made (a line at a time)."""
    by_student = {s: r for r in results for owners in r.members.values() for s in owners}

    def link(obj: dict[str, Any]) -> dict[str, Any]:
        mine = by_student.get(obj.get("student", ""))
        return with_links(obj, mine, lang) if mine is not None else obj

    return link


def _as_graded(
    path: Path, modules: set[str], ids: dict[str, Identity], graded_from: dict[str, dict[str, str]]
) -> dict[str, str]:
    """A member's modules, each from the route their own grade used (a .py or a notebook)."""
    sub = read(path, modules, ids[str(path)])
    sub.follow(graded_from.get(path_text(path), {}))
    return sub.files
