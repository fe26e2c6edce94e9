"""Issue 24, fair marks at the edges: the update step judged as a step, numbers diagnosed like
formulas; through the real ``grade``.

Every expected value here is computed in plain Python from the student's own leaf values (the
lesson's linear model and sigmoid written out by hand), never by the reference.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys

import pytest
from conftest import LESSON, command
from test_fair_values import number, solved, write
from test_grade import by_id, graded

from grader.course.loader import load_course
from reference.course.sampling import student_values

LR = 0.001


@pytest.fixture(scope="module")
def course():
    return load_course(LESSON / "course.yml")


def step_values(course, student: str) -> tuple[float, float]:
    """(param_old, dLoss/dparam) of step.yml's model, pred = w1·x1 + param·x2 + w3·x3."""
    model = next(e for e in course.exercises if e.id == "step").questions[0].model
    v = student_values(model.seed, student, model.ranges)
    pred = v["w1"] * v["x1"] + v["param"] * v["x2"] + v["w3"] * v["x3"]
    return v["param"], -2 * (v["gold"] - pred) * v["x2"]


def sig(x: float, n: int) -> float:
    """``x`` rounded to ``n`` significant digits."""
    return float(f"{x:.{n - 1}e}")


def rounded_off(course) -> str:
    """An id whose step loses more than the tolerance (1e-3) at 3 significant digits and more
    than the near miss's width at 2, so that each rounding is told apart."""
    for k in range(1000):
        student = f"id{k}"
        step = LR * step_values(course, student)[1]
        if abs(sig(step, 3) - step) > 2e-3 * abs(step) and abs(sig(step, 2) - step) > 2e-2 * abs(
            step
        ):
            return student
    raise AssertionError("no such id")


def new_param(tmp_path, course, student, value):
    files = {"step.py": solved(course, student)["step.py"]}
    number(files, course, "step.param_new_at_my_values", value)
    folder = write(tmp_path / str(value), student, files)
    reports, _ = graded(tmp_path, folder)
    return by_id(reports[student])["step.param_new_at_my_values"]


@pytest.mark.parametrize(
    ("how", "score", "says"),
    [
        ("right", 1.0, ""),
        ("no step", 0.0, "no step was taken"),
        ("wrong way", 0.0, "wrong way"),
        ("lr 0.01", 0.0, "10 times the right one"),
        ("lr missing", 0.0, "learning rate 0.001 is missing"),
        ("the change", 0.0, "That is the change"),
        ("step to 4 digits", 1.0, ""),
        ("step to 3 digits", 0.5, "keep more digits"),
        ("step to 2 digits", 0.0, "Not right at your values"),
    ],
)
def test_the_new_parameter_is_judged_on_its_step(tmp_path, course, how, score, says):
    student = rounded_off(course)
    old, grad = step_values(course, student)
    step = LR * grad
    value = {
        "right": old - step,
        "no step": old,
        "wrong way": old + step,
        "lr 0.01": old - 10 * step,
        "lr missing": old - grad,
        "the change": grad,
        "step to 4 digits": old - sig(step, 4),
        "step to 3 digits": old - sig(step, 3),
        "step to 2 digits": old - sig(step, 2),
    }[how]
    q = new_param(tmp_path, course, student, value)
    assert q["score"] == pytest.approx(score), q
    assert says in q["feedback"], q["feedback"]
    assert f"{old - step:.6f}"[:7] not in q["feedback"]  # never the right value


def test_over_a_class_the_old_parameter_never_earns_credit(tmp_path, course):
    """200 ids, each handing in param_old as param_new: 0 for every one (the relative
    tolerance of the parameter was wider than the step for about 5 % of ids)."""
    klass = tmp_path / "class"
    ids = [f"s{k:03d}" for k in range(200)]
    template = solved(course, "s000")["step.py"]
    for student in ids:
        old, _ = step_values(course, student)
        files = {"step.py": template}
        number(files, course, "step.param_new_at_my_values", old)
        (write(klass, student, files) / "student.txt").write_text(student)
    out = tmp_path / "grades.jsonl"
    r = subprocess.run(
        command("grade", klass, "--json", out, "--lang", "en"),
        cwd=LESSON,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert r.returncode == 0, r.stderr
    scores = {}
    for line in out.read_text().splitlines():
        o = json.loads(line)
        scores[o["student"]] = by_id(o)["step.param_new_at_my_values"]["score"]
    assert len(scores) == 200 and set(scores.values()) == {0.0}
    steps = [step_values(course, s) for s in ids]
    assert any(abs(LR * grad) < 1e-4 * abs(old) for old, grad in steps)  # near-miss width once


def test_a_change_computed_from_the_function_itself_is_named(tmp_path, course):
    """S_change_G: 0.01 · σ(G) instead of 0.01 · σ'(G); and the derivative without the 0.01."""
    student = "ada"
    v = student_values(course.model.seed, student, course.model.ranges)
    g = v["w1"] * v["x1"] + v["w2"] * v["x2"] + v["w3"] * v["x3"]
    s = 1 / (1 + math.exp(-g))
    for value, says in (
        (0.01 * s, "the function S itself times 0.01"),
        (-0.01 * s * (1 - s), "sign"),
        (0.01 * s * (1 - s), ""),  # the twin: right
    ):
        files = {"S.py": solved(course, student)["S.py"]}
        number(files, course, "S.S_change_G", value)
        folder = write(tmp_path / f"{value:.8f}", student, files)
        reports, _ = graded(tmp_path, folder)
        q = by_id(reports[student])["S.S_change_G"]
        assert says in q["feedback"], q
        assert (q["status"] == "passed") == (says == "")


# --- answers as typed ---------------------------------------------------------------------------


def typed(tmp_path, course, student, name, old, new):
    """``student``'s solved prep.py with one answer's text replaced, graded."""
    files = {"prep.py": solved(course, student)["prep.py"]}
    assert files["prep.py"].count(old) == 1, old
    files["prep.py"] = files["prep.py"].replace(old, new)
    folder = write(tmp_path / f"t{abs(hash(new))}", student, files)
    reports, _ = graded(tmp_path, folder)
    return by_id(reports[student])


@pytest.mark.parametrize(
    ("old", "new", "qid", "passed", "says"),
    [
        # a set typed on a Russian keyboard: Cyrillic А, В, С
        (
            "{'A', 'B', 'C'}",
            "{'\u0410', '\u0412', '\u0421'}",
            "prep.functions_with_parameters",
            True,
            "",
        ),
        ("{'A', 'B', 'C'}", "{'a', ' b', 'C '}", "prep.functions_with_parameters", True, ""),
        (
            "{'A', 'B', 'C'}",
            "{'A', 'B', 'Q'}",
            "prep.functions_with_parameters",
            False,
            "'Q': not one of the options",
        ),
        (
            "{'A', 'B', 'C'}",
            "{'A', 'B', 'G'}",
            "prep.functions_with_parameters",
            False,
            "wrong option chosen",
        ),
        ("'S': 'probability'", "'S': ' Probability '", "prep.outputs", True, ""),
        ("'A': 'product'", "'\u0410': 'Product'", "prep.outputs", True, ""),
        (
            "'S': 'probability'",
            "'S': 'probabilty'",
            "prep.outputs",
            False,
            "'probabilty': not one of the options",
        ),
        ("'S': ['G']", "'s': ['g']", "prep.arguments", True, ""),
        # two options that both hold of one function are both right
        ("'S': 'probability'", "'S': 'between_-1_and_1'", "prep.outputs", True, ""),
        ("'L': 'loss'", "'L': 'non_negative'", "prep.outputs", True, ""),
        ("'G': 'sum'", "'G': 'non_negative'", "prep.outputs", False, "Not right for: G"),
        ("'S': ['G']", "'S': ['G', 'A']", "prep.arguments", False, "Not right for: S"),
    ],
)
def test_labels_are_read_as_typed_and_what_is_no_option_is_named(
    tmp_path, course, old, new, qid, passed, says
):
    q = typed(tmp_path, course, "ada", qid.split(".")[1], old, new)[qid]
    assert (q["status"] == "passed") == passed, q
    assert says in q["feedback"], q["feedback"]


@pytest.mark.parametrize(
    ("typed_as", "passed"),
    [
        ("' Up\\n'", True),
        ("'вверх'", True),
        ("'UP.'", True),
        ("'вниз'", False),
        ("'sideways'", False),
    ],
)
def test_sign_words_in_either_language_and_case(tmp_path, course, typed_as, passed):
    """prep.B_sign_w2: B = w2·x2 grows with w2 exactly when x2 > 0 (plain Python); the right
    word is typed several ways, the wrong one too."""
    student = "ada"
    x2 = student_values(course.model.seed, student, course.model.ranges)["x2"]
    right = "up" if x2 > 0 else "down"
    if right == "down":  # the same words, the other way round
        typed_as = {"' Up\\n'": "' Down\\n'", "'вверх'": "'вниз'", "'UP.'": "'DOWN.'",
                    "'вниз'": "'вверх'"}.get(typed_as, typed_as)  # fmt: skip
    q = typed(
        tmp_path, course, student, "B_sign_w2", f"B_sign_w2 = '{right}'", f"B_sign_w2 = {typed_as}"
    )
    q = q["prep.B_sign_w2"]
    assert (q["status"] == "passed") == passed, q
    if typed_as == "'sideways'":
        assert "Write one of" in q["feedback"]


def test_check_py_never_shows_an_options_why_beside_a_choice(tmp_path, course):
    """The lesson's note on an option is for a wrong choice; check.py cannot tell a right
    choice from a wrong one, so it shows none (the grader does, beside a wrong one)."""
    out = tmp_path / "release"
    r = subprocess.run(
        command("course", "release", "--out", out, "--lang", "en", "--solutions"),
        cwd=LESSON, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    done = subprocess.run(
        [sys.executable, "check.py"], cwd=out, capture_output=True, text=True, timeout=120
    )
    whys = [
        " ".join(o.why["en"].split())[:40] for q in course.questions for o in q.options if o.why
    ]
    assert whys and "step.Loss_sign_param" in done.stdout
    assert not any(w in " ".join(done.stdout.split()) for w in whys), done.stdout[-1500:]
    # the twin: the grader shows it, beside a wrong choice
    student = "ada"
    files = {"step.py": solved(course, student)["step.py"]}
    text = files["step.py"]
    right = "up" if "Loss_sign_param = 'up'" in text else "down"
    wrong = "down" if right == "up" else "up"
    files["step.py"] = text.replace(f"Loss_sign_param = '{right}'", f"Loss_sign_param = '{wrong}'")
    reports, _ = graded(tmp_path, write(tmp_path / "w", student, files))
    q = by_id(reports[student])["step.Loss_sign_param"]
    assert q["status"] == "failed" and "only if dLoss/dparam is" in q["feedback"]


def test_a_multi_question_may_share_its_points_proportionally(tmp_path, course):
    """``credit: proportional``: right options chosen less wrong ones, over the right ones
    (here {A, B, C}), floored at 0; the lesson's default gives all or nothing."""
    import shutil

    folder = tmp_path / "course"
    shutil.copytree(LESSON, folder, ignore=shutil.ignore_patterns("samples"))
    prep = folder / "exercises" / "prep.yml"
    text = prep.read_text(encoding="utf-8")
    anchor = "    answer: nodes_with_parameters\n"
    prep.write_text(text.replace(anchor, anchor + "    credit: proportional\n"), encoding="utf-8")
    expected = {
        "{'A', 'B'}": 2 / 3,
        "{'A', 'B', 'G'}": 1 / 3,
        "{'G', 'S'}": 0.0,
        "{'A', 'B', 'C'}": 1.0,
    }
    klass = tmp_path / "class"
    for k, answer in enumerate(expected):
        files = {"prep.py": solved(course, "ada")["prep.py"].replace("{'A', 'B', 'C'}", answer)}
        (write(klass, f"s{k}", files) / "student.txt").write_text(f"s{k}")
    for course_dir, proportional in ((folder, True), (LESSON, False)):
        out = tmp_path / f"{proportional}.jsonl"
        argv = command("grade", klass, "--json", out, "--lang", "en", "--course", course_dir)
        r = subprocess.run(argv, cwd=tmp_path, capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stderr
        got = {
            json.loads(line)["student"]: by_id(json.loads(line))["prep.functions_with_parameters"]
            for line in out.read_text().splitlines()
        }
        for k, share in enumerate(expected.values()):
            want = share if proportional else float(share == 1.0)  # the twin: all or nothing
            assert got[f"s{k}"]["score"] == pytest.approx(want), (proportional, k, got[f"s{k}"])
    # a kind that shares its points one way only says so, at the line
    prep.write_text(
        text.replace(
            "    answer: arguments\n", "    answer: arguments\n    credit: proportional\n"
        ),
        encoding="utf-8",
    )
    r = subprocess.run(
        command("course", "validate", "--lang", "en"), cwd=folder, capture_output=True, text=True
    )
    assert r.returncode == 1 and "shares its points one way only: credit: all" in r.stderr
