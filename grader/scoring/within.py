"""Whether answers agree with the reference within tolerance: the check every right answer
passes, kept apart from grader.scoring.diagnose, which is imported only to explain a wrong one."""

from __future__ import annotations

from typing import Any

import numpy as np

from reference.course.model import Tolerance

__all__ = ["close"]


def close(a: Any, b: Any, tol: Tolerance) -> bool:
    """Every value within tolerance; NaN and inf never match."""
    try:
        a = np.asarray(a, dtype=float)
        b = np.asarray(b, dtype=float)
    except (TypeError, ValueError):
        return False
    if a.shape != b.shape and a.size != b.size and a.size != 1:
        return False
    if not (np.isfinite(a).all() and np.isfinite(b).all()):
        return False
    # np.allclose's own test on finite values, without its per-call overhead (a hot path).
    return bool(np.all(np.abs(a - b) <= tol.abs + tol.rel * np.abs(b)))
