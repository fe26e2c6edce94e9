"""``course validate`` checks course.yml's ``gradescope:`` key (publish/gradescope/settings.py)
as it checks the rest: every mistake at its file:line, exit 1, in either language; a good key
validates."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from conftest import LESSON, command


def course_with(tmp_path: Path, extra: str) -> tuple[Path, dict[str, int]]:
    """A copy of the lesson's course with ``extra`` appended to course.yml; the line of each
    appended key."""
    folder = tmp_path / "course"
    shutil.copytree(LESSON / "exercises", folder / "exercises")
    text = (LESSON / "course.yml").read_text(encoding="utf-8") + "\n"
    first = text.count("\n") + 1
    (folder / "course.yml").write_text(text + extra, encoding="utf-8")
    lines = {ln.split(":")[0].strip(): first + i for i, ln in enumerate(extra.splitlines())}
    return folder, lines


def validate(folder: Path, lang: str = "en") -> subprocess.CompletedProcess:
    return subprocess.run(
        command("course", "validate", "--lang", lang),
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_mistake_in_the_gradescope_key_is_at_its_line(tmp_path):
    folder, line = course_with(
        tmp_path,
        "gradescope:\n  visibility: later\n  tests: {chian: hidden, A: sometimes}\n"
        "  student_id: mail\n  colour: blue\n",
    )
    r = validate(folder)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "Traceback" not in r.stderr
    err = r.stderr
    assert f"course.yml:{line['visibility']}: visibility must be one of visible, hidden" in err
    assert f"course.yml:{line['tests']}: tests: 'chian' is no exercise or question" in err
    assert "'chain'" in err  # did you mean
    assert "A must be one of" in err
    assert f"course.yml:{line['student_id']}: student_id must be one of email" in err
    assert f"course.yml:{line['colour']}:" in err
    ru = validate(folder, "ru")
    assert ru.returncode == 1 and "должен быть одним из" in ru.stderr


def test_a_good_gradescope_key_validates(tmp_path):
    folder, _ = course_with(
        tmp_path,
        "gradescope:\n  visibility: after_due_date\n  tests: {chain: hidden, A.forward: visible}\n"
        "  student_id: sid\n",
    )
    r = validate(folder)
    assert r.returncode == 0, r.stderr
    assert "OK" in r.stdout
