"""The notebook route's fast paths keep what a student is told.

A cell is compiled once a process and moved to its module lines (grader.intake.cells.run_cells):
a cell repeated in two notebooks (each notebook opens with the same setup cell) must still
place an error in its own notebook, cell and line.  The module a notebook becomes carries the
runner's exact source (grader.intake.notebooks._source_of, not inspect's tokenizer).
"""

from __future__ import annotations

import ast
import inspect
import json
import subprocess
from pathlib import Path

from conftest import LESSON, command

from grader.intake import cells, notebooks

SHARED = "def helper(x):\n    return 1 / x\n"


def notebook(path: Path, *sources: str | None) -> None:
    """A notebook of code cells (None: a markdown cell), as Jupyter saves it."""
    nb_cells = [
        {"cell_type": "markdown", "metadata": {}, "source": ["text"]}
        if s is None
        else {
            "cell_type": "code",
            "execution_count": None,
            "metadata": {},
            "outputs": [],
            "source": s.splitlines(True),
        }
        for s in sources
    ]
    nb = {"cells": nb_cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path.write_text(json.dumps(nb), encoding="utf-8")


def feedback(tmp_path: Path) -> dict[str, str]:
    """qid → its feedback (with the status in front) when ``grade`` grades tmp_path/alice."""
    out = tmp_path / "grades.jsonl"
    r = subprocess.run(
        command("grade", tmp_path / "alice", "--json", out, "--course", LESSON, "--lang", "en"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr
    (report,) = [json.loads(line) for line in out.read_text().splitlines()]
    return {q["id"]: f"{q['status']}: {q['feedback']}" for q in report["questions"]}


def test_a_cell_repeated_in_two_notebooks_places_each_error_in_its_own(tmp_path):
    folder = tmp_path / "alice"
    folder.mkdir()
    notebook(folder / "A.ipynb", SHARED, "def A(x1, w1):\n    return helper(0)\n")
    notebook(folder / "B.ipynb", None, None, SHARED, "\n\ndef B(x2, w2):\n    return helper(0)\n")
    said = feedback(tmp_path)
    assert "ZeroDivisionError" in said["A.forward"]
    assert "A.ipynb, cell 1, line 2" in said["A.forward"]
    # the twin: B's copy of the cell was compiled once, with A; its error is still B's
    assert "B.ipynb, cell 3, line 2" in said["B.forward"]
    assert "A.ipynb" not in said["B.forward"] and "cell 1," not in said["B.forward"]


def test_a_syntax_error_in_a_repeated_cell_is_placed_in_each_notebook(tmp_path):
    folder = tmp_path / "alice"
    folder.mkdir()
    broken = "x = 1\ndef A(x1, w1):\n    return (x1 *\n"
    notebook(folder / "A.ipynb", None, broken)
    notebook(folder / "B.ipynb", broken, "def B(x2, w2):\n    return x2 * w2\n")
    said = feedback(tmp_path)
    assert "SyntaxError" in said["A.forward"] and "A.ipynb, cell 2, line 3" in said["A.forward"]
    assert said["B.forward"].startswith("passed: ")  # the broken copy costs B nothing


def test_the_module_carries_the_runner_verbatim():
    assert inspect.getsource(cells.run_cells) == notebooks.RUNNER
    assert notebooks._source_of(cells.runnable) == inspect.getsource(cells.runnable)
    carried: dict = {}
    exec(notebooks.LOADER.split("\n\n\ndef _runner")[0], carried)  # its _RUNNER = ... line
    assert carried["_RUNNER"] == notebooks.RUNNER


def test_magic_lines_are_still_read_as_magics():
    assert cells.python_source("x = 1 % 2\ny = x != 3\n") == "x = 1 % 2\ny = x != 3\n"
    # the twin: a magic after white space (a tab, a no-break space) on a later line
    assert (
        cells.python_source("x = 1\n\t%matplotlib inline") == "x = 1\n\tpass  # %matplotlib inline"
    )
    assert cells.python_source("x = 1\n\u00a0!ls") == "x = 1\n\u00a0pass  # !ls"
    assert cells.python_source("%%bash\nls") is None


TRICKY = (
    's = "\\n"\n',  # a backslash
    "x = '''a'''\n",  # a raw literal's own end
    "x = 'a'",  # a quote last
    "x = 1\r\ny = 2\r\n",  # the tokenizer reads \r\n as \n
    "σ = 1  # ÷\n",
    "x = 1\x00",  # no source may hold it
    "x = '\ud800'\n",  # a surrogate: no UTF-8 for it
    "x = 1\x7f\\",
)


def test_a_cell_reads_back_the_same_from_its_module():
    nb = [cells.Cell(k, "code", text, None, None, None) for k, text in enumerate(TRICKY, 1)]
    source = notebooks.module_source(nb, "X.ipynb")
    data = source.encode("utf-8")  # strictly, as the sandbox needs it: no surrogate left
    read: dict = {}
    exec(compile(data.split(b"\n\n_RUNNER")[0], "X.py", "exec"), read)
    assert [entry[2] for entry in read["_CELLS"]] == list(TRICKY)
    assert [entry[0] for entry in read["_CELLS"]] == list(range(1, len(TRICKY) + 1))
    # the twins: JSON alone in a raw literal loses the one with ''' and the surrogate
    lost = []
    for text in TRICKY:
        try:
            naive = f"r'''{json.dumps(text, ensure_ascii=False)}'''".encode()
            if json.loads(ast.literal_eval(naive.decode())) != text:
                lost.append(text)
        except (SyntaxError, ValueError, UnicodeEncodeError):
            lost.append(text)
    assert lost == [TRICKY[1], TRICKY[6]]
