"""A teacher's edit keeps everything green: on a copy of the repository, with a venv inside it
as the README's quick start makes one, each of three edits of the live course (S = tanh(G),
a learning rate of 0.01, a node D(x4, w4) joining G) followed by ``python3 samples/make.py``
leaves a course that validates strictly, releases solutions graded at full marks, samples whose
mistakes cost points, and the tests that read the live course (and the sandbox's, which see
the venv) passing in that copy.

The edited courses are the fixture courses' own files (tests/courses/tanh, four): the lesson
edited as a teacher finishes the edit, prose reworded where ``course validate`` said so.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FOUR, ROOT, TANH

pytestmark = pytest.mark.slow


def _copy_repository(to: Path) -> Path:
    """The tracked files of this checkout (what a teacher clones)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.split(b"\0")
    for name in filter(None, listed):
        src = ROOT / name.decode()
        if src.is_file():
            (to / name.decode()).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, to / name.decode())
    return to


def _edit(repo: Path, how: str) -> None:
    for name in ("course.yml", "exercises"):
        path = repo / name
        shutil.rmtree(path) if path.is_dir() else path.unlink()
        shutil.copytree(repo / ".original" / name, path) if name == "exercises" else shutil.copy(
            repo / ".original" / name, path
        )
    if how == "lr 0.01":
        text = (repo / "course.yml").read_text(encoding="utf-8")
        assert "learning_rate: 0.001 " in text
        (repo / "course.yml").write_text(
            text.replace("learning_rate: 0.001 ", "learning_rate: 0.01 ")
        )
    elif how in ("tanh", "D"):
        fixture = TANH if how == "tanh" else FOUR
        shutil.copy(fixture / "course.yml", repo / "course.yml")
        shutil.rmtree(repo / "exercises")
        shutil.copytree(fixture / "exercises", repo / "exercises")


def test_three_edits_of_the_live_course_keep_everything_green(tmp_path):
    repo = _copy_repository(tmp_path / "repo")
    (repo / ".original").mkdir()
    shutil.copy(repo / "course.yml", repo / ".original" / "course.yml")
    shutil.copytree(repo / "exercises", repo / ".original" / "exercises")
    venv = repo / ".venv"  # inside the checkout, as the quick start makes it
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", venv], check=True)
    python = venv / "bin" / "python"  # `python -m …` from the copy runs the copy's code

    def run(*argv, timeout=600):
        return subprocess.run(
            [python, *map(str, argv)], cwd=repo, capture_output=True, text=True, timeout=timeout
        )

    for how in ("tanh", "lr 0.01", "D"):
        _edit(repo, how)
        made = run("samples/make.py")
        assert made.returncode == 0, (how, made.stderr)
        strict = run("-m", "cli.course", "validate", "--strict", "--lang", "en")
        assert strict.returncode == 0, (how, strict.stderr)
        key = tmp_path / f"key-{how}"
        r = run("-m", "cli.course", "release", "--out", key, "--solutions", "--lang", "en")
        assert r.returncode == 0, (how, r.stderr)
        out = tmp_path / f"grades-{how}.jsonl"
        r = run("-m", "cli.grade", key, repo / "samples", "--json", out, "--lang", "en")
        assert r.returncode == 0, (how, r.stderr)
        scores = {}
        for line in out.read_text().splitlines():
            o = json.loads(line)
            scores[Path(o["submission"]).name] = (o["score"], o["max_score"])
        assert scores[key.name][0] == scores[key.name][1] > 0, (how, scores)
        assert scores["perfect"][0] == scores["perfect"][1], (how, scores)
        assert scores["broken"][0] < scores["mistakes"][0] < scores["mistakes"][1], (how, scores)
        tests = run(
            "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "not slow",
            "tests/test_live_course.py", "tests/test_sandbox.py", timeout=900,
        )  # fmt: skip
        assert tests.returncode == 0, (how, tests.stdout[-3000:])
