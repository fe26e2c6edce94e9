"""A teacher's CSV file (``--roster``, ``--teams``), read one way whoever reads it.

Small (capped), never through a symbolic link, UTF-8 (with or without a BOM), its first line
a header whose first columns are the ones asked for (case and spaces ignored; more columns
are kept by name: a roster may carry the students' platform ids), blank lines skipped, and
every problem at ``file:line``: all of them, so one run shows the teacher every line to fix.
"""

from __future__ import annotations

import csv
import io
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from reference.i18n import Problem, Text, t

MAX_BYTES = 8 << 20


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


@dataclass(frozen=True)
class Row:
    """A line with every column asked for: those cells stripped, in the header's order, and
    the file's other named columns."""

    line: int
    cells: tuple[str, ...]
    extra: dict[str, str] = field(default_factory=dict)


def read_rows(path: Path, header: tuple[str, ...], what: Text) -> tuple[list[Row], list[Problem]]:
    """The rows of ``path`` (``what`` it is, for the messages) and the problems found."""
    where = str(path)

    def problem(line: int | None, en: str, ru: str) -> tuple[list[Row], list[Problem]]:
        return [], [Problem(where, line, t(en, ru))]

    data = read_small(path, MAX_BYTES + 1)
    if data is None:
        return problem(None, f"cannot read the {what['en']}", f"не удаётся прочитать {what['ru']}")
    if len(data) > MAX_BYTES:
        return problem(None, f"the {what['en']} is too large", f"{what['ru']}: слишком велик")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return problem(None, f"the {what['en']} is not UTF-8 text", f"{what['ru']}: не UTF-8")
    reader = csv.reader(io.StringIO(text, newline=""))
    wanted = ",".join(header)
    rows: list[Row] = []
    problems: list[Problem] = []
    try:
        names = [h.strip().lower() for h in next(reader, None) or []]
        if names[: len(header)] != list(header):
            return problem(
                1,
                f"the first line must be the header: {wanted}",
                f"первая строка должна быть заголовком: {wanted}",
            )
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue
            line = reader.line_num
            mine = [c.strip() for c in cells[: len(header)]]
            if len(mine) < len(header) or not all(mine):
                problems.append(
                    Problem(
                        where,
                        line,
                        t(f"each line needs: {wanted}", f"в каждой строке нужны: {wanted}"),
                    )
                )
                continue
            extra = {
                name: value.strip()
                for name, value in zip(names[len(header) :], cells[len(header) :], strict=False)
                if name
            }
            rows.append(Row(line, tuple(mine), extra))
    except csv.Error as err:
        problems.append(Problem(where, reader.line_num, t(f"not CSV: {err}", f"не CSV: {err}")))
    return rows, problems
