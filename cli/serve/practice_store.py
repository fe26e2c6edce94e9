"""Practice's record, in the rounds' SQLite file (WAL) beside the live round's tables.

Its own tables and its own connection (a second connection to the same file is what WAL is
for: the rounds and practice read and write side by side): each student's variants of each
question (opened, closed once its solution was shown) and every answer judged (its status,
score and the grader's feedback), committed before the student is answered.  A grader
failure is never recorded: it is no attempt.  Progress and the teacher's summary are read
from these rows.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS practice_variants (
    student TEXT NOT NULL,
    question TEXT NOT NULL,
    variant INTEGER NOT NULL,
    opened REAL NOT NULL,
    closed REAL,
    PRIMARY KEY (student, question, variant)
);
CREATE TABLE IF NOT EXISTS practice_answers (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    student TEXT NOT NULL,
    question TEXT NOT NULL,
    variant INTEGER NOT NULL,
    answer TEXT NOT NULL,
    status TEXT NOT NULL,
    score REAL NOT NULL,
    max_score REAL NOT NULL,
    feedback TEXT NOT NULL,
    at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS practice_answers_of ON practice_answers (student, question, seq);
"""


class Closed(Exception):
    """The variant was closed (its solution shown) before the answer could be kept."""


@dataclass(frozen=True)
class Judged:
    """One answer as the grader judged it, to keep."""

    status: str
    score: float
    max_score: float
    feedback: dict[str, str]


class PracticeStore:
    """Practice's tables in the SQLite file at ``path``; safe between threads (one lock)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=10)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def last(self, student: str, question: str) -> int:
        """The student's latest variant of ``question`` (0: none yet)."""
        with self._lock:
            row = self._db.execute(
                "SELECT MAX(variant) FROM practice_variants WHERE student = ? AND question = ?",
                (student, question),
            ).fetchone()
        return int(row[0] or 0)

    def open(self, student: str, question: str, variant: int) -> bool:
        """Variant ``variant`` opened, on disk; False if it exists already (a race)."""
        with self._lock:
            cursor = self._db.execute(
                "INSERT OR IGNORE INTO practice_variants VALUES (?, ?, ?, ?, NULL)",
                (student, question, variant, time.time()),
            )
        return cursor.rowcount == 1

    def state(self, student: str, question: str, variant: int) -> str | None:
        """``open``, ``closed``, or None for a variant never opened."""
        with self._lock:
            row = self._db.execute(
                "SELECT closed FROM practice_variants "
                "WHERE student = ? AND question = ? AND variant = ?",
                (student, question, variant),
            ).fetchone()
        if row is None:
            return None
        return "open" if row[0] is None else "closed"

    def close_variant(self, student: str, question: str, variant: int) -> None:
        """Its solution is shown: no answer on it is kept any more (for good)."""
        with self._lock:
            self._db.execute(
                "UPDATE practice_variants SET closed = ? "
                "WHERE student = ? AND question = ? AND variant = ? AND closed IS NULL",
                (time.time(), student, question, variant),
            )

    def record(
        self, student: str, question: str, variant: int, answer: object, judged: Judged
    ) -> int:
        """Keep one judged answer, on disk before this returns (Closed if its variant was
        closed meanwhile); its sequence number."""
        row = (
            student,
            question,
            variant,
            json.dumps(answer, ensure_ascii=False),
            judged.status,
            judged.score,
            judged.max_score,
            json.dumps(judged.feedback, ensure_ascii=False),
            time.time(),
        )
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                open_now = self._db.execute(
                    "SELECT 1 FROM practice_variants WHERE student = ? AND question = ? "
                    "AND variant = ? AND closed IS NULL",
                    (student, question, variant),
                ).fetchone()
                if open_now is None:
                    raise Closed(question)
                cursor = self._db.execute(
                    "INSERT INTO practice_answers (student, question, variant, answer, status, "
                    "score, max_score, feedback, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    row,
                )
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        return int(cursor.lastrowid or 0)

    def progress(self, student: str) -> dict[str, dict[str, Any]]:
        """question → the student's variants, answers, and their first success (the answers
        it took, when), for every question they practised."""
        with self._lock:
            variants = self._db.execute(
                "SELECT question, COUNT(*) FROM practice_variants WHERE student = ? "
                "GROUP BY question",
                (student,),
            ).fetchall()
            answers = self._db.execute(
                "SELECT question, status, at FROM practice_answers WHERE student = ? ORDER BY seq",
                (student,),
            ).fetchall()
        out: dict[str, dict[str, Any]] = {
            q: {"variants": n, "answers": 0, "first_success": None} for q, n in variants
        }
        for question, status, at in answers:
            mine = out.setdefault(question, {"variants": 0, "answers": 0, "first_success": None})
            mine["answers"] += 1
            if status == "passed" and mine["first_success"] is None:
                mine["first_success"] = {"answers": mine["answers"], "at": at}
        return out

    def summary(self) -> dict[str, dict[str, Any]]:
        """question → who practised it (answered at least once), who succeeded, how many
        answers, and the wrong answers' feedback with how often each was given."""
        with self._lock:
            rows = self._db.execute(
                "SELECT question, student, status, feedback FROM practice_answers ORDER BY seq"
            ).fetchall()
        students: dict[str, set[str]] = defaultdict(set)
        succeeded: dict[str, set[str]] = defaultdict(set)
        answers: Counter[str] = Counter()
        said: dict[str, Counter[tuple[str, str]]] = defaultdict(Counter)
        for question, student, status, feedback in rows:
            students[question].add(student)
            answers[question] += 1
            if status == "passed":
                succeeded[question].add(student)
            else:
                said[question][(status, feedback)] += 1
        return {
            q: {
                "students": sorted(students[q]),
                "succeeded": sorted(succeeded[q]),
                "answers": answers[q],
                "wrong": [
                    (status, json.loads(feedback), n) for (status, feedback), n in said[q].items()
                ],
            }
            for q in students
        }
