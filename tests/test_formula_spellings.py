"""Formulas as students write them, against the live course's reference answers.

Every accepted spelling goes through :func:`grader.kinds.formula.check` (numbers at random
points, then the 40-digit confirmation), and each has its twin: a wrong formula in the same
style that must not pass.  The corpus grows with every accepted form.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import numpy as np
import pytest
from conftest import LESSON, command

from grader.course.loader import load_course
from grader.kinds.formula import check
from publish.stubs import stubs
from reference import expr as ex
from reference.autograd import compile_expr
from reference.course.sampling import rng_for
from reference.course.targets import sample_args
from reference.table import ALIASES, FUNCTIONS, NUMERIC

# (question, a right spelling, its wrong twin in the same style)
CORPUS = [
    ("S.dS_dG_formula", "e^(-G)/(1+e^(-G))^2", "e^(-G)/(1-e^(-G))^2"),
    ("S.dS_dG_formula", "e^G/(1+e^G)^2", "e^G/(1+e^G)^3"),
    ("S.dS_dG_formula", "σ(G)(1-σ(G))", "σ(G)(1+σ(G))"),
    ("S.dS_dG_formula", "sigmoid(G)(1 - sigmoid(G))", "sigmoid(G)(sigmoid(G) - 1)"),
    ("S.dS_dG_formula", "S*(1-S)", "S*(1+S)"),
    ("S.dS_dG_formula", "S·(1−S)", "S·(1+S)"),
    ("S.dS_dG_formula", "(1-S)S", "(1+S)S"),
    ("S.dS_dG_formula", "S - S^2", "S + S^2"),
    ("S.dS_dG_formula", "S*(1-σ(G))", "S*σ(G)"),
    ("S.dS_dG_formula", "np.exp(-G)/(1+np.exp(-G))**2", "np.exp(-G)/(1-np.exp(-G))**2"),
    ("S.dS_dG_formula", "np.exp(G)/(1+np.exp(G))**2", "np.exp(G)/(1+np.exp(G))"),
    ("S.dS_dG_formula", "math.exp(-G)/(1 + math.exp(-G))**2", "math.exp(-G)/(1 + math.exp(G))**2"),
    ("S.dS_dG_formula", "numpy.exp(-G)/(1+numpy.exp(-G))^2", "numpy.exp(-G)/(1+numpy.exp(-G))"),
    ("S.dS_dG_formula", "1/(2+2*cosh(G))", "1/(2+cosh(G))"),
    ("S.dS_dG_formula", "1/(2+2cosh(G))", "1/(2+2sinh(G))"),
    ("S.dS_dG_formula", "σ(G)σ(-G)", "σ(G)σ(G)"),
    ("L.dL_dS_formula", "2(S-gold)", "2(gold-S)"),
    ("L.dL_dS_formula", "-2(gold - S)", "-2(S - gold)"),
    ("L.dL_dS_formula", "2S-2gold", "2gold-2S"),
    ("L.dL_dS_formula", "2S - 2 gold", "2S - gold"),
    ("L.dL_dS_formula", "2(S-gold)^1", "2(S-gold)^2"),
    ("L.dL_dS_formula", "-2(gold-S)", "-(gold-S)"),
    ("L.dL_dgold_formula", "2(gold-S)", "-2(gold-S)"),
    ("L.dL_dgold_formula", "-2S+2gold", "2S+2gold"),
    ("L.dL_dgold_formula", "2gold - 2S", "2gold - S"),
    ("A.dA_dw1_formula", "x1", "w1"),
    ("A.dA_dw1_formula", "2x1/2", "2x1"),  # x1 is a name: never x·1
    ("A.dA_dw1_formula", "A/w1", "A/x1"),  # the node's own name: A = w1*x1
    ("A.dA_dx1_formula", "1w1", "1x1"),
    ("G.dG_dA_formula", "1", "0"),
    ("S.dS_dG_formula", "S(1-S)", "S(1+S)"),  # S has a value: a factor, not a call
    ("S.dS_dG_formula", "S(1 - σ(G))", "S(σ(G))"),
    ("L.dL_dS_formula", "-2(gold-S)", "-S(gold-S)"),
    ("S.dS_dG_formula", "e^G/(1 + 2e^G + e^(2G))", "e^G/(1 + 2e^G)"),  # 2e^G is 2·e^G
    ("S.dS_dG_formula", "2e^(-G)/(2 + 2e^(-G))^2 * 2", "2e^(-G)/(2 + 2e^(-G))^2"),
    # as written on paper: subscripts, the left-hand side, a closing ';'
    ("A.dA_dw1_formula", "x_1", "w_1"),
    ("A.dA_dx1_formula", "w_1", "x_1"),
    ("L.dL_dS_formula", "dL/dS = 2*(S-gold)", "dL/dS = 2*(gold-S)"),
    ("L.dL_dS_formula", "dL_dS = 2(S - gold)", "dL_dS = 2(S + gold)"),
    ("L.dL_dS_formula", "2*(S-gold);", "2*(gold-S);"),
    ("S.dS_dG_formula", "dS/dG = S*(1-S);", "dS/dG = S*(1+S);"),
]


@pytest.fixture(scope="module")
def course():
    return load_course(LESSON / "course.yml")


def at(course, qid):
    q = next(q for q in course.questions if q.qid == qid)
    return q, sample_args(q.target, q.model, rng_for(1, "spellings", q.qid), 12)


@pytest.mark.parametrize(("qid", "right", "wrong"), CORPUS)
def test_a_spelling_students_write_is_read_and_its_twin_still_fails(course, qid, right, wrong):
    q, point = at(course, qid)
    result = check(q, right, point)
    assert result.status == "passed", (right, result.feedback)
    twin = check(q, wrong, point)
    assert twin.status != "passed" and twin.score < twin.max_score, wrong
    assert "Read as: " in twin.feedback["en"] and "Прочитано как: " in twin.feedback["ru"]


def test_the_reading_is_echoed(course):
    q, point = at(course, "L.dL_dS_formula")
    assert "Read as: 2*(gold - S)" in check(q, "2(gold - S)", point).feedback["en"]
    assert "Read as: -2*(gold - S)" in check(q, "-2(gold - S)", point).feedback["en"]
    q, point = at(course, "S.dS_dG_formula")
    echo = check(q, "S*(1-S)", point).feedback
    assert "S*(1 - S), S = sigmoid(G)" in echo["en"] and "Прочитано как" in echo["ru"]
    assert "Read as" not in check(q, "sigmoid(G)*(1 - sigmoid(G))", point).feedback["en"]


@pytest.mark.parametrize(
    ("qid", "text", "says"),
    [
        ("L.dL_dS_formula", "1/2S", "(1/2)*S or 1/(2*S)"),  # two readings: refused
        ("S.dS_dG_formula", "e^2G", "e^2*G or e**(2*G)"),
        ("L.dL_dS_formula", "2Sgold", "unknown name 'Sgold'"),  # a name is never split
        ("L.dL_dS_formula", "S gold", "missing '*'"),
        ("L.dL_dS_formula", "2 2", "missing '*'"),
        ("S.dS_dG_formula", "2e-G", "incomplete"),  # an unfinished 2e-3, not 2·e − G
        ("S.dS_dG_formula", "sigmod(G)(1-S)", "did you mean 'sigmoid'?"),
        ("S.dS_dG_formula", "np.pi", "'.' cannot follow"),
        ("S.dS_dG_formula", "sigmod(G)", "did you mean 'sigmoid'?"),
        ("S.dS_dG_formula", "__import__(G)", "unknown function"),
        ("S.dS_dG_formula", "S" + "+S" * 300, "too large"),  # limits hold
        ("S.dS_dG_formula", "s*(1-s)", "did you mean 'S'?"),  # case is meaning: never guessed
        ("A.dA_dw1_formula", "X1", "did you mean 'x1'?"),
        ("L.dL_dS_formula", "dL/dS =", "'=' is not allowed"),  # a left side alone
        ("L.dL_dS_formula", "2*S; -2*gold", "';' is not allowed"),  # two statements
        ("L.dL_dS_formula", "2*S == 2*gold", "'=' is not allowed"),
    ],
)
def test_what_stays_refused(course, qid, text, says):
    q, point = at(course, qid)
    result = check(q, text, point)
    assert result.status == "failed" and result.score == 0
    assert says in result.feedback["en"], result.feedback["en"]


NAMES = ("S", "gold", "G", "x")
MEANT = [  # a refused text (read strictly) and what the student meant
    ("-2(gold - S)", "-2*(gold - S)"),
    ("-S(1-S)", "-S*(1-S)"),
    ("1 - 2S", "1 - 2*S"),
    ("-(2)(gold - S)", "-2*(gold - S)"),
    ("2*sigmoid G", "2*sigmoid(G)"),
    ("-sigmoid*G", "-sigmoid(G)"),
    ("x**2 G", "x**2*G"),
    ("gold - 3 x", "gold - 3*x"),
]


def values(text: str, strict: bool = True) -> np.ndarray:
    tree = ex.parse(text, names=NAMES, functions=FUNCTIONS, aliases=ALIASES, relaxed=not strict)
    tape = compile_expr(tree, NAMES)
    rng = np.random.default_rng(0)
    point = [rng.uniform(-2, 2, 8) for _ in NAMES]
    return np.broadcast_to(np.asarray(tape.forward(NUMERIC, point)[tape.output], float), (8,))


@pytest.mark.parametrize(("text", "meant"), MEANT)
def test_a_hint_never_changes_the_value_the_student_meant(text, meant):
    with pytest.raises(ex.ExprError) as info:
        ex.parse(text, names=NAMES, functions=FUNCTIONS, aliases=ALIASES)
    m = re.match(r"(?:to multiply )?write (.+)$", info.value.hint["en"])
    assert m, info.value.hint["en"]
    suggested = m.group(1)
    np.testing.assert_allclose(values(suggested), values(meant), rtol=1e-12)
    # the twin: the fragment today's hint used to show would have changed the value
    fragment = meant.lstrip("-")
    if fragment != meant:
        assert not np.allclose(values(fragment), values(meant))


def test_spellings_through_grade(tmp_path):
    """The real ``grade`` command: a student's ``S*(1-S)``, ``-2(gold - S)`` and an unquoted
    number (``dG_dA_formula = 1``) pass; the twin's ``S*(1+S)``, ``2(gold - S)`` and ``0`` do
    not, and say how they were read."""
    answers = {
        "right": {"dS_dG_formula": "S*(1-S)", "dL_dS_formula": "-2(gold - S)", "dG_dA_formula": 1},
        "twin": {"dS_dG_formula": "S*(1+S)", "dL_dS_formula": "2(gold - S)", "dG_dA_formula": 0},
    }
    course = load_course(LESSON / "course.yml")
    for student, formulas in answers.items():
        folder = tmp_path / "subs" / student
        folder.mkdir(parents=True)
        for name, text in stubs(course, "en", True, student):
            for var, formula in formulas.items():
                text = re.sub(rf"(?m)^{var} = .*$", f"{var} = {formula!r}", text)
            (folder / name).write_text(text)
    out = tmp_path / "grades.jsonl"
    r = subprocess.run(
        command("grade", tmp_path / "subs" / "right", tmp_path / "subs" / "twin", "--json", out),
        cwd=LESSON,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr
    reports = {o["student"]: o for o in map(json.loads, out.read_text().splitlines())}
    got = {s: {q["id"]: q for q in reports[s]["questions"]} for s in answers}
    for qid in ("S.dS_dG_formula", "L.dL_dS_formula", "G.dG_dA_formula"):
        assert got["right"][qid]["status"] == "passed", got["right"][qid]
        assert got["twin"][qid]["status"] != "passed", got["twin"][qid]
    assert "S*(1 - S), S = sigmoid(G)" in got["right"]["S.dS_dG_formula"]["feedback"]
    assert "2*(gold - S)" in got["twin"]["L.dL_dS_formula"]["feedback"]


def test_check_py_reads_an_unquoted_number_as_grade_does(tmp_path):
    """check.py (the student's own) reads ``dG_dA_formula = 1`` as the formula 1; its twin, a
    value that is no formula at all (a list), is refused there too."""
    out = tmp_path / "release"
    r = subprocess.run(
        command("course", "release", "--out", out, "--lang", "en", "--solutions"),
        cwd=LESSON, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    for value, says in (
        ("1", "G.dG_dA_formula — read as 1"),
        ("[1]", "dG_dA_formula: expected a string"),
    ):
        text = re.sub(
            r"(?m)^dG_dA_formula = .*$", f"dG_dA_formula = {value}", (out / "G.py").read_text()
        )
        (out / "G.py").write_text(text)
        done = subprocess.run(
            [sys.executable, "check.py"], cwd=out, capture_output=True, text=True, timeout=120
        )
        assert says in done.stdout + done.stderr, done.stdout[-2000:]
