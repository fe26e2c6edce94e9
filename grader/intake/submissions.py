"""Finding and reading submissions: a folder of stubs, a zip, or a folder of those (a class).

Notebooks (``<exercise>.ipynb``, the release's ``notebooks/<exercise>.ipynb``, nbgrader's
``submitted/<student>/<assignment>/`` included) are read by :mod:`grader.intake.notebooks`
into the same ``<exercise>`` module sources.  An exercise found both as a ``.py`` and as a
notebook keeps both as routes; :mod:`grader.intake.routes` grades the one the student worked
on.  Whose submission it is: :mod:`grader.intake.identity`.

Reading never runs anything and never follows a link: files are read as text, with limits on
size and count; a symbolic link or a special file (a FIFO, a device) is refused with a note;
a zip's entries are decompressed here with a cap on the bytes actually produced, whatever
size they declare.  A zip bomb or a stray binary costs a clear message, not the grading run.
"""

from __future__ import annotations

import hashlib
import os
import stat
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from grader.intake import notebooks as notebook_reader
from grader.intake.identity import (
    NOTEBOOKS,
    Identity,
    clean_id,
    identify,
)
from grader.intake.zips import (
    MAX_ZIP_TOTAL,
    TooLarge,
    TooMany,
    entries,
    entry_kind,
    opened,
    unpack,
)
from reference.i18n import Text, t

MAX_FILE = 1 << 20  # one student file


@dataclass
class Route:
    """One file an exercise's module can be graded from."""

    label: str  # where it is in the submission: "A.py", "notebooks/A.ipynb"
    source: str | None  # the module's source; None when the file could not be read
    cells: Any = None  # a notebook's cells (or its NotebookError); None for a .py

    @property
    def notebook(self) -> bool:
        return self.label.endswith(".ipynb")


@dataclass
class Submission:
    id: str  # the student (see grader.intake.identity); seeds their points and values
    path: str
    files: dict[str, str] = field(default_factory=dict)  # module → source graded
    notebooks: dict[str, Any] = field(default_factory=dict)  # module → its cells, if a notebook
    problems: list[Text] = field(default_factory=list)
    routes: dict[str, list[Route]] = field(default_factory=dict)  # module → files found
    id_source: str = "name"  # where the id came from: roster, student.txt, nbgrader, name
    graded_from: dict[str, str] = field(default_factory=dict)  # module → its route's label
    graph: dict[str, Any] | None = None  # its page's trace (grader.scoring.trace), if asked

    @property
    def digest(self) -> str:
        """Changes whenever the id or any file changes: what a resumed run compares."""
        h = hashlib.sha256(self.id.encode("utf-8", "surrogatepass") + b"\0")
        for name in sorted(self.routes):
            for route in self.routes[name]:
                text = route.source if route.source is not None else repr(route.cells)
                h.update(f"{name}\0{route.label}\0{text}\0".encode("utf-8", "surrogatepass"))
        for name in sorted(set(self.files) - set(self.routes)):
            h.update(f"{name}\0{self.files[name]}\0".encode("utf-8", "surrogatepass"))
        return h.hexdigest()[:16]

    def use(self, module: str, route: Route) -> None:
        """Grade ``module`` from ``route``."""
        self.files.pop(module, None)
        self.notebooks.pop(module, None)
        self.graded_from[module] = route.label
        if route.source is not None:
            self.files[module] = route.source
        if route.notebook and route.cells is not None:
            self.notebooks[module] = route.cells

    def follow(self, graded_from: dict[str, str]) -> None:
        """Use the routes a grade was given from (``graded_from``, a report's ``routes``):
        whoever reads the submission again (a team's chain) runs what was graded."""
        for module, label in graded_from.items():
            route = next((r for r in self.routes.get(module, ()) if r.label == label), None)
            if route is not None:
                self.use(module, route)

    def add_route(self, module: str, route: Route) -> None:
        """One more file for ``module``; the first readable one is graded until routes choose."""
        self.routes.setdefault(module, []).append(route)
        if module not in self.files and (route.source is not None or module not in self.notebooks):
            self.use(module, route)


def looks_like_submission(folder: Path, modules: set[str]) -> bool:
    """Whether ``folder`` holds an exercise's stub or notebook at its top."""
    return any((folder / f"{m}{ext}").is_file() for m in modules for ext in (".py", ".ipynb"))


def _nbgrader_assignments(folder: Path, modules: set[str]) -> list[Path]:
    """nbgrader's ``<student>/<assignment>/`` inside a student's folder."""
    if folder.is_symlink() or looks_like_submission(folder, modules):
        return []
    return [
        a
        for a in sorted(folder.iterdir())
        if a.is_dir()
        and not a.is_symlink()
        and not a.name.startswith(".")
        and looks_like_submission(a, modules)
    ]


def discover(paths: Iterable[Path], modules: set[str]) -> Iterator[Path]:
    """Each submission under ``paths``: a zip, a folder with stubs or notebooks, or a class
    folder (nbgrader's ``submitted/`` and a course root holding it included).  A path given
    as a symbolic link is the teacher's: it is resolved; a link found inside is refused when
    read."""
    for path in paths:
        if path.is_symlink():
            path = path.resolve()
        path = notebook_reader.course_root_submissions(path) or path
        zipped = path.is_file() and path.suffix == ".zip"
        if zipped or (path.is_dir() and looks_like_submission(path, modules)):
            yield path
        elif path.is_dir():
            for child in sorted(path.iterdir()):
                if (child.is_dir() and not child.name.startswith(".")) or child.suffix == ".zip":
                    nested = _nbgrader_assignments(child, modules) if child.is_dir() else []
                    yield from nested or [child]
        else:
            yield path  # reported as unreadable by read()


def read(
    path: Path,
    modules: set[str],
    identity: Identity | None = None,
    roster: dict[str, str] | None = None,
) -> Submission:
    """The submission at ``path``: its id (``identity``, else found from ``path`` and
    ``roster``), and every exercise's files."""
    who = identity or identify(path, roster)
    sub = Submission(who.student, str(path), problems=list(who.notes), id_source=who.source)
    kind = _kind(path)
    if kind == "link":
        sub.problems.append(
            t("intake.symbolic_link_not_followed_not", clean_id=clean_id(path.name))
        )
    elif kind == "file" and path.suffix == ".zip":
        _read_zip(path, modules, sub)
    elif kind == "dir":
        _read_folder(path, modules, sub)
    else:
        sub.problems.append(t("intake.not_folder_zip", clean_id=clean_id(str(path))))
    return sub


def _kind(path: Path) -> str:
    """What is at ``path``, without following a link: file, dir, link, special or none."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return "none"
    if stat.S_ISLNK(mode):
        return "link"
    if stat.S_ISDIR(mode):
        return "dir"
    return "file" if stat.S_ISREG(mode) else "special"


def _refused(sub: Submission, label: str, kind: str) -> None:
    if kind == "link":
        sub.problems.append(t("intake.symbolic_link_not_followed_not_2", label=label))
    else:
        sub.problems.append(t("intake.not_regular_file_not_graded", label=label))


def _file_reader(path: Path, cap: int) -> Callable[[], bytes]:
    """Reads a regular file (never through a link, never blocking on a FIFO), at most
    ``cap`` + 1 bytes."""

    def read_bytes() -> bytes:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                raise OSError("not a regular file")
            # Read as large as the file says it is (a buffered read of cap + 1 bytes sets up
            # that much memory first: a third of a notebook's reading), to its end or the cap.
            chunks, left = [], cap + 1
            while left > 0:
                data = os.read(fd, min(left, max(st.st_size + 1, 1 << 16)))
                if not data:
                    break
                chunks.append(data)
                left -= len(data)
            return b"".join(chunks)
        finally:
            os.close(fd)

    return read_bytes


def _read_folder(path: Path, modules: set[str], sub: Submission) -> None:
    folders = [("", path)]
    inner = path / NOTEBOOKS
    inner_kind = _kind(inner)
    if inner_kind == "dir":
        folders.append((f"{NOTEBOOKS}/", inner))
    elif inner_kind in ("link", "special"):
        _refused(sub, NOTEBOOKS, inner_kind)
    for m in sorted(modules):
        for prefix, folder in folders:
            for ext in (".py", ".ipynb") if not prefix else (".ipynb",):
                f, label = folder / f"{m}{ext}", f"{prefix}{m}{ext}"
                kind = _kind(f)
                if kind == "none":
                    continue
                if kind != "file":
                    _refused(sub, label, kind)
                    continue
                try:
                    size = os.lstat(f).st_size
                except OSError:
                    continue
                cap = notebook_reader.MAX_NOTEBOOK if ext == ".ipynb" else MAX_FILE
                _load(sub, m, label, size, _file_reader(f, cap))


def _load(sub: Submission, module: str, label: str, size: int, read_bytes) -> None:
    """Read one file of ``module`` as a route (a .py, or a notebook)."""
    if label.endswith(".ipynb"):
        source, cells, problems = notebook_reader.load(label, size, read_bytes)
        sub.problems.extend(problems)
        if source is not None or cells is not None:
            sub.add_route(module, Route(label, source, cells))
        return
    source = _python(label, size, read_bytes, sub.problems)
    if source is not None:
        sub.add_route(module, Route(label, source))


def _python(label: str, size: int, read_bytes, problems: list[Text]) -> str | None:
    if size > MAX_FILE:
        problems.append(t("intake.larger_than_bytes_not_graded", label=label, max_file=MAX_FILE))
        return None
    try:
        data = read_bytes()
    except (OSError, TooLarge, zipfile.BadZipFile) as err:
        problems.append(t("intake.cannot_read_3", label=label, err=err))
        return None
    if len(data) > MAX_FILE:
        problems.append(t("intake.larger_than_bytes_not_graded", label=label, max_file=MAX_FILE))
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        problems.append(t("intake.not_utf_8_text_not", label=label))
        return None


def _read_zip(path: Path, modules: set[str], sub: Submission) -> None:
    name = clean_id(path.name)
    try:
        with opened(path) as z:
            # The shallowest <exercise>.py and the shallowest <exercise>.ipynb (a zip of the
            # folder or of its contents, the release's notebooks/ included); routes choose.
            found: dict[tuple[str, str], zipfile.ZipInfo] = {}
            for info in entries(z):
                entry = PurePosixPath(info.filename)
                if entry.suffix in (".py", ".ipynb") and entry.stem in modules:
                    found.setdefault((entry.stem, entry.suffix), info)
            budget = [MAX_ZIP_TOTAL]
            for (module, suffix), info in sorted(
                found.items(), key=lambda kv: notebook_reader.zip_order(kv[1])
            ):
                label = info.filename
                kind = entry_kind(info)
                if kind == "dir":
                    continue
                if kind != "file":
                    _refused(sub, label, kind)
                    continue
                cap = notebook_reader.MAX_NOTEBOOK if suffix == ".ipynb" else MAX_FILE
                _load(sub, module, label, info.file_size, _zip_reader(z, info, cap, budget))
    except TooMany:
        sub.problems.append(t("intake.too_many_too_large_files", name=name))
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, ValueError) as err:
        sub.problems.append(t("intake.cannot_open_zip", name=name, err=err))


def _zip_reader(z: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int, budget: list[int]):
    def read_bytes() -> bytes:
        data = unpack(z, info, min(cap + 1, budget[0]))
        budget[0] -= len(data)
        return data

    return read_bytes
