"""Resuming with --json: a report is reused only while everything that decides it is the same;
other lines stay; one run a file; an infrastructure failure is never saved as a grade."""

from __future__ import annotations

import fcntl
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import LESSON, command

SAMPLES = LESSON / "samples"


def grade(*args, cwd=LESSON, argv=None):
    return subprocess.run(
        [*(argv or command("grade")), *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=180,
    )


def lines(path: Path) -> dict[str, dict]:
    return {
        json.loads(x)["student"]: json.loads(x) for x in path.read_text().splitlines() if x.strip()
    }


@pytest.fixture
def own_course(tmp_path):
    """A copy of the course a test may change."""
    folder = tmp_path / "course"
    folder.mkdir()
    shutil.copy(LESSON / "course.yml", folder / "course.yml")
    shutil.copytree(LESSON / "exercises", folder / "exercises")
    return folder


@pytest.fixture
def klass(tmp_path):
    folder = tmp_path / "class"
    for name in ("perfect", "mistakes"):
        shutil.copytree(SAMPLES / name, folder / name)
    return folder


def test_a_changed_course_grades_again(tmp_path, own_course, klass):
    out = tmp_path / "g.jsonl"
    r = grade(klass / "perfect", "--course", own_course, "--json", out, "--lang", "en")
    assert r.returncode == 0, r.stderr
    before = lines(out)["perfect"]
    # the twin: nothing changed, the report is kept
    r = grade(klass / "perfect", "--course", own_course, "--json", out, "--lang", "en")
    assert "1 unchanged submission(s) kept" in r.stderr
    # points 1 -> 5 for A.forward: the old 79/79 must not stay
    a = own_course / "exercises" / "A.yml"
    text = a.read_text()
    assert text.count("    points: 1\n") >= 1
    a.write_text(text.replace("    points: 1\n", "    points: 5\n", 1))
    r = grade(klass / "perfect", "--course", own_course, "--json", out, "--lang", "en")
    assert r.returncode == 0, r.stderr
    assert "unchanged" not in r.stderr
    after = lines(out)["perfect"]
    assert after["max_score"] == pytest.approx(before["max_score"] + 4)
    assert after["score"] == after["max_score"]


def test_new_hidden_tests_grade_again(tmp_path, own_course, klass):
    out = tmp_path / "g.jsonl"
    r = grade(klass / "perfect", "--course", own_course, "--json", out, "--lang", "en")
    assert r.returncode == 0, r.stderr
    (own_course / "hidden").mkdir()
    (own_course / "hidden" / "test_more.py").write_text(
        "import pytest\n\n\n"
        '@pytest.mark.question("A.extra", points=2)\n'
        "def test_extra(student):\n"
        '    assert student.call("A", "A", 1.0, 2.0) == pytest.approx(2.0)\n'
    )
    r = grade(klass / "perfect", "--course", own_course, "--json", out, "--lang", "en")
    assert r.returncode == 0, r.stderr
    assert "unchanged" not in r.stderr
    assert "A.extra" in {q["id"] for q in lines(out)["perfect"]["questions"]}


def test_a_run_on_one_student_keeps_every_other_line(tmp_path, klass):
    out = tmp_path / "g.jsonl"
    r = grade(klass, "--json", out, "--lang", "en")
    assert r.returncode == 0, r.stderr
    assert set(lines(out)) == {"perfect", "mistakes"}
    late = klass / "late"
    shutil.copytree(SAMPLES / "perfect", late)
    r = grade(late, "--json", out, "--lang", "en")
    assert r.returncode == 0, r.stderr
    assert set(lines(out)) == {"perfect", "mistakes", "late"}
    assert len(out.read_text().splitlines()) == 3


def test_a_second_run_on_the_same_file_is_refused_clearly(tmp_path, klass):
    out = tmp_path / "g.jsonl"
    out.write_text("")
    with out.open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # another run holds it
        r = grade(klass, "--json", out, "--lang", "en")
        assert r.returncode == 2, r.stderr
        assert "another grade run" in r.stderr and "Traceback" not in r.stderr
        assert out.read_text() == ""
    r = grade(klass, "--json", out, "--lang", "en")  # the twin: released, it runs
    assert r.returncode == 0, r.stderr
    assert set(lines(out)) == {"perfect", "mistakes"}


BROKEN_HIDDEN = "import pytest\n\ndef test_broken(:\n    pass\n"


def test_hidden_tests_that_cannot_run_are_not_saved_as_grades(tmp_path, own_course, klass):
    out = tmp_path / "g.jsonl"
    r = grade(klass / "mistakes", "--course", own_course, "--json", out, "--lang", "en")
    assert r.returncode == 0, r.stderr
    kept = lines(out)["mistakes"]
    (own_course / "hidden").mkdir()
    (own_course / "hidden" / "test_broken.py").write_text(BROKEN_HIDDEN)
    r = grade(klass / "perfect", "--course", own_course, "--json", out, "--lang", "en")
    assert r.returncode == 1, r.stdout + r.stderr
    assert "Traceback" not in r.stderr
    assert "hidden tests could not run" in r.stderr and "not graded" in r.stderr
    assert "0/79" not in r.stdout and "perfect" not in lines(out)
    assert lines(out)["mistakes"] == kept  # other lines stay
    (own_course / "hidden" / "test_broken.py").unlink()
    r = grade(klass / "perfect", "--course", own_course, "--json", out, "--lang", "en")
    assert r.returncode == 0, r.stderr
    assert "unchanged" not in r.stderr  # graded again, now for real
    report = lines(out)["perfect"]
    assert report["score"] == report["max_score"] > 0


NO_SANDBOX = (
    "from grader.sandbox import server\n"
    "def start(self):\n"
    "    raise server.SandboxError('no sandbox works here (test)')\n"
    "server.Sandbox.start = start\n"
    "from cli.grade import main\n"
    "main(prog_name='grade')\n"
)


def test_a_sandbox_that_cannot_start_is_exit_1_and_nothing_saved(tmp_path, klass):
    out = tmp_path / "g.jsonl"
    gradebook = tmp_path / "g.csv"
    argv = [sys.executable, "-c", NO_SANDBOX]
    r = grade(klass, "--json", out, "--csv", gradebook, "--workers", 1, "--lang", "en", argv=argv)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "Traceback" not in r.stderr
    assert "sandbox cannot start" in r.stderr and "no sandbox works here" in r.stderr
    assert lines(out) == {}
    r = grade(klass, "--json", out, "--lang", "en")  # the twin: a healthy run grades them
    assert r.returncode == 0, r.stderr
    assert "unchanged" not in r.stderr
    assert lines(out)["perfect"]["score"] == lines(out)["perfect"]["max_score"]


def test_one_student_when_the_sandbox_cannot_start_is_exit_1_not_a_zero(tmp_path, klass):
    """Alone, the student's code is started before pytest loads: a sandbox that cannot
    start is still the grader's failure, said as such, with nothing saved."""
    out = tmp_path / "g.jsonl"
    argv = [sys.executable, "-c", NO_SANDBOX]
    r = grade(klass / "mistakes", "--json", out, "--lang", "en", argv=argv)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "Traceback" not in r.stderr
    assert "sandbox cannot start" in r.stderr and "no sandbox works here" in r.stderr
    assert lines(out) == {} and "0/" not in r.stdout
    r = grade(klass / "mistakes", "--json", out, "--lang", "en")  # the twin: graded
    assert r.returncode == 0, r.stderr
    assert 0 < lines(out)["mistakes"]["score"] < lines(out)["mistakes"]["max_score"]


@pytest.mark.parametrize(
    "line",
    ['["a", "list"]', '{"submission": 3, "digest": "x"}', "notes about the class", '{"a": 1}'],
)
def test_a_json_file_of_another_shape_is_a_clear_message(tmp_path, klass, line):
    out = tmp_path / "g.jsonl"
    out.write_text(line + "\n" + line + "\n")
    r = grade(klass / "perfect", "--json", out, "--lang", "en")
    assert r.returncode == 2, r.stdout + r.stderr
    assert "Traceback" not in r.stderr
    assert f"{out}:1: not a grade report" in r.stderr
    assert out.read_text() == line + "\n" + line + "\n"  # the teacher's file is untouched


def test_a_line_cut_by_an_interruption_is_graded_again(tmp_path, klass):
    """The twin: the half line an interrupted run left is no reason to refuse."""
    out = tmp_path / "g.jsonl"
    r = grade(klass, "--json", out, "--lang", "en")
    assert r.returncode == 0, r.stderr
    text = out.read_text().splitlines()
    out.write_text(text[0] + "\n" + text[1][: len(text[1]) // 2])
    r = grade(klass, "--json", out, "--lang", "en")
    assert r.returncode == 0, r.stderr
    assert "1 unchanged submission(s) kept" in r.stderr
    assert set(lines(out)) == {"perfect", "mistakes"}


SANDBOX_FAILS_ON_MISTAKES = (
    "from grader.sandbox import server\n"
    "run = server.Sandbox.run\n"
    "def failing(self, files, requests, budget=None):\n"
    "    if 'the other argument' in files.get('A', ''):\n"
    "        raise server.SandboxError('the sandbox server failed (test)')\n"
    "    return run(self, files, requests, budget)\n"
    "server.Sandbox.run = failing\n"
    "from cli.grade import main\n"
    "main(prog_name='grade')\n"
)


def test_a_sandbox_failing_on_one_submission_costs_only_that_one(tmp_path, klass):
    out = tmp_path / "g.jsonl"
    argv = [sys.executable, "-c", SANDBOX_FAILS_ON_MISTAKES]
    r = grade(klass, "--json", out, "--workers", 1, "--lang", "en", argv=argv)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "mistakes: not graded" in r.stderr and "sandbox server failed" in r.stderr
    assert set(lines(out)) == {"perfect"}  # the healthy one is graded and saved
    assert "perfect" in r.stdout and "mistakes" not in r.stdout


A_CHECK_RAISES_ON_MISTAKES = (
    "from grader.scoring import checks\n"
    "score_question = checks.score_question\n"
    "def broken(course, submission, q, p, outcomes):\n"
    "    if submission == 'mistakes' and q.qid == 'A.forward':\n"
    "        raise RuntimeError('a check broke (test)')\n"
    "    return score_question(course, submission, q, p, outcomes)\n"
    "checks.score_question = broken\n"
    "from cli.grade import main\n"
    "main(prog_name='grade')\n"
)


@pytest.mark.parametrize("alone", [False, True], ids=["in-a-class", "alone"])
def test_a_check_that_raises_is_the_graders_failure_not_a_zero(tmp_path, klass, alone):
    """A bug of the grader's in one question's check: that submission is not graded (exit 1,
    nothing saved, graded again next time), the others are; never a 0 for the question."""
    out = tmp_path / "g.jsonl"
    argv = [sys.executable, "-c", A_CHECK_RAISES_ON_MISTAKES]
    target = [klass / "mistakes"] if alone else [klass, "--workers", 1]
    r = grade(*target, "--json", out, "--lang", "en", argv=argv)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "Traceback" not in r.stderr
    assert "mistakes: not graded" in r.stderr and "a check broke (test)" in r.stderr
    assert set(lines(out)) == (set() if alone else {"perfect"})
    r = grade(*target, "--json", out, "--lang", "en")  # the twin: healthy, it is graded
    assert r.returncode == 0, r.stderr
    assert 0 < lines(out)["mistakes"]["score"] < lines(out)["mistakes"]["max_score"]
