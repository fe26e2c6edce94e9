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


def compute(reports: list[dict[str, Any]]) -> dict[str, Any]:
    """Histogram, per-question pass rate, mean and most frequent diagnoses."""
    hist = [0] * BINS
    for r in reports:
        hist[min(BINS - 1, int(percent(r) // (100 / BINS)))] += 1
    order: list[str] = []
    per: dict[str, list[dict[str, Any]]] = {}
    for r in reports:
        for q in r.get("questions", []):
            if q.get("status") == "manual":
                continue
            if q["id"] not in per:
                order.append(q["id"])
            per.setdefault(q["id"], []).append(q)
    questions = []
    for qid in order:
        got = per[qid]
        found = Counter(diagnosis(q) for q in got if q.get("status") in _WRONG)
        questions.append(
            {
                "id": qid,
                "max_score": max(float(q.get("max_score") or 0) for q in got),
                "submissions": len(got),
                "passed": sum(q.get("status") == "passed" for q in got),
                "pass_rate": round(sum(q.get("status") == "passed" for q in got) / len(got), 4),
                "mean_score": round(sum(float(q.get("score") or 0) for q in got) / len(got), 4),
                "statuses": dict(Counter(str(q.get("status")) for q in got)),
                "diagnoses": [{"feedback": k, "count": n} for k, n in found.most_common(TOP)],
            }
        )
    scores = [float(r.get("score") or 0) for r in reports]
    return {
        "submissions": len(reports),
        "mean_score": round(sum(scores) / len(scores), 4) if scores else 0.0,
        "max_score": max((float(r.get("max_score") or 0) for r in reports), default=0.0),
        "histogram": [
            {"from": i * 100 // BINS, "to": (i + 1) * 100 // BINS, "count": n}
            for i, n in enumerate(hist)
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
