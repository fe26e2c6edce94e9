"""The live round's judge (grader/teams/entered.py) is ``grade --teams``'s: numbers a team's
volunteers enter are judged link by link as their code would be at the same point, an error
carried forward.  The twin of every check: the same team's code, played in the sandbox at
that point, hands on exactly the numbers entered here, and gets the same verdicts."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import LESSON

from grader.course.loader import load_course
from grader.course.questions import Course
from grader.sandbox import Sandbox
from grader.teams.chain import InSandbox, Round
from grader.teams.entered import backward_quantities, judge
from grader.teams.roster import Member, Team
from publish.stubs import stubs

TEAM = {"ann": "A", "bob": "B", "cat": "C", "dan": "G", "eve": "S", "fay": "L"}
POINT = {"x1": 1.0, "x2": 2.0, "x3": 3.0, "w1": 0.1, "w2": 0.2, "w3": 0.3, "gold": 1.0}


@pytest.fixture(scope="module")
def course() -> Course:
    return load_course(LESSON / "course.yml")


def team() -> Team:
    return Team("red", tuple(Member("red", s, n, i) for i, (s, n) in enumerate(TEAM.items(), 2)))


def played(course: Course, edits: dict[str, tuple[str, str, str]]):
    """The team's code (the reference's solutions, ``edits`` applied) played in the sandbox at
    POINT: the round, and the numbers each volunteer's code handed on."""
    import numpy as np

    files = {}
    for student in TEAM:
        mine = dict(stubs(course, "en", solution=True, student=student))
        if student in edits:
            name, old, new = edits[student]
            mine[name] = mine[name].replace(old, new)
        files[student] = {Path(n).stem: text for n, text in mine.items()}
    at = {k: np.array([v]) for k, v in POINT.items()}
    with Sandbox() as sandbox:
        result = Round(course, team(), InSandbox(course.model, files, sandbox, {}), at).result()
    entries = {}
    for link in result.links:
        if link.student is None:
            continue
        if link.direction == "forward":
            entries[link.student, link.node, link.node] = link.handed[link.node]
        else:
            for arg, quantity in backward_quantities(course.model, link.node).items():
                entries[link.student, link.node, quantity] = link.handed[f"dL_d{arg}"]
    return result, entries


def verdicts(result) -> list[tuple[str, str, str | None, str]]:
    return [(x.node, x.direction, x.student, x.status) for x in result.links]


def test_a_team_that_enters_the_reference_is_right_everywhere(course):
    code, entries = played(course, {})
    live = judge(course, team(), POINT, entries)
    assert {x.status for x in live.links} == {"right"}
    assert live.gradient_correct and live.step_correct
    assert verdicts(live) == verdicts(code)


def test_a_wrong_forward_is_carried_as_grade_teams_carries_it(course):
    wrong = {"ann": ("A.py", "    return w1*x1\n", "    return w1+x1\n")}
    code, entries = played(course, wrong)
    live = judge(course, team(), POINT, entries)
    assert verdicts(live) == verdicts(code)
    by = {(x.node, x.direction): x for x in live.links}
    assert by["A", "forward"].status == "wrong" and by["G", "forward"].status == "carried"
    assert live.first_broken is not None and live.first_broken.node == "A"
    assert not live.gradient_correct


def test_what_is_not_entered_yet_is_missing_and_the_chain_goes_on(course):
    _, entries = played(course, {})
    del entries["dan", "G", "G"]  # G's volunteer has not said their output yet
    live = judge(course, team(), POINT, entries)
    by = {(x.node, x.direction): x for x in live.links}
    assert by["G", "forward"].status == "missing"
    assert by["G", "forward"].feedback["en"].endswith("not entered yet")
    assert by["S", "forward"].status == "right"  # S received the reference's G
    # the twin: entered, it is right again
    _, full = played(course, {})
    assert {x.status for x in judge(course, team(), POINT, full).links} == {"right"}


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), "1.0", None])
def test_only_finite_numbers_are_judged(course, bad):
    with pytest.raises(ValueError):
        judge(course, team(), POINT, {("ann", "A", "A"): bad})
