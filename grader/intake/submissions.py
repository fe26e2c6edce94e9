"""Finding and reading submissions: a folder of stubs, a zip, or a folder of those (a class).

Notebooks (``<exercise>.ipynb``, nbgrader's ``submitted/<student>/<assignment>/`` included)
are read by :mod:`grader.intake.notebooks` into the same ``<exercise>`` module sources.

Reading never runs anything: files are read as text, with limits on size and count, so a
zip bomb or a stray binary costs a clear message, not the grading run.
"""

from __future__ import annotations

import functools
import hashlib
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from grader.intake import notebooks as notebook_reader
from reference.i18n import Text

MAX_FILE = 1 << 20  # one student file
MAX_ZIP_TOTAL = 20 << 20  # everything a zip may unpack to
MAX_ZIP_ENTRIES = 2000


@dataclass
class Submission:
    id: str  # the student: folder name or zip name; seeds their points and values
    path: str
    files: dict[str, str] = field(default_factory=dict)  # module → source
    notebooks: dict[str, Any] = field(default_factory=dict)  # module → its cells, if a notebook
    problems: list[Text] = field(default_factory=list)

    @property
    def digest(self) -> str:
        """Changes whenever any file changes: what a resumed run compares."""
        h = hashlib.sha256()
        for name in sorted(self.files):
            h.update(name.encode() + b"\0" + self.files[name].encode() + b"\0")
        return h.hexdigest()[:16]


def _looks_like_submission(folder: Path, modules: set[str]) -> bool:
    return any((folder / f"{m}{ext}").is_file() for m in modules for ext in (".py", ".ipynb"))


def _nbgrader_assignments(folder: Path, modules: set[str]) -> list[Path]:
    """nbgrader's ``<student>/<assignment>/`` inside a student's folder."""
    if _looks_like_submission(folder, modules):
        return []
    return [
        a
        for a in sorted(folder.iterdir())
        if a.is_dir() and not a.name.startswith(".") and _looks_like_submission(a, modules)
    ]


def discover(paths: Iterable[Path], modules: set[str]) -> Iterator[Path]:
    """Each submission under ``paths``: a zip, a folder with stubs or notebooks, or a class
    folder (nbgrader's ``submitted/`` and a course root holding it included)."""
    for path in paths:
        path = notebook_reader.course_root_submissions(path) or path
        zipped = path.is_file() and path.suffix == ".zip"
        if zipped or (path.is_dir() and _looks_like_submission(path, modules)):
            yield path
        elif path.is_dir():
            for child in sorted(path.iterdir()):
                if (child.is_dir() and not child.name.startswith(".")) or child.suffix == ".zip":
                    nested = _nbgrader_assignments(child, modules) if child.is_dir() else []
                    yield from nested or [child]
        else:
            yield path  # reported as unreadable by read()


def read(path: Path, modules: set[str]) -> Submission:
    student = notebook_reader.nbgrader_student(path)  # submitted/<student>/<assignment>
    sub = Submission(student or (path.stem if path.suffix == ".zip" else path.name), str(path))
    if path.is_file() and path.suffix == ".zip":
        _read_zip(path, modules, sub)
    elif path.is_dir():
        for m in sorted(modules):
            f, nb = path / f"{m}.py", path / f"{m}.ipynb"
            if f.is_file():
                _add(sub, m, f.stat().st_size, f.read_bytes)
            elif nb.is_file():
                notebook_reader.add(sub, m, nb.stat().st_size, nb.read_bytes)
    else:
        sub.problems.append(
            {"en": f"{path}: not a folder or a .zip", "ru": f"{path}: не папка и не .zip"}
        )
    return sub


def _add(sub: Submission, module: str, size: int, read_bytes) -> None:
    if size > MAX_FILE:
        sub.problems.append(
            {
                "en": f"{module}.py is larger than {MAX_FILE} bytes: not graded",
                "ru": f"{module}.py больше {MAX_FILE} байт: не проверяется",
            }
        )
        return
    try:
        sub.files[module] = read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        sub.problems.append(
            {
                "en": f"{module}.py is not UTF-8 text: not graded",
                "ru": f"{module}.py — не текст в UTF-8: не проверяется",
            }
        )


def _read_zip(path: Path, modules: set[str], sub: Submission) -> None:
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            if len(infos) > MAX_ZIP_ENTRIES or sum(i.file_size for i in infos) > MAX_ZIP_TOTAL:
                sub.problems.append(
                    {
                        "en": f"{path.name}: too many or too large files inside",
                        "ru": f"{path.name}: внутри слишком много или слишком большие файлы",
                    }
                )
                return
            # The shallowest <exercise>.py or .ipynb wins (a zip of the folder or of its
            # contents); at the same depth the .py.
            found: dict[str, zipfile.ZipInfo] = {}
            for info in sorted(infos, key=notebook_reader.zip_order):
                name = PurePosixPath(info.filename)
                if (
                    not info.is_dir()
                    and name.suffix in (".py", ".ipynb")
                    and name.stem in modules
                    and "__MACOSX" not in name.parts
                    and name.stem not in found
                ):
                    found[name.stem] = info
            for module, info in found.items():
                add = notebook_reader.add if info.filename.endswith(".ipynb") else _add
                add(sub, module, info.file_size, functools.partial(z.read, info))
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as err:
        sub.problems.append(
            {
                "en": f"{path.name}: cannot open the zip ({err})",
                "ru": f"{path.name}: не удаётся открыть zip ({err})",
            }
        )
