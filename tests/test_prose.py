"""Placeholders in the course's prose: rendered from the model in every language, at load, so
stubs, notebooks and the nbgrader root follow an edit of course.yml; a brace that is not a
placeholder is a problem at its file:line."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import LESSON, command

from grader.course.loader import load_course
from reference.course.model import load_model
from reference.course.prose import PlaceholderError, pretty, render


@pytest.fixture(scope="module")
def model():
    return load_model(LESSON / "course.yml")


def copy_course(where: Path, edit=None) -> Path:
    shutil.copytree(LESSON, where, ignore=shutil.ignore_patterns("samples"))
    if edit:
        text = (where / "course.yml").read_text(encoding="utf-8")
        (where / "course.yml").write_text(edit(text), encoding="utf-8")
    return where


def course(*args, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        command("course", *args), cwd=cwd, capture_output=True, text=True, timeout=180
    )


def test_every_placeholder_comes_from_the_model(model):
    s = {n.name: n for n in model.nodes}["S"]
    g = {n.name: n for n in model.nodes}["G"]
    assert render("{learning_rate}", model, "en") == f"{model.learning_rate:g}"
    assert render("{nodes}", model, "en") == ", ".join(n.name for n in model.nodes)
    assert render("{leaves}", model, "ru") == ", ".join(model.leaves)
    assert render("{args:G}", model, "en") == ", ".join(g.args)
    assert render("{header:G}", model, "en") == f"G({', '.join(g.args)})"
    assert render("{formula:S}", model, "en") == s.formula
    assert render("{math:S}", model, "en") == pretty(s.formula)
    assert render("{returns:G}", model, "en") == (
        "{" + ", ".join(f'"{a}": d{model.loss}/d{a}' for a in g.args) + "}"
    )
    # the same placeholder reads in each language
    assert render("{function:S}", model, "en") != render("{function:S}", model, "ru")
    assert render("{{not a placeholder}}", model, "en") == "{not a placeholder}"


@pytest.mark.parametrize("text", ["{lerning_rate}", "{formula:Q}", "{formula}", "a { b", "}"])
def test_a_brace_that_is_no_placeholder_is_refused(model, text):
    with pytest.raises(PlaceholderError):
        render(text, model, "en")


def test_an_unknown_placeholder_is_a_validate_error_at_its_line(tmp_path):
    folder = copy_course(tmp_path / "course")
    path = folder / "exercises" / "S.yml"
    lines = path.read_text(encoding="utf-8").splitlines()
    i = next(i for i, ln in enumerate(lines) if "{math:S}" in ln and "en:" not in ln)
    lines[i] = lines[i].replace("{math:S}", "{maths:S}", 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for lang, words in (("en", "is not a placeholder"), ("ru", "— не подстановка")):
        r = course("validate", "--lang", lang, cwd=folder)
        assert r.returncode == 1 and "Traceback" not in r.stderr
        assert f"exercises/S.yml:{i + 1}: {{maths:S}} {words}" in r.stderr, r.stderr


def test_a_doubled_brace_is_the_brace_itself(tmp_path):
    folder = copy_course(tmp_path / "course")
    assert load_course(folder / "course.yml")  # prep.yml writes {{"A": […], …}}
    prep = next(e for e in load_course(folder / "course.yml").exercises if e.id == "prep")
    prompts = "".join(q.prompt["en"] for q in prep.questions)
    assert '{"A": ["…", …]' in prompts and "{{" not in prompts


def test_a_new_learning_rate_reaches_stubs_notebooks_and_the_nbgrader_root(tmp_path, model):
    old = f"{model.learning_rate:g}"
    new = f"{model.learning_rate * 10:g}"
    folder = copy_course(
        tmp_path / "course",
        lambda text: text.replace(f"learning_rate: {old}", f"learning_rate: {new}"),
    )
    assert load_model(folder / "course.yml").learning_rate == pytest.approx(float(new))
    for lang in ("ru", "en"):
        r = course("release", "--out", tmp_path / lang, "--lang", lang, cwd=folder)
        assert r.returncode == 0, r.stderr
        for f in (tmp_path / lang / "step.py", tmp_path / lang / "notebooks" / "step.ipynb"):
            text = f.read_text(encoding="utf-8")
            assert f"microchange = {new} · change" in text, f
            assert f"{old} " not in text, f
    r = course("nbgrader", "--out", tmp_path / "nb", cwd=folder)
    assert r.returncode == 0, r.stderr
    (step,) = (tmp_path / "nb" / "source").glob("*/step.ipynb")
    text = step.read_text(encoding="utf-8")
    assert f"microchange = {new} · change" in text and f"{old} " not in text
