"""A notebook's way from its file to the sandbox, made cheaper (issue 28), tells a student
what it told before.

The module a notebook becomes carries its cells as JSON (grader.intake.notebooks): what an
error raised for a cell that never compiled names (the loader's own line) stays where it was;
a route's untouched answers are told once while choosing and grading it
(grader.intake.routes); a file is read once, whole, and cut after its cap
(grader.intake.submissions); the runner flushes each output stream once a request
(grader.sandbox.child.answers), and what a request printed still goes with it.
"""

from __future__ import annotations

import json
import os
import subprocess
import textwrap
from pathlib import Path

import pytest
from conftest import LESSON, command

from grader.course.loader import load_course
from grader.intake import cells, notebooks, routes, submissions
from grader.sandbox import Limits, Request, Sandbox
from reference.course.naming import grade_id


def notebook(path: Path, *sources: str) -> None:
    """A notebook of code cells, as Jupyter saves it."""
    nb_cells = [
        {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": s}
        for s in sources
    ]
    nb = {"cells": nb_cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path.write_text(json.dumps(nb), encoding="utf-8")


def feedback(folder: Path) -> dict[str, str]:
    """qid → its status and feedback when ``grade`` grades ``folder``."""
    out = folder.parent / "grades.jsonl"
    r = subprocess.run(
        command("grade", folder, "--json", out, "--course", LESSON, "--lang", "en"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr
    (report,) = [json.loads(line) for line in out.read_text().splitlines()]
    return {q["id"]: f"{q['status']}: {q['feedback']}" for q in report["questions"]}


def test_an_error_placed_on_the_loaders_line_names_the_line_it_did(tmp_path):
    """A cell with a NUL never compiles, and its error has no line of its own: it is placed
    where the module's loader raises it, which the cells before it decide (a cell written
    raw took as many lines as it has, one written as repr one).  The lines are the ones
    ``grade`` named when the module held its cells as Python literals."""
    folder = tmp_path / "alice"
    folder.mkdir()
    notebook(folder / "A.ipynb", "s = '\\n'\n", "def A(x1, w1):\x00\n    return x1 * w1\n")
    notebook(
        folder / "B.ipynb",
        "import math\nimport numpy as np\n",
        "def B(x2, w2):\x00\n    return 1\n",
    )
    said = feedback(folder)
    assert said["A.forward"] == (
        "error: SyntaxError: source code string cannot contain null bytes (A.py:30)"
    )
    # the twin: a two-line cell before it (raw, then) puts the loader two lines further down
    assert said["B.forward"] == (
        "error: SyntaxError: source code string cannot contain null bytes (B.py:32)"
    )


@pytest.fixture(scope="module")
def course():
    return load_course(LESSON / "course.yml")


def test_grading_tells_each_routes_untouched_answers_once(tmp_path, course, monkeypatch):
    folder = tmp_path / "alice"
    folder.mkdir()
    (folder / "A.py").write_text("def A(x1, w1):\n    return x1 * w1\n", encoding="utf-8")
    notebook(folder / "A.ipynb", "def A(x1, w1):\n    return x1 * w1\n")
    notebook(folder / "B.ipynb", "def B(x2, w2):\n    return x2 * w2\n")
    sub = submissions.read(folder, {e.id for e in course.exercises})
    asked: list[str] = []
    told = routes.untouched

    def untouched(course, module, route):
        asked.append(route.label)
        return told(course, module, route)

    monkeypatch.setattr(routes, "untouched", untouched)
    routes.grade(course, sub, lambda files: [])
    assert sorted(asked) == ["A.ipynb", "A.py", "B.ipynb"]
    # the twin: choosing on its own, then grading, tells them again
    asked.clear()
    routes.choose(course, sub)
    routes.grade(course, sub, lambda files: [])
    assert sorted(asked) == ["A.ipynb", "A.ipynb", "A.py", "A.py", "B.ipynb", "B.ipynb"]


def test_a_question_cells_grade_ids_are_the_courses(course):
    for q in course.questions:
        assert notebooks.role_id(q.qid, "answer") == grade_id(q, "answer")
        assert notebooks.role_id(q.qid, "test") == grade_id(q, "test")
        assert notebooks.role_id(q.qid, "test") != notebooks.role_id(q.qid, "answer")


def test_a_place_is_read_only_in_feedback_that_names_a_file():
    said = "NameError: name 'y' is not defined"
    assert notebooks._places(said, {"A"}) is said
    # the twin: a module line of a notebook's module becomes its cell and line
    placed = notebooks._places(f"{said} (A.py:300002)", {"A"})
    assert placed == f"{said} (A.ipynb, cell 3, line 2)"


def test_a_file_is_read_whole_and_cut_after_its_cap(tmp_path):
    small = tmp_path / "small.ipynb"
    small.write_bytes(b"x" * 5000)
    assert submissions._file_reader(small, 1 << 20)() == b"x" * 5000
    big = tmp_path / "big.ipynb"
    big.write_bytes(bytes(range(256)) * 400)  # 102,400 bytes
    assert submissions._file_reader(big, 1 << 20)() == bytes(range(256)) * 400
    # the twin: over the cap, one byte more than the cap is read (enough to refuse it)
    assert submissions._file_reader(big, 70_000)() == (bytes(range(256)) * 400)[:70_001]
    (tmp_path / "link.ipynb").symlink_to(small)
    with pytest.raises(OSError):
        submissions._file_reader(tmp_path / "link.ipynb", 1 << 20)()
    os.mkfifo(tmp_path / "fifo.ipynb")  # would block a plain open()
    with pytest.raises(OSError):
        submissions._file_reader(tmp_path / "fifo.ipynb", 1 << 20)()


@pytest.mark.parametrize(
    "meta, expected",
    [
        ({"nbgrader": {"grade": True, "solution": False, "locked": True, "grade_id": "g"}},
         ("g", (True, False, True), None, False)),
        ({"nbgrader": {"grade": 1, "grade_id": 7}}, (None, None, None, False)),
        ({"nbgrader": [], "course": {"question": "A.x", "test": True}}, (None, None, "A.x", True)),
        ({"course": {"question": 3, "test": 1}}, (None, None, None, False)),
        ({"course": "A.x", "nbgrader": {}}, (None, (False, False, False), None, False)),
    ],
)  # fmt: skip
def test_a_cells_metadata_is_read_exactly(meta, expected):
    cell = cells.cell_of(4, {"cell_type": "code", "source": ["a = 1\n", "b = 2"], "metadata": meta})
    assert cell is not None
    assert (cell.grade_id, cell.flags, cell.question, cell.marked_test) == expected
    assert (cell.number, cell.source) == (4, "a = 1\nb = 2")


@pytest.mark.parametrize(
    "raw",
    [
        {"cell_type": "code", "source": "", "metadata": []},
        {"cell_type": 3, "source": ""},
        {"cell_type": "code", "source": ["a", 1]},
        {"cell_type": "code", "source": 7},
        ["not", "a", "cell"],
    ],
)
def test_a_damaged_cell_is_no_cell(raw):
    assert cells.cell_of(1, raw) is None
    # the twin: the same with what a cell needs is one
    assert cells.cell_of(1, {"cell_type": "code", "source": "", "metadata": {}}) is not None


PRINTS = """\
import sys

class Loud:
    def write(self, text):
        return sys.__stdout__.write(text)

    def flush(self):
        raise RuntimeError("no flush today")

def f(x1, w1):
    print("f", end="")  # no line break: only a flush puts it in the pipe
    return x1

def g(x1, w1):
    sys.stdout = sys.stderr  # one stream twice
    print("g")
    return w1

def h(x1, w1):
    sys.stdout = Loud()  # a stream whose flush raises
    print("h", end="")
    return x1 + w1
"""


def test_what_a_request_prints_goes_with_it_whatever_the_streams_are():
    with Sandbox(Limits(call_timeout=5.0)) as box:
        requests = [Request("A", name, (1.0, 2.0), "number") for name in ("f", "g", "h", "f")]
        out = box.run({"A": textwrap.dedent(PRINTS)}, requests)
    assert [o.status for o in out] == ["ok"] * 4
    assert [o.value for o in out] == [1.0, 2.0, 3.0, 1.0]
    assert [o.output for o in out[:3]] == ["f", "g\n", "h"]
    # the twin: the last f printed through Loud, which cannot flush; the runner flushes the
    # stream beneath it (sys.__stdout__), so its output is still its own
    assert out[3].output == "f"
