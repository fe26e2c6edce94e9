"""What the bundle's run_autograder runs on Gradescope: ``grade`` on /autograder/submission.

The student's id is Gradescope's (submission_metadata.json, the user's field that course.yml's
``gradescope: student_id`` names), handed to ``grade`` as a roster, so it outranks whatever
``student.txt`` or folder name the upload has.  Grading is ``grade --gradescope``, the very
command a teacher runs, so the scores are ``grade``'s.  An upload with nothing to grade scores 0
with the reason; the grader's own failure (exit 1) writes no results: Gradescope then shows that
the autograder failed, and the teacher can rerun it, never a zero.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from publish.gradescope import results
from publish.gradescope.settings import load
from reference.course.source import CourseError
from reference.i18n import FALLBACK, LANGUAGES, pick, t

DEPTH = 3  # how deep below submission/ a folder or zip may hold the stubs


def student_id(metadata: Any, field: str) -> tuple[str | None, str]:
    """The id of the (first) user of ``metadata`` by ``field``, falling back to the email and
    Gradescope's user id; and a note for the log."""
    users = metadata.get("users") if isinstance(metadata, dict) else None
    if not isinstance(users, list) or not users or not isinstance(users[0], dict):
        return None, "submission_metadata.json names no user"
    user = users[0]
    note = f"{len(users)} users submitted together; graded as the first" if len(users) > 1 else ""
    for key in dict.fromkeys((field, "email", "id")):
        value = user.get(key)
        if value not in (None, ""):
            used = "" if key == field else f"the user has no {field}: the id is their {key}"
            return str(value).strip(), "; ".join(n for n in (note, used) if n)
    return None, "the user in submission_metadata.json has no id"


def roster_rows(submission: Path, who: str) -> list[tuple[str, str]]:
    """Every name grade may take for this upload (itself, its folders and zips) → ``who``."""
    names = {submission.name}
    for folder, dirs, files in os.walk(submission):
        depth = len(Path(folder).relative_to(submission).parts)
        if depth >= DEPTH:
            dirs[:] = []
        names.update(dirs)
        names.update(f for f in files if f.lower().endswith(".zip"))
    return [(name, who) for name in sorted(names)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="run_autograder")
    parser.add_argument("--root", type=Path, default=Path("/autograder"))
    parser.add_argument("--course", type=Path, required=True)
    parser.add_argument("--lang", choices=LANGUAGES, default=None)
    args = parser.parse_args(argv)
    root: Path = args.root
    lang = args.lang or FALLBACK
    try:
        settings = load(args.course)
    except CourseError as err:  # setup.sh validated it: only a broken image gets here
        print(err.render(lang), file=sys.stderr)
        return 1
    submission = root / "submission"
    out = root / "results" / "results.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        metadata = json.loads((root / "submission_metadata.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        metadata, why = None, f"no submission_metadata.json ({err})"
    who, why = student_id(metadata, settings.student_id) if metadata else (None, why)
    if why:
        print(f"run_autograder: {why}", file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "cli.grade", str(submission), "--gradescope", str(out)]
        cmd += ["--course", str(args.course), *(["--lang", args.lang] if args.lang else [])]
        if who is not None:
            roster = Path(tmp) / "roster.csv"
            with roster.open("w", encoding="utf-8", newline="") as f:
                w = csv.writer(f)
                w.writerow(["submission", "student"])
                w.writerows(roster_rows(submission, who))
            cmd += ["--roster", str(roster)]
        print(f"run_autograder: student {who!r}", file=sys.stderr)
        done = subprocess.run(cmd, stderr=subprocess.PIPE, text=True, errors="replace")
    sys.stderr.write(done.stderr)
    if done.returncode == 2:  # nothing gradable in the upload: the student's 0, and why
        results.write(out, results.nothing_graded(_nothing(done.stderr, lang), settings))
        return 0
    return done.returncode


def _nothing(stderr: str, lang: str) -> str:
    said = [line for line in stderr.splitlines() if line.startswith("grade:")]
    why = t(
        "Nothing could be graded in this upload. Upload the filled stubs (A.py, B.py, …) or "
        "their notebooks, as the release has them.",
        "В этой загрузке нечего проверять. Загрузите заполненные заготовки (A.py, B.py, …) "
        "или их блокноты — как в выданных материалах.",
    )
    return "\n".join([pick(why, lang), *said])


if __name__ == "__main__":
    sys.exit(main())
