"""Every release opens with the lesson's derivative table, with its own course's learning rate.

Built through the real commands (``course release``, ``course nbgrader``) on the fixture
lesson and on a copy of it with another learning rate: the table the students read is the
table module's, before the first question, and one course's rate never shows in another's.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from grader.course.loader import load_course
from publish.derivative_table import markdown
from tests.conftest import LESSON, command

RATES = {"lesson": 0.001, "fast": 0.01}


def _update_rule(rate: float) -> str:
    return f"param_old - {rate:g} * dLoss/dparam"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[tuple[str, str, str], Path]:
    """(course, command, lang) -> the folder it wrote; every build runs at once."""
    base = tmp_path_factory.mktemp("table")
    fast = base / "fast-course"
    shutil.copytree(LESSON, fast, ignore=shutil.ignore_patterns("samples"))
    text = (fast / "course.yml").read_text(encoding="utf-8")
    assert text.count("learning_rate: 0.001 ") == 1
    (fast / "course.yml").write_text(text.replace("learning_rate: 0.001 ", "learning_rate: 0.01 "))
    folders = {"lesson": LESSON, "fast": fast}
    procs = {}
    for course, folder in folders.items():
        for cmd in ("release", "nbgrader"):
            for lang in ("en", "ru"):
                out = base / f"{course}-{cmd}-{lang}"
                args = ("course", cmd, "--out", out, "--lang", lang, "--course", folder)
                procs[(course, cmd, lang)] = (
                    out,
                    subprocess.Popen(
                        command(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE
                    ),
                )
    for key, (_out, proc) in procs.items():
        _, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, (key, err.decode())
    return {key: out for key, (out, _) in procs.items()}


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _first_exercise(course: str) -> str:
    """Both courses list the same exercises: only the rate differs."""
    return load_course(LESSON / "course.yml").exercises[0].id


@pytest.mark.parametrize("course", sorted(RATES))
@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_release_readme_and_first_notebook_open_with_the_table(built, course, lang):
    folder, rate = built[(course, "release", lang)], RATES[course]
    table = markdown(lang, rate)
    first = _first_exercise(course)
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert table in readme
    # before the first question: the files table that lists the first exercise's stub
    assert readme.index(table) < readme.index(f"`{first}.py`")
    cells = _cells(folder / "notebooks" / f"{first}.ipynb")
    assert cells[0]["cell_type"] == "markdown" and "".join(cells[0]["source"]) == table.rstrip()
    assert "course" not in cells[0]["metadata"]  # no answer cell: the grader never reads it
    # once: the other notebooks do not repeat it
    for other in (folder / "notebooks").glob("*.ipynb"):
        if other.stem != first:
            assert not any(table.splitlines()[0] in "".join(c["source"]) for c in _cells(other))


@pytest.mark.parametrize("course", sorted(RATES))
@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_nbgrader_root_and_its_first_notebook_open_with_the_table(built, course, lang):
    folder, rate = built[(course, "nbgrader", lang)], RATES[course]
    table = markdown(lang, rate)
    first = _first_exercise(course)
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert table in readme and "nbgrader generate_assignment backprop" in readme
    cells = _cells(folder / "source" / "backprop" / f"{first}.ipynb")
    top = cells[0]
    assert "".join(top["source"]) == table.rstrip()
    assert top["metadata"]["nbgrader"]["locked"] and not top["metadata"]["nbgrader"]["grade"]
    answers = [i for i, c in enumerate(cells) if "course" in c["metadata"]]
    assert answers and answers[0] > 0


@pytest.mark.parametrize("cmd", ["release", "nbgrader"])
def test_another_courses_rate_never_shows(built, cmd):
    """The twin: the lesson's 0.001 never reaches the 0.01 course's release, nor back."""
    for course, rate in RATES.items():
        other = next(r for c, r in RATES.items() if c != course)
        for lang in ("en", "ru"):
            folder = built[(course, cmd, lang)]
            texts = [p.read_text(encoding="utf-8") for p in folder.rglob("*.md")]
            texts += [p.read_text(encoding="utf-8") for p in folder.rglob("*.ipynb")]
            joined = "\n".join(texts)
            assert _update_rule(rate) in joined
            assert _update_rule(other) not in joined
            assert f"param_old − {other:g}" not in joined  # the README's own lesson line
