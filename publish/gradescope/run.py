"""What the bundle's run_autograder runs on Gradescope: ``grade`` on the student's upload.

Whose work it is: Gradescope's user (submission_metadata.json) is authoritative, and names
in the upload never choose an id.  The id is the user's field that course.yml's
``gradescope: student_id`` names (else their email, sid, name, Gradescope id, in that order);
a ``student.txt`` equal to any of that user's identifiers is accepted as it is (the student
computed their values for it); any other is set aside, and results.json's ``output``, which
the student sees, says which id was used and why.

Where the work is: the shallowest folder of the upload holding stubs or notebooks, or a zip
(searched :data:`DEPTH` levels down).  Two of them at that depth, nothing gradable, or a user
with no identifier at all: a score of 0 with the reason in ``output``, never a silent one.
Grading is ``grade --gradescope``, the very command a teacher runs, so the scores are
``grade``'s.  The grader's own failure (exit 1) writes no results: Gradescope then shows that
the autograder failed, and the teacher can rerun it, never a zero.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader.intake.identity import Identity, clean_id, identify
from grader.intake.submissions import looks_like_submission
from publish.gradescope import results
from publish.gradescope.settings import ID_FIELDS, load
from reference.course.source import CourseError, read_yaml
from reference.i18n import FALLBACK, LANGUAGES, Text, pick, same, t

DEPTH = 6  # how deep below submission/ a folder or zip may hold the stubs


@dataclass(frozen=True)
class User:
    """Gradescope's submitter: the id graded as, the field it came from, all their ids."""

    student: str
    field: str
    identifiers: tuple[str, ...]
    notes: tuple[Text, ...] = ()


def user_of(metadata: Any, field: str) -> User | None:
    """The (first) user of ``metadata``, graded as their ``field`` (else their email, sid,
    name, id); None if they have no identifier at all."""
    users = metadata.get("users") if isinstance(metadata, dict) else None
    if not isinstance(users, list) or not users or not isinstance(users[0], dict):
        return None
    user = users[0]
    ids = {}
    for key in dict.fromkeys((field, *ID_FIELDS)):
        value = user.get(key)
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            text = clean_id(str(value))
            if text:
                ids[key] = text
    if not ids:
        return None
    notes: list[Text] = []
    if len(users) > 1:
        notes.append(t("gradescope.submitted_together", n=len(users)))
    key = next(iter(ids))
    if key != field:
        notes.append(t("gradescope.field_blank", field=field, key=key))
    return User(ids[key], key, tuple(dict.fromkeys(ids.values())), tuple(notes))


def locate(upload: Path, modules: set[str]) -> list[Path]:
    """The shallowest submissions in ``upload``: folders with stubs or notebooks, and zips."""
    level = [upload]
    for _ in range(DEPTH + 1):
        found = [p for p in level if p.suffix == ".zip" or looks_like_submission(p, modules)]
        if found:
            return found
        below = []
        for folder in level:
            if folder.is_dir() and not folder.is_symlink():
                with os.scandir(folder) as entries:
                    for e in sorted(entries, key=lambda e: e.name):
                        if e.name.startswith((".", "__MACOSX")) or e.is_symlink():
                            continue
                        if e.is_dir() or (e.is_file() and e.name.lower().endswith(".zip")):
                            below.append(Path(e.path))
        level = below
    return []


def chosen_id(user: User, found: Identity) -> tuple[str, list[Text]]:
    """The id to grade as, and what the student is told about it."""
    said = list(user.notes)
    if found.source == "student.txt" and found.student in user.identifiers:
        return found.student, said  # the id they were told, and one of theirs
    said.append(t("gradescope.graded_as", student=user.student))
    if found.source == "student.txt":
        said.append(
            t(
                "gradescope.student_txt_not_theirs",
                found=found.student,
                identifiers=", ".join(user.identifiers),
                student=user.student,
            )
        )
    return user.student, said


def _modules(course_file: Path) -> set[str]:
    exercises = read_yaml(course_file).data.get("exercises")
    return {str(k) for k in exercises} if isinstance(exercises, dict) else set()


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
        modules = _modules(args.course)
    except CourseError as err:  # setup.sh validated it: only a broken image gets here
        print(err.render(lang), file=sys.stderr)
        return 1
    out = root / "results" / "results.json"
    out.parent.mkdir(parents=True, exist_ok=True)

    def zero(*why: Text) -> int:
        text = "\n".join(pick(w, lang) for w in why)
        results.write(out, results.nothing_graded(text, settings))
        print(f"run_autograder: {text}", file=sys.stderr)
        return 0

    try:
        metadata = json.loads((root / "submission_metadata.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        print(f"run_autograder: no submission_metadata.json ({err})", file=sys.stderr)
        return 1  # Gradescope's own file: the autograder failed, never the student's zero
    user = user_of(metadata, settings.student_id)
    if user is None:
        return zero(_NO_USER)
    found = locate(root / "submission", modules)
    if not found:
        return zero(_NOTHING)
    if len(found) > 1:
        names = ", ".join(clean_id(str(p.relative_to(root / "submission"))) for p in found)
        return zero(_TWO, t("gradescope.found", names=names))
    (path,) = found
    student, said = chosen_id(user, identify(path))
    cmd = [sys.executable, "-m", "cli.grade", str(path), "--gradescope", str(out)]
    cmd += ["--course", str(args.course), "--as-student", student]
    cmd += ["--lang", args.lang] if args.lang else []
    print(f"run_autograder: student {student!r} ({path})", file=sys.stderr)
    done = subprocess.run(cmd, stderr=subprocess.PIPE, text=True, errors="replace")
    sys.stderr.write(done.stderr)
    if done.returncode == 2:  # nothing gradable in what was found: the student's 0, and why
        grade_said = [line for line in done.stderr.splitlines() if line.startswith("grade:")]
        return zero(_NOTHING, *(same(line) for line in grade_said))
    if done.returncode == 0 and said:
        results.tell(out, "\n".join(pick(s, lang) for s in said))
    return done.returncode


_NOTHING = t("gradescope.nothing_to_grade")
_TWO = t("gradescope.two_submissions")
_NO_USER = t("gradescope.no_user")


if __name__ == "__main__":
    sys.exit(main())
