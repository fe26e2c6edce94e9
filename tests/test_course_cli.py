"""``course validate`` and ``course trace`` through the real console script."""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import LESSON, command

COURSE = (LESSON / "course.yml").read_text(encoding="utf-8")
AT = "x1=1,x2=2,x3=3,w1=.1,w2=.2,w3=.3,gold=1"


def course(*args, cwd=LESSON):
    return subprocess.run(
        command("course", *args), cwd=cwd, capture_output=True, text=True, timeout=60
    )


def test_trace_json_is_the_answer_key():
    r = course("trace", "--at", AT, "--json")
    assert r.returncode == 0, r.stderr
    key = json.loads(r.stdout)
    g = 0.1 * 1 + 0.2 * 2 + 0.3 * 3
    s = 1 / (1 + math.exp(-g))
    dl_dg = -2 * (1 - s) * s * (1 - s)
    assert key["values"]["G"] == pytest.approx(g) and key["values"]["S"] == pytest.approx(s)
    assert key["values"]["L"] == pytest.approx((1 - s) ** 2)
    assert key["local"]["A"] == {"x1": pytest.approx(0.1), "w1": pytest.approx(1.0)}
    assert key["local"]["S"]["G"] == pytest.approx(s * (1 - s))
    assert set(key["grad"]) == {
        "x1",
        "x2",
        "x3",
        "w1",
        "w2",
        "w3",
        "gold",
        "A",
        "B",
        "C",
        "G",
        "S",
        "L",
    }
    assert key["grad"]["L"] == 1.0
    assert key["grad"]["w3"] == pytest.approx(dl_dg * 3)
    assert key["grad"]["x2"] == pytest.approx(dl_dg * 0.2)
    assert key["update"]["w1"] == pytest.approx(0.1 - 0.001 * dl_dg * 1)


@pytest.mark.parametrize(
    "lang, words",
    [
        (
            "en",
            [
                "Values",
                "Local derivatives",
                "sigmoid(G)*(1 - sigmoid(G))",  # the table's factored forms, as the lesson writes
                "-2*(gold - S)",
                "chain rule",
                "dL/dS·dS/dG = (-0.395632)·(0.158685)",
                "Gradient-descent step",
            ],
        ),
        (
            "ru",
            [
                "Значения",
                "Производные каждой функции",
                "правило цепочки",
                "Шаг градиентного спуска",
            ],
        ),
    ],
)
def test_trace_table_in_the_order_of_the_lesson(lang, words):
    r = course("trace", "--at", AT, "--lang", lang)
    assert r.returncode == 0, r.stderr
    assert "2*S - 2*gold" not in r.stdout  # sympy's expanded form, not the lesson's
    for w in words:
        assert w in r.stdout
    positions = [r.stdout.index(w) for w in words if w in r.stdout]
    assert positions == sorted(positions)


@pytest.mark.parametrize(
    "at, message",
    [
        ("x1=1,x2=2,x3=3,w1=.1,w2=.2,w3=.3", "missing gold"),
        (AT + ",w4=1", "unknown name 'w4' — did you mean 'w1'?"),
        (AT.replace("x1=1", "x1=abc"), "x1=abc is not a finite number"),
        (AT.replace("x1=1", "x1=nan"), "x1=nan is not a finite number"),
        (AT.replace("x1=1", "x1"), "'x1' is not name=value"),
    ],
)
def test_trace_rejects_a_bad_point_clearly(at, message):
    r = course("trace", "--at", at, "--lang", "en")
    assert r.returncode == 1
    assert message in r.stderr and "Traceback" not in r.stderr


def test_validate_accepts_the_lesson():
    r = course("validate", "--lang", "en")
    assert r.returncode == 0, r.stderr
    assert "A(x1, w1)" in r.stdout and "L(S, gold)" in r.stdout


def test_course_is_found_from_a_subfolder():
    r = course("validate", cwd=LESSON / "exercises")
    assert r.returncode == 0, r.stderr


def broken(old: str, new: str) -> str:
    assert old in COURSE
    return COURSE.replace(old, new)


def line_of(text: str, needle: str) -> int:
    return text.splitlines().index(next(ln for ln in text.splitlines() if needle in ln)) + 1


BROKEN = [
    (
        "unknown function",
        broken("S(G): sigmoid(G)", "S(G): sigmod(G)"),
        "S(G): sigmod",
        "unknown function 'sigmod' (at column 1) — did you mean 'sigmoid'?",
    ),
    (
        "cycle",
        broken("G(A, B, C): A + B + C", "G(A, B, C, S): A + B + C + S"),
        "G(A, B, C, S)",
        "cycle: G → S → G",
    ),
    (
        "undefined argument",
        broken("A(x1, w1): w1*x1", "A(x1, w9): w9*x1"),
        "A(x1, w9)",
        "'w9' is not an input, parameter, data or node — did you mean 'w1'?",
    ),
    (
        "undeclared argument",
        broken("A(x1, w1): w1*x1", "A(x1): w1*x1"),
        "A(x1): w1",
        "A(x1) uses 'w1', which is not among its arguments: write A(x1, w1)",
    ),
    (
        "unused argument",
        broken("B(x2, w2): w2*x2", "B(x2, w2, x3): w2*x2"),
        "B(x2, w2, x3)",
        "B(x2, w2, x3) lists 'x3' but its formula does not use it",
    ),
    (
        "wrong arity",
        broken("S(G): sigmoid(G)", "S(G): sigmoid(G, G)"),
        "S(G): sigmoid(G, G)",
        "sigmoid takes 1 argument, got 2",
    ),
    (
        "unknown top key",
        broken("learning_rate: 0.001", "learning_rat: 0.001"),
        "learning_rat",
        "unknown key 'learning_rat' — did you mean 'learning_rate'?",
    ),
    ("duplicate key", broken("loss: L", "loss: L\nloss: S"), "loss: S", "duplicate key 'loss'"),
    (
        "loss not a node",
        broken("loss: L", "loss: l"),
        "loss: l",
        "loss 'l' is not one of the nodes — did you mean 'L'?",
    ),
    (
        "node off the loss",
        broken("  L(S, gold)", "  Z(x1): x1*x1\n  L(S, gold)"),
        "Z(x1)",
        "node Z does not lead to the loss L",
    ),
    ("missing range", broken("  gold: [0.0, 1.0]\n", ""), "ranges:", "no range for gold"),
    (
        "bad range",
        broken("gold: [0.0, 1.0]", "gold: [1.0, 0.0]"),
        "gold: [1.0, 0.0]",
        "range of gold must be [low, high] with low < high",
    ),
    (
        "bad header",
        broken("A(x1, w1): w1*x1", "A x1 w1: w1*x1"),
        "A x1 w1",
        "node header 'A x1 w1' must look like A(x1, w1)",
    ),
    ("implicit product", broken("A(x1, w1): w1*x1", "A(x1, w1): 2w1*x1"), "2w1", "2*w1"),
    (
        "huge constant",
        broken("A(x1, w1): w1*x1", "A(x1, w1): w1*x1*9**9**9"),
        "9**9**9",
        "number too large",
    ),
    ("yaml syntax", broken("inputs: [x1, x2, x3]", "inputs: [x1, x2, x3"), None, "YAML syntax"),
    (
        "negative rate",
        broken("learning_rate: 0.001", "learning_rate: -1"),
        "learning_rate",
        "learning_rate must be a positive number",
    ),
    (
        "twice declared",
        broken("data: [gold]", "data: [gold, x1]"),
        "data: [gold, x1]",
        "'x1' is declared twice",
    ),
]


@pytest.mark.parametrize("what, text, needle, message", BROKEN, ids=[b[0] for b in BROKEN])
def test_validate_reports_a_broken_course_at_its_line(tmp_path, what, text, message, needle):
    shutil.copytree(LESSON / "exercises", tmp_path / "exercises")
    (tmp_path / "course.yml").write_text(text, encoding="utf-8")
    r = course("validate", "--lang", "en", cwd=tmp_path)
    assert r.returncode == 1, r.stdout
    assert "Traceback" not in r.stderr
    assert message in r.stderr, r.stderr
    first = r.stderr.splitlines()[0]
    assert re.match(r"^course\.yml:\d+: ", first), first
    if needle is not None:
        assert f"course.yml:{line_of(text, needle)}: " in r.stderr, r.stderr


def test_validate_reports_every_problem_at_once_in_russian(tmp_path):
    text = broken("S(G): sigmoid(G)", "S(G): sigmod(G)").replace("seed: 20261123", "seed: -4")
    shutil.copytree(LESSON / "exercises", tmp_path / "exercises")
    (tmp_path / "course.yml").write_text(text, encoding="utf-8")
    r = course("validate", "--lang", "ru", cwd=tmp_path)
    assert r.returncode == 1
    assert "неизвестная функция" in r.stderr and "seed должен быть" in r.stderr
    assert "2 проблемы в файлах курса" in r.stderr


def test_trace_on_a_broken_course_fails_cleanly(tmp_path):
    (tmp_path / "course.yml").write_text(broken("S(G): sigmoid(G)", "S(G): S(G)"))
    r = course("trace", "--at", AT, cwd=tmp_path)
    assert r.returncode == 1 and "Traceback" not in r.stderr and "course.yml:" in r.stderr


# --- bad output paths: one line, exit 2, never a traceback ----------------------------------


@pytest.mark.parametrize("command_name", ["release", "nbgrader"])
@pytest.mark.parametrize("where", ["proc", "under_a_file"])
def test_an_output_folder_that_cannot_be_made_is_one_line_and_exit_2(tmp_path, command_name, where):
    if where == "proc" and not Path("/proc/self").is_dir():
        pytest.skip("needs Linux /proc")
    a_file = tmp_path / "notes.txt"
    a_file.write_text("mine")
    out = Path("/proc/x") if where == "proc" else a_file / "sub"
    r = course(command_name, "--out", out, "--lang", "en")
    assert r.returncode == 2, r.stdout + r.stderr
    assert "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"course {command_name}: "), r.stderr
    assert str(out) in lines[0]
    assert a_file.read_text() == "mine"


def test_a_new_output_folder_under_a_folder_is_still_made(tmp_path):
    """The twin: a missing folder whose parents can be made is fine."""
    out = tmp_path / "deep" / "er" / "release"
    r = course("release", "--out", out, "--lang", "en")
    assert r.returncode == 0, r.stderr
    assert (out / "A.py").is_file()
