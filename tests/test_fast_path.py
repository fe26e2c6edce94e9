"""The fast hidden-test path (one pytest item a submission) grades exactly as the per-question
items did (one pytest item a question), on crafted submissions: perfect, typical mistakes,
broken (syntax error, exception, endless loop, missing file), crashing processes, and a
teacher's custom hidden tests, one passing, one failing, one erroring."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import LESSON

from grader.course.loader import load_course
from grader.grading import grade_batch
from grader.hidden import plugin
from grader.intake.submissions import read
from grader.sandbox import Sandbox

SAMPLES = Path(__file__).resolve().parents[1] / "samples"

# The hidden test as it was before the fast path: one item a question.
PER_QUESTION = """
def test_question(question, graded, record):
    result = graded(question.qid)
    record(result)
    assert result.status == "passed", result.feedback["en"]
"""

CUSTOM = """
import pytest


@pytest.mark.question("A.linear_in_x1", points=2)
def test_linear(student):
    one = student.call("A", "dA_dw1", 1.0, 0.5)
    assert student.call("A", "dA_dw1", 2.0, 0.5) == pytest.approx(2 * one), "should double"


@pytest.mark.question("B.positive", points=1)
def test_positive(student):
    assert student.call("B", "B", 1.0, 2.0) > 0


@pytest.mark.question("G.broken_check", points=1)
def test_broken(student):
    raise RuntimeError("the teacher's test itself fails")
"""


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("fast")
    course_dir = tmp / "course"
    course_dir.mkdir()
    shutil.copy(LESSON / "course.yml", course_dir / "course.yml")
    shutil.copytree(LESSON / "exercises", course_dir / "exercises")
    (course_dir / "hidden").mkdir()
    (course_dir / "hidden" / "test_custom.py").write_text(CUSTOM)
    old = tmp / "old_hidden"
    old.mkdir()
    shutil.copy(Path(plugin.__file__).with_name("pytest.ini"), old / "pytest.ini")
    (old / "test_questions.py").write_text(PER_QUESTION)
    subs = tmp / "subs"
    for name in ("perfect", "mistakes", "broken"):
        shutil.copytree(SAMPLES / name, subs / name)
    crash = subs / "crash"
    shutil.copytree(SAMPLES / "perfect", crash)
    b = crash / "B.py"  # a function that kills its own process
    b.write_text(
        b.read_text().replace("def B(x2, w2):", "def B(x2, w2):\n    import os; os._exit(3)")
    )
    c = crash / "C.py"  # a module that kills its process as it is imported
    c.write_text("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n" + c.read_text())
    return load_course(course_dir / "course.yml"), old, sorted(subs.iterdir())


def _grade(course, paths):
    modules = {e.id for e in course.exercises}
    sandbox = Sandbox()
    try:
        reports = grade_batch(course, sandbox, [read(p, modules) for p in paths])
    finally:
        sandbox.close()
    return {Path(r.submission).name: r.as_json("en") for r in reports}


def test_one_item_a_submission_grades_as_one_item_a_question(setup, monkeypatch):
    course, old, paths = setup
    fast = _grade(course, paths)
    monkeypatch.setattr(plugin, "HIDDEN", old)
    slow = _grade(course, paths)
    assert fast.keys() == slow.keys() == {p.name for p in paths}
    for name in fast:
        f = {q["id"]: q for q in fast[name]["questions"]}
        s = {q["id"]: q for q in slow[name]["questions"]}
        assert list(f) == list(s), name
        for qid in f:
            assert f[qid] == s[qid], (name, qid)
        assert fast[name]["score"] == slow[name]["score"]
    # The comparison is not vacuous: every status a question can have is among them, the
    # custom tests scored both ways, and the crashes cost their questions only.
    statuses = {q["status"] for r in fast.values() for q in r["questions"]}
    assert {"passed", "partial", "failed", "error", "timeout", "missing"} <= statuses
    custom = {q["id"]: q["status"] for q in fast["perfect"]["questions"]}
    assert custom["A.linear_in_x1"] == custom["B.positive"] == "passed"
    assert custom["G.broken_check"] == "failed"
    assert {q["id"]: q["status"] for q in fast["mistakes"]["questions"]}["A.linear_in_x1"] == (
        "failed"
    )
    crashed = {q["id"]: q["status"] for q in fast["crash"]["questions"]}
    assert crashed["B.forward"] == "error" and crashed["A.forward"] == "passed"


def test_a_difference_in_one_question_is_seen(setup):
    """The twin: the comparison above would catch one question graded differently."""
    course, _, paths = setup
    reports = _grade(course, [p for p in paths if p.name in ("perfect", "mistakes")])
    assert reports["perfect"]["questions"] != reports["mistakes"]["questions"]


def test_one_submission_alone_grades_as_in_a_batch(setup):
    """Alone, a submission's code starts running before pytest loads (grader.hidden.ahead);
    the session takes those outcomes.  Every grade is the one the batch gives: the custom
    tests' own calls, the crashes and the endless loop's time budget included."""
    course, _, paths = setup
    batch = _grade(course, paths)
    for path in paths:
        alone = _grade(course, [path])
        assert alone[path.name]["questions"] == batch[path.name]["questions"], path.name


def test_a_run_started_ahead_is_taken_only_for_what_it_ran(setup):
    """The twin: other files, other requests, another submission or a second time get None
    (the session then runs them itself), never the outcomes of this run."""
    from grader.hidden.ahead import Ahead

    course, _, paths = setup
    modules = {e.id for e in course.exercises}
    perfect, mistakes = (read(p, modules) for p in paths if p.name in ("perfect", "mistakes"))
    sandbox = Sandbox()
    try:
        ahead = Ahead(course, sandbox, perfect)
        files, requests = dict(perfect.files), ahead.plan.requests
        assert ahead.take(perfect, {**files, "A": files["A"] + "\n# changed\n"}, requests) is None
        assert ahead.take(perfect, files, requests[1:]) is None
        assert ahead.take(mistakes, files, requests) is None
        outcomes = ahead.take(perfect, files, requests)
        assert outcomes is not None and len(outcomes) == len(requests)
        assert sandbox.run(files, requests) == outcomes  # what it ran is what it hands over
        assert ahead.take(perfect, files, requests) is None  # once
        assert ahead.start_error is None
    finally:
        sandbox.close()
