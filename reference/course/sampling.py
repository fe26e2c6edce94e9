"""Where answers are checked: random points per question, and each student's own values.

Both are seeded from the course seed and the submission's id, so grading is reproducible and
every student gets different points.  ``student_values`` uses only the standard library and
is copied verbatim into the student release (``check.py --id``), so a student sees exactly
the values the grader will use for their hand-computed numbers.
"""

from __future__ import annotations

import hashlib
import random

import numpy as np


def student_values(seed: int, student: str, ranges: dict[str, list[float]]) -> dict[str, float]:
    """Each leaf's value for one student: one decimal, inside its range, never 0."""
    digest = hashlib.sha256(f"{seed}:values:{student}".encode()).digest()
    rng = random.Random(int.from_bytes(digest[:8], "big"))
    values = {}
    for name, (lo, hi) in ranges.items():
        candidates = [
            k / 10 for k in range(int(lo * 10), int(hi * 10) + 1) if lo <= k / 10 <= hi and k != 0
        ]
        values[name] = rng.choice(candidates) if candidates else round((lo + hi) / 2, 6)
    return values


def rng_for(seed: int, submission: str, question: str) -> np.random.Generator:
    """The generator of one question's random points for one submission."""
    digest = hashlib.sha256(f"{seed}:points:{submission}:{question}".encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:16], "big"))
