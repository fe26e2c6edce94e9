"""Finding and reading submissions: a folder of stubs, a zip, or a folder of those (a class).

Reading never runs anything: files are read as text, with limits on size and count, so a
zip bomb or a stray binary costs a clear message, not the grading run.
"""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

MAX_FILE = 1 << 20  # one student file
MAX_ZIP_TOTAL = 20 << 20  # everything a zip may unpack to
MAX_ZIP_ENTRIES = 2000

Text = dict[str, str]


@dataclass
class Submission:
    id: str  # the student: folder name or zip name; seeds their points and values
    path: str
    files: dict[str, str] = field(default_factory=dict)  # module → source
    problems: list[Text] = field(default_factory=list)

    @property
    def digest(self) -> str:
        """Changes whenever any file changes: what a resumed run compares."""
        h = hashlib.sha256()
        for name in sorted(self.files):
            h.update(name.encode() + b"\0" + self.files[name].encode() + b"\0")
        return h.hexdigest()[:16]


def _looks_like_submission(folder: Path, modules: set[str]) -> bool:
    return any((folder / f"{m}.py").is_file() for m in modules)


def discover(paths: Iterable[Path], modules: set[str]) -> Iterator[Path]:
    """Each submission under ``paths``: a zip, a folder with stubs, or a class folder."""
    for path in paths:
        zipped = path.is_file() and path.suffix == ".zip"
        if zipped or (path.is_dir() and _looks_like_submission(path, modules)):
            yield path
        elif path.is_dir():
            for child in sorted(path.iterdir()):
                if (child.is_dir() and not child.name.startswith(".")) or child.suffix == ".zip":
                    yield child
        else:
            yield path  # reported as unreadable by read()


def read(path: Path, modules: set[str]) -> Submission:
    sub = Submission(path.stem if path.suffix == ".zip" else path.name, str(path))
    if path.is_file() and path.suffix == ".zip":
        _read_zip(path, modules, sub)
    elif path.is_dir():
        for m in sorted(modules):
            f = path / f"{m}.py"
            if f.is_file():
                _add(sub, m, f.stat().st_size, f.read_bytes)
    else:
        sub.problems.append({"en": f"{path}: not a folder or a .zip",
                             "ru": f"{path}: не папка и не .zip"})
    return sub


def _add(sub: Submission, module: str, size: int, read_bytes) -> None:
    if size > MAX_FILE:
        sub.problems.append({"en": f"{module}.py is larger than {MAX_FILE} bytes: not graded",
                             "ru": f"{module}.py больше {MAX_FILE} байт: не проверяется"})
        return
    try:
        sub.files[module] = read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        sub.problems.append({"en": f"{module}.py is not UTF-8 text: not graded",
                             "ru": f"{module}.py — не текст в UTF-8: не проверяется"})


def _read_zip(path: Path, modules: set[str], sub: Submission) -> None:
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            if len(infos) > MAX_ZIP_ENTRIES or sum(i.file_size for i in infos) > MAX_ZIP_TOTAL:
                sub.problems.append({"en": f"{path.name}: too many or too large files inside",
                                     "ru": f"{path.name}: внутри слишком много или слишком "
                                           "большие файлы"})
                return
            # The shallowest <exercise>.py wins (a zip of the folder or of its contents).
            found: dict[str, zipfile.ZipInfo] = {}
            for info in sorted(infos, key=lambda i: i.filename.count("/")):
                name = PurePosixPath(info.filename)
                if (not info.is_dir() and name.suffix == ".py" and name.stem in modules
                        and "__MACOSX" not in name.parts and name.stem not in found):
                    found[name.stem] = info
            for module, info in found.items():
                _add(sub, module, info.file_size, lambda info=info: z.read(info))
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as err:
        sub.problems.append({"en": f"{path.name}: cannot open the zip ({err})",
                             "ru": f"{path.name}: не удаётся открыть zip ({err})"})
