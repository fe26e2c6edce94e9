"""Budgets: a formula's precise confirmation, a submission's time, and a class run that always
finishes, whatever a student hands in.  Through the real ``grade`` and ``course`` commands."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest
from conftest import LESSON, command

from grader.course.loader import load_course
from grader.kinds.formula import check as formula_check
from grader.sandbox import Budget, Outcome
from publish.stubs import stubs
from reference.course import model as course_model
from reference.course.sampling import rng_for
from reference.course.targets import sample_args
from reference.table import precise

BOMB = "w1 + exp(-exp(exp(x1+20)))"  # floats: w1 (right); 40 digits: billions of bits
SLEEP = 1.9  # just under the per-call limit of 2 s


@pytest.fixture(scope="module")
def course():
    return load_course(LESSON / "course.yml")


def question(course, qid):
    return next(q for q in course.questions if q.qid == qid)


def run(cmd, *args, cwd=LESSON, timeout=120):
    return subprocess.run(
        command(cmd, *args), cwd=cwd, capture_output=True, text=True, timeout=timeout
    )


def a_course(tmp_path, budget: str | None) -> Path:
    """The live course's files, with ``time_budget`` set (or left out)."""
    folder = tmp_path / "course"
    folder.mkdir(parents=True)
    shutil.copytree(LESSON / "exercises", folder / "exercises")
    text = (LESSON / "course.yml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^time_budget:.*\n", "", text)
    if budget is not None:
        text += f"time_budget: {budget}\n"
    (folder / "course.yml").write_text(text, encoding="utf-8")
    return folder


def submission(where: Path, student: str, edit=None, course_dir: Path = LESSON) -> Path:
    """The reference's solution for ``student``; ``edit(name, text)`` may change a file."""
    folder = where / student
    folder.mkdir(parents=True)
    for name, text in stubs(load_course(course_dir / "course.yml"), "en", True, student):
        (folder / name).write_text(edit(name, text) if edit else text)
    return folder


def with_formula(formula: str):
    def edit(name: str, text: str) -> str:
        if name != "A.py":
            return text
        new, n = re.subn(r"(?m)^dA_dx1_formula = .*$", f"dA_dx1_formula = {formula!r}", text)
        assert n == 1
        return new

    return edit


def sleeping(name: str, text: str) -> str:
    """Every function sleeps just under the per-call limit before it answers."""
    text = re.sub(r"(?m)^(def [^\n]*:\n)", rf"\1    __import__('time').sleep({SLEEP})\n", text)
    compile(text, name, "exec")
    return text


def graded(tmp_path, *args, timeout=120):
    out = tmp_path / "grades.jsonl"
    out.unlink(missing_ok=True)
    r = run("grade", *args, "--json", out, timeout=timeout)
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    reports = [json.loads(line) for line in out.read_text().splitlines()]
    return {o["student"]: o for o in reports}


def by_id(report):
    return {q["id"]: q for q in report["questions"]}


# ---------------------------------------------------------------------------- formulas


def test_precise_evaluation_refuses_astronomic_values_instead_of_hanging(course):
    q = question(course, "A.dA_dx1_formula")
    from reference import expr as ex
    from reference.autograd import compile_expr
    from reference.table import ALIASES, FUNCTIONS

    def tape(text):
        return compile_expr(
            ex.parse(text, names=q.args, functions=FUNCTIONS, aliases=ALIASES), q.args
        )

    at = {"x1": 2.5, "w1": 0.3}
    t = time.perf_counter()
    for text in (BOMB, "w1 + x1**exp(exp(x1+20))*0", "w1 + sin(exp(exp(x1+9)))"):
        with pytest.raises(precise.Unconfirmed):
            precise.tape_value(tape(text), at)
    assert time.perf_counter() - t < 1.0
    # a deadline that has passed stops even a cheap evaluation
    with pytest.raises(precise.Unconfirmed) as err:
        precise.tape_value(tape("w1"), at, precise.Guard(seconds=-1))
    assert err.value.reason == "time"
    # the twins: large but representable values are still computed, to 40 digits
    assert precise.same(precise.tape_value(tape("w1 + exp(-exp(6))"), at), 0.3)
    assert precise.tape_value(tape("exp(exp(6))"), at) > 10**170
    assert precise.same(
        precise.tape_value(tape("w1"), at), precise.target_value(q.target, q.model, at)
    )


@pytest.mark.parametrize("formula", [BOMB, "w1 + exp(-exp(exp(x1+20)))*0*x1", "w1+exp(-exp(1000))"])
def test_a_formula_that_cannot_be_confirmed_gets_a_clear_verdict_fast(course, formula):
    q = question(course, "A.dA_dx1_formula")
    point = sample_args(q.target, q.model, rng_for(1, "s", q.qid), 12)
    limit = precise.SECONDS + 0.5  # (before the call: code without the deadline never returns)
    t = time.perf_counter()
    result = formula_check(q, formula, point)
    assert time.perf_counter() - t < limit
    assert result.status == "failed" and result.score == 0
    assert "checked precisely" in result.feedback["en"] and "Simplify" in result.feedback["en"]
    assert "точно проверить" in result.feedback["ru"] and "Упростите" in result.feedback["ru"]


@pytest.mark.parametrize(
    "formula", ["w1 + 0*2**2000.5", "w1 + 1/(2**0.5 - 2**0.5)*0", "w1 + 0*(-8)**0.5"]
)
def test_float_overflow_between_constants_is_a_wrong_formula_not_a_crash(course, formula):
    q = question(course, "A.dA_dx1_formula")
    point = sample_args(q.target, q.model, rng_for(1, "s", q.qid), 12)
    result = formula_check(q, formula, point)
    assert result.status == "failed" and result.score == 0
    # the twin: the right formula, written with the same kind of constants, passes
    assert formula_check(q, "w1 + 0*2**0.5", point).status == "passed"


def test_a_formula_bomb_through_grade(tmp_path, course):
    subs = tmp_path / "subs"
    submission(subs, "bomb", with_formula(BOMB))
    submission(subs, "plain", with_formula("w1 + 0*x1"))  # the twin: right, and confirmed
    t = time.perf_counter()
    reports = graded(tmp_path, subs / "bomb", subs / "plain", "--lang", "ru", timeout=120)
    assert time.perf_counter() - t < 60
    bomb = by_id(reports["bomb"])["A.dA_dx1_formula"]
    assert bomb["status"] == "failed" and bomb["score"] == 0
    assert "не удалось точно проверить" in bomb["feedback"]
    assert by_id(reports["plain"])["A.dA_dx1_formula"]["status"] == "passed"
    # the rest of the bomb's submission is graded normally
    assert reports["bomb"]["score"] == reports["plain"]["score"] - bomb["max_score"]


# ---------------------------------------------------------------------------- course.yml


@pytest.mark.parametrize("value", ["0", "-5", "soon", "[60]", ".inf", "true"])
def test_a_bad_time_budget_is_a_problem_at_its_line(tmp_path, value):
    folder = a_course(tmp_path, value)
    r = run("course", "validate", "--lang", "en", cwd=folder)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    lines = (folder / "course.yml").read_text().splitlines()
    line = next(i for i, x in enumerate(lines, 1) if x.startswith("time_budget:"))
    assert f"course.yml:{line}: time_budget" in r.stderr, r.stderr
    assert "positive number" in r.stderr


def test_a_time_budget_is_read_and_defaults_to_60(tmp_path):
    assert load_course(a_course(tmp_path / "a", "7.5") / "course.yml").model.time_budget == 7.5
    assert load_course(a_course(tmp_path / "b", None) / "course.yml").model.time_budget == 60
    assert course_model.TIME_BUDGET == 60
    r = run("course", "validate", "--lang", "en", cwd=tmp_path / "a" / "course")
    assert r.returncode == 0, r.stderr


# ---------------------------------------------------------------------------- a submission's time


def test_a_sleeper_stops_at_the_budget_and_says_why(tmp_path):
    budget = 5
    folder = a_course(tmp_path, str(budget))
    subs = tmp_path / "subs"
    submission(subs, "sleeper", sleeping, folder)
    submission(subs, "fine", None, folder)  # the twin: graded normally by the same run
    t = time.perf_counter()
    reports = graded(tmp_path, subs / "sleeper", subs / "fine", "--course", folder, "--lang", "en")
    elapsed = time.perf_counter() - t
    assert elapsed < budget + 30, elapsed  # startup and the fine submission; never minutes
    qs = reports["sleeper"]["questions"]
    out = [q for q in qs if q["status"] == "timeout"]
    assert len(out) > len(qs) / 2
    assert all("time budget ran out (5 s" in q["feedback"] for q in out), out[:2]
    assert reports["fine"]["score"] == reports["fine"]["max_score"]


CUSTOM = """
import pytest


@pytest.mark.question("A.slow_check", points=1)
def test_calls_count_toward_the_budget(student):
    for k in range(20):
        student.call("A", "A", 1.0, float(k))
"""


def test_a_custom_hidden_tests_calls_count_toward_the_same_budget(tmp_path):
    folder = a_course(tmp_path, "3")
    (folder / "hidden").mkdir()
    (folder / "hidden" / "test_slow.py").write_text(CUSTOM)
    subs = tmp_path / "subs"
    submission(subs, "sleeper", sleeping, folder)
    submission(subs, "fine", None, folder)
    t = time.perf_counter()
    reports = graded(tmp_path, subs / "sleeper", subs / "fine", "--course", folder, "--lang", "en")
    assert time.perf_counter() - t < 3 + 30
    custom = by_id(reports["sleeper"])["A.slow_check"]
    assert custom["score"] == 0 and "time budget ran out" in custom["feedback"]
    assert by_id(reports["fine"])["A.slow_check"]["status"] == "passed"  # the twin


# ---------------------------------------------------------------------------- a class


def test_a_class_with_a_sleeper_and_a_formula_bomb_always_finishes(tmp_path, course):
    budget = 8
    folder = a_course(tmp_path, str(budget))
    klass = tmp_path / "class"
    for k in range(3):
        submission(klass, f"good{k}", None, folder)
    submission(klass, "sleeper", sleeping, folder)
    submission(klass, "bomb", with_formula(BOMB), folder)
    submission(klass, "wrong", with_formula("x1"), folder)
    formulas = sum(q.kind == "formula" for q in course.questions)
    # Start-up and the normal submissions (~10 s here), plus the sleeper's budget and one
    # call's overshoot, plus every formula's confirmation deadline: whatever the load, far
    # below the sleeper's own time (hundreds of calls of 1.9 s) or the bomb's (never).
    bound = 40 + budget + 2 + formulas * precise.SECONDS
    t = time.perf_counter()
    reports = graded(tmp_path, klass, "--course", folder, "--lang", "en", timeout=bound)
    elapsed = time.perf_counter() - t
    assert elapsed < bound
    assert set(reports) == {"good0", "good1", "good2", "sleeper", "bomb", "wrong"}
    for k in range(3):
        assert reports[f"good{k}"]["score"] == reports[f"good{k}"]["max_score"]
    statuses = {q["status"] for q in reports["sleeper"]["questions"]}
    assert "timeout" in statuses
    assert by_id(reports["bomb"])["A.dA_dx1_formula"]["status"] == "failed"
    assert by_id(reports["wrong"])["A.dA_dx1_formula"]["status"] == "failed"
    full = reports["good0"]["max_score"]
    points = by_id(reports["bomb"])["A.dA_dx1_formula"]["max_score"]
    assert reports["bomb"]["score"] == reports["wrong"]["score"] == full - points
    assert np.isfinite(elapsed)


def test_nbgrader_autograde_runs_a_student_within_the_same_budget(tmp_path, course, monkeypatch):
    """nbgrader's autograde (our preprocessor) gives each student the course's time budget,
    shared by all of that student's notebooks."""
    import nbformat

    from publish.nbgrader import preprocessor

    seen: list = []

    class Recording:
        def run(self, files, requests, budget=None):
            seen.append(budget)
            return [Outcome("missing", error="x") for _ in requests]

    monkeypatch.setattr(preprocessor, "sandbox", lambda: Recording())
    monkeypatch.setitem(preprocessor._STATE, "run", None)
    folder = tmp_path / "alice"
    folder.mkdir()
    for exercise in ("A", "B"):
        nb = nbformat.v4.new_notebook()
        preprocessor.grade_notebook(course, folder, "alice", exercise, nb)
    assert seen and all(isinstance(b, Budget) for b in seen)
    assert len({id(b) for b in seen}) == 1  # one budget for the student's notebooks
    assert seen[0].seconds == course.model.time_budget
