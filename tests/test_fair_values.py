"""Issue 11, fair values: backward at random upstreams, hand numbers to relative digits with
near misses, and error carried forward only from real attempts; through the real ``grade``.

Expected values come from the reference (solutions, the model's trace), never typed.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from conftest import LESSON
from test_grade import by_id, graded

from grader.course import solutions
from grader.course.loader import load_course
from grader.kinds.number import HAND_TOLERANCE, NEAR_MISS, digits
from publish.stubs import stubs
from reference.course.model import load_model
from reference.course.source import CourseError


@pytest.fixture(scope="module")
def course():
    return load_course(LESSON / "course.yml")


def question(course, qid):
    return next(q for q in course.questions if q.qid == qid)


def solved(course, student: str) -> dict[str, str]:
    return dict(stubs(course, "en", solution=True, student=student))


def write(tmp_path: Path, student: str, files: dict[str, str]) -> Path:
    folder = tmp_path / student
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder


def number(files: dict[str, str], course, qid: str, value: float) -> None:
    """The hand-computed answer ``qid`` replaced by ``value``."""
    q = question(course, qid)
    name = f"{q.exercise}.py"
    files[name], n = re.subn(rf"^{q.name} = .*$", f"{q.name} = {value!r}", files[name], flags=re.M)
    assert n == 1


def returns(files: dict[str, str], file: str, pattern: str, value: str) -> dict[str, str]:
    """Every function of ``file`` whose name matches ``pattern`` made to return ``value``."""
    out, current = [], ""
    for line in files[file].splitlines(keepends=True):
        m = re.match(r"def (\w+)\(", line)
        if m:
            current = m.group(1)
        if re.fullmatch(pattern, current) and line.startswith("    return "):
            line = f"    return {value}\n"
        out.append(line)
    files[file] = "".join(out)
    return files


# --- backward ------------------------------------------------------------------------------


def test_a_loss_backward_that_ignores_its_upstream_fails_and_is_told(tmp_path, course):
    files = solved(course, "noup")
    lines = files["L.py"].splitlines()
    [i] = [k for k, line in enumerate(lines) if line.startswith("def backward(")]
    j = next(k for k in range(i, len(lines)) if lines[k].startswith("    return "))
    lines[j] = lines[j].replace("dL_dL*", "")
    assert "dL_dL" not in lines[j]
    files["L.py"] = "\n".join(lines) + "\n"
    reports, _ = graded(tmp_path, write(tmp_path, "noup", files))
    qs = by_id(reports["noup"])
    assert qs["L.backward"]["status"] == "failed"
    assert "multiply it by dL_dL" in qs["L.backward"]["feedback"]


def test_the_right_backwards_pass_at_every_upstream(tmp_path, course):
    reports, _ = graded(tmp_path, write(tmp_path, "upright", solved(course, "upright")))
    qs = by_id(reports["upright"])
    backwards = [q.qid for q in course.questions if q.target.what == "backward"]
    assert len(backwards) == len(course.model.nodes)
    assert all(qs[b]["status"] == "passed" for b in backwards)


# --- hand-computed numbers -----------------------------------------------------------------


def test_the_stub_states_the_digits(course):
    n = digits(question(course, "S.S_change_G").tolerance)
    assert n == digits(HAND_TOLERANCE) == 4
    assert f"Give at least {n} significant digits." in solved(course, "x")["S.py"]
    ru = dict(stubs(course, "ru", solution=False, student="x"))["S.py"]
    assert f"Укажите не меньше {n} значащих цифр." in ru


def hand(tmp_path, course, student, qid, value):
    files = solved(course, student)
    number(files, course, qid, value)
    reports, _ = graded(tmp_path, write(tmp_path, student, files))
    return by_id(reports[student])[qid]


def test_zero_and_sigma_one_plus_sigma_fail_for_small_answers(tmp_path, course):
    q = question(course, "S.S_change_G")
    student = "small"
    right = solutions.at_student_values(q, student)
    leaves = course.model.own_values(student)
    s = float(course.model.trace(leaves).values["S"])
    by = q.target.by
    wrong = s * (1 + s) * by  # σ(1+σ) for σ(1−σ)
    assert abs(right) < 0.01 and not np.isclose(wrong, right, rtol=0.1)
    assert hand(tmp_path / "zero", course, student, q.qid, 0.0)["status"] == "failed"
    assert hand(tmp_path / "sig", course, student, q.qid, wrong)["status"] == "failed"
    assert hand(tmp_path / "ten", course, student, q.qid, right * 1.1)["status"] == "failed"
    assert hand(tmp_path / "exact", course, student, q.qid, right)["status"] == "passed"


def test_a_near_miss_earns_the_partial_credit_and_is_told_so(tmp_path, course):
    q = question(course, "chain.dL_dw1_at_my_values")
    right = solutions.at_student_values(q, "near")
    near = float(f"{right:.3g}")  # a hand chain carried with 3 digits
    if np.isclose(near, right, rtol=q.tolerance.rel, atol=0):
        near = right * (1 + 3 * q.tolerance.rel)
    got = hand(tmp_path / "near", course, "near", q.qid, near)
    assert got["status"] == "partial"
    assert got["score"] == pytest.approx(q.points * course.model.near_miss_credit)
    assert "Close" in got["feedback"] and "intermediate" in got["feedback"]
    far = right * (1 + 2 * NEAR_MISS * q.tolerance.rel)
    assert hand(tmp_path / "far", course, "near", q.qid, far)["status"] == "failed"


def test_near_miss_credit_is_the_teachers_and_checked(tmp_path):
    text = (LESSON / "course.yml").read_text()
    (tmp_path / "course.yml").write_text(text + "near_miss_credit: 0.25\n")
    assert load_model(tmp_path / "course.yml").near_miss_credit == 0.25
    assert load_model(LESSON / "course.yml").near_miss_credit == 0.5
    (tmp_path / "course.yml").write_text(text + "near_miss_credit: 2\n")
    with pytest.raises(CourseError, match="near_miss_credit"):
        load_model(tmp_path / "course.yml")


# --- error carried forward -----------------------------------------------------------------

LOCAL = r"d[A-Z]\w*_d\w+"


def test_a_zero_chain_on_zero_local_derivatives_earns_nothing(tmp_path, course):
    files = solved(course, "zeros")
    for node in course.model.nodes:
        returns(files, f"{node.name}.py", LOCAL, "0.0")
    returns(files, "chain.py", r"dL_d\w+", "0.0")
    reports, _ = graded(tmp_path, write(tmp_path, "zeros", files))
    qs = by_id(reports["zeros"])
    chain = [q.qid for q in course.questions if q.exercise == "chain" and q.kind == "function"]
    assert chain and all(qs[c]["status"] == "failed" for c in chain)


def test_a_zero_dL_dS_does_not_carry_a_zero_chain(tmp_path, course):
    files = returns(solved(course, "zs"), "L.py", "dL_dS", "0.0")
    returns(files, "chain.py", r"dL_d\w+", "0.0")
    reports, _ = graded(tmp_path, write(tmp_path, "zs", files))
    qs = by_id(reports["zs"])
    assert qs["chain.dL_dw1"]["status"] == "failed"
    assert qs["L.dL_dS"]["status"] == "failed"


def test_a_genuine_mistake_upstream_still_carries(tmp_path, course):
    """dS/dG as σ(1+σ): the chain built on it is right for the student's own derivative."""
    files = solved(course, "genuine")
    s = "1/(1 + math.exp(-G))"
    returns(files, "S.py", "dS_dG", f"{s}*(1 + {s})")
    returns(files, "S.py", "backward", '{"G": dL_dS*dS_dG(G)}')
    reports, _ = graded(tmp_path, write(tmp_path, "genuine", files))
    qs = by_id(reports["genuine"])
    assert qs["S.dS_dG"]["status"] == "failed"
    assert qs["S.backward"]["status"] == "passed" and "own" in qs["S.backward"]["feedback"]
