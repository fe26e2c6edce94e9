"""A new kind of question is one module plus its name in the schema's ``kind`` enum.

The kind below is written the way a teacher's developer would write one (a number to give
rounded to two decimals, at the student's own values) and registered the two ways the README
names: the registry and the schema enum.  Nothing else in the package is touched, and the
course loader, the stubs, the public checks and the grader all take it: the right answer
scores, the unrounded and the wrong ones do not.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from grader import kinds
from grader.course import loader as course_exercises
from grader.course import solutions
from grader.course.loader import load_course
from grader.course.questions import Question
from grader.kinds.base import Kind, verdict
from grader.sandbox import Sandbox
from grader.scoring import checks
from grader.scoring.plan import Answers
from grader.scoring.result import Result
from publish.stubs import stub
from reference.course.sampling import student_values
from reference.course.targets import evaluate_at_leaves
from reference.i18n import t

ROOT = Path(__file__).resolve().parents[1]


class Rounded(Kind):
    """A number computed by hand and given rounded to two decimals."""

    name = "rounded"
    answers = ("value", "local", "grad", "update", "change")
    expect = "number"
    form = "number"
    at_leaves = True
    instruction = t("A number rounded to two decimals.", "Число, округлённое до сотых.")

    def _right(self, q: Question, student: str) -> float:
        leaves = student_values(q.model.seed, student, q.model.ranges)
        point = {k: np.asarray(leaves[k]) for k in q.model.leaves}
        return round(float(evaluate_at_leaves(q.target, q.model, point)), 2)

    def judge(self, q: Question, value: Any, answers: Answers) -> Result:
        right = self._right(q, answers.submission)
        return verdict(q, None, right=abs(float(value) - right) < 1e-9)

    def solution(self, q: Question, lang: str, student: str) -> str:
        return repr(self._right(q, student))


COURSE = """\
course: rounding
title: {ru: Округление, en: Rounding}
languages: [en, ru]
seed: 11
inputs: [x]
parameters: [w]
data: [y]
nodes:
  P(x, w): sigmoid(w*x)
  L(P, y): (y - P)**2
loss: L
learning_rate: 0.1
ranges: {inputs: [-2.0, 2.0], parameters: [-1.0, 1.0], y: [0.0, 1.0]}
exercises: {R: 1}
"""
EXERCISE = """\
title: {ru: Округление, en: Rounding}
questions:
  - {id: dL_dw_rounded, kind: rounded, answer: {grad: w}, points: 2,
     prompt: {ru: "dL/dw при ваших значениях, до сотых.", en: "dL/dw at your values, to 0.01."}}
"""


@pytest.fixture
def with_rounded(monkeypatch, tmp_path):
    """The two registrations a new kind needs: the registry and the schema's kind enum."""
    monkeypatch.setitem(kinds.KINDS, "rounded", Rounded())
    schema = copy.deepcopy(course_exercises._schema())
    kind = schema["$defs"]["question"]["properties"]["kind"]
    kind["enum"] = [*kind["enum"], "rounded"]
    monkeypatch.setattr(course_exercises, "_schema", lambda: schema)
    (tmp_path / "exercises").mkdir()
    (tmp_path / "course.yml").write_text(COURSE, encoding="utf-8")
    (tmp_path / "exercises" / "R.yml").write_text(EXERCISE, encoding="utf-8")
    return load_course(tmp_path / "course.yml")


def test_the_schema_enum_lists_every_registered_kind():
    schema = json.loads((ROOT / "grader" / "course" / "exercise.schema.json").read_text())
    assert set(schema["$defs"]["question"]["properties"]["kind"]["enum"]) == set(kinds.KINDS)


def test_a_new_kind_is_one_module_and_the_schema_enum(with_rounded, tmp_path):
    course = with_rounded
    (q,) = course.questions
    assert q.kind == "rounded" and q.auto
    text = stub(course.exercises[0], "en")
    assert "A number rounded to two decimals." in text and "dL_dw_rounded = None" in text
    assert kinds.kind_of(q).public(q) == {"form": "number"}

    right = float(solutions.at_student_values(q, "ann"))
    assert round(right, 2) != right  # sigmoid: the exact answer has more digits
    answers = {
        "rounded": repr(round(right, 2)),
        "unrounded": repr(right),
        "wrong": repr(round(right, 2) + 0.05),
        "blank": "None",
    }
    got = {}
    with Sandbox() as sandbox:
        for name, value in answers.items():
            files = {"R": f"dL_dw_rounded = {value}\n"}
            plan = checks.plan(course, "ann")
            outcomes = sandbox.run(files, plan.requests)
            (got[name],) = checks.score(course, "ann", plan, outcomes)
    assert got["rounded"].status == "passed" and got["rounded"].score == q.points
    for name in ("unrounded", "wrong"):  # the twins: plausible, and not right
        assert got[name].status == "failed" and got[name].score == 0, name
    assert got["blank"].score == 0


def test_an_unregistered_kind_is_a_clear_problem_at_its_line(tmp_path):
    (tmp_path / "exercises").mkdir()
    (tmp_path / "course.yml").write_text(COURSE, encoding="utf-8")
    (tmp_path / "exercises" / "R.yml").write_text(EXERCISE, encoding="utf-8")
    with pytest.raises(course_exercises.CourseError) as err:
        load_course(tmp_path / "course.yml")
    assert any(p.line == 3 and "kind" in p.render("en") for p in err.value.problems)


def _named(e: Any, names: set[str], constants: set[str]) -> bool:
    """A kind's name, a tuple holding one, or a module constant bound to such a tuple."""
    import ast

    if isinstance(e, ast.Constant):
        return e.value in names
    if isinstance(e, (ast.Tuple, ast.List, ast.Set)):
        return any(_named(x, names, constants) for x in e.elts)
    return isinstance(e, ast.Name) and e.id in constants


def _is_kind(e: Any) -> bool:
    import ast

    return (isinstance(e, ast.Attribute) and e.attr == "kind") or (
        isinstance(e, ast.Name) and e.id == "kind"
    )


def _kind_name_tests(root: Path, names: set[str]) -> list[str]:
    """Where code compares a ``kind`` with a kind's name (``q.kind == "function"``, ``kind in
    ("number", "choice")`` or a tuple of such names bound to a module-level constant)."""
    import ast

    found = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = {
            t.id
            for node in tree.body
            if isinstance(node, ast.Assign)
            and isinstance(node.value, (ast.Tuple, ast.List, ast.Set))
            and any(isinstance(e, ast.Constant) and e.value in names for e in node.value.elts)
            for t in node.targets
            if isinstance(t, ast.Name)
        }

        for node in ast.walk(tree):
            if isinstance(node, ast.Compare):
                sides = [node.left, *node.comparators]
                if any(_is_kind(s) for s in sides) and any(
                    _named(s, names, constants) for s in sides
                ):
                    found.append(f"{path.relative_to(root)}:{node.lineno}")
    return found


def test_nothing_outside_the_kinds_tests_a_kinds_name(tmp_path):
    """A kind's behaviour is declared on the kind (``at_leaves``, ``code``, ``auto``, …):
    nothing outside grader/kinds/ asks which kind a question is."""
    names = set(kinds.KINDS)
    root = Path(__file__).resolve().parents[1]
    outside = [
        f"{top}/{hit}"
        for top in ("reference", "grader", "publish", "cli")
        for hit in _kind_name_tests(root / top, names)
        if not f"{top}/{hit}".startswith("grader/kinds/")
    ]
    assert outside == []
    # the twin: the check sees such a test, direct or through a constant
    (tmp_path / "m.py").write_text(
        'VALUE = ("number", "choice")\n'
        'def f(q):\n    return q.kind == "function" or q.kind in VALUE\n'
    )
    assert _kind_name_tests(tmp_path, names) == ["m.py:3", "m.py:3"]
