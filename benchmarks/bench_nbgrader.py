"""Benchmark: `nbgrader autograde` and `grade` on the same submitted notebooks (run by hand).

    python3 benchmarks/bench_nbgrader.py [--students N] [--class-size M] [--keep DIR]

Builds an nbgrader course root with `course nbgrader`, releases it with `nbgrader
generate_assignment` and submits N students (default 3: a perfect one, the blank release and
one with typical mistakes, cycling; made by tests/test_nbgrader.py's helpers) as
`submitted/<student>/<assignment>/`.  Then, side by side in this run:

* `nbgrader autograde <assignment>`: every student, one command (a kernel per notebook);
* `grade <root>`: the same submitted notebooks, one command, cold (a fresh process);
* `grade <one student's folder>`: one student, cold, the median of a few runs;
* `grade` on a class of M (default 60) copies of the same notebooks under new student ids,
  one command: the cost per student once start-up is shared.

Prints seconds per student for each and the ratios, and asserts that nbgrader and `grade`
give every one of the N students the same score on every question.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from test_nbgrader import nbgrader_scores, submit  # noqa: E402

from reference.course.exercises import load_course  # noqa: E402

KINDS = ("perfect", "blank", "mistakes")


def timed(*cmd, cwd: Path) -> float:
    exe = shutil.which(cmd[0])
    if exe is None:
        sys.exit(f"{cmd[0]} is not installed: pip install -e '.[test]'")
    started = time.perf_counter()
    r = subprocess.run([exe, *map(str, cmd[1:])], cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if r.returncode != 0:
        sys.exit(f"{' '.join(map(str, cmd))} failed:\n{r.stdout}\n{r.stderr}")
    return seconds


def grade_json(root: Path, *paths: Path) -> tuple[float, dict[str, dict[str, float]]]:
    out = root / "bench-grades.jsonl"
    out.unlink(missing_ok=True)
    seconds = timed("grade", *paths, "--json", out, "--lang", "en", cwd=root)
    scores = {}
    for line in out.read_text().splitlines():
        obj = json.loads(line)
        scores[obj["student"]] = {q["id"]: q["score"] for q in obj["questions"]}
    return seconds, scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=3)
    parser.add_argument("--class-size", type=int, default=60)
    parser.add_argument("--keep", type=Path, help="build in this (new) folder and keep it")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-nbgrader-"))
    root = work / "course"
    course = load_course(ROOT / "course.yml")
    a = course.assignment
    students = {f"s{i:03d}": KINDS[i % len(KINDS)] for i in range(args.students)}
    try:
        timed("course", "nbgrader", "--out", root, "--lang", "en", cwd=ROOT)
        timed("nbgrader", "generate_assignment", a, cwd=root)
        submit(root, course, "en", students)
        notebooks = sum(1 for _ in (root / "submitted").glob(f"*/{a}/*.ipynb"))

        nbgrader_s = timed("nbgrader", "autograde", a, cwd=root)
        theirs = nbgrader_scores(root, course, students)
        grade_s, ours = grade_json(root, root / "submitted")
        first = root / "submitted" / next(iter(students)) / a
        one = statistics.median(grade_json(root, first)[0] for _ in range(3))

        different = {
            s: [q for q in theirs[s] if abs(theirs[s][q] - ours[s][q]) > 1e-6] for s in students
        }
        assert not any(different.values()), f"nbgrader and grade differ: {different}"

        klass = work / "class"
        for i in range(args.class_size):
            source = root / "submitted" / list(students)[i % len(students)] / a
            shutil.copytree(source, klass / f"c{i:04d}" / a)
        class_s, _ = grade_json(root, klass)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)

    n = len(students)
    per_nbgrader, per_grade = nbgrader_s / n, grade_s / n
    per_class = class_s / args.class_size
    total = {s: sum(v.values()) for s, v in ours.items()}
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(
        f"{n} students ({', '.join(f'{s}={k}' for s, k in students.items())}), "
        f"{notebooks} submitted notebooks; totals {total}: identical per question in "
        f"nbgrader's gradebook and grade's report"
    )
    print(
        f"nbgrader autograde, all {n}:           {nbgrader_s:7.2f} s = "
        f"{per_nbgrader:6.2f} s a student ({nbgrader_s / notebooks:.2f} s a notebook)"
    )
    print(
        f"grade, the same {n}, one command, cold: {grade_s:7.2f} s = {per_grade:6.3f} s a "
        f"student   ratio {per_nbgrader / per_grade:6.0f}x"
    )
    print(
        f"grade, one student, cold (median of 3): {one:7.2f} s              "
        f"   ratio {per_nbgrader / one:6.0f}x"
    )
    print(
        f"grade, a class of {args.class_size} copies, one command: {class_s:7.2f} s = "
        f"{per_class:6.3f} s a student   ratio {per_nbgrader / per_class:6.0f}x"
    )


if __name__ == "__main__":
    main()
