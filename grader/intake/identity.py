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

import csv
import io
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reference.i18n import BilingualError, Problem, Text, plural_en, plural_ru, t

STUDENT_FILE = "student.txt"
NOTEBOOKS = "notebooks"  # the release's folder of notebooks, next to the stubs
MAX_ID = 200  # characters of an id
MAX_STUDENT_FILE = 4096  # bytes of student.txt
MAX_ROSTER = 8 << 20
NBGRADER_FOLDERS = ("submitted", "autograded")
_CONTROL = {c: f"\\x{c:02x}" for c in [*range(32), 127, *range(0x80, 0xA0)]}


class RosterError(BilingualError):
    """A roster that cannot be used (a usage error), as ``file:line: message``."""


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
    return (
        "# впишите сюда свой id: python check.py --id ВАШ_ID\n"
        if lang == "ru"
        else "# your id goes here: python check.py --id YOUR_ID\n"
    )


def read_small(path: Path, limit: int) -> bytes | None:
    """A small regular file's bytes, never through a symbolic link; None if it is not one."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        with os.fdopen(fd, "rb", closefd=False) as f:
            return f.read(limit)
    except OSError:
        return None
    finally:
        os.close(fd)


# --- the roster -------------------------------------------------------------------------------


def load_roster(path: Path) -> dict[str, str]:
    """``submission`` name → ``student`` id, or RosterError with ``file:line``."""
    where = str(path)
    data = read_small(path, MAX_ROSTER + 1)
    if data is None:
        raise RosterError(
            Problem(where, None, t("cannot read the roster file", "не удаётся прочитать список"))
        )
    if len(data) > MAX_ROSTER:
        raise RosterError(
            Problem(where, None, t("the roster is too large", "список слишком велик"))
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RosterError(
            Problem(where, None, t("the roster is not UTF-8 text", "список — не текст в UTF-8"))
        ) from None
    rows = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(rows, None)
    except csv.Error as err:
        raise RosterError(Problem(where, 1, t(f"not CSV: {err}", f"не CSV: {err}"))) from None
    if header is None or [h.strip() for h in header][:2] != ["submission", "student"]:
        raise RosterError(
            Problem(
                where,
                1,
                t(
                    "the first line must be the header: submission,student",
                    "первая строка должна быть заголовком: submission,student",
                ),
            )
        )
    roster: dict[str, str] = {}
    try:
        for row in rows:
            line = rows.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) < 2 or not row[0].strip() or not row[1].strip():
                raise RosterError(
                    Problem(
                        where,
                        line,
                        t(
                            "each line needs a submission and a student",
                            "в каждой строке нужны submission и student",
                        ),
                    )
                )
            name, student = row[0].strip(), clean_id(row[1])
            if roster.get(name, student) != student:
                raise RosterError(
                    Problem(
                        where,
                        line,
                        t(
                            f"«{name}» is given two students: «{roster[name]}» and «{student}»",
                            f"для «{name}» указаны два студента: «{roster[name]}» и «{student}»",
                        ),
                    )
                )
            roster[name] = student
    except csv.Error as err:
        raise RosterError(
            Problem(where, rows.line_num, t(f"not CSV: {err}", f"не CSV: {err}"))
        ) from None
    return roster


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
    from grader.intake.submissions import zip_student_file

    return zip_student_file(path)


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
                    f"the roster says «{listed}», {STUDENT_FILE} says «{written}»: graded as "
                    f"«{listed}»",
                    f"в списке «{listed}», в {STUDENT_FILE} «{written}»: проверено как «{listed}»",
                )
            )
        return Identity(listed, "roster", tuple(notes))
    if written is not None:
        if written != named:
            what = t("the folder", "папка") if shaped or path.is_dir() else t("the zip", "zip")
            notes.append(
                t(
                    f"{STUDENT_FILE} says «{written}», {what['en']} is named «{named}»: graded as "
                    f"«{written}»",
                    f"в {STUDENT_FILE} «{written}», а {what['ru']} называется «{named}»: "
                    f"проверено как «{written}»",
                )
            )
        return Identity(written, STUDENT_FILE, tuple(notes))
    return Identity(named, "nbgrader" if shaped else "name")


def id_from_name(sub: Any) -> Text:
    """The note on a submission whose id is its folder's or zip's name (``sub``: a
    Submission): what its values were computed for, and how to name the student instead."""
    what = t("zip", "zip") if str(sub.path).endswith(".zip") else t("folder", "папки")
    return t(
        f"no {STUDENT_FILE} and no --roster: the id «{sub.id}» is the {what['en']}'s name, and "
        "the numbers computed by hand were checked at that id's values. If it is not the "
        "student's id, grade with --roster (CSV submission,student), or have the student run "
        "`python check.py --id ID`.",
        f"нет {STUDENT_FILE} и нет --roster: id «{sub.id}» — это имя {what['ru']}, и числа, "
        "посчитанные вручную, проверены при значениях этого id. Если это не id студента, "
        "проверяйте с --roster (CSV submission,student) или пусть студент выполнит "
        "`python check.py --id ID`.",
    )


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
            note = t(
                f"{n} other {plural_en(n, 'submission')} {'has' if n == 1 else 'have'} the "
                f"same student id {student!r}: {names}",
                f"ещё {n} {plural_ru(n, 'работа', 'работы', 'работ')} с тем же id студента "
                f"{student!r}: {names}",
            )
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
