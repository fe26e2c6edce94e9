"""Grades for a learning platform's gradebook import: ``--canvas FILE`` and ``--moodle FILE``.

Canvas imports a CSV whose first columns name the student (``Student``, ``ID``, ``SIS User
ID``, ``SIS Login ID``, ``Section``; it matches on the ID or SIS columns), then one column an
assignment titled as in Canvas, with an optional ``Points Possible`` row under the header.
Moodle imports a CSV with any columns, one of which identifies the user (``email``,
``username`` or ``idnumber``: chosen when importing) and one column a grade item.

Who each student is on the platform comes from the ``--roster`` CSV's extra columns (a
roster may carry them: ``name``, ``canvas_id``, ``sis_user_id``, ``sis_login_id``,
``section``, ``email``, ``username``, ``idnumber``); a student the roster does not list is
still written, by the id graded, and named on the terminal: never dropped silently.  Scores
are rounded to 2 decimals, as the platforms show them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cli.reports import cell
from publish import output_files

#: The user columns Moodle can match on, in the order one is chosen from the roster.
MOODLE_KEYS = ("email", "username", "idnumber")
CANVAS_USER = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")


def roster_details(path: Path | None) -> dict[str, dict[str, str]]:
    """student id → the roster's other columns for them (empty without a roster)."""
    if path is None:
        return {}
    text = path.read_text(encoding="utf-8-sig")
    rows = csv.DictReader(io.StringIO(text, newline=""))
    out: dict[str, dict[str, str]] = {}
    for row in rows:
        student = (row.get("student") or "").strip()
        if student:
            out[student] = {
                k.strip(): (v or "").strip() for k, v in row.items() if k and k != "student"
            }
    return out


def _number(x: float) -> str:
    """A score as the platforms show it: 2 decimals at most, no trailing zeros (79, 74.83)."""
    return f"{round(float(x), 2):.12g}"


def _score(obj: dict[str, Any]) -> str:
    return _number(obj["score"])


def canvas(
    path: Path,
    graded: list[dict[str, Any]],
    assignment: str,
    max_score: float,
    roster: dict[str, dict[str, str]],
) -> list[str]:
    """Canvas's gradebook import CSV; the students the roster does not list."""
    out = io.StringIO(newline="")
    w = csv.writer(out)
    w.writerow([*CANVAS_USER, assignment])
    w.writerow(["Points Possible", "", "", "", "", _number(max_score)])
    missing: list[str] = []
    for student, who, obj in _students(graded, roster, missing):
        row = [
            who.get("name") or student,
            who.get("canvas_id", ""),
            who.get("sis_user_id") or student,
            who.get("sis_login_id", ""),
            who.get("section", ""),
        ]
        w.writerow([cell(v) for v in row] + [_score(obj)])
    output_files.write_text(path, out.getvalue())
    return missing


def moodle(
    path: Path, graded: list[dict[str, Any]], assignment: str, roster: dict[str, dict[str, str]]
) -> list[str]:
    """Moodle's grade import CSV keyed on the roster's email, username or idnumber (the id
    graded, as idnumber, without one); the students the roster does not list."""
    columns = {k for who in roster.values() for k, v in who.items() if v}
    key = next((k for k in MOODLE_KEYS if k in columns), "idnumber")
    out = io.StringIO(newline="")
    w = csv.writer(out)
    w.writerow([key, assignment])
    missing: list[str] = []
    for student, who, obj in _students(graded, roster, missing):
        w.writerow([cell(who.get(key) or student), _score(obj)])
    output_files.write_text(path, out.getvalue())
    return missing


def _students(
    graded: list[dict[str, Any]], roster: dict[str, dict[str, str]], missing: list[str]
) -> Iterator[tuple[str, dict[str, str], dict[str, Any]]]:
    """(id, the roster's columns for them, their report), each student once (several
    submissions of one id: the best, as a gradebook holds one grade; team lines are not
    students); an id the roster lacks is added to ``missing``."""
    best: dict[str, dict[str, Any]] = {}
    for obj in graded:
        if "submission" not in obj:
            continue
        kept = best.get(obj["student"])
        if kept is None or obj["score"] > kept["score"]:
            best[obj["student"]] = obj
    for student in sorted(best):
        if student not in roster:
            missing.append(student)
        yield student, roster.get(student, {}), best[student]
