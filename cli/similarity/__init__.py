"""``grade --similarity DIR``: pairs of students whose work looks copied, with the evidence.

Two kinds of evidence, from what grading already knows and never a grade change:

- **numbers** (:mod:`.numbers`): a hand-computed number wrong at the student's own values and
  right at exactly one classmate's; two or more from the same classmate flag the pair.
- **code** (:mod:`.code`): what each wrote beyond the release, fingerprinted by copydetect;
  a pair whose score reaches the threshold is flagged.

:class:`Evidence` takes the class a report line at a time (what it keeps of each: the id, the
wrong numbers, the student's own code and its hashes), then :meth:`Evidence.pairs` puts the
two together, strongest first; :mod:`.page` draws them.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from cli.similarity import code as codes
from cli.similarity.numbers import Borrowed, borrowed
from grader.course.questions import Course

#: Scored questions whose number is kept: the wrong ones (a right number is nobody else's).
WRONG = ("partial", "failed")
#: A pair is listed (not flagged) from this share of the threshold of code alike.
LISTED = 0.5
#: A text counts as at least this many hashes long: a few lines shared by two nearly empty
#: submissions are not most of anything.
SHORTEST = 50
#: How many numbers from one classmate flag a pair.
FROM_ONE = 2


@dataclass
class Pair:
    """Two submissions (indexes in :class:`Evidence`) and what they share."""

    a: int
    b: int
    code: float = 0.0  # the code score
    numbers: list[Borrowed] = field(default_factory=list)
    flagged: bool = False
    spans: tuple[list[tuple[int, int]], ...] = ()  # the matching code: a's, then b's

    def strength(self, threshold: float) -> float:
        """How far past its bar the stronger evidence is: the code score over the threshold,
        or the most numbers from one classmate over :data:`FROM_ONE`."""
        most = max(Counter(n.source for n in self.numbers).values(), default=0)
        return max(self.code / threshold if threshold else self.code, most / FROM_ONE)


class Evidence:
    """The class as the similarity report keeps it, a submission at a time."""

    def __init__(self, course: Course, lang: str) -> None:
        self.course = course
        self.reader = codes.Reader(course, lang)
        self.index = codes.Index()
        self.students: list[str] = []
        self.submissions: list[str] = []
        self.wrong: list[dict[str, float]] = []
        self.runs: list[list[str]] = []  # each submission's own code, in runs

    def add(self, line: dict[str, Any]) -> None:
        """One submission's report line: its numbers, and its own code read from its files."""
        wrong = {
            q["id"]: float(q["answer"])
            for q in line.get("questions", ())
            if q.get("status") in WRONG and isinstance(q.get("answer"), (int, float))
        }
        runs = self.reader.code(line)
        self.students.append(str(line.get("student", "")))
        self.submissions.append(str(line.get("submission", "")))
        self.wrong.append(wrong)
        self.runs.append(runs)
        self.index.add(runs)

    def text(self, k: int) -> str:
        """Submission k's own code as the page shows it: its runs one after the other."""
        return "".join(self.runs[k])

    def pairs(self, threshold: float) -> list[Pair]:
        """Every pair with evidence, the flagged first, the strongest first (A the one whose
        numbers came from B); the flagged pairs' matching code found."""
        common = self.index.common()
        found: dict[tuple[int, int], Pair] = {}
        for i, j, shared, size_i, size_j in self.index.shared(common):
            score = _score(shared, size_i, size_j)
            if score >= LISTED * threshold and self.students[i] != self.students[j]:
                found[i, j] = Pair(i, j, score)  # (one student's two submissions: not a pair)
        for b in borrowed(self.course, self.students, self.wrong):
            key = (min(b.copier, b.source), max(b.copier, b.source))
            if key not in found:  # its code's score too, below the listing bar as it is
                found[key] = Pair(*key, _score(*self.index.between(*key, common)))
            found[key].numbers.append(b)
        matched = set(common.tolist())
        for p in found.values():
            copiers = Counter(n.copier for n in p.numbers).most_common(1)
            if copiers and copiers[0][0] == p.b:
                p.a, p.b = p.b, p.a
            p.flagged = p.code >= threshold or _from_one(p.numbers)
            if p.code >= threshold:  # the code is what flags it: show where it matches
                p.spans = codes.slices(self.runs[p.a], self.runs[p.b], matched, self.index.filter)
        return sorted(found.values(), key=lambda p: (not p.flagged, -p.strength(threshold), p.a))

    def to_json(self, pairs: list[Pair], threshold: float) -> dict[str, Any]:
        """``similarity.json``: the pairs, strongest first."""
        order = {q.qid: k for k, q in enumerate(self.course.questions)}
        out = []
        for p in pairs:
            numbers = sorted(p.numbers, key=lambda n: (order.get(n.question, math.inf), n.source))
            out.append(
                {
                    "a": self.students[p.a],
                    "b": self.students[p.b],
                    "submissions": [self.submissions[p.a], self.submissions[p.b]],
                    "code_score": round(p.code, 3),
                    "numbers": [
                        {"question": n.question, "from": self.students[n.source]} for n in numbers
                    ],
                    "flagged": p.flagged,
                }
            )
        return {"threshold": threshold, "submissions": len(self.students), "pairs": out}


def _score(shared: int, size_a: int, size_b: int) -> float:
    """The code score: the mean of the shares of each one's fingerprints found in the other's
    (a text shorter than :data:`SHORTEST` counts as that long)."""
    return (shared / max(size_a, SHORTEST) + shared / max(size_b, SHORTEST)) / 2


def _from_one(numbers: list[Borrowed]) -> bool:
    """Two or more numbers from the same classmate."""
    return any(c >= FROM_ONE for c in Counter((n.copier, n.source) for n in numbers).values())
