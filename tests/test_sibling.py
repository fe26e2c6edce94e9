"""One student's hidden-test session runs in a sibling process forked as ``grade`` starts
(grader.hidden.sibling): the same grades as in a class's session, which runs in-process;
a lost sibling is the grader's failure, never a grade; custom hidden tests stay in-process.

Every run is the real command.  A spy (the script below, run instead of the console script)
writes which sessions ran in a sibling, so that no comparison here passes because the
sibling was quietly not used.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import LESSON, command
from test_grade import CUSTOM, LEFT_BEHIND, course_with_hidden, grade

from grader.hidden import folders

SAMPLES = LESSON / "samples"

SPY = """
import os, sys
from grader.hidden import sibling
session = sibling.Sibling.session
def spied(self, course, runs, subs):
    with open(os.environ["SIBLING_SPY"], "a") as f:
        f.write(" ".join(s.id for s in subs) + "\\n")
    return session(self, course, runs, subs)
sibling.Sibling.session = spied
{extra}
sys.argv[0] = "grade"
from cli.grade import entry
entry()
"""


def spied(tmp_path: Path, *args, extra: str = ""):
    """grade ``args`` through the spy (``extra``: code run before grade), from the course's
    folder: the run, and the students whose session ran in a sibling."""
    log = tmp_path / "spy.log"
    log.unlink(missing_ok=True)
    r = subprocess.run(
        [sys.executable, "-c", SPY.format(extra=extra), *map(str, args)],
        cwd=LESSON,
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "SIBLING_SPY": str(log)},
    )
    return r, (log.read_text().split() if log.exists() else [])


def reports(path: Path) -> dict[str, dict]:
    return {o["student"]: o for o in map(json.loads, path.read_text().splitlines())}


@pytest.fixture(scope="module")
def klass(tmp_path_factory):
    """The samples, a submission that kills its own process, and one with an endless loop."""
    folder = tmp_path_factory.mktemp("sibling") / "class"
    for name in ("perfect", "mistakes", "broken"):
        shutil.copytree(SAMPLES / name, folder / name)
    crash = folder / "crash"
    shutil.copytree(SAMPLES / "perfect", crash)
    b = crash / "B.py"
    b.write_text(
        b.read_text().replace("def B(x2, w2):", "def B(x2, w2):\n    import os; os._exit(3)")
    )
    loop = folder / "loop"
    shutil.copytree(SAMPLES / "mistakes", loop)
    c = loop / "C.py"
    c.write_text(c.read_text().replace("def C(x3, w3):", "def C(x3, w3):\n    while True: pass"))
    return folder


def test_one_student_alone_is_graded_as_in_a_class(tmp_path, klass):
    """Each student alone (a sibling's session) gets, question by question, what the same
    student gets in a class (one in-process session for all): status, score, feedback."""
    together = tmp_path / "class.jsonl"
    r, siblings = spied(tmp_path, klass, "--json", together, "--workers", 1, "--lang", "en")
    assert r.returncode == 0, r.stderr
    assert siblings == []  # the twin: a class's session is in-process
    in_class = reports(together)
    assert set(in_class) == {"perfect", "mistakes", "broken", "crash", "loop"}
    statuses = set()
    for name, expected in in_class.items():
        alone = tmp_path / f"{name}.jsonl"
        r, siblings = spied(tmp_path, klass / name, "--json", alone, "--lang", "en")
        assert r.returncode == 0, r.stderr
        assert siblings == [name], "the session did not run in a sibling"
        (got,) = reports(alone).values()
        assert [q["id"] for q in got["questions"]] == [q["id"] for q in expected["questions"]]
        for mine, theirs in zip(got["questions"], expected["questions"]):
            assert mine == theirs, (name, mine["id"])
        assert got["score"] == expected["score"] and got["max_score"] == expected["max_score"]
        statuses |= {q["status"] for q in got["questions"]}
    # Not vacuous: what a question can come to is among them (a crash, a timeout included).
    assert {"passed", "partial", "failed", "error", "timeout", "missing"} <= statuses
    assert in_class["perfect"]["score"] == in_class["perfect"]["max_score"]


@pytest.mark.parametrize(
    "how",
    [
        "sibling._sibling = lambda sock: os._exit(7)",
        "from grader.hidden import plugin\n"
        "plugin.run_hidden_tests = lambda *a: os.kill(os.getpid(), 9)",
        "import time\nsibling._PATIENCE = 1.0\nsibling._sibling = lambda sock: time.sleep(60)",
    ],
    ids=["exits", "killed", "hangs"],
)
def test_a_lost_sibling_is_exit_1_and_nothing_saved(tmp_path, how):
    """The sibling ends before its session is done: no grade (not a zero), exit 1, the
    submission graded again next time.  The twin: the same run, healthy, is graded."""
    out = tmp_path / "g.jsonl"
    r, _ = spied(tmp_path, SAMPLES / "mistakes", "--json", out, "--lang", "en", extra=how)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "Traceback" not in r.stderr
    assert "hidden tests could not run" in r.stderr and "not graded" in r.stderr
    assert "their process was lost" in r.stderr
    if "sleep" in how:
        assert "did not answer for 1 s" in r.stderr
    assert not out.exists() or out.read_text() == ""
    assert "/79" not in r.stdout  # no table with a grade
    r, siblings = spied(tmp_path, SAMPLES / "mistakes", "--json", out, "--lang", "en")
    assert r.returncode == 0, r.stderr
    assert siblings == ["mistakes"]
    (report,) = reports(out).values()
    assert 0 < report["score"] < report["max_score"]


def test_no_fork_means_the_session_runs_in_grades_own_process(tmp_path):
    """A machine out of processes (the fork fails): the session runs in-process, the grade
    the same as through a sibling (the twin)."""
    no_fork = "def fork():\n    raise OSError(11, 'no more processes (test)')\nos.fork = fork"
    grades = {}
    for extra, expect in ((no_fork, []), ("", ["mistakes"])):
        out = tmp_path / "g.jsonl"
        out.unlink(missing_ok=True)
        r, siblings = spied(tmp_path, SAMPLES / "mistakes", "--json", out, extra=extra)
        assert r.returncode == 0, r.stderr
        assert siblings == expect
        grades[bool(extra)] = reports(out)["mistakes"]["questions"]
    assert grades[True] == grades[False]


def test_custom_hidden_tests_run_in_grades_own_process(tmp_path):
    """A course with hidden tests of its own: one student's session is in-process (a custom
    test calls the student in the sandbox), and its question is scored.  The twin: the same
    course without them uses the sibling."""
    folder = course_with_hidden(tmp_path, "test_extra.py", CUSTOM)
    out = tmp_path / "g.jsonl"
    args = ("--course", folder, "--json", out, "--lang", "en")
    r, siblings = spied(tmp_path, SAMPLES / "mistakes", *args)
    assert r.returncode == 0, r.stderr
    assert siblings == []
    extra = {q["id"]: q for q in reports(out)["mistakes"]["questions"]}["A.linear_in_x1"]
    assert extra["status"] == "failed" and "should double" in extra["feedback"]
    shutil.rmtree(folder / "hidden")
    out.unlink()
    r, siblings = spied(tmp_path, SAMPLES / "mistakes", *args)
    assert r.returncode == 0, r.stderr
    assert siblings == ["mistakes"]
    assert "A.linear_in_x1" not in {q["id"] for q in reports(out)["mistakes"]["questions"]}


def test_custom_tests_are_found_in_the_course_and_in_the_package(tmp_path, monkeypatch):
    """What decides where a session runs: a course's hidden/, or a test or conftest a
    teacher added beside the built-in one; the built-in test alone is not custom."""
    course = type("C", (), {"root": tmp_path / "course"})()
    course.root.mkdir()
    package = tmp_path / "package"
    package.mkdir()
    for name in ("__init__.py", "pytest.ini", folders.BUILT_IN, "helpers.py"):
        (package / name).write_text("")
    monkeypatch.setattr(folders, "HIDDEN", package)
    assert not folders.custom_tests(course)
    (course.root / "hidden").mkdir()
    assert folders.custom_tests(course)
    (course.root / "hidden").rmdir()
    for extra in ("test_more.py", "conftest.py", "deeper/test_deep.py"):
        path = package / extra
        path.parent.mkdir(exist_ok=True)
        path.write_text("")
        assert folders.custom_tests(course), extra
        path.unlink()
    assert not folders.custom_tests(course)


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
def test_a_resumed_run_dismisses_its_sibling(tmp_path):
    """Nothing left to grade (all unchanged): the sibling forked at the start is dismissed,
    and nothing outlives grade."""
    out = tmp_path / "g.jsonl"
    r = grade(SAMPLES / "perfect", "--json", out, "--lang", "en")
    assert r.returncode == 0, r.stderr
    r, siblings = spied(tmp_path, SAMPLES / "perfect", "--json", out, "--lang", "en")
    assert r.returncode == 0, r.stderr
    assert "1 unchanged submission(s) kept" in r.stderr
    assert siblings == []
    args = command("grade", SAMPLES / "perfect", "--json", out, "--lang", "en")
    r = subprocess.run(
        [sys.executable, "-c", LEFT_BEHIND, *map(str, args)],
        cwd=LESSON,
        capture_output=True,
        text=True,
        timeout=180,
    )
    got = json.loads(r.stdout)
    assert got["rc"] == 0 and got["left"] == [], got
