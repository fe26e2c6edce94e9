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

    def problem(line: int | None, text: Text) -> tuple[list[Row], list[Problem]]:
        return [], [Problem(where, line, text)]

    data = read_small(path, MAX_BYTES + 1)
    if data is None:
        return problem(None, t("intake.csv_cannot_read", what=what))
    if len(data) > MAX_BYTES:
        return problem(None, t("intake.csv_too_large", what=what))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return problem(None, t("intake.csv_not_utf8", what=what))
    reader = csv.reader(io.StringIO(text, newline=""))
    wanted = ",".join(header)
    rows: list[Row] = []
    problems: list[Problem] = []
    try:
        names = [h.strip().lower() for h in next(reader, None) or []]
        if names[: len(header)] != list(header):
            return problem(
                1,
                t("intake.first_line_must_header", wanted=wanted),
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
                        t("intake.each_line_needs", wanted=wanted),
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
        problems.append(Problem(where, reader.line_num, t("intake.not_csv", err=err)))
    return rows, problems
