"""A team's round starts in the grading workers as soon as its members are graded, while the
rest of the class is still being graded (issue 28), and changes nothing a teacher reads.

The real ``grade`` command, with ``BACKPROP_TIMELINE`` (grader.grading.timeline) noting when
each submission was graded and each round started, in which process.  Every expected value
comes from the course or from another run, never typed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest
from conftest import LESSON, command
from test_teams import TEAM, roster, solution

from grader.course.loader import load_course
from grader.course.questions import Course
from grader.grading import TIMELINE, Done, Report, Workers, path_text
from grader.intake.identity import Identity
from grader.sandbox import SandboxError
from grader.teams import grading as team_mode
from grader.teams.grading import Rounds

#: Slow where grading calls it (dS_dG, 40 calls: 2.4 s of its 60 s budget), never where the
#: round does (S, backward).
SLOW = ("S.py", "def dS_dG(G):\n", "def dS_dG(G):\n    import time; time.sleep(0.06)\n")


@pytest.fixture(scope="module")
def course() -> Course:
    return load_course(LESSON / "course.yml")


@pytest.fixture(scope="module")
def two_teams(tmp_path_factory, course) -> tuple[Path, Path]:
    """Red, whose six are graded first, all fast; blue, whose S owner is slow to grade."""
    made = tmp_path_factory.mktemp("class")
    rows = []
    for team in ("red", "blue"):
        for student, node in TEAM.items():
            name = f"{team}_{student}"
            solution(made, course, name, [SLOW] if name == "blue_eve" else [])
            rows.append((team, name, node))
    return made, roster(made, rows)


def grade(made: Path, teams: Path, run: Path, *how: str) -> tuple[dict, str, list[dict]]:
    """``grade --teams`` on the class (``how``: --workers N or --scheduler ADDR): its JSON
    lines (how long each one's code ran left out), the gradebook and the terminal as text,
    and the timeline."""
    run.mkdir()
    folders = sorted(p for p in made.iterdir() if p.is_dir())
    env = {**os.environ, TIMELINE: str(run / "timeline.jsonl"), "COLUMNS": "200"}
    r = subprocess.run(
        command("grade", "--teams", teams, *folders, "--json", run / "g.jsonl", "--csv",
                run / "g.csv", *how, "--lang", "en", "--course", LESSON),
        capture_output=True, text=True, timeout=300, env=env,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    lines = [json.loads(line) for line in (run / "g.jsonl").read_text().splitlines()]
    for o in lines:
        o.pop("sandbox_seconds", None)  # a team line has none
    events = [json.loads(e) for e in (run / "timeline.jsonl").read_text().splitlines()]
    return {"lines": lines, "csv": (run / "g.csv").read_text()}, r.stdout, events


def when(events: list[dict], event: str, name: str) -> float:
    (found,) = [e["time"] for e in events if e["event"] == event and e["name"].endswith(name)]
    return found


def test_a_teams_round_starts_while_the_class_is_still_being_graded(tmp_path, two_teams):
    """In two workers, red's round starts before blue's slow S owner is graded, in a grading
    worker; blue's round waits for its last member."""
    made, teams = two_teams
    _, _, events = grade(made, teams, tmp_path / "two", "--workers", "2")
    slow_graded = when(events, "graded", "/blue_eve")
    assert slow_graded == max(e["time"] for e in events if e["event"] == "graded")
    assert when(events, "round", "red") < slow_graded  # the overlap
    graders = {e["pid"] for e in events if e["event"] == "graded"}
    assert {e["pid"] for e in events if e["event"] == "round"} <= graders  # the same workers
    blue = [when(events, "graded", f"/blue_{s}") for s in TEAM]
    assert when(events, "round", "blue") > max(blue)  # never before its members are graded


def test_overlapping_rounds_change_nothing_a_teacher_reads(tmp_path, two_teams):
    """The twin: in one process (grading, then each round once its team is graded, one
    after another) the JSON lines, the gradebook and the terminal are the same as in two
    workers; and red's round there came before blue's slow student was even started."""
    made, teams = two_teams
    two, printed_two, _ = grade(made, teams, tmp_path / "two", "--workers", "2")
    one, printed_one, events = grade(made, teams, tmp_path / "one", "--workers", "1")
    assert one == two and printed_one == printed_two
    assert [o["team"] for o in one["lines"] if o.get("kind") == "team"] == ["red", "blue"]
    assert when(events, "round", "red") < when(events, "grading", "/blue_eve")
    assert {e["pid"] for e in events} == {events[0]["pid"]}  # one process: grade's own


def test_a_resumed_run_plays_rounds_from_kept_and_regraded_members(tmp_path, course):
    """A --json file resumed after one member's file changed: red's round, ready as soon as
    that member is graded again, runs the kept members' code as they were graded; every line
    is a fresh run's.  Blue, all kept, is ready before anything is graded."""
    made = tmp_path / "class"
    made.mkdir()
    rows = [(team, f"{team}_{s}", node) for team in ("red", "blue") for s, node in TEAM.items()]
    for _, name, _ in rows:
        solution(made, course, name)
    teams = roster(tmp_path, rows)
    first, _, _ = grade(made, teams, tmp_path / "first", "--workers", "2")
    wrong = (made / "red_ann" / "A.py").read_text().replace("return w1*x1\n", "return w1+x1\n")
    (made / "red_ann" / "A.py").write_text(wrong)
    shutil.copy(tmp_path / "first" / "g.jsonl", tmp_path / "resumed.jsonl")
    again, _, _ = grade(made, teams, tmp_path / "again", "--workers", "2")
    fresh = {o.get("team") or o["student"]: o for o in again["lines"]}
    assert fresh["red"]["first_broken"] == "A" and fresh["blue"]["first_broken"] is None
    assert fresh != {o.get("team") or o["student"]: o for o in first["lines"]}
    log = tmp_path / "timeline.jsonl"
    r = subprocess.run(
        command("grade", "--teams", teams, *sorted(made.iterdir()), "--json",
                tmp_path / "resumed.jsonl", "--workers", "2", "--lang", "en", "--course", LESSON),
        capture_output=True, text=True, timeout=300, env={**os.environ, TIMELINE: str(log)},
    )  # fmt: skip
    assert r.returncode == 0 and "11 unchanged" in r.stderr, r.stderr
    resumed = [json.loads(line) for line in (tmp_path / "resumed.jsonl").read_text().splitlines()]
    for o in resumed:
        o.pop("sandbox_seconds", None)
    assert resumed == again["lines"]
    events = [json.loads(e) for e in log.read_text().splitlines()]
    assert [e["name"] for e in events if e["event"] == "graded"] == [path_text(made / "red_ann")]
    assert when(events, "round", "blue") < when(events, "graded", "/red_ann")


@pytest.mark.slow
def test_on_a_cluster_the_rounds_are_played_after_grading_with_the_same_lines(tmp_path, two_teams):
    """``--scheduler``: the cluster grades, the rounds are played here once it is done (its
    workers take batches only): the same lines, gradebook and terminal as two local workers.
    (Before, the workers were sent the digest with the roster's bytes in it as the grader's
    fingerprint to match: with --teams every submission was the grader's failure.)"""
    distributed = pytest.importorskip("distributed")
    made, teams = two_teams
    local, printed, _ = grade(made, teams, tmp_path / "local", "--workers", "2")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        there, printed_there, events = grade(
            made, teams, tmp_path / "dask", "--scheduler", cluster.scheduler_address
        )
    assert there == local and printed_there == printed
    assert {e["event"] for e in events} == {"round", "played"}  # here, after the cluster


def boom(message: str) -> str:
    """A task that fails in a worker (the sandbox could not run, say)."""
    raise SandboxError(message)


@pytest.mark.parametrize("workers", [1, 2])
def test_a_task_that_fails_in_a_worker_ends_alone(tmp_path, course, workers):
    """A failing task given to the grading workers comes back as its Done with its error;
    the submission given with it is graded as ever."""
    folder = solution(tmp_path, course, "ann")
    pool = Workers(course, [folder], workers, tasks=2)
    pool.also("bad", boom, "no sandbox")
    got = list(pool)
    (done,) = [x for x in got if isinstance(x, Done)]
    assert done.tag == "bad" and isinstance(done.error, SandboxError)
    (report,) = [x for x in got if isinstance(x, Report)]
    assert not report.failure and report.score == report.max_score


@pytest.mark.parametrize(
    "error", [SandboxError("the sandbox cannot start"), BrokenProcessPool("killed")]
)
def test_a_round_that_could_not_run_is_the_graders_failure(tmp_path, course, error):
    """A round that raised, or whose worker died, makes the run's results a SandboxError
    (grade exits 1, nothing written), never a result with a zero; its twin ended well."""
    folder = solution(tmp_path, course, "ann")
    rows = roster(tmp_path, [("red", "ann", "A")])
    ids = {str(folder): Identity("ann", "name")}
    rounds = Rounds(course, team_mode.load(rows, course), [folder], ids, [path_text(folder)])
    (job,) = rounds.settle(path_text(folder), None)
    assert job.members["ann"][0] == str(folder) and job.spent == {"ann": 0.0}
    rounds.finished(Done("red", error=error))
    with pytest.raises(SandboxError):
        rounds.results()
    twin = Rounds(course, team_mode.load(rows, course), [folder], ids, [path_text(folder)])
    twin.settle(path_text(folder), None)
    twin.finished(Done("red", "the result"))
    assert twin.results() == ["the result"]
