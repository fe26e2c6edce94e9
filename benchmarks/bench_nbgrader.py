"""Benchmark: `nbgrader autograde` through our sandbox vs stock nbgrader's kernels (by hand).

    python3 benchmarks/bench_nbgrader.py [--students N] [--keep DIR]

Builds an nbgrader course root with `course nbgrader`, releases it with `nbgrader
generate_assignment` and submits N students (default 4: perfect, blank, with typical
mistakes, cycling; made by tests/test_nbgrader.py's helpers) as
`submitted/<student>/<assignment>/`.  A copy of that root is configured with nbgrader's
default autograde preprocessors (stock: nbgrader's Execute, a Jupyter kernel per notebook).
Then, side by side on the same notebooks, each one command for the whole class:

* stock `nbgrader autograde <assignment>` (kernels);
* ours: the same command on the root `course nbgrader` wrote (our preprocessor, the sandbox);
* `grade <root>` for reference, and nbgrader's bare start-up (`nbgrader --version`).

Prints seconds per student for each and the ratio, and asserts that our gradebook and
`grade` give every student the same score on every question.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The workplace sets PYTHONDONTWRITEBYTECODE, which would make every start compile the sources
# (ours and nbgrader's alike): a teacher's installation has its bytecode.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from conftest import command  # noqa: E402
from test_nbgrader import nbgrader_scores, submit  # noqa: E402

from reference.course.exercises import load_course  # noqa: E402

KINDS = ("perfect", "blank", "mistakes")
STOCK = """
# benchmark: stock nbgrader, its default autograde steps (Execute: a kernel per notebook)
from nbgrader.converters.autograde import Autograde
c.Autograde.autograde_preprocessors = Autograde.class_traits()["autograde_preprocessors"].default()
"""


def timed(*cmd, cwd: Path) -> float:
    started = time.perf_counter()
    r = subprocess.run(command(*cmd), cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if r.returncode != 0:
        sys.exit(f"{' '.join(map(str, cmd))} failed:\n{r.stdout}\n{r.stderr}")
    return seconds


def grade_json(root: Path) -> tuple[float, dict[str, dict[str, float]]]:
    out = root.parent / "bench-grades.jsonl"
    out.unlink(missing_ok=True)
    seconds = timed("grade", root, "--json", out, "--lang", "en", cwd=root)
    scores = {}
    for line in out.read_text().splitlines():
        obj = json.loads(line)
        scores[obj["student"]] = {q["id"]: q["score"] for q in obj["questions"] if "score" in q}
    return seconds, scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=4)
    parser.add_argument("--keep", type=Path, help="build in this (new) folder and keep it")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-nbgrader-"))
    root, stock = work / "course", work / "stock"
    course = load_course(ROOT / "course.yml")
    a = course.assignment
    students = {f"s{i:03d}": KINDS[i % len(KINDS)] for i in range(args.students)}
    try:
        timed("course", "nbgrader", "--out", root, "--lang", "en", cwd=ROOT)
        timed("nbgrader", "generate_assignment", a, cwd=root)
        submit(root, course, "en", students)
        shutil.copytree(root, stock)
        with (stock / "nbgrader_config.py").open("a", encoding="utf-8") as f:
            f.write(STOCK)
        notebooks = sum(1 for _ in (root / "submitted").glob(f"*/{a}/*.ipynb"))

        startup = min(timed("nbgrader", "--version", cwd=root) for _ in range(2))
        stock_s = timed("nbgrader", "autograde", a, cwd=stock)
        ours_s = timed("nbgrader", "autograde", a, cwd=root)
        ours = nbgrader_scores(root, course, students)
        grade_s, graded = grade_json(root)
        different = {
            s: [q for q in ours[s] if abs(ours[s][q] - graded[s][q]) > 1e-6] for s in students
        }
        assert not any(different.values()), f"autograde and grade differ: {different}"
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)

    n = len(students)
    per_stock, per_ours = stock_s / n, ours_s / n
    marginal_stock, marginal_ours = (stock_s - startup) / n, (ours_s - startup) / n
    total = {s: sum(v.values()) for s, v in ours.items()}
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(f"{n} students, {notebooks} notebooks; totals {total}, = grade's on every question")
    print(f"nbgrader start-up (nbgrader --version):   {startup:7.2f} s")
    print(
        f"stock nbgrader autograde (kernels), all {n}: {stock_s:7.2f} s = {per_stock:6.2f} s a "
        f"student ({marginal_stock:.2f} s without start-up)"
    )
    print(
        f"ours (sandbox, no kernel), all {n}:        {ours_s:7.2f} s = {per_ours:6.2f} s a "
        f"student ({marginal_ours:.2f} s without start-up)"
    )
    print(
        f"ratio per student: {per_stock / per_ours:.1f}x "
        f"({marginal_stock / marginal_ours:.1f}x without start-up)"
    )
    print(
        f"grade <root>, all {n}:                   {grade_s:7.2f} s = {grade_s / n:6.2f} s a "
        f"student: {stock_s / grade_s:.1f}x faster than stock autograde"
    )


if __name__ == "__main__":
    main()
