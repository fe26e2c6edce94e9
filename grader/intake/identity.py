"""Whose submission it is: the student id that seeds their points and their own values.

The id is taken from the first of these that applies:

1. ``--roster FILE``: a CSV with the header ``submission,student`` mapping a folder or zip
   name (with or without ``.zip``) to an id;
2. the submission's own ``student.txt`` (written by ``python check.py --id ID``; a line that
   is empty or starts with ``#`` is no id: the blank release's form);
3. nbgrader's shape ``…/<student>/<assignment>/``, wherever it sits: under ``submitted/`` or
   ``autograded/``, or in a class folder given to ``grade`` (``class/<student>/<assignment>/``,
   the student's folder holding no stubs of its own);
4. the folder's or zip's name.

A folder name that disagrees with student.txt (or the roster), and two submissions with one
id, are notes for the teacher.  Nothing here follows a symbolic link or reads more than a few
bytes of a file; every id is clean text (bad bytes and control characters escaped).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader.intake import zips
from grader.intake.csv_file import read_small
from reference.i18n import Text, pick, t

STUDENT_FILE = "student.txt"
NOTEBOOKS = "notebooks"  # the release's folder of notebooks, next to the stubs
MAX_ID = 200  # characters of an id
MAX_STUDENT_FILE = 4096  # bytes of student.txt
NBGRADER_FOLDERS = ("submitted", "autograded")
_CONTROL = {c: f"\\x{c:02x}" for c in [*range(32), 127, *range(0x80, 0xA0)]}


@dataclass(frozen=True)
class Identity:
    """The id a submission is graded as, where it came from, and notes for the teacher."""

    student: str
    source: str  # "roster", "student.txt", "nbgrader" or "name"
    notes: tuple[Text, ...] = ()


def clean_id(text: str) -> str:
    """An id as clean text: bytes that are not UTF-8 (a folder name's) and control characters
    (newlines, terminal escapes) shown as ``\\xNN``, so it seeds, prints and encodes alike."""
    try:
        raw = os.fsencode(text)
    except (UnicodeError, TypeError):
        raw = text.encode("utf-8", "backslashreplace")
    text = raw.decode("utf-8", "backslashreplace").translate(_CONTROL).strip()
    return text[:MAX_ID]


def student_line(data: bytes) -> str | None:
    """The id a student.txt holds: its first line that is not empty or a ``#`` comment."""
    text = data.decode("utf-8", "replace").lstrip("\ufeff")
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            return clean_id(line) or None
    return None


def blank_student_file(lang: str) -> str:
    """student.txt as released: one comment line, no id (``check.py --id`` writes the id)."""
    return pick(t("intake.blank_student_file"), lang) + "\n"


# --- one submission -----------------------------------------------------------------------------


def _has_stubs(folder: Path) -> bool:
    try:
        return any(p.suffix in (".py", ".ipynb") and p.name != "check.py" for p in folder.iterdir())
    except OSError:
        return False


def nbgrader_student(path: Path, top: Path | None = None) -> str | None:
    """``<student>`` of ``…/<student>/<assignment>/``: under nbgrader's submitted/ or
    autograded/, or two levels below ``top`` (the class folder the teacher named) with no
    stubs of the student's own folder."""
    path = Path(os.path.abspath(path))
    parts = path.parts
    if len(parts) < 3 or not parts[-2]:
        return None
    if parts[-3] in NBGRADER_FOLDERS:
        return parts[-2]
    if top is not None and path.parent.parent == Path(os.path.abspath(top)):
        return None if _has_stubs(path.parent) else parts[-2]
    return None


def _zip_student_file(path: Path) -> bytes | None:
    return zips.student_file(path, STUDENT_FILE, MAX_STUDENT_FILE)


def name_of(path: Path) -> str:
    """A submission's own name: the folder's, or the zip's without ``.zip``."""
    return path.stem if path.suffix == ".zip" else path.name


def identify(
    path: Path,
    roster: dict[str, str] | None = None,
    top: Path | None = None,
    *,
    _within: bool = False,
) -> Identity:
    """The student of the submission at ``path`` (the rules of this module's docstring);
    ``top``: the folder the teacher named that ``path`` was found in, if any."""
    if path.name == NOTEBOOKS and not _within and _has_stubs(path.parent):
        # The release's notebooks/ folder: its student is the release folder's.
        return identify(path.parent, roster, _within=True)
    name = name_of(path)
    listed = None
    if roster:
        listed = roster.get(path.name, roster.get(name))
    if path.suffix == ".zip" and path.is_file():
        data = _zip_student_file(path)
    else:
        data = read_small(path / STUDENT_FILE, MAX_STUDENT_FILE)
    written = student_line(data) if data else None
    shaped = nbgrader_student(path, top)
    named = clean_id(shaped) if shaped else clean_id(name) or "?"
    notes: list[Text] = []
    if listed is not None:
        if written is not None and written != listed:
            notes.append(
                t(
                    "intake.roster_says_says_graded_as",
                    listed=listed,
                    student_file=STUDENT_FILE,
                    written=written,
                )
            )
        return Identity(listed, "roster", tuple(notes))
    if written is not None:
        if written != named:
            what = t("intake.the_folder") if shaped or path.is_dir() else t("intake.the_zip")
            notes.append(
                t(
                    "intake.says_named_graded_as",
                    student_file=STUDENT_FILE,
                    written=written,
                    what=what,
                    named=named,
                )
            )
        return Identity(written, STUDENT_FILE, tuple(notes))
    return Identity(named, "nbgrader" if shaped else "name")


def id_from_name(sub: Any) -> Text:
    """The note on a submission whose id is its folder's or zip's name (``sub``: a
    Submission): what its values were computed for, and how to name the student instead."""
    what = t("intake.name_of_zip") if str(sub.path).endswith(".zip") else t("intake.name_of_folder")
    return t("intake.no_no_roster_id_name", student_file=STUDENT_FILE, id=sub.id, what=what)


def identify_all(
    paths: Iterable[Path], roster: dict[str, str] | None = None, tops: Iterable[Path] = ()
) -> dict[str, Identity]:
    """str(path) → its Identity, with a note on every submission that shares its id.
    ``tops``: the folders the teacher named (a class folder: ``<top>/<student>/<assignment>``)."""
    above = {Path(os.path.abspath(t)): t for t in tops}
    found = {}
    for p in paths:
        top = above.get(Path(os.path.abspath(p)).parent.parent)
        found[str(p)] = identify(p, roster, top)
    for student, keys in shared(found).items():
        for key in keys:
            others = [o for o in keys[: SHOWN + 1] if o != key][:SHOWN]
            more = len(keys) - 1 - len(others)
            names = ", ".join(clean_id(o) for o in others) + (f", … (+{more})" if more else "")
            n = len(keys) - 1
            note = t("intake.other_same_student_id", n=n, student=student, names=names)
            ident = found[key]
            found[key] = Identity(ident.student, ident.source, (*ident.notes, note))
    return found


#: Other submissions a shared id's note names (the run's summary lists them all, once).
SHOWN = 3


def shared(ids: dict[str, Identity]) -> dict[str, list[str]]:
    """Each student id that two or more submissions carry → those submissions (str paths)."""
    owners: dict[str, list[str]] = {}
    for key, ident in ids.items():
        owners.setdefault(ident.student, []).append(key)
    return {student: keys for student, keys in owners.items() if len(keys) > 1}
