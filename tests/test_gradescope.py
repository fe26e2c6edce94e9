"""The Gradescope bundle, as Gradescope runs it: setup.sh once, run_autograder per submission.

The slow test runs the bundle's own scripts in a mount namespace whose /autograder is a
temporary folder (setup.sh installs the wheel the bundle holds into a fresh venv, its
dependencies from the package index); the scores must be ``grade``'s on the same files for
the same student.  The fast tests cover the pieces: the settings, the results writer through
``grade --gradescope``, the student id, an upload with nothing to grade.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import LESSON, ROOT, command

from grader.course.loader import load_course
from publish.gradescope.run import user_of
from publish.stubs import stubs

COURSE = LESSON / "course.yml"
METADATA = {
    "id": 1234,
    "users": [{"email": "ann@example.org", "id": 77, "name": "Ann Lee", "sid": ""}],
    "assignment": {"title": "backprop"},
}
# Variables that would let this venv or checkout leak into the bundle's own venv.
LEAKY = ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTEST_ADDOPTS")
SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def run(argv: list, cwd: Path, env: dict | None = None, timeout: float = 600):
    return subprocess.run(
        [str(a) for a in argv], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )


def course_with(tmp_path: Path, extra: str) -> Path:
    """A copy of the lesson's course with ``extra`` YAML appended to course.yml."""
    folder = tmp_path / "course"
    shutil.copytree(LESSON / "exercises", folder / "exercises")
    text = COURSE.read_text(encoding="utf-8")
    (folder / "course.yml").write_text(text + "\n" + extra, encoding="utf-8")
    return folder / "course.yml"


def grade_json(sub: Path, student: str, tmp_path: Path) -> dict:
    """``grade``'s own report of ``sub`` as ``student``'s."""
    roster = tmp_path / "roster.csv"
    roster.write_text(f"submission,student\n{sub.name},{student}\n", encoding="utf-8")
    out = tmp_path / "grade.jsonl"
    r = run(
        command(
            "grade", sub, "--json", out, "--roster", roster, "--course", COURSE, "--lang", "en"
        ),
        cwd=tmp_path,
    )
    assert r.returncode == 0, r.stderr
    (obj,) = [json.loads(line) for line in out.read_text().splitlines()]
    return obj


def scores(results: dict) -> dict[str, float]:
    return {test["name"]: test["score"] for test in results["tests"]}


# --- the pieces ------------------------------------------------------------------------------


def test_visibility_comes_from_course_yml(tmp_path):
    course = course_with(
        tmp_path,
        "gradescope:\n  visibility: after_due_date\n  stdout_visibility: visible\n"
        "  tests: {prep: hidden, A.forward: after_published}\n",
    )
    out = tmp_path / "results.json"
    sub = ROOT / "samples" / "perfect"
    r = run(command("grade", sub, "--gradescope", out, "--course", course), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    res = json.loads(out.read_text())
    assert (res["visibility"], res["stdout_visibility"]) == ("after_due_date", "visible")
    seen = {test["name"]: test["visibility"] for test in res["tests"]}
    assert seen["A.forward"] == "after_published"
    assert all(v == "hidden" for k, v in seen.items() if k.startswith("prep."))
    assert seen["B.forward"] == "after_due_date"  # the results' own, when none is given


def test_without_settings_everything_is_visible(tmp_path):
    out = tmp_path / "results.json"
    sub = ROOT / "samples" / "perfect"
    r = run(command("grade", sub, "--gradescope", out, "--course", COURSE), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    res = json.loads(out.read_text())
    assert res["visibility"] == "visible" and res["stdout_visibility"] == "hidden"
    assert {test["visibility"] for test in res["tests"]} == {"visible"}


def test_a_mistake_in_the_settings_is_the_courses_with_its_line(tmp_path):
    course = course_with(
        tmp_path, "gradescope:\n  visibility: later\n  tests: {chian: hidden}\n  student_id: mail\n"
    )
    for argv in (
        command("grade", ROOT / "samples" / "perfect", "--gradescope", tmp_path / "r.json"),
        command("course", "gradescope", "--out", tmp_path / "ag.zip"),
    ):
        r = run([*argv, "--course", course, "--lang", "en"], cwd=tmp_path)
        assert r.returncode == 1, r.stderr
        assert "course.yml:" in r.stderr and "visibility must be one of" in r.stderr
        assert "did you mean 'chain'" in r.stderr.lower() or "'chain'" in r.stderr
        assert "student_id must be one of" in r.stderr
        assert "Traceback" not in r.stderr
    assert not (tmp_path / "r.json").exists() and not (tmp_path / "ag.zip").exists()


def test_the_student_is_gradescopes_user_by_the_chosen_field():
    ann = user_of(METADATA, "email")
    assert (ann.student, ann.field, ann.notes) == ("ann@example.org", "email", ())
    assert set(ann.identifiers) == {"ann@example.org", "77", "Ann Lee"}
    assert user_of(METADATA, "id").student == "77"
    blank = user_of(METADATA, "sid")  # empty: the email, and the student is told
    assert blank.student == "ann@example.org" and "sid is blank" in blank.notes[0]["en"]
    group = {"users": [{"email": "b@x.org"}, {"email": "c@x.org"}]}
    assert user_of(group, "email").student == "b@x.org"
    assert user_of({"users": []}, "email") is None
    assert user_of({"users": [{"email": " ", "name": ""}]}, "email") is None


def _autograde(root: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    """run_autograder's Python part, on a folder laid out as /autograder."""
    argv = [sys.executable, "-m", "publish.gradescope.run", "--root", root, "--course", COURSE]
    return run([*argv, "--lang", "en"], cwd=tmp_path)


def _layout(tmp_path: Path, sample: str | None) -> Path:
    root = tmp_path / "autograder"
    (root / "submission").mkdir(parents=True)
    if sample:
        shutil.copytree(ROOT / "samples" / sample, root / "submission", dirs_exist_ok=True)
    (root / "submission_metadata.json").write_text(json.dumps(METADATA))
    return root


def test_an_upload_with_nothing_to_grade_scores_zero_and_says_why(tmp_path):
    root = _layout(tmp_path, None)
    (root / "submission" / "notes.txt").write_text("hello")
    r = _autograde(root, tmp_path)
    assert r.returncode == 0, r.stderr
    res = json.loads((root / "results" / "results.json").read_text())
    assert res["score"] == 0 and res["tests"] == []
    assert "Nothing could be graded" in res["output"] and "A.py" in res["output"]


def test_run_autograder_grades_as_grade_does_for_gradescopes_student(tmp_path):
    root = _layout(tmp_path, "mistakes")
    r = _autograde(root, tmp_path)
    assert r.returncode == 0, r.stderr
    res = json.loads((root / "results" / "results.json").read_text())
    ours = grade_json(root / "submission", "ann@example.org", tmp_path)
    assert scores(res) == {q["id"]: q["score"] for q in ours["questions"] if "score" in q}
    assert res["score"] == ours["score"] < ours["max_score"]
    # the twin: graded as another student, the hand-computed numbers are not Ann's
    other = grade_json(root / "submission", "submission", tmp_path)
    assert other["score"] != ours["score"]


def test_a_bad_wheel_is_a_usage_error(tmp_path):
    bogus = tmp_path / "backprop_course-0.1.0-py3-none-any.whl"
    bogus.write_text("not a zip")
    for wheel in (bogus, tmp_path / "other-1.0-py3-none-any.whl"):
        argv = command("course", "gradescope", "--out", tmp_path / "ag.zip", "--wheel", wheel)
        r = run([*argv, "--course", COURSE, "--lang", "en"], cwd=tmp_path)
        assert r.returncode == 2, r.stderr
        assert f"--wheel {wheel}" in r.stderr and "Traceback" not in r.stderr


# --- the whole bundle, as Gradescope runs it --------------------------------------------------


def _can_unshare() -> str:
    """Why a mount namespace cannot be made here ('' if it can)."""
    if not shutil.which("unshare"):
        return "no unshare command"
    r = subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "true"], capture_output=True, text=True
    )
    return "" if r.returncode == 0 else f"unshare --mount fails here: {r.stderr.strip()}"


@pytest.mark.slow
def test_the_bundles_own_scripts_grade_as_grade_does(tmp_path):
    why = _can_unshare()
    if why:
        pytest.skip(why)
    bundle = tmp_path / "autograder.zip"
    r = run(
        command("course", "gradescope", "--out", bundle, "--course", COURSE, "--lang", "en"),
        tmp_path,
    )
    assert r.returncode == 0, r.stderr
    names = zipfile.ZipFile(bundle).namelist()
    assert {"setup.sh", "run_autograder", "course/course.yml"} <= set(names)
    assert any(n.startswith("wheels/backprop_course-") for n in names)
    assert not any(n.startswith(("tests/", "samples/", "course/samples")) for n in names)

    root = _layout(tmp_path, "mistakes")
    (root / "results").mkdir()
    with zipfile.ZipFile(bundle) as z:
        z.extractall(root / "source")
    for name in ("setup.sh", "run_autograder"):  # zipfile drops the modes: Gradescope keeps them
        os.chmod(root / "source" / name, 0o755)
    shutil.copy(root / "source" / "run_autograder", root / "run_autograder")
    made = not Path("/autograder").exists()
    if made:
        Path("/autograder").mkdir()  # a mount point only: the namespace binds over it
    script = (
        f"set -e; mount --bind {root} /autograder; "
        "bash /autograder/source/setup.sh; /autograder/run_autograder"
    )
    env = {k: v for k, v in os.environ.items() if k not in LEAKY} | {"PATH": SYSTEM_PATH}
    try:
        r = run(
            ["unshare", "--mount", "--propagation", "private", "bash", "-c", script],
            tmp_path,
            env,
            900,
        )
    finally:
        if made:
            Path("/autograder").rmdir()
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    assert "include-system-site-packages = false" in (root / "venv" / "pyvenv.cfg").read_text()
    res = json.loads((root / "results" / "results.json").read_text())
    ours = grade_json(root / "submission", "ann@example.org", tmp_path)
    assert scores(res) == {q["id"]: q["score"] for q in ours["questions"] if "score" in q}
    assert res["score"] == ours["score"] and 0 < res["score"] < ours["max_score"]
    assert any(test["output"] for test in res["tests"])  # feedback reaches the student


# --- whose work, and where it is in the upload ------------------------------------------------

SID = {**METADATA, "users": [{**METADATA["users"][0], "sid": "s042"}]}


@pytest.fixture(scope="module")
def course():
    return load_course(COURSE)


def solved(folder: Path, course, student: str, student_txt: str | None) -> Path:
    """``student``'s solved stubs in ``folder``, with a student.txt holding ``student_txt``."""
    folder.mkdir(parents=True)
    for name, text in stubs(course, "en", solution=True, student=student):
        (folder / name).write_text(text, encoding="utf-8")
    if student_txt is not None:
        (folder / "student.txt").write_text(student_txt + "\n", encoding="utf-8")
    return folder


def autograded(tmp_path: Path, metadata: dict, place) -> dict:
    """run_autograder on an upload that ``place(submission_folder)`` lays out."""
    root = tmp_path / "autograder"
    (root / "submission").mkdir(parents=True)
    (root / "submission_metadata.json").write_text(json.dumps(metadata))
    place(root / "submission")
    r = _autograde(root, tmp_path)
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr, r.stderr
    return json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))


def total(course) -> float:
    return sum(q.points for q in course.questions if q.auto)


def test_student_txt_naming_one_of_the_users_ids_is_accepted_and_another_is_said(tmp_path, course):
    # the sid the student was told, while the platform's id is the email: accepted
    res = autograded(tmp_path / "a", SID, lambda up: solved(up / "work", course, "s042", "s042"))
    assert res["score"] == pytest.approx(total(course))
    assert "s042" not in res["output"]
    # the twin: a student.txt that is none of the user's: graded as the email, and said
    res = autograded(tmp_path / "b", SID, lambda up: solved(up / "work", course, "s043", "s043"))
    assert res["score"] < total(course)
    assert "Graded as «ann@example.org»" in res["output"] and "s043" in res["output"]
    assert "check.py --id ann@example.org" in res["output"]


def test_names_in_the_upload_never_choose_the_id(tmp_path, course):
    """A classmate's files in a folder named ' s043' (their id after a space) are graded as
    the uploader's own, and the student is told."""
    res = autograded(tmp_path / "a", SID, lambda up: solved(up / " s043", course, "s043", None))
    assert res["score"] < total(course)
    assert "Graded as «ann@example.org»" in res["output"]
    # the twin: the same files solved for the uploader score full marks
    res = autograded(
        tmp_path / "b", SID, lambda up: solved(up / " s043", course, "ann@example.org", None)
    )
    assert res["score"] == pytest.approx(total(course))


def test_deep_odd_and_double_uploads_are_graded_or_said_never_a_silent_zero(tmp_path, course):
    deep = autograded(
        tmp_path / "deep",
        SID,
        lambda up: solved(up / "a" / "b" / "c" / "d", course, "s042", "s042"),
    )
    assert deep["score"] == pytest.approx(total(course))
    odd_name = os.fsdecode(b"r\xe9sum\xe9")  # not UTF-8: a surrogate escape
    odd = autograded(
        tmp_path / "odd", SID, lambda up: solved(up / odd_name, course, "ann@example.org", None)
    )
    assert odd["score"] == pytest.approx(total(course))
    json.dumps(odd, ensure_ascii=False).encode("utf-8")  # valid Unicode throughout

    def two(up: Path) -> None:
        solved(up / "old", course, "s042", "s042")
        solved(up / "new", course, "s042", "s042")

    double = autograded(tmp_path / "two", SID, two)
    assert double["score"] == 0 and "more than one submission" in double["output"]
    assert "new" in double["output"] and "old" in double["output"]
    blank_name = {"users": [{"email": "ann@example.org", "name": "", "sid": ""}]}
    course_file = course_with(tmp_path, "gradescope:\n  student_id: name\n")
    root = tmp_path / "named" / "autograder"
    solved(root / "submission" / "work", course, "ann@example.org", None)
    (root / "submission_metadata.json").write_text(json.dumps(blank_name))
    argv = [sys.executable, "-m", "publish.gradescope.run", "--root", root]
    r = run([*argv, "--course", course_file, "--lang", "en"], cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    res = json.loads((root / "results" / "results.json").read_text())
    assert res["score"] == pytest.approx(total(course))
    assert "name is blank" in res["output"]
