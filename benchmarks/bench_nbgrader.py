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

    python3 benchmarks/bench_nbgrader.py --regrade DIR --stock S [--stock-one S1] [--base DIR]
        [--rounds R]

Grades again a folder kept by ``--keep`` (its ``course/``, submitted notebooks included)
without running stock nbgrader again (minutes a class): ``--stock`` is the seconds a student
that stock autograde took in the run that kept it, ``--stock-one`` what it took for one
student alone (a ``--students 1`` run).  Each
round times ``grade <root>`` (the class) and ``grade <root>/submitted/<first student>`` (one
student, cold); with ``--base`` (an earlier checkout: ``git archive <commit> | tar -x -C
DIR``) that version runs alternately with this one and the per-question results of both are
compared (the submission digest and course digest aside: they name the grader's version).
With ``--copies K`` the class graded is the kept one K times over (each student copied under
new ids into ``DIR/copies-K/``, made once), where a class of 20 is too small to show what a
student costs; each version's marginal cost, (class - one student) / (n - 1), is printed too.
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
# The workplace sets PYTHONDONTWRITEBYTECODE, which would make every start compile the sources
# (ours and nbgrader's alike): a teacher's installation has its bytecode.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from conftest import command  # noqa: E402
from test_nbgrader import nbgrader_scores, submit  # noqa: E402

from grader.course.loader import load_course  # noqa: E402

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


def _graded(tree: Path, path: Path, course: Path, out: Path | None) -> float:
    """Seconds of ``grade path`` run from checkout ``tree`` (its own code, bytecode allowed)."""
    cmd = [sys.executable, "-m", "cli.grade", str(path), "--lang", "en", "--course", str(course)]
    if out is not None:
        out.unlink(missing_ok=True)
        cmd += ["--json", str(out)]
    env = dict(os.environ, PYTHONPATH=str(tree))
    started = time.perf_counter()
    subprocess.run(cmd, cwd=tree, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def _results(out: Path) -> dict[str, list]:
    return {o["submission"]: o["questions"] for o in map(json.loads, out.read_text().splitlines())}


def copied(kept: Path, copies: int) -> Path:
    """The kept folder with each submitted student ``copies`` times (new ids), made once."""
    where = kept / f"copies-{copies}"
    if not where.exists():
        shutil.copytree(kept / "course", where / "course", symlinks=True)
        submitted = where / "course" / "submitted"
        for student in sorted(p for p in submitted.iterdir() if p.is_dir()):
            for k in range(2, copies + 1):
                shutil.copytree(student, submitted / f"{student.name}x{k}", symlinks=True)
    return where


def regrade(
    kept: Path, stock: float, stock_one: float | None, base: Path | None, rounds: int
) -> None:
    """``grade`` on a kept root, alternating with ``base``, against stock figures measured
    before (seconds a student in a class, and for one student alone)."""
    root = kept / "course"
    students = sorted(p for p in (root / "submitted").iterdir() if p.is_dir())
    one, n = students[0], len(students)
    trees = {"base": base.resolve(), "this": ROOT} if base else {"this": ROOT}
    figures: dict[str, dict[str, list[float]]] = {k: {"one": [], "class": []} for k in trees}
    found: dict[str, dict[str, list]] = {}
    for _ in range(rounds):
        for name, tree in trees.items():
            out = kept / f"regrade-{name}.jsonl"
            figures[name]["class"].append(_graded(tree, root, root / "course.yml", out))
            found[name] = _results(out)
            figures[name]["one"].append(_graded(tree, one, root / "course.yml", None))
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; {rounds} rounds")
    print(f"stock nbgrader autograde, measured before: {stock:.2f} s a student")
    for name, f in figures.items():
        c, o = statistics.median(f["class"]), statistics.median(f["one"])
        alone = f" = {stock_one / o:5.1f}x stock for one" if stock_one else ""
        print(
            f"{name}: a class of {n}: {c:6.2f} s (min {min(f['class']):.2f}) = "
            f"{stock * n / c:6.1f}x stock; one student cold: {o:5.2f} s (min "
            f"{min(f['one']):.2f}){alone}; a student more: {(c - o) / max(n - 1, 1) * 1000:.1f} ms"
        )
    if base:
        print("per-question results identical across versions:", found["base"] == found["this"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=4)
    parser.add_argument("--keep", type=Path, help="build in this (new) folder and keep it")
    parser.add_argument("--regrade", type=Path, help="a folder kept by --keep: grade it again")
    parser.add_argument("--stock", type=float, help="with --regrade: stock seconds a student")
    parser.add_argument("--stock-one", type=float, help="with --regrade: stock, one student (s)")
    parser.add_argument("--base", type=Path, help="with --regrade: an earlier checkout")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--copies", type=int, default=1, help="with --regrade: each student K times"
    )
    args = parser.parse_args()
    if args.regrade:
        if args.stock is None:
            parser.error("--regrade needs --stock (seconds a student, from the run that kept it)")
        kept = copied(args.regrade, args.copies) if args.copies > 1 else args.regrade
        regrade(kept, args.stock, args.stock_one, args.base, args.rounds)
        return
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
