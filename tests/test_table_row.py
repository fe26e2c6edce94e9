"""A new row of the derivative table touches the files the README says, and every door follows.

The packages are copied to a temporary folder and changed there as a teacher would change
them: a ``softplus`` row in ``reference/table/__init__.py`` (written with the backends'
primitives, so no backend needs an entry) and its sentence in each language of the
catalogue.  A copy of the lesson's course then uses it (``S(G): softplus(G)``, and the
option its output calls for in the warm-up), and the changed package validates the course,
releases its solutions, grades them to full marks and passes the student's own check.py.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import LESSON

ROOT = Path(__file__).resolve().parents[1]
ROW = """
    _row(
        "softplus",
        "a",
        lambda m, a: m.log(1 + m.exp(a)),
        (lambda m, a: m.sigmoid(a),),
        "softplus",
    ),"""
SENTENCES = {"en": "softplus log(1 + e^a)", "ru": "softplus log(1 + e^a), «мягкий» ReLU"}
OPTION = """      - value: any_number
        text: {ru: "любое число", en: "any number"}
"""


def changed_packages(folder: Path, with_row: bool = True) -> Path:
    for package in ("reference", "grader", "publish", "cli"):
        shutil.copytree(
            ROOT / package, folder / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    if with_row:
        table = folder / "reference" / "table" / "__init__.py"
        text = table.read_text(encoding="utf-8")
        end = text.rindex("\n)", 0, text.index("\nTABLE: dict[str, Entry]"))
        table.write_text(text[:end] + ROW + text[end:], encoding="utf-8")
        for lang, sentence in SENTENCES.items():
            module = folder / "reference" / "catalogue" / lang / "table.py"
            text = module.read_text(encoding="utf-8")
            line = f"TEXT = {{\n    'table.softplus': {sentence!r},\n"
            module.write_text(text.replace("TEXT = {\n", line, 1), encoding="utf-8")
    return folder


def course_using_it(folder: Path) -> Path:
    shutil.copytree(LESSON, folder, ignore=shutil.ignore_patterns("samples"))
    course = folder / "course.yml"
    text = course.read_text(encoding="utf-8")
    course.write_text(text.replace("  S(G): sigmoid(G)\n", "  S(G): softplus(G)\n"))
    prep = folder / "exercises" / "prep.yml"
    text = prep.read_text(encoding="utf-8")
    loss = text.index("      - value: loss\n")
    after = text.index("\n", text.index("text:", loss)) + 1
    prep.write_text(text[:after] + OPTION + text[after:], encoding="utf-8")
    return course


def run(src: Path, *argv: object, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(src), "BACKPROP_COURSE_CACHE": "off"}
    return subprocess.run(
        [sys.executable, *map(str, argv)],
        capture_output=True, text=True, timeout=300, cwd=cwd, env=env,
    )  # fmt: skip


def test_a_new_row_reaches_every_door(tmp_path):
    src = changed_packages(tmp_path / "src")
    course = course_using_it(tmp_path / "course")
    valid = run(src, "-m", "cli.course", "validate", "--course", course, "--lang", "en",
                cwd=tmp_path)  # fmt: skip
    assert valid.returncode == 0, valid.stdout + valid.stderr
    release = tmp_path / "release"
    made = run(src, "-m", "cli.course", "release", "--solutions", "--student", "anna",
               "--out", release, "--course", course, "--lang", "en", cwd=tmp_path)  # fmt: skip
    assert made.returncode == 0, made.stderr
    s_py = (release / "S.py").read_text(encoding="utf-8")
    assert "S = softplus(G)" in s_py and "softplus" in s_py.split('"""')[1]  # the allowed list
    graded = run(src, "-m", "cli.grade", release, "--course", course, "--json",
                 tmp_path / "g.jsonl", "--lang", "en", cwd=tmp_path)  # fmt: skip
    assert graded.returncode == 0, graded.stderr
    (report,) = map(json.loads, (tmp_path / "g.jsonl").read_text().splitlines())
    assert report["score"] == report["max_score"] > 0, report
    assert {q["status"] for q in report["questions"]} <= {"passed", "manual"}
    checked = run(src, "check.py", "S", cwd=release)
    assert "wrong: 0" in checked.stdout and "errors: 0" in checked.stdout, checked.stdout


def test_without_the_row_the_course_is_refused_at_its_line(tmp_path):
    """The twin: the same course on the unchanged packages names the unknown function."""
    src = changed_packages(tmp_path / "src", with_row=False)
    course = course_using_it(tmp_path / "course")
    valid = run(src, "-m", "cli.course", "validate", "--course", course, "--lang", "en",
                cwd=tmp_path)  # fmt: skip
    assert valid.returncode != 0
    assert "softplus" in valid.stdout + valid.stderr
