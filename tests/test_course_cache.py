"""The course kept between runs (cli/course_cache.py): used when the course is unchanged, never
when it changed, and harmless when the cache file is corrupt; numeric traces shared in memory
(reference/autograd.py) cannot be changed by whoever receives them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from conftest import LESSON, command

from grader.course.loader import load_course
from reference.autograd import run

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def _grade(tmp_path: Path, course: Path, cache: Path) -> dict:
    out = tmp_path / "g.jsonl"
    out.unlink(missing_ok=True)
    env = dict(os.environ, XDG_CACHE_HOME=str(cache))
    env.pop("BACKPROP_COURSE_CACHE", None)
    r = subprocess.run(
        command("grade", SAMPLES / "perfect", "--course", course, "--json", out, "--lang", "en"),
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr
    (report,) = [json.loads(line) for line in out.read_text().splitlines()]
    return report


def test_an_unchanged_course_comes_from_the_cache_a_changed_one_never(tmp_path):
    course = tmp_path / "course"
    course.mkdir()
    shutil.copy(LESSON / "course.yml", course / "course.yml")
    shutil.copytree(LESSON / "exercises", course / "exercises")
    cache = tmp_path / "cache"
    first = _grade(tmp_path, course, cache)
    (kept,) = (cache / "backprop-course" / "courses").glob("*.pickle")
    again = _grade(tmp_path, course, cache)
    assert again["questions"] == first["questions"]
    # The twin: one question's points changed in the YAML is seen at once, not the cached course.
    a = course / "exercises" / "A.yml"
    text = a.read_text()
    assert "    points: 1\n" in text
    a.write_text(text.replace("    points: 1\n", "    points: 3\n", 1))
    changed = _grade(tmp_path, course, cache)
    expected = load_course(course / "course.yml")
    assert changed["max_score"] == pytest.approx(
        sum(q.points for q in expected.questions if q.auto)
    )
    assert changed["max_score"] > first["max_score"]
    assert len(list(kept.parent.glob("*.pickle"))) == 2
    # A corrupt cache file is loaded the usual way instead (and replaced).
    for f in kept.parent.glob("*.pickle"):
        f.write_bytes(b"not a pickle")
    assert _grade(tmp_path, course, cache)["questions"] == changed["questions"]


def test_a_shared_trace_cannot_be_changed_by_its_receivers():
    model = load_course(LESSON / "course.yml").model
    point = {k: np.array([0.25, 0.5]) for k in model.leaves}
    first = run(model, point)
    with pytest.raises(ValueError):
        first.grad[model.parameters[0]][0] = 99.0
    first.grad.clear()  # the dict is the caller's own copy
    point[model.leaves[0]][0] = 7.0  # the caller's point changes after the call
    fresh = run(model, {k: np.array([0.25, 0.5]) for k in model.leaves})
    assert fresh.grad and not np.allclose(fresh.values[model.leaves[0]], [7.0, 0.5])
    moved = run(model, point)  # the twin: a different point is not answered from the cache
    assert np.allclose(moved.values[model.leaves[0]], [7.0, 0.5])


def test_the_cached_course_carries_the_released_blanks(tmp_path, monkeypatch):
    """One student's grade reads which answers are untouched from the cached course (rendering
    the release's blanks again cost ~15 ms): they are the ones a fresh load renders."""
    from cli import course_cache
    from grader.course.solutions import function_code
    from grader.intake.routes import _norm, blanks

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("BACKPROP_COURSE_CACHE", raising=False)
    course_cache.load(LESSON / "course.yml", "course.yml")  # a miss: loaded, then kept
    (kept,) = (tmp_path / "cache" / "backprop-course" / "courses").glob("*.pickle")
    cached = course_cache.load(LESSON / "course.yml", "course.yml")
    fresh = load_course(LESSON / "course.yml")
    assert "blanks" not in fresh.derived
    assert cached.derived["blanks"] == blanks(fresh) and len(cached.derived["blanks"]) > 30
    # The twin: a solved answer is not among the blanks, so it is never taken for untouched.
    q = next(q for q in fresh.questions if q.auto and q.kind == "function")
    assert _norm(function_code(q)) not in cached.derived["blanks"][q.qid]
    assert kept.exists()
