"""What made this run fast, said when asked: ``BACKPROP_SPEED=1`` prints it as ``grade`` or
``course`` ends (on stderr), so a slow run can tell which of its shortcuts did not engage.

Each shortcut notes what it did (:func:`note`): the loaded course from the cache, the sandbox
server started while the course loads, one student's code run ahead of pytest, their
hidden-test session in a sibling forked at start.  The benchmark (``bench_grade.py
--installed``) reads the line for its table.
"""

from __future__ import annotations

import os
import sys

#: What each shortcut did in this run, in the order they were noted.
ENGAGED: dict[str, str] = {}
ASK = "BACKPROP_SPEED"


def note(shortcut: str, what: str) -> None:
    """``shortcut`` did ``what`` (the last word for it stands)."""
    ENGAGED[shortcut] = what


def say() -> None:
    """The line, on stderr, when ``BACKPROP_SPEED`` asks for it."""
    if os.environ.get(ASK, "").lower() in ("", "0", "off", "no"):
        return
    said = "; ".join(f"{k}: {v}" for k, v in ENGAGED.items()) or "nothing noted"
    print(f"speed: {said}", file=sys.stderr)
