"""``grade --teams``: the roster read against the course, each student's own share, and every
team's round, played by the grading workers (:class:`grader.grading.Workers`) as soon as its
members are graded, while the rest of the class is (:class:`Rounds`)."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader.course.questions import Course
from grader.grading import Done, Workers, in_worker, path_text, timeline
from grader.intake.identity import Identity
from grader.intake.submissions import read
from grader.sandbox import Budget, SandboxError
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


#: A member of a team's round as a worker reads them: their submission's path, whose it is,
#: and the file each exercise was graded from (its report's ``routes``).
Member = tuple[str, Identity, dict[str, str]]


@dataclass(frozen=True)
class Job:
    """One team's round as a grading worker plays it: each member's submission, and the
    seconds of its time budget its grading used (the round has what is left)."""

    team: Team
    members: dict[str, Member]
    spent: dict[str, float]


class Rounds:
    """The teams' rounds of one run: which can start, and what they found.  A round runs
    what each member's grading decided (the file each exercise was graded from) within what
    it left of their budget, so it is ready the moment its last member's report is in, while
    the rest of the class is still being graded (:func:`give`)."""

    def __init__(
        self,
        course: Course,
        roster: Roster,
        paths: Iterable[Path],
        ids: dict[str, Identity],
        grading: Iterable[str] = (),
    ) -> None:
        """A member's round runs their first submission in ``paths``; ``grading``: the
        submissions (as their reports name them) whose reports are still to come."""
        self.course, self.roster, self.ids = course, roster, ids
        self.team_of = {s: team for team in roster.teams for s in team.students}
        self.key_of: dict[str, str] = {}  # a member → their submission, as reports name it
        self.member: dict[str, tuple[str, Path]] = {}  # that submission → (member, its path)
        for p in paths:
            ident = ids.get(str(p))
            if ident is not None and ident.student in self.team_of:
                key = self.key_of.setdefault(ident.student, path_text(str(p)))
                self.member.setdefault(key, (ident.student, p))
        self.grading = set(grading) & set(self.member)
        self.heard: dict[str, tuple[dict[str, str], float]] = {}  # submission → routes, time
        self.waiting = {t.name: {s for s in t.students if s in self.key_of} for t in roster.teams}
        self.played: dict[str, TeamResult] = {}
        self.error: BaseException | None = None

    def start(self, line_of: Callable[[str], dict[str, Any] | None]) -> list[Job]:
        """The rounds ready before grading: members not graded again (kept from an earlier
        run) are settled from their lines (``line_of``: None for a submission without one)."""
        jobs = [self._job(t) for t in self.roster.teams if not self.waiting[t.name]]
        for key in self.member:
            if key not in self.grading:
                jobs += self.settle(key, line_of(key))
        return jobs

    def settle(self, key: str, line: dict[str, Any] | None) -> list[Job]:
        """Submission ``key``'s report line (None: the grader failed on it, so its code runs
        as read, within a whole budget): the round it completes, if it does."""
        if key not in self.member or key in self.heard:
            return []
        self.heard[key] = (dict((line or {}).get("routes") or {}), seconds(line))
        student = self.member[key][0]
        team = self.team_of[student]
        waiting = self.waiting[team.name]
        if student not in waiting:
            return []
        waiting.discard(student)
        return [] if waiting else [self._job(team)]

    def _job(self, team: Team) -> Job:
        members: dict[str, Member] = {}
        spent: dict[str, float] = {}
        for student in team.students:
            key = self.key_of.get(student)
            if key is not None:
                routes, spent[student] = self.heard[key]
                path = str(self.member[key][1])
                members[student] = (path, self.ids[path], routes)
        return Job(team, members, spent)

    def finished(self, done: Done) -> None:
        """A round's end (:class:`grader.grading.Done`): its result, or why it could not run."""
        if done.error is not None:
            if self.error is None:  # the first: what the teacher is told
                self.error = done.error
        else:
            self.played[done.tag] = done.value

    def results(self) -> list[TeamResult]:
        """Every team's result, in the roster's order.  Raises SandboxError when a round
        could not run (the sandbox failed, a worker died): the grader's failure, exit 1."""
        from concurrent.futures import BrokenExecutor

        if isinstance(self.error, BrokenExecutor):
            raise SandboxError(f"a worker of the teams' rounds died: {self.error}") from self.error
        if self.error is not None:
            raise self.error
        missing = [t.name for t in self.roster.teams if t.name not in self.played]
        if missing:
            raise RuntimeError(f"the rounds of {missing} were never played")
        return [self.played[t.name] for t in self.roster.teams]


def seconds(line: dict[str, Any] | None) -> float:
    """A line's ``sandbox_seconds`` (0 with no line, an older line without it, or a value that
    is not a finite number)."""
    value = (line or {}).get("sandbox_seconds")
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return 0.0


def by_team(paths: list[Path], ids: dict[str, Identity], roster: Roster) -> list[Path]:
    """``paths`` with each team's members together, the teams in the roster's order, students
    in no team last: the first teams' rounds start while the rest of the class is graded."""
    rank = {s: k for k, team in enumerate(roster.teams) for s in team.students}

    def team_of(path: Path) -> int:
        ident = ids.get(str(path))
        return rank.get(ident.student, len(rank)) if ident is not None else len(rank)

    return sorted(paths, key=team_of)


def give(workers: Workers, jobs: Iterable[Job]) -> None:
    """Each round to the grading workers, ahead of the batches they have not started."""
    for job in jobs:
        workers.also(job.team.name, play_job, job)


def play_job(job: Job) -> TeamResult:
    """A team's round in a grading worker (or this process), with its course and sandbox:
    each member's code read as it was graded, within what grading left of their budget."""
    course, sandbox = in_worker()
    timeline("round", job.team.name)
    modules = {e.id for e in course.exercises} | {n.name for n in course.model.nodes}
    files = {
        student: _as_graded(Path(path), modules, ident, routes)
        for student, (path, ident, routes) in job.members.items()
    }
    result = play(course, job.team, files, sandbox, _left(course, job.spent))
    timeline("played", job.team.name)
    return result


def play_all(rounds: Rounds, jobs: list[Job], workers: int | None = None) -> list[TeamResult]:
    """``jobs`` (every round at once) in a pool of grading workers of their own, after the
    class was graded elsewhere (a Dask cluster): ``workers`` at once (default: the cores),
    one in this process for one team.  The results in the roster's order (Rounds.results)."""
    pool = Workers(rounds.course, [], workers, tasks=len(jobs))
    give(pool, jobs)
    for done in pool:
        if isinstance(done, Done):
            rounds.finished(done)
    return rounds.results()


def _left(course: Course, spent_by: dict[str, float]) -> dict[str, Budget]:
    """Each member's time budget as their grading left it."""
    budgets = {}
    for student, spent in spent_by.items():
        budgets[student] = budget = Budget(course.model.time_budget)
        budget.used = max(0.0, float(spent))
    return budgets


def linking(results: list[TeamResult], lang: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """What gives a member's line the verdicts on the links they made (a line at a time)."""
    by_student = {s: r for r in results for owners in r.members.values() for s in owners}

    def link(obj: dict[str, Any]) -> dict[str, Any]:
        mine = by_student.get(obj.get("student", ""))
        return with_links(obj, mine, lang) if mine is not None else obj

    return link


def _as_graded(
    path: Path, modules: set[str], ident: Identity, routes: dict[str, str]
) -> dict[str, str]:
    """A member's modules, each from the route their own grade used (a .py or a notebook)."""
    sub = read(path, modules, ident)
    sub.follow(routes)
    return sub.files
