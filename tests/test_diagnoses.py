"""The lesson's typical mistakes are named through ``grade``, and only where they were made.

Each slip is made in the reference's own solution (so every other answer stays right), and
each has its twin: the right answer passes, and a different wrong answer is not given that
diagnosis.  Wrong numbers are computed from the reference (the table's rows at the student's
values), never typed.  Also: a wrong choice is explained with the lesson's reason from the
YAML, and ``feedback: brief`` in course.yml stops a multi (or mapping) answer's feedback from
counting what is missing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from conftest import LESSON, command

from grader.course.loader import load_course
from publish.stubs import stubs
from reference.course.targets import Grad, Local, Value, evaluate, evaluate_at_leaves
from reference.table import NUMERIC, TABLE

CHAIN = "(-2*gold + 2/(math.exp(-w1*x1 - w2*x2 - w3*x3) + 1))"  # dL/dS in the solution's words


@pytest.fixture(scope="module")
def course():
    return load_course(LESSON / "course.yml")


def submission(tmp_path: Path, student: str, edits, course_dir: Path = LESSON) -> Path:
    """The reference's solution for ``student`` with some answers replaced."""
    folder = tmp_path / student
    folder.mkdir()
    files = dict(
        stubs(load_course(course_dir / "course.yml"), "en", solution=True, student=student)
    )
    for name, old, new in edits:
        assert files[name].count(old) == 1, (name, old)
        files[name] = files[name].replace(old, new)
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder


def graded(tmp_path: Path, folder: Path, *args) -> dict[str, dict]:
    out = tmp_path / f"{folder.name}.jsonl"
    r = subprocess.run(
        command("grade", folder, "--json", out, "--lang", "en", *args),
        cwd=LESSON,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert r.returncode == 0, r.stderr
    (report,) = [json.loads(line) for line in out.read_text().splitlines()]
    return {q["id"]: q for q in report["questions"]}


def at_student(course, student: str) -> dict[str, np.ndarray]:
    model = course.model
    leaves = model.own_values(student)
    return {k: np.asarray(leaves[k]) for k in model.leaves}


def line(files_name: str, student: str, startswith: str) -> str:
    """The solution's line that starts with ``startswith`` (to replace it whole)."""
    files = dict(stubs(load_course(LESSON / "course.yml"), "en", solution=True, student=student))
    (found,) = [s for s in files[files_name].splitlines() if s.startswith(startswith)]
    return found + "\n"


def sigmoid_plus(course, point) -> float:
    """σ(G)·(1 + σ(G)) at the student's values: the mistaken sigmoid row."""
    g = evaluate_at_leaves(Value("G"), course.model, point)
    s = TABLE["sigmoid"].forward(NUMERIC, np.asarray(g, float))
    return float(s * (1 + s))


def test_the_lessons_slips_are_named(tmp_path, course):
    student = "slips"
    point = at_student(course, student)
    model = course.model
    ds_dg = float(evaluate_at_leaves(Local("S", "G"), model, point))
    dl_dw2 = float(evaluate(Grad("w2"), model, point))
    wrong_change = sigmoid_plus(course, point) * 0.01
    right_sign = line("A.py", student, "L_sign_w1 = ").split("'")[1]
    wrong_sign = "up" if right_sign == "down" else "down"
    folder = submission(
        tmp_path,
        student,
        [
            # dL/dw1 without the sigmoid's link
            ("chain.py", line("chain.py", student, "    return x1*("), f"    return x1*{CHAIN}\n"),
            # dL/dw2 at my values without dS/dG
            (
                "chain.py",
                line("chain.py", student, "dL_dw2_at_my_values = "),
                f"dL_dw2_at_my_values = {dl_dw2 / ds_dg!r}\n",
            ),
            # backward with the two arguments' values swapped
            ("A.py", '{"x1": dL_dA*w1, "w1": dL_dA*x1}', '{"x1": dL_dA*x1, "w1": dL_dA*w1}'),
            # σ(1+σ) for σ(1−σ), as a function and as a hand-computed change
            (
                "S.py",
                "    return (1 - 1/(1 + math.exp(-G)))/(1 + math.exp(-G))\n",
                "    return (1 + 1/(1 + math.exp(-G)))/(1 + math.exp(-G))\n",
            ),
            ("S.py", line("S.py", student, "S_change_G"), f"S_change_G = {wrong_change!r}\n"),
            # a product rule where the row w·a applies
            ("A.py", "    return x1\n", "    return x1 + w1\n"),
            ("A.py", "dA_dw1_formula = 'x1'", "dA_dw1_formula = 'x1 + w1'"),
            # a wrong choice
            ("A.py", f"L_sign_w1 = '{right_sign}'", f"L_sign_w1 = '{wrong_sign}'"),
            ("chain.py", line("chain.py", student, "L_sign_w2 = "), "L_sign_w2 = 'zero'\n"),
        ],
    )
    qs = graded(tmp_path, folder)
    fb = {k: q["feedback"] for k, q in qs.items()}
    assert "factor dS/dG is missing" in fb["chain.dL_dw1"]
    assert "factor dS/dG is missing" in fb["chain.dL_dw2_at_my_values"]
    assert "'x1' and 'w1' are swapped" in fb["A.backward"]
    for qid in ("S.dS_dG", "S.S_change_G"):
        assert "σ·(1 + σ)" in fb[qid], (qid, fb[qid])
        assert qs[qid]["status"] == "failed"
    for qid in ("A.dA_dw1", "A.dA_dw1_formula"):
        assert "product rule" in fb[qid] and "w·a" in fb[qid], (qid, fb[qid])
    why = {o.value: o.why for o in course.by_qid["A.L_sign_w1"].options}
    assert why[wrong_sign] is not None and fb["A.L_sign_w1"] == " ".join(
        why[wrong_sign]["en"].split()
    )
    zero = {o.value: o.why for o in course.by_qid["chain.L_sign_w2"].options}["zero"]
    assert zero is not None and fb["chain.L_sign_w2"] == " ".join(zero["en"].split())
    # the slips cost their points; nothing else does
    assert qs["chain.dL_dw1"]["status"] == qs["A.backward"]["status"] == "failed"
    assert qs["A.dA_dx1"]["status"] == qs["chain.dL_dw3"]["status"] == "passed"
    assert qs["A.L_sign_w1"]["score"] == 0


def test_twins_right_answers_pass_and_other_slips_are_not_misnamed(tmp_path, course):
    student = "twins"
    point = at_student(course, student)
    model = course.model
    ds_dg = float(evaluate_at_leaves(Local("S", "G"), model, point))
    right_change = float(ds_dg * 0.01)
    folder = submission(
        tmp_path,
        student,
        [
            # dL/dw1 without dA/dw1 is the teacher's known mistake {grad: A}: it comes first
            (
                "chain.py",
                line("chain.py", student, "    return x1*("),
                line("chain.py", student, "    return x1*(").replace("x1*(", "(", 1),
            ),
            # only one argument wrong: not a swap
            ("A.py", '{"x1": dL_dA*w1, "w1": dL_dA*x1}', '{"x1": dL_dA*x1, "w1": dL_dA*x1}'),
            # the function itself, not σ(1+σ)
            (
                "S.py",
                "    return (1 - 1/(1 + math.exp(-G)))/(1 + math.exp(-G))\n",
                "    return 1/(1 + math.exp(-G))\n",
            ),
            # twice the right change: a constant factor, not the sigmoid's sign
            ("S.py", line("S.py", student, "S_change_G"), f"S_change_G = {2 * right_change!r}\n"),
            # a difference is not a product rule
            ("A.py", "    return x1\n", "    return x1 - w1\n"),
            ("A.py", "dA_dw1_formula = 'x1'", "dA_dw1_formula = 'x1 - w1'"),
        ],
    )
    qs = graded(tmp_path, folder)
    fb = {k: q["feedback"] for k, q in qs.items()}
    known = [
        " ".join(m.feedback["en"].split())
        for m in course.by_qid["chain.dL_dw1"].mistakes
        if m.target == Grad("A")
    ]
    assert fb["chain.dL_dw1"] in known and "The factor" not in fb["chain.dL_dw1"]
    assert "swapped" not in fb["A.backward"] and qs["A.backward"]["status"] == "failed"
    for qid in ("S.dS_dG", "S.S_change_G"):
        assert "σ·(1 + σ)" not in fb[qid] and qs[qid]["status"] == "failed", (qid, fb[qid])
    for qid in ("A.dA_dw1", "A.dA_dw1_formula"):
        assert "product rule" not in fb[qid] and qs[qid]["status"] == "failed", (qid, fb[qid])
    # the right answers around them pass, and a right choice gets no reason
    for qid in ("chain.dL_dw2", "chain.dL_dw1_at_my_values", "S.backward", "A.L_sign_w1"):
        assert qs[qid]["status"] == "passed", (qid, qs[qid])
    assert "only if" not in fb["A.L_sign_w1"]


def brief_course(tmp_path: Path, mode: str) -> Path:
    folder = tmp_path / f"course-{mode}"
    folder.mkdir()
    text = (LESSON / "course.yml").read_text()
    assert text.count("feedback: detailed") == 1
    (folder / "course.yml").write_text(text.replace("feedback: detailed", f"feedback: {mode}"))
    shutil.copytree(LESSON / "exercises", folder / "exercises")
    return folder


def test_brief_feedback_does_not_count_missing_choices(tmp_path, course):
    edits = [
        ("prep.py", "functions_with_parameters = {", "functions_with_parameters = {'G', "),
        ("prep.py", "arguments = {'A': ['x1', 'w1']", "arguments = {'A': ['x1']"),
    ]
    detailed = graded(tmp_path, submission(tmp_path, "det", edits))
    assert "1 wrong option chosen" in detailed["prep.functions_with_parameters"]["feedback"]
    assert "Not right for: A" in detailed["prep.arguments"]["feedback"]
    folder = brief_course(tmp_path, "brief")
    brief = graded(tmp_path, submission(tmp_path, "brf", edits, folder), "--course", folder)
    multi, mapping = brief["prep.functions_with_parameters"], brief["prep.arguments"]
    assert multi["feedback"] == "Not right." and multi["status"] == "failed"
    assert (
        mapping["feedback"] == "Not right."
        and mapping["score"] == detailed["prep.arguments"]["score"]
    )
    # the twin: right answers pass in brief mode too
    assert brief["prep.outputs"]["status"] == "passed"


def test_the_feedback_key_is_checked_at_its_line(tmp_path):
    folder = brief_course(tmp_path, "loud")
    r = subprocess.run(
        command("course", "validate", "--course", folder, "--lang", "en"),
        capture_output=True,
        text=True,
    )
    assert r.returncode != 0
    number = next(
        i + 1
        for i, s in enumerate((folder / "course.yml").read_text().splitlines())
        if s.startswith("feedback:")
    )
    assert (
        f"course.yml:{number}" in r.stdout + r.stderr and "detailed, brief" in r.stdout + r.stderr
    )
