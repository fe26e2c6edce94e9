"""The live round's store: one SQLite file, every entry committed before it is acknowledged.

Rounds (the point the class works at, its join code), their members (team, student, node) and
every number a volunteer entered, in order; the latest entry of a quantity is the one judged,
and none is ever overwritten (a round's history stays).  WAL mode with full synchronisation:
a server killed mid-round loses no acknowledged entry, and the board reads while volunteers
write.  What a value may be is checked here too (a finite number, names of bounded length),
whatever the caller checked: the file is the round's record.
"""

from __future__ import annotations

import json
import math
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

#: The longest name (team, student, node, quantity) a round stores.
MAX_NAME = 64

_SCHEMA = """
CREATE TABLE IF NOT EXISTS rounds (
    id TEXT PRIMARY KEY,
    join_code TEXT UNIQUE NOT NULL,
    created REAL NOT NULL,
    course TEXT NOT NULL,
    point TEXT NOT NULL,
    open INTEGER NOT NULL DEFAULT 0,
    revealed INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS members (
    round TEXT NOT NULL REFERENCES rounds(id),
    team TEXT NOT NULL,
    student TEXT NOT NULL,
    node TEXT NOT NULL,
    PRIMARY KEY (round, student, node)
);
CREATE TABLE IF NOT EXISTS entries (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    round TEXT NOT NULL REFERENCES rounds(id),
    student TEXT NOT NULL,
    node TEXT NOT NULL,
    quantity TEXT NOT NULL,
    value REAL NOT NULL,
    at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS entries_of_round ON entries (round, seq);
"""


_ROUND = "id, join_code, course, point, open, revealed, created"


def _round(row: tuple) -> Round:
    return Round(row[0], row[1], row[2], json.loads(row[3]), bool(row[4]), bool(row[5]), row[6])


class Refused(ValueError):
    """A value or a name the store will not keep."""


@dataclass(frozen=True)
class Round:
    id: str
    join_code: str
    course: str  # the course's digest: a round is judged by the course it was made for
    point: dict[str, float]
    open: bool = False  # volunteers join by themselves (else the teacher's roster)
    revealed: bool = False  # the teacher showed the reference's values
    created: float = 0.0


def _name(value: object, what: str) -> str:
    if not isinstance(value, str) or not 0 < len(value) <= MAX_NAME:
        raise Refused(f"{what}: a name of 1 to {MAX_NAME} characters")
    return value


def _number(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise Refused("value: a number")
    if not math.isfinite(value):
        raise Refused("value: a finite number")
    return float(value)


class Store:
    """The round's SQLite file; safe to share between the server's threads (one lock)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def token(self) -> str:
        """The teacher's secret, made once and kept: a restarted server keeps its URL."""
        with self._lock:
            self._db.execute(
                "INSERT OR IGNORE INTO settings VALUES ('token', ?)", (secrets.token_urlsafe(24),)
            )
            row = self._db.execute("SELECT value FROM settings WHERE name = 'token'").fetchone()
        return str(row[0])

    def create(
        self,
        course: str,
        point: dict[str, float],
        members: Iterable[tuple[str, str, str]],
        open: bool = False,
    ) -> Round:
        """A new round at ``point`` with its members (team, student, node), or ``open`` for
        volunteers to join by themselves; unguessable ids and join codes."""
        point = {_name(k, "point"): _number(v) for k, v in point.items()}
        rows = [(_name(t, "team"), _name(s, "student"), _name(n, "node")) for t, s, n in members]
        made = Round(
            secrets.token_urlsafe(12),
            secrets.token_urlsafe(9),
            course,
            point,
            open,
            False,
            time.time(),
        )
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.execute(
                    "INSERT INTO rounds VALUES (?, ?, ?, ?, ?, ?, 0)",
                    (made.id, made.join_code, made.created, course, json.dumps(point), open),
                )
                self._db.executemany(
                    "INSERT INTO members VALUES (?, ?, ?, ?)", [(made.id, *r) for r in rows]
                )
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        return made

    def round(self, round_id: str) -> Round:
        """The round, or KeyError."""
        with self._lock:
            row = self._db.execute(
                f"SELECT {_ROUND} FROM rounds WHERE id = ?", (round_id,)
            ).fetchone()
        if row is None:
            raise KeyError(round_id)
        return _round(row)

    def rounds(self) -> list[Round]:
        """Every round, the newest first (the teacher's list)."""
        with self._lock:
            rows = self._db.execute(f"SELECT {_ROUND} FROM rounds ORDER BY created DESC").fetchall()
        return [_round(r) for r in rows]

    def reveal(self, round_id: str) -> None:
        """The teacher shows the reference's values on the board (for good)."""
        with self._lock:
            self._db.execute("UPDATE rounds SET revealed = 1 WHERE id = ?", (round_id,))

    def join(self, round_id: str, team: str, student: str, node: str) -> bool:
        """An open round's volunteer takes ``node`` in ``team``: False if someone holds it."""
        row = (round_id, _name(team, "team"), _name(student, "student"), _name(node, "node"))
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                taken = self._db.execute(
                    "SELECT 1 FROM members WHERE round = ? AND team = ? AND node = ?",
                    (round_id, team, node),
                ).fetchone()
                elsewhere = self._db.execute(
                    "SELECT 1 FROM members WHERE round = ? AND student = ? AND team != ?",
                    (round_id, student, team),
                ).fetchone()
                if taken is None and elsewhere is None:
                    self._db.execute("INSERT OR IGNORE INTO members VALUES (?, ?, ?, ?)", row)
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        return taken is None and elsewhere is None

    def by_join_code(self, code: str) -> Round | None:
        """The round a join code opens, if any."""
        with self._lock:
            row = self._db.execute("SELECT id FROM rounds WHERE join_code = ?", (code,)).fetchone()
        return self.round(row[0]) if row is not None else None

    def members(self, round_id: str) -> list[tuple[str, str, str]]:
        """(team, student, node) of the round, in the order they were given."""
        with self._lock:
            rows = self._db.execute(
                "SELECT team, student, node FROM members WHERE round = ? ORDER BY rowid",
                (round_id,),
            ).fetchall()
        return [tuple(r) for r in rows]

    def enter(self, round_id: str, student: str, node: str, quantity: str, value: object) -> int:
        """Keep one entry, committed to disk before this returns; its sequence number."""
        row = (
            round_id,
            _name(student, "student"),
            _name(node, "node"),
            _name(quantity, "quantity"),
            _number(value),
            time.time(),
        )
        with self._lock:
            known = self._db.execute("SELECT 1 FROM rounds WHERE id = ?", (round_id,)).fetchone()
            if known is None:
                raise KeyError(round_id)
            cursor = self._db.execute(
                "INSERT INTO entries (round, student, node, quantity, value, at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                row,
            )  # autocommit: in WAL with synchronous=FULL, on disk when execute returns
        return int(cursor.lastrowid or 0)

    def latest(
        self, round_id: str, students: Iterable[str] | None = None
    ) -> dict[tuple[str, str, str], float]:
        """(student, node, quantity) → the last value entered: what the round is judged on;
        only ``students``' entries when given (one team's)."""
        sql = "SELECT student, node, quantity, value FROM entries WHERE round = ?"
        args: list[str] = [round_id]
        if students is not None:
            args += list(students)
            sql += f" AND student IN ({', '.join('?' * (len(args) - 1))})"
        with self._lock:
            rows = self._db.execute(sql + " ORDER BY seq", args).fetchall()
        return {(s, n, q): v for s, n, q, v in rows}
