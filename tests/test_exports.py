"""``grade --canvas FILE`` and ``--moodle FILE``: the gradebook files learning platforms import.

The formats are the platforms' own import formats, as they document them:
- Canvas, "How do I import grades in the Gradebook?" (Canvas Instructor Guide): the CSV's
  user columns Student, ID, SIS User ID, SIS Login ID, Section (Canvas matches a row on ID or
  the SIS columns), then a column titled as the assignment, and an optional "Points Possible"
  row under the header, as Canvas's own gradebook export writes it.
- Moodle, "Grade import" (Moodle Docs, CSV import): any columns; one maps to the user (email
  address, username or ID number, chosen when importing), one to the grade item.
"""

from __future__ import annotations

import csv
import subprocess

from conftest import LESSON, command

from grader.course.loader import load_course
from publish.stubs import stubs

EVIL = "=HYPERLINK(1)"


def _klass(tmp_path, course):
    """anna's and the odd-named student's solutions, and bob's with one slip."""
    klass = tmp_path / "class"
    for k, student in enumerate(("anna", "bob", EVIL)):
        dest = klass / f"sub-{k}"
        dest.mkdir(parents=True)
        for name, text in stubs(course, "en", solution=True, student=student):
            if student == "bob" and name == "A.py":
                text = text.replace("    return x1\n", "    return w1\n", 1)
            (dest / name).write_text(text, encoding="utf-8")
        (dest / "student.txt").write_text(student + "\n", encoding="utf-8")
    return klass


def test_canvas_and_moodle_files_follow_the_platforms_formats(tmp_path):
    course = load_course(LESSON / "course.yml")
    klass = _klass(tmp_path, course)
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "submission,student,name,canvas_id,sis_user_id,sis_login_id,section,email\n"
        'sub-0,anna,"Ivanova, Anna",101,S-1,anna.i,A1,anna@example.org\n'
        'sub-1,bob,"Petrov, Bob",102,S-2,bob.p,A1,bob@example.org\n',
        encoding="utf-8",
    )  # the third submission's student is in no roster row: exported, and said
    canvas, moodle = tmp_path / "canvas.csv", tmp_path / "moodle.csv"
    r = subprocess.run(
        command(
            "grade", klass, "--roster", roster, "--canvas", canvas, "--moodle", moodle,
            "--lang", "en",
        ),
        cwd=LESSON, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert f"not in --roster, exported by the id graded (check them on the platform): {EVIL}" in (
        " ".join(r.stderr.split())
    )
    rows = list(csv.reader(canvas.open(encoding="utf-8", newline="")))
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "backprop"]
    assert rows[1] == ["Points Possible", "", "", "", "", f"{course.points.auto:g}"]
    by_sis = {row[2]: row for row in rows[2:]}
    assert by_sis["S-1"] == ["Ivanova, Anna", "101", "S-1", "anna.i", "A1", "79"]
    assert by_sis["S-2"][:5] == ["Petrov, Bob", "102", "S-2", "bob.p", "A1"]
    assert 0 < float(by_sis["S-2"][5]) < 79 and len(by_sis["S-2"][5].split(".")[-1]) <= 2
    assert by_sis["'" + EVIL][0] == "'" + EVIL  # a name that would run as a formula: text
    rows = list(csv.reader(moodle.open(encoding="utf-8", newline="")))
    assert rows[0] == ["email", "backprop"]
    got = {row[0]: row[1] for row in rows[1:]}
    assert got["anna@example.org"] == "79" and "bob@example.org" in got
    assert got["'" + EVIL] == "79"  # the student the roster lacks, by the id graded
    # the twin: without a roster Moodle is keyed on idnumber (the ids graded), Canvas the same
    r = subprocess.run(
        command("grade", klass, "--moodle", moodle, "--canvas", canvas, "--lang", "en"),
        cwd=LESSON, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    rows = list(csv.reader(moodle.open(encoding="utf-8", newline="")))
    assert rows[0] == ["idnumber", "backprop"] and {row[0] for row in rows[1:]} >= {"anna", "bob"}
