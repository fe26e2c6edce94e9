"""The package as a teacher installs it: a wheel, without extras, in a venv of its own.

The rest of the suite runs on an editable install with the test extras, from the checkout, so
it cannot see a file that is not package data, a dependency that is only a test extra, or code
that reads the checkout at run time (all three once graded every student 0/79 with exit 0).
Here the wheel is built from a clean copy of the sources, installed into a brand-new venv
without system site-packages (its dependencies come from the package index), and run on a copy
of course.yml, exercises/ and samples/ in a folder that is not the checkout.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import LESSON

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]

# Every file a run reads that is not a module of a package (pyproject.toml's package-data), and
# the code that runs in the sandbox and in the hidden tests.
RUN_TIME_FILES = (
    "grader/hidden/pytest.ini",
    "grader/hidden/test_questions.py",
    "grader/sandbox/child/__init__.py",
    "grader/sandbox/child/answers.py",
    "grader/sandbox/child/boot.py",
    "grader/sandbox/child/forkserver.py",
    "grader/sandbox/child/framing.py",
    "grader/sandbox/child/kernel.py",
    "grader/sandbox/child/landlock.py",
    "grader/sandbox/child/mounts.py",
    "grader/sandbox/child/privileges.py",
    "grader/sandbox/child/runner.py",
    "grader/sandbox/child/seccomp.py",
    "grader/sandbox/child/supervisor.py",
    "grader/sandbox/child/values.py",
    "publish/files/check.py",
    "reference/catalogue/en/release.py",
    "reference/catalogue/ru/expr.py",
    "grader/course/exercise.schema.json",
)
# A clean source tree: a stale build/ would leak deleted files into the wheel.
SOURCE_IGNORE = shutil.ignore_patterns(
    ".git",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    ".*_cache",
    ".hypothesis",
    ".venv",
    "tests",
    "samples",
    "benchmarks",
)
COURSE_IGNORE = shutil.ignore_patterns("__pycache__")
# The variables that would let the checkout or this venv leak into the new one.
LEAKY = ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV", "PYTEST_ADDOPTS")


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in LEAKY}


def run(cmd: list, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    """``cmd`` in ``cwd``; it must exit 0 (its output is the failure message otherwise)."""
    r = subprocess.run(
        [str(c) for c in cmd],
        cwd=cwd,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert r.returncode == 0, f"{' '.join(map(str, cmd))} → {r.returncode}\n{r.stdout}\n{r.stderr}"
    return r


def _can_build_here() -> bool:
    """This interpreter's setuptools can build the wheel without fetching one: at least the
    build-system's setuptools>=68, with bdist_wheel (its own from 70.1, else the wheel package).
    Otherwise pip builds in isolation, fetching setuptools from the index (cached)."""
    spec = importlib.util.find_spec("setuptools")
    if spec is None:
        return False
    import setuptools

    version = tuple(int(n) for n in re.findall(r"\d+", setuptools.__version__)[:2])
    return version >= (70, 1) or (version >= (68, 0) and bool(importlib.util.find_spec("wheel")))


@pytest.fixture(scope="session")
def wheel(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=SOURCE_IGNORE)
    isolation = [] if not _can_build_here() else ["--no-build-isolation"]
    run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", *isolation, "-w", "dist", source],
        cwd=work,
    )
    (built,) = (work / "dist").glob("backprop_course-*.whl")
    return built


@pytest.fixture(scope="session")
def venv(wheel, tmp_path_factory) -> Path:
    """bin/ of a new venv, no system site-packages, holding the wheel without extras."""
    folder = tmp_path_factory.mktemp("venv")
    run([sys.executable, "-m", "venv", folder], cwd=folder)
    assert "include-system-site-packages = false" in (folder / "pyvenv.cfg").read_text()
    run([folder / "bin" / "python", "-m", "pip", "install", "-q", wheel], cwd=folder)
    return folder / "bin"


@pytest.fixture(scope="session")
def course(tmp_path_factory) -> Path:
    """course.yml, exercises/ and samples/, copied to a folder that is not the checkout."""
    folder = tmp_path_factory.mktemp("course")
    shutil.copy(LESSON / "course.yml", folder / "course.yml")
    for name in ("exercises", "samples"):
        shutil.copytree(LESSON / name, folder / name, ignore=COURSE_IGNORE)
    return folder


def test_the_wheel_holds_every_file_a_run_reads_and_no_course(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert set(RUN_TIME_FILES) <= names, sorted(set(RUN_TIME_FILES) - names)
    # the teacher's course and the project's tests are not the package
    top = {n.split("/")[0] for n in names}
    assert not top & {"tests", "exercises", "samples", "course.yml", "benchmarks"}, sorted(top)


def test_the_installed_packages_are_the_wheels_not_the_checkouts(venv, course):
    r = run(
        [
            venv / "python",
            "-c",
            "import cli, grader, publish, reference, pytest, numpy\n"
            "for m in (cli, grader, publish, reference, pytest, numpy): print(m.__file__)",
        ],
        cwd=course,
    )
    site = (venv.parent / "lib").resolve()
    for line in r.stdout.split():
        assert Path(line).resolve().is_relative_to(site), line


@pytest.mark.parametrize("how", ["console script", "python -m"])
def test_course_validate_passes(venv, course, how):
    argv = [venv / "course"] if how == "console script" else [venv / "python", "-m", "cli.course"]
    r = run([*argv, "validate", "--lang", "en"], cwd=course)
    assert "problem" not in r.stdout + r.stderr


def _report(venv: Path, course: Path, sample: str) -> dict:
    out = course / f"{sample}.jsonl"
    out.unlink(missing_ok=True)
    run([venv / "grade", f"samples/{sample}", "--json", out.name, "--lang", "en"], cwd=course)
    (report,) = [json.loads(line) for line in out.read_text().splitlines()]
    return report


def test_grade_gives_the_perfect_sample_full_marks(venv, course):
    report = _report(venv, course, "perfect")
    assert report["score"] == report["max_score"] > 0
    auto = [q for q in report["questions"] if q["status"] != "manual"]
    assert auto and all(q["status"] == "passed" for q in auto), auto


def test_grade_gives_the_mistakes_sample_less(venv, course):
    """The twin: the installed grader does find mistakes (and is not all zeros either)."""
    report = _report(venv, course, "mistakes")
    assert 0 < report["score"] < report["max_score"]
    assert any(q["status"] in ("failed", "partial") for q in report["questions"])


def test_course_release_writes_a_release_whose_check_passes_when_solved(venv, course, tmp_path):
    """The release's files (check.py, READMEs) are package data too."""
    out = tmp_path / "release"
    run([venv / "course", "release", "--out", out, "--lang", "en", "--solutions"], cwd=course)
    for name in ("check.py", "README.md", "public_examples.json", "A.py"):
        assert (out / name).is_file(), name
    run([venv / "python", "check.py"], cwd=out, timeout=120)  # exit 0: everything passes


def test_the_readme_quick_start_in_a_venv_made_in_the_checkout(tmp_path):
    """The README's quick start, verbatim, in a copy of the checkout: a venv made in the folder
    (``python3 -m venv .venv``), then ``pip install -e .`` and ``grade samples``.  numpy then
    lives inside the course repository that the sandbox hides from student code; hiding it too
    once graded every student 0/79 ("No module named 'numpy'")."""
    checkout = tmp_path / "checkout"
    ignore = shutil.ignore_patterns(
        ".git", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", ".venv", "tests"
    )
    shutil.copytree(ROOT, checkout, ignore=ignore)
    run([sys.executable, "-m", "venv", ".venv"], cwd=checkout)
    python = checkout / ".venv" / "bin" / "python"
    run([python, "-m", "pip", "install", "-q", "-e", "."], cwd=checkout)
    run([checkout / ".venv" / "bin" / "grade", "samples", "--json", "g.jsonl"], cwd=checkout)
    reports = {
        Path(r["submission"]).name: r
        for r in map(json.loads, (checkout / "g.jsonl").read_text().splitlines())
    }
    perfect, mistakes = reports["perfect"], reports["mistakes"]
    assert perfect["score"] == perfect["max_score"] > 0, perfect
    assert 0 < mistakes["score"] < mistakes["max_score"]  # the twin: not all full marks either
