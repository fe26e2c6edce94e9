"""Preparatory question 3 as the lesson asks it: what each function outputs.

The right answer is the reference's (each node's outermost table row, the loss by its role);
it follows the course: a tanh course's S, a four-input course's D.  Graded through the real
``grade``, with the wrong-but-plausible twins beside each right answer.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import FOUR, LESSON, TANH, command

from grader.course.loader import load_course
from publish.stubs import stubs
from reference.course.targets import LOSS, OUTPUT_OF_ROW, OUTPUTS, Fact, evaluate

QID = "prep.outputs"


def outputs(course_dir: Path) -> dict[str, str]:
    return evaluate(Fact("outputs"), load_course(course_dir / "course.yml").model, {})


def test_the_answer_follows_each_nodes_row_and_the_loss_its_role():
    lesson, tanh, four = outputs(LESSON), outputs(TANH), outputs(FOUR)
    assert list(lesson) == ["A", "B", "C", "G", "S", "L"]
    assert {lesson[n] for n in "ABC"} == {OUTPUT_OF_ROW["mul"]}
    assert lesson["G"] == OUTPUT_OF_ROW["add"] and lesson["S"] == OUTPUT_OF_ROW["sigmoid"]
    assert lesson["L"] == LOSS != OUTPUT_OF_ROW["square"]  # (gold - S)**2, but it is the loss
    assert tanh["S"] == OUTPUT_OF_ROW["tanh"] != lesson["S"]
    assert four["D"] == four["A"] and {k: v for k, v in four.items() if k != "D"} == lesson
    assert set(OUTPUT_OF_ROW.values()) | {LOSS} <= set(OUTPUTS)


def prep_only(tmp_path: Path, course_dir: Path, name: str, edits=()) -> Path:
    """A submission of prep.py alone: the reference's solution with ``edits``."""
    text = dict(stubs(load_course(course_dir / "course.yml"), "en", solution=True))["prep.py"]
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    folder = tmp_path / course_dir.name / name
    folder.mkdir(parents=True)
    (folder / "prep.py").write_text(text, encoding="utf-8")
    return folder


def graded(tmp_path: Path, course_dir: Path, *folders: Path) -> dict[str, dict]:
    out = tmp_path / f"{course_dir.name}.jsonl"
    args = ("grade", *folders, "--course", course_dir, "--json", out, "--lang", "en")
    r = subprocess.run(command(*args), capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    reports = [json.loads(line) for line in out.read_text().splitlines()]
    return {
        Path(o["submission"]).name: next(q for q in o["questions"] if q["id"] == QID)
        for o in reports
    }


def item(key: str, value: str) -> str:
    return f"{key!r}: {value!r}"


@pytest.mark.parametrize("course_dir", [LESSON, TANH, FOUR], ids=lambda p: p.name)
def test_right_answers_pass_and_plausible_slips_do_not(tmp_path, course_dir):
    right = outputs(course_dir)
    slips = {
        "s_sum": [(item("S", right["S"]), item("S", OUTPUT_OF_ROW["add"]))],
        "l_probability": [(item("L", right["L"]), item("L", OUTPUT_OF_ROW["sigmoid"]))],
        "not_a_dict": [("outputs = {", "outputs = 'product'\n_rest = {")],
    }
    if course_dir == TANH:  # the lesson's sigmoid answer in a tanh course
        slips["s_as_sigmoid"] = [(item("S", right["S"]), item("S", OUTPUT_OF_ROW["sigmoid"]))]
    if course_dir == FOUR:  # D left as the sum it feeds
        slips["d_sum"] = [(item("D", right["D"]), item("D", OUTPUT_OF_ROW["add"]))]
    folders = [prep_only(tmp_path, course_dir, "right")]
    folders += [prep_only(tmp_path, course_dir, name, edits) for name, edits in slips.items()]
    got = graded(tmp_path, course_dir, *folders)
    assert got["right"]["status"] == "passed", got["right"]
    assert got["right"]["score"] == got["right"]["max_score"] > 0
    for name, key in (
        ("s_sum", "S"),
        ("l_probability", "L"),
        ("s_as_sigmoid", "S"),
        ("d_sum", "D"),
    ):
        if name in got:
            assert got[name]["status"] == "partial", (name, got[name])
            assert got[name]["feedback"] == f"Not right for: {key}.", got[name]
            assert 0 < got[name]["score"] < got[name]["max_score"]
    assert got["not_a_dict"]["status"] == "failed" and got["not_a_dict"]["score"] == 0
    assert "one option" in got["not_a_dict"]["feedback"]


def test_the_options_must_hold_every_output_of_the_model(tmp_path):
    """A tanh course whose options leave out "between −1 and 1" cannot be validated."""
    folder = tmp_path / "tanh"
    shutil.copytree(TANH, folder, ignore=shutil.ignore_patterns("samples"))
    prep = folder / "exercises" / "prep.yml"
    text = prep.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    at = lines.index(f"      - value: {OUTPUT_OF_ROW['tanh']}\n")
    prep.write_text("".join(lines[:at] + lines[at + 2 :]), encoding="utf-8")
    for lang, word in (("en", "missing"), ("ru", "не хватает")):
        r = subprocess.run(
            command("course", "validate", "--course", folder, "--lang", lang),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert r.returncode == 1 and "Traceback" not in r.stderr
        message = r.stdout + r.stderr
        assert "prep.yml:" in message and f"{word}: {OUTPUT_OF_ROW['tanh']}" in message


def test_check_py_names_an_answer_that_is_not_an_option(tmp_path):
    out = tmp_path / "release"
    r = subprocess.run(
        command("course", "release", "--out", out, "--lang", "en", "--course", LESSON),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    prep = out / "prep.py"
    text = prep.read_text(encoding="utf-8")
    assert text.count("\noutputs = {}\n") == 1
    keys = ", ".join(f"{n!r}: 'a number'" for n in outputs(LESSON))
    prep.write_text(text.replace("\noutputs = {}\n", f"\noutputs = {{{keys}}}\n"))
    r = subprocess.run(
        ["python3", out / "check.py", "prep"], cwd=out, capture_output=True, text=True, timeout=120
    )
    assert "outputs['A']: expected one of" in r.stdout, r.stdout
