"""``BACKPROP_SPEED=1``: what made a run fast, said at its end, read the way a teacher who
finds one student's ``grade`` slow would read it (grader/speed.py)."""

from __future__ import annotations

import os
import shutil
import subprocess

from conftest import LESSON, command


def _speed(*argv: object, cache: str, asked: bool = True) -> str:
    env = {**os.environ, "XDG_CACHE_HOME": cache}
    if asked:
        env["BACKPROP_SPEED"] = "1"
    else:
        env.pop("BACKPROP_SPEED", None)
    done = subprocess.run(
        command("grade", *argv, "--course", LESSON / "course.yml", "--no-details"),
        capture_output=True, text=True, timeout=300, env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return "\n".join(line for line in done.stderr.splitlines() if line.startswith("speed: "))


def test_one_student_says_each_shortcut_engaged(tmp_path):
    cache = str(tmp_path / "cache")
    first = _speed(LESSON / "samples" / "perfect", cache=cache)
    assert "course cache: miss: loaded, then saved" in first
    again = _speed(LESSON / "samples" / "perfect", cache=cache)
    for said in (
        "course cache: hit",
        "sandbox: started while the course loads",
        "ahead: the code ran before pytest",
        "sibling: ran the hidden tests' session",
    ):
        assert said in again, again
    # the twin: nothing is said unless asked
    assert _speed(LESSON / "samples" / "perfect", cache=cache, asked=False) == ""


def test_a_class_says_the_sibling_and_ahead_were_not_for_it(tmp_path):
    group = tmp_path / "class"
    group.mkdir()
    for name in ("perfect", "mistakes"):
        shutil.copytree(LESSON / "samples" / name, group / name)
    said = _speed(group, cache=str(tmp_path / "cache"))
    assert said.startswith("speed: ") and "course cache" in said
    assert "ran the hidden tests' session" not in said and "ran before pytest" not in said
