"""Class statistics for the dashboard and its CSV/JSON twins: item analysis from the reports.

A diagnosis is a wrong answer's feedback with the student's own numbers masked, so the same
mistake made at different points counts as one ("the factor dS/dG is missing": 7 students).
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

from cli.reports import cell

BINS = 10  # the histogram's: 0–10 %, …, 90–100 %
TOP = 5  # diagnoses shown per question
_NUMBER = re.compile(r"(?<![\w.])[-\u2212]?\d+(?:[.,]\d+)?(?:e[-+]?\d+)?(?!\w)")
_WRONG = ("failed", "partial", "error", "timeout")


def diagnosis(question: dict[str, Any]) -> str:
    """What a wrong answer's feedback says, numbers masked; its status when it says nothing."""
    text = " ".join(str(question.get("feedback") or "").split())
    return _NUMBER.sub("\u2026", text) if text else str(question.get("status", ""))


def percent(report: dict[str, Any]) -> float:
    top = float(report.get("max_score") or 0)
    return 100.0 * float(report.get("score") or 0) / top if top else 0.0


class Aggregate:
    """The class's statistics, a report at a time: counts, sums and diagnosis counters per
    question, nothing per student (a class costs what its questions cost)."""

    def __init__(self) -> None:
        self.hist = [0] * BINS
        self.n = 0
        self.total = 0.0
        self.max_score = 0.0
        self.questions: dict[str, dict[str, Any]] = {}  # in the order first seen

    def add(self, r: dict[str, Any]) -> None:
        self.n += 1
        self.hist[min(BINS - 1, int(percent(r) // (100 / BINS)))] += 1
        self.total += float(r.get("score") or 0)
        self.max_score = max(self.max_score, float(r.get("max_score") or 0))
        for q in r.get("questions", []):
            if q.get("status") == "manual":
                continue
            a = self.questions.setdefault(
                q["id"],
                {"max": 0.0, "n": 0, "passed": 0, "sum": 0.0, "statuses": Counter(),
                 "diagnoses": Counter()},
            )  # fmt: skip
            a["max"] = max(a["max"], float(q.get("max_score") or 0))
            a["n"] += 1
            a["passed"] += q.get("status") == "passed"
            a["sum"] += float(q.get("score") or 0)
            a["statuses"][str(q.get("status"))] += 1
            if q.get("status") in _WRONG:
                a["diagnoses"][diagnosis(q)] += 1

    def result(self) -> dict[str, Any]:
        """Histogram, per-question pass rate, mean and most frequent diagnoses."""
        questions = [
            {
                "id": qid,
                "max_score": a["max"],
                "submissions": a["n"],
                "passed": a["passed"],
                "pass_rate": round(a["passed"] / a["n"], 4),
                "mean_score": round(a["sum"] / a["n"], 2),
                "statuses": dict(a["statuses"]),
                "diagnoses": [
                    {"feedback": k, "count": n} for k, n in a["diagnoses"].most_common(TOP)
                ],
            }
            for qid, a in self.questions.items()
        ]
        return {
            "submissions": self.n,
            "mean_score": round(self.total / self.n, 2) if self.n else 0.0,
            "max_score": self.max_score,
            "histogram": [
                {"from": i * 100 // BINS, "to": (i + 1) * 100 // BINS, "count": n}
                for i, n in enumerate(self.hist)
            ],
            "questions": questions,
        }


def write(folder: Path, stats: dict[str, Any]) -> None:
    """``stats.json`` (everything) and ``stats.csv`` (one row a question)."""
    (folder / "stats.json").write_text(
        json.dumps(stats, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    with (folder / "stats.csv").open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(
            [
                "question",
                "max_score",
                "submissions",
                "passed",
                "pass_rate",
                "mean_score",
                "diagnoses",
            ]
        )
        for q in stats["questions"]:
            shown = "; ".join(f"{d['feedback']} ({d['count']})" for d in q["diagnoses"])
            out.writerow(
                [
                    cell(q["id"]),
                    q["max_score"],
                    q["submissions"],
                    q["passed"],
                    q["pass_rate"],
                    q["mean_score"],
                    cell(shown),
                ]
            )
