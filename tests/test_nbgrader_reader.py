"""The nbgrader notebooks read a formula with the grader's own reader: ``course nbgrader``
ships it as source/<assignment>/_formula_reader.py (stdlib only, the modules check.py carries),
nbgrader releases it beside the notebooks, and the helper cell imports it.  An unreadable
formula fails its public test cell with grade's own message; a readable one passes; without
the file the cell says so and checks the form only."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import LESSON, command

from grader.course.loader import load_course
from reference.expr import ExprError
from reference.expr.student import read_answer
from reference.table import FUNCTIONS

UNREADABLE = "sigmoid(G)*(1-"


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("nb") / "root"
    r = subprocess.run(
        command("course", "nbgrader", "--out", out, "--lang", "en"),
        cwd=LESSON,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr
    return out


def grades_message(name: str, text: str) -> str:
    """What grade says of an unreadable formula (grader/kinds/formula.py): name: message."""
    q = load_course(LESSON / "course.yml").by_qid["S.dS_dG_formula"]
    with pytest.raises(ExprError) as err:
        read_answer(text, q.args, ["S"], FUNCTIONS)
    return f"{name}: {err.value.message('en')}"


def cells(folder: Path, exercise: str) -> tuple[str, str]:
    """The helper cell's and dS_dG_formula's test cell's sources."""
    nb = json.loads((folder / f"{exercise}.ipynb").read_text(encoding="utf-8"))
    code = {c["id"]: "".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"}
    helper = next(v for k, v in code.items() if k.endswith("checks"))
    return helper, code["S-dS_dG_formula-test"]


def run_cells(helper: str, test: str, answer: str) -> Exception | None:
    ns: dict = {"__name__": "__main__"}
    exec(compile(helper, "helper", "exec"), ns)
    ns["dS_dG_formula"] = answer
    try:
        exec(compile(test, "test", "exec"), ns)
    except AssertionError as err:
        return err
    return None


def test_the_reader_file_is_beside_the_notebooks_and_small_cells(root):
    folder = root / "source" / "backprop"
    reader = folder / "_formula_reader.py"
    assert reader.is_file()
    helper, _ = cells(folder, "S")
    assert len(helper) < 40_000 and "SOURCES" not in helper  # the reader is not in a cell
    # it imports nothing outside the standard library: runs in a plain python, no package
    r = subprocess.run(
        [
            "python3",
            "-I",
            "-S",
            "-c",
            "import sys; sys.path.insert(0, ''); import _formula_reader as r; "
            "print(r.read_formula('2S', "
            "['G'], {'S': 'sigmoid(G)'}, 'en'))",
        ],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 0 and "2*S" in r.stdout, r.stderr


def test_an_unreadable_formula_fails_the_public_cell_with_grades_message(root, monkeypatch):
    folder = root / "source" / "backprop"
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.chdir(folder)  # where a kernel runs a notebook
    helper, test = cells(folder, "S")
    failed = run_cells(helper, test, UNREADABLE)
    assert failed is not None and str(failed) == grades_message("dS_dG_formula", UNREADABLE)
    unknown = run_cells(helper, test, "foo(G)")
    assert unknown is not None and "unknown function 'foo'" in str(unknown)
    # the twin: readable spellings, the node's own name among them, pass
    for readable in ("sigmoid(G)*(1 - sigmoid(G))", "S(1-S)", "σ(G)*(1-σ(G))", "2"):
        assert run_cells(helper, test, readable) is None, readable


def test_without_the_file_the_cell_says_so_and_checks_the_form(root, tmp_path, monkeypatch, capsys):
    folder = tmp_path / "release"
    shutil.copytree(root / "source" / "backprop", folder)
    (folder / "_formula_reader.py").unlink()
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.chdir(folder)
    helper, test = cells(folder, "S")
    assert run_cells(helper, test, UNREADABLE) is None  # a string: the form is right
    assert "_formula_reader.py is not beside this notebook" in capsys.readouterr().err
    assert run_cells(helper, test, "") is not None  # still not done


@pytest.mark.slow
def test_nbgrader_releases_the_reader_and_a_kernel_fails_an_unreadable_formula(root, tmp_path):
    """Real nbgrader: generate_assignment copies the reader into release/; a real kernel runs
    the released notebook with a student's formulas."""
    import nbformat
    from nbclient import NotebookClient

    work = tmp_path / "root"
    shutil.copytree(root, work)
    r = subprocess.run(
        ["nbgrader", "generate_assignment", "backprop"],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    release = work / "release" / "backprop"
    assert (release / "_formula_reader.py").is_file()

    def outcome(answer: str) -> list[str]:
        nb = nbformat.read(release / "S.ipynb", as_version=4)
        for cell in nb.cells:
            if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == (
                "S-dS_dG_formula-answer"
            ):
                cell.source = f"dS_dG_formula = {answer!r}\n"
        client = NotebookClient(
            nb,
            timeout=120,
            kernel_name="python3",
            allow_errors=True,
            resources={"metadata": {"path": str(release)}},
        )
        client.execute()
        test = next(
            c
            for c in nb.cells
            if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "S-dS_dG_formula-test"
        )
        return [o.get("evalue", "") for o in test.outputs if o.get("output_type") == "error"]

    assert outcome(UNREADABLE) == [grades_message("dS_dG_formula", UNREADABLE)]
    assert outcome("S*(1 - S)") == []
