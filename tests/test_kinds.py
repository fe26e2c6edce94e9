"""A new kind of question is one module plus its name in the schema's ``kind`` enum.

The kind below is written the way a teacher's developer would write one (a number to give
rounded to two decimals, at the student's own values) and registered the two ways the README
names: the registry and the schema enum.  Nothing else in the package is touched, and the
course loader, the stubs, the public checks and the grader all take it: the right answer
scores, the unrounded and the wrong ones do not.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any, ClassVar

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
from publish.nbgrader.build import build as build_nbgrader
from publish.release import build as build_release
from publish.release import write as write_release
from publish.stubs import stub
from reference.course.targets import evaluate_at_leaves

ROOT = Path(__file__).resolve().parents[1]


class Rounded(Kind):
    """A number computed by hand and given rounded to ``decimals`` places: a field of its
    own, which the schema, the loader, the stub, the grading and the notebooks all follow."""

    name = "rounded"
    about = "a number computed by hand, rounded to `decimals` places"
    answers = ("value", "local", "grad", "update", "change")
    expect = "number"
    form = "number"
    at_leaves = True
    fields: ClassVar[dict[str, dict[str, Any]]] = {
        "decimals": {
            "type": "integer",
            "minimum": 0,
            "maximum": 6,
            "description": "Places after the point the answer is rounded to (default 2).",
        }
    }

    def read_fields(self, src, path, doc):
        own = super().read_fields(src, path, doc)
        if own is not None and own.get("decimals") == 5:  # one the schema cannot say
            too_fine = {"en": "5 places: too fine by hand", "ru": "5 знаков: слишком"}
            src.error((*path, "decimals"), too_fine)  # a kind of its own: its own text
            return None
        return own

    def _places(self, q: Question) -> int:
        return q.fields.get("decimals", 2)

    def _right(self, q: Question, student: str) -> float:
        leaves = q.model.own_values(student)
        point = {k: np.asarray(leaves[k]) for k in q.model.leaves}
        return round(float(evaluate_at_leaves(q.target, q.model, point)), self._places(q))

    def judge(self, q: Question, value: Any, answers: Answers) -> Result:
        right = self._right(q, answers.submission)
        return verdict(q, None, right=abs(float(value) - right) < 1e-9)

    def solution(self, q: Question, lang: str, student: str) -> str:
        return repr(self._right(q, student))

    def details(self, q: Question, lang: str) -> str:
        n = self._places(q)
        said = {  # a kind of its own: its own text
            "en": f"A number rounded to {n} decimals.",
            "ru": f"Число, округлённое до {n} знаков.",
        }
        return f"# {said[lang]}"


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
assignment: rounding
exercises: {R: 1}
"""
EXERCISE = """\
title: {ru: Округление, en: Rounding}
questions:
  - {id: dL_dw_rounded, kind: rounded, answer: {grad: w}, points: 2, decimals: 3,
     prompt: {ru: "dL/dw при ваших значениях.", en: "dL/dw at your values."}}
  - {id: dL_dw, kind: number, answer: {grad: w}, points: 1,
     prompt: {ru: "dL/dw при ваших значениях.", en: "dL/dw at your values."}}
"""


def _course(tmp_path, exercise=EXERCISE):
    folder = tmp_path / "course"
    (folder / "exercises").mkdir(parents=True, exist_ok=True)
    (folder / "course.yml").write_text(COURSE, encoding="utf-8")
    (folder / "exercises" / "R.yml").write_text(exercise, encoding="utf-8")
    return folder / "course.yml"


@pytest.fixture
def registered(monkeypatch):
    """The one registration a new kind needs: its line in the registry."""
    monkeypatch.setitem(kinds.KINDS, "rounded", Rounded())


def test_the_shipped_schema_is_the_registrys():
    """exercise.schema.json (what editors read) is what the loader composes from the kinds:
    every registered kind in its enum, each kind's own fields.  After adding a kind, run
    ``python -m grader.course.schema_file``."""
    from grader.course import schema_file

    shipped = (ROOT / "grader" / "course" / "exercise.schema.json").read_text(encoding="utf-8")
    assert shipped == schema_file.text()
    schema = json.loads(shipped)
    assert schema["$defs"]["question"]["properties"]["kind"]["enum"] == list(kinds.KINDS)


def test_a_new_kind_with_a_field_of_its_own_is_one_module(registered, tmp_path):
    """Validated, graded, released, checked and in nbgrader, with only the registry line."""
    course = load_course(_course(tmp_path))
    q, plain = course.questions
    assert q.kind == "rounded" and q.auto and q.fields == {"decimals": 3}
    assert plain.fields == {}
    schema = course_exercises._schema()["$defs"]["question"]["properties"]
    assert "rounded" in schema["kind"]["enum"] and schema["decimals"]["x-kinds"] == ["rounded"]
    # released: the stub says it, the notebooks too, and check.py takes its form
    text = stub(course.exercises[0], "en")
    assert "A number rounded to 3 decimals." in text and "dL_dw_rounded = None" in text
    assert kinds.kind_of(q).public(q) == {"form": "number"}
    files = build_release(course, "en", solutions=True, student="ann")
    assert "rounded to 3 decimals" in files["notebooks/R.ipynb"]
    out = tmp_path / "release"
    write_release(files, out)
    r = subprocess.run(
        [sys.executable, "check.py"], cwd=out, capture_output=True, text=True, timeout=120
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert "dL_dw_rounded" in r.stdout
    root = build_nbgrader(course, "en")
    notebook = next(v for k, v in root.items() if k.endswith("R.ipynb"))
    assert "A number rounded to 3 decimals." in notebook and "my_values()" in notebook
    # graded at its own places: 3 decimals pass; the twins, 2 decimals and unrounded, fail
    right = float(kinds.kind_of(q).solution(q, "en", "ann"))  # the key the stub is filled with
    exact = float(solutions.at_student_values(q, "ann"))
    assert right == round(exact, 3) != exact
    answers = {"three": repr(right), "two": repr(round(exact, 2)), "exact": repr(exact)}
    got = {}
    with Sandbox() as sandbox:
        for name, value in answers.items():
            files_ = {"R": f"dL_dw_rounded = {value}\ndL_dw = None\n"}
            plan = checks.plan(course, "ann")
            outcomes = sandbox.run(files_, plan.requests)
            got[name] = checks.score(course, "ann", plan, outcomes)[0]
    assert got["three"].status == "passed" and got["three"].score == q.points
    for name in ("two", "exact"):
        assert got[name].status == "failed" and got[name].score == 0, name


@pytest.mark.parametrize(
    "line, said",
    [
        ("decimals: -1", "decimals"),  # its schema: at least 0
        ("decimals: 5", "5 places: too fine by hand"),  # its own parsing
    ],
)
def test_a_kinds_field_is_validated_at_its_line(registered, tmp_path, line, said):
    bad = EXERCISE.replace("decimals: 3", line)
    with pytest.raises(course_exercises.CourseError) as err:
        load_course(_course(tmp_path, bad))
    assert any(p.line == 3 and said in p.render("en") for p in err.value.problems)


def test_a_kinds_field_on_another_kind_is_refused(registered, tmp_path):
    bad = EXERCISE.replace("kind: number, answer", "kind: number, decimals: 2, answer")
    with pytest.raises(course_exercises.CourseError) as err:
        load_course(_course(tmp_path, bad))
    said = [p.render("en") for p in err.value.problems]
    assert any("decimals: a field of rounded questions, not of number ones" in s for s in said)


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
