"""The live course (course.yml and exercises/ at the repository's top), the one thing here
that reads it: whatever a teacher made of it, it validates without a warning, its samples are
fresh, and its release with ``--solutions`` grades at full marks.  Every other test runs on the
fixture courses under tests/courses/, so an edit of the live course never breaks them."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from conftest import command
from test_grade import same_samples

from grader.course.loader import load_course

ROOT = Path(__file__).resolve().parents[1]


def run(name: str, *args, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        command(name, *args), cwd=cwd, capture_output=True, text=True, timeout=300
    )


def test_the_live_course_validates_strictly():
    r = run("course", "validate", "--strict", "--lang", "en")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "warning" not in r.stdout + r.stderr


def test_the_shipped_samples_follow_the_live_course(tmp_path):
    same_samples(ROOT, ROOT / "samples", tmp_path, "python3 samples/make.py")


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_live_solutions_score_full_marks(tmp_path, lang):
    key = tmp_path / "key"
    r = run("course", "release", "--out", key, "--lang", lang, "--solutions")
    assert r.returncode == 0, r.stderr
    out = tmp_path / "grades.jsonl"
    r = run("grade", key, "--json", out, "--lang", lang)
    assert r.returncode == 0, r.stderr
    (report,) = [json.loads(line) for line in out.read_text().splitlines()]
    course = load_course(ROOT / "course.yml")
    assert report["max_score"] == pytest.approx(course.points.auto)
    assert report["score"] == pytest.approx(report["max_score"]), [
        q for q in report["questions"] if q.get("status") not in ("passed", "manual")
    ]
